//! `chamlo verify FILE --campaign SLUG --ward W [--json]`: checks a ward's list against a
//! resident extract without storing the extract (other tools call it; its flags, exit codes
//! and JSON fields are a contract). Exit 0 when the extract was read, 2 when it could not be,
//! 1 for anything else (unknown campaign or ward, no list).

use clap::Args;
use serde::Serialize;

use crate::cli::list::ward_argument;
use crate::cli::{CliError, open_database};
use crate::config::Config;
use crate::domain::campaigns::find_campaign;
use crate::domain::operator::Operator;
use crate::domain::population_check::{read_extract, verify_list};
use crate::domain::units::{all_units, display_name};

/// What to check.
#[derive(Args)]
pub struct VerifyArgs {
    /// The resident extract (.xlsx, .xls, .ods or .csv) the ward police gave.
    file: std::path::PathBuf,
    /// The campaign's slug.
    #[arg(long)]
    campaign: String,
    /// The ward: code or name, any case, with or without diacritics.
    #[arg(long)]
    ward: String,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct JsonFlag<'a> {
    entry_id: i32,
    full_name: &'a str,
    kind: &'a str,
    detail: &'a str,
}

#[derive(Serialize)]
struct JsonOutcome<'a> {
    checked: usize,
    matched: usize,
    probable: usize,
    flags: Vec<JsonFlag<'a>>,
}

/// Runs `chamlo verify`.
pub async fn run(config: &Config, args: VerifyArgs) -> Result<(), CliError> {
    let unreadable = |message: String| CliError { status: 2, message };
    let bytes = std::fs::read(&args.file)
        .map_err(|e| unreadable(format!("cannot read {}: {e}", args.file.display())))?;
    let residents = tokio::task::spawn_blocking(move || read_extract(&bytes))
        .await
        .map_err(|e| CliError::from(format!("the extract reader stopped: {e}")))?
        .map_err(|e| unreadable(e.user_message()))?;
    let db = open_database(config).await?;
    let campaign = find_campaign(&db, &args.campaign).await?;
    let units = all_units(&db).await?;
    let ward = ward_argument(&units, &args.ward)?;
    let outcome = verify_list(
        &db,
        &Operator::system("cli"),
        &campaign,
        ward.id,
        &residents,
    )
    .await?;
    if args.json {
        let json = JsonOutcome {
            checked: outcome.checked,
            matched: outcome.matched,
            probable: outcome.probable,
            flags: outcome
                .flags
                .iter()
                .map(|f| JsonFlag {
                    entry_id: f.entry_id,
                    full_name: &f.full_name,
                    kind: &f.kind,
                    detail: &f.detail,
                })
                .collect(),
        };
        println!("{}", serde_json::to_string_pretty(&json)?);
    } else {
        println!(
            "{}: {} checked, {} matched by ID, {} probable (by name), {} flags",
            display_name(ward),
            outcome.checked,
            outcome.matched,
            outcome.probable,
            outcome.flags.len()
        );
        for f in &outcome.flags {
            println!(
                "  #{} {}: {} ({}) — {}",
                f.entry_id, f.full_name, f.kind, f.kind_label, f.detail
            );
        }
    }
    Ok(())
}
