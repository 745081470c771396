//! A campaign's progress over the API: planned, received, not received and remaining, per
//! ward and program. The pages' counterpart is the progress table of `web::campaigns`.

use axum::Json;
use axum::extract::State;

use super::{ApiCaller, ApiPath, ApiResult, ErrorBody};
use crate::domain::campaigns::visible_campaign;
use crate::domain::progress::{Progress, campaign_progress};
use crate::web::AppState;

/// Planned, received, not received and remaining, per ward and program, in people and money.
#[utoipa::path(get, path = "/api/campaigns/{slug}/progress", tag = "distribution",
    params(("slug" = String, Path, description = "the campaign's slug")),
    responses((status = 200, body = Progress), (status = 404, body = ErrorBody)))]
pub async fn show_progress(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<Json<Progress>> {
    let operator = caller.operator();
    let found = visible_campaign(&state.db, &operator, &slug).await?;
    Ok(Json(campaign_progress(&state.db, &operator, &found).await?))
}
