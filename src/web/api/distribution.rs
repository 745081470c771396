//! Entries and their distribution over the API: a campaign's entries with their state
//! (filtered by ward, status or program), and recording many as received, not received or
//! undone at once. The pages' counterpart is `web::lists::distribution`.

use axum::Json;
use axum::extract::State;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{ApiCaller, ApiJson, ApiPath, ApiQuery, ApiResult, ErrorBody};
use crate::domain::campaigns::visible_campaign;
use crate::domain::distribution::{Distribution, DistributionAction};
use crate::domain::list_entries::{
    CampaignEntry, EntryFilter, campaign_entries, parse_entry_status,
};
use crate::entities::states::NotReceivedReason;
use crate::error::AppError;
use crate::web::AppState;

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

impl From<CampaignEntry> for EntryDto {
    fn from(found: CampaignEntry) -> Self {
        let e = found.entry;
        EntryDto {
            id: e.id,
            ward_id: e.ward_id,
            ward_list_id: e.ward_list_id,
            program_id: e.program_id,
            person_id: e.person_id,
            full_name: found.full_name,
            birth_year: found.birth_year,
            household_id: e.household_id,
            category: found.category_code,
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
    }
}

/// The entries of a campaign in the caller's units (one ward, status or program if asked).
#[utoipa::path(get, path = "/api/campaigns/{slug}/entries", tag = "distribution",
    params(("slug" = String, Path, description = "the campaign's slug"), EntriesQuery),
    responses((status = 200, body = [EntryDto]), (status = 403, body = ErrorBody)))]
pub async fn list_entries(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiPath(slug): ApiPath<String>,
    ApiQuery(query): ApiQuery<EntriesQuery>,
) -> ApiResult<Json<Vec<EntryDto>>> {
    let operator = caller.operator();
    let found = visible_campaign(&state.db, &operator, &slug).await?;
    let filter = EntryFilter {
        ward_id: query.ward_id,
        status: query
            .status
            .as_deref()
            .map(parse_entry_status)
            .transpose()?,
        program_id: query.program_id,
    };
    let entries = campaign_entries(&state.db, &operator.scope, &found, filter).await?;
    Ok(Json(entries.into_iter().map(EntryDto::from).collect()))
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
    ApiJson(body): ApiJson<DistributionRequest>,
) -> ApiResult<Json<DistributionResult>> {
    let what = match DistributionAction::parse(&body.action) {
        Some(DistributionAction::Received) => Distribution::Received {
            date: body
                .date
                .unwrap_or_else(crate::domain::clock::vietnam_today),
            proxy: match (body.proxy_name, body.relationship) {
                (None, None) => None,
                (name, relationship) => {
                    Some((name.unwrap_or_default(), relationship.unwrap_or_default()))
                }
            },
        },
        Some(DistributionAction::NotReceived) => Distribution::NotReceived {
            reason: body.reason.ok_or_else(|| {
                AppError::Invalid(
                    "Hãy ghi lý do không nhận: deceased, moved, absent hoặc refused.".into(),
                )
            })?,
            note: body.note,
        },
        Some(DistributionAction::Undo) => Distribution::Undo,
        // The page's "proxy" is, over the API, "received" with the proxy's name.
        Some(DistributionAction::Proxy) | None => {
            let other = body.action.trim();
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
