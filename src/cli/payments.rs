//! `chamlo payments …`: transfer lists out, bank results in, a person's account and the
//! settlement, as thin calls into [`crate::domain::payments`] run as the command line's
//! administrator (the payment exporter).

use std::path::PathBuf;

use clap::Subcommand;
use sea_orm::DatabaseConnection;

use crate::cli::export::{user_error, write_file};
use crate::cli::{CliError, open_database};
use crate::config::Config;
use crate::domain::campaigns::find_campaign;
use crate::domain::exports::{find_campaign_ward, find_program};
use crate::domain::operator::Operator;
use crate::domain::payments::{
    AccountInput, BankInput, apply_results, cash_round_sheet, follow_up_list, make_transfer_batch,
    save_account, save_bank, settlement,
};
use crate::entities::payment_states::AccountKind;
use crate::entities::{campaign, gift_program};
use crate::import::payment_results::read_payment_results;

/// `chamlo payments …`
#[derive(Subcommand)]
pub enum PaymentsCommand {
    /// Make a transfer batch and write its list (xlsx, and CSV for the bank); prints the
    /// batch id last.
    Export {
        /// The campaign's slug.
        #[arg(long)]
        campaign: String,
        /// The program: its id or name.
        #[arg(long)]
        program: String,
        /// One ward (code or name); without it, every ward.
        #[arg(long)]
        ward: Option<String>,
        /// Where to write the transfer list workbook.
        #[arg(long, value_name = "F.xlsx")]
        out: PathBuf,
        /// Where to write the same rows as CSV.
        #[arg(long, value_name = "F.csv")]
        csv: Option<PathBuf>,
    },
    /// Read a bank's or the Treasury's result file (xlsx or CSV) into the batches.
    Results {
        /// The result file.
        file: PathBuf,
        /// The campaign's slug.
        #[arg(long)]
        campaign: String,
        /// Print the outcome as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Set a person's payment account.
    Account {
        /// The person's id.
        #[arg(long)]
        person: i32,
        /// social_security, bank or e_wallet.
        #[arg(long, default_value = "bank")]
        kind: String,
        /// The bank: BIN, short name or common name ("VCB", "NH Ngoại thương").
        #[arg(long, default_value = "")]
        bank: String,
        /// The account number.
        #[arg(long)]
        number: String,
        /// The holder's name, when not the person's.
        #[arg(long)]
        holder: Option<String>,
    },
    /// The cash round's signing sheet of one ward: no account, or a failed or returned
    /// transfer.
    CashSheet {
        /// The campaign's slug.
        #[arg(long)]
        campaign: String,
        /// The program: its id or name.
        #[arg(long)]
        program: String,
        /// The ward (code or name).
        #[arg(long)]
        ward: String,
        /// Where to write the workbook.
        #[arg(long, value_name = "F.xlsx")]
        out: PathBuf,
    },
    /// After the deadline: everyone not yet paid, by khu phố, with phone numbers.
    FollowUp {
        /// The campaign's slug.
        #[arg(long)]
        campaign: String,
        /// The program: its id or name.
        #[arg(long)]
        program: String,
        /// One ward (code or name); without it, every ward.
        #[arg(long)]
        ward: Option<String>,
        /// Print the list as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Add a bank or correct one (by its NAPAS BIN) in the editable bank list.
    Bank {
        /// The 6-digit NAPAS BIN.
        #[arg(long)]
        bin: String,
        /// The short name bank files print.
        #[arg(long)]
        short_name: String,
        /// The full name.
        #[arg(long)]
        name: String,
        /// Another name officers type; repeat for each.
        #[arg(long = "synonym")]
        synonyms: Vec<String>,
    },
    /// Planned, transferred, cash, failed or returned, not reached and hoàn ứng, per
    /// program and ward, as JSON.
    Settlement {
        /// The campaign's slug.
        #[arg(long)]
        campaign: String,
    },
}

/// The campaign and program a command names.
async fn campaign_and_program(
    db: &DatabaseConnection,
    campaign: &str,
    program: &str,
) -> Result<(campaign::Model, gift_program::Model), CliError> {
    let campaign = find_campaign(db, campaign).await.map_err(user_error)?;
    let program = find_program(db, &campaign, Some(program))
        .await
        .map_err(user_error)?;
    Ok((campaign, program))
}

/// The id of the ward `--ward` names, if given: the ward of that name at the campaign's Tết
/// (the new Long Bình in 2027, the old one in 2021).
async fn ward_id(
    db: &DatabaseConnection,
    campaign: &campaign::Model,
    ward: Option<&str>,
) -> Result<Option<i32>, CliError> {
    match ward {
        Some(text) => Ok(Some(
            find_campaign_ward(db, campaign, text)
                .await
                .map_err(user_error)?
                .id,
        )),
        None => Ok(None),
    }
}

/// Runs a `payments` subcommand.
pub async fn run(config: &Config, command: PaymentsCommand) -> Result<(), CliError> {
    let operator = Operator::system("cli");
    match command {
        PaymentsCommand::Export {
            campaign,
            program,
            ward,
            out,
            csv,
        } => {
            let db = open_database(config).await?;
            let (campaign, program) = campaign_and_program(&db, &campaign, &program).await?;
            let ward = ward_id(&db, &campaign, ward.as_deref()).await?;
            let made = make_transfer_batch(&db, &operator, &campaign, program.id, ward)
                .await
                .map_err(user_error)?;
            write_file(&out, &made.xlsx)?;
            if let Some(path) = csv {
                std::fs::write(&path, made.csv.as_bytes()).map_err(|err| {
                    CliError::from(format!("cannot write {}: {err}", path.display()))
                })?;
            }
            println!(
                "wrote {} ({} transfers, {} đồng)",
                out.display(),
                made.batch.entry_count,
                made.batch.total_amount
            );
            println!("{}", made.batch.id);
        }
        PaymentsCommand::Results {
            file,
            campaign,
            json,
        } => {
            let bytes = std::fs::read(&file).map_err(|err| CliError {
                status: 2,
                message: format!("cannot read {}: {err}", file.display()),
            })?;
            let rows = read_payment_results(&bytes).map_err(|err| CliError {
                status: 2,
                message: err.to_string(),
            })?;
            let db = open_database(config).await?;
            let campaign = find_campaign(&db, &campaign).await.map_err(user_error)?;
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let summary = apply_results(&db, &operator, &campaign, &rows, &name)
                .await
                .map_err(user_error)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&summary)?);
            } else {
                println!(
                    "applied {}, failed {}, returned {}, already applied {}, unmatched {}",
                    summary.applied,
                    summary.failed,
                    summary.returned,
                    summary.already_applied,
                    summary.unmatched.len()
                );
                for row in &summary.unmatched {
                    println!("row {}: {}", row.row, row.reason);
                }
            }
        }
        PaymentsCommand::Account {
            person,
            kind,
            bank,
            number,
            holder,
        } => {
            let kind = AccountKind::parse(&kind).ok_or_else(|| {
                CliError::from(format!(
                    "unknown --kind '{kind}': use social_security, bank or e_wallet"
                ))
            })?;
            let db = open_database(config).await?;
            let input = AccountInput {
                kind,
                bank,
                account_number: number,
                holder_name: holder,
            };
            save_account(&db, &operator, person, &input)
                .await
                .map_err(user_error)?;
            println!("saved the payment account of person #{person}");
        }
        PaymentsCommand::CashSheet {
            campaign,
            program,
            ward,
            out,
        } => {
            let db = open_database(config).await?;
            let (campaign, program) = campaign_and_program(&db, &campaign, &program).await?;
            let ward = find_campaign_ward(&db, &campaign, &ward)
                .await
                .map_err(user_error)?;
            let file = cash_round_sheet(&db, &operator, &campaign, &ward, &program)
                .await
                .map_err(user_error)?;
            write_file(&out, &file.bytes)?;
            println!("wrote {} ({} people)", out.display(), file.entries);
        }
        PaymentsCommand::FollowUp {
            campaign,
            program,
            ward,
            json,
        } => {
            let db = open_database(config).await?;
            let (campaign, program) = campaign_and_program(&db, &campaign, &program).await?;
            let ward = ward_id(&db, &campaign, ward.as_deref()).await?;
            let rows = follow_up_list(&db, &operator, &campaign, program.id, ward)
                .await
                .map_err(user_error)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&rows)?);
            } else {
                for row in &rows {
                    println!(
                        "{}\t{}\t{}\t{}\t{}\t{}",
                        row.khu_pho,
                        row.full_name,
                        row.address,
                        row.phone.as_deref().unwrap_or(""),
                        row.amount,
                        row.reason
                    );
                }
            }
        }
        PaymentsCommand::Bank {
            bin,
            short_name,
            name,
            synonyms,
        } => {
            let db = open_database(config).await?;
            let input = BankInput {
                bin,
                short_name,
                name,
                synonyms,
            };
            let saved = save_bank(&db, &operator, &input)
                .await
                .map_err(user_error)?;
            println!("saved bank {} ({})", saved.short_name, saved.bin);
        }
        PaymentsCommand::Settlement { campaign } => {
            let db = open_database(config).await?;
            let campaign = find_campaign(&db, &campaign).await.map_err(user_error)?;
            let rows = settlement(&db, &operator, &campaign)
                .await
                .map_err(user_error)?;
            println!("{}", serde_json::to_string_pretty(&rows)?);
        }
    }
    Ok(())
}
