//! Many rows out of SQLite as one: `SELECT COUNT(*), json_group_array(json_array(…)) FROM
//! (query)`.
//!
//! sqlx's SQLite driver runs statements on a worker thread and hands every row over to the
//! caller, copying it value by value. For a query of many rows that costs several times the
//! query itself: a 100,000-row export's loading, and half of a 50-row list page under load
//! (measured with wrk). One row holding a JSON array that SQLite builds crosses once and is
//! decoded with serde, where the caller likes (the export does it on its writer threads).
//! PostgreSQL's driver decodes rows on the caller's thread without a hand-off, and building
//! the JSON costs its server what the client saves (measured on the export), so callers
//! read plain rows there.

use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement};

/// The rows of a SQLite `statement`, as a count and one JSON array of arrays: one inner
/// array per row, holding `columns` (SQL expressions over the statement's result columns,
/// comma-separated) in order. SQL does not promise that an aggregate sees its input in the
/// statement's ORDER BY, so callers that need an order sort after decoding.
pub async fn sqlite_rows_as_json(
    db: &impl ConnectionTrait,
    statement: Statement,
    columns: &str,
) -> Result<(usize, String), DbErr> {
    let wrapped = Statement::from_sql_and_values(
        DbBackend::Sqlite,
        format!(
            "SELECT COUNT(*) AS n, json_group_array(json_array({columns})) AS rows \
             FROM ({}) AS inner_rows",
            statement.sql
        ),
        statement.values.map(|values| values.0).unwrap_or_default(),
    );
    let Some(row) = db.query_one_raw(wrapped).await? else {
        return Ok((0, "[]".to_owned()));
    };
    let count: i64 = row.try_get("", "n")?;
    let json: String = row.try_get("", "rows")?;
    Ok((usize::try_from(count).unwrap_or(0), json))
}
