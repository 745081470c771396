//! The reports workbook: what was planned, received, not received and is still to hand out,
//! by ward × category × program, by funding source, and the closing reconciliation per
//! program (quyết toán). All figures are numbers, so the district can sum and filter them.

use std::collections::HashMap;

use chrono::NaiveDate;
use rust_xlsxwriter::{Format, Worksheet, XlsxError};
use serde::{Deserialize, Serialize};

use super::settlement::{self, SettlementFigures, TransferGroup};
use super::signing_sheet::write_heading;
use super::style::{Place, Styles, set_print_layout, upper, wrapped_row_height, write_user_text};
use super::{Category, ExportError, Program, printable_categories};
use chamlo_vn::lunar::lunar_year_label;
use chamlo_vn::money_words::{amount_in_words, format_thousands};
use chamlo_vn::states::EntryStatus;

/// A ward (or any unit that keeps lists) in the reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ward {
    /// The unit's id; report entries refer to it.
    pub id: i64,
    /// Its name with its type: "Phường Long Bình".
    pub name: String,
}

/// One list entry, reduced to what the reports count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportEntry {
    /// The entry's ward (see [`ReportInput::wards`]).
    pub ward_id: i64,
    /// The entry's category (see [`ReportInput::categories`]).
    pub category_id: i64,
    /// The entry's program (see [`ReportInput::programs`]).
    pub program_id: i64,
    /// The gift in đồng.
    pub amount: i64,
    /// Handed out or not.
    pub status: EntryStatus,
}

/// Everything the reports workbook shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportInput {
    /// The unit that reports, with its type: "Quận 9".
    pub issuing_unit: String,
    /// The Gregorian year of the Tết (2021 for Tết Tân Sửu).
    pub campaign_year: i32,
    /// The day the figures are taken ("Số liệu đến ngày …").
    pub as_of: NaiveDate,
    /// The wards, in report order.
    pub wards: Vec<Ward>,
    /// The categories, sensitive ones included (their entries are left out here).
    pub categories: Vec<Category>,
    /// The programs, in report order; every one appears in the reconciliation, even
    /// without entries.
    pub programs: Vec<Program>,
    /// The entries, in any order.
    pub entries: Vec<ReportEntry>,
    /// Which of those entries went by transfer and how that ended, grouped (the settlement
    /// and the reconciliation's payment columns); empty when nothing was sent for transfer.
    #[serde(default)]
    pub transfers: Vec<TransferGroup>,
}

/// People and money.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Count {
    /// Gifts (entries).
    pub people: i64,
    /// Their money, in đồng.
    pub money: i64,
}

impl Count {
    pub(super) fn of(people: i64, money: i64) -> Count {
        Count { people, money }
    }

    fn add(&mut self, money: i64) {
        self.people += 1;
        self.money = self.money.saturating_add(money);
    }

    pub(super) fn plus(self, other: Count) -> Count {
        Count {
            people: self.people + other.people,
            money: self.money.saturating_add(other.money),
        }
    }

    pub(super) fn minus(self, other: Count) -> Count {
        Count {
            people: self.people - other.people,
            money: self.money.saturating_sub(other.money),
        }
    }
}

/// Planned, received and not received; the rest is still to hand out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Tally {
    planned: Count,
    received: Count,
    not_received: Count,
}

impl Tally {
    fn add(&mut self, amount: i64, status: EntryStatus) {
        self.planned.add(amount);
        match status {
            EntryStatus::Pending => {}
            EntryStatus::Received => self.received.add(amount),
            EntryStatus::NotReceived => self.not_received.add(amount),
        }
    }

    fn remaining(&self) -> Count {
        self.planned.minus(self.received).minus(self.not_received)
    }

    fn merge(&mut self, other: &Tally) {
        self.planned = self.planned.plus(other.planned);
        self.received = self.received.plus(other.received);
        self.not_received = self.not_received.plus(other.not_received);
    }

    /// The four measures in column order.
    fn measures(&self) -> [Count; 4] {
        [
            self.planned,
            self.received,
            self.not_received,
            self.remaining(),
        ]
    }
}

