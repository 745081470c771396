//! `chamlo token create|revoke`: personal API tokens from the command line.

use clap::Subcommand;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::cli::{CliError, open_database};
use crate::config::Config;
use crate::domain::api_tokens::{create_api_token, revoke_api_token};
use crate::domain::audit::Actor;
use crate::entities::user;

/// `chamlo token …`
#[derive(Subcommand)]
pub enum TokenCommand {
    /// Create a token for a user and print it (shown only this once).
    Create {
        /// The user the token acts as.
        #[arg(long)]
        username: String,
        /// A name to recognise the token by.
        #[arg(long)]
        name: String,
    },
    /// Revoke a token of a user.
    Revoke {
        /// The token's owner.
        #[arg(long)]
        username: String,
        /// The token's id.
        #[arg(long)]
        id: i32,
    },
}

/// Runs a `token` subcommand.
pub async fn run(config: &Config, command: TokenCommand) -> Result<(), CliError> {
    let db = open_database(config).await?;
    let actor = Actor::system("cli");
    let find_user = |username: String| {
        let db = db.clone();
        async move {
            user::Entity::find()
                .filter(user::Column::Username.eq(username.trim().to_lowercase()))
                .one(&db)
                .await?
                .ok_or_else(|| CliError::from(format!("no user '{}'", username.trim())))
        }
    };
    match command {
        TokenCommand::Create { username, name } => {
            let owner = find_user(username).await?;
            let (stored, token) = create_api_token(&db, &actor, &owner, &name).await?;
            eprintln!(
                "created token #{} “{}” for {} (shown only this once)",
                stored.id, stored.name, owner.username
            );
            println!("{token}");
        }
        TokenCommand::Revoke { username, id } => {
            let owner = find_user(username).await?;
            revoke_api_token(&db, &actor, owner.id, id).await?;
            println!("revoked token #{id}");
        }
    }
    Ok(())
}
