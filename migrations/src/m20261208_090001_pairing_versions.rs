//! `pairing_versions`: per ward list, a number that goes up with every change that could make
//! or break a possible duplicate among a campaign's entries, kept by triggers in the same
//! transaction as the change.
//!
//! A ward's duplicate review at city size reads the ward's 14,000 entries, their people's name
//! twins and their partners across 168 wards: about 0.35 s of SQL, on every view. Each app
//! server now keeps the pairs it found per ward (`domain::pairs_copy`) together with the
//! campaign's numbers, reads only their sum and count on a view, and finds the pairs again
//! when they differ. Several app servers, the CLI and plain SQL stay right
//! because the numbers live in the database and move with the data.
//!
//! What moves a list's number (and nothing else, so recording gifts on the distribution day
//! leaves the kept pairs alone):
//! - an entry of the list inserted or deleted, or changed in what pairs it: its person,
//!   program, ward, list or household;
//! - a person of the list changed in what pairs them: name key, birth year, folded address,
//!   household (every list the person stands on, in every campaign);
//! - a program of the campaign turned to or from "one per household" (every list of the
//!   campaign).
//!
//! Rows are never deleted (the numbers of a list since deleted stay behind) and numbers only
//! go up, so the sum rises with every change: a view never mistakes an old set of pairs for
//! a current one.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The upsert of one list's number, for SQLite's row triggers (`{list}` and `{campaign}` are
/// the row's columns).
fn sqlite_bump(list: &str, campaign: &str) -> String {
    format!(
        "INSERT INTO pairing_versions (ward_list_id, campaign_id, version) \
         VALUES ({list}, {campaign}, 1) \
         ON CONFLICT (ward_list_id) DO UPDATE SET version = version + 1;"
    )
}

/// The lists of person `NEW.id`, found through `ix_entries_campaign_id_person_id` (entries
/// have no index led by `person_id`): one probe per campaign.
const PERSON_LISTS: &str = "SELECT DISTINCT ward_list_id, campaign_id FROM entries \
     WHERE campaign_id IN (SELECT id FROM campaigns) AND person_id = NEW.id";

/// The columns of an entry that decide its pairs.
const ENTRY_PAIRING: &str = "person_id, program_id, ward_id, ward_list_id, household_id";

/// The columns of a person that decide their pairs.
const PERSON_PAIRING: &str = "name_key, birth_year, address_key, household_id";

fn sqlite_statements() -> Vec<String> {
    let changed = |columns: &str| {
        columns
            .split(", ")
            .map(|c| format!("OLD.{c} IS NOT NEW.{c}"))
            .collect::<Vec<_>>()
            .join(" OR ")
    };
    vec![
        format!(
            "CREATE TRIGGER tr_entries_pairing_insert AFTER INSERT ON entries BEGIN {} END",
            sqlite_bump("NEW.ward_list_id", "NEW.campaign_id")
        ),
        format!(
            "CREATE TRIGGER tr_entries_pairing_delete AFTER DELETE ON entries BEGIN {} END",
            sqlite_bump("OLD.ward_list_id", "OLD.campaign_id")
        ),
        format!(
            "CREATE TRIGGER tr_entries_pairing_update AFTER UPDATE OF {ENTRY_PAIRING} ON entries \
             WHEN {} BEGIN {} {} END",
            changed(ENTRY_PAIRING),
            sqlite_bump("OLD.ward_list_id", "OLD.campaign_id"),
            sqlite_bump("NEW.ward_list_id", "NEW.campaign_id")
        ),
        // `WHERE true`: SQLite's parser needs it between a SELECT and its ON CONFLICT.
        format!(
            "CREATE TRIGGER tr_people_pairing AFTER UPDATE OF {PERSON_PAIRING} ON people \
             WHEN {} BEGIN \
             INSERT INTO pairing_versions (ward_list_id, campaign_id, version) \
             SELECT ward_list_id, campaign_id, 1 FROM ({PERSON_LISTS}) WHERE true \
             ON CONFLICT (ward_list_id) DO UPDATE SET version = version + 1; END",
            changed(PERSON_PAIRING)
        ),
        "CREATE TRIGGER tr_programs_pairing AFTER UPDATE OF one_per_household ON gift_programs \
         WHEN OLD.one_per_household IS NOT NEW.one_per_household BEGIN \
         UPDATE pairing_versions SET version = version + 1 \
         WHERE campaign_id = NEW.campaign_id; END"
            .to_owned(),
    ]
}

