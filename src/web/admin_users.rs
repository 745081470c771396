//! One account's page for whoever manages it: change the name, role and unit, lock or unlock
//! it, set a new password to hand over. The rules (who may, what ends, the audit) are in
//! `domain::user_admin`; the list of accounts and the new-account form stay on `/users`.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

use crate::domain::clock::vietnam_time;
use crate::domain::sectors::{ticked_sectors, user_sectors};
use crate::domain::user_admin::{
    UserChanges, assignable_units, managed_user, reset_user_password, set_user_locked, update_user,
};
use crate::entities::states::{Role, Sector};
use crate::entities::user;
use crate::error::{AppError, AppResult};
use crate::web::AppState;
use crate::web::layout::{Chrome, operator};
use crate::web::session::CurrentUser;

/// `/users/{id}` and its actions.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/users/{id}", get(show_user).post(save_user))
        .route("/users/{id}/lock", post(lock_user))
        .route("/users/{id}/unlock", post(unlock_user))
        .route("/users/{id}/reset-password", post(reset_password))
}

/// The account page.
#[derive(Template, WebTemplate)]
#[template(path = "user_edit.html")]
struct UserPage {
    chrome: Chrome,
    target: user::Model,
    full_name: String,
    role: String,
    unit_id: String,
    units: Vec<(i32, String)>,
    /// The sectors ticked.
    sectors: Vec<Sector>,
    is_admin: bool,
    is_self: bool,
    password_changed: String,
    notice: &'static str,
    error: String,
    /// A new password, shown once right after it is set.
    new_password: String,
}

/// What happened before the redirect.
#[derive(Deserialize)]
struct NoticeQuery {
    #[serde(default)]
    notice: String,
}

fn notice_text(code: &str) -> &'static str {
    match code {
        "da-luu" => "Đã lưu thay đổi của tài khoản.",
        "da-khoa" => {
            "Đã khóa tài khoản: người này không đăng nhập được nữa và mọi phiên đăng nhập của họ đã kết thúc."
        }
        "da-mo-khoa" => "Đã mở khóa tài khoản: người này đăng nhập lại được.",
        _ => "",
    }
}

async fn user_page(
    state: &AppState,
    user: &CurrentUser,
    id: i32,
    form: Option<UserForm>,
    error: String,
) -> AppResult<UserPage> {
    let op = operator(user);
    let target = managed_user(&state.db, &op, id).await?;
    let units = assignable_units(&state.db, &op).await?;
    let form = match form {
        Some(form) => form,
        None => {
            let stored = user_sectors(&state.db, target.id).await?;
            let has = |sector| stored.contains(&sector).then(|| "on".to_owned());
            UserForm {
                full_name: target.full_name.clone().unwrap_or_default(),
                role: target.role.as_str().to_owned(),
                unit_id: target.unit_id.map(|u| u.to_string()).unwrap_or_default(),
                sector_merit: has(Sector::Merit),
                sector_social_protection: has(Sector::SocialProtection),
                sector_poverty: has(Sector::Poverty),
            }
        }
    };
    let sectors = form.sectors();
    Ok(UserPage {
        chrome: Chrome::for_user(user),
        full_name: form.full_name,
        role: form.role,
        unit_id: form.unit_id,
        units,
        sectors,
        is_admin: user.role == Role::Admin,
        is_self: user.user.id == target.id,
        password_changed: vietnam_time(target.password_changed_at),
        target,
        notice: "",
        error,
        new_password: String::new(),
    })
}

async fn show_user(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i32>,
    Query(query): Query<NoticeQuery>,
) -> AppResult<UserPage> {
    let mut page = user_page(&state, &user, id, None, String::new()).await?;
    page.notice = notice_text(&query.notice);
    Ok(page)
}

/// The edit form.
#[derive(Deserialize)]
struct UserForm {
    #[serde(default)]
    full_name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    unit_id: String,
    /// Present when ticked: the account is limited to these sectors (none ticked: all).
    #[serde(default)]
    sector_merit: Option<String>,
    #[serde(default)]
    sector_social_protection: Option<String>,
    #[serde(default)]
    sector_poverty: Option<String>,
}

impl UserForm {
    fn sectors(&self) -> Vec<Sector> {
        ticked_sectors(
            self.sector_merit.is_some(),
            self.sector_social_protection.is_some(),
            self.sector_poverty.is_some(),
        )
    }
}

async fn save_user(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i32>,
    Form(form): Form<UserForm>,
) -> AppResult<Response> {
    let op = operator(&user);
    let role = if user.role == Role::Admin {
        Role::parse(&form.role)
    } else {
        Some(Role::Ward)
    };
    let result = match role {
        None => Err(AppError::Invalid("Hãy chọn vai trò.".into())),
        Some(role) => {
            let changes = UserChanges {
                full_name: form.full_name.clone(),
                role,
                unit_id: form.unit_id.trim().parse().ok(),
                sectors: form.sectors(),
            };
            update_user(&state.db, &op, id, changes).await
        }
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/users/{id}?notice=da-luu")).into_response()),
        Err(AppError::Invalid(message)) => {
            let page = user_page(&state, &user, id, Some(form), message).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other),
    }
}

async fn set_locked(
    state: &AppState,
    user: &CurrentUser,
    id: i32,
    locked: bool,
) -> AppResult<Response> {
    match set_user_locked(&state.db, &operator(user), id, locked).await {
        Ok(()) => {
            let notice = if locked { "da-khoa" } else { "da-mo-khoa" };
            Ok(Redirect::to(&format!("/users/{id}?notice={notice}")).into_response())
        }
        Err(AppError::Invalid(message)) => {
            let page = user_page(state, user, id, None, message).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other),
    }
}

async fn lock_user(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i32>,
) -> AppResult<Response> {
    set_locked(&state, &user, id, true).await
}

async fn unlock_user(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i32>,
) -> AppResult<Response> {
    set_locked(&state, &user, id, false).await
}

async fn reset_password(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i32>,
) -> AppResult<UserPage> {
    let password = reset_user_password(&state.db, &operator(&user), id).await?;
    let mut page = user_page(&state, &user, id, None, String::new()).await?;
    page.new_password = password;
    Ok(page)
}
