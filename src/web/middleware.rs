//! Cross-cutting request handling: refusing cross-site form posts, logging requests, and
//! drawing error pages inside the logged-in user's frame.

use std::time::Instant;

use askama::Template;
use axum::extract::{Request, State};
use axum::http::header::{HOST, ORIGIN};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use axum_extra::extract::cookie::CookieJar;

use crate::error::AppError;
use crate::web::AppState;
use crate::web::error_page::ShownError;
use crate::web::layout::Chrome;
use crate::web::session::{CurrentUser, session_token};

/// Refuses unsafe methods coming from another site. The session cookie is SameSite=Strict
/// already; this is the second lock: `Sec-Fetch-Site: cross-site`, or an `Origin` whose host
/// differs from `Host`, gets 403.
pub async fn reject_cross_site(request: Request, next: Next) -> Response {
    let unsafe_method = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if unsafe_method && is_cross_site(request.headers()) {
        return (
            StatusCode::FORBIDDEN,
            "Yêu cầu bị từ chối: biểu mẫu được gửi từ một trang web khác.",
        )
            .into_response();
    }
    next.run(request).await
}

fn is_cross_site(headers: &axum::http::HeaderMap) -> bool {
    let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
    if header("sec-fetch-site") == Some("cross-site") {
        return true;
    }
    match (header(ORIGIN.as_str()), header(HOST.as_str())) {
        (Some("null"), _) => true,
        (Some(origin), Some(host)) => {
            let origin_host = origin.split_once("://").map_or(origin, |(_, rest)| rest);
            origin_host.trim_end_matches('/') != host
        }
        _ => false,
    }
}

/// Logs method, path (never the query string, which may hold a searched ID), status and time.
pub async fn log_request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    tracing::info!(
        %method,
        path = %path,
        status = response.status().as_u16(),
        ms = started.elapsed().as_millis() as u64,
        "request"
    );
    response
}

/// An error page inside the frame of the logged-in user.
#[derive(Template)]
#[template(path = "error_framed.html")]
struct FramedErrorPage {
    chrome: Chrome,
    status: u16,
    message: String,
}

/// Draws error pages (403, 404, 413, 422, 5xx…) again inside the user's frame, so their
/// name, role and unit stay at the top and the menu leads on. `AppError` renders a bare page
/// and marks its response with [`ShownError`]; only such responses of requests carrying a
/// session are redrawn, so handlers stay as they are, the login redirect is untouched, and
/// the JSON errors of `/api` are never seen here. The user is loaded only on that error
/// path: ordinary pages pay nothing.
pub async fn frame_error_pages(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    if path.starts_with("/api/") || path.starts_with("/static/") {
        return next.run(request).await;
    }
    let token = session_token(&CookieJar::from_headers(request.headers()));
    let response = next.run(request).await;
    let (Some(shown), Some(token)) = (response.extensions().get::<ShownError>(), token) else {
        return response;
    };
    let user = match CurrentUser::from_session(
        &state.db,
        &state.units,
        &token,
        state.config.session_hours,
    )
    .await
    {
        Ok(Some(user)) => user,
        // Logged out meanwhile, or the database is what failed: keep the bare page.
        _ => return response,
    };
    let page = FramedErrorPage {
        chrome: Chrome::for_user(&user),
        status: shown.status,
        message: shown.message.clone(),
    };
    match page.render() {
        Ok(html) => {
            let mut framed = (response.status(), Html(html)).into_response();
            framed.extensions_mut().insert(shown.clone());
            framed
        }
        Err(_) => response,
    }
}

/// The answer for an address no route knows: a Vietnamese 404 page (framed like the others),
/// or the API's JSON error under `/api/`.
pub async fn page_not_found(uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        return crate::web::api::ApiError(AppError::NotFound("Không có địa chỉ API này.".into()))
            .into_response();
    }
    AppError::NotFound(
        "Không tìm thấy trang này. Có thể đường dẫn đã cũ hoặc gõ nhầm; hãy bắt đầu lại từ \
         trang chủ."
            .into(),
    )
    .into_response()
}
