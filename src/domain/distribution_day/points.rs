//! Distribution points and their time slots, and who is invited to which slot: by khu phố
//! or by hand, with the count per slot so no slot is crowded.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionSession, TransactionTrait,
};
use serde::Serialize;
use utoipa::ToSchema;

use super::{ensure_invitations, gift_facts};
use crate::db::write_txn::begin_write;
use crate::domain::audit::{self, AuditEvent};
use crate::domain::operator::Operator;
use crate::entities::{campaign, distribution_point, distribution_slot, invitation};
use crate::error::{AppError, AppResult};

/// A slot as the points page and the API show it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SlotView {
    /// The slot's id.
    pub id: i32,
    /// dd/mm/yyyy.
    pub day: String,
    /// "08:00".
    pub starts_at: String,
    /// "10:00".
    pub ends_at: String,
    /// People invited to it.
    pub invited: usize,
}

/// A point with its slots.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PointView {
    /// The point's id.
    pub id: i32,
    /// "Nhà văn hóa khu phố 3".
    pub name: String,
    /// Its address.
    pub address: Option<String>,
    /// Its slots, in time order.
    pub slots: Vec<SlotView>,
}

/// The ward's points and slots with their counts, the khu phố with how many gifts each has
/// not yet given a slot, and how many gifts have no slot at all.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WardPlan {
    /// The points.
    pub points: Vec<PointView>,
    /// (khu phố, gifts without a slot) in name order; "" for people without a khu phố.
    pub unassigned_by_khu_pho: Vec<(String, usize)>,
    /// Gifts without a slot, all khu phố together.
    pub unassigned: usize,
}

/// Points and slots are planned while lists are open or locked (frozen for the day), as
/// gifts are handed out; a closed campaign is history.
fn ensure_not_closed(campaign: &campaign::Model) -> AppResult<()> {
    if campaign.status == crate::entities::states::CampaignStatus::Closed {
        Err(AppError::Invalid(format!(
            "Đợt quà “{}” đã kết thúc: không thể đổi điểm phát hay khung giờ.",
            campaign.title
        )))
    } else {
        Ok(())
    }
}

fn clean(text: &str) -> String {
    crate::vn::text::normalize(text)
}

