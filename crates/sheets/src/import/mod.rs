//! Importing a ward's beneficiary list: bytes in, one row per person out, each with the
//! problems found. Pure: no database, no web, so the web preview, the command line and the
//! tests all run the same code.
//!
//! The steps: [`workbook`] opens the file (format by signature) and turns each sheet into
//! text, converting TCVN3/VNI ([`legacy_encoding`]); [`header`] finds the header row and maps
//! the columns; [`rows`] skips what is not a person (titles, sections, totals, signatures),
//! normalises and validates each person; [`duplicates`] marks people listed twice.

mod account_columns;
mod category_column;
#[cfg(test)]
mod category_tests;
pub mod duplicates;
#[cfg(test)]
mod early_rows_tests;
pub mod extract;
pub mod guard;
pub mod header;
pub(crate) mod layout;
pub mod legacy_encoding;
pub mod lineage;
pub mod payment_results;
mod rows;
mod unknown_values;
mod values;
pub mod workbook;

#[cfg(test)]
mod sample_tests;
pub mod seed_context;
#[cfg(test)]
mod tests;

pub use account_columns::{KnownBank, TypedAccount, seed_banks};
pub use duplicates::{PersonKey, mark_listed_elsewhere};
pub use header::{Field, MappedColumn};
pub use legacy_encoding::LegacyEncoding;
pub use rows::canonical_khu_pho;
pub use unknown_values::UnknownValue;
pub use workbook::{FileFormat, SheetText};

use chamlo_vn::catalogue::{Catalogue, Category, CategoryKind};
use chamlo_vn::identity::{Gender, NationalId};
use chamlo_vn::text::fold_key;
use chrono::NaiveDate;
use serde::{Serialize, Serializer};
use std::ops::ControlFlow;
use std::sync::Arc;

/// What the import needs to know besides the file.
#[derive(Debug, Clone)]
pub struct ImportContext {
    /// The categories and their synonyms.
    pub catalogue: Catalogue,
    /// The wards a list or a "Phường" column may name.
    pub wards: Vec<KnownWard>,
    /// The current year: birth years after it are errors.
    pub current_year: i32,
    /// Other spellings of wards, mapped once by district staff from a preview: the spelling
    /// and the index of its ward in `wards`.
    pub ward_synonyms: Vec<(String, usize)>,
    /// The banks an account column may name (the `banks` table).
    pub banks: Vec<KnownBank>,
}

/// A ward as the import resolves names to it. Every row of a list carries its ward, so the
/// texts are shared (`Arc<str>`): a row's copy is two reference counts, not two allocations
/// (a 100,000-row district list would otherwise hold 200,000 copies of 13 names).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KnownWard {
    /// The database id of the unit.
    pub id: i64,
    /// The official code ("26836").
    pub code: Arc<str>,
    /// The name without "Phường" ("Tân Phú").
    pub name: Arc<str>,
}