/// Headers of the four measures, each over "Số người" and "Số tiền (đồng)".
const MEASURES: [&str; 4] = ["Dự kiến", "Đã nhận", "Không nhận", "Còn lại (chưa phát)"];
/// The table header's first row; the heading block is above it.
const HEADER_ROW: u32 = 6;
/// The least height of a data row, in points.
const ROW_HEIGHT: f64 = 18.0;

/// The reports workbook: sheets "Theo phường", "Theo nguồn kinh phí", "Quyết toán" and
/// "Quyết toán chi trả" (the settlement, [`settlement`]).
pub fn write_reports(input: &ReportInput) -> Result<Vec<u8>, ExportError> {
    let categories = printable_categories(&input.categories);
    let ward_index: HashMap<i64, usize> = input
        .wards
        .iter()
        .enumerate()
        .map(|(i, w)| (w.id, i))
        .collect();
    let program_index: HashMap<i64, usize> = input
        .programs
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id, i))
        .collect();

    // (ward, category, program) positions → tally; a BTreeMap keeps report order.
    let mut cells: std::collections::BTreeMap<(usize, usize, usize), Tally> =
        std::collections::BTreeMap::new();
    for entry in &input.entries {
        let Some(category) = categories.get(entry.category_id)? else {
            continue;
        };
        let ward = *ward_index
            .get(&entry.ward_id)
            .ok_or(ExportError::UnknownWard(entry.ward_id))?;
        let program = *program_index
            .get(&entry.program_id)
            .ok_or(ExportError::UnknownProgram(entry.program_id))?;
        cells
            .entry((ward, category, program))
            .or_default()
            .add(entry.amount, entry.status);
    }

    let mut by_program = vec![Tally::default(); input.programs.len()];
    for ((_, _, program), tally) in &cells {
        by_program[*program].merge(tally);
    }
    let settlement_cells = settlement::settlement_cells(input)?;
    let mut settled = vec![SettlementFigures::default(); input.programs.len()];
    for ((program, _), figures) in &settlement_cells {
        settled[*program].merge(figures);
    }

    let mut workbook = super::new_workbook();
    workbook.set_properties(
        &rust_xlsxwriter::DocProperties::new().set_title(report_title(input.campaign_year)),
    );
    let styles = Styles::install(&mut workbook)?;

    let ws = workbook.add_worksheet();
    ws.set_name("Theo phường")?;
    write_by_ward(ws, input, &categories.printable, &cells, &styles)?;

    let ws = workbook.add_worksheet();
    ws.set_name("Theo nguồn kinh phí")?;
    write_by_funding(ws, input, &by_program, &styles)?;

    let ws = workbook.add_worksheet();
    ws.set_name("Quyết toán")?;
    write_reconciliation(ws, input, &by_program, &settled, &styles)?;

    let ws = workbook.add_worksheet();
    ws.set_name(settlement::SHEET_NAME)?;
    settlement::write_settlement(ws, input, &settlement_cells, &styles)?;

    Ok(workbook.save_to_buffer()?)
}

fn report_title(year: i32) -> String {
    format!(
        "BÁO CÁO KẾT QUẢ PHÁT QUÀ TẾT NGUYÊN ĐÁN {}",
        upper(&lunar_year_label(year))
    )
}

