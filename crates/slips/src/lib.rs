//! Invitation slips (giấy mời nhận quà): values in, an A4 PDF or the pieces of a printable
//! page out. No database, no web: the service, the command line and the tests share it.
//!
//! A crate of its own, not a module of `chamlo-sheets`, so that the PDF writer, the font
//! subsetter and the QR encoder stay out of the spreadsheet crate and its benchmarks.
//!
//! Each slip carries a QR code of the entry's check-in code and the same code printed for
//! typing. The code is all the QR holds: no link, no name, no ID number (DOMAIN.md: messages
//! from the ward never carry links, and a lost slip must not reveal who it belongs to).

mod html;
mod pdf;
mod qr;

pub use html::render_html;
pub use pdf::{SlipError, render_pdf};
pub use qr::{qr_modules, qr_svg};

/// One slip: what the ward prints for one gift of one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slip {
    /// The issuing body, one line each ("ỦY BAN NHÂN DÂN", "PHƯỜNG BẾN THÀNH").
    pub heading: Vec<String>,
    /// The recipient's full name.
    pub recipient: String,
    /// Where the recipient lives, when known.
    pub address: Option<String>,
    /// The gifts due, each as one line ("Quà Tết hộ nghèo: 1.200.000 đ").
    pub gifts: Vec<String>,
    /// The distribution point, name and address, when one is set.
    pub place: Option<String>,
    /// The date and time to come, when a slot is set ("Thứ Bảy 24/01/2026, 08:00–10:00").
    pub when: Option<String>,
    /// The check-in code the QR holds (upper case, no separators).
    pub code: String,
}

/// What every slip asks the recipient to bring, and how a proxy collects.
pub const WHAT_TO_BRING: &str = "Mang theo giấy mời này và CCCD. Người nhận thay mang CCCD \
     của mình, CCCD của người được nhận quà và giấy tờ chứng minh quan hệ gia đình.";

/// The code as printed for typing: groups of five joined by a dash ("ABCDE-FGHJK").
pub fn code_for_print(code: &str) -> String {
    code.as_bytes()
        .chunks(5)
        .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_code_is_grouped_by_five() {
        assert_eq!(code_for_print("ABCDEFGHJK"), "ABCDE-FGHJK");
        assert_eq!(code_for_print("ABC"), "ABC");
    }
}
