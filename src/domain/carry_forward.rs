//! Starting a campaign from last year's: the wards' lists are copied as drafts and the gifts
//! of the default program are copied for everyone still active (people marked deceased or
//! moved stay behind), so the wards update their lists rather than retype them.
//!
//! Across a reform of the units (1 July 2025: Quận 9's 13 wards became five wards under the
//! city) every gift lands in the ward that holds its old ward on the new campaign's Tết day,
//! through [`crate::domain::lineage`]: old wards merged into one list per new ward, a split
//! ward resolved by the person's khu phố, and the old ward kept as `former_ward_id`. A person
//! the lineage cannot place is reported, not dropped silently; a person listed by two old
//! wards that are now one stays on the list twice, as one duplicate pair the reviewers decide.

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionSession, TransactionTrait,
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::write_txn::begin_write;
use crate::domain::audit::{self, AuditEvent};
use crate::domain::campaigns::{NewCampaign, RequestedUnit, create_campaign, ensure_campaign_open};
use crate::domain::gift_planning::{PlannedGift, listed_people};
use crate::domain::lineage::{self, Resolution};
use crate::domain::operator::Operator;
use crate::domain::units::{all_units, ancestry, display_name, subtree_ids, valid_in_year};
use crate::entities::states::{ListStatus, PersonStatus};
use crate::entities::{campaign, entry, gift_program, person, unit, ward_list};
use crate::error::{AppError, AppResult};

/// What a carry-forward copied.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct CarryForwardSummary {
    /// Ward lists created in the new campaign.
    pub lists_created: usize,
    /// Gifts copied into the new default program.
    pub entries_copied: usize,
    /// Gifts left behind because the person is no longer active (deceased, moved).
    pub people_left_behind: usize,
    /// Gifts not copied because the person is already listed in the new campaign.
    pub already_listed: usize,
    /// Gifts copied into the ward that succeeded their old ward (a merger or split).
    pub moved_to_successor: usize,
    /// People the lineage cannot place on the new Tết day (a split ward, no khu phố that
    /// says which part): not copied, listed here for an administrator to enter the khu phố.
    pub unresolved: Vec<UnresolvedPerson>,
}

/// A person whose old ward was split and whose khu phố does not say where they went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct UnresolvedPerson {
    /// The person.
    pub person_id: i32,
    /// Their name.
    pub full_name: String,
    /// Their khu phố as recorded, if any.
    pub khu_pho: Option<String>,
    /// The old ward ("Phường Long Thạnh Mỹ").
    pub former_ward: String,
    /// The wards it went to ("Phường Long Bình, Phường Long Phước").
    pub possible_wards: Vec<String>,
}

/// The default program of a campaign: the first that takes the wards' file amounts.
pub async fn default_program(
    db: &impl ConnectionTrait,
    campaign_id: i32,
) -> AppResult<gift_program::Model> {
    gift_program::Entity::find()
        .filter(gift_program::Column::CampaignId.eq(campaign_id))
        .filter(gift_program::Column::UseFileAmounts.eq(true))
        .order_by_asc(gift_program::Column::Id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound("Đợt quà chưa có chương trình quà mặc định.".into()))
}

/// Creates next year's campaign and carries the lists of `from` into it, in one
/// transaction: if the copy is refused, no half-made campaign is left behind. The same call
/// serves the campaign page and `chamlo campaign create --carry-from`.
pub async fn start_next_campaign<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    operator: &Operator,
    from: &campaign::Model,
    mut new: NewCampaign,
) -> AppResult<(campaign::Model, CarryForwardSummary)> {
    operator.ensure_manages(from)?;
    // Next year's campaign is run by the same unit unless someone asks otherwise. Staff of a
    // unit carry forward as their own unit (as `create_campaign` does for them); with no unit
    // of their own (an administrator), a unit that no longer exists that year hands over to
    // the nearest unit above it that does (Quận 9's 2025 campaign is followed by the city's).
    if new.unit.is_none() && operator.actor.unit_id.is_none() {
        let units = all_units(db).await?;
        let runner = ancestry(&units, from.unit_id)
            .into_iter()
            .find(|u| valid_in_year(u, new.year))
            .map_or(from.unit_id, |u| u.id);
        new.unit = Some(RequestedUnit::Id(runner));
    }
    if new.year <= from.year {
        return Err(AppError::Invalid(format!(
            "Đợt quà mới phải của một năm sau {}.",
            from.year
        )));
    }
    let txn = begin_write(db).await?;
    let made = create_campaign(&txn, operator, new).await?;
    let summary = carry_forward(&txn, operator, from, &made).await?;
    txn.commit().await?;
    Ok((made, summary))
}

