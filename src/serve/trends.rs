//! Trends on the server: `GET /api/trends?q=…&q=…&per=…` (JSON, JSON Lines or
//! CSV) and the `/trends` page, which draws each query's share of the articles
//! per period as a line (SVG, with a table of the same numbers).

use crate::output::progress::counted;
use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Json, Response};
use maud::{Markup, html};
use serde_json::json;

use super::api::ApiError;
use super::app::App;
use super::page::{error_page, frame};
use super::params::Params;
use crate::error::Error;
use crate::output::{row_value, summary_value};
use crate::search::trends::{MAX_QUERIES, Trends, TrendsRequest, share};

/// Runs trends on the blocking pool.
async fn run(app: &Arc<App>, request: TrendsRequest) -> Result<Trends, ApiError> {
    Ok(app.run(move |store| store.run(&request)).await?)
}

/// `GET /api/trends`: `{"rows": […], "summary": {…}}`, or `format=jsonl|csv`.
pub async fn api(
    State(app): State<Arc<App>>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(raw.as_deref())?;
    let trends = run(&app, params.trends_request()?).await?;
    Ok(match params.get("format").unwrap_or("json") {
        "json" => Json(json!({
            "rows": trends.rows().map(|r| row_value(&r)).collect::<Vec<_>>(),
            "summary": summary_value(&trends),
        }))
        .into_response(),
        "jsonl" => {
            let mut body = String::new();
            for row in trends.rows() {
                body.push_str(&json!({"type": "trend", "data": row_value(&row)}).to_string());
                body.push('\n');
            }
            body.push_str(&json!({"type": "summary", "data": summary_value(&trends)}).to_string());
            body.push('\n');
            ([(header::CONTENT_TYPE, "application/x-ndjson")], body).into_response()
        }
        "csv" => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"news-search-trends.csv\"",
                ),
            ],
            csv(&trends),
        )
            .into_response(),
        other => {
            return Err(
                Error::Usage(format!("format: `{other}` is not one of json, jsonl, csv")).into(),
            );
        }
    })
}

/// The rows as CSV (RFC 4180), queries made inert for spreadsheets.
fn csv(trends: &Trends) -> String {
    let mut out = String::from("query,period,matches,articles,share\r\n");
    for row in trends.rows() {
        let query = super::api::inert(row.query).replace('"', "\"\"");
        let share = row.share.map(|s| format!("{s:.6}")).unwrap_or_default();
        out.push_str(&format!(
            "\"{query}\",{},{},{},{share}\r\n",
            row.period, row.matches, row.articles
        ));
    }
    out
}

/// `GET /trends`: the comparison page; without a query, only its form.
pub async fn page(State(app): State<Arc<App>>, RawQuery(raw): RawQuery) -> Response {
    let params = match Params::parse(raw.as_deref()) {
        Ok(params) => params,
        Err(error) => return error_page(&ApiError::from(error)),
    };
    let queries: Vec<String> = params
        .all("q")
        .into_iter()
        .filter(|q| !q.trim().is_empty())
        .collect();
    let (status, result) = if queries.is_empty() {
        (
            StatusCode::OK,
            html! {
                p class="intro" { "Give one or more queries to see how often each was printed, as a share of all articles per period." }
            },
        )
    } else {
        let answered = match params.trends_request() {
            Ok(request) => run(&app, request).await,
            Err(error) => Err(error.into()),
        };
        match answered {
            Ok(trends) => (StatusCode::OK, chart(&params, &trends)),
            Err(error) => (
                error.status(),
                html! { p class="error" role="alert" { (error.message()) } },
            ),
        }
    };
    let body = html! {
        h1 class="page-title" { "Compare over time" }
        (form(&params, &queries))
        (result)
    };
    let title = if queries.is_empty() {
        "Trends — news-search".to_string()
    } else {
        format!("{} — trends — news-search", queries.join(" · "))
    };
    (status, frame(&title, "", &Params::default(), body)).into_response()
}

