//! The files of one transfer batch as they were made: the workbook and the bank's CSV.

use sea_orm::entity::prelude::*;

/// The files of one transfer batch as they were made: the workbook and the bank's CSV.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "payment_batch_files")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub batch_id: i32,
    #[sea_orm(column_type = "Blob")]
    pub xlsx: Vec<u8>,
    #[sea_orm(column_type = "Blob")]
    pub csv: Vec<u8>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
