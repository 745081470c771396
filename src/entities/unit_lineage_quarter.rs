//! Which khu phố of an old unit that was split went to which new unit.

use sea_orm::entity::prelude::*;
use serde::Serialize;

/// Which khu phố of an old unit that was split went to which new unit.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "unit_lineage_quarters")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub predecessor_id: i32,
    pub quarter: String,
    pub quarter_key: String,
    pub successor_id: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
