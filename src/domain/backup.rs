//! Backing the database up and restoring it, for `chamlo backup` and `chamlo restore`.
//!
//! SQLite: the backup is a consistent copy taken online with `VACUUM INTO` on a pool
//! connection (writers keep working; the copy is one snapshot); restoring checks the file is a
//! SQLite database with Chamlo's schema (its `seaql_migrations` table names only migrations
//! this binary knows), then puts it in place of the configured file. That must happen while the
//! service is stopped: the restore refuses when another connection holds the database open.
//!
//! PostgreSQL: `pg_dump --format=custom` and `pg_restore --clean --if-exists
//! --single-transaction`, run as child processes (the PostgreSQL client tools of the server's
//! major version must be installed). The password is passed in `PGPASSWORD`, never on the
//! command line where other users of the machine could read it.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sea_orm::sqlx::{self, Connection};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr};

/// Why a backup or a restore did not happen. Each message says what to do (Vietnamese).
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The backup would overwrite an existing file.
    #[error("Tệp {0} đã có sẵn: lệnh sao lưu không ghi đè tệp cũ, hãy chọn một tên tệp khác.")]
    OutputExists(PathBuf),
    /// The file to restore is missing.
    #[error("Không tìm thấy tệp sao lưu {0}.")]
    BackupMissing(PathBuf),
    /// The file to restore is not a backup of a Chamlo database.
    #[error(
        "Tệp {path} không phải bản sao lưu cơ sở dữ liệu Chamlo ({why}); không khôi phục gì cả."
    )]
    NotABackup {
        /// The file given.
        path: PathBuf,
        /// What is wrong with it.
        why: String,
    },
    /// The configured SQLite database is open in another process (the service is running).
    #[error(
        "Cơ sở dữ liệu {0} đang được mở bởi một tiến trình khác (dịch vụ Chamlo còn đang chạy?): hãy dừng dịch vụ rồi chạy lại lệnh khôi phục."
    )]
    InUse(PathBuf),
    /// The configured database is neither a SQLite file nor PostgreSQL.
    #[error(
        "Chỉ sao lưu, khôi phục được cơ sở dữ liệu SQLite dạng tệp hoặc PostgreSQL; địa chỉ cơ sở dữ liệu đang cấu hình không thuộc hai loại đó."
    )]
    Unsupported,
    /// The configured SQLite database file does not exist.
    #[error("Chưa có cơ sở dữ liệu {0} để sao lưu.")]
    NoDatabase(PathBuf),
    /// A PostgreSQL client tool is not installed.
    #[error(
        "Không chạy được chương trình {0}: hãy cài gói công cụ PostgreSQL (postgresql-client) cùng phiên bản với máy chủ."
    )]
    ToolMissing(&'static str),
    /// A PostgreSQL client tool failed.
    #[error("{tool} báo lỗi: {message}")]
    ToolFailed {
        /// pg_dump or pg_restore.
        tool: &'static str,
        /// The first line of what it said.
        message: String,
    },
    /// Reading or writing a file failed.
    #[error("Lỗi đọc hoặc ghi tệp {path}: {source}")]
    Io {
        /// The file concerned.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The database answered with an error.
    #[error("Lỗi cơ sở dữ liệu: {0}")]
    Db(#[from] DbErr),
}

/// What a backup wrote.
#[derive(Debug, Clone)]
pub struct BackupReport {
    /// The backup file.
    pub path: PathBuf,
    /// Its size in bytes.
    pub bytes: u64,
}

/// Which kind of database a URL names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseTarget {
    /// A SQLite database file.
    SqliteFile(PathBuf),
    /// A PostgreSQL database.
    Postgres {
        /// The URL without its password.
        url: String,
        /// The password, percent-decoded, for `PGPASSWORD`.
        password: Option<String>,
    },
}

impl DatabaseTarget {
    /// Reads a `DATABASE_URL`: `sqlite://FILE?…`, `sqlite:FILE` or `postgres[ql]://…`.
    /// In-memory SQLite has nothing to back up.
    pub fn parse(url: &str) -> Result<Self, BackupError> {
        if let Some(rest) = url.strip_prefix("sqlite:") {
            let rest = rest.strip_prefix("//").unwrap_or(rest);
            let (file, query) = rest.split_once('?').unwrap_or((rest, ""));
            if file.is_empty() || file == ":memory:" || query.contains("mode=memory") {
                return Err(BackupError::Unsupported);
            }
            return Ok(DatabaseTarget::SqliteFile(PathBuf::from(file)));
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let (url, password) = split_password(url);
            return Ok(DatabaseTarget::Postgres { url, password });
        }
        Err(BackupError::Unsupported)
    }
}

/// Takes `user:secret@` apart into the URL with `user@` and the decoded secret.
fn split_password(url: &str) -> (String, Option<String>) {
    let Some((scheme, rest)) = url.split_once("://") else {
        return (url.to_owned(), None);
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let Some((userinfo, host)) = authority.rsplit_once('@') else {
        return (url.to_owned(), None);
    };
    match userinfo.split_once(':') {
        Some((user, password)) => (
            format!("{scheme}://{user}@{host}{tail}"),
            Some(percent_decode(password)),
        ),
        None => (url.to_owned(), None),
    }
}

fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> BackupError + '_ {
    move |source| BackupError::Io {
        path: path.to_owned(),
        source,
    }
}

/// Writes a backup of the database `db` (configured as `database_url`) to `out`, which must
/// not exist yet.
pub async fn backup(
    db: &DatabaseConnection,
    database_url: &str,
    out: &Path,
) -> Result<BackupReport, BackupError> {
    if out.exists() {
        return Err(BackupError::OutputExists(out.to_owned()));
    }
    match DatabaseTarget::parse(database_url)? {
        DatabaseTarget::SqliteFile(_) => {
            if db.get_database_backend() != DbBackend::Sqlite {
                return Err(BackupError::Unsupported);
            }
            let target = out.to_string_lossy().replace('\'', "''");
            // One statement on one pool connection: a consistent snapshot, taken online.
            db.execute_unprepared(&format!("VACUUM INTO '{target}'"))
                .await?;
        }
        DatabaseTarget::Postgres { url, password } => {
            let mut command = Command::new("pg_dump");
            command
                .arg("--format=custom")
                .arg("--file")
                .arg(out)
                .arg("--dbname")
                .arg(&url);
            run_tool("pg_dump", command, password.as_deref())?;
        }
    }
    let bytes = std::fs::metadata(out).map_err(io_error(out))?.len();
    Ok(BackupReport {
        path: out.to_owned(),
        bytes,
    })
}

/// Restores the backup `from` into the database configured as `database_url`.
///
/// SQLite: the service must be stopped (refused while another connection holds the file
/// open); the file replaces the configured one whole, and the next start applies any
/// migration newer than the backup. PostgreSQL: the backup's objects are dropped and
/// recreated in one transaction, so a failed restore changes nothing.
pub async fn restore(database_url: &str, from: &Path) -> Result<(), BackupError> {
    if !from.is_file() {
        return Err(BackupError::BackupMissing(from.to_owned()));
    }
    match DatabaseTarget::parse(database_url)? {
        DatabaseTarget::SqliteFile(target) => restore_sqlite(&target, from).await,
        DatabaseTarget::Postgres { url, password } => {
            check_pg_archive(from, password.as_deref())?;
            let mut command = Command::new("pg_restore");
            command
                .arg("--clean")
                .arg("--if-exists")
                .arg("--no-owner")
                .arg("--single-transaction")
                .arg("--exit-on-error")
                .arg("--dbname")
                .arg(&url)
                .arg(from);
            run_tool("pg_restore", command, password.as_deref())?;
            Ok(())
        }
    }
}

async fn restore_sqlite(target: &Path, from: &Path) -> Result<(), BackupError> {
    let mut header = [0u8; 16];
    let read = std::fs::File::open(from)
        .and_then(|mut f| std::io::Read::read(&mut f, &mut header))
        .map_err(io_error(from))?;
    if read < 16 || &header != b"SQLite format 3\0" {
        return Err(not_a_backup(from, "không phải tệp SQLite"));
    }
    // Checked and prepared on a private copy beside the target, then renamed over it, so
    // the backup itself is never touched and the target is never half-written.
    let file_name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "chamlo.db".to_owned());
    let staging = target.with_file_name(format!("{file_name}.restoring"));
    remove_sqlite_files(&staging);
    std::fs::copy(from, &staging).map_err(io_error(&staging))?;
    let result = async {
        check_sqlite_backup(&staging, from).await?;
        if target.exists() {
            ensure_not_in_use(target).await?;
        }
        std::fs::rename(&staging, target).map_err(io_error(target))?;
        for suffix in ["-wal", "-shm", "-journal"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", target.display()));
        }
        Ok(())
    }
    .await;
    if result.is_err() {
        remove_sqlite_files(&staging);
    }
    result
}

