//! A lineage spreadsheet: which old ward (phường/xã) went to which new one, whole or in part,
//! with the khu phố of a part and the day it took effect. A city entering its own mergers
//! fills one in ("Phường/xã cũ", "Phường/xã mới", "Toàn bộ/Một phần", "Khu phố", "Ngày hiệu
//! lực"); the header is found the way a ward file's is (folded headings anywhere in the first
//! rows, under a title block), the workbook opened by the same code (xlsx, xls, ods). Pure:
//! bytes in, rows with their reading problems out; names are matched to units by
//! `domain::lineage_import`.

use chamlo_vn::text::{fold_key, normalize};
use chrono::NaiveDate;
use serde::Serialize;

use super::canonical_khu_pho;
use super::header::{HEADER_SEARCH_ROWS, label_words};
use super::values::parse_birth;
use super::workbook::{CellKind, SheetText, open};

/// Whether a whole old ward went to the new one, or only some of its khu phố.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Share {
    /// "Toàn bộ".
    Whole,
    /// "Một phần": the khu phố listed went there.
    Part,
}

/// One row of a lineage file, as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineageSheetRow {
    /// The row's number as the spreadsheet shows it (1 = the first line).
    pub row: u32,
    /// The old ward as written ("Phường Hiệp Phú", "Hiệp Phú").
    pub old_ward: String,
    /// The new ward as written.
    pub new_ward: String,
    /// Whole or part: as written, or part when khu phố are given, else whole.
    pub share: Share,
    /// The khu phố that went to the new ward, spelled the one way ("KP 3" → "Khu phố 3").
    pub quarters: Vec<String>,
    /// The day the new ward took it over, when given.
    pub effective_on: Option<NaiveDate>,
    /// What could not be read on this row, in Vietnamese (the row is not used when any).
    pub problems: Vec<String>,
}

/// A lineage file read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineageSheet {
    /// The header's row number as the spreadsheet shows it.
    pub header_row: u32,
    /// The rows under the header that name an old or a new ward.
    pub rows: Vec<LineageSheetRow>,
}

/// Why a lineage file cannot be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LineageFileError {
    /// The bytes are no spreadsheet.
    #[error("{0}")]
    Unreadable(String),
    /// No row in the first rows names the old and the new ward.
    #[error(
        "Không tìm thấy dòng tiêu đề của tệp kế thừa trong 30 dòng đầu: cần cột “Phường/xã cũ” và cột “Phường/xã mới” (có thể thêm “Toàn bộ/Một phần”, “Khu phố”, “Ngày hiệu lực”)."
    )]
    NoHeader,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Old,
    New,
    Share,
    KhuPho,
    Date,
}

/// Which column a heading names.
fn column_of(heading: &str) -> Option<Column> {
    let w = label_words(heading);
    let words: Vec<&str> = w.split(' ').collect();
    let has_word = |word: &str| words.contains(&word);
    if w.is_empty() || matches!(w.as_str(), "stt" | "tt" | "so tt") {
        None
    } else if w.contains("toan bo") || w.contains("mot phan") || w.starts_with("pham vi") {
        Some(Column::Share)
    } else if w.starts_with("ngay") || w.contains("hieu luc") {
        Some(Column::Date)
    } else if ["khu pho", "kp", "to dan pho", "ap", "khom"]
        .iter()
        .any(|p| w == *p || w.starts_with(&format!("{p} ")))
    {
        Some(Column::KhuPho)
    } else if has_word("cu") || w.contains("truoc sap nhap") {
        Some(Column::Old)
    } else if has_word("moi") || w.contains("sau sap nhap") {
        Some(Column::New)
    } else {
        None
    }
}

/// Reads a lineage file (xlsx, xls or ods). Rows naming neither ward (notes, signatures)
/// are left out; numbering rows ("(1)", "(2)"…) too. Never panics on any input.
pub fn read_lineage_file(bytes: &[u8]) -> Result<LineageSheet, LineageFileError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_inner(bytes))).unwrap_or_else(
        |_| {
            Err(LineageFileError::Unreadable(
                "Tệp bị hỏng, không đọc được. Hãy mở bằng Excel, lưu lại rồi tải lên lại.".into(),
            ))
        },
    )
}

fn read_inner(bytes: &[u8]) -> Result<LineageSheet, LineageFileError> {
    let book = open(bytes).map_err(|e| LineageFileError::Unreadable(e.to_string()))?;
    for sheet in book.sheets.iter().filter(|s| s.visible) {
        if let Some(read) = read_sheet(&sheet.cells) {
            return Ok(read);
        }
    }
    Err(LineageFileError::NoHeader)
}

