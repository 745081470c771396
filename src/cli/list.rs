//! `chamlo list submit|approve|return|reopen`: moving a ward's list through approval.

use clap::{Args, Subcommand};

use crate::cli::{CliError, open_database};
use crate::config::Config;
use crate::domain::campaigns::find_campaign;
use crate::domain::operator::Operator;
use crate::domain::units::{all_units, display_name, find_unit};
use crate::domain::ward_lists::{ListAction, transition_list};
use crate::entities::states::UnitLevel;
use crate::entities::unit;

/// Which list, and why.
#[derive(Args)]
pub struct ListTarget {
    /// The campaign's slug.
    #[arg(long)]
    campaign: String,
    /// The ward: code or name, any case, with or without diacritics.
    #[arg(long)]
    ward: String,
    /// A comment (required to return a list).
    #[arg(long)]
    comment: Option<String>,
}

/// `chamlo list …`
#[derive(Subcommand)]
pub enum ListCommand {
    /// Send the ward's list to the district.
    Submit(ListTarget),
    /// Approve a submitted list (it is locked).
    Approve(ListTarget),
    /// Return a submitted list to the ward with a comment.
    Return(ListTarget),
    /// Reopen an approved list so it can change again.
    Reopen(ListTarget),
}

/// Finds a ward by code or name for a command-line argument.
pub fn ward_argument<'a>(
    units: &'a [unit::Model],
    text: &str,
) -> Result<&'a unit::Model, CliError> {
    find_unit(units, UnitLevel::Ward, text)
        .ok_or_else(|| CliError::from(format!("no ward named '{text}'")))
}

/// Runs a `list` subcommand.
pub async fn run(config: &Config, command: ListCommand) -> Result<(), CliError> {
    let (action, target) = match command {
        ListCommand::Submit(t) => (ListAction::Submit, t),
        ListCommand::Approve(t) => (ListAction::Approve, t),
        ListCommand::Return(t) => (ListAction::Return, t),
        ListCommand::Reopen(t) => (ListAction::Reopen, t),
    };
    let db = open_database(config).await?;
    let campaign = find_campaign(&db, &target.campaign).await?;
    let units = all_units(&db).await?;
    let ward = ward_argument(&units, &target.ward)?;
    let list = transition_list(
        &db,
        &Operator::system("cli"),
        &campaign,
        ward.id,
        action,
        target.comment.as_deref(),
    )
    .await?;
    let status = list.status;
    println!(
        "{}: {} ({})",
        display_name(ward),
        status.as_str(),
        status.label()
    );
    Ok(())
}
