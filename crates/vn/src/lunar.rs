//! Names of a Tết campaign: the Can Chi of its lunar year, its title and slugs.
//!
//! A campaign is named after the lunar year that begins at its Tết: the Tết that falls in
//! February 2021 opens the year Tân Sửu, so the 2021 campaign is "Tết Nguyên đán Tân Sửu 2021".

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Heavenly stems, indexed by `year % 10`.
const STEMS: [&str; 10] = [
    "Canh", "Tân", "Nhâm", "Quý", "Giáp", "Ất", "Bính", "Đinh", "Mậu", "Kỷ",
];

/// Earthly branches, indexed by `year % 12`.
const BRANCHES: [&str; 12] = [
    "Thân", "Dậu", "Tuất", "Hợi", "Tý", "Sửu", "Dần", "Mão", "Thìn", "Tỵ", "Ngọ", "Mùi",
];

/// The Can Chi name of the lunar year that starts at the Tết of Gregorian `year`:
/// 2021 → "Tân Sửu", 2026 → "Bính Ngọ".
pub fn can_chi(year: i32) -> String {
    // rem_euclid keeps years before 0 on the same 10/12 cycles instead of indexing negatively.
    let stem = STEMS[year.rem_euclid(10) as usize];
    let branch = BRANCHES[year.rem_euclid(12) as usize];
    format!("{stem} {branch}")
}

/// The lunar year with its Gregorian year, as it stands in titles: "Tân Sửu 2021".
pub fn lunar_year_label(year: i32) -> String {
    format!("{} {year}", can_chi(year))
}

/// The campaign's title: "Tết Nguyên đán Tân Sửu 2021".
pub fn tet_title(year: i32) -> String {
    format!("Tết Nguyên đán {}", lunar_year_label(year))
}

/// A short, stable identifier for the campaign of a year, for URLs and file names: "tet-2021".
pub fn campaign_slug(year: i32) -> String {
    format!("tet-{year}")
}

/// Vietnamese text as a lower-case ASCII slug for URLs and file names:
/// "Tết Nguyên đán Tân Sửu 2021" → "tet-nguyen-dan-tan-suu-2021".
///
/// Diacritics are dropped ("đ" becomes "d"), every run of other characters becomes one
/// hyphen, and there is no hyphen at either end. Letters outside Latin are dropped too, so
/// a text without any Latin letter or digit gives an empty slug.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut pending_hyphen = false;
    for c in text.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        let c = match c {
            'đ' | 'Đ' => 'd',
            other => other.to_ascii_lowercase(),
        };
        if c.is_ascii_alphanumeric() {
            if pending_hyphen && !slug.is_empty() {
                slug.push('-');
            }
            pending_hyphen = false;
            slug.push(c);
        } else {
            pending_hyphen = true;
        }
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn can_chi_matches_known_years() {
        let cases = [
            (2020, "Canh Tý"),
            (2021, "Tân Sửu"),
            (2022, "Nhâm Dần"),
            (2023, "Quý Mão"),
            (2024, "Giáp Thìn"),
            (2025, "Ất Tỵ"),
            (2026, "Bính Ngọ"),
            (2027, "Đinh Mùi"),
            (1945, "Ất Dậu"),
            (1975, "Ất Mão"),
            (1984, "Giáp Tý"),
        ];
        for (year, expected) in cases {
            assert_eq!(can_chi(year), expected, "{year}");
        }
    }

    #[test]
    fn can_chi_does_not_panic_on_any_year() {
        for year in [i32::MIN, -1, 0, 1, i32::MAX] {
            assert!(!can_chi(year).is_empty());
        }
    }

    #[test]
    fn titles_and_slugs() {
        assert_eq!(lunar_year_label(2021), "Tân Sửu 2021");
        assert_eq!(tet_title(2021), "Tết Nguyên đán Tân Sửu 2021");
        assert_eq!(tet_title(2026), "Tết Nguyên đán Bính Ngọ 2026");
        assert_eq!(campaign_slug(2021), "tet-2021");
        assert_eq!(slugify(&tet_title(2021)), "tet-nguyen-dan-tan-suu-2021");
        assert_eq!(
            slugify("  Phường Tăng Nhơn Phú A / Quận 9 "),
            "phuong-tang-nhon-phu-a-quan-9"
        );
        assert_eq!(slugify("ĐƯỜNG Ưu Đàm -- Ấp Ổi"), "duong-uu-dam-ap-oi");
        assert_eq!(slugify("---"), "");
        assert_eq!(slugify(""), "");
    }

    #[test]
    fn slugify_accepts_decomposed_input() {
        let nfd: String = "Tết Nguyên đán".nfd().collect();
        assert_eq!(slugify(&nfd), "tet-nguyen-dan");
    }
}
