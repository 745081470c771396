//! Unit lineage: which old unit went to which new unit, whole or in part, and for a part
//! which khu phố went where. Lineage is data (seeded for the former Quận 9, editable and
//! audited) so that a list naming an old ward, or a person found through an old ward, lands
//! in the unit that exists on the day that matters.

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set, TransactionSession, TransactionTrait,
};
use serde::Serialize;

use crate::db::write_txn::begin_write;
use crate::domain::audit::{self, Actor, AuditEvent};
use crate::domain::units::{all_units, display_name};
use crate::entities::{unit, unit_lineage, unit_lineage_quarter};
use crate::error::AppError;
use crate::vn::text::{fold_key, normalize};

/// Every lineage line and every khu phố assignment (tens of rows per city).
#[derive(Debug, Clone, Default)]
pub struct Lineage {
    /// Old unit → new unit lines, in id order.
    pub lines: Vec<unit_lineage::Model>,
    /// Khu phố of split units and where each went.
    pub quarters: Vec<unit_lineage_quarter::Model>,
}

/// Loads the whole lineage.
pub async fn load(db: &impl ConnectionTrait) -> Result<Lineage, DbErr> {
    Ok(Lineage {
        lines: unit_lineage::Entity::find()
            .order_by_asc(unit_lineage::Column::Id)
            .all(db)
            .await?,
        quarters: unit_lineage_quarter::Entity::find()
            .order_by_asc(unit_lineage_quarter::Column::Id)
            .all(db)
            .await?,
    })
}

/// Where an old unit's people belong on a given day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// The unit itself is valid that day (or nothing is known of a successor).
    Itself,
    /// It went (whole, or this khu phố of it) to this unit.
    Successor(i32),
    /// It was split and the khu phố does not say which part: the possible units.
    Ambiguous(Vec<i32>),
}

impl Lineage {
    /// The lines whose predecessor is `id`.
    pub fn successors_of(&self, id: i32) -> impl Iterator<Item = &unit_lineage::Model> {
        self.lines
            .iter()
            .filter(move |line| line.predecessor_id == id)
    }

    /// The lines whose successor is `id`.
    pub fn predecessors_of(&self, id: i32) -> impl Iterator<Item = &unit_lineage::Model> {
        self.lines
            .iter()
            .filter(move |line| line.successor_id == id)
    }

    /// `id` and every unit that went into it, directly or through earlier mergers: the
    /// units whose past lists and gifts now belong to `id`.
    pub fn ancestry(&self, id: i32) -> Vec<i32> {
        let mut ids = vec![id];
        let mut next = 0;
        while next < ids.len() {
            let current = ids[next];
            for line in self.predecessors_of(current) {
                if !ids.contains(&line.predecessor_id) {
                    ids.push(line.predecessor_id);
                }
            }
            next += 1;
        }
        ids
    }

    /// Where the people of unit `id` (in khu phố `quarter`, if known) belong on `day`:
    /// follows the lineage forward, one reform after another, until a unit valid that day.
    pub fn resolve(
        &self,
        units: &[unit::Model],
        id: i32,
        day: NaiveDate,
        quarter: Option<&str>,
    ) -> Resolution {
        let mut current = id;
        let mut seen = vec![id];
        loop {
            let Some(unit) = units.iter().find(|u| u.id == current) else {
                return Resolution::Itself;
            };
            if unit.valid_to.is_none_or(|to| to >= day) {
                break;
            }
            let lines: Vec<&unit_lineage::Model> = self
                .successors_of(current)
                .filter(|line| line.effective_on <= day)
                .collect();
            let next = match lines.as_slice() {
                [] => break,
                [only] if only.whole => only.successor_id,
                _ => {
                    let key = quarter.map(fold_key).filter(|key| !key.is_empty());
                    let assigned = key.and_then(|key| {
                        self.quarters
                            .iter()
                            .find(|q| q.predecessor_id == current && q.quarter_key == key)
                    });
                    match (assigned, lines.iter().find(|line| line.whole)) {
                        (Some(q), _) => q.successor_id,
                        (None, Some(whole)) if lines.len() == 1 => whole.successor_id,
                        _ => {
                            let mut ids: Vec<i32> =
                                lines.iter().map(|line| line.successor_id).collect();
                            ids.dedup();
                            return Resolution::Ambiguous(ids);
                        }
                    }
                }
            };
            if seen.contains(&next) {
                break;
            }
            seen.push(next);
            current = next;
        }
        if current == id {
            Resolution::Itself
        } else {
            Resolution::Successor(current)
        }
    }
}

