//! `chamlo import FILE`: reads a ward's spreadsheet, reports every row, and (unless
//! `--dry-run`) commits the accepted rows into the campaign's ward lists.

use std::path::PathBuf;

use chrono::Datelike;
use clap::Args;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;

use crate::cli::{CliError, open_database};
use crate::config::Config;
use crate::domain::audit::Actor;
use crate::domain::campaigns::{find_campaign, tet_day};
use crate::domain::import_check::{FormerWards, check_against_campaign, load_import_setup};
use crate::domain::import_commit::{ImportRefused, WardCommit, import_while_reading};
use crate::domain::scope::UnitScope;
use crate::domain::units::{all_units, find_unit_on};
use crate::entities::campaign;
use crate::entities::states::{CampaignStatus, UnitLevel};
use crate::export::annotated::write_annotated_copy;
use crate::import::header::Field;
use crate::import::{KnownWard, ParsedList, RowStatus, read_ward_file};

/// `chamlo import FILE [--ward WARD] [--campaign SLUG] [--dry-run] [--json]`
#[derive(Args)]
pub struct ImportArgs {
    /// The spreadsheet (.xlsx, .xlsm, .xls or .ods).
    file: PathBuf,
    /// The ward the list belongs to: code or name, any case, with or without diacritics.
    /// Without it, the file's "Phường" column or the ward its title block names is used.
    #[arg(long)]
    ward: Option<String>,
    /// The campaign's slug (e.g. tet-2021); defaults to the newest open campaign.
    #[arg(long)]
    campaign: Option<String>,
    /// Read and check only: write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Print one JSON object on stdout instead of a summary.
    #[arg(long)]
    json: bool,
    /// Also write the annotated copy (the original rows plus status and problems) here.
    #[arg(long, value_name = "FILE.xlsx")]
    annotated: Option<PathBuf>,
}

/// Where the rows' ward came from, so the report can say so.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "snake_case")]
enum WardSource {
    /// `--ward` on the command line.
    Argument,
    /// The file's "Phường" column.
    Column,
    /// The title block ("UBND PHƯỜNG …").
    TitleBlock,
    /// Nowhere: the rows have no ward.
    None,
}

/// The `--json` report: the import contract plus where the ward came from and what was stored.
#[derive(Serialize)]
struct ImportReport<'a> {
    #[serde(flatten)]
    list: &'a ParsedList,
    ward_source: WardSource,
    campaign: Option<&'a str>,
    dry_run: bool,
    committed: &'a [WardCommit],
}

/// Runs `chamlo import`.
pub async fn run(config: &Config, args: ImportArgs) -> Result<(), CliError> {
    let bytes = std::fs::read(&args.file).map_err(|err| CliError {
        status: 2,
        message: format!("cannot read {}: {err}", args.file.display()),
    })?;
    let file_name = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| args.file.display().to_string());

    let db = open_database(config).await?;
    let campaign = match &args.campaign {
        Some(slug) => Some(
            find_campaign(&db, slug)
                .await
                .map_err(|e| CliError::from(e.user_message()))?,
        ),
        None => newest_open_campaign(&db).await?,
    };
    let units = all_units(&db).await?;
    // A name shared by an old and a new ward means the one of the campaign's Tết.
    let day = campaign
        .as_ref()
        .map(tet_day)
        .unwrap_or_else(crate::domain::clock::vietnam_today);
    let chosen_ward = match &args.ward {
        Some(text) => {
            let unit = find_unit_on(&units, UnitLevel::Ward, text, day)
                .ok_or_else(|| CliError::from(format!("no ward named '{text}'")))?;
            Some(KnownWard {
                id: i64::from(unit.id),
                code: unit.code.as_str().into(),
                name: unit.name.as_str().into(),
            })
        }
        None => None,
    };
    let year = campaign
        .as_ref()
        .map(|c| c.year)
        .unwrap_or_else(|| crate::domain::clock::vietnam_today().year());
    let setup = load_import_setup(&db, year).await?;
    let (parsed, former, committed) = match &campaign {
        // Stored while it is read (issue 19): one pass, all or nothing.
        Some(campaign) if !args.dry_run => {
            let done = import_while_reading(
                &db,
                &Actor::system("cli"),
                campaign,
                setup.context,
                &file_name,
                std::sync::Arc::new(bytes),
                chosen_ward.as_ref(),
                &UnitScope::All,
            )
            .await
            .map_err(|refused| match refused {
                ImportRefused::Unreadable(err) => CliError {
                    status: 2,
                    message: format!("{file_name}: {err}"),
                },
                ImportRefused::Refused(err) => CliError::from(err.user_message()),
            })?;
            (done.parsed, done.former, done.committed)
        }
        _ => {
            let (parsed, former) = read_and_check(
                &db,
                &file_name,
                bytes,
                setup.context,
                &campaign,
                &args,
                chosen_ward.as_ref(),
            )
            .await?;
            (parsed, former, Vec::new())
        }
    };
    let ward_source = ward_source(&parsed, chosen_ward.as_ref());

    if let Some(path) = &args.annotated {
        let copy = write_annotated_copy(&parsed)?;
        std::fs::write(path, copy)?;
    }

    if args.json {
        let report = ImportReport {
            list: &parsed,
            ward_source,
            campaign: campaign.as_ref().map(|c| c.slug.as_str()),
            dry_run: args.dry_run || campaign.is_none(),
            committed: &committed,
        };
        println!(
            "{}",
            serde_json::to_string(&with_former_wards(&report, &former)?)?
        );
    } else {
        print_summary(
            &parsed,
            ward_source,
            campaign.as_ref(),
            &committed,
            args.dry_run,
        );
    }
    Ok(())
}

