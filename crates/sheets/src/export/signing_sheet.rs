//! The signing sheet (danh sách ký nhận) of one ward and program; all_wards.rs binds several
//! into one workbook with a summary sheet.
//!
//! Layout, top to bottom: the committee and the national motto side by side, the title,
//! the program and its funding, the column headers (repeated on every printed page), then
//! per category a section row, its people sorted the Vietnamese way, and a subtotal; the
//! total, the total in words, the place and date, and the signature block.

use std::borrow::Cow;

use chrono::NaiveDate;
use rust_xlsxwriter::{Format, Formula, Workbook, Worksheet, XlsxError};
use serde::{Deserialize, Serialize};

use super::style::{
    Place, Styles, clean_user_text, needs_quote_prefix, roman, set_print_layout, upper,
    wrapped_row_height, write_user_text,
};
use super::{
    Category, ENTRY_ID_HEADERS, ExportError, Program, SIGNATURE_HEADER, committee_heading,
    new_workbook, place_and_date, printable_categories, unique_sheet_names,
};
use chamlo_vn::collation::name_sort_key;
use chamlo_vn::identity::Gender;
use chamlo_vn::lunar::lunar_year_label;
use chamlo_vn::money_words::amount_in_words;

/// One recipient on a signing sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SigningEntry {
    /// The list entry's id: written in the hidden "Mã dòng" column so that the signed sheet
    /// can be matched back row by row.
    pub entry_id: i64,
    /// Full name as it should be printed ("Nguyễn Văn An").
    pub full_name: String,
    /// Year of birth, when known.
    pub birth_year: Option<i32>,
    /// Gender, when known.
    pub gender: Option<Gender>,
    /// Address (house number, street).
    pub address: String,
    /// Khu phố / tổ dân phố.
    pub quarter: String,
    /// CCCD / CMND number, written as text so that leading zeros stay.
    pub id_number: Option<String>,
    /// The entry's category (see [`SigningSheet::categories`]).
    pub category_id: i64,
    /// The gift in đồng.
    pub amount: i64,
    /// Ghi chú, free text ("+ Con liệt sĩ", "Nhận thay: …").
    pub note: String,
    /// The ward the person was listed by before a merger ("Hiệp Phú"), when it differs
    /// from the sheet's ward: printed in a "Phường cũ" column, which the sheet has only when
    /// some row has one.
    #[serde(default)]
    pub former_ward: Option<String>,
}

/// Names printed under the signature titles; `None` leaves the line blank for a pen.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signers {
    /// Người lập biểu.
    pub preparer: Option<String>,
    /// Kế toán.
    pub accountant: Option<String>,
    /// Chủ tịch ủy ban nhân dân.
    pub chairman: Option<String>,
}

/// Everything a signing sheet of one ward and one program shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SigningSheet {
    /// The unit above the ward, with its type: "Quận 9", "Thành phố Thủ Đức".
    pub parent_unit: String,
    /// The ward, with its type: "Phường Long Bình".
    pub ward: String,
    /// The place on the date line: the ward that signs the sheet ("Phường Long Bình" in
    /// "Phường Long Bình, ngày … tháng … năm …").
    pub place: String,
    /// The date on the date line; `None` leaves blanks to fill by hand.
    pub date: Option<NaiveDate>,
    /// The Gregorian year of the Tết (2021 for Tết Tân Sửu).
    pub campaign_year: i32,
    /// The program whose gifts the list hands out.
    pub program: Program,
    /// Whether the list is approved; an unapproved one says "DỰ THẢO" in its title and on
    /// every printed page.
    pub approved: bool,
    /// An optional line under the title, e.g. "(Kèm theo Quyết định số 12/QĐ-UBND ngày
    /// 20/01/2021 của Ủy ban nhân dân Quận 9)".
    pub reference: Option<String>,
    /// The categories the entries refer to, sensitive ones included (their entries are
    /// left out here, not by the caller).
    pub categories: Vec<Category>,
    /// The recipients, in any order (the sheet sorts them).
    pub entries: Vec<SigningEntry>,
    /// Names under the signatures.
    pub signers: Signers,
}

