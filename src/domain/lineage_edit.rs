//! Editing the lineage, audited: adding a line (old unit → new unit, whole or in part, from a
//! day), correcting its share or its day, removing a mistaken line, and entering which khu phố
//! of a split unit went where. The checks are pure functions over the units and the lineage
//! as they stand ([`check_line`], [`check_quarter_name`]), so the lineage spreadsheet
//! (`domain::lineage_import`) refuses exactly what the page and the command line refuse.

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, EntityTrait, ModelTrait, Set, TransactionSession,
    TransactionTrait,
};

use crate::db::write_txn::begin_write;
use crate::domain::audit::{self, Actor, AuditEvent};
use crate::domain::clock::vietnam_date;
use crate::domain::lineage::{Lineage, load, quarter_key};
use crate::domain::units::{all_units, display_name};
use crate::entities::{unit, unit_lineage, unit_lineage_quarter};
use crate::error::AppError;
use crate::import::canonical_khu_pho;
use crate::vn::text::{fold_key, normalize};

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

/// Why a line cannot be entered: a unit that does not exist, or a reason in Vietnamese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineProblem {
    /// No unit with this id.
    UnknownUnit,
    /// The line breaks a rule; the message says which and how to fix it.
    Refused(String),
}

impl From<LineProblem> for AppError {
    fn from(problem: LineProblem) -> Self {
        match problem {
            LineProblem::UnknownUnit => AppError::NotFound("Không tìm thấy đơn vị này.".into()),
            LineProblem::Refused(message) => AppError::Invalid(message),
        }
    }
}