/// Reads and checks the file without storing anything: a dry run, or no open campaign (then
/// only the reading, the rows getting the chosen ward).
async fn read_and_check(
    db: &sea_orm::DatabaseConnection,
    file_name: &str,
    bytes: Vec<u8>,
    context: crate::import::ImportContext,
    campaign: &Option<campaign::Model>,
    args: &ImportArgs,
    chosen_ward: Option<&KnownWard>,
) -> Result<(ParsedList, FormerWards), CliError> {
    let name_for_reader = file_name.to_owned();
    let read =
        tokio::task::spawn_blocking(move || read_ward_file(&name_for_reader, &bytes, &context))
            .await
            .map_err(|err| CliError {
                status: 2,
                message: format!("{file_name}: the reader stopped unexpectedly ({err})"),
            })?;
    let mut parsed = read.map_err(|err| CliError {
        status: 2,
        message: format!("{file_name}: {err}"),
    })?;

    // Only now: a file that cannot be read must say so first (exit status 2).
    if campaign.is_none() && !args.dry_run {
        return Err(CliError::from(
            "no open campaign: create one with `chamlo campaign create --year YYYY`, or use --dry-run",
        ));
    }
    let mut former = FormerWards::default();
    if let Some(campaign) = campaign {
        former = check_against_campaign(db, campaign, &mut parsed, chosen_ward, &UnitScope::All)
            .await
            .map_err(|err| CliError::from(err.user_message()))?;
    } else if let Some(ward) = chosen_ward {
        // No campaign to check against: still give the rows the chosen ward.
        for row in parsed.rows.iter_mut().filter(|r| r.ward.is_none()) {
            row.ward = Some(ward.clone());
        }
    }
    Ok((parsed, former))
}

/// The report as JSON with each row's `former_ward`: the old ward the row named when it went
/// to its successor ("Hiệp Phú"), else null. Added here because the rows' JSON comes from the
/// reader, which knows nothing of lineage.
fn with_former_wards(
    report: &ImportReport<'_>,
    former: &FormerWards,
) -> Result<serde_json::Value, serde_json::Error> {
    let mut value = serde_json::to_value(report)?;
    if let Some(rows) = value.get_mut("rows").and_then(|r| r.as_array_mut()) {
        for (row, parsed) in rows.iter_mut().zip(&report.list.rows) {
            if let Some(object) = row.as_object_mut() {
                let name = former.of_row(parsed.row).map(|w| w.name.to_string());
                object.insert("former_ward".into(), name.into());
            }
        }
    }
    Ok(value)
}

async fn newest_open_campaign(
    db: &sea_orm::DatabaseConnection,
) -> Result<Option<campaign::Model>, CliError> {
    Ok(campaign::Entity::find()
        .filter(campaign::Column::Status.eq(CampaignStatus::Open))
        .order_by_desc(campaign::Column::Year)
        .order_by_desc(campaign::Column::Id)
        .one(db)
        .await?)
}

fn ward_source(parsed: &ParsedList, chosen: Option<&KnownWard>) -> WardSource {
    let has_column = parsed.columns.iter().any(|c| c.field == Field::Ward);
    if chosen.is_some() {
        WardSource::Argument
    } else if has_column {
        WardSource::Column
    } else if parsed.ward.is_some() {
        WardSource::TitleBlock
    } else {
        WardSource::None
    }
}

fn print_summary(
    parsed: &ParsedList,
    source: WardSource,
    campaign: Option<&campaign::Model>,
    committed: &[WardCommit],
    dry_run: bool,
) {
    println!(
        "Tệp: {} — trang tính “{}”, dòng tiêu đề {}",
        parsed.file, parsed.sheet, parsed.header_row
    );
    let ward = parsed.ward.as_ref().map(|w| w.name.as_ref()).unwrap_or("—");
    let source = match source {
        WardSource::Argument => "theo tham số --ward",
        WardSource::Column => "theo cột Phường của tệp",
        WardSource::TitleBlock => "theo tiêu đề của tệp",
        WardSource::None => "không xác định",
    };
    println!("Phường: {ward} ({source})");
    println!(
        "Hợp lệ: {}  Bị loại: {}  Trùng: {}",
        parsed.count(RowStatus::Accepted),
        parsed.count(RowStatus::Rejected),
        parsed.count(RowStatus::Duplicate)
    );
    for row in parsed.rows.iter().filter(|r| !r.issues.is_empty()) {
        for issue in &row.issues {
            println!("  dòng {}: [{}] {}", row.row, issue.field, issue.message);
        }
    }
    match campaign {
        None => println!("Chưa có đợt quà nào đang mở: chỉ kiểm tra, không lưu."),
        Some(c) if dry_run => println!("Chạy thử với đợt “{}”: không lưu gì.", c.title),
        Some(c) => {
            for part in committed {
                if part.already_imported {
                    println!(
                        "Phường {}: tệp này đã được nhập vào đợt “{}” trước đây; không thêm gì.",
                        part.ward, c.title
                    );
                } else {
                    println!(
                        "Phường {}: đã thêm {} người ({} suất quà) vào danh sách đợt “{}”.",
                        part.ward, part.added, part.entries, c.title
                    );
                }
            }
        }
    }
}
