//! Lineage from a spreadsheet of old ward → new ward: every row is matched to units and
//! checked by the rules of the lineage page (`lineage_edit::check_line`, `check_quarter`),
//! rows earlier in the file counting for later ones; the whole file is then applied in one
//! transaction, or nothing is when any row has a problem. Entering a line or a khu phố that
//! is already so changes nothing, so the same file twice adds nothing the second time.
//!
//! Names are looked up as imports look up wards (code or name, "Phường" optional, without
//! diacritics, and the spellings mapped from import previews); an old ward is looked for
//! first among the wards that ended, a new one among those in force. A ward the units page
//! does not know is refused with its row: units carry validity dates and a parent that a
//! two-column sheet cannot give reliably, so the administrator adds it on the units page
//! (with its end date) and uploads the file again.

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, EntityTrait, TransactionSession, TransactionTrait};
use serde::Serialize;

use crate::db::write_txn::begin_write;
use crate::domain::audit::Actor;
use crate::domain::lineage::{Lineage, find_ward, load};
use crate::domain::lineage_edit::{
    LineProblem, LineageInput, check_line, check_quarter, insert_line, store_quarter,
};
use crate::domain::units::{all_units, display_name};
use crate::entities::{unit, unit_lineage, unit_lineage_quarter, ward_synonym};
use crate::error::AppError;
use crate::import::lineage::{LineageSheetRow, Share, read_lineage_file};
use crate::vn::text::fold_key;

/// What one row of the file does.
#[derive(Debug, Clone, Serialize)]
pub struct PlannedRow {
    /// The row's number in the spreadsheet.
    pub row: u32,
    /// The old ward's name ("Phường Hiệp Phú").
    pub from: String,
    /// The new ward's name.
    pub to: String,
    /// "whole" or "part".
    pub share: &'static str,
    /// The day the new ward takes it over.
    pub effective_on: NaiveDate,
    /// True when the line is new; false when it was already entered.
    pub new_line: bool,
    /// The khu phố this row enters or moves (those already so are left out).
    pub new_quarters: Vec<String>,
}

/// A row that cannot be applied, with the reason.
#[derive(Debug, Clone, Serialize)]
pub struct RowProblem {
    /// The row's number in the spreadsheet.
    pub row: u32,
    /// Why, in Vietnamese.
    pub message: String,
}

/// What a lineage file does (the preview), or did.
#[derive(Debug, Clone, Serialize)]
pub struct LineageImportReport {
    /// True when the changes were stored.
    pub applied: bool,
    /// The lines the file adds.
    pub lines_added: usize,
    /// The khu phố the file enters or moves.
    pub quarters_set: usize,
    /// Every row that names a ward, in file order.
    pub rows: Vec<PlannedRow>,
    /// The rows that cannot be applied; when any, nothing is stored.
    pub problems: Vec<RowProblem>,
}

impl LineageImportReport {
    /// Whether applying would store anything.
    pub fn changes_anything(&self) -> bool {
        self.lines_added + self.quarters_set > 0
    }
}

/// Reads a lineage file and applies it (when `apply` and no row has a problem) in one
/// transaction, audited line by line and khu phố by khu phố. A file that cannot be read is
/// an [`AppError::Invalid`]; row problems are in the report.
pub async fn import_lineage<C: TransactionTrait + ConnectionTrait>(
    db: &C,
    actor: &Actor,
    bytes: &[u8],
    apply: bool,
) -> Result<LineageImportReport, AppError> {
    let sheet = {
        let bytes = bytes.to_vec();
        tokio::task::spawn_blocking(move || read_lineage_file(&bytes))
            .await
            .map_err(|e| AppError::Other(e.into()))?
            .map_err(|e| AppError::Invalid(e.to_string()))?
    };
    let txn = begin_write(db).await?;
    let units = all_units(&txn).await?;
    let lineage = load(&txn).await?;
    let synonyms: Vec<(String, i32)> = ward_synonym::Entity::find()
        .all(&txn)
        .await?
        .into_iter()
        .map(|s| (fold_key(&s.synonym), s.unit_id))
        .collect();
    let plan = plan_rows(&units, &lineage, &synonyms, &sheet.rows);
    let mut report = LineageImportReport {
        applied: false,
        lines_added: plan.iter().filter(|p| p.planned.new_line).count(),
        quarters_set: plan.iter().map(|p| p.planned.new_quarters.len()).sum(),
        rows: Vec::new(),
        problems: Vec::new(),
    };
    for row in &sheet.rows {
        report
            .problems
            .extend(problems_of(row.row, &plan, &sheet.rows));
    }
    if apply && report.problems.is_empty() && report.changes_anything() {
        for step in &plan {
            if step.planned.new_line {
                insert_line(&txn, actor, &step.input, step.planned.effective_on).await?;
            }
            for quarter in &step.quarters {
                store_quarter(
                    &txn,
                    actor,
                    &lineage,
                    step.input.predecessor_id,
                    quarter.clone(),
                    step.input.successor_id,
                )
                .await?;
            }
        }
        txn.commit().await?;
        report.applied = true;
    }
    report.rows = plan.into_iter().map(|step| step.planned).collect();
    Ok(report)
}

