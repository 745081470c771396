//! A ward's distribution-day page (phone first): its points and time slots with how many are
//! invited to each, inviting a khu phố to a slot, the slips (printable page or PDF), the
//! home-visit and not-yet-reached lists by khu phố, and the message list for the ward's own
//! SMS or Zalo channel. Each handler is one domain call.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::NaiveDate;
use sea_orm::EntityTrait;
use serde::Deserialize;

use crate::domain::campaigns::visible_campaign;
use crate::domain::distribution_day::follow_up::{
    FollowUp, KhuPhoGroup, follow_up_list, message_csv, set_home_visit,
};
use crate::domain::distribution_day::invitation_slips;
use crate::domain::distribution_day::points::{
    Invitees, WardPlan, add_point, add_slot, assign_slot, ward_plan,
};
use crate::domain::operator::Operator;
use crate::domain::units::display_name;
use crate::entities::{campaign, unit};
use crate::error::{AppError, AppResult};
use crate::web::AppState;
use crate::web::layout::{Chrome, operator};
use crate::web::session::CurrentUser;

/// The ward distribution-day routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/campaigns/{slug}/wards/{ward_id}/distribution-day",
            get(show_distribution_day),
        )
        .route(
            "/campaigns/{slug}/wards/{ward_id}/distribution-day/points",
            post(create_point),
        )
        .route(
            "/campaigns/{slug}/wards/{ward_id}/distribution-day/slots",
            post(create_slot),
        )
        .route(
            "/campaigns/{slug}/wards/{ward_id}/distribution-day/assign",
            post(invite_khu_pho),
        )
        .route(
            "/campaigns/{slug}/wards/{ward_id}/distribution-day/invitations.html",
            get(show_slips),
        )
        .route(
            "/campaigns/{slug}/wards/{ward_id}/distribution-day/invitations.pdf",
            get(download_slips),
        )
        .route(
            "/campaigns/{slug}/wards/{ward_id}/distribution-day/home-visits",
            get(show_home_visits),
        )
        .route(
            "/campaigns/{slug}/wards/{ward_id}/distribution-day/not-reached",
            get(show_not_reached),
        )
        .route(
            "/campaigns/{slug}/wards/{ward_id}/distribution-day/home-visit",
            post(mark_home_visit),
        )
        .route(
            "/campaigns/{slug}/wards/{ward_id}/distribution-day/messages.csv",
            get(download_messages),
        )
}

struct WardContext {
    operator: Operator,
    campaign: campaign::Model,
    ward: unit::Model,
}

async fn context(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
    ward_id: i32,
) -> AppResult<WardContext> {
    let op = operator(user);
    user.scope.ensure(ward_id)?;
    let campaign = visible_campaign(&state.db, &op, slug).await?;
    let ward = unit::Entity::find_by_id(ward_id)
        .one(&state.db)
        .await?
        .ok_or_else(|| AppError::NotFound("Không tìm thấy phường này.".into()))?;
    Ok(WardContext {
        operator: op,
        campaign,
        ward,
    })
}

/// The ward's plan for the day.
#[derive(Template, WebTemplate)]
#[template(path = "distribution_day.html")]
struct DistributionDayPage {
    chrome: Chrome,
    campaign: campaign::Model,
    ward_name: String,
    base: String,
    plan: WardPlan,
    error: String,
    notice: String,
}

async fn render_day(
    state: &AppState,
    user: &CurrentUser,
    ctx: WardContext,
    error: String,
    notice: String,
) -> AppResult<Response> {
    let plan = ward_plan(&state.db, &ctx.operator, &ctx.campaign, ctx.ward.id).await?;
    let status = if error.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((
        status,
        DistributionDayPage {
            chrome: Chrome::for_user(user),
            base: format!(
                "/campaigns/{}/wards/{}/distribution-day",
                ctx.campaign.slug, ctx.ward.id
            ),
            ward_name: display_name(&ctx.ward),
            campaign: ctx.campaign,
            plan,
            error,
            notice,
        },
    )
        .into_response())
}

async fn show_distribution_day(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((slug, ward_id)): Path<(String, i32)>,
) -> AppResult<Response> {
    let ctx = context(&state, &user, &slug, ward_id).await?;
    render_day(&state, &user, ctx, String::new(), String::new()).await
}

/// Shows the page again with the problem, or goes back to it after a change.
async fn after_change(
    state: &AppState,
    user: &CurrentUser,
    ctx: WardContext,
    result: AppResult<String>,
) -> AppResult<Response> {
    match result {
        Ok(notice) => render_day(state, user, ctx, String::new(), notice).await,
        Err(AppError::Invalid(message) | AppError::NotFound(message)) => {
            render_day(state, user, ctx, message, String::new()).await
        }
        Err(other) => Err(other),
    }
}

#[derive(Deserialize)]
struct PointForm {
    name: String,
    #[serde(default)]
    address: String,
}

async fn create_point(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((slug, ward_id)): Path<(String, i32)>,
    Form(form): Form<PointForm>,
) -> AppResult<Response> {
    let ctx = context(&state, &user, &slug, ward_id).await?;
    let result = add_point(
        &state.db,
        &ctx.operator,
        &ctx.campaign,
        ward_id,
        &form.name,
        Some(form.address.as_str()),
    )
    .await
    .map(|p| format!("Đã thêm điểm phát {}.", p.name));
    after_change(&state, &user, ctx, result).await
}

#[derive(Deserialize)]
struct SlotForm {
    point_id: i32,
    day: String,
    starts_at: String,
    ends_at: String,
}

