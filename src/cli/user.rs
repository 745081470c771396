//! `chamlo user create`: adds an account from the command line.

use std::io::{BufRead, IsTerminal, Write};

use clap::Subcommand;
use serde_json::json;

use crate::cli::{CliError, open_database};
use crate::config::Config;
use crate::domain::accounts::NewUser;
use crate::domain::audit::{self, Actor, AuditEvent};
use crate::domain::sectors::create_user_in_sectors;
use crate::domain::units::{all_units, display_name, find_unit_on};
use crate::entities::states::{Role, Sector, UnitLevel};

/// `chamlo user …`
#[derive(Subcommand)]
pub enum UserCommand {
    /// Create an account. The password comes from CHAMLO_PASSWORD or a prompt.
    Create {
        /// Login name (letters without diacritics, digits, . _ -).
        #[arg(long)]
        username: String,
        /// admin, district or ward.
        #[arg(long)]
        role: String,
        /// The unit served: a city's, district's or ward's name (any case, with or without
        /// diacritics) or its code. Not needed for admin. A district (supervising) account
        /// of a ward is the ward's leader, who approves the ward's own campaigns.
        #[arg(long)]
        unit: Option<String>,
        /// The person's full name.
        #[arg(long)]
        full_name: Option<String>,
        /// A sector the account is limited to: merit, social_protection or poverty.
        /// Repeatable; without it the account works in every sector. Only for district
        /// (supervising) accounts.
        #[arg(long = "sector")]
        sectors: Vec<String>,
    },
}

/// Runs a `user` subcommand.
pub async fn run(config: &Config, command: UserCommand) -> Result<(), CliError> {
    match command {
        UserCommand::Create {
            username,
            role,
            unit,
            full_name,
            sectors,
        } => {
            let sectors = sectors
                .iter()
                .map(|text| {
                    Sector::parse(text).ok_or_else(|| {
                        CliError::from(format!(
                            "unknown sector '{text}': use merit, social_protection or poverty"
                        ))
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            let role = Role::parse(&role).ok_or_else(|| {
                CliError::from(format!(
                    "unknown role '{role}': use admin, district or ward"
                ))
            })?;
            let db = open_database(config).await?;
            let units = all_units(&db).await?;
            let unit = match (&unit, role) {
                (None, _) => None,
                (Some(text), role) => {
                    // Where an old and a new unit share a name, today's is meant.
                    let today = crate::domain::clock::vietnam_today();
                    let found = if role == Role::Ward {
                        find_unit_on(&units, UnitLevel::Ward, text, today)
                    } else {
                        find_unit_on(&units, UnitLevel::District, text, today)
                            .or_else(|| find_unit_on(&units, UnitLevel::City, text, today))
                            .or_else(|| find_unit_on(&units, UnitLevel::Ward, text, today))
                    };
                    let found = found.ok_or_else(|| {
                        let level = if role == Role::Ward { "ward" } else { "unit" };
                        CliError::from(format!("no {level} named '{text}'"))
                    })?;
                    Some(found)
                }
            };
            let password = read_password()?;
            let (user, sectors) = create_user_in_sectors(
                &db,
                NewUser {
                    username: &username,
                    password: &password,
                    role,
                    unit_id: unit.map(|u| u.id),
                    full_name: full_name.as_deref(),
                },
                &sectors,
            )
            .await
            .map_err(|err| CliError::from(err.user_message()))?;
            audit::record::<(), _>(
                &db,
                &Actor::system("cli"),
                AuditEvent {
                    action: "user.create",
                    entity_type: "user",
                    entity_id: Some(user.id.to_string()),
                    unit_id: user.unit_id,
                },
                None,
                Some(&json!({ "user": user, "sectors": sectors })),
            )
            .await?;
            let sectors_note = if sectors.is_empty() {
                String::new()
            } else {
                let names: Vec<&str> = sectors.iter().map(|s| s.as_str()).collect();
                format!(", sectors {}", names.join(", "))
            };
            println!(
                "created user '{}' ({}){}{sectors_note}",
                user.username,
                role.as_str(),
                unit.map(|u| format!(" for {}", display_name(u)))
                    .unwrap_or_default()
            );
            Ok(())
        }
    }
}

/// The new password: CHAMLO_PASSWORD, else one line from standard input (prompting on a terminal).
fn read_password() -> Result<String, CliError> {
    if let Ok(password) = std::env::var("CHAMLO_PASSWORD")
        && !password.is_empty()
    {
        return Ok(password);
    }
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("Password: ");
        std::io::stderr().flush()?;
    }
    let mut line = String::new();
    stdin.lock().read_line(&mut line)?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    if password.is_empty() {
        return Err(CliError::from(
            "no password given (set CHAMLO_PASSWORD or type one)",
        ));
    }
    Ok(password)
}