/// One line of lineage as people read it (the units page, `chamlo units lineage --json`).
#[derive(Debug, Clone, Serialize)]
pub struct LineageRow {
    /// The line's id.
    pub id: i32,
    /// The old unit's code.
    pub from_code: String,
    /// The old unit's name ("Phường Hiệp Phú").
    pub from: String,
    /// The old unit's last day, if it ended.
    pub from_valid_to: Option<NaiveDate>,
    /// The new unit's code.
    pub to_code: String,
    /// The new unit's name ("Phường Tăng Nhơn Phú").
    pub to: String,
    /// The new unit's first day, if known.
    pub to_valid_from: Option<NaiveDate>,
    /// "whole" or "part".
    pub share: &'static str,
    /// The first day the new unit holds it.
    pub effective_on: NaiveDate,
    /// For a part, the khu phố entered as going to the new unit.
    pub quarters: Vec<String>,
}

/// The lineage as rows ordered by new unit, then old unit.
pub fn rows(lineage: &Lineage, units: &[unit::Model]) -> Vec<LineageRow> {
    let name = |id: i32| units.iter().find(|u| u.id == id);
    let mut rows: Vec<LineageRow> = lineage
        .lines
        .iter()
        .filter_map(|line| {
            let from = name(line.predecessor_id)?;
            let to = name(line.successor_id)?;
            Some(LineageRow {
                id: line.id,
                from_code: from.code.clone(),
                from: display_name(from),
                from_valid_to: from.valid_to,
                to_code: to.code.clone(),
                to: display_name(to),
                to_valid_from: to.valid_from,
                share: if line.whole { "whole" } else { "part" },
                effective_on: line.effective_on,
                quarters: lineage
                    .quarters
                    .iter()
                    .filter(|q| {
                        q.predecessor_id == line.predecessor_id
                            && q.successor_id == line.successor_id
                    })
                    .map(|q| q.quarter.clone())
                    .collect(),
            })
        })
        .collect();
    rows.sort_by(|a, b| (&a.to, a.effective_on, &a.from).cmp(&(&b.to, b.effective_on, &b.from)));
    rows
}

/// The units valid on `day` (what a campaign whose Tết falls that day works with).
pub fn units_on(units: &[unit::Model], day: NaiveDate) -> Vec<&unit::Model> {
    units
        .iter()
        .filter(|u| {
            u.valid_from.is_none_or(|from| from <= day) && u.valid_to.is_none_or(|to| to >= day)
        })
        .collect()
}

/// A new lineage line as entered by an administrator.
#[derive(Debug, Clone)]
pub struct LineageInput {
    /// The old unit.
    pub predecessor_id: i32,
    /// The new unit.
    pub successor_id: i32,
    /// False when only some khu phố went to the new unit.
    pub whole: bool,
    /// The first day the new unit holds it; the new unit's first day when absent.
    pub effective_on: Option<NaiveDate>,
}

