//! IIIF for viewers such as Mirador and Universal Viewer: a Presentation 3
//! manifest per issue (the file its articles came from: a METS issue, an ALTO or
//! hOCR page), with the scans as static images, and Content Search 2.0 over the
//! whole archive or one issue, whose hits are highlighting annotations targeting
//! `CANVAS#xywh=x,y,w,h`. A canvas takes its page's size in the OCR file's own
//! units, so the word boxes need no scaling.
//!
//! An issue is named in URLs by its file's canonical path, base64url-encoded.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as ISSUE_ID;
use serde_json::{Value, json};

use super::api::{ApiError, run_search};
use super::app::App;
use super::params::Params;
use super::scans;
use crate::article::Article;
use crate::store::Named;

/// Most hits one search answers with.
const MAX_HITS: usize = 1000;

/// The id of the issue an article belongs to.
pub fn issue_id(article: &Article) -> Option<String> {
    article.key.as_deref().map(|k| ISSUE_ID.encode(k))
}

fn issue_key(issue: &str) -> Result<String, ApiError> {
    ISSUE_ID
        .decode(issue)
        .ok()
        .and_then(|k| String::from_utf8(k).ok())
        .ok_or_else(|| ApiError::not_found("no issue has that id"))
}

/// `http://host:port`, from the request (the Host check has vetted it).
fn base(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    format!("http://{host}")
}

fn canvas_id(base: &str, issue: &str, number: u32) -> String {
    format!("{base}/iiif/{issue}/canvas/{number}")
}

fn json_ld(value: Value) -> Response {
    let mut response = Json(value).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(
            "application/ld+json;profile=\"http://iiif.io/api/presentation/3/context.json\"",
        ),
    );
    response.headers_mut().insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    response
}

