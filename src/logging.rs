//! Structured logs with tracing, written through a filter that blanks anything shaped like a
//! national ID, so that no error message or field can carry a citizen's number into a log.

use std::io::{self, IsTerminal, Write};

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

/// Starts logging to stderr with the given filter (tracing's syntax); safe to call twice.
pub fn init(filter: &str) {
    let filter = EnvFilter::try_new(filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(RedactingStderr)
        .with_ansi(io::stderr().is_terminal())
        .try_init();
}

/// Replaces every run of 9 or more ASCII digits (CMND has 9, CCCD 12) with `[đã ẩn]`.
pub fn redact_id_numbers(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut digits = String::new();
    let flush = |digits: &mut String, out: &mut String| {
        if digits.len() >= 9 {
            out.push_str("[đã ẩn]");
        } else {
            out.push_str(digits);
        }
        digits.clear();
    };
    for ch in text.chars() {
        if ch.is_ascii_digit() {
            digits.push(ch);
        } else {
            flush(&mut digits, &mut out);
            out.push(ch);
        }
    }
    flush(&mut digits, &mut out);
    out
}

/// A `MakeWriter` for stderr whose writer redacts ID numbers from each formatted event.
struct RedactingStderr;

struct RedactingWriter;

impl<'a> MakeWriter<'a> for RedactingStderr {
    type Writer = RedactingWriter;

    fn make_writer(&'a self) -> Self::Writer {
        RedactingWriter
    }
}

impl Write for RedactingWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        // The fmt layer hands over one whole formatted event per call.
        let text = String::from_utf8_lossy(buf);
        io::stderr().write_all(redact_id_numbers(&text).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        io::stderr().flush()
    }
}

#[cfg(test)]
mod tests {
    use super::redact_id_numbers;

    #[test]
    fn id_numbers_are_blanked_and_short_numbers_kept() {
        assert_eq!(
            redact_id_numbers("Key (national_id)=(079048000123) exists; CMND 123456789, row 42"),
            "Key (national_id)=([đã ẩn]) exists; CMND [đã ẩn], row 42"
        );
        assert_eq!(
            redact_id_numbers("2026-11-26T21:29:35Z 12ms"),
            "2026-11-26T21:29:35Z 12ms"
        );
    }
}
