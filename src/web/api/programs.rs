//! A campaign's gift programs over the API: listing them with their amounts, and adding one,
//! which computes its gifts for everyone already listed. The pages' counterpart is
//! `web::programs`.

use axum::Json;
use axum::extract::State;
use axum::response::Response;
use serde::Serialize;
use utoipa::ToSchema;

use super::{ApiCaller, ApiJson, ApiPath, ApiResult, ErrorBody, created};
use crate::domain::campaigns::visible_campaign;
use crate::domain::gift_planning::ComputeSummary;
use crate::domain::programs::{ProgramDetail, ProgramInput, programs_of};
use crate::web::AppState;

/// The programs of a campaign with their amounts.
#[utoipa::path(get, path = "/api/campaigns/{slug}/programs", tag = "programs",
    params(("slug" = String, Path, description = "the campaign's slug")),
    responses((status = 200, body = [ProgramDetail]), (status = 404, body = ErrorBody)))]
pub async fn list_programs(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<Json<Vec<ProgramDetail>>> {
    let found = visible_campaign(&state.db, &caller.operator(), &slug).await?;
    Ok(Json(programs_of(&state.db, found.id).await?))
}

/// A program just added, with what computing its gifts did.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgramCreated {
    /// The program.
    pub program: ProgramDetail,
    /// The gifts computed for everyone already listed.
    pub computed: ComputeSummary,
}

/// Adds a program and computes its gifts for everyone already listed.
#[utoipa::path(post, path = "/api/campaigns/{slug}/programs", tag = "programs",
    params(("slug" = String, Path, description = "the campaign's slug")),
    request_body = ProgramInput,
    responses((status = 201, body = ProgramCreated), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn add_program(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiPath(slug): ApiPath<String>,
    ApiJson(body): ApiJson<ProgramInput>,
) -> ApiResult<Response> {
    let operator = caller.operator();
    let found = visible_campaign(&state.db, &operator, &slug).await?;
    let (program, computed) =
        crate::domain::programs::add_program(&state.db, &operator, &found, &body).await?;
    Ok(created(ProgramCreated { program, computed }))
}
