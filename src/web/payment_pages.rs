//! The payments page of a campaign (`/campaigns/{slug}/payments`): the settlement per ward,
//! making a transfer list, the batches with their files, the bank's results (preview, then
//! apply), the cash round's signing sheet and the follow-up list. Thin over
//! `domain::payments` and `domain::payment_batches`, which decide who may do what.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Deserialize;

use crate::domain::campaigns::visible_campaign;
use crate::domain::operator::Operator;
use crate::domain::payment_batches::{BatchFileKind, BatchSummary, batch_file, visible_batches};
use crate::domain::payments::{
    FollowUp, ResultsSummary, Settlement, apply_result_file, cash_round_sheet, follow_up_list,
    make_transfer_batch, preview_result_file, program_and_ward, settlement,
};
use crate::domain::pending_uploads::{NewUpload, delete_upload, find_upload, store_upload};
use crate::domain::units::display_name;
use crate::entities::states::{Role, UnitLevel};
use crate::entities::{campaign, gift_program, unit};
use crate::error::{AppError, AppResult};
use crate::web::AppState;
use crate::web::imports::{multipart_error, upload_body_limit};
use crate::web::layout::{Chrome, csv_download, money, operator, xlsx_download};
use crate::web::session::CurrentUser;

/// `/campaigns/{slug}/payments…`; the result upload accepts bodies up to `max_upload_mb`.
pub fn routes(max_upload_mb: usize) -> Router<AppState> {
    Router::new()
        .route("/campaigns/{slug}/payments", get(show_payments))
        .route(
            "/campaigns/{slug}/payments/batches",
            post(make_transfer_list),
        )
        .route(
            "/campaigns/{slug}/payments/batches/{id}/{kind}",
            get(download_batch_file),
        )
        .route(
            "/campaigns/{slug}/payments/results",
            post(preview_results_upload)
                .layer(DefaultBodyLimit::max(upload_body_limit(max_upload_mb))),
        )
        .route(
            "/campaigns/{slug}/payments/results/{upload}/apply",
            post(apply_results_upload),
        )
        .route(
            "/campaigns/{slug}/payments/cash-sheet",
            get(download_cash_sheet),
        )
        .route("/campaigns/{slug}/payments/follow-up", get(show_follow_up))
}

/// A choice in a select: (id as text, label).
type Choice = (String, String);

/// One row of the settlement table, formatted.
pub struct SettlementRow {
    /// The ward, or "Tổng cộng".
    pub ward: String,
    /// Planned: people and money.
    pub planned: String,
    /// Transferred: people and money.
    pub transferred: String,
    /// Paid in cash: people and money.
    pub cash: String,
    /// Failed or returned, people.
    pub failed_or_returned: i64,
    /// Awaiting the bank, people.
    pub awaiting_result: i64,
    /// Not reached, people.
    pub not_reached: i64,
    /// Hoàn ứng.
    pub refund: String,
}

/// Money that never wraps between its digits and "đ" in a narrow column.
fn unbroken_money(amount: i64) -> String {
    money(amount).replace(' ', "\u{a0}")
}

impl SettlementRow {
    fn of(ward: String, s: &Settlement) -> Self {
        let both =
            |people: i64, amount: i64| format!("{people} người · {}", unbroken_money(amount));
        Self {
            ward,
            planned: both(s.planned, s.planned_amount),
            transferred: both(s.transferred, s.transferred_amount),
            cash: both(s.cash, s.cash_amount),
            failed_or_returned: s.failed_or_returned,
            awaiting_result: s.awaiting_result,
            not_reached: s.not_reached,
            refund: unbroken_money(s.refund_amount),
        }
    }
}

/// One program paid by transfer, with its settlement per ward and the totals.
pub struct ProgramSection {
    /// The program's name.
    pub name: String,
    /// How it pays, in Vietnamese.
    pub method: &'static str,
    /// A row per ward.
    pub rows: Vec<SettlementRow>,
    /// The totals.
    pub total: SettlementRow,
}

/// A batch as the page lists it.
pub struct BatchLine {
    /// The batch.
    pub batch: BatchSummary,
    /// When it was made, Vietnam time.
    pub made_at: String,
    /// Its total, formatted.
    pub total: String,
}

