//! A bank by its NAPAS BIN, with the names officers type for it (seeded, editable).

use sea_orm::entity::prelude::*;
use serde::Serialize;

/// A bank by its NAPAS BIN, with the names officers type for it (seeded, editable).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize)]
#[sea_orm(table_name = "banks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub bin: String,
    pub short_name: String,
    pub name: String,
    /// Other names, one per line.
    pub synonyms: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    /// The other names officers type, as stored one per line (blank lines skipped).
    pub fn other_names(&self) -> impl Iterator<Item = &str> {
        self.synonyms
            .lines()
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }
}

impl crate::vn::banks::BankNames for Model {
    fn bin(&self) -> &str {
        &self.bin
    }

    fn names(&self) -> Vec<&str> {
        let mut names = vec![self.short_name.as_str(), self.name.as_str()];
        names.extend(self.other_names());
        names
    }
}
