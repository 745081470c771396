//! Ward lists and their approval: draft → submitted (by the ward) → approved and locked, or
//! returned with a comment (by the district); an approved list changes only after the district
//! reopens it. Every transition checks the role and the unit of whoever acts and is audited.
//! A reviewer limited to sectors approves their sectors' part; the list is approved when every
//! sector it holds is (see `domain::sector_approvals`).

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QuerySelect, TransactionSession, TransactionTrait,
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::write_txn::begin_write;
use crate::domain::approvers::ensure_approves;
use crate::domain::audit::{self, AuditEvent};
use crate::domain::campaigns::ensure_campaign_open;
use crate::domain::gift_planning::compute_program_entries;
use crate::domain::operator::Operator;
use crate::domain::sector_approvals::{approve_sectors, clear_sector_approvals};
use crate::domain::units::{all_units, display_name};
use crate::entities::states::{ListStatus, Role};
use crate::entities::{campaign, entry, gift_program, ward_list};
use crate::error::{AppError, AppResult};

/// A step of the approval flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListAction {
    /// The ward sends its list up (from draft or returned).
    Submit,
    /// The district approves a submitted list, locking it.
    Approve,
    /// The district sends a submitted list back with a comment.
    Return,
    /// The district reopens an approved list so it can be changed again (back to draft).
    Reopen,
}

impl ListAction {
    /// Parses `submit`, `approve`, `return` or `reopen`.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "submit" => Some(Self::Submit),
            "approve" => Some(Self::Approve),
            "return" => Some(Self::Return),
            "reopen" => Some(Self::Reopen),
            _ => None,
        }
    }

    /// The name used in URLs, commands and the audit log.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Submit => "submit",
            Self::Approve => "approve",
            Self::Return => "return",
            Self::Reopen => "reopen",
        }
    }

    /// The statuses the action starts from, and where it leads.
    fn moves(self) -> (&'static [ListStatus], ListStatus) {
        use ListStatus::*;
        match self {
            Self::Submit => (&[Draft, Returned], Submitted),
            Self::Approve => (&[Submitted], Approved),
            Self::Return => (&[Submitted], Returned),
            Self::Reopen => (&[Approved], Draft),
        }
    }

    fn roles(self) -> &'static [Role] {
        match self {
            // District staff may submit for a ward whose list they typed in themselves.
            Self::Submit => &[Role::Admin, Role::District, Role::Ward],
            Self::Approve | Self::Return | Self::Reopen => &[Role::Admin, Role::District],
        }
    }
}

