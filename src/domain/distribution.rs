//! Handing the gifts out: each entry goes from pending to received (on a date, by the person
//! or by a proxy with a name and relationship) or not received (deceased, moved, absent,
//! refused, with a note); marking works on many entries at once and can be undone; every
//! change is audited. Marking someone deceased or moved also updates the person, so next
//! year's carry-forward leaves them behind.

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    TransactionSession, TransactionTrait,
};

use crate::db::write_txn::begin_write;
use crate::domain::operator::Operator;
use crate::entities::states::{
    CampaignStatus, EntryStatus, ListStatus, NotReceivedReason, PersonStatus,
};
use crate::entities::{audit_event, campaign, entry, person, ward_list};
use crate::error::{AppError, AppResult};

/// What to record for the entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Distribution {
    /// Received on `date`, by the person or, when `proxy` is given, by someone for them.
    Received {
        /// The day it was handed out.
        date: NaiveDate,
        /// The proxy's name and relationship to the recipient ("Nguyễn Văn B", "con").
        proxy: Option<(String, String)>,
    },
    /// Not received, with the reason and a note.
    NotReceived {
        /// Why.
        reason: NotReceivedReason,
        /// Anything worth keeping ("mất ngày 02/01").
        note: Option<String>,
    },
    /// Back to pending, clearing what was recorded.
    Undo,
}

/// What the list page's form (`mode`) and the API (`action`) ask to record, by the word they
/// send; each surface then reads the details (date, proxy, reason) into a [`Distribution`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DistributionAction {
    /// `received`: handed to the person (over the API, to a proxy too when one is named).
    Received,
    /// `proxy`: handed to someone for the person (the page's form only).
    Proxy,
    /// `not_received`: not handed out, with a reason.
    NotReceived,
    /// `undo`: back to pending.
    Undo,
}

impl DistributionAction {
    /// Every action, in the order the form offers them.
    pub const ALL: [Self; 4] = [Self::Received, Self::Proxy, Self::NotReceived, Self::Undo];

    /// Parses the word a form or the API sends (surrounding spaces ignored, case kept).
    pub fn parse(word: &str) -> Option<Self> {
        let word = word.trim();
        Self::ALL.into_iter().find(|action| action.as_str() == word)
    }

    /// The word a form or the API sends for it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Received => "received",
            Self::Proxy => "proxy",
            Self::NotReceived => "not_received",
            Self::Undo => "undo",
        }
    }
}