/// The form: one box per query and one empty for another, the period, the window.
fn form(params: &Params, queries: &[String]) -> Markup {
    let per = params.get("per").unwrap_or("");
    html! {
        form class="trends-form" method="get" action="/trends" {
            fieldset {
                legend { "Queries" }
                @for (n, query) in queries.iter().enumerate() {
                    label { span class="visually-hidden" { "Query " (n + 1) } input name="q" type="search" value=(query); }
                }
                @if queries.len() < MAX_QUERIES {
                    label { span class="visually-hidden" { "Another query" } input name="q" type="search" placeholder="add a query"; }
                }
            }
            label { "Per " select name="per" {
                @for (value, label) in [("", "best fit"), ("day", "day"), ("week", "week"), ("month", "month"), ("year", "year")] {
                    option value=(value) selected[value == per] { (label) }
                }
            } }
            label { "Since " input name="since" size="10" value=(params.get("since").unwrap_or("")) placeholder="1916-01"; }
            label { "Until " input name="until" size="10" value=(params.get("until").unwrap_or("")) placeholder="1916-06"; }
            @for name in ["source", "lang"] {
                @for value in params.all(name) {
                    input type="hidden" name=(name) value=(value);
                }
            }
            button type="submit" { "Compare" }
        }
    }
}

/// Line colours, told apart by colour-blind readers too (Okabe–Ito), with a
/// dash pattern each as a second cue.
const COLOURS: [&str; 6] = [
    "#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9",
];
const DASHES: [&str; 3] = ["", "6 3", "2 3"];

/// The chart, its legend, a CSV link and the table of numbers.
fn chart(params: &Params, trends: &Trends) -> Markup {
    const WIDTH: f64 = 720.0;
    const HEIGHT: f64 = 240.0;
    const LEFT: f64 = 52.0;
    const BOTTOM: f64 = 22.0;
    const TOP: f64 = 8.0;
    let n = trends.periods.len();
    let shares: Vec<Vec<f64>> = trends
        .trends
        .iter()
        .map(|t| {
            t.matches
                .iter()
                .zip(&trends.articles)
                .map(|(&m, &a)| share(m, a))
                .collect()
        })
        .collect();
    let top = shares.iter().flatten().copied().fold(0.0, f64::max);
    let scale = if top > 0.0 { top } else { 1.0 };
    let x = |i: usize| {
        LEFT + (WIDTH - LEFT - 8.0)
            * if n > 1 {
                i as f64 / (n - 1) as f64
            } else {
                0.5
            }
    };
    let y = |s: f64| TOP + (HEIGHT - TOP - BOTTOM) * (1.0 - s / scale);
    let desc: Vec<String> = trends
        .trends
        .iter()
        .map(|t| format!("{}: {}", t.query, counted(t.total, "matching article")))
        .collect();
    html! {
        figure class="trends" {
            svg viewBox=(format!("0 0 {WIDTH} {HEIGHT}")) role="img" aria-labelledby="trends-title trends-desc" {
                title id="trends-title" { "Share of articles per " (trends.unit.name()) ", " (trends.periods.first().map(String::as_str).unwrap_or("")) " to " (trends.periods.last().map(String::as_str).unwrap_or("")) }
                desc id="trends-desc" { (desc.join("; ")) }
                line class="axis" x1=(LEFT) y1=(y(0.0)) x2=(WIDTH - 8.0) y2=(y(0.0)) {}
                line class="axis" x1=(LEFT) y1=(TOP) x2=(LEFT) y2=(y(0.0)) {}
                text class="tick" x=(LEFT - 4.0) y=(y(scale) + 4.0) text-anchor="end" { (percent(scale)) }
                text class="tick" x=(LEFT - 4.0) y=(y(0.0)) text-anchor="end" { "0%" }
                @for i in ticks(n) {
                    @let anchor = if n > 1 && i == 0 { "start" } else if n > 1 && i == n - 1 { "end" } else { "middle" };
                    text class="tick" x=(x(i)) y=(HEIGHT - 6.0) text-anchor=(anchor) { (trends.periods[i]) }
                }
                @for (k, (trend, line)) in trends.trends.iter().zip(&shares).enumerate() {
                    g class="series" {
                        // A period without articles has no share: the line breaks there.
                        @for run in runs(&trends.articles) {
                            @let points: Vec<String> = run.map(|i| format!("{:.1},{:.1}", x(i), y(line[i]))).collect();
                            polyline fill="none" stroke=(COLOURS[k % COLOURS.len()]) stroke-width="2"
                                stroke-dasharray=(DASHES[k % DASHES.len()]) points=(points.join(" ")) {}
                        }
                        @if n <= 120 {
                            @for (i, s) in line.iter().enumerate().filter(|(i, _)| trends.articles[*i] > 0) {
                                circle cx=(format!("{:.1}", x(i))) cy=(format!("{:.1}", y(*s))) r="2.5" fill=(COLOURS[k % COLOURS.len()]) {
                                    title { (trend.query) ", " (trends.periods[i]) ": " (trend.matches[i]) " of " (trends.articles[i]) " (" (percent(*s)) ")" }
                                }
                            }
                        }
                    }
                }
            }
            (legend(params, trends))
        }
        (table(trends))
    }
}

