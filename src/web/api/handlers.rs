//! The API's handlers: extract, call the domain, answer JSON.

use std::collections::HashMap;

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::response::Response;
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{ApiCaller, ApiResult, ErrorBody, created, rejected};
use crate::domain::accounts::Role;
use crate::domain::campaigns::{self, NewCampaign, visible_campaigns};
use crate::domain::carry_forward::{CarryForwardSummary, carry_forward};
use crate::domain::distribution::{Distribution, NotReceivedReason};
use crate::domain::duplicates::{Decision, DecisionOutcome, DuplicatePair};
use crate::domain::programs::{ComputeSummary, ProgramDetail, ProgramInput, programs_of};
use crate::domain::progress::{Progress, campaign_progress};
use crate::domain::ward_lists::{ListAction, WardListSummary, transition_list, visible_campaign};
use crate::entities::states::{DuplicateDecision, EntryStatus};
use crate::entities::{campaign, category, entry, person};
use crate::error::AppError;
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
    /// The unit running it; defaults to the caller's.
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
    body: Result<Json<NewCampaignRequest>, JsonRejection>,
) -> ApiResult<Response> {
    let Json(body) = body.map_err(rejected)?;
    let operator = caller.operator();
    operator.require_role(&[Role::Admin, Role::District])?;
    let unit_id = body
        .unit_id
        .or(caller.user.user.unit_id)
        .ok_or_else(|| AppError::Invalid("Hãy chọn đơn vị tổ chức đợt quà.".into()))?;
    operator.scope.ensure(unit_id)?;
    let made = campaigns::create_campaign(
        &state.db,
        &operator.actor,
        NewCampaign {
            year: body.year,
            title: body.title,
            unit_id,
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
    slug: Result<Path<String>, PathRejection>,
    body: Result<Json<CampaignStatusRequest>, JsonRejection>,
) -> ApiResult<Json<CampaignDto>> {
    let Path(slug) = slug.map_err(rejected)?;
    let Json(body) = body.map_err(rejected)?;
    let operator = caller.operator();
    let found = visible_campaign(&state.db, &operator, &slug).await?;
    operator.ensure_manages(&found)?;
    let status = campaigns::parse_campaign_status(&body.status)?;
    let updated =
        campaigns::set_campaign_status(&state.db, &operator.actor, &found, status).await?;
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
    slug: Result<Path<String>, PathRejection>,
    body: Result<Json<CarryForwardRequest>, JsonRejection>,
) -> ApiResult<Json<CarryForwardSummary>> {
    let Path(slug) = slug.map_err(rejected)?;
    let Json(body) = body.map_err(rejected)?;
    let operator = caller.operator();
    let to = visible_campaign(&state.db, &operator, &slug).await?;
    let from = visible_campaign(&state.db, &operator, &body.from).await?;
    Ok(Json(carry_forward(&state.db, &operator, &from, &to).await?))
}

/// The programs of a campaign with their amounts.
#[utoipa::path(get, path = "/api/campaigns/{slug}/programs", tag = "programs",
    params(("slug" = String, Path, description = "the campaign's slug")),
    responses((status = 200, body = [ProgramDetail]), (status = 404, body = ErrorBody)))]
pub async fn list_programs(
    State(state): State<AppState>,
    caller: ApiCaller,
    slug: Result<Path<String>, PathRejection>,
) -> ApiResult<Json<Vec<ProgramDetail>>> {
    let Path(slug) = slug.map_err(rejected)?;
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
    slug: Result<Path<String>, PathRejection>,
    body: Result<Json<ProgramInput>, JsonRejection>,
) -> ApiResult<Response> {
    let Path(slug) = slug.map_err(rejected)?;
    let Json(body) = body.map_err(rejected)?;
    let operator = caller.operator();
    let found = visible_campaign(&state.db, &operator, &slug).await?;
    let (program, computed) =
        crate::domain::programs::add_program(&state.db, &operator, &found, &body).await?;
    Ok(created(ProgramCreated { program, computed }))
}

/// The ward lists of a campaign in the caller's units.
#[utoipa::path(get, path = "/api/campaigns/{slug}/lists", tag = "lists",
    params(("slug" = String, Path, description = "the campaign's slug")),
    responses((status = 200, body = [WardListSummary]), (status = 404, body = ErrorBody)))]
