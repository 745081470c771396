//! Workbooks out of plain values: signing sheets (danh sách ký nhận), the all-wards workbook,
//! the reports, and the reader for a signed sheet that comes back.
//!
//! Pure: values in, bytes out (and bytes in, values out for the signed sheet), no database
//! and no web, so the web, the command line and tests share the same code. Writing a
//! workbook is CPU work: callers on the async runtime run these in `spawn_blocking`.
//!
//! Two rules hold for every workbook written here:
//! - entries of a category flagged `sensitive` (health, HIV status) never reach a workbook;
//!   `printable_categories` is the single place that decides, and every writer goes
//!   through it (Nghị định 20/2021/NĐ-CP Điều 8, Nghị định 13/2023/NĐ-CP);
//! - text from users is written as text (quote prefix on "=…", "+…", "-…", "@…"), through
//!   one function, so a note like "+ Con liệt sĩ" never becomes a formula.

mod all_wards;
pub mod annotated;
#[cfg(test)]
mod annotated_tests;
mod reports;
pub mod settlement;
mod sheet_names;
mod signed_sheet;
mod signing_sheet;
mod style;
#[cfg(test)]
mod tests;
pub mod transfer_list;

use std::collections::HashMap;

use chamlo_vn::states::FundingSource;
use serde::{Deserialize, Serialize};

pub use all_wards::{AllWardsWorkbook, write_all_wards_workbook};
pub use reports::{Count, ReportEntry, ReportInput, Ward, write_reports};
pub use settlement::{Outcome, SettlementFigures, TransferGroup, TransferState};
pub use sheet_names::unique_sheet_names;
pub use signed_sheet::{EntryRef, Mark, SignedMark, read_signed_sheet};
pub use signing_sheet::{Signers, SigningEntry, SigningSheet, write_signing_sheet};
pub use transfer_list::{
    TransferList, TransferRow, write_cash_sheet, write_transfer_csv, write_transfer_list,
};

/// A workbook with the options every workbook written here shares; a signing sheet's
/// document properties are set once its title is known.
pub(crate) fn new_workbook() -> rust_xlsxwriter::Workbook {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    // Level 3 writes a 100,000-row workbook markedly faster than the default 6, for files
    // only slightly larger.
    workbook.set_zip_compression_level(3);
    workbook
}

/// Headers of the hidden column that carries each entry's id on a signing sheet; the reader
/// finds the sheet's table by it. "Mã dòng" is what we write; "ID" is accepted too, for a
/// ward that renamed the header while un-hiding the column.
pub const ENTRY_ID_HEADERS: [&str; 2] = ["Mã dòng", "ID"];

/// Header of the column where the recipient signs, or the ward marks "x" or writes a proxy.
pub const SIGNATURE_HEADER: &str = "Ký nhận";

/// Why a workbook could not be written or a signed sheet could not be read. The messages
/// are Vietnamese, as the ones caused by an uploaded file are shown to the user.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The workbook writer refused something (a programming error, or an impossible size).
    #[error("không tạo được tệp Excel: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    /// The uploaded file is not a workbook that can be read.
    #[error("không đọc được tệp Excel: {0}")]
    Read(#[from] calamine::Error),
    /// A reader gave up on the uploaded bytes part-way (it panicked on a damaged file).
    #[error("không đọc được tệp Excel: tệp bị hỏng hoặc không đúng định dạng")]
    Damaged,
    /// The uploaded workbook has no sheet with the entry id column of our signing sheets.
    #[error(
        "tệp không phải danh sách ký nhận do hệ thống xuất ra: không tìm thấy cột “Mã dòng” và cột “Ký nhận” trên cùng một dòng tiêu đề"
    )]
    NotASigningSheet,
    /// An entry points to a category missing from the input's categories; refused rather
    /// than printed, since the missing category could be a sensitive one.
    #[error("đối tượng có mã {0} không có trong danh mục đối tượng của dữ liệu xuất")]
    UnknownCategory(i64),
    /// A report entry points to a program missing from the input's programs.
    #[error("chương trình có mã {0} không có trong danh sách chương trình của dữ liệu xuất")]
    UnknownProgram(i64),
    /// A report entry points to a ward missing from the input's wards.
    #[error("đơn vị có mã {0} không có trong danh sách đơn vị của dữ liệu xuất")]
    UnknownWard(i64),
    /// The all-wards workbook was asked for with no ward.
    #[error("không có danh sách nào để xuất")]
    NothingToExport,
    /// The all-wards workbook is for one program; sheets of several programs were given.
    #[error("các danh sách thuộc nhiều chương trình khác nhau, không gộp được vào một tệp")]
    MixedPrograms,
}