/// Heading, title, subtitle and the two header rows of a report table. `fixed` are the
/// columns before the measures (merged over both header rows), `trailing` those after.
fn write_report_top(
    ws: &mut Worksheet,
    input: &ReportInput,
    subtitle: &str,
    fixed: &[(&str, f64)],
    trailing: &[(&str, f64)],
    styles: &Styles,
) -> Result<u16, XlsxError> {
    let fixed_len = u16::try_from(fixed.len()).unwrap_or(0);
    let last_col = fixed_len + 8 + u16::try_from(trailing.len()).unwrap_or(0) - 1;
    write_heading(
        ws,
        &input.issuing_unit,
        None,
        (last_col.saturating_sub(4).max(5), last_col),
        styles,
    )?;
    ws.set_row_height(3, 24)?;
    ws.merge_range(
        3,
        0,
        3,
        last_col,
        &report_title(input.campaign_year),
        styles.title.format(),
    )?;
    write_user_text(
        ws,
        Place::Merged(4, 0, 4, last_col),
        &format!(
            "{subtitle} – Số liệu đến ngày {}",
            input.as_of.format("%d/%m/%Y")
        ),
        &styles.subtitle_italic,
    )?;

    let header = styles.header.format();
    ws.set_row_height(HEADER_ROW, 21)?;
    ws.set_row_height(HEADER_ROW + 1, 33)?;
    for (col, (name, width)) in (0u16..).zip(fixed) {
        ws.set_column_width(col, *width)?;
        ws.merge_range(HEADER_ROW, col, HEADER_ROW + 1, col, name, header)?;
    }
    for (i, measure) in (0u16..).zip(MEASURES) {
        let col = fixed_len + 2 * i;
        ws.set_column_width(col, 9)?;
        ws.set_column_width(col + 1, 15)?;
        ws.merge_range(HEADER_ROW, col, HEADER_ROW, col + 1, measure, header)?;
        ws.write_string_with_format(HEADER_ROW + 1, col, "Số người", header)?;
        ws.write_string_with_format(HEADER_ROW + 1, col + 1, "Số tiền (đồng)", header)?;
    }
    for (i, (name, width)) in (0u16..).zip(trailing) {
        let col = fixed_len + 8 + i;
        ws.set_column_width(col, *width)?;
        ws.merge_range(HEADER_ROW, col, HEADER_ROW + 1, col, name, header)?;
    }
    set_print_layout(ws, Some((HEADER_ROW, HEADER_ROW + 1)))?;
    ws.set_freeze_panes(HEADER_ROW + 2, 0)?;
    Ok(last_col)
}

/// The formats of a count and of money: bold on total rows.
pub(super) fn number_formats(styles: &Styles, bold: bool) -> (&Format, &Format) {
    if bold {
        (&styles.total_count, &styles.total_money)
    } else {
        (&styles.cell_count, &styles.cell_money)
    }
}

/// The eight measure cells of a row, from column `col`.
fn write_measures(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    tally: &Tally,
    bold: bool,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let (count_format, money_format) = number_formats(styles, bold);
    for (i, count) in (0u16..).zip(tally.measures()) {
        ws.write_number_with_format(row, col + 2 * i, count.people as f64, count_format)?;
        ws.write_number_with_format(row, col + 2 * i + 1, count.money as f64, money_format)?;
    }
    Ok(())
}

/// A bold label row ("Cộng …", "Tổng cộng") over the fixed columns.
fn write_label_row(
    ws: &mut Worksheet,
    row: u32,
    fixed_len: u16,
    label: &str,
    styles: &Styles,
) -> Result<(), XlsxError> {
    if fixed_len > 1 {
        write_user_text(
            ws,
            Place::Merged(row, 0, row, fixed_len - 1),
            label,
            &styles.total_label,
        )
    } else {
        write_user_text(ws, Place::Cell(row, 0), label, &styles.total_label)
    }
}

