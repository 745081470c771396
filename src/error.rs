//! One error type for the domain and every surface: what went wrong, as plain data. The
//! kind says whether the user can do something about it; the web layer turns it into a status
//! and a page or JSON (`web::error_page`), the command line into a message. 4xx kinds carry
//! the reason in Vietnamese; for the others the user sees a plain apology, never internals.

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
    /// The message safe to show a user: the reason when the user can act on it, else an
    /// apology (database and unexpected failures).
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
