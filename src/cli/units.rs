//! `chamlo units lineage` (old → new units, whole or part, with dates), `chamlo units link`
//! (enter a lineage line) and `chamlo units quarter` (which khu phố of a split ward went where).

use clap::Subcommand;

use crate::cli::{CliError, open_database};
use crate::config::Config;
use crate::domain::audit::Actor;
use crate::domain::lineage::{self, LineageInput};
use crate::domain::units::{all_units, find_unit};
use crate::entities::states::UnitLevel;
use crate::entities::unit;

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
    }
}

/// A ward by name or code. Names and codes repeat across the 2025 reform, so an old ward is
/// looked for first among wards that ended (the latest first), a new one first among wards
/// valid today (the newest first).
fn find_ward<'a>(
    units: &'a [unit::Model],
    text: &str,
    ended: bool,
) -> Result<&'a unit::Model, CliError> {
    let mut preferred: Vec<unit::Model> = units
        .iter()
        .filter(|u| u.valid_to.is_some() == ended)
        .cloned()
        .collect();
    // The most recent first: the ward that ended last, or the ward that began last.
    preferred.sort_by_key(|u| std::cmp::Reverse((u.valid_to, u.valid_from)));
    let id = find_unit(&preferred, UnitLevel::Ward, text)
        .or_else(|| find_unit(units, UnitLevel::Ward, text))
        .map(|u| u.id)
        .ok_or_else(|| CliError::from(format!("không có phường nào tên hoặc mã “{text}”")))?;
    units
        .iter()
        .find(|u| u.id == id)
        .ok_or_else(|| CliError::from("unit vanished"))
}
