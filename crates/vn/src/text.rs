//! Vietnamese text as wards type it: Unicode normalisation, spacing, case, and the folded keys
//! used to match names, wards, categories and search terms without caring about diacritics.

use unicode_normalization::char::{decompose_canonical, is_combining_mark};
use unicode_normalization::{IsNormalized, UnicodeNormalization};

/// NFC-normalises `s`, collapses every run of whitespace (tabs, line breaks, no-break spaces)
/// into one space and trims both ends.
///
/// The result is what should be stored and shown: Excel cells often carry double spaces,
/// line breaks from Alt+Enter and NFD text pasted from macOS.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_normalized(&mut out, s);
    out
}

/// Appends the [`normalize`]d form of `s` to `out` (no allocation when `s` is already NFC).
pub fn push_normalized(out: &mut String, s: &str) {
    let start = out.len();
    if matches!(
        unicode_normalization::is_nfc_quick(s.chars()),
        IsNormalized::Yes
    ) {
        push_collapsed(out, s.chars());
    } else {
        push_collapsed(out, s.nfc());
    }
    // A trailing space may remain from the collapsing; trim it in place.
    while out.len() > start && out.ends_with(' ') {
        out.pop();
    }
}

fn push_collapsed(out: &mut String, chars: impl Iterator<Item = char>) {
    let start = out.len();
    let mut pending_space = false;
    for c in chars {
        if is_space(c) {
            pending_space = out.len() > start;
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
}

/// Whether `c` separates words. The soft hyphen U+00AD is deliberately not a space (nor
/// dropped): in TCVN3 text it is the letter "ư".
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200B}' | '\u{FEFF}')
}

/// Collapses whitespace runs into one space and trims, without Unicode normalisation.
pub fn collapse_spaces(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_collapsed(&mut out, s.chars());
    out
}

/// The matching key of a text: lowercase, diacritics removed, "đ" as "d", whitespace collapsed.
///
/// Used to match header labels, category synonyms, ward names and search terms, so that
/// "HỘ NGHÈO", "Hộ nghèo" and "ho ngheo" meet.
pub fn fold_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_fold_key(&mut out, s);
    out
}

/// The folded form of a person's address under which two records of one recipient meet
/// (the address part of the duplicate review's name + birth year + address key): the
/// [`fold_key`] of the address, `None` when nothing is left of it. Stored with each person
/// (`people.address_key`) so that a ward's name twins are found by an index probe; every
/// writer of that column and the review itself use this one function.
pub fn address_key(address: &str) -> Option<String> {
    Some(fold_key(address)).filter(|key| !key.is_empty())
}

/// Appends the [`fold_key`] of `s` to `out`.
pub fn push_fold_key(out: &mut String, s: &str) {
    let start = out.len();
    let mut pending_space = false;
    let mut fold = |c: char| {
        if is_space(c) {
            pending_space = out.len() > start;
            return;
        }
        if is_combining_mark(c) {
            return;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        match c {
            'đ' | 'Đ' => out.push('d'),
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            c => out.extend(c.to_lowercase()),
        }
    };
    // Each character decomposed on its own: the marks are dropped, so the canonical
    // reordering of a whole-string NFD would change nothing.
    for c in s.chars() {
        if c.is_ascii() {
            fold(c);
        } else {
            decompose_canonical(c, &mut fold);
        }
    }
}

/// The key under which two spellings of one person's name are the same name.
///
/// Case and spacing are ignored, and so is where a tone mark sits ("Hoà" = "Hòa", "Thuỷ" =
/// "Thủy", both spellings are taught), but the marks themselves count: "An" and "Ân" are
/// different names. Each word becomes its base letters followed by its marks in a fixed
/// order.
pub fn name_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    push_name_key(&mut out, s);
    out
}

/// The copy of a person's [`name_key`] that each of their entries keeps for the list search
/// (`entries.name_key`): the same key with "đ" as "d", since a search folds what is typed
/// that way. The database's triggers fold it so (`replace(name_key, 'đ', 'd')`) when a writer
/// leaves the column empty; a writer that sets it (an import, the city data set) uses this.
pub fn entry_name_key(person_name_key: &str) -> String {
    person_name_key.replace('đ', "d")
}

