//! What moving a ward's list along will do, said before it is done: the confirmation step of
//! submitting, approving and reopening states the gifts concerned, the gifts already handed
//! out, and (before approving) the open duplicates and the rows the ward's files had problems
//! with; before a duplicate decision that drops one side, the gifts that go with it; and
//! before a campaign is locked, closed or opened again, the lists and gifts that it touches.
//! Nothing here changes anything; `ward_lists::transition_list`,
//! `duplicates::decide_duplicate` and `campaigns::set_campaign_status` do, and still check.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::domain::duplicates::{DuplicatePair, Evidence, find_ward_duplicates};
use crate::domain::list_entries::list_statuses;
use crate::domain::operator::Operator;
use crate::domain::pairs_copy::PairsCopy;
use crate::domain::progress::{list_tally, ward_tallies};
use crate::domain::ward_lists::ListAction;
use crate::entities::states::{CampaignStatus, ListStatus};
use crate::entities::{campaign, entry, import_batch, ward_list};
use crate::error::{AppError, AppResult};

/// The figures a confirmation states.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TransitionPreview {
    /// Gifts on the list.
    pub gifts: i64,
    /// Their total, in đồng.
    pub amount: i64,
    /// Gifts already recorded as handed out.
    pub received: i64,
    /// Gifts recorded as not received.
    pub not_received: i64,
    /// Possible duplicates involving this ward not yet decided (counted before approving).
    pub open_duplicates: usize,
    /// Rows of the ward's imported files left out because of errors.
    pub rejected_rows: i64,
    /// Rows of the ward's imported files marked as possible duplicates when imported.
    pub duplicate_rows: i64,
}

/// The figures for `action` on `list` of the ward `ward_id`; the operator's right to see the
/// ward has been checked by the caller (the page loading the list).
pub async fn preview_transition(
    db: &impl ConnectionTrait,
    copy: &PairsCopy,
    operator: &Operator,
    campaign: &campaign::Model,
    list: &ward_list::Model,
    action: ListAction,
) -> AppResult<TransitionPreview> {
    operator.scope.ensure(list.ward_id)?;
    let tally = list_tally(db, &operator.scope, campaign.id, list.ward_id, list.id).await?;
    let mut preview = TransitionPreview {
        gifts: tally.planned_people,
        amount: tally.planned_amount,
        received: tally.received_people,
        not_received: tally.not_received_people,
        ..TransitionPreview::default()
    };
    if action == ListAction::Approve {
        preview.open_duplicates = find_ward_duplicates(db, copy, operator, campaign, list.ward_id)
            .await?
            .iter()
            .filter(|p| p.decision.is_none())
            .count();
        for batch in import_batch::Entity::find()
            .filter(import_batch::Column::WardListId.eq(list.id))
            .all(db)
            .await?
        {
            preview.rejected_rows += i64::from(batch.rejected);
            preview.duplicate_rows += i64::from(batch.duplicates);
        }
    }
    Ok(preview)
}

/// How many gifts keeping one side of `pair` removes with the other (`removed_entry_id`):
/// the same recipient listed twice loses every gift of that listing (same person, category
/// and list, in any program), as `decide_duplicate` does; two members of one household lose
/// only the household gift.
pub async fn gifts_removed_with(
    db: &impl ConnectionTrait,
    pair: &DuplicatePair,
    removed_entry_id: i32,
) -> AppResult<u64> {
    let same_recipient = pair.evidence.iter().any(|e| *e != Evidence::SameHousehold);
    let Some(removed) = entry::Entity::find_by_id(removed_entry_id).one(db).await? else {
        return Ok(0);
    };
    if !same_recipient {
        return Ok(1);
    }
    Ok(entry::Entity::find()
        .filter(entry::Column::WardListId.eq(removed.ward_list_id))
        .filter(entry::Column::PersonId.eq(removed.person_id))
        .filter(entry::Column::CategoryId.eq(removed.category_id))
        .count(db)
        .await?)
}

/// The figures a campaign's lock, close or reopen confirmation states, over the wards the
/// operator serves.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CampaignStatusPreview {
    /// Lists the wards are still writing (draft or returned to them).
    pub lists_in_progress: usize,
    /// Lists waiting for approval.
    pub lists_submitted: usize,
    /// Lists approved.
    pub lists_approved: usize,
    /// Gifts on all lists.
    pub gifts: i64,
    /// Their total, in đồng.
    pub amount: i64,
    /// Gifts recorded as handed out.
    pub received: i64,
    /// Gifts recorded as not received.
    pub not_received: i64,
    /// Gifts with nothing recorded yet.
    pub remaining: i64,
}

/// The figures for moving `campaign` to `status`, for the operator who runs it; the same
/// status it already has is refused, as there is nothing to confirm.
pub async fn preview_campaign_status(
    db: &impl ConnectionTrait,
    operator: &Operator,
    campaign: &campaign::Model,
    status: CampaignStatus,
) -> AppResult<CampaignStatusPreview> {
    operator.ensure_manages(campaign)?;
    if campaign.status == status {
        return Err(AppError::Invalid(format!(
            "Đợt quà “{}” đã ở trạng thái “{}”.",
            campaign.title,
            status.label()
        )));
    }
    let mut preview = CampaignStatusPreview::default();
    for list_status in list_statuses(db, &operator.scope, campaign.id)
        .await?
        .values()
    {
        match list_status {
            ListStatus::Draft | ListStatus::Returned => preview.lists_in_progress += 1,
            ListStatus::Submitted => preview.lists_submitted += 1,
            ListStatus::Approved => preview.lists_approved += 1,
        }
    }
    for tally in ward_tallies(db, &operator.scope, campaign.id)
        .await?
        .values()
    {
        preview.gifts += tally.planned_people;
        preview.amount += tally.planned_amount;
        preview.received += tally.received_people;
        preview.not_received += tally.not_received_people;
        preview.remaining += tally.remaining_people;
    }
    Ok(preview)
}
