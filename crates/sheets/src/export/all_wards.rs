//! The workbook of all wards for one program: a summary sheet ("Tổng hợp": people and money
//! per ward and category) first, then each ward's signing sheet as signing_sheet.rs writes it.
//!
//! Its memory does not grow with the rows: each ward's sheet is a constant-memory worksheet
//! (rust_xlsxwriter's `constant_memory` feature), whose rows go to a temporary file as soon
//! as the next row starts, so only the row being written is in memory; the wards are written
//! one after the other, in order. Such a sheet stores its text inline in each cell instead
//! of in the workbook's shared strings, which every reader reads alike. The summary, a few
//! rows per ward, is the one in-memory sheet, filled in last because it needs every ward's
//! totals.

use rust_xlsxwriter::{Formula, Worksheet, XlsxError};

use chamlo_vn::lunar::lunar_year_label;
use chamlo_vn::money_words::amount_in_words;

use super::signing_sheet::{
    HEADER_ROW, LEFT_BLOCK, prepare, set_properties, title, write_heading, write_sheet,
    write_title_block,
};
use super::style::{Place, Styles, set_print_layout, upper, write_user_text};
use super::{Category, ExportError, SigningSheet, new_workbook, unique_sheet_names};

/// The signing sheets of several wards for one program in one workbook: a summary sheet
/// ("Tổng hợp": people and money per ward and category) first, then a sheet per ward.
pub fn write_all_wards_workbook(sheets: &[SigningSheet]) -> Result<Vec<u8>, ExportError> {
    let mut workbook = AllWardsWorkbook::new()?;
    for sheet in sheets {
        workbook.add_ward(sheet)?;
    }
    workbook.finish()
}

/// The all-wards workbook built one ward at a time, so a caller can hand over each ward's
/// sheet as soon as its rows are loaded (and drop them once written) while it loads the
/// next ward's: the same workbook as [`write_all_wards_workbook`].
pub struct AllWardsWorkbook {
    workbook: rust_xlsxwriter::Workbook,
    styles: Styles,
    /// The first ward's sheet without its entries: the summary's heading, program and
    /// year, and the document properties.
    head: Option<SigningSheet>,
    /// Per ward sheet, in order: its wanted name and its totals.
    wards: Vec<WardTotals>,
}

/// What the summary sheet needs of a ward, kept once the ward's sheet is written.
struct WardTotals {
    ward: String,
    approved: bool,
    people: usize,
    money: i64,
    /// People and money per printed category, in print order.
    by_category: Vec<(Category, usize, i64)>,
}

impl AllWardsWorkbook {
    /// An empty workbook with its formats and the (still empty) summary sheet. The ward
    /// sheets' rows wait in the system's temporary directory (`TMPDIR`, else /tmp) until
    /// the workbook is saved.
    pub fn new() -> Result<AllWardsWorkbook, ExportError> {
        let mut workbook = new_workbook();
        let styles = Styles::install(&mut workbook)?;
        workbook.add_worksheet();
        Ok(AllWardsWorkbook {
            workbook,
            styles,
            head: None,
            wards: Vec::new(),
        })
    }

    /// Writes one ward's sheet after the ones already added, top to bottom; only its
    /// totals stay in memory. Every ward must be of the same program as the first
    /// ([`ExportError::MixedPrograms`]).
    pub fn add_ward(&mut self, sheet: &SigningSheet) -> Result<(), ExportError> {
        if let Some(head) = &self.head
            && head.program.id != sheet.program.id
        {
            return Err(ExportError::MixedPrograms);
        }
        let prepared = prepare(sheet)?;
        // Added through the workbook, so the sheet takes its default font, row height and
        // column width (Times New Roman 12) like the summary.
        let worksheet = self.workbook.add_worksheet_with_constant_memory()?;
        write_sheet(worksheet, &prepared, &self.styles)?;
        self.wards.push(WardTotals {
            ward: sheet.ward.clone(),
            approved: sheet.approved,
            people: prepared.people,
            money: prepared.money,
            by_category: prepared
                .groups
                .iter()
                .map(|(category, entries)| {
                    let money = entries
                        .iter()
                        .fold(0i64, |sum, e| sum.saturating_add(e.amount));
                    ((*category).clone(), entries.len(), money)
                })
                .collect(),
        });
        if self.head.is_none() {
            self.head = Some(sheet.clone_without_entries());
        }
        Ok(())
    }

    /// Names the sheets, fills in the summary and returns the .xlsx bytes;
    /// [`ExportError::NothingToExport`] when no ward was added.
    pub fn finish(mut self) -> Result<Vec<u8>, ExportError> {
        let Some(head) = &self.head else {
            return Err(ExportError::NothingToExport);
        };
        set_properties(&mut self.workbook, &title(head), &head.parent_unit);
        let mut wanted: Vec<&str> = vec!["Tổng hợp"];
        wanted.extend(self.wards.iter().map(|w| w.ward.as_str()));
        let names = unique_sheet_names(&wanted);
        for (index, name) in names.iter().enumerate() {
            self.workbook.worksheet_from_index(index)?.set_name(name)?;
        }
        let summary = self.workbook.worksheet_from_index(0)?;
        write_summary(summary, head, &self.wards, &self.styles)?;
        Ok(self.workbook.save_to_buffer()?)
    }
}