/// Why a file could not be read at all. Each message tells the ward officer what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// Zero bytes (or only whitespace).
    #[error("Tệp rỗng, không có dữ liệu. Hãy chọn đúng tệp danh sách và tải lên lại.")]
    Empty,
    /// Not a workbook (a PDF, a Word document, a picture, a CSV…).
    #[error(
        "Tệp không phải bảng tính Excel (.xlsx, .xlsm, .xls) hay OpenDocument (.ods). Hãy mở danh sách bằng Excel, chọn Lưu thành (Save As) kiểu “Excel Workbook (*.xlsx)” rồi tải lên lại."
    )]
    NotSpreadsheet,
    /// A CSV text file (often renamed .xlsx, or exported so by another system).
    #[error(
        "Tệp là văn bản CSV (các giá trị ngăn cách bằng dấu phẩy), không phải bảng tính Excel. Hãy mở tệp bằng Excel, chọn Lưu thành (Save As) kiểu “Excel Workbook (*.xlsx)” rồi tải lên lại."
    )]
    Csv,
    /// A PDF document (a printout or a scan of the list, not the list itself).
    #[error(
        "Tệp là tài liệu PDF, không phải bảng tính, nên không đọc được danh sách từ đó. Hãy tìm tệp Excel gốc của danh sách (.xlsx hoặc .xls) rồi tải lên tệp đó."
    )]
    Pdf,
    /// A web page saved with an .xls name (some systems export so).
    #[error(
        "Tệp là trang web (HTML) được đặt tên đuôi .xls, không phải bảng tính thật. Hãy mở tệp bằng Excel, chọn Lưu thành (Save As) kiểu “Excel Workbook (*.xlsx)” rồi tải lên lại."
    )]
    WebPage,
    /// Protected by a password to open.
    #[error(
        "Tệp được đặt mật khẩu nên không đọc được. Hãy mở tệp bằng Excel, gỡ mật khẩu (Tệp → Thông tin → Bảo vệ sổ làm việc → Mã hóa bằng mật khẩu, xóa mật khẩu), lưu lại rồi tải lên lại."
    )]
    Encrypted,
    /// The container is damaged or truncated.
    #[error(
        "Tệp bị hỏng hoặc tải lên chưa trọn vẹn nên không đọc được. Hãy mở tệp bằng Excel để kiểm tra, lưu lại rồi tải lên lại."
    )]
    Corrupt {
        /// The reader's own words, for the server log (holds no cell content).
        detail: String,
    },
    /// No worksheet holds any cell.
    #[error("Bảng tính không có trang tính nào chứa dữ liệu. Hãy kiểm tra lại tệp đã chọn.")]
    NoData,
    /// No sheet has a recognisable header in its first rows.
    #[error(
        "Không tìm thấy dòng tiêu đề của danh sách trong 30 dòng đầu của trang tính {sheets}. Dòng tiêu đề cần có cột “Họ và tên” và ít nhất một cột khác như “Năm sinh”, “Số CCCD”, “Đối tượng” hoặc “Số tiền”; hãy sửa tên cột cho đúng rồi tải lên lại."
    )]
    NoHeader {
        /// The sheets searched, quoted and comma-separated.
        sheets: String,
    },
    /// A container built to exhaust the reader: a zip bomb (inflating hundreds of times its
    /// size) or one with thousands of parts.
    #[error(
        "Tệp có cấu trúc nén bất thường (dữ liệu bung ra lớn gấp hàng trăm lần kích thước tệp hoặc có quá nhiều thành phần) nên hệ thống không mở để bảo vệ máy chủ. Hãy mở tệp bằng Excel, lưu thành một tệp mới rồi tải lên lại."
    )]
    Unsafe {
        /// What was found, for the server log.
        detail: String,
    },
    /// A sheet spans more cells than are read: a stray cell far below or to the right of the
    /// list, or a sheet far larger than any ward list.
    #[error(
        "Trang tính “{sheet}” trải rộng quá lớn (quá 4 triệu ô, thường do có ô bị gõ nhầm ở rất xa phía dưới hoặc bên phải danh sách) nên không đọc được. Hãy xóa các dòng, cột thừa phía sau danh sách (hoặc chép riêng danh sách sang một tệp mới) rồi tải lên lại."
    )]
    SheetTooLarge {
        /// The sheet's name ("(không rõ tên)" when the file does not say).
        sheet: String,
    },
    /// Larger than is read at once: a file over 100 MB, a workbook inflating to over 200 MB,
    /// more shared strings than believable, or over 4 GB of text.
    #[error("Tệp quá lớn để nhập một lần. Hãy chia danh sách thành nhiều tệp nhỏ hơn.")]
    TooLarge,
}

/// Whether a row will be imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RowStatus {
    /// No error: will be imported.
    Accepted,
    /// Has at least one error: the ward must fix the file.
    Rejected,
    /// The same person is already on the list (earlier in the file or in another ward's list).
    Duplicate,
}

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The row cannot be imported as it is.
    Error,
    /// Worth checking, but the row is imported.
    Warning,
}

/// One problem found on a row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowIssue {
    /// The field concerned, as named in the JSON rows ("full_name", "national_id"…).
    pub field: &'static str,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong and what to do, in Vietnamese, quoting the text found.
    pub message: String,
}

