//! Transactions that write: on SQLite they take the write lock at `BEGIN`.
//!
//! In WAL mode a plain (deferred) SQLite transaction starts as a reader and becomes a writer
//! at its first write. If another connection committed in between, that upgrade fails at
//! once with "database is locked" (SQLITE_BUSY_SNAPSHOT), which the busy timeout cannot wait
//! out: two officers approving lists or recording gifts at the same instant would see an
//! error page. `BEGIN IMMEDIATE` takes the write lock first, waiting up to the busy timeout
//! for a concurrent writer to finish, and then reads what it is about to change. Writers
//! still run one at a time on SQLite (they always did); readers are never blocked. PostgreSQL
//! ignores the mode: its row locks and constraints already order concurrent writers.

use sea_orm::{DbErr, SqliteTransactionMode, TransactionOptions, TransactionTrait};

/// Begins a transaction that will write (see the module's documentation). Inside another
/// transaction it is a savepoint, as `begin` is.
pub async fn begin_write<C: TransactionTrait>(db: &C) -> Result<C::Transaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    })
    .await
}
