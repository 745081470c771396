//! `chamlo program add|list`: gift programs of a campaign from the command line.

use clap::Subcommand;

use crate::cli::{CliError, open_database};
use crate::config::Config;
use crate::domain::campaigns::find_campaign;
use crate::domain::exports::find_program;
use crate::domain::operator::Operator;
use crate::domain::payments::{default_program, set_payment_method};
use crate::domain::programs::{CategoryAmount, ProgramInput, add_program, programs_of};
use crate::entities::payment_states::PaymentMethod;
use crate::entities::states::FundingSource;

/// `chamlo program …`
#[derive(Subcommand)]
pub enum ProgramCommand {
    /// Add a program and compute its gifts for everyone already listed.
    Add {
        /// The campaign's slug.
        #[arg(long)]
        campaign: String,
        /// The program's name.
        #[arg(long)]
        name: String,
        /// Who pays: central, city, district, ward or sponsor (Vietnamese words work too).
        #[arg(long)]
        source: String,
        /// The sponsor's name (for --source sponsor).
        #[arg(long)]
        sponsor: Option<String>,
        /// Cash per category: CODE=AMOUNT in đồng (TNLS=600000); repeat for each category.
        #[arg(long = "amount", value_name = "CODE=AMOUNT")]
        amounts: Vec<String>,
        /// Goods given with the cash.
        #[arg(long)]
        goods: Option<String>,
        /// How many of the goods each recipient gets.
        #[arg(long)]
        goods_quantity: Option<i32>,
        /// One gift per household.
        #[arg(long)]
        one_per_household: bool,
        /// How the gifts are paid: cash, goods, transfer or transfer-else-cash.
        #[arg(long, default_value = "cash")]
        payment: String,
    },
    /// Change how a program pays (the campaign's default program when --program is left out).
    Edit {
        /// The campaign's slug.
        #[arg(long)]
        campaign: String,
        /// The program: its id or name.
        #[arg(long)]
        program: Option<String>,
        /// How the gifts are paid: cash, goods, transfer or transfer-else-cash.
        #[arg(long)]
        payment: String,
    },
    /// List the programs of a campaign with their amounts.
    List {
        /// The campaign's slug.
        #[arg(long)]
        campaign: String,
    },
}

/// Parses `--payment`.
fn parse_payment(text: &str) -> Result<PaymentMethod, CliError> {
    PaymentMethod::parse(text).ok_or_else(|| {
        CliError::from(format!(
            "unknown --payment '{text}': use cash, goods, transfer or transfer-else-cash"
        ))
    })
}

/// Parses `CODE=AMOUNT`; the amount may carry dots or "đ" ("600.000đ").
fn parse_amount(text: &str) -> Result<CategoryAmount, CliError> {
    let (code, amount) = text
        .split_once('=')
        .ok_or_else(|| CliError::from(format!("--amount '{text}': expected CODE=AMOUNT")))?;
    let digits: String = amount
        .trim()
        .trim_end_matches(['đ', 'Đ'])
        .chars()
        .filter(|c| !matches!(c, '.' | ',' | ' '))
        .collect();
    let amount = digits.parse::<i64>().map_err(|_| {
        CliError::from(format!(
            "--amount '{text}': the amount is not a whole number"
        ))
    })?;
    Ok(CategoryAmount {
        category: code.trim().to_owned(),
        amount,
    })
}

/// Runs a `program` subcommand.
pub async fn run(config: &Config, command: ProgramCommand) -> Result<(), CliError> {
    match command {
        ProgramCommand::Add {
            campaign,
            name,
            source,
            sponsor,
            amounts,
            goods,
            goods_quantity,
            one_per_household,
            payment,
        } => {
            let payment_method = parse_payment(&payment)?;
            let funding_source = FundingSource::parse(&source).ok_or_else(|| {
                CliError::from(format!(
                    "unknown --source '{source}': use central, city, district, ward or sponsor"
                ))
            })?;
            let amounts = amounts
                .iter()
                .map(|a| parse_amount(a))
                .collect::<Result<Vec<_>, _>>()?;
            let db = open_database(config).await?;
            let campaign = find_campaign(&db, &campaign).await?;
            let input = ProgramInput {
                name,
                funding_source,
                sponsor_name: sponsor,
                goods_description: goods,
                goods_quantity,
                one_per_household,
                amounts,
                payment_method: Some(payment_method),
            };
            let (program, computed) =
                add_program(&db, &Operator::system("cli"), &campaign, &input).await?;
            println!(
                "added program “{}” (#{}) to {}: {} gifts computed",
                program.name, program.id, campaign.slug, computed.created
            );
            println!("{}", program.id);
        }
        ProgramCommand::Edit {
            campaign,
            program,
            payment,
        } => {
            let method = parse_payment(&payment)?;
            let db = open_database(config).await?;
            let campaign = find_campaign(&db, &campaign).await?;
            let program = match program {
                Some(text) => find_program(&db, &campaign, Some(&text)).await?,
                None => default_program(&db, campaign.id).await?,
            };
            let program =
                set_payment_method(&db, &Operator::system("cli"), program.id, method).await?;
            println!(
                "program “{}” (#{}) now pays: {}",
                program.name,
                program.id,
                method.as_str()
            );
        }
        ProgramCommand::List { campaign } => {
            let db = open_database(config).await?;
            let campaign = find_campaign(&db, &campaign).await?;
            for program in programs_of(&db, campaign.id).await? {
                let amounts: Vec<String> = program
                    .amounts
                    .iter()
                    .map(|a| format!("{}={}", a.category, a.amount))
                    .collect();
                println!(
                    "{}\t{}\t{}\t{}",
                    program.id,
                    program.name,
                    program.funding_source.as_str(),
                    amounts.join(" ")
                );
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::parse_amount;

    #[test]
    fn amounts_accept_dots_and_the_dong_sign() {
        let parsed = parse_amount("TNLS=600.000đ")
            .ok()
            .map(|a| (a.category, a.amount));
        assert_eq!(parsed, Some(("TNLS".to_owned(), 600_000)));
        assert!(parse_amount("TNLS").is_err());
        assert!(parse_amount("TNLS=sáu trăm").is_err());
    }
}
