//! Vietnamese sorting of people's names, as lists are printed and read in Vietnam.
//!
//! A list is ordered by the given name (the last word), then by the rest of the name (family
//! and middle names in order), letter by letter in the Vietnamese alphabet
//! a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y. Tones only break ties
//! between names that are otherwise the same, in the order: none, huyền, hỏi, ngã, sắc,
//! nặng ("Ma, Mà, Mả, Mã, Má, Mạ"). Case does not matter, and input may be NFC or NFD
//! (both reach us: NFD from macOS and some converters, NFC from everything else).
//!
//! Byte or code-point order gets all of this wrong (it puts "Đức" after "Yến" and
//! "Ánh" after "Yến"), which is why this module exists.

use std::cmp::Ordering;

use unicode_normalization::UnicodeNormalization;

/// Ends the given name, and each later word, in the primary part; lower than any letter, so
/// that "An" sorts before "Anh" and "Lê An" before "Lê Văn An".
const WORD_END: u32 = 1;
/// Separates the primary (letters) part of a key from the secondary (tones) part; lower
/// than everything so that a shorter primary sorts first.
const LEVEL_SEPARATOR: u32 = 0;
/// Digits sort before letters, at 10..=19.
const DIGIT_BASE: u32 = 10;
/// Letters sort at 100 + their rank in the alphabet below.
const LETTER_BASE: u32 = 100;
/// Characters that are neither letters of the alphabet nor digits (other scripts) sort
/// after all letters, in code-point order.
const OTHER_BASE: u32 = 1_000;

/// The Vietnamese alphabet, with the Latin letters it lacks (f j w z, seen in foreign and
/// ethnic-minority names) put where a Vietnamese reader expects them.
const ALPHABET: [&str; 33] = [
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o",
    "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
];

/// A key that orders names the Vietnamese way: compare keys to compare names.
///
/// Build it once per name (`slice.sort_by_cached_key(|p| name_sort_key(&p.name))`); it
/// is a plain vector of weights, cheap to compare.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NameSortKey(Vec<u32>);

/// The sort key of a full name: given name first, then the other words in order, tones as
/// a secondary level, case ignored.
pub fn name_sort_key(full_name: &str) -> NameSortKey {
    let nfd: String = full_name.nfd().collect();
    // Given name first, then family and middle names in their written order. Taken from
    // both ends of one iterator: an export sorts 100,000 names, so no vectors of words.
    let mut words = nfd.split_whitespace();
    let given = words.next_back();
    let mut primary = Vec::with_capacity(nfd.len() + 16);
    let mut tones = Vec::with_capacity(16);
    for word in given.into_iter().chain(words) {
        let before = primary.len();
        push_word(word, &mut primary, &mut tones);
        // A word of punctuation only ("-") adds nothing, not even a word end.
        if primary.len() > before {
            primary.push(WORD_END);
            tones.push(WORD_END);
        }
    }
    primary.push(LEVEL_SEPARATOR);
    primary.extend(tones);
    NameSortKey(primary)
}

/// Compares two full names the Vietnamese way; for one-off comparisons (sorting should use
/// [`name_sort_key`] with `sort_by_cached_key`).
pub fn compare_names(a: &str, b: &str) -> Ordering {
    name_sort_key(a).cmp(&name_sort_key(b))
}

/// Sorts the names in place, the Vietnamese way.
pub fn sort_names<S: AsRef<str>>(names: &mut [S]) {
    names.sort_by_cached_key(|name| name_sort_key(name.as_ref()));
}

/// Appends a word's letter weights to `primary` and its tone weight(s) to `tones`.
///
/// The word arrives in NFD, so each letter is a base character followed by its combining
/// marks (in canonical order, which puts the dot below before the circumflex: the marks are
/// collected per letter, whatever their order).
fn push_word(word: &str, primary: &mut Vec<u32>, tones: &mut Vec<u32>) {
    let mut tone = 0;
    let mut current: Option<Letter> = None;
    for c in word.chars() {
        match mark_kind(c) {
            Some(Mark::Shape(shape)) => {
                if let Some(letter) = current.as_mut() {
                    letter.shape = Some(shape);
                }
            }
            Some(Mark::Tone(t)) => tone = t,
            Some(Mark::Other) => {}
            None => {
                if let Some(letter) = current.take() {
                    primary.push(letter.weight());
                }
                current = Letter::new(c);
                if current.is_none() && !c.is_alphanumeric() {
                    // Punctuation inside names ("Nguyễn T. Bình", "Lê-Anh") is ignored.
                    continue;
                }
                if current.is_none() {
                    primary.push(OTHER_BASE + u32::from(c));
                }
            }
        }
    }
    if let Some(letter) = current.take() {
        primary.push(letter.weight());
    }
    tones.push(tone);
}