/// Once per statement, from the rows it touched (an import's batch of thousands of entries
/// bumps each of its lists once), lists in id order so concurrent writers lock them alike.
const POSTGRES_ENTRIES_FUNCTION: &str = "CREATE FUNCTION pairing_versions_entries() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO pairing_versions AS v (ward_list_id, campaign_id, version)
        SELECT DISTINCT ward_list_id, campaign_id, 1 FROM added ORDER BY 1
        ON CONFLICT (ward_list_id) DO UPDATE SET version = v.version + 1;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO pairing_versions AS v (ward_list_id, campaign_id, version)
        SELECT DISTINCT ward_list_id, campaign_id, 1 FROM removed ORDER BY 1
        ON CONFLICT (ward_list_id) DO UPDATE SET version = v.version + 1;
    ELSE
        INSERT INTO pairing_versions AS v (ward_list_id, campaign_id, version)
        SELECT DISTINCT l.list_id, l.campaign_id, 1 FROM (
            SELECT a.ward_list_id AS list, a.campaign_id AS campaign, r.ward_list_id AS old_list,
                   r.campaign_id AS old_campaign
            FROM added a JOIN removed r ON r.id = a.id
            WHERE (a.person_id, a.program_id, a.ward_id, a.ward_list_id, a.household_id)
                  IS DISTINCT FROM
                  (r.person_id, r.program_id, r.ward_id, r.ward_list_id, r.household_id)
        ) AS moved CROSS JOIN LATERAL (VALUES (moved.list, moved.campaign),
            (moved.old_list, moved.old_campaign)) AS l(list_id, campaign_id)
        ORDER BY 1
        ON CONFLICT (ward_list_id) DO UPDATE SET version = v.version + 1;
    END IF;
    RETURN NULL;
END
$$";

const POSTGRES_PEOPLE_FUNCTION: &str = "CREATE FUNCTION pairing_versions_people() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO pairing_versions AS v (ward_list_id, campaign_id, version)
    SELECT DISTINCT e.ward_list_id, e.campaign_id, 1
    FROM added a JOIN removed r ON r.id = a.id
    JOIN entries e ON e.campaign_id IN (SELECT id FROM campaigns) AND e.person_id = a.id
    WHERE (a.name_key, a.birth_year, a.address_key, a.household_id)
          IS DISTINCT FROM (r.name_key, r.birth_year, r.address_key, r.household_id)
    ORDER BY 1
    ON CONFLICT (ward_list_id) DO UPDATE SET version = v.version + 1;
    RETURN NULL;
END
$$";

const POSTGRES_PROGRAMS_FUNCTION: &str =
    "CREATE FUNCTION pairing_versions_programs() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE pairing_versions SET version = version + 1 WHERE campaign_id = NEW.campaign_id;
    RETURN NULL;
END
$$";

fn postgres_statements() -> Vec<String> {
    vec![
        POSTGRES_ENTRIES_FUNCTION.to_owned(),
        POSTGRES_PEOPLE_FUNCTION.to_owned(),
        POSTGRES_PROGRAMS_FUNCTION.to_owned(),
        "CREATE TRIGGER tr_entries_pairing_insert AFTER INSERT ON entries \
         REFERENCING NEW TABLE AS added \
         FOR EACH STATEMENT EXECUTE FUNCTION pairing_versions_entries()"
            .to_owned(),
        "CREATE TRIGGER tr_entries_pairing_delete AFTER DELETE ON entries \
         REFERENCING OLD TABLE AS removed \
         FOR EACH STATEMENT EXECUTE FUNCTION pairing_versions_entries()"
            .to_owned(),
        // A statement trigger with transition tables cannot name columns (`UPDATE OF`): the
        // function compares them, so a gift recorded (a status change) bumps nothing.
        "CREATE TRIGGER tr_entries_pairing_update AFTER UPDATE ON entries \
         REFERENCING OLD TABLE AS removed NEW TABLE AS added \
         FOR EACH STATEMENT EXECUTE FUNCTION pairing_versions_entries()"
            .to_owned(),
        "CREATE TRIGGER tr_people_pairing AFTER UPDATE ON people \
         REFERENCING OLD TABLE AS removed NEW TABLE AS added \
         FOR EACH STATEMENT EXECUTE FUNCTION pairing_versions_people()"
            .to_owned(),
        "CREATE TRIGGER tr_programs_pairing AFTER UPDATE OF one_per_household ON gift_programs \
         FOR EACH ROW WHEN (OLD.one_per_household IS DISTINCT FROM NEW.one_per_household) \
         EXECUTE FUNCTION pairing_versions_programs()"
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
            "CREATE TABLE pairing_versions (ward_list_id integer NOT NULL PRIMARY KEY, \
             campaign_id integer NOT NULL, version bigint NOT NULL)",
        )
        .await?;
        db.execute_unprepared(
            "CREATE INDEX ix_pairing_versions_campaign ON pairing_versions (campaign_id)",
        )
        .await?;
        // Every list starts at 1, so the first view after this migration finds its pairs.
        db.execute_unprepared(
            "INSERT INTO pairing_versions (ward_list_id, campaign_id, version) \
             SELECT id, campaign_id, 1 FROM ward_lists",
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
