//! Database plumbing: connecting and bringing the schema up to date (here), transactions
//! that write, many SQLite rows read as one JSON row, several tables' columns read in one row,
//! and the bulk INSERTs of an import.
//! Nothing here knows a rule of the domain.

pub mod bulk_insert;
pub mod prefixed_columns;
pub mod sqlite_json_rows;
pub mod write_txn;

use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::postgres::{PgConnectOptions, PgSslMode};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbErr};

/// Opens a pool on `url`. SQLite gets WAL, synchronous=NORMAL, foreign keys and a busy
/// timeout, so that readers never wait for the writer and a second writer waits instead of failing;
/// and a page cache large enough to hold a district's indexes while an import writes them
/// (the default 2 MB makes a 100,000-row import spill and re-read index pages), with the
/// statement journals of multi-row INSERTs kept in memory rather than in temporary files.
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .sqlx_logging(false)
        .acquire_timeout(Duration::from_secs(30))
        // A connection is checked (a round trip to the database) before it is handed out only
        // when it has sat idle for a while, not before every statement: sqlx's default ping
        // on every acquire doubled the round trips of each page (a ward's list runs six
        // statements), a third of the server's time on it under 50 clients. A connection that
        // died in use fails its statement either way; one left idle is still checked.
        .test_before_acquire_if_idle_for(Duration::from_secs(30));
    if url.starts_with("sqlite:") {
        let in_memory = url.contains(":memory:") || url.contains("mode=memory");
        // An in-memory database exists per connection, so it must stay on one.
        options.max_connections(if in_memory { 1 } else { 8 });
        options.map_sqlx_sqlite_opts(|opts| {
            opts.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                .pragma("cache_size", "-32768")
                .pragma("temp_store", "memory")
        });
    } else {
        options.max_connections(16);
        // No JIT compilation: the pages' queries are short, and PostgreSQL compiles a query
        // whose estimated cost crosses `jit_above_cost` (a list search's per-entry subquery
        // does), which cost a search 20 ms of compiling for 60 ms of work.
        let plain = plain_on_loopback(url);
        options.map_sqlx_postgres_opts(move |opts| {
            let opts = opts.options([("jit", "off")]);
            if plain {
                opts.ssl_mode(PgSslMode::Disable)
            } else {
                opts
            }
        });
    }
    Database::connect(options).await
}

/// Whether to reach PostgreSQL without TLS: only when the server is on this very machine
/// (a loopback address or `localhost`) and neither the URL (`sslmode=`) nor `PGSSLMODE` asks
/// for a mode. On loopback the bytes never leave the machine, so TLS protects nothing, yet
/// sqlx's handshake costs each new connection about 90 ms here (a command-line run opens
/// two: a sixth of a whole export). A remote server keeps the default, `prefer`; set
/// `sslmode=verify-full` in the URL to require a verified certificate.
fn plain_on_loopback(url: &str) -> bool {
    let asks_for_mode = url.split_once('?').is_some_and(|(_, query)| {
        query.split('&').any(|pair| {
            let key = pair.split('=').next().unwrap_or_default();
            key.eq_ignore_ascii_case("sslmode") || key.eq_ignore_ascii_case("ssl-mode")
        })
    });
    if asks_for_mode || std::env::var_os("PGSSLMODE").is_some() {
        return false;
    }
    let Ok(options) = url.parse::<PgConnectOptions>() else {
        return false;
    };
    let host = options
        .get_host()
        .trim_start_matches('[')
        .trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|address| address.is_loopback())
}

/// Applies every pending migration (schema and seed data).
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// Checks the database answers, for `/healthz`.
pub async fn ping(db: &DatabaseConnection) -> Result<(), DbErr> {
    db.execute_unprepared("SELECT 1").await.map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::plain_on_loopback;

    #[test]
    fn tls_is_skipped_only_for_a_loopback_server_with_no_mode_asked() {
        if std::env::var_os("PGSSLMODE").is_some() {
            // The environment asks for a mode: every URL keeps it (checked below otherwise).
            assert!(!plain_on_loopback(
                "postgres://postgres@127.0.0.1:5432/test"
            ));
            return;
        }
        for url in [
            "postgres://postgres@127.0.0.1:5432/test",
            "postgres://postgres@localhost/test",
            "postgresql://chamlo:secret@[::1]:5432/chamlo",
            "postgres://postgres@127.0.0.1:5432/test?application_name=chamlo",
        ] {
            assert!(plain_on_loopback(url), "{url}");
        }
        for url in [
            "postgres://chamlo:secret@db.example:5432/chamlo",
            "postgres://chamlo@10.0.0.5/chamlo",
            "postgres://postgres@127.0.0.1:5432/test?sslmode=require",
            "postgres://postgres@localhost/test?application_name=x&SSLMODE=verify-full",
            "postgres://postgres@localhost/test?ssl-mode=prefer",
        ] {
            assert!(!plain_on_loopback(url), "{url}");
        }
    }
}
