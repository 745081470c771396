//! The JSON API under `/api/`: the same operations as the pages and the command line, for
//! scripts. A script sends a personal token (`Authorization: Bearer …`); a logged-in browser
//! uses its session. Either way the caller acts with exactly its user's role and units.
//! Errors are `{"error": "<Vietnamese message>"}` with the right status. The OpenAPI document,
//! generated from this code, is served at `/api/openapi.json`.

mod caller;
mod campaigns;
pub mod checkin;
mod distribution;
mod duplicates;
mod extract;
mod lists;
mod payments;
mod population_check;
mod programs;
mod progress;
mod respond;
mod tokens;

pub use caller::ApiCaller;
pub use extract::{ApiJson, ApiPath, ApiQuery};
pub use respond::{ApiError, ApiResult, ErrorBody, created};

use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::web::AppState;

/// The API's routes, all under `/api`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(checkin::routes())
        .route("/api/openapi.json", get(openapi_json))
        .route(
            "/api/campaigns",
            get(campaigns::list_campaigns).post(campaigns::create_campaign),
        )
        .route(
            "/api/campaigns/{slug}/status",
            post(campaigns::set_campaign_status),
        )
        .route(
            "/api/campaigns/{slug}/carry-forward",
            post(campaigns::carry_forward_campaign),
        )
        .route(
            "/api/campaigns/{slug}/programs",
            get(programs::list_programs).post(programs::add_program),
        )
        .route("/api/campaigns/{slug}/lists", get(lists::list_ward_lists))
        .route(
            "/api/campaigns/{slug}/lists/{ward_id}/{action}",
            post(lists::transition_ward_list),
        )
        .route(
            "/api/campaigns/{slug}/entries",
            get(distribution::list_entries),
        )
        .route(
            "/api/entries/distribution",
            post(distribution::record_distribution),
        )
        .route(
            "/api/campaigns/{slug}/progress",
            get(progress::show_progress),
        )
        .route(
            "/api/campaigns/{slug}/duplicates",
            get(duplicates::list_duplicates),
        )
        .route(
            "/api/campaigns/{slug}/duplicates/decision",
            post(duplicates::decide_duplicate),
        )
        .route(
            "/api/tokens",
            get(tokens::list_tokens).post(tokens::create_token),
        )
        .route("/api/tokens/{id}", delete(tokens::revoke_token))
        .merge(population_check::routes())
        .route(
            "/api/people/{id}/payment-account",
            get(payments::show_account).put(payments::save_payment_account),
        )
        .route(
            "/api/campaigns/{slug}/transfer-batches",
            get(payments::list_batches).post(payments::make_batch),
        )
        .route(
            "/api/campaigns/{slug}/transfer-batches/{id}/{kind}",
            get(payments::download_batch),
        )
        .route(
            "/api/campaigns/{slug}/payment-results/preview",
            post(payments::preview_results),
        )
        .route(
            "/api/campaigns/{slug}/cash-sheet",
            get(payments::download_cash_sheet),
        )
        .route(
            "/api/campaigns/{slug}/payment-follow-up",
            get(payments::show_follow_up),
        )
        .route(
            "/api/campaigns/{slug}/payment-results",
            post(payments::upload_results),
        )
        .route(
            "/api/campaigns/{slug}/settlement",
            get(payments::show_settlement),
        )
        .route("/api/banks", get(payments::list_banks))
        .route("/api/banks/{bin}", put(payments::save_bank_names))
}

/// The OpenAPI document of the API.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Chamlo API",
        description = "Đợt quà Tết, chương trình quà, danh sách phường, cấp phát và rà soát trùng."
    ),
    paths(
        campaigns::list_campaigns,
        campaigns::create_campaign,
        campaigns::set_campaign_status,
        campaigns::carry_forward_campaign,
        programs::list_programs,
        programs::add_program,
        lists::list_ward_lists,
        lists::transition_ward_list,
        distribution::list_entries,
        distribution::record_distribution,
        progress::show_progress,
        duplicates::list_duplicates,
        duplicates::decide_duplicate,
        tokens::list_tokens,
        tokens::create_token,
        tokens::revoke_token,
        checkin::show_checkin_card,
        checkin::record_checkin,
        checkin::show_ward_plan,
        checkin::create_point,
        checkin::create_slot,
        checkin::invite_to_slot,
        checkin::mark_home_visit,
        checkin::show_follow_up,
        population_check::show_ward_check,
        population_check::upload_ward_extract,
        population_check::recheck_ward,
        population_check::resolve_population_flag,
        population_check::population_report,
        payments::show_account,
        payments::save_payment_account,
        payments::make_batch,
        payments::upload_results,
        payments::show_settlement,
        payments::list_batches,
        payments::download_batch,
        payments::preview_results,
        payments::download_cash_sheet,
        payments::show_follow_up,
        payments::list_banks,
        payments::save_bank_names,
    ),
    components(schemas(ErrorBody)),
    modifiers(&BearerScheme),
    security(("bearer" = []))
)]
pub struct ApiDoc;

struct BearerScheme;

impl Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