fn write_by_ward(
    ws: &mut Worksheet,
    input: &ReportInput,
    categories: &[&Category],
    cells: &std::collections::BTreeMap<(usize, usize, usize), Tally>,
    styles: &Styles,
) -> Result<(), XlsxError> {
    const FIXED: [(&str, f64); 4] = [
        ("STT", 5.0),
        ("Phường", 22.0),
        ("Đối tượng", 28.0),
        ("Chương trình", 26.0),
    ];
    write_report_top(
        ws,
        input,
        "Theo phường, đối tượng và chương trình",
        &FIXED,
        &[],
        styles,
    )?;
    let mut row = HEADER_ROW + 2;
    let mut number = 0u32;
    let mut grand = Tally::default();
    let mut current_ward: Option<(usize, Tally)> = None;
    for (&(ward, category, program), tally) in cells {
        if let Some((previous, subtotal)) = current_ward
            && previous != ward
        {
            let label = format!("Cộng {}", input.wards[previous].name.trim());
            write_label_row(ws, row, 4, &label, styles)?;
            write_measures(ws, row, 4, &subtotal, true, styles)?;
            row += 1;
            current_ward = None;
        }
        let subtotal = &mut current_ward.get_or_insert((ward, Tally::default())).1;
        subtotal.merge(tally);
        grand.merge(tally);

        number += 1;
        let ward_name = &input.wards[ward].name;
        let category_name = &categories[category].name;
        let program_name = &input.programs[program].name;
        ws.set_row_height(
            row,
            wrapped_row_height(
                &[
                    (ward_name, FIXED[1].1),
                    (category_name, FIXED[2].1),
                    (program_name, FIXED[3].1),
                ],
                ROW_HEIGHT,
            ),
        )?;
        ws.write_number_with_format(row, 0, number, styles.cell_center.format())?;
        write_user_text(ws, Place::Cell(row, 1), ward_name, &styles.cell_text)?;
        write_user_text(ws, Place::Cell(row, 2), category_name, &styles.cell_text)?;
        write_user_text(ws, Place::Cell(row, 3), program_name, &styles.cell_text)?;
        write_measures(ws, row, 4, tally, false, styles)?;
        row += 1;
    }
    if let Some((previous, subtotal)) = current_ward {
        let label = format!("Cộng {}", input.wards[previous].name.trim());
        write_label_row(ws, row, 4, &label, styles)?;
        write_measures(ws, row, 4, &subtotal, true, styles)?;
        row += 1;
    }
    write_label_row(ws, row, 4, "Tổng cộng", styles)?;
    write_measures(ws, row, 4, &grand, true, styles)?;
    Ok(())
}

fn write_by_funding(
    ws: &mut Worksheet,
    input: &ReportInput,
    by_program: &[Tally],
    styles: &Styles,
) -> Result<(), XlsxError> {
    const FIXED: [(&str, f64); 3] = [
        ("STT", 5.0),
        ("Nguồn kinh phí", 36.0),
        ("Số chương trình", 11.0),
    ];
    write_report_top(ws, input, "Theo nguồn kinh phí", &FIXED, &[], styles)?;
    // Sources in the order their first program appears.
    let mut sources: Vec<(String, usize, Tally)> = Vec::new();
    for (program, tally) in input.programs.iter().zip(by_program) {
        let label = program.funding_label();
        match sources.iter_mut().find(|(l, _, _)| *l == label) {
            Some((_, programs, total)) => {
                *programs += 1;
                total.merge(tally);
            }
            None => sources.push((label, 1, *tally)),
        }
    }
    let mut row = HEADER_ROW + 2;
    let mut grand = Tally::default();
    for (number, (label, programs, tally)) in (1u32..).zip(&sources) {
        ws.set_row_height(row, wrapped_row_height(&[(label, FIXED[1].1)], ROW_HEIGHT))?;
        ws.write_number_with_format(row, 0, number, styles.cell_center.format())?;
        write_user_text(ws, Place::Cell(row, 1), label, &styles.cell_text)?;
        ws.write_number_with_format(row, 2, *programs as f64, &styles.cell_count)?;
        write_measures(ws, row, 3, tally, false, styles)?;
        grand.merge(tally);
        row += 1;
    }
    write_label_row(ws, row, 2, "Tổng cộng", styles)?;
    ws.write_number_with_format(row, 2, input.programs.len() as f64, &styles.total_count)?;
    write_measures(ws, row, 3, &grand, true, styles)?;
    Ok(())
}

