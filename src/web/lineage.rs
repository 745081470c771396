//! The lineage pages (administrators only): every old → new line with its share, day and khu
//! phố; adding a line, correcting or removing one, entering the khu phố of a part; and a
//! lineage spreadsheet uploaded, previewed, then applied. No JavaScript: plain forms. Each
//! change is one call into `domain::lineage_edit` / `domain::lineage_import`, which audit it.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::NaiveDate;
use serde::Deserialize;

use crate::domain::clock::vietnam_date;
use crate::domain::lineage::{self, LineageRow};
use crate::domain::lineage_edit::{
    LineageInput, add_line, remove_line, set_line_quarters, split_quarters, update_line,
};
use crate::domain::lineage_import::{LineageImportReport, import_lineage, share_label};
use crate::domain::units::{all_units, display_name};
use crate::entities::states::Role;
use crate::error::{AppError, AppResult};
use crate::web::AppState;
use crate::web::admin::UnitChoice;
use crate::web::layout::{Chrome, FormErrors, operator};
use crate::web::session::CurrentUser;

/// A lineage file is a few rows per ward: a small limit keeps the preview's hidden copy small.
const MAX_LINEAGE_FILE: usize = 1024 * 1024;

/// `/admin/lineage…`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/lineage", get(show_lineage).post(create_line))
        .route("/admin/lineage/{id}", get(show_line).post(correct_line))
        .route("/admin/lineage/{id}/quarters", post(save_quarters))
        .route("/admin/lineage/{id}/delete", post(delete_line))
        .route(
            "/admin/lineage/import",
            post(preview_import).layer(DefaultBodyLimit::max(MAX_LINEAGE_FILE + 64 * 1024)),
        )
        .route(
            "/admin/lineage/import/apply",
            post(apply_import).layer(DefaultBodyLimit::max(3 * MAX_LINEAGE_FILE)),
        )
}

/// One line as the page shows it.
pub struct LineView {
    /// The line's id.
    pub id: i32,
    /// The line as the domain reads it.
    pub row: LineageRow,
    /// "toàn bộ" or "một phần".
    pub share: &'static str,
    /// dd/mm/yyyy.
    pub effective_on: String,
    /// The old unit's last day, dd/mm/yyyy, or "".
    pub from_ended: String,
}

/// The new-line form, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct LineForm {
    /// The old unit's id.
    #[serde(default)]
    pub from_id: String,
    /// The new unit's id.
    #[serde(default)]
    pub to_id: String,
    /// "whole" or "part".
    #[serde(default)]
    pub share: String,
    /// yyyy-mm-dd or "".
    #[serde(default)]
    pub effective_on: String,
}

impl LineForm {
    /// Whether `id` is the chosen old unit.
    pub fn is_from(&self, id: &i32) -> bool {
        self.from_id.trim() == id.to_string()
    }
    /// Whether `id` is the chosen new unit.
    pub fn is_to(&self, id: &i32) -> bool {
        self.to_id.trim() == id.to_string()
    }
}

#[derive(Deserialize)]
struct NoticeQuery {
    #[serde(default)]
    notice: String,
}

/// The lineage page.
#[derive(Template, WebTemplate)]
#[template(path = "lineage.html")]
struct LineagePage {
    chrome: Chrome,
    lines: Vec<LineView>,
    old_units: Vec<UnitChoice>,
    new_units: Vec<UnitChoice>,
    form: LineForm,
    errors: FormErrors,
    notice: String,
}

fn line_views(rows: Vec<LineageRow>) -> Vec<LineView> {
    rows.into_iter()
        .map(|row| LineView {
            id: row.id,
            share: share_label(row.share == "whole"),
            effective_on: vietnam_date(row.effective_on),
            from_ended: row.from_valid_to.map(vietnam_date).unwrap_or_default(),
            row,
        })
        .collect()
}

