//! Campaigns over the API: the ones the caller may see, creating one, opening, locking or
//! closing it, and carrying last year's lists forward into it. The pages' counterpart is
//! `web::campaigns`.

use axum::Json;
use axum::extract::State;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiCaller, ApiJson, ApiPath, ApiResult, ErrorBody, created};
use crate::domain::campaigns::{
    self, NewCampaign, RequestedUnit, visible_campaign, visible_campaigns,
};
use crate::domain::carry_forward::{CarryForwardSummary, carry_forward};
use crate::entities::campaign;
use crate::web::AppState;

/// A campaign as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CampaignDto {
    /// Its id.
    pub id: i32,
    /// The identifier used in URLs ("tet-2021").
    pub slug: String,
    /// The Gregorian year of its Tết.
    pub year: i32,
    /// The Can Chi name of the lunar year ("Tân Sửu").
    pub lunar_name: String,
    /// The title ("Tết Nguyên đán Tân Sửu 2021").
    pub title: String,
    /// open, locked or closed.
    pub status: String,
    /// The unit running it.
    pub unit_id: i32,
    /// The campaign its lists were carried forward from.
    pub previous_campaign_id: Option<i32>,
}

impl From<campaign::Model> for CampaignDto {
    fn from(c: campaign::Model) -> Self {
        Self {
            id: c.id,
            slug: c.slug,
            year: c.year,
            lunar_name: c.lunar_name,
            title: c.title,
            status: c.status.as_str().to_owned(),
            unit_id: c.unit_id,
            previous_campaign_id: c.previous_campaign_id,
        }
    }
}

/// The campaigns the caller may see, newest first.
#[utoipa::path(get, path = "/api/campaigns", tag = "campaigns",
    responses((status = 200, body = [CampaignDto]), (status = 401, body = ErrorBody)))]
pub async fn list_campaigns(
    State(state): State<AppState>,
    caller: ApiCaller,
) -> ApiResult<Json<Vec<CampaignDto>>> {
    let found = visible_campaigns(&state.db, &caller.user.user, &caller.user.scope).await?;
    Ok(Json(found.into_iter().map(CampaignDto::from).collect()))
}

/// A new campaign.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewCampaignRequest {
    /// The Gregorian year of its Tết (2021 → "Tết Nguyên đán Tân Sửu 2021").
    pub year: i32,
    /// A title other than the lunar one.
    #[serde(default)]
    pub title: Option<String>,
    /// The unit running it: a city or district for all its wards, or one ward for its own
    /// program (approved by the ward's leader); defaults to the caller's own unit or, for an
    /// administrator, to the only district of that year, else the city.
    #[serde(default)]
    pub unit_id: Option<i32>,
}

/// Creates a campaign with its default program (district staff or administrators).
#[utoipa::path(post, path = "/api/campaigns", tag = "campaigns", request_body = NewCampaignRequest,
    responses((status = 201, body = CampaignDto), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn create_campaign(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiJson(body): ApiJson<NewCampaignRequest>,
) -> ApiResult<Response> {
    let made = campaigns::create_campaign(
        &state.db,
        &caller.operator(),
        NewCampaign {
            year: body.year,
            title: body.title,
            unit: body.unit_id.map(RequestedUnit::Id),
        },
    )
    .await?;
    Ok(created(CampaignDto::from(made)))
}

/// A campaign's new status.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CampaignStatusRequest {
    /// open, locked (lists frozen, distribution goes on) or closed (nothing changes).
    pub status: String,
}

/// Opens, locks or closes a campaign (district staff of its unit or administrators).
#[utoipa::path(post, path = "/api/campaigns/{slug}/status", tag = "campaigns",
    params(("slug" = String, Path, description = "the campaign's slug")),
    request_body = CampaignStatusRequest,
    responses((status = 200, body = CampaignDto), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_campaign_status(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiPath(slug): ApiPath<String>,
    ApiJson(body): ApiJson<CampaignStatusRequest>,
) -> ApiResult<Json<CampaignDto>> {
    let operator = caller.operator();
    let found = visible_campaign(&state.db, &operator, &slug).await?;
    let updated =
        campaigns::set_campaign_status(&state.db, &operator, &found, &body.status).await?;
    Ok(Json(updated.into()))
}

/// Where to carry the lists from.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CarryForwardRequest {
    /// The slug of last year's campaign.
    pub from: String,
}

/// Copies last year's lists into this campaign as drafts, leaving deceased and moved people
/// behind.
#[utoipa::path(post, path = "/api/campaigns/{slug}/carry-forward", tag = "campaigns",
    params(("slug" = String, Path, description = "the new campaign's slug")),
    request_body = CarryForwardRequest,
    responses((status = 200, body = CarryForwardSummary), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn carry_forward_campaign(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiPath(slug): ApiPath<String>,
    ApiJson(body): ApiJson<CarryForwardRequest>,
) -> ApiResult<Json<CarryForwardSummary>> {
    let operator = caller.operator();
    let to = visible_campaign(&state.db, &operator, &slug).await?;
    let from = visible_campaign(&state.db, &operator, &body.from).await?;
    Ok(Json(carry_forward(&state.db, &operator, &from, &to).await?))
}
