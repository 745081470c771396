//! Paying by transfer over the API: a person's payment account, making a transfer batch,
//! reading a bank's result file, and the settlement. The same domain calls as
//! `chamlo payments …`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{ApiCaller, ApiJson, ApiPath, ApiQuery, ApiResult, ErrorBody, created};
use crate::domain::campaigns::visible_campaign;
use crate::domain::payment_batches::{BatchSummary, batch_file, visible_batches};
use crate::domain::payments::{
    AccountInput, AccountView, FollowUp, ResultsSummary, Settlement, account_of, apply_result_file,
    cash_round_sheet, follow_up_list, make_transfer_batch, preview_result_file, program_and_ward,
    save_account, settlement,
};
use crate::web::AppState;
use crate::web::layout::{csv_download, xlsx_download};
use crate::web::payment_pages::file_kind;

/// A person's payment account (the number masked unless the caller pays).
#[utoipa::path(get, path = "/api/people/{id}/payment-account", tag = "payments",
    params(("id" = i32, Path, description = "the person's id")),
    responses((status = 200, body = Option<AccountView>), (status = 404, body = ErrorBody)))]
pub async fn show_account(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiPath(id): ApiPath<i32>,
) -> ApiResult<Json<Option<AccountView>>> {
    Ok(Json(account_of(&state.db, &caller.operator(), id).await?))
}

/// Sets a person's payment account; audited with the number masked.
#[utoipa::path(put, path = "/api/people/{id}/payment-account", tag = "payments",
    params(("id" = i32, Path, description = "the person's id")),
    request_body = AccountInput,
    responses((status = 200, body = Option<AccountView>), (status = 422, body = ErrorBody)))]
pub async fn save_payment_account(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiPath(id): ApiPath<i32>,
    ApiJson(body): ApiJson<AccountInput>,
) -> ApiResult<Json<Option<AccountView>>> {
    let operator = caller.operator();
    save_account(&state.db, &operator, id, &body).await?;
    Ok(Json(account_of(&state.db, &operator, id).await?))
}

/// Which entries a transfer batch takes.
#[derive(Debug, Deserialize, ToSchema)]
pub struct BatchRequest {
    /// The program paid by transfer.
    pub program_id: i32,
    /// One ward; none for every ward the caller supervises.
    #[serde(default)]
    pub ward_id: Option<i32>,
}

/// A batch just made, with its rows as the bank's CSV.
#[derive(Debug, Serialize, ToSchema)]
pub struct BatchMade {
    /// The batch's id.
    pub batch_id: i32,
    /// Transfers in it.
    pub entries: i32,
    /// Its total in đồng.
    pub total_amount: i64,
    /// The rows as CSV for the bank's batch upload.
    pub csv: String,
}

/// Makes a transfer batch: every approved, unpaid entry with an account, never sent before.
#[utoipa::path(post, path = "/api/campaigns/{slug}/transfer-batches", tag = "payments",
    params(("slug" = String, Path, description = "the campaign's slug")),
    request_body = BatchRequest,
    responses((status = 201, body = BatchMade), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn make_batch(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiPath(slug): ApiPath<String>,
    ApiJson(body): ApiJson<BatchRequest>,
) -> ApiResult<Response> {
    let operator = caller.operator();
    let found = visible_campaign(&state.db, &operator, &slug).await?;
    let made =
        make_transfer_batch(&state.db, &operator, &found, body.program_id, body.ward_id).await?;
    Ok(created(BatchMade {
        batch_id: made.batch.id,
        entries: made.batch.entry_count,
        total_amount: made.batch.total_amount,
        csv: made.csv,
    }))
}

/// The name of an uploaded result file, for the audit trail.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ResultFileName {
    /// The file's name.
    #[serde(default)]
    pub file_name: Option<String>,
}

/// Reads a bank's or the Treasury's result file (the body: xlsx or CSV bytes) into the
/// campaign's batches, in one transaction.
#[utoipa::path(post, path = "/api/campaigns/{slug}/payment-results", tag = "payments",
    params(("slug" = String, Path, description = "the campaign's slug"), ResultFileName),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 200, body = ResultsSummary), (status = 422, body = ErrorBody)))]
