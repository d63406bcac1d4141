//! The web page: server-rendered HTML (maud escapes every value) that works with
//! JavaScript off — a GET form, results, facets, timeline bars and paging as
//! links — and a small script that updates it as you type.

use crate::output::progress::counted;
use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use chrono::{NaiveDate, Weekday};
use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::api::{ApiError, run_search};
use super::app::App;
use super::params::Params;
use crate::article::{Article, format_date};
use crate::index::analysis::Analysis;
use crate::output::cite::{self, Cited};
use crate::search::query;
use crate::search::reuse::{Cluster, ReprintsOf};
use crate::search::snippet::Highlighter;
use crate::search::synonyms::Synonyms;
use crate::search::terms::Terms;
use crate::search::timeline::{TimeUnit, Timeline};
use crate::search::{Hit, SearchRequest, SearchResults};
use crate::store::Named;

const SCRIPT: &str = include_str!("assets/app.js");
const STYLE: &str = include_str!("assets/style.css");

/// `GET /assets/app.js`.
pub async fn script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        SCRIPT,
    )
        .into_response()
}

/// `GET /assets/style.css`.
pub async fn style() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], STYLE).into_response()
}

/// The page frame around `body`.
pub(super) fn frame(title: &str, query: &str, params: &Params, body: Markup) -> Html<String> {
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                link rel="stylesheet" href="/assets/style.css";
                link rel="search" type="application/opensearchdescription+xml" href="/opensearch.xml" title="news-search";
                @if !query.is_empty() {
                    link rel="alternate" type="application/atom+xml" href=(feed_link(params))
                        title=(format!("{query} — news-search"));
                }
                script src="/assets/app.js" defer {}
            }
            body {
                header {
                    form id="search" method="get" action="/" role="search" {
                        label for="q" class="visually-hidden" { "Search the archive" }
                        input id="q" name="q" type="search" value=(query)
                            placeholder="Search news — press / to focus" autocomplete="off";
                        @for name in ["since", "until", "sort", "recent", "limit", "collapse", "min_ocr_quality"] {
                            @if let Some(value) = params.get(name).filter(|v| !v.is_empty()) {
                                input type="hidden" name=(name) value=(value);
                            }
                        }
                        @for name in ["source", "lang"] {
                            @for value in params.all(name) {
                                input type="hidden" name=(name) value=(value);
                            }
                        }
                        button type="submit" { "Search" }
                        details class="help" {
                            summary { "Syntax" }
                            table {
                                tr { td { code { "AI centre" } } td { "every word" } }
                                tr { td { code { "\"centre of excellence\"" } } td { "a phrase" } }
                                tr { td { code { "wind OR solar" } } td { "either word" } }
                                tr { td { code { "climate -football" } } td { "without a word (also NOT football)" } }
                                tr { td { code { "electr*" } } td { "words starting so" } }
                                tr { td { code { "centre~1" } } td { "within one edit" } }
                                tr { td { code { "title:election" } } td { "in the headline (also source:, author:, lang:)" } }
                                tr { td { code { "date:[2024-07 TO 2024-09]" } } td { "published in a window" } }
                            }
                        }
                    }
                }
                main id="results" { (body) }
            }
        }
    };
    Html(page.into_string())
}

/// The single-valued parameters a link carries over: everything that shapes the
/// results, so paging and exports show what the page shows.
const KEPT: [&str; 13] = [
    "q",
    "terms",
    "min_ocr_quality",
    "since",
    "until",
    "sort",
    "recent",
    "offset",
    "limit",
    "collapse",
    "snippets",
    "snippet_chars",
    "any",
];

