//! What class names and short lines say: the token lists, a block's lean towards
//! story or furniture, and the lines (bylines, "Advertisement") that are never story.

/// Subtrees that are never visible text.
pub const INVISIBLE: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "iframe", "button", "select", "textarea",
    "object", "canvas", "video", "audio", "head", "title", "math", "input", "option",
];

/// Elements that hold page furniture unless the content says otherwise.
pub const FURNITURE: &[&str] = &[
    "form",
    "nav",
    "aside",
    "header",
    "footer",
    "figure",
    "figcaption",
    "menu",
    "dialog",
    "amp-sidebar",
    "amp-ad",
];

/// Elements that end a line of text.
pub const BLOCKS: &[&str] = &[
    "p",
    "div",
    "br",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "section",
    "article",
    "blockquote",
    "tr",
    "td",
    "th",
    "pre",
    "main",
    "dd",
    "dt",
    "dl",
    "table",
    "ul",
    "ol",
    "hr",
    "header",
    "footer",
    "nav",
    "aside",
    "figure",
    "figcaption",
    "form",
    "address",
    "details",
    "summary",
    "body",
];

/// Class and id tokens that lean towards furniture.
const NEGATIVE: &[&str] = &[
    "ad",
    "ads",
    "adunit",
    "advert",
    "advertisement",
    "advertising",
    "aside",
    "banner",
    "bio",
    "breadcrumb",
    "breadcrumbs",
    "byline",
    "caption",
    "comment",
    "comments",
    "consent",
    "cookie",
    "cookies",
    "credit",
    "disqus",
    "footer",
    "gdpr",
    "header",
    "masthead",
    "menu",
    "modal",
    "nav",
    "navbar",
    "navigation",
    "newsletter",
    "outbrain",
    "overlay",
    "popular",
    "popup",
    "promo",
    "promotion",
    "recirc",
    "recommended",
    "related",
    "reply",
    "respond",
    "share",
    "sharedaddy",
    "sharing",
    "sidebar",
    "signup",
    "skip",
    "social",
    "sponsor",
    "sponsored",
    "subscribe",
    "subscription",
    "taboola",
    "tags",
    "teaser",
    "ticker",
    "toolbar",
    "trending",
    "widget",
];

/// Class and id tokens that lean towards the story.
const POSITIVE: &[&str] = &[
    "article",
    "articlebody",
    "blog",
    "body",
    "content",
    "entry",
    "main",
    "post",
    "prose",
    "story",
    "storybody",
    "text",
];

/// Lines shown around articles that are never part of one.
const FURNITURE_LINES: &[&str] = &[
    "advertisement",
    "advertising",
    "ad",
    "share",
    "share this",
    "share this:",
    "share this article",
    "tweet",
    "read more",
    "continue reading",
    "skip to content",
    "skip to main content",
    "loading…",
    "loading...",
    "comments",
    "print",
    "email",
    "listen",
    "close",
    "menu",
    "search",
];

pub fn weak_factor(weak: u8) -> f32 {
    match weak {
        0 => 1.0,
        1 => 0.4,
        _ => 0.2,
    }
}

/// Story tokens minus furniture tokens in a class and an id.
pub fn lean(class: Option<&str>, id: Option<&str>) -> i32 {
    let mut lean = 0;
    for name in class.into_iter().chain(id) {
        for token in tokens(name) {
            if NEGATIVE.contains(&token.as_str()) {
                lean -= 1;
            } else if POSITIVE.contains(&token.as_str()) {
                lean += 1;
            }
        }
    }
    lean
}

/// Text for screen readers only (`sr-only`, `visually-hidden`, `screen-reader-text`):
/// "(opens in a new window)", "Skip to content", never seen on the page.
pub fn screen_reader_only(class: &str) -> bool {
    class.split_whitespace().any(|c| {
        matches!(
            c.to_ascii_lowercase().as_str(),
            "sr-only"
                | "visually-hidden"
                | "visuallyhidden"
                | "screen-reader-text"
                | "screenreader-only"
                | "a11y-hidden"
                | "u-visually-hidden"
        )
    })
}

/// Splits class and id names into lower-case words at punctuation and camelCase humps.
pub fn tokens(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if !c.is_alphanumeric() {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower && !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
        prev_lower = c.is_lowercase();
        word.extend(c.to_lowercase());
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// A short line naming the author or the time: "By Ana Sousa", "Updated 12 May 2024, 10:04".
pub fn is_byline(text: &str) -> bool {
    const MONTHS: &[&str] = &[
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    if words.len() > 12 {
        return false;
    }
    let has_digit = lower.chars().any(|c| c.is_ascii_digit());
    let dated = has_digit
        && (words
            .iter()
            .any(|w| MONTHS.iter().any(|m| w.starts_with(m)))
            || lower.contains(':')
            || lower.matches('-').count() >= 2
            || lower.matches('/').count() >= 2);
    lower.starts_with("by ")
        || dated
        || ["updated", "published", "posted"]
            .iter()
            .any(|w| lower.starts_with(w))
        || !lower.chars().any(char::is_alphabetic)
}

pub fn is_furniture_line(text: &str) -> bool {
    if text.chars().count() <= 10 && !text.chars().any(char::is_alphabetic) {
        return true;
    }
    let lower = text
        .trim()
        .trim_end_matches(['»', '›', '→', '…'])
        .trim()
        .to_lowercase();
    FURNITURE_LINES.contains(&lower.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_names_split_into_whole_tokens() {
        assert_eq!(tokens("l-sidebar-fixed"), ["l", "sidebar", "fixed"]);
        assert_eq!(
            tokens("StoryBodyCompanionColumn"),
            ["story", "body", "companion", "column"]
        );
        assert_eq!(
            tokens("url-breadcrumb a-span2@tablet"),
            ["url", "breadcrumb", "a", "span2", "tablet"]
        );
        // Substrings do not count: "menubar" and "shared" are not "menu" or "share".
        assert_eq!(lean(Some("menubar shared-story"), None), 1);
        assert_eq!(
            lean(Some("l-sidebar-fixed l-article-body-segment"), None),
            1
        );
    }
}