/// One person (or head of household) from the list.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRow {
    /// The sheet's own row number, 1-based.
    pub row: u32,
    /// Accepted, rejected or duplicate.
    pub status: RowStatus,
    /// Normalised name (NFC, single spaces, title case when typed in capitals).
    pub full_name: Option<String>,
    /// Year of birth.
    pub birth_year: Option<i32>,
    /// Full date of birth when the file gives one.
    pub birth_date: Option<NaiveDate>,
    /// From a gender column, the Nam/Nữ year columns, or the CCCD.
    pub gender: Option<Gender>,
    /// A well-formed CCCD or CMND (leading zero restored).
    pub national_id: Option<NationalId>,
    /// The ID cell as typed when it is not a well-formed CCCD or CMND (the row is rejected);
    /// shown in place of `national_id` so the ward sees what to correct.
    pub national_id_as_typed: Option<String>,
    /// Address as typed (normalised).
    pub address: Option<String>,
    /// Khu phố / tổ dân phố as typed (normalised).
    pub khu_pho: Option<String>,
    /// Phone number as typed (normalised; a lost leading 0 restored).
    pub phone: Option<String>,
    /// The ward named in a "Phường" column, resolved.
    pub ward: Option<KnownWard>,
    /// The category, from the row's own cell or else its section heading.
    pub category: Option<Arc<Category>>,
    /// Amount in đồng.
    pub amount: Option<i64>,
    /// Ghi chú.
    pub note: Option<String>,
    /// Household code in a household list.
    pub household_code: Option<String>,
    /// Household size in a household list.
    pub household_size: Option<i32>,
    /// The payment account from the account columns, when complete and its bank known.
    pub account: Option<TypedAccount>,
    /// Every problem found, errors first in the order checked.
    pub issues: Vec<RowIssue>,
}

impl ImportRow {
    fn empty(row: u32) -> Self {
        ImportRow {
            row,
            status: RowStatus::Accepted,
            full_name: None,
            birth_year: None,
            birth_date: None,
            gender: None,
            national_id: None,
            national_id_as_typed: None,
            address: None,
            khu_pho: None,
            phone: None,
            ward: None,
            category: None,
            amount: None,
            note: None,
            household_code: None,
            household_size: None,
            account: None,
            issues: Vec::new(),
        }
    }

    /// Whether any issue is an error.
    pub fn has_errors(&self) -> bool {
        self.issues.iter().any(|i| i.severity == Severity::Error)
    }

    /// Records an error on `field`: the row is refused until it is fixed.
    pub fn error(&mut self, field: &'static str, message: String) {
        self.issues.push(RowIssue {
            field,
            severity: Severity::Error,
            message,
        });
    }

    /// Records a warning on `field`: the row is kept, the officer is told.
    pub fn warning(&mut self, field: &'static str, message: String) {
        self.issues.push(RowIssue {
            field,
            severity: Severity::Warning,
            message,
        });
    }
}

impl Serialize for ImportRow {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct View<'a> {
            row: u32,
            status: RowStatus,
            full_name: &'a Option<String>,
            birth_year: Option<i32>,
            birth_date: Option<NaiveDate>,
            gender: Option<Gender>,
            national_id: Option<&'a str>,
            address: &'a Option<String>,
            khu_pho: &'a Option<String>,
            phone: &'a Option<String>,
            ward: Option<&'a str>,
            category: Option<&'a str>,
            category_code: Option<&'a str>,
            category_kind: Option<CategoryKind>,
            amount: Option<i64>,
            note: &'a Option<String>,
            household_code: &'a Option<String>,
            household_size: Option<i32>,
            issues: &'a [RowIssue],
        }
        View {
            row: self.row,
            status: self.status,
            full_name: &self.full_name,
            birth_year: self.birth_year,
            birth_date: self.birth_date,
            gender: self.gender,
            national_id: self
                .national_id
                .as_ref()
                .map(NationalId::as_str)
                .or(self.national_id_as_typed.as_deref()),
            address: &self.address,
            khu_pho: &self.khu_pho,
            phone: &self.phone,
            ward: self.ward.as_ref().map(|w| w.name.as_ref()),
            category: self.category.as_ref().map(|c| c.name.as_str()),
            category_code: self.category.as_ref().map(|c| c.code.as_str()),
            category_kind: self.category.as_ref().map(|c| c.kind),
            amount: self.amount,
            note: &self.note,
            household_code: &self.household_code,
            household_size: self.household_size,
            issues: &self.issues,
        }
        .serialize(s)
    }
}