/// A URL of the page with `params` changed: `set` replaces a parameter (an empty
/// value removes it), `toggle` adds or removes one value of a repeatable one.
fn link(params: &Params, set: &[(&str, &str)], toggle: Option<(&str, &str)>) -> String {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for name in KEPT {
        let value = set
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.to_string())
            .or_else(|| params.get(name).map(str::to_string));
        if let Some(value) = value.filter(|v| !v.is_empty() || name == "any") {
            pairs.push((name.to_string(), value));
        }
    }
    for name in ["source", "lang"] {
        let mut values = params.all(name);
        if let Some((_, value)) = toggle.filter(|(n, _)| *n == name) {
            if let Some(at) = values.iter().position(|v| v == value) {
                values.remove(at);
            } else {
                values.push(value.to_string());
            }
        }
        pairs.extend(values.into_iter().map(|v| (name.to_string(), v)));
    }
    let mut url = form_urlencoded::Serializer::for_suffix(String::from("/?"), 2);
    for (name, value) in &pairs {
        url.append_pair(name, value);
    }
    url.finish()
}

/// `text` with the character ranges `marks` in `<mark>`.
fn marked(text: &str, marks: &[[usize; 2]]) -> Markup {
    let chars: Vec<char> = text.chars().collect();
    let mut at = 0;
    html! {
        @for [start, end] in marks.iter().copied() {
            @if start >= at && end <= chars.len() && start < end {
                (chars[at..start].iter().collect::<String>())
                mark { (chars[start..end].iter().collect::<String>()) }
                ({ at = end; "" })
            }
        }
        (chars[at.min(chars.len())..].iter().collect::<String>())
    }
}

/// `GET /`: the search page.
pub async fn home(State(app): State<Arc<App>>, RawQuery(raw): RawQuery) -> Response {
    let mut params = match Params::parse(raw.as_deref()) {
        Ok(params) => params,
        Err(error) => return error_page(&ApiError::from(error)),
    };
    let query = params.get("q").unwrap_or("").trim().to_string();
    if query.is_empty() {
        let watches = super::feeds::watch_counts(&app).await;
        let body = html! {
            p class="intro" { "Type words to search the archive. Press " kbd { "/" } " to focus the box." }
            p class="intro" { "Have a list of names? " a href="/batch" { "Batch search" } " runs them all." }
            @if !watches.is_empty() {
                section class="watches" aria-labelledby="watches-title" {
                    h2 id="watches-title" { "Saved searches" }
                    ul {
                        @for (name, unread, single) in &watches {
                            @let escaped: String = form_urlencoded::byte_serialize(name.as_bytes()).collect();
                            li {
                                @match single {
                                    Some(q) => a href=(link(&Params::default(), &[("q", q)], None)) { (name) },
                                    None => span { (name) " (a watchlist)" },
                                }
                                " "
                                span class=(if *unread > 0 { "unread new" } else { "unread" }) { (unread) " unread" }
                                " · "
                                a href=(format!("/watch/{escaped}.atom")) type="application/atom+xml" { "feed" }
                            }
                        }
                    }
                }
            }
        };
        return frame("news-search", "", &params, body).into_response();
    }
    params.set_default("timeline", "auto");
    // A bad query or a search past its budget keeps its status (400, 503): the
    // page shows the message either way.
    let searched = match params.search_request() {
        Ok(request) => run_search(&app, request.clone())
            .await
            .map(|results| (request, results)),
        Err(error) => Err(error.into()),
    };
    // Distinctive terms cost a sample and a count per candidate: on request only.
    let terms = match (&searched, params.flag("terms", false)) {
        (Ok((_, results)), Ok(true)) if results.total > 0 => match params.terms_request() {
            Ok(mut wanted) => {
                wanted.limit = wanted.limit.min(PAGE_TERMS);
                app.run(move |store| store.run(&wanted)).await.ok()
            }
            Err(_) => None,
        },
        _ => None,
    };
    let (status, body) = match searched {
        Ok((request, results)) => (
            StatusCode::OK,
            results_view(&params, &query, &request, &results, terms.as_ref()),
        ),
        Err(error) => (error.status(), error_view(&error)),
    };
    let title = format!("{query} — news-search");
    (status, frame(&title, &query, &params, body)).into_response()
}

fn error_view(error: &ApiError) -> Markup {
    html! { p class="error" role="alert" { (error.message()) } }
}

/// A page that says only what went wrong, with the error's status.
pub fn error_page(error: &ApiError) -> Response {
    let page = frame(
        "Error — news-search",
        "",
        &Params::default(),
        error_view(error),
    );
    (error.status(), page).into_response()
}