/// The chart's caption: each query's line, its count and its link, and the CSV.
fn legend(params: &Params, trends: &Trends) -> Markup {
    let csv_link = format!("/api/trends?{}&format=csv", raw_query(params));
    html! {
        figcaption {
            ul class="legend" {
                @for (k, trend) in trends.trends.iter().enumerate() {
                    li {
                        svg width="28" height="10" aria-hidden="true" {
                            line x1="0" y1="5" x2="28" y2="5" stroke=(COLOURS[k % COLOURS.len()]) stroke-width="2" stroke-dasharray=(DASHES[k % DASHES.len()]) {}
                        }
                        a href=(search_link(params, &trend.query)) { (trend.query) }
                        " · " (trend.total) " matching"
                    }
                }
            }
            "Share of all articles per " (trends.unit.name())
            @if trends.undated > 0 { " · " (counted(trends.undated, "undated article")) " in no period" }
            " · " a href=(csv_link) { "CSV" }
        }
    }
}

/// The chart's figures as a table: each period's articles, and each query's
/// matches with their share.
fn table(trends: &Trends) -> Markup {
    html! {
        table class="trends-table" {
            caption { "Matching articles and their share of all articles, per " (trends.unit.name()) }
            thead { tr {
                th scope="col" { "Period" }
                th scope="col" { "Articles" }
                @for trend in &trends.trends { th scope="col" { (trend.query) } }
            } }
            tbody {
                @for (i, period) in trends.periods.iter().enumerate() {
                    tr {
                        th scope="row" { (period) }
                        td { (trends.articles[i]) }
                        @for trend in &trends.trends {
                            td { (trend.matches[i]) @if trends.articles[i] > 0 { " (" (percent(share(trend.matches[i], trends.articles[i]))) ")" } }
                        }
                    }
                }
            }
        }
    }
}

/// The runs of periods that have articles, as index ranges.
fn runs(articles: &[usize]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, &n) in articles.iter().chain(std::iter::once(&0)).enumerate() {
        match (n > 0, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(s..i);
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// At most six evenly spaced period labels, the first and the last among them.
fn ticks(n: usize) -> Vec<usize> {
    match n {
        0 => Vec::new(),
        1..=6 => (0..n).collect(),
        _ => (0..6).map(|k| k * (n - 1) / 5).collect(),
    }
}

fn percent(share: f64) -> String {
    let p = share * 100.0;
    if p >= 10.0 || p == 0.0 {
        format!("{p:.0}%")
    } else {
        format!("{p:.1}%")
    }
}

/// This page's parameters as a query string, for the API.
fn raw_query(params: &Params) -> String {
    let mut url = form_urlencoded::Serializer::new(String::new());
    for name in ["q", "source", "lang"] {
        for value in params.all(name) {
            url.append_pair(name, &value);
        }
    }
    for name in ["per", "since", "until", "min_ocr_quality", "any"] {
        if let Some(value) = params.get(name).filter(|v| !v.is_empty()) {
            url.append_pair(name, value);
        }
    }
    url.finish()
}

/// The search for one query under the page's filters.
fn search_link(params: &Params, query: &str) -> String {
    let mut url = form_urlencoded::Serializer::for_suffix(String::from("/?"), 2);
    url.append_pair("q", query);
    for name in ["since", "until", "min_ocr_quality"] {
        if let Some(value) = params.get(name).filter(|v| !v.is_empty()) {
            url.append_pair(name, value);
        }
    }
    for name in ["source", "lang"] {
        for value in params.all(name) {
            url.append_pair(name, &value);
        }
    }
    url.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_break_at_periods_without_articles() {
        assert_eq!(runs(&[3, 4, 0, 0, 5, 0, 1]), vec![0..2, 4..5, 6..7]);
        assert_eq!(runs(&[0, 0]), Vec::<std::ops::Range<usize>>::new());
        assert_eq!(ticks(3), vec![0, 1, 2]);
        assert_eq!(ticks(35), vec![0, 6, 13, 20, 27, 34]);
    }
}
