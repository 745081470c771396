//! `/healthz`: answers 200 when the database answers, 503 otherwise (for load balancers).

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use serde_json::json;

use crate::db;
use crate::web::AppState;

/// The health route.
pub fn routes() -> Router<AppState> {
    Router::new().route("/healthz", get(show_health))
}

async fn show_health(State(state): State<AppState>) -> impl IntoResponse {
    let database = state.config.database_kind();
    match db::ping(&state.db).await {
        Ok(()) => (
            StatusCode::OK,
            axum::Json(json!({ "status": "ok", "database": database })),
        ),
        Err(err) => {
            tracing::error!(error = %err, "health check: database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                axum::Json(json!({ "status": "error", "database": database })),
            )
        }
    }
}