pub async fn list_ward_lists(
    State(state): State<AppState>,
    caller: ApiCaller,
    slug: Result<Path<String>, PathRejection>,
) -> ApiResult<Json<Vec<WardListSummary>>> {
    let Path(slug) = slug.map_err(rejected)?;
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
    path: Result<Path<(String, i32, String)>, PathRejection>,
    body: Option<Json<ListActionRequest>>,
) -> ApiResult<Json<WardListSummary>> {
    let Path((slug, ward_id, action)) = path.map_err(rejected)?;
    let action = ListAction::parse(&action).ok_or_else(|| {
        AppError::NotFound(format!("Không có thao tác “{action}” với danh sách."))
    })?;
    let comment = body.and_then(|Json(b)| b.comment);
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

/// Filters for the entries of a campaign.
#[derive(Debug, Deserialize, IntoParams)]
pub struct EntriesQuery {
    /// Only this ward.
    pub ward_id: Option<i32>,
    /// Only this status: pending, received or not_received.
    pub status: Option<String>,
    /// Only this program.
    pub program_id: Option<i32>,
}

/// One gift to one recipient, with its distribution state.
#[derive(Debug, Serialize, ToSchema)]
pub struct EntryDto {
    /// The entry's id (what distribution calls take).
    pub id: i32,
    /// The ward.
    pub ward_id: i32,
    /// The list.
    pub ward_list_id: i32,
    /// The program.
    pub program_id: i32,
    /// The recipient.
    pub person_id: i32,
    /// The recipient's name.
    pub full_name: String,
    /// The recipient's birth year.
    pub birth_year: Option<i32>,
    /// The household, for household gifts.
    pub household_id: Option<i32>,
    /// The category's code.
    pub category: String,
    /// The amount given (đồng).
    pub amount: i64,
    /// The amount typed in the ward's file.
    pub file_amount: Option<i64>,
    /// Whether the file's amount differs from the amount given.
    pub amount_differs: bool,
    /// pending, received or not_received.
    pub status: String,
    /// When it was received.
    pub received_date: Option<NaiveDate>,
    /// The proxy who received it, if not the recipient.
    pub receiver_name: Option<String>,
    /// The proxy's relationship to the recipient.
    pub receiver_relationship: Option<String>,
    /// Why it was not received.
    pub not_received_reason: Option<String>,
    /// A note on the distribution.
    pub distribution_note: Option<String>,
}

/// The entries of a campaign in the caller's units (one ward, status or program if asked).
#[utoipa::path(get, path = "/api/campaigns/{slug}/entries", tag = "distribution",
    params(("slug" = String, Path, description = "the campaign's slug"), EntriesQuery),
    responses((status = 200, body = [EntryDto]), (status = 403, body = ErrorBody)))]
pub async fn list_entries(
    State(state): State<AppState>,
    caller: ApiCaller,
    slug: Result<Path<String>, PathRejection>,
    query: Result<Query<EntriesQuery>, QueryRejection>,
) -> ApiResult<Json<Vec<EntryDto>>> {
    let Path(slug) = slug.map_err(rejected)?;
    let Query(query) = query.map_err(rejected)?;
    let operator = caller.operator();
    let found = visible_campaign(&state.db, &operator, &slug).await?;
    if let Some(ward_id) = query.ward_id {
        operator.scope.ensure(ward_id)?;
    }
    let mut condition = Condition::all()
        .add(entry::Column::CampaignId.eq(found.id))
        .add(operator.scope.condition(entry::Column::WardId));
    if let Some(ward_id) = query.ward_id {
        condition = condition.add(entry::Column::WardId.eq(ward_id));
    }
    if let Some(text) = query.status.as_deref().map(str::trim) {
        let Some(status) = EntryStatus::parse(text) else {
            return Err(AppError::Invalid(format!(
                "Trạng thái “{text}” không hợp lệ: dùng pending, received hoặc not_received."
            ))
            .into());
        };
        condition = condition.add(entry::Column::Status.eq(status));
    }
    if let Some(program_id) = query.program_id {
        condition = condition.add(entry::Column::ProgramId.eq(program_id));
    }
    let entries = entry::Entity::find()
        .filter(condition.clone())
        .order_by_asc(entry::Column::Id)
        .all(&state.db)
        .await?;
    let people: HashMap<i32, person::Model> = person::Entity::find()
        .filter(
            person::Column::Id.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(entry::Column::PersonId)
                    .from(entry::Entity)
                    .cond_where(condition)
                    .to_owned(),
            ),
        )
        .all(&state.db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let codes: HashMap<i32, String> = category::Entity::find()
        .all(&state.db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.code))
        .collect();
    Ok(Json(
        entries
            .into_iter()
            .map(|e| {
                let person = people.get(&e.person_id);
                EntryDto {
                    id: e.id,
                    ward_id: e.ward_id,
                    ward_list_id: e.ward_list_id,
                    program_id: e.program_id,
                    person_id: e.person_id,
                    full_name: person.map(|p| p.full_name.clone()).unwrap_or_default(),
                    birth_year: person.and_then(|p| p.birth_year),
                    household_id: e.household_id,
                    category: codes.get(&e.category_id).cloned().unwrap_or_default(),
                    amount: e.amount,
                    file_amount: e.file_amount,
                    amount_differs: e.file_amount.is_some_and(|f| f != e.amount),
                    status: e.status.as_str().to_owned(),
                    received_date: e.received_date,
                    receiver_name: e.receiver_name,
                    receiver_relationship: e.receiver_relationship,
                    not_received_reason: e.not_received_reason.map(|r| r.as_str().to_owned()),
                    distribution_note: e.distribution_note,
                }
            })
            .collect(),
    ))
}

