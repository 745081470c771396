//! The transfer list of one batch (danh sách chi trả qua tài khoản): the workbook the ward
//! or district signs and sends with the payment order, and the CSV of the same rows that a
//! bank's batch-upload screen takes.
//!
//! Bank files want the holder's name in capitals without diacritics and a transfer
//! description in plain ASCII of at most 140 characters; messages about gifts never carry a
//! link (DOMAIN.md, "Distribution day"), so the description is built here, in one place.

use chamlo_vn::banks::{ascii_fold, holder_name_ascii};
use chamlo_vn::money_words::amount_in_words;
use chrono::NaiveDate;
use rust_xlsxwriter::Worksheet;
use serde::{Deserialize, Serialize};

use super::signing_sheet::{
    self, LEFT_BLOCK, prepare, set_properties, write_heading, write_signatures, write_title_block,
};
use super::style::{Place, Styles, set_print_layout, upper, write_user_text};
use super::{ExportError, Program, Signers, SigningSheet, new_workbook, place_and_date};
use chamlo_vn::lunar::lunar_year_label;

/// The longest transfer description banks accept.
pub const MAX_DESCRIPTION_CHARS: usize = 140;

/// One person to transfer to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferRow {
    /// The entry's id, in the hidden "Mã dòng" column.
    pub entry_id: i64,
    /// The recipient's name as listed.
    pub full_name: String,
    /// Số định danh cá nhân (CCCD), when known.
    pub id_number: Option<String>,
    /// The account number, digits as text.
    pub account_number: String,
    /// The bank's short name ("Vietcombank"); empty for a social-security account without one.
    pub bank_name: String,
    /// The bank's NAPAS BIN.
    pub bank_bin: String,
    /// The holder's name as typed; written in capitals without diacritics.
    pub holder_name: String,
    /// The gift in đồng.
    pub amount: i64,
}

/// Everything the transfer list of one batch shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferList {
    /// The unit above the issuing one ("Thành phố Thủ Đức").
    pub parent_unit: String,
    /// The issuing ward ("Phường Long Bình"); `None` when the list covers all wards.
    pub unit: Option<String>,
    /// The place on the date line.
    pub place: String,
    /// The date on the date line; `None` leaves blanks.
    pub date: Option<NaiveDate>,
    /// The program paid.
    pub program: Program,
    /// The batch's number, printed under the title and in every description.
    pub batch_id: i64,
    /// The people, in the order printed.
    pub rows: Vec<TransferRow>,
    /// Names under the signatures.
    pub signers: Signers,
}

/// The title of the list.
pub const TRANSFER_TITLE: &str = "DANH SÁCH CHI TRẢ QUÀ TẾT QUA TÀI KHOẢN";

/// The columns and their widths; the last one is hidden.
pub const TRANSFER_COLUMNS: [(&str, f64); 10] = [
    ("STT", 5.0),
    ("Họ và tên", 24.0),
    ("Số định danh cá nhân", 15.0),
    ("Số tài khoản", 18.0),
    ("Ngân hàng", 14.0),
    ("Mã ngân hàng (BIN)", 10.0),
    ("Chủ tài khoản", 22.0),
    ("Số tiền (đồng)", 13.0),
    ("Nội dung chuyển khoản", 40.0),
    ("Mã dòng", 10.0),
];
/// Row of the column headers (0-based).
pub const TRANSFER_HEADER_ROW: u32 = 8;
const LAST_COL: u16 = 8;
const COL_AMOUNT: u16 = 7;
const COL_ENTRY_ID: u16 = 9;
const RIGHT_BLOCK: (u16, u16) = (5, LAST_COL);
/// The chair signs right of the accountant's block (E:F).
const CHAIR_BLOCK: (u16, u16) = (6, LAST_COL);