/// Appends the [`name_key`] of `s` to `out`.
pub fn push_name_key(out: &mut String, s: &str) {
    let start = out.len();
    // The marks of the current word; a word rarely has more than two.
    let mut marks: Vec<char> = Vec::new();
    let mut word_started = false;
    let flush = |out: &mut String, marks: &mut Vec<char>| {
        marks.sort_unstable();
        out.extend(marks.drain(..));
    };
    let mut key = |c: char| {
        if is_space(c) {
            if word_started {
                flush(out, &mut marks);
                word_started = false;
            }
            return;
        }
        if is_combining_mark(c) {
            marks.push(c);
            return;
        }
        if !word_started {
            if out.len() > start {
                out.push(' ');
            }
            word_started = true;
        }
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            out.extend(c.to_lowercase());
        }
    };
    // Each character decomposed on its own: a word's marks are sorted anyway, so the
    // canonical reordering of a whole-string NFD would change nothing.
    for c in s.chars() {
        if c.is_ascii() {
            key(c);
        } else {
            decompose_canonical(c, &mut key);
        }
    }
    flush(out, &mut marks);
}

/// Whether `s` has letters and none of them is lowercase ("NGUYỄN VĂN AN").
pub fn is_all_caps(s: &str) -> bool {
    let mut any_letter = false;
    for c in s.chars() {
        if c.is_lowercase() {
            return false;
        }
        if c.is_alphabetic() {
            any_letter = true;
        }
    }
    any_letter
}

