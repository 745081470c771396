//! The home page after login: who you are, which units you serve, and the campaigns; for a
//! ward officer, how their ward's gifts were paid in each campaign that pays by transfer
//! (supervisors see the same settlement on the campaign dashboard).

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::routing::get;

use crate::domain::campaigns::{units_for_new_campaign, visible_campaigns};
use crate::domain::clock::vietnam_today;
use crate::domain::payments::program_settlements;
use crate::domain::scope::UnitScope;
use crate::domain::units::{all_units, display_name};
use crate::entities::campaign;
use crate::entities::states::Role;
use crate::error::AppResult;
use crate::web::AppState;
use crate::web::layout::{Chrome, money, operator};
use crate::web::session::CurrentUser;

/// `/`.
pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(show_home))
}

/// A unit the user serves, for the home page.
pub struct UnitLink {
    /// Its id, for the link.
    pub id: i32,
    /// Its official name.
    pub name: String,
}

/// The home page.
#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
struct HomePage {
    chrome: Chrome,
    sees_everything: bool,
    units: Vec<UnitLink>,
    campaigns: Vec<campaign::Model>,
    /// The units the user may choose to run a new campaign (the city, or one ward for its
    /// own program), with the one chosen by default.
    runners: Vec<UnitLink>,
    /// The runner selected at first (the user's own unit; none for an administrator, who
    /// lets the year decide).
    default_runner: Option<i32>,
    /// A ward officer's settlement per campaign that pays by transfer: (campaign title,
    /// its slug, its programs).
    settlements: Vec<(String, String, Vec<SettlementCard>)>,
}

/// One program's settlement as the dashboard shows it (DOMAIN.md, "How the state's gifts are
/// paid"): counts and money, formatted.
#[derive(Clone)]
pub struct SettlementCard {
    /// The program's name.
    pub program: String,
    /// Its funding source.
    pub funding: String,
    /// How it pays.
    pub method: &'static str,
    /// Gifts planned.
    pub planned: i64,
    /// Their money.
    pub planned_amount: String,
    /// Paid by transfer.
    pub transferred: i64,
    /// Money transferred.
    pub transferred_amount: String,
    /// Paid in cash.
    pub cash: i64,
    /// Money paid in cash.
    pub cash_amount: String,
    /// Transfers failed or returned, due in the cash round.
    pub failed_or_returned: i64,
    /// Sent for transfer, awaiting the bank.
    pub awaiting_result: i64,
    /// Not reached.
    pub not_reached: i64,
    /// Money to give back (hoàn ứng).
    pub refund: String,
}

/// The settlement cards of `campaign_id` within `scope`; empty when no program of the
/// campaign pays by transfer.
pub async fn settlement_cards(
    db: &sea_orm::DatabaseConnection,
    scope: &UnitScope,
    campaign_id: i32,
) -> AppResult<Vec<SettlementCard>> {
    Ok(program_settlements(db, scope, campaign_id)
        .await?
        .unwrap_or_default()
        .into_iter()
        .map(|s| {
            let f = s.figures;
            SettlementCard {
                funding: match s.program.sponsor_name.as_deref().map(str::trim) {
                    Some(sponsor) if !sponsor.is_empty() => {
                        format!("{} – {sponsor}", s.program.funding_source.label())
                    }
                    _ => s.program.funding_source.label().to_owned(),
                },
                method: s.program.payment_method.label(),
                program: s.program.name,
                planned: f.planned.people,
                planned_amount: money(f.planned.money),
                transferred: f.transferred.people,
                transferred_amount: money(f.transferred.money),
                cash: f.cash.people,
                cash_amount: money(f.cash.money),
                failed_or_returned: f.failed_or_returned.people,
                awaiting_result: f.awaiting_result.people,
                not_reached: f.not_reached.people,
                refund: money(f.refund()),
            }
        })
        .collect())
}

async fn show_home(State(state): State<AppState>, user: CurrentUser) -> AppResult<HomePage> {
    let campaigns = visible_campaigns(&state.db, &user.user, &user.scope).await?;
    let units = all_units(&state.db)
        .await?
        .into_iter()
        .filter(|unit| user.scope != UnitScope::All && user.scope.allows(unit.id))
        .map(|unit| UnitLink {
            id: unit.id,
            name: display_name(&unit),
        })
        .collect();
    let runners = units_for_new_campaign(&operator(&user), &user.units, vietnam_today())
        .into_iter()
        .map(|unit| UnitLink {
            id: unit.id,
            name: display_name(unit),
        })
        .collect();
    let mut settlements = Vec::new();
    if user.role == Role::Ward {
        for campaign in &campaigns {
            let cards = settlement_cards(&state.db, &user.scope, campaign.id).await?;
            if !cards.is_empty() {
                settlements.push((campaign.title.clone(), campaign.slug.clone(), cards));
            }
        }
    }
    Ok(HomePage {
        runners,
        default_runner: user.user.unit_id,
        chrome: Chrome::for_user(&user),
        sees_everything: user.scope == UnitScope::All,
        units,
        campaigns,
        settlements,
    })
}
