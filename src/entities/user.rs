//! An account: admin, district staff or ward officer, attached to one unit.

use sea_orm::entity::prelude::*;
use serde::Serialize;

use super::states::Role;

/// An account: admin, district staff or ward officer, attached to one unit.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub username: String,
    #[serde(skip)]
    pub password_hash: String,
    pub full_name: Option<String>,
    pub role: Role,
    pub unit_id: Option<i32>,
    pub active: bool,
    pub password_changed_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
