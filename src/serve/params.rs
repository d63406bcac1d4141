//! URL query parameters, read into the same typed search request as the command
//! line's flags: each parameter has the meaning and default of its flag.

use std::time::Duration;

use crate::config::{DEFAULT_LIMIT, TOP_SOURCES, filters, half_life};
use crate::error::{Error, Result};
use crate::search::filter::Filters;
use crate::search::query::MAX_QUERY_CHARS;
use crate::search::reuse::ReuseRequest;
use crate::search::terms::{MAX_TERMS, TermsRequest};
use crate::search::timeline::TimeUnit;
use crate::search::trends::TrendsRequest;
use crate::search::{SearchRequest, SortOrder};

/// Most hits one request may ask for.
pub const MAX_LIMIT: usize = 1000;
/// Most different parameters (name and value) one request may carry.
pub const MAX_PARAMS: usize = 100;

/// The parameters of one request, in order; a repeated name with the same value
/// counts once.
#[derive(Debug, Clone, Default)]
pub struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    /// Reads a raw query string (`a=1&b=2`), dropping repeated pairs; more than
    /// [`MAX_PARAMS`] different ones is an error.
    pub fn parse(raw: Option<&str>) -> Result<Params> {
        let mut seen = std::collections::HashSet::new();
        let mut pairs = Vec::new();
        for (name, value) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
            if seen.insert((name.clone(), value.clone())) {
                if pairs.len() == MAX_PARAMS {
                    return Err(Error::Usage(format!(
                        "the request has more than {MAX_PARAMS} different parameters"
                    )));
                }
                pairs.push((name.into_owned(), value.into_owned()));
            }
        }
        Ok(Params { pairs })
    }

    /// Sets `name` to `value` unless it is given.
    pub fn set_default(&mut self, name: &str, value: &str) {
        if self.get(name).is_none() {
            self.pairs.push((name.to_string(), value.to_string()));
        }
    }

    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every non-empty value of `name`.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.pairs
            .iter()
            .filter(|(k, v)| k == name && !v.is_empty())
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// The first value of `name`, when it is not empty.
    fn text(&self, name: &str) -> Option<&str> {
        self.get(name).filter(|v| !v.trim().is_empty())
    }

    /// A number parameter, `default` when absent.
    pub fn number(&self, name: &str, default: usize) -> Result<usize> {
        match self.text(name) {
            None => Ok(default),
            Some(v) => v
                .trim()
                .parse()
                .map_err(|_| Error::Usage(format!("{name}: `{v}` is not a whole number"))),
        }
    }

    /// A yes/no parameter: present without a value (or `1`, `true`, `yes`, `on`) is yes.
    pub fn flag(&self, name: &str, default: bool) -> Result<bool> {
        match self.get(name) {
            None => Ok(default),
            Some(v) => match v.trim().to_ascii_lowercase().as_str() {
                "" | "1" | "true" | "yes" | "on" => Ok(true),
                "0" | "false" | "no" | "off" => Ok(false),
                _ => Err(Error::Usage(format!("{name}: `{v}` is not true or false"))),
            },
        }
    }

    /// The query text, required and at most [`MAX_QUERY_CHARS`].
    pub fn query(&self) -> Result<String> {
        let q = self
            .text("q")
            .ok_or_else(|| Error::Usage("q: give a query, as in ?q=AI+centre".into()))?;
        if q.chars().count() > MAX_QUERY_CHARS {
            return Err(Error::Query(format!(
                "the query is longer than {MAX_QUERY_CHARS} characters"
            )));
        }
        Ok(q.to_string())
    }

    /// A `--timeline` unit.
    pub fn unit(&self, name: &str) -> Result<Option<TimeUnit>> {
        Ok(match self.text(name) {
            None => None,
            Some(unit) => Some(match unit {
                "day" => TimeUnit::Day,
                "week" => TimeUnit::Week,
                "month" => TimeUnit::Month,
                "year" => TimeUnit::Year,
                "source" => TimeUnit::Source,
                "auto" => TimeUnit::Auto,
                other => {
                    return Err(Error::Usage(format!(
                        "{name}: `{other}` is not one of day, week, month, year, source, auto"
                    )));
                }
            }),
        })
    }

    /// The date window, sources, languages and OCR quality, as every request takes them.
    fn filters(&self) -> Result<Filters> {
        filters(
            self.text("since"),
            self.text("until"),
            &self.all("source"),
            &self.all("lang"),
            self.text("min_ocr_quality"),
            "",
        )
    }

    /// The search these parameters ask for, with the command line's defaults.
    pub fn search_request(&self) -> Result<SearchRequest> {
        let query = self.query()?;
        let limit = self.number("limit", DEFAULT_LIMIT)?;
        if limit > MAX_LIMIT {
            return Err(Error::Usage(format!(
                "limit: at most {MAX_LIMIT} hits a request"
            )));
        }
        let filters = self.filters()?;
        let (sort, recent) = self.order()?;
        let snippets = self.number("snippets", 2)?;
        let request = SearchRequest {
            query,
            limit,
            offset: self.number("offset", 0)?,
            snippet_chars: self.number("snippet_chars", 200)?.clamp(1, 10_000),
            passages: snippets.min(20),
            highlight: true,
            match_any: self.flag("any", false)?,
            filters,
            sort,
            recent,
            collapse: self.flag("collapse", true)?,
            timeline: self.unit("timeline")?,
            top_sources: TOP_SOURCES,
            synonyms: None,
            query_langs: crate::config::query_langs(&self.all("query_lang"), "query_lang")?,
        };
        request.check_offset("offset")?;
        Ok(request)
    }

    /// The unusual terms these parameters ask for: `q`, `background`, `limit`
    /// (default 20) and the filters.
    pub fn terms_request(&self) -> Result<TermsRequest> {
        let request = TermsRequest {
            query: self.query()?,
            background: self.text("background").map(str::to_string),
            filters: self.filters()?,
            match_any: self.flag("any", false)?,
            limit: self.number("limit", 20)?,
        };
        if request.limit == 0 || request.limit > MAX_TERMS {
            return Err(Error::Usage(format!("limit: give 1 to {MAX_TERMS} terms")));
        }
        Ok(request)
    }

    /// The reprinted passages these parameters ask for: `q` (default every
    /// article), `min_words` (default 40), `limit` (default 20) and the filters.
    pub fn reuse_request(&self) -> Result<ReuseRequest> {
        let request = ReuseRequest {
            query: self.text("q").unwrap_or("*").to_string(),
            filters: self.filters()?,
            match_any: self.flag("any", false)?,
            min_words: self.number("min_words", 40)?,
            limit: self.number("limit", 20)?.min(MAX_LIMIT),
        };
        request.check("")?;
        Ok(request)
    }

    /// The trends these parameters ask for: every `q`, `per` and the filters.
    pub fn trends_request(&self) -> Result<TrendsRequest> {
        let queries: Vec<String> = self
            .all("q")
            .into_iter()
            .filter(|q| !q.trim().is_empty())
            .collect();
        if let Some(long) = queries.iter().find(|q| q.chars().count() > MAX_QUERY_CHARS) {
            return Err(Error::Query(format!(
                "the query `{}…` is longer than {MAX_QUERY_CHARS} characters",
                long.chars().take(20).collect::<String>()
            )));
        }
        let request = TrendsRequest {
            queries,
            filters: self.filters()?,
            match_any: self.flag("any", false)?,
            per: self.unit("per")?.filter(|u| *u != TimeUnit::Auto),
        };
        request.check("")?;
        Ok(request)
    }

    /// `sort` (relevance, newest, oldest, or recent: relevance with the default
    /// recency blend) and `recent` (a half-life, as `--recent=`).
    fn order(&self) -> Result<(SortOrder, Option<Duration>)> {
        let recent = match self.get("recent") {
            None => None,
            Some(v) if v.trim().is_empty() => Some(half_life("30d", "")?),
            Some(v) => Some(half_life(v, "")?),
        };
        let sort = match self.text("sort").unwrap_or("relevance") {
            "relevance" => SortOrder::Relevance,
            "newest" => SortOrder::Newest,
            "oldest" => SortOrder::Oldest,
            "recent" => {
                return Ok((
                    SortOrder::Relevance,
                    Some(recent.map_or_else(|| half_life("30d", ""), Ok)?),
                ));
            }
            other => {
                return Err(Error::Usage(format!(
                    "sort: `{other}` is not one of relevance, newest, oldest, recent"
                )));
            }
        };
        if recent.is_some() && sort != SortOrder::Relevance {
            return Err(Error::Usage(
                "recent blends into relevance: it cannot be used with sort=newest or oldest".into(),
            ));
        }
        Ok((sort, recent))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_mean_what_the_flags_mean() {
        let p = Params::parse(Some(
            "q=AI+centre&source=Global+Wire&source=Harbour%20Post&limit=3&any&collapse=false&timeline=month&sort=recent",
        ))
        .unwrap();
        let r = p.search_request().unwrap();
        assert_eq!(r.query, "AI centre");
        assert_eq!(r.filters.sources, ["Global Wire", "Harbour Post"]);
        assert_eq!(r.limit, 3);
        assert!(r.match_any && !r.collapse);
        assert_eq!(r.timeline, Some(TimeUnit::Month));
        assert_eq!(r.recent, Some(Duration::from_secs(30 * 86_400)));
        let d = Params::parse(Some("q=x"))
            .unwrap()
            .search_request()
            .unwrap();
        assert_eq!((d.limit, d.passages, d.snippet_chars), (10, 2, 200));
        assert!(d.collapse && !d.match_any && d.recent.is_none());
        for bad in [
            "q=",
            "q=x&limit=1001",
            "q=x&limit=-1",
            "q=x&since=yesterday",
            "q=x&sort=best",
            "q=x&lang=xx1",
        ] {
            assert!(
                Params::parse(Some(bad)).unwrap().search_request().is_err(),
                "{bad}"
            );
        }
    }
    #[test]
    fn repeated_values_count_once_and_floods_are_refused() {
        let flood = format!("q=x{}", "&lang=en".repeat(7000));
        let request = Params::parse(Some(&flood))
            .unwrap()
            .search_request()
            .unwrap();
        assert_eq!(request.filters.langs, ["en"]);
        let many: String = (0..MAX_PARAMS).map(|n| format!("&source=s{n}")).collect();
        assert!(Params::parse(Some(&format!("q=x{many}"))).is_err());
        let sources: String = (0..33).map(|n| format!("&source=s{n}")).collect();
        let params = Params::parse(Some(&format!("q=x{sources}"))).unwrap();
        assert!(params.search_request().is_err(), "33 sources");
        let offset = |o: &str| {
            Params::parse(Some(&format!("q=x&offset={o}")))
                .unwrap()
                .search_request()
        };
        assert!(offset("100000").is_ok());
        for bad in [
            "100001",
            "2000000000",
            "18446744073709551615",
            "18446744073709551616",
        ] {
            assert!(offset(bad).is_err(), "{bad}");
        }
    }
}
