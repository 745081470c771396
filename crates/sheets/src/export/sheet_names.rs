//! Sheet names Excel accepts: at most 31 characters (UTF-16 units), none of `[]:*?/\`, no
//! apostrophe at either end, not blank, not "History" (reserved by Excel), and unique
//! without regard to case.

use std::collections::HashSet;

use unicode_normalization::UnicodeNormalization;

const MAX_LEN: usize = 31;
const FALLBACK: &str = "Trang";

/// Turns wanted names (ward names, "Tổng hợp") into valid, unique sheet names, in the same
/// order; clashes get " (2)", " (3)" … within the length limit.
pub fn unique_sheet_names<S: AsRef<str>>(wanted: &[S]) -> Vec<String> {
    let mut taken: HashSet<String> = HashSet::new();
    let mut names = Vec::with_capacity(wanted.len());
    for name in wanted {
        let base = valid_sheet_name(name.as_ref());
        let mut candidate = base.clone();
        let mut n = 2;
        while taken.contains(&candidate.to_lowercase()) {
            let suffix = format!(" ({n})");
            candidate = format!("{}{suffix}", truncate_utf16(&base, MAX_LEN - suffix.len()));
            n += 1;
        }
        taken.insert(candidate.to_lowercase());
        names.push(candidate);
    }
    names
}

/// One name made valid, without the uniqueness check.
fn valid_sheet_name(name: &str) -> String {
    let replaced: String = name
        .nfc()
        .map(|c| match c {
            '[' | ']' | ':' | '*' | '?' | '/' | '\\' => '-',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    let collapsed = replaced.split_whitespace().collect::<Vec<_>>().join(" ");
    let trimmed = truncate_utf16(collapsed.trim_matches('\''), MAX_LEN)
        .trim_matches('\'')
        .trim()
        .to_owned();
    if trimmed.is_empty() {
        FALLBACK.to_owned()
    } else if trimmed.eq_ignore_ascii_case("history") {
        format!("{trimmed} (1)")
    } else {
        trimmed
    }
}

/// The longest prefix of `text` that fits in `max` UTF-16 units (Excel counts in those).
fn truncate_utf16(text: &str, max: usize) -> &str {
    let mut units = 0;
    for (i, c) in text.char_indices() {
        units += c.len_utf16();
        if units > max {
            return &text[..i];
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_valid_for_excel() {
        let names = unique_sheet_names(&[
            "Tổng hợp",
            "Phường Long Bình",
            "Phường [Tăng] Nhơn/Phú: A*?\\",
            "'Quoted'",
            "",
            "History",
            "Một tên phường rất rất dài vượt quá ba mươi mốt ký tự",
        ]);
        for name in &names {
            assert!(
                rust_xlsxwriter::utility::check_sheet_name(name).is_ok(),
                "{name}"
            );
            assert!(name.encode_utf16().count() <= 31, "{name}");
        }
        assert_eq!(names[1], "Phường Long Bình");
        assert_eq!(names[2], "Phường -Tăng- Nhơn-Phú- A---");
        assert_eq!(names[3], "Quoted");
        assert_eq!(names[4], "Trang");
        assert_eq!(names[5], "History (1)");
    }

    #[test]
    fn clashes_get_numbers_and_case_does_not_matter() {
        let long = "Phường Tăng Nhơn Phú A mở rộng thêm";
        let names = unique_sheet_names(&["Tổng hợp", "TỔNG HỢP", "tổng hợp", long, long]);
        assert_eq!(names[0], "Tổng hợp");
        assert_eq!(names[1], "TỔNG HỢP (2)");
        assert_eq!(names[2], "tổng hợp (3)");
        assert_ne!(names[3], names[4]);
        assert!(names[4].ends_with(" (2)"));
        assert!(names[4].encode_utf16().count() <= 31);
    }
}
