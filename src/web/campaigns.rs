//! A campaign's page. Supervising staff get the dashboard: every ward's list (submitted,
//! approved), people, money and the share received, drawn as bars in inline SVG, how each
//! program was paid when one pays by transfer (the settlement), with the
//! links to review duplicates, programs and exports. A ward officer goes straight to their
//! ward's list. Also creating a campaign, opening, locking and closing it (each after a
//! confirmation page with the counts, `status_confirm`), and starting next year's campaign
//! from it with its lists carried forward.

pub mod kept;
mod status_confirm;
mod ward_table;

use std::sync::Arc;
use std::time::Instant;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

use crate::domain::approvers;
use crate::domain::campaigns::{
    NewCampaign, RequestedUnit, create_campaign, set_campaign_status, visible_campaign,
};
use crate::domain::carry_forward;
use crate::domain::list_entries::list_statuses;
use crate::domain::progress::{Tally, ward_tallies};
use crate::domain::units::{display_name, valid_in_year};
use crate::entities::campaign;
use crate::entities::states::{CampaignStatus, ListStatus, Role, UnitLevel};
use crate::error::{AppError, AppResult};
use crate::web::AppState;
use crate::web::layout::{Chrome, money, operator, visible_campaign_for};
use crate::web::session::CurrentUser;
use kept::DashboardFigures;
use ward_table::{NO_LIST, WardProgress, WardTable, WardTableQuery, ward_table};

/// `/campaigns` (create) and `/campaigns/{slug}`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/campaigns", post(add_campaign))
        .route("/campaigns/{slug}", get(show_campaign))
        .route(
            "/campaigns/{slug}/status",
            get(status_confirm::confirm_campaign_status).post(change_campaign_status),
        )
        .route("/campaigns/{slug}/next", post(start_next_campaign))
}

/// The query string of the campaign page after a good POST.
#[derive(Debug, Default, Deserialize)]
pub struct CampaignNotice {
    /// What was just done.
    #[serde(default)]
    pub notice: String,
    /// Lists carried forward.
    #[serde(default)]
    pub lists: Option<usize>,
    /// Gifts carried forward.
    #[serde(default)]
    pub entries: Option<usize>,
    /// Gifts left behind (deceased, moved).
    #[serde(default)]
    pub left: Option<usize>,
    /// People of a split ward whose khu phố does not say which new ward they are in.
    #[serde(default)]
    pub unresolved: Option<usize>,
}

impl CampaignNotice {
    fn text(&self) -> String {
        // After a status change the notice is the new status.
        if let Some(status) = CampaignStatus::parse(&self.notice) {
            return match status {
                CampaignStatus::Open => {
                    "Đã mở đợt quà: các phường có thể tải lên và sửa danh sách.".into()
                }
                CampaignStatus::Locked => {
                    "Đã khóa đợt quà: danh sách không thay đổi nữa, việc cấp phát vẫn tiếp tục."
                        .into()
                }
                CampaignStatus::Closed => {
                    "Đã kết thúc đợt quà: không ghi nhận thay đổi nào nữa.".into()
                }
            };
        }
        match self.notice.as_str() {
            "chuyen" => {
                let mut text = format!(
                    "Đã tạo đợt quà mới và chuyển {} danh sách phường, {} suất quà từ đợt trước \
                     ({} người không còn nhận: đã mất hoặc chuyển đi). Các danh sách ở trạng \
                     thái nháp để phường cập nhật.",
                    self.lists.unwrap_or_default(),
                    self.entries.unwrap_or_default(),
                    self.left.unwrap_or_default()
                );
                if let Some(count) = self.unresolved.filter(|&n| n > 0) {
                    text.push_str(&format!(
                        " {count} người thuộc phường cũ đã chia cho nhiều phường mới chưa được \
                         chuyển vì khu phố của họ chưa cho biết phường mới: hãy nhập khu phố \
                         nào về phường nào (chamlo units quarter) rồi chuyển lại."
                    ));
                }
                text
            }
            _ => String::new(),
        }
    }
}

