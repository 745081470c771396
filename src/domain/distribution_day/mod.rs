//! Distribution day: each gift's invitation with an unguessable check-in code, the slips
//! printed from them, and checking a gift in by that code from a phone or the command line.
//!
//! A check-in is recorded through [`record_distribution`], the same path as the list page's
//! "Đã nhận" buttons, so the counts, the person's state and the audit agree whichever way a
//! gift was handed out; the check-in row adds where and by whom, and the client's key that
//! makes a scan queued offline and sent again count once.

pub mod follow_up;
pub mod points;

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use rand::Rng;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set, TransactionSession,
    TransactionTrait,
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::write_txn::begin_write;
use crate::domain::audit::{self, AuditEvent};
use crate::domain::distribution::{Distribution, record_distribution};
use crate::domain::operator::Operator;
use crate::entities::states::{EntryStatus, ListStatus};
use crate::entities::{
    audit_event, campaign, checkin, distribution_point, distribution_slot, entry, gift_program,
    invitation, person, unit, ward_list,
};
use crate::error::{AppError, AppResult};
use crate::vn::money_words::format_vnd;

/// The letters of a check-in code: digits and capitals without 0, 1, I and O, which read
/// alike on paper. 32 letters, so ten of them are 50 random bits.
const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
const CODE_LENGTH: usize = 10;

/// Vietnam time (UTC+7, no daylight saving): the day a gift is handed out is the ward's day.
pub fn vietnam_now() -> DateTime<FixedOffset> {
    // Seven hours east is within the ±24 h chrono accepts: this cannot fail.
    let offset = FixedOffset::east_opt(7 * 3600).expect("UTC+7 is a valid offset");
    Utc::now().with_timezone(&offset)
}

/// A fresh random check-in code.
fn new_code() -> String {
    let mut rng = rand::rng();
    (0..CODE_LENGTH)
        .map(|_| CODE_ALPHABET[rng.random_range(0..CODE_ALPHABET.len())] as char)
        .collect()
}

/// A typed or scanned code as stored: capitals, without the dashes and spaces of the print.
pub fn normalize_code(text: &str) -> String {
    text.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// The entries of a ward in a campaign (of one program when given) that stand on approved
/// lists: the gifts that will be handed out, so the ones that get an invitation.
pub(crate) async fn approved_entries(
    db: &impl ConnectionTrait,
    campaign_id: i32,
    ward_id: i32,
    program_id: Option<i32>,
) -> AppResult<Vec<entry::Model>> {
    let lists: Vec<i32> = ward_list::Entity::find()
        .filter(ward_list::Column::CampaignId.eq(campaign_id))
        .filter(ward_list::Column::WardId.eq(ward_id))
        .filter(ward_list::Column::Status.eq(ListStatus::Approved))
        .all(db)
        .await?
        .into_iter()
        .map(|l| l.id)
        .collect();
    if lists.is_empty() {
        return Ok(Vec::new());
    }
    let mut query = entry::Entity::find()
        .filter(entry::Column::CampaignId.eq(campaign_id))
        .filter(entry::Column::WardId.eq(ward_id))
        .filter(entry::Column::WardListId.is_in(lists));
    if let Some(program_id) = program_id {
        query = query.filter(entry::Column::ProgramId.eq(program_id));
    }
    Ok(query.order_by_asc(entry::Column::Id).all(db).await?)
}

/// Gives every approved entry of the ward (of one program when given) an invitation with a
/// code, keeping the codes already issued (a reprinted slip carries the same code), and
/// returns the invitations by entry id. Audited when any is issued.
pub async fn ensure_invitations<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    operator: &Operator,
    campaign: &campaign::Model,
    ward_id: i32,
    program_id: Option<i32>,
) -> AppResult<(Vec<entry::Model>, HashMap<i32, invitation::Model>)> {
    operator.scope.ensure(ward_id)?;
    let txn = begin_write(db).await?;
    let entries = approved_entries(&txn, campaign.id, ward_id, program_id).await?;
    let mut by_entry =
        invitations_of(&txn, &entries.iter().map(|e| e.id).collect::<Vec<_>>()).await?;
    let missing: Vec<i32> = entries
        .iter()
        .map(|e| e.id)
        .filter(|id| !by_entry.contains_key(id))
        .collect();
    if !missing.is_empty() {
        let now = Utc::now();
        let new: Vec<invitation::ActiveModel> = missing
            .iter()
            .map(|&entry_id| invitation::ActiveModel {
                entry_id: Set(entry_id),
                code: Set(new_code()),
                home_visit: Set(false),
                created_at: Set(now),
                ..Default::default()
            })
            .collect();
        for chunk in new.chunks(500) {
            invitation::Entity::insert_many(chunk.iter().cloned())
                .exec_without_returning(&txn)
                .await?;
        }
        audit::record_action(
            &txn,
            &operator.actor,
            AuditEvent {
                action: "invitation.issue",
                entity_type: "campaign",
                entity_id: Some(campaign.id.to_string()),
                unit_id: Some(ward_id),
            },
        )
        .await?;
        by_entry = invitations_of(&txn, &entries.iter().map(|e| e.id).collect::<Vec<_>>()).await?;
    }
    txn.commit().await?;
    Ok((entries, by_entry))
}

