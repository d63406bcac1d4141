//! Feeds: an Atom 1.0 feed for any query (`/feed.atom?q=…` with the page's
//! filters, newest first), one per saved search or watchlist
//! (`/watch/NAME.atom`), and an OpenSearch description (`/opensearch.xml`) so a
//! browser can add the archive as a search engine. Links in them are absolute,
//! made from the request's Host (which the Host check has already vetted).

use std::fmt::Write as _;
use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::api::ApiError;
use super::app::App;
use super::params::Params;
use crate::article::format_date;
use crate::search::{Hit, SearchRequest, SearchResults, SortOrder};
use crate::watch::{self, Watch};

/// Entries in a feed unless `limit` says otherwise.
const FEED_ENTRIES: usize = 30;
/// Most entries a feed gives.
const MAX_FEED_ENTRIES: usize = 200;

/// `http://HOST` of the request.
pub(super) fn base(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    format!("http://{host}")
}

/// `GET /feed.atom?q=…`: the newest articles matching the query and filters.
pub async fn query_feed(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let params = Params::parse(raw.as_deref())?;
    let request = feed_request(params.search_request()?, &params)?;
    let base = base(&headers);
    let query = request.query.clone();
    let request = app.with_synonyms(request);
    let results = app.run(move |store| store.search(&request)).await?;
    let self_link = format!("{base}/feed.atom?{}", raw.as_deref().unwrap_or(""));
    let page = format!("{base}/?{}", without_format(raw.as_deref().unwrap_or("")));
    let hits: Vec<(&Hit, Option<&str>)> = results.hits.iter().map(|h| (h, None)).collect();
    Ok(atom(&Feed {
        id: &self_link,
        title: &format!("news-search: {query}"),
        self_link: &self_link,
        page: &page,
        base: &base,
        hits: &hits,
    }))
}

/// The feed's search: newest first, one entry per story, a passage each.
fn feed_request(mut request: SearchRequest, params: &Params) -> Result<SearchRequest, ApiError> {
    let limit = params.number("limit", FEED_ENTRIES)?;
    if limit == 0 || limit > MAX_FEED_ENTRIES {
        return Err(crate::error::Error::Usage(format!(
            "limit: give 1 to {MAX_FEED_ENTRIES} entries"
        ))
        .into());
    }
    request.limit = limit;
    request.offset = 0;
    request.sort = SortOrder::Newest;
    request.recent = None;
    request.passages = 1;
    request.timeline = None;
    request.top_sources = 0;
    Ok(request)
}

/// The page's parameters without the feed's own.
fn without_format(raw: &str) -> String {
    raw.split('&')
        .filter(|pair| !pair.starts_with("limit="))
        .collect::<Vec<_>>()
        .join("&")
}

/// `GET /watch/NAME.atom`: the newest articles matching any of a watch's
/// queries, under its filters; each entry says which query matched.
pub async fn watch_feed(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Path(file): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let Some(name) = file.strip_suffix(".atom").map(str::to_string) else {
        return Err(ApiError::not_found("watch feeds end in .atom"));
    };
    let params = Params::parse(raw.as_deref())?;
    let limit = feed_request(SearchRequest::new(""), &params)?.limit;
    let base = base(&headers);
    let wanted = name.clone();
    let (watch, results) = app
        .run(move |store| {
            let watch = watch::read(store)?
                .watches
                .into_iter()
                .find(|w| w.name == wanted)
                .ok_or_else(|| watch::no_such(&wanted))?;
            let filters = watch.filters.resolve()?;
            let mut all = Vec::new();
            for query in &watch.queries {
                let request = SearchRequest {
                    limit,
                    passages: 1,
                    sort: SortOrder::Newest,
                    match_any: watch.any,
                    filters: filters.clone(),
                    ..SearchRequest::new(query.query.clone())
                };
                // A list's line that no longer parses gives no entries.
                if let Ok(results) = store.search(&request) {
                    all.push((query.query.clone(), results));
                }
            }
            Ok((watch, all))
        })
        .await
        .map_err(|failure| match ApiError::from(failure) {
            e if e.message().starts_with("no watch named") => ApiError::not_found(e.message()),
            e => e,
        })?;
    let hits = newest(&results, limit);
    let escaped: String = form_urlencoded::byte_serialize(name.as_bytes()).collect();
    let self_link = format!("{base}/watch/{escaped}.atom");
    let page = watch_page(&base, &watch);
    Ok(atom(&Feed {
        id: &self_link,
        title: &format!("news-search watch: {}", watch.name),
        self_link: &self_link,
        page: &page,
        base: &base,
        hits: &hits,
    }))
}

/// The search page of a watch: its query, or the first of its list's.
fn watch_page(base: &str, watch: &Watch) -> String {
    let query = watch.queries.first().map_or("", |q| q.query.as_str());
    let q: String = form_urlencoded::byte_serialize(query.as_bytes()).collect();
    format!("{base}/?q={q}")
}

/// The newest `limit` hits of several searches, each article once (with the
/// first query that found it).
fn newest(results: &[(String, SearchResults)], limit: usize) -> Vec<(&Hit, Option<&str>)> {
    let mut all: Vec<(&Hit, Option<&str>)> = results
        .iter()
        .flat_map(|(query, r)| r.hits.iter().map(move |h| (h, Some(query.as_str()))))
        .collect();
    all.sort_by(|a, b| b.0.date.cmp(&a.0.date).then_with(|| a.0.id.cmp(&b.0.id)));
    let mut seen = std::collections::HashSet::new();
    all.retain(|(hit, _)| seen.insert(hit.id.as_str()));
    all.truncate(limit);
    all
}

