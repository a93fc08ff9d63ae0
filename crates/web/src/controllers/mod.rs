//! Request handlers, one module per area, and the extractors they share: form, query and path
//! extractors whose rejection is a Chinese error page, never axum's plain-text message. The
//! form and query extractors check every value against its [`Bounded`] bound first, so no
//! handler (and no database) sees an over-long value or a control character.

pub mod apply;
pub mod catalogue;
pub mod computed;
pub mod console;
pub mod interact;
pub mod items;
pub mod login;
pub mod office;
pub mod ops;
pub mod portal;
pub mod reports;
pub mod search;
pub mod superior;

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

/// The largest file a form takes (a scan of an ID card or a letter).
pub const MAX_UPLOAD_BYTES: usize = 5 * 1024 * 1024;

/// A file sent with a `multipart/form-data` form, its type checked by its first bytes.
#[derive(Debug, Clone)]
pub struct Upload {
    /// The form field it came in.
    pub field: String,
    /// The name the browser gave, at most 100 characters, without any directory.
    pub file_name: String,
    /// `application/pdf`, `image/jpeg` or `image/png`.
    pub content_type: &'static str,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// The file types a scan may have, by signature: what the bytes are, not what the name says.
fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some("image/png")
    } else {
        None
    }
}

/// A file field that was sent but cannot be kept, with the Chinese reason.
#[derive(Debug, Clone)]
pub struct UploadProblem {
    /// The form field.
    pub field: String,
    /// Why.
    pub message: &'static str,
}

/// A `multipart/form-data` form: its text fields checked against `T`'s bounds and decoded
/// like [`WebForm`], its files (at most [`MAX_UPLOAD_BYTES`] each, PDF, JPEG or PNG) kept
/// aside, and the files it refused with a reason, so that the form can be shown again with the
/// typed values and a message at the file field. A field left empty sends no file.
#[derive(Debug, Clone)]
pub struct WebMultipart<T> {
    /// The text fields.
    pub form: T,
    /// The accepted files.
    pub uploads: Vec<Upload>,
    /// The refused files.
    pub problems: Vec<UploadProblem>,
}

impl<S, T> FromRequest<S> for WebMultipart<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Bounded,
{
    type Rejection = WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, WebError> {
        let mut multipart = axum::extract::Multipart::from_request(req, state)
            .await
            .map_err(|e| WebError::BadForm(e.body_text()))?;
        let mut pairs: Vec<(String, String)> = Vec::new();
        let mut uploads = Vec::new();
        let mut problems = Vec::new();
        let too_large = |e: axum::extract::multipart::MultipartError| match e.status() {
            StatusCode::PAYLOAD_TOO_LARGE => WebError::TooLarge,
            _ => WebError::BadForm(e.body_text()),
        };
        while let Some(field) = multipart.next_field().await.map_err(too_large)? {
            let name = field.name().unwrap_or_default().to_owned();
            if pairs.len() + uploads.len() >= validate::MAX_FIELDS {
                return Err(WebError::Invalid("提交的项目过多。".into()));
            }
            match field.file_name().map(str::to_owned) {
                Some(file_name) => {
                    let bytes = field.bytes().await.map_err(too_large)?;
                    if bytes.is_empty() && file_name.is_empty() {
                        continue; // the file field was left empty
                    }
                    let problem = if bytes.len() > MAX_UPLOAD_BYTES {
                        Some("文件不能超过 5 MB，请压缩或分页扫描后重新上传。")
                    } else if sniff(&bytes).is_none() {
                        Some("只能上传 PDF、JPG 或 PNG 格式的扫描件或照片。")
                    } else {
                        None
                    };
                    match (problem, sniff(&bytes)) {
                        (None, Some(content_type)) => uploads.push(Upload {
                            field: name,
                            file_name: clean_file_name(&file_name),
                            content_type,
                            bytes: bytes.to_vec(),
                        }),
                        (problem, _) => problems.push(UploadProblem {
                            field: name,
                            message: problem.unwrap_or("文件无法读取。"),
                        }),
                    }
                }
                None => {
                    let text = field.text().await.map_err(too_large)?;
                    pairs.push((name, text));
                }
            }
        }
        validate::pairs(T::FIELDS, &pairs).map_err(WebError::Invalid)?;
        let encoded =
            serde_urlencoded::to_string(&pairs).map_err(|e| WebError::BadForm(e.to_string()))?;
        let form =
            serde_urlencoded::from_str(&encoded).map_err(|e| WebError::BadForm(e.to_string()))?;
        Ok(WebMultipart {
            form,
            uploads,
            problems,
        })
    }
}

/// [`clean_file_name`], for the other upload extractors.
pub(crate) fn clean_upload_name(name: &str) -> String {
    clean_file_name(name)
}

/// A browser's file name without directories or control characters, at most 100 characters.
fn clean_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = base.chars().filter(|c| !c.is_control()).take(100).collect();
    if clean.is_empty() {
        "上传文件".into()
    } else {
        clean
    }
}