/// What to record for several entries at once.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DistributionRequest {
    /// The entries.
    pub entry_ids: Vec<i32>,
    /// received, not_received or undo.
    pub action: String,
    /// The day it was received (default: today).
    #[serde(default)]
    pub date: Option<NaiveDate>,
    /// Who received it for the recipient.
    #[serde(default)]
    pub proxy_name: Option<String>,
    /// The proxy's relationship to the recipient.
    #[serde(default)]
    pub relationship: Option<String>,
    /// Why it was not received.
    #[serde(default)]
    pub reason: Option<NotReceivedReason>,
    /// A note.
    #[serde(default)]
    pub note: Option<String>,
}

/// How many entries were changed.
#[derive(Debug, Serialize, ToSchema)]
pub struct DistributionResult {
    /// The number of entries changed.
    pub updated: usize,
}

/// Marks entries received (by the person or a proxy) or not received, or undoes that; all or
/// nothing.
#[utoipa::path(post, path = "/api/entries/distribution", tag = "distribution",
    request_body = DistributionRequest,
    responses((status = 200, body = DistributionResult), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn record_distribution(
    State(state): State<AppState>,
    caller: ApiCaller,
    body: Result<Json<DistributionRequest>, JsonRejection>,
) -> ApiResult<Json<DistributionResult>> {
    let Json(body) = body.map_err(rejected)?;
    let what = match body.action.trim() {
        "received" => Distribution::Received {
            date: body
                .date
                .unwrap_or_else(|| chrono::Local::now().date_naive()),
            proxy: match (body.proxy_name, body.relationship) {
                (None, None) => None,
                (name, relationship) => {
                    Some((name.unwrap_or_default(), relationship.unwrap_or_default()))
                }
            },
        },
        "not_received" => Distribution::NotReceived {
            reason: body.reason.ok_or_else(|| {
                AppError::Invalid(
                    "Hãy ghi lý do không nhận: deceased, moved, absent hoặc refused.".into(),
                )
            })?,
            note: body.note,
        },
        "undo" => Distribution::Undo,
        other => {
            return Err(AppError::Invalid(format!(
                "Thao tác “{other}” không hợp lệ: dùng received, not_received hoặc undo."
            ))
            .into());
        }
    };
    let changed = crate::domain::distribution::record_distribution(
        &state.db,
        &caller.operator(),
        &body.entry_ids,
        &what,
    )
    .await?;
    Ok(Json(DistributionResult {
        updated: changed.len(),
    }))
}

/// Planned, received, not received and remaining, per ward and program, in people and money.
#[utoipa::path(get, path = "/api/campaigns/{slug}/progress", tag = "distribution",
    params(("slug" = String, Path, description = "the campaign's slug")),
    responses((status = 200, body = Progress), (status = 404, body = ErrorBody)))]
pub async fn show_progress(
    State(state): State<AppState>,
    caller: ApiCaller,
    slug: Result<Path<String>, PathRejection>,
) -> ApiResult<Json<Progress>> {
    let Path(slug) = slug.map_err(rejected)?;
    let operator = caller.operator();
    let found = visible_campaign(&state.db, &operator, &slug).await?;
    Ok(Json(campaign_progress(&state.db, &operator, &found).await?))
}