/// The columns, their headers and widths (in characters). The last one is hidden; "Phường
/// cũ" ([`FORMER_WARD_COLUMN`]) goes before it when the sheet has that column.
const COLUMNS: [(&str, f64); 12] = [
    ("STT", 5.0),
    ("Họ và tên", 24.0),
    ("Năm sinh", 7.0),
    ("Giới tính", 7.0),
    ("Địa chỉ", 26.0),
    ("Khu phố", 8.0),
    ("Số CCCD", 15.0),
    ("Đối tượng", 18.0),
    ("Số tiền (đồng)", 12.0),
    (SIGNATURE_HEADER, 16.0),
    ("Ghi chú", 14.0),
    (ENTRY_ID_HEADERS[0], 10.0),
];
const COL_STT: u16 = 0;
const COL_NAME: u16 = 1;
const COL_YEAR: u16 = 2;
const COL_GENDER: u16 = 3;
const COL_ADDRESS: u16 = 4;
const COL_QUARTER: u16 = 5;
const COL_ID_NUMBER: u16 = 6;
const COL_CATEGORY: u16 = 7;
const COL_AMOUNT: u16 = 8;
const COL_SIGNATURE: u16 = 9;
const COL_NOTE: u16 = 10;
/// The header and width of the "Phường cũ" column, printed after "Ghi chú" when some row
/// names a ward from before a merger.
const FORMER_WARD_COLUMN: (&str, f64) = ("Phường cũ", 14.0);
/// Where "Phường cũ" goes when the sheet has it (the id column then moves one to the right).
const COL_FORMER_WARD: u16 = COL_NOTE + 1;
/// The letter of the amount column, for formulas.
const AMOUNT_LETTER: &str = "I";
/// The left heading block spans A:E, the right one G to the last printed column.
pub(super) const LEFT_BLOCK: (u16, u16) = (0, 4);
/// Row of the column headers (0-based); the heading block is above it.
pub(super) const HEADER_ROW: u32 = 8;
/// Data rows are at least tall enough to sign in (and for two lines of text).
const DATA_ROW_HEIGHT: f64 = 30.0;

/// Which columns a sheet has: the fixed ones, and "Phường cũ" when some row has a former
/// ward (so the sheets of wards that never merged look as they always did).
#[derive(Debug, Clone, Copy)]
struct Layout {
    former_ward: bool,
}

impl Layout {
    fn of(sheet: &SigningSheet) -> Layout {
        Layout {
            former_ward: sheet.entries.iter().any(|e| e.former_ward.is_some()),
        }
    }

    /// The last printed column; the id column after it is hidden.
    fn last_col(self) -> u16 {
        if self.former_ward {
            COL_FORMER_WARD
        } else {
            COL_NOTE
        }
    }

    /// The hidden column of entry ids.
    fn entry_id_col(self) -> u16 {
        self.last_col() + 1
    }

    /// The right heading block (the motto, the date line, the chair's signature).
    fn right_block(self) -> (u16, u16) {
        (6, self.last_col())
    }

    /// Headers and widths of every column, the hidden id column last.
    fn columns(self) -> Vec<(&'static str, f64)> {
        let mut columns = COLUMNS.to_vec();
        if self.former_ward {
            columns.insert(usize::from(COL_FORMER_WARD), FORMER_WARD_COLUMN);
        }
        columns
    }
}

/// The signing sheet of one ward and program, as .xlsx bytes, ready to print.
pub fn write_signing_sheet(sheet: &SigningSheet) -> Result<Vec<u8>, ExportError> {
    let prepared = prepare(sheet)?;
    let mut workbook = new_workbook();
    set_properties(&mut workbook, &title(sheet), &sheet.ward);
    let styles = Styles::install(&mut workbook)?;
    let names = unique_sheet_names(&[sheet.ward.as_str()]);
    let worksheet = workbook.add_worksheet();
    if let Some(name) = names.first() {
        worksheet.set_name(name)?;
    }
    write_sheet(worksheet, &prepared, &styles)?;
    Ok(workbook.save_to_buffer()?)
}

