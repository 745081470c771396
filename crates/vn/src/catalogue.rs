//! The catalogue of beneficiary categories (đối tượng) and how the free text wards type in a
//! "Đối tượng" column or a section heading is resolved to one of them.

use crate::text::fold_key;
#[cfg(feature = "sea-orm")]
use sea_orm::sea_query::StringLen;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;

/// Merit (người có công and relatives) or hardship, as `categories.kind` stores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "sea-orm",
    derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter)
)]
#[cfg_attr(
    feature = "sea-orm",
    sea_orm(rs_type = "String", db_type = "String(StringLen::None)")
)]
pub enum CategoryKind {
    /// Người có công với cách mạng and their relatives.
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "merit"))]
    Merit,
    /// Poor and near-poor households, social assistance, other hardship.
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "hardship"))]
    Hardship,
}

impl CategoryKind {
    /// Parses the stored form (`merit` / `hardship`), as the category form sends it.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "merit" => Some(CategoryKind::Merit),
            "hardship" => Some(CategoryKind::Hardship),
            _ => None,
        }
    }

    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            CategoryKind::Merit => "merit",
            CategoryKind::Hardship => "hardship",
        }
    }

    /// The Vietnamese name of the kind, as the catalogue page shows it.
    pub fn label(self) -> &'static str {
        match self {
            CategoryKind::Merit => "Người có công",
            CategoryKind::Hardship => "Hoàn cảnh khó khăn",
        }
    }
}

/// One category of beneficiary as the catalogue holds it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Category {
    /// Short stable code ("TNLS", "HN").
    pub code: String,
    /// Vietnamese name printed on lists.
    pub name: String,
    /// Merit or hardship.
    pub kind: CategoryKind,
    /// Higher ranks win under "one gift per person at the highest level".
    pub rank: i32,
    /// Gifts of this category go to a household.
    pub per_household: bool,
    /// Health or HIV status: never printed or exported.
    pub sensitive: bool,
    /// What wards type instead of the name.
    pub synonyms: Vec<String>,
}

/// The categories with an index from every name, code and synonym to its category.
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    categories: Vec<Arc<Category>>,
    by_key: HashMap<String, usize>,
    /// Word sequences of the longer synonyms, for finding a category inside a heading.
    heading_phrases: Vec<(Vec<String>, usize)>,
}

impl Catalogue {
    /// Builds the catalogue; earlier categories win when two share a synonym.
    pub fn new(categories: Vec<Category>) -> Self {
        let mut by_key = HashMap::new();
        let mut heading_phrases = Vec::new();
        for (i, c) in categories.iter().enumerate() {
            let texts = std::iter::once(&c.name)
                .chain(std::iter::once(&c.code))
                .chain(c.synonyms.iter());
            for t in texts {
                let key = match_key(t);
                if !key.is_empty() {
                    by_key.entry(key).or_insert(i);
                }
                let words = words(t);
                let len: usize = words.iter().map(|w| w.len()).sum();
                // Short abbreviations ("LS", "HN", "TB") are too ambiguous inside a sentence.
                if len >= 4 && !(words.len() == 1 && len < 5 && t.chars().all(char::is_uppercase)) {
                    heading_phrases.push((words, i));
                }
            }
        }
        // Longest phrase first, so "hộ cận nghèo" wins over "nghèo".
        heading_phrases
            .sort_by_key(|(w, _)| std::cmp::Reverse(w.iter().map(|s| s.len() + 1).sum::<usize>()));
        Catalogue {
            categories: categories.into_iter().map(Arc::new).collect(),
            by_key,
            heading_phrases,
        }
    }

    /// All categories, in catalogue order.
    pub fn categories(&self) -> &[Arc<Category>] {
        &self.categories
    }

    /// The category with this code.
    pub fn by_code(&self, code: &str) -> Option<&Arc<Category>> {
        self.categories.iter().find(|c| c.code == code)
    }

    /// Resolves what a ward typed in a category cell ("TB 2/4", "tb2/4", "Hộ nghèo.",
    /// "CĐHH") by name, code or synonym, ignoring case, diacritics, spacing and punctuation.
    pub fn resolve(&self, text: &str) -> Option<&Arc<Category>> {
        let key = match_key(text);
        if key.is_empty() {
            return None;
        }
        self.by_key.get(&key).map(|&i| &self.categories[i])
    }

