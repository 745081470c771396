//! Personal identification numbers (CCCD and CMND): parsing what wards type, restoring the
//! leading zero a numeric cell loses, the CCCD's birth-year and gender cross-check, and a
//! masked form for anything that may be logged.

#[cfg(feature = "sea-orm")]
use sea_orm::sea_query::StringLen;
use serde::{Serialize, Serializer};
use std::fmt;

/// A person's gender as lists record it, and as `people.gender` stores it (`male`, `female`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "sea-orm",
    derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter)
)]
#[cfg_attr(
    feature = "sea-orm",
    sea_orm(rs_type = "String", db_type = "String(StringLen::None)")
)]
pub enum Gender {
    /// Nam.
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "male"))]
    Male,
    /// Nữ.
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "female"))]
    Female,
}

impl Gender {
    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Gender::Male => "male",
            Gender::Female => "female",
        }
    }

    /// The Vietnamese word for messages and printed lists.
    pub fn label(self) -> &'static str {
        match self {
            Gender::Male => "Nam",
            Gender::Female => "Nữ",
        }
    }
}

/// Which kind of number a [`NationalId`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum IdKind {
    /// 12-digit căn cước công dân / số định danh cá nhân.
    Cccd,
    /// 9-digit chứng minh nhân dân (still valid where recorded).
    Cmnd,
}

/// A well-formed CCCD (12 digits) or CMND (9 digits).
///
/// `Debug` prints the masked form so that an ID never reaches a log by accident;
/// serialisation gives the full number because exports and the import preview need it.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NationalId(String);

impl NationalId {
    /// The digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// CCCD or CMND, by length.
    pub fn kind(&self) -> IdKind {
        if self.0.len() == 12 {
            IdKind::Cccd
        } else {
            IdKind::Cmnd
        }
    }

    /// The form for display in logs and shared screens: only the last 3 digits are shown
    /// ("*********123").
    pub fn masked(&self) -> String {
        mask_id(&self.0)
    }

    /// What the CCCD's digits 4–6 say about its holder, or `None` for a CMND.
    pub fn cccd_birth_info(&self) -> Option<CccdBirthInfo> {
        if self.kind() != IdKind::Cccd {
            return None;
        }
        let b = self.0.as_bytes();
        let d4 = i32::from(b[3] - b'0');
        let yy = i32::from(b[4] - b'0') * 10 + i32::from(b[5] - b'0');
        Some(CccdBirthInfo {
            gender: if d4 % 2 == 0 {
                Gender::Male
            } else {
                Gender::Female
            },
            birth_year: 1900 + (d4 / 2) * 100 + yy,
        })
    }
}

impl fmt::Debug for NationalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "NationalId({})", self.masked())
    }
}

impl Serialize for NationalId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// Masks any ID-like text, keeping only its last 3 characters.
pub fn mask_id(id: &str) -> String {
    let n = id.chars().count();
    id.chars()
        .enumerate()
        .map(|(i, c)| if i + 3 < n { '*' } else { c })
        .collect()
}

/// What a CCCD's digit 4 (century and gender) and digits 5–6 (year) encode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CccdBirthInfo {
    /// Even digit 4: male; odd: female.
    pub gender: Gender,
    /// Century from digit 4 (0–1: 1900s, 2–3: 2000s, …) plus digits 5–6.
    pub birth_year: i32,
}

/// Why a typed ID is not a CCCD or CMND.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdProblem {
    /// It holds something other than digits (after spaces, dots and dashes are removed).
    NotDigits,
    /// It has this many digits, neither 9 nor 12.
    WrongLength(usize),
}

/// A number typed as text (an ID, an account number) without what people put between its
/// digits: spaces, dots, dashes, underscores and a leading apostrophe (Excel's "store as
/// text" mark). Whatever else is left, letters included, is kept for the caller to refuse.
pub fn typed_digits(text: &str) -> String {
    text.trim()
        .trim_start_matches('\'')
        .chars()
        .filter(|c| !(c.is_whitespace() || matches!(c, '.' | '-' | '_')))
        .collect()
}

/// Parses an ID typed as text: spaces, dots, dashes and a leading apostrophe (Excel's
/// "store as text" mark) are ignored. `Ok(None)` for an empty cell.
pub fn parse_national_id(text: &str) -> Result<Option<NationalId>, IdProblem> {
    let digits = typed_digits(text);
    if digits.is_empty() {
        return Ok(None);
    }
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(IdProblem::NotDigits);
    }
    match digits.len() {
        9 | 12 => Ok(Some(NationalId(digits))),
        n => Err(IdProblem::WrongLength(n)),
    }
}

