//! Possible duplicates over the API: everyone listed twice in a program, with the evidence,
//! and the supervisor's decision on a pair. The pages' counterpart is `web::duplicates`.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use utoipa::ToSchema;

use super::{ApiCaller, ApiJson, ApiPath, ApiResult, ErrorBody};
use crate::domain::campaigns::visible_campaign;
use crate::domain::duplicates::{Decision, DecisionOutcome, DuplicatePair};
use crate::entities::states::DuplicateDecision;
use crate::error::AppError;
use crate::web::AppState;

/// Everyone listed twice in a program of the campaign, with the evidence (supervising staff).
#[utoipa::path(get, path = "/api/campaigns/{slug}/duplicates", tag = "duplicates",
    params(("slug" = String, Path, description = "the campaign's slug")),
    responses((status = 200, body = [DuplicatePair]), (status = 403, body = ErrorBody)))]
pub async fn list_duplicates(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<Json<Vec<DuplicatePair>>> {
    let operator = caller.operator();
    let found = visible_campaign(&state.db, &operator, &slug).await?;
    Ok(Json(
        crate::domain::duplicates::find_kept_duplicates(&state.db, &state.pairs, &operator, &found)
            .await?,
    ))
}

/// A decision on a possible duplicate.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DecisionRequest {
    /// One entry of the pair.
    pub entry_a_id: i32,
    /// The other.
    pub entry_b_id: i32,
    /// keep_one (with `keep_entry_id`) or keep_both.
    pub decision: String,
    /// For keep_one: the entry to keep.
    #[serde(default)]
    pub keep_entry_id: Option<i32>,
    /// Why.
    #[serde(default)]
    pub note: Option<String>,
}

/// Keeps one of two entries (removing the other) or both (different people).
#[utoipa::path(post, path = "/api/campaigns/{slug}/duplicates/decision", tag = "duplicates",
    params(("slug" = String, Path, description = "the campaign's slug")),
    request_body = DecisionRequest,
    responses((status = 200, body = DecisionOutcome), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn decide_duplicate(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiPath(slug): ApiPath<String>,
    ApiJson(body): ApiJson<DecisionRequest>,
) -> ApiResult<Json<DecisionOutcome>> {
    let decision = match (DuplicateDecision::parse(&body.decision), body.keep_entry_id) {
        (Some(DuplicateDecision::KeepBoth), _) => Decision::KeepBoth,
        (Some(DuplicateDecision::KeepOne), Some(keep_entry_id)) => {
            Decision::KeepOne { keep_entry_id }
        }
        (Some(DuplicateDecision::KeepOne), None) => {
            return Err(AppError::Invalid("Hãy chọn mục được giữ lại.".into()).into());
        }
        (None, _) => {
            return Err(AppError::Invalid(format!(
                "Quyết định “{}” không hợp lệ: dùng keep_one hoặc keep_both.",
                body.decision.trim()
            ))
            .into());
        }
    };
    let operator = caller.operator();
    let found = visible_campaign(&state.db, &operator, &slug).await?;
    Ok(Json(
        crate::domain::duplicates::decide_duplicate(
            &state.db,
            &operator,
            &found,
            (body.entry_a_id, body.entry_b_id),
            decision,
            body.note.as_deref(),
        )
        .await?,
    ))
}
