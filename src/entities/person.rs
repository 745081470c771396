//! A recipient person, recognised across lists by national ID or name + birth year + address.

use sea_orm::entity::prelude::*;
use serde::Serialize;

use super::states::{Gender, PersonStatus};

/// A recipient person, recognised across lists by national ID or name + birth year + address.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "people")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub full_name: String,
    pub name_key: String,
    pub birth_year: Option<i32>,
    pub birth_date: Option<Date>,
    pub gender: Option<Gender>,
    pub national_id: Option<String>,
    pub address: Option<String>,
    pub khu_pho: Option<String>,
    pub ward_id: i32,
    pub phone: Option<String>,
    pub notes: Option<String>,
    pub status: PersonStatus,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub household_id: Option<i32>,
    /// [`chamlo_vn::text::address_key`] of `address`, kept by [`ActiveModel`]'s save hook
    /// and by the writers that insert people in bulk (an import's commit, the city data
    /// set): the duplicate review finds a ward's name twins by it.
    pub address_key: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

#[async_trait::async_trait]
impl ActiveModelBehavior for ActiveModel {
    /// Keeps `address_key` the folded `address` whenever a person is created or their
    /// address is written.
    async fn before_save<C>(mut self, _db: &C, insert: bool) -> Result<Self, DbErr>
    where
        C: ConnectionTrait,
    {
        if insert || self.address.is_set() {
            let key = self
                .address
                .try_as_ref()
                .and_then(|address| address.as_deref())
                .and_then(chamlo_vn::text::address_key);
            self.address_key = sea_orm::ActiveValue::Set(key);
        }
        Ok(self)
    }
}