fn read_sheet(sheet: &SheetText) -> Option<LineageSheet> {
    let (header_idx, columns) = (0..sheet.height().min(HEADER_SEARCH_ROWS)).find_map(|r| {
        let mut columns: Vec<(usize, Column)> = Vec::new();
        for c in 0..sheet.width() {
            if let Some(column) = column_of(sheet.at(r, c))
                && !columns.iter().any(|(_, k)| *k == column)
            {
                columns.push((c, column));
            }
        }
        let has = |k: Column| columns.iter().any(|(_, c)| *c == k);
        (has(Column::Old) && has(Column::New)).then_some((r, columns))
    })?;
    let col = |k: Column| columns.iter().find(|(_, c)| *c == k).map(|(i, _)| *i);
    let mut rows = Vec::new();
    for r in header_idx + 1..sheet.height() {
        let cell = |k: Column| {
            col(k)
                .map(|c| (normalize(sheet.at(r, c).trim()), sheet.kind_at(r, c)))
                .unwrap_or((String::new(), CellKind::Empty))
        };
        let (old_ward, _) = cell(Column::Old);
        let (new_ward, _) = cell(Column::New);
        let is_numbering = |t: &str| t.starts_with('(') && t.ends_with(')');
        if (old_ward.is_empty() && new_ward.is_empty())
            || (is_numbering(&old_ward) && is_numbering(&new_ward))
        {
            continue;
        }
        let mut problems = Vec::new();
        if old_ward.is_empty() {
            problems.push("Thiếu tên phường/xã cũ.".to_owned());
        }
        if new_ward.is_empty() {
            problems.push("Thiếu tên phường/xã mới.".to_owned());
        }
        let (khu_pho, _) = cell(Column::KhuPho);
        let quarters: Vec<String> = khu_pho
            .split([',', ';', '\n'])
            .map(str::trim)
            .filter(|q| !q.is_empty())
            .map(|q| canonical_khu_pho(q, false))
            .collect();
        let (share_text, _) = cell(Column::Share);
        let share = match parse_share(&share_text) {
            Ok(Some(share)) => share,
            Ok(None) if quarters.is_empty() => Share::Whole,
            Ok(None) => Share::Part,
            Err(message) => {
                problems.push(message);
                Share::Whole
            }
        };
        if share == Share::Whole && !quarters.is_empty() {
            problems.push(
                "Dòng ghi “Toàn bộ” nhưng có khu phố: khi chỉ một số khu phố chuyển đi, hãy \
                 ghi “Một phần”."
                    .to_owned(),
            );
        }
        let (date_text, date_kind) = cell(Column::Date);
        let effective_on = parse_birth(&date_text, date_kind).and_then(|b| b.date);
        if !date_text.is_empty() && effective_on.is_none() {
            problems.push(format!(
                "Ngày hiệu lực “{date_text}” không đọc được: hãy ghi dạng ngày/tháng/năm, ví dụ 01/07/2025."
            ));
        }
        rows.push(LineageSheetRow {
            row: sheet.first_row() + u32::try_from(r).unwrap_or(u32::MAX),
            old_ward,
            new_ward,
            share,
            quarters,
            effective_on,
            problems,
        });
    }
    Some(LineageSheet {
        header_row: sheet.first_row() + u32::try_from(header_idx).unwrap_or(u32::MAX),
        rows,
    })
}

