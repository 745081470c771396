//! Formats, page setup and the one door through which user text reaches a cell.
//!
//! Every format is built once per workbook here and passed by reference: cloning a `Format`
//! per cell would cost more than writing the cell.

use std::borrow::Cow;

use rust_xlsxwriter::{
    Format, FormatAlign, FormatBorder, FormatUnderline, Workbook, Worksheet, XlsxError,
};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// Administrative documents are set in Times New Roman (Nghị định 30/2020/NĐ-CP).
pub(crate) const FONT: &str = "Times New Roman";
const FONT_SIZE: f64 = 12.0;
/// Money shows with thousands separators: Excel's built-in format 3, "#,##0", which a
/// Vietnamese-locale Excel or LibreOffice draws with dots (1.200.000).
const MONEY_FORMAT: u8 = 3;
/// Excel refuses longer strings in a cell.
const MAX_CELL_CHARS: usize = 32_767;

/// A text format in two variants: as is, and with Excel's quote prefix, for text that Excel
/// would otherwise read as a formula when someone edits the cell.
pub(crate) struct TextStyle {
    plain: Format,
    quoted: Format,
}

impl TextStyle {
    pub(crate) fn new(format: Format) -> TextStyle {
        TextStyle {
            quoted: format.clone().set_quote_prefix(),
            plain: format,
        }
    }

    /// The plain variant, for our own labels and for numbers.
    pub(crate) fn format(&self) -> &Format {
        &self.plain
    }

    /// The variant with the quote prefix.
    pub(crate) fn quoted(&self) -> &Format {
        &self.quoted
    }
}

/// Where a piece of user text goes: one cell, or a merged range (first row, first column,
/// last row, last column).
#[derive(Clone, Copy)]
pub(crate) enum Place {
    Cell(u32, u16),
    Merged(u32, u16, u32, u16),
}

/// Writes text that came from users (names, addresses, notes, category and program names):
/// in NFC, cut to what a cell holds, and with the quote prefix when it begins with a
/// character that Excel takes for the start of a formula (= + - @), so a note like
/// "+ Con liệt sĩ" stays text even after someone edits it. All user text goes through here.
pub(crate) fn write_user_text(
    sheet: &mut Worksheet,
    place: Place,
    text: &str,
    style: &TextStyle,
) -> Result<(), XlsxError> {
    let text = clean_user_text(text);
    let format = if needs_quote_prefix(&text) {
        &style.quoted
    } else {
        &style.plain
    };
    match place {
        Place::Cell(row, col) => {
            sheet.write_string_with_format(row, col, text.as_ref(), format)?;
        }
        Place::Merged(first_row, first_col, last_row, last_col) => {
            sheet.merge_range(
                first_row,
                first_col,
                last_row,
                last_col,
                text.as_ref(),
                format,
            )?;
        }
    }
    Ok(())
}

/// Whether Excel would take text starting like this for a formula.
pub(crate) fn needs_quote_prefix(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@'])
}

/// NFC, and no longer than a cell allows. Borrowed when nothing changes, which is almost
/// always, so 100,000 rows cost no extra allocations.
pub(crate) fn clean_user_text(text: &str) -> Cow<'_, str> {
    let nfc = plainly_nfc(text) || is_nfc_quick(text.chars()) == IsNormalized::Yes;
    let mut text = if nfc {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.nfc().collect::<String>())
    };
    // Char count is only needed for long strings (a UTF-8 byte count bounds it from above).
    if text.len() > MAX_CELL_CHARS && text.chars().count() > MAX_CELL_CHARS {
        text = Cow::Owned(text.chars().take(MAX_CELL_CHARS).collect());
    }
    text
}

/// Whether `text` is NFC by a check cheaper than the general one, which looks two tables
/// up for every letter that is not ASCII (most Vietnamese words have one): text made only
/// of ASCII, the Latin letters up to U+02FF and the precomposed letters of U+1E00..U+1EFF
/// (all Vietnamese letters with tone marks) is NFC, since each of these is a starter that
/// nothing before it composes with. `false` means "ask the general check".
fn plainly_nfc(text: &str) -> bool {
    text.is_ascii()
        || text
            .chars()
            .all(|c| c < '\u{300}' || ('\u{1E00}'..='\u{1EFF}').contains(&c))
}

/// Upper-cases a unit or list name for a heading ("Phường Long Bình" → "PHƯỜNG LONG BÌNH");
/// NFC first, so combined letters upper-case as one.
pub(crate) fn upper(text: &str) -> String {
    clean_user_text(text).to_uppercase()
}

