//! Attachments of items and the form that carries them: PDF, DOCX, XLSX, PNG and JPEG, told
//! apart by their first bytes (and, for the two Office formats, the part names inside the ZIP),
//! never by the name; at most [`MAX_FILE_BYTES`] each. The item form is read as multipart
//! (with files) or url-encoded (without), its text fields checked against their bounds first.
//! A refused file is reported at the field and the form is shown again; nothing is saved.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{StatusCode, header};
use serde::de::DeserializeOwned;

use crate::WebError;
use crate::validate::{self, Bounded};

/// The largest attachment.
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;

/// The most attachments one form adds.
pub const MAX_FILES: usize = 10;

/// The content type and extension of an attachment, by signature.
pub fn sniff(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    if bytes.starts_with(b"%PDF-") {
        Some(("application/pdf", "pdf"))
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(("image/jpeg", "jpg"))
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some(("image/png", "png"))
    } else if bytes.starts_with(b"PK\x03\x04") {
        // An OOXML package names its main part in the ZIP's file headers.
        let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
        if !has(b"[Content_Types].xml") {
            None
        } else if has(b"word/") {
            Some((
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "docx",
            ))
        } else if has(b"xl/") {
            Some((
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "xlsx",
            ))
        } else {
            None
        }
    } else {
        None
    }
}

/// The extension of a kept content type.
pub fn extension(content_type: &str) -> &'static str {
    match content_type {
        "application/pdf" => "pdf",
        "image/jpeg" => "jpg",
        "image/png" => "png",
        t if t.contains("wordprocessingml") => "docx",
        t if t.contains("spreadsheetml") => "xlsx",
        _ => "bin",
    }
}

/// What the public reads as a file's type.
pub fn type_label(content_type: &str) -> &'static str {
    match extension(content_type) {
        "pdf" => "PDF",
        "jpg" => "JPG 图片",
        "png" => "PNG 图片",
        "docx" => "Word 文档",
        "xlsx" => "Excel 表格",
        _ => "文件",
    }
}

