//! The signed sheet comes back: a ward officer (on their ward's list) or district staff (on
//! the campaign's exports page) uploads the signing sheet the recipients signed, and
//! `domain::signed_sheet_apply` records who received their gift; the page shows what it
//! recorded and every row it left alone, with the reason.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::NaiveDate;
use sea_orm::EntityTrait;

use crate::domain::campaigns::visible_campaign;
use crate::domain::signed_sheet_apply::{SheetTarget, SignedSheetReport, apply_signed_workbook};
use crate::domain::units::display_name;
use crate::entities::states::Role;
use crate::entities::{campaign, unit};
use crate::error::{AppError, AppResult};
use crate::web::AppState;
use crate::web::imports::{multipart_error, upload_body_limit};
use crate::web::layout::{Chrome, operator};
use crate::web::session::CurrentUser;

/// The form and the upload of a signed sheet, for one ward or for the whole campaign; only
/// these two accept bodies up to `max_upload_mb`.
pub fn routes(max_upload_mb: usize) -> Router<AppState> {
    let limit = DefaultBodyLimit::max(upload_body_limit(max_upload_mb));
    Router::new()
        .route(
            "/campaigns/{slug}/wards/{ward_id}/signed-sheet",
            get(show_ward_form).post(upload_ward_sheet).layer(limit),
        )
        .route(
            "/campaigns/{slug}/exports/signed-sheet",
            get(show_campaign_form)
                .post(upload_campaign_sheet)
                .layer(limit),
        )
}

/// The upload form, and after an upload the report of what it did.
#[derive(Template, WebTemplate)]
#[template(path = "signed_sheet.html")]
struct SignedSheetPage {
    chrome: Chrome,
    campaign: campaign::Model,
    /// "Phường Hiệp Phú", or empty for the whole campaign.
    ward_name: String,
    /// Where the form posts.
    signed_action: String,
    /// The page it belongs to.
    back_link: String,
    upload_max_mb: usize,
    upload_max_bytes: usize,
    /// The receiving date shown in the form (yyyy-mm-dd).
    signed_date: String,
    error: String,
    report: Option<SignedSheetReport>,
}

/// Where the sheet goes: one ward of the campaign, or the whole campaign.
struct Destination {
    campaign: campaign::Model,
    ward: Option<unit::Model>,
}

impl Destination {
    fn page(
        self,
        state: &AppState,
        user: &CurrentUser,
        signed_date: String,
        error: String,
        report: Option<SignedSheetReport>,
    ) -> SignedSheetPage {
        let slug = &self.campaign.slug;
        let (signed_action, back_link) = match &self.ward {
            Some(ward) => (
                format!("/campaigns/{slug}/wards/{}/signed-sheet", ward.id),
                format!("/campaigns/{slug}/wards/{}", ward.id),
            ),
            None => (
                format!("/campaigns/{slug}/exports/signed-sheet"),
                format!("/campaigns/{slug}/exports"),
            ),
        };
        SignedSheetPage {
            chrome: Chrome::for_user(user),
            ward_name: self.ward.as_ref().map(display_name).unwrap_or_default(),
            campaign: self.campaign,
            signed_action,
            back_link,
            upload_max_mb: state.config.max_upload_mb,
            upload_max_bytes: state.config.max_upload_mb.saturating_mul(1024 * 1024),
            signed_date,
            error,
            report,
        }
    }

    fn target(&self) -> SheetTarget {
        SheetTarget {
            ward_id: self.ward.as_ref().map(|w| w.id),
            program_id: None,
        }
    }
}

async fn ward_destination(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
    ward_id: i32,
) -> AppResult<Destination> {
    let op = operator(user);
    op.require_role(&[Role::Admin, Role::District, Role::Ward])?;
    // The ward first: another ward's sheet is refused whatever the campaign.
    user.scope.ensure(ward_id)?;
    let campaign = visible_campaign(&state.db, &op, slug).await?;
    let ward = unit::Entity::find_by_id(ward_id)
        .one(&state.db)
        .await?
        .ok_or_else(|| AppError::NotFound("Không tìm thấy phường này.".into()))?;
    Ok(Destination {
        campaign,
        ward: Some(ward),
    })
}

async fn campaign_destination(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
) -> AppResult<Destination> {
    let op = operator(user);
    op.require_role(&[Role::Admin, Role::District])?;
    let campaign = visible_campaign(&state.db, &op, slug).await?;
    Ok(Destination {
        campaign,
        ward: None,
    })
}

fn today() -> NaiveDate {
    crate::domain::clock::vietnam_today()
}

async fn show_ward_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((slug, ward_id)): Path<(String, i32)>,
) -> AppResult<SignedSheetPage> {
    let destination = ward_destination(&state, &user, &slug, ward_id).await?;
    Ok(destination.page(&state, &user, today().to_string(), String::new(), None))
}

async fn show_campaign_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
) -> AppResult<SignedSheetPage> {
    let destination = campaign_destination(&state, &user, &slug).await?;
    Ok(destination.page(&state, &user, today().to_string(), String::new(), None))
}

async fn upload_ward_sheet(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((slug, ward_id)): Path<(String, i32)>,
    multipart: Multipart,
) -> AppResult<Response> {
    let destination = ward_destination(&state, &user, &slug, ward_id).await?;
    apply_upload(&state, &user, destination, multipart).await
}

async fn upload_campaign_sheet(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    multipart: Multipart,
) -> AppResult<Response> {
    let destination = campaign_destination(&state, &user, &slug).await?;
    apply_upload(&state, &user, destination, multipart).await
}

/// Reads the form (the file and the receiving date), applies the sheet and shows the report;
/// a problem the user can fix is shown above the form again (422).
async fn apply_upload(
    state: &AppState,
    user: &CurrentUser,
    destination: Destination,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let max = state.config.max_upload_mb;
    let mut bytes: Option<Vec<u8>> = None;
    let mut date_text = String::new();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| multipart_error(e, max))?
    {
        match field.name() {
            Some("file") => {
                let read = field.bytes().await.map_err(|e| multipart_error(e, max))?;
                if !read.is_empty() {
                    bytes = Some(read.to_vec());
                }
            }
            Some("date") => {
                date_text = field
                    .text()
                    .await
                    .map_err(|e| multipart_error(e, max))?
                    .trim()
                    .to_owned();
            }
            _ => {}
        }
    }
    let date = if date_text.is_empty() {
        Ok(today())
    } else {
        NaiveDate::parse_from_str(&date_text, "%Y-%m-%d").map_err(|_| {
            format!(
                "Ngày nhận “{date_text}” không hợp lệ: hãy chọn ngày trên lịch (năm-tháng-ngày)."
            )
        })
    };
    let shown_date = if date_text.is_empty() {
        today().to_string()
    } else {
        date_text.clone()
    };
    let refuse = |destination: Destination, message: String| {
        let page = destination.page(state, user, shown_date.clone(), message, None);
        Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
    };
    let date = match date {
        Ok(date) => date,
        Err(message) => return refuse(destination, message),
    };
    let Some(bytes) = bytes else {
        return refuse(
            destination,
            "Hãy chọn tệp danh sách ký nhận đã có chữ ký (.xlsx, .xls hoặc .ods) trước khi tải lên."
                .into(),
        );
    };
    let op = operator(user);
    let target = destination.target();
    match apply_signed_workbook(&state.db, &op, &destination.campaign, bytes, target, date).await {
        Ok(report) => Ok(destination
            .page(state, user, shown_date.clone(), String::new(), Some(report))
            .into_response()),
        Err(AppError::Invalid(message)) => refuse(destination, message),
        Err(other) => Err(other),
    }
}
