//! One gift of one program to one recipient, with its distribution state.

use sea_orm::entity::prelude::*;
use serde::Serialize;

use super::states::{EntryStatus, NotReceivedReason};

/// One gift of one program to one recipient, with its distribution state.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "entries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub campaign_id: i32,
    pub ward_list_id: i32,
    pub ward_id: i32,
    /// The pre-merger ward the row named, when it differs from `ward_id` ("Phường cũ").
    pub former_ward_id: Option<i32>,
    pub program_id: i32,
    pub person_id: i32,
    pub household_id: Option<i32>,
    pub category_id: i32,
    pub amount: i64,
    pub file_amount: Option<i64>,
    pub status: EntryStatus,
    pub received_date: Option<Date>,
    pub receiver_name: Option<String>,
    pub receiver_relationship: Option<String>,
    pub not_received_reason: Option<NotReceivedReason>,
    pub distribution_note: Option<String>,
    pub note: Option<String>,
    pub import_batch_id: Option<i32>,
    pub source_row: Option<i32>,
    /// The person's `name_key` with "đ" folded to "d", what the list search compares; kept
    /// by triggers (migration `m20261207_110001_entry_name_key`), so writers leave it unset.
    #[serde(skip)]
    pub name_key: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
