//! The home page after login: who you are, which units you serve, and the campaigns.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::routing::get;

use crate::domain::campaigns::{units_for_new_campaign, visible_campaigns};
use crate::domain::clock::vietnam_today;
use crate::domain::scope::UnitScope;
use crate::domain::units::{all_units, display_name};
use crate::entities::campaign;
use crate::error::AppResult;
use crate::web::AppState;
use crate::web::layout::{Chrome, operator};
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
    Ok(HomePage {
        runners,
        default_runner: user.user.unit_id,
        chrome: Chrome::for_user(&user),
        sees_everything: user.scope == UnitScope::All,
        units,
        campaigns,
    })
}
