//! One error type for every handler: what went wrong decides the status and the message.
//! 4xx errors say in Vietnamese what the user can do; 5xx errors are logged and the user
//! sees a plain apology, never internals.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use sea_orm::{DbErr, SqlErr};

/// The result of anything a handler calls.
pub type AppResult<T> = Result<T, AppError>;

/// Everything that can stop a request.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Not logged in: pages redirect to the login form.
    #[error("chưa đăng nhập")]
    Unauthorized,
    /// Logged in, but the thing belongs to a unit the user does not serve.
    #[error("{0}")]
    Forbidden(String),
    /// The thing does not exist (or is outside every scope).
    #[error("{0}")]
    NotFound(String),
    /// The request itself is malformed.
    #[error("{0}")]
    BadRequest(String),
    /// Input a user can fix (a form or a file), with the reason in Vietnamese.
    #[error("{0}")]
    Invalid(String),
    /// Too large an upload.
    #[error("{0}")]
    TooLarge(String),
    /// A database failure.
    #[error(transparent)]
    Db(#[from] DbErr),
    /// Anything else unexpected.
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

impl AppError {
    /// The status code this error answers with.
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Db(_) | AppError::Other(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The message safe to show a user: the reason for 4xx, an apology for 5xx.
    pub fn user_message(&self) -> String {
        match self {
            AppError::Db(_) | AppError::Other(_) => {
                "Xin lỗi, hệ thống gặp sự cố khi xử lý yêu cầu. Vui lòng thử lại sau \
                 hoặc báo cho quản trị viên."
                    .to_owned()
            }
            other => other.to_string(),
        }
    }

    /// The standard refusal for data outside the user's units.
    pub fn outside_scope() -> Self {
        AppError::Forbidden("Bạn không có quyền truy cập dữ liệu của đơn vị này.".into())
    }

    /// Turns a unique-constraint violation into `Invalid(message)`, leaving other errors as they are.
    pub fn on_unique_violation(err: DbErr, message: &str) -> Self {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => AppError::Invalid(message.to_owned()),
            _ => AppError::Db(err),
        }
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
        let status = self.status();
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
            Ok(html) => (status, axum::response::Html(html)).into_response(),
            Err(_) => (status, page.message).into_response(),
        };
        response.extensions_mut().insert(shown);
        response
    }
}
