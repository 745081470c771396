//! A campaign's ward lists over the API: their summaries, and moving one along (submit,
//! approve, return, reopen). The pages' counterpart is `web::lists`.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use utoipa::ToSchema;

use super::{ApiCaller, ApiJson, ApiPath, ApiResult, ErrorBody};
use crate::domain::campaigns::visible_campaign;
use crate::domain::ward_lists::{ListAction, WardListSummary, transition_list};
use crate::error::AppError;
use crate::web::AppState;

/// The ward lists of a campaign in the caller's units.
#[utoipa::path(get, path = "/api/campaigns/{slug}/lists", tag = "lists",
    params(("slug" = String, Path, description = "the campaign's slug")),
    responses((status = 200, body = [WardListSummary]), (status = 404, body = ErrorBody)))]
pub async fn list_ward_lists(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<Json<Vec<WardListSummary>>> {
    let operator = caller.operator();
    let found = visible_campaign(&state.db, &operator, &slug).await?;
    Ok(Json(
        crate::domain::ward_lists::list_ward_lists(&state.db, &operator, &found).await?,
    ))
}

/// A comment for a list transition (required to return a list).
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ListActionRequest {
    /// Why the list is returned or reopened.
    #[serde(default)]
    pub comment: Option<String>,
}

/// Submits (ward), approves, returns or reopens (district) a ward's list.
#[utoipa::path(post, path = "/api/campaigns/{slug}/lists/{ward_id}/{action}", tag = "lists",
    params(("slug" = String, Path, description = "the campaign's slug"),
        ("ward_id" = i32, Path, description = "the ward's id"),
        ("action" = String, Path, description = "submit, approve, return or reopen")),
    request_body(content = ListActionRequest, description = "optional"),
    responses((status = 200, body = WardListSummary), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn transition_ward_list(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiPath((slug, ward_id, action)): ApiPath<(String, i32, String)>,
    body: Option<ApiJson<ListActionRequest>>,
) -> ApiResult<Json<WardListSummary>> {
    let action = ListAction::parse(&action).ok_or_else(|| {
        AppError::NotFound(format!("Không có thao tác “{action}” với danh sách."))
    })?;
    let comment = body.and_then(|ApiJson(b)| b.comment);
    let operator = caller.operator();
    let found = visible_campaign(&state.db, &operator, &slug).await?;
    let list = transition_list(
        &state.db,
        &operator,
        &found,
        ward_id,
        action,
        comment.as_deref(),
    )
    .await?;
    let summary = crate::domain::ward_lists::list_ward_lists(&state.db, &operator, &found)
        .await?
        .into_iter()
        .find(|s| s.id == list.id)
        .ok_or_else(|| AppError::NotFound("Không tìm thấy danh sách.".into()))?;
    Ok(Json(summary))
}