/// One good row: what it shows and what applying stores.
struct Step {
    planned: PlannedRow,
    input: LineageInput,
    /// The khu phố to store (canonical, key).
    quarters: Vec<(String, String)>,
    problems: Vec<String>,
}

/// The problems of row `row`: its reading problems, or its checking problems.
fn problems_of(row: u32, plan: &[Step], rows: &[LineageSheetRow]) -> Vec<RowProblem> {
    let read = rows.iter().find(|r| r.row == row);
    let checked = plan.iter().find(|s| s.planned.row == row);
    let messages: Vec<&String> = match (read, checked) {
        (Some(r), _) if !r.problems.is_empty() => r.problems.iter().collect(),
        (_, Some(step)) => step.problems.iter().collect(),
        _ => Vec::new(),
    };
    messages
        .into_iter()
        .map(|message| RowProblem {
            row,
            message: message.clone(),
        })
        .collect()
}

/// A ward named in the file: by the lookup of [`find_ward`], else by a mapped spelling.
fn ward_named<'a>(
    units: &'a [unit::Model],
    synonyms: &[(String, i32)],
    text: &str,
    ended: bool,
) -> Option<&'a unit::Model> {
    find_ward(units, text, ended).or_else(|| {
        let key = fold_key(text);
        synonyms
            .iter()
            .find(|(synonym, _)| *synonym == key)
            .and_then(|(_, id)| units.iter().find(|u| u.id == *id))
    })
}

