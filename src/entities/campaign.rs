//! One Tết's gift campaign run by a district (or city).

use sea_orm::entity::prelude::*;
use serde::Serialize;

use super::states::CampaignStatus;

/// One Tết's gift campaign run by a district (or city).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "campaigns")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub unit_id: i32,
    pub year: i32,
    pub lunar_name: String,
    pub title: String,
    pub slug: String,
    pub status: CampaignStatus,
    pub previous_campaign_id: Option<i32>,
    pub created_by: Option<i32>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