/// Adds a point for a ward in a campaign.
pub async fn add_point<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    operator: &Operator,
    campaign: &campaign::Model,
    ward_id: i32,
    name: &str,
    address: Option<&str>,
) -> AppResult<distribution_point::Model> {
    operator.scope.ensure(ward_id)?;
    ensure_not_closed(campaign)?;
    let name = clean(name);
    if name.is_empty() {
        return Err(AppError::Invalid("Hãy ghi tên điểm phát quà.".into()));
    }
    let txn = begin_write(db).await?;
    let point = distribution_point::ActiveModel {
        campaign_id: Set(campaign.id),
        ward_id: Set(ward_id),
        name: Set(name),
        address: Set(address.map(clean).filter(|a| !a.is_empty())),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record::<(), _>(
        &txn,
        &operator.actor,
        AuditEvent {
            action: "distribution_point.create",
            entity_type: "distribution_point",
            entity_id: Some(point.id.to_string()),
            unit_id: Some(ward_id),
        },
        None,
        Some(&point),
    )
    .await?;
    txn.commit().await?;
    Ok(point)
}

/// A point of the campaign the operator may touch.
async fn point_in(
    db: &impl ConnectionTrait,
    operator: &Operator,
    campaign: &campaign::Model,
    point_id: i32,
) -> AppResult<distribution_point::Model> {
    let point = distribution_point::Entity::find_by_id(point_id)
        .one(db)
        .await?
        .filter(|p| p.campaign_id == campaign.id)
        .ok_or_else(|| AppError::NotFound("Không tìm thấy điểm phát quà này.".into()))?;
    operator.scope.ensure(point.ward_id)?;
    Ok(point)
}

/// Reads "8:00" or "08:00" as a wall-clock time, back as "08:00".
fn parse_time(text: &str, field: &str) -> AppResult<String> {
    NaiveTime::parse_from_str(text.trim(), "%H:%M")
        .map(|t| t.format("%H:%M").to_string())
        .map_err(|_| AppError::Invalid(format!("{field}: ghi giờ dạng 08:00.")))
}

/// Adds a time slot to a point: a day, from and to (Vietnam time, "HH:MM").
pub async fn add_slot<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    operator: &Operator,
    campaign: &campaign::Model,
    point_id: i32,
    day: NaiveDate,
    starts_at: &str,
    ends_at: &str,
) -> AppResult<distribution_slot::Model> {
    ensure_not_closed(campaign)?;
    let starts_at = parse_time(starts_at, "Giờ bắt đầu")?;
    let ends_at = parse_time(ends_at, "Giờ kết thúc")?;
    if ends_at <= starts_at {
        return Err(AppError::Invalid(
            "Giờ kết thúc phải sau giờ bắt đầu.".into(),
        ));
    }
    let txn = begin_write(db).await?;
    let point = point_in(&txn, operator, campaign, point_id).await?;
    let slot = distribution_slot::ActiveModel {
        point_id: Set(point.id),
        day: Set(day),
        starts_at: Set(starts_at),
        ends_at: Set(ends_at),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record::<(), _>(
        &txn,
        &operator.actor,
        AuditEvent {
            action: "distribution_slot.create",
            entity_type: "distribution_slot",
            entity_id: Some(slot.id.to_string()),
            unit_id: Some(point.ward_id),
        },
        None,
        Some(&slot),
    )
    .await?;
    txn.commit().await?;
    Ok(slot)
}

/// Whom to invite to a slot.
#[derive(Debug, Clone)]
pub enum Invitees {
    /// Every gift of people in this khu phố ("" for those without one).
    KhuPho(String),
    /// These entries, picked by hand.
    Entries(Vec<i32>),
}

/// Invites gifts of the slot's ward to the slot (moving them from another slot if they had
/// one) and returns how many. Gifts already handed out are left alone.
pub async fn assign_slot<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    operator: &Operator,
    campaign: &campaign::Model,
    slot_id: i32,
    who: &Invitees,
) -> AppResult<usize> {
    ensure_not_closed(campaign)?;
    let slot = distribution_slot::Entity::find_by_id(slot_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound("Không tìm thấy khung giờ này.".into()))?;
    let point = point_in(db, operator, campaign, slot.point_id).await?;
    let txn = begin_write(db).await?;
    let (entries, invitations) =
        ensure_invitations(&txn, operator, campaign, point.ward_id, None).await?;
    let facts = gift_facts(&txn, entries, &invitations).await?;
    let chosen: Vec<i32> = facts
        .iter()
        .filter(|f| f.entry.status == crate::entities::states::EntryStatus::Pending)
        .filter(|f| match who {
            Invitees::KhuPho(name) => {
                clean(f.person.khu_pho.as_deref().unwrap_or("")) == clean(name)
            }
            Invitees::Entries(ids) => ids.contains(&f.entry.id),
        })
        .map(|f| f.invitation.id)
        .collect();
    if chosen.is_empty() {
        return Err(AppError::Invalid(
            "Không có người nào chưa nhận quà trong lựa chọn này.".into(),
        ));
    }
    for chunk in chosen.chunks(500) {
        invitation::Entity::update_many()
            .col_expr(invitation::Column::SlotId, Expr::value(slot.id))
            .filter(invitation::Column::Id.is_in(chunk.iter().copied()))
            .exec(&txn)
            .await?;
    }
    audit::record::<(), _>(
        &txn,
        &operator.actor,
        AuditEvent {
            action: "distribution_slot.assign",
            entity_type: "distribution_slot",
            entity_id: Some(slot.id.to_string()),
            unit_id: Some(point.ward_id),
        },
        None,
        Some(&serde_json::json!({ "invitations": chosen.len() })),
    )
    .await?;
    txn.commit().await?;
    Ok(chosen.len())
}

/// The ward's points and slots with the number of gifts invited to each.
pub async fn ward_plan<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    operator: &Operator,
    campaign: &campaign::Model,
    ward_id: i32,
) -> AppResult<WardPlan> {
    let (entries, invitations) = ensure_invitations(db, operator, campaign, ward_id, None).await?;
    let facts = gift_facts(db, entries, &invitations).await?;
    let mut per_slot: BTreeMap<i32, usize> = BTreeMap::new();
    let mut unassigned: BTreeMap<String, usize> = BTreeMap::new();
    for f in &facts {
        match f.invitation.slot_id {
            Some(id) => *per_slot.entry(id).or_default() += 1,
            None => {
                *unassigned
                    .entry(f.person.khu_pho.clone().unwrap_or_default())
                    .or_default() += 1
            }
        }
    }
    let points = distribution_point::Entity::find()
        .filter(distribution_point::Column::CampaignId.eq(campaign.id))
        .filter(distribution_point::Column::WardId.eq(ward_id))
        .order_by_asc(distribution_point::Column::Id)
        .all(db)
        .await?;
    let slots = distribution_slot::Entity::find()
        .filter(distribution_slot::Column::PointId.is_in(points.iter().map(|p| p.id)))
        .order_by_asc(distribution_slot::Column::Day)
        .order_by_asc(distribution_slot::Column::StartsAt)
        .all(db)
        .await?;
    Ok(WardPlan {
        points: points
            .into_iter()
            .map(|p| PointView {
                slots: slots
                    .iter()
                    .filter(|s| s.point_id == p.id)
                    .map(|s| SlotView {
                        id: s.id,
                        day: s.day.format("%d/%m/%Y").to_string(),
                        starts_at: s.starts_at.clone(),
                        ends_at: s.ends_at.clone(),
                        invited: per_slot.get(&s.id).copied().unwrap_or(0),
                    })
                    .collect(),
                id: p.id,
                name: p.name,
                address: p.address,
            })
            .collect(),
        unassigned: unassigned.values().sum(),
        unassigned_by_khu_pho: unassigned.into_iter().collect(),
    })
}
