//! `list_name_versions`: per ward list, a number that goes up with every change to what a
//! search of the list reads (its entries, their order, name keys and categories), kept by
//! triggers in the same transaction as the change.
//!
//! A search of a list tests every entry's name key with `LIKE '%word%'`, which no B-tree
//! serves: about 4.5 ms of CPU per search for a ward of 14,000 entries at city size, too much
//! for 50 clients on two cores. Each app server now keeps the list's keys in memory
//! (`domain::list_search`) together with this number, read as one more column of the query
//! every list page starts with, and reads the keys again only when it moved. Several app
//! servers, the CLI and plain SQL stay right because the number lives in the database and
//! moves with the data.
//!
//! What moves a list's number (and nothing else, so recording gifts on the distribution day
//! leaves the kept keys alone):
//! - an entry of the list inserted or deleted;
//! - an entry changed in what the search reads: its list, category, name key (a person
//!   renamed passes the key on to their entries), file row, person or program.
//!
//! On SQLite an entry inserted without its name key takes it by an update right after
//! (`m20261207_110001_entry_name_key`), and that update moves the number: the insert
//! trigger skips those rows, so an import's row costs one upsert, not two.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The upsert of one list's number, for SQLite's row triggers.
fn sqlite_bump(list: &str) -> String {
    format!(
        "INSERT INTO list_name_versions (ward_list_id, version) VALUES ({list}, 1) \
         ON CONFLICT (ward_list_id) DO UPDATE SET version = version + 1;"
    )
}

/// The columns of an entry that a search reads.
const ENTRY_SEARCHED: &str =
    "ward_list_id, category_id, name_key, source_row, person_id, program_id";

fn sqlite_statements() -> Vec<String> {
    let changed = ENTRY_SEARCHED
        .split(", ")
        .map(|c| format!("OLD.{c} IS NOT NEW.{c}"))
        .collect::<Vec<_>>()
        .join(" OR ");
    vec![
        format!(
            "CREATE TRIGGER tr_entries_names_insert AFTER INSERT ON entries \
             WHEN NEW.name_key IS NOT NULL BEGIN {} END",
            sqlite_bump("NEW.ward_list_id")
        ),
        format!(
            "CREATE TRIGGER tr_entries_names_delete AFTER DELETE ON entries BEGIN {} END",
            sqlite_bump("OLD.ward_list_id")
        ),
        format!(
            "CREATE TRIGGER tr_entries_names_update AFTER UPDATE OF {ENTRY_SEARCHED} ON entries \
             WHEN {changed} BEGIN {} {} END",
            sqlite_bump("OLD.ward_list_id"),
            sqlite_bump("NEW.ward_list_id")
        ),
    ]
}

/// Once per statement, from the rows it touched (an import's batch bumps its list once),
/// lists in id order so concurrent writers lock them alike.
const POSTGRES_FUNCTION: &str = "CREATE FUNCTION list_name_versions_entries() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO list_name_versions AS v (ward_list_id, version)
        SELECT DISTINCT ward_list_id, 1 FROM added ORDER BY 1
        ON CONFLICT (ward_list_id) DO UPDATE SET version = v.version + 1;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO list_name_versions AS v (ward_list_id, version)
        SELECT DISTINCT ward_list_id, 1 FROM removed ORDER BY 1
        ON CONFLICT (ward_list_id) DO UPDATE SET version = v.version + 1;
    ELSE
        INSERT INTO list_name_versions AS v (ward_list_id, version)
        SELECT DISTINCT l.list_id, 1 FROM (
            SELECT a.ward_list_id AS list, r.ward_list_id AS old_list
            FROM added a JOIN removed r ON r.id = a.id
            WHERE (a.ward_list_id, a.category_id, a.name_key, a.source_row, a.person_id,
                   a.program_id)
                  IS DISTINCT FROM
                  (r.ward_list_id, r.category_id, r.name_key, r.source_row, r.person_id,
                   r.program_id)
        ) AS moved CROSS JOIN LATERAL (VALUES (moved.list), (moved.old_list)) AS l(list_id)
        ORDER BY 1
        ON CONFLICT (ward_list_id) DO UPDATE SET version = v.version + 1;
    END IF;
    RETURN NULL;
END
$$";

fn postgres_statements() -> Vec<String> {
    vec![
        POSTGRES_FUNCTION.to_owned(),
        "CREATE TRIGGER tr_entries_names_insert AFTER INSERT ON entries \
         REFERENCING NEW TABLE AS added \
         FOR EACH STATEMENT EXECUTE FUNCTION list_name_versions_entries()"
            .to_owned(),
        "CREATE TRIGGER tr_entries_names_delete AFTER DELETE ON entries \
         REFERENCING OLD TABLE AS removed \
         FOR EACH STATEMENT EXECUTE FUNCTION list_name_versions_entries()"
            .to_owned(),
        // A statement trigger with transition tables cannot name columns (`UPDATE OF`): the
        // function compares them, so a gift recorded (a status change) bumps nothing.
        "CREATE TRIGGER tr_entries_names_update AFTER UPDATE ON entries \
         REFERENCING OLD TABLE AS removed NEW TABLE AS added \
         FOR EACH STATEMENT EXECUTE FUNCTION list_name_versions_entries()"
            .to_owned(),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE TABLE list_name_versions (ward_list_id integer NOT NULL PRIMARY KEY, \
             version bigint NOT NULL)",
        )
        .await?;
        // Every list starts at 1; a list made later has no row (version 0) until its first
        // entry.
        db.execute_unprepared(
            "INSERT INTO list_name_versions (ward_list_id, version) SELECT id, 1 FROM ward_lists",
        )
        .await?;
        let triggers = match manager.get_database_backend() {
            DbBackend::Postgres => postgres_statements(),
            _ => sqlite_statements(),
        };
        for statement in triggers {
            db.execute_unprepared(&statement).await?;
        }
        Ok(())
    }
}
