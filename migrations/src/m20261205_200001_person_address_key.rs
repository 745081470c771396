//! A person's folded address (`people.address_key`, [`chamlo_vn::text::address_key`] of
//! `address`) and an index on `(name_key, birth_year, address_key)`: the duplicate review
//! of one ward finds the people whose name, birth year and address match one of the ward's
//! by a probe of this index per listed person, instead of reading every person with the
//! same name and birth year (tens of thousands at city size) and folding their addresses.
//!
//! Existing people are filled in here, in batches of ids, by the same function the service
//! uses when it writes a person (the folding drops diacritics, which SQL cannot do alike on
//! both engines). The index is built after the fill, once.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, Statement, Value};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// People read and written per statement (two bound values each, under either engine's limit).
const BATCH: usize = 2_000;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    fn use_transaction(&self) -> Option<bool> {
        Some(true)
    }

    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared("ALTER TABLE people ADD COLUMN address_key varchar NULL")
            .await?;
        backfill(db).await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_people_name_key_birth_year_address_key")
                    .table("people")
                    .col("name_key")
                    .col("birth_year")
                    .col("address_key")
                    .to_owned(),
            )
            .await
    }
}

/// Sets `address_key` of every person with an address, by ascending id.
async fn backfill(db: &SchemaManagerConnection<'_>) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    let mut after = 0i32;
    loop {
        let rows = db
            .query_all_raw(Statement::from_sql_and_values(
                backend,
                format!(
                    "SELECT id, address FROM people WHERE id > {} AND address IS NOT NULL \
                     ORDER BY id LIMIT {BATCH}",
                    placeholder(backend, 1)
                ),
                [after.into()],
            ))
            .await?;
        let Some(last) = rows.last() else {
            return Ok(());
        };
        after = last.try_get("", "id")?;
        let mut values: Vec<Value> = Vec::with_capacity(rows.len() * 2);
        let mut tuples: Vec<String> = Vec::with_capacity(rows.len());
        for row in &rows {
            let id: i32 = row.try_get("", "id")?;
            let address: String = row.try_get("", "address")?;
            let Some(key) = chamlo_vn::text::address_key(&address) else {
                continue;
            };
            let n = values.len();
            tuples.push(format!(
                "({}, {})",
                placeholder(backend, n + 1),
                placeholder(backend, n + 2)
            ));
            values.push(id.into());
            values.push(key.into());
        }
        if tuples.is_empty() {
            continue;
        }
        db.execute_raw(Statement::from_sql_and_values(
            backend,
            format!(
                "UPDATE people SET address_key = v.column2 FROM (VALUES {}) AS v \
                 WHERE people.id = v.column1",
                tuples.join(", ")
            ),
            values,
        ))
        .await?;
    }
}

/// The `n`-th bound value's placeholder (1-based) in the engine's syntax.
fn placeholder(backend: sea_orm_migration::sea_orm::DbBackend, n: usize) -> String {
    match backend {
        sea_orm_migration::sea_orm::DbBackend::Postgres => format!("${n}"),
        _ => "?".to_owned(),
    }
}