/// Copies the lists of `from` into `to` (a newer campaign of the same unit or of a unit above
/// it, still open), in one transaction: a draft list per ward valid on the new Tết day (an
/// existing list of the ward is reused unless it is submitted or approved), and the default
/// program's gifts of every active person, with the amount and the file's amount of last
/// year, each in the ward that succeeded its old ward. Running it twice copies nothing new.
pub async fn carry_forward<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    operator: &Operator,
    from: &campaign::Model,
    to: &campaign::Model,
) -> AppResult<CarryForwardSummary> {
    operator.ensure_manages(to)?;
    operator.ensure_manages(from)?;
    ensure_campaign_open(to)?;
    if from.id == to.id {
        return Err(AppError::Invalid(
            "Hãy chọn một đợt quà khác để chuyển danh sách sang.".into(),
        ));
    }
    let txn = begin_write(db).await?;
    let units = all_units(&txn).await?;
    if !subtree_ids(&units, to.unit_id).contains(&from.unit_id) || from.year >= to.year {
        return Err(AppError::Invalid(
            "Chỉ chuyển danh sách từ một đợt quà năm trước của cùng đơn vị (hoặc của một đơn \
             vị trực thuộc)."
                .into(),
        ));
    }
    let lineage = lineage::load(&txn).await?;
    let tet = chamlo_sheets::population_match::tet_date(to.year);
    let old_program = default_program(&txn, from.id).await?;
    let new_program = default_program(&txn, to.id).await?;
    let old_lists = ward_list::Entity::find()
        .filter(ward_list::Column::CampaignId.eq(from.id))
        .order_by_asc(ward_list::Column::Id)
        .all(&txn)
        .await?;
    let mut new_lists: HashMap<i32, ward_list::Model> = ward_list::Entity::find()
        .filter(ward_list::Column::CampaignId.eq(to.id))
        .all(&txn)
        .await?
        .into_iter()
        .map(|l| (l.ward_id, l))
        .collect();
    let now = Utc::now();
    let mut summary = CarryForwardSummary::default();

    let old_entries = entry::Entity::find()
        .filter(entry::Column::ProgramId.eq(old_program.id))
        .order_by_asc(entry::Column::Id)
        .all(&txn)
        .await?;
    let people: HashMap<i32, person::Model> = person::Entity::find()
        .filter(person::Column::Id.in_subquery(listed_people(from.id)))
        .all(&txn)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let already: HashSet<(i32, i32)> = entry::Entity::find()
        .filter(entry::Column::ProgramId.eq(new_program.id))
        .all(&txn)
        .await?
        .into_iter()
        .map(|e| (e.person_id, e.category_id))
        .collect();
    // Where each gift goes: the ward holding its old ward on the new Tết day.
    let mut placed: Vec<(&entry::Model, i32)> = Vec::new();
    let mut moved_people: HashMap<i32, i32> = HashMap::new();
    for old in &old_entries {
        let Some(who) = people.get(&old.person_id) else {
            continue;
        };
        if who.status != PersonStatus::Active {
            summary.people_left_behind += 1;
            continue;
        }
        if already.contains(&(old.person_id, old.category_id)) {
            summary.already_listed += 1;
            continue;
        }
        match lineage.resolve(&units, old.ward_id, tet, who.khu_pho.as_deref()) {
            Resolution::Itself => placed.push((old, old.ward_id)),
            Resolution::Successor(ward) => {
                placed.push((old, ward));
                moved_people.insert(who.id, ward);
            }
            Resolution::Ambiguous(wards) => summary.unresolved.push(UnresolvedPerson {
                person_id: who.id,
                full_name: who.full_name.clone(),
                khu_pho: who.khu_pho.clone(),
                former_ward: unit_name(&units, old.ward_id),
                possible_wards: wards.iter().map(|&id| unit_name(&units, id)).collect(),
            }),
        }
    }

    // One list per new ward: the wards the gifts land in, and the successor of every old
    // list that can be placed as a whole (an empty list still tells the ward to draw one up).
    let mut wards: Vec<i32> = placed.iter().map(|(_, ward)| *ward).collect();
    for old in &old_lists {
        match lineage.resolve(&units, old.ward_id, tet, None) {
            Resolution::Itself => wards.push(old.ward_id),
            Resolution::Successor(ward) => wards.push(ward),
            Resolution::Ambiguous(_) => {}
        }
    }
    let mut seen = HashSet::new();
    wards.retain(|ward| seen.insert(*ward));
    for ward in wards {
        if let Some(existing) = new_lists.get(&ward) {
            if matches!(
                existing.status,
                ListStatus::Submitted | ListStatus::Approved
            ) {
                return Err(AppError::Invalid(format!(
                    "{} đã gửi hoặc được duyệt danh sách trong đợt quà mới; không thể chuyển \
                     danh sách cũ vào nữa.",
                    unit_name(&units, ward)
                )));
            }
            continue;
        }
        let created = ward_list::ActiveModel {
            campaign_id: Set(to.id),
            ward_id: Set(ward),
            status: Set(ListStatus::Draft),
            comment: Set(None),
            submitted_at: Set(None),
            submitted_by: Set(None),
            decided_at: Set(None),
            decided_by: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        summary.lists_created += 1;
        new_lists.insert(created.ward_id, created);
    }

    let mut copies = Vec::new();
    for (old, ward) in placed {
        let Some(list) = new_lists.get(&ward) else {
            continue;
        };
        let mut copy = PlannedGift {
            person_id: old.person_id,
            category_id: old.category_id,
            ward_list_id: list.id,
            ward_id: ward,
            household_id: old.household_id,
            amount: old.amount,
            file_amount: old.file_amount,
            // A gift moved to the successor ward remembers the ward it was listed by.
            former_ward_id: if ward != old.ward_id {
                Some(old.ward_id)
            } else {
                old.former_ward_id
            },
        }
        .pending_entry(to.id, new_program.id, now);
        copy.note = Set(old.note.clone());
        if ward != old.ward_id {
            summary.moved_to_successor += 1;
        }
        copies.push(copy);
    }
    summary.entries_copied = copies.len();
    for chunk in copies.chunks(500) {
        entry::Entity::insert_many(chunk.iter().cloned())
            .exec_without_returning(&txn)
            .await?;
    }
    // The people now live in the new ward: its officers find them, and their past gifts
    // are found through the lineage.
    let mut by_ward: HashMap<i32, Vec<i32>> = HashMap::new();
    for (person_id, ward) in moved_people {
        if people
            .get(&person_id)
            .is_some_and(|p| p.ward_id != ward && lineage.ancestry(ward).contains(&p.ward_id))
        {
            by_ward.entry(ward).or_default().push(person_id);
        }
    }
    for (ward, ids) in by_ward {
        for chunk in ids.chunks(500) {
            person::Entity::update_many()
                .col_expr(person::Column::WardId, Expr::value(ward))
                .filter(person::Column::Id.is_in(chunk.iter().copied()))
                .exec(&txn)
                .await?;
        }
    }
    campaign::Entity::update_many()
        .col_expr(campaign::Column::PreviousCampaignId, Expr::value(from.id))
        .filter(campaign::Column::Id.eq(to.id))
        .exec(&txn)
        .await?;
    audit::record::<(), _>(
        &txn,
        &operator.actor,
        AuditEvent {
            action: "campaign.carry_forward",
            entity_type: "campaign",
            entity_id: Some(to.id.to_string()),
            unit_id: Some(to.unit_id),
        },
        None,
        Some(&serde_json::json!({ "from": from.slug, "to": to.slug, "copied": &summary })),
    )
    .await?;
    txn.commit().await?;
    Ok(summary)
}

/// A unit's official name ("Phường Hiệp Phú"), empty for an unknown id.
fn unit_name(units: &[unit::Model], id: i32) -> String {
    units
        .iter()
        .find(|u| u.id == id)
        .map(display_name)
        .unwrap_or_default()
}