/// Vietnamese title case: every word starts with a capital, the rest is lowercase
/// ("NGUYỄN VĂN AN" → "Nguyễn Văn An"). Expects NFC input so that "Ệ" is one character.
pub fn title_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut at_word_start = true;
    for c in s.chars() {
        if is_space(c) || matches!(c, '-' | '(' | '.') {
            out.push(c);
            at_word_start = true;
        } else if at_word_start {
            out.extend(c.to_uppercase());
            at_word_start = false;
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// The form in which a person's name is stored: normalised, and title-cased when typed in
/// capitals (names typed in mixed case are kept as typed).
pub fn tidy_person_name(s: &str) -> String {
    let n = normalize(s);
    if is_all_caps(&n) { title_case(&n) } else { n }
}

/// The first character that no person's name contains (digits, `= + @ " < >` and the
/// like), if any.
///
/// Letters with their marks, spaces, and the few punctuation marks seen in real names and
/// nicknames (`. - ' ( ) ,`) are allowed; anything else is a typing or a formula slip.
pub fn invalid_name_char(s: &str) -> Option<char> {
    s.chars().find(|&c| {
        !(c.is_alphabetic()
            || is_combining_mark(c)
            || is_space(c)
            || matches!(c, '.' | '-' | '\'' | '’' | '(' | ')' | ','))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_composes_nfd_and_collapses_spaces() {
        let nfd = "Nguye\u{302}\u{303}n  \t Va\u{306}n\u{a0}An \n";
        assert_eq!(normalize(nfd), "Nguyễn Văn An");
        assert_eq!(normalize("   "), "");
    }

    #[test]
    fn normalize_keeps_the_soft_hyphen_that_is_tcvn3_u_horn() {
        assert_eq!(normalize("t\u{ad}îng"), "t\u{ad}îng");
    }

    #[test]
    fn address_key_folds_and_is_none_when_blank() {
        assert_eq!(
            address_key("12  Đường Lê Lợi").as_deref(),
            Some("12 duong le loi")
        );
        assert_eq!(
            address_key("12 duong LE LOI"),
            address_key("12 Đường Lê Lợi")
        );
        assert_eq!(address_key("  "), None);
        assert_eq!(address_key(""), None);
    }

    #[test]
    fn fold_key_drops_diacritics_case_and_maps_d_stroke() {
        assert_eq!(fold_key("  ĐỐI   TƯỢNG "), "doi tuong");
        assert_eq!(fold_key("Hộ nghèo"), fold_key("HO NGHEO"));
        assert_eq!(fold_key("Phường Tăng Nhơn Phú A"), "phuong tang nhon phu a");
    }

    /// The keys as first defined: over the NFD of the whole string. The per-character
    /// decomposition must give the same keys.
    fn fold_key_by_nfd(s: &str) -> String {
        let mut out = String::new();
        let mut pending_space = false;
        for c in s.nfd() {
            if is_space(c) {
                pending_space = !out.is_empty();
                continue;
            }
            if is_combining_mark(c) {
                continue;
            }
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            match c {
                'đ' | 'Đ' => out.push('d'),
                c => out.extend(c.to_lowercase()),
            }
        }
        out
    }

    fn name_key_by_nfd(s: &str) -> String {
        let mut out = String::new();
        let mut marks: Vec<char> = Vec::new();
        let mut word_started = false;
        for c in s.nfd() {
            if is_space(c) {
                if word_started {
                    marks.sort_unstable();
                    out.extend(marks.drain(..));
                    word_started = false;
                }
                continue;
            }
            if is_combining_mark(c) {
                marks.push(c);
                continue;
            }
            if !word_started {
                if !out.is_empty() {
                    out.push(' ');
                }
                word_started = true;
            }
            out.extend(c.to_lowercase());
        }
        marks.sort_unstable();
        out.extend(marks.drain(..));
        out
    }

    #[test]
    fn keys_per_character_match_the_whole_string_nfd() {
        for s in [
            "  Nguyễn   Văn\tĐỆ ",
            "Nguye\u{302}\u{303}n Thi\u{323} Hoa\u{300}",
            "Nguye\u{303}\u{302}n",
            "\u{301}Ánh  ƯỚC\u{a0}Ỷ",
            "Phường Tăng Nhơn Phú A",
            "TB 3/4; Hộ nghèo.",
            "가각 Ω Å ǅ İ",
            "\u{2000}x\u{2001}y\u{200b}z\u{feff}",
            "",
        ] {
            assert_eq!(fold_key(s), fold_key_by_nfd(s), "{s:?}");
            assert_eq!(name_key(s), name_key_by_nfd(s), "{s:?}");
        }
    }

    #[test]
    fn name_key_ignores_tone_position_and_case_but_not_marks() {
        assert_eq!(name_key("Nguyễn Thị Hoà"), name_key("NGUYỄN  THỊ HÒA"));
        assert_eq!(name_key("Lê Thuỷ"), name_key("Lê Thủy"));
        assert_ne!(name_key("Trần An"), name_key("Trần Ân"));
        assert_ne!(name_key("Đào"), name_key("Dao"));
    }

    #[test]
    fn all_caps_names_become_title_case_and_mixed_case_is_kept() {
        assert_eq!(tidy_person_name("NGUYỄN  VĂN ĐỆ"), "Nguyễn Văn Đệ");
        assert_eq!(tidy_person_name("Nguyễn văn An"), "Nguyễn văn An");
        assert_eq!(tidy_person_name("LÊ THỊ ÚT (ÚT NHỎ)"), "Lê Thị Út (Út Nhỏ)");
    }

    #[test]
    fn names_with_digits_or_formula_characters_are_flagged() {
        assert_eq!(invalid_name_char("Nguyễn Văn A1"), Some('1'));
        assert_eq!(invalid_name_char("=VLOOKUP(B2)"), Some('='));
        assert_eq!(invalid_name_char("Lê Thị <Hoa>"), Some('<'));
        assert_eq!(invalid_name_char("a@b"), Some('@'));
        assert_eq!(invalid_name_char("Trần \"Tư\""), Some('"'));
        assert_eq!(invalid_name_char("Nguyễn Thị Út (Út Nhỏ)"), None);
        assert_eq!(invalid_name_char("Y-Bih Niê"), None);
    }
}
