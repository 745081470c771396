//! Starting a campaign from last year's: the wards' lists are copied as drafts and the gifts
//! of the default program are copied for everyone still active (people marked deceased or
//! moved stay behind), so the wards update their lists rather than retype them.

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
use crate::domain::operator::Operator;
use crate::entities::states::{ListStatus, PersonStatus};
use crate::entities::{campaign, entry, gift_program, person, ward_list};
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
    // Next year's campaign is run by the same unit unless someone asks otherwise.
    new.unit.get_or_insert(RequestedUnit::Id(from.unit_id));
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

/// Copies the lists of `from` into `to` (a newer campaign of the same unit, still open), in
/// one transaction: a draft list per ward (an existing list of the ward is reused unless it
/// is submitted or approved), and the default program's gifts of every active person, with
/// the amount and the file's amount of last year. Running it twice copies nothing new.
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
    if from.unit_id != to.unit_id || from.year >= to.year {
        return Err(AppError::Invalid(
            "Chỉ chuyển danh sách từ một đợt quà năm trước của cùng đơn vị.".into(),
        ));
    }
    let txn = begin_write(db).await?;
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
    for old in &old_lists {
        if let Some(existing) = new_lists.get(&old.ward_id) {
            if matches!(
                existing.status,
                ListStatus::Submitted | ListStatus::Approved
            ) {
                return Err(AppError::Invalid(
                    "Một phường đã gửi hoặc được duyệt danh sách trong đợt quà mới; không thể \
                     chuyển danh sách cũ vào nữa."
                        .into(),
                ));
            }
            continue;
        }
        let created = ward_list::ActiveModel {
            campaign_id: Set(to.id),
            ward_id: Set(old.ward_id),
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

    let old_entries = entry::Entity::find()
        .filter(entry::Column::ProgramId.eq(old_program.id))
        .order_by_asc(entry::Column::Id)
        .all(&txn)
        .await?;
    let active: HashSet<i32> = person::Entity::find()
        .filter(person::Column::Id.in_subquery(listed_people(from.id)))
        .filter(person::Column::Status.eq(PersonStatus::Active))
        .all(&txn)
        .await?
        .into_iter()
        .map(|p| p.id)
        .collect();
    let already: HashSet<(i32, i32)> = entry::Entity::find()
        .filter(entry::Column::ProgramId.eq(new_program.id))
        .all(&txn)
        .await?
        .into_iter()
        .map(|e| (e.person_id, e.category_id))
        .collect();
    let mut copies = Vec::new();
    for old in &old_entries {
        if !active.contains(&old.person_id) {
            summary.people_left_behind += 1;
            continue;
        }
        if already.contains(&(old.person_id, old.category_id)) {
            summary.already_listed += 1;
            continue;
        }
        let Some(list) = new_lists.get(&old.ward_id) else {
            continue;
        };
        let mut copy = PlannedGift {
            person_id: old.person_id,
            category_id: old.category_id,
            ward_list_id: list.id,
            ward_id: old.ward_id,
            household_id: old.household_id,
            amount: old.amount,
            file_amount: old.file_amount,
        }
        .pending_entry(to.id, new_program.id, now);
        copy.note = Set(old.note.clone());
        copies.push(copy);
    }
    summary.entries_copied = copies.len();
    for chunk in copies.chunks(500) {
        entry::Entity::insert_many(chunk.iter().cloned())
            .exec_without_returning(&txn)
            .await?;
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
