//! Distribution day over the API: looking a slip's code up, checking a gift in (the phone
//! page uses these with its session; a point's own tools with a token), a ward's points and
//! slots with their counts, adding points and slots, inviting people to a slot, marking a
//! home visit, and the follow-up lists.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{ApiCaller, ApiJson, ApiPath, ApiResult, ErrorBody, created};
use crate::domain::campaigns::visible_campaign;
use crate::domain::distribution_day::follow_up::{
    FollowUp, KhuPhoGroup, follow_up_list, set_home_visit,
};
use crate::domain::distribution_day::points::{
    Invitees, WardPlan, add_point, add_slot, assign_slot, ward_plan,
};
use crate::domain::distribution_day::{
    CheckinCard, CheckinOutcome, CheckinRequest, check_in, checkin_card,
};
use crate::domain::units::all_units;
use crate::error::AppError;
use crate::web::AppState;

/// The distribution-day routes under `/api`.
pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/api/campaigns/{slug}/checkin", post(record_checkin))
        .route(
            "/api/campaigns/{slug}/checkin/{code}",
            get(show_checkin_card),
        )
        .route(
            "/api/campaigns/{slug}/wards/{ward_id}/distribution-plan",
            get(show_ward_plan),
        )
        .route(
            "/api/campaigns/{slug}/wards/{ward_id}/points",
            post(create_point),
        )
        .route(
            "/api/campaigns/{slug}/points/{point_id}/slots",
            post(create_slot),
        )
        .route(
            "/api/campaigns/{slug}/slots/{slot_id}/invitees",
            post(invite_to_slot),
        )
        .route(
            "/api/campaigns/{slug}/entries/{entry_id}/home-visit",
            post(mark_home_visit),
        )
        .route(
            "/api/campaigns/{slug}/wards/{ward_id}/follow-up/{which}",
            get(show_follow_up),
        )
}

/// The gift behind a slip's code: the person, the gift, and who handed it out if anyone did.
#[utoipa::path(get, path = "/api/campaigns/{slug}/checkin/{code}", tag = "distribution day",
    params(("slug" = String, Path, description = "the campaign's slug"),
           ("code" = String, Path, description = "the slip's code, with or without the dash")),
    responses((status = 200, body = CheckinCard), (status = 404, body = ErrorBody)))]
pub async fn show_checkin_card(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiPath((slug, code)): ApiPath<(String, String)>,
) -> ApiResult<Json<CheckinCard>> {
    let operator = caller.operator();
    let campaign = visible_campaign(&state.db, &operator, &slug).await?;
    Ok(Json(
        checkin_card(&state.db, &operator, &campaign, &code).await?,
    ))
}

/// A check-in: the slip's code, a proxy when someone takes the gift for the person, the
/// point, and a key per scan so a retried request is recorded once.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CheckinBody {
    /// The slip's code.
    pub code: String,
    /// The proxy's name, when not the person.
    #[serde(default)]
    pub proxy_name: Option<String>,
    /// The proxy's relationship to the person.
    #[serde(default)]
    pub relationship: Option<String>,
    /// The distribution point ("Nhà văn hóa khu phố 3", "Phát tại nhà").
    #[serde(default)]
    pub point: Option<String>,
    /// Any unique string per scan (the page sends a random one).
    #[serde(default)]
    pub client_key: Option<String>,
}

