//! Multi-row INSERTs for the bulk of an import: the SQL written once per table and row count,
//! as many rows per statement as each engine allows, and the new ids read back in row order.
//! Plumbing only: which rows to insert is the domain's business (domain/import_commit.rs).

use std::collections::HashMap;
use std::fmt::Write as _;

use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DbBackend, DbErr, Statement, Value};

/// A multi-row INSERT: the columns every row shares (bound once per statement) and those
/// each row gives.
pub struct InsertShape {
    /// The table inserted into.
    pub table: &'static str,
    /// Columns whose value is the same for every row (bound once per statement).
    pub shared_columns: &'static [&'static str],
    /// Each with its PostgreSQL type, for reading the rows back out of their arrays.
    pub row_columns: &'static [(&'static str, &'static str)],
}

/// Longest multi-row INSERT: past a couple of thousand rows a longer statement saves
/// nothing and only costs memory (its prepared form grows with it).
const MAX_ROWS_PER_INSERT: usize = 2048;

/// Rows per INSERT on PostgreSQL, as one array parameter per column (about a megabyte of
/// text): an import's batch of 16,384 rows goes in four statements per table, each built
/// while the one before runs ([`BulkInsert::insert_all`]), so the server waits only for the
/// first.
const ARRAY_ROWS_PER_INSERT: usize = 4096;

/// The shorter statements that carry what is left after the full ones: few distinct shapes
/// (each prepared once per connection and kept in the driver's cache), few statements.
const TAIL_ROWS: [usize; 3] = [256, 16, 1];

/// Multi-row INSERT statements, their SQL written once per table and row count (so the
/// driver prepares each once and reuses it), as many rows per statement as the engine's
/// limit on bound parameters allows: 32,766 on SQLite, 65,535 on PostgreSQL. Values every
/// row shares are bound once per statement (see [`insert_sql`]).
pub struct BulkInsert {
    backend: DbBackend,
    sql: HashMap<(&'static str, usize, bool), String>,
}

impl BulkInsert {
    /// Statements for `backend`, none written yet.
    pub fn new(backend: DbBackend) -> Self {
        BulkInsert {
            backend,
            sql: HashMap::new(),
        }
    }

    fn parameter_limit(&self) -> usize {
        parameter_limit(self.backend)
    }

    /// Rows in a full statement of `shape`: on SQLite as many as its limit on bound
    /// parameters allows (up to [`MAX_ROWS_PER_INSERT`]); on PostgreSQL, which gets the rows
    /// as one array parameter per column, [`ARRAY_ROWS_PER_INSERT`].
    fn rows_per_statement(&self, shape: &InsertShape) -> usize {
        match self.backend {
            DbBackend::Postgres => ARRAY_ROWS_PER_INSERT,
            _ => ((self.parameter_limit() - shape.shared_columns.len())
                / shape.row_columns.len().max(1))
            .clamp(1, MAX_ROWS_PER_INSERT),
        }
    }

    /// The row counts of the statements that insert `total` rows: full ones, then the tail
    /// (on PostgreSQL one shorter statement, whose SQL is the same).
    fn statement_sizes(&self, shape: &InsertShape, total: usize) -> Vec<usize> {
        let full = self.rows_per_statement(shape);
        let mut sizes = vec![full; total / full];
        let mut left = total % full;
        if self.backend == DbBackend::Postgres {
            if left > 0 {
                sizes.push(left);
            }
            return sizes;
        }
        for step in TAIL_ROWS.into_iter().filter(|s| *s < full) {
            while left >= step {
                sizes.push(step);
                left -= step;
            }
        }
        sizes
    }

    fn sql(&mut self, shape: &InsertShape, rows: usize, returning: bool) -> &str {
        let backend = self.backend;
        // PostgreSQL's SQL does not depend on the number of rows.
        let rows = if backend == DbBackend::Postgres {
            0
        } else {
            rows
        };
        self.sql
            .entry((shape.table, rows, returning))
            .or_insert_with(|| insert_sql(backend, shape, rows, returning))
    }

    fn statement(
        &mut self,
        shape: &InsertShape,
        shared: &[Value],
        rows: std::ops::Range<usize>,
        returning: bool,
        fill: &mut impl FnMut(std::ops::Range<usize>, &mut Vec<Value>),
    ) -> Result<Statement, DbErr> {
        let count = rows.len();
        let mut values = Vec::with_capacity(shared.len() + count * shape.row_columns.len());
        values.extend_from_slice(shared);
        fill(rows, &mut values);
        if self.backend == DbBackend::Postgres {
            let arrays = columns_as_arrays(shape, &values[shared.len()..])?;
            values.truncate(shared.len());
            values.extend(arrays.into_iter().map(Value::from));
        }
        let backend = self.backend;
        Ok(Statement::from_sql_and_values(
            backend,
            self.sql(shape, count, returning),
            values,
        ))
    }

