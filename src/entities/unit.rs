//! An administrative unit (city, district, ward) with the dates it is valid for.

use sea_orm::entity::prelude::*;
use serde::Serialize;

use super::states::UnitLevel;

/// An administrative unit (city, district, ward) with the dates it is valid for.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "units")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub code: String,
    pub name: String,
    pub level: UnitLevel,
    pub parent_id: Option<i32>,
    pub valid_from: Option<Date>,
    pub valid_to: Option<Date>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
