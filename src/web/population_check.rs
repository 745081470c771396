//! The population check's pages (issue 18): a ward officer uploads the resident extract,
//! sees each flag with its evidence and resolves it (keep with a reason, correct from the
//! extract, remove the gift); the district reads the per-ward report. Phone first: one column
//! of cards, no wide table on the ward's page.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use sea_orm::EntityTrait;
use serde::Deserialize;

use crate::domain::campaigns::visible_campaign;
use crate::domain::population_check::{
    CheckOutcome, Resolution, WardCheck, WardReportLine, campaign_report, recheck, resolve_flag,
    upload_extract, ward_check,
};
use crate::domain::units::display_name;
use crate::entities::states::Role;
use crate::entities::{campaign, population_flag, unit};
use crate::error::{AppError, AppResult};
use crate::web::AppState;
use crate::web::imports::{multipart_error, upload_body_limit};
use crate::web::layout::{Chrome, operator};
use crate::web::session::CurrentUser;

/// The check's routes; only the upload takes a large body.
pub fn routes(max_upload_mb: usize) -> Router<AppState> {
    Router::new()
        .route(
            "/campaigns/{slug}/wards/{ward_id}/population",
            get(show_ward_check)
                .post(upload_ward_extract)
                .layer(DefaultBodyLimit::max(upload_body_limit(max_upload_mb))),
        )
        .route(
            "/campaigns/{slug}/wards/{ward_id}/population/recheck",
            post(recheck_ward),
        )
        .route(
            "/campaigns/{slug}/population/flags/{flag_id}",
            post(resolve_ward_flag),
        )
        .route("/campaigns/{slug}/population", get(show_report))
}

/// A ward's check: the upload form, the counts and the flags.
#[derive(Template, WebTemplate)]
#[template(path = "population_check.html")]
struct WardCheckPage {
    chrome: Chrome,
    campaign: campaign::Model,
    ward_id: i32,
    ward_name: String,
    check: WardCheck,
    notice: String,
    error: String,
    upload_max_mb: usize,
}

/// The per-ward report.
#[derive(Template, WebTemplate)]
#[template(path = "population_report.html")]
struct ReportPage {
    chrome: Chrome,
    campaign: campaign::Model,
    lines: Vec<WardReportLine>,
    kinds: Vec<(&'static str, &'static str, &'static str)>,
}

async fn ward_page(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
    ward_id: i32,
    notice: String,
    error: String,
) -> AppResult<WardCheckPage> {
    // The ward first: another ward's check is refused whatever the campaign.
    user.scope.ensure(ward_id)?;
    let op = operator(user);
    let campaign = visible_campaign(&state.db, &op, slug).await?;
    let ward = unit::Entity::find_by_id(ward_id)
        .one(&state.db)
        .await?
        .ok_or_else(|| AppError::NotFound("Không tìm thấy phường này.".into()))?;
    let check = ward_check(&state.db, &op, &campaign, ward_id).await?;
    Ok(WardCheckPage {
        chrome: Chrome::for_user(user),
        campaign,
        ward_id,
        ward_name: display_name(&ward),
        check,
        notice,
        error,
        upload_max_mb: state.config.max_upload_mb,
    })
}

/// What a notice query names.
#[derive(Deserialize, Default)]
struct NoticeQuery {
    #[serde(default)]
    notice: String,
}

async fn show_ward_check(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((slug, ward_id)): Path<(String, i32)>,
    axum::extract::Query(query): axum::extract::Query<NoticeQuery>,
) -> AppResult<WardCheckPage> {
    let notice = match query.notice.as_str() {
        "resolved" => "Đã ghi nhận cách xử lý.".to_owned(),
        _ => String::new(),
    };
    ward_page(&state, &user, &slug, ward_id, notice, String::new()).await
}

fn outcome_notice(o: &CheckOutcome) -> String {
    format!(
        "Đã đối chiếu {} suất quà: {} khớp theo số định danh, {} có thể khớp theo họ tên và năm sinh, {} cảnh báo.",
        o.checked,
        o.matched,
        o.probable,
        o.flags.iter().filter(|f| f.resolution.is_none()).count()
    )
}

/// A refusal the officer can act on, drawn above the form (422).
async fn refuse(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
    ward_id: i32,
    message: String,
) -> AppResult<Response> {
    let page = ward_page(state, user, slug, ward_id, String::new(), message).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

async fn upload_ward_extract(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((slug, ward_id)): Path<(String, i32)>,
    mut multipart: Multipart,
) -> AppResult<Response> {
    user.scope.ensure(ward_id)?;
    let max = state.config.max_upload_mb;
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| multipart_error(e, max))?
    {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("").to_owned();
            let bytes = field.bytes().await.map_err(|e| multipart_error(e, max))?;
            if !bytes.is_empty() {
                file = Some((name, bytes.to_vec()));
            }
        }
    }
    let Some((name, bytes)) = file else {
        return refuse(
            &state,
            &user,
            &slug,
            ward_id,
            "Hãy chọn tệp trích xuất dân cư (.xlsx, .xls hoặc .csv) trước khi tải lên.".into(),
        )
        .await;
    };
    let op = operator(&user);
    let campaign = visible_campaign(&state.db, &op, &slug).await?;
    match upload_extract(&state.db, &op, &campaign, ward_id, &name, &bytes).await {
        Ok(outcome) => Ok(ward_page(
            &state,
            &user,
            &slug,
            ward_id,
            outcome_notice(&outcome),
            String::new(),
        )
        .await?
        .into_response()),
        Err(AppError::Invalid(message)) => refuse(&state, &user, &slug, ward_id, message).await,
        Err(other) => Err(other),
    }
}