impl SigningSheet {
    /// A copy of everything but the entries (which are the bulk of a sheet).
    pub(super) fn clone_without_entries(&self) -> SigningSheet {
        SigningSheet {
            parent_unit: self.parent_unit.clone(),
            ward: self.ward.clone(),
            place: self.place.clone(),
            date: self.date,
            campaign_year: self.campaign_year,
            program: self.program.clone(),
            approved: self.approved,
            reference: self.reference.clone(),
            categories: self.categories.clone(),
            entries: Vec::new(),
            signers: self.signers.clone(),
        }
    }
}

/// Document properties that name the list and the committee that issues it.
pub(super) fn set_properties(workbook: &mut Workbook, title: &str, issuer: &str) {
    let properties = rust_xlsxwriter::DocProperties::new()
        .set_title(title)
        .set_company(committee_heading(issuer));
    workbook.set_properties(&properties);
}

/// A sheet's entries grouped by printable category and sorted, with the totals.
pub(crate) struct PreparedSheet<'a> {
    /// The input.
    pub sheet: &'a SigningSheet,
    /// Non-empty groups in category order, each sorted by name.
    pub groups: Vec<(&'a Category, Vec<&'a SigningEntry>)>,
    /// Printed people.
    pub people: usize,
    /// Their money, in đồng.
    pub money: i64,
    /// The title printed above the table.
    pub title: String,
}

/// Drops entries of sensitive categories (through [`printable_categories`]), groups the
/// rest by category and sorts each group the Vietnamese way (ties by entry id, so the
/// order is the same on every export).
pub(crate) fn prepare(sheet: &SigningSheet) -> Result<PreparedSheet<'_>, ExportError> {
    let categories = printable_categories(&sheet.categories);
    let mut groups: Vec<Vec<&SigningEntry>> = vec![Vec::new(); categories.printable.len()];
    for entry in &sheet.entries {
        if let Some(position) = categories.get(entry.category_id)? {
            groups[position].push(entry);
        }
    }
    let mut people = 0;
    let mut money: i64 = 0;
    let mut result = Vec::new();
    for (category, mut entries) in categories.printable.iter().zip(groups) {
        if entries.is_empty() {
            continue;
        }
        entries.sort_by_cached_key(|e| (name_sort_key(&e.full_name), e.entry_id));
        people += entries.len();
        money = entries
            .iter()
            .fold(money, |sum, e| sum.saturating_add(e.amount));
        result.push((*category, entries));
    }
    Ok(PreparedSheet {
        sheet,
        groups: result,
        people,
        money,
        title: title(sheet),
    })
}

/// "DANH SÁCH KÝ NHẬN QUÀ TẾT NGUYÊN ĐÁN TÂN SỬU 2021", with "(DỰ THẢO)" until approved.
pub(super) fn title(sheet: &SigningSheet) -> String {
    let mut title = format!(
        "DANH SÁCH KÝ NHẬN QUÀ TẾT NGUYÊN ĐÁN {}",
        upper(&lunar_year_label(sheet.campaign_year))
    );
    if !sheet.approved {
        title.push_str(" (DỰ THẢO)");
    }
    title
}

/// The committee and the national motto side by side, as on every administrative document:
/// the left block holds the parent unit's committee and, when given, the issuing unit's
/// own (bold); the right block spans the columns `right`. Written row by row, as a
/// constant-memory sheet needs.
pub(crate) fn write_heading(
    ws: &mut Worksheet,
    parent_unit: &str,
    unit: Option<&str>,
    right: (u16, u16),
    styles: &Styles,
) -> Result<(), XlsxError> {
    let (left_first, left_last) = LEFT_BLOCK;
    let parent_style = if unit.is_some() {
        &styles.unit
    } else {
        &styles.unit_bold
    };
    write_user_text(
        ws,
        Place::Merged(0, left_first, 0, left_last),
        &committee_heading(parent_unit),
        parent_style,
    )?;
    ws.merge_range(
        0,
        right.0,
        0,
        right.1,
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        &styles.nation,
    )?;
    if let Some(unit) = unit {
        write_user_text(
            ws,
            Place::Merged(1, left_first, 1, left_last),
            &committee_heading(unit),
            &styles.unit_bold,
        )?;
    }
    ws.merge_range(
        1,
        right.0,
        1,
        right.1,
        "Độc lập - Tự do - Hạnh phúc",
        &styles.motto,
    )?;
    Ok(())
}

