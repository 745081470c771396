//! The user's own account: changing the password (which ends every session of the user).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use axum_extra::extract::cookie::CookieJar;
use serde::Deserialize;

use crate::domain::accounts::{change_password, verify_password};
use crate::domain::audit::{self, Actor, AuditEvent};
use crate::error::AppResult;
use crate::web::AppState;
use crate::web::layout::Chrome;
use crate::web::session::{CurrentUser, clear_session_cookie};

/// `/account/password`.
pub fn routes() -> Router<AppState> {
    Router::new().route(
        "/account/password",
        get(show_password_form).post(submit_password),
    )
}

/// The change-password form, with the error next to the field that caused it.
#[derive(Template, WebTemplate)]
#[template(path = "account_password.html")]
struct PasswordPage {
    chrome: Chrome,
    current_error: Option<String>,
    new_error: Option<String>,
}

async fn show_password_form(user: CurrentUser) -> PasswordPage {
    PasswordPage {
        chrome: Chrome::for_user(&user),
        current_error: None,
        new_error: None,
    }
}

/// The fields of the form.
#[derive(Deserialize)]
struct PasswordForm {
    current_password: String,
    new_password: String,
    confirm_password: String,
}

async fn submit_password(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Form(form): Form<PasswordForm>,
) -> AppResult<Response> {
    let refuse = |current_error: Option<&str>, new_error: Option<String>| {
        let page = PasswordPage {
            chrome: Chrome::for_user(&user),
            current_error: current_error.map(str::to_owned),
            new_error,
        };
        (StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
    };
    if !verify_password(&user.user.password_hash, &form.current_password) {
        return Ok(refuse(Some("Mật khẩu hiện tại không đúng."), None));
    }
    if form.new_password != form.confirm_password {
        return Ok(refuse(
            None,
            Some("Hai lần nhập mật khẩu mới không giống nhau.".into()),
        ));
    }
    if let Err(err) = change_password(&state.db, &user.user, &form.new_password).await {
        return Ok(refuse(None, Some(err.user_message())));
    }
    audit::record_action(
        &state.db,
        &Actor::user(&user.user),
        AuditEvent {
            action: "user.password_change",
            entity_type: "user",
            entity_id: Some(user.user.id.to_string()),
            unit_id: user.user.unit_id,
        },
    )
    .await?;
    // Every session ended with the change, this one too: log in again with the new password.
    Ok((jar.add(clear_session_cookie()), Redirect::to("/login")).into_response())
}