    /// Resolves a section heading ("II. HỘ CẬN NGHÈO", "THÂN NHÂN LIỆT SĨ:") to the category
    /// it names, if it names exactly one; a generic heading ("NGƯỜI CÓ CÔNG VỚI CÁCH MẠNG")
    /// gives `None`.
    pub fn resolve_heading(&self, text: &str) -> Option<&Arc<Category>> {
        let mut ws = words(text);
        // Drop an enumerator: "I.", "II -", "1.", "a)", "Phần II".
        if ws.first().is_some_and(|w| w == "phan" || w == "muc") && ws.len() > 1 {
            ws.remove(0);
        }
        if ws.first().is_some_and(|w| is_enumerator(w)) && ws.len() > 1 {
            ws.remove(0);
        }
        let joined: String = ws.concat();
        if let Some(&i) = self.by_key.get(&joined) {
            return Some(&self.categories[i]);
        }
        self.heading_phrases
            .iter()
            .find(|(phrase, _)| ws.windows(phrase.len()).any(|w| w == phrase.as_slice()))
            .map(|&(_, i)| &self.categories[i])
    }
}

/// Roman numerals, digits and single letters used to number sections.
fn is_enumerator(w: &str) -> bool {
    const ROMAN: &[&str] = &[
        "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii",
    ];
    ROMAN.contains(&w)
        || (w.len() <= 3 && w.bytes().all(|b| b.is_ascii_digit()))
        || (w.len() == 1 && w.bytes().all(|b| b.is_ascii_lowercase()))
}

/// The key a category text is matched by: [`fold_key`] keeping only letters, digits, `/`
/// and `%`, so "TB 2/4", "TB2/4" and "tb 2/4." meet.
pub fn match_key(text: &str) -> String {
    fold_key(text)
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '/' | '%'))
        .collect()
}

/// The folded words of a text, punctuation dropped and text in parentheses ignored.
fn words(text: &str) -> Vec<String> {
    let folded = fold_key(text);
    let mut depth = 0u32;
    let mut cleaned = String::with_capacity(folded.len());
    for c in folded.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            c if c.is_alphanumeric() || matches!(c, '/' | '%') => cleaned.push(c),
            _ => cleaned.push(' '),
        }
    }
    cleaned.split_whitespace().map(str::to_owned).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed::seed_catalogue;

    fn code(c: Option<&Arc<Category>>) -> Option<&str> {
        c.map(|c| c.code.as_str())
    }

    #[test]
    fn synonyms_resolve_without_case_diacritics_spacing_or_punctuation() {
        let cat = seed_catalogue();
        assert_eq!(code(cat.resolve("TB 2/4")), Some("TB"));
        assert_eq!(code(cat.resolve("tb2/4")), Some("TB"));
        assert_eq!(code(cat.resolve("TB 1/4")), Some("TB81"));
        assert_eq!(code(cat.resolve("Hộ nghèo.")), Some("HN"));
        assert_eq!(code(cat.resolve("ho ngheo")), Some("HN"));
        assert_eq!(code(cat.resolve("CĐHH")), Some("CDHH"));
        assert_eq!(code(cat.resolve("cdhh")), Some("CDHH"));
        assert_eq!(code(cat.resolve("Bị địch bắt tù đày")), Some("TUDAY"));
        assert_eq!(code(cat.resolve("  hộ  cận nghèo ")), Some("HCN"));
        assert_eq!(code(cat.resolve("Thân nhân liệt sĩ")), Some("TNLS"));
        assert_eq!(code(cat.resolve("Cựu chiến binh")), None);
        assert_eq!(code(cat.resolve("")), None);
    }

    #[test]
    fn headings_resolve_to_the_category_they_name() {
        let cat = seed_catalogue();
        assert_eq!(code(cat.resolve_heading("THÂN NHÂN LIỆT SĨ")), Some("TNLS"));
        assert_eq!(code(cat.resolve_heading("HỘ NGHÈO")), Some("HN"));
        assert_eq!(code(cat.resolve_heading("II. HỘ CẬN NGHÈO")), Some("HCN"));
        assert_eq!(code(cat.resolve_heading("III - HỘ NGHÈO:")), Some("HN"));
        assert_eq!(
            code(cat.resolve_heading("B. HỘ CẬN NGHÈO (theo QĐ 123)")),
            Some("HCN")
        );
        assert_eq!(
            code(cat.resolve_heading("NGƯỜI CÓ CÔNG VỚI CÁCH MẠNG")),
            None
        );
        assert_eq!(code(cat.resolve_heading("I")), None);
        assert_eq!(
            code(cat.resolve_heading("Danh sách hộ nghèo năm 2026")),
            Some("HN")
        );
    }
}
