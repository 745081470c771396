//! One sector of a submitted ward list approved by that sector's reviewer; the list itself is
//! approved once every sector it holds has a row.

use sea_orm::entity::prelude::*;
use serde::Serialize;

use super::states::Sector;

/// One sector of a submitted ward list approved by that sector's reviewer.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "list_sector_approvals")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub ward_list_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub sector: Sector,
    pub decided_by: Option<i32>,
    pub decided_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