/// The invitations of these entries, by entry id.
pub(crate) async fn invitations_of(
    db: &impl ConnectionTrait,
    entry_ids: &[i32],
) -> AppResult<HashMap<i32, invitation::Model>> {
    let mut out = HashMap::with_capacity(entry_ids.len());
    for chunk in entry_ids.chunks(500) {
        for found in invitation::Entity::find()
            .filter(invitation::Column::EntryId.is_in(chunk.iter().copied()))
            .all(db)
            .await?
        {
            out.insert(found.entry_id, found);
        }
    }
    Ok(out)
}

/// What a slip, a card or a list row says about one gift.
#[derive(Debug, Clone)]
pub(crate) struct GiftFacts {
    pub entry: entry::Model,
    pub person: person::Model,
    pub program_name: String,
    pub invitation: invitation::Model,
    pub slot: Option<(distribution_point::Model, distribution_slot::Model)>,
}

impl GiftFacts {
    /// "Quà Tết hộ nghèo: 1.200.000 đ".
    pub fn gift_line(&self) -> String {
        format!("{}: {}", self.program_name, format_vnd(self.entry.amount))
    }

    /// "Nhà văn hóa khu phố 3, 12 Lê Lợi", when a slot is set.
    pub fn place(&self) -> Option<String> {
        self.slot.as_ref().map(|(point, _)| match &point.address {
            Some(address) => format!("{}, {address}", point.name),
            None => point.name.clone(),
        })
    }

    /// "24/01/2026, 08:00–10:00", when a slot is set.
    pub fn when(&self) -> Option<String> {
        self.slot.as_ref().map(|(_, slot)| {
            format!(
                "{}, {}–{}",
                slot.day.format("%d/%m/%Y"),
                slot.starts_at,
                slot.ends_at
            )
        })
    }
}