pub async fn upload_results(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiPath(slug): ApiPath<String>,
    ApiQuery(query): ApiQuery<ResultFileName>,
    body: Bytes,
) -> ApiResult<Json<ResultsSummary>> {
    let operator = caller.operator();
    let found = visible_campaign(&state.db, &operator, &slug).await?;
    let name = query.file_name.unwrap_or_default();
    Ok(Json(
        apply_result_file(&state.db, &operator, &found, body.to_vec(), &name).await?,
    ))
}

/// Planned, transferred, cash, failed or returned, not reached and hoàn ứng, per program
/// and ward.
#[utoipa::path(get, path = "/api/campaigns/{slug}/settlement", tag = "payments",
    params(("slug" = String, Path, description = "the campaign's slug")),
    responses((status = 200, body = [Settlement]), (status = 404, body = ErrorBody)))]
pub async fn show_settlement(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<Json<Vec<Settlement>>> {
    let operator = caller.operator();
    let found = visible_campaign(&state.db, &operator, &slug).await?;
    Ok(Json(settlement(&state.db, &operator, &found).await?))
}

/// The transfer batches of the campaign the caller may see, newest first, with where their
/// transfers stand. A ward officer sees their own ward's batches only.
#[utoipa::path(get, path = "/api/campaigns/{slug}/transfer-batches", tag = "payments",
    params(("slug" = String, Path, description = "the campaign's slug")),
    responses((status = 200, body = [BatchSummary]), (status = 403, body = ErrorBody)))]
pub async fn list_batches(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<Json<Vec<BatchSummary>>> {
    let operator = caller.operator();
    let found = visible_campaign(&state.db, &operator, &slug).await?;
    Ok(Json(visible_batches(&state.db, &operator, &found).await?))
}

/// A batch's transfer list (`xlsx`) or bank CSV (`csv`), the same bytes as first made;
/// audited as an export.
#[utoipa::path(get, path = "/api/campaigns/{slug}/transfer-batches/{id}/{kind}", tag = "payments",
    params(("slug" = String, Path, description = "the campaign's slug"),
        ("id" = i32, Path, description = "the batch's id"),
        ("kind" = String, Path, description = "xlsx or csv")),
    responses((status = 200, description = "the file", content_type = "application/octet-stream"),
        (status = 404, body = ErrorBody)))]
pub async fn download_batch(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiPath((slug, id, kind)): ApiPath<(String, i32, String)>,
) -> ApiResult<Response> {
    let operator = caller.operator();
    let found = visible_campaign(&state.db, &operator, &slug).await?;
    let kind = file_kind(&kind)?;
    let file = batch_file(&state.db, &operator, &found, id, kind).await?;
    Ok(match kind {
        crate::domain::payment_batches::BatchFileKind::Xlsx => {
            xlsx_download(&file.file_name, file.bytes)
        }
        crate::domain::payment_batches::BatchFileKind::Csv => {
            csv_download(&file.file_name, file.bytes)
        }
    })
}

/// What a result file would do (applied, failed, returned, already applied, unmatched rows
/// with reasons), storing nothing.
#[utoipa::path(post, path = "/api/campaigns/{slug}/payment-results/preview", tag = "payments",
    params(("slug" = String, Path, description = "the campaign's slug")),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 200, body = ResultsSummary), (status = 422, body = ErrorBody)))]
pub async fn preview_results(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiPath(slug): ApiPath<String>,
    body: Bytes,
) -> ApiResult<Json<ResultsSummary>> {
    let operator = caller.operator();
    let found = visible_campaign(&state.db, &operator, &slug).await?;
    Ok(Json(
        preview_result_file(&state.db, &operator, &found, body.to_vec()).await?,
    ))
}

/// A program and a ward.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ProgramWard {
    /// The program's id.
    pub program_id: i32,
    /// The ward's id.
    pub ward_id: i32,
}

/// The caller, the campaign, and the program and ward a cash-round query names, each checked
/// by the domain.
async fn cash_round_target(
    state: &AppState,
    caller: &ApiCaller,
    slug: &str,
    query: &ProgramWard,
) -> ApiResult<(
    crate::domain::operator::Operator,
    crate::entities::campaign::Model,
    crate::entities::gift_program::Model,
    crate::entities::unit::Model,
)> {
    let operator = caller.operator();
    let found = visible_campaign(&state.db, &operator, slug).await?;
    let (program, ward) = program_and_ward(
        &state.db,
        &operator,
        &found,
        query.program_id,
        query.ward_id,
    )
    .await?;
    Ok((operator, found, program, ward))
}

