//! `units_version`: one row whose number goes up with every change to `units`, kept by
//! triggers in the same transaction as the change.
//!
//! Every page needs every unit (a ward's name, a scope's subtree, which wards a campaign
//! covers): a few hundred rows at city size, read with the session on every request. Each app
//! server now keeps its own copy and reads only this number with the session; a different
//! number (a unit added, renamed, closed by any server, the CLI or SQL) makes it read the
//! units again. Several app servers stay right because the number lives in the database.

use sea_orm_migration::sea_orm::DbBackend;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The bump every trigger makes.
const BUMP: &str = "UPDATE units_version SET version = version + 1 WHERE id = 1";

const POSTGRES_FUNCTION: &str = "CREATE FUNCTION units_version_bump() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE units_version SET version = version + 1 WHERE id = 1;
    RETURN NULL;
END
$$";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("units_version")
                    .col(integer("id").primary_key())
                    .col(big_integer("version"))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared("INSERT INTO units_version (id, version) VALUES (1, 1)")
            .await?;
        match manager.get_database_backend() {
            DbBackend::Postgres => {
                db.execute_unprepared(POSTGRES_FUNCTION).await?;
                // Once per statement: a COPY of thousands of units bumps the number once.
                db.execute_unprepared(
                    "CREATE TRIGGER tr_units_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE \
                     ON units FOR EACH STATEMENT EXECUTE FUNCTION units_version_bump()",
                )
                .await?;
            }
            _ => {
                for event in ["INSERT", "UPDATE", "DELETE"] {
                    db.execute_unprepared(&format!(
                        "CREATE TRIGGER tr_units_version_{} AFTER {event} ON units \
                         BEGIN {BUMP}; END",
                        event.to_lowercase()
                    ))
                    .await?;
                }
            }
        }
        Ok(())
    }
}