/// One printed page of an issue: where its scan is served from, and its size.
struct Page {
    number: u32,
    width: f64,
    height: f64,
    label: String,
    scan: Option<(String, &'static str)>,
}

/// The pages of an issue's articles, each once, in page order.
fn pages(articles: &[Article], base: &str) -> Vec<Page> {
    let mut by_number: BTreeMap<u32, Page> = BTreeMap::new();
    for article in articles {
        let Some(scan) = &article.scan else { continue };
        let id: String = form_urlencoded::byte_serialize(article.id.as_bytes()).collect();
        for (n, page) in scan.pages.iter().enumerate() {
            let entry = by_number.entry(page.number).or_insert_with(|| Page {
                number: page.number,
                width: page.width.unwrap_or(1000.0),
                height: page.height.unwrap_or(1000.0),
                label: format!("Page {}", page.number),
                scan: None,
            });
            if entry.scan.is_none() && scans::showable(page) {
                let format = match scans::shown(page.image_at.as_deref().unwrap_or_default()) {
                    scans::Shown::AsIs(t) => t,
                    _ => "image/png",
                };
                entry.scan = Some((format!("{base}/articles/{id}/scans/{n}"), format));
            }
        }
    }
    by_number.into_values().collect()
}

/// `GET /iiif/{issue}/manifest.json`.
pub async fn manifest(
    State(app): State<Arc<App>>,
    Path(issue): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let key = issue_key(&issue)?;
    let articles = app
        .run(move |store| store.find(&key, Named::IdOrPath))
        .await?;
    let first = articles
        .first()
        .ok_or_else(|| ApiError::not_found("no issue has that id"))?;
    let base = base(&headers);
    let pages = pages(&articles, &base);
    if pages.is_empty() {
        return Err(ApiError::not_found("that file has no scanned pages"));
    }
    let label = match (first.source_label(), first.date) {
        (Some(source), Some(date)) => format!("{source} — {}", date.format("%Y-%m-%d")),
        (Some(source), None) => source,
        (None, _) => first.path.clone().unwrap_or_else(|| first.title.clone()),
    };
    let manifest_id = format!("{base}/iiif/{issue}/manifest.json");
    let canvases: Vec<Value> = pages
        .iter()
        .map(|page| {
            let canvas = canvas_id(&base, &issue, page.number);
            let items: Vec<Value> = page
                .scan
                .iter()
                .map(|(url, format)| {
                    json!({
                        "id": format!("{canvas}/page"),
                        "type": "AnnotationPage",
                        "items": [{
                            "id": format!("{canvas}/page/image"),
                            "type": "Annotation",
                            "motivation": "painting",
                            "body": {"id": url, "type": "Image", "format": format,
                                     "width": page.width, "height": page.height},
                            "target": canvas,
                        }],
                    })
                })
                .collect();
            json!({
                "id": canvas,
                "type": "Canvas",
                "label": {"none": [page.label]},
                "width": page.width,
                "height": page.height,
                "items": items,
            })
        })
        .collect();
    let mut metadata = Vec::new();
    if let Some(date) = first.date {
        metadata.push(json!({"label": {"en": ["Date"]}, "value": {"none": [date.format("%Y-%m-%d").to_string()]}}));
    }
    if let Some(path) = &first.path {
        metadata.push(json!({"label": {"en": ["File"]}, "value": {"none": [path]}}));
    }
    metadata.push(
        json!({"label": {"en": ["Articles"]}, "value": {"none": [articles.len().to_string()]}}),
    );
    Ok(json_ld(json!({
        "@context": "http://iiif.io/api/presentation/3/context.json",
        "id": manifest_id,
        "type": "Manifest",
        "label": {"none": [label]},
        "metadata": metadata,
        "items": canvases,
        "service": [{
            "id": format!("{base}/iiif/{issue}/search"),
            "type": "SearchService2",
        }],
    })))
}

/// `GET /iiif/search?q=…`: Content Search 2.0 over the whole archive.
pub async fn search_all(
    State(app): State<Arc<App>>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    search(app, raw, headers, None).await
}

/// `GET /iiif/{issue}/search?q=…`: Content Search 2.0 within one issue.
pub async fn search_issue(
    State(app): State<Arc<App>>,
    Path(issue): Path<String>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    search(app, raw, headers, Some(issue)).await
}

async fn search(
    app: Arc<App>,
    raw: Option<String>,
    headers: HeaderMap,
    issue: Option<String>,
) -> Result<Response, ApiError> {
    let mut params = Params::parse(raw.as_deref())?;
    params.set_default("limit", "100");
    let mut request = params.search_request()?;
    if request.query.trim().is_empty() {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "q: give the words to find",
        ));
    }
    request.limit = request.limit.min(MAX_HITS);
    request.collapse = false;
    // One passage as long as the API allows: every marked word of the article.
    request.passages = 1;
    request.snippet_chars = 10_000;
    request.timeline = None;
    request.top_sources = 0;
    if let Some(issue) = &issue {
        request.filters.files = vec![issue_key(issue)?];
    }
    let results = run_search(&app, request).await?;
    let base = base(&headers);
    let mut items = Vec::new();
    for hit in &results.hits {
        let Some(key) = &hit.key else {
            continue;
        };
        let hit_issue = ISSUE_ID.encode(key);
        let manifest = format!("{base}/iiif/{hit_issue}/manifest.json");
        for snippet in &hit.snippets {
            for (n, found) in snippet.boxes.iter().enumerate() {
                let canvas = canvas_id(&base, &hit_issue, found.page);
                let xywh = format!(
                    "{},{},{},{}",
                    found.x.round(),
                    found.y.round(),
                    found.w.round(),
                    found.h.round()
                );
                items.push(json!({
                    "id": format!("{base}/iiif/{hit_issue}/annotation/{}-{}-{n}", hit.id, items.len()),
                    "type": "Annotation",
                    "motivation": "highlighting",
                    "body": {"type": "TextualBody", "value": hit.title, "format": "text/plain"},
                    "target": format!("{canvas}#xywh={xywh}"),
                    "partOf": [{"id": manifest, "type": "Manifest"}],
                }));
            }
        }
    }
    let path = match &issue {
        Some(issue) => format!("{base}/iiif/{issue}/search"),
        None => format!("{base}/iiif/search"),
    };
    let query: String =
        form_urlencoded::byte_serialize(params.get("q").unwrap_or_default().as_bytes()).collect();
    let mut response = json_ld(json!({
        "@context": "http://iiif.io/api/search/2/context.json",
        "id": format!("{path}?q={query}"),
        "type": "AnnotationPage",
        "items": items,
    }));
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(
            "application/ld+json;profile=\"http://iiif.io/api/search/2/context.json\"",
        ),
    );
    Ok(response)
}