/// Everyone listed twice in a program of the campaign, with the evidence (supervising staff).
#[utoipa::path(get, path = "/api/campaigns/{slug}/duplicates", tag = "duplicates",
    params(("slug" = String, Path, description = "the campaign's slug")),
    responses((status = 200, body = [DuplicatePair]), (status = 403, body = ErrorBody)))]
pub async fn list_duplicates(
    State(state): State<AppState>,
    caller: ApiCaller,
    slug: Result<Path<String>, PathRejection>,
) -> ApiResult<Json<Vec<DuplicatePair>>> {
    let Path(slug) = slug.map_err(rejected)?;
    let operator = caller.operator();
    let found = visible_campaign(&state.db, &operator, &slug).await?;
    Ok(Json(
        crate::domain::duplicates::find_duplicates(&state.db, &operator, &found).await?,
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
    slug: Result<Path<String>, PathRejection>,
    body: Result<Json<DecisionRequest>, JsonRejection>,
) -> ApiResult<Json<DecisionOutcome>> {
    let Path(slug) = slug.map_err(rejected)?;
    let Json(body) = body.map_err(rejected)?;
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

/// A personal API token as listed (never the token itself).
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenDto {
    /// Its id (for revoking).
    pub id: i32,
    /// Its name.
    pub name: String,
    /// When it was created.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// When it was last used.
    pub last_used_at: Option<chrono::DateTime<chrono::Utc>>,
    /// When it was revoked.
    pub revoked_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl From<crate::entities::api_token::Model> for TokenDto {
    fn from(t: crate::entities::api_token::Model) -> Self {
        Self {
            id: t.id,
            name: t.name,
            created_at: t.created_at,
            last_used_at: t.last_used_at,
            revoked_at: t.revoked_at,
        }
    }
}

/// The caller's tokens.
#[utoipa::path(get, path = "/api/tokens", tag = "tokens",
    responses((status = 200, body = [TokenDto]), (status = 401, body = ErrorBody)))]
pub async fn list_tokens(
    State(state): State<AppState>,
    caller: ApiCaller,
) -> ApiResult<Json<Vec<TokenDto>>> {
    let found = crate::domain::api_tokens::tokens_of(&state.db, caller.user.user.id).await?;
    Ok(Json(found.into_iter().map(TokenDto::from).collect()))
}

/// A token to create.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TokenRequest {
    /// A name to recognise it by ("script báo cáo").
    pub name: String,
}

/// A token just created: the only time it is shown.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenCreated {
    /// Its id.
    pub id: i32,
    /// Its name.
    pub name: String,
    /// The token, for `Authorization: Bearer …`; shown only now.
    pub token: String,
}

/// Creates a personal token for the logged-in user (a session, not another token).
#[utoipa::path(post, path = "/api/tokens", tag = "tokens", request_body = TokenRequest,
    responses((status = 201, body = TokenCreated), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)))]
pub async fn create_token(
    State(state): State<AppState>,
    caller: ApiCaller,
    body: Result<Json<TokenRequest>, JsonRejection>,
) -> ApiResult<Response> {
    let Json(body) = body.map_err(rejected)?;
    if caller.by_token {
        return Err(AppError::Forbidden(
            "Mã truy cập mới chỉ được tạo khi đăng nhập bằng trình duyệt.".into(),
        )
        .into());
    }
    let (stored, token) = crate::domain::api_tokens::create_api_token(
        &state.db,
        &caller.operator().actor,
        &caller.user.user,
        &body.name,
    )
    .await?;
    Ok(created(TokenCreated {
        id: stored.id,
        name: stored.name,
        token,
    }))
}

/// Revokes one of the caller's tokens.
#[utoipa::path(delete, path = "/api/tokens/{id}", tag = "tokens",
    params(("id" = i32, Path, description = "the token's id")),
    responses((status = 200, body = TokenDto), (status = 404, body = ErrorBody)))]
pub async fn revoke_token(
    State(state): State<AppState>,
    caller: ApiCaller,
    id: Result<Path<i32>, PathRejection>,
) -> ApiResult<Json<TokenDto>> {
    let Path(id) = id.map_err(rejected)?;
    let revoked = crate::domain::api_tokens::revoke_api_token(
        &state.db,
        &caller.operator().actor,
        caller.user.user.id,
        id,
    )
    .await?;
    Ok(Json(revoked.into()))
}
