//! `entries.name_key`: the person's `name_key` with "đ" folded to "d" (what the list search
//! compares), kept next to the entry so that a search reads only the list's own index.
//!
//! The search matched `LIKE '%word%'` on each entry's person, one probe of `people` by
//! primary key per entry of the list, for the count and again for the page: 1.5 s at p95 for
//! a ward of 14,000 entries under load. With the key on the entry, and in the list order
//! index, the count and the page walk that index alone.
//!
//! Triggers keep it on both engines, so every writer (imports, a person added by hand,
//! computed programs, carry-forward, plain SQL) stays right without knowing the column:
//! - an entry inserted without it takes its person's (PostgreSQL: BEFORE INSERT, which sets
//!   the row before it is written; SQLite cannot change `NEW`, so an AFTER INSERT update);
//! - an entry moved to another person takes the new person's;
//! - a person renamed passes the new key to their entries. Entries have no index led by
//!   `person_id` (another one would cost every import); `campaign_id IN (campaigns)` lets
//!   `ix_entries_campaign_id_person_id` find them, one probe per campaign (a handful).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The entry's key from its person, as the search folds it.
const FROM_PERSON: &str =
    "(SELECT replace(p.name_key, 'đ', 'd') FROM people p WHERE p.id = NEW.person_id)";

/// The entries of person `NEW.id`, found through `ix_entries_campaign_id_person_id`.
const PERSON_ENTRIES: &str = "campaign_id IN (SELECT id FROM campaigns) AND person_id = NEW.id";

fn sqlite_statements() -> Vec<String> {
    vec![
        format!(
            "CREATE TRIGGER tr_entries_name_key_insert AFTER INSERT ON entries \
             WHEN NEW.name_key IS NULL BEGIN \
             UPDATE entries SET name_key = {FROM_PERSON} WHERE id = NEW.id; END"
        ),
        format!(
            "CREATE TRIGGER tr_entries_name_key_person AFTER UPDATE OF person_id ON entries \
             WHEN OLD.person_id IS NOT NEW.person_id BEGIN \
             UPDATE entries SET name_key = {FROM_PERSON} WHERE id = NEW.id; END"
        ),
        format!(
            "CREATE TRIGGER tr_people_name_key_entries AFTER UPDATE OF name_key ON people \
             WHEN OLD.name_key IS NOT NEW.name_key BEGIN \
             UPDATE entries SET name_key = replace(NEW.name_key, 'đ', 'd') \
             WHERE {PERSON_ENTRIES}; END"
        ),
    ]
}

fn postgres_statements() -> Vec<String> {
    vec![
        format!(
            "CREATE FUNCTION entries_name_key_from_person() RETURNS trigger \
             LANGUAGE plpgsql AS $$ BEGIN NEW.name_key := {FROM_PERSON}; RETURN NEW; END $$"
        ),
        "CREATE TRIGGER tr_entries_name_key_insert BEFORE INSERT ON entries FOR EACH ROW \
         WHEN (NEW.name_key IS NULL) EXECUTE FUNCTION entries_name_key_from_person()"
            .to_owned(),
        "CREATE TRIGGER tr_entries_name_key_person BEFORE UPDATE OF person_id ON entries \
         FOR EACH ROW WHEN (OLD.person_id IS DISTINCT FROM NEW.person_id) \
         EXECUTE FUNCTION entries_name_key_from_person()"
            .to_owned(),
        format!(
            "CREATE FUNCTION people_name_key_to_entries() RETURNS trigger \
             LANGUAGE plpgsql AS $$ BEGIN \
             UPDATE entries SET name_key = replace(NEW.name_key, 'đ', 'd') \
             WHERE {PERSON_ENTRIES}; RETURN NULL; END $$"
        ),
        "CREATE TRIGGER tr_people_name_key_entries AFTER UPDATE OF name_key ON people \
         FOR EACH ROW WHEN (OLD.name_key IS DISTINCT FROM NEW.name_key) \
         EXECUTE FUNCTION people_name_key_to_entries()"
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
        db.execute_unprepared("ALTER TABLE entries ADD COLUMN name_key varchar NULL")
            .await?;
        db.execute_unprepared(
            "UPDATE entries SET name_key = (SELECT replace(p.name_key, 'đ', 'd') FROM people p \
             WHERE p.id = entries.person_id)",
        )
        .await?;
        let triggers = match manager.get_database_backend() {
            DbBackend::Postgres => postgres_statements(),
            _ => sqlite_statements(),
        };
        for statement in triggers {
            db.execute_unprepared(&statement).await?;
        }
        // The list's order with the key and the id at the end: a page takes its 50 ids from
        // the index alone, a search by name filtering there too (SQLite keeps the id, its
        // rowid, in every index; PostgreSQL needs it named).
        db.execute_unprepared("DROP INDEX ix_entries_ward_list_order")
            .await?;
        db.execute_unprepared(
            "CREATE INDEX ix_entries_ward_list_order ON entries \
             (ward_list_id, (source_row IS NULL), source_row, person_id, program_id, name_key, id)",
        )
        .await?;
        Ok(())
    }
}
