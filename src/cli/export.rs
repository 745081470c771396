//! `chamlo export` (signing sheets of one ward or of all wards) and `chamlo distribute-sheet`
//! (a signed sheet back in): thin calls into [`crate::domain::exports`] and
//! [`crate::domain::signed_sheet_apply`], run as the command line's administrator.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::Args;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::cli::{CliError, open_database};
use crate::config::Config;
use crate::domain::campaigns::find_campaign;
use crate::domain::exports::{export_signing_sheets, find_campaign_ward, find_program};
use crate::domain::operator::Operator;
use crate::domain::signed_sheet_apply::{SheetTarget, apply_signed_workbook};
use crate::domain::units::display_name;
use crate::entities::gift_program;

/// `chamlo export --campaign SLUG [--ward WARD] [--program P] --out FILE.xlsx`
#[derive(Args)]
pub struct ExportArgs {
    /// The campaign's slug (e.g. tet-2021).
    #[arg(long)]
    campaign: String,
    /// One ward's signing sheet: code or name, any case, with or without diacritics.
    /// Without it, one workbook with a summary sheet and a sheet per ward.
    #[arg(long)]
    ward: Option<String>,
    /// The gift program: its id or name. Default: the campaign's first program (the
    /// "Quà Tết …" one created with the campaign).
    #[arg(long)]
    program: Option<String>,
    /// Where to write the workbook.
    #[arg(long, value_name = "FILE.xlsx")]
    out: PathBuf,
}

/// Runs `chamlo export`.
pub async fn run_export(config: &Config, args: ExportArgs) -> Result<(), CliError> {
    let db = open_database(config).await?;
    let operator = Operator::system("cli");
    let campaign = find_campaign(&db, &args.campaign)
        .await
        .map_err(user_error)?;
    let ward = match &args.ward {
        Some(text) => Some(
            find_campaign_ward(&db, &campaign, text)
                .await
                .map_err(user_error)?,
        ),
        None => None,
    };
    let program = find_program(&db, &campaign, args.program.as_deref())
        .await
        .map_err(user_error)?;
    if args.program.is_none() {
        let others = gift_program::Entity::find()
            .filter(gift_program::Column::CampaignId.eq(campaign.id))
            .filter(gift_program::Column::Id.ne(program.id))
            .order_by_asc(gift_program::Column::Id)
            .all(&db)
            .await?;
        if !others.is_empty() {
            let names: Vec<String> = others
                .iter()
                .map(|p| format!("{} ({})", p.name, p.id))
                .collect();
            eprintln!(
                "note: exporting program '{}'; other programs: {} (choose with --program)",
                program.name,
                names.join(", ")
            );
        }
    }
    let file = export_signing_sheets(&db, &operator, &campaign, ward.as_ref(), &program)
        .await
        .map_err(user_error)?;
    write_file(&args.out, &file.bytes)?;
    println!(
        "wrote {} ({}, program '{}', {} ward sheet(s), {} people)",
        args.out.display(),
        ward.as_ref()
            .map(display_name)
            .unwrap_or_else(|| "all wards".to_owned()),
        program.name,
        file.sheets,
        file.entries
    );
    Ok(())
}

/// `chamlo distribute-sheet --campaign SLUG FILE.xlsx [--date D] [--ward W] [--program P]`
#[derive(Args)]
pub struct DistributeSheetArgs {
    /// The signed sheet (.xlsx, .xls or .ods) as exported by `chamlo export` and filled in.
    file: PathBuf,
    /// The campaign's slug.
    #[arg(long)]
    campaign: String,
    /// The day the gifts were handed out (YYYY-MM-DD or DD/MM/YYYY); default today.
    #[arg(long)]
    date: Option<String>,
    /// The ward every row must belong to (default: the ward each sheet's tab names).
    #[arg(long)]
    ward: Option<String>,
    /// The program every row must belong to, id or name (default: the one the rows share).
    #[arg(long)]
    program: Option<String>,
    /// Print the report as JSON on stdout.
    #[arg(long)]
    json: bool,
}

/// Runs `chamlo distribute-sheet`: exit status 0 when every row was applied or unmarked,
/// 3 when some rows were left alone (listed on stderr), 1 or 2 on failure.
pub async fn run_distribute_sheet(
    config: &Config,
    args: DistributeSheetArgs,
) -> Result<(), CliError> {
    let bytes = std::fs::read(&args.file).map_err(|err| CliError {
        status: 2,
        message: format!("cannot read {}: {err}", args.file.display()),
    })?;
    let date = match &args.date {
        Some(text) => parse_date(text)?,
        None => crate::domain::clock::vietnam_today(),
    };
    let db = open_database(config).await?;
    let operator = Operator::system("cli");
    let campaign = find_campaign(&db, &args.campaign)
        .await
        .map_err(user_error)?;
    let ward_id = match &args.ward {
        Some(text) => Some(
            find_campaign_ward(&db, &campaign, text)
                .await
                .map_err(user_error)?
                .id,
        ),
        None => None,
    };
    let program_id = match &args.program {
        Some(text) => Some(
            find_program(&db, &campaign, Some(text))
                .await
                .map_err(user_error)?
                .id,
        ),
        None => None,
    };
    let target = SheetTarget {
        ward_id,
        program_id,
    };
    let report = apply_signed_workbook(&db, &operator, &campaign, bytes, target, date)
        .await
        .map_err(user_error)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!("{}", report.summary());
        for problem in &report.problems {
            eprintln!(
                "{} dòng {} ({}): {}",
                problem.sheet, problem.row, problem.name, problem.message
            );
        }
    }
    if report.problems.is_empty() {
        Ok(())
    } else {
        Err(CliError {
            status: 3,
            message: format!(
                "{} row(s) were not applied; see the list above",
                report.problems.len()
            ),
        })
    }
}

/// A date typed as YYYY-MM-DD or DD/MM/YYYY.
fn parse_date(text: &str) -> Result<NaiveDate, CliError> {
    let text = text.trim();
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%d/%m/%Y"))
        .map_err(|_| CliError::from(format!("--date '{text}': use YYYY-MM-DD or DD/MM/YYYY")))
}

/// The user-facing message of a domain error (never a database's internals).
pub(crate) fn user_error(err: crate::error::AppError) -> CliError {
    CliError::from(err.user_message())
}

/// Writes the workbook next to its final name first, so a failed write leaves no half file.
pub(crate) fn write_file(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    let partial = path.with_extension("xlsx.part");
    std::fs::write(&partial, bytes)
        .and_then(|()| std::fs::rename(&partial, path))
        .map_err(|err| {
            let _ = std::fs::remove_file(&partial);
            CliError::from(format!("cannot write {}: {err}", path.display()))
        })
}
