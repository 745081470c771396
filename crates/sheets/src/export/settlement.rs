//! The settlement of paying the gifts (quyết toán chi trả, DOMAIN.md "How the state's gifts
//! are paid"): per program and funding source, and per ward inside each program, what was
//! planned, transferred, paid in cash, failed or returned, still awaiting the bank's result
//! and not reached, and the money to give back to the Treasury (hoàn ứng).
//!
//! [`Outcome::of`] is the one place that says what became of a gift from its entry status
//! and its transfer's state: the settlement sheet, the reconciliation sheet's payment
//! columns, the dashboard and `chamlo payments settlement` all count through it.

use std::collections::BTreeMap;

use chamlo_vn::money_words::{amount_in_words, format_thousands};
use chamlo_vn::states::EntryStatus;
use rust_xlsxwriter::{Worksheet, XlsxError};
use serde::{Deserialize, Serialize};

use super::reports::{Count, ReportInput, number_formats};
use super::signing_sheet::{write_heading, write_signatures};
use super::style::{Place, Styles, set_print_layout, upper, wrapped_row_height, write_user_text};
use super::{ExportError, Signers, place_and_date, printable_categories};
use chamlo_vn::lunar::lunar_year_label;

/// Where an entry's transfer stands (the bank's answer, or none yet).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TransferState {
    /// In a batch sent to the bank, no result yet.
    Sent,
    /// The bank confirmed the transfer.
    Transferred,
    /// The transfer failed.
    Failed,
    /// The money came back.
    Returned,
}

/// What became of one gift, as the settlement counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Received by a confirmed transfer.
    Transferred,
    /// Received otherwise: in cash (or goods) from the ward.
    Cash,
    /// Still pending after a failed or returned transfer: due in the cash round.
    FailedOrReturned,
    /// Still pending, sent for transfer, the bank has not answered.
    AwaitingResult,
    /// Pending with no transfer under way, or closed without receiving.
    NotReached,
}

impl Outcome {
    /// What became of a gift whose entry has `status` and whose transfer (if it was ever
    /// sent) stands at `transfer`. A confirmed transfer marks the entry received, so a
    /// received entry is a transfer only when the bank confirmed it; a failed transfer paid
    /// in cash afterwards is cash.
    pub fn of(status: EntryStatus, transfer: Option<TransferState>) -> Outcome {
        match (status, transfer) {
            (EntryStatus::Received, Some(TransferState::Transferred)) => Outcome::Transferred,
            (EntryStatus::Received, _) => Outcome::Cash,
            (EntryStatus::Pending, Some(TransferState::Failed | TransferState::Returned)) => {
                Outcome::FailedOrReturned
            }
            (EntryStatus::Pending, Some(TransferState::Sent)) => Outcome::AwaitingResult,
            _ => Outcome::NotReached,
        }
    }
}

/// Entries of one ward, category and program that were sent for transfer, with the same
/// entry status and transfer state: the report's entries say the status, these say which
/// of them went by transfer and how that ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferGroup {
    /// The ward (see [`ReportInput::wards`]).
    pub ward_id: i64,
    /// The category (see [`ReportInput::categories`]); sensitive ones are left out.
    pub category_id: i64,
    /// The program (see [`ReportInput::programs`]).
    pub program_id: i64,
    /// The entries' status.
    pub status: EntryStatus,
    /// Where their transfers stand.
    pub transfer: TransferState,
    /// How many entries.
    pub people: i64,
    /// Their gifts' money, in đồng.
    pub amount: i64,
}

/// The settlement's figures of one slice (a ward of a program, a program, a source).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SettlementFigures {
    /// Every gift planned.
    pub planned: Count,
    /// Paid by transfer.
    pub transferred: Count,
    /// Paid in cash.
    pub cash: Count,
    /// Transfers failed or returned, not yet paid in cash.
    pub failed_or_returned: Count,
    /// Sent for transfer, awaiting the bank's result.
    pub awaiting_result: Count,
    /// Not reached.
    pub not_reached: Count,
}