/// The payments page.
#[derive(Template, WebTemplate)]
#[template(path = "payments.html")]
struct PaymentsPage {
    chrome: Chrome,
    campaign: campaign::Model,
    base: String,
    /// Whether the user makes transfer lists and applies results.
    manages: bool,
    sections: Vec<ProgramSection>,
    /// The programs paid by transfer.
    programs: Vec<Choice>,
    /// The wards the user may choose.
    wards: Vec<Choice>,
    batches: Vec<BatchLine>,
    /// The batch just made, if any.
    made: Option<BatchLine>,
    /// A problem with the last action, shown at the top.
    error: String,
    upload_max_mb: usize,
}

/// The programs of `campaign` that pay by transfer, in order.
async fn transfer_programs(
    state: &AppState,
    campaign: &campaign::Model,
) -> AppResult<Vec<gift_program::Model>> {
    Ok(gift_program::Entity::find()
        .filter(gift_program::Column::CampaignId.eq(campaign.id))
        .order_by_asc(gift_program::Column::Id)
        .all(&state.db)
        .await?
        .into_iter()
        .filter(|p| p.payment_method.transfers())
        .collect())
}

/// The wards in the user's scope, by name.
fn wards_of(user: &CurrentUser) -> Vec<&unit::Model> {
    let mut wards: Vec<&unit::Model> = user
        .units
        .iter()
        .filter(|u| u.level == UnitLevel::Ward && user.scope.allows(u.id))
        .collect();
    wards.sort_by_cached_key(|u| crate::vn::collation::name_sort_key(&u.name));
    wards
}

fn batch_line(batch: BatchSummary) -> BatchLine {
    BatchLine {
        made_at: crate::domain::clock::vietnam_time(batch.created_at),
        total: unbroken_money(batch.total_amount),
        batch,
    }
}

async fn payments_page(
    state: &AppState,
    user: &CurrentUser,
    op: &Operator,
    campaign: campaign::Model,
    made_id: Option<i32>,
    error: String,
) -> AppResult<PaymentsPage> {
    let programs = transfer_programs(state, &campaign).await?;
    let figures = settlement(&state.db, op, &campaign).await?;
    let ward_name = |id: i32| {
        user.units
            .iter()
            .find(|u| u.id == id)
            .map(display_name)
            .unwrap_or_default()
    };
    let sections = programs
        .iter()
        .map(|program| {
            let mine: Vec<&Settlement> = figures
                .iter()
                .filter(|s| s.program_id == program.id)
                .collect();
            let mut total = Settlement::default();
            for s in &mine {
                total.add(s);
            }
            ProgramSection {
                name: program.name.clone(),
                method: program.payment_method.label(),
                rows: mine
                    .iter()
                    .map(|s| SettlementRow::of(ward_name(s.ward_id), s))
                    .collect(),
                total: SettlementRow::of("Tổng cộng".to_owned(), &total),
            }
        })
        .collect();
    let batches: Vec<BatchLine> = visible_batches(&state.db, op, &campaign)
        .await?
        .into_iter()
        .map(batch_line)
        .collect();
    let made = made_id.and_then(|id| {
        batches
            .iter()
            .find(|b| b.batch.id == id)
            .map(|b| batch_line(b.batch.clone()))
    });
    Ok(PaymentsPage {
        chrome: Chrome::for_user(user),
        base: format!("/campaigns/{}/payments", campaign.slug),
        manages: op.ensure_manages(&campaign).is_ok(),
        sections,
        programs: programs
            .iter()
            .map(|p| (p.id.to_string(), p.name.clone()))
            .collect(),
        wards: wards_of(user)
            .into_iter()
            .map(|u| (u.id.to_string(), display_name(u)))
            .collect(),
        batches,
        made,
        error,
        upload_max_mb: state.config.max_upload_mb,
        campaign,
    })
}

/// `?dot=` names the batch just made.
#[derive(Deserialize)]
struct PageQuery {
    #[serde(default)]
    dot: Option<i32>,
}

async fn show_payments(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    Query(query): Query<PageQuery>,
) -> AppResult<PaymentsPage> {
    let op = operator(&user);
    let campaign = visible_campaign(&state.db, &op, &slug).await?;
    payments_page(&state, &user, &op, campaign, query.dot, String::new()).await
}

/// The make-a-list form: a program and a ward ("" for every ward).
#[derive(Deserialize)]
struct BatchForm {
    #[serde(default)]
    program_id: String,
    #[serde(default)]
    ward_id: String,
}

/// A number typed in a form, or a Vietnamese refusal naming the field.
fn form_id(text: &str, what: &str) -> AppResult<i32> {
    text.trim()
        .parse()
        .map_err(|_| AppError::Invalid(format!("Hãy chọn {what}.")))
}

