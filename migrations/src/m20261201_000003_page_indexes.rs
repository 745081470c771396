//! What the busiest pages need to answer in a few milliseconds with a whole district's
//! entries stored:
//!
//! - `entry_tallies`: gifts and money per campaign, ward, list, program and status, kept by
//!   triggers in the same transaction as every change to `entries`. The campaign dashboard,
//!   the progress API and a list's totals read a few dozen rows instead of summing 100,000
//!   entries on every request. Being kept by the database itself, it is right for every
//!   writer (web, command line, imports, other app servers) without any of them knowing it.
//! - An index in the order a ward list is shown (file row, hand-added rows last), so its
//!   first page reads 50 index entries instead of sorting the whole list.
//!
//! SQLite gets row triggers. PostgreSQL gets statement triggers over transition tables, so a
//! multi-row INSERT of an import adds one grouped upsert, not one per row; the groups are
//! upserted in key order, so concurrent writers lock tally rows in the same order.

use sea_orm_migration::sea_orm::DbBackend;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The columns that identify a tally, in key order.
const KEY: &str = "campaign_id, ward_id, ward_list_id, program_id, status";

const SQLITE_TRIGGERS: &[&str] = &[
    "CREATE TRIGGER tr_entries_tally_insert AFTER INSERT ON entries BEGIN
        INSERT INTO entry_tallies (campaign_id, ward_id, ward_list_id, program_id, status, people, amount)
        VALUES (NEW.campaign_id, NEW.ward_id, NEW.ward_list_id, NEW.program_id, NEW.status, 1, NEW.amount)
        ON CONFLICT (campaign_id, ward_id, ward_list_id, program_id, status)
        DO UPDATE SET people = people + 1, amount = amount + excluded.amount;
    END",
    "CREATE TRIGGER tr_entries_tally_delete AFTER DELETE ON entries BEGIN
        UPDATE entry_tallies SET people = people - 1, amount = amount - OLD.amount
        WHERE campaign_id = OLD.campaign_id AND ward_id = OLD.ward_id
          AND ward_list_id = OLD.ward_list_id AND program_id = OLD.program_id
          AND status = OLD.status;
        DELETE FROM entry_tallies
        WHERE campaign_id = OLD.campaign_id AND ward_id = OLD.ward_id
          AND ward_list_id = OLD.ward_list_id AND program_id = OLD.program_id
          AND status = OLD.status AND people = 0;
    END",
    "CREATE TRIGGER tr_entries_tally_update
    AFTER UPDATE OF campaign_id, ward_id, ward_list_id, program_id, status, amount ON entries
    WHEN OLD.campaign_id IS NOT NEW.campaign_id OR OLD.ward_id IS NOT NEW.ward_id
      OR OLD.ward_list_id IS NOT NEW.ward_list_id OR OLD.program_id IS NOT NEW.program_id
      OR OLD.status IS NOT NEW.status OR OLD.amount IS NOT NEW.amount
    BEGIN
        UPDATE entry_tallies SET people = people - 1, amount = amount - OLD.amount
        WHERE campaign_id = OLD.campaign_id AND ward_id = OLD.ward_id
          AND ward_list_id = OLD.ward_list_id AND program_id = OLD.program_id
          AND status = OLD.status;
        DELETE FROM entry_tallies
        WHERE campaign_id = OLD.campaign_id AND ward_id = OLD.ward_id
          AND ward_list_id = OLD.ward_list_id AND program_id = OLD.program_id
          AND status = OLD.status AND people = 0;
        INSERT INTO entry_tallies (campaign_id, ward_id, ward_list_id, program_id, status, people, amount)
        VALUES (NEW.campaign_id, NEW.ward_id, NEW.ward_list_id, NEW.program_id, NEW.status, 1, NEW.amount)
        ON CONFLICT (campaign_id, ward_id, ward_list_id, program_id, status)
        DO UPDATE SET people = people + 1, amount = amount + excluded.amount;
    END",
];

