//! The annotated copy of an imported file: the original sheet's cells as read (legacy text
//! converted to Unicode), with a status column and a problems column beside every person row,
//! so that a ward officer can fix the file and upload it again. No row's problems are lost.

use rust_xlsxwriter::{Color, Format, FormatBorder};

use crate::export::ExportError;
use crate::export::style::{Place, TextStyle, write_user_text};
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
    let accepted = TextStyle::new(base.set_background_color(Color::RGB(0xD1E7DD)));

    let cells = &parsed.cells;
    let sheet = workbook.add_worksheet();
    sheet.set_name(annotated_sheet_name(&parsed.sheet))?;
    let status_col =
        u16::try_from(cells.first_col() as usize + cells.width()).unwrap_or(u16::MAX - 2);
    let problems_col = status_col + 1;
    for row in cells.first_row()..=cells.last_row() {
        let sheet_row = row - 1;
        for (offset, text) in cells.row_cells(row).enumerate() {
            if !text.is_empty() {
                let col = u16::try_from(cells.first_col() as usize + offset).unwrap_or(u16::MAX);
                write_user_text(sheet, Place::Cell(sheet_row, col), text, &plain)?;
            }
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

/// A valid sheet name derived from the original one.
fn annotated_sheet_name(original: &str) -> String {
    crate::export::unique_sheet_names(&[original])
        .into_iter()
        .next()
        .unwrap_or_else(|| "Danh sách".into())
}
