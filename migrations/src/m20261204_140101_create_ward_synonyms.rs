//! Ward spellings that district staff mapped once from an import preview ("P. Phước Long
//! B cũ", "Long Thanh My"), so that the next file naming the ward the same way is read.
//! The category catalogue has had `category_synonyms` from the start; this is its twin.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("ward_synonyms")
                    .col(pk_auto("id"))
                    .col(integer("unit_id"))
                    // The spelling as typed in the file, normalised (NFC, single spaces).
                    .col(string("synonym"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_ward_synonyms_unit_id")
                            .from("ward_synonyms", "unit_id")
                            .to("units", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_ward_synonyms_unit_id")
                    .table("ward_synonyms")
                    .col("unit_id")
                    .to_owned(),
            )
            .await
    }
}
