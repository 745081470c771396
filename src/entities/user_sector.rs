//! A sector an account is limited to: a reviewer of the city's merit department has one row
//! `merit`. An account without rows works in every sector.

use sea_orm::entity::prelude::*;
use serde::Serialize;

use super::states::Sector;

/// A sector an account is limited to.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "user_sectors")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub sector: Sector,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
