//! A flag the population check raised on an entry, with its evidence and its resolution.
//! `kind` is a `population_match::FlagKind` name, `weight` a `FlagWeight` name and
//! `resolution` one of `keep`, `correct`, `remove`.

use sea_orm::entity::prelude::*;
use serde::Serialize;

/// A flag the population check raised on an entry.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "population_flags")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub campaign_id: i32,
    pub ward_id: i32,
    pub entry_id: i32,
    pub person_id: i32,
    pub full_name: String,
    pub kind: String,
    pub weight: String,
    #[sea_orm(column_type = "Text")]
    pub detail: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub correction_json: Option<String>,
    pub resolution: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub reason: Option<String>,
    pub resolved_by: Option<i32>,
    pub resolved_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
