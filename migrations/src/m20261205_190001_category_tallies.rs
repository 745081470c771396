//! `entry_category_tallies`: the gifts and money of `entry_tallies` split by category as
//! well, kept by triggers on `entries` in the same transaction as every change, like
//! `entry_tallies` (see `m20261201_000003_page_indexes`).
//!
//! A reviewer limited to sectors (a city department: merit, say) sees only the entries whose
//! category is in their sectors, and `entry_tallies` knows no category: their dashboard
//! counted its entries itself, a scan of every merit entry of the city (about 300,000 rows at
//! city size) on every page view. Keyed by category rather than by sector, the tallies stay
//! right when an administrator moves a category to another sector: the sector is joined at
//! read time from `categories`, a few dozen rows.
//!
//! `entry_tallies` stays as it is: the unlimited dashboards (the busiest) read its few rows.

use sea_orm_migration::sea_orm::DbBackend;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The columns that identify a tally, in key order.
const KEY: &str = "campaign_id, ward_id, ward_list_id, program_id, category_id, status";

/// One entry leaving a tally (`OLD`), then the tally removed once empty.
const SQLITE_REMOVE_OLD: &str = "
        UPDATE entry_category_tallies SET people = people - 1, amount = amount - OLD.amount
        WHERE campaign_id = OLD.campaign_id AND ward_id = OLD.ward_id
          AND ward_list_id = OLD.ward_list_id AND program_id = OLD.program_id
          AND category_id = OLD.category_id AND status = OLD.status;
        DELETE FROM entry_category_tallies
        WHERE campaign_id = OLD.campaign_id AND ward_id = OLD.ward_id
          AND ward_list_id = OLD.ward_list_id AND program_id = OLD.program_id
          AND category_id = OLD.category_id AND status = OLD.status AND people = 0;";

/// One entry joining a tally (`NEW`).
const SQLITE_ADD_NEW: &str = "
        INSERT INTO entry_category_tallies
            (campaign_id, ward_id, ward_list_id, program_id, category_id, status, people, amount)
        VALUES (NEW.campaign_id, NEW.ward_id, NEW.ward_list_id, NEW.program_id, NEW.category_id,
                NEW.status, 1, NEW.amount)
        ON CONFLICT (campaign_id, ward_id, ward_list_id, program_id, category_id, status)
        DO UPDATE SET people = people + 1, amount = amount + excluded.amount;";

fn sqlite_triggers() -> [String; 3] {
    [
        format!(
            "CREATE TRIGGER tr_entries_category_tally_insert AFTER INSERT ON entries BEGIN \
             {SQLITE_ADD_NEW} END"
        ),
        format!(
            "CREATE TRIGGER tr_entries_category_tally_delete AFTER DELETE ON entries BEGIN \
             {SQLITE_REMOVE_OLD} END"
        ),
        format!(
            "CREATE TRIGGER tr_entries_category_tally_update \
             AFTER UPDATE OF campaign_id, ward_id, ward_list_id, program_id, category_id, status, \
             amount ON entries \
             WHEN OLD.campaign_id IS NOT NEW.campaign_id OR OLD.ward_id IS NOT NEW.ward_id \
               OR OLD.ward_list_id IS NOT NEW.ward_list_id OR OLD.program_id IS NOT NEW.program_id \
               OR OLD.category_id IS NOT NEW.category_id OR OLD.status IS NOT NEW.status \
               OR OLD.amount IS NOT NEW.amount \
             BEGIN {SQLITE_REMOVE_OLD} {SQLITE_ADD_NEW} END"
        ),
    ]
}