/// Checks every row against the units and the lineage, each good row added to a working
/// copy of the lineage so that later rows are checked against it. Pure.
fn plan_rows(
    units: &[unit::Model],
    lineage: &Lineage,
    synonyms: &[(String, i32)],
    rows: &[LineageSheetRow],
) -> Vec<Step> {
    let mut working = lineage.clone();
    let mut plan = Vec::new();
    for (index, row) in rows.iter().enumerate() {
        if !row.problems.is_empty() {
            continue;
        }
        let mut problems = Vec::new();
        let from = ward_named(units, synonyms, &row.old_ward, true);
        let to = ward_named(units, synonyms, &row.new_ward, false);
        let unknown = |text: &str, which: &str| {
            format!(
                "Không có phường/xã {which} “{text}” trong danh mục đơn vị: hãy thêm đơn vị ở \
                 trang Đơn vị hành chính (kèm ngày hiệu lực) rồi tải tệp lên lại."
            )
        };
        if from.is_none() {
            problems.push(unknown(&row.old_ward, "cũ"));
        }
        if to.is_none() {
            problems.push(unknown(&row.new_ward, "mới"));
        }
        let (Some(from), Some(to)) = (from, to) else {
            plan.push(refused(row, problems));
            continue;
        };
        let whole = row.share == Share::Whole;
        let input = LineageInput {
            predecessor_id: from.id,
            successor_id: to.id,
            whole,
            effective_on: row.effective_on,
        };
        let existing = working
            .successors_of(from.id)
            .find(|line| line.successor_id == to.id)
            .cloned();
        let (effective_on, new_line) = match existing {
            Some(line) if line.whole != whole => {
                problems.push(format!(
                    "Đã có dòng {} → {} ({}), tệp ghi {}: hãy sửa dòng đó trên trang Kế thừa \
                     đơn vị, hoặc sửa tệp.",
                    display_name(from),
                    display_name(to),
                    share_label(line.whole),
                    share_label(whole)
                ));
                (line.effective_on, false)
            }
            Some(line) if row.effective_on.is_some_and(|day| day != line.effective_on) => {
                problems.push(format!(
                    "Đã có dòng {} → {} từ ngày {}, tệp ghi ngày khác: hãy sửa dòng đó trên \
                     trang Kế thừa đơn vị, hoặc sửa tệp.",
                    display_name(from),
                    display_name(to),
                    crate::domain::clock::vietnam_date(line.effective_on)
                ));
                (line.effective_on, false)
            }
            Some(line) => (line.effective_on, false),
            None => match check_line(units, &working, &input, None) {
                Ok(day) => {
                    working.lines.push(unit_lineage::Model {
                        id: -1 - i32::try_from(index).unwrap_or(0),
                        predecessor_id: from.id,
                        successor_id: to.id,
                        whole,
                        effective_on: day,
                        created_at: chrono::Utc::now(),
                    });
                    (day, true)
                }
                Err(LineProblem::UnknownUnit) => {
                    problems.push(unknown(&row.old_ward, "cũ"));
                    (row.effective_on.unwrap_or_default(), false)
                }
                Err(LineProblem::Refused(message)) => {
                    problems.push(message);
                    (row.effective_on.unwrap_or_default(), false)
                }
            },
        };
        let mut quarters = Vec::new();
        if problems.is_empty() {
            for typed in &row.quarters {
                match check_quarter(units, &working, from.id, typed, to.id) {
                    Err(message) => problems.push(message),
                    Ok((quarter, key)) => {
                        let known = working
                            .quarters
                            .iter()
                            .position(|q| q.predecessor_id == from.id && q.quarter_key == key);
                        let taken_in_file = known
                            .filter(|&i| working.quarters[i].id < 0)
                            .map(|i| working.quarters[i].successor_id)
                            .filter(|id| *id != to.id);
                        if let Some(other) = taken_in_file {
                            problems.push(format!(
                                "{quarter} của {} đã được ghi về {} ở dòng trên: mỗi khu phố chỉ \
                                 về một nơi.",
                                display_name(from),
                                units
                                    .iter()
                                    .find(|u| u.id == other)
                                    .map(display_name)
                                    .unwrap_or_default()
                            ));
                            continue;
                        }
                        let unchanged = known.is_some_and(|i| {
                            working.quarters[i].successor_id == to.id
                                && working.quarters[i].quarter == quarter
                        });
                        if unchanged {
                            continue;
                        }
                        let entry = unit_lineage_quarter::Model {
                            id: -1 - i32::try_from(index).unwrap_or(0),
                            predecessor_id: from.id,
                            quarter: quarter.clone(),
                            quarter_key: key.clone(),
                            successor_id: to.id,
                            created_at: chrono::Utc::now(),
                        };
                        match known {
                            Some(i) => working.quarters[i] = entry,
                            None => working.quarters.push(entry),
                        }
                        quarters.push((quarter, key));
                    }
                }
            }
        }
        plan.push(Step {
            planned: PlannedRow {
                row: row.row,
                from: display_name(from),
                to: display_name(to),
                share: if whole { "whole" } else { "part" },
                effective_on,
                new_line,
                new_quarters: quarters.iter().map(|(q, _)| q.clone()).collect(),
            },
            input,
            quarters,
            problems,
        });
    }
    // A bad row stores nothing, so a good one counted nothing it would have added.
    for step in plan.iter_mut().filter(|s| !s.problems.is_empty()) {
        step.planned.new_line = false;
        step.planned.new_quarters.clear();
        step.quarters.clear();
    }
    plan
}

/// A row whose wards are unknown: shown with the names as written.
fn refused(row: &LineageSheetRow, problems: Vec<String>) -> Step {
    Step {
        planned: PlannedRow {
            row: row.row,
            from: row.old_ward.clone(),
            to: row.new_ward.clone(),
            share: if row.share == Share::Whole {
                "whole"
            } else {
                "part"
            },
            effective_on: row.effective_on.unwrap_or_default(),
            new_line: false,
            new_quarters: Vec::new(),
        },
        input: LineageInput {
            predecessor_id: 0,
            successor_id: 0,
            whole: true,
            effective_on: None,
        },
        quarters: Vec::new(),
        problems,
    }
}

/// "toàn bộ" or "một phần".
pub fn share_label(whole: bool) -> &'static str {
    if whole { "toàn bộ" } else { "một phần" }
}
