//! A bank's or the State Treasury's result file for a transfer batch: bytes (xlsx, xls, ods
//! or CSV) in, one row per transfer out, with the status the bank gave. The columns are
//! found the way a ward file's are, by their folded headings anywhere in the first rows;
//! nothing is matched to people here (that is `domain::payments`, exactly, never guessed).

use chamlo_vn::banks::parse_account_number;
use chamlo_vn::identity::parse_national_id;
use chamlo_vn::text::fold_key;
use chrono::NaiveDate;
use serde::Serialize;

use super::ReadError;
use super::header::HEADER_SEARCH_ROWS;
use super::values::parse_amount;
use super::workbook::{CellKind, open};

/// What the bank says happened to one transfer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TransferOutcome {
    /// "Thành công": the money reached the account.
    Succeeded,
    /// "Thất bại": the transfer did not go through (closed account, wrong name, limit).
    Failed,
    /// "Hoàn trả": the money came back.
    Returned,
}

impl TransferOutcome {
    /// Reads a status cell: "Thành công", "Thất bại", "Hoàn trả" and the usual variants.
    pub fn parse(text: &str) -> Option<Self> {
        let key = fold_key(text);
        let key = key.trim();
        if key.is_empty() {
            return None;
        }
        let has = |words: &[&str]| words.iter().any(|w| key.contains(w));
        if has(&["hoan tra", "tra lai", "hoan tien", "return", "refund"]) {
            Some(Self::Returned)
        } else if has(&[
            "that bai",
            "khong thanh cong",
            "loi",
            "fail",
            "reject",
            "tu choi",
        ]) {
            Some(Self::Failed)
        } else if has(&["thanh cong", "da chuyen", "success", "completed"]) || key == "ok" {
            Some(Self::Succeeded)
        } else {
            None
        }
    }
}

/// One row of a result file, as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResultRow {
    /// The row's number as the file shows it (1 = the first line).
    pub row: u32,
    /// The person's ID number, when the file has the column and the cell holds one.
    pub id_number: Option<String>,
    /// The account number, when the file has the column and the cell holds one.
    #[serde(skip)]
    pub account_number: Option<String>,
    /// The amount, when it reads as one.
    pub amount: Option<i64>,
    /// The status, when it reads as one.
    pub outcome: Option<TransferOutcome>,
    /// The status cell as written, for the report of a row that cannot be read.
    pub status_text: String,
    /// The reason the bank gave, if any.
    pub reason: Option<String>,
    /// The date of the transfer, when given.
    pub date: Option<NaiveDate>,
}

/// Why a result file cannot be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResultFileError {
    /// The bytes are no spreadsheet and no CSV text.
    #[error("{0}")]
    Unreadable(String),
    /// No row in the first rows has the columns a result file needs.
    #[error(
        "Không tìm thấy dòng tiêu đề của tệp kết quả: cần cột số định danh (hoặc số tài khoản), cột số tiền và cột trạng thái (“Thành công”, “Thất bại”, “Hoàn trả”)."
    )]
    NoHeader,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Id,
    Account,
    Amount,
    Status,
    Reason,
    Date,
}

/// Which column a heading names; the first match wins, so "Số tài khoản" is not an ID.
fn column_of(heading: &str) -> Option<Column> {
    let key = fold_key(heading);
    let key = key.trim();
    let starts = |words: &[&str]| words.iter().any(|w| key.starts_with(w));
    if starts(&["so tai khoan", "stk", "tai khoan", "so tk"]) {
        Some(Column::Account)
    } else if starts(&[
        "so dinh danh",
        "ma dinh danh",
        "so cccd",
        "cccd",
        "so cmnd",
        "id",
    ]) {
        Some(Column::Id)
    } else if starts(&["so tien", "thanh tien", "amount"]) {
        Some(Column::Amount)
    } else if starts(&["trang thai", "ket qua", "tinh trang", "status"]) {
        Some(Column::Status)
    } else if starts(&["ly do", "nguyen nhan", "mo ta loi", "ghi chu", "reason"]) {
        Some(Column::Reason)
    } else if starts(&["ngay", "date"]) {
        Some(Column::Date)
    } else {
        None
    }
}

