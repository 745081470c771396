//! `payment_batch_files`: the transfer list workbook and the bank's CSV exactly as they were
//! made with a batch, written in the batch's own transaction, so a re-download (the page's
//! "Tải lại", the API) gives the same bytes the bank was first sent, whatever changed since
//! (an account corrected, a person renamed).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("payment_batch_files")
                    // One row per batch: its id is the key.
                    .col(integer("batch_id").primary_key())
                    .col(blob("xlsx"))
                    .col(blob("csv"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_payment_batch_files_batch_id")
                            .from("payment_batch_files", "batch_id")
                            .to("payment_batches", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("payment_batch_files").to_owned())
            .await
    }
}
