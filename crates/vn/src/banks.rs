//! Vietnamese banks as transfer lists and bank files name them: the 6-digit NAPAS BIN that
//! identifies a bank in an interbank transfer, the short name bank files print, and the
//! names officers type ("VCB", "Vietcombank", "NH Ngoại thương").
//!
//! [`BANKS`] is the seed of the editable `banks` table; matching ([`match_bank`]) works on
//! any list of [`BankNames`], so the service matches against what the table holds now.

use crate::text::fold_key;

/// One bank to seed: its NAPAS BIN, its short name and what officers call it.
pub struct SeedBank {
    /// The 6-digit NAPAS BIN ("970436").
    pub bin: &'static str,
    /// The short name bank files print ("Vietcombank").
    pub short_name: &'static str,
    /// The full Vietnamese name.
    pub name: &'static str,
    /// Other names officers type, besides the short and full names and the BIN.
    pub synonyms: &'static [&'static str],
}

const fn bank(
    bin: &'static str,
    short_name: &'static str,
    name: &'static str,
    synonyms: &'static [&'static str],
) -> SeedBank {
    SeedBank {
        bin,
        short_name,
        name,
        synonyms,
    }
}

/// The banks wards' recipients hold accounts with (the public NAPAS list, DOMAIN.md "How the
/// state's gifts are paid"). Seed data: editable once in the database.
pub const BANKS: &[SeedBank] = &[
    bank(
        "970436",
        "Vietcombank",
        "Ngân hàng TMCP Ngoại thương Việt Nam",
        &["VCB", "NH Ngoại thương", "Ngoại thương"],
    ),
    bank(
        "970415",
        "VietinBank",
        "Ngân hàng TMCP Công thương Việt Nam",
        &["CTG", "ICB", "NH Công thương", "Công thương"],
    ),
    bank(
        "970418",
        "BIDV",
        "Ngân hàng TMCP Đầu tư và Phát triển Việt Nam",
        &["NH Đầu tư và Phát triển", "Đầu tư và Phát triển"],
    ),
    bank(
        "970405",
        "Agribank",
        "Ngân hàng Nông nghiệp và Phát triển Nông thôn Việt Nam",
        &["VBA", "NH Nông nghiệp", "Nông nghiệp"],
    ),
    bank(
        "970416",
        "ACB",
        "Ngân hàng TMCP Á Châu",
        &["NH Á Châu", "Á Châu"],
    ),
    bank(
        "970441",
        "VIB",
        "Ngân hàng TMCP Quốc tế Việt Nam",
        &["NH Quốc tế", "Quốc tế"],
    ),
    bank(
        "970454",
        "Bản Việt",
        "Ngân hàng TMCP Bản Việt",
        &["BVBank", "Viet Capital Bank", "NH Bản Việt"],
    ),
    bank(
        "970407",
        "Techcombank",
        "Ngân hàng TMCP Kỹ thương Việt Nam",
        &["TCB", "NH Kỹ thương", "Kỹ thương"],
    ),
    bank(
        "970422",
        "MB",
        "Ngân hàng TMCP Quân đội",
        &["MBBank", "MB Bank", "NH Quân đội", "Quân đội"],
    ),
    bank(
        "970432",
        "VPBank",
        "Ngân hàng TMCP Việt Nam Thịnh Vượng",
        &["VPB", "NH Việt Nam Thịnh Vượng"],
    ),
    bank(
        "970403",
        "Sacombank",
        "Ngân hàng TMCP Sài Gòn Thương Tín",
        &["STB", "NH Sài Gòn Thương Tín", "Sài Gòn Thương Tín"],
    ),
    bank(
        "970423",
        "TPBank",
        "Ngân hàng TMCP Tiên Phong",
        &["TPB", "NH Tiên Phong", "Tiên Phong"],
    ),
    bank(
        "970437",
        "HDBank",
        "Ngân hàng TMCP Phát triển Thành phố Hồ Chí Minh",
        &["HDB", "NH Phát triển TP.HCM"],
    ),
    bank(
        "970443",
        "SHB",
        "Ngân hàng TMCP Sài Gòn – Hà Nội",
        &["NH Sài Gòn Hà Nội", "Sài Gòn Hà Nội"],
    ),
    bank(
        "970448",
        "OCB",
        "Ngân hàng TMCP Phương Đông",
        &["NH Phương Đông", "Phương Đông"],
    ),
    bank(
        "970426",
        "MSB",
        "Ngân hàng TMCP Hàng Hải Việt Nam",
        &["Maritime Bank", "NH Hàng Hải", "Hàng Hải"],
    ),
    bank(
        "970431",
        "Eximbank",
        "Ngân hàng TMCP Xuất Nhập khẩu Việt Nam",
        &["EIB", "NH Xuất Nhập khẩu", "Xuất Nhập khẩu"],
    ),
    bank("970429", "SCB", "Ngân hàng TMCP Sài Gòn", &["NH Sài Gòn"]),
    bank(
        "970440",
        "SeABank",
        "Ngân hàng TMCP Đông Nam Á",
        &["SSB", "NH Đông Nam Á", "Đông Nam Á"],
    ),
    bank(
        "970449",
        "LPBank",
        "Ngân hàng TMCP Lộc Phát Việt Nam",
        &["LienVietPostBank", "Bưu điện Liên Việt", "NH Lộc Phát"],
    ),
];