/// What one feed holds.
struct Feed<'a> {
    id: &'a str,
    title: &'a str,
    self_link: &'a str,
    page: &'a str,
    base: &'a str,
    /// The entries, newest first, with the query that found each (watchlists).
    hits: &'a [(&'a Hit, Option<&'a str>)],
}

/// The feed as Atom 1.0 (RFC 4287): the feed's id, title, updated, author and
/// links; for each entry its id, title, updated, published, author, links and
/// summary.
fn atom(feed: &Feed<'_>) -> Response {
    let now = format_date(&chrono::Utc::now());
    let updated = feed
        .hits
        .iter()
        .filter_map(|(h, _)| h.date.as_ref())
        .max()
        .map_or_else(|| now.clone(), format_date);
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    xml.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    let _ = writeln!(xml, "  <id>{}</id>", text(feed.id));
    let _ = writeln!(xml, "  <title>{}</title>", text(feed.title));
    let _ = writeln!(xml, "  <updated>{updated}</updated>");
    xml.push_str("  <author><name>news-search</name></author>\n");
    xml.push_str("  <generator>news-search</generator>\n");
    let _ = writeln!(
        xml,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        text(feed.self_link)
    );
    let _ = writeln!(
        xml,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        text(feed.page)
    );
    for &(hit, query) in feed.hits {
        entry(&mut xml, (feed.base, &updated), hit, query);
    }
    xml.push_str("</feed>\n");
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        xml,
    )
        .into_response()
}

/// One hit as an Atom entry, appended to `xml`: its page under `base`, dated
/// `updated` (the feed's) when the hit has no date; `query` is the watch query
/// that found it, if any.
fn entry(xml: &mut String, (base, updated): (&str, &str), hit: &Hit, query: Option<&str>) {
    let escaped: String = form_urlencoded::byte_serialize(hit.id.as_bytes()).collect();
    let page = format!("{base}/articles/{escaped}");
    let date = hit
        .date
        .as_ref()
        .map_or_else(|| updated.to_string(), format_date);
    let title = if hit.title.trim().is_empty() {
        "(untitled)"
    } else {
        hit.title.as_str()
    };
    xml.push_str("  <entry>\n");
    let _ = writeln!(xml, "    <id>{}</id>", text(&page));
    let _ = writeln!(xml, "    <title>{}</title>", text(title));
    let _ = writeln!(xml, "    <updated>{date}</updated>");
    if hit.date.is_some() {
        let _ = writeln!(xml, "    <published>{date}</published>");
    }
    let by = hit
        .author
        .as_deref()
        .or(hit.source.as_deref())
        .unwrap_or("unknown");
    let _ = writeln!(xml, "    <author><name>{}</name></author>", text(by));
    let _ = writeln!(
        xml,
        "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        text(&page)
    );
    if let Some(url) = hit.url.as_deref().filter(|u| u.starts_with("http")) {
        let _ = writeln!(xml, "    <link rel=\"related\" href=\"{}\"/>", text(url));
    }
    if let Some(source) = &hit.source {
        let _ = writeln!(
            xml,
            "    <category term=\"{}\" label=\"source\"/>",
            text(source)
        );
    }
    let mut summary: Vec<String> = hit.snippets.iter().map(|s| s.text.clone()).collect();
    if let Some(query) = query {
        summary.insert(0, format!("[{query}]"));
    }
    if !summary.is_empty() {
        let _ = writeln!(xml, "    <summary>{}</summary>", text(&summary.join(" ")));
    }
    xml.push_str("  </entry>\n");
}

/// `GET /opensearch.xml`: the archive as a browser search engine, with its page,
/// its Atom feed and its JSON API as result formats.
pub async fn opensearch(headers: HeaderMap) -> Response {
    let base = text(&base(&headers));
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
<OpenSearchDescription xmlns=\"http://a9.com/-/spec/opensearch/1.1/\">\n\
  <ShortName>news-search</ShortName>\n\
  <Description>Search the news archive</Description>\n\
  <InputEncoding>UTF-8</InputEncoding>\n\
  <OutputEncoding>UTF-8</OutputEncoding>\n\
  <Url type=\"text/html\" method=\"get\" template=\"{base}/?q={{searchTerms}}\"/>\n\
  <Url type=\"application/atom+xml\" method=\"get\" template=\"{base}/feed.atom?q={{searchTerms}}\"/>\n\
  <Url type=\"application/json\" method=\"get\" template=\"{base}/api/search?q={{searchTerms}}&amp;offset={{startIndex?}}\" indexOffset=\"0\"/>\n\
</OpenSearchDescription>\n"
    );
    (
        [(
            header::CONTENT_TYPE,
            "application/opensearchdescription+xml; charset=utf-8",
        )],
        xml,
    )
        .into_response()
}

/// The watches and their unread counts, for the page.
pub async fn watch_counts(app: &Arc<App>) -> Vec<(String, usize, Option<String>)> {
    app.run(|store| {
        Ok(watch::read(store)?
            .watches
            .iter()
            .map(|w| {
                let single =
                    (w.file.is_none() && w.queries.len() == 1).then(|| w.queries[0].query.clone());
                (w.name.clone(), w.unread.len(), single)
            })
            .collect())
    })
    .await
    .unwrap_or_default()
}

/// `value` as XML character data or an attribute value: escaped, and without
/// the characters XML 1.0 forbids (OCR text has stray control bytes).
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::text;

    #[test]
    fn xml_text_is_escaped_and_stray_controls_go() {
        assert_eq!(
            text("a <b> & \"c\" 'd'\u{1}\u{b}e\tf"),
            "a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos;e\tf"
        );
    }
}
