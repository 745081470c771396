//! Vietnamese text typed in the pre-Unicode encodings still found in government files, and
//! its conversion to Unicode.
//!
//! A spreadsheet reader hands such text over as Latin-1 characters: TCVN3 (TCVN 5712:1993
//! VN3, the "ABC" fonts .VnTime/.VnTimeH) puts each Vietnamese letter in one byte ("Hä vµ tªn"
//! = "Họ và tên"; "ư" is 0xAD, the soft hyphen); VNI (VNI-Times) writes a base letter followed
//! by a mark byte ("Nguyeãn" = "Nguyễn"). Many of those bytes are also letters of ordinary
//! Unicode Vietnamese ("ô" in "Công" is TCVN3 "ụ"), so the encoding is decided for a whole
//! column or sheet from the evidence of all its cells ([`EncodingEvidence`]), never per cell.

use unicode_normalization::UnicodeNormalization;

/// The encoding a column's text was typed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LegacyEncoding {
    /// Already Unicode (or plain ASCII): nothing to convert.
    #[default]
    Unicode,
    /// TCVN3 / ABC.
    Tcvn3,
    /// VNI-Windows.
    Vni,
}

/// TCVN 5712:1993 VN3 ("ABC"), bytes 0xA1..=0xFE; `'\0'` marks bytes the table leaves to
/// Latin-1. The capital letters with tone marks are not in VN3 (the .VnTimeH font draws the
/// lowercase codes as capitals), so they are absent here.
const TCVN3_HIGH: [char; 94] = [
    // 0xA1..=0xAF
    'Ă', 'Â', 'Ê', 'Ô', 'Ơ', 'Ư', 'Đ', 'ă', 'â', 'ê', 'ô', 'ơ', 'ư', 'đ', '\0',
    // 0xB0..=0xBF
    '\0', '\0', '\0', '\0', '\0', 'à', 'ả', 'ã', 'á', 'ạ', '\0', 'ằ', 'ẳ', 'ẵ', 'ắ', '\0',
    // 0xC0..=0xCF
    '\0', '\0', '\0', '\0', '\0', '\0', 'ặ', 'ầ', 'ẩ', 'ẫ', 'ấ', 'ậ', 'è', '\0', 'ẻ', 'ẽ',
    // 0xD0..=0xDF
    'é', 'ẹ', 'ề', 'ể', 'ễ', 'ế', 'ệ', 'ì', 'ỉ', '\0', '\0', '\0', 'ĩ', 'í', 'ị', 'ò',
    // 0xE0..=0xEF
    '\0', 'ỏ', 'õ', 'ó', 'ọ', 'ồ', 'ổ', 'ỗ', 'ố', 'ộ', 'ờ', 'ở', 'ỡ', 'ớ', 'ợ', 'ù',
    // 0xF0..=0xFE
    '\0', 'ủ', 'ũ', 'ú', 'ụ', 'ừ', 'ử', 'ữ', 'ứ', 'ự', 'ỳ', 'ỷ', 'ỹ', 'ý', 'ỵ',
];

/// The TCVN3 letter a Latin-1 character stands for, if the table has one.
pub fn tcvn3_char(c: char) -> Option<char> {
    let code = c as u32;
    if !(0xA1..=0xFE).contains(&code) {
        return None;
    }
    let mapped = TCVN3_HIGH[(code - 0xA1) as usize];
    (mapped != '\0').then_some(mapped)
}

/// Combining marks used to rebuild VNI letters before NFC composes them.
const ACUTE: char = '\u{301}';
const GRAVE: char = '\u{300}';
const HOOK: char = '\u{309}';
const TILDE: char = '\u{303}';
const DOT: char = '\u{323}';
const CIRCUMFLEX: char = '\u{302}';
const BREVE: char = '\u{306}';
const HORN: char = '\u{31B}';

/// A VNI mark byte after a vowel: (circumflex or breve, tone), per the VNI-Windows table
/// ("aù" á, "aø" à, "aû" ả, "aõ" ã, "aï" ạ; "aâ" â, "aá" ấ, "aà" ầ, "aå" ẩ, "aã" ẫ, "aä" ậ;
/// "aê" ă, "aé" ắ, "aè" ằ, "aú" ẳ, "aü" ẵ, "aë" ặ). Capital marks follow capital letters.
fn vni_mark(c: char) -> Option<(Option<char>, Option<char>)> {
    let lower = c.to_lowercase().next().unwrap_or(c);
    Some(match lower {
        'ù' => (None, Some(ACUTE)),
        'ø' => (None, Some(GRAVE)),
        'û' => (None, Some(HOOK)),
        'õ' => (None, Some(TILDE)),
        'ï' => (None, Some(DOT)),
        'â' => (Some(CIRCUMFLEX), None),
        'á' => (Some(CIRCUMFLEX), Some(ACUTE)),
        'à' => (Some(CIRCUMFLEX), Some(GRAVE)),
        'å' => (Some(CIRCUMFLEX), Some(HOOK)),
        'ã' => (Some(CIRCUMFLEX), Some(TILDE)),
        'ä' => (Some(CIRCUMFLEX), Some(DOT)),
        'ê' => (Some(BREVE), None),
        'é' => (Some(BREVE), Some(ACUTE)),
        'è' => (Some(BREVE), Some(GRAVE)),
        'ú' => (Some(BREVE), Some(HOOK)),
        'ü' => (Some(BREVE), Some(TILDE)),
        'ë' => (Some(BREVE), Some(DOT)),
        _ => return None,
    })
}

