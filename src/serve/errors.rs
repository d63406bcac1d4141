//! One error layer for every route: whatever refused a request (the router, an
//! extractor, the body size limit, the Host check), the answer has the form the
//! route promises: `{"error":{"kind","message"}}` as JSON under `/api/`, the HTML
//! page elsewhere. Handlers' own errors already have that form and pass as they are.

use axum::body::to_bytes;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::api::ApiError;
use super::page;

/// Longest refusal text read back to become the message.
const MAX_MESSAGE_BYTES: usize = 2048;

/// Whether `path` is one of the API's (the JSON API, and IIIF's).
pub fn is_api(path: &str) -> bool {
    ["/api", "/iiif"].iter().any(|root| {
        path == *root
            || path
                .strip_prefix(root)
                .is_some_and(|rest| rest.starts_with('/'))
    })
}

/// Gives error responses their route's form.
pub async fn shape(request: Request, next: Next) -> Response {
    let api = is_api(request.uri().path());
    let method = request.method().clone();
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let wanted = if api { "application/json" } else { "text/html" };
    let shaped = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with(wanted));
    if shaped {
        return response;
    }
    let (parts, body) = response.into_parts();
    let text = to_bytes(body, MAX_MESSAGE_BYTES)
        .await
        .ok()
        .and_then(|bytes| String::from_utf8(bytes.to_vec()).ok())
        .map(|text| text.trim().to_string())
        .filter(|text| !text.is_empty());
    let message = match (status, text) {
        (StatusCode::METHOD_NOT_ALLOWED, _) => {
            format!(
                "{method} is not answered here; routes take GET (or HEAD), and the batch form POST"
            )
        }
        (StatusCode::PAYLOAD_TOO_LARGE, _) => format!(
            "the request body is larger than this route takes ({} KB; the batch form {} KB)",
            super::MAX_BODY_BYTES / 1024,
            super::batch::MAX_BATCH_BYTES / 1024
        ),
        (_, Some(text)) => text,
        (_, None) => status
            .canonical_reason()
            .unwrap_or("the request failed")
            .to_string(),
    };
    let error = ApiError::new(status, message);
    let mut shaped = if api {
        error.into_response()
    } else {
        page::error_page(&error)
    };
    for name in [header::WWW_AUTHENTICATE, header::RETRY_AFTER] {
        if let Some(value) = parts.headers.get(&name) {
            shaped.headers_mut().insert(name, value.clone());
        }
    }
    // The access log reads what the guard noted on the response.
    if let Some(failed) = parts.extensions.get::<super::auth::Failed>() {
        shaped.extensions_mut().insert(failed.clone());
    }
    if status == StatusCode::METHOD_NOT_ALLOWED {
        let allow = parts.headers.get(header::ALLOW).cloned();
        shaped.headers_mut().insert(
            header::ALLOW,
            allow.unwrap_or(HeaderValue::from_static("GET, HEAD")),
        );
    }
    shaped
}