/// "Toàn bộ", "toàn phần", "nguyên" → whole; "Một phần", "phần" → part; blank → not said.
fn parse_share(text: &str) -> Result<Option<Share>, String> {
    let key = fold_key(text);
    let key = key.trim();
    if key.is_empty() {
        Ok(None)
    } else if key.starts_with("toan") || key.starts_with("nguyen") || key == "whole" {
        Ok(Some(Share::Whole))
    } else if key.starts_with("mot phan") || key == "phan" || key == "part" {
        Ok(Some(Share::Part))
    } else {
        Err(format!(
            "Không hiểu “{text}” ở cột Toàn bộ/Một phần: hãy ghi “Toàn bộ” hoặc “Một phần”."
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};

    /// A lineage file as a city office would make one: a title block, the header on row 4, a
    /// numbering row, a whole merger, a ward split by khu phố over two rows, a date typed as
    /// text and one as an Excel date, and a signature under the table.
    fn city_file() -> Result<Vec<u8>, XlsxError> {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write(0, 0, "ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH")?;
        sheet.write(1, 0, "DANH SÁCH SẮP XẾP ĐƠN VỊ HÀNH CHÍNH CẤP XÃ")?;
        let headers = [
            "STT",
            "Phường/xã cũ",
            "Phường/xã mới",
            "Toàn bộ/Một phần",
            "Khu phố",
            "Ngày hiệu lực",
        ];
        for (c, h) in headers.iter().enumerate() {
            sheet.write(3, u16::try_from(c).unwrap_or(0), *h)?;
        }
        for c in 0..6u16 {
            sheet.write(4, c, format!("({})", c + 1))?;
        }
        let date = Format::new().set_num_format("dd/mm/yyyy");
        sheet.write(5, 0, 1)?;
        sheet.write(5, 1, "Phường Hiệp Phú")?;
        sheet.write(5, 2, "Tăng Nhơn Phú")?;
        sheet.write(5, 3, "Toàn bộ")?;
        sheet.write_datetime_with_format(5, 5, ExcelDateTime::from_ymd(2025, 7, 1)?, &date)?;
        sheet.write(6, 0, 2)?;
        sheet.write(6, 1, "P. Long Bình")?;
        sheet.write(6, 2, "Long Bình Tây")?;
        sheet.write(6, 3, "Một phần")?;
        sheet.write(6, 4, "KP 3, kp.4")?;
        sheet.write(6, 5, "01/07/2026")?;
        sheet.write(7, 0, 3)?;
        sheet.write(7, 1, "Long Bình")?;
        sheet.write(7, 2, "Long Trường")?;
        sheet.write(7, 4, "Khu phố 5")?;
        sheet.write(8, 0, 4)?;
        sheet.write(8, 1, "Phú Hữu")?;
        sheet.write(8, 3, "nửa")?;
        sheet.write(8, 5, "ngày mai")?;
        sheet.write(10, 4, "Người lập biểu")?;
        book.save_to_buffer()
    }

    #[test]
    fn a_city_lineage_file_is_read_under_its_title_block() -> Result<(), Box<dyn std::error::Error>>
    {
        let read = read_lineage_file(&city_file()?)?;
        assert_eq!(read.header_row, 4);
        assert_eq!(read.rows.len(), 4, "{:?}", read.rows);
        let first = &read.rows[0];
        assert_eq!(first.row, 6);
        assert_eq!(first.old_ward, "Phường Hiệp Phú");
        assert_eq!(first.new_ward, "Tăng Nhơn Phú");
        assert_eq!(first.share, Share::Whole);
        assert_eq!(first.effective_on, NaiveDate::from_ymd_opt(2025, 7, 1));
        assert!(first.problems.is_empty(), "{:?}", first.problems);
        let split = &read.rows[1];
        assert_eq!(split.share, Share::Part);
        assert_eq!(split.quarters, ["Khu phố 3", "Khu phố 4"]);
        assert_eq!(split.effective_on, NaiveDate::from_ymd_opt(2026, 7, 1));
        let implied = &read.rows[2];
        assert_eq!(implied.share, Share::Part, "khu phố given: a part");
        assert_eq!(implied.effective_on, None);
        assert!(implied.problems.is_empty());
        let bad = &read.rows[3];
        assert_eq!(bad.row, 9);
        assert_eq!(bad.problems.len(), 3, "{:?}", bad.problems);
        assert!(bad.problems[0].contains("phường/xã mới"));
        assert!(bad.problems[1].contains("“nửa”"));
        assert!(bad.problems[2].contains("“ngày mai”"));
        Ok(())
    }

    #[test]
    fn a_workbook_without_old_and_new_columns_is_refused() -> Result<(), XlsxError> {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write(0, 0, "Họ và tên")?;
        sheet.write(0, 1, "Phường")?;
        sheet.write(1, 0, "Nguyễn Văn An")?;
        assert_eq!(
            read_lineage_file(&book.save_to_buffer()?),
            Err(LineageFileError::NoHeader)
        );
        assert!(matches!(
            read_lineage_file(b"not a spreadsheet"),
            Err(LineageFileError::Unreadable(_))
        ));
        Ok(())
    }

    #[test]
    fn headings_are_told_apart() {
        assert_eq!(column_of("Phường/xã cũ"), Some(Column::Old));
        assert_eq!(column_of("Đơn vị trước sắp xếp (cũ)"), None);
        assert_eq!(column_of("Tên đơn vị cũ"), Some(Column::Old));
        assert_eq!(column_of("PHƯỜNG/XÃ MỚI"), Some(Column::New));
        assert_eq!(column_of("Toàn bộ/Một phần"), Some(Column::Share));
        assert_eq!(column_of("Khu phố"), Some(Column::KhuPho));
        assert_eq!(column_of("Ngày hiệu lực"), Some(Column::Date));
        assert_eq!(column_of("STT"), None);
    }
}
