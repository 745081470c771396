//! The JSON API under `/api/`: the same operations as the pages and the command line, for
//! scripts. A script sends a personal token (`Authorization: Bearer …`); a logged-in browser
//! uses its session. Either way the caller acts with exactly its user's role and units.
//! Errors are `{"error": "<Vietnamese message>"}` with the right status. The OpenAPI document,
//! generated from this code, is served at `/api/openapi.json`.

mod extract;
mod handlers;

pub use extract::{ApiJson, ApiPath, ApiQuery};

use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use axum_extra::extract::cookie::CookieJar;
use serde::Serialize;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

use crate::domain::api_tokens::user_for_token;
use crate::domain::audit::Actor;
use crate::domain::ward_lists::Operator;
use crate::error::AppError;
use crate::web::AppState;
use crate::web::error_page::error_status;
use crate::web::session::{CurrentUser, session_token};

/// The API's routes, all under `/api`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/openapi.json", get(openapi_json))
        .route(
            "/api/campaigns",
            get(handlers::list_campaigns).post(handlers::create_campaign),
        )
        .route(
            "/api/campaigns/{slug}/status",
            post(handlers::set_campaign_status),
        )
        .route(
            "/api/campaigns/{slug}/carry-forward",
            post(handlers::carry_forward_campaign),
        )
        .route(
            "/api/campaigns/{slug}/programs",
            get(handlers::list_programs).post(handlers::add_program),
        )
        .route(
            "/api/campaigns/{slug}/lists",
            get(handlers::list_ward_lists),
        )
        .route(
            "/api/campaigns/{slug}/lists/{ward_id}/{action}",
            post(handlers::transition_ward_list),
        )
        .route("/api/campaigns/{slug}/entries", get(handlers::list_entries))
        .route(
            "/api/entries/distribution",
            post(handlers::record_distribution),
        )
        .route(
            "/api/campaigns/{slug}/progress",
            get(handlers::show_progress),
        )
        .route(
            "/api/campaigns/{slug}/duplicates",
            get(handlers::list_duplicates),
        )
        .route(
            "/api/campaigns/{slug}/duplicates/decision",
            post(handlers::decide_duplicate),
        )
        .route(
            "/api/tokens",
            get(handlers::list_tokens).post(handlers::create_token),
        )
        .route(
            "/api/tokens/{id}",
            axum::routing::delete(handlers::revoke_token),
        )
}

/// The OpenAPI document of the API.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Chamlo API",
        description = "Đợt quà Tết, chương trình quà, danh sách phường, cấp phát và rà soát trùng."
    ),
    paths(
        handlers::list_campaigns,
        handlers::create_campaign,
        handlers::set_campaign_status,
        handlers::carry_forward_campaign,
        handlers::list_programs,
        handlers::add_program,
        handlers::list_ward_lists,
        handlers::transition_ward_list,
        handlers::list_entries,
        handlers::record_distribution,
        handlers::show_progress,
        handlers::list_duplicates,
        handlers::decide_duplicate,
        handlers::list_tokens,
        handlers::create_token,
        handlers::revoke_token,
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

/// The body of every API error.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// What went wrong, in Vietnamese.
    pub error: String,
}

/// An [`AppError`] answered as JSON instead of a page.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(err: E) -> Self {
        ApiError(err.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = error_status(&self.0);
        if status.is_server_error() {
            tracing::error!(error = %self.0, "API request failed");
        }
        let error = match &self.0 {
            AppError::Unauthorized => {
                "Chưa đăng nhập hoặc mã truy cập không hợp lệ, đã bị thu hồi.".to_owned()
            }
            other => other.user_message(),
        };
        (status, Json(ErrorBody { error })).into_response()
    }
}

/// What API handlers return.
pub type ApiResult<T> = Result<T, ApiError>;

/// The caller of an API request: by a bearer token if one is sent (a wrong one is refused,
/// never mistaken for the session), else by the session cookie.
#[derive(Debug, Clone)]
pub struct ApiCaller {
    /// The user with role, unit and scope.
    pub user: CurrentUser,
    /// Whether the request came with a token rather than a session.
    pub by_token: bool,
}

impl ApiCaller {
    /// The operator for domain calls.
    pub fn operator(&self) -> Operator {
        Operator {
            actor: Actor::user(&self.user.user),
            role: self.user.role,
            scope: self.user.scope.clone(),
        }
    }
}

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if let Some(header) = parts.headers.get(AUTHORIZATION) {
            let token = header
                .to_str()
                .ok()
                .and_then(|value| {
                    value
                        .strip_prefix("Bearer ")
                        .or_else(|| value.strip_prefix("bearer "))
                })
                .map(str::trim)
                .filter(|token| !token.is_empty())
                .ok_or(AppError::Unauthorized)?;
            let user = user_for_token(&state.db, token)
                .await?
                .ok_or(AppError::Unauthorized)?;
            let user = CurrentUser::load(&state.db, user.id)
                .await?
                .ok_or(AppError::Unauthorized)?;
            return Ok(ApiCaller {
                user,
                by_token: true,
            });
        }
        let token = session_token(&CookieJar::from_headers(&parts.headers))
            .ok_or(AppError::Unauthorized)?;
        let user = CurrentUser::from_session(&state.db, &token, state.config.session_hours)
            .await?
            .ok_or(AppError::Unauthorized)?;
        Ok(ApiCaller {
            user,
            by_token: false,
        })
    }
}

/// Answers 201 Created with a JSON body.
fn created<T: Serialize>(body: T) -> Response {
    (StatusCode::CREATED, Json(body)).into_response()
}