/// The transfer description of one row: batch, program and recipient in plain ASCII, at
/// most [`MAX_DESCRIPTION_CHARS`] characters, with anything that could read as a link
/// (a scheme, "www.", a domain) left out.
pub fn transfer_description(batch_id: i64, program: &str, full_name: &str) -> String {
    let text = ascii_fold(&format!("Chamlo dot {batch_id} {program} {full_name}"));
    let words: Vec<&str> = text
        .split(' ')
        .filter(|w| !w.is_empty() && !looks_like_link(w))
        .collect();
    let mut out = String::new();
    for word in words {
        let extra = usize::from(!out.is_empty()) + word.len();
        if out.len() + extra > MAX_DESCRIPTION_CHARS {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

fn looks_like_link(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    lower.contains("://")
        || lower.starts_with("http")
        || lower.starts_with("www.")
        || [".vn", ".com", ".net", ".org", ".gov", ".link", ".ly"]
            .iter()
            .any(|tld| lower.contains(tld))
}

impl TransferList {
    /// The total of the batch in đồng.
    pub fn total(&self) -> i64 {
        self.rows.iter().map(|r| r.amount).sum()
    }
}

/// The transfer list as .xlsx bytes, ready to print and sign.
pub fn write_transfer_list(list: &TransferList) -> Result<Vec<u8>, ExportError> {
    let mut workbook = new_workbook();
    let styles = Styles::install(&mut workbook)?;
    let ws = workbook.add_worksheet();
    ws.set_name("Chuyển khoản")?;
    write_sheet(ws, list, &styles)?;
    Ok(workbook.save_to_buffer()?)
}

fn write_sheet(
    ws: &mut Worksheet,
    list: &TransferList,
    styles: &Styles,
) -> Result<(), ExportError> {
    for (col, (_, width)) in (0u16..).zip(TRANSFER_COLUMNS.iter()) {
        ws.set_column_width(col, *width)?;
    }
    ws.set_column_hidden(COL_ENTRY_ID)?;
    write_heading(
        ws,
        &list.parent_unit,
        list.unit.as_deref(),
        RIGHT_BLOCK,
        styles,
    )?;
    write_title_block(
        ws,
        TRANSFER_TITLE,
        &list.program,
        Some(&format!("Đợt chuyển khoản số {}", list.batch_id)),
        LAST_COL,
        styles,
    )?;
    ws.set_row_height(TRANSFER_HEADER_ROW, 33)?;
    for (col, (header, _)) in (0u16..).zip(TRANSFER_COLUMNS.iter()) {
        ws.write_string_with_format(TRANSFER_HEADER_ROW, col, *header, styles.header.format())?;
    }
    let mut row = TRANSFER_HEADER_ROW + 1;
    for (number, entry) in (1u32..).zip(&list.rows) {
        ws.set_row_height(row, 30)?;
        ws.write_number_with_format(row, 0, number, styles.cell_center.format())?;
        let texts = [
            (1, entry.full_name.clone()),
            (2, entry.id_number.clone().unwrap_or_default()),
            (3, entry.account_number.clone()),
            (4, entry.bank_name.clone()),
            (5, entry.bank_bin.clone()),
            (6, holder_name_ascii(&entry.holder_name)),
            (
                8,
                transfer_description(list.batch_id, &list.program.name, &entry.full_name),
            ),
        ];
        for (col, text) in texts {
            write_user_text(ws, Place::Cell(row, col), &text, &styles.cell_text)?;
        }
        // Whole đồng fit f64 exactly up to 2^53, far above any gift.
        ws.write_number_with_format(row, COL_AMOUNT, entry.amount as f64, &styles.cell_money)?;
        ws.write_string(row, COL_ENTRY_ID, entry.entry_id.to_string())?;
        row += 1;
    }
    let total = list.total();
    write_user_text(
        ws,
        Place::Merged(row, 0, row, 6),
        &format!("Tổng cộng: {} người", list.rows.len()),
        &styles.total_label,
    )?;
    ws.write_number_with_format(row, COL_AMOUNT, total as f64, &styles.total_money)?;
    ws.write_blank(row, LAST_COL, &styles.cell_blank)?;
    row += 1;
    write_user_text(
        ws,
        Place::Merged(row, 0, row, LAST_COL),
        &format!("Bằng chữ: {}.", amount_in_words(total)),
        &styles.words,
    )?;
    row += 2;
    write_user_text(
        ws,
        Place::Merged(row, CHAIR_BLOCK.0, row, CHAIR_BLOCK.1),
        &place_and_date(&list.place, list.date),
        &styles.date_line,
    )?;
    row += 1;
    write_signatures(ws, row, &list.signers, CHAIR_BLOCK, styles)?;
    set_print_layout(ws, Some((TRANSFER_HEADER_ROW, TRANSFER_HEADER_ROW)))?;
    ws.set_freeze_panes(TRANSFER_HEADER_ROW + 1, 0)?;
    // The left heading block is the signing sheet's: A to E.
    debug_assert!(LEFT_BLOCK.1 < RIGHT_BLOCK.0);
    Ok(())
}

/// The cash round's sheet ("Danh sách chi trả tiền mặt"): a signing sheet of the people
/// paid in cash (no account, or a transfer that failed or came back), with its own title.
/// Its hidden "Mã dòng" column lets it come back signed like any signing sheet.
pub fn write_cash_sheet(sheet: &SigningSheet) -> Result<Vec<u8>, ExportError> {
    let mut prepared = prepare(sheet)?;
    prepared.title = format!(
        "DANH SÁCH CHI TRẢ TIỀN MẶT QUÀ TẾT NGUYÊN ĐÁN {}{}",
        upper(&lunar_year_label(sheet.campaign_year)),
        if sheet.approved { "" } else { " (DỰ THẢO)" }
    );
    let mut workbook = new_workbook();
    set_properties(&mut workbook, &prepared.title, &sheet.ward);
    let styles = Styles::install(&mut workbook)?;
    let worksheet = workbook.add_worksheet();
    worksheet.set_name("Chi trả tiền mặt")?;
    signing_sheet::write_sheet(worksheet, &prepared, &styles)?;
    Ok(workbook.save_to_buffer()?)
}

/// The header of the CSV for a bank's batch upload.
pub const TRANSFER_CSV_HEADER: [&str; 9] = [
    "STT",
    "Ho ten",
    "So dinh danh",
    "So tai khoan",
    "Ma ngan hang",
    "Ten ngan hang",
    "Chu tai khoan",
    "So tien",
    "Noi dung",
];

/// The same rows as a CSV (comma-separated, RFC 4180 quoting, CRLF), every field in plain
/// ASCII as banks' upload screens want it.
pub fn write_transfer_csv(list: &TransferList) -> String {
    let mut out = String::new();
    push_csv_line(
        &mut out,
        TRANSFER_CSV_HEADER.iter().map(|h| (*h).to_owned()),
    );
    for (number, entry) in (1u32..).zip(&list.rows) {
        push_csv_line(
            &mut out,
            [
                number.to_string(),
                ascii_fold(&entry.full_name),
                entry.id_number.clone().unwrap_or_default(),
                entry.account_number.clone(),
                entry.bank_bin.clone(),
                ascii_fold(&entry.bank_name),
                holder_name_ascii(&entry.holder_name),
                entry.amount.to_string(),
                transfer_description(list.batch_id, &list.program.name, &entry.full_name),
            ],
        );
    }
    out
}

fn push_csv_line(out: &mut String, fields: impl IntoIterator<Item = String>) {
    for (i, field) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        // A field a spreadsheet would run as a formula is prefixed, as in the workbooks.
        let field = if field.starts_with(['=', '+', '-', '@']) {
            format!("'{field}")
        } else {
            field
        };
        if field.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&field.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&field);
        }
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx};
    use chamlo_vn::states::FundingSource;
    use std::io::Cursor;

    fn list() -> TransferList {
        TransferList {
            parent_unit: "Thành phố Thủ Đức".into(),
            unit: Some("Phường Long Bình".into()),
            place: "Thủ Đức".into(),
            date: NaiveDate::from_ymd_opt(2026, 1, 20),
            program: Program {
                id: 1,
                name: "Quà Tết theo Nghị quyết 418/NQ-CP".into(),
                funding: FundingSource::Central,
                sponsor_name: None,
                budget: None,
            },
            batch_id: 7,
            rows: vec![
                TransferRow {
                    entry_id: 11,
                    full_name: "Nguyễn Thị Đào".into(),
                    id_number: Some("079150001234".into()),
                    account_number: "0071000123456".into(),
                    bank_name: "Vietcombank".into(),
                    bank_bin: "970436".into(),
                    holder_name: "Nguyễn Thị Đào".into(),
                    amount: 400_000,
                },
                TransferRow {
                    entry_id: 12,
                    full_name: "Trần Văn Ẩn".into(),
                    id_number: None,
                    account_number: "0123456789".into(),
                    bank_name: "Agribank".into(),
                    bank_bin: "970405".into(),
                    holder_name: "Trần Thị Bình, con".into(),
                    amount: 1_200_000,
                },
            ],
            signers: Signers::default(),
        }
    }

    #[test]
    fn descriptions_are_ascii_short_and_without_links() {
        let text = transfer_description(7, "Quà Tết xem tại https://x.vn/a", "Nguyễn Văn An");
        assert_eq!(text, "Chamlo dot 7 Qua Tet xem tai Nguyen Van An");
        let long = transfer_description(7, &"Chương trình rất dài ".repeat(20), "An");
        assert!(long.len() <= MAX_DESCRIPTION_CHARS && long.is_ascii());
    }

    #[test]
    fn the_workbook_has_rows_total_and_words() -> Result<(), Box<dyn std::error::Error>> {
        let bytes = write_transfer_list(&list())?;
        let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))?;
        let range = book.worksheet_range("Chuyển khoản")?;
        let cell = |r: u32, c: u32| range.get_value((r, c)).cloned().unwrap_or(Data::Empty);
        let h = TRANSFER_HEADER_ROW;
        assert_eq!(cell(h, 3), Data::String("Số tài khoản".into()));
        assert_eq!(cell(h + 1, 1), Data::String("Nguyễn Thị Đào".into()));
        assert_eq!(cell(h + 1, 3), Data::String("0071000123456".into()));
        assert_eq!(cell(h + 1, 6), Data::String("NGUYEN THI DAO".into()));
        assert_eq!(cell(h + 2, 6), Data::String("TRAN THI BINH, CON".into()));
        assert_eq!(cell(h + 2, 7), Data::Float(1_200_000.0));
        assert_eq!(cell(h + 3, 7), Data::Float(1_600_000.0));
        assert_eq!(
            cell(h + 4, 0),
            Data::String("Bằng chữ: Một triệu sáu trăm nghìn đồng.".into())
        );
        Ok(())
    }

    #[test]
    fn the_csv_quotes_and_folds() {
        let csv = write_transfer_csv(&list());
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(lines[0], TRANSFER_CSV_HEADER.join(","));
        assert!(lines[2].contains("\"TRAN THI BINH, CON\""));
        assert!(lines[1].starts_with("1,Nguyen Thi Dao,079150001234,0071000123456,970436"));
        assert!(csv.is_ascii());
    }
}
