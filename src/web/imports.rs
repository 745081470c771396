//! Uploading a ward's spreadsheet: the form (choose or drop a file), the preview of accepted,
//! rejected and duplicate rows with each problem at its cell, the annotated workbook, and the
//! commit. The file's bytes wait in the database between preview and commit
//! (`domain::pending_uploads`), so any app server can finish what another began.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::multipart::MultipartError;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::domain::campaigns::{ensure_campaign_open, tet_day, visible_campaign};
use crate::domain::pending_uploads::{
    NewUpload, PreviewTiming, commit_upload, delete_upload, find_upload, read_upload,
    read_upload_timed, store_upload, upload_ward,
};
use crate::domain::units::{all_units, display_name, valid_on};
use crate::domain::ward_lists::ensure_status_editable;
use crate::entities::states::{Role, UnitLevel};
use crate::entities::{campaign, pending_upload};
use crate::error::{AppError, AppResult};
use crate::export::annotated::{status_label, write_annotated_copy};
use crate::import::{ImportRow, ParsedList, RowStatus, Severity};
use crate::web::AppState;
use crate::web::layout::{Chrome, money, operator, xlsx_download};
use crate::web::session::CurrentUser;
use crate::web::value_mappings::{MappingOffer, mapping_offer};

/// Room for the form's other fields and the multipart framing beyond the file itself.
const FORM_OVERHEAD: usize = 64 * 1024;

/// The body limit of a route that takes a spreadsheet: the file plus the form around it.
pub fn upload_body_limit(max_upload_mb: usize) -> usize {
    max_upload_mb.saturating_mul(1024 * 1024) + FORM_OVERHEAD
}

/// The upload, preview, annotated copy and commit routes; the upload alone accepts bodies up
/// to `max_upload_mb`.
pub fn routes(max_upload_mb: usize) -> Router<AppState> {
    let limit = upload_body_limit(max_upload_mb);
    Router::new()
        .route(
            "/campaigns/{slug}/import",
            get(show_upload_form)
                .post(upload_file)
                .layer(DefaultBodyLimit::max(limit)),
        )
        .route("/imports/{id}", get(show_import_preview))
        .route("/imports/{id}/annotated", get(download_annotated_copy))
        .route("/imports/{id}/commit", post(commit_import_upload))
        .route("/imports/{id}/discard", post(discard_upload))
}

/// A ward the uploader may choose.
pub struct WardChoice {
    /// Its id.
    pub id: i32,
    /// Its official name.
    pub name: String,
}

/// The upload form.
#[derive(Template, WebTemplate)]
#[template(path = "import_upload.html")]
struct UploadPage {
    chrome: Chrome,
    campaign: campaign::Model,
    /// Wards to choose from (district staff); empty for a ward officer.
    wards: Vec<WardChoice>,
    own_ward: String,
    max_upload_mb: usize,
    max_bytes: usize,
    error: String,
    /// Why the officer's list takes no file now (shown instead of the form); empty otherwise.
    locked: String,
    /// The officer's own list, linked from the locked notice.
    own_list_link: String,
}

async fn upload_page(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
    error: String,
) -> AppResult<UploadPage> {
    let op = operator(user);
    op.require_role(&[Role::Admin, Role::District, Role::Ward])?;
    let campaign = visible_campaign(&state.db, &op, slug).await?;
    let wards = if user.role == Role::Ward {
        Vec::new()
    } else {
        // The wards that exist at the campaign's Tết: a 2027 campaign offers the merged ones.
        let tet = tet_day(&campaign);
        let mut wards: Vec<WardChoice> = all_units(&state.db)
            .await?
            .iter()
            .filter(|u| u.level == UnitLevel::Ward && valid_on(u, tet) && user.scope.allows(u.id))
            .map(|u| WardChoice {
                id: u.id,
                name: display_name(u),
            })
            .collect();
        wards.sort_by_key(|w| crate::vn::text::fold_key(&w.name));
        wards
    };
    let locked = ward_upload_lock(state, user, &campaign).await?;
    Ok(UploadPage {
        chrome: Chrome::for_user(user),
        locked,
        own_list_link: match ward_officer_ward(user) {
            Some(ward_id) => format!("/campaigns/{}/wards/{ward_id}", campaign.slug),
            None => String::new(),
        },
        campaign,
        wards,
        own_ward: user.unit.as_ref().map(display_name).unwrap_or_default(),
        max_upload_mb: state.config.max_upload_mb,
        max_bytes: state.config.max_upload_mb.saturating_mul(1024 * 1024),
        error,
    })
}

