//! A category of beneficiary (đối tượng) in the editable catalogue.

use sea_orm::entity::prelude::*;
use serde::Serialize;

use super::states::{CategoryKind, Sector};

/// A category of beneficiary (đối tượng) in the editable catalogue.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "categories")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub code: String,
    pub name: String,
    pub kind: CategoryKind,
    /// Which sector's reviewers see its entries.
    pub sector: Sector,
    pub rank: i32,
    pub per_household: bool,
    pub sensitive: bool,
    pub active: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
