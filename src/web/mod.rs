//! The web layer: thin handlers over the domain, one module per area, each with `routes()`.

pub mod account;
pub mod admin;
pub mod admin_banks;
pub mod admin_catalogue;
pub mod admin_users;
pub mod api;
pub mod auth;
pub mod campaigns;
pub mod checkin;
pub mod distribution_points;
pub mod duplicates;
pub mod error_page;
pub mod exports;
pub mod health;
pub mod home;
pub mod imports;
pub mod layout;
pub mod lineage;
pub mod lists;
pub mod middleware;
pub mod payment_pages;
pub mod payments;
pub mod people;
pub mod population_check;
pub mod programs;
pub mod session;
pub mod signed_sheets;
pub mod static_files;
pub mod tokens;
pub mod units;
pub mod value_mappings;

use std::sync::Arc;

use axum::Router;
use sea_orm::DatabaseConnection;

use crate::config::Config;

/// What every handler can reach: the database pool and the configuration. No global state,
/// so tests build their own.
#[derive(Clone)]
pub struct AppState {
    /// The connection pool (SQLite or PostgreSQL).
    pub db: DatabaseConnection,
    /// The service's configuration.
    pub config: Arc<Config>,
    /// The parse of the uploads this server read last (issue 19: a preview seen twice is
    /// read once).
    pub parsed_uploads: crate::domain::pending_uploads::ParsedUploads,
    /// This server's copy of every unit, checked with each session against the database's
    /// version of them (issue 19: the units are not read on every request).
    pub units: crate::domain::units_copy::UnitsCopy,
    /// The dashboards' figures this server read last, kept a moment (issue 19, see
    /// `web::campaigns::kept`); `Default` keeps none.
    pub dashboards: campaigns::kept::KeptDashboards,
    /// The wards' duplicate pairs this server found, with the pairing versions they were
    /// found at (issue 19, see `domain::pairs_copy`).
    pub pairs: crate::domain::pairs_copy::PairsCopy,
    /// This server's copy of every category, checked with each list page against the
    /// database's version of them (issue 19, see `domain::categories_copy`).
    pub categories: crate::domain::categories_copy::CategoriesCopy,
    /// This server's copy of the name keys of the lists it searched, checked with each search
    /// against the database's version of the list (issue 19, see `domain::list_search`).
    pub list_names: crate::domain::list_search::ListNamesCopy,
}

/// The whole application as a router, ready to serve or to drive in tests with `oneshot`.
pub fn app(state: AppState) -> Router {
    Router::new()
        .merge(api::routes())
        .merge(auth::routes())
        .merge(account::routes())
        .merge(home::routes())
        .merge(units::routes())
        .merge(lineage::routes())
        .merge(campaigns::routes())
        .merge(imports::routes(state.config.max_upload_mb))
        .merge(lists::routes())
        .merge(signed_sheets::routes(state.config.max_upload_mb))
        .merge(population_check::routes(state.config.max_upload_mb))
        .merge(people::routes())
        .merge(payments::routes())
        .merge(payment_pages::routes(state.config.max_upload_mb))
        .merge(duplicates::routes())
        .merge(programs::routes())
        .merge(exports::routes())
        .merge(checkin::routes())
        .merge(distribution_points::routes())
        .merge(admin::routes())
        .merge(admin_banks::routes())
        .merge(admin_catalogue::routes())
        .merge(admin_users::routes())
        .merge(tokens::routes())
        .merge(value_mappings::routes())
        .merge(health::routes())
        .merge(static_files::routes())
        .fallback(middleware::page_not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::frame_error_pages,
        ))
        .layer(axum::middleware::from_fn(middleware::reject_cross_site))
        .layer(axum::middleware::from_fn(middleware::log_request))
        .with_state(state)
}
