//! A supervisor's decision on two entries that may name the same recipient.

use sea_orm::entity::prelude::*;
use serde::Serialize;

use super::states::DuplicateDecision;

/// A supervisor's decision on two entries that may name the same recipient.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "duplicate_decisions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub campaign_id: i32,
    pub entry_a_id: i32,
    pub entry_b_id: i32,
    pub decision: DuplicateDecision,
    pub note: Option<String>,
    pub decided_by: Option<i32>,
    pub decided_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