/// Distinctive terms listed on the results page.
const PAGE_TERMS: usize = 12;

/// The counts of one facet (`source`, `lang`) as links that add or remove it as
/// a filter; values filtered on but not counted are listed to be removed.
fn facets(params: &Params, name: &str, counts: &[(String, usize)]) -> Markup {
    let chosen = params.all(name);
    html! {
        ul {
            @for (value, count) in counts {
                @let active = chosen.contains(value);
                li {
                    a class=(if active { "facet active" } else { "facet" }) href=(link(params, &[("offset", "")], Some((name, value)))) {
                        (value) " " span class="count" { (count) }
                        @if active { " ✕" }
                    }
                }
            }
            @for value in &chosen {
                @if !counts.iter().any(|(v, _)| v == value) {
                    li { a class="facet active" href=(link(params, &[("offset", "")], Some((name, value)))) { (value) " ✕" } }
                }
            }
        }
    }
}

fn results_view(
    params: &Params,
    query: &str,
    request: &SearchRequest,
    results: &SearchResults,
    terms: Option<&Terms>,
) -> Markup {
    let (offset, limit) = (request.offset, request.limit.max(1));
    let sort = params.get("sort").unwrap_or("relevance");
    html! {
        @for note in &results.notes {
            p class="note" { (note) }
        }
        @if let Some(suggestion) = &results.suggestion {
            p class="suggestion" { "Did you mean " a href=(link(params, &[("q", suggestion), ("offset", "")], None)) { (suggestion) } "?" }
        }
        p class="summary" {
            (counted(results.total, "matching article"))
            @if !results.hits.is_empty() { " · showing " (offset + 1) "–" (offset + results.hits.len()) }
            @else if results.total > 0 { " · none from " (offset + 1) " on" }
        }
        nav class="sort" aria-label="Order" {
            @for (value, label) in [("relevance", "Relevance"), ("newest", "Newest"), ("oldest", "Oldest"), ("recent", "Recent")] {
                @if value == sort {
                    strong { (label) }
                } @else {
                    a href=(link(params, &[("sort", value), ("offset", "")], None)) { (label) }
                }
            }
        }
        div class="filters" {
            @for name in ["since", "until"] {
                @if let Some(value) = params.get(name).filter(|v| !v.is_empty()) {
                    a class="chip" href=(link(params, &[(name, ""), ("offset", "")], None)) title="Remove" { (name) " " (value) " ✕" }
                }
            }
            (ocr_control(params, results))
        }
        @if let Some(timeline) = &results.timeline {
            (timeline_view(params, timeline))
        }
        div class="columns" {
            aside class="facets" aria-label="Sources and languages" {
                h2 { "Sources" }
                (facets(params, "source", &results.top_sources))
                (terms_view(params, query, terms))
                h2 { "Languages" }
                (facets(params, "lang", &results.languages))
            }
            div class="hits-column" {
                ol class="hits" start=(offset + 1) {
                    @for hit in &results.hits {
                        (hit_view(hit, query))
                    }
                }
                nav class="paging" aria-label="Pages" {
                    @if offset > 0 {
                        a rel="prev" href=(link(params, &[("offset", &offset.saturating_sub(limit).to_string())], None)) { "← Previous" }
                    }
                    @if let Some(next) = results.next_offset {
                        a rel="next" href=(link(params, &[("offset", &next.to_string())], None)) { "Next →" }
                    }
                }
                p class="export" {
                    "Export these results: "
                    a href=(export_link(params, "csv")) { "CSV" } " · "
                    a href=(export_link(params, "jsonl")) { "JSON Lines" }
                    " · " a href=(trends_link(params)) { "compare over time" }
                    " · " a href=(feed_link(params)) type="application/atom+xml" { "Atom feed" }
                }
            }
        }
    }
}

