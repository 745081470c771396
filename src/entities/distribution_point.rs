//! A place where a ward hands gifts out on distribution day.

use sea_orm::entity::prelude::*;
use serde::Serialize;

/// A place where a ward hands gifts out on distribution day.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "distribution_points")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub campaign_id: i32,
    pub ward_id: i32,
    pub name: String,
    pub address: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