/// Fills in the person, program and slot of each entry that has an invitation, ordered by
/// khu phố and name (the order officers walk and call the list in).
pub(crate) async fn gift_facts(
    db: &impl ConnectionTrait,
    entries: Vec<entry::Model>,
    invitations: &HashMap<i32, invitation::Model>,
) -> AppResult<Vec<GiftFacts>> {
    let person_ids: Vec<i32> = entries
        .iter()
        .map(|e| e.person_id)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let mut people = HashMap::new();
    for chunk in person_ids.chunks(500) {
        for p in person::Entity::find()
            .filter(person::Column::Id.is_in(chunk.iter().copied()))
            .all(db)
            .await?
        {
            people.insert(p.id, p);
        }
    }
    let programs: HashMap<i32, String> = gift_program::Entity::find()
        .filter(
            gift_program::Column::Id
                .is_in(entries.iter().map(|e| e.program_id).collect::<HashSet<_>>()),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let slot_ids: HashSet<i32> = invitations.values().filter_map(|i| i.slot_id).collect();
    let slots: HashMap<i32, distribution_slot::Model> = distribution_slot::Entity::find()
        .filter(distribution_slot::Column::Id.is_in(slot_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let points: HashMap<i32, distribution_point::Model> = distribution_point::Entity::find()
        .filter(
            distribution_point::Column::Id
                .is_in(slots.values().map(|s| s.point_id).collect::<HashSet<_>>()),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let mut facts: Vec<GiftFacts> = entries
        .into_iter()
        .filter_map(|entry| {
            let invitation = invitations.get(&entry.id)?.clone();
            let person = people.get(&entry.person_id)?.clone();
            let slot = invitation.slot_id.and_then(|id| {
                let slot = slots.get(&id)?;
                Some((points.get(&slot.point_id)?.clone(), slot.clone()))
            });
            Some(GiftFacts {
                program_name: programs.get(&entry.program_id).cloned().unwrap_or_default(),
                entry,
                person,
                invitation,
                slot,
            })
        })
        .collect();
    facts.sort_by(|a, b| {
        (
            a.person.khu_pho.as_deref().unwrap_or(""),
            &a.person.name_key,
            a.entry.id,
        )
            .cmp(&(
                b.person.khu_pho.as_deref().unwrap_or(""),
                &b.person.name_key,
                b.entry.id,
            ))
    });
    Ok(facts)
}

/// The slips of a ward (of one program when given), one per gift on an approved list,
/// issuing the codes still missing. Gifts already handed out get no slip.
pub async fn invitation_slips<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    operator: &Operator,
    campaign: &campaign::Model,
    ward: &unit::Model,
    program_id: Option<i32>,
) -> AppResult<Vec<chamlo_slips::Slip>> {
    let (entries, invitations) =
        ensure_invitations(db, operator, campaign, ward.id, program_id).await?;
    let pending: Vec<entry::Model> = entries
        .into_iter()
        .filter(|e| e.status == EntryStatus::Pending)
        .collect();
    let heading = vec![
        "ỦY BAN NHÂN DÂN".to_owned(),
        crate::domain::units::display_name(ward).to_uppercase(),
    ];
    Ok(gift_facts(db, pending, &invitations)
        .await?
        .into_iter()
        .map(|facts| chamlo_slips::Slip {
            heading: heading.clone(),
            recipient: facts.person.full_name.clone(),
            address: facts.person.address.clone(),
            gifts: vec![facts.gift_line()],
            place: facts.place(),
            when: facts.when(),
            code: facts.invitation.code.clone(),
        })
        .collect())
}

/// Who handed a gift out, when and where, as the check-in page and the CLI tell it.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct ReceivedInfo {
    /// The day it was handed out (dd/mm/yyyy).
    pub date: Option<String>,
    /// When it was recorded, Vietnam time ("24/01/2026 08:12").
    pub recorded_at: Option<String>,
    /// The officer (or process) who recorded it.
    pub recorded_by: Option<String>,
    /// The distribution point named at check-in.
    pub point: Option<String>,
    /// The proxy who took it, when not the person ("Nguyễn Văn B (con)").
    pub proxy: Option<String>,
}

/// One gift as the check-in page shows it after a scan.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CheckinCard {
    /// The check-in code, as printed ("ABCDE-FGHJK").
    pub code: String,
    /// The entry's id.
    pub entry_id: i32,
    /// The recipient's name.
    pub person_name: String,
    /// The recipient's address.
    pub address: Option<String>,
    /// The khu phố.
    pub khu_pho: Option<String>,
    /// "Quà Tết hộ nghèo: 1.200.000 đ".
    pub gift: String,
    /// `pending`, `received` or `not_received`.
    pub status: String,
    /// Marked for a home visit.
    pub home_visit: bool,
    /// Who handed it out, when and where (for a gift already received).
    pub received: Option<ReceivedInfo>,
}

/// What a check-in did.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CheckinOutcome {
    /// `recorded` (now), `repeated` (the same scan sent again: already recorded, nothing
    /// new) or `already_received` (refused: someone handed it out before).
    pub result: String,
    /// The gift after the check-in.
    pub card: CheckinCard,
}

impl CheckinOutcome {
    /// The check-in was refused because the gift had been handed out before.
    pub fn refused(&self) -> bool {
        self.result == "already_received"
    }
}

