//! An entry's invitation: its unguessable check-in code, its time slot, and whether the gift
//! is taken to the person's home instead.

use sea_orm::entity::prelude::*;
use serde::Serialize;

/// An entry's invitation: its unguessable check-in code, its time slot, and whether the gift
/// is taken to the person's home instead.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "invitations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub entry_id: i32,
    pub code: String,
    pub slot_id: Option<i32>,
    pub home_visit: bool,
    pub home_visit_reason: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
