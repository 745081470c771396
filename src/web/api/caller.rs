//! Who calls the API: a script by its personal token, or a logged-in browser by its session;
//! either way the caller acts with exactly its user's role and units.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum_extra::extract::cookie::CookieJar;

use super::ApiError;
use crate::domain::api_tokens::user_for_token;
use crate::domain::audit::Actor;
use crate::domain::operator::Operator;
use crate::error::AppError;
use crate::web::AppState;
use crate::web::session::{CurrentUser, session_token};

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
            units: self.user.units.clone(),
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
            let user = CurrentUser::load(&state.db, &state.units, user.id)
                .await?
                .ok_or(AppError::Unauthorized)?;
            return Ok(ApiCaller {
                user,
                by_token: true,
            });
        }
        let token = session_token(&CookieJar::from_headers(&parts.headers))
            .ok_or(AppError::Unauthorized)?;
        let user =
            CurrentUser::from_session(&state.db, &state.units, &token, state.config.session_hours)
                .await?
                .ok_or(AppError::Unauthorized)?;
        Ok(ApiCaller {
            user,
            by_token: false,
        })
    }
}