fn remove_sqlite_files(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

fn not_a_backup(path: &Path, why: &str) -> BackupError {
    BackupError::NotABackup {
        path: path.to_owned(),
        why: why.to_owned(),
    }
}

async fn open_one(path: &Path) -> Result<SqliteConnection, sqlx::Error> {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(false)
        .busy_timeout(Duration::from_secs(2));
    SqliteConnection::connect_with(&options).await
}

/// The copy must be an intact SQLite database whose migrations are all known to this binary
/// (a backup from a newer Chamlo would be run by code that does not know its schema). It is
/// left in rollback-journal mode, a single self-contained file.
async fn check_sqlite_backup(copy: &Path, original: &Path) -> Result<(), BackupError> {
    let mut conn = open_one(copy)
        .await
        .map_err(|_| not_a_backup(original, "không mở được như cơ sở dữ liệu SQLite"))?;
    let outcome = async {
        let check: String = sqlx::query_scalar("PRAGMA quick_check")
            .fetch_one(&mut conn)
            .await
            .map_err(|_| not_a_backup(original, "tệp bị hỏng"))?;
        if check != "ok" {
            return Err(not_a_backup(original, "tệp bị hỏng"));
        }
        let applied: Vec<String> = sqlx::query_scalar("SELECT version FROM seaql_migrations")
            .fetch_all(&mut conn)
            .await
            .map_err(|_| not_a_backup(original, "không có bảng seaql_migrations"))?;
        let known: Vec<String> = Migrator::migrations()
            .iter()
            .map(|m| m.name().to_owned())
            .collect();
        if !known.first().is_some_and(|first| applied.contains(first)) {
            return Err(not_a_backup(original, "thiếu lược đồ của Chamlo"));
        }
        if let Some(unknown) = applied.iter().find(|v| !known.contains(v)) {
            return Err(not_a_backup(
                original,
                &format!(
                    "có bước nâng cấp “{unknown}” của một phiên bản Chamlo mới hơn chương trình này"
                ),
            ));
        }
        let _: String = sqlx::query_scalar("PRAGMA journal_mode=DELETE")
            .fetch_one(&mut conn)
            .await
            .map_err(|e| BackupError::Db(DbErr::Custom(e.to_string())))?;
        Ok(())
    }
    .await;
    let _ = conn.close().await;
    outcome
}

/// Leaving WAL mode needs the only connection to the database: if another process (the
/// running service) has it open, the journal mode stays "wal" and the restore is refused.
/// When it succeeds the WAL is checkpointed and removed, so nothing is left to replay over
/// the restored file.
async fn ensure_not_in_use(target: &Path) -> Result<(), BackupError> {
    let mut conn = open_one(target)
        .await
        .map_err(|_| BackupError::InUse(target.to_owned()))?;
    let mode: Result<String, _> = sqlx::query_scalar("PRAGMA journal_mode=DELETE")
        .fetch_one(&mut conn)
        .await;
    let _ = conn.close().await;
    match mode {
        Ok(mode) if mode.eq_ignore_ascii_case("delete") => Ok(()),
        _ => Err(BackupError::InUse(target.to_owned())),
    }
}

/// `pg_restore --list` must read the archive, and it must hold Chamlo's migrations table.
fn check_pg_archive(from: &Path, password: Option<&str>) -> Result<(), BackupError> {
    let mut command = Command::new("pg_restore");
    command.arg("--list").arg(from);
    let listing = run_tool("pg_restore", command, password).map_err(|e| match e {
        BackupError::ToolFailed { .. } => {
            not_a_backup(from, "không phải bản sao lưu pg_dump dạng custom")
        }
        other => other,
    })?;
    if !listing
        .lines()
        .any(|l| l.contains(" TABLE ") && l.contains(" seaql_migrations "))
    {
        return Err(not_a_backup(from, "không có bảng seaql_migrations"));
    }
    Ok(())
}

/// Runs a PostgreSQL client tool, returning its standard output.
fn run_tool(
    tool: &'static str,
    mut command: Command,
    password: Option<&str>,
) -> Result<String, BackupError> {
    if let Some(password) = password {
        command.env("PGPASSWORD", password);
    }
    let output = command
        .output()
        .map_err(|_| BackupError::ToolMissing(tool))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let message = stderr
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("no message")
            .to_owned();
        return Err(BackupError::ToolFailed { tool, message });
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_urls_name_their_target() {
        assert_eq!(
            DatabaseTarget::parse("sqlite://chamlo.db?mode=rwc").unwrap(),
            DatabaseTarget::SqliteFile(PathBuf::from("chamlo.db"))
        );
        assert_eq!(
            DatabaseTarget::parse("sqlite:/var/lib/chamlo/chamlo.db").unwrap(),
            DatabaseTarget::SqliteFile(PathBuf::from("/var/lib/chamlo/chamlo.db"))
        );
        assert!(DatabaseTarget::parse("sqlite::memory:").is_err());
        assert_eq!(
            DatabaseTarget::parse("postgres://chamlo:s%40cret@db.example:5432/chamlo").unwrap(),
            DatabaseTarget::Postgres {
                url: "postgres://chamlo@db.example:5432/chamlo".to_owned(),
                password: Some("s@cret".to_owned()),
            }
        );
        assert_eq!(
            DatabaseTarget::parse("postgres://postgres@127.0.0.1:5432/test").unwrap(),
            DatabaseTarget::Postgres {
                url: "postgres://postgres@127.0.0.1:5432/test".to_owned(),
                password: None,
            }
        );
    }
}
