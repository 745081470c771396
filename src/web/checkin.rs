//! The check-in page for a ward officer at a point (phone first): scan a slip's QR with the
//! phone's camera or type its code, see the person and the gift, and record it received (or
//! received by a proxy) in one tap. The page's script talks to `/api/campaigns/{slug}/checkin`
//! with the session, keeps scans in the phone's storage while the network is down and sends
//! them when it returns; the server records each scan once. The QR decoder is served from
//! here (the browser's BarcodeDetector where it exists, else the bundled jsQR): no CDN.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::IntoResponse;
use axum::routing::get;

use crate::entities::campaign;
use crate::error::AppResult;
use crate::web::AppState;
use crate::web::layout::{Chrome, operator};
use crate::web::session::CurrentUser;

const CHECKIN_JS: &str = include_str!("../../static/checkin.js");
const CHECKIN_CSS: &str = include_str!("../../static/checkin.css");
/// jsQR 1.4.0 (Apache-2.0, static/vendor/jsQR-LICENSE.txt), for browsers without
/// BarcodeDetector.
const JSQR_JS: &str = include_str!("../../static/vendor/jsQR.js");

/// The check-in page and its script, style and decoder.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/campaigns/{slug}/checkin", get(show_checkin))
        .route(
            "/static/checkin.js",
            get(|| asset("text/javascript", CHECKIN_JS)),
        )
        .route(
            "/static/checkin.css",
            get(|| asset("text/css", CHECKIN_CSS)),
        )
        .route(
            "/static/vendor/jsQR.js",
            get(|| asset("text/javascript", JSQR_JS)),
        )
}

async fn asset(kind: &'static str, body: &'static str) -> impl IntoResponse {
    (
        [
            (CONTENT_TYPE, format!("{kind}; charset=utf-8")),
            (CACHE_CONTROL, "public, max-age=3600".to_owned()),
        ],
        body,
    )
}

/// The page: the script does the rest.
#[derive(Template, WebTemplate)]
#[template(path = "checkin.html")]
struct CheckinPage {
    chrome: Chrome,
    campaign: campaign::Model,
}

async fn show_checkin(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(slug): Path<String>,
) -> AppResult<CheckinPage> {
    let op = operator(&user);
    let campaign = crate::domain::campaigns::visible_campaign(&state.db, &op, &slug).await?;
    Ok(CheckinPage {
        chrome: Chrome::for_user(&user),
        campaign,
    })
}