/// The formats of our workbooks, built once per workbook.
pub(crate) struct Styles {
    /// Unit names in the heading, left block.
    pub unit: TextStyle,
    /// The issuing unit's own name, bold.
    pub unit_bold: TextStyle,
    /// "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM".
    pub nation: Format,
    /// "Độc lập - Tự do - Hạnh phúc", underlined.
    pub motto: Format,
    /// The list's title.
    pub title: TextStyle,
    /// Lines under the title (program).
    pub subtitle: TextStyle,
    /// Italic lines under the title (funding, reference).
    pub subtitle_italic: TextStyle,
    /// Column headers: bold, centred, wrapped, boxed.
    pub header: TextStyle,
    /// A data cell with text.
    pub cell_text: TextStyle,
    /// A centred data cell (STT, year, gender).
    pub cell_center: TextStyle,
    /// A data cell with money.
    pub cell_money: Format,
    /// A data cell with a count.
    pub cell_count: Format,
    /// A section row (category): bold text.
    pub section: TextStyle,
    /// The section's roman numeral in the STT column: bold, centred.
    pub section_number: Format,
    /// A bold, boxed label (subtotal and total rows).
    pub total_label: TextStyle,
    /// Money in subtotal and total rows.
    pub total_money: Format,
    /// Counts in subtotal and total rows.
    pub total_count: Format,
    /// An empty boxed cell.
    pub cell_blank: Format,
    /// "Bằng chữ: …".
    pub words: TextStyle,
    /// The place-and-date line.
    pub date_line: TextStyle,
    /// Signature titles ("Người lập biểu").
    pub sign_title: TextStyle,
    /// "(Ký, ghi rõ họ tên)".
    pub sign_hint: Format,
}

impl Styles {
    /// Sets the workbook's default font (so even empty cells and Excel's own styles use
    /// Times New Roman) and builds the formats. Must run before any sheet is added.
    pub(crate) fn install(workbook: &mut Workbook) -> Result<Styles, XlsxError> {
        let base = Format::new().set_font_name(FONT).set_font_size(FONT_SIZE);
        // Times New Roman 12 is 8 px per digit at 96 dpi: 72 px columns, 21 px rows.
        workbook.set_default_format(&base, 21, 72)?;

        let centered = base
            .clone()
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter);
        let boxed = base
            .clone()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::VerticalCenter)
            .set_text_wrap();
        let boxed_center = boxed.clone().set_align(FormatAlign::Center);
        let boxed_bold = boxed.clone().set_bold();

        Ok(Styles {
            unit: TextStyle::new(centered.clone()),
            unit_bold: TextStyle::new(centered.clone().set_bold()),
            nation: centered.clone().set_bold(),
            motto: centered
                .clone()
                .set_bold()
                .set_underline(FormatUnderline::Single),
            title: TextStyle::new(
                centered
                    .clone()
                    .set_bold()
                    .set_font_size(14)
                    .set_text_wrap(),
            ),
            subtitle: TextStyle::new(centered.clone().set_bold().set_text_wrap()),
            subtitle_italic: TextStyle::new(centered.clone().set_italic().set_text_wrap()),
            header: TextStyle::new(boxed_center.clone().set_bold()),
            cell_text: TextStyle::new(boxed.clone()),
            cell_center: TextStyle::new(boxed_center.clone()),
            cell_money: boxed.clone().set_num_format_index(MONEY_FORMAT),
            cell_count: boxed_center.clone().set_num_format_index(MONEY_FORMAT),
            section: TextStyle::new(boxed_bold.clone()),
            section_number: boxed_center.clone().set_bold(),
            total_label: TextStyle::new(boxed_bold.clone()),
            total_money: boxed_bold.clone().set_num_format_index(MONEY_FORMAT),
            total_count: boxed_bold
                .clone()
                .set_align(FormatAlign::Center)
                .set_num_format_index(MONEY_FORMAT),
            cell_blank: boxed,
            words: TextStyle::new(base.clone().set_italic().set_bold()),
            date_line: TextStyle::new(centered.clone().set_italic()),
            sign_title: TextStyle::new(centered.clone().set_bold()),
            sign_hint: centered.set_italic(),
        })
    }
}

/// A4 landscape, one page wide and as many pages long as needed, the header rows on every
/// page, "Trang x/y" at the foot: printable as exported, without touching Excel's settings.
pub(crate) fn set_print_layout(
    sheet: &mut Worksheet,
    repeat_rows: Option<(u32, u32)>,
) -> Result<(), XlsxError> {
    const PAPER_A4: u8 = 9;
    sheet
        .set_landscape()
        .set_paper_size(PAPER_A4)
        .set_print_fit_to_pages(1, 0)
        .set_print_center_horizontally(true)
        .set_margins(0.4, 0.4, 0.5, 0.6, 0.3, 0.3)
        .set_footer("&C&\"Times New Roman,Regular\"&11Trang &P/&N");
    if let Some((first, last)) = repeat_rows {
        sheet.set_repeat_rows(first, last)?;
    }
    Ok(())
}

