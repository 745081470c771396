//! `chamlo units lineage` (old → new units, whole or part, with dates), `chamlo units link`
//! (enter a lineage line), `chamlo units quarter` (which khu phố of a split ward went where) and
//! `chamlo units lineage-import` (a spreadsheet of old ward → new ward, all rows or none).

use clap::Subcommand;

use crate::cli::{CliError, open_database};
use crate::config::Config;
use crate::domain::audit::Actor;
use crate::domain::lineage::{self, LineageInput};
use crate::domain::lineage_import;
use crate::domain::units::all_units;
use crate::entities::unit;
use crate::error::AppError;

/// `chamlo units …`
#[derive(Subcommand)]
pub enum UnitsCommand {
    /// List old → new units with whole/part and dates.
    Lineage {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Record that an old ward went (whole, or with --part some khu phố) to a new ward.
    Link {
        /// The old ward (name or code; an ended ward is preferred when names repeat).
        #[arg(long)]
        from: String,
        /// The new ward (name or code; a ward valid today is preferred).
        #[arg(long)]
        to: String,
        /// Only some khu phố went there (enter them with `units quarter`).
        #[arg(long)]
        part: bool,
        /// The first day the new ward holds it (YYYY-MM-DD); its first day by default.
        #[arg(long)]
        effective_on: Option<chrono::NaiveDate>,
    },
    /// Record which new ward one khu phố of a split old ward went to.
    Quarter {
        /// The old ward.
        #[arg(long)]
        from: String,
        /// The khu phố as lists write it ("Khu phố 3").
        #[arg(long = "khu-pho")]
        khu_pho: String,
        /// The new ward it went to.
        #[arg(long)]
        to: String,
    },
    /// Enter lineage from a spreadsheet of old ward → new ward (all rows or none).
    LineageImport {
        /// The spreadsheet (xlsx, xls, ods): "Phường/xã cũ", "Phường/xã mới", "Toàn bộ/Một
        /// phần", "Khu phố", "Ngày hiệu lực".
        file: std::path::PathBuf,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
        /// Check and show what would be added, store nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

/// Runs a `units` subcommand.
pub async fn run(config: &Config, command: UnitsCommand) -> Result<(), CliError> {
    let db = open_database(config).await?;
    let units = all_units(&db).await?;
    let actor = Actor::system("cli");
    match command {
        UnitsCommand::Lineage { json } => {
            let rows = lineage::rows(&lineage::load(&db).await?, &units);
            if json {
                println!("{}", serde_json::to_string_pretty(&rows)?);
                return Ok(());
            }
            for row in rows {
                let ended = row
                    .from_valid_to
                    .map(|day| format!(" (đến {})", day.format("%d/%m/%Y")))
                    .unwrap_or_default();
                let share = if row.share == "whole" {
                    "toàn bộ".to_owned()
                } else if row.quarters.is_empty() {
                    "một phần".to_owned()
                } else {
                    format!("một phần: {}", row.quarters.join(", "))
                };
                println!(
                    "{} {}{ended} → {} {} (từ {})\t{share}",
                    row.from_code,
                    row.from,
                    row.to_code,
                    row.to,
                    row.effective_on.format("%d/%m/%Y"),
                );
            }
            Ok(())
        }
        UnitsCommand::Link {
            from,
            to,
            part,
            effective_on,
        } => {
            let from = find_ward(&units, &from, true)?;
            let to = find_ward(&units, &to, false)?;
            let saved = lineage::add_line(
                &db,
                &actor,
                LineageInput {
                    predecessor_id: from.id,
                    successor_id: to.id,
                    whole: !part,
                    effective_on,
                },
            )
            .await
            .map_err(|err| CliError::from(err.user_message()))?;
            println!("{}", saved.id);
            Ok(())
        }
        UnitsCommand::Quarter { from, khu_pho, to } => {
            let from = find_ward(&units, &from, true)?;
            let to = find_ward(&units, &to, false)?;
            lineage::set_quarter(&db, &actor, from.id, &khu_pho, to.id)
                .await
                .map_err(|err| CliError::from(err.user_message()))?;
            Ok(())
        }
        UnitsCommand::LineageImport {
            file,
            json,
            dry_run,
        } => import_file(&db, &actor, &file, json, dry_run).await,
    }
}

/// A ward by name or code ([`lineage::find_ward`]), or the reason none was found.
fn find_ward<'a>(
    units: &'a [unit::Model],
    text: &str,
    ended: bool,
) -> Result<&'a unit::Model, CliError> {
    lineage::find_ward(units, text, ended)
        .ok_or_else(|| CliError::from(format!("không có phường nào tên hoặc mã “{text}”")))
}

/// `chamlo units lineage-import FILE [--json] [--dry-run]`: exit 0 when applied (or, with
/// --dry-run, when it would apply), 1 when a row has a problem (nothing stored), 2 when the
/// file cannot be read.
async fn import_file(
    db: &sea_orm::DatabaseConnection,
    actor: &Actor,
    file: &std::path::Path,
    json: bool,
    dry_run: bool,
) -> Result<(), CliError> {
    let unreadable = |message: String| CliError { status: 2, message };
    let bytes = std::fs::read(file)
        .map_err(|err| unreadable(format!("không đọc được tệp {}: {err}", file.display())))?;
    let report = match lineage_import::import_lineage(db, actor, &bytes, !dry_run).await {
        Ok(report) => report,
        Err(AppError::Invalid(message)) => return Err(unreadable(message)),
        Err(other) => return Err(CliError::from(other.user_message())),
    };
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        for row in &report.rows {
            let what = if row.new_line {
                "thêm"
            } else if row.new_quarters.is_empty() {
                "đã có"
            } else {
                "khu phố"
            };
            let quarters = if row.new_quarters.is_empty() {
                String::new()
            } else {
                format!(": {}", row.new_quarters.join(", "))
            };
            println!(
                "dòng {}\t{what}\t{} → {} ({}, từ {}){quarters}",
                row.row,
                row.from,
                row.to,
                lineage_import::share_label(row.share == "whole"),
                row.effective_on.format("%d/%m/%Y"),
            );
        }
        for problem in &report.problems {
            eprintln!("dòng {}: {}", problem.row, problem.message);
        }
        println!(
            "{} {} dòng kế thừa, {} khu phố.",
            if report.applied {
                "Đã thêm"
            } else {
                "Sẽ thêm"
            },
            report.lines_added,
            report.quarters_set
        );
    }
    if report.problems.is_empty() {
        Ok(())
    } else {
        Err(CliError {
            status: 1,
            message: format!(
                "{} dòng có lỗi: không lưu gì. Hãy sửa tệp rồi chạy lại.",
                report.problems.len()
            ),
        })
    }
}