impl SettlementFigures {
    /// Counts `people` gifts worth `amount` that ended as `outcome`.
    pub fn add(&mut self, outcome: Outcome, people: i64, amount: i64) {
        let count = Count::of(people, amount);
        self.planned = self.planned.plus(count);
        let slot = self.slot(outcome);
        *slot = slot.plus(count);
    }

    /// Moves `people` gifts worth `amount` from `from` to `to` (planned stays).
    fn reclassify(&mut self, from: Outcome, to: Outcome, people: i64, amount: i64) {
        let count = Count::of(people, amount);
        let slot = self.slot(from);
        *slot = slot.minus(count);
        let slot = self.slot(to);
        *slot = slot.plus(count);
    }

    fn slot(&mut self, outcome: Outcome) -> &mut Count {
        match outcome {
            Outcome::Transferred => &mut self.transferred,
            Outcome::Cash => &mut self.cash,
            Outcome::FailedOrReturned => &mut self.failed_or_returned,
            Outcome::AwaitingResult => &mut self.awaiting_result,
            Outcome::NotReached => &mut self.not_reached,
        }
    }

    /// Adds `other`'s figures to these.
    pub fn merge(&mut self, other: &SettlementFigures) {
        self.planned = self.planned.plus(other.planned);
        self.transferred = self.transferred.plus(other.transferred);
        self.cash = self.cash.plus(other.cash);
        self.failed_or_returned = self.failed_or_returned.plus(other.failed_or_returned);
        self.awaiting_result = self.awaiting_result.plus(other.awaiting_result);
        self.not_reached = self.not_reached.plus(other.not_reached);
    }

    /// The money to give back (hoàn ứng): planned and not paid out, by transfer or in cash.
    pub fn refund(&self) -> i64 {
        self.planned
            .money
            .saturating_sub(self.transferred.money)
            .saturating_sub(self.cash.money)
    }

    /// The five measures of the settlement sheet, in column order.
    fn measures(&self) -> [Count; 6] {
        [
            self.planned,
            self.transferred,
            self.cash,
            self.failed_or_returned,
            self.awaiting_result,
            self.not_reached,
        ]
    }
}

/// The settlement of the report's input per (program, ward), both as positions in
/// [`ReportInput::programs`] and [`ReportInput::wards`]; sensitive categories left out as
/// everywhere in the report.
pub(super) fn settlement_cells(
    input: &ReportInput,
) -> Result<BTreeMap<(usize, usize), SettlementFigures>, ExportError> {
    let categories = printable_categories(&input.categories);
    let wards: std::collections::HashMap<i64, usize> =
        (0..).zip(&input.wards).map(|(i, w)| (w.id, i)).collect();
    let programs: std::collections::HashMap<i64, usize> =
        (0..).zip(&input.programs).map(|(i, p)| (p.id, i)).collect();
    let position = |ward_id: i64, program_id: i64| -> Result<(usize, usize), ExportError> {
        let program = *programs
            .get(&program_id)
            .ok_or(ExportError::UnknownProgram(program_id))?;
        let ward = *wards
            .get(&ward_id)
            .ok_or(ExportError::UnknownWard(ward_id))?;
        Ok((program, ward))
    };
    let mut cells: BTreeMap<(usize, usize), SettlementFigures> = BTreeMap::new();
    for entry in &input.entries {
        if categories.get(entry.category_id)?.is_none() {
            continue;
        }
        cells
            .entry(position(entry.ward_id, entry.program_id)?)
            .or_default()
            .add(Outcome::of(entry.status, None), 1, entry.amount);
    }
    // The entries counted above by their status alone; those sent for transfer move to
    // what their transfer says.
    for group in &input.transfers {
        if categories.get(group.category_id)?.is_none() {
            continue;
        }
        let from = Outcome::of(group.status, None);
        let to = Outcome::of(group.status, Some(group.transfer));
        if from != to {
            cells
                .entry(position(group.ward_id, group.program_id)?)
                .or_default()
                .reclassify(from, to, group.people, group.amount);
        }
    }
    Ok(cells)
}