/// One PL/pgSQL function applies the changes of a statement: the rows it removed count
/// minus one each, the rows it added plus one, summed per tally and upserted in key order;
/// tallies left empty are dropped.
const POSTGRES_FUNCTION: &str = "CREATE FUNCTION entry_tallies_apply() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO entry_tallies AS t (campaign_id, ward_id, ward_list_id, program_id, status, people, amount)
        SELECT campaign_id, ward_id, ward_list_id, program_id, status, COUNT(*), SUM(amount)
        FROM added GROUP BY campaign_id, ward_id, ward_list_id, program_id, status
        ORDER BY campaign_id, ward_id, ward_list_id, program_id, status
        ON CONFLICT (campaign_id, ward_id, ward_list_id, program_id, status)
        DO UPDATE SET people = t.people + excluded.people, amount = t.amount + excluded.amount;
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        INSERT INTO entry_tallies AS t (campaign_id, ward_id, ward_list_id, program_id, status, people, amount)
        SELECT campaign_id, ward_id, ward_list_id, program_id, status, SUM(people), SUM(amount)
        FROM (
            SELECT campaign_id, ward_id, ward_list_id, program_id, status, -1 AS people, -amount AS amount FROM removed
            UNION ALL
            SELECT campaign_id, ward_id, ward_list_id, program_id, status, 1, amount FROM added
        ) AS delta
        GROUP BY campaign_id, ward_id, ward_list_id, program_id, status
        HAVING SUM(people) <> 0 OR SUM(amount) <> 0
        ORDER BY campaign_id, ward_id, ward_list_id, program_id, status
        ON CONFLICT (campaign_id, ward_id, ward_list_id, program_id, status)
        DO UPDATE SET people = t.people + excluded.people, amount = t.amount + excluded.amount;
    ELSE
        INSERT INTO entry_tallies AS t (campaign_id, ward_id, ward_list_id, program_id, status, people, amount)
        SELECT campaign_id, ward_id, ward_list_id, program_id, status, -COUNT(*), -SUM(amount)
        FROM removed GROUP BY campaign_id, ward_id, ward_list_id, program_id, status
        ORDER BY campaign_id, ward_id, ward_list_id, program_id, status
        ON CONFLICT (campaign_id, ward_id, ward_list_id, program_id, status)
        DO UPDATE SET people = t.people + excluded.people, amount = t.amount + excluded.amount;
    END IF;
    DELETE FROM entry_tallies AS t
    WHERE t.people = 0 AND EXISTS (
        SELECT 1 FROM removed AS r
        WHERE r.campaign_id = t.campaign_id AND r.ward_id = t.ward_id
          AND r.ward_list_id = t.ward_list_id AND r.program_id = t.program_id
          AND r.status = t.status
    );
    RETURN NULL;
END
$$";

const POSTGRES_TRIGGERS: &[&str] = &[
    "CREATE TRIGGER tr_entries_tally_insert AFTER INSERT ON entries
     REFERENCING NEW TABLE AS added
     FOR EACH STATEMENT EXECUTE FUNCTION entry_tallies_apply()",
    "CREATE TRIGGER tr_entries_tally_update AFTER UPDATE ON entries
     REFERENCING OLD TABLE AS removed NEW TABLE AS added
     FOR EACH STATEMENT EXECUTE FUNCTION entry_tallies_apply()",
    "CREATE TRIGGER tr_entries_tally_delete AFTER DELETE ON entries
     REFERENCING OLD TABLE AS removed
     FOR EACH STATEMENT EXECUTE FUNCTION entry_tallies_apply()",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // No foreign keys: a deleted campaign's cascade removes its entries, and the
        // triggers then remove its tallies.
        manager
            .create_table(
                Table::create()
                    .table("entry_tallies")
                    .col(integer("campaign_id"))
                    .col(integer("ward_id"))
                    .col(integer("ward_list_id"))
                    .col(integer("program_id"))
                    .col(string("status"))
                    .col(big_integer("people"))
                    .col(big_integer("amount"))
                    .primary_key(
                        Index::create()
                            .col("campaign_id")
                            .col("ward_id")
                            .col("ward_list_id")
                            .col("program_id")
                            .col("status"),
                    )
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared(&format!(
            "INSERT INTO entry_tallies ({KEY}, people, amount) \
             SELECT {KEY}, COUNT(*), SUM(amount) FROM entries GROUP BY {KEY}"
        ))
        .await?;
        match manager.get_database_backend() {
            DbBackend::Postgres => {
                db.execute_unprepared(POSTGRES_FUNCTION).await?;
                for trigger in POSTGRES_TRIGGERS {
                    db.execute_unprepared(trigger).await?;
                }
            }
            _ => {
                for trigger in SQLITE_TRIGGERS {
                    db.execute_unprepared(trigger).await?;
                }
            }
        }
        // The list page's order: rows of the file by their row, then rows added by hand
        // (no row) by person and program. The same expression text as the query, which both
        // engines need to match an index on an expression.
        db.execute_unprepared(
            "CREATE INDEX ix_entries_ward_list_order ON entries \
             (ward_list_id, (source_row IS NULL), source_row, person_id, program_id)",
        )
        .await?;
        Ok(())
    }
}
