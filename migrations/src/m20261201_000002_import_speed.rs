//! Makes committing a large import cheaper without loosening any rule the data keeps.
//!
//! - `ix_people_name_key_birth_year` goes: no query looks people up by name key and birth
//!   year (the list search matches `name_key` with `LIKE '%…%'`, which no index serves, and
//!   an import finds known people by ID or within their ward), yet every person inserted paid
//!   for a random insertion into it, a tenth of a 100,000-row import on SQLite.
//! - On PostgreSQL an entry's campaign, ward and ward list are checked by one composite
//!   foreign key to `ward_lists (id, campaign_id, ward_id)` instead of three: each foreign key
//!   is a trigger that runs a query per inserted row, and these three dominated a large
//!   import. The composite key is stricter (an entry can no longer name a campaign or ward
//!   other than its list's), and the list's own keys still tie it to an existing campaign
//!   and ward, so deleting a campaign still removes its entries (through its lists) and a
//!   ward with entries still cannot be deleted. SQLite checks each key with an index seek,
//!   not a trigger, and cannot change the keys of a table without rebuilding it (whose
//!   drop would cascade into `duplicate_decisions`), so it keeps the three keys.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    // Forward-only, like every migration here.
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ix_people_name_key_birth_year")
                    .table("people")
                    .to_owned(),
            )
            .await?;
        if manager.get_database_backend() != sea_orm::DbBackend::Postgres {
            return Ok(());
        }
        // The referenced columns of a foreign key must be unique together.
        manager
            .create_index(
                Index::create()
                    .name("uq_ward_lists_id_campaign_id_ward_id")
                    .table("ward_lists")
                    .col("id")
                    .col("campaign_id")
                    .col("ward_id")
                    .unique()
                    .to_owned(),
            )
            .await?;
        for name in [
            "fk_entries_campaign_id",
            "fk_entries_ward_id",
            "fk_entries_ward_list_id",
        ] {
            manager
                .drop_foreign_key(ForeignKey::drop().name(name).table("entries").to_owned())
                .await?;
        }
        manager
            .create_foreign_key(
                ForeignKey::create()
                    .name("fk_entries_ward_list")
                    .from_tbl("entries")
                    .from_col("ward_list_id")
                    .from_col("campaign_id")
                    .from_col("ward_id")
                    .to_tbl("ward_lists")
                    .to_col("id")
                    .to_col("campaign_id")
                    .to_col("ward_id")
                    .on_delete(ForeignKeyAction::Cascade)
                    .to_owned(),
            )
            .await
    }
}