/// What a bank is matched by: the stored row's BIN, names and synonyms.
pub trait BankNames {
    /// The 6-digit NAPAS BIN.
    fn bin(&self) -> &str;
    /// Every name of the bank: short name, full name and synonyms.
    fn names(&self) -> Vec<&str>;
}

impl BankNames for SeedBank {
    fn bin(&self) -> &str {
        self.bin
    }

    fn names(&self) -> Vec<&str> {
        let mut names = vec![self.short_name, self.name];
        names.extend(self.synonyms.iter().copied());
        names
    }
}

/// The folded form of a bank name: lowercase without diacritics, spaces, dots and dashes,
/// with a leading "ngân hàng" / "NH" / "TMCP" dropped, so "NH Ngoại thương", "Ngoại Thương"
/// and "ngoai-thuong" meet.
pub fn bank_key(text: &str) -> String {
    let folded = fold_key(text);
    let mut rest = folded.as_str().trim();
    loop {
        let before = rest;
        for prefix in ["ngan hang ", "nh ", "nh.", "tmcp ", "thuong mai co phan "] {
            if let Some(stripped) = rest.strip_prefix(prefix) {
                rest = stripped.trim_start();
            }
        }
        if rest == before {
            break;
        }
    }
    rest.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// The bank `text` names, by BIN or by one of its names, exactly after folding: never a
/// guess between two banks. `None` when nothing or more than one bank matches.
pub fn match_bank<'a, B: BankNames>(text: &str, banks: &'a [B]) -> Option<&'a B> {
    let digits: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit()) {
        return banks.iter().find(|b| b.bin() == digits);
    }
    let key = bank_key(text);
    if key.is_empty() {
        return None;
    }
    let mut found = banks
        .iter()
        .filter(|b| b.names().iter().any(|name| bank_key(name) == key));
    let first = found.next()?;
    match found.next() {
        Some(_) => None,
        None => Some(first),
    }
}

/// A holder's name as bank files write it: capitals without diacritics ("NGUYỄN THỊ ĐÀO" →
/// "NGUYEN THI DAO"), one space between words.
pub fn holder_name_ascii(name: &str) -> String {
    ascii_fold(name).to_uppercase()
}

