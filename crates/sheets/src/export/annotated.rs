//! The annotated copy of an imported file: the original sheet as the ward made it (legacy
//! text converted to Unicode; numbers, dates and TRUE/FALSE kept as such; merged cells and
//! column widths kept), with a status column and a problems column beside every person row,
//! so that a ward officer can fix the file and upload it again. No row's problems are lost.

use rust_xlsxwriter::{Color, ExcelDateTime, Format, FormatBorder, Worksheet, XlsxError};

use crate::export::ExportError;
use crate::export::style::{Place, TextStyle, write_user_text};
use crate::import::workbook::CellKind;
use crate::import::{ParsedList, RowStatus, Severity};

/// The header of the status column.
pub const STATUS_HEADER: &str = "Trạng thái nhập";
/// The header of the problems column.
pub const PROBLEMS_HEADER: &str = "Lỗi và cảnh báo";

/// The Vietnamese label of a row's status in the annotated copy.
pub fn status_label(status: RowStatus) -> &'static str {
    match status {
        RowStatus::Accepted => "Hợp lệ",
        RowStatus::Rejected => "Bị loại",
        RowStatus::Duplicate => "Trùng",
    }
}

/// Writes the annotated copy of `parsed` as .xlsx bytes.
pub fn write_annotated_copy(parsed: &ParsedList) -> Result<Vec<u8>, ExportError> {
    let mut workbook = super::new_workbook();
    let base = Format::new()
        .set_font_name("Times New Roman")
        .set_font_size(12);
    let plain = TextStyle::new(base.clone());
    let header = TextStyle::new(base.clone().set_bold().set_border(FormatBorder::Thin));
    let rejected = TextStyle::new(base.clone().set_background_color(Color::RGB(0xF8D7DA)));
    let duplicate = TextStyle::new(base.clone().set_background_color(Color::RGB(0xFFF3CD)));
    let accepted = TextStyle::new(base.clone().set_background_color(Color::RGB(0xD1E7DD)));

    let original = Originals {
        text: &plain,
        number: base.clone(),
        date: base.clone().set_num_format("dd/mm/yyyy"),
        date_time: base.clone().set_num_format("dd/mm/yyyy hh:mm"),
    };

    let cells = &parsed.cells;
    let sheet = workbook.add_worksheet();
    sheet.set_name(annotated_sheet_name(&parsed.sheet))?;
    let status_col =
        u16::try_from(cells.first_col() as usize + cells.width()).unwrap_or(u16::MAX - 2);
    let problems_col = status_col + 1;
    // Merged first, so that each area's first cell then gets its value with its type.
    for &((r1, c1), (r2, c2)) in &parsed.merged {
        let (Ok(c1), Ok(c2)) = (u16::try_from(c1), u16::try_from(c2)) else {
            continue;
        };
        if (r1, c1) == (r2, c2) || c2 >= status_col {
            continue;
        }
        // Layout only: an area Excel would refuse (overlapping another) is left unmerged.
        let _ = sheet.merge_range(r1, c1, r2, c2, "", &plain.format().clone());
    }
    for row_idx in 0..cells.height() {
        let sheet_row = cells.first_row() - 1 + row_idx as u32;
        for col_idx in 0..cells.width() {
            let text = cells.at(row_idx, col_idx);
            if text.is_empty() {
                continue;
            }
            let col = u16::try_from(cells.first_col() as usize + col_idx).unwrap_or(u16::MAX);
            let kind = cells.kind_at(row_idx, col_idx);
            original.write(sheet, sheet_row, col, text, kind)?;
        }
    }
    let widths = if parsed.column_widths.is_empty() {
        widths_from_text(parsed)
    } else {
        parsed.column_widths.clone()
    };
    for (col, width) in widths {
        if let Ok(col) = u16::try_from(col)
            && col < status_col
        {
            // The file's unit is a character of the default font's digit, 7 pixels.
            sheet.set_column_width_pixels(col, (width * 7.0).round() as u32)?;
        }
    }
    let header_row = parsed.header_row.saturating_sub(1);
    write_user_text(
        sheet,
        Place::Cell(header_row, status_col),
        STATUS_HEADER,
        &header,
    )?;
    write_user_text(
        sheet,
        Place::Cell(header_row, problems_col),
        PROBLEMS_HEADER,
        &header,
    )?;
    for person in &parsed.rows {
        let style = match person.status {
            RowStatus::Accepted => &accepted,
            RowStatus::Rejected => &rejected,
            RowStatus::Duplicate => &duplicate,
        };
        let sheet_row = person.row.saturating_sub(1);
        write_user_text(
            sheet,
            Place::Cell(sheet_row, status_col),
            status_label(person.status),
            style,
        )?;
        let problems = person
            .issues
            .iter()
            .map(|issue| match issue.severity {
                Severity::Error => format!("Lỗi: {}", issue.message),
                Severity::Warning => format!("Cảnh báo: {}", issue.message),
            })
            .collect::<Vec<_>>()
            .join("\n");
        if !problems.is_empty() {
            write_user_text(
                sheet,
                Place::Cell(sheet_row, problems_col),
                &problems,
                style,
            )?;
        }
    }
    sheet.set_column_width(problems_col, 80)?;
    sheet.set_column_width(status_col, 14)?;
    Ok(workbook.save_to_buffer()?)
}

