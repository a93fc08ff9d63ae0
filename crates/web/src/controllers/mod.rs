//! Request handlers, one module per area, and the extractors they share: form, query and path
//! extractors whose rejection is a Chinese error page, never axum's plain-text message.

pub mod console;
pub mod login;
pub mod ops;
pub mod portal;

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::WebError;

/// `axum::Form` whose rejection is a [`WebError::BadForm`] (a Chinese page), never axum's
/// plain-text message.
#[derive(Debug, Clone)]
pub struct WebForm<T>(pub T);

impl<S, T> FromRequest<S> for WebForm<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, WebError> {
        match axum::Form::<T>::from_request(req, state).await {
            Ok(axum::Form(value)) => Ok(WebForm(value)),
            Err(rejection) => Err(WebError::BadForm(rejection.body_text())),
        }
    }
}

/// `axum::extract::Query` whose rejection is a [`WebError::BadForm`].
#[derive(Debug, Clone)]
pub struct WebQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for WebQuery<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, WebError> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(WebQuery(value)),
            Err(rejection) => Err(WebError::BadForm(rejection.body_text())),
        }
    }
}

/// `axum::extract::Path` whose rejection (a segment that is not valid UTF-8, say) is a
/// [`WebError::NotFound`]: no page has such an address.
#[derive(Debug, Clone)]
pub struct WebPath<T>(pub T);

impl<S, T> FromRequestParts<S> for WebPath<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Send,
{
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, WebError> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(WebPath(value)),
            Err(_) => Err(WebError::NotFound),
        }
    }
}
