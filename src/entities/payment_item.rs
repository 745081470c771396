//! One entry sent for transfer in a batch, and what the bank answered.

use sea_orm::entity::prelude::*;
use serde::Serialize;

use super::payment_states::PaymentState;

/// One entry sent for transfer in a batch, and what the bank answered.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "payment_items")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub entry_id: i32,
    pub batch_id: i32,
    pub amount: i64,
    pub state: PaymentState,
    pub paid_on: Option<Date>,
    pub reason: Option<String>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
