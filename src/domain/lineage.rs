//! Unit lineage: which old unit went to which new unit, whole or in part, and for a part
//! which khu phố went where. Lineage is data (seeded for the former Quận 9, editable and
//! audited) so that a list naming an old ward, or a person found through an old ward, lands
//! in the unit that exists on the day that matters.

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, QueryOrder};
use serde::Serialize;

pub use crate::domain::lineage_edit::{LineageInput, add_line, set_quarter};
use crate::domain::units::{display_name, find_unit};
use crate::entities::states::UnitLevel;
use crate::entities::{unit, unit_lineage, unit_lineage_quarter};
use crate::import::canonical_khu_pho;
use crate::vn::text::fold_key;

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
                    let key = quarter.map(quarter_key).filter(|key| !key.is_empty());
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

/// The key a khu phố is matched by: its canonical spelling ("KP 3", "khu pho 3" and
/// "Khu phố 3" are one khu phố), folded.
pub fn quarter_key(quarter: &str) -> String {
    fold_key(&canonical_khu_pho(quarter.trim(), false))
}

/// A ward by name or code (as [`find_unit`] reads it). Names and codes repeat across the 2025
/// reform, so an old ward (`ended`) is looked for first among wards that ended (the latest
/// first), a new one first among wards in force (the newest first).
pub fn find_ward<'a>(units: &'a [unit::Model], text: &str, ended: bool) -> Option<&'a unit::Model> {
    let mut preferred: Vec<&unit::Model> = units
        .iter()
        .filter(|u| u.level == UnitLevel::Ward && u.valid_to.is_some() == ended)
        .collect();
    preferred.sort_by_key(|u| std::cmp::Reverse((u.valid_to, u.valid_from)));
    let wanted = preferred.iter().map(|u| (*u).clone()).collect::<Vec<_>>();
    let id = find_unit(&wanted, UnitLevel::Ward, text)
        .or_else(|| find_unit(units, UnitLevel::Ward, text))
        .map(|u| u.id)?;
    units.iter().find(|u| u.id == id)
}