/// A category of recipients (đối tượng), as the lists group them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    /// The category's id; entries refer to it.
    pub id: i64,
    /// The name printed on section rows and in the "Đối tượng" column
    /// ("Thân nhân liệt sĩ", "Hộ nghèo").
    pub name: String,
    /// Position among categories on lists and reports (merit before hardship, …).
    pub sort_order: i32,
    /// Health or HIV status: entries of such a category never appear in any export.
    pub sensitive: bool,
}

/// A gift program of the campaign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Program {
    /// The program's id; report entries refer to it.
    pub id: i64,
    /// Its name ("Quà của Chủ tịch nước", "Quà của Thành phố").
    pub name: String,
    /// Who pays; printed as "Nguồn kinh phí: …" and grouped by in reports.
    pub funding: FundingSource,
    /// The sponsor, for a sponsored program ("Công ty ABC").
    pub sponsor_name: Option<String>,
    /// The money approved for it, in đồng, when known: the reconciliation compares it with
    /// what was paid.
    pub budget: Option<i64>,
}

impl Program {
    /// The funding source as printed after "Nguồn kinh phí: ": "Ngân sách thành phố",
    /// "Xã hội hóa – Nhà tài trợ: Công ty ABC".
    pub fn funding_label(&self) -> String {
        match self.funding {
            FundingSource::Sponsor => format!(
                "Xã hội hóa – Nhà tài trợ: {}",
                self.sponsor_name.as_deref().unwrap_or_default().trim()
            ),
            other => other.label().to_owned(),
        }
    }
}

/// The categories that may be printed, by id, with their position in print order.
///
/// This is the one place where sensitive categories are dropped: every writer asks it
/// which entries to write, and an entry whose category is not in the map is either dropped
/// (sensitive) or refused ([`ExportError::UnknownCategory`]) by [`PrintableCategories::get`].
pub(crate) fn printable_categories(categories: &[Category]) -> PrintableCategories<'_> {
    let mut ordered: Vec<&Category> = categories.iter().collect();
    ordered.sort_by(|a, b| {
        a.sort_order
            .cmp(&b.sort_order)
            .then_with(|| a.name.cmp(&b.name))
            .then_with(|| a.id.cmp(&b.id))
    });
    let mut by_id = HashMap::with_capacity(ordered.len());
    let mut printable = Vec::new();
    for category in ordered {
        if category.sensitive {
            by_id.insert(category.id, None);
        } else {
            by_id.insert(category.id, Some(printable.len()));
            printable.push(category);
        }
    }
    PrintableCategories { by_id, printable }
}

/// See [`printable_categories`].
pub(crate) struct PrintableCategories<'a> {
    by_id: HashMap<i64, Option<usize>>,
    /// Printable categories in print order.
    pub printable: Vec<&'a Category>,
}

impl PrintableCategories<'_> {
    /// The print position of an entry's category; `Ok(None)` for a sensitive category
    /// (skip the entry), an error for an unknown one.
    pub(crate) fn get(&self, category_id: i64) -> Result<Option<usize>, ExportError> {
        match self.by_id.get(&category_id) {
            Some(position) => Ok(*position),
            None => Err(ExportError::UnknownCategory(category_id)),
        }
    }
}

/// "ỦY BAN NHÂN DÂN QUẬN 9" from "Quận 9".
pub(crate) fn committee_heading(unit: &str) -> String {
    format!("ỦY BAN NHÂN DÂN {}", style::upper(unit.trim()))
}

/// "Quận 9, ngày 05 tháng 01 năm 2021": the place-and-date line of an administrative
/// document. Days below 10 and the months 1 and 2 take a leading zero (Nghị định
/// 30/2020/NĐ-CP, Phụ lục I), so that nothing can be written in front of them. Without a
/// date the blanks are left for a pen.
pub(crate) fn place_and_date(place: &str, date: Option<chrono::NaiveDate>) -> String {
    use chrono::Datelike;
    let place = place.trim();
    match date {
        Some(date) => {
            let month = if date.month() <= 2 {
                format!("{:02}", date.month())
            } else {
                date.month().to_string()
            };
            format!(
                "{place}, ngày {:02} tháng {month} năm {}",
                date.day(),
                date.year()
            )
        }
        None => format!("{place}, ngày …… tháng …… năm ………"),
    }
}
