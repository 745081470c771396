//! The `chamlo` command line: `serve` (the default) and the administrative subcommands, each a
//! thin call into the domain.

pub mod import;
pub mod serve;
pub mod user;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use sea_orm::DatabaseConnection;

use crate::config::Config;
use crate::{db, logging};

/// Chamlo: Tết welfare gift lists for a district and its wards.
#[derive(Parser)]
#[command(name = "chamlo", version, about)]
pub struct Cli {
    #[command(flatten)]
    config: Config,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Start the web service (the default when no subcommand is given).
    Serve,
    /// Manage user accounts.
    #[command(subcommand)]
    User(user::UserCommand),
    /// Import a ward's list from a spreadsheet into a campaign.
    Import(import::ImportArgs),
}

/// An error a subcommand reports on stderr with the exit status it chooses.
pub struct CliError {
    /// The process exit status (1: failed, 2: the input could not be read at all).
    pub status: u8,
    /// One line saying why.
    pub message: String,
}

impl<E: std::fmt::Display> From<E> for CliError {
    fn from(err: E) -> Self {
        CliError {
            status: 1,
            message: logging::redact_id_numbers(&err.to_string()),
        }
    }
}

/// Parses the command line and runs it.
pub async fn run() -> ExitCode {
    let cli = Cli::parse();
    let command = cli.command.unwrap_or(Command::Serve);
    // The service logs its requests; a one-shot command keeps stderr for its own answer.
    let default_log = if matches!(command, Command::Serve) {
        "info"
    } else {
        "warn"
    };
    logging::init(cli.config.log.as_deref().unwrap_or(default_log));
    let result = match command {
        Command::Serve => serve::run(cli.config).await,
        Command::User(command) => user::run(&cli.config, command).await,
        Command::Import(args) => import::run(&cli.config, args).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // One line, whatever the message holds.
            eprintln!("chamlo: {}", err.message.replace(['\r', '\n'], " "));
            ExitCode::from(err.status)
        }
    }
}

/// Connects to the configured database and brings it to the current schema.
pub async fn open_database(config: &Config) -> Result<DatabaseConnection, CliError> {
    let db = db::connect(&config.database_url).await?;
    db::migrate(&db).await?;
    Ok(db)
}