type Grid = Vec<Vec<(String, CellKind)>>;

/// Reads a result file. Rows with nothing in the ID, account, amount and status columns
/// (titles under the table, totals, signatures) are left out.
pub fn read_payment_results(bytes: &[u8]) -> Result<Vec<ResultRow>, ResultFileError> {
    let grids = grids(bytes)?;
    for grid in &grids {
        if let Some(rows) = read_grid(grid) {
            return Ok(rows);
        }
    }
    Err(ResultFileError::NoHeader)
}

fn grids(bytes: &[u8]) -> Result<Vec<Grid>, ResultFileError> {
    let is_container = bytes.starts_with(b"PK") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]);
    if !is_container && let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(vec![csv_grid(text.trim_start_matches('\u{feff}'))]);
    }
    let book = open(bytes).map_err(|e: ReadError| ResultFileError::Unreadable(e.to_string()))?;
    Ok(book
        .sheets
        .iter()
        .filter(|s| s.visible)
        .map(|s| {
            let cells = &s.cells;
            (0..cells.height())
                .map(|r| {
                    (0..cells.width())
                        .map(|c| (cells.at(r, c).to_owned(), cells.kind_at(r, c)))
                        .collect()
                })
                .collect()
        })
        .collect())
}

/// CSV with commas, semicolons or tabs (whichever the first lines use most; a title line
/// may have none), RFC 4180 quotes. Every cell is text.
fn csv_grid(text: &str) -> Grid {
    let head: Vec<&str> = text.lines().take(HEADER_SEARCH_ROWS).collect();
    let delimiter = [',', ';', '\t']
        .into_iter()
        .rev()
        .max_by_key(|d| head.iter().map(|l| l.matches(*d).count()).sum::<usize>())
        .unwrap_or(',');
    let mut grid = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' if quoted => quoted = false,
            '"' if field.is_empty() => quoted = true,
            c if c == delimiter && !quoted => {
                row.push((std::mem::take(&mut field), CellKind::Text));
            }
            '\r' if !quoted => {}
            '\n' if !quoted => {
                row.push((std::mem::take(&mut field), CellKind::Text));
                grid.push(std::mem::take(&mut row));
            }
            c => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push((field, CellKind::Text));
        grid.push(row);
    }
    grid
}

fn read_grid(grid: &Grid) -> Option<Vec<ResultRow>> {
    let (header_idx, columns) =
        grid.iter()
            .take(HEADER_SEARCH_ROWS)
            .enumerate()
            .find_map(|(i, row)| {
                let mut columns: Vec<(usize, Column)> = Vec::new();
                for (c, (text, _)) in row.iter().enumerate() {
                    if let Some(column) = column_of(text)
                        && !columns.iter().any(|(_, k)| *k == column)
                    {
                        columns.push((c, column));
                    }
                }
                let has = |k: Column| columns.iter().any(|(_, c)| *c == k);
                (has(Column::Amount)
                    && has(Column::Status)
                    && (has(Column::Id) || has(Column::Account)))
                .then_some((i, columns))
            })?;
    let col = |k: Column| columns.iter().find(|(_, c)| *c == k).map(|(i, _)| *i);
    let mut rows = Vec::new();
    for (i, cells) in grid.iter().enumerate().skip(header_idx + 1) {
        let cell = |k: Column| -> (&str, CellKind) {
            col(k)
                .and_then(|c| cells.get(c))
                .map(|(t, kind)| (t.trim(), *kind))
                .unwrap_or(("", CellKind::Empty))
        };
        let (id, _) = cell(Column::Id);
        let (account, _) = cell(Column::Account);
        let (amount, amount_kind) = cell(Column::Amount);
        let (status, _) = cell(Column::Status);
        if id.is_empty() && account.is_empty() && status.is_empty() {
            continue;
        }
        let (reason, _) = cell(Column::Reason);
        let (date, _) = cell(Column::Date);
        rows.push(ResultRow {
            row: u32::try_from(i + 1).unwrap_or(u32::MAX),
            id_number: parse_national_id(id)
                .ok()
                .flatten()
                .map(|n| n.as_str().to_owned()),
            account_number: parse_account_number(account).ok().flatten(),
            amount: parse_amount(amount, amount_kind).ok(),
            outcome: TransferOutcome::parse(status),
            status_text: status.to_owned(),
            reason: (!reason.is_empty()).then(|| reason.to_owned()),
            date: parse_date(date),
        });
    }
    Some(rows)
}