/// `Content-Disposition` with an ASCII fallback and the real name as RFC 5987 `filename*`;
/// `inline` for what a browser shows itself (PDF, images), `attachment` otherwise.
pub fn disposition(ascii: &str, name: &str, inline: bool) -> String {
    let fallback: String = ascii
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(char::from(b));
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    let kind = if inline { "inline" } else { "attachment" };
    format!("{kind}; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

/// A file the form brought, accepted.
#[derive(Debug, Clone)]
pub struct Upload {
    /// The browser's name, without directories, at most 100 characters.
    pub file_name: String,
    /// The sniffed type.
    pub content_type: &'static str,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// The item form as sent: its text fields, the ids of attachments to keep, the files, and
/// the reasons any file was refused.
#[derive(Debug, Clone)]
pub struct ItemBody<T> {
    /// The text fields.
    pub form: T,
    /// `keep` values: attachments of the working version to carry over.
    pub keep: Vec<i64>,
    /// Accepted files.
    pub uploads: Vec<Upload>,
    /// Why files were refused (Chinese, one per file).
    pub problems: Vec<String>,
}

fn clean_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = base.chars().filter(|c| !c.is_control()).take(100).collect();
    if clean.is_empty() {
        "附件".into()
    } else {
        clean
    }
}

fn decode<T: DeserializeOwned + Bounded>(pairs: &[(String, String)]) -> Result<T, WebError> {
    validate::pairs(T::FIELDS, pairs).map_err(WebError::Invalid)?;
    let encoded =
        serde_urlencoded::to_string(pairs).map_err(|e| WebError::BadForm(e.to_string()))?;
    serde_urlencoded::from_str(&encoded).map_err(|e| WebError::BadForm(e.to_string()))
}

impl<S, T> FromRequest<S> for ItemBody<T>
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
        let too_large = |status: StatusCode, text: String| match status {
            StatusCode::PAYLOAD_TOO_LARGE => WebError::TooLarge,
            _ => WebError::BadForm(text),
        };
        let mut pairs: Vec<(String, String)> = Vec::new();
        let mut uploads = Vec::new();
        let mut problems = Vec::new();
        if content_type.starts_with("application/x-www-form-urlencoded") {
            let bytes = Bytes::from_request(req, state)
                .await
                .map_err(|r| too_large(r.status(), r.body_text()))?;
            pairs = serde_urlencoded::from_bytes(&bytes)
                .map_err(|e| WebError::BadForm(e.to_string()))?;
        } else {
            let mut multipart = axum::extract::Multipart::from_request(req, state)
                .await
                .map_err(|e| WebError::BadForm(e.body_text()))?;
            while let Some(mut field) = multipart
                .next_field()
                .await
                .map_err(|e| too_large(e.status(), e.body_text()))?
            {
                if pairs.len() + uploads.len() + problems.len() >= validate::MAX_FIELDS {
                    return Err(WebError::Invalid("提交的项目过多。".into()));
                }
                let name = field.name().unwrap_or_default().to_owned();
                let Some(file_name) = field.file_name().map(str::to_owned) else {
                    let text = field
                        .text()
                        .await
                        .map_err(|e| too_large(e.status(), e.body_text()))?;
                    pairs.push((name, text));
                    continue;
                };
                // Read in chunks, keeping no more than the limit, so an oversized file is
                // reported without being held whole.
                let mut bytes = Vec::new();
                let mut size = 0_usize;
                while let Some(chunk) = field
                    .chunk()
                    .await
                    .map_err(|e| too_large(e.status(), e.body_text()))?
                {
                    size += chunk.len();
                    if size <= MAX_FILE_BYTES {
                        bytes.extend_from_slice(&chunk);
                    }
                }
                if size == 0 && file_name.is_empty() {
                    continue; // the file field was left empty
                }
                let shown = clean_file_name(&file_name);
                if size > MAX_FILE_BYTES {
                    problems.push(format!(
                        "附件「{shown}」超过 20 MB，未能上传。请压缩或拆分后重新选择。"
                    ));
                } else if uploads.len() >= MAX_FILES {
                    problems.push(format!("一次最多上传 {MAX_FILES} 个附件。"));
                } else {
                    match sniff(&bytes) {
                        Some((content_type, _)) => uploads.push(Upload {
                            file_name: shown,
                            content_type,
                            bytes,
                        }),
                        None => problems.push(format!(
                            "附件「{shown}」不是 PDF、Word（DOCX）、Excel（XLSX）、PNG 或 JPEG 文件（按文件内容判断，而非扩展名），未能上传。"
                        )),
                    }
                }
            }
        }
        let keep = pairs
            .iter()
            .filter(|(k, _)| k == "keep")
            .filter_map(|(_, v)| v.trim().parse().ok())
            .collect();
        let form = decode(&pairs)?;
        Ok(ItemBody {
            form,
            keep,
            uploads,
            problems,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_told_by_their_bytes_not_their_names() {
        assert_eq!(sniff(b"%PDF-1.7\n").map(|t| t.1), Some("pdf"));
        assert_eq!(sniff(b"MZ\x90\0 this is an executable"), None);
        let docx = b"PK\x03\x04....[Content_Types].xml....word/document.xml";
        assert_eq!(sniff(docx).map(|t| t.1), Some("docx"));
        let xlsx = b"PK\x03\x04....[Content_Types].xml....xl/workbook.xml";
        assert_eq!(sniff(xlsx).map(|t| t.1), Some("xlsx"));
        // A plain ZIP is not an Office document.
        assert_eq!(sniff(b"PK\x03\x04....readme.txt"), None);
    }

    #[test]
    fn dispositions_have_an_ascii_fallback_and_the_utf8_name() {
        assert_eq!(
            disposition("item-3-1.pdf", "附件 1.pdf", true),
            "inline; filename=\"item-3-1.pdf\"; filename*=UTF-8''%E9%99%84%E4%BB%B6%201.pdf"
        );
    }
}