/// An optional ward chosen in a form ("" for none).
fn chosen_ward(text: &str) -> AppResult<Option<i32>> {
    if text.trim().is_empty() {
        Ok(None)
    } else {
        form_id(text, "phường").map(Some)
    }
}

async fn make_transfer_list(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    Form(form): Form<BatchForm>,
) -> AppResult<Response> {
    let op = operator(&user);
    let campaign = visible_campaign(&state.db, &op, &slug).await?;
    op.ensure_manages(&campaign)?;
    let made = match (
        form_id(&form.program_id, "chương trình"),
        chosen_ward(&form.ward_id),
    ) {
        (Ok(program), Ok(ward)) => make_transfer_batch(&state.db, &op, &campaign, program, ward)
            .await
            .map(|made| made.batch.id),
        (Err(err), _) | (_, Err(err)) => Err(err),
    };
    match made {
        Ok(id) => Ok(Redirect::to(&format!(
            "/campaigns/{}/payments?dot={id}#dot-{id}",
            campaign.slug
        ))
        .into_response()),
        Err(AppError::Invalid(message)) => {
            let page = payments_page(&state, &user, &op, campaign, None, message).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other),
    }
}

/// `xlsx` or `csv` in a download's path.
pub fn file_kind(text: &str) -> AppResult<BatchFileKind> {
    match text {
        "xlsx" => Ok(BatchFileKind::Xlsx),
        "csv" => Ok(BatchFileKind::Csv),
        _ => Err(AppError::NotFound(
            "Chỉ có tệp .xlsx và .csv của đợt chuyển khoản.".into(),
        )),
    }
}

async fn download_batch_file(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((slug, id, kind)): Path<(String, i32, String)>,
) -> AppResult<Response> {
    let op = operator(&user);
    let campaign = visible_campaign(&state.db, &op, &slug).await?;
    let kind = file_kind(&kind)?;
    let file = batch_file(&state.db, &op, &campaign, id, kind).await?;
    Ok(match kind {
        BatchFileKind::Xlsx => xlsx_download(&file.file_name, file.bytes),
        BatchFileKind::Csv => csv_download(&file.file_name, file.bytes),
    })
}

/// What the bank's file does, before or after it is applied.
#[derive(Template, WebTemplate)]
#[template(path = "payment_results.html")]
struct ResultsPage {
    chrome: Chrome,
    campaign: campaign::Model,
    base: String,
    file_name: String,
    /// The kept upload to apply (the preview), or "" once applied.
    upload_id: String,
    applied: bool,
    summary: ResultsSummary,
}

