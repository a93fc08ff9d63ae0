//! Request handlers, one module per area, and the form extractor they share.

pub mod console;
pub mod login;
pub mod ops;
pub mod portal;

use axum::extract::{FromRequest, Request};
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
