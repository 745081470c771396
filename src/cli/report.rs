//! `chamlo report --campaign SLUG --out FILE.xlsx`: the reports workbook (by ward, by
//! funding source, the closing reconciliation), run as the command line's administrator.

use std::path::PathBuf;

use clap::Args;

use crate::cli::export::{user_error, write_file};
use crate::cli::{CliError, open_database};
use crate::config::Config;
use crate::domain::campaigns::find_campaign;
use crate::domain::clock::vietnam_date;
use crate::domain::exports::export_report;
use crate::domain::operator::Operator;

/// `chamlo report --campaign SLUG --out FILE.xlsx`
#[derive(Args)]
pub struct ReportArgs {
    /// The campaign's slug (e.g. tet-2021).
    #[arg(long)]
    campaign: String,
    /// Where to write the workbook.
    #[arg(long, value_name = "FILE.xlsx")]
    out: PathBuf,
}

/// Runs `chamlo report`.
pub async fn run(config: &Config, args: ReportArgs) -> Result<(), CliError> {
    let db = open_database(config).await?;
    let operator = Operator::system("cli");
    let campaign = find_campaign(&db, &args.campaign)
        .await
        .map_err(user_error)?;
    let as_of = crate::domain::clock::vietnam_today();
    let file = export_report(&db, &operator, &campaign, as_of)
        .await
        .map_err(user_error)?;
    write_file(&args.out, &file.bytes)?;
    println!(
        "wrote {} ({} entries counted, as of {})",
        args.out.display(),
        file.entries,
        vietnam_date(as_of)
    );
    Ok(())
}
