//! Reading one cell's value the ways wards write it: amounts as numbers or "600.000đ",
//! birth dates as Excel dates, "dd/mm/yyyy" or a bare year, gender words.

use super::workbook::CellKind;
use chamlo_vn::identity::Gender;
use chamlo_vn::text::fold_key;
use chrono::NaiveDate;

/// Why an amount cell is not an amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AmountProblem {
    /// Not a number at all.
    NotANumber,
    /// Below zero (the value read).
    Negative(i64),
    /// Has a fraction of a đồng.
    Fractional,
}

/// Parses an amount in đồng: numbers, or text such as "600.000", "600.000đ", "600,000",
/// "1.200.000 đồng", "600000 VNĐ".
pub(crate) fn parse_amount(text: &str, kind: CellKind) -> Result<i64, AmountProblem> {
    let t = text.trim();
    if kind == CellKind::Number {
        let v: f64 = t.parse().map_err(|_| AmountProblem::NotANumber)?;
        if v.fract() != 0.0 {
            return Err(AmountProblem::Fractional);
        }
        if v.abs() > 1e15 {
            return Err(AmountProblem::NotANumber);
        }
        if v < 0.0 {
            return Err(AmountProblem::Negative(v as i64));
        }
        return Ok(v as i64);
    }
    let folded = fold_key(t);
    let mut s = folded.as_str().trim();
    for unit in ["vnd", "dong", "d", "vn", "đ"] {
        if let Some(rest) = s.strip_suffix(unit) {
            s = rest.trim_end();
            break;
        }
    }
    let negative = s.starts_with('-') || (s.starts_with('(') && s.ends_with(')'));
    let s = s.trim_start_matches(['-', '(', '+']).trim_end_matches(')');
    if s.is_empty() {
        return Err(AmountProblem::NotANumber);
    }
    // Decimal part: ",00" / ".00" at the end with fewer than 3 digits.
    let (int_part, frac_part) = match s.rfind(['.', ',']) {
        Some(p) if s.len() - p - 1 < 3 => (&s[..p], &s[p + 1..]),
        _ => (s, ""),
    };
    if !frac_part.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AmountProblem::NotANumber);
    }
    let mut digits = String::with_capacity(int_part.len());
    for (i, group) in int_part.split(['.', ',', ' ']).enumerate() {
        let ok = !group.is_empty()
            && group.bytes().all(|b| b.is_ascii_digit())
            && (i == 0 || group.len() == 3);
        if !ok {
            return Err(AmountProblem::NotANumber);
        }
        digits.push_str(group);
    }
    let v: i64 = digits.parse().map_err(|_| AmountProblem::NotANumber)?;
    if frac_part.bytes().any(|b| b != b'0') {
        return Err(AmountProblem::Fractional);
    }
    if negative && v > 0 {
        return Err(AmountProblem::Negative(-v));
    }
    Ok(v)
}

/// A birth date or year read from a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Birth {
    pub year: i32,
    pub date: Option<NaiveDate>,
}