/// A ward's list as read from one file.
#[derive(Debug, Clone)]
pub struct ParsedList {
    /// The uploaded file's name, as given.
    pub file: String,
    /// The container format found.
    pub format: FileFormat,
    /// The sheet that holds the list.
    pub sheet: String,
    /// Why that sheet was chosen (Vietnamese, for the preview).
    pub sheet_reason: String,
    /// The (first) header row, 1-based.
    pub header_row: u32,
    /// The ward named by the title block ("UBND PHƯỜNG TÂN PHÚ"), resolved.
    pub ward: Option<KnownWard>,
    /// The ward name the title block gives when it is not a known ward.
    pub ward_text: Option<String>,
    /// Whether the list names households (head, size, code) rather than persons.
    pub household_list: bool,
    /// The legacy encoding converted, if any.
    pub encoding: LegacyEncoding,
    /// The columns recognised.
    pub columns: Vec<MappedColumn>,
    /// Remarks about the whole file (Vietnamese).
    pub warnings: Vec<String>,
    /// One entry per person row.
    pub rows: Vec<ImportRow>,
    /// Every cell of the chosen sheet as text (decoded to Unicode), for the annotated copy.
    pub cells: SheetText,
    /// The ward name the title block gives after "Phường" when no ward is known by it (as
    /// typed), for the preview to offer mapping it.
    pub title_ward_name: Option<String>,
    /// The chosen sheet's merged areas, ((first row, first column), (last row, last
    /// column)), 0-based: the annotated copy merges them again.
    pub merged: Vec<((u32, u32), (u32, u32))>,
    /// The chosen sheet's column widths (0-based column, width as the file stores it: Excel
    /// characters of 7 pixels, padding included), where the file sets them (.xlsx): the
    /// annotated copy keeps them.
    pub column_widths: Vec<(u32, f64)>,
}

impl ParsedList {
    /// How many rows have this status.
    pub fn count(&self, status: RowStatus) -> usize {
        self.rows.iter().filter(|r| r.status == status).count()
    }

    /// About how many bytes of memory the list holds (the sheet's text and the rows with
    /// their texts and problems): what a cache of parsed files counts against its bound.
    pub fn approx_bytes(&self) -> usize {
        let text = |s: &Option<String>| s.as_ref().map_or(0, String::capacity);
        let rows: usize = self
            .rows
            .iter()
            .map(|r| {
                std::mem::size_of::<ImportRow>()
                    + text(&r.full_name)
                    + text(&r.national_id_as_typed)
                    + text(&r.address)
                    + text(&r.khu_pho)
                    + text(&r.phone)
                    + text(&r.note)
                    + text(&r.household_code)
                    + r.issues
                        .iter()
                        .map(|i| std::mem::size_of::<RowIssue>() + i.message.capacity())
                        .sum::<usize>()
            })
            .sum();
        self.cells.heap_bytes() + rows + std::mem::size_of::<Self>()
    }
}

impl Serialize for ParsedList {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct View<'a> {
            file: &'a str,
            format: FileFormat,
            sheet: &'a str,
            sheet_reason: &'a str,
            header_row: u32,
            ward: Option<&'a str>,
            ward_text: &'a Option<String>,
            household_list: bool,
            encoding: LegacyEncoding,
            columns: &'a [MappedColumn],
            warnings: &'a [String],
            accepted: usize,
            rejected: usize,
            duplicates: usize,
            rows: &'a [ImportRow],
        }
        View {
            file: &self.file,
            format: self.format,
            sheet: &self.sheet,
            sheet_reason: &self.sheet_reason,
            header_row: self.header_row,
            ward: self.ward.as_ref().map(|w| w.name.as_ref()),
            ward_text: &self.ward_text,
            household_list: self.household_list,
            encoding: self.encoding,
            columns: &self.columns,
            warnings: &self.warnings,
            accepted: self.count(RowStatus::Accepted),
            rejected: self.count(RowStatus::Rejected),
            duplicates: self.count(RowStatus::Duplicate),
            rows: &self.rows,
        }
        .serialize(s)
    }
}

/// Reads a ward's list from an uploaded file.
///
/// The format is decided by the bytes; the sheet holding the list is the one whose header
/// (searched in its first 30 rows) names the most columns. Never panics on any input.
pub fn read_ward_file(
    file_name: &str,
    bytes: &[u8],
    ctx: &ImportContext,
) -> Result<ParsedList, ReadError> {
    let mut rows = Vec::new();
    let mut keep = |_: &ParsedList, handed: Handover| {
        match handed {
            Handover::Rows(batch) => rows.extend(batch),
            Handover::Restart => rows.clear(),
        }
        ControlFlow::Continue(())
    };
    let mut list = catch_reader_panic(|| {
        read_ward_file_inner(file_name, bytes, ctx, usize::MAX, None, &mut keep)
    })?;
    list.rows = rows;
    Ok(list)
}

