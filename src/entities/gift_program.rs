//! A gift program of a campaign with its funding source and rules.

use sea_orm::entity::prelude::*;
use serde::Serialize;

use super::payment_states::PaymentMethod;
use super::states::FundingSource;

/// A gift program of a campaign with its funding source and rules.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "gift_programs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub campaign_id: i32,
    pub name: String,
    pub funding_source: FundingSource,
    pub sponsor_name: Option<String>,
    pub goods_description: Option<String>,
    pub goods_quantity: Option<i32>,
    pub one_per_person: bool,
    pub one_per_household: bool,
    pub use_file_amounts: bool,
    pub payment_method: PaymentMethod,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