/// The campaign dashboard.
#[derive(Template, WebTemplate)]
#[template(path = "campaign.html")]
struct CampaignPage {
    chrome: Chrome,
    campaign: campaign::Model,
    /// The wards, a page at a time, narrowed by their list's status.
    wards: WardTable,
    lists_total: usize,
    lists_submitted: usize,
    lists_approved: usize,
    people: i64,
    amount: String,
    received_amount: String,
    received_pct: i64,
    /// The campaign's status in Vietnamese.
    status_label: &'static str,
    /// Whether the user runs this campaign (opens, locks, closes, carries it forward).
    manages: bool,
    /// Who runs it and approves its lists, in words ("Thành phố duyệt theo lĩnh vực").
    approvers_label: String,
    /// The unit running it.
    runner_name: String,
    /// The year suggested for the next campaign.
    next_year: i32,
    notice: String,
    /// How each program's gifts were paid, when any program pays by transfer.
    settlement: Vec<crate::web::home::SettlementCard>,
}

fn percent(part: i64, whole: i64) -> i64 {
    if whole <= 0 {
        0
    } else {
        (part * 100 + whole / 2) / whole
    }
}

async fn show_campaign(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    Query(notice): Query<CampaignNotice>,
    Query(table): Query<WardTableQuery>,
) -> AppResult<Response> {
    let op = operator(&user);
    let campaign = visible_campaign_for(&state.db, &user, &slug).await?;
    if user.role == Role::Ward {
        let ward_id = user.user.unit_id.ok_or_else(AppError::outside_scope)?;
        return Ok(
            Redirect::to(&format!("/campaigns/{}/wards/{ward_id}", campaign.slug)).into_response(),
        );
    }
    let figures = match state.dashboards.get(campaign.id, &user.scope) {
        Some(kept) => kept,
        None => {
            let made = Instant::now();
            let figures = Arc::new(dashboard_figures(&state, &user, &campaign).await?);
            state
                .dashboards
                .put(campaign.id, &user.scope, made, Arc::clone(&figures));
            figures
        }
    };
    Ok(CampaignPage {
        chrome: Chrome::for_user(&user),
        lists_total: figures.lists_total,
        lists_submitted: figures.lists_submitted,
        lists_approved: figures.lists_approved,
        people: figures.total.planned_people,
        amount: money(figures.total.planned_amount),
        received_amount: money(figures.total.received_amount),
        received_pct: percent(figures.total.received_people, figures.total.planned_people),
        status_label: campaign.status.label(),
        manages: op.ensure_manages(&campaign).is_ok(),
        approvers_label: approvers::approvers_of(&user.units, &campaign).label(),
        runner_name: approvers::campaign_unit(&user.units, &campaign)
            .map(display_name)
            .unwrap_or_default(),
        next_year: campaign.year + 1,
        notice: notice.text(),
        settlement: figures.settlement.clone(),
        wards: ward_table(&campaign.slug, &figures.wards, &table),
        campaign,
    }
    .into_response())
}

/// The dashboard's figures of `campaign` in the user's scope, read from the database: the
/// list statuses, the tallies and the settlement, folded into every ward in scope (sorted by
/// name) and their totals.
async fn dashboard_figures(
    state: &AppState,
    user: &CurrentUser,
    campaign: &campaign::Model,
) -> AppResult<DashboardFigures> {
    let lists = list_statuses(&state.db, &user.scope, campaign.id).await?;
    let tallies = ward_tallies(&state.db, &user.scope, campaign.id).await?;
    let covered = approvers::covered_units(&user.units, campaign);
    let mut total = Tally::default();
    for tally in tallies.values() {
        total.merge(tally);
    }
    let mut wards: Vec<WardProgress> = user
        .units
        .iter()
        .filter(|u| u.level == UnitLevel::Ward && user.scope.allows(u.id))
        .filter(|u| covered.contains(&u.id))
        .filter(|u| valid_in_year(u, campaign.year) || lists.contains_key(&u.id))
        .map(|u| {
            let status = lists.get(&u.id).copied();
            let tally = tallies.get(&u.id).copied().unwrap_or_default();
            WardProgress {
                ward_id: u.id,
                name: display_name(u),
                status: status.map_or(NO_LIST, ListStatus::as_str).to_owned(),
                status_label: status
                    .map_or("Chưa có danh sách", ListStatus::label)
                    .to_owned(),
                people: tally.planned_people,
                amount: money(tally.planned_amount),
                received: tally.received_people,
                received_pct: percent(tally.received_people, tally.planned_people),
                not_received_pct: percent(tally.not_received_people, tally.planned_people),
            }
        })
        .collect();
    wards.sort_by_cached_key(|w| crate::vn::text::fold_key(&w.name));
    let count = |status: ListStatus| lists.values().filter(|s| **s == status).count();
    Ok(DashboardFigures {
        wards,
        lists_total: lists.len(),
        lists_submitted: count(ListStatus::Submitted),
        lists_approved: count(ListStatus::Approved),
        total,
        settlement: crate::web::home::settlement_cards(&state.db, &user.scope, campaign.id).await?,
    })
}

