//! Batch search on the page: paste a list of queries (or pick a file, which the
//! script reads into the box), get a table of each query's total and top hits,
//! and the same as CSV (`news-search batch`'s columns) to download. Both are
//! POSTs of the form, with their own body limit.

use crate::output::progress::counted;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};

use super::api::ApiError;
use super::app::App;
use super::page::{error_page, frame};
use super::params::Params;
use crate::error::Error;
use crate::output::batch::{BatchFormat, BatchPrinter, BatchTally};
use crate::search::batch::{self, Entry, List};
use crate::search::filter::Filters;
use crate::search::{SearchRequest, SearchResults};

/// Largest form a batch takes (the list and its options).
pub const MAX_BATCH_BYTES: usize = 1024 * 1024;
/// Most queries one page request runs (the command line has no such limit).
pub const MAX_PAGE_QUERIES: usize = 1000;
/// Most hits per query on the page.
const MAX_PAGE_HITS: usize = 100;

/// `GET /batch`: the form.
pub async fn form() -> Response {
    frame(
        "Batch search — news-search",
        "",
        &Params::default(),
        form_view("", 10),
    )
    .into_response()
}

fn form_view(list: &str, limit: usize) -> Markup {
    html! {
        h1 { "Batch search" }
        form id="batch" method="post" action="/batch" {
            p {
                label for="list" { "Queries: one per line, " code { "id<TAB>query" } " lines, or CSV with a " code { "query" } " column (and optional " code { "id, since, until, source, lang" } ")." }
            }
            textarea id="list" name="list" rows="10" cols="70" required { (list) }
            p {
                label for="list-file" { "Or read a file: " }
                input id="list-file" type="file" accept=".txt,.csv,.tsv,text/plain,text/csv";
            }
            p {
                label for="limit" { "Hits per query " }
                input id="limit" name="limit" type="number" min="1" max=(MAX_PAGE_HITS) value=(limit);
                " "
                button type="submit" { "Run" }
                " "
                button type="submit" formaction="/batch.csv" { "Download CSV" }
            }
            p class="note" { "At most " (MAX_PAGE_QUERIES) " queries and " (MAX_BATCH_BYTES / 1024) " KB here; " code { "news-search batch FILE" } " takes any number." }
        }
    }
}

/// The list and hits per query of a posted form.
fn read_form(body: &[u8]) -> Result<(String, usize), ApiError> {
    let mut list = None;
    let mut limit = 10;
    for (name, value) in form_urlencoded::parse(body) {
        match name.as_ref() {
            "list" => list = Some(value.into_owned()),
            "limit" if !value.is_empty() => {
                limit = value
                    .trim()
                    .parse()
                    .ok()
                    .filter(|n| (1..=MAX_PAGE_HITS).contains(n))
                    .ok_or_else(|| {
                        Error::Usage(format!("limit: give 1 to {MAX_PAGE_HITS} hits per query"))
                    })?;
            }
            _ => {}
        }
    }
    let list = list
        .filter(|l| !l.trim().is_empty())
        .ok_or_else(|| Error::Usage("list: give at least one query".into()))?;
    Ok((list, limit))
}

/// Runs the posted list: its entries, its bad lines, and each entry's result.
async fn run(
    app: &Arc<App>,
    list: &str,
    limit: usize,
) -> Result<(List, Vec<Result<SearchResults, String>>), ApiError> {
    let mut parsed = batch::parse(list, &Filters::default());
    if parsed.entries.len() > MAX_PAGE_QUERIES {
        return Err(Error::Usage(format!(
            "{} queries: the page runs at most {MAX_PAGE_QUERIES} (use `news-search batch` for more)",
            parsed.entries.len()
        ))
        .into());
    }
    let entries = std::mem::take(&mut parsed.entries);
    let template = app.with_synonyms(SearchRequest {
        limit,
        highlight: false,
        passages: 0,
        ..SearchRequest::new("")
    });
    let (entries, results) = app
        .run(move |store| {
            let results = batch::run(store, &entries, &template, || ());
            Ok((entries, results))
        })
        .await?;
    parsed.entries = entries;
    let results = results
        .into_iter()
        .map(|r| r.map_err(|e| e.to_string()))
        .collect();
    Ok((parsed, results))
}

/// `POST /batch`: the results table.
pub async fn table(State(app): State<Arc<App>>, body: Bytes) -> Response {
    let (list, limit) = match read_form(&body) {
        Ok(form) => form,
        Err(e) => return error_page(&e),
    };
    let (parsed, results) = match run(&app, &list, limit).await {
        Ok(done) => done,
        Err(e) => return error_page(&e),
    };
    let body = html! {
        (form_view(&list, limit))
        (results_view(&parsed, &results))
    };
    (
        StatusCode::OK,
        frame("Batch search — news-search", "", &Params::default(), body),
    )
        .into_response()
}

fn results_view(parsed: &List, results: &[Result<SearchResults, String>]) -> Markup {
    let matched = results
        .iter()
        .filter(|r| r.as_ref().is_ok_and(|r| r.total > 0))
        .count();
    html! {
        h2 { "Results" }
        p class="summary" { (counted(parsed.entries.len(), "query")) ", " (matched) " with matches." }
        @for note in &parsed.notes { p class="note" { (note) } }
        @for bad in &parsed.bad {
            p class="error" role="alert" { "Line " (bad.line) ": " (bad.message) }
        }
        table class="batch" {
            thead { tr { th { "id" } th { "query" } th { "total" } th { "top hits" } } }
            tbody {
                @for (entry, result) in parsed.entries.iter().zip(results) {
                    (row(entry, result))
                }
            }
        }
    }
}

fn row(entry: &Entry, result: &Result<SearchResults, String>) -> Markup {
    let search: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("q", &entry.query)
        .finish();
    html! {
        tr {
            td { (entry.id) }
            td { a href=(format!("/?{search}")) { (entry.query) } }
            @match result {
                Ok(found) => {
                    td class="total" { (found.total) }
                    td {
                        ol {
                            @for hit in &found.hits {
                                @let id: String = form_urlencoded::byte_serialize(hit.id.as_bytes()).collect();
                                li {
                                    a href=(format!("/articles/{id}?{search}")) { (hit.title) }
                                    span class="meta" {
                                        " · " (hit.date.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default())
                                        " · " (hit.source.as_deref().unwrap_or(""))
                                    }
                                }
                            }
                        }
                    }
                }
                Err(message) => {
                    td class="total" { "—" }
                    td class="error" { (message) }
                }
            }
        }
    }
}

/// `POST /batch.csv`: the results as `news-search batch` writes CSV.
pub async fn csv(State(app): State<Arc<App>>, body: Bytes) -> Result<Response, ApiError> {
    let (list, limit) = read_form(&body)?;
    let (parsed, results) = run(&app, &list, limit).await?;
    let mut printer = BatchPrinter::new(BatchFormat::Csv, Vec::new());
    let mut tally = BatchTally::default();
    for (entry, result) in parsed.entries.iter().zip(results) {
        tally.queries += 1;
        let result = result.map_err(Error::Query);
        printer.query(entry, &result).map_err(Error::from)?;
    }
    let bytes = printer.finish(&tally).map_err(Error::from)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"news-search-batch.csv\"",
            ),
        ],
        bytes,
    )
        .into_response())
}