/// VNI letters written as a single byte: ơ ư đ and the i/y forms.
fn vni_single(c: char) -> Option<&'static str> {
    Some(match c {
        'ô' => "ơ",
        'Ô' => "Ơ",
        'ö' => "ư",
        'Ö' => "Ư",
        'ñ' => "đ",
        'Ñ' => "Đ",
        'æ' => "ỉ",
        'Æ' => "Ỉ",
        'ó' => "ĩ",
        'Ó' => "Ĩ",
        'ò' => "ị",
        'Ò' => "Ị",
        'î' => "ỵ",
        'Î' => "Ỵ",
        _ => return None,
    })
}

/// Whether a VNI base letter takes this modifier (â ê ô take the circumflex, only a the breve).
fn vni_base_accepts(base: char, modifier: Option<char>) -> bool {
    let b = base.to_ascii_lowercase();
    match modifier {
        None => {
            matches!(b, 'a' | 'e' | 'i' | 'o' | 'u' | 'y') || matches!(base, 'ô' | 'Ô' | 'ö' | 'Ö')
        }
        Some(CIRCUMFLEX) => matches!(base, 'a' | 'e' | 'o' | 'A' | 'E' | 'O'),
        Some(_) => matches!(base, 'a' | 'A'),
    }
}

/// Appends the Unicode (NFC) text of a TCVN3 string to `out`.
///
/// Lowercase letters are made capitals when the ASCII letters of the text are all
/// capitals: text typed in .VnTimeH keeps its capital Vietnamese letters in the
/// lowercase codes ("NGUYÔN" shows as "NGUYỄN").
pub fn push_tcvn3_decoded(out: &mut String, s: &str) {
    // Two capitals and no small ASCII letter: a word typed in capitals ("N÷" is just "Nữ").
    let ascii_upper = s.bytes().filter(u8::is_ascii_uppercase).count();
    let ascii_lower = s.bytes().any(|b| b.is_ascii_lowercase());
    let caps = ascii_upper >= 2 && !ascii_lower;
    for c in s.chars() {
        let d = tcvn3_char(c).unwrap_or(c);
        if caps {
            out.extend(d.to_uppercase());
        } else {
            out.push(d);
        }
    }
}

/// Appends the Unicode (NFC) text of a VNI string to `out`.
pub fn push_vni_decoded(out: &mut String, s: &str) {
    let mut decomposed = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        let (base, horn) = match c {
            'ô' => ('o', true),
            'Ô' => ('O', true),
            'ö' => ('u', true),
            'Ö' => ('U', true),
            _ => (c, false),
        };
        let is_base = base.is_ascii_alphabetic() && "aeiouyAEIOUY".contains(base);
        if is_base
            && let Some(&next) = chars.peek()
            && let Some((modifier, tone)) = vni_mark(next)
            && vni_base_accepts(c, modifier)
            && !(horn && modifier.is_some())
        {
            chars.next();
            decomposed.push(base);
            if horn {
                decomposed.push(HORN);
            }
            if let Some(m) = modifier {
                decomposed.push(m);
            }
            if let Some(t) = tone {
                decomposed.push(t);
            }
            continue;
        }
        match vni_single(c) {
            Some(s) => decomposed.push_str(s),
            None => decomposed.push(c),
        }
    }
    out.extend(decomposed.nfc());
}

/// Appends `s` decoded from `enc` to `out`.
pub fn push_decoded(out: &mut String, s: &str, enc: LegacyEncoding) {
    match enc {
        LegacyEncoding::Unicode => out.push_str(s),
        LegacyEncoding::Tcvn3 => push_tcvn3_decoded(out, s),
        LegacyEncoding::Vni => push_vni_decoded(out, s),
    }
}

/// Decodes `s` from `enc` into a new string.
pub fn decode(s: &str, enc: LegacyEncoding) -> String {
    let mut out = String::with_capacity(s.len());
    push_decoded(&mut out, s, enc);
    out
}

/// Counts of the signs of each encoding in a set of cells (a column or a sheet).
#[derive(Debug, Clone, Copy, Default)]
pub struct EncodingEvidence {
    /// Characters that only Unicode Vietnamese has (ă đ ơ ư, U+1Exx letters, combining
    /// marks): their presence rules the legacy encodings out.
    pub unicode: u32,
    /// TCVN3 codes 0xA1..=0xBE ("µ" à, "¸" á, "­" ư, "ª" ê, "®" đ…), which no Vietnamese
    /// word in Unicode or VNI contains.
    pub tcvn3: u32,
    /// VNI marks after a vowel that Unicode Vietnamese never writes ("aø", "eä", "ö" for ư,
    /// "ñ" for đ).
    pub vni: u32,
    /// Other Latin-1 letters that are not Vietnamese in Unicode ("÷" in TCVN3 "N÷").
    pub foreign: u32,
}

