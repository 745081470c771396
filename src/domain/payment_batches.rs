//! The transfer batches of a campaign after they were made: who may see which batch, where
//! each stands (transferred, failed, returned, awaiting the bank), and the batch's files
//! downloaded again exactly as they were first made (`payment_batch_files`).
//!
//! Who sees a batch: an administrator every one; a ward's officer only the batches made for
//! their own ward (never an all-wards batch, even one holding only their people); supervising
//! staff a batch whose every entry lies in their wards and, for a sector-limited reviewer,
//! in their sectors. The page, the API and the downloads all ask [`visible_batches`] or
//! [`batch_file`], so none can differ.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter,
    QueryOrder, QuerySelect, RelationDef, Set,
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::audit::{self, AuditEvent};
use crate::domain::operator::Operator;
use crate::domain::units::{all_units, display_name};
use crate::entities::payment_states::PaymentState;
use crate::entities::states::Role;
use crate::entities::{
    campaign, entry, gift_program, payment_batch, payment_batch_file, payment_item,
};
use crate::error::{AppError, AppResult};

/// What a batch list names for an all-wards batch.
pub const ALL_WARDS: &str = "Tất cả phường";

/// One transfer batch as the payments page and the API list it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BatchSummary {
    /// The batch's id (printed on the list: "đợt 12").
    pub id: i32,
    /// The program's id.
    pub program_id: i32,
    /// The program's name.
    pub program: String,
    /// The ward the list was made for; none for all wards.
    pub ward_id: Option<i32>,
    /// The ward's name, or "Tất cả phường".
    pub ward: String,
    /// Who made it.
    pub created_by: String,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// Transfers in it.
    pub entries: i64,
    /// Its total in đồng.
    pub total_amount: i64,
    /// Confirmed by the bank.
    pub transferred: i64,
    /// Failed.
    pub failed: i64,
    /// Returned.
    pub returned: i64,
    /// Sent, no result yet.
    pub awaiting: i64,
}

/// Which of a batch's files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchFileKind {
    /// The transfer list workbook.
    Xlsx,
    /// The rows as CSV for the bank's batch upload.
    Csv,
}

impl BatchFileKind {
    /// The file's extension.
    pub fn extension(self) -> &'static str {
        match self {
            BatchFileKind::Xlsx => "xlsx",
            BatchFileKind::Csv => "csv",
        }
    }
}

/// A batch's file, downloaded again.
pub struct BatchFile {
    /// ASCII: "chuyen-khoan-tet-2026-dot-12.xlsx".
    pub file_name: String,
    /// The bytes as first made.
    pub bytes: Vec<u8>,
}

