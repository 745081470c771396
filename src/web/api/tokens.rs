//! Personal API tokens over the API: the caller's tokens, creating one (from a browser
//! session only) and revoking one. The pages' counterpart is `web::tokens`.

use axum::Json;
use axum::extract::State;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiCaller, ApiJson, ApiPath, ApiResult, ErrorBody, created};
use crate::error::AppError;
use crate::web::AppState;

/// A personal API token as listed (never the token itself).
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenDto {
    /// Its id (for revoking).
    pub id: i32,
    /// Its name.
    pub name: String,
    /// When it was created.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// When it was last used.
    pub last_used_at: Option<chrono::DateTime<chrono::Utc>>,
    /// When it was revoked.
    pub revoked_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl From<crate::entities::api_token::Model> for TokenDto {
    fn from(t: crate::entities::api_token::Model) -> Self {
        Self {
            id: t.id,
            name: t.name,
            created_at: t.created_at,
            last_used_at: t.last_used_at,
            revoked_at: t.revoked_at,
        }
    }
}

/// The caller's tokens.
#[utoipa::path(get, path = "/api/tokens", tag = "tokens",
    responses((status = 200, body = [TokenDto]), (status = 401, body = ErrorBody)))]
pub async fn list_tokens(
    State(state): State<AppState>,
    caller: ApiCaller,
) -> ApiResult<Json<Vec<TokenDto>>> {
    let found = crate::domain::api_tokens::tokens_of(&state.db, caller.user.user.id).await?;
    Ok(Json(found.into_iter().map(TokenDto::from).collect()))
}

/// A token to create.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TokenRequest {
    /// A name to recognise it by ("script báo cáo").
    pub name: String,
}

/// A token just created: the only time it is shown.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenCreated {
    /// Its id.
    pub id: i32,
    /// Its name.
    pub name: String,
    /// The token, for `Authorization: Bearer …`; shown only now.
    pub token: String,
}

/// Creates a personal token for the logged-in user (a session, not another token).
#[utoipa::path(post, path = "/api/tokens", tag = "tokens", request_body = TokenRequest,
    responses((status = 201, body = TokenCreated), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)))]
pub async fn create_token(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiJson(body): ApiJson<TokenRequest>,
) -> ApiResult<Response> {
    if caller.by_token {
        return Err(AppError::Forbidden(
            "Mã truy cập mới chỉ được tạo khi đăng nhập bằng trình duyệt.".into(),
        )
        .into());
    }
    let (stored, token) = crate::domain::api_tokens::create_api_token(
        &state.db,
        &caller.operator().actor,
        &caller.user.user,
        &body.name,
    )
    .await?;
    Ok(created(TokenCreated {
        id: stored.id,
        name: stored.name,
        token,
    }))
}

/// Revokes one of the caller's tokens.
#[utoipa::path(delete, path = "/api/tokens/{id}", tag = "tokens",
    params(("id" = i32, Path, description = "the token's id")),
    responses((status = 200, body = TokenDto), (status = 404, body = ErrorBody)))]
pub async fn revoke_token(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiPath(id): ApiPath<i32>,
) -> ApiResult<Json<TokenDto>> {
    let revoked = crate::domain::api_tokens::revoke_api_token(
        &state.db,
        &caller.operator().actor,
        caller.user.user.id,
        id,
    )
    .await?;
    Ok(Json(revoked.into()))
}