/// The name of the settlement sheet.
pub(super) const SHEET_NAME: &str = "Quyết toán chi trả";

/// Headers of the six measures, each over "Số người" and "Số tiền (đồng)".
const MEASURES: [&str; 6] = [
    "Dự kiến",
    "Đã chuyển khoản",
    "Đã chi tiền mặt",
    "Chuyển khoản lỗi, bị hoàn trả",
    "Chờ kết quả chuyển khoản",
    "Chưa tiếp cận được",
];
/// The table header's first row; the heading block is above it.
const HEADER_ROW: u32 = 6;
/// STT and Phường, then the measures, then the refund.
const FIXED: [(&str, f64); 2] = [("STT", 5.0), ("Phường", 24.0)];
const FIRST_MEASURE: u16 = 2;
const REFUND_COL: u16 = FIRST_MEASURE + 2 * MEASURES.len() as u16;

/// The settlement sheet: one section per program (its funding source in the section's
/// title) with a row per ward and the program's total, then a total per funding source and
/// the grand total, the refund in words, the date line and the signatures.
pub(super) fn write_settlement(
    ws: &mut Worksheet,
    input: &ReportInput,
    cells: &BTreeMap<(usize, usize), SettlementFigures>,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let last_col = REFUND_COL;
    write_heading(
        ws,
        &input.issuing_unit,
        None,
        (last_col.saturating_sub(5), last_col),
        styles,
    )?;
    ws.set_row_height(3, 24)?;
    ws.merge_range(
        3,
        0,
        3,
        last_col,
        &format!(
            "QUYẾT TOÁN CHI TRẢ QUÀ TẾT NGUYÊN ĐÁN {}",
            upper(&lunar_year_label(input.campaign_year))
        ),
        styles.title.format(),
    )?;
    write_user_text(
        ws,
        Place::Merged(4, 0, 4, last_col),
        &format!(
            "Theo chương trình, nguồn kinh phí và phường – Số liệu đến ngày {}",
            input.as_of.format("%d/%m/%Y")
        ),
        &styles.subtitle_italic,
    )?;

    let header = styles.header.format();
    ws.set_row_height(HEADER_ROW, 33)?;
    ws.set_row_height(HEADER_ROW + 1, 33)?;
    for (col, (name, width)) in (0u16..).zip(FIXED) {
        ws.set_column_width(col, width)?;
        ws.merge_range(HEADER_ROW, col, HEADER_ROW + 1, col, name, header)?;
    }
    for (i, measure) in (0u16..).zip(MEASURES) {
        let col = FIRST_MEASURE + 2 * i;
        ws.set_column_width(col, 8)?;
        ws.set_column_width(col + 1, 14)?;
        ws.merge_range(HEADER_ROW, col, HEADER_ROW, col + 1, measure, header)?;
        ws.write_string_with_format(HEADER_ROW + 1, col, "Số người", header)?;
        ws.write_string_with_format(HEADER_ROW + 1, col + 1, "Số tiền (đồng)", header)?;
    }
    ws.set_column_width(REFUND_COL, 15)?;
    ws.merge_range(
        HEADER_ROW,
        REFUND_COL,
        HEADER_ROW + 1,
        REFUND_COL,
        "Hoàn ứng (đồng)",
        header,
    )?;
    set_print_layout(ws, Some((HEADER_ROW, HEADER_ROW + 1)))?;
    ws.set_freeze_panes(HEADER_ROW + 2, 0)?;

    let mut row = HEADER_ROW + 2;
    let mut sources: Vec<(String, SettlementFigures)> = Vec::new();
    let mut grand = SettlementFigures::default();
    for (number, program) in (1usize..).zip(&input.programs) {
        let position = number - 1;
        let funding = program.funding_label();
        let title = format!(
            "{}. {} – Nguồn kinh phí: {}",
            super::style::roman(number),
            program.name.trim(),
            funding
        );
        ws.set_row_height(row, wrapped_row_height(&[(&title, 120.0)], 18.0))?;
        write_user_text(
            ws,
            Place::Merged(row, 0, row, last_col),
            &title,
            &styles.section,
        )?;
        row += 1;
        let mut program_total = SettlementFigures::default();
        let mut ward_number = 0u32;
        for ((_, ward), figures) in cells.range((position, 0)..(position + 1, 0)) {
            ward_number += 1;
            let name = &input.wards[*ward].name;
            ws.set_row_height(row, wrapped_row_height(&[(name, FIXED[1].1)], 18.0))?;
            ws.write_number_with_format(row, 0, ward_number, styles.cell_center.format())?;
            write_user_text(ws, Place::Cell(row, 1), name, &styles.cell_text)?;
            write_figures(ws, row, figures, false, styles)?;
            program_total.merge(figures);
            row += 1;
        }
        write_total_row(ws, row, "Cộng chương trình", &program_total, styles)?;
        row += 1;
        match sources.iter_mut().find(|(label, _)| *label == funding) {
            Some((_, total)) => total.merge(&program_total),
            None => sources.push((funding, program_total)),
        }
        grand.merge(&program_total);
    }
    for (label, total) in &sources {
        write_total_row(ws, row, &format!("Cộng nguồn: {label}"), total, styles)?;
        row += 1;
    }
    write_total_row(ws, row, "Tổng cộng", &grand, styles)?;
    row += 2;
    write_user_text(
        ws,
        Place::Merged(row, 0, row, last_col),
        &format!(
            "Đã chi: {} đồng (chuyển khoản {} đồng, tiền mặt {} đồng). Số tiền hoàn ứng: {} \
             đồng. Bằng chữ: {}.",
            format_thousands(grand.transferred.money.saturating_add(grand.cash.money)),
            format_thousands(grand.transferred.money),
            format_thousands(grand.cash.money),
            format_thousands(grand.refund()),
            amount_in_words(grand.refund())
        ),
        &styles.words,
    )?;
    row += 2;
    let chair = (last_col.saturating_sub(4), last_col);
    write_user_text(
        ws,
        Place::Merged(row, chair.0, row, chair.1),
        &place_and_date(&input.issuing_unit, Some(input.as_of)),
        &styles.date_line,
    )?;
    row += 1;
    write_signatures(ws, row, &Signers::default(), chair, styles)?;
    Ok(())
}

/// A bold total row: the label over STT and Phường, then the figures.
fn write_total_row(
    ws: &mut Worksheet,
    row: u32,
    label: &str,
    figures: &SettlementFigures,
    styles: &Styles,
) -> Result<(), XlsxError> {
    ws.set_row_height(row, wrapped_row_height(&[(label, 29.0)], 18.0))?;
    write_user_text(
        ws,
        Place::Merged(row, 0, row, 1),
        label,
        &styles.total_label,
    )?;
    write_figures(ws, row, figures, true, styles)
}

/// The twelve measure cells and the refund of a row.
fn write_figures(
    ws: &mut Worksheet,
    row: u32,
    figures: &SettlementFigures,
    bold: bool,
    styles: &Styles,
) -> Result<(), XlsxError> {
    let (count_format, money_format) = number_formats(styles, bold);
    for (i, count) in (0u16..).zip(figures.measures()) {
        let col = FIRST_MEASURE + 2 * i;
        ws.write_number_with_format(row, col, count.people as f64, count_format)?;
        ws.write_number_with_format(row, col + 1, count.money as f64, money_format)?;
    }
    ws.write_number_with_format(row, REFUND_COL, figures.refund() as f64, money_format)?;
    Ok(())
}