async fn recheck_ward(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((slug, ward_id)): Path<(String, i32)>,
) -> AppResult<Response> {
    user.scope.ensure(ward_id)?;
    let op = operator(&user);
    let campaign = visible_campaign(&state.db, &op, &slug).await?;
    match recheck(&state.db, &op, &campaign, ward_id).await {
        Ok(outcome) => Ok(ward_page(
            &state,
            &user,
            &slug,
            ward_id,
            outcome_notice(&outcome),
            String::new(),
        )
        .await?
        .into_response()),
        Err(AppError::Invalid(message)) => refuse(&state, &user, &slug, ward_id, message).await,
        Err(other) => Err(other),
    }
}

/// The resolve form of one flag.
#[derive(Deserialize)]
struct ResolveForm {
    action: String,
    #[serde(default)]
    reason: String,
}

async fn resolve_ward_flag(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((slug, flag_id)): Path<(String, i32)>,
    Form(form): Form<ResolveForm>,
) -> AppResult<Response> {
    let flag = population_flag::Entity::find_by_id(flag_id)
        .one(&state.db)
        .await?
        .ok_or_else(|| AppError::NotFound("Không tìm thấy cảnh báo này.".into()))?;
    let ward_id = flag.ward_id;
    user.scope.ensure(ward_id)?;
    let op = operator(&user);
    let result = match Resolution::parse(&form.action, Some(&form.reason)) {
        Ok(resolution) => resolve_flag(&state.db, &op, flag_id, resolution).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!(
            "/campaigns/{slug}/wards/{ward_id}/population?notice=resolved#flag-{flag_id}"
        ))
        .into_response()),
        Err(AppError::Invalid(message)) => refuse(&state, &user, &slug, ward_id, message).await,
        Err(other) => Err(other),
    }
}

async fn show_report(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
) -> AppResult<ReportPage> {
    let op = operator(&user);
    op.require_role(&[Role::Admin, Role::District, Role::Ward])?;
    let campaign = visible_campaign(&state.db, &op, &slug).await?;
    let lines = campaign_report(&state.db, &op, &campaign).await?;
    Ok(ReportPage {
        chrome: Chrome::for_user(&user),
        campaign,
        lines,
        kinds: chamlo_sheets::population_match::FlagKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.short_label(), k.label()))
            .collect(),
    })
}
