//! The storage floor of an import: how long the database engine alone takes to store the
//! rows an import of the benchmark's list stores, with Chamlo's schema (its indexes, foreign
//! keys and tally triggers) and Chamlo's connection settings, and nothing else.
//!
//! The import targets of issue 7 compare a whole `chamlo import` (reading, checking and
//! storing) with other tools. This floor says what part of that time no import code can
//! remove: if the engine needs longer than a target allows just to store the rows, the
//! target asks for a different schema, not for faster code. `scripts/bench.sh` prepares a
//! freshly migrated database holding the imported rows in two staging tables,
//! `stage_people` and `stage_entries` (copies of `people` and `entries` made by the engine's
//! own shell: `sqlite3` or `psql`), with the import's ward lists and batches already in
//! place; this program then times, in one write transaction as the import takes it:
//!
//! ```sql
//! INSERT INTO people SELECT * FROM stage_people;
//! INSERT INTO entries SELECT * FROM stage_entries;
//! COMMIT;
//! ```
//!
//! No rows cross a connection, no statement is prepared more than once and no value is
//! converted: the engine's own work on the same rows.
//!
//! ```text
//! cargo run --release --example storage_floor -- DATABASE_URL
//! ```
//! prints one line, `floor_seconds=<f64>`, for a bench script to parse.

use std::error::Error;
use std::time::Instant;

use sea_orm::ConnectionTrait;

use chamlo::db::write_txn::begin_write;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn Error>> {
    let Some(url) = std::env::args().nth(1) else {
        eprintln!("usage: storage_floor DATABASE_URL (with stage_people and stage_entries)");
        std::process::exit(2);
    };
    let db = chamlo::db::connect(&url).await?;

    let start = Instant::now();
    let txn = begin_write(&db).await?;
    let people = txn
        .execute_unprepared("INSERT INTO people SELECT * FROM stage_people")
        .await?
        .rows_affected();
    let entries = txn
        .execute_unprepared("INSERT INTO entries SELECT * FROM stage_entries")
        .await?
        .rows_affected();
    txn.commit().await?;
    let seconds = start.elapsed().as_secs_f64();

    eprintln!("stored {people} people and {entries} entries");
    println!("floor_seconds={seconds:.3}");
    Ok(())
}
