//! `chamlo backup --out FILE` and `chamlo restore FILE`: thin calls into
//! [`crate::domain::backup`].

use std::path::PathBuf;

use clap::Args;

use crate::cli::CliError;
use crate::config::Config;
use crate::db;
use crate::domain::backup::{self, DatabaseTarget};

/// `chamlo backup --out FILE`
#[derive(Args)]
pub struct BackupArgs {
    /// The backup file to write; it must not exist yet. SQLite: a copy of the database
    /// taken online. PostgreSQL: a `pg_dump --format=custom` archive.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
}

/// `chamlo restore FILE`
#[derive(Args)]
pub struct RestoreArgs {
    /// The backup to restore (written by `chamlo backup`). SQLite: stop the service first;
    /// the configured database file is replaced whole. PostgreSQL: the backup's tables are
    /// dropped and recreated in one transaction.
    file: PathBuf,
}

/// Runs `chamlo backup`.
pub async fn run_backup(config: &Config, args: BackupArgs) -> Result<(), CliError> {
    // Connecting would create an empty SQLite file: back up only a database that exists.
    if let DatabaseTarget::SqliteFile(path) = DatabaseTarget::parse(&config.database_url)?
        && !path.exists()
    {
        return Err(backup::BackupError::NoDatabase(path).into());
    }
    let db = db::connect(&config.database_url).await?;
    let report = backup::backup(&db, &config.database_url, &args.out).await;
    db.close().await.ok();
    let report = report?;
    println!(
        "Đã sao lưu cơ sở dữ liệu vào {} ({} KB).",
        report.path.display(),
        report.bytes.div_ceil(1024)
    );
    Ok(())
}

/// Runs `chamlo restore`.
pub async fn run_restore(config: &Config, args: RestoreArgs) -> Result<(), CliError> {
    backup::restore(&config.database_url, &args.file).await?;
    println!(
        "Đã khôi phục cơ sở dữ liệu từ {}. Khởi động lại dịch vụ để dùng dữ liệu này.",
        args.file.display()
    );
    Ok(())
}