/// Title, program, funding and the optional reference line, rows 3 to 6.
pub(crate) fn write_title_block(
    ws: &mut Worksheet,
    title: &str,
    program: &Program,
    reference: Option<&str>,
    last_col: u16,
    styles: &Styles,
) -> Result<(), XlsxError> {
    ws.set_row_height(3, 24)?;
    ws.merge_range(3, 0, 3, last_col, title, styles.title.format())?;
    write_user_text(
        ws,
        Place::Merged(4, 0, 4, last_col),
        &format!("Chương trình: {}", program.name.trim()),
        &styles.subtitle,
    )?;
    write_user_text(
        ws,
        Place::Merged(5, 0, 5, last_col),
        &format!("Nguồn kinh phí: {}", program.funding_label()),
        &styles.subtitle_italic,
    )?;
    if let Some(reference) = reference.map(str::trim).filter(|r| !r.is_empty()) {
        write_user_text(
            ws,
            Place::Merged(6, 0, 6, last_col),
            reference,
            &styles.subtitle_italic,
        )?;
    }
    Ok(())
}

/// Writes a prepared sheet into `ws`: the one layout of a signing sheet, for the single
/// ward's workbook (an in-memory worksheet) and the all-wards workbook (a constant-memory
/// one). Every row is written whole before the next begins, top to bottom, and nothing is
/// formatted after its row is done, so both kinds of worksheet hold the same cells.
pub(super) fn write_sheet(
    ws: &mut Worksheet,
    p: &PreparedSheet,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let sheet = p.sheet;
    let layout = Layout::of(sheet);
    let columns = layout.columns();
    let last_col = layout.last_col();
    for (col, (_, width)) in (0u16..).zip(columns.iter()) {
        ws.set_column_width(col, *width)?;
    }
    ws.set_column_hidden(layout.entry_id_col())?;

    write_heading(
        ws,
        &sheet.parent_unit,
        Some(&sheet.ward),
        layout.right_block(),
        styles,
    )?;
    write_title_block(
        ws,
        &p.title,
        &sheet.program,
        sheet.reference.as_deref(),
        last_col,
        styles,
    )?;

    ws.set_row_height(HEADER_ROW, 33)?;
    for (col, (header, _)) in (0u16..).zip(columns.iter()) {
        ws.write_string_with_format(HEADER_ROW, col, *header, styles.header.format())?;
    }

    let mut row = HEADER_ROW + 1;
    let first_data_row = row;
    let mut number = 0u32;
    for (index, (category, entries)) in p.groups.iter().enumerate() {
        ws.write_string_with_format(row, COL_STT, roman(index + 1), &styles.section_number)?;
        write_user_text(
            ws,
            Place::Merged(row, COL_NAME, row, last_col),
            &category.name,
            &styles.section,
        )?;
        row += 1;
        let group_first = row;
        let mut group_money: i64 = 0;
        let group = GroupCells::new(layout, category, styles);
        for entry in entries {
            number += 1;
            write_entry(ws, &group, row, number, entry)?;
            group_money = group_money.saturating_add(entry.amount);
            row += 1;
        }
        write_total_row(
            ws,
            layout,
            row,
            "Cộng",
            entries.len(),
            Some((group_first, row - 1)),
            group_money,
            styles,
        )?;
        row += 1;
    }
    let data_range = (row > first_data_row).then(|| (first_data_row, row - 1));
    write_total_row(
        ws,
        layout,
        row,
        "Tổng cộng",
        p.people,
        data_range,
        p.money,
        styles,
    )?;
    row += 1;

    write_user_text(
        ws,
        Place::Merged(row, 0, row, last_col),
        &format!("Bằng chữ: {}.", amount_in_words(p.money)),
        &styles.words,
    )?;
    row += 2;

    write_user_text(
        ws,
        Place::Merged(row, layout.right_block().0, row, layout.right_block().1),
        &place_and_date(&sheet.place, sheet.date),
        &styles.date_line,
    )?;
    row += 1;
    write_signatures(ws, row, &sheet.signers, layout.right_block(), styles)?;

    set_print_layout(ws, Some((HEADER_ROW, HEADER_ROW)))?;
    if !sheet.approved {
        ws.set_header("&R&\"Times New Roman,Bold\"&12DỰ THẢO");
    }
    ws.set_freeze_panes(HEADER_ROW + 1, 0)?;
    Ok(())
}

