//! A ward's list in a campaign and its approval state.

use sea_orm::entity::prelude::*;
use serde::Serialize;

use super::states::ListStatus;

/// A ward's list in a campaign and its approval state.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "ward_lists")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub campaign_id: i32,
    pub ward_id: i32,
    pub status: ListStatus,
    pub comment: Option<String>,
    pub submitted_at: Option<DateTimeUtc>,
    pub submitted_by: Option<i32>,
    pub decided_at: Option<DateTimeUtc>,
    pub decided_by: Option<i32>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
