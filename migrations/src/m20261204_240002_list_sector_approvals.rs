//! A ward list approved sector by sector: each city department approves the entries of its
//! own sector, and the list is approved (locked) once every sector it holds is. One row per
//! list and sector approved so far; the rows go when the list is returned, reopened or sent
//! again.

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
                    .table("list_sector_approvals")
                    .col(integer("ward_list_id"))
                    .col(string("sector"))
                    .col(integer_null("decided_by"))
                    .col(timestamp_with_time_zone("decided_at"))
                    .primary_key(Index::create().col("ward_list_id").col("sector"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_list_sector_approvals_ward_list_id")
                            .from("list_sector_approvals", "ward_list_id")
                            .to("ward_lists", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_list_sector_approvals_decided_by")
                            .from("list_sector_approvals", "decided_by")
                            .to("users", "id")
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
