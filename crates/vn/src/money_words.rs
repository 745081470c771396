//! Amounts of money in Vietnamese words ("Bằng chữ") and in figures ("1.200.000 đ").
//!
//! Signing sheets and payment documents state the total twice, in figures and in words, and
//! an accountant checks that the two agree; the wording follows the common administrative
//! usage:
//! - groups of three digits are read with "tỷ", "triệu", "nghìn"; a group that is all zeros
//!   is skipped ("một tỷ đồng", not "một tỷ không triệu…");
//! - inside the number every group is read in full: "không trăm" for a zero hundreds digit
//!   and "linh" for a zero tens digit (1.005.000 → "một triệu không trăm linh năm nghìn");
//! - 1 after "mươi" is "mốt" (21 "hai mươi mốt"), 5 after "mười"/"mươi" is "lăm"
//!   (15 "mười lăm", 25 "hai mươi lăm"), and 4 after "mươi" is "tư" (24 "hai mươi tư");
//!   both "tư" and "bốn" are in use there, we pick "tư" as most payment vouchers do, and
//!   keep "bốn" after "mười" and "linh" (14 "mười bốn", 104 "một trăm linh bốn"), where
//!   "tư" would read as regional;
//! - "nghìn" (not "ngàn") and "tỷ" (not "tỉ"), as in official documents;
//! - the first letter is capitalised and the text ends with "đồng".

/// Digit names, indexed by the digit.
const DIGITS: [&str; 10] = [
    "không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín",
];

/// Scale words for the groups below one tỷ, from the lowest group up.
const SCALES: [&str; 3] = ["", "nghìn", "triệu"];

const ONE_TY: u64 = 1_000_000_000;

/// The amount in Vietnamese words, capitalised and ending with "đồng", for the
/// "Bằng chữ: …" line under a total: 1.005.000 → "Một triệu không trăm linh năm nghìn đồng".
///
/// A negative amount (a refund in a reconciliation) starts with "Âm".
pub fn amount_in_words(amount: i64) -> String {
    let mut text = String::new();
    if amount < 0 {
        text.push_str("âm ");
    }
    // unsigned_abs: i64::MIN has no positive i64 counterpart.
    let magnitude = amount.unsigned_abs();
    if magnitude == 0 {
        text.push_str("không");
    } else {
        let mut words = Vec::new();
        push_number(magnitude, &mut words);
        text.push_str(&words.join(" "));
    }
    text.push_str(" đồng");
    capitalise_first(&text)
}

/// The number in lower-case words, without the currency: 21 → "hai mươi mốt".
///
/// Useful wherever a count is spelled out; `amount_in_words` is the form for money.
pub fn number_in_words(number: u64) -> String {
    if number == 0 {
        return DIGITS[0].to_owned();
    }
    let mut words = Vec::new();
    push_number(number, &mut words);
    words.join(" ")
}

/// The amount in figures with dot thousands and the "đ" sign: 1200000 → "1.200.000 đ".
pub fn format_vnd(amount: i64) -> String {
    format!("{} đ", format_thousands(amount))
}