/// What [`read_ward_file_in_batches`] hands to the caller that stores the rows.
#[derive(Debug)]
pub enum Handover {
    /// The next rows of the list.
    Rows(Vec<ImportRow>),
    /// The rows handed over so far were read from the sheet's first rows while the rest was
    /// still being parsed, and the whole sheet reads them otherwise (a legacy encoding or a
    /// column that later rows decide): the caller forgets them, and every row follows again
    /// from the first. Rare: the whole sheet reads the same first rows in usual files.
    Restart,
}

/// Where a sheet is cut for [`read_ward_file_in_batches`] to hand over its first rows while
/// the rest is parsed: about two of the import's batches, as many rows as PostgreSQL stores
/// in the time the 100,000-row district list takes to parse (about 0.6 s), so that storing
/// never waits for the parse.
const EARLY_ROWS: u32 = 16_384;

/// [`read_ward_file`] for a caller that stores the rows while the file is still being read:
/// once the sheet, its header and title are known, the people are read `batch` at a time and
/// each batch is handed to `on_batch` with the list so far (everything but the rows), already
/// marked for people listed twice in the file up to that row. Returns the list without its
/// rows (the caller has them), or the reading error; reading stops early, without error,
/// when `on_batch` breaks (the caller could not store and will say why).
///
/// The only sheet of a long .xlsx file is not waited for: its first [`EARLY_ROWS`] rows are
/// read, checked and handed over while the rest is parsed. The whole sheet then reads those
/// rows again; where it reads them otherwise than they were handed over (or names another
/// ward in its title), [`Handover::Restart`] says so and all the rows follow again, so the
/// caller always ends with exactly what [`read_ward_file`] reads.
pub fn read_ward_file_in_batches(
    file_name: &str,
    bytes: &[u8],
    ctx: &ImportContext,
    batch: usize,
    on_batch: &mut dyn FnMut(&ParsedList, Handover) -> ControlFlow<()>,
) -> Result<ParsedList, ReadError> {
    catch_reader_panic(|| {
        read_ward_file_inner(file_name, bytes, ctx, batch, Some(EARLY_ROWS), on_batch)
    })
}

/// The spreadsheet readers parse untrusted bytes; should one of them panic on a malformed
/// file, the upload is reported as damaged instead of taking the worker down.
fn catch_reader_panic(
    read: impl FnOnce() -> Result<ParsedList, ReadError>,
) -> Result<ParsedList, ReadError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(read)).unwrap_or_else(|_| {
        Err(ReadError::Corrupt {
            detail: "the spreadsheet reader panicked".to_owned(),
        })
    })
}

/// Reading of a workbook's only worksheet.
const ONLY_SHEET: &str = "Tệp chỉ có một trang tính.";