/// Adds a lineage line, audited. Refuses a unit into itself, a cycle, and a second "whole"
/// destination for one old unit (a unit goes whole to one place, or in parts to several).
pub async fn add_line<C: TransactionTrait + ConnectionTrait>(
    db: &C,
    actor: &Actor,
    input: LineageInput,
) -> Result<unit_lineage::Model, AppError> {
    let txn = begin_write(db).await?;
    let units = all_units(&txn).await?;
    let lineage = load(&txn).await?;
    let find = |id: i32| {
        units
            .iter()
            .find(|u| u.id == id)
            .ok_or_else(|| AppError::NotFound("Không tìm thấy đơn vị này.".into()))
    };
    let from = find(input.predecessor_id)?;
    let to = find(input.successor_id)?;
    if from.id == to.id {
        return Err(AppError::BadRequest(
            "Đơn vị cũ và đơn vị mới phải là hai đơn vị khác nhau.".into(),
        ));
    }
    if lineage.ancestry(from.id).contains(&to.id) {
        return Err(AppError::BadRequest(format!(
            "{} đã là tiền thân của {}: không thể nhập ngược lại.",
            display_name(to),
            display_name(from)
        )));
    }
    let existing: Vec<&unit_lineage::Model> = lineage.successors_of(from.id).collect();
    if existing.iter().any(|line| line.successor_id == to.id) {
        return Err(AppError::BadRequest(format!(
            "Đã có dòng {} → {}.",
            display_name(from),
            display_name(to)
        )));
    }
    if !existing.is_empty() && (input.whole || existing.iter().any(|line| line.whole)) {
        return Err(AppError::BadRequest(format!(
            "{} đã nhập vào {}: một đơn vị chỉ nhập nguyên vẹn vào một nơi, hoặc chia từng \
             phần (theo khu phố) cho nhiều nơi.",
            display_name(from),
            existing
                .iter()
                .filter_map(|line| units.iter().find(|u| u.id == line.successor_id))
                .map(display_name)
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let effective_on = input
        .effective_on
        .or(to.valid_from)
        .or_else(|| from.valid_to.and_then(|day| day.succ_opt()))
        .ok_or_else(|| {
            AppError::BadRequest("Hãy nhập ngày đơn vị mới bắt đầu tiếp nhận.".into())
        })?;
    let saved = unit_lineage::ActiveModel {
        predecessor_id: Set(from.id),
        successor_id: Set(to.id),
        whole: Set(input.whole),
        effective_on: Set(effective_on),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        actor,
        AuditEvent {
            action: "lineage.create",
            entity_type: "unit_lineage",
            entity_id: Some(saved.id.to_string()),
            unit_id: Some(to.id),
        },
        None::<&()>,
        Some(&saved),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// Records that khu phố `quarter` of the old unit went to the new unit, audited. The old
/// unit must have been split (a "part" line) towards that new unit; entering a khu phố again
/// moves it.
pub async fn set_quarter<C: TransactionTrait + ConnectionTrait>(
    db: &C,
    actor: &Actor,
    predecessor_id: i32,
    quarter: &str,
    successor_id: i32,
) -> Result<unit_lineage_quarter::Model, AppError> {
    let quarter = normalize(quarter);
    let key = fold_key(&quarter);
    if key.is_empty() || quarter.chars().count() > 100 {
        return Err(AppError::BadRequest(
            "Hãy nhập tên khu phố (ví dụ “Khu phố 3”, tối đa 100 ký tự).".into(),
        ));
    }
    let txn = begin_write(db).await?;
    let units = all_units(&txn).await?;
    let lineage = load(&txn).await?;
    let name = |id: i32| {
        units
            .iter()
            .find(|u| u.id == id)
            .map(display_name)
            .unwrap_or_default()
    };
    let is_part = lineage
        .successors_of(predecessor_id)
        .any(|line| line.successor_id == successor_id && !line.whole);
    if !is_part {
        return Err(AppError::BadRequest(format!(
            "Chưa có dòng “một phần của {} → {}”: hãy nhập dòng kế thừa trước rồi mới chia khu phố.",
            name(predecessor_id),
            name(successor_id)
        )));
    }
    let before = unit_lineage_quarter::Entity::find()
        .filter(unit_lineage_quarter::Column::PredecessorId.eq(predecessor_id))
        .filter(unit_lineage_quarter::Column::QuarterKey.eq(key.clone()))
        .one(&txn)
        .await?;
    let mut active: unit_lineage_quarter::ActiveModel = match &before {
        Some(found) => found.clone().into(),
        None => unit_lineage_quarter::ActiveModel {
            predecessor_id: Set(predecessor_id),
            quarter_key: Set(key),
            created_at: Set(Utc::now()),
            ..Default::default()
        },
    };
    active.quarter = Set(quarter);
    active.successor_id = Set(successor_id);
    let saved = match &before {
        Some(_) => active.update(&txn).await?,
        None => active.insert(&txn).await?,
    };
    audit::record(
        &txn,
        actor,
        AuditEvent {
            action: "lineage.quarter",
            entity_type: "unit_lineage_quarter",
            entity_id: Some(saved.id.to_string()),
            unit_id: Some(successor_id),
        },
        before.as_ref(),
        Some(&saved),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}