/// Column widths for a file that gives none (.xls, .ods): each column as wide as its longest
/// value under the header, between 6 and 40 characters (in the file's unit, as
/// [`ParsedList::column_widths`]).
fn widths_from_text(parsed: &ParsedList) -> Vec<(u32, f64)> {
    let cells = &parsed.cells;
    let first_data = parsed.header_row.saturating_sub(cells.first_row()) as usize;
    (0..cells.width())
        .map(|c| {
            let longest = (first_data..cells.height())
                .map(|r| cells.at(r, c).chars().count())
                .max()
                .unwrap_or(0);
            (
                cells.first_col() + c as u32,
                (longest as f64 + 2.0).clamp(6.0, 40.0),
            )
        })
        .collect()
}

/// The formats the original cells are written back with, by what they held.
struct Originals<'a> {
    text: &'a TextStyle,
    number: Format,
    date: Format,
    date_time: Format,
}

impl Originals<'_> {
    /// Writes a cell of the original with the type it had: a number as a number, a date as
    /// a date, TRUE/FALSE as a boolean, anything else as text.
    fn write(
        &self,
        sheet: &mut Worksheet,
        row: u32,
        col: u16,
        text: &str,
        kind: CellKind,
    ) -> Result<(), XlsxError> {
        match kind {
            CellKind::Number => {
                if let Ok(n) = text.parse::<f64>() {
                    sheet.write_number_with_format(row, col, n, &self.number)?;
                    return Ok(());
                }
            }
            CellKind::Date => {
                if let Some((date, with_time)) = parse_date(text) {
                    let format = if with_time {
                        &self.date_time
                    } else {
                        &self.date
                    };
                    sheet.write_datetime_with_format(row, col, &date, format)?;
                    return Ok(());
                }
            }
            CellKind::Bool => {
                sheet.write_boolean_with_format(row, col, text == "TRUE", &self.number)?;
                return Ok(());
            }
            CellKind::Text | CellKind::Error | CellKind::Empty => {}
        }
        write_user_text(sheet, Place::Cell(row, col), text, self.text)
    }
}

/// A date as the reader writes it ("dd/mm/yyyy" or "dd/mm/yyyy hh:mm"), and whether it has
/// a time.
fn parse_date(text: &str) -> Option<(ExcelDateTime, bool)> {
    let (day, time) = match text.split_once(' ') {
        Some((day, time)) => (day, Some(time)),
        None => (text, None),
    };
    let mut parts = day.split('/').map(str::parse::<u16>);
    let (Some(Ok(d)), Some(Ok(m)), Some(Ok(y)), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let date = ExcelDateTime::from_ymd(y, u8::try_from(m).ok()?, u8::try_from(d).ok()?).ok()?;
    match time.and_then(|t| t.split_once(':')) {
        Some((h, mi)) => {
            let date = date
                .and_hms(h.parse::<u16>().ok()?, mi.parse::<u8>().ok()?, 0)
                .ok()?;
            Some((date, true))
        }
        None => Some((date, false)),
    }
}

/// A valid sheet name derived from the original one.
fn annotated_sheet_name(original: &str) -> String {
    crate::export::unique_sheet_names(&[original])
        .into_iter()
        .next()
        .unwrap_or_else(|| "Danh sách".into())
}
