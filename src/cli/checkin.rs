//! `chamlo checkin`: checks a gift in by its slip's code, for a point with a laptop and a
//! barcode scanner, or for scripts. Exit 0 recorded, 1 already received, 2 unknown code.

use clap::Args;

use crate::cli::{CliError, open_database};
use crate::config::Config;
use crate::domain::campaigns::find_campaign;
use crate::domain::distribution_day::{CheckinRequest, check_in};
use crate::domain::operator::Operator;
use crate::error::AppError;

/// `chamlo checkin CODE --campaign SLUG [--proxy NAME --relationship REL]`
#[derive(Args)]
pub struct CheckinArgs {
    /// The code printed on the slip (with or without the dash, any case).
    code: String,
    /// The campaign's slug.
    #[arg(long)]
    campaign: String,
    /// Received by this person for the recipient.
    #[arg(long, requires = "relationship")]
    proxy: Option<String>,
    /// The proxy's relationship to the recipient ("con", "vợ").
    #[arg(long, requires = "proxy")]
    relationship: Option<String>,
}

/// Runs `chamlo checkin`.
pub async fn run(config: &Config, args: CheckinArgs) -> Result<(), CliError> {
    let db = open_database(config).await?;
    let campaign = find_campaign(&db, &args.campaign).await?;
    let request = CheckinRequest {
        code: args.code.clone(),
        proxy: args.proxy.clone().zip(args.relationship.clone()),
        point: None,
        client_key: None,
    };
    let outcome = match check_in(&db, &Operator::system("cli"), &campaign, &request).await {
        Ok(outcome) => outcome,
        Err(AppError::NotFound(message)) => {
            return Err(CliError { status: 2, message });
        }
        Err(other) => return Err(other.into()),
    };
    let card = &outcome.card;
    if outcome.refused() {
        let received = card.received.clone().unwrap_or_default();
        return Err(CliError {
            status: 1,
            message: format!(
                "{} ({}) đã nhận quà lúc {} do {} ghi nhận{}{}",
                card.person_name,
                card.gift,
                received
                    .recorded_at
                    .or(received.date)
                    .unwrap_or_else(|| "?".into()),
                received.recorded_by.unwrap_or_else(|| "?".into()),
                received
                    .point
                    .map(|p| format!(" tại {p}"))
                    .unwrap_or_default(),
                received
                    .proxy
                    .map(|p| format!("; người nhận thay: {p}"))
                    .unwrap_or_default(),
            ),
        });
    }
    println!("recorded: {} – {}", card.person_name, card.gift);
    Ok(())
}
