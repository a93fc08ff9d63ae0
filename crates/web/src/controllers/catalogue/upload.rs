//! The import forms' body: either `multipart/form-data` with a sheet file (CSV, XLSX, XLS:
//! what it is is decided by its bytes, in [`super::sheet`]) or a url-encoded form with the
//! sheet pasted as text. Text fields are checked against `T`'s bounds before `T` is decoded,
//! as [`crate::controllers::WebForm`] does; a file over [`MAX_SHEET_BYTES`] is kept aside as a
//! problem so the page can say so at the field.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{StatusCode, header};
use serde::de::DeserializeOwned;

use super::sheet::MAX_SHEET_BYTES;
use crate::WebError;
use crate::validate::{self, Bounded};

/// The body limit of the import routes: a sheet file and the form around it.
pub const IMPORT_BODY_LIMIT: usize = MAX_SHEET_BYTES + 512 * 1024;

/// An import form: its text fields, and the file if one was sent.
#[derive(Debug, Clone)]
pub struct SheetUpload<T> {
    /// The text fields.
    pub form: T,
    /// The file's bytes, if a file was chosen.
    pub file: Option<Vec<u8>>,
    /// Why a file that was sent cannot be read.
    pub problem: Option<&'static str>,
}

impl<S, T> FromRequest<S> for SheetUpload<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Bounded,
{
    type Rejection = WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, WebError> {
        let content_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let mut pairs: Vec<(String, String)> = Vec::new();
        let mut file = None;
        let mut problem = None;
        if content_type.starts_with("multipart/form-data") {
            let mut multipart = axum::extract::Multipart::from_request(req, state)
                .await
                .map_err(|e| WebError::BadForm(e.body_text()))?;
            let too_large = |e: axum::extract::multipart::MultipartError| match e.status() {
                StatusCode::PAYLOAD_TOO_LARGE => WebError::TooLarge,
                _ => WebError::BadForm(e.body_text()),
            };
            while let Some(field) = multipart.next_field().await.map_err(too_large)? {
                if pairs.len() >= validate::MAX_FIELDS {
                    return Err(WebError::Invalid("提交的项目过多。".into()));
                }
                let name = field.name().unwrap_or_default().to_owned();
                if field.file_name().is_some() {
                    let bytes = field.bytes().await.map_err(too_large)?;
                    if bytes.is_empty() {
                        continue; // no file chosen
                    }
                    if file.is_some() || problem.is_some() {
                        return Err(WebError::Invalid("一次只能导入一个文件。".into()));
                    }
                    if bytes.len() > MAX_SHEET_BYTES {
                        problem = Some("文件不能超过 2 MB。请删去空行和图片，或分成几个文件导入。");
                    } else {
                        file = Some(bytes.to_vec());
                    }
                } else {
                    pairs.push((name, field.text().await.map_err(too_large)?));
                }
            }
        } else if content_type.starts_with("application/x-www-form-urlencoded") {
            let bytes =
                Bytes::from_request(req, state).await.map_err(|rejection| {
                    match rejection.status() {
                        StatusCode::PAYLOAD_TOO_LARGE => WebError::TooLarge,
                        _ => WebError::BadForm(rejection.body_text()),
                    }
                })?;
            pairs = serde_urlencoded::from_bytes(&bytes)
                .map_err(|e| WebError::BadForm(e.to_string()))?;
        } else {
            return Err(WebError::BadForm(
                "neither a form nor a multipart form".into(),
            ));
        }
        validate::pairs(T::FIELDS, &pairs).map_err(WebError::Invalid)?;
        let encoded =
            serde_urlencoded::to_string(&pairs).map_err(|e| WebError::BadForm(e.to_string()))?;
        let form =
            serde_urlencoded::from_str(&encoded).map_err(|e| WebError::BadForm(e.to_string()))?;
        Ok(SheetUpload {
            form,
            file,
            problem,
        })
    }
}