/// Height in points of a row whose wrapped texts (each with its column's width in
/// characters) must show in full, and at least `min`.
///
/// Excel and LibreOffice do not grow a row for wrapped text in a file they open (only when
/// a cell is edited), so a long address would be cut off on paper; we estimate the lines
/// by greedy word wrap instead. The estimate errs on the tall side: Times New Roman fits
/// about 1.1 characters per unit of column width.
pub(crate) fn wrapped_row_height(cells: &[(&str, f64)], min: f64) -> f64 {
    const LINE_HEIGHT: f64 = 15.0;
    const PADDING: f64 = 3.0;
    let lines = cells
        .iter()
        .map(|(text, width)| wrapped_lines(text, *width))
        .max()
        .unwrap_or(1);
    (lines as f64 * LINE_HEIGHT + PADDING).max(min)
}

/// Lines a text takes when word-wrapped in a column `width` characters wide.
fn wrapped_lines(text: &str, width: f64) -> usize {
    // Column widths are small positive numbers of our own, so the cast cannot truncate.
    let capacity = ((width * 1.1).floor() as usize).saturating_sub(1).max(1);
    // A text of no more bytes than the line holds characters fits on one line: the usual
    // case, answered without walking the words.
    if text.len() <= capacity {
        return 1;
    }
    let mut lines = 0;
    let mut used = 0;
    for word in text.split_whitespace() {
        let len = word.chars().count();
        if used == 0 {
            lines += 1;
            used = len;
        } else if used + 1 + len <= capacity {
            used += 1 + len;
        } else {
            lines += 1;
            used = len;
        }
        // A word longer than the column breaks across lines.
        while used > capacity {
            lines += 1;
            used -= capacity;
        }
    }
    lines.max(1)
}

/// The roman numeral of a section (1 → "I"), as Vietnamese lists number their parts.
pub(crate) fn roman(mut n: usize) -> String {
    const TABLE: [(usize, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, letters) in TABLE {
        while n >= value {
            out.push_str(letters);
            n -= value;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starters_need_the_prefix() {
        for text in [
            "=1+1",
            "+ Con liệt sĩ",
            "-",
            "@SUM(A1)",
            "=HYPERLINK(\"x\")",
        ] {
            assert!(needs_quote_prefix(text), "{text}");
        }
        for text in ["Con liệt sĩ", " +1", "", "1+1", "Nguyễn Văn An"] {
            assert!(!needs_quote_prefix(text), "{text}");
        }
    }

    #[test]
    fn user_text_is_nfc_and_fits_a_cell() {
        let nfd: String = "Nguyễn".nfd().collect();
        assert_eq!(clean_user_text(&nfd), "Nguyễn");
        assert!(matches!(clean_user_text("Nguyễn"), Cow::Borrowed(_)));
        let long = "ư".repeat(40_000);
        assert_eq!(clean_user_text(&long).chars().count(), MAX_CELL_CHARS);
    }

    #[test]
    fn the_cheap_nfc_check_agrees_with_the_general_one() {
        let plain = ('\0'..'\u{300}').chain('\u{1E00}'..='\u{1EFF}');
        for c in plain {
            let text = format!("{c}a{c}");
            assert!(plainly_nfc(&text), "{c:?}");
            assert_eq!(is_nfc_quick(text.chars()), IsNormalized::Yes, "{c:?}");
        }
        let nfd: String = "Nguyễn".nfd().collect();
        assert!(!plainly_nfc(&nfd));
        assert!(plainly_nfc("Nguyễn Thị Ánh Tuyết, 12/3 đường Lã Xuân Oai"));
    }

    #[test]
    fn wrapped_rows_grow_with_their_longest_text() {
        assert_eq!(wrapped_lines("", 10.0), 1);
        assert_eq!(wrapped_lines("Hộ nghèo", 18.0), 1);
        assert_eq!(wrapped_lines("Người có công với cách mạng", 18.0), 2);
        assert_eq!(
            wrapped_lines("Một_từ_rất_dài_không_có_khoảng_trắng", 10.0),
            4
        );
        assert_eq!(wrapped_row_height(&[("Hộ nghèo", 18.0)], 30.0), 30.0);
        let long = "123/45/6 Đường Lã Xuân Oai, Khu phố 3, Phường Long Trường, Quận 9";
        assert_eq!(
            wrapped_row_height(&[(long, 26.0), ("An", 24.0)], 30.0),
            48.0
        );
    }

    #[test]
    fn roman_numerals() {
        assert_eq!(roman(1), "I");
        assert_eq!(roman(4), "IV");
        assert_eq!(roman(9), "IX");
        assert_eq!(roman(14), "XIV");
        assert_eq!(roman(0), "");
    }

    #[test]
    fn headings_upper_case_vietnamese() {
        assert_eq!(upper("Phường Long Bình"), "PHƯỜNG LONG BÌNH");
        assert_eq!(upper("Quận 9"), "QUẬN 9");
    }
}
