//! One committed import of a file into a ward list.

use sea_orm::entity::prelude::*;
use serde::Serialize;

/// One committed import of a file into a ward list.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "import_batches")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub campaign_id: i32,
    pub ward_id: i32,
    pub ward_list_id: i32,
    pub file_name: String,
    pub sha256: String,
    pub size_bytes: i64,
    pub sheet_name: String,
    pub header_row: i32,
    pub total_rows: i32,
    pub accepted: i32,
    pub rejected: i32,
    pub duplicates: i32,
    pub user_id: Option<i32>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
