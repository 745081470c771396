//! Text a ward may type for a category (abbreviation or variant).

use sea_orm::entity::prelude::*;
use serde::Serialize;

/// Text a ward may type for a category (abbreviation or variant).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "category_synonyms")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub category_id: i32,
    pub synonym: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