/// dd/mm/yyyy (as the workbook reader writes dates), d-m-yyyy or ISO yyyy-mm-dd, with an
/// optional time after a space.
fn parse_date(text: &str) -> Option<NaiveDate> {
    let day = text.split_whitespace().next()?;
    NaiveDate::parse_from_str(day, "%d/%m/%Y")
        .or_else(|_| NaiveDate::parse_from_str(day, "%d-%m-%Y"))
        .or_else(|_| NaiveDate::parse_from_str(day, "%Y-%m-%d"))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_csv_result_file_is_read_by_its_headings() -> Result<(), ResultFileError> {
        let csv = "\u{feff}KẾT QUẢ CHI TRẢ\r\nSTT;Số định danh;Họ tên;Số tài khoản;Số tiền;Trạng thái;Lý do;Ngày giao dịch\r\n\
            1;079150001234;Nguyễn Thị Đào;0071000123456;400.000;Thành công;;20/01/2026\r\n\
            2;079150005678;Lê Văn Bé;'0123456789;400000;Thất bại;\"Sai tên; tài khoản\";20/01/2026\r\n\
            3;;;0099;400000;Hoàn trả;Tài khoản đóng;2026-01-21\r\n\
            ;;Tổng cộng;;1.200.000;;;\r\n";
        let rows = read_payment_results(csv.as_bytes())?;
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].row, 3);
        assert_eq!(rows[0].id_number.as_deref(), Some("079150001234"));
        assert_eq!(rows[0].amount, Some(400_000));
        assert_eq!(rows[0].outcome, Some(TransferOutcome::Succeeded));
        assert_eq!(rows[0].date, NaiveDate::from_ymd_opt(2026, 1, 20));
        assert_eq!(rows[1].account_number.as_deref(), Some("0123456789"));
        assert_eq!(rows[1].outcome, Some(TransferOutcome::Failed));
        assert_eq!(rows[1].reason.as_deref(), Some("Sai tên; tài khoản"));
        assert_eq!(rows[2].outcome, Some(TransferOutcome::Returned));
        assert_eq!(rows[2].account_number, None, "four digits are no account");
        assert_eq!(rows[2].date, NaiveDate::from_ymd_opt(2026, 1, 21));
        Ok(())
    }

    #[test]
    fn a_file_without_the_needed_columns_is_refused() {
        let csv = "Họ tên,Địa chỉ\nAn,Thủ Đức\n";
        assert_eq!(
            read_payment_results(csv.as_bytes()),
            Err(ResultFileError::NoHeader)
        );
    }

    #[test]
    fn statuses_read_as_banks_write_them() {
        assert_eq!(
            TransferOutcome::parse("THÀNH CÔNG"),
            Some(TransferOutcome::Succeeded)
        );
        assert_eq!(
            TransferOutcome::parse("Không thành công"),
            Some(TransferOutcome::Failed)
        );
        assert_eq!(
            TransferOutcome::parse("Hoàn trả"),
            Some(TransferOutcome::Returned)
        );
        assert_eq!(TransferOutcome::parse("Đang xử lý"), None);
    }
}
