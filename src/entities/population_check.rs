//! The counts of a ward's latest population check; kept after the extract is deleted.

use sea_orm::entity::prelude::*;
use serde::Serialize;

/// The counts of a ward's latest population check.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "population_checks")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub campaign_id: i32,
    pub ward_id: i32,
    pub checked: i32,
    pub matched: i32,
    pub probable: i32,
    pub checked_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
