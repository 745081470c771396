//! `chamlo distribute` (record who received their gift) and `chamlo progress` (how far the
//! distribution has come).

use chrono::NaiveDate;
use clap::Args;

use crate::cli::list::ward_argument;
use crate::cli::{CliError, open_database};
use crate::config::Config;
use crate::domain::campaigns::find_campaign;
use crate::domain::distribution::{Distribution, pending_entry_ids, record_distribution};
use crate::domain::operator::Operator;
use crate::domain::progress::campaign_progress;
use crate::domain::units::all_units;
use crate::entities::entry;
use crate::entities::states::NotReceivedReason;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

/// `chamlo distribute --campaign SLUG --ward WARD (--entry ID… | --all-pending)
/// (--received [--date D] [--proxy NAME --relationship REL] | --not-received REASON [--note N]
/// | --undo)`
#[derive(Args)]
pub struct DistributeArgs {
    /// The campaign's slug.
    #[arg(long)]
    campaign: String,
    /// The ward: code or name, any case, with or without diacritics.
    #[arg(long)]
    ward: String,
    /// An entry's id; repeat for several.
    #[arg(
        long = "entry",
        value_name = "ID",
        required_unless_present = "all_pending"
    )]
    entries: Vec<i32>,
    /// Every pending entry of the ward (of one program with --program).
    #[arg(long, conflicts_with = "entries")]
    all_pending: bool,
    /// With --all-pending: only this program's entries (its id).
    #[arg(long)]
    program: Option<i32>,
    /// Mark them received.
    #[arg(long, conflicts_with_all = ["not_received", "undo"], required_unless_present_any = ["not_received", "undo"])]
    received: bool,
    /// The day they were received (YYYY-MM-DD or DD/MM/YYYY); default today.
    #[arg(long, requires = "received")]
    date: Option<String>,
    /// Received by this person for the recipient.
    #[arg(long, requires_all = ["received", "relationship"])]
    proxy: Option<String>,
    /// The proxy's relationship to the recipient ("con", "vợ").
    #[arg(long, requires = "proxy")]
    relationship: Option<String>,
    /// Mark them not received: deceased, moved, absent or refused.
    #[arg(long, value_name = "REASON", conflicts_with = "undo")]
    not_received: Option<String>,
    /// A note for not received.
    #[arg(long, requires = "not_received")]
    note: Option<String>,
    /// Put them back to pending.
    #[arg(long)]
    undo: bool,
}

fn parse_date(text: &str) -> Result<NaiveDate, CliError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text.trim(), "%d/%m/%Y"))
        .map_err(|_| CliError::from(format!("--date '{text}': use YYYY-MM-DD or DD/MM/YYYY")))
}

/// Runs `chamlo distribute`.
pub async fn run(config: &Config, args: DistributeArgs) -> Result<(), CliError> {
    let what = if args.undo {
        Distribution::Undo
    } else if let Some(reason) = &args.not_received {
        Distribution::NotReceived {
            reason: NotReceivedReason::parse(reason).ok_or_else(|| {
                CliError::from(format!(
                    "unknown reason '{reason}': use deceased, moved, absent or refused"
                ))
            })?,
            note: args.note.clone(),
        }
    } else {
        Distribution::Received {
            date: match &args.date {
                Some(text) => parse_date(text)?,
                None => crate::domain::clock::vietnam_today(),
            },
            proxy: args
                .proxy
                .clone()
                .map(|name| (name, args.relationship.clone().unwrap_or_default())),
        }
    };
    let db = open_database(config).await?;
    let campaign = find_campaign(&db, &args.campaign).await?;
    let units = all_units(&db).await?;
    let ward = ward_argument(&units, &args.ward)?;
    let ids = if args.all_pending {
        pending_entry_ids(&db, campaign.id, ward.id, args.program).await?
    } else {
        // Entries named by id must belong to the ward and campaign given.
        let found = entry::Entity::find()
            .filter(entry::Column::Id.is_in(args.entries.iter().copied()))
            .all(&db)
            .await?;
        if let Some(stray) = found
            .iter()
            .find(|e| e.ward_id != ward.id || e.campaign_id != campaign.id)
        {
            return Err(CliError::from(format!(
                "entry {} is not on the list of {} in {}",
                stray.id, ward.name, campaign.slug
            )));
        }
        args.entries.clone()
    };
    if ids.is_empty() {
        println!("nothing to do: no pending entries");
        return Ok(());
    }
    let changed = record_distribution(&db, &Operator::system("cli"), &ids, &what).await?;
    println!("{} entries updated", changed.len());
    Ok(())
}

/// `chamlo progress --campaign SLUG [--json]`
#[derive(Args)]
pub struct ProgressArgs {
    /// The campaign's slug.
    #[arg(long)]
    campaign: String,
    /// Print the figures as JSON.
    #[arg(long)]
    json: bool,
}

/// Runs `chamlo progress`.
pub async fn run_progress(config: &Config, args: ProgressArgs) -> Result<(), CliError> {
    let db = open_database(config).await?;
    let campaign = find_campaign(&db, &args.campaign).await?;
    let progress = campaign_progress(&db, &Operator::system("cli"), &campaign).await?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&progress)?);
        return Ok(());
    }
    println!(
        "{:<28} {:<32} {:>8} {:>14} {:>8} {:>14} {:>8} {:>8} {:>14}",
        "ward", "program", "planned", "amount", "recv", "amount", "not", "left", "amount"
    );
    for row in &progress.rows {
        let t = &row.tally;
        println!(
            "{:<28} {:<32} {:>8} {:>14} {:>8} {:>14} {:>8} {:>8} {:>14}",
            row.ward_name,
            row.program_name,
            t.planned_people,
            t.planned_amount,
            t.received_people,
            t.received_amount,
            t.not_received_people,
            t.remaining_people,
            t.remaining_amount
        );
    }
    let t = &progress.total;
    println!(
        "{:<28} {:<32} {:>8} {:>14} {:>8} {:>14} {:>8} {:>8} {:>14}",
        "TOTAL",
        "",
        t.planned_people,
        t.planned_amount,
        t.received_people,
        t.received_amount,
        t.not_received_people,
        t.remaining_people,
        t.remaining_amount
    );
    Ok(())
}
