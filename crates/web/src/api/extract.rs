//! The API's extractors: a JSON body read within the size limit, decoded strictly (an unknown
//! field is 400, a missing or mistyped one 422, each naming its path) and then checked string
//! by string against the request type's bounds ([`JsonBounded`], the JSON counterpart of
//! `validate::Bounded`); a bounded query; and path ids, where anything that is not an id is
//! simply not found.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::error::ApiError;
use crate::validate::{self, Bound, Bounded};

/// The most elements one JSON array of a request may hold.
pub const MAX_ITEMS: usize = 20;

/// A JSON request type with a bound for each of its string fields, by JSON path: `a.b` for a
/// nested field, `a[]` for the elements of an array. A string at a path not listed gets
/// `validate::UNLISTED`.
pub trait JsonBounded {
    /// Every string field's bound.
    const FIELDS: &'static [Bound];
}

/// A JSON body of type `T`, read and checked as the module says.
#[derive(Debug, Clone)]
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned + JsonBounded,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                let media = v.split(';').next().unwrap_or_default().trim();
                media.eq_ignore_ascii_case("application/json")
            });
        if !json {
            return Err(ApiError::unsupported_media_type());
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            match rejection.status() {
                StatusCode::PAYLOAD_TOO_LARGE => ApiError::too_large(),
                _ => ApiError::malformed("请求内容无法读取。"),
            }
        })?;
        decode(&bytes).map(ApiJson)
    }
}

/// Reads a JSON body: syntax, then the type, then the bounds.
pub fn decode<T: DeserializeOwned + JsonBounded>(bytes: &[u8]) -> Result<T, ApiError> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| {
        ApiError::malformed(format!(
            "请求内容不是有效的 JSON（第 {} 行第 {} 列）。",
            e.line(),
            e.column()
        ))
    })?;
    let typed = serde_path_to_error::deserialize(value.clone()).map_err(type_error)?;
    check_bounds(&value, "", "", T::FIELDS)?;
    Ok(typed)
}

/// The JSON path of a field below `parent`.
fn join(parent: &str, name: &str) -> String {
    if parent.is_empty() {
        name.to_owned()
    } else {
        format!("{parent}.{name}")
    }
}

/// The name between the first pair of backticks of serde's message.
fn quoted(message: &str) -> Option<&str> {
    let start = message.find('`')? + 1;
    let len = message[start..].find('`')?;
    Some(&message[start..start + len])
}

/// A body that is JSON but not of the request's type.
fn type_error(err: serde_path_to_error::Error<serde_json::Error>) -> ApiError {
    let path = err.path().to_string();
    let path = if path == "." { String::new() } else { path };
    let message = err.inner().to_string();
    if message.starts_with("unknown field") {
        let name = quoted(&message).unwrap_or_default();
        // The path may or may not already end at the unknown key.
        let full = if path.ends_with(name) && !name.is_empty() {
            path
        } else {
            join(&path, name)
        };
        return ApiError::unknown_field(&full);
    }
    if message.starts_with("missing field") {
        let full = join(&path, quoted(&message).unwrap_or_default());
        return ApiError::invalid(&full, format!("缺少必填字段“{full}”。"));
    }
    let shown = if path.is_empty() { "请求" } else { &path };
    let detail = message.split(" at line").next().unwrap_or_default();
    ApiError::invalid(
        path.clone(),
        format!("字段“{shown}”的类型或取值不正确（{detail}）。"),
    )
}