/// A base letter or digit with the shape mark (breve, circumflex, horn) seen so far.
struct Letter {
    base: char,
    shape: Option<Shape>,
}

impl Letter {
    /// A letter or digit we weigh in the alphabet; `None` for anything else.
    fn new(c: char) -> Option<Letter> {
        let base = match c {
            'Đ' | 'đ' => 'đ',
            'Ð' => 'đ', // U+00D0, typed for Đ by some keyboards and converters
            c if c.is_ascii_alphanumeric() => c.to_ascii_lowercase(),
            _ => return None,
        };
        Some(Letter { base, shape: None })
    }

    fn weight(&self) -> u32 {
        if let Some(d) = self.base.to_digit(10) {
            return DIGIT_BASE + d;
        }
        let spelled = match (self.base, self.shape) {
            ('a', Some(Shape::Breve)) => "ă",
            ('a', Some(Shape::Circumflex)) => "â",
            ('e', Some(Shape::Circumflex)) => "ê",
            ('o', Some(Shape::Circumflex)) => "ô",
            ('o', Some(Shape::Horn)) => "ơ",
            ('u', Some(Shape::Horn)) => "ư",
            ('đ', _) => "đ",
            _ => "",
        };
        let rank = if spelled.is_empty() {
            let mut buf = [0u8; 4];
            let plain: &str = self.base.encode_utf8(&mut buf);
            ALPHABET.iter().position(|l| *l == plain)
        } else {
            ALPHABET.iter().position(|l| *l == spelled)
        };
        match rank {
            // The alphabet has 33 letters, so the rank always fits.
            Some(rank) => LETTER_BASE + rank as u32,
            None => OTHER_BASE + u32::from(self.base),
        }
    }
}

#[derive(Clone, Copy)]
enum Shape {
    Breve,
    Circumflex,
    Horn,
}

enum Mark {
    /// Changes the letter (ă â ê ô ơ ư): primary.
    Shape(Shape),
    /// The syllable's tone: secondary, 1 huyền, 2 hỏi, 3 ngã, 4 sắc, 5 nặng.
    Tone(u32),
    /// Any other combining mark: ignored.
    Other,
}