/// Why a ward officer's own list takes no file now (the campaign is locked, or the list waits
/// for approval or is approved), said before they choose a file rather than after the
/// preview; empty when it takes one. District staff pick the ward on the form, so the check
/// for them stays at the commit.
/// The ward of a ward officer (whose uploads always go to it), `None` for other roles.
fn ward_officer_ward(user: &CurrentUser) -> Option<i32> {
    (user.role == Role::Ward)
        .then_some(user.user.unit_id)
        .flatten()
}

async fn ward_upload_lock(
    state: &AppState,
    user: &CurrentUser,
    campaign: &campaign::Model,
) -> AppResult<String> {
    if let Err(AppError::Invalid(message)) = ensure_campaign_open(campaign) {
        return Ok(message);
    }
    let Some(ward_id) = ward_officer_ward(user) else {
        return Ok(String::new());
    };
    let list = crate::entities::ward_list::Entity::find()
        .filter(crate::entities::ward_list::Column::CampaignId.eq(campaign.id))
        .filter(crate::entities::ward_list::Column::WardId.eq(ward_id))
        .one(&state.db)
        .await?;
    Ok(match list.map(|list| ensure_status_editable(&list)) {
        Some(Err(AppError::Invalid(message))) => message,
        _ => String::new(),
    })
}

async fn show_upload_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
) -> AppResult<UploadPage> {
    upload_page(&state, &user, &slug, String::new()).await
}

/// The Vietnamese 413 message.
pub fn too_large(max_upload_mb: usize) -> AppError {
    AppError::TooLarge(format!(
        "Tệp tải lên lớn hơn giới hạn {max_upload_mb} MB. Hãy xóa các trang tính, hình ảnh thừa \
         trong tệp, hoặc chia danh sách thành nhiều tệp nhỏ hơn rồi tải lên lại."
    ))
}

/// A broken or too large multipart body, in Vietnamese.
pub fn multipart_error(err: MultipartError, max_upload_mb: usize) -> AppError {
    if err.status() == StatusCode::PAYLOAD_TOO_LARGE {
        too_large(max_upload_mb)
    } else {
        AppError::BadRequest(
            "Không nhận được tệp trọn vẹn (đường truyền bị ngắt?). Hãy tải lên lại.".into(),
        )
    }
}

async fn upload_file(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let op = operator(&user);
    op.require_role(&[Role::Admin, Role::District, Role::Ward])?;
    let campaign = visible_campaign(&state.db, &op, &slug).await?;
    let max = state.config.max_upload_mb;
    let mut file: Option<(String, Vec<u8>)> = None;
    // A file was chosen but holds nothing: said so, rather than "choose a file".
    let mut empty_file: Option<String> = None;
    let mut chosen_ward: Option<i32> = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| multipart_error(e, max))?
    {
        match field.name() {
            Some("file") => {
                let name = field.file_name().unwrap_or_default().to_owned();
                let bytes = field.bytes().await.map_err(|e| multipart_error(e, max))?;
                if !bytes.is_empty() {
                    file = Some((name, bytes.to_vec()));
                } else if !name.is_empty() {
                    empty_file = Some(name);
                }
            }
            Some("ward_id") => {
                let text = field.text().await.map_err(|e| multipart_error(e, max))?;
                chosen_ward = text.trim().parse().ok();
            }
            _ => {}
        }
    }
    let Some((file_name, bytes)) = file else {
        let message = match empty_file {
            Some(name) => format!(
                "Tệp “{name}” trống (0 byte), không có dữ liệu nào. Hãy mở tệp bằng Excel để kiểm tra, hoặc chọn đúng tệp danh sách rồi tải lên lại."
            ),
            None => "Hãy chọn tệp danh sách (.xlsx, .xls hoặc .ods) trước khi tải lên.".into(),
        };
        let page = upload_page(&state, &user, &slug, message).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let refusal = ward_upload_lock(&state, &user, &campaign).await?;
    if !refusal.is_empty() {
        let page = upload_page(&state, &user, &slug, String::new()).await?;
        return Ok((StatusCode::CONFLICT, page).into_response());
    }
    let ward_id = upload_ward(user.role, user.user.unit_id, chosen_ward);
    if let Some(id) = ward_id {
        user.scope.ensure(id)?;
    }
    let stored = store_upload(
        &state.db,
        NewUpload {
            user_id: user.user.id,
            campaign_id: campaign.id,
            ward_id,
            file_name,
            bytes,
        },
    )
    .await?;
    Ok(Redirect::to(&format!("/imports/{}", stored.id)).into_response())
}

