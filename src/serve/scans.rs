//! The scanned pages of OCR articles: `GET /articles/{id}/scans/{n}` answers the
//! scan of the article's page `n` (counted from 0 in its `pages`), as the browser
//! can show it: PNG, JPEG, GIF and WebP as they are, TIFF converted to PNG, JPEG
//! 2000 refused with a message (no converter here). Only files the index recorded
//! as an article's scan are ever read.

use std::io::{Cursor, Read};
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::api::ApiError;
use super::app::App;
use crate::scan::ScanPage;
use crate::store::Named;

/// Largest scan read, in bytes (an uncompressed newspaper TIFF is about 100 MB).
const MAX_SCAN_BYTES: u64 = 256 * 1024 * 1024;

/// How a browser can be given a scan file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// As it is, with this content type.
    AsIs(&'static str),
    /// Converted to PNG here.
    Converted,
    /// Not at all.
    Not,
}

/// What can be done with the scan at `path`, by its extension.
pub fn shown(path: &str) -> Shown {
    let ext = path
        .rsplit('.')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    match ext.as_str() {
        "png" => Shown::AsIs("image/png"),
        "jpg" | "jpeg" => Shown::AsIs("image/jpeg"),
        "gif" => Shown::AsIs("image/gif"),
        "webp" => Shown::AsIs("image/webp"),
        "tif" | "tiff" => Shown::Converted,
        _ => Shown::Not,
    }
}

/// Whether the page has a scan a browser can be given.
pub fn showable(page: &ScanPage) -> bool {
    page.image_at
        .as_deref()
        .is_some_and(|at| shown(at) != Shown::Not)
}

/// `GET /articles/{id}/scans/{n}`.
pub async fn scan(
    State(app): State<Arc<App>>,
    Path((id, n)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let n: usize = n
        .parse()
        .map_err(|_| ApiError::new(StatusCode::NOT_FOUND, "pages are numbered 0, 1, 2…"))?;
    let found = app.run(move |store| store.find(&id, Named::Id)).await?;
    let article = found
        .into_iter()
        .next()
        .ok_or_else(|| ApiError::not_found("no article has that id"))?;
    let page = article
        .scan
        .and_then(|s| s.pages.into_iter().nth(n))
        .ok_or_else(|| ApiError::not_found("the article has no such page"))?;
    let at = page
        .image_at
        .ok_or_else(|| ApiError::not_found("no scan was found beside that page's OCR file"))?;
    let kind = shown(&at);
    if kind == Shown::Not {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "the scan is JPEG 2000 or another format a browser cannot show, and is not converted here",
        ));
    }
    let bytes = tokio::task::spawn_blocking(move || read(&at, kind))
        .await
        .map_err(|_| {
            ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "reading the scan failed")
        })??;
    let content_type = match kind {
        Shown::AsIs(t) => t,
        _ => "image/png",
    };
    let mut response = bytes.into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=3600"),
    );
    Ok(response)
}

/// The scan's bytes as the browser gets them.
fn read(at: &str, kind: Shown) -> Result<Vec<u8>, ApiError> {
    let gone = || ApiError::not_found("the scan is no longer where it was indexed");
    let file = std::fs::File::open(at).map_err(|_| gone())?;
    let mut bytes = Vec::new();
    file.take(MAX_SCAN_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|_| gone())?;
    if bytes.len() as u64 > MAX_SCAN_BYTES {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "the scan is larger than 256 MB",
        ));
    }
    if kind != Shown::Converted {
        return Ok(bytes);
    }
    let damaged = |_| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "the scan cannot be decoded",
        )
    };
    let image =
        image::load_from_memory_with_format(&bytes, image::ImageFormat::Tiff).map_err(damaged)?;
    let mut out = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .map_err(damaged)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browsers_get_what_they_can_show() {
        assert_eq!(shown("/a/0001.PNG"), Shown::AsIs("image/png"));
        assert_eq!(shown("/a/0001.tif"), Shown::Converted);
        assert_eq!(shown("/a/0001.jp2"), Shown::Not);
    }
}
