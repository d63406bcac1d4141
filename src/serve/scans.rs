//! The scanned pages of OCR articles: `GET /articles/{id}/scans/{n}` answers the
//! scan of the article's page `n` (counted from 0 in its `pages`), as the browser
//! can show it: PNG, JPEG, GIF and WebP as they are, TIFF (with `image`) and JPEG
//! 2000 (with the pure-Rust `hayro-jpeg2000`) converted to PNG. Only files the
//! index recorded as an article's scan are ever read.

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
        "tif" | "tiff" | "jp2" | "j2k" | "jpx" => Shown::Converted,
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
            "the scan is in a format a browser cannot show, and is not converted here",
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
    let damaged = || {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "the scan cannot be decoded",
        )
    };
    let image = if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        image::load_from_memory_with_format(&bytes, image::ImageFormat::Tiff)
            .map_err(|_| damaged())?
    } else {
        jpeg2000(&bytes).ok_or_else(damaged)?
    };
    let mut out = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .map_err(|_| damaged())?;
    Ok(out)
}

/// A JPEG 2000 image (JP2 or a bare codestream), decoded to 8 bits a sample.
fn jpeg2000(bytes: &[u8]) -> Option<image::DynamicImage> {
    let settings = hayro_jpeg2000::DecodeSettings::default();
    let decoded = std::panic::catch_unwind(|| {
        let image = hayro_jpeg2000::Image::new(bytes, &settings).ok()?;
        let (width, height, alpha) = (image.width(), image.height(), image.has_alpha());
        let mut context = hayro_jpeg2000::DecoderContext::default();
        let samples = image.decode(&mut context).ok()?.data_u8();
        Some((width, height, alpha, samples))
    })
    .ok()??;
    let (width, height, alpha, samples) = decoded;
    let pixels = (width as usize).checked_mul(height as usize)?;
    match (samples.len().checked_div(pixels)?, alpha) {
        (1, _) => image::GrayImage::from_raw(width, height, samples).map(Into::into),
        (2, true) => image::GrayAlphaImage::from_raw(width, height, samples).map(Into::into),
        (3, false) => image::RgbImage::from_raw(width, height, samples).map(Into::into),
        (4, true) => image::RgbaImage::from_raw(width, height, samples).map(Into::into),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browsers_get_what_they_can_show() {
        assert_eq!(shown("/a/0001.PNG"), Shown::AsIs("image/png"));
        assert_eq!(shown("/a/0001.tif"), Shown::Converted);
        assert_eq!(shown("/a/0001.jp2"), Shown::Converted);
        assert_eq!(shown("/a/0001.djvu"), Shown::Not);
    }
}
