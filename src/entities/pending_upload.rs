//! An uploaded ward file kept between its preview and its commit (deleted after a day).

use sea_orm::entity::prelude::*;

/// An uploaded ward file kept between its preview and its commit (deleted after a day).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "pending_uploads")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub user_id: i32,
    pub campaign_id: i32,
    pub ward_id: Option<i32>,
    pub file_name: String,
    pub sha256: String,
    pub size_bytes: i64,
    #[sea_orm(column_type = "Blob")]
    pub bytes: Vec<u8>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