/// Restores the text of an ID that Excel stored as a number: an 11-digit number is a CCCD
/// whose leading 0 was dropped (79048000123 → 079048000123). Other numbers are returned as
/// their digits, for [`parse_national_id`] to judge.
pub fn restore_numeric_id(digits: &str) -> String {
    if digits.len() == 11 && digits.bytes().all(|b| b.is_ascii_digit()) {
        format!("0{digits}")
    } else {
        digits.to_owned()
    }
}

/// A contradiction between a CCCD and the row it is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CccdMismatch {
    /// Digits 4–6 give this birth year, the row another.
    BirthYear {
        /// Year encoded in the CCCD.
        from_id: i32,
        /// Year on the row.
        on_row: i32,
    },
    /// Digit 4 gives this gender, the row the other.
    Gender {
        /// Gender encoded in the CCCD.
        from_id: Gender,
        /// Gender on the row.
        on_row: Gender,
    },
}

/// Checks a CCCD's birth-year and gender digits against the row's values (a CMND or a
/// missing value checks nothing).
pub fn cross_check_cccd(
    id: &NationalId,
    birth_year: Option<i32>,
    gender: Option<Gender>,
) -> Vec<CccdMismatch> {
    let mut out = Vec::new();
    let Some(info) = id.cccd_birth_info() else {
        return out;
    };
    if let Some(y) = birth_year
        && y != info.birth_year
    {
        out.push(CccdMismatch::BirthYear {
            from_id: info.birth_year,
            on_row: y,
        });
    }
    if let Some(g) = gender
        && g != info.gender
    {
        out.push(CccdMismatch::Gender {
            from_id: info.gender,
            on_row: g,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twelve_and_nine_digit_ids_parse_and_others_do_not() {
        let id = parse_national_id(" 079 048 000 123 ").unwrap().unwrap();
        assert_eq!(id.as_str(), "079048000123");
        assert_eq!(id.kind(), IdKind::Cccd);
        let cmnd = parse_national_id("'023456789").unwrap().unwrap();
        assert_eq!(cmnd.kind(), IdKind::Cmnd);
        assert_eq!(parse_national_id(""), Ok(None));
        assert_eq!(
            parse_national_id("07904800012"),
            Err(IdProblem::WrongLength(11))
        );
        assert_eq!(parse_national_id("07904800O123"), Err(IdProblem::NotDigits));
    }

    #[test]
    fn an_eleven_digit_number_regains_its_leading_zero() {
        assert_eq!(restore_numeric_id("79048000123"), "079048000123");
        assert_eq!(restore_numeric_id("23456789"), "23456789");
        assert_eq!(restore_numeric_id("123456789"), "123456789");
    }

    #[test]
    fn cccd_digits_give_century_gender_and_year() {
        let id = |s: &str| parse_national_id(s).unwrap().unwrap();
        let male_1948 = id("079048000123").cccd_birth_info().unwrap();
        assert_eq!(male_1948.gender, Gender::Male);
        assert_eq!(male_1948.birth_year, 1948);
        let female_1955 = id("079155000123").cccd_birth_info().unwrap();
        assert_eq!(female_1955.gender, Gender::Female);
        assert_eq!(female_1955.birth_year, 1955);
        let female_2003 = id("079303000123").cccd_birth_info().unwrap();
        assert_eq!(female_2003.birth_year, 2003);
        assert_eq!(female_2003.gender, Gender::Female);
        assert_eq!(id("023456789").cccd_birth_info(), None);
    }

    #[test]
    fn cross_check_reports_each_contradiction() {
        let id = parse_national_id("079048000123").unwrap().unwrap();
        assert!(cross_check_cccd(&id, Some(1948), Some(Gender::Male)).is_empty());
        assert_eq!(
            cross_check_cccd(&id, Some(1949), Some(Gender::Female)),
            vec![
                CccdMismatch::BirthYear {
                    from_id: 1948,
                    on_row: 1949
                },
                CccdMismatch::Gender {
                    from_id: Gender::Male,
                    on_row: Gender::Female
                }
            ]
        );
    }

    #[test]
    fn debug_output_never_shows_the_full_id() {
        let id = parse_national_id("079048000123").unwrap().unwrap();
        assert_eq!(format!("{id:?}"), "NationalId(*********123)");
        assert_eq!(id.masked(), "*********123");
    }
}
