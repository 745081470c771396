//! One line of unit lineage: an old unit went, whole or in part, to a new one on a given day.

use sea_orm::entity::prelude::*;
use serde::Serialize;

/// One line of unit lineage: an old unit went, whole or in part, to a new one on a given day.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "unit_lineage")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub predecessor_id: i32,
    pub successor_id: i32,
    pub whole: bool,
    pub effective_on: Date,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