/// What every person's row of one category's group shares: the sheet's columns, the
/// formats, the category's cleaned name with its format (the quoted variant when the name
/// needs the prefix) and the row height the name needs, all worked out once per group.
struct GroupCells<'a> {
    layout: Layout,
    styles: &'a Styles,
    category_name: Cow<'a, str>,
    category_format: &'a Format,
    min_height: f64,
}

impl<'a> GroupCells<'a> {
    fn new(layout: Layout, category: &'a Category, styles: &'a Styles) -> GroupCells<'a> {
        let category_name = clean_user_text(&category.name);
        let category_format = if needs_quote_prefix(&category_name) {
            styles.cell_text.quoted()
        } else {
            styles.cell_text.format()
        };
        GroupCells {
            layout,
            styles,
            category_name,
            category_format,
            min_height: wrapped_row_height(
                &[(&category.name, COLUMNS[COL_CATEGORY as usize].1)],
                DATA_ROW_HEIGHT,
            ),
        }
    }
}

/// One person's row: its height first, then every cell with its format, empty ones too
/// (so the table is boxed), all on this row alone, as a constant-memory sheet needs (it
/// writes a row out once the next one starts). User text goes through
/// [`write_user_text`]; the hidden id column has no format.
fn write_entry(
    ws: &mut Worksheet,
    group: &GroupCells,
    row: u32,
    number: u32,
    entry: &SigningEntry,
) -> Result<(), XlsxError> {
    let styles = group.styles;
    let (text, center) = (&styles.cell_text, &styles.cell_center);
    let height = wrapped_row_height(
        &[
            (&entry.full_name, COLUMNS[COL_NAME as usize].1),
            (&entry.address, COLUMNS[COL_ADDRESS as usize].1),
            (&entry.note, COLUMNS[COL_NOTE as usize].1),
            (&entry.quarter, COLUMNS[COL_QUARTER as usize].1),
        ],
        group.min_height,
    );
    ws.set_row_height(row, height)?;
    ws.write_number_with_format(row, COL_STT, number, center.format())?;
    match entry.birth_year {
        Some(year) => ws.write_number_with_format(row, COL_YEAR, year, center.format())?,
        None => ws.write_blank(row, COL_YEAR, center.format())?,
    };
    match entry.gender {
        Some(gender) => {
            ws.write_string_with_format(row, COL_GENDER, gender.label(), center.format())?
        }
        None => ws.write_blank(row, COL_GENDER, center.format())?,
    };
    let texts = [
        (COL_NAME, entry.full_name.as_str(), text),
        (COL_ADDRESS, entry.address.as_str(), text),
        (COL_QUARTER, entry.quarter.as_str(), center),
        (
            COL_ID_NUMBER,
            entry.id_number.as_deref().unwrap_or(""),
            center,
        ),
        (COL_NOTE, entry.note.as_str(), text),
    ];
    for (col, value, style) in texts {
        write_user_text(ws, Place::Cell(row, col), value, style)?;
    }
    ws.write_string_with_format(
        row,
        COL_CATEGORY,
        group.category_name.as_ref(),
        group.category_format,
    )?;
    // Whole đồng fit f64 exactly up to 2^53, far above any gift.
    ws.write_number_with_format(row, COL_AMOUNT, entry.amount as f64, &styles.cell_money)?;
    ws.write_blank(row, COL_SIGNATURE, &styles.cell_blank)?;
    if group.layout.former_ward {
        let former = entry.former_ward.as_deref().unwrap_or("");
        write_user_text(ws, Place::Cell(row, COL_FORMER_WARD), former, text)?;
    }
    ws.write_string(row, group.layout.entry_id_col(), entry.entry_id.to_string())?;
    Ok(())
}

