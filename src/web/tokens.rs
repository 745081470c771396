//! Personal API tokens, for every user: the list (never the tokens themselves), creating one
//! (shown once, right after creation) and revoking one. `domain::api_tokens` stores only
//! their SHA-256 and audits both changes.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

use crate::domain::api_tokens::{create_api_token, revoke_api_token, tokens_of};
use crate::error::{AppError, AppResult};
use crate::web::AppState;
use crate::web::layout::{Chrome, FormErrors, operator};
use crate::web::session::CurrentUser;

/// `/tokens` and `/tokens/{id}/revoke`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/tokens", get(show_tokens).post(add_token))
        .route("/tokens/{id}/revoke", post(revoke_token))
}

/// One token as listed.
pub struct TokenRow {
    /// Its id.
    pub id: i32,
    /// The name its owner gave it.
    pub name: String,
    /// When it was created (dd/mm/yyyy hh:mm, UTC).
    pub created: String,
    /// When a script last used it, or "chưa dùng".
    pub last_used: String,
    /// When it was revoked, or empty while it works.
    pub revoked: String,
}

/// The tokens page.
#[derive(Template, WebTemplate)]
#[template(path = "tokens.html")]
struct TokensPage {
    chrome: Chrome,
    tokens: Vec<TokenRow>,
    /// The token just created: shown this once.
    new_token: String,
    new_token_name: String,
    name: String,
    errors: FormErrors,
    notice: String,
}

/// After a revocation.
#[derive(Deserialize)]
struct TokensQuery {
    #[serde(default)]
    notice: String,
}

fn when(time: chrono::DateTime<chrono::Utc>) -> String {
    crate::domain::clock::vietnam_time(time)
}

async fn tokens_page(
    state: &AppState,
    user: &CurrentUser,
    new_token: (String, String),
    name: String,
    errors: FormErrors,
    notice: String,
) -> AppResult<TokensPage> {
    let tokens = tokens_of(&state.db, user.user.id)
        .await?
        .into_iter()
        .map(|t| TokenRow {
            id: t.id,
            name: t.name,
            created: when(t.created_at),
            last_used: t.last_used_at.map_or("chưa dùng".into(), when),
            revoked: t.revoked_at.map(when).unwrap_or_default(),
        })
        .collect();
    Ok(TokensPage {
        chrome: Chrome::for_user(user),
        tokens,
        new_token: new_token.1,
        new_token_name: new_token.0,
        name,
        errors,
        notice,
    })
}

async fn show_tokens(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<TokensQuery>,
) -> AppResult<TokensPage> {
    let notice = match query.notice.as_str() {
        "thu-hoi" => "Đã thu hồi mã truy cập: các script dùng mã này không truy cập được nữa.",
        _ => "",
    };
    tokens_page(
        &state,
        &user,
        Default::default(),
        String::new(),
        FormErrors::default(),
        notice.to_owned(),
    )
    .await
}

/// The create form.
#[derive(Deserialize)]
struct TokenForm {
    #[serde(default)]
    name: String,
}

async fn add_token(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<TokenForm>,
) -> AppResult<Response> {
    let created = create_api_token(&state.db, &operator(&user).actor, &user.user, &form.name).await;
    match created {
        Ok((stored, token)) => {
            let mut page = tokens_page(
                &state,
                &user,
                (stored.name, token),
                String::new(),
                FormErrors::default(),
                String::new(),
            )
            .await?
            .into_response();
            // The token is in this page only: no browser or proxy may keep a copy.
            page.headers_mut().insert(
                axum::http::header::CACHE_CONTROL,
                axum::http::HeaderValue::from_static("no-store"),
            );
            Ok(page)
        }
        Err(AppError::Invalid(message)) => {
            let page = tokens_page(
                &state,
                &user,
                Default::default(),
                form.name,
                FormErrors::new(vec![("name", message)]),
                String::new(),
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other),
    }
}

async fn revoke_token(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i32>,
) -> AppResult<Redirect> {
    revoke_api_token(&state.db, &operator(&user).actor, user.user.id, id).await?;
    Ok(Redirect::to("/tokens?notice=thu-hoi"))
}