/// The cash round's signing sheet ("Danh sách chi trả tiền mặt") of one ward and program:
/// people without an account and failed or returned transfers.
#[utoipa::path(get, path = "/api/campaigns/{slug}/cash-sheet", tag = "payments",
    params(("slug" = String, Path, description = "the campaign's slug"), ProgramWard),
    responses((status = 200, description = "the workbook",
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 404, body = ErrorBody)))]
pub async fn download_cash_sheet(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiPath(slug): ApiPath<String>,
    ApiQuery(query): ApiQuery<ProgramWard>,
) -> ApiResult<Response> {
    let (operator, found, program, ward) =
        cash_round_target(&state, &caller, &slug, &query).await?;
    let file = cash_round_sheet(&state.db, &operator, &found, &ward, &program).await?;
    Ok(xlsx_download(&file.file_name, file.bytes))
}

/// Everyone of a ward and program not yet paid, by khu phố then name, with phone numbers.
#[utoipa::path(get, path = "/api/campaigns/{slug}/payment-follow-up", tag = "payments",
    params(("slug" = String, Path, description = "the campaign's slug"), ProgramWard),
    responses((status = 200, body = [FollowUp]), (status = 403, body = ErrorBody)))]
pub async fn show_follow_up(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiPath(slug): ApiPath<String>,
    ApiQuery(query): ApiQuery<ProgramWard>,
) -> ApiResult<Json<Vec<FollowUp>>> {
    let (operator, found, program, ward) =
        cash_round_target(&state, &caller, &slug, &query).await?;
    Ok(Json(
        follow_up_list(&state.db, &operator, &found, program.id, Some(ward.id)).await?,
    ))
}

/// A bank of the list, as the API gives it.
#[derive(Debug, Serialize, ToSchema)]
pub struct BankEntry {
    /// The 6-digit NAPAS BIN.
    pub bin: String,
    /// The short name bank files print.
    pub short_name: String,
    /// The full name.
    pub name: String,
    /// Other names officers type.
    pub synonyms: Vec<String>,
}

impl From<crate::entities::bank::Model> for BankEntry {
    fn from(bank: crate::entities::bank::Model) -> Self {
        Self {
            synonyms: bank.other_names().map(str::to_owned).collect(),
            bin: bank.bin,
            short_name: bank.short_name,
            name: bank.name,
        }
    }
}

/// A bank's names, as an administrator adds or corrects it (its BIN is in the path).
#[derive(Debug, Deserialize, ToSchema)]
pub struct BankNames {
    /// The short name bank files print.
    pub short_name: String,
    /// The full name.
    pub name: String,
    /// Other names officers type.
    #[serde(default)]
    pub synonyms: Vec<String>,
}

/// The bank list the import and the account form match against, by short name.
#[utoipa::path(get, path = "/api/banks", tag = "payments",
    responses((status = 200, body = Vec<BankEntry>), (status = 401, body = ErrorBody)))]
pub async fn list_banks(
    State(state): State<AppState>,
    _caller: ApiCaller,
) -> ApiResult<Json<Vec<BankEntry>>> {
    Ok(Json(
        crate::domain::payments::banks(&state.db)
            .await?
            .into_iter()
            .map(BankEntry::from)
            .collect(),
    ))
}

/// Adds a bank or corrects one by its BIN (administrators; audited). A name that already
/// names another bank is refused.
#[utoipa::path(put, path = "/api/banks/{bin}", tag = "payments",
    params(("bin" = String, Path, description = "the bank's 6-digit NAPAS BIN")),
    request_body = BankNames,
    responses((status = 200, body = BankEntry), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn save_bank_names(
    State(state): State<AppState>,
    caller: ApiCaller,
    ApiPath(bin): ApiPath<String>,
    ApiJson(body): ApiJson<BankNames>,
) -> ApiResult<Json<BankEntry>> {
    let input = crate::domain::payments::BankInput {
        bin,
        short_name: body.short_name,
        name: body.name,
        synonyms: body.synonyms,
    };
    let saved = crate::domain::payments::save_bank(&state.db, &caller.operator(), &input).await?;
    Ok(Json(saved.into()))
}
