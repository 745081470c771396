//! The `chamlo` command line: `serve` (the default) and the administrative subcommands, each a
//! thin call into the domain.

pub mod backup;
pub mod campaign;
pub mod checkin;
pub mod demo;
pub mod distribute;
pub mod export;
pub mod import;
pub mod invitations;
pub mod list;
pub mod payments;
pub mod program;
pub mod report;
pub mod serve;
pub mod token;
pub mod units;
pub mod user;
pub mod verify;

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
    /// Campaigns: create, list, open, lock, close, carry forward.
    #[command(subcommand)]
    Campaign(campaign::CampaignCommand),
    /// Gift programs of a campaign.
    #[command(subcommand)]
    Program(program::ProgramCommand),
    /// Move a ward's list through approval: submit, approve, return, reopen.
    #[command(subcommand)]
    List(list::ListCommand),
    /// Record who received their gift (or why not), or undo it.
    Distribute(distribute::DistributeArgs),
    /// Planned, received, not received and remaining, per ward and program.
    Progress(distribute::ProgressArgs),
    /// Personal API tokens.
    #[command(subcommand)]
    Token(token::TokenCommand),
    /// Load a sample campaign and one account per role, to try Chamlo by hand.
    Demo,
    /// Import a ward's list from a spreadsheet into a campaign.
    Import(import::ImportArgs),
    /// Back the database up to a new file (SQLite: online copy; PostgreSQL: pg_dump).
    Backup(backup::BackupArgs),
    /// Restore the database from a backup (SQLite: stop the service first).
    Restore(backup::RestoreArgs),
    /// Export signing sheets (one ward, or all wards in one workbook) for one program.
    Export(export::ExportArgs),
    /// Export the reports workbook: by ward, by funding source, reconciliation.
    Report(report::ReportArgs),
    /// Record the distribution from a signed sheet that came back filled in.
    DistributeSheet(export::DistributeSheetArgs),
    /// Paying by transfer: transfer lists, bank results, accounts, settlement.
    #[command(subcommand)]
    Payments(payments::PaymentsCommand),
    /// Invitation slips of a ward with their QR codes, as PDF or printable HTML.
    Invitations(invitations::InvitationsArgs),
    /// Check a gift in by its slip's code (exit 0 recorded, 1 already received, 2 unknown).
    Checkin(checkin::CheckinArgs),
    /// Check a ward's list against the resident extract of its police (nothing is stored).
    Verify(verify::VerifyArgs),
    /// Administrative units: lineage across mergers (old → new), khu phố of split wards.
    #[command(subcommand)]
    Units(units::UnitsCommand),
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
        Command::Campaign(command) => campaign::run(&cli.config, command).await,
        Command::Program(command) => program::run(&cli.config, command).await,
        Command::List(command) => list::run(&cli.config, command).await,
        Command::Distribute(args) => distribute::run(&cli.config, args).await,
        Command::Progress(args) => distribute::run_progress(&cli.config, args).await,
        Command::Token(command) => token::run(&cli.config, command).await,
        Command::Demo => demo::run(&cli.config).await,
        Command::Import(args) => import::run(&cli.config, args).await,
        Command::Backup(args) => backup::run_backup(&cli.config, args).await,
        Command::Restore(args) => backup::run_restore(&cli.config, args).await,
        Command::Export(args) => export::run_export(&cli.config, args).await,
        Command::Report(args) => report::run(&cli.config, args).await,
        Command::DistributeSheet(args) => export::run_distribute_sheet(&cli.config, args).await,
        Command::Payments(command) => payments::run(&cli.config, command).await,
        Command::Invitations(args) => invitations::run(&cli.config, args).await,
        Command::Checkin(args) => checkin::run(&cli.config, args).await,
        Command::Verify(args) => verify::run(&cli.config, args).await,
        Command::Units(command) => units::run(&cli.config, command).await,
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
