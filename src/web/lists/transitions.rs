//! Moving a ward's list along from its page: the ward submits it, the district approves,
//! returns (with a reason) or reopens it. A refused move draws the page again with the reason
//! next to the form.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::distribution::DistributionValues;
use super::load_context;
use super::page::{ListQuery, build_page};
use crate::domain::ward_lists::{ListAction, transition_list};
use crate::error::{AppError, AppResult};
use crate::web::AppState;
use crate::web::layout::{FormErrors, operator};
use crate::web::session::CurrentUser;

/// The approval form.
#[derive(Deserialize)]
pub(super) struct TransitionForm {
    action: String,
    #[serde(default)]
    comment: String,
}

pub(super) async fn change_list_status(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((slug, ward_id)): Path<(String, i32)>,
    Form(form): Form<TransitionForm>,
) -> AppResult<Response> {
    let context = load_context(&state, &user, &slug, ward_id).await?;
    let action = ListAction::parse(&form.action)
        .ok_or_else(|| AppError::BadRequest("Thao tác không hợp lệ.".into()))?;
    let op = operator(&user);
    let result = transition_list(
        &state.db,
        &op,
        &context.campaign,
        ward_id,
        action,
        Some(&form.comment),
    )
    .await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!(
            "/campaigns/{slug}/wards/{ward_id}?notice={}",
            action.as_str()
        ))
        .into_response()),
        Err(AppError::Invalid(message)) => {
            let field = if action == ListAction::Return {
                "comment"
            } else {
                "transition"
            };
            let page = build_page(
                &state,
                &user,
                context,
                ListQuery::default(),
                FormErrors::new(vec![(field, message)]),
                DistributionValues::default(),
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other),
    }
}
