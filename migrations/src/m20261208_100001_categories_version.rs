//! `categories_version`: one row whose number goes up with every change to `categories`, kept
//! by triggers in the same transaction as the change.
//!
//! A ward's list page names each row's category and offers every category as a filter: at
//! city size, reading the categories was one of the page's five statements, under 50 clients
//! a tenth of its cost. Each app server now keeps its own copy (`domain::categories_copy`),
//! reads only this number with the campaign and its list, and reads the categories again
//! when the number differs, whoever changed them (another server, the CLI, SQL).

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
        db.execute_unprepared(
            "CREATE TABLE categories_version (id integer NOT NULL PRIMARY KEY, \
             version bigint NOT NULL)",
        )
        .await?;
        db.execute_unprepared("INSERT INTO categories_version (id, version) VALUES (1, 1)")
            .await?;
        let bump = "UPDATE categories_version SET version = version + 1 WHERE id = 1";
        if manager.get_database_backend() == DbBackend::Postgres {
            db.execute_unprepared(&format!(
                "CREATE FUNCTION categories_version_bump() RETURNS trigger \
                 LANGUAGE plpgsql AS $$ BEGIN {bump}; RETURN NULL; END $$"
            ))
            .await?;
            // Once per statement: a seed or an import of many categories bumps it once.
            db.execute_unprepared(
                "CREATE TRIGGER tr_categories_version AFTER INSERT OR UPDATE OR DELETE \
                 OR TRUNCATE ON categories FOR EACH STATEMENT \
                 EXECUTE FUNCTION categories_version_bump()",
            )
            .await?;
        } else {
            for event in ["insert", "update", "delete"] {
                db.execute_unprepared(&format!(
                    "CREATE TRIGGER tr_categories_version_{event} AFTER {} ON categories \
                     BEGIN {bump}; END",
                    event.to_uppercase()
                ))
                .await?;
            }
        }
        Ok(())
    }
}
