//! After the points close: home visits for those who cannot come, the not-yet-reached list
//! for the follow-up round, and the message list for the ward's own SMS or Zalo channel.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionSession, TransactionTrait,
};
use serde::Serialize;
use utoipa::ToSchema;

use super::{GiftFacts, ensure_invitations, gift_facts};
use crate::db::write_txn::begin_write;
use crate::domain::audit::{self, AuditEvent};
use crate::domain::operator::Operator;
use crate::entities::states::EntryStatus;
use crate::entities::{campaign, invitation, unit};
use crate::error::{AppError, AppResult};

/// One person on a visit or follow-up list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FollowUpRow {
    /// The entry's id.
    pub entry_id: i32,
    /// The check-in code, as printed.
    pub code: String,
    /// The recipient's name.
    pub person_name: String,
    /// Their address.
    pub address: Option<String>,
    /// Their phone.
    pub phone: Option<String>,
    /// The gift ("Quà Tết hộ nghèo: 1.200.000 đ").
    pub gift: String,
    /// Why they have not received it yet, in Vietnamese.
    pub reason: String,
}

/// The rows of one khu phố.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct KhuPhoGroup {
    /// The khu phố ("Không ghi khu phố" when unknown).
    pub khu_pho: String,
    /// Its people, by name.
    pub rows: Vec<FollowUpRow>,
}

/// Marks a gift for a home visit (the person is elderly, bedridden…) or takes the mark off.
pub async fn set_home_visit<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    operator: &Operator,
    campaign: &campaign::Model,
    entry_id: i32,
    reason: Option<&str>,
    visit: bool,
) -> AppResult<()> {
    let gift = crate::entities::entry::Entity::find_by_id(entry_id)
        // A sector reviewer's gifts of other sectors are not found.
        .filter(operator.scope.sector_condition())
        .one(db)
        .await?
        .filter(|e| e.campaign_id == campaign.id)
        .ok_or_else(|| AppError::NotFound("Không tìm thấy người nhận này.".into()))?;
    operator.scope.ensure(gift.ward_id)?;
    let txn = begin_write(db).await?;
    let (_, invitations) = ensure_invitations(
        &txn,
        operator,
        campaign,
        gift.ward_id,
        Some(gift.program_id),
    )
    .await?;
    let found = invitations.get(&entry_id).ok_or_else(|| {
        AppError::Invalid("Chỉ người trên danh sách đã duyệt mới được phát quà tại nhà.".into())
    })?;
    let reason = reason
        .map(crate::vn::text::normalize)
        .filter(|r| !r.is_empty() && visit);
    invitation::Entity::update_many()
        .col_expr(invitation::Column::HomeVisit, Expr::value(visit))
        .col_expr(
            invitation::Column::HomeVisitReason,
            Expr::value(reason.clone()),
        )
        .filter(invitation::Column::Id.eq(found.id))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        &operator.actor,
        AuditEvent {
            action: if visit {
                "invitation.home_visit"
            } else {
                "invitation.no_home_visit"
            },
            entity_type: "entry",
            entity_id: Some(entry_id.to_string()),
            unit_id: Some(gift.ward_id),
        },
        Some(&serde_json::json!({ "home_visit": found.home_visit })),
        Some(&serde_json::json!({ "home_visit": visit, "reason": reason })),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

fn row(facts: &GiftFacts) -> FollowUpRow {
    let reason = match (facts.entry.status, facts.entry.not_received_reason) {
        (EntryStatus::NotReceived, Some(reason)) => match &facts.entry.distribution_note {
            Some(note) => format!("{}: {note}", reason.label()),
            None => reason.label().to_owned(),
        },
        _ if facts.invitation.home_visit => match &facts.invitation.home_visit_reason {
            Some(why) => format!("Phát tại nhà: {why}"),
            None => "Phát tại nhà".to_owned(),
        },
        _ => "Chưa đến nhận".to_owned(),
    };
    FollowUpRow {
        entry_id: facts.entry.id,
        code: chamlo_slips::code_for_print(&facts.invitation.code),
        person_name: facts.person.full_name.clone(),
        address: facts.person.address.clone(),
        phone: facts.person.phone.clone(),
        gift: facts.gift_line(),
        reason,
    }
}

fn group(facts: &[GiftFacts]) -> Vec<KhuPhoGroup> {
    let mut groups: Vec<KhuPhoGroup> = Vec::new();
    // `gift_facts` sorts by khu phố then name, so a group is a run of equal khu phố.
    for f in facts {
        let name = f
            .person
            .khu_pho
            .clone()
            .filter(|k| !k.is_empty())
            .unwrap_or_else(|| "Không ghi khu phố".to_owned());
        match groups.last_mut() {
            Some(last) if last.khu_pho == name => last.rows.push(row(f)),
            _ => groups.push(KhuPhoGroup {
                khu_pho: name,
                rows: vec![row(f)],
            }),
        }
    }
    groups
}

/// Which gifts a follow-up list holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowUp {
    /// Pending gifts marked for a home visit.
    HomeVisits,
    /// Every gift not received yet (pending, or recorded as not received, with the reason).
    NotYetReached,
}

/// The list by khu phố with addresses, phones and reasons.
pub async fn follow_up_list<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    operator: &Operator,
    campaign: &campaign::Model,
    ward: &unit::Model,
    which: FollowUp,
) -> AppResult<Vec<KhuPhoGroup>> {
    let (entries, invitations) = ensure_invitations(db, operator, campaign, ward.id, None).await?;
    let facts: Vec<GiftFacts> = gift_facts(db, entries, &invitations)
        .await?
        .into_iter()
        .filter(|f| match which {
            FollowUp::HomeVisits => {
                f.invitation.home_visit && f.entry.status == EntryStatus::Pending
            }
            FollowUp::NotYetReached => f.entry.status != EntryStatus::Received,
        })
        .collect();
    Ok(group(&facts))
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// The message list for the ward's own SMS or Zalo channel: `phone,message` for every
/// pending gift whose person has a phone, no link and no ID number in any message (DOMAIN.md:
/// the ward's messages never carry links, so people can tell them from fraud). Chamlo sends
/// nothing itself. UTF-8 with a byte-order mark so Excel opens the Vietnamese right.
pub async fn message_csv<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    operator: &Operator,
    campaign: &campaign::Model,
    ward: &unit::Model,
) -> AppResult<String> {
    let (entries, invitations) = ensure_invitations(db, operator, campaign, ward.id, None).await?;
    let ward_name = crate::domain::units::display_name(ward);
    let mut out = String::from("\u{feff}phone,message\r\n");
    for f in gift_facts(db, entries, &invitations).await? {
        let Some(phone) = f
            .person
            .phone
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
        else {
            continue;
        };
        if f.entry.status != EntryStatus::Pending {
            continue;
        }
        let place = f
            .place()
            .unwrap_or_else(|| "nơi phường thông báo".to_owned());
        let when = match &f.slot {
            Some((_, slot)) => format!(
                "ngày {}, từ {} đến {}",
                slot.day.format("%d/%m/%Y"),
                slot.starts_at,
                slot.ends_at
            ),
            None => "theo lịch phường thông báo".to_owned(),
        };
        let message = format!(
            "UBND {ward_name} mời {} nhận quà Tết ({}) tại {place}, {when}. Mang theo giấy mời \
             và CCCD.",
            f.person.full_name, f.program_name
        );
        out.push_str(&csv_field(phone));
        out.push(',');
        out.push_str(&csv_field(&message));
        out.push_str("\r\n");
    }
    Ok(out)
}
