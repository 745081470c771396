//! Logging in and out.

use askama::Template;
use askama_web::WebTemplate;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use axum_extra::extract::cookie::CookieJar;
use serde::Deserialize;

use crate::domain::accounts::authenticate;
use crate::domain::audit::{self, Actor, AuditEvent};
use crate::domain::login_throttle;
use crate::domain::user_admin::is_locked_with_password;
use crate::error::AppResult;
use crate::web::AppState;
use crate::web::session::{
    CurrentUser, clear_session_cookie, end_session, session_cookie, session_token, start_session,
};

/// `/login` and `/logout`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/login", get(show_login).post(submit_login))
        .route("/logout", post(submit_logout))
}

/// The login form.
#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
struct LoginPage {
    username: String,
    error: Option<String>,
}

async fn show_login(State(state): State<AppState>, jar: CookieJar) -> AppResult<Response> {
    if let Some(token) = session_token(&jar)
        && CurrentUser::from_session(&state.db, &state.units, &token, state.config.session_hours)
            .await?
            .is_some()
    {
        return Ok(Redirect::to("/").into_response());
    }
    Ok(LoginPage {
        username: String::new(),
        error: None,
    }
    .into_response())
}

/// The fields of the login form.
#[derive(Deserialize)]
struct LoginForm {
    username: String,
    password: String,
}

/// The client's address for the login throttle: the connection's peer, or — only when
/// `CHAMLO_TRUST_PROXY` is set — the last entry of `X-Forwarded-For` (the one our own proxy
/// appended; entries before it are whatever the client claimed). `None` when unknown, e.g.
/// requests driven in-process by tests: then attempts are limited per account only.
pub struct ClientAddress(pub Option<String>);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if state.config.trust_proxy
            && let Some(forwarded) = parts
                .headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|value| value.to_str().ok())
                .flat_map(|value| value.split(','))
                .map(str::trim)
                .rfind(|entry| !entry.is_empty())
        {
            return Ok(ClientAddress(Some(forwarded.to_owned())));
        }
        Ok(ClientAddress(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(peer)| peer.ip().to_string()),
        ))
    }
}

async fn submit_login(
    State(state): State<AppState>,
    jar: CookieJar,
    ClientAddress(address): ClientAddress,
    Form(form): Form<LoginForm>,
) -> AppResult<Response> {
    let address = address.as_deref();
    if login_throttle::is_refused(&state.db, &form.username, address).await? {
        audit::record_action(
            &state.db,
            &Actor::system(&form.username.trim().to_lowercase()),
            AuditEvent {
                action: "login.refused",
                entity_type: "user",
                entity_id: None,
                unit_id: None,
            },
        )
        .await?;
        let page = LoginPage {
            username: form.username,
            error: Some(login_throttle::refusal_message()),
        };
        return Ok((StatusCode::TOO_MANY_REQUESTS, page).into_response());
    }
    let Some(user) = authenticate(&state.db, &form.username, &form.password).await? else {
        login_throttle::record_failure(&state.db, &form.username, address).await?;
        audit::record_action(
            &state.db,
            &Actor::system(&form.username.trim().to_lowercase()),
            AuditEvent {
                action: "login.failed",
                entity_type: "user",
                entity_id: None,
                unit_id: None,
            },
        )
        .await?;
        let message = if is_locked_with_password(&state.db, &form.username, &form.password).await? {
            "Tài khoản của bạn đã bị khóa. Hãy liên hệ cán bộ quận hoặc quản trị viên để được mở khóa."
        } else {
            "Tên đăng nhập hoặc mật khẩu không đúng."
        };
        let page = LoginPage {
            username: form.username,
            error: Some(message.into()),
        };
        return Ok((StatusCode::UNAUTHORIZED, page).into_response());
    };
    // A new session on every login: a token planted before login is worth nothing after it.
    if let Some(old) = session_token(&jar) {
        end_session(&state.db, &old).await?;
    }
    login_throttle::record_success(&state.db, &form.username).await?;
    let token = start_session(&state.db, user.id, state.config.session_hours).await?;
    audit::record_action(
        &state.db,
        &Actor::user(&user),
        AuditEvent {
            action: "login",
            entity_type: "user",
            entity_id: Some(user.id.to_string()),
            unit_id: user.unit_id,
        },
    )
    .await?;
    let cookie = session_cookie(
        token,
        state.config.session_hours,
        state.config.secure_cookies,
    );
    Ok((jar.add(cookie), Redirect::to("/")).into_response())
}

async fn submit_logout(State(state): State<AppState>, jar: CookieJar) -> AppResult<Response> {
    if let Some(token) = session_token(&jar) {
        end_session(&state.db, &token).await?;
    }
    Ok((jar.add(clear_session_cookie()), Redirect::to("/login")).into_response())
}