/// A subtotal or total row: the label and head count, and the money as a SUBTOTAL formula
/// with its result cached, so every reader sees the number and Excel keeps it right if a
/// ward edits an amount. SUBTOTAL skips other SUBTOTALs, so the grand total can span the
/// whole table, subtotal rows included.
#[expect(
    clippy::too_many_arguments,
    reason = "a total row's label, count, range and money are all it needs"
)]
fn write_total_row(
    ws: &mut Worksheet,
    layout: Layout,
    row: u32,
    label: &str,
    people: usize,
    range: Option<(u32, u32)>,
    money: i64,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let label_format = styles.total_label.format();
    ws.write_blank(row, COL_STT, label_format)?;
    ws.write_string_with_format(row, COL_NAME, label, label_format)?;
    ws.merge_range(
        row,
        COL_YEAR,
        row,
        COL_CATEGORY,
        &format!("Số người: {people}"),
        label_format,
    )?;
    match range {
        Some((first, last)) => {
            let formula = Formula::new(format!(
                "=SUBTOTAL(9,{AMOUNT_LETTER}{}:{AMOUNT_LETTER}{})",
                first + 1,
                last + 1
            ))
            .set_result(money.to_string());
            ws.write_formula_with_format(row, COL_AMOUNT, formula, &styles.total_money)?;
        }
        None => {
            ws.write_number_with_format(row, COL_AMOUNT, money as f64, &styles.total_money)?;
        }
    }
    ws.write_blank(row, COL_SIGNATURE, label_format)?;
    ws.write_blank(row, COL_NOTE, label_format)?;
    if layout.former_ward {
        ws.write_blank(row, COL_FORMER_WARD, label_format)?;
    }
    Ok(())
}

/// Người lập biểu, Kế toán, and the committee's chair (over the columns `right`), with
/// room to sign.
pub(crate) fn write_signatures(
    ws: &mut Worksheet,
    row: u32,
    signers: &Signers,
    right: (u16, u16),
    styles: &Styles,
) -> Result<(), XlsxError> {
    const ROOM_TO_SIGN: u32 = 4;
    let blocks: [(u16, u16, &str, &str, Option<&String>); 3] = [
        (
            1,
            2,
            "Người lập biểu",
            "(Ký, ghi rõ họ tên)",
            signers.preparer.as_ref(),
        ),
        (
            4,
            5,
            "Kế toán",
            "(Ký, ghi rõ họ tên)",
            signers.accountant.as_ref(),
        ),
        (
            right.0,
            right.1,
            "TM. ỦY BAN NHÂN DÂN",
            "CHỦ TỊCH",
            signers.chairman.as_ref(),
        ),
    ];
    // Row by row across the blocks, as a constant-memory sheet needs.
    for (first, last, title, _, _) in blocks {
        ws.merge_range(row, first, row, last, title, styles.sign_title.format())?;
    }
    for (first, last, _, second, _) in blocks {
        let second_format = if second == "CHỦ TỊCH" {
            styles.sign_title.format()
        } else {
            &styles.sign_hint
        };
        ws.merge_range(row + 1, first, row + 1, last, second, second_format)?;
    }
    let name_row = row + 2 + ROOM_TO_SIGN;
    for (first, last, _, _, name) in blocks {
        if let Some(name) = name.map(|n| n.trim()).filter(|n| !n.is_empty()) {
            write_user_text(
                ws,
                Place::Merged(name_row, first, name_row, last),
                name,
                &styles.sign_title,
            )?;
        }
    }
    Ok(())
}