impl EncodingEvidence {
    /// Adds the evidence of one cell's text.
    pub fn add(&mut self, s: &str) {
        if s.is_ascii() {
            return;
        }
        let mut prev = ' ';
        for c in s.chars() {
            let code = c as u32;
            if (0x100..=0x1FF).contains(&code)
                || (0x1EA0..=0x1EF9).contains(&code)
                || (0x300..=0x323).contains(&code)
            {
                self.unicode += 1;
            } else if (0xA1..=0xBE).contains(&code) && tcvn3_char(c).is_some() {
                self.tcvn3 += 1;
            } else if (0xC0..=0xFF).contains(&code) {
                let vowel_before = "aeiouyAEIOUY".contains(prev);
                if matches!(c, 'ö' | 'Ö' | 'ñ' | 'Ñ')
                    || (vowel_before
                        && matches!(
                            c.to_lowercase().next(),
                            Some('ø' | 'û' | 'ï' | 'å' | 'ä' | 'ü' | 'ë')
                        ))
                {
                    self.vni += 1;
                } else if !is_vietnamese_latin1(c) {
                    self.foreign += 1;
                }
            }
            prev = c;
        }
    }

    /// Adds another set of evidence.
    pub fn merge(&mut self, other: &EncodingEvidence) {
        self.unicode += other.unicode;
        self.tcvn3 += other.tcvn3;
        self.vni += other.vni;
        self.foreign += other.foreign;
    }

    /// The encoding this evidence points to, or `None` when it says nothing (plain ASCII
    /// or only letters common to all encodings).
    pub fn verdict(&self) -> Option<LegacyEncoding> {
        if self.unicode > 0 {
            Some(LegacyEncoding::Unicode)
        } else if self.tcvn3 > 0 && self.tcvn3 >= self.vni {
            Some(LegacyEncoding::Tcvn3)
        } else if self.vni > 0 {
            Some(LegacyEncoding::Vni)
        } else {
            None
        }
    }
}

/// Latin-1 letters that Unicode Vietnamese uses.
fn is_vietnamese_latin1(c: char) -> bool {
    "àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ".contains(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn evidence(cells: &[&str]) -> Option<LegacyEncoding> {
        let mut e = EncodingEvidence::default();
        for c in cells {
            e.add(c);
        }
        e.verdict()
    }

    #[test]
    fn tcvn3_headers_decode_including_the_soft_hyphen_u_horn() {
        assert_eq!(decode("Hä vµ tªn", LegacyEncoding::Tcvn3), "Họ và tên");
        assert_eq!(decode("§èi t\u{ad}îng", LegacyEncoding::Tcvn3), "Đối tượng");
        assert_eq!(decode("Quèc", LegacyEncoding::Tcvn3), "Quốc");
        assert_eq!(
            decode("NguyÔn V¨n Tr\u{ad}êng", LegacyEncoding::Tcvn3),
            "Nguyễn Văn Trường"
        );
        assert_eq!(decode("N÷", LegacyEncoding::Tcvn3), "Nữ");
    }

    #[test]
    fn tcvn3_in_the_capitals_font_becomes_capitals() {
        assert_eq!(
            decode("NGUYÔN V¡N AN", LegacyEncoding::Tcvn3),
            "NGUYỄN VĂN AN"
        );
    }

    #[test]
    fn vni_decodes_base_letter_plus_mark() {
        assert_eq!(
            decode("Nguyeãn Vaên Tröôøng", LegacyEncoding::Vni),
            "Nguyễn Văn Trường"
        );
        assert_eq!(decode("Ñoái töôïng", LegacyEncoding::Vni), "Đối tượng");
        assert_eq!(decode("Hoï vaø teân", LegacyEncoding::Vni), "Họ và tên");
        assert_eq!(
            decode("NGUYEÃN THÒ HOÀNG", LegacyEncoding::Vni),
            "NGUYỄN THỊ HỒNG"
        );
        assert_eq!(decode("Hoä ngheøo", LegacyEncoding::Vni), "Hộ nghèo");
    }

    #[test]
    fn evidence_is_decided_over_many_cells() {
        // Unicode text whose letters are also TCVN3 codes stays Unicode.
        assert_eq!(
            evidence(&["Công", "nghèo", "Trường"]),
            Some(LegacyEncoding::Unicode)
        );
        assert_eq!(evidence(&["Công", "nghèo"]), None);
        assert_eq!(
            evidence(&["Hä vµ tªn", "Quèc"]),
            Some(LegacyEncoding::Tcvn3)
        );
        assert_eq!(
            evidence(&["Nguyeãn Vaên Tröôøng"]),
            Some(LegacyEncoding::Vni)
        );
        assert_eq!(evidence(&["Nguyen Van A", "123"]), None);
    }
}
