//! A ward's resident extract, kept only for the population check (deleted on approval or
//! after 7 days).

use sea_orm::entity::prelude::*;

/// A ward's resident extract, kept only for the population check.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "population_extracts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub campaign_id: i32,
    pub ward_id: i32,
    pub file_name: String,
    pub uploaded_by: Option<i32>,
    pub resident_count: i32,
    #[sea_orm(column_type = "Text")]
    pub residents_json: String,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