fn mark_kind(c: char) -> Option<Mark> {
    match c {
        '\u{0306}' => Some(Mark::Shape(Shape::Breve)),
        '\u{0302}' => Some(Mark::Shape(Shape::Circumflex)),
        '\u{031B}' => Some(Mark::Shape(Shape::Horn)),
        '\u{0300}' => Some(Mark::Tone(1)),
        '\u{0309}' => Some(Mark::Tone(2)),
        '\u{0303}' => Some(Mark::Tone(3)),
        '\u{0301}' => Some(Mark::Tone(4)),
        '\u{0323}' => Some(Mark::Tone(5)),
        c if unicode_normalization::char::is_combining_mark(c) => Some(Mark::Other),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(names: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        sort_names(&mut v);
        v
    }

    #[test]
    fn alphabet_order_of_single_names() {
        let expected = [
            "An", "Ăn", "Âu", "Bình", "Dũng", "Đức", "Em", "Ê", "Giang", "Yến",
        ];
        let mut shuffled = expected;
        shuffled.reverse();
        assert_eq!(sorted(&shuffled), expected);
    }

    #[test]
    fn d_sorts_before_dj() {
        assert_eq!(compare_names("Dũng", "Đức"), Ordering::Less);
        assert_eq!(compare_names("Đạt", "Dung"), Ordering::Greater);
        assert_eq!(compare_names("Dương", "Đa"), Ordering::Less);
    }

    #[test]
    fn vowel_shapes_are_letters_not_accents() {
        assert_eq!(compare_names("Oanh", "Ôn"), Ordering::Less);
        assert_eq!(compare_names("Ôn", "Ơn"), Ordering::Less);
        assert_eq!(compare_names("Ơn", "Phúc"), Ordering::Less);
        assert_eq!(compare_names("Uyên", "Ưng"), Ordering::Less);
        assert_eq!(compare_names("Ưng", "Vân"), Ordering::Less);
        assert_eq!(compare_names("Ê", "Em"), Ordering::Greater);
    }

    #[test]
    fn given_name_first_then_the_rest() {
        assert_eq!(
            sorted(&["Trần Thị Bình", "Nguyễn Văn An", "Lê An", "Phạm Văn Bình"]),
            ["Lê An", "Nguyễn Văn An", "Phạm Văn Bình", "Trần Thị Bình"]
        );
        // Same given name: family name decides, then the middle names.
        assert_eq!(
            sorted(&["Nguyễn Văn Hùng", "Nguyễn Đức Hùng", "Lê Hùng"]),
            ["Lê Hùng", "Nguyễn Đức Hùng", "Nguyễn Văn Hùng"]
        );
        assert_eq!(
            compare_names("Nguyễn Văn An", "Trần Thị Bình"),
            Ordering::Less
        );
    }

    #[test]
    fn tones_are_a_secondary_order() {
        let expected = ["Ma", "Mà", "Mả", "Mã", "Má", "Mạ"];
        let mut shuffled = expected;
        shuffled.reverse();
        assert_eq!(sorted(&shuffled), expected);
        // A letter difference beats any tone difference.
        assert_eq!(compare_names("Mạ", "Man"), Ordering::Less);
        assert_eq!(compare_names("Lê Mạnh", "Lê Manh"), Ordering::Greater);
        assert_eq!(compare_names("Ánh", "Anh"), Ordering::Greater);
        assert_eq!(compare_names("Ánh", "Bảo"), Ordering::Less);
    }

    #[test]
    fn shorter_names_sort_first() {
        assert_eq!(compare_names("An", "Anh"), Ordering::Less);
        assert_eq!(compare_names("Anh", "Lan Anh"), Ordering::Less);
        assert_eq!(compare_names("Nguyễn An", "Nguyễn Văn An"), Ordering::Less);
    }

    #[test]
    fn case_spacing_and_normal_form_do_not_matter() {
        let nfc = "Nguyễn Thị Ánh Tuyết";
        let nfd: String = nfc.nfd().collect();
        assert_eq!(name_sort_key(nfc), name_sort_key(&nfd));
        assert_eq!(
            name_sort_key(nfc),
            name_sort_key("NGUYỄN  THỊ ÁNH   TUYẾT ")
        );
        assert_eq!(name_sort_key("đức"), name_sort_key("ĐỨC"));
        // Dot below and circumflex in either order on one letter.
        assert_eq!(
            name_sort_key("Lê Thị Kiệt"),
            name_sort_key("Le\u{0302} Thi\u{0323} Kie\u{0323}\u{0302}t")
        );
    }

    #[test]
    fn odd_input_does_not_panic_and_sorts_sensibly() {
        assert_eq!(compare_names("", "An"), Ordering::Less);
        assert_eq!(compare_names("   ", ""), Ordering::Equal);
        assert_eq!(
            compare_names("Nguyễn T. Bình", "Nguyễn T Bình"),
            Ordering::Equal
        );
        assert_eq!(compare_names("Bình2", "Bình"), Ordering::Greater);
        assert_eq!(compare_names("Zô", "Yến"), Ordering::Greater);
        assert_eq!(compare_names("Phan Fương", "Phan Giang"), Ordering::Less);
        // Other scripts after Latin letters, without panicking.
        assert_eq!(compare_names("李", "Yến"), Ordering::Greater);
    }

    #[test]
    fn a_realistic_list_sorts_like_a_ward_prints_it() {
        let names = [
            "Trần Văn Đức",
            "Nguyễn Thị Ánh",
            "Lê Văn Dũng",
            "Phạm Thị Ân",
            "Võ Văn An",
            "Huỳnh Thị Ăn",
            "Đặng Văn Bình",
            "Bùi Thị Anh",
            "Ngô Văn Âu",
            "Đỗ Thị Yến",
        ];
        assert_eq!(
            sorted(&names),
            [
                "Võ Văn An",
                "Bùi Thị Anh",
                "Nguyễn Thị Ánh",
                "Huỳnh Thị Ăn",
                "Phạm Thị Ân",
                "Ngô Văn Âu",
                "Đặng Văn Bình",
                "Lê Văn Dũng",
                "Trần Văn Đức",
                "Đỗ Thị Yến",
            ]
        );
    }
}