fn read_ward_file_inner(
    file_name: &str,
    bytes: &[u8],
    ctx: &ImportContext,
    batch: usize,
    early_rows: Option<u32>,
    on_batch: &mut dyn FnMut(&ParsedList, Handover) -> ControlFlow<()>,
) -> Result<ParsedList, ReadError> {
    // The rows handed over from the sheet's first rows, and the list head they came with.
    let mut early: Vec<ImportRow> = Vec::new();
    let mut early_head: Option<ListHead> = None;
    // The sheet's column widths, read from its XML once: by the early rows, then reused.
    let mut early_widths: Option<(String, Vec<(u32, f64)>)> = None;
    let mut stopped = false;
    let mut on_prefix = |prefix: workbook::SheetPrefix<'_>| {
        let Some(header) = header::detect_header(&prefix.cells) else {
            return;
        };
        let column_widths = layout::xlsx_column_widths(bytes, prefix.name);
        early_widths = Some((prefix.name.to_owned(), column_widths.clone()));
        let sheet = SheetParts {
            format: FileFormat::Xlsx,
            name: prefix.name.to_owned(),
            reason: ONLY_SHEET.to_owned(),
            column_widths,
            cells: prefix.cells,
            merged: prefix.merged,
        };
        let (list, header) = describe_sheet(file_name, sheet, header, ctx);
        early_head = Some(ListHead::of(&list));
        read_rows(&list, &header, ctx, batch, &mut |rows| {
            early.extend(rows.iter().cloned());
            let flow = on_batch(&list, Handover::Rows(rows));
            stopped = flow.is_break();
            flow
        });
    };
    let hook = early_rows.map(|cut_at_row| workbook::PrefixHook {
        cut_at_row,
        on_prefix: &mut on_prefix,
    });
    let mut book = workbook::open_with_prefix(bytes, hook)?;
    if book.sheets.iter().all(|s| s.cells.height() == 0) {
        return Err(ReadError::NoData);
    }

    // The best header per sheet; visible sheets before hidden ones, then the most columns
    // recognised, then the most rows under the header.
    let headers: Vec<Option<header::Header>> = book
        .sheets
        .iter()
        .map(|s| header::detect_header(&s.cells))
        .collect();
    let with_header = headers.iter().filter(|h| h.is_some()).count();
    let mut best: Option<(usize, header::Header, usize)> = None;
    for (i, (sheet, h)) in book.sheets.iter().zip(headers).enumerate() {
        let Some(h) = h else {
            continue;
        };
        let data_rows = sheet.cells.height().saturating_sub(h.data_idx);
        let better = match &best {
            None => true,
            Some((bi, bh, brows)) => {
                let bvis = book.sheets[*bi].visible;
                (sheet.visible, h.score(), data_rows) > (bvis, bh.score(), *brows)
            }
        };
        if better {
            best = Some((i, h, data_rows));
        }
    }
    let Some((index, header, _)) = best else {
        let sheets = book
            .sheets
            .iter()
            .map(|s| format!("“{}”", s.name))
            .collect::<Vec<_>>()
            .join(", ");
        // Whatever was handed over early goes with the error: the caller stores nothing.
        return Err(ReadError::NoHeader { sheets });
    };

    let sheet_name = book.sheets[index].name.clone();
    let sheet_reason = if book.sheets.len() == 1 {
        ONLY_SHEET.to_owned()
    } else if with_header == 1 {
        format!(
            "Trong {} trang tính, chỉ trang “{}” có dòng tiêu đề danh sách.",
            book.sheets.len(),
            sheet_name
        )
    } else {
        format!(
            "Trong {} trang tính có dòng tiêu đề, trang “{}” nhận ra được nhiều cột nhất ({} cột){}.",
            with_header,
            sheet_name,
            header.score(),
            if book.sheets[index].visible {
                ""
            } else {
                "; lưu ý: trang này đang bị ẩn"
            }
        )
    };

    let merged = book.merged_areas(&sheet_name);
    let column_widths = match (book.format, early_widths) {
        (FileFormat::Xlsx, Some((name, widths))) if name == sheet_name => widths,
        (FileFormat::Xlsx, _) => layout::xlsx_column_widths(bytes, &sheet_name),
        _ => Vec::new(),
    };
    let sheet = book.sheets.swap_remove(index);
    let parts = SheetParts {
        format: book.format,
        name: sheet_name,
        reason: sheet_reason,
        cells: sheet.cells,
        merged,
        column_widths,
    };
    // The reader, its shared strings and the other sheets are not needed any more.
    drop(book);
    let (list, header) = describe_sheet(file_name, parts, header, ctx);

    let mut check = EarlyRowsCheck::new(early, early_head != Some(ListHead::of(&list)));
    read_rows(&list, &header, ctx, batch, &mut |rows| {
        if stopped {
            return ControlFlow::Break(());
        }
        check.hand_over(rows, &mut |handed| on_batch(&list, handed))
    });
    if !stopped {
        let _ = check.finish(&mut |handed| on_batch(&list, handed));
    }
    Ok(list)
}

/// What the caller that stores the rows takes from the list with its first rows.
#[derive(Debug, PartialEq)]
struct ListHead {
    ward: Option<i64>,
    sheet: String,
    header_row: u32,
}

impl ListHead {
    fn of(list: &ParsedList) -> Self {
        ListHead {
            ward: list.ward.as_ref().map(|w| w.id),
            sheet: list.sheet.clone(),
            header_row: list.header_row,
        }
    }
}