/// Checks every string and array of `value` against `fields`; `path` is the shown path
/// (`delivery[1]`), `pattern` the path the bounds are listed under (`delivery[]`).
fn check_bounds(
    value: &Value,
    path: &str,
    pattern: &str,
    fields: &[Bound],
) -> Result<(), ApiError> {
    match value {
        Value::String(text) => {
            let bound = validate::bound_of(fields, pattern);
            validate::text(&bound, text).map_err(|message| ApiError::invalid(path, message))
        }
        Value::Array(items) => {
            if items.len() > MAX_ITEMS {
                return Err(ApiError::invalid(
                    path,
                    format!(
                        "“{path}”最多 {MAX_ITEMS} 项（现为 {} 项），请精简后重新提交。",
                        items.len()
                    ),
                ));
            }
            let element = format!("{pattern}[]");
            for (i, item) in items.iter().enumerate() {
                check_bounds(item, &format!("{path}[{i}]"), &element, fields)?;
            }
            Ok(())
        }
        Value::Object(map) => {
            for (key, item) in map {
                check_bounds(item, &join(path, key), &join(pattern, key), fields)?;
            }
            Ok(())
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => Ok(()),
    }
}

/// A query string of type `T`, each value within its bound; an unknown name is 400.
#[derive(Debug, Clone)]
pub struct ApiQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiQuery<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Bounded,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        let query = parts.uri.query().unwrap_or_default();
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query)
            .map_err(|_| ApiError::malformed("查询参数无法读取。"))?;
        if pairs.len() > validate::MAX_FIELDS {
            return Err(ApiError::malformed("查询参数过多。"));
        }
        for (name, value) in &pairs {
            let bound = validate::bound_of(T::FIELDS, name);
            if bound == validate::UNLISTED {
                let shown: String = name.chars().take(50).collect();
                return Err(ApiError::unknown_field(&shown));
            }
            validate::text(&bound, value).map_err(|m| ApiError::invalid(name, m))?;
        }
        serde_urlencoded::from_str(query)
            .map(ApiQuery)
            .map_err(|e| ApiError::malformed(format!("查询参数无法读取（{e}）。")))
    }
}

/// Path parameters; a value that does not decode (an id that is not a number) is 404.
#[derive(Debug, Clone)]
pub struct ApiPath<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiPath<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Send,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(ApiPath(value)),
            Err(_) => Err(ApiError::not_found()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        name: String,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        inner: Inner,
        #[serde(default)]
        list: Vec<String>,
        #[serde(default)]
        days: Option<u32>,
    }

    impl JsonBounded for Outer {
        const FIELDS: &'static [Bound] = &[
            Bound::line("inner.name", "姓名", 4),
            Bound::line("list[]", "项目", 2),
        ];
    }

    fn err(text: &str) -> ApiError {
        decode::<Outer>(text.as_bytes()).unwrap_err()
    }

    #[test]
    fn errors_name_the_json_path() {
        assert!(decode::<Outer>(r#"{"inner":{"name":"张三"},"list":["ab"]}"#.as_bytes()).is_ok());
        let e = err(r#"{"inner":{"name":"张三","nick":"x"}}"#);
        assert_eq!(
            (e.status, e.body.field.as_deref()),
            (StatusCode::BAD_REQUEST, Some("inner.nick"))
        );
        let e = err(r#"{"inner":{}}"#);
        assert_eq!(e.body.field.as_deref(), Some("inner.name"));
        assert_eq!(e.status, StatusCode::UNPROCESSABLE_ENTITY);
        let e = err(r#"{"inner":{"name":"张三"},"days":-1}"#);
        assert_eq!(e.body.field.as_deref(), Some("days"));
        let e = err(r#"{"inner":{"name":"张三丰之徒"}}"#);
        assert_eq!(e.body.field.as_deref(), Some("inner.name"));
        let e = err(r#"{"inner":{"name":"张\u0000"}}"#);
        assert!(e.body.message.contains("控制字符"), "{}", e.body.message);
        let e = err(r#"{"inner":{"name":"张"},"list":["ab","abc"]}"#);
        assert_eq!(e.body.field.as_deref(), Some("list[1]"));
        let e = err(r#"{"inner":"#);
        assert_eq!(
            (e.status, e.body.error),
            (StatusCode::BAD_REQUEST, "malformed")
        );
    }

    #[test]
    fn arrays_are_bounded_too() {
        let list: Vec<String> = (0..=MAX_ITEMS).map(|_| "\"a\"".to_owned()).collect();
        let text = format!(r#"{{"inner":{{"name":"张"}},"list":[{}]}}"#, list.join(","));
        let e = err(&text);
        assert_eq!(e.body.field.as_deref(), Some("list"));
    }
}