/// Checks a line against the units and the lineage as they stand and returns the day it
/// takes effect. `replacing` is the line being corrected (left out of the comparison).
///
/// Refused: a unit into itself; a cycle (the new unit already went into the old one); a
/// second line between the same two units; a second destination for a unit that went whole
/// (a unit goes whole to one place, or in parts to several); and dates that do not meet: the
/// old unit must have ended (a line from a unit still in force would never be followed), the
/// new unit must hold it from no later than the day after the old one's last day (else its
/// people belong nowhere in between), and the day must fall while the new unit exists and
/// after the old one began.
pub fn check_line(
    units: &[unit::Model],
    lineage: &Lineage,
    input: &LineageInput,
    replacing: Option<i32>,
) -> Result<NaiveDate, LineProblem> {
    let find = |id: i32| {
        units
            .iter()
            .find(|u| u.id == id)
            .ok_or(LineProblem::UnknownUnit)
    };
    let refuse = |message: String| Err(LineProblem::Refused(message));
    let from = find(input.predecessor_id)?;
    let to = find(input.successor_id)?;
    if from.id == to.id {
        return refuse("Đơn vị cũ và đơn vị mới phải là hai đơn vị khác nhau.".into());
    }
    if lineage.ancestry(from.id).contains(&to.id) {
        return refuse(format!(
            "{} đã là tiền thân của {}: không thể nhập ngược lại.",
            display_name(to),
            display_name(from)
        ));
    }
    let existing: Vec<&unit_lineage::Model> = lineage
        .successors_of(from.id)
        .filter(|line| Some(line.id) != replacing)
        .collect();
    if existing.iter().any(|line| line.successor_id == to.id) {
        return refuse(format!(
            "Đã có dòng {} → {}.",
            display_name(from),
            display_name(to)
        ));
    }
    if !existing.is_empty() && (input.whole || existing.iter().any(|line| line.whole)) {
        return refuse(format!(
            "{} đã nhập vào {}: một đơn vị chỉ nhập nguyên vẹn vào một nơi, hoặc chia từng \
             phần (theo khu phố) cho nhiều nơi.",
            display_name(from),
            existing
                .iter()
                .filter_map(|line| units.iter().find(|u| u.id == line.successor_id))
                .map(display_name)
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let Some(ended) = from.valid_to else {
        return refuse(format!(
            "{} vẫn còn hiệu lực (chưa có ngày hết hiệu lực): hãy ghi ngày hết hiệu lực của \
             đơn vị cũ (trang Sửa đơn vị) trước khi nhập nơi kế thừa.",
            display_name(from)
        ));
    };
    let effective_on = input
        .effective_on
        .or(to.valid_from)
        .or_else(|| ended.succ_opt())
        .ok_or_else(|| {
            LineProblem::Refused("Hãy nhập ngày đơn vị mới bắt đầu tiếp nhận.".into())
        })?;
    let day = vietnam_date(effective_on);
    if let Some(next) = ended.succ_opt()
        && effective_on > next
    {
        return refuse(format!(
            "Ngày tiếp nhận {day} không nối liền: {} hết hiệu lực sau ngày {}, nên đơn vị mới \
             phải tiếp nhận từ ngày {} (hoặc sớm hơn).",
            display_name(from),
            vietnam_date(ended),
            vietnam_date(next)
        ));
    }
    if let Some(began) = from.valid_from
        && effective_on <= began
    {
        return refuse(format!(
            "Ngày tiếp nhận {day} phải sau ngày {} bắt đầu hiệu lực ({}).",
            display_name(from),
            vietnam_date(began)
        ));
    }
    if let Some(began) = to.valid_from
        && effective_on < began
    {
        return refuse(format!(
            "Ngày tiếp nhận {day} trước ngày {} bắt đầu hiệu lực ({}).",
            display_name(to),
            vietnam_date(began)
        ));
    }
    if let Some(last) = to.valid_to
        && effective_on > last
    {
        return refuse(format!(
            "Ngày tiếp nhận {day} sau ngày {} hết hiệu lực ({}).",
            display_name(to),
            vietnam_date(last)
        ));
    }
    Ok(effective_on)
}

/// A khu phố as stored: the canonical spelling ("KP 3" → "Khu phố 3") and its key. Refuses
/// an empty or over-long name and text that names no khu phố, tổ dân phố, ấp or khóm.
pub fn check_quarter_name(text: &str) -> Result<(String, String), String> {
    let typed = normalize(text.trim());
    let quarter = canonical_khu_pho(&typed, false);
    let folded = fold_key(&quarter);
    const NAMED: &[&str] = &[
        "khu pho ",
        "to ",
        "to dan pho ",
        "ap ",
        "khom ",
        "thon ",
        "khu ",
    ];
    let well_formed = NAMED.iter().any(|word| {
        folded
            .strip_prefix(word)
            .is_some_and(|rest| !rest.trim().is_empty())
    });
    if typed.is_empty() || quarter.chars().count() > 100 || !well_formed {
        return Err(format!(
            "“{typed}” không phải tên khu phố: hãy viết như “Khu phố 3”, “KP 3”, “Tổ 12” hoặc \
             “Ấp Long Thạnh” (tối đa 100 ký tự)."
        ));
    }
    let key = quarter_key(&quarter);
    Ok((quarter, key))
}

/// Adds a lineage line, audited; refused as [`check_line`] says.
pub async fn add_line<C: TransactionTrait + ConnectionTrait>(
    db: &C,
    actor: &Actor,
    input: LineageInput,
) -> Result<unit_lineage::Model, AppError> {
    let txn = begin_write(db).await?;
    let units = all_units(&txn).await?;
    let lineage = load(&txn).await?;
    let effective_on = check_line(&units, &lineage, &input, None)?;
    let saved = insert_line(&txn, actor, &input, effective_on).await?;
    txn.commit().await?;
    Ok(saved)
}

/// Inserts a checked line and audits it (`lineage.create`).
pub(crate) async fn insert_line(
    db: &impl ConnectionTrait,
    actor: &Actor,
    input: &LineageInput,
    effective_on: NaiveDate,
) -> Result<unit_lineage::Model, AppError> {
    let saved = unit_lineage::ActiveModel {
        predecessor_id: Set(input.predecessor_id),
        successor_id: Set(input.successor_id),
        whole: Set(input.whole),
        effective_on: Set(effective_on),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::record(
        db,
        actor,
        AuditEvent {
            action: "lineage.create",
            entity_type: "unit_lineage",
            entity_id: Some(saved.id.to_string()),
            unit_id: Some(saved.successor_id),
        },
        None::<&()>,
        Some(&saved),
    )
    .await?;
    Ok(saved)
}

/// One line by id, or 404.
async fn find_line(db: &impl ConnectionTrait, id: i32) -> Result<unit_lineage::Model, AppError> {
    unit_lineage::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound("Không tìm thấy dòng kế thừa này.".into()))
}

/// The khu phố entered for one line (old unit → new unit).
fn line_quarters<'a>(
    lineage: &'a Lineage,
    line: &'a unit_lineage::Model,
) -> impl Iterator<Item = &'a unit_lineage_quarter::Model> {
    lineage.quarters.iter().filter(move |q| {
        q.predecessor_id == line.predecessor_id && q.successor_id == line.successor_id
    })
}

/// Corrects a line's share (whole or part) and its day, audited (`lineage.update`). A line
/// made whole drops the khu phố entered for it (the whole unit went there).
pub async fn update_line<C: TransactionTrait + ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: i32,
    whole: bool,
    effective_on: Option<NaiveDate>,
) -> Result<unit_lineage::Model, AppError> {
    let txn = begin_write(db).await?;
    let before = find_line(&txn, id).await?;
    let units = all_units(&txn).await?;
    let lineage = load(&txn).await?;
    let input = LineageInput {
        predecessor_id: before.predecessor_id,
        successor_id: before.successor_id,
        whole,
        effective_on,
    };
    let effective_on = check_line(&units, &lineage, &input, Some(id))?;
    if whole {
        for quarter in line_quarters(&lineage, &before) {
            delete_quarter(&txn, actor, quarter.clone()).await?;
        }
    }
    let mut active: unit_lineage::ActiveModel = before.clone().into();
    active.whole = Set(whole);
    active.effective_on = Set(effective_on);
    let saved = active.update(&txn).await?;
    audit::record(
        &txn,
        actor,
        AuditEvent {
            action: "lineage.update",
            entity_type: "unit_lineage",
            entity_id: Some(id.to_string()),
            unit_id: Some(saved.successor_id),
        },
        Some(&before),
        Some(&saved),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// Removes a mistaken line and the khu phố entered for it, audited (`lineage.delete`). Lists
/// already imported or carried forward stay where they are; what changes is where the old
/// unit's people land from now on.
pub async fn remove_line<C: TransactionTrait + ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: i32,
) -> Result<unit_lineage::Model, AppError> {
    let txn = begin_write(db).await?;
    let line = find_line(&txn, id).await?;
    let lineage = load(&txn).await?;
    for quarter in line_quarters(&lineage, &line) {
        delete_quarter(&txn, actor, quarter.clone()).await?;
    }
    line.clone().delete(&txn).await?;
    audit::record(
        &txn,
        actor,
        AuditEvent {
            action: "lineage.delete",
            entity_type: "unit_lineage",
            entity_id: Some(id.to_string()),
            unit_id: Some(line.successor_id),
        },
        Some(&line),
        None::<&()>,
    )
    .await?;
    txn.commit().await?;
    Ok(line)
}

async fn delete_quarter(
    db: &impl ConnectionTrait,
    actor: &Actor,
    quarter: unit_lineage_quarter::Model,
) -> Result<(), AppError> {
    quarter.clone().delete(db).await?;
    audit::record(
        db,
        actor,
        AuditEvent {
            action: "lineage.quarter_delete",
            entity_type: "unit_lineage_quarter",
            entity_id: Some(quarter.id.to_string()),
            unit_id: Some(quarter.successor_id),
        },
        Some(&quarter),
        None::<&()>,
    )
    .await?;
    Ok(())
}

/// Why a khu phố cannot be entered for `predecessor_id` → `successor_id`, if it cannot: the
/// name is no khu phố, or the old unit was not split towards that new unit.
pub fn check_quarter(
    units: &[unit::Model],
    lineage: &Lineage,
    predecessor_id: i32,
    quarter: &str,
    successor_id: i32,
) -> Result<(String, String), String> {
    let checked = check_quarter_name(quarter)?;
    let is_part = lineage
        .successors_of(predecessor_id)
        .any(|line| line.successor_id == successor_id && !line.whole);
    if !is_part {
        let name = |id: i32| {
            units
                .iter()
                .find(|u| u.id == id)
                .map(display_name)
                .unwrap_or_default()
        };
        return Err(format!(
            "Chưa có dòng “một phần của {} → {}”: hãy nhập dòng kế thừa trước rồi mới chia khu phố.",
            name(predecessor_id),
            name(successor_id)
        ));
    }
    Ok(checked)
}

/// Records that a checked khu phố of the old unit went to the new unit, audited
/// (`lineage.quarter`); a khu phố entered before moves. Nothing is written when it is already
/// so, which is what makes entering the same thing twice change nothing.
pub(crate) async fn store_quarter(
    db: &impl ConnectionTrait,
    actor: &Actor,
    lineage: &Lineage,
    predecessor_id: i32,
    (quarter, key): (String, String),
    successor_id: i32,
) -> Result<Option<unit_lineage_quarter::Model>, AppError> {
    let before = lineage
        .quarters
        .iter()
        .find(|q| q.predecessor_id == predecessor_id && q.quarter_key == key);
    if let Some(found) = before
        && found.successor_id == successor_id
        && found.quarter == quarter
    {
        return Ok(None);
    }
    let mut active: unit_lineage_quarter::ActiveModel = match before {
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
    let saved = match before {
        Some(_) => active.update(db).await?,
        None => active.insert(db).await?,
    };
    audit::record(
        db,
        actor,
        AuditEvent {
            action: "lineage.quarter",
            entity_type: "unit_lineage_quarter",
            entity_id: Some(saved.id.to_string()),
            unit_id: Some(successor_id),
        },
        before,
        Some(&saved),
    )
    .await?;
    Ok(Some(saved))
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
) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    let units = all_units(&txn).await?;
    let lineage = load(&txn).await?;
    let checked = check_quarter(&units, &lineage, predecessor_id, quarter, successor_id)
        .map_err(AppError::Invalid)?;
    store_quarter(&txn, actor, &lineage, predecessor_id, checked, successor_id).await?;
    txn.commit().await?;
    Ok(())
}

/// Splits the khu phố typed in one box ("Khu phố 1, KP 2" or one per line).
pub fn split_quarters(text: &str) -> Vec<String> {
    text.split([',', ';', '\n'])
        .map(str::trim)
        .filter(|q| !q.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Sets the khu phố that went along one part line to exactly `quarters`, audited: new ones
/// are entered (a khu phố entered for another new unit moves here), those left out are
/// removed. Any name that is no khu phố refuses the whole change.
pub async fn set_line_quarters<C: TransactionTrait + ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: i32,
    quarters: &[String],
) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    let line = find_line(&txn, id).await?;
    if line.whole {
        return Err(AppError::Invalid(
            "Dòng này là “toàn bộ”: mọi khu phố đều chuyển về đơn vị mới. Hãy đổi sang “một \
             phần” trước khi nhập khu phố."
                .into(),
        ));
    }
    let units = all_units(&txn).await?;
    let lineage = load(&txn).await?;
    let mut wanted: Vec<(String, String)> = Vec::new();
    for quarter in quarters {
        let checked = check_quarter(
            &units,
            &lineage,
            line.predecessor_id,
            quarter,
            line.successor_id,
        )
        .map_err(AppError::Invalid)?;
        if !wanted.iter().any(|(_, key)| *key == checked.1) {
            wanted.push(checked);
        }
    }
    for quarter in line_quarters(&lineage, &line) {
        if !wanted.iter().any(|(_, key)| *key == quarter.quarter_key) {
            delete_quarter(&txn, actor, quarter.clone()).await?;
        }
    }
    for checked in wanted {
        store_quarter(
            &txn,
            actor,
            &lineage,
            line.predecessor_id,
            checked,
            line.successor_id,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}
