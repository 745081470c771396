//! The confirmation step before a list moves along: the list page's submit, approve and
//! reopen buttons open this page (a GET, so nothing changes and no script is needed), which
//! says what will happen with the counts and carries the real POST.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use serde::Deserialize;

use super::load_context;
use crate::domain::list_review::{TransitionPreview, preview_transition};
use crate::domain::units::display_name;
use crate::domain::ward_lists::ListAction;
use crate::entities::campaign;
use crate::error::{AppError, AppResult};
use crate::web::AppState;
use crate::web::layout::{Chrome, money, operator};
use crate::web::session::CurrentUser;

/// `?action=submit|approve|reopen`.
#[derive(Deserialize)]
pub(super) struct ConfirmQuery {
    #[serde(default)]
    action: String,
}

/// The confirmation page.
#[derive(Template, WebTemplate)]
#[template(path = "list_confirm.html")]
pub(super) struct ConfirmTransitionPage {
    chrome: Chrome,
    campaign: campaign::Model,
    ward_id: i32,
    ward_name: String,
    action: &'static str,
    preview: TransitionPreview,
    amount: String,
}

pub(super) async fn confirm_transition(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((slug, ward_id)): Path<(String, i32)>,
    Query(query): Query<ConfirmQuery>,
) -> AppResult<ConfirmTransitionPage> {
    let context = load_context(&state, &user, &slug, ward_id).await?;
    let action = ListAction::parse(&query.action)
        .filter(|a| *a != ListAction::Return)
        .ok_or_else(|| AppError::BadRequest("Thao tác không hợp lệ.".into()))?;
    let list = context
        .list
        .ok_or_else(|| AppError::Invalid("Phường chưa có danh sách trong đợt này.".into()))?;
    let preview = preview_transition(
        &state.db,
        &state.pairs,
        &operator(&user),
        &context.campaign,
        &list,
        action,
    )
    .await?;
    Ok(ConfirmTransitionPage {
        chrome: Chrome::for_user(&user),
        ward_id,
        ward_name: display_name(&context.ward),
        action: action.as_str(),
        amount: money(preview.amount),
        preview,
        campaign: context.campaign,
    })
}