/// "OCR quality: any · ≥ 50% · …", when a hit has a quality or the filter is set.
fn ocr_control(params: &Params, results: &SearchResults) -> Markup {
    let quality = params.get("min_ocr_quality").filter(|v| !v.is_empty());
    let shown = quality.is_some() || results.hits.iter().any(|h| h.ocr_quality.is_some());
    html! {
        @if shown {
            nav class="ocr" aria-label="OCR quality" {
                "OCR quality: "
                @for (value, label) in [("", "any"), ("0.5", "≥ 50%"), ("0.7", "≥ 70%"), ("0.85", "≥ 85%")] {
                    @if quality.unwrap_or("") == value {
                        strong { (label) }
                    } @else {
                        a href=(link(params, &[("min_ocr_quality", value), ("offset", "")], None)) { (label) }
                    }
                    " "
                }
            }
        }
    }
}

/// The Atom feed of the query and filters of `params` (newest first).
fn feed_link(params: &Params) -> String {
    let url = link(
        params,
        &[("terms", ""), ("offset", ""), ("sort", ""), ("limit", "")],
        None,
    );
    format!("/feed.atom?{}", url.trim_start_matches("/?"))
}

fn export_link(params: &Params, format: &str) -> String {
    let url = link(params, &[("terms", "")], None);
    format!(
        "/api/search?{}&format={format}",
        url.trim_start_matches("/?")
    )
}

/// "Distinctive in these results": each term a link that adds it to the query;
/// before they are asked for, a link that asks.
fn terms_view(params: &Params, query: &str, terms: Option<&Terms>) -> Markup {
    html! {
        h2 { "Distinctive in these results" }
        @match terms {
            Some(terms) if !terms.terms.is_empty() => {
                ul class="terms" {
                    @for term in &terms.terms {
                        @let added = format!("{query} \"{}\"", term.term);
                        li { a class="facet" href=(link(params, &[("q", &added), ("offset", ""), ("terms", "")], None))
                            title=(format!("in {} of these, {} elsewhere", term.inside, term.outside)) { "+ " (term.term) } }
                    }
                }
            }
            Some(_) => p class="count" { "None stand out." },
            None => p { a class="facet" href=(link(params, &[("terms", "1")], None)) { "Show them" } },
        }
    }
}

/// The trends page for this search's query and filters.
fn trends_link(params: &Params) -> String {
    let url = link(
        params,
        &[
            ("offset", ""),
            ("sort", ""),
            ("recent", ""),
            ("limit", ""),
            ("collapse", ""),
            ("snippets", ""),
            ("snippet_chars", ""),
            ("terms", ""),
        ],
        None,
    );
    format!("/trends?{}", url.trim_start_matches("/?"))
}