/// Stores a batch's files; called by `payments::make_transfer_batch` inside its transaction.
pub(crate) async fn store_batch_files(
    txn: &impl ConnectionTrait,
    batch_id: i32,
    xlsx: &[u8],
    csv: &str,
) -> AppResult<()> {
    payment_batch_file::ActiveModel {
        batch_id: Set(batch_id),
        xlsx: Set(xlsx.to_vec()),
        csv: Set(csv.as_bytes().to_vec()),
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// The items of a campaign's batches counted per batch and state.
#[derive(Debug, FromQueryResult)]
struct ItemCount {
    batch_id: i32,
    state: PaymentState,
    items: i64,
}

/// Items per (batch, state) of `campaign_id`'s batches (one: `batch`), over every entry or,
/// with `visible_to`, over the entries that operator sees.
async fn item_counts(
    db: &impl ConnectionTrait,
    campaign_id: i32,
    batch: Option<i32>,
    visible_to: Option<&Operator>,
) -> AppResult<Vec<ItemCount>> {
    let items_to_entries: RelationDef = payment_item::Entity::belongs_to(entry::Entity)
        .from(payment_item::Column::EntryId)
        .to(entry::Column::Id)
        .into();
    let mut query = payment_item::Entity::find()
        .select_only()
        .column(payment_item::Column::BatchId)
        .column(payment_item::Column::State)
        .column_as(
            Expr::col((payment_item::Entity, payment_item::Column::Id))
                .count()
                .cast_as("BIGINT"),
            "items",
        )
        .join(sea_orm::JoinType::InnerJoin, items_to_entries)
        .filter(entry::Column::CampaignId.eq(campaign_id))
        .group_by(payment_item::Column::BatchId)
        .group_by(payment_item::Column::State);
    if let Some(id) = batch {
        query = query.filter(payment_item::Column::BatchId.eq(id));
    }
    if let Some(operator) = visible_to {
        query = query.filter(operator.scope.entry_condition());
    }
    Ok(query.into_model::<ItemCount>().all(db).await?)
}

/// Whether the operator may see `batch`, given how many of its items there are and how many
/// of them lie in the operator's wards and sectors (see the module's documentation).
fn may_see(operator: &Operator, batch: &payment_batch::Model, items: i64, visible: i64) -> bool {
    match operator.role {
        Role::Admin => true,
        Role::Ward => batch
            .ward_id
            .is_some_and(|ward| operator.scope.allows(ward)),
        Role::District => {
            batch.ward_id.is_none_or(|ward| operator.scope.allows(ward)) && visible == items
        }
    }
}

/// The batches of `campaign` the operator may see, newest first, with where their
/// transfers stand.
pub async fn visible_batches(
    db: &impl ConnectionTrait,
    operator: &Operator,
    campaign: &campaign::Model,
) -> AppResult<Vec<BatchSummary>> {
    let batches = payment_batch::Entity::find()
        .filter(payment_batch::Column::CampaignId.eq(campaign.id))
        .order_by_desc(payment_batch::Column::Id)
        .all(db)
        .await?;
    if batches.is_empty() {
        return Ok(Vec::new());
    }
    summarise(db, operator, campaign, batches, None).await
}

/// `batches` (all of `campaign`, or the one `only`) summarised, keeping those the operator
/// may see.
async fn summarise(
    db: &impl ConnectionTrait,
    operator: &Operator,
    campaign: &campaign::Model,
    batches: Vec<payment_batch::Model>,
    only: Option<i32>,
) -> AppResult<Vec<BatchSummary>> {
    let mut states: HashMap<i32, HashMap<PaymentState, i64>> = HashMap::new();
    for count in item_counts(db, campaign.id, only, None).await? {
        *states
            .entry(count.batch_id)
            .or_default()
            .entry(count.state)
            .or_default() += count.items;
    }
    let mut visible: HashMap<i32, i64> = HashMap::new();
    if operator.role == Role::District {
        for count in item_counts(db, campaign.id, only, Some(operator)).await? {
            *visible.entry(count.batch_id).or_default() += count.items;
        }
    }
    let programs: HashMap<i32, String> = gift_program::Entity::find()
        .filter(gift_program::Column::CampaignId.eq(campaign.id))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let units = all_units(db).await?;
    Ok(batches
        .into_iter()
        .filter_map(|batch| {
            let by_state = states.remove(&batch.id).unwrap_or_default();
            let items: i64 = by_state.values().sum();
            let seen = visible.get(&batch.id).copied().unwrap_or(0);
            if !may_see(operator, &batch, items, seen) {
                return None;
            }
            let of = |state| by_state.get(&state).copied().unwrap_or(0);
            Some(BatchSummary {
                id: batch.id,
                program_id: batch.program_id,
                program: programs.get(&batch.program_id).cloned().unwrap_or_default(),
                ward_id: batch.ward_id,
                ward: batch.ward_id.map_or_else(
                    || ALL_WARDS.to_owned(),
                    |id| {
                        units
                            .iter()
                            .find(|u| u.id == id)
                            .map(display_name)
                            .unwrap_or_default()
                    },
                ),
                created_by: batch.created_by,
                created_at: batch.created_at,
                entries: items,
                total_amount: batch.total_amount,
                transferred: of(PaymentState::Transferred),
                failed: of(PaymentState::Failed),
                returned: of(PaymentState::Returned),
                awaiting: of(PaymentState::Sent),
            })
        })
        .collect())
}

/// One batch of `campaign` the operator may see; 404 for any other (a batch outside the
/// operator's wards or sectors is not revealed to exist).
pub async fn visible_batch(
    db: &impl ConnectionTrait,
    operator: &Operator,
    campaign: &campaign::Model,
    batch_id: i32,
) -> AppResult<BatchSummary> {
    let not_found =
        || AppError::NotFound(format!("Không tìm thấy đợt chuyển khoản số {batch_id}."));
    let batch = payment_batch::Entity::find_by_id(batch_id)
        .filter(payment_batch::Column::CampaignId.eq(campaign.id))
        .one(db)
        .await?
        .ok_or_else(not_found)?;
    summarise(db, operator, campaign, vec![batch], Some(batch_id))
        .await?
        .pop()
        .ok_or_else(not_found)
}

/// A batch's workbook or CSV exactly as first made, for an operator who may see the batch;
/// audited as an export (`export.transfer_batch`).
pub async fn batch_file(
    db: &impl ConnectionTrait,
    operator: &Operator,
    campaign: &campaign::Model,
    batch_id: i32,
    kind: BatchFileKind,
) -> AppResult<BatchFile> {
    let batch = visible_batch(db, operator, campaign, batch_id).await?;
    let files = payment_batch_file::Entity::find_by_id(batch_id)
        .one(db)
        .await?
        .ok_or_else(|| {
            AppError::NotFound(format!(
                "Đợt chuyển khoản số {batch_id} được lập trước khi hệ thống lưu tệp; hãy dùng tệp đã tải về lúc lập."
            ))
        })?;
    let bytes = match kind {
        BatchFileKind::Xlsx => files.xlsx,
        BatchFileKind::Csv => files.csv,
    };
    let file_name = batch_file_name(campaign, batch_id, kind);
    audit::record::<(), _>(
        db,
        &operator.actor,
        AuditEvent {
            action: "export.transfer_batch",
            entity_type: "payment_batch",
            entity_id: Some(batch_id.to_string()),
            unit_id: Some(batch.ward_id.unwrap_or(campaign.unit_id)),
        },
        None,
        Some(&serde_json::json!({
            "file_name": file_name,
            "entries": batch.entries,
        })),
    )
    .await?;
    Ok(BatchFile { file_name, bytes })
}

/// The name a batch's file downloads under: "chuyen-khoan-tet-2026-dot-12.xlsx".
pub fn batch_file_name(campaign: &campaign::Model, batch_id: i32, kind: BatchFileKind) -> String {
    format!(
        "chuyen-khoan-{}-dot-{batch_id}.{}",
        campaign.slug,
        kind.extension()
    )
}