async fn create_slot(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((slug, ward_id)): Path<(String, i32)>,
    Form(form): Form<SlotForm>,
) -> AppResult<Response> {
    let ctx = context(&state, &user, &slug, ward_id).await?;
    let result = match NaiveDate::parse_from_str(form.day.trim(), "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(form.day.trim(), "%d/%m/%Y"))
    {
        Ok(day) => add_slot(
            &state.db,
            &ctx.operator,
            &ctx.campaign,
            form.point_id,
            day,
            &form.starts_at,
            &form.ends_at,
        )
        .await
        .map(|s| {
            format!(
                "Đã thêm khung giờ {} {}–{}.",
                s.day.format("%d/%m/%Y"),
                s.starts_at,
                s.ends_at
            )
        }),
        Err(_) => Err(AppError::Invalid("Ngày: ghi dạng dd/mm/yyyy.".into())),
    };
    after_change(&state, &user, ctx, result).await
}

#[derive(Deserialize)]
struct AssignForm {
    slot_id: i32,
    khu_pho: String,
}

async fn invite_khu_pho(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((slug, ward_id)): Path<(String, i32)>,
    Form(form): Form<AssignForm>,
) -> AppResult<Response> {
    let ctx = context(&state, &user, &slug, ward_id).await?;
    let label = if form.khu_pho.is_empty() {
        "người chưa ghi khu phố".to_owned()
    } else {
        form.khu_pho.clone()
    };
    let result = assign_slot(
        &state.db,
        &ctx.operator,
        &ctx.campaign,
        form.slot_id,
        &Invitees::KhuPho(form.khu_pho),
    )
    .await
    .map(|n| format!("Đã mời {n} suất quà của {label} vào khung giờ đã chọn."));
    after_change(&state, &user, ctx, result).await
}

async fn show_slips(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((slug, ward_id)): Path<(String, i32)>,
) -> AppResult<Html<String>> {
    let ctx = context(&state, &user, &slug, ward_id).await?;
    let slips = invitation_slips(&state.db, &ctx.operator, &ctx.campaign, &ctx.ward, None).await?;
    let title = format!("Giấy mời nhận quà · {}", display_name(&ctx.ward));
    Ok(Html(chamlo_slips::render_html(&title, &slips)))
}

async fn download_slips(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((slug, ward_id)): Path<(String, i32)>,
) -> AppResult<Response> {
    let ctx = context(&state, &user, &slug, ward_id).await?;
    let slips = invitation_slips(&state.db, &ctx.operator, &ctx.campaign, &ctx.ward, None).await?;
    let bytes = tokio::task::spawn_blocking(move || chamlo_slips::render_pdf(&slips))
        .await
        .map_err(|e| AppError::Other(e.into()))?
        .map_err(|e| AppError::Other(e.into()))?;
    let name = format!("giay-moi-{}-{}.pdf", ctx.campaign.slug, ctx.ward.id);
    Ok((
        [
            (CONTENT_TYPE, "application/pdf".to_owned()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// A follow-up list, printable.
#[derive(Template, WebTemplate)]
#[template(path = "follow_up.html")]
struct FollowUpPage {
    chrome: Chrome,
    campaign: campaign::Model,
    ward_name: String,
    base: String,
    title: String,
    home_visits: bool,
    groups: Vec<KhuPhoGroup>,
}

async fn follow_up_page(
    state: &AppState,
    user: &CurrentUser,
    slug: &str,
    ward_id: i32,
    which: FollowUp,
) -> AppResult<FollowUpPage> {
    let ctx = context(state, user, slug, ward_id).await?;
    let groups = follow_up_list(&state.db, &ctx.operator, &ctx.campaign, &ctx.ward, which).await?;
    let home_visits = which == FollowUp::HomeVisits;
    Ok(FollowUpPage {
        chrome: Chrome::for_user(user),
        base: format!("/campaigns/{slug}/wards/{ward_id}/distribution-day"),
        ward_name: display_name(&ctx.ward),
        campaign: ctx.campaign,
        title: if home_visits {
            "Danh sách phát quà tại nhà".to_owned()
        } else {
            "Danh sách chưa nhận quà".to_owned()
        },
        home_visits,
        groups,
    })
}

async fn show_home_visits(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((slug, ward_id)): Path<(String, i32)>,
) -> AppResult<FollowUpPage> {
    follow_up_page(&state, &user, &slug, ward_id, FollowUp::HomeVisits).await
}

async fn show_not_reached(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((slug, ward_id)): Path<(String, i32)>,
) -> AppResult<FollowUpPage> {
    follow_up_page(&state, &user, &slug, ward_id, FollowUp::NotYetReached).await
}

#[derive(Deserialize)]
struct HomeVisitForm {
    entry_id: i32,
    #[serde(default)]
    reason: String,
    /// "1" to visit at home, "0" to take the mark off.
    visit: String,
}

async fn mark_home_visit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((slug, ward_id)): Path<(String, i32)>,
    Form(form): Form<HomeVisitForm>,
) -> AppResult<Redirect> {
    let ctx = context(&state, &user, &slug, ward_id).await?;
    let visit = form.visit == "1";
    set_home_visit(
        &state.db,
        &ctx.operator,
        &ctx.campaign,
        form.entry_id,
        Some(form.reason.as_str()),
        visit,
    )
    .await?;
    let list = if visit { "home-visits" } else { "not-reached" };
    Ok(Redirect::to(&format!(
        "/campaigns/{slug}/wards/{ward_id}/distribution-day/{list}"
    )))
}

async fn download_messages(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((slug, ward_id)): Path<(String, i32)>,
) -> AppResult<Response> {
    let ctx = context(&state, &user, &slug, ward_id).await?;
    let csv = message_csv(&state.db, &ctx.operator, &ctx.campaign, &ctx.ward).await?;
    let name = format!("tin-nhan-{}-{}.csv", ctx.campaign.slug, ctx.ward.id);
    Ok((
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        csv,
    )
        .into_response())
}