fn hit_view(hit: &Hit, query: &str) -> Markup {
    let href = article_link(&hit.id, query);
    html! {
        li class="hit" {
            h2 { a href=(href) { (marked(&hit.title, &hit.title_highlights)) } }
            p class="meta" {
                @if let Some(date) = &hit.date { time datetime=(format_date(date)) { (date.format("%Y-%m-%d")) } }
                @if let Some(source) = crate::article::source_label(hit.source.as_deref(), hit.place.as_deref()) { " · " (source) }
                @if let Some(author) = &hit.author { " · " (author) }
                @if let Some(quality) = hit.ocr_quality { " · " span class="ocr" title="OCR confidence" { "OCR " (format!("{:.0}%", quality * 100.0)) } }
            }
            @for snippet in &hit.snippets {
                p class="snippet" {
                    @if let Some(page) = snippet.page { span class="page" { "p. " (page) } " " }
                    (marked(&snippet.text, &snippet.highlights))
                }
            }
            @if hit.similar_count > 0 {
                details class="similar" {
                    summary { "+" (hit.similar_count) " similar" }
                    ul {
                        @for copy in &hit.similar {
                            li {
                                (copy.source.as_deref().unwrap_or("unknown source"))
                                @if let Some(date) = &copy.date { " · " (date.format("%Y-%m-%d")) }
                                " · " a href=(article_link(&copy.id, query)) { (copy.title) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn article_link(id: &str, query: &str) -> String {
    let mut url = form_urlencoded::Serializer::new(String::new());
    if !query.is_empty() {
        url.append_pair("q", query);
    }
    let id: String = form_urlencoded::byte_serialize(id.as_bytes()).collect();
    let rest = url.finish();
    if rest.is_empty() {
        format!("/articles/{id}")
    } else {
        format!("/articles/{id}?{rest}")
    }
}

/// The first and last day of a timeline bucket.
fn bucket_days(key: &str, unit: TimeUnit) -> Option<(String, String)> {
    match unit {
        TimeUnit::Week => {
            let (year, week) = key.split_once("-W")?;
            let (year, week) = (year.parse().ok()?, week.parse().ok()?);
            let monday = NaiveDate::from_isoywd_opt(year, week, Weekday::Mon)?;
            let sunday = NaiveDate::from_isoywd_opt(year, week, Weekday::Sun)?;
            Some((monday.to_string(), sunday.to_string()))
        }
        TimeUnit::Source => None,
        _ => Some((key.to_string(), key.to_string())),
    }
}

/// The matching set over time, as SVG bars; each bar (and each range the script
/// selects by dragging) links to the search narrowed to its period.
fn timeline_view(params: &Params, timeline: &Timeline) -> Markup {
    let bars = &timeline.buckets;
    if bars.is_empty() {
        return html! {};
    }
    let most = bars.iter().map(|(_, n)| *n).max().unwrap_or(1).max(1);
    let width = bars.len() * 12;
    html! {
        figure class="timeline" data-unit=(timeline.unit.name()) {
            svg viewBox=(format!("0 0 {width} 64")) preserveAspectRatio="none" role="img"
                width=(((bars.len() * 18).clamp(120, 960)).to_string()) height="72"
                aria-label=(format!("Matching articles per {}", timeline.unit.name())) {
                @for (n, (key, count)) in bars.iter().enumerate() {
                    @let height = (*count as f64 / most as f64 * 60.0).max(if *count > 0 { 2.0 } else { 0.0 });
                    @if let Some((first, last)) = bucket_days(key, timeline.unit) {
                        a href=(link(params, &[("since", &first), ("until", &last), ("offset", "")], None))
                            data-since=(first) data-until=(last) {
                            rect x=(n * 12) y=(format!("{:.1}", 64.0 - height)) width="10" height=(format!("{height:.1}")) {
                                title { (key) ": " (count) }
                            }
                            rect class="hit-area" x=(n * 12) y="0" width="12" height="64" {
                                title { (key) ": " (count) }
                            }
                        }
                    }
                }
            }
            figcaption {
                (bars.first().map(|(k, _)| k.as_str()).unwrap_or("")) " – " (bars.last().map(|(k, _)| k.as_str()).unwrap_or(""))
                " · per " (timeline.unit.name()) " · click a bar or drag across bars to narrow"
                @if timeline.missing > 0 { " · " (timeline.missing) " undated" }
            }
        }
    }
}

/// `GET /articles/{id}`: the whole article, the query's words marked.
pub async fn article(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
    headers: axum::http::HeaderMap,
) -> Response {
    let params = match Params::parse(raw.as_deref()) {
        Ok(params) => params,
        Err(error) => return error_page(&ApiError::from(error)),
    };
    let query = params.get("q").unwrap_or("").trim().to_string();
    let q = query.clone();
    let synonyms = app.synonyms();
    let found = app
        .run(move |store| {
            let Some(article) = store.find(&id, Named::Id)?.into_iter().next() else {
                return Ok(None);
            };
            let (title_marks, body_marks) = query_marks(&article, &q, synonyms.as_deref());
            let related = store
                .similar(&id, Named::Id, synonyms.as_deref(), 5, 160)?
                .map(|(results, _)| results);
            let reprints = store.run(&ReprintsOf {
                article: article.clone(),
                min_words: REPRINT_WORDS,
            })?;
            Ok(Some((
                article,
                title_marks,
                body_marks,
                (related, reprints),
            )))
        })
        .await;
    let (article, title_marks, body_marks, (related, reprints)) = match found {
        Ok(Some(found)) => found,
        Ok(None) => {
            let body = html! { p class="error" role="alert" { "No article has that id." } };
            return (
                StatusCode::NOT_FOUND,
                frame("Not found — news-search", &query, &params, body),
            )
                .into_response();
        }
        Err(failure) => {
            let error = ApiError::from(failure);
            let status = error.status();
            return (
                status,
                frame("Error — news-search", &query, &params, error_view(&error)),
            )
                .into_response();
        }
    };
    let body = html! {
        (article_view(&article, &title_marks, &body_marks, &related, &query))
        (cite_view(&article, &super::feeds::base(&headers)))
        (reprints_view(&article, &reprints, &query))
    };
    frame(
        &format!("{} — news-search", article.title),
        &query,
        &params,
        body,
    )
    .into_response()
}

/// The words of the query `q` in the headline and body of `article`, as
/// character ranges; none for no query or one that does not parse.
fn query_marks(
    article: &Article,
    q: &str,
    synonyms: Option<&Synonyms>,
) -> (Vec<[usize; 2]>, Vec<[usize; 2]>) {
    if q.is_empty() {
        return (Vec::new(), Vec::new());
    }
    // Read in the article's language, as its words were indexed.
    let analysis = Analysis::of(article.lang.as_deref().unwrap_or_default());
    match query::parse_with(q, true, synonyms, &[analysis]) {
        Ok(parsed) => {
            let marks =
                |m, text: &str| Highlighter::new(analysis, m, HashMap::new()).highlight(text);
            (
                marks(parsed.title_marks, &article.title),
                marks(parsed.body_marks, &article.body),
            )
        }
        Err(_) => (Vec::new(), Vec::new()),
    }
}

/// "Cite": the citation as text, and the files reference managers import.
fn cite_view(article: &Article, base: &str) -> Markup {
    let escaped: String = form_urlencoded::byte_serialize(article.id.as_bytes()).collect();
    let cited = Cited::new(article, Some(format!("{base}/articles/{escaped}")));
    let file = |format: &str| format!("/api/articles/{escaped}/cite?format={format}");
    html! {
        details class="cite" {
            summary { "Cite" }
            p class="citation" { (cite::text(&cited)) }
            p class="export" {
                "Download for Zotero, EndNote or Mendeley: "
                a href=(file("bibtex")) download { "BibTeX" } " · "
                a href=(file("ris")) download { "RIS" } " · "
                a href=(file("csl-json")) download { "CSL-JSON" }
            }
        }
    }
}

/// Shortest passage listed as printed elsewhere too.
const REPRINT_WORDS: usize = 40;

/// "This passage also appeared in…": each shared passage, and where else it was printed.
fn reprints_view(article: &Article, clusters: &[Cluster], query: &str) -> Markup {
    if clusters.is_empty() {
        return html! {};
    }
    html! {
        section class="reprints" aria-label="Passages printed elsewhere" {
            h2 { "This passage also appeared in…" }
            @for cluster in clusters {
                @let own = cluster.printings.iter().find(|p| p.article.id == article.id);
                @let excerpt: String = own
                    .map(|p| article.body.chars().skip(p.start).take((p.end - p.start).min(240)).collect())
                    .unwrap_or_default();
                blockquote { (crate::article::clean_line(&excerpt)) "…" }
                ul {
                    @for printing in cluster.printings.iter().filter(|p| p.article.id != article.id) {
                        li {
                            (printing.article.date.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default())
                            " · " (printing.article.source_label().unwrap_or_default()) " · "
                            a href=(article_link(&printing.article.id, query)) { (printing.article.title) }
                        }
                    }
                }
            }
        }
    }
}

fn article_view(
    article: &Article,
    title_marks: &[[usize; 2]],
    body_marks: &[[usize; 2]],
    related: &Option<SearchResults>,
    query: &str,
) -> Markup {
    // Only web links become links: `javascript:` and the like stay text.
    let web_url = article
        .url
        .as_deref()
        .filter(|u| u.starts_with("https://") || u.starts_with("http://"));
    let back = if query.is_empty() {
        "/".to_string()
    } else {
        let mut url = form_urlencoded::Serializer::for_suffix(String::from("/?"), 2);
        url.append_pair("q", query);
        url.finish()
    };
    html! {
        p class="back" { a href=(back) { "← Back to the results" } }
        article class="article" {
            h1 { (marked(&article.title, title_marks)) }
            dl class="meta" {
                @if let Some(date) = &article.date { dt { "Date" } dd { (format_date(date)) } }
                @if let Some(source) = article.source_label() { dt { "Source" } dd { (source) } }
                @if let Some(author) = &article.author { dt { "Author" } dd { (author) } }
                @if let Some(url) = web_url { dt { "URL" } dd { a href=(url) rel="noopener noreferrer" { (url) } } }
                @else if let Some(url) = &article.url { dt { "URL" } dd { (url) } }
                @if let Some(path) = &article.path { dt { "File" } dd { code { (path) } } }
                @if let (Some(_), Some(issue)) = (&article.scan, super::iiif::issue_id(article)) {
                    dt { "IIIF" } dd { a class="iiif" href=(format!("/iiif/{issue}/manifest.json")) { "manifest" } }
                }
                dt { "Id" } dd { code { (article.id) } }
            }
            @if let Some(scan) = &article.scan {
                (scans_view(&article.id, scan, body_marks))
                div class="body printed" { (paragraphs(&article.body, body_marks)) }
            } @else {
                div class="body" { (paragraphs(&article.body, body_marks)) }
            }
        }
        @if let Some(related) = related.as_ref().filter(|r| !r.hits.is_empty()) {
            section class="related" {
                h2 { "Related coverage" }
                ol {
                    @for hit in &related.hits {
                        li {
                            a href=(article_link(&hit.id, query)) { (hit.title) }
                            " · " (hit.source.as_deref().unwrap_or(""))
                            @if let Some(date) = &hit.date { " · " (date.format("%Y-%m-%d")) }
                            @if hit.near_duplicate { " · " em { "near-duplicate" } }
                        }
                    }
                }
            }
        }
    }
}

/// The article's scanned pages with the marked words' boxes drawn over them, or
/// why a scan cannot be shown.
fn scans_view(id: &str, scan: &crate::scan::Scan, body_marks: &[[usize; 2]]) -> Markup {
    let boxes: Vec<crate::scan::HitBox> = body_marks
        .iter()
        .flat_map(|[a, b]| scan.boxes(*a, *b))
        .collect();
    let escaped_id: String = form_urlencoded::byte_serialize(id.as_bytes()).collect();
    html! {
        @for (n, page) in scan.pages.iter().enumerate() {
            @if super::scans::showable(page) {
                figure class="scan" {
                    div class="scan-frame" {
                        img src=(format!("/articles/{escaped_id}/scans/{n}")) alt=(format!("Scan of page {}", page.number)) loading="lazy";
                        @if let (Some(width), Some(height)) = (page.width, page.height) {
                            svg xmlns="http://www.w3.org/2000/svg" viewBox=(format!("0 0 {width} {height}")) preserveAspectRatio="none" aria-hidden="true" {
                                @for hit in boxes.iter().filter(|b| b.page == page.number) {
                                    rect class="hit" x=(hit.x) y=(hit.y) width=(hit.w) height=(hit.h) {}
                                }
                            }
                        }
                    }
                    figcaption { "Page " (page.number) " · " code { (page.image.as_deref().unwrap_or(&page.file)) } }
                }
            } @else if let Some(image) = &page.image {
                p class="note scan-missing" { "The scan of page " (page.number) " (" code { (image) } ") is in a format a browser cannot show." }
            }
        }
    }
}

/// The body in paragraphs (blank lines), the marks kept.
fn paragraphs(body: &str, marks: &[[usize; 2]]) -> Markup {
    let mut out = String::new();
    let mut start = 0usize;
    for part in body.split("\n\n") {
        let len = part.chars().count();
        let inside: Vec<[usize; 2]> = marks
            .iter()
            .filter(|[a, b]| *a >= start && *b <= start + len)
            .map(|[a, b]| [a - start, b - start])
            .collect();
        if !part.trim().is_empty() {
            out.push_str("<p>");
            out.push_str(&marked(part, &inside).into_string());
            out.push_str("</p>");
        }
        start += len + 2;
    }
    // Built from escaped fragments only.
    PreEscaped(out)
}
