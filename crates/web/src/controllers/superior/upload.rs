//! The upload of a folder of subordinate reports: `multipart/form-data` with several files
//! (a browser's folder picker sends one part per file), each at most [`MAX_REPORT_BYTES`], at
//! most [`MAX_FILES`]; the text fields checked against `T`'s bounds before `T` is decoded. What
//! a file is, is decided later by its bytes (the reader sniffs PDF and DOCX, and refuses binary
//! data that is none of its forms).

use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

use crate::WebError;
use crate::validate::{self, Bounded};

/// The largest report file taken (a long PDF is a few MiB).
pub const MAX_REPORT_BYTES: usize = 10 * 1024 * 1024;
/// The most files in one upload.
pub const MAX_FILES: usize = 50;
/// The body limit of the upload route.
pub const UPLOAD_BODY_LIMIT: usize = 60 * 1024 * 1024;

/// One file of the upload, or why it was not kept.
#[derive(Debug, Clone)]
pub struct ReportFile {
    /// The name the browser gave, without directories, at most 100 characters.
    pub file_name: String,
    /// The bytes, or why there are none.
    pub bytes: Result<Vec<u8>, &'static str>,
}

/// The form's text fields and its files.
#[derive(Debug, Clone)]
pub struct ReportUpload<T> {
    /// The text fields.
    pub form: T,
    /// The files, in the order sent.
    pub files: Vec<ReportFile>,
}

impl<S, T> FromRequest<S> for ReportUpload<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Bounded,
{
    type Rejection = WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, WebError> {
        let mut multipart = axum::extract::Multipart::from_request(req, state)
            .await
            .map_err(|e| WebError::BadForm(e.body_text()))?;
        let too_large = |e: axum::extract::multipart::MultipartError| match e.status() {
            StatusCode::PAYLOAD_TOO_LARGE => WebError::TooLarge,
            _ => WebError::BadForm(e.body_text()),
        };
        let mut pairs: Vec<(String, String)> = Vec::new();
        let mut files = Vec::new();
        while let Some(field) = multipart.next_field().await.map_err(too_large)? {
            if pairs.len() >= validate::MAX_FIELDS || files.len() >= MAX_FILES {
                return Err(WebError::Invalid(format!(
                    "一次最多上传 {MAX_FILES} 个文件，请分批上传。"
                )));
            }
            let name = field.name().unwrap_or_default().to_owned();
            match field.file_name().map(str::to_owned) {
                Some(file_name) => {
                    let bytes = field.bytes().await.map_err(too_large)?;
                    if bytes.is_empty() && file_name.is_empty() {
                        continue; // the file field was left empty
                    }
                    let bytes = if bytes.len() > MAX_REPORT_BYTES {
                        Err("文件超过 10 MB，未读取。")
                    } else if bytes.is_empty() {
                        Err("文件是空的。")
                    } else {
                        Ok(bytes.to_vec())
                    };
                    files.push(ReportFile {
                        file_name: super::super::clean_upload_name(&file_name),
                        bytes,
                    });
                }
                None => pairs.push((name, field.text().await.map_err(too_large)?)),
            }
        }
        validate::pairs(T::FIELDS, &pairs).map_err(WebError::Invalid)?;
        let encoded =
            serde_urlencoded::to_string(&pairs).map_err(|e| WebError::BadForm(e.to_string()))?;
        let form =
            serde_urlencoded::from_str(&encoded).map_err(|e| WebError::BadForm(e.to_string()))?;
        Ok(ReportUpload { form, files })
    }
}
