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

/// The sector a category belongs to since the ministries merged on 1 March 2025: each has its
/// own city department reviewing the wards' lists (Sở Nội vụ for merit, Sở Y tế for social
/// protection, the agriculture and environment department for poverty), so an account can be
/// limited to some of them. `categories.sector`, `user_sectors.sector`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "sea-orm",
    derive(sea_orm::DeriveActiveEnum, sea_orm::EnumIter)
)]
#[cfg_attr(
    feature = "sea-orm",
    sea_orm(rs_type = "String", db_type = "String(StringLen::None)")
)]
pub enum Sector {
    /// Người có công and their relatives.
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "merit"))]
    Merit,
    /// Bảo trợ xã hội: social assistance and other hardship.
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "social_protection"))]
    SocialProtection,
    /// Giảm nghèo: poor and near-poor households.
    #[cfg_attr(feature = "sea-orm", sea_orm(string_value = "poverty"))]
    Poverty,
}

impl Sector {
    /// Every sector, in the order forms and lists show them.
    pub const ALL: [Sector; 3] = [Sector::Merit, Sector::SocialProtection, Sector::Poverty];

    /// Parses the stored form (`merit`, `social_protection`, `poverty`), as forms, the API
    /// and the command line send it.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "merit" => Some(Sector::Merit),
            "social_protection" => Some(Sector::SocialProtection),
            "poverty" => Some(Sector::Poverty),
            _ => None,
        }
    }

    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Sector::Merit => "merit",
            Sector::SocialProtection => "social_protection",
            Sector::Poverty => "poverty",
        }
    }

    /// The Vietnamese name of the sector.
    pub fn label(self) -> &'static str {
        match self {
            Sector::Merit => "Người có công",
            Sector::SocialProtection => "Bảo trợ xã hội",
            Sector::Poverty => "Giảm nghèo",
        }
    }

    /// The sector a seeded category starts in: merit categories are merit, poor and near-poor
    /// households (`HN`, `HCN`) are poverty, every other hardship category is social
    /// protection. Administrators change it on the catalogue page.
    pub fn for_category(kind: CategoryKind, code: &str) -> Self {
        match kind {
            CategoryKind::Merit => Sector::Merit,
            CategoryKind::Hardship if matches!(code, "HN" | "HCN") => Sector::Poverty,
            CategoryKind::Hardship => Sector::SocialProtection,
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
    /// The [`category_words`] of every name, code and synonym, for ranking a text that no
    /// key matches.
    phrases: Vec<(Vec<String>, usize)>,
    /// The same word sets joined by spaces, for texts that name a category in other words.
    by_words: HashMap<String, usize>,
}

impl Catalogue {
    /// Builds the catalogue; earlier categories win when two share a synonym.
    pub fn new(categories: Vec<Category>) -> Self {
        let mut by_key = HashMap::new();
        let mut heading_phrases = Vec::new();
        let mut phrases = Vec::new();
        let mut by_words = HashMap::new();
        for (i, c) in categories.iter().enumerate() {
            let texts = std::iter::once(&c.name)
                .chain(std::iter::once(&c.code))
                .chain(c.synonyms.iter());
            for t in texts {
                let key = match_key(t);
                if !key.is_empty() {
                    by_key.entry(key).or_insert(i);
                }
                // A code ("TB81") is a key, not words: its digits are no grade.
                let set = if std::ptr::eq(t, &c.code) {
                    Vec::new()
                } else {
                    category_words(t)
                };
                if !set.is_empty() {
                    by_words.entry(set.join(" ")).or_insert(i);
                    phrases.push((set, i));
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
            phrases,
            by_words,
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

    /// Reads what a ward typed in a category cell the way an officer would: by name, code or
    /// synonym first ([`Catalogue::resolve`]); then with the known abbreviations expanded
    /// inside longer names ("Người HĐKC bị nhiễm CĐHH"), prefixes such as "Người" and "Đối
    /// tượng" dropped, word order ignored and grades read ("TB hạng 1/4", "BB 61%"); then by
    /// ranking the categories on the words they share. Only a clear winner is taken, and
    /// when the words are not the same it comes back as [`CategoryMatch::Likely`] so the
    /// caller warns, naming the category chosen.
    ///
    /// Costs a scan of every synonym: callers reading many rows ask once per distinct text.
    pub fn match_category(&self, text: &str) -> CategoryMatch<'_> {
        if let Some(c) = self.resolve(text) {
            return CategoryMatch::Sure(c);
        }
        let cell = category_words(text);
        if cell.is_empty() {
            return CategoryMatch::Unknown { closest: None };
        }
        if let Some(&i) = self.by_words.get(&cell.join(" ")) {
            return CategoryMatch::Sure(&self.categories[i]);
        }
        // The best score of each category, with the phrase that gave it.
        let mut best: Vec<(f32, &[String])> = vec![(0.0, &[]); self.categories.len()];
        for (phrase, i) in &self.phrases {
            let score = closeness(&cell, phrase);
            if score > best[*i].0 {
                best[*i] = (score, phrase);
            }
        }
        let mut ranked: Vec<(usize, f32, &[String])> = best
            .into_iter()
            .enumerate()
            .map(|(i, (score, phrase))| (i, score, phrase))
            .collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
        let Some(&(top, top_score, top_phrase)) = ranked.first() else {
            return CategoryMatch::Unknown { closest: None };
        };
        // A category whose words all stand in the winner's ("hộ nghèo" inside "hộ cận nghèo")
        // is the less specific reading of the same text, not a rival.
        let second = ranked
            .iter()
            .skip(1)
            .find(|(_, _, phrase)| !phrase.iter().all(|w| top_phrase.contains(w)))
            .map_or(0.0, |r| r.1);
        let category = &self.categories[top];
        if top_score >= LIKELY_MIN && top_score - second >= LIKELY_MARGIN {
            CategoryMatch::Likely {
                category,
                confidence: top_score,
            }
        } else {
            CategoryMatch::Unknown {
                closest: (top_score >= SUGGEST_MIN).then_some(category),
            }
        }
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

/// How sure [`Catalogue::match_category`] is of the category a text names.
#[derive(Debug, Clone, PartialEq)]
pub enum CategoryMatch<'a> {
    /// The text is a name, code or synonym, or the same words once abbreviations, prefixes
    /// ("Người", "Đối tượng"), word order and grades are read: the category is clearly meant.
    Sure(&'a Arc<Category>),
    /// Close to this category and clearly closer than to any other, but not the same words:
    /// taken, with a warning that names it, so a wrong reading never passes unseen.
    Likely {
        /// The category chosen.
        category: &'a Arc<Category>,
        /// How close, from 0 to 1 (1 = the same words).
        confidence: f32,
    },
    /// No category is clearly meant; the closest one, if any is close at all, to suggest.
    Unknown {
        /// The best-ranked category when it shares a good part of the words.
        closest: Option<&'a Arc<Category>>,
    },
}

/// Below this a category is not taken without the officer's word.
const LIKELY_MIN: f32 = 0.6;
/// How far ahead of the second-best category the best must be to be taken.
const LIKELY_MARGIN: f32 = 0.15;
/// Below this no category is even suggested.
const SUGGEST_MIN: f32 = 0.5;

/// Abbreviations wards write inside longer names, folded, with what they stand for. Used on
/// both sides (the catalogue's names and synonyms, and the cell), so "Người HĐKC bị nhiễm
/// CĐHH" and "Người hoạt động kháng chiến bị nhiễm chất độc hóa học" meet.
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("hdkc", "hoat dong khang chien"),
    ("hdcm", "hoat dong cach mang"),
    ("cdhh", "chat doc hoa hoc"),
    ("nkcdhh", "nhiem chat doc hoa hoc"),
    ("tnls", "than nhan liet si"),
    ("gdls", "gia dinh liet si"),
    ("ls", "liet si"),
    ("tb", "thuong binh"),
    ("bb", "benh binh"),
    ("csntb", "chinh sach nhu thuong binh"),
    ("bmvnah", "ba me viet nam anh hung"),
    ("mvnah", "me viet nam anh hung"),
    ("vnah", "viet nam anh hung"),
    ("bmvn", "ba me viet nam"),
    ("mvn", "me viet nam"),
    ("vn", "viet nam"),
    ("btxh", "bao tro xa hoi"),
    ("dtbtxh", "doi tuong bao tro xa hoi"),
    ("tcxh", "tro cap xa hoi"),
    ("hn", "ho ngheo"),
    ("hcn", "ho can ngheo"),
    ("hckk", "hoan canh kho khan"),
    ("cm", "cach mang"),
    ("xh", "xa hoi"),
    ("hd", "hoat dong"),
    ("kc", "khang chien"),
    ("llvt", "luc luong vu trang"),
    ("llvtnd", "luc luong vu trang nhan dan"),
    ("ahllvt", "anh hung luc luong vu trang"),
    ("ahllvtnd", "anh hung luc luong vu trang nhan dan"),
    ("ahld", "anh hung lao dong"),
    ("ltcm", "lao thanh cach mang"),
    ("tkn", "tien khoi nghia"),
    ("gdcm", "giup do cach mang"),
    ("ccgdcm", "co cong giup do cach mang"),
    ("nct", "nguoi cao tuoi"),
    ("nkt", "nguoi khuyet tat"),
    ("sy", "si"),
];

/// Words that carry no category: prefixes ("Người", "Đối tượng", "Diện"), linking words and
/// the words around grades ("hạng", "từ … trở lên").
const FILLER_WORDS: &[&str] = &[
    "nguoi", "doi", "tuong", "dt", "dien", "thuoc", "la", "cua", "bi", "va", "voi", "hang", "tu",
    "tro", "len", "ngay", "nam", "so", "ty", "ti", "le", "tl",
];

/// The folded words of a category text with abbreviations expanded, grades read ("1/4",
/// "1/3" and a percentage of 81 or more become "81%", lower grades and percentages go, as
/// they do not change the category), filler words and recent years dropped, sorted and
/// without repeats: two texts naming the same category the same way give the same words.
fn category_words(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in words(text) {
        for part in split_letters_digits(&w) {
            push_category_word(&mut out, part);
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// "tb2/4" → "tb", "2/4"; "81%" stays whole.
fn split_letters_digits(w: &str) -> Vec<&str> {
    let split = w
        .char_indices()
        .skip(1)
        .find(|&(i, c)| {
            let prev = w[..i].chars().next_back().unwrap_or(' ');
            prev.is_alphabetic() && c.is_ascii_digit()
        })
        .map(|(i, _)| i);
    match split {
        Some(i) => vec![&w[..i], &w[i..]],
        None => vec![w],
    }
}

fn push_category_word(out: &mut Vec<String>, w: &str) {
    if let Some(&(_, long)) = ABBREVIATIONS.iter().find(|(short, _)| *short == w) {
        for part in long.split(' ') {
            push_plain_word(out, part);
        }
    } else {
        push_plain_word(out, w);
    }
}

fn push_plain_word(out: &mut Vec<String>, w: &str) {
    if FILLER_WORDS.contains(&w) || w.is_empty() {
        return;
    }
    if let Some(p) = w.strip_suffix('%') {
        if p.parse::<u32>().is_ok_and(|p| p >= 81) {
            out.push("81%".to_owned());
        }
        return;
    }
    if w.contains('/') {
        let parts: Vec<&str> = w.split('/').collect();
        match parts.as_slice() {
            ["1", "4" | "3"] => out.push("81%".to_owned()),
            [a, b] if a.len() <= 2 && b.len() <= 2 => {}
            // A date ("01/01/1945"): its year.
            [.., y] if y.len() == 4 => out.push((*y).to_owned()),
            _ => out.push(w.to_owned()),
        }
        return;
    }
    if w.bytes().all(|b| b.is_ascii_digit()) {
        // A list's year ("Hộ nghèo năm 2026") or a number names no category; 1945 does.
        if w.len() == 4 && w < "1976" {
            out.push(w.to_owned());
        }
        return;
    }
    out.push(w.to_owned());
}

/// How close two sorted word sets are: half how many words they share (Dice), half how much
/// of the catalogue's phrase the cell covers; a word one typo away counts as shared.
fn closeness(cell: &[String], phrase: &[String]) -> f32 {
    if cell.is_empty() || phrase.is_empty() {
        return 0.0;
    }
    let shared = phrase
        .iter()
        .filter(|p| cell.iter().any(|c| c == *p || one_typo_apart(c, p)))
        .count() as f32;
    let dice = 2.0 * shared / (cell.len() + phrase.len()) as f32;
    let cover = shared / phrase.len() as f32;
    0.5 * dice + 0.5 * cover
}

/// Whether two words of five letters or more differ by one letter added, dropped or changed.
fn one_typo_apart(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len().min(b.len()) < 5 || a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let mut i = 0;
    while i < short.len() && short[i] == long[i] {
        i += 1;
    }
    if i == short.len() {
        return true;
    }
    if short.len() == long.len() {
        short[i + 1..] == long[i + 1..]
    } else {
        short[i..] == long[i + 1..]
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

    /// What officers really type, with the category meant (`None`: no category is meant)
    /// and whether the reading is certain.
    const REAL_SPELLINGS: &[(&str, Option<&str>, bool)] = &[
        ("Người HĐKC bị nhiễm CĐHH", Some("CDHH"), true),
        ("HĐKC nhiễm CĐHH", Some("CDHH"), true),
        (
            "Người hoạt động KC bị nhiễm chất độc hoá học",
            Some("CDHH"),
            true,
        ),
        ("Đối tượng CĐHH", Some("CDHH"), true),
        ("Người HĐKC", Some("HDKC"), true),
        ("HĐKC giải phóng dân tộc", Some("HDKC"), false),
        ("Người HĐCM trước 01/01/1945", Some("LTCM"), true),
        ("HĐCM trước 1945", Some("LTCM"), true),
        ("Con LS", Some("TNLS"), true),
        ("Vợ LS", Some("TNLS"), true),
        ("Thân nhân liệt sỹ", Some("TNLS"), true),
        ("Liệt sỹ", Some("TNLS"), true),
        ("Đối tượng TNLS", Some("TNLS"), true),
        ("Liệt sĩ thân nhân", Some("TNLS"), true),
        ("TB hạng 2/4", Some("TB"), true),
        ("Thương binh hạng 1/4", Some("TB81"), true),
        ("TB 91%", Some("TB81"), true),
        ("TB 61%", Some("TB"), true),
        ("Thương binh 4/4 (25%)", Some("TB"), true),
        ("Người hưởng CS như TB", Some("TB"), false),
        ("BB 61%", Some("BB"), true),
        ("Bệnh binh 1/3", Some("BB81"), true),
        ("BB hạng 2/3", Some("BB"), true),
        ("BMVN anh hùng", Some("BMVNAH"), true),
        ("Mẹ VN anh hùng", Some("BMVNAH"), true),
        ("Mẹ VNAH", Some("BMVNAH"), true),
        ("Đối tượng BTXH", Some("BTXH"), true),
        ("Người BTXH", Some("BTXH"), true),
        ("Diện BTXH", Some("BTXH"), true),
        ("Hộ nghèo năm 2026", Some("HN"), true),
        ("Nghèo hộ", Some("HN"), true),
        ("Hộ cận nghèo (HCN)", Some("HCN"), true),
        ("Cận nghèo hộ", Some("HCN"), true),
        ("Hộ nghèo có người khuyết tật", Some("HN"), false),
        ("Thân nhân liệt sĩ Nguyễn Văn Tám", Some("TNLS"), false),
        ("Hộ gia đình khó khăn", Some("HCKK"), false),
        ("Hộ cận nghèo theo chuẩn TP", Some("HCN"), false),
        ("Hộ nghèo theo chuẩn TP", Some("HN"), false),
        ("Bố liệt sĩ", Some("TNLS"), false),
        ("Thương binh hạng 2/4 (tỷ lệ 61%)", Some("TB"), true),
        ("Người có công giúp đỡ CM", Some("GDCM"), true),
        ("Đối tượng bảo trợ XH", Some("BTXH"), true),
        ("Người HĐ kháng chiến", Some("HDKC"), true),
        ("Cựu chiến binh", None, false),
        ("Quà tặng", None, false),
    ];

    #[test]
    fn real_world_spellings_match_the_category_meant() {
        let cat = seed_catalogue();
        for &(text, want, sure) in REAL_SPELLINGS {
            match (cat.match_category(text), want) {
                (CategoryMatch::Sure(c), Some(w)) => {
                    assert_eq!(c.code, w, "{text}");
                    assert!(sure, "{text}: read as certain, expected a warning");
                }
                (
                    CategoryMatch::Likely {
                        category,
                        confidence,
                    },
                    Some(w),
                ) => {
                    assert_eq!(category.code, w, "{text}");
                    assert!(!sure, "{text}: a warning ({confidence}), expected certain");
                    assert!((LIKELY_MIN..1.0).contains(&confidence), "{text}");
                }
                (CategoryMatch::Unknown { .. }, None) => {}
                (got, want) => panic!("{text}: got {got:?}, expected {want:?}"),
            }
        }
    }

    #[test]
    fn a_text_between_two_categories_is_not_guessed() {
        let cat = seed_catalogue();
        // "Anh hùng" alone could be either hero category: suggested, never taken.
        assert!(matches!(
            cat.match_category("Anh hùng"),
            CategoryMatch::Unknown { .. }
        ));
    }

    #[test]
    fn grades_and_abbreviations_are_read_inside_words() {
        assert_eq!(category_words("TB2/4"), ["binh", "thuong"]);
        assert_eq!(category_words("tb1/4"), ["81%", "binh", "thuong"]);
        assert_eq!(
            category_words("Người HĐKC"),
            ["chien", "dong", "hoat", "khang"]
        );
        assert!(one_typo_apart("khang", "khangg"));
        assert!(!one_typo_apart("chien", "chein"));
        assert!(one_typo_apart("nghia", "nghio"));
        assert!(!one_typo_apart("ngheo", "nghia"));
    }
}