async fn lineage_page(
    state: &AppState,
    user: &CurrentUser,
    form: LineForm,
    errors: FormErrors,
    notice: String,
) -> AppResult<LineagePage> {
    user.require_role(&[Role::Admin])?;
    let units = all_units(&state.db).await?;
    let loaded = lineage::load(&state.db).await?;
    let choice = |u: &crate::entities::unit::Model| UnitChoice {
        id: u.id,
        name: match (u.valid_from, u.valid_to) {
            (_, Some(to)) => format!("{} (đến {})", display_name(u), vietnam_date(to)),
            (Some(from), None) => format!("{} (từ {})", display_name(u), vietnam_date(from)),
            (None, None) => display_name(u),
        },
    };
    let mut old_units: Vec<UnitChoice> = units
        .iter()
        .filter(|u| u.valid_to.is_some())
        .map(choice)
        .collect();
    let mut new_units: Vec<UnitChoice> = units.iter().map(choice).collect();
    old_units.sort_by_key(|c| crate::vn::text::fold_key(&c.name));
    new_units.sort_by_key(|c| crate::vn::text::fold_key(&c.name));
    Ok(LineagePage {
        chrome: Chrome::for_user(user),
        lines: line_views(lineage::rows(&loaded, &units)),
        old_units,
        new_units,
        form,
        errors,
        notice,
    })
}

fn notice_text(code: &str) -> String {
    match code {
        "da-them" => "Đã thêm dòng kế thừa.",
        "da-xoa" => "Đã xóa dòng kế thừa và các khu phố của dòng đó.",
        "da-nhap" => "Đã nhập tệp kế thừa.",
        "khong-doi" => "Tệp không có gì mới: mọi dòng đã có sẵn, không thay đổi gì.",
        _ => "",
    }
    .to_owned()
}

async fn show_lineage(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<NoticeQuery>,
) -> AppResult<LineagePage> {
    lineage_page(
        &state,
        &user,
        LineForm {
            share: "whole".into(),
            ..LineForm::default()
        },
        FormErrors::default(),
        notice_text(&query.notice),
    )
    .await
}

/// A date field: "" is none; anything else must be yyyy-mm-dd (the date picker's form).
fn date_field(text: &str) -> Result<Option<NaiveDate>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| format!("Ngày “{text}” không hợp lệ: hãy chọn trên lịch."))
}

/// A domain refusal shown on the form (422), anything else passed on.
fn form_problem(err: AppError) -> AppResult<String> {
    match err {
        AppError::Invalid(message) | AppError::BadRequest(message) => Ok(message),
        other => Err(other),
    }
}

