//! Downloads for supervising staff: the signing sheets of every ward in one workbook, per
//! program, and the reports workbook. Each export is audited by `domain::exports`.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Deserialize;

use crate::domain::campaigns::visible_campaign;
use crate::domain::exports::{export_report, export_signing_sheets, find_program};
use crate::entities::states::Role;
use crate::entities::{campaign, gift_program};
use crate::error::AppResult;
use crate::web::AppState;
use crate::web::layout::{Chrome, operator, xlsx_download};
use crate::web::session::CurrentUser;

/// `/campaigns/{slug}/exports…`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/campaigns/{slug}/exports", get(show_exports))
        .route(
            "/campaigns/{slug}/exports/signing-sheets",
            get(download_all_signing_sheets),
        )
        .route("/campaigns/{slug}/exports/report", get(download_report))
}

/// The exports page.
#[derive(Template, WebTemplate)]
#[template(path = "exports.html")]
struct ExportsPage {
    chrome: Chrome,
    campaign: campaign::Model,
    programs: Vec<gift_program::Model>,
    /// Where a signed sheet of any ward is uploaded.
    signed_action: String,
    upload_max_mb: usize,
    upload_max_bytes: usize,
    signed_date: String,
}

async fn show_exports(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
) -> AppResult<ExportsPage> {
    let op = operator(&user);
    op.require_role(&[Role::Admin, Role::District])?;
    let campaign = visible_campaign(&state.db, &op, &slug).await?;
    let programs = gift_program::Entity::find()
        .filter(gift_program::Column::CampaignId.eq(campaign.id))
        .order_by_asc(gift_program::Column::Id)
        .all(&state.db)
        .await?;
    Ok(ExportsPage {
        chrome: Chrome::for_user(&user),
        signed_action: format!("/campaigns/{}/exports/signed-sheet", campaign.slug),
        upload_max_mb: state.config.max_upload_mb,
        upload_max_bytes: state.config.max_upload_mb.saturating_mul(1024 * 1024),
        signed_date: crate::domain::clock::vietnam_today().to_string(),
        campaign,
        programs,
    })
}

/// Which program.
#[derive(Deserialize)]
struct ProgramQuery {
    #[serde(default)]
    program: String,
}

async fn download_all_signing_sheets(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
    Query(query): Query<ProgramQuery>,
) -> AppResult<Response> {
    let op = operator(&user);
    op.require_role(&[Role::Admin, Role::District])?;
    let campaign = visible_campaign(&state.db, &op, &slug).await?;
    let program = find_program(&state.db, &campaign, Some(&query.program)).await?;
    let file = export_signing_sheets(&state.db, &op, &campaign, None, &program).await?;
    Ok(xlsx_download(&file.file_name, file.bytes))
}

async fn download_report(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let op = operator(&user);
    op.require_role(&[Role::Admin, Role::District])?;
    let campaign = visible_campaign(&state.db, &op, &slug).await?;
    let today = crate::domain::clock::vietnam_today();
    let file = export_report(&state.db, &op, &campaign, today).await?;
    Ok(xlsx_download(&file.file_name, file.bytes))
}
