//! A household on the ward's poverty register: code (mã hộ), head and size.

use sea_orm::entity::prelude::*;
use serde::Serialize;

/// A household on the ward's poverty register: code (mã hộ), head and size.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "households")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub ward_id: i32,
    pub code: Option<String>,
    pub head_person_id: Option<i32>,
    pub size: Option<i32>,
    pub address: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
