//! The ward a row named before the July 2025 merger, kept on the entry when it differs from
//! the ward the entry now belongs to ("Phường cũ"): a list made in 2025 names Hiệp Phú, its
//! people land in Tăng Nhơn Phú, and the signing sheet still says where they were listed.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            // SQLite adds a column with its reference in one statement (a NULL default keeps
            // it legal); it cannot add a constraint to an existing table afterwards.
            DbBackend::Sqlite => {
                db.execute_unprepared(
                    "ALTER TABLE entries ADD COLUMN former_ward_id integer NULL \
                     REFERENCES units (id) ON DELETE RESTRICT",
                )
                .await?;
            }
            _ => {
                db.execute_unprepared("ALTER TABLE entries ADD COLUMN former_ward_id integer NULL")
                    .await?;
                manager
                    .create_foreign_key(
                        ForeignKey::create()
                            .name("fk_entries_former_ward_id")
                            .from_tbl("entries")
                            .from_col("former_ward_id")
                            .to_tbl("units")
                            .to_col("id")
                            .on_delete(ForeignKeyAction::Restrict)
                            .to_owned(),
                    )
                    .await?;
            }
        }
        Ok(())
    }
}
