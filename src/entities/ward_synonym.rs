//! A spelling of a ward's name that district staff mapped to the ward from an import preview.

use sea_orm::entity::prelude::*;
use serde::Serialize;

/// A spelling of a ward's name that district staff mapped to the ward from an import preview.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "ward_synonyms")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub unit_id: i32,
    pub synonym: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
