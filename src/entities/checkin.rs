//! A gift checked in by code (at a point or on a home visit): who recorded it, when, where.

use sea_orm::entity::prelude::*;
use serde::Serialize;

/// A gift checked in by code (at a point or on a home visit): who recorded it, when, where.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "checkins")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub entry_id: i32,
    pub client_key: Option<String>,
    pub point_name: Option<String>,
    pub recorded_by_user_id: Option<i32>,
    pub recorded_by: String,
    pub recorded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
