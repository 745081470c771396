//! The confirmation step before a campaign is locked, closed or opened again: the campaign
//! page's buttons open this page (a GET, so nothing changes and no script is needed), which
//! says what will happen to the lists and gifts, with the counts, and carries the real POST.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use serde::Deserialize;

use crate::domain::campaigns::visible_campaign;
use crate::domain::list_review::{CampaignStatusPreview, preview_campaign_status};
use crate::entities::campaign;
use crate::entities::states::CampaignStatus;
use crate::error::{AppError, AppResult};
use crate::web::AppState;
use crate::web::layout::{Chrome, money, operator};
use crate::web::session::CurrentUser;

/// `?status=open|locked|closed`.
#[derive(Deserialize)]
pub(super) struct StatusQuery {
    #[serde(default)]
    status: String,
}

/// The confirmation page.
#[derive(Template, WebTemplate)]
#[template(path = "campaign_status_confirm.html")]
pub(super) struct ConfirmStatusPage {
    chrome: Chrome,
    campaign: campaign::Model,
    /// The status asked for ("open", "locked", "closed").
    status: &'static str,
    preview: CampaignStatusPreview,
    amount: String,
}

pub(super) async fn confirm_campaign_status(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    Query(query): Query<StatusQuery>,
) -> AppResult<ConfirmStatusPage> {
    let op = operator(&user);
    let campaign = visible_campaign(&state.db, &op, &slug).await?;
    let status = CampaignStatus::parse(&query.status).ok_or_else(|| {
        AppError::Invalid(format!(
            "Trạng thái “{}” không hợp lệ.",
            query.status.trim()
        ))
    })?;
    let preview = preview_campaign_status(&state.db, &op, &campaign, status).await?;
    Ok(ConfirmStatusPage {
        chrome: Chrome::for_user(&user),
        status: status.as_str(),
        amount: money(preview.amount),
        preview,
        campaign,
    })
}
