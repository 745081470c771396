//! How an [`AppError`] answers a browser: the status code its kind stands for, and a plain
//! Vietnamese page. The domain only says what went wrong; choosing HTTP statuses and drawing
//! pages is the web layer's business, so it lives here (the API answers the same errors as
//! JSON, see `web::api::ApiError`).

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};

use crate::error::AppError;

/// The status code an error answers with, for pages and the API alike.
pub fn error_status(err: &AppError) -> StatusCode {
    match err {
        AppError::Unauthorized => StatusCode::UNAUTHORIZED,
        AppError::Forbidden(_) => StatusCode::FORBIDDEN,
        AppError::NotFound(_) => StatusCode::NOT_FOUND,
        AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
        AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
        AppError::Db(_) | AppError::Other(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// What an error page said, attached to its response so a layer that knows the user can draw
/// the same message again inside the user's frame (see `web::middleware::frame_error_pages`).
#[derive(Debug, Clone)]
pub struct ShownError {
    /// The status code.
    pub status: u16,
    /// The message shown, already safe for users.
    pub message: String,
}

/// The page shown for an error.
#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    status: u16,
    message: String,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if matches!(self, AppError::Unauthorized) {
            return Redirect::to("/login").into_response();
        }
        let status = error_status(&self);
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        let page = ErrorPage {
            status: status.as_u16(),
            message: self.user_message(),
        };
        let shown = ShownError {
            status: page.status,
            message: page.message.clone(),
        };
        let mut response = match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => (status, page.message).into_response(),
        };
        response.extensions_mut().insert(shown);
        response
    }
}
