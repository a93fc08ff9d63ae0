//! Request handlers, one module per area, and the extractors they share: form, query and path
//! extractors whose rejection is a Chinese error page, never axum's plain-text message. The
//! form and query extractors check every value against its [`Bounded`] bound first, so no
//! handler (and no database) sees an over-long value or a control character.

pub mod apply;
pub mod console;
pub mod login;
pub mod office;
pub mod ops;
pub mod portal;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use serde::de::DeserializeOwned;

use crate::WebError;
use crate::validate::{self, Bounded};

/// Decodes `application/x-www-form-urlencoded` text after checking every pair's bound.
fn decode_bounded<T: DeserializeOwned + Bounded>(bytes: &[u8]) -> Result<T, WebError> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_bytes(bytes).map_err(|e| WebError::BadForm(e.to_string()))?;
    validate::pairs(T::FIELDS, &pairs).map_err(WebError::Invalid)?;
    serde_urlencoded::from_bytes(bytes).map_err(|e| WebError::BadForm(e.to_string()))
}

/// A url-encoded form body, each field within its bound; a body over the size limit is
/// [`WebError::TooLarge`] (413), anything unreadable [`WebError::BadForm`].
#[derive(Debug, Clone)]
pub struct WebForm<T>(pub T);

impl<S, T> FromRequest<S> for WebForm<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Bounded,
{
    type Rejection = WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, WebError> {
        let form = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if !form {
            return Err(WebError::BadForm("not a url-encoded form".into()));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            match rejection.status() {
                StatusCode::PAYLOAD_TOO_LARGE => WebError::TooLarge,
                _ => WebError::BadForm(rejection.body_text()),
            }
        })?;
        decode_bounded(&bytes).map(WebForm)
    }
}

/// A query string, each field within its bound.
#[derive(Debug, Clone)]
pub struct WebQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for WebQuery<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Bounded,
{
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, WebError> {
        let query = parts.uri.query().unwrap_or_default();
        decode_bounded(query.as_bytes()).map(WebQuery)
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