/// The number with dot thousands separators and no sign of the currency: 1200000 → "1.200.000".
pub fn format_thousands(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if amount < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// Appends the words of a non-zero number. Numbers of a thousand tỷ or more are read as
/// "<words> tỷ" recursively ("một nghìn tỷ"), which is how such sums are said.
fn push_number(number: u64, words: &mut Vec<&'static str>) {
    let ty_count = number / ONE_TY;
    let below_ty = number % ONE_TY;
    let mut leading = true;
    if ty_count > 0 {
        push_number(ty_count, words);
        words.push("tỷ");
        leading = false;
    }
    let groups = [
        below_ty / 1_000_000,
        (below_ty / 1_000) % 1_000,
        below_ty % 1_000,
    ];
    for (i, &group) in groups.iter().enumerate() {
        if group == 0 {
            continue;
        }
        // A group is read in full ("không trăm linh …") once a higher group has been read.
        push_group(group, !leading, words);
        leading = false;
        let scale = SCALES[2 - i];
        if !scale.is_empty() {
            words.push(scale);
        }
    }
}

/// Appends the words of a group of three digits (1..=999). `full` reads a zero hundreds
/// digit as "không trăm", as required for every group after the first.
fn push_group(group: u64, full: bool, words: &mut Vec<&'static str>) {
    let hundreds = (group / 100) as usize;
    let tens = ((group / 10) % 10) as usize;
    let units = (group % 10) as usize;
    let hundreds_read = hundreds > 0 || full;
    if hundreds_read {
        words.push(DIGITS[hundreds]);
        words.push("trăm");
    }
    match tens {
        0 => {
            if units > 0 {
                if hundreds_read {
                    words.push("linh");
                }
                words.push(DIGITS[units]);
            }
        }
        1 => {
            words.push("mười");
            match units {
                0 => {}
                5 => words.push("lăm"),
                _ => words.push(DIGITS[units]),
            }
        }
        _ => {
            words.push(DIGITS[tens]);
            words.push("mươi");
            match units {
                0 => {}
                1 => words.push("mốt"),
                4 => words.push("tư"),
                5 => words.push("lăm"),
                _ => words.push(DIGITS[units]),
            }
        }
    }
}

/// Upper-cases the first character; Vietnamese letters with diacritics upper-case as one
/// character in NFC, which all the words above are.
fn capitalise_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    fn words(n: u64) -> String {
        number_in_words(n)
    }

    #[test]
    fn amounts_from_the_domain_notes_read_as_written() {
        assert_eq!(
            amount_in_words(1_005_000),
            "Một triệu không trăm linh năm nghìn đồng"
        );
        assert_eq!(
            amount_in_words(1_050_000),
            "Một triệu không trăm năm mươi nghìn đồng"
        );
        assert_eq!(
            amount_in_words(13_900_000),
            "Mười ba triệu chín trăm nghìn đồng"
        );
        assert_eq!(amount_in_words(1_000_000_000), "Một tỷ đồng");
        assert_eq!(amount_in_words(0), "Không đồng");
        assert_eq!(amount_in_words(15), "Mười lăm đồng");
        assert_eq!(amount_in_words(21), "Hai mươi mốt đồng");
        assert_eq!(amount_in_words(105), "Một trăm linh năm đồng");
    }

    #[test]
    fn small_numbers_follow_the_special_readings() {
        let cases = [
            (1, "một"),
            (4, "bốn"),
            (5, "năm"),
            (10, "mười"),
            (11, "mười một"),
            (14, "mười bốn"),
            (15, "mười lăm"),
            (20, "hai mươi"),
            (21, "hai mươi mốt"),
            (24, "hai mươi tư"),
            (25, "hai mươi lăm"),
            (31, "ba mươi mốt"),
            (55, "năm mươi lăm"),
            (99, "chín mươi chín"),
            (100, "một trăm"),
            (101, "một trăm linh một"),
            (104, "một trăm linh bốn"),
            (105, "một trăm linh năm"),
            (110, "một trăm mười"),
            (111, "một trăm mười một"),
            (115, "một trăm mười lăm"),
            (121, "một trăm hai mươi mốt"),
            (999, "chín trăm chín mươi chín"),
        ];
        for (n, expected) in cases {
            assert_eq!(words(n), expected, "{n}");
        }
    }

    #[test]
    fn inner_groups_are_read_in_full_and_zero_groups_are_skipped() {
        let cases = [
            (1_000, "một nghìn"),
            (1_001, "một nghìn không trăm linh một"),
            (1_010, "một nghìn không trăm mười"),
            (1_100, "một nghìn một trăm"),
            (10_000, "mười nghìn"),
            (15_000, "mười lăm nghìn"),
            (300_000, "ba trăm nghìn"),
            (600_000, "sáu trăm nghìn"),
            (1_000_005, "một triệu không trăm linh năm"),
            (1_200_000, "một triệu hai trăm nghìn"),
            (2_000_021, "hai triệu không trăm hai mươi mốt"),
            (10_000_000, "mười triệu"),
            (1_000_000_001, "một tỷ không trăm linh một"),
            (1_005_000_000, "một tỷ không trăm linh năm triệu"),
            (2_500_000_000, "hai tỷ năm trăm triệu"),
            (1_000_000_000_000, "một nghìn tỷ"),
            (
                1_234_567_891,
                "một tỷ hai trăm ba mươi tư triệu năm trăm sáu mươi bảy nghìn tám trăm chín mươi mốt",
            ),
        ];
        for (n, expected) in cases {
            assert_eq!(words(n), expected, "{n}");
        }
    }

    #[test]
    fn extreme_and_negative_amounts_do_not_panic() {
        assert!(amount_in_words(i64::MAX).ends_with(" đồng"));
        assert!(amount_in_words(i64::MIN).starts_with("Âm "));
        assert_eq!(amount_in_words(-300_000), "Âm ba trăm nghìn đồng");
    }

    #[test]
    fn words_are_nfc() {
        for n in [
            0,
            15,
            21,
            24,
            105,
            1_005_000,
            1_050_000,
            13_900_000,
            1_000_000_000,
        ] {
            let text = amount_in_words(n);
            assert_eq!(text.nfc().collect::<String>(), text);
        }
    }

    #[test]
    fn figures_use_dot_thousands() {
        assert_eq!(format_vnd(1_200_000), "1.200.000 đ");
        assert_eq!(format_vnd(0), "0 đ");
        assert_eq!(format_vnd(999), "999 đ");
        assert_eq!(format_vnd(1_000), "1.000 đ");
        assert_eq!(format_vnd(600_000), "600.000 đ");
        assert_eq!(format_vnd(-1_500), "-1.500 đ");
        assert_eq!(format_vnd(1_000_000_000), "1.000.000.000 đ");
        assert_eq!(format_thousands(i64::MIN), "-9.223.372.036.854.775.808");
    }
}