async fn create_line(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<LineForm>,
) -> AppResult<Response> {
    user.require_role(&[Role::Admin])?;
    let mut errors = Vec::new();
    let from: Option<i32> = form.from_id.trim().parse().ok();
    let to: Option<i32> = form.to_id.trim().parse().ok();
    if from.is_none() {
        errors.push(("from_id", "Hãy chọn đơn vị cũ.".to_owned()));
    }
    if to.is_none() {
        errors.push(("to_id", "Hãy chọn đơn vị mới.".to_owned()));
    }
    let effective_on = date_field(&form.effective_on).unwrap_or_else(|message| {
        errors.push(("effective_on", message));
        None
    });
    if let (true, Some(from), Some(to)) = (errors.is_empty(), from, to) {
        let input = LineageInput {
            predecessor_id: from,
            successor_id: to,
            whole: form.share != "part",
            effective_on,
        };
        match add_line(&state.db, &operator(&user).actor, input).await {
            Ok(saved) if saved.whole => {
                return Ok(Redirect::to("/admin/lineage?notice=da-them").into_response());
            }
            Ok(saved) => {
                return Ok(Redirect::to(&format!("/admin/lineage/{}", saved.id)).into_response());
            }
            Err(AppError::NotFound(message)) => errors.push(("from_id", message)),
            Err(err) => errors.push(("", form_problem(err)?)),
        }
    }
    let page = lineage_page(&state, &user, form, FormErrors::new(errors), String::new()).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// One line's page: its share and day, its khu phố, removing it.
#[derive(Template, WebTemplate)]
#[template(path = "lineage_line.html")]
struct LinePage {
    chrome: Chrome,
    line: LineView,
    /// The share chosen ("whole" or "part"), kept after an error.
    share: String,
    /// yyyy-mm-dd, kept after an error.
    effective_on: String,
    /// The khu phố box, one per line.
    quarters: String,
    /// The other new units the old one was split towards, with their khu phố.
    siblings: Vec<LineView>,
    errors: FormErrors,
    notice: String,
}

struct LineValues {
    share: Option<String>,
    effective_on: Option<String>,
    quarters: Option<String>,
}

async fn line_page(
    state: &AppState,
    user: &CurrentUser,
    id: i32,
    values: LineValues,
    errors: FormErrors,
    notice: String,
) -> AppResult<LinePage> {
    user.require_role(&[Role::Admin])?;
    let units = all_units(&state.db).await?;
    let loaded = lineage::load(&state.db).await?;
    let line = loaded
        .lines
        .iter()
        .find(|l| l.id == id)
        .cloned()
        .ok_or_else(|| AppError::NotFound("Không tìm thấy dòng kế thừa này.".into()))?;
    let mut views = line_views(lineage::rows(&loaded, &units));
    let position = views
        .iter()
        .position(|v| v.id == id)
        .ok_or_else(|| AppError::NotFound("Không tìm thấy dòng kế thừa này.".into()))?;
    let view = views.remove(position);
    let siblings = views
        .into_iter()
        .filter(|v| {
            loaded
                .lines
                .iter()
                .any(|l| l.id == v.id && l.predecessor_id == line.predecessor_id)
        })
        .collect();
    Ok(LinePage {
        chrome: Chrome::for_user(user),
        share: values.share.unwrap_or_else(|| view.row.share.to_owned()),
        effective_on: values
            .effective_on
            .unwrap_or_else(|| line.effective_on.to_string()),
        quarters: values
            .quarters
            .unwrap_or_else(|| view.row.quarters.join("\n")),
        line: view,
        siblings,
        errors,
        notice,
    })
}

async fn show_line(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i32>,
    Query(query): Query<NoticeQuery>,
) -> AppResult<LinePage> {
    let notice = match query.notice.as_str() {
        "da-sua" => "Đã sửa dòng kế thừa.",
        "da-luu-khu-pho" => "Đã lưu các khu phố của dòng này.",
        _ => "",
    };
    line_page(
        &state,
        &user,
        id,
        LineValues {
            share: None,
            effective_on: None,
            quarters: None,
        },
        FormErrors::default(),
        notice.to_owned(),
    )
    .await
}

/// The correction form.
#[derive(Debug, Clone, Default, Deserialize)]
struct CorrectForm {
    #[serde(default)]
    share: String,
    #[serde(default)]
    effective_on: String,
}

async fn correct_line(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i32>,
    Form(form): Form<CorrectForm>,
) -> AppResult<Response> {
    user.require_role(&[Role::Admin])?;
    let problem = match date_field(&form.effective_on) {
        Err(message) => ("effective_on", message),
        Ok(day) => {
            let whole = form.share != "part";
            match update_line(&state.db, &operator(&user).actor, id, whole, day).await {
                Ok(_) => {
                    return Ok(
                        Redirect::to(&format!("/admin/lineage/{id}?notice=da-sua")).into_response()
                    );
                }
                Err(err) => ("share", form_problem(err)?),
            }
        }
    };
    let values = LineValues {
        share: Some(form.share),
        effective_on: Some(form.effective_on),
        quarters: None,
    };
    let page = line_page(
        &state,
        &user,
        id,
        values,
        FormErrors::new(vec![problem]),
        String::new(),
    )
    .await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

#[derive(Debug, Clone, Default, Deserialize)]
struct QuartersForm {
    #[serde(default)]
    quarters: String,
}

async fn save_quarters(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i32>,
    Form(form): Form<QuartersForm>,
) -> AppResult<Response> {
    user.require_role(&[Role::Admin])?;
    let quarters = split_quarters(&form.quarters);
    match set_line_quarters(&state.db, &operator(&user).actor, id, &quarters).await {
        Ok(()) => {
            Ok(Redirect::to(&format!("/admin/lineage/{id}?notice=da-luu-khu-pho")).into_response())
        }
        Err(err) => {
            let message = form_problem(err)?;
            let values = LineValues {
                share: None,
                effective_on: None,
                quarters: Some(form.quarters),
            };
            let page = line_page(
                &state,
                &user,
                id,
                values,
                FormErrors::new(vec![("quarters", message)]),
                String::new(),
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

async fn delete_line(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i32>,
) -> AppResult<Response> {
    user.require_role(&[Role::Admin])?;
    remove_line(&state.db, &operator(&user).actor, id).await?;
    Ok(Redirect::to("/admin/lineage?notice=da-xoa").into_response())
}

/// What a lineage file will do, before it is applied.
#[derive(Template, WebTemplate)]
#[template(path = "lineage_preview.html")]
struct PreviewPage {
    chrome: Chrome,
    file_name: String,
    report: LineageImportReport,
    /// The file's bytes in hex, sent back with "Áp dụng".
    file_hex: String,
}

impl PreviewPage {
    /// "toàn bộ" / "một phần".
    fn share_label(&self, share: &str) -> &'static str {
        share_label(share == "whole")
    }
    /// dd/mm/yyyy.
    fn day(&self, day: &NaiveDate) -> String {
        vietnam_date(*day)
    }
}

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn from_hex(text: &str) -> Option<Vec<u8>> {
    let text = text.trim();
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// A problem with the upload itself, shown on the lineage page above its forms (422).
async fn upload_problem(
    state: &AppState,
    user: &CurrentUser,
    message: String,
) -> AppResult<Response> {
    let page = lineage_page(
        state,
        user,
        LineForm {
            share: "whole".into(),
            ..LineForm::default()
        },
        FormErrors::new(vec![("file", message)]),
        String::new(),
    )
    .await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

async fn preview_import(
    State(state): State<AppState>,
    user: CurrentUser,
    mut multipart: Multipart,
) -> AppResult<Response> {
    user.require_role(&[Role::Admin])?;
    let too_large =
        || "Tệp kế thừa quá lớn (tối đa 1 MB): hãy chỉ để lại bảng phường/xã cũ → mới.".to_owned();
    let mut file: Option<(String, Vec<u8>)> = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(_) => return upload_problem(&state, &user, too_large()).await,
        };
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("tep-ke-thua.xlsx").to_owned();
            match field.bytes().await {
                Ok(read) if !read.is_empty() => file = Some((name, read.to_vec())),
                Ok(_) => {}
                Err(_) => return upload_problem(&state, &user, too_large()).await,
            }
        }
    }
    let Some((file_name, bytes)) = file else {
        return upload_problem(
            &state,
            &user,
            "Hãy chọn tệp kế thừa (xlsx, xls hoặc ods) rồi bấm “Xem trước”.".into(),
        )
        .await;
    };
    if bytes.len() > MAX_LINEAGE_FILE {
        return upload_problem(&state, &user, too_large()).await;
    }
    match import_lineage(&state.db, &operator(&user).actor, &bytes, false).await {
        Ok(report) => Ok(PreviewPage {
            chrome: Chrome::for_user(&user),
            file_name,
            report,
            file_hex: to_hex(&bytes),
        }
        .into_response()),
        Err(AppError::Invalid(message)) => upload_problem(&state, &user, message).await,
        Err(other) => Err(other),
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
struct ApplyForm {
    #[serde(default)]
    file_name: String,
    #[serde(default)]
    file_hex: String,
}

async fn apply_import(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<ApplyForm>,
) -> AppResult<Response> {
    user.require_role(&[Role::Admin])?;
    let Some(bytes) = from_hex(&form.file_hex).filter(|b| !b.is_empty()) else {
        return upload_problem(
            &state,
            &user,
            "Không nhận được tệp đã xem trước: hãy tải tệp lên lại.".into(),
        )
        .await;
    };
    match import_lineage(&state.db, &operator(&user).actor, &bytes, true).await {
        Ok(report) if report.applied => {
            Ok(Redirect::to("/admin/lineage?notice=da-nhap").into_response())
        }
        Ok(report) if report.problems.is_empty() => {
            Ok(Redirect::to("/admin/lineage?notice=khong-doi").into_response())
        }
        // Something changed since the preview: show the file's problems again.
        Ok(report) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            PreviewPage {
                chrome: Chrome::for_user(&user),
                file_name: form.file_name,
                report,
                file_hex: form.file_hex,
            },
        )
            .into_response()),
        Err(AppError::Invalid(message)) => upload_problem(&state, &user, message).await,
        Err(other) => Err(other),
    }
}
