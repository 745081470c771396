//! One transfer list as it was made: its program, ward, size and total.

use sea_orm::entity::prelude::*;
use serde::Serialize;

/// One transfer list as it was made: its program, ward, size and total.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "payment_batches")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub campaign_id: i32,
    pub program_id: i32,
    pub ward_id: Option<i32>,
    pub entry_count: i32,
    pub total_amount: i64,
    pub created_by: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
