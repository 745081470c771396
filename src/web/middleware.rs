//! Cross-cutting request handling: refusing cross-site form posts and logging requests.

use std::time::Instant;

use axum::extract::Request;
use axum::http::header::{HOST, ORIGIN};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

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
