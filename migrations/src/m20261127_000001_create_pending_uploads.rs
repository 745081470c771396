//! Uploaded ward files waiting between the preview and the commit. The bytes live in the
//! database, not in one server's memory or disk, so any app server behind a load balancer can
//! show the preview and commit it; rows are deleted on commit or after a day.

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
                    .table("pending_uploads")
                    // A random token: the preview's address must not be guessable.
                    .col(string("id").primary_key())
                    .col(integer("user_id"))
                    .col(integer("campaign_id"))
                    .col(integer_null("ward_id"))
                    .col(string("file_name"))
                    .col(string("sha256"))
                    .col(big_integer("size_bytes"))
                    .col(blob("bytes"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_pending_uploads_user_id")
                            .from("pending_uploads", "user_id")
                            .to("users", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_pending_uploads_campaign_id")
                            .from("pending_uploads", "campaign_id")
                            .to("campaigns", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_pending_uploads_ward_id")
                            .from("pending_uploads", "ward_id")
                            .to("units", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_pending_uploads_created_at")
                    .table("pending_uploads")
                    .col("created_at")
                    .to_owned(),
            )
            .await
    }
}