/// The whole sheet's rows checked against those handed over early, before any is handed on.
struct EarlyRowsCheck {
    /// The rows handed over early that the whole sheet has not read yet; none once checked.
    early: std::collections::VecDeque<ImportRow>,
    /// The whole sheet's rows that matched, kept in case a later one does not.
    matched: Vec<ImportRow>,
    /// The list head differs: every row handed over early is to be forgotten.
    head_differs: bool,
}

impl EarlyRowsCheck {
    fn new(early: Vec<ImportRow>, head_differs: bool) -> Self {
        EarlyRowsCheck {
            head_differs: head_differs && !early.is_empty(),
            early: early.into(),
            matched: Vec::new(),
        }
    }

    /// Hands on the whole sheet's next rows, less those already handed over early.
    fn hand_over(
        &mut self,
        mut rows: Vec<ImportRow>,
        send: &mut dyn FnMut(Handover) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        if self.early.is_empty() && !self.head_differs {
            return send(Handover::Rows(rows));
        }
        let same = !self.head_differs
            && rows
                .iter()
                .zip(&self.early)
                .all(|(whole, early)| whole == early);
        if !same {
            return self.restart(rows, send);
        }
        let checked = rows.len().min(self.early.len());
        self.early.drain(..checked);
        let rest = rows.split_off(checked);
        self.matched.extend(rows);
        if !self.early.is_empty() {
            return ControlFlow::Continue(());
        }
        self.matched = Vec::new();
        if rest.is_empty() {
            ControlFlow::Continue(())
        } else {
            send(Handover::Rows(rest))
        }
    }

    /// After the whole sheet's last row: early rows it never read are a difference too.
    fn finish(mut self, send: &mut dyn FnMut(Handover) -> ControlFlow<()>) -> ControlFlow<()> {
        if self.early.is_empty() && !self.head_differs {
            return ControlFlow::Continue(());
        }
        self.restart(Vec::new(), send)
    }

    fn restart(
        &mut self,
        rows: Vec<ImportRow>,
        send: &mut dyn FnMut(Handover) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        self.early.clear();
        self.head_differs = false;
        let mut all = std::mem::take(&mut self.matched);
        all.extend(rows);
        send(Handover::Restart)?;
        if all.is_empty() {
            ControlFlow::Continue(())
        } else {
            send(Handover::Rows(all))
        }
    }
}

/// The chosen sheet, as [`describe_sheet`] takes it.
struct SheetParts {
    format: FileFormat,
    name: String,
    /// Why this sheet was chosen, for the preview.
    reason: String,
    cells: SheetText,
    merged: Vec<workbook::MergedArea>,
    column_widths: Vec<(u32, f64)>,
}

/// The list a sheet holds under its header, without its rows: the columns, the category
/// column, the ward in the title, the legacy encoding and the warnings about them.
fn describe_sheet(
    file_name: &str,
    sheet: SheetParts,
    mut header: header::Header,
    ctx: &ImportContext,
) -> (ParsedList, header::Header) {
    let cells = sheet.cells;
    let category_remark =
        category_column::recognise_category_column(&cells, &mut header, &ctx.catalogue);
    let (ward, unknown_title) = rows::title_ward(&cells, header.first_idx, ctx);
    let (ward_text, title_ward_name) = unknown_title.unzip();
    let household_list = header.names_household_head
        || header.col(Field::HouseholdCode).is_some()
        || header.col(Field::HouseholdSize).is_some();
    let mut warnings: Vec<String> = category_remark.into_iter().collect();
    if let Some(t) = &ward_text {
        warnings.push(format!(
            "Tiêu đề ghi “{t}” nhưng không có phường này trong danh mục; hãy kiểm tra lại tên phường."
        ));
    }
    let encoding = cells.legacy_encoding();
    match encoding {
        LegacyEncoding::Tcvn3 => warnings.push(
            "Tệp gõ bằng bảng mã TCVN3 (phông .VnTime); đã chuyển sang Unicode, hãy kiểm tra lại tên người khi xem trước.".to_owned(),
        ),
        LegacyEncoding::Vni => warnings.push(
            "Tệp gõ bằng bảng mã VNI (phông VNI-Times); đã chuyển sang Unicode, hãy kiểm tra lại tên người khi xem trước.".to_owned(),
        ),
        LegacyEncoding::Unicode => {}
    }

    let columns = header
        .columns
        .iter()
        .map(|(c, f, label)| {
            let column = cells.first_col() + *c as u32;
            MappedColumn {
                column,
                letter: header::column_letter(column),
                field: *f,
                header: label.clone(),
            }
        })
        .collect();
    let header_row = cells.first_row() + header.first_idx as u32;

    let list = ParsedList {
        file: file_name.to_owned(),
        format: sheet.format,
        sheet: sheet.name,
        sheet_reason: sheet.reason,
        header_row,
        ward,
        ward_text,
        household_list,
        encoding,
        columns,
        warnings,
        rows: Vec::new(),
        cells,
        title_ward_name,
        merged: sheet.merged,
        column_widths: sheet.column_widths,
    };
    (list, header)
}

