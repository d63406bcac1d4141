//! Where the articles live, parsed once from `--index` / `NEWS_SEARCH_INDEX`: a local
//! folder, or `quickwit+http(s)://host:port/INDEX_ID` for an index on a Quickwit
//! cluster. Nothing past the command line sees the string again.

use std::fmt;
use std::path::PathBuf;

/// The index location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A Tantivy index in a local folder.
    Local(PathBuf),
    /// An index on a Quickwit node or cluster.
    Quickwit(QuickwitUrl),
}

/// A Quickwit index: the node's REST base URL and the index id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuickwitUrl {
    /// `http://host:port` (no trailing slash).
    pub base: String,
    /// The Quickwit index id.
    pub index_id: String,
}

impl fmt::Display for QuickwitUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "quickwit+{}/{}", self.base, self.index_id)
    }
}

impl Location {
    /// Reads a location: anything starting `quickwit+` must be a valid Quickwit URL;
    /// a bare web address is refused (it would make a folder named `http:`);
    /// everything else is a folder.
    pub fn parse(text: &str) -> Result<Location, String> {
        let Some(rest) = text.strip_prefix("quickwit+") else {
            let lower = text.to_ascii_lowercase();
            if lower.starts_with("http://") || lower.starts_with("https://") {
                return Err(format!(
                    "`{text}` is a web address, not a folder; a Quickwit index is named quickwit+{text}"
                ));
            }
            return Ok(Location::Local(PathBuf::from(text)));
        };
        let bad = |why: &str| {
            Err(format!(
                "`{text}` is not a Quickwit index URL: {why} (expected quickwit+http://HOST:PORT/INDEX_ID)"
            ))
        };
        let Some((scheme, after)) = rest.split_once("://") else {
            return bad("no `://`");
        };
        if scheme != "http" && scheme != "https" {
            return bad(&format!("the scheme is `{scheme}`, not http or https"));
        }
        let Some((authority, path)) = after.split_once('/') else {
            return bad("no index id after the host");
        };
        let index_id = path.trim_end_matches('/');
        if authority.is_empty() || authority.contains(['@', '?', '#', ' ']) {
            return bad("the host is missing or has a user, query or space in it");
        }
        if let Some((host, port)) = authority.rsplit_once(':')
            && (host.is_empty() || port.parse::<u16>().is_err())
        {
            return bad(&format!("`{port}` is not a port number"));
        }
        if !valid_index_id(index_id) {
            return bad(&format!(
                "`{index_id}` is not a Quickwit index id (a letter, then 2 to 254 letters, digits, `-`, `_` or `.`)"
            ));
        }
        Ok(Location::Quickwit(QuickwitUrl {
            base: format!("{scheme}://{authority}"),
            index_id: index_id.to_string(),
        }))
    }

    /// The folder of a local index.
    pub fn local_dir(&self) -> Option<&PathBuf> {
        match self {
            Location::Local(dir) => Some(dir),
            Location::Quickwit(_) => None,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Local(dir) => write!(f, "{}", dir.display()),
            Location::Quickwit(url) => write!(f, "{url}"),
        }
    }
}

/// Quickwit's rule for index ids: `^[a-zA-Z][a-zA-Z0-9-_\.]{2,254}$`.
pub fn valid_index_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && (3..=255).contains(&id.len())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_and_quickwit_urls() {
        assert_eq!(
            Location::parse("./index").unwrap(),
            Location::Local(PathBuf::from("./index"))
        );
        let Location::Quickwit(url) =
            Location::parse("quickwit+http://127.0.0.1:7280/news").unwrap()
        else {
            panic!("not quickwit");
        };
        assert_eq!(url.base, "http://127.0.0.1:7280");
        assert_eq!(url.index_id, "news");
        assert_eq!(url.to_string(), "quickwit+http://127.0.0.1:7280/news");
        assert!(Location::parse("quickwit+https://search.example/news-2024/").is_ok());
    }

    #[test]
    fn bad_urls_say_what_is_wrong_and_name_the_url() {
        for (text, why) in [
            ("quickwit+ftp://h:1/news", "scheme"),
            ("quickwit+http://h:1", "no index id"),
            ("quickwit+http://h:port/news", "port number"),
            ("quickwit+http://h:1/n", "index id"),
            ("quickwit+http://h:1/9news", "index id"),
            ("quickwit+http://h:1/a/b", "index id"),
            ("quickwit+http:/h/news", "://"),
            ("quickwit+http:///news", "host"),
            ("http://h:1/news", "quickwit+http://h:1/news"),
            ("HTTPS://h/news", "web address"),
        ] {
            let err = Location::parse(text).unwrap_err();
            assert!(err.contains(text) && err.contains(why), "{text}: {err}");
        }
    }
}