/// The gift behind a code in a campaign, checked against the operator's units.
async fn find_by_code(
    db: &impl ConnectionTrait,
    operator: &Operator,
    campaign: &campaign::Model,
    code: &str,
) -> AppResult<(invitation::Model, entry::Model)> {
    let code = normalize_code(code);
    let unknown = || {
        AppError::NotFound(format!(
            "Không có mã nhận quà {} trong đợt này. Kiểm tra lại mã in trên giấy mời.",
            chamlo_slips::code_for_print(&code)
        ))
    };
    if code.len() != CODE_LENGTH {
        return Err(unknown());
    }
    let found = invitation::Entity::find()
        .filter(invitation::Column::Code.eq(code.as_str()))
        .one(db)
        .await?
        .ok_or_else(unknown)?;
    let gift = entry::Entity::find_by_id(found.entry_id)
        .one(db)
        .await?
        .filter(|e| e.campaign_id == campaign.id)
        .ok_or_else(unknown)?;
    // Another ward's code reads as unknown: a code says nothing outside its ward.
    operator.scope.ensure(gift.ward_id).map_err(|_| unknown())?;
    Ok((found, gift))
}

/// The card of the gift behind `code`: the person, the gift and whether it was handed out.
pub async fn checkin_card(
    db: &impl ConnectionTrait,
    operator: &Operator,
    campaign: &campaign::Model,
    code: &str,
) -> AppResult<CheckinCard> {
    let (found, gift) = find_by_code(db, operator, campaign, code).await?;
    card(db, found, gift).await
}

async fn card(
    db: &impl ConnectionTrait,
    found: invitation::Model,
    gift: entry::Model,
) -> AppResult<CheckinCard> {
    let invitations = HashMap::from([(gift.id, found)]);
    let facts = gift_facts(db, vec![gift], &invitations)
        .await?
        .pop()
        .ok_or_else(|| AppError::NotFound("Không tìm thấy người nhận của mã này.".into()))?;
    let received = if facts.entry.status == EntryStatus::Received {
        Some(received_info(db, &facts.entry).await?)
    } else {
        None
    };
    Ok(CheckinCard {
        code: chamlo_slips::code_for_print(&facts.invitation.code),
        entry_id: facts.entry.id,
        person_name: facts.person.full_name.clone(),
        address: facts.person.address.clone(),
        khu_pho: facts.person.khu_pho.clone(),
        gift: facts.gift_line(),
        status: facts.entry.status.as_str().to_owned(),
        home_visit: facts.invitation.home_visit,
        received,
    })
}

fn vietnam_time(at: DateTime<Utc>) -> String {
    let offset = vietnam_now().offset().to_owned();
    at.with_timezone(&offset)
        .format("%d/%m/%Y %H:%M")
        .to_string()
}

/// Who and when, from the check-in when there is one, else from the audit of the list
/// page's "Đã nhận" (a gift recorded there has no check-in row).
async fn received_info(db: &impl ConnectionTrait, gift: &entry::Model) -> AppResult<ReceivedInfo> {
    let proxy = match (&gift.receiver_name, &gift.receiver_relationship) {
        (Some(name), Some(rel)) => Some(format!("{name} ({rel})")),
        (Some(name), None) => Some(name.clone()),
        _ => None,
    };
    let date = gift
        .received_date
        .map(|d: NaiveDate| d.format("%d/%m/%Y").to_string());
    if let Some(row) = checkin::Entity::find()
        .filter(checkin::Column::EntryId.eq(gift.id))
        .one(db)
        .await?
    {
        return Ok(ReceivedInfo {
            date,
            recorded_at: Some(vietnam_time(row.recorded_at)),
            recorded_by: Some(row.recorded_by),
            point: row.point_name,
            proxy,
        });
    }
    let event = audit_event::Entity::find()
        .filter(audit_event::Column::EntityType.eq("entry"))
        .filter(audit_event::Column::EntityId.eq(gift.id.to_string()))
        .filter(audit_event::Column::Action.eq("distribution.received"))
        .order_by_desc(audit_event::Column::Id)
        .one(db)
        .await?;
    Ok(ReceivedInfo {
        date,
        recorded_at: event.as_ref().map(|e| vietnam_time(e.created_at)),
        recorded_by: event.map(|e| e.actor_name),
        point: None,
        proxy,
    })
}