async fn preview_results_upload(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let op = operator(&user);
    let campaign = visible_campaign(&state.db, &op, &slug).await?;
    op.ensure_manages(&campaign)?;
    let max = state.config.max_upload_mb;
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| multipart_error(e, max))?
    {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or_default().to_owned();
            let bytes = field.bytes().await.map_err(|e| multipart_error(e, max))?;
            if !bytes.is_empty() {
                file = Some((name, bytes.to_vec()));
            }
        }
    }
    let refuse = |message: String| async {
        let page = payments_page(&state, &user, &op, campaign.clone(), None, message).await?;
        Ok::<_, AppError>((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
    };
    let Some((file_name, bytes)) = file else {
        return refuse(
            "Hãy chọn tệp kết quả chuyển khoản của ngân hàng hoặc Kho bạc (.xlsx hoặc .csv) trước khi tải lên.".into(),
        )
        .await;
    };
    let summary = match preview_result_file(&state.db, &op, &campaign, bytes.clone()).await {
        Ok(summary) => summary,
        Err(AppError::Invalid(message)) => {
            return refuse(format!("Không đọc được tệp “{file_name}”: {message}")).await;
        }
        Err(other) => return Err(other),
    };
    let stored = store_upload(
        &state.db,
        NewUpload {
            user_id: user.user.id,
            campaign_id: campaign.id,
            ward_id: None,
            file_name,
            bytes,
        },
    )
    .await?;
    Ok(ResultsPage {
        chrome: Chrome::for_user(&user),
        base: format!("/campaigns/{}/payments", campaign.slug),
        campaign,
        file_name: stored.file_name,
        upload_id: stored.id,
        applied: false,
        summary,
    }
    .into_response())
}

async fn apply_results_upload(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((slug, upload)): Path<(String, String)>,
) -> AppResult<ResultsPage> {
    let op = operator(&user);
    let campaign = visible_campaign(&state.db, &op, &slug).await?;
    op.ensure_manages(&campaign)?;
    let kept = find_upload(&state.db, &upload, user.user.id).await?;
    if kept.campaign_id != campaign.id {
        return Err(AppError::NotFound(
            "Tệp kết quả này được tải lên cho đợt quà khác.".into(),
        ));
    }
    let summary = apply_result_file(&state.db, &op, &campaign, kept.bytes, &kept.file_name).await?;
    delete_upload(&state.db, &kept.id).await?;
    Ok(ResultsPage {
        chrome: Chrome::for_user(&user),
        base: format!("/campaigns/{}/payments", campaign.slug),
        campaign,
        file_name: kept.file_name,
        upload_id: String::new(),
        applied: true,
        summary,
    })
}

/// A program and a ward, chosen on the page.
#[derive(Deserialize)]
struct ProgramWardQuery {
    #[serde(default)]
    program: String,
    #[serde(default)]
    ward: String,
}

/// The program and ward a query names; a ward officer without a ward chosen gets their
/// own. The domain checks both ([`program_and_ward`]).
async fn chosen_program_and_ward(
    state: &AppState,
    user: &CurrentUser,
    op: &Operator,
    campaign: &campaign::Model,
    query: &ProgramWardQuery,
) -> AppResult<(gift_program::Model, unit::Model)> {
    let program_id = form_id(&query.program, "chương trình")?;
    let ward_id = match chosen_ward(&query.ward)? {
        Some(id) => id,
        None if user.role == Role::Ward => user.user.unit_id.unwrap_or_default(),
        None => return Err(AppError::Invalid("Hãy chọn phường.".into())),
    };
    program_and_ward(&state.db, op, campaign, program_id, ward_id).await
}

async fn download_cash_sheet(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    Query(query): Query<ProgramWardQuery>,
) -> AppResult<Response> {
    let op = operator(&user);
    let campaign = visible_campaign(&state.db, &op, &slug).await?;
    let (program, ward) = chosen_program_and_ward(&state, &user, &op, &campaign, &query).await?;
    let file = cash_round_sheet(&state.db, &op, &campaign, &ward, &program).await?;
    Ok(xlsx_download(&file.file_name, file.bytes))
}

/// People still to reach in one khu phố.
pub struct FollowUpGroup {
    /// The khu phố, or "Chưa ghi khu phố".
    pub khu_pho: String,
    /// Its people.
    pub rows: Vec<FollowUpLine>,
}

/// One person still to reach, formatted.
pub struct FollowUpLine {
    /// The person.
    pub person: FollowUp,
    /// The gift, formatted.
    pub amount: String,
}

/// The follow-up list page.
#[derive(Template, WebTemplate)]
#[template(path = "payment_follow_up.html")]
struct FollowUpPage {
    chrome: Chrome,
    campaign: campaign::Model,
    base: String,
    program: String,
    ward: String,
    people: usize,
    total: String,
    groups: Vec<FollowUpGroup>,
}

async fn show_follow_up(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    Query(query): Query<ProgramWardQuery>,
) -> AppResult<FollowUpPage> {
    let op = operator(&user);
    let campaign = visible_campaign(&state.db, &op, &slug).await?;
    let (program, ward) = chosen_program_and_ward(&state, &user, &op, &campaign, &query).await?;
    let list = follow_up_list(&state.db, &op, &campaign, program.id, Some(ward.id)).await?;
    let total: i64 = list.iter().map(|f| f.amount).sum();
    let people = list.len();
    let mut groups: Vec<FollowUpGroup> = Vec::new();
    for person in list {
        let khu_pho = if person.khu_pho.trim().is_empty() {
            "Chưa ghi khu phố".to_owned()
        } else {
            person.khu_pho.clone()
        };
        let line = FollowUpLine {
            amount: money(person.amount),
            person,
        };
        match groups.last_mut() {
            Some(group) if group.khu_pho == khu_pho => group.rows.push(line),
            _ => groups.push(FollowUpGroup {
                khu_pho,
                rows: vec![line],
            }),
        }
    }
    Ok(FollowUpPage {
        chrome: Chrome::for_user(&user),
        base: format!("/campaigns/{}/payments", campaign.slug),
        campaign,
        program: program.name,
        ward: display_name(&ward),
        people,
        total: money(total),
        groups,
    })
}