/// Parses a birth year: an Excel date, "dd/mm/yyyy" (also with - or .), "mm/yyyy",
/// "yyyy-mm-dd" or a bare year. `None` when it is none of those.
pub(crate) fn parse_birth(text: &str, kind: CellKind) -> Option<Birth> {
    let t = text.trim();
    if kind == CellKind::Number {
        let v: f64 = t.parse().ok()?;
        if v.fract() == 0.0 && (0.0..10000.0).contains(&v) {
            return Some(Birth {
                year: v as i32,
                date: None,
            });
        }
        return None;
    }
    // Excel dates were written dd/mm/yyyy [hh:mm]; keep the date part.
    let t = t.split_whitespace().next().unwrap_or("");
    let parts: Vec<&str> = t.split(['/', '-', '.']).collect();
    let num = |s: &str| -> Option<i32> {
        (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    match parts.as_slice() {
        [y] if y.len() == 4 => Some(Birth {
            year: num(y)?,
            date: None,
        }),
        [m, y] if y.len() == 4 && m.len() <= 2 => {
            let month = num(m)?;
            (1..=12).contains(&month).then_some(Birth {
                year: num(y)?,
                date: None,
            })
        }
        [y, m, d] if y.len() == 4 => date(num(y)?, num(m)?, num(d)?),
        [d, m, y] if y.len() == 4 && d.len() <= 2 && m.len() <= 2 => {
            date(num(y)?, num(m)?, num(d)?)
        }
        _ => None,
    }
}

fn date(y: i32, m: i32, d: i32) -> Option<Birth> {
    let date = NaiveDate::from_ymd_opt(y, u32::try_from(m).ok()?, u32::try_from(d).ok()?)?;
    Some(Birth {
        year: y,
        date: Some(date),
    })
}

/// Reads a gender word: "Nam", "Nữ" (with or without marks), "M"/"F", "x" is not a gender.
pub(crate) fn parse_gender(text: &str) -> Option<Gender> {
    match fold_key(text).trim_end_matches('.') {
        "nam" | "m" | "male" | "trai" | "ong" => Some(Gender::Male),
        "nu" | "f" | "female" | "gai" | "ba" => Some(Gender::Female),
        _ => None,
    }
}

/// Whether a cell is a tick ("x", "✓") in a Nam/Nữ column used as a checkbox.
pub(crate) fn is_tick(text: &str) -> bool {
    matches!(
        text.trim(),
        "x" | "X" | "✓" | "✔" | "v" | "V" | "1" | "*" | "+"
    )
}

/// Parses a whole number such as a household size ("4", "4 người", "4.0").
pub(crate) fn parse_count(text: &str, kind: CellKind) -> Option<i32> {
    let t = text.trim();
    if kind == CellKind::Number {
        let v: f64 = t.parse().ok()?;
        return (v.fract() == 0.0 && (0.0..100_000.0).contains(&v)).then_some(v as i32);
    }
    let first = t.split_whitespace().next()?;
    first.parse().ok().filter(|n: &i32| *n >= 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_from_numbers_and_text() {
        assert_eq!(parse_amount("600000", CellKind::Number), Ok(600_000));
        assert_eq!(parse_amount("600.000", CellKind::Text), Ok(600_000));
        assert_eq!(parse_amount("600.000đ", CellKind::Text), Ok(600_000));
        assert_eq!(parse_amount("600,000", CellKind::Text), Ok(600_000));
        assert_eq!(
            parse_amount("1.200.000 đồng", CellKind::Text),
            Ok(1_200_000)
        );
        assert_eq!(parse_amount("600000 VNĐ", CellKind::Text), Ok(600_000));
        assert_eq!(parse_amount("600 000", CellKind::Text), Ok(600_000));
        assert_eq!(parse_amount("1.200.000,00", CellKind::Text), Ok(1_200_000));
    }

    #[test]
    fn bad_amounts_are_told_apart() {
        assert_eq!(
            parse_amount("sáu trăm", CellKind::Text),
            Err(AmountProblem::NotANumber)
        );
        assert_eq!(
            parse_amount("-5000", CellKind::Number),
            Err(AmountProblem::Negative(-5000))
        );
        assert_eq!(
            parse_amount("-600.000", CellKind::Text),
            Err(AmountProblem::Negative(-600_000))
        );
        assert_eq!(
            parse_amount("600.5", CellKind::Number),
            Err(AmountProblem::Fractional)
        );
        assert_eq!(
            parse_amount("60.00.00", CellKind::Text),
            Err(AmountProblem::NotANumber)
        );
    }

    #[test]
    fn birth_from_year_date_text_and_excel_date() {
        let b = |t, k| parse_birth(t, k);
        assert_eq!(b("1948", CellKind::Number).map(|b| b.year), Some(1948));
        assert_eq!(b("1948", CellKind::Text).map(|b| b.year), Some(1948));
        let d = b("05/03/1950", CellKind::Text).unwrap();
        assert_eq!(d.year, 1950);
        assert_eq!(d.date, NaiveDate::from_ymd_opt(1950, 3, 5));
        assert_eq!(
            b("5-3-1950", CellKind::Text).and_then(|b| b.date),
            NaiveDate::from_ymd_opt(1950, 3, 5)
        );
        assert_eq!(
            b("02/01/1962", CellKind::Date).and_then(|b| b.date),
            NaiveDate::from_ymd_opt(1962, 1, 2)
        );
        assert_eq!(b("31/02/1950", CellKind::Text), None);
        assert_eq!(b("khoảng 1950", CellKind::Text), None);
        assert_eq!(b("5/3/50", CellKind::Text), None);
    }

    #[test]
    fn gender_words() {
        assert_eq!(parse_gender("Nam"), Some(Gender::Male));
        assert_eq!(parse_gender("NỮ"), Some(Gender::Female));
        assert_eq!(parse_gender("nu"), Some(Gender::Female));
        assert_eq!(parse_gender("x"), None);
    }
}