/// The create-campaign form on the home page.
#[derive(Deserialize)]
struct CampaignForm {
    year: String,
    #[serde(default)]
    title: String,
    /// The id of the unit to run it (the city, or one ward for its own program); empty lets
    /// the domain choose.
    #[serde(default)]
    unit: String,
}

async fn add_campaign(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<CampaignForm>,
) -> AppResult<Redirect> {
    let op = operator(&user);
    let year: i32 = form.year.trim().parse().map_err(|_| {
        AppError::Invalid(format!(
            "Năm “{}” không hợp lệ: hãy nhập năm dương lịch của Tết, ví dụ 2026.",
            form.year.trim()
        ))
    })?;
    let unit = match form.unit.trim() {
        "" => None,
        text => Some(RequestedUnit::Id(text.parse().map_err(|_| {
            AppError::Invalid("Đơn vị tổ chức đợt quà không hợp lệ.".into())
        })?)),
    };
    let created = create_campaign(
        &state.db,
        &op,
        NewCampaign {
            year,
            title: Some(form.title),
            unit,
        },
    )
    .await?;
    Ok(Redirect::to(&format!("/campaigns/{}", created.slug)))
}

/// The open / lock / close buttons.
#[derive(Deserialize)]
struct StatusForm {
    status: String,
}

async fn change_campaign_status(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    Form(form): Form<StatusForm>,
) -> AppResult<Redirect> {
    let op = operator(&user);
    let campaign = visible_campaign(&state.db, &op, &slug).await?;
    let updated = set_campaign_status(&state.db, &op, &campaign, &form.status).await?;
    Ok(Redirect::to(&format!(
        "/campaigns/{}?notice={}",
        updated.slug,
        updated.status.as_str()
    )))
}

/// The "next year's campaign" form.
#[derive(Deserialize)]
struct NextCampaignForm {
    year: String,
    #[serde(default)]
    title: String,
}

/// Creates the next campaign of the same unit and carries this one's lists into it, as
/// `chamlo campaign create --carry-from` does, but in one transaction: a refusal leaves no
/// half-made campaign behind.
async fn start_next_campaign(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    Form(form): Form<NextCampaignForm>,
) -> AppResult<Redirect> {
    let op = operator(&user);
    let from = visible_campaign(&state.db, &op, &slug).await?;
    let year: i32 = form.year.trim().parse().map_err(|_| {
        AppError::Invalid(format!(
            "Năm “{}” không hợp lệ: hãy nhập năm dương lịch của Tết, ví dụ {}.",
            form.year.trim(),
            from.year + 1
        ))
    })?;
    let new = NewCampaign {
        year,
        title: Some(form.title),
        unit: None,
    };
    let (made, summary) = carry_forward::start_next_campaign(&state.db, &op, &from, new).await?;
    Ok(Redirect::to(&format!(
        "/campaigns/{}?notice=chuyen&lists={}&entries={}&left={}&unresolved={}",
        made.slug,
        summary.lists_created,
        summary.entries_copied,
        summary.people_left_behind,
        summary.unresolved.len()
    )))
}
