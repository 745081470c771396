//! The API's extractors for a JSON body, a query string and path values. axum's own answer a
//! wrong input in plain text with statuses of their own; these answer as every other API
//! error does, `{"error": "Yêu cầu không hợp lệ: …"}` with 422, so a script reads one shape
//! of error and handlers take their input in one line.

use std::fmt::Display;

use axum::Json;
use axum::extract::{FromRequest, FromRequestParts, OptionalFromRequest, Path, Query, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use super::ApiError;
use crate::error::AppError;

/// A JSON body. Taken as `Option<ApiJson<T>>`, a request without a body is `None`; a body
/// that is there must still be valid.
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

/// The query string's values.
#[derive(Debug)]
pub struct ApiQuery<T>(pub T);

/// The path's values.
#[derive(Debug)]
pub struct ApiPath<T>(pub T);

/// Turns an extractor's rejection (bad JSON, a wrong path or query value) into a JSON 422.
fn rejected(rejection: impl Display) -> ApiError {
    ApiError(AppError::Invalid(format!(
        "Yêu cầu không hợp lệ: {rejection}"
    )))
}

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        let Json(value) = <Json<T> as FromRequest<S>>::from_request(request, state)
            .await
            .map_err(rejected)?;
        Ok(Self(value))
    }
}

impl<T, S> OptionalFromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Option<Self>, ApiError> {
        let body = <Json<T> as OptionalFromRequest<S>>::from_request(request, state)
            .await
            .map_err(rejected)?;
        Ok(body.map(|Json(value)| Self(value)))
    }
}

impl<T, S> FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Query(value) = Query::from_request_parts(parts, state)
            .await
            .map_err(rejected)?;
        Ok(Self(value))
    }
}

impl<T, S> FromRequestParts<S> for ApiPath<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Path(value) = Path::from_request_parts(parts, state)
            .await
            .map_err(rejected)?;
        Ok(Self(value))
    }
}
