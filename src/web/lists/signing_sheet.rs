//! Downloading a ward's signing sheet for one program: the workbook the recipients sign
//! when they receive their gifts.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;

use super::load_context;
use crate::domain::exports::{export_signing_sheets, find_program};
use crate::error::AppResult;
use crate::web::AppState;
use crate::web::layout::{operator, xlsx_download};
use crate::web::session::CurrentUser;

/// Which program's sheet to download.
#[derive(Deserialize)]
pub(super) struct SheetQuery {
    #[serde(default)]
    program: String,
}

pub(super) async fn download_signing_sheet(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((slug, ward_id)): Path<(String, i32)>,
    Query(query): Query<SheetQuery>,
) -> AppResult<Response> {
    let context = load_context(&state, &user, &slug, ward_id).await?;
    let program = find_program(&state.db, &context.campaign, Some(&query.program)).await?;
    let file = export_signing_sheets(
        &state.db,
        &operator(&user),
        &context.campaign,
        Some(&context.ward),
        &program,
    )
    .await?;
    Ok(xlsx_download(&file.file_name, file.bytes))
}