/// Records `what` for every entry in `entry_ids`, all or nothing, in one transaction. Each
/// entry must exist, lie in the operator's units, stand on an approved list of a campaign
/// that is not closed, and be pending (or, for an undo, not pending). Returns the entries
/// as they are after the change.
pub async fn record_distribution<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    operator: &Operator,
    entry_ids: &[i32],
    what: &Distribution,
) -> AppResult<Vec<entry::Model>> {
    let ids: Vec<i32> = {
        let mut seen = HashSet::new();
        entry_ids
            .iter()
            .copied()
            .filter(|id| seen.insert(*id))
            .collect()
    };
    if ids.is_empty() {
        return Err(AppError::Invalid("Chưa chọn người nhận nào.".into()));
    }
    let what = check(what)?;
    let txn = begin_write(db).await?;
    let mut found = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        found.extend(
            entry::Entity::find()
                .filter(entry::Column::Id.is_in(chunk.iter().copied()))
                // A sector reviewer's gifts of other sectors are not found, as on the page.
                .filter(operator.scope.sector_condition())
                .order_by_asc(entry::Column::Id)
                .all(&txn)
                .await?,
        );
    }
    if found.len() != ids.len() {
        return Err(AppError::NotFound(
            "Không tìm thấy một số người nhận đã chọn.".into(),
        ));
    }
    for item in &found {
        operator.scope.ensure(item.ward_id)?;
    }
    check_lists_and_campaigns(&txn, &found).await?;
    for item in &found {
        let pending = item.status == EntryStatus::Pending;
        match (&what, pending) {
            (Distribution::Undo, true) => {
                return Err(AppError::Invalid(format!(
                    "Mục #{} chưa được ghi nhận nên không có gì để hoàn tác.",
                    item.id
                )));
            }
            (Distribution::Received { .. } | Distribution::NotReceived { .. }, false) => {
                return Err(AppError::Invalid(format!(
                    "Mục #{} đã được ghi nhận; hãy hoàn tác trước khi ghi lại.",
                    item.id
                )));
            }
            _ => {}
        }
    }

    let now = Utc::now();
    let (new_status, date, name, relationship, reason, note) = match &what {
        Distribution::Received { date, proxy } => (
            EntryStatus::Received,
            Some(*date),
            proxy.as_ref().map(|p| p.0.clone()),
            proxy.as_ref().map(|p| p.1.clone()),
            None,
            None,
        ),
        Distribution::NotReceived { reason, note } => (
            EntryStatus::NotReceived,
            None,
            None,
            None,
            Some(*reason),
            note.clone(),
        ),
        Distribution::Undo => (EntryStatus::Pending, None, None, None, None, None),
    };
    // Compare and set: each row changes only from the state it was read in. On PostgreSQL
    // two app servers may read the same pending entry at once; the second UPDATE waits for
    // the first one's row lock, then finds the entry no longer pending and changes nothing,
    // and that shortfall undoes the whole request instead of recording the gift twice.
    let mut changed = 0;
    for chunk in ids.chunks(500) {
        let from_state = match &what {
            Distribution::Undo => entry::Column::Status.ne(EntryStatus::Pending),
            _ => entry::Column::Status.eq(EntryStatus::Pending),
        };
        changed += entry::Entity::update_many()
            .col_expr(entry::Column::Status, Expr::value(new_status))
            .col_expr(entry::Column::ReceivedDate, Expr::value(date))
            .col_expr(entry::Column::ReceiverName, Expr::value(name.clone()))
            .col_expr(
                entry::Column::ReceiverRelationship,
                Expr::value(relationship.clone()),
            )
            .col_expr(entry::Column::NotReceivedReason, Expr::value(reason))
            .col_expr(entry::Column::DistributionNote, Expr::value(note.clone()))
            .col_expr(entry::Column::UpdatedAt, Expr::value(now))
            .filter(entry::Column::Id.is_in(chunk.iter().copied()))
            .filter(from_state)
            .exec(&txn)
            .await?
            .rows_affected;
    }
    if changed != ids.len() as u64 {
        return Err(AppError::Invalid(
            "Một số người nhận vừa được ghi nhận ở nơi khác cùng lúc; không có gì được ghi. \
             Hãy tải lại danh sách để xem tình trạng mới nhất."
                .into(),
        ));
    }
    update_people(&txn, &found, &what).await?;

    let mut after = Vec::with_capacity(found.len());
    for chunk in ids.chunks(500) {
        after.extend(
            entry::Entity::find()
                .filter(entry::Column::Id.is_in(chunk.iter().copied()))
                .order_by_asc(entry::Column::Id)
                .all(&txn)
                .await?,
        );
    }
    let action = match &what {
        Distribution::Received { .. } => "distribution.received",
        Distribution::NotReceived { .. } => "distribution.not_received",
        Distribution::Undo => "distribution.undo",
    };
    // One audit event per entry, written in batches: marking a whole ward stays a handful
    // of statements.
    let events: Vec<audit_event::ActiveModel> = found
        .iter()
        .zip(&after)
        .map(|(before, now_state)| audit_event::ActiveModel {
            actor_user_id: Set(operator.actor.user_id),
            actor_name: Set(operator.actor.name.clone()),
            unit_id: Set(Some(before.ward_id)),
            action: Set(action.to_owned()),
            entity_type: Set("entry".to_owned()),
            entity_id: Set(Some(before.id.to_string())),
            before_json: Set(serde_json::to_string(before).ok()),
            after_json: Set(serde_json::to_string(now_state).ok()),
            created_at: Set(now),
            ..Default::default()
        })
        .collect();
    for chunk in events.chunks(500) {
        audit_event::Entity::insert_many(chunk.iter().cloned())
            .exec_without_returning(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(after)
}

/// Validates and tidies the request: names trimmed, a proxy needs both name and relationship.
fn check(what: &Distribution) -> AppResult<Distribution> {
    let clean = |text: &str| crate::vn::text::normalize(text);
    Ok(match what {
        Distribution::Received { date, proxy } => {
            let proxy = match proxy {
                None => None,
                Some((name, relationship)) => {
                    let (name, relationship) = (clean(name), clean(relationship));
                    if name.is_empty() || relationship.is_empty() {
                        return Err(AppError::Invalid(
                            "Nhận thay cần ghi cả họ tên người nhận thay và quan hệ với người \
                             được nhận quà."
                                .into(),
                        ));
                    }
                    Some((name, relationship))
                }
            };
            Distribution::Received { date: *date, proxy }
        }
        Distribution::NotReceived { reason, note } => Distribution::NotReceived {
            reason: *reason,
            note: note.as_deref().map(clean).filter(|n| !n.is_empty()),
        },
        Distribution::Undo => Distribution::Undo,
    })
}

/// Distribution happens on approved lists of campaigns that are not closed.
async fn check_lists_and_campaigns(
    db: &impl ConnectionTrait,
    entries: &[entry::Model],
) -> AppResult<()> {
    let list_ids: HashSet<i32> = entries.iter().map(|e| e.ward_list_id).collect();
    let lists = ward_list::Entity::find()
        .filter(ward_list::Column::Id.is_in(list_ids))
        .all(db)
        .await?;
    if lists.iter().any(|l| l.status != ListStatus::Approved) {
        return Err(AppError::Invalid(
            "Chỉ ghi nhận cấp phát trên danh sách đã được quận duyệt.".into(),
        ));
    }
    let campaign_ids: HashSet<i32> = entries.iter().map(|e| e.campaign_id).collect();
    let closed = campaign::Entity::find()
        .filter(campaign::Column::Id.is_in(campaign_ids))
        .filter(campaign::Column::Status.eq(CampaignStatus::Closed))
        .one(db)
        .await?;
    if let Some(campaign) = closed {
        return Err(AppError::Invalid(format!(
            "Đợt quà “{}” đã kết thúc: không thể ghi nhận cấp phát nữa.",
            campaign.title
        )));
    }
    Ok(())
}

/// Deceased or moved marks the person; undoing that (or any undo of those reasons) makes
/// them active again.
async fn update_people(
    db: &impl ConnectionTrait,
    entries: &[entry::Model],
    what: &Distribution,
) -> AppResult<()> {
    let now = Utc::now();
    let mut by_status: HashMap<PersonStatus, Vec<i32>> = HashMap::new();
    match what {
        Distribution::NotReceived { reason, .. } => {
            if let Some(person_status) = reason.person_status() {
                by_status
                    .entry(person_status)
                    .or_default()
                    .extend(entries.iter().map(|e| e.person_id));
            }
        }
        Distribution::Undo => {
            let restored = entries.iter().filter(|e| {
                e.not_received_reason
                    .is_some_and(|r| r.person_status().is_some())
            });
            by_status
                .entry(PersonStatus::Active)
                .or_default()
                .extend(restored.map(|e| e.person_id));
        }
        Distribution::Received { .. } => {}
    }
    for (person_status, ids) in by_status {
        if ids.is_empty() {
            continue;
        }
        for chunk in ids.chunks(500) {
            person::Entity::update_many()
                .col_expr(person::Column::Status, Expr::value(person_status))
                .col_expr(person::Column::UpdatedAt, Expr::value(now))
                .filter(person::Column::Id.is_in(chunk.iter().copied()))
                .exec(db)
                .await?;
        }
    }
    Ok(())
}

/// The pending entries of a ward in a campaign (optionally of one program), for marking a
/// whole ward at once.
pub async fn pending_entry_ids(
    db: &impl ConnectionTrait,
    campaign_id: i32,
    ward_id: i32,
    program_id: Option<i32>,
) -> AppResult<Vec<i32>> {
    let mut query = entry::Entity::find()
        .select_only()
        .column(entry::Column::Id)
        .filter(entry::Column::CampaignId.eq(campaign_id))
        .filter(entry::Column::WardId.eq(ward_id))
        .filter(entry::Column::Status.eq(EntryStatus::Pending));
    if let Some(program_id) = program_id {
        query = query.filter(entry::Column::ProgramId.eq(program_id));
    }
    Ok(query
        .order_by_asc(entry::Column::Id)
        .into_tuple::<i32>()
        .all(db)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::DistributionAction;

    #[test]
    fn each_action_parses_from_its_own_word_only() {
        for action in DistributionAction::ALL {
            assert_eq!(DistributionAction::parse(action.as_str()), Some(action));
            assert_eq!(
                DistributionAction::parse(&format!(" {} ", action.as_str())),
                Some(action)
            );
        }
        for word in ["", "Received", "not received", "cancel"] {
            assert_eq!(DistributionAction::parse(word), None, "{word}");
        }
    }
}