/// The summary sheet of the all-wards workbook: per ward, people and money in total and by
/// category, and a total row.
fn write_summary(
    ws: &mut Worksheet,
    sheet: &SigningSheet,
    wards: &[WardTotals],
    styles: &Styles,
) -> Result<(), XlsxError> {
    // Categories of all wards, once each, in print order.
    let mut categories: Vec<&Category> = Vec::new();
    for ward in wards {
        for (category, _, _) in &ward.by_category {
            if !categories.iter().any(|c| c.id == category.id) {
                categories.push(category);
            }
        }
    }
    categories.sort_by(|a, b| {
        a.sort_order
            .cmp(&b.sort_order)
            .then_with(|| a.name.cmp(&b.name))
            .then_with(|| a.id.cmp(&b.id))
    });
    let last_col = u16::try_from(3 + 2 * categories.len()).unwrap_or(u16::MAX);

    ws.set_column_width(0, 5)?;
    ws.set_column_width(1, 26)?;
    for col in 2..=last_col {
        ws.set_column_width(col, if col % 2 == 0 { 9 } else { 14 })?;
    }

    let wide = last_col.max(8);
    write_heading(
        ws,
        &sheet.parent_unit,
        None,
        (wide.saturating_sub(3).max(LEFT_BLOCK.1 + 1), wide),
        styles,
    )?;
    let mut summary_title = format!(
        "TỔNG HỢP DANH SÁCH KÝ NHẬN QUÀ TẾT NGUYÊN ĐÁN {}",
        upper(&lunar_year_label(sheet.campaign_year))
    );
    if wards.iter().any(|w| !w.approved) {
        summary_title.push_str(" (DỰ THẢO)");
    }
    write_title_block(ws, &summary_title, &sheet.program, None, wide, styles)?;

    let header = HEADER_ROW - 1;
    ws.set_row_height(header, 33)?;
    ws.set_row_height(header + 1, 33)?;
    ws.merge_range(header, 0, header + 1, 0, "STT", styles.header.format())?;
    ws.merge_range(header, 1, header + 1, 1, "Đơn vị", styles.header.format())?;
    ws.merge_range(header, 2, header, 3, "Tổng cộng", styles.header.format())?;
    for (i, category) in categories.iter().enumerate() {
        let col = summary_col(i);
        write_user_text(
            ws,
            Place::Merged(header, col, header, col + 1),
            &category.name,
            &styles.header,
        )?;
    }
    for pair in 0..=categories.len() {
        let col = 2 + 2 * u16::try_from(pair).unwrap_or(0);
        ws.write_string_with_format(header + 1, col, "Số người", styles.header.format())?;
        ws.write_string_with_format(
            header + 1,
            col + 1,
            "Số tiền (đồng)",
            styles.header.format(),
        )?;
    }

    let mut row = header + 2;
    let first_row = row;
    let mut people_by_category = vec![0usize; categories.len()];
    let mut money_by_category = vec![0i64; categories.len()];
    for (index, ward) in wards.iter().enumerate() {
        ws.write_number_with_format(row, 0, (index + 1) as f64, styles.cell_center.format())?;
        write_user_text(ws, Place::Cell(row, 1), &ward.ward, &styles.cell_text)?;
        ws.write_number_with_format(row, 2, ward.people as f64, &styles.cell_count)?;
        ws.write_number_with_format(row, 3, ward.money as f64, &styles.cell_money)?;
        for (i, category) in categories.iter().enumerate() {
            let col = summary_col(i);
            let (people, money) = ward
                .by_category
                .iter()
                .find(|(c, _, _)| c.id == category.id)
                .map(|(_, people, money)| (*people, *money))
                .unwrap_or((0, 0));
            people_by_category[i] += people;
            money_by_category[i] = money_by_category[i].saturating_add(money);
            ws.write_number_with_format(row, col, people as f64, &styles.cell_count)?;
            ws.write_number_with_format(row, col + 1, money as f64, &styles.cell_money)?;
        }
        row += 1;
    }

    let total_people: usize = wards.iter().map(|w| w.people).sum();
    let total_money = wards
        .iter()
        .fold(0i64, |sum, w| sum.saturating_add(w.money));
    ws.write_blank(row, 0, styles.total_label.format())?;
    ws.write_string_with_format(row, 1, "Tổng cộng", styles.total_label.format())?;
    let mut totals = vec![(total_people as i64, total_money)];
    totals.extend(
        people_by_category
            .iter()
            .zip(&money_by_category)
            .map(|(p, m)| (*p as i64, *m)),
    );
    for (pair, (people, money)) in totals.into_iter().enumerate() {
        let col = 2 + 2 * u16::try_from(pair).unwrap_or(0);
        write_sum(ws, row, col, first_row, people, &styles.total_count)?;
        write_sum(ws, row, col + 1, first_row, money, &styles.total_money)?;
    }
    row += 1;
    write_user_text(
        ws,
        Place::Merged(row, 0, row, last_col),
        &format!("Bằng chữ: {}.", amount_in_words(total_money)),
        &styles.words,
    )?;

    set_print_layout(ws, Some((header, header + 1)))?;
    ws.set_freeze_panes(header + 2, 2)?;
    Ok(())
}

/// The first of the two columns of the i-th category on the summary sheet.
fn summary_col(i: usize) -> u16 {
    4 + 2 * u16::try_from(i).unwrap_or(0)
}

/// A column total over the rows from `first_row` to the row above `row`, as a SUM formula
/// with its result cached.
fn write_sum(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    first_row: u32,
    value: i64,
    format: &rust_xlsxwriter::Format,
) -> Result<(), XlsxError> {
    if row == first_row {
        ws.write_number_with_format(row, col, value as f64, format)?;
        return Ok(());
    }
    let letter = rust_xlsxwriter::utility::column_number_to_name(col);
    let formula = Formula::new(format!("=SUM({letter}{}:{letter}{})", first_row + 1, row))
        .set_result(value.to_string());
    ws.write_formula_with_format(row, col, formula, format)?;
    Ok(())
}