/// Per program: the approved budget, what was planned, paid, not received and is still
/// to hand out, and what is left of the budget (the budget minus what was paid; without a
/// budget, what was planned minus what was paid); then how it was paid (`settled`):
/// transferred, in cash, transfers failed or returned, not reached, and the refund.
fn write_reconciliation(
    ws: &mut Worksheet,
    input: &ReportInput,
    by_program: &[Tally],
    settled: &[SettlementFigures],
    styles: &Styles,
) -> Result<(), XlsxError> {
    const FIXED: [(&str, f64); 4] = [
        ("STT", 5.0),
        ("Chương trình", 26.0),
        ("Nguồn kinh phí", 28.0),
        ("Kinh phí được duyệt (đồng)", 15.0),
    ];
    const TRAILING: [(&str, f64); 6] = [
        ("Kinh phí còn lại (đồng)", 15.0),
        ("Đã chuyển khoản (đồng)", 15.0),
        ("Đã chi tiền mặt (đồng)", 15.0),
        ("Chuyển khoản lỗi, bị hoàn trả (người)", 11.0),
        ("Chưa tiếp cận được (người)", 11.0),
        ("Hoàn ứng (đồng)", 15.0),
    ];
    let last_col = write_report_top(
        ws,
        input,
        "Quyết toán theo chương trình",
        &FIXED,
        &TRAILING,
        styles,
    )?;
    let mut row = HEADER_ROW + 2;
    let mut grand = Tally::default();
    let mut budget_total: i64 = 0;
    let mut left_total: i64 = 0;
    let mut settled_total = SettlementFigures::default();
    let left_col = last_col - 5;
    for (number, ((program, tally), paid)) in
        (1u32..).zip(input.programs.iter().zip(by_program).zip(settled))
    {
        let funding = program.funding_label();
        ws.set_row_height(
            row,
            wrapped_row_height(
                &[(&program.name, FIXED[1].1), (&funding, FIXED[2].1)],
                ROW_HEIGHT,
            ),
        )?;
        ws.write_number_with_format(row, 0, number, styles.cell_center.format())?;
        write_user_text(ws, Place::Cell(row, 1), &program.name, &styles.cell_text)?;
        write_user_text(ws, Place::Cell(row, 2), &funding, &styles.cell_text)?;
        match program.budget {
            Some(budget) => {
                ws.write_number_with_format(row, 3, budget as f64, &styles.cell_money)?;
                budget_total = budget_total.saturating_add(budget);
            }
            None => {
                ws.write_blank(row, 3, &styles.cell_money)?;
            }
        }
        write_measures(ws, row, 4, tally, false, styles)?;
        let left = program
            .budget
            .unwrap_or(tally.planned.money)
            .saturating_sub(tally.received.money);
        left_total = left_total.saturating_add(left);
        ws.write_number_with_format(row, left_col, left as f64, &styles.cell_money)?;
        write_payment_columns(ws, row, left_col + 1, paid, false, styles)?;
        settled_total.merge(paid);
        grand.merge(tally);
        row += 1;
    }
    write_label_row(ws, row, 3, "Tổng cộng", styles)?;
    ws.write_number_with_format(row, 3, budget_total as f64, &styles.total_money)?;
    write_measures(ws, row, 4, &grand, true, styles)?;
    ws.write_number_with_format(row, left_col, left_total as f64, &styles.total_money)?;
    write_payment_columns(ws, row, left_col + 1, &settled_total, true, styles)?;
    row += 2;
    write_user_text(
        ws,
        Place::Merged(row, 0, row, last_col),
        &format!(
            "Tổng số tiền đã chi: {} đồng. Bằng chữ: {}.",
            format_thousands(grand.received.money),
            amount_in_words(grand.received.money)
        ),
        &styles.words,
    )?;
    Ok(())
}

/// The reconciliation's five payment cells from `col`: transferred and cash money, failed
/// or returned and not reached people (as the settlement sheet counts them: transfers
/// still awaiting the bank's result are in neither), and the refund.
fn write_payment_columns(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    paid: &SettlementFigures,
    bold: bool,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let (count_format, money_format) = number_formats(styles, bold);
    ws.write_number_with_format(row, col, paid.transferred.money as f64, money_format)?;
    ws.write_number_with_format(row, col + 1, paid.cash.money as f64, money_format)?;
    ws.write_number_with_format(
        row,
        col + 2,
        paid.failed_or_returned.people as f64,
        count_format,
    )?;
    ws.write_number_with_format(row, col + 3, paid.not_reached.people as f64, count_format)?;
    ws.write_number_with_format(row, col + 4, paid.refund() as f64, money_format)?;
    Ok(())
}