/// Applies `action` to the list of `ward_id` in `campaign`, after checking the operator's
/// role and units, the campaign's and the list's state; audited with before and after.
/// A return needs a comment; the comment of other actions is optional.
pub async fn transition_list<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    operator: &Operator,
    campaign: &campaign::Model,
    ward_id: i32,
    action: ListAction,
    comment: Option<&str>,
) -> AppResult<ward_list::Model> {
    operator.require_role(action.roles())?;
    operator.scope.ensure(ward_id)?;
    if action != ListAction::Submit {
        // The campaign's unit decides who approves: a ward's own campaign its leader, a
        // city's campaign the city's reviewers.
        ensure_approves(operator, campaign)?;
    }
    ensure_campaign_open(campaign)?;
    let comment = comment
        .map(crate::vn::text::normalize)
        .filter(|text| !text.is_empty());
    if action == ListAction::Return && comment.is_none() {
        return Err(AppError::Invalid(
            "Hãy ghi lý do trả lại danh sách để phường biết cần sửa gì.".into(),
        ));
    }
    let txn = begin_write(db).await?;
    let list = ward_list::Entity::find()
        .filter(ward_list::Column::CampaignId.eq(campaign.id))
        .filter(ward_list::Column::WardId.eq(ward_id))
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::NotFound("Phường này chưa có danh sách trong đợt quà.".into()))?;
    let current = list.status;
    let (from, to) = action.moves();
    if !from.contains(&current) {
        return Err(AppError::Invalid(format!(
            "Không thể {} danh sách đang ở trạng thái “{}”.",
            action_verb(action),
            current.label()
        )));
    }
    if action == ListAction::Reopen && operator.scope.sectors().is_some() {
        return Err(AppError::Forbidden(
            "Mở lại danh sách đã duyệt mở khóa mọi lĩnh vực: chỉ quản trị viên hoặc cán bộ \
             giám sát mọi lĩnh vực mới làm được."
                .into(),
        ));
    }
    if action == ListAction::Approve
        && let Some(sectors) = operator.scope.sectors()
    {
        let outcome = approve_sectors(&txn, operator, &list, sectors).await?;
        if !outcome.waiting.is_empty() {
            // The reviewer's part is approved; the list waits for the other sectors.
            audit::record(
                &txn,
                &operator.actor,
                AuditEvent {
                    action: "list.approve_sector",
                    entity_type: "ward_list",
                    entity_id: Some(list.id.to_string()),
                    unit_id: Some(ward_id),
                },
                None::<&()>,
                Some(&serde_json::json!({
                    "approved": outcome.approved_now,
                    "waiting": outcome.waiting,
                })),
            )
            .await?;
            txn.commit().await?;
            return Ok(list);
        }
    }
    if matches!(
        action,
        ListAction::Submit | ListAction::Return | ListAction::Reopen
    ) {
        clear_sector_approvals(&txn, list.id).await?;
    }
    if action == ListAction::Submit {
        let count = entry::Entity::find()
            .filter(entry::Column::WardListId.eq(list.id))
            .select_only()
            .column_as(entry::Column::Id.count(), "n")
            .into_tuple::<i64>()
            .one(&txn)
            .await?
            .unwrap_or(0);
        if count == 0 {
            return Err(AppError::Invalid(
                "Danh sách chưa có người nhận nào: hãy nhập danh sách trước khi gửi.".into(),
            ));
        }
        crate::domain::population_check::ensure_no_open_stops(&txn, campaign.id, ward_id).await?;
    }
    let now = Utc::now();
    let mut update = ward_list::Entity::update_many()
        .col_expr(ward_list::Column::Status, Expr::value(to))
        .col_expr(ward_list::Column::UpdatedAt, Expr::value(now))
        .col_expr(ward_list::Column::Comment, Expr::value(comment.clone()));
    update = match action {
        ListAction::Submit => update
            .col_expr(ward_list::Column::SubmittedAt, Expr::value(now))
            .col_expr(
                ward_list::Column::SubmittedBy,
                Expr::value(operator.actor.user_id),
            ),
        _ => update
            .col_expr(ward_list::Column::DecidedAt, Expr::value(now))
            .col_expr(
                ward_list::Column::DecidedBy,
                Expr::value(operator.actor.user_id),
            ),
    };
    // The status in the filter makes two concurrent transitions of one list safe: the
    // second finds nothing to update.
    let done = update
        .filter(ward_list::Column::Id.eq(list.id))
        .filter(ward_list::Column::Status.eq(list.status))
        .exec(&txn)
        .await?;
    if done.rows_affected != 1 {
        return Err(AppError::Invalid(
            "Danh sách vừa được người khác thay đổi; hãy tải lại và thử lại.".into(),
        ));
    }
    let updated = ward_list::Entity::find_by_id(list.id)
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::NotFound("Không tìm thấy danh sách.".into()))?;
    audit::record(
        &txn,
        &operator.actor,
        AuditEvent {
            action: &format!("list.{}", action.as_str()),
            entity_type: "ward_list",
            entity_id: Some(list.id.to_string()),
            unit_id: Some(ward_id),
        },
        Some(&list),
        Some(&updated),
    )
    .await?;
    if action == ListAction::Approve {
        // The resident extract was kept only for the check before approval.
        crate::domain::population_check::delete_extract(
            &txn,
            &operator.actor,
            campaign.id,
            ward_id,
            "approved",
        )
        .await?;
    }
    if action == ListAction::Reopen {
        // A program added while the list was approved gave it nothing (locked lists are left
        // alone); reopened, the list takes the campaign's programs as the others have them.
        let programs = gift_program::Entity::find()
            .filter(gift_program::Column::CampaignId.eq(campaign.id))
            .filter(gift_program::Column::UseFileAmounts.eq(false))
            .all(&txn)
            .await?;
        for program in programs {
            compute_program_entries(&txn, program.id).await?;
        }
    }
    txn.commit().await?;
    Ok(updated)
}

fn action_verb(action: ListAction) -> &'static str {
    match action {
        ListAction::Submit => "gửi",
        ListAction::Approve => "duyệt",
        ListAction::Return => "trả lại",
        ListAction::Reopen => "mở lại",
    }
}