/// One cell of the preview, with the problems found in it.
pub struct PreviewCell {
    /// The column's heading, shown beside the value when the row is a card on a phone.
    pub label: &'static str,
    /// The value as read.
    pub text: String,
    /// (css class, message) of each problem.
    pub problems: Vec<(&'static str, String)>,
}

/// One row of the preview.
pub struct PreviewRow {
    /// The sheet's row number.
    pub row: u32,
    /// accepted, rejected or duplicate (css class).
    pub status: &'static str,
    /// The status in Vietnamese.
    pub status_label: &'static str,
    /// The cells, in the order of [`PREVIEW_COLUMNS`].
    pub cells: Vec<PreviewCell>,
}

/// The preview's columns: the row fields they show and their headings.
const PREVIEW_COLUMNS: [(&[&str], &str); 8] = [
    (&["full_name"], "Họ và tên"),
    (&["birth_year", "birth_date", "gender"], "Năm sinh"),
    (&["national_id"], "Số CCCD/CMND"),
    (&["address", "khu_pho"], "Địa chỉ"),
    (&["category"], "Đối tượng"),
    (&["amount"], "Số tiền"),
    (&["household_code", "household_size"], "Hộ"),
    (&[], "Khác"),
];

fn cell_text(row: &ImportRow, column: usize) -> String {
    let join = |parts: Vec<Option<String>>| {
        parts
            .into_iter()
            .flatten()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match column {
        0 => row.full_name.clone().unwrap_or_default(),
        1 => row.birth_year.map(|y| y.to_string()).unwrap_or_default(),
        2 => row
            .national_id
            .as_ref()
            .map(|id| id.as_str().to_owned())
            .or_else(|| row.national_id_as_typed.clone())
            .unwrap_or_default(),
        3 => join(vec![row.address.clone(), row.khu_pho.clone()]),
        4 => row
            .category
            .as_ref()
            .map(|c| c.name.clone())
            .unwrap_or_default(),
        5 => row.amount.map(money).unwrap_or_default(),
        6 => join(vec![
            row.household_code.clone(),
            row.household_size.map(|n| format!("{n} khẩu")),
        ]),
        _ => join(vec![
            row.ward.as_ref().map(|w| format!("P. {}", w.name)),
            row.note.clone(),
        ]),
    }
}

fn preview_row(row: &ImportRow) -> PreviewRow {
    let mut cells: Vec<PreviewCell> = (0..PREVIEW_COLUMNS.len())
        .map(|column| PreviewCell {
            label: PREVIEW_COLUMNS[column].1,
            text: cell_text(row, column),
            problems: Vec::new(),
        })
        .collect();
    let other = PREVIEW_COLUMNS.len() - 1;
    for issue in &row.issues {
        let column = PREVIEW_COLUMNS
            .iter()
            .position(|(fields, _)| fields.contains(&issue.field))
            .unwrap_or(other);
        let class = match issue.severity {
            Severity::Error => "problem error",
            Severity::Warning => "problem warning",
        };
        cells[column].problems.push((class, issue.message.clone()));
    }
    let status = match row.status {
        RowStatus::Accepted => "accepted",
        RowStatus::Rejected => "rejected",
        RowStatus::Duplicate => "duplicate",
    };
    PreviewRow {
        row: row.row,
        status,
        status_label: status_label(row.status),
        cells,
    }
}

/// Accepted rows without any remark shown on the preview; the rest are counted.
const CLEAN_ROWS_SHOWN: usize = 200;

/// The preview of an upload.
#[derive(Template, WebTemplate)]
#[template(path = "import_preview.html")]
struct PreviewPage {
    chrome: Chrome,
    upload_id: String,
    campaign: campaign::Model,
    file_name: String,
    size_kb: i64,
    sheet: String,
    sheet_reason: String,
    header_row: u32,
    ward: String,
    warnings: Vec<String>,
    accepted: usize,
    rejected: usize,
    duplicates: usize,
    headings: Vec<&'static str>,
    rows: Vec<PreviewRow>,
    hidden_clean_rows: usize,
    mapping: MappingOffer,
}

async fn load_upload(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
) -> AppResult<(pending_upload::Model, campaign::Model)> {
    let upload = find_upload(&state.db, id, user.user.id).await?;
    let campaign = campaign::Entity::find_by_id(upload.campaign_id)
        .one(&state.db)
        .await?
        .ok_or_else(|| AppError::NotFound("Không tìm thấy đợt quà.".into()))?;
    Ok((upload, campaign))
}

fn preview_page(
    user: &CurrentUser,
    upload: &pending_upload::Model,
    campaign: campaign::Model,
    parsed: &ParsedList,
    mapping: MappingOffer,
) -> PreviewPage {
    let mut rows = Vec::new();
    let mut clean_shown = 0;
    let mut hidden_clean_rows = 0;
    for row in &parsed.rows {
        if row.status == RowStatus::Accepted && row.issues.is_empty() {
            if clean_shown >= CLEAN_ROWS_SHOWN {
                hidden_clean_rows += 1;
                continue;
            }
            clean_shown += 1;
        }
        rows.push(preview_row(row));
    }
    let wards: Vec<String> = {
        let mut names: Vec<String> = parsed
            .rows
            .iter()
            .filter_map(|r| r.ward.as_ref().map(|w| w.name.to_string()))
            .collect();
        names.sort();
        names.dedup();
        names
    };
    PreviewPage {
        chrome: Chrome::for_user(user),
        upload_id: upload.id.clone(),
        campaign,
        file_name: upload.file_name.clone(),
        size_kb: (upload.size_bytes + 1023) / 1024,
        sheet: parsed.sheet.clone(),
        sheet_reason: parsed.sheet_reason.clone(),
        header_row: parsed.header_row,
        ward: wards
            .iter()
            .map(|w| format!("Phường {w}"))
            .collect::<Vec<_>>()
            .join(", "),
        warnings: parsed.warnings.clone(),
        accepted: parsed.count(RowStatus::Accepted),
        rejected: parsed.count(RowStatus::Rejected),
        duplicates: parsed.count(RowStatus::Duplicate),
        headings: PREVIEW_COLUMNS.iter().map(|(_, h)| *h).collect(),
        rows,
        hidden_clean_rows,
        mapping,
    }
}

async fn show_import_preview(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let (upload, campaign) = load_upload(&state, &user, &id).await?;
    match read_upload_timed(
        &state.db,
        &state.parsed_uploads,
        &upload,
        &campaign,
        &user.scope,
    )
    .await
    {
        Ok((parsed, timing)) => {
            let mapping = mapping_offer(&state, &user, &parsed).await?;
            let page = preview_page(&user, &upload, campaign, &parsed, mapping);
            Ok(([(SERVER_TIMING, server_timing(&timing))], page).into_response())
        }
        // The file cannot be read at all: say why on the upload form, and forget it.
        Err(AppError::Invalid(message)) => {
            delete_upload(&state.db, &upload.id).await?;
            let page = upload_page(
                &state,
                &user,
                &campaign.slug,
                format!("Tệp “{}”: {message}", upload.file_name),
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other),
    }
}

/// The `Server-Timing` header of a preview: reading the file (`desc="kept"` when this
/// server had its parse and did not read it) and checking it against the campaign. Seen in
/// the browser's developer tools, and read by scripts/bench-city.sh.
const SERVER_TIMING: axum::http::HeaderName = axum::http::HeaderName::from_static("server-timing");

fn server_timing(timing: &PreviewTiming) -> String {
    format!(
        "read;dur={:.1};desc=\"{}\", check;dur={:.1}",
        timing.read.as_secs_f64() * 1000.0,
        if timing.kept { "kept" } else { "file" },
        timing.check.as_secs_f64() * 1000.0
    )
}

async fn download_annotated_copy(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let (upload, campaign) = load_upload(&state, &user, &id).await?;
    let parsed = read_upload(
        &state.db,
        &state.parsed_uploads,
        &upload,
        &campaign,
        &user.scope,
    )
    .await?;
    let bytes = tokio::task::spawn_blocking(move || write_annotated_copy(&parsed))
        .await
        .map_err(|err| AppError::Other(anyhow::anyhow!("annotated copy stopped: {err}")))?
        .map_err(|err| AppError::Other(anyhow::anyhow!(err)))?;
    let stem = upload
        .file_name
        .rsplit_once('.')
        .map_or(upload.file_name.as_str(), |(stem, _)| stem);
    let name = format!("{}-kiem-tra.xlsx", crate::vn::lunar::slugify(stem));
    Ok(xlsx_download(&name, bytes))
}

async fn commit_import_upload(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let (upload, campaign) = load_upload(&state, &user, &id).await?;
    let op = operator(&user);
    let committed = commit_upload(
        &state.db,
        &state.parsed_uploads,
        &op.actor,
        &upload,
        &campaign,
        &user.scope,
    )
    .await?;
    let target = match committed.as_slice() {
        [one] => {
            let ward_id = crate::entities::ward_list::Entity::find_by_id(one.ward_list_id)
                .one(&state.db)
                .await?
                .map(|l| l.ward_id)
                .unwrap_or_default();
            let notice = if one.already_imported {
                "da-nhap-truoc".to_owned()
            } else {
                format!("da-nhap-{}", one.added)
            };
            format!(
                "/campaigns/{}/wards/{ward_id}?notice={notice}",
                campaign.slug
            )
        }
        _ => format!("/campaigns/{}", campaign.slug),
    };
    Ok(Redirect::to(&target).into_response())
}

async fn discard_upload(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Redirect> {
    let (upload, campaign) = load_upload(&state, &user, &id).await?;
    delete_upload(&state.db, &upload.id).await?;
    state.parsed_uploads.forget(&upload.id);
    Ok(Redirect::to(&format!(
        "/campaigns/{}/import",
        campaign.slug
    )))
}
