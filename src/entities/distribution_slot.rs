//! A time slot at a distribution point: a day and a wall-clock range in Vietnam time.

use sea_orm::entity::prelude::*;
use serde::Serialize;

/// A time slot at a distribution point: a day and a wall-clock range in Vietnam time.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "distribution_slots")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub point_id: i32,
    pub day: Date,
    pub starts_at: String,
    pub ends_at: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
