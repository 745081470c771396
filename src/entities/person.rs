//! A recipient person, recognised across lists by national ID or name + birth year + address.

use sea_orm::entity::prelude::*;
use serde::Serialize;

use super::states::{Gender, PersonStatus};

/// A recipient person, recognised across lists by national ID or name + birth year + address.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "people")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub full_name: String,
    pub name_key: String,
    pub birth_year: Option<i32>,
    pub birth_date: Option<Date>,
    pub gender: Option<Gender>,
    pub national_id: Option<String>,
    pub address: Option<String>,
    pub khu_pho: Option<String>,
    pub ward_id: i32,
    pub phone: Option<String>,
    pub notes: Option<String>,
    pub status: PersonStatus,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub household_id: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