/// Reads the people of a described list `batch` at a time, each batch marked for people
/// listed twice in the file up to its rows.
fn read_rows(
    list: &ParsedList,
    header: &header::Header,
    ctx: &ImportContext,
    batch: usize,
    on_batch: &mut dyn FnMut(Vec<ImportRow>) -> ControlFlow<()>,
) {
    let mut in_file = duplicates::InFileDuplicates::new(list.household_list);
    rows::read_rows_in_batches(
        &list.cells,
        header,
        &list.merged,
        ctx,
        (list.household_list, list.ward.as_ref()),
        batch,
        &mut |mut rows| {
            in_file.mark(&mut rows);
            on_batch(rows)
        },
    );
}

/// Resolves a ward name as wards type it ("P. Tân Phú", "phường Long Trường", "PHUOC BINH",
/// "26836") against the known wards.
pub fn resolve_ward<'a>(text: &str, wards: &'a [KnownWard]) -> Option<&'a KnownWard> {
    let keys: Vec<String> = wards.iter().map(|w| fold_key(&w.name)).collect();
    ward_index(text, wards, &keys).map(|i| &wards[i])
}

/// The index in `wards` of the ward [`resolve_ward`] finds, with the wards' folded names
/// (`keys[i]` is `fold_key(&wards[i].name)`) computed once by the caller.
pub(crate) fn ward_index(text: &str, wards: &[KnownWard], keys: &[String]) -> Option<usize> {
    let k = ward_lookup_key(text)?;
    let kc = compact_key(&k);
    let pairs = || wards.iter().zip(keys).enumerate();
    pairs()
        .find(|(_, (w, name))| **name == k || *w.code == *k)
        .or_else(|| pairs().find(|(_, (_, name))| compact_key(name) == kc))
        .map(|(i, _)| i)
}

/// [`ward_index`], then the spellings district staff mapped ([`ward_synonym_index`]).
pub(crate) fn ward_index_or_synonym(
    text: &str,
    ctx: &ImportContext,
    keys: &[String],
) -> Option<usize> {
    ward_index(text, &ctx.wards, keys).or_else(|| ward_synonym_index(text, ctx))
}

/// The index in `ctx.wards` of the ward whose mapped spelling
/// ([`ImportContext::ward_synonyms`]) `text` is, compared like ward names.
pub(crate) fn ward_synonym_index(text: &str, ctx: &ImportContext) -> Option<usize> {
    let kc = compact_key(&ward_lookup_key(text)?);
    ctx.ward_synonyms
        .iter()
        .find(|(spelling, _)| ward_lookup_key(spelling).is_some_and(|k| compact_key(&k) == kc))
        .map(|&(_, i)| i)
        .filter(|&i| i < ctx.wards.len())
}

/// The folded ward name a cell gives, its "Phường"/"P." prefix and end punctuation dropped.
fn ward_lookup_key(text: &str) -> Option<String> {
    let key = fold_key(text);
    let mut k = key.trim().trim_end_matches(['.', ',', ';', ':']);
    for prefix in ["phuong ", "phuong", "p. ", "p.", "p ", "f. ", "f.", "f "] {
        if let Some(rest) = k.strip_prefix(prefix) {
            k = rest.trim_start();
            break;
        }
    }
    (!k.is_empty()).then(|| k.to_owned())
}

/// Letters and digits only: "Long Thạnh Mỹ" and "LongThanhMy" meet.
fn compact_key(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).collect()
}
