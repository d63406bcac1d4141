//! RSS 2.0, Atom (and RSS 1.0/JSON Feed, which `feed-rs` also reads): every item
//! or entry becomes an article, its HTML content reduced to text.

use super::html::fragment_text;
use super::{Problem, Record};
use crate::article::{Article, clean_line};

/// True when the start of a document looks like a feed.
pub fn sniff(head: &str) -> bool {
    let head = head.get(..head.len().min(2048)).unwrap_or(head);
    head.contains("<rss") || head.contains("<feed") || head.contains("<rdf:RDF")
}

/// Parses a feed document (already decoded to UTF-8).
pub fn parse(text: &str) -> Vec<Record> {
    let text = utf8_declaration(text);
    // Dates as feeds write them, RFC 822 or not (`2024-03-04 10:00:00`, `CEST`,
    // `4 mars 2024`), read as every other format's are.
    let parser = feed_rs::parser::Builder::new()
        .timestamp_parser(super::date::parse_date)
        .build();
    let feed = match parser.parse(text.as_bytes()) {
        Ok(feed) => feed,
        Err(e) => return vec![Err((Problem::InvalidFeed, e.to_string()))],
    };
    let source = feed
        .title
        .as_ref()
        .map(|t| clean_line(&fragment_text(&t.content)));
    feed.entries
        .into_iter()
        .map(|entry| {
            let html = entry
                .content
                .as_ref()
                .and_then(|c| c.body.clone())
                .or_else(|| entry.summary.as_ref().map(|s| s.content.clone()))
                .unwrap_or_default();
            let article = Article {
                id: String::new(),
                title: entry
                    .title
                    .as_ref()
                    .map(|t| clean_line(&fragment_text(&t.content)))
                    .unwrap_or_default(),
                body: fragment_text(&html),
                date: entry.published.or(entry.updated),
                source: source.clone().filter(|s| !s.is_empty()),
                place: None,
                author: Some(
                    entry
                        .authors
                        .iter()
                        .filter_map(|p| p.name.as_deref())
                        .map(clean_line)
                        .collect::<Vec<_>>()
                        .join(", "),
                )
                .filter(|a| !a.is_empty()),
                url: entry.links.first().map(|l| l.href.clone()),
                path: None,
                ..Article::default()
            };
            if article.is_empty() {
                Err((Problem::NoText, "feed entry has no title or content".into()))
            } else {
                Ok(article)
            }
        })
        .collect()
}

/// The text is UTF-8 now, whatever its XML declaration said; say so, or the XML
/// reader would decode it a second time.
fn utf8_declaration(text: &str) -> String {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if let Some(end) = trimmed
        .starts_with("<?xml")
        .then(|| trimmed.find("?>"))
        .flatten()
    {
        return format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>{}",
            &trimmed[end + 2..]
        );
    }
    trimmed.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_feeds_write_them() {
        let items: String = [
            "Mon, 04 Mar 2024 10:00:00 +0000",
            "Tue, 04 Mar 2024 10:00:00 GMT",
            "Mon, 4 Mar 2024 11:00:00 CET",
            "2024-03-04 10:00:00",
            "March 4, 2024 10:00",
            "4 mars 2024 10:00",
        ]
        .iter()
        .map(|d| {
            format!(
                "<item><title>t</title><description>d</description><pubDate>{d}</pubDate></item>"
            )
        })
        .collect();
        let rss = format!(r#"<rss version="2.0"><channel><title>T</title>{items}</channel></rss>"#);
        for record in parse(&rss) {
            let date = record.unwrap().date.map(|d| d.to_rfc3339());
            assert_eq!(date.as_deref(), Some("2024-03-04T10:00:00+00:00"));
        }
    }

    #[test]
    fn rss_items() {
        let rss = r#"<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><title>Valley Courier</title>
<item><title>Bridge opens</title><link>https://vc.example/bridge</link><pubDate>Sat, 12 Jul 2025 09:00:00 GMT</pubDate>
<author>news@vc.example (Grace Mbeki)</author><description>&lt;p&gt;A new &lt;b&gt;bridge&lt;/b&gt; opened.&lt;/p&gt;</description></item>
<item><title>Second</title><description>Plain text.</description></item></channel></rss>"#;
        let records = parse(rss);
        assert_eq!(records.len(), 2);
        let a = records[0].as_ref().unwrap();
        assert_eq!(a.title, "Bridge opens");
        assert_eq!(a.body, "A new bridge opened.");
        assert_eq!(a.url.as_deref(), Some("https://vc.example/bridge"));
        assert_eq!(a.source.as_deref(), Some("Valley Courier"));
        assert_eq!(a.date.unwrap().to_rfc3339(), "2025-07-12T09:00:00+00:00");
    }

    #[test]
    fn atom_entries() {
        let atom = r#"<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Tech Briefing</title><id>x</id><updated>2026-01-01T00:00:00Z</updated>
<entry><title>Qubits</title><id>q1</id><link href="https://tb.example/q"/><updated>2026-02-10T10:00:00Z</updated><author><name>Priya Raman</name></author>
<content type="html">&lt;p&gt;Logical qubit held for an hour.&lt;/p&gt;</content></entry></feed>"#;
        let records = parse(atom);
        let a = records[0].as_ref().unwrap();
        assert_eq!(a.title, "Qubits");
        assert_eq!(a.author.as_deref(), Some("Priya Raman"));
        assert_eq!(a.body, "Logical qubit held for an hour.");
        assert_eq!(a.date.unwrap().to_rfc3339(), "2026-02-10T10:00:00+00:00");
    }

    #[test]
    fn broken_feed_is_one_problem() {
        assert!(matches!(
            parse("<rss><channel><item><title>x</ti")[0],
            Err((Problem::InvalidFeed, _))
        ));
    }
}
