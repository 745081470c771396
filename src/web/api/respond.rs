//! How the API answers besides a plain `Json`: every error as `{"error": "…"}` with the
//! status its kind stands for (a script reads one shape whatever went wrong), and 201 Created.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::AppError;
use crate::web::error_page::error_status;

/// The body of every API error.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// What went wrong, in Vietnamese.
    pub error: String,
}

/// An [`AppError`] answered as JSON instead of a page.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(err: E) -> Self {
        ApiError(err.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = error_status(&self.0);
        if status.is_server_error() {
            tracing::error!(error = %self.0, "API request failed");
        }
        let error = match &self.0 {
            AppError::Unauthorized => {
                "Chưa đăng nhập hoặc mã truy cập không hợp lệ, đã bị thu hồi.".to_owned()
            }
            other => other.user_message(),
        };
        (status, Json(ErrorBody { error })).into_response()
    }
}

/// What API handlers return.
pub type ApiResult<T> = Result<T, ApiError>;

/// Answers 201 Created with a JSON body.
pub fn created<T: Serialize>(body: T) -> Response {
    (StatusCode::CREATED, Json(body)).into_response()
}