/// `text` with Vietnamese diacritics removed ("đ" → "d"), spaces collapsed and every other
/// non-ASCII character dropped: what a bank's transfer description accepts.
pub fn ascii_fold(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.nfd() {
        let c = match c {
            'đ' => 'd',
            'Đ' => 'D',
            c => c,
        };
        if c.is_whitespace() {
            space = !out.is_empty();
        } else if c.is_ascii() && !c.is_ascii_control() {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    out
}

/// Keeps only the last 4 digits of an account number, as pages and exports show it to
/// anyone who does not pay: "0071000123456" → "*********3456".
pub fn mask_account(number: &str) -> String {
    let n = number.chars().count();
    number
        .chars()
        .enumerate()
        .map(|(i, c)| if i + 4 < n { '*' } else { c })
        .collect()
}

/// Why a typed account number cannot be kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountNumberProblem {
    /// It holds something other than digits (after spaces, dots and dashes are removed).
    NotDigits,
    /// Shorter than 6 or longer than 19 digits: no Vietnamese bank issues such a number.
    WrongLength(usize),
}

impl AccountNumberProblem {
    /// The message a ward officer reads.
    pub fn message(&self) -> String {
        match self {
            Self::NotDigits => "Số tài khoản chỉ gồm chữ số.".to_owned(),
            Self::WrongLength(n) => {
                format!("Số tài khoản có {n} chữ số; số tài khoản ngân hàng có từ 6 đến 19 chữ số.")
            }
        }
    }
}

/// Parses an account number typed as text, keeping its leading zeros: spaces, dots, dashes
/// and Excel's leading apostrophe are dropped. `Ok(None)` for an empty cell.
pub fn parse_account_number(text: &str) -> Result<Option<String>, AccountNumberProblem> {
    let digits = crate::identity::typed_digits(text);
    if digits.is_empty() {
        return Ok(None);
    }
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AccountNumberProblem::NotDigits);
    }
    if !(6..=19).contains(&digits.len()) {
        return Err(AccountNumberProblem::WrongLength(digits.len()));
    }
    Ok(Some(digits))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bin_of(text: &str) -> Option<&'static str> {
        match_bank(text, BANKS).map(|b| b.bin)
    }

    #[test]
    fn banks_are_found_by_what_officers_type() {
        assert_eq!(bin_of("VCB"), Some("970436"));
        assert_eq!(bin_of("Vietcombank"), Some("970436"));
        assert_eq!(bin_of("NH Ngoại thương"), Some("970436"));
        assert_eq!(bin_of("ngân hàng ngoai thuong"), Some("970436"));
        assert_eq!(bin_of("970415"), Some("970415"));
        assert_eq!(bin_of("Agribank"), Some("970405"));
        assert_eq!(bin_of("BVBank"), Some("970454"));
        assert_eq!(bin_of("Ngân hàng Bản Việt"), Some("970454"));
        assert_eq!(bin_of("Ngân hàng nào đó"), None);
        assert_eq!(bin_of(""), None);
        assert_eq!(bin_of("999999"), None);
    }

    #[test]
    fn every_seeded_bank_has_a_six_digit_bin_of_its_own() {
        let mut bins: Vec<&str> = BANKS.iter().map(|b| b.bin).collect();
        assert!(bins.iter().all(|b| b.len() == 6 && b.starts_with("970")));
        bins.sort_unstable();
        bins.dedup();
        assert_eq!(bins.len(), BANKS.len());
        // No name of one bank is a name of another: matching never has to choose.
        for bank in BANKS {
            for name in bank.names() {
                assert_eq!(bin_of(name), Some(bank.bin), "{name}");
            }
        }
    }

    #[test]
    fn holder_names_are_capitals_without_diacritics() {
        assert_eq!(holder_name_ascii("Nguyễn Thị  Đào"), "NGUYEN THI DAO");
        assert_eq!(holder_name_ascii("Trần Văn Ẩn"), "TRAN VAN AN");
        assert_eq!(ascii_fold("Quà Tết – 2026"), "Qua Tet 2026");
    }

    #[test]
    fn account_numbers_keep_leading_zeros_and_mask_to_four_digits() {
        assert_eq!(
            parse_account_number("'0071 0001 23456"),
            Ok(Some("0071000123456".to_owned()))
        );
        assert_eq!(parse_account_number(""), Ok(None));
        assert_eq!(
            parse_account_number("12ab56"),
            Err(AccountNumberProblem::NotDigits)
        );
        assert_eq!(
            parse_account_number("123"),
            Err(AccountNumberProblem::WrongLength(3))
        );
        assert_eq!(mask_account("0071000123456"), "*********3456");
    }
}
