//! `chamlo campaign create|list|open|lock|close|carry-forward`: the campaign's life from the
//! command line, as the system actor with administrator rights.

use clap::Subcommand;

use crate::cli::{CliError, open_database};
use crate::config::Config;
use crate::domain::campaigns::{
    NewCampaign, RequestedUnit, create_campaign, find_campaign, set_campaign_status,
};
use crate::domain::carry_forward::{UnresolvedPerson, carry_forward, start_next_campaign};
use crate::domain::operator::Operator;
use crate::entities::campaign;
use crate::entities::states::CampaignStatus;
use sea_orm::{EntityTrait, QueryOrder};

/// `chamlo campaign …`
#[derive(Subcommand)]
pub enum CampaignCommand {
    /// Create the campaign of a Tết with its default program; prints the slug last.
    Create {
        /// The Gregorian year of the Tết (2021 → "Tết Nguyên đán Tân Sửu 2021").
        #[arg(long)]
        year: i32,
        /// A title other than the lunar one.
        #[arg(long)]
        title: Option<String>,
        /// The unit running it (district or city: name or code); defaults to the only
        /// district, else the city.
        #[arg(long)]
        unit: Option<String>,
        /// Carry the lists forward from this campaign (its slug).
        #[arg(long, value_name = "SLUG")]
        carry_from: Option<String>,
    },
    /// List the campaigns, newest first.
    List,
    /// Reopen a locked or closed campaign.
    Open {
        /// The campaign's slug.
        slug: String,
    },
    /// Lock a campaign: the lists are frozen, distribution goes on.
    Lock {
        /// The campaign's slug.
        slug: String,
    },
    /// Close a campaign: nothing changes any more.
    Close {
        /// The campaign's slug.
        slug: String,
    },
    /// Copy last year's lists into a campaign as drafts (deceased and moved people stay behind).
    CarryForward {
        /// Last year's campaign.
        #[arg(long, value_name = "SLUG")]
        from: String,
        /// The new campaign.
        #[arg(long, value_name = "SLUG")]
        to: String,
    },
}

/// Runs a `campaign` subcommand.
pub async fn run(config: &Config, command: CampaignCommand) -> Result<(), CliError> {
    let db = open_database(config).await?;
    let operator = Operator::system("cli");
    match command {
        CampaignCommand::Create {
            year,
            title,
            unit,
            carry_from,
        } => {
            let new = NewCampaign {
                year,
                title,
                unit: unit.map(RequestedUnit::Named),
            };
            let (made, carried) = match carry_from {
                None => (create_campaign(&db, &operator, new).await?, None),
                Some(from) => {
                    let from = find_campaign(&db, &from).await?;
                    let (made, summary) = start_next_campaign(&db, &operator, &from, new).await?;
                    (made, Some((from.slug, summary)))
                }
            };
            println!("created campaign “{}” ({})", made.title, made.lunar_name);
            if let Some((from, summary)) = carried {
                println!(
                    "carried forward from {from}: {} lists, {} gifts ({} left behind)",
                    summary.lists_created, summary.entries_copied, summary.people_left_behind
                );
                report_unresolved(&summary.unresolved);
            }
            println!("{}", made.slug);
        }
        CampaignCommand::List => {
            let all = campaign::Entity::find()
                .order_by_desc(campaign::Column::Year)
                .order_by_desc(campaign::Column::Id)
                .all(&db)
                .await?;
            for c in all {
                println!("{}\t{}\t{}\t{}", c.slug, c.year, c.status.as_str(), c.title);
            }
        }
        CampaignCommand::Open { slug } => {
            change_status(&db, &operator, &slug, CampaignStatus::Open).await?
        }
        CampaignCommand::Lock { slug } => {
            change_status(&db, &operator, &slug, CampaignStatus::Locked).await?
        }
        CampaignCommand::Close { slug } => {
            change_status(&db, &operator, &slug, CampaignStatus::Closed).await?
        }
        CampaignCommand::CarryForward { from, to } => {
            let from = find_campaign(&db, &from).await?;
            let to = find_campaign(&db, &to).await?;
            let summary = carry_forward(&db, &operator, &from, &to).await?;
            println!(
                "carried forward {} → {}: {} lists, {} gifts copied, {} left behind, {} already listed",
                from.slug,
                to.slug,
                summary.lists_created,
                summary.entries_copied,
                summary.people_left_behind,
                summary.already_listed
            );
            report_unresolved(&summary.unresolved);
        }
    }
    Ok(())
}

/// Names on stderr the people a carry-forward could not place (a split ward, no khu phố that
/// says which part), so that nobody disappears from the lists unnoticed.
fn report_unresolved(unresolved: &[UnresolvedPerson]) {
    for who in unresolved {
        eprintln!(
            "not carried: {} (khu phố {}) of {}: enter which new ward its khu phố went to ({})",
            who.full_name,
            who.khu_pho.as_deref().unwrap_or("?"),
            who.former_ward,
            who.possible_wards.join(", ")
        );
    }
}

async fn change_status(
    db: &sea_orm::DatabaseConnection,
    operator: &Operator,
    slug: &str,
    status: CampaignStatus,
) -> Result<(), CliError> {
    let found = find_campaign(db, slug).await?;
    let updated = set_campaign_status(db, operator, &found, status.as_str()).await?;
    println!("{}\t{}", updated.slug, updated.status.as_str());
    Ok(())
}