/// Refuses changes to a list's people or amounts unless it can take them: its campaign is
/// open and the list is a draft or was returned. A submitted list waits for the district's
/// decision; an approved one changes only after the district reopens it. Import and editing
/// code calls this before writing; it returns the list.
pub async fn ensure_list_editable(
    db: &impl ConnectionTrait,
    ward_list_id: i32,
) -> AppResult<ward_list::Model> {
    let list = ward_list::Entity::find_by_id(ward_list_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound("Không tìm thấy danh sách.".into()))?;
    let campaign = campaign::Entity::find_by_id(list.campaign_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound("Không tìm thấy đợt quà.".into()))?;
    ensure_campaign_open(&campaign)?;
    ensure_status_editable(&list)?;
    Ok(list)
}

/// The state part of [`ensure_list_editable`], for callers that already hold the list.
pub fn ensure_status_editable(list: &ward_list::Model) -> AppResult<()> {
    match list.status {
        ListStatus::Approved => Err(AppError::Invalid(
            "Danh sách đã được duyệt và khóa; cần quận mở lại trước khi thay đổi.".into(),
        )),
        ListStatus::Submitted => Err(AppError::Invalid(
            "Danh sách đã gửi lên quận và đang chờ duyệt; không thể thay đổi lúc này.".into(),
        )),
        ListStatus::Draft | ListStatus::Returned => Ok(()),
    }
}

/// One ward's list in a campaign, with how many gifts and how much money it holds.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WardListSummary {
    /// The list's id.
    pub id: i32,
    /// The ward's id.
    pub ward_id: i32,
    /// The ward's code.
    pub ward_code: String,
    /// The ward's official name.
    pub ward_name: String,
    /// draft, submitted, approved or returned.
    pub status: ListStatus,
    /// The status in Vietnamese.
    pub status_label: String,
    /// The district's comment (why it was returned or reopened).
    pub comment: Option<String>,
    /// The number of gifts (entries) on the list.
    pub entries: i64,
    /// Their total cash, in đồng.
    pub amount: i64,
    /// When the ward last submitted it.
    pub submitted_at: Option<chrono::DateTime<Utc>>,
    /// When the district last decided on it.
    pub decided_at: Option<chrono::DateTime<Utc>>,
}

#[derive(FromQueryResult)]
struct ListTotals {
    ward_list_id: i32,
    entries: i64,
    amount: Option<i64>,
}

/// The lists of a campaign in the operator's units, by ward name, with their totals (two
/// queries: the lists, and one aggregate over their entries).
pub async fn list_ward_lists(
    db: &impl ConnectionTrait,
    operator: &Operator,
    campaign: &campaign::Model,
) -> AppResult<Vec<WardListSummary>> {
    let lists = ward_list::Entity::find()
        .filter(ward_list::Column::CampaignId.eq(campaign.id))
        .filter(operator.scope.condition(ward_list::Column::WardId))
        .order_by_asc(ward_list::Column::Id)
        .all(db)
        .await?;
    let totals: HashMap<i32, ListTotals> = entry::Entity::find()
        .select_only()
        .column(entry::Column::WardListId)
        .column_as(entry::Column::Id.count(), "entries")
        .column_as(sum_bigint(entry::Column::Amount), "amount")
        .filter(entry::Column::CampaignId.eq(campaign.id))
        .filter(operator.scope.entry_condition())
        .group_by(entry::Column::WardListId)
        .into_model::<ListTotals>()
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.ward_list_id, row))
        .collect();
    let units = all_units(db).await?;
    let mut rows: Vec<WardListSummary> = lists
        .into_iter()
        .map(|list| {
            let unit = units.iter().find(|unit| unit.id == list.ward_id);
            let status = list.status;
            let total = totals.get(&list.id);
            WardListSummary {
                id: list.id,
                ward_id: list.ward_id,
                ward_code: unit.map(|u| u.code.clone()).unwrap_or_default(),
                ward_name: unit.map(display_name).unwrap_or_default(),
                status,
                status_label: status.label().to_owned(),
                comment: list.comment,
                entries: total.map_or(0, |t| t.entries),
                amount: total.and_then(|t| t.amount).unwrap_or(0),
                submitted_at: list.submitted_at,
                decided_at: list.decided_at,
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        crate::vn::text::fold_key(&a.ward_name).cmp(&crate::vn::text::fold_key(&b.ward_name))
    });
    Ok(rows)
}

/// `SUM(column)` cast back to a 64-bit integer: PostgreSQL sums BIGINT into NUMERIC, which
/// would not decode as `i64`; the cast is standard SQL and a no-op on SQLite.
pub fn sum_bigint<C: ColumnTrait>(column: C) -> Expr {
    column.sum().cast_as("BIGINT")
}
