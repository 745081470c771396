//! The population check over the API (issue 18): upload a ward's resident extract (the file's
//! bytes as the request body), read the check, check again, resolve a flag, and the per-ward
//! report. The pages' counterpart is `web::population_check`; `chamlo verify` checks without
//! storing.

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::routing::{get, post};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::{ApiCaller, ApiJson, ApiPath, ApiQuery, ApiResult, ErrorBody};
use crate::domain::campaigns::visible_campaign;
use crate::domain::population_check::{
    CheckOutcome, FlagView, Resolution, WardCheck, WardReportLine, campaign_report, recheck,
    resolve_flag, upload_extract, ward_check,
};
use crate::web::AppState;

/// The largest extract the API takes: a new ward of 200,000 residents is about 30 MB.
const MAX_EXTRACT_BYTES: usize = 64 * 1024 * 1024;

/// The check's API routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/campaigns/{slug}/population", get(population_report))
        .route(
            "/api/campaigns/{slug}/population/{ward_id}",
            get(show_ward_check)
                .post(upload_ward_extract)
                .layer(DefaultBodyLimit::max(MAX_EXTRACT_BYTES)),
        )
        .route(
            "/api/campaigns/{slug}/population/{ward_id}/recheck",
            post(recheck_ward),
        )
        .route(
            "/api/population/flags/{flag_id}",
            post(resolve_population_flag),
        )
}

/// The ward's check: counts, whether an extract is kept, every flag with its resolution.
#[utoipa::path(get, path = "/api/campaigns/{slug}/population/{ward_id}", tag = "population",
    params(("slug" = String, Path, description = "the campaign's slug"),
        ("ward_id" = i32, Path, description = "the ward's id")),
    responses((status = 200, body = WardCheck), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn show_ward_check(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiPath((slug, ward_id)): ApiPath<(String, i32)>,
) -> ApiResult<Json<WardCheck>> {
    let operator = caller.operator();
    operator.scope.ensure(ward_id)?;
    let campaign = visible_campaign(&state.db, &operator, &slug).await?;
    Ok(Json(
        ward_check(&state.db, &operator, &campaign, ward_id).await?,
    ))
}

/// The extract's file name, for the audit log.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ExtractQuery {
    /// The file's name ("trich-xuat.xlsx").
    #[serde(default)]
    pub file_name: Option<String>,
}

/// Stores the ward's resident extract (the body: .xlsx, .xls, .ods or .csv bytes), replacing an
/// earlier one, and checks the list against it. The extract is deleted on approval or after
/// 7 days and is never returned.
#[utoipa::path(post, path = "/api/campaigns/{slug}/population/{ward_id}", tag = "population",
    params(("slug" = String, Path, description = "the campaign's slug"),
        ("ward_id" = i32, Path, description = "the ward's id"), ExtractQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 200, body = CheckOutcome), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn upload_ward_extract(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiPath((slug, ward_id)): ApiPath<(String, i32)>,
    ApiQuery(query): ApiQuery<ExtractQuery>,
    body: Bytes,
) -> ApiResult<Json<CheckOutcome>> {
    let operator = caller.operator();
    operator.scope.ensure(ward_id)?;
    let campaign = visible_campaign(&state.db, &operator, &slug).await?;
    let name = query
        .file_name
        .unwrap_or_else(|| "trich-xuat-dan-cu".into());
    Ok(Json(
        upload_extract(&state.db, &operator, &campaign, ward_id, &name, &body).await?,
    ))
}

/// Checks the list again against the stored extract (after the list changed).
#[utoipa::path(post, path = "/api/campaigns/{slug}/population/{ward_id}/recheck", tag = "population",
    params(("slug" = String, Path, description = "the campaign's slug"),
        ("ward_id" = i32, Path, description = "the ward's id")),
    responses((status = 200, body = CheckOutcome), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn recheck_ward(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiPath((slug, ward_id)): ApiPath<(String, i32)>,
) -> ApiResult<Json<CheckOutcome>> {
    let operator = caller.operator();
    operator.scope.ensure(ward_id)?;
    let campaign = visible_campaign(&state.db, &operator, &slug).await?;
    Ok(Json(
        recheck(&state.db, &operator, &campaign, ward_id).await?,
    ))
}

/// How a flag is resolved.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ResolveRequest {
    /// `keep` (with a reason), `correct` (copy the extract's values) or `remove` (the gift;
    /// the person is marked deceased or moved for those flags).
    pub action: String,
    /// Why the entry is kept (required for `keep`).
    #[serde(default)]
    pub reason: Option<String>,
}

/// Resolves one flag; audited.
#[utoipa::path(post, path = "/api/population/flags/{flag_id}", tag = "population",
    params(("flag_id" = i32, Path, description = "the flag's id")),
    request_body = ResolveRequest,
    responses((status = 200, body = FlagView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn resolve_population_flag(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiPath(flag_id): ApiPath<i32>,
    ApiJson(body): ApiJson<ResolveRequest>,
) -> ApiResult<Json<FlagView>> {
    let resolution = Resolution::parse(&body.action, body.reason.as_deref())?;
    Ok(Json(
        resolve_flag(&state.db, &caller.operator(), flag_id, resolution).await?,
    ))
}

/// Per ward in the caller's units: checked, matched, flagged by kind, resolved.
#[utoipa::path(get, path = "/api/campaigns/{slug}/population", tag = "population",
    params(("slug" = String, Path, description = "the campaign's slug")),
    responses((status = 200, body = [WardReportLine]), (status = 403, body = ErrorBody)))]
pub async fn population_report(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<Json<Vec<WardReportLine>>> {
    let operator = caller.operator();
    let campaign = visible_campaign(&state.db, &operator, &slug).await?;
    Ok(Json(
        campaign_report(&state.db, &operator, &campaign).await?,
    ))
}