/// What a check-in asks to record.
#[derive(Debug, Clone, Default)]
pub struct CheckinRequest {
    /// The code, typed or scanned.
    pub code: String,
    /// A proxy's name and relationship, when someone takes the gift for the person.
    pub proxy: Option<(String, String)>,
    /// The distribution point the officer stands at (or "Phát tại nhà").
    pub point: Option<String>,
    /// A key the client makes per scan, so the same scan sent twice (an offline queue
    /// retrying) is recorded once and answered `repeated`.
    pub client_key: Option<String>,
}

/// Checks a gift in: records it received today (Vietnam time) through
/// [`record_distribution`], with the check-in row and its own audit event, all in one
/// transaction. A gift already received is refused with who and when, unless the request is
/// the very scan that recorded it (same client key), which is answered `repeated`.
pub async fn check_in<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    operator: &Operator,
    campaign: &campaign::Model,
    request: &CheckinRequest,
) -> AppResult<CheckinOutcome> {
    let client_key = request
        .client_key
        .as_deref()
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(|k| k.chars().take(64).collect::<String>());
    let point = request
        .point
        .as_deref()
        .map(crate::vn::text::normalize)
        .filter(|p| !p.is_empty());
    let txn = begin_write(db).await?;
    let (found, gift) = find_by_code(&txn, operator, campaign, &request.code).await?;
    if gift.status != EntryStatus::Pending {
        let earlier = checkin::Entity::find()
            .filter(checkin::Column::EntryId.eq(gift.id))
            .one(&txn)
            .await?;
        let repeated = client_key.is_some()
            && earlier.as_ref().and_then(|c| c.client_key.as_deref()) == client_key.as_deref();
        let card = card(&txn, found, gift).await?;
        txn.commit().await?;
        let result = if repeated {
            "repeated"
        } else if card.status == EntryStatus::NotReceived.as_str() {
            return Err(AppError::Invalid(format!(
                "{} đã được ghi là không nhận quà; hãy hoàn tác trên danh sách trước khi ghi nhận.",
                card.person_name
            )));
        } else {
            "already_received"
        };
        return Ok(CheckinOutcome {
            result: result.to_owned(),
            card,
        });
    }
    let what = Distribution::Received {
        date: vietnam_now().date_naive(),
        proxy: request.proxy.clone(),
    };
    record_distribution(&txn, operator, &[gift.id], &what).await?;
    let row = checkin::ActiveModel {
        entry_id: Set(gift.id),
        client_key: Set(client_key),
        point_name: Set(point),
        recorded_by_user_id: Set(operator.actor.user_id),
        recorded_by: Set(operator.actor.name.clone()),
        recorded_at: Set(Utc::now()),
        ..Default::default()
    };
    let row = checkin::Entity::insert(row)
        .exec_with_returning(&txn)
        .await?;
    audit::record::<(), _>(
        &txn,
        &operator.actor,
        AuditEvent {
            action: "distribution.checkin",
            entity_type: "entry",
            entity_id: Some(gift.id.to_string()),
            unit_id: Some(gift.ward_id),
        },
        None,
        Some(&row),
    )
    .await?;
    let gift = entry::Entity::find_by_id(gift.id)
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::NotFound("Không tìm thấy người nhận của mã này.".into()))?;
    let card = card(&txn, found, gift).await?;
    txn.commit().await?;
    Ok(CheckinOutcome {
        result: "recorded".to_owned(),
        card,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_use_only_the_unambiguous_letters() {
        let code = new_code();
        assert_eq!(code.len(), CODE_LENGTH);
        assert!(code.bytes().all(|b| CODE_ALPHABET.contains(&b)));
        assert_ne!(new_code(), code, "fifty random bits do not repeat");
    }

    #[test]
    fn a_typed_code_is_read_without_dashes_spaces_or_case() {
        assert_eq!(normalize_code(" abcde-fghjk "), "ABCDEFGHJK");
    }
}