/// Checks a gift in: 200 `recorded` or `repeated` (the same scan again); 409 with who and
/// when if the gift had already been handed out.
#[utoipa::path(post, path = "/api/campaigns/{slug}/checkin", tag = "distribution day",
    params(("slug" = String, Path, description = "the campaign's slug")),
    request_body = CheckinBody,
    responses((status = 200, body = CheckinOutcome), (status = 409, body = CheckinOutcome),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn record_checkin(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiPath(slug): ApiPath<String>,
    ApiJson(body): ApiJson<CheckinBody>,
) -> ApiResult<Response> {
    let operator = caller.operator();
    let campaign = visible_campaign(&state.db, &operator, &slug).await?;
    let proxy = match (body.proxy_name, body.relationship) {
        (None, None) => None,
        (name, relationship) => Some((name.unwrap_or_default(), relationship.unwrap_or_default())),
    };
    let request = CheckinRequest {
        code: body.code,
        proxy,
        point: body.point,
        client_key: body.client_key,
    };
    let outcome = check_in(&state.db, &operator, &campaign, &request).await?;
    let status = if outcome.refused() {
        StatusCode::CONFLICT
    } else {
        StatusCode::OK
    };
    Ok((status, Json(outcome)).into_response())
}

async fn ward_of(state: &AppState, ward_id: i32) -> Result<crate::entities::unit::Model, AppError> {
    all_units(&state.db)
        .await?
        .into_iter()
        .find(|u| u.id == ward_id)
        .ok_or_else(|| AppError::NotFound("Không tìm thấy phường này.".into()))
}

/// A ward's distribution points and slots with how many are invited to each, and who has
/// no slot yet, by khu phố.
#[utoipa::path(get, path = "/api/campaigns/{slug}/wards/{ward_id}/distribution-plan",
    tag = "distribution day",
    params(("slug" = String, Path, description = "the campaign's slug"),
           ("ward_id" = i32, Path, description = "the ward's id")),
    responses((status = 200, body = WardPlan), (status = 403, body = ErrorBody)))]
pub async fn show_ward_plan(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiPath((slug, ward_id)): ApiPath<(String, i32)>,
) -> ApiResult<Json<WardPlan>> {
    let operator = caller.operator();
    let campaign = visible_campaign(&state.db, &operator, &slug).await?;
    Ok(Json(
        ward_plan(&state.db, &operator, &campaign, ward_id).await?,
    ))
}

/// A new distribution point.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PointBody {
    /// Its name.
    pub name: String,
    /// Its address.
    #[serde(default)]
    pub address: Option<String>,
}

/// What was created.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedId {
    /// The new row's id.
    pub id: i32,
}

/// Adds a distribution point to a ward.
#[utoipa::path(post, path = "/api/campaigns/{slug}/wards/{ward_id}/points", tag = "distribution day",
    params(("slug" = String, Path, description = "the campaign's slug"),
           ("ward_id" = i32, Path, description = "the ward's id")),
    request_body = PointBody,
    responses((status = 201, body = CreatedId), (status = 422, body = ErrorBody)))]
pub async fn create_point(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiPath((slug, ward_id)): ApiPath<(String, i32)>,
    ApiJson(body): ApiJson<PointBody>,
) -> ApiResult<Response> {
    let operator = caller.operator();
    let campaign = visible_campaign(&state.db, &operator, &slug).await?;
    let point = add_point(
        &state.db,
        &operator,
        &campaign,
        ward_id,
        &body.name,
        body.address.as_deref(),
    )
    .await?;
    Ok(created(CreatedId { id: point.id }))
}

/// A new time slot.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SlotBody {
    /// The day (yyyy-mm-dd).
    pub day: NaiveDate,
    /// From ("08:00", Vietnam time).
    pub starts_at: String,
    /// To ("10:00").
    pub ends_at: String,
}

/// Adds a time slot to a point.
#[utoipa::path(post, path = "/api/campaigns/{slug}/points/{point_id}/slots", tag = "distribution day",
    params(("slug" = String, Path, description = "the campaign's slug"),
           ("point_id" = i32, Path, description = "the point's id")),
    request_body = SlotBody,
    responses((status = 201, body = CreatedId), (status = 422, body = ErrorBody)))]
pub async fn create_slot(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiPath((slug, point_id)): ApiPath<(String, i32)>,
    ApiJson(body): ApiJson<SlotBody>,
) -> ApiResult<Response> {
    let operator = caller.operator();
    let campaign = visible_campaign(&state.db, &operator, &slug).await?;
    let slot = add_slot(
        &state.db,
        &operator,
        &campaign,
        point_id,
        body.day,
        &body.starts_at,
        &body.ends_at,
    )
    .await?;
    Ok(created(CreatedId { id: slot.id }))
}

