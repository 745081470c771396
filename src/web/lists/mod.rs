//! A ward's list in a campaign, one module per thing done with it: the page itself (search
//! without diacritics, filters, pages), moving the list along (submit, approve, return,
//! reopen), recording the distribution row by row or many rows at once, downloading the
//! signing sheet, and adding a person by hand. What they share is here: the routes and
//! loading the campaign, the ward and its list for the user.

mod confirm;
mod distribution;
mod new_person;
mod page;
mod signing_sheet;
mod transitions;

pub use new_person::NewPersonForm;

use axum::Router;
use axum::routing::{get, post};

use crate::domain::list_entries::{CampaignWithList, campaign_with_list};
use crate::entities::{campaign, gift_program, unit, ward_list};
use crate::error::{AppError, AppResult};
use crate::web::AppState;
use crate::web::layout::ensure_sees_campaign;
use crate::web::session::CurrentUser;

/// The list routes, all under `/campaigns/{slug}/wards/{ward_id}`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/campaigns/{slug}/wards/{ward_id}",
            get(page::show_ward_list),
        )
        .route(
            "/campaigns/{slug}/wards/{ward_id}/transition",
            get(confirm::confirm_transition).post(transitions::change_list_status),
        )
        .route(
            "/campaigns/{slug}/wards/{ward_id}/distribution",
            post(distribution::record_list_distribution),
        )
        .route(
            "/campaigns/{slug}/wards/{ward_id}/signing-sheet",
            get(signing_sheet::download_signing_sheet),
        )
        .route(
            "/campaigns/{slug}/wards/{ward_id}/people/new",
            get(new_person::show_new_person).post(new_person::add_person),
        )
}

/// A campaign, one of its wards and that ward's list (if it has one yet), loaded once the
/// user may see them: what every list handler starts from.
struct ListContext {
    campaign: campaign::Model,
    ward: unit::Model,
    list: Option<ward_list::Model>,
    /// The campaign's programs, by id.
    programs: Vec<gift_program::Model>,
    /// The categories' version read with them (`domain::categories_copy`).
    categories_version: i64,
    /// The list's name keys' version read with them (`domain::list_search`).
    list_name_version: i64,
}

/// Loads what a list handler starts from, refusing a ward or a campaign outside the user's
/// units.
async fn load_context(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
    ward_id: i32,
) -> AppResult<ListContext> {
    // The ward first: another ward's list is refused whatever the campaign.
    user.scope.ensure(ward_id)?;
    let CampaignWithList {
        campaign,
        list,
        programs,
        categories_version,
        list_name_version,
    } = campaign_with_list(&state.db, slug, ward_id).await?;
    ensure_sees_campaign(user, &campaign)?;
    crate::domain::approvers::ensure_covers(&user.units, &campaign, ward_id)?;
    let ward = user
        .find_unit(ward_id)
        .cloned()
        .ok_or_else(|| AppError::NotFound("Không tìm thấy phường này.".into()))?;
    Ok(ListContext {
        campaign,
        ward,
        list,
        programs,
        categories_version,
        list_name_version,
    })
}