/// As `entry_tallies_apply`: the rows a statement removed count minus one each, the rows it
/// added plus one, summed per tally and upserted in key order (so concurrent writers lock
/// tally rows in the same order); tallies left empty are dropped.
const POSTGRES_FUNCTION: &str = "CREATE FUNCTION entry_category_tallies_apply() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO entry_category_tallies AS t
            (campaign_id, ward_id, ward_list_id, program_id, category_id, status, people, amount)
        SELECT campaign_id, ward_id, ward_list_id, program_id, category_id, status, COUNT(*), SUM(amount)
        FROM added GROUP BY campaign_id, ward_id, ward_list_id, program_id, category_id, status
        ORDER BY campaign_id, ward_id, ward_list_id, program_id, category_id, status
        ON CONFLICT (campaign_id, ward_id, ward_list_id, program_id, category_id, status)
        DO UPDATE SET people = t.people + excluded.people, amount = t.amount + excluded.amount;
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        INSERT INTO entry_category_tallies AS t
            (campaign_id, ward_id, ward_list_id, program_id, category_id, status, people, amount)
        SELECT campaign_id, ward_id, ward_list_id, program_id, category_id, status, SUM(people), SUM(amount)
        FROM (
            SELECT campaign_id, ward_id, ward_list_id, program_id, category_id, status,
                   -1 AS people, -amount AS amount FROM removed
            UNION ALL
            SELECT campaign_id, ward_id, ward_list_id, program_id, category_id, status, 1, amount
            FROM added
        ) AS delta
        GROUP BY campaign_id, ward_id, ward_list_id, program_id, category_id, status
        HAVING SUM(people) <> 0 OR SUM(amount) <> 0
        ORDER BY campaign_id, ward_id, ward_list_id, program_id, category_id, status
        ON CONFLICT (campaign_id, ward_id, ward_list_id, program_id, category_id, status)
        DO UPDATE SET people = t.people + excluded.people, amount = t.amount + excluded.amount;
    ELSE
        INSERT INTO entry_category_tallies AS t
            (campaign_id, ward_id, ward_list_id, program_id, category_id, status, people, amount)
        SELECT campaign_id, ward_id, ward_list_id, program_id, category_id, status, -COUNT(*), -SUM(amount)
        FROM removed GROUP BY campaign_id, ward_id, ward_list_id, program_id, category_id, status
        ORDER BY campaign_id, ward_id, ward_list_id, program_id, category_id, status
        ON CONFLICT (campaign_id, ward_id, ward_list_id, program_id, category_id, status)
        DO UPDATE SET people = t.people + excluded.people, amount = t.amount + excluded.amount;
    END IF;
    DELETE FROM entry_category_tallies AS t
    WHERE t.people = 0 AND EXISTS (
        SELECT 1 FROM removed AS r
        WHERE r.campaign_id = t.campaign_id AND r.ward_id = t.ward_id
          AND r.ward_list_id = t.ward_list_id AND r.program_id = t.program_id
          AND r.category_id = t.category_id AND r.status = t.status
    );
    RETURN NULL;
END
$$";

const POSTGRES_TRIGGERS: &[&str] = &[
    "CREATE TRIGGER tr_entries_category_tally_insert AFTER INSERT ON entries
     REFERENCING NEW TABLE AS added
     FOR EACH STATEMENT EXECUTE FUNCTION entry_category_tallies_apply()",
    "CREATE TRIGGER tr_entries_category_tally_update AFTER UPDATE ON entries
     REFERENCING OLD TABLE AS removed NEW TABLE AS added
     FOR EACH STATEMENT EXECUTE FUNCTION entry_category_tallies_apply()",
    "CREATE TRIGGER tr_entries_category_tally_delete AFTER DELETE ON entries
     REFERENCING OLD TABLE AS removed
     FOR EACH STATEMENT EXECUTE FUNCTION entry_category_tallies_apply()",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // No foreign keys, as for `entry_tallies`: a campaign's cascade removes its entries
        // and the triggers then remove its tallies.
        manager
            .create_table(
                Table::create()
                    .table("entry_category_tallies")
                    .col(integer("campaign_id"))
                    .col(integer("ward_id"))
                    .col(integer("ward_list_id"))
                    .col(integer("program_id"))
                    .col(integer("category_id"))
                    .col(string("status"))
                    .col(big_integer("people"))
                    .col(big_integer("amount"))
                    .primary_key(
                        Index::create()
                            .col("campaign_id")
                            .col("ward_id")
                            .col("ward_list_id")
                            .col("program_id")
                            .col("category_id")
                            .col("status"),
                    )
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared(&format!(
            "INSERT INTO entry_category_tallies ({KEY}, people, amount) \
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
                for trigger in sqlite_triggers() {
                    db.execute_unprepared(&trigger).await?;
                }
            }
        }
        Ok(())
    }
}
