//! Failed logins, kept in the database (not one server's memory) so that every app server
//! behind a load balancer sees the same count when it slows down password guessing.

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
                    .table("login_attempts")
                    .col(pk_auto("id"))
                    // The login name as typed, trimmed and in lower case (it may not exist).
                    .col(string("username"))
                    // The client's address, when known.
                    .col(string_null("address"))
                    .col(timestamp_with_time_zone("attempted_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_login_attempts_username_attempted_at")
                    .table("login_attempts")
                    .col("username")
                    .col("attempted_at")
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_login_attempts_address_attempted_at")
                    .table("login_attempts")
                    .col("address")
                    .col("attempted_at")
                    .to_owned(),
            )
            .await
    }
}