    /// Inserts `total` rows of `shape`: `shared` are the values of its shared columns,
    /// `fill(range, values)` appends the row columns' values of the rows in `range`. With
    /// `returning`, gives the new ids in the order of the rows.
    ///
    /// Each statement is built while the previous one runs: the database works on its own
    /// thread (SQLite's worker) or server (PostgreSQL), so the two overlap.
    pub async fn insert_all(
        &mut self,
        db: &impl ConnectionTrait,
        shape: &InsertShape,
        shared: Vec<Value>,
        total: usize,
        returning: bool,
        mut fill: impl FnMut(std::ops::Range<usize>, &mut Vec<Value>),
    ) -> Result<Vec<i32>, DbErr> {
        let mut ids = Vec::with_capacity(if returning { total } else { 0 });
        let mut ranges = self
            .statement_sizes(shape, total)
            .into_iter()
            .scan(0, |start, size| {
                let range = *start..*start + size;
                *start += size;
                Some(range)
            });
        let mut next = match ranges.next() {
            Some(range) => {
                let rows = range.len();
                Some((
                    self.statement(shape, &shared, range, returning, &mut fill)?,
                    rows,
                ))
            }
            None => None,
        };
        while let Some((statement, rows)) = next.take() {
            let following = ranges.next();
            let (done, built) = tokio::join!(run_insert(db, statement, rows, returning), async {
                following.map(|range| {
                    let rows = range.len();
                    self.statement(shape, &shared, range, returning, &mut fill)
                        .map(|statement| (statement, rows))
                })
            });
            ids.extend(done?);
            next = built.transpose()?;
        }
        Ok(ids)
    }
}

/// The engine's limit on bound parameters per statement.
fn parameter_limit(backend: DbBackend) -> usize {
    match backend {
        DbBackend::Postgres => 65_535,
        _ => 32_766,
    }
}

/// Conditions that `column` holds one of `values`, one `IN (…)` per statement to run, in
/// chunks inside `backend`'s limit on bound parameters. (On PostgreSQL the values as one
/// array, `= ANY($1)` or `IN (SELECT unnest($1))`, were tried: against a table filling up
/// inside the transaction, with no statistics yet, the planner scanned it for every batch,
/// from 25 s a batch down to one scan of the table at best, where the list of parameters is
/// looked up in the index.)
pub fn one_of(backend: DbBackend, column: impl ColumnTrait, values: &[&str]) -> Vec<Expr> {
    values
        .chunks(parameter_limit(backend) - 766)
        .map(|chunk| column.is_in(chunk.iter().copied()))
        .collect()
}

/// The SQL of a `rows`-row INSERT of `shape`, the shared values first.
///
/// PostgreSQL gets the rows as one array per column, bound as text and read back by
/// `unnest(…)` in row order: a statement of thousands of parameters costs it more to parse,
/// bind and plan than to run, and one parameter per column needs a single prepared statement
/// whatever the number of rows. The arrays replaced one JSON array of objects
/// (`json_to_recordset`), which named every column in every row: 100,000 rows imported in
/// 5.73 s instead of 5.87 s (median of nine each, alternated). SQLite
/// takes the rows as plain positional parameters, row after row; the shared values are
/// selected once beside them (`SELECT ?, ?, v.* FROM (VALUES …) AS v`). Numbered
/// parameters (`?1` reused in every row) would be shorter, but SQLite looks them up in a
/// linear list, at prepare and at every bind: quadratic in a statement of thousands.
fn insert_sql(backend: DbBackend, shape: &InsertShape, rows: usize, returning: bool) -> String {
    let shared = shape.shared_columns.len();
    let columns: Vec<&str> = shape
        .shared_columns
        .iter()
        .copied()
        .chain(shape.row_columns.iter().map(|(name, _)| *name))
        .collect();
    let mut sql = format!(
        "INSERT INTO {} ({}) SELECT ",
        shape.table,
        columns.join(", ")
    );
    if backend == DbBackend::Postgres {
        for n in 1..=shared {
            let _ = write!(sql, "${n}, ");
        }
        let names: Vec<String> = shape
            .row_columns
            .iter()
            .map(|(name, _)| format!("r.{name}"))
            .collect();
        let arrays: Vec<String> = shape
            .row_columns
            .iter()
            .enumerate()
            .map(|(i, (_, kind))| format!("${}::text::{kind}[]", shared + 1 + i))
            .collect();
        let columns: Vec<&str> = shape.row_columns.iter().map(|(name, _)| *name).collect();
        let _ = write!(
            sql,
            "{} FROM unnest({}) AS r({})",
            names.join(", "),
            arrays.join(", "),
            columns.join(", ")
        );
        if returning {
            sql.push_str(" RETURNING id");
        }
        return sql;
    }
    sql.push_str(&"?, ".repeat(shared));
    sql.push_str("v.* FROM (VALUES ");
    let row = format!("({})", vec!["?"; shape.row_columns.len()].join(", "));
    for n in 0..rows {
        if n > 0 {
            sql.push_str(", ");
        }
        sql.push_str(&row);
    }
    sql.push_str(") AS v");
    sql
}

/// The rows' values (row after row, in the order of `shape.row_columns`) as one PostgreSQL
/// array literal per column (`{1,NULL,3}`, strings quoted with `"` and `\\` escaped), each
/// bound as text and cast to its column's array type, then read back by `unnest` in row order.
fn columns_as_arrays(shape: &InsertShape, values: &[Value]) -> Result<Vec<String>, DbErr> {
    let width = shape.row_columns.len().max(1);
    let rows = values.len() / width;
    let mut arrays: Vec<String> = (0..width)
        .map(|_| String::with_capacity(rows * 8 + 2))
        .collect();
    for array in &mut arrays {
        array.push('{');
    }
    for (n, row) in values.chunks(width).enumerate() {
        for (((name, _), value), array) in shape.row_columns.iter().zip(row).zip(&mut arrays) {
            if n > 0 {
                array.push(',');
            }
            let _ = match value {
                Value::Int(Some(v)) => write!(array, "{v}"),
                Value::BigInt(Some(v)) => write!(array, "{v}"),
                Value::ChronoDate(Some(v)) => write!(array, "{v}"),
                Value::String(Some(v)) => {
                    array.push('"');
                    for c in v.chars() {
                        if matches!(c, '"' | '\\') {
                            array.push('\\');
                        }
                        array.push(c);
                    }
                    array.push('"');
                    Ok(())
                }
                Value::Int(None)
                | Value::BigInt(None)
                | Value::String(None)
                | Value::ChronoDate(None) => {
                    array.push_str("NULL");
                    Ok(())
                }
                other => {
                    return Err(DbErr::Custom(format!(
                        "no array form for {other:?} in column {name}"
                    )));
                }
            };
        }
    }
    for array in &mut arrays {
        array.push('}');
    }
    Ok(arrays)
}

/// Runs one INSERT of `rows` rows; with `returning`, gives their new ids in the order of
/// the rows.
///
/// PostgreSQL returns them (`RETURNING id`): it numbers the rows of one INSERT in the order
/// of its VALUES, but does not promise to return them in that order, so they are sorted; and
/// its sequences may hand numbers to concurrent sessions in between, so they must be read.
/// SQLite gives an AUTOINCREMENT row one more than the largest id the table ever had, and
/// this transaction holds the only write lock: one statement's rows get consecutive ids
/// ending at the last inserted one. Reading them back instead would send each id as a row
/// from the driver's thread, which costs more than inserting the row.
async fn run_insert(
    db: &impl ConnectionTrait,
    statement: Statement,
    rows: usize,
    returning: bool,
) -> Result<Vec<i32>, DbErr> {
    if db.get_database_backend() != DbBackend::Postgres || !returning {
        let done = db.execute_raw(statement).await?;
        if !returning {
            return Ok(Vec::new());
        }
        let last = i64::try_from(done.last_insert_id())
            .map_err(|_| DbErr::Custom("insert id out of range".into()))?;
        let first = last - rows as i64 + 1;
        return (first..=last)
            .map(|id| i32::try_from(id).map_err(|_| DbErr::Custom("insert id out of range".into())))
            .collect();
    }
    let mut ids = db
        .query_all_raw(statement)
        .await?
        .iter()
        .map(|row| row.try_get::<i32>("", "id"))
        .collect::<Result<Vec<_>, _>>()?;
    ids.sort_unstable();
    Ok(ids)
}