/// Whom to invite to a slot: a khu phố, or entries by id.
#[derive(Debug, Deserialize, ToSchema)]
pub struct InviteesBody {
    /// Every gift of this khu phố not handed out yet.
    #[serde(default)]
    pub khu_pho: Option<String>,
    /// Or these entries.
    #[serde(default)]
    pub entry_ids: Vec<i32>,
}

/// How many were invited.
#[derive(Debug, Serialize, ToSchema)]
pub struct InvitedCount {
    /// Gifts now invited to the slot.
    pub invited: usize,
}

/// Invites a khu phố or chosen entries to a slot.
#[utoipa::path(post, path = "/api/campaigns/{slug}/slots/{slot_id}/invitees", tag = "distribution day",
    params(("slug" = String, Path, description = "the campaign's slug"),
           ("slot_id" = i32, Path, description = "the slot's id")),
    request_body = InviteesBody,
    responses((status = 200, body = InvitedCount), (status = 422, body = ErrorBody)))]
pub async fn invite_to_slot(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiPath((slug, slot_id)): ApiPath<(String, i32)>,
    ApiJson(body): ApiJson<InviteesBody>,
) -> ApiResult<Json<InvitedCount>> {
    let operator = caller.operator();
    let campaign = visible_campaign(&state.db, &operator, &slug).await?;
    let who = match body.khu_pho {
        Some(name) => Invitees::KhuPho(name),
        None => Invitees::Entries(body.entry_ids),
    };
    let invited = assign_slot(&state.db, &operator, &campaign, slot_id, &who).await?;
    Ok(Json(InvitedCount { invited }))
}

/// Marks a gift for a home visit, or takes the mark off.
#[derive(Debug, Deserialize, ToSchema)]
pub struct HomeVisitBody {
    /// True to visit at home.
    pub home_visit: bool,
    /// Why ("nằm liệt giường").
    #[serde(default)]
    pub reason: Option<String>,
}

/// Marks a gift for a home visit (or takes the mark off).
#[utoipa::path(post, path = "/api/campaigns/{slug}/entries/{entry_id}/home-visit", tag = "distribution day",
    params(("slug" = String, Path, description = "the campaign's slug"),
           ("entry_id" = i32, Path, description = "the entry's id")),
    request_body = HomeVisitBody,
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn mark_home_visit(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiPath((slug, entry_id)): ApiPath<(String, i32)>,
    ApiJson(body): ApiJson<HomeVisitBody>,
) -> ApiResult<StatusCode> {
    let operator = caller.operator();
    let campaign = visible_campaign(&state.db, &operator, &slug).await?;
    set_home_visit(
        &state.db,
        &operator,
        &campaign,
        entry_id,
        body.reason.as_deref(),
        body.home_visit,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The home-visit list (`home-visits`) or the not-yet-reached list (`not-reached`) of a ward,
/// by khu phố.
#[utoipa::path(get, path = "/api/campaigns/{slug}/wards/{ward_id}/follow-up/{which}",
    tag = "distribution day",
    params(("slug" = String, Path, description = "the campaign's slug"),
           ("ward_id" = i32, Path, description = "the ward's id"),
           ("which" = String, Path, description = "`home-visits` or `not-reached`")),
    responses((status = 200, body = [KhuPhoGroup]), (status = 404, body = ErrorBody)))]
pub async fn show_follow_up(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiPath((slug, ward_id, which)): ApiPath<(String, i32, String)>,
) -> ApiResult<Json<Vec<KhuPhoGroup>>> {
    let operator = caller.operator();
    let campaign = visible_campaign(&state.db, &operator, &slug).await?;
    let which = parse_follow_up(&which)?;
    let ward = ward_of(&state, ward_id).await?;
    Ok(Json(
        follow_up_list(&state.db, &operator, &campaign, &ward, which).await?,
    ))
}

/// The follow-up list named in a URL.
pub fn parse_follow_up(word: &str) -> Result<FollowUp, AppError> {
    match word {
        "home-visits" => Ok(FollowUp::HomeVisits),
        "not-reached" => Ok(FollowUp::NotYetReached),
        _ => Err(AppError::NotFound(
            "Chỉ có danh sách phát tại nhà (home-visits) và danh sách chưa nhận (not-reached)."
                .into(),
        )),
    }
}
