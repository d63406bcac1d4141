//! The article inside a scraped page, found by content scoring rather than by names.
//!
//! The page is read once into lines (the text between block boundaries), each owned by
//! the block element that holds it. Lines that read like prose (words, punctuation, few
//! links) score for the containers above them, decaying with distance, as readability
//! does; the best container wins, then grows to take in its cousins built the same way
//! (an article body split into segments or columns) and its prose siblings. Inside it,
//! link lists, teaser cards and blocks whose class names say furniture are dropped when
//! their content agrees. Class and id names count as whole tokens (`l-sidebar-fixed` is
//! `l`, `sidebar`, `fixed`) and only ever weigh, never decide alone.

use ego_tree::iter::Edge;
use scraper::{ElementRef, Html, Node};

use crate::article::clean_line;

/// Subtrees that are never visible text.
const INVISIBLE: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "iframe", "button", "select", "textarea",
    "object", "canvas", "video", "audio", "head", "title", "math", "input", "option",
];

/// Elements that hold page furniture unless the content says otherwise.
const FURNITURE: &[&str] = &[
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
const BLOCKS: &[&str] = &[
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

const NONE: usize = usize::MAX;

/// One element of the page, with what its subtree holds.
struct Element<'a> {
    name: &'a str,
    parent: usize,
    /// Class and id tokens: those for the story minus those for furniture.
    lean: i32,
    /// Weak ancestors (lean < 0), this one included, capped at 2.
    weak: u8,
    furniture: bool,
    skipped: bool,
    depth: u32,
    /// One past the last element of this subtree (elements are in document order).
    end: usize,
    /// Own lines (text whose nearest block is this element).
    own_lines: u32,
    chars: f32,
    link_chars: f32,
    /// Characters of prose lines, weighted by the class evidence above them.
    prose: f32,
    score: f32,
}

/// One line of text: what lies between two block boundaries.
struct Line {
    owner: usize,
    text: String,
    chars: f32,
    link_chars: f32,
    commas: f32,
    stops: u32,
    words: usize,
}

impl Line {
    fn link_density(&self) -> f32 {
        if self.chars > 0.0 {
            self.link_chars / self.chars
        } else {
            0.0
        }
    }

    /// Reads like a sentence of prose: enough words, punctuation, few links.
    fn is_prose(&self) -> bool {
        let long = self.words >= 8 || (self.chars >= 25.0 && self.words <= 2);
        long && self.link_density() < 0.35 && (self.stops + self.commas as u32) > 0
    }
}

/// The page read into elements and lines.
struct Page<'a> {
    elements: Vec<Element<'a>>,
    /// Elements marked `itemprop="articleBody"` by the site.
    marked: Vec<usize>,
    lines: Vec<Line>,
    headline: Option<usize>,
    headline_line: Option<usize>,
}

/// The story's text, one paragraph a line; empty when the page holds no prose.
pub fn article_text(doc: &Html, title: &str) -> String {
    let mut page = read(doc.root_element(), title);
    let prose_total: f32 = page.elements.first().map_or(0.0, |e| e.prose);
    if prose_total == 0.0 {
        return fallback(&page);
    }
    page.mark_furniture(prose_total);
    page.score();
    let Some(top) = page.best() else {
        return fallback(&page);
    };
    let top = page.prefer_marked(page.grow(top));
    // The site's own articleBody marks the whole body: nothing beside it joins.
    let roots = if page.marked.contains(&top) {
        vec![top]
    } else {
        page.with_siblings(top)
    };
    page.text_under(top, &roots)
}

/// Text of a fragment (feed descriptions): every visible line, furniture left out.
pub fn fragment_text(root: ElementRef<'_>) -> String {
    let page = read(root, "");
    let keep: Vec<bool> = page.elements.iter().map(|e| !e.furniture).collect();
    page.lines
        .iter()
        .filter(|l| page.visible_from(l.owner, &keep))
        .map(|l| l.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// A page with no prose line: its non-furniture lines, so short pages are not lost.
fn fallback(page: &Page<'_>) -> String {
    let keep: Vec<bool> = page.elements.iter().map(|e| !e.furniture).collect();
    page.lines
        .iter()
        .filter(|l| page.visible_from(l.owner, &keep) && l.link_density() < 0.5)
        .filter(|l| !is_furniture_line(&l.text))
        .map(|l| l.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Walks the tree once (iteratively), building elements and lines.
fn read<'a>(root: ElementRef<'a>, title: &str) -> Page<'a> {
    let mut elements: Vec<Element<'a>> = Vec::new();
    let mut lines = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    let mut blocks: Vec<usize> = Vec::new();
    let mut links = 0usize;
    let mut skip = 0usize;
    let mut current = String::new();
    let mut link_chars = 0.0f32;
    let mut headline: Option<usize> = None;
    let mut headline_line = None;
    let mut marked = Vec::new();
    let title_key = clean_line(title).to_lowercase();

    let flush = |current: &mut String,
                 link_chars: &mut f32,
                 owner: usize,
                 lines: &mut Vec<Line>,
                 elements: &mut Vec<Element<'a>>| {
        let text = clean_line(current);
        current.clear();
        // Text outside any block (a fragment's bare text) belongs to the root.
        let owner = if owner == NONE { 0 } else { owner };
        if text.is_empty() || elements.is_empty() {
            *link_chars = 0.0;
            return;
        }
        let chars = text.chars().count() as f32;
        let (mut commas, mut stops) = (0.0, 0);
        for c in text.chars() {
            match c {
                ',' | '，' | '、' | '،' => commas += 1.0,
                '.' | '!' | '?' | ';' | ':' | '。' | '！' | '？' | '；' | '؟' | '؛' => {
                    stops += 1
                }
                _ => {}
            }
        }
        let words = text.split_whitespace().count();
        elements[owner].own_lines += 1;
        lines.push(Line {
            owner,
            chars,
            link_chars: link_chars.min(chars),
            commas,
            stops,
            words,
            text,
        });
        *link_chars = 0.0;
    };

    for edge in root.traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(el) => {
                    let name = el.name();
                    let parent = stack.last().copied().unwrap_or(NONE);
                    let hidden = INVISIBLE.contains(&name)
                        || el.attr("hidden").is_some()
                        || el.attr("aria-hidden") == Some("true")
                        || el
                            .attr("style")
                            .is_some_and(|s| s.replace(' ', "").contains("display:none"));
                    let lean = lean(el.attr("class"), el.attr("id"));
                    let parent_weak = if parent == NONE {
                        0
                    } else {
                        elements[parent].weak
                    };
                    let furniture = FURNITURE.contains(&name)
                        || el.attr("role").is_some_and(|r| {
                            matches!(
                                r,
                                "navigation"
                                    | "banner"
                                    | "contentinfo"
                                    | "complementary"
                                    | "dialog"
                            )
                        });
                    let index = elements.len();
                    elements.push(Element {
                        name,
                        parent,
                        lean,
                        weak: (parent_weak + u8::from(lean < 0)).min(2),
                        furniture,
                        skipped: hidden || skip > 0,
                        depth: stack.len() as u32,
                        end: NONE,
                        own_lines: 0,
                        chars: 0.0,
                        link_chars: 0.0,
                        prose: 0.0,
                        score: 0.0,
                    });
                    stack.push(index);
                    if el
                        .attr("itemprop")
                        .is_some_and(|p| p.split_whitespace().any(|p| p == "articleBody"))
                    {
                        marked.push(index);
                    }
                    if hidden || skip > 0 {
                        skip += 1;
                        continue;
                    }
                    if BLOCKS.contains(&name) {
                        let owner = blocks.last().copied().unwrap_or(NONE);
                        flush(
                            &mut current,
                            &mut link_chars,
                            owner,
                            &mut lines,
                            &mut elements,
                        );
                        if name != "br" && name != "hr" {
                            blocks.push(index);
                        }
                    }
                    if name == "a" {
                        links += 1;
                    }
                    if name == "h1" && headline.is_none() {
                        let text = clean_line(
                            &ElementRef::wrap(node)
                                .map_or_else(String::new, |e| e.text().collect::<String>()),
                        )
                        .to_lowercase();
                        let named = text.split_whitespace().count() >= 2;
                        if named
                            && (title_key.is_empty()
                                || title_key.contains(&text)
                                || text.contains(&title_key))
                        {
                            headline = Some(index);
                        }
                    }
                }
                Node::Text(text) if skip == 0 => {
                    current.push_str(text);
                    if links > 0 {
                        link_chars += text.trim().chars().count() as f32;
                    }
                }
                _ => {}
            },
            Edge::Close(node) => {
                if let Node::Element(el) = node.value() {
                    let index = stack.pop().unwrap_or(NONE);
                    let count = elements.len();
                    if let Some(e) = elements.get_mut(index) {
                        e.end = count;
                    }
                    if skip > 0 {
                        skip -= 1;
                        continue;
                    }
                    let name = el.name();
                    if name == "a" {
                        links = links.saturating_sub(1);
                    }
                    if BLOCKS.contains(&name) && name != "br" && name != "hr" {
                        let owner = blocks.pop().unwrap_or(NONE);
                        flush(
                            &mut current,
                            &mut link_chars,
                            owner,
                            &mut lines,
                            &mut elements,
                        );
                    }
                    if Some(index) == headline && headline_line.is_none() {
                        headline_line = Some(lines.len());
                    }
                }
            }
        }
    }
    let owner = blocks.last().copied().unwrap_or(NONE);
    flush(
        &mut current,
        &mut link_chars,
        owner,
        &mut lines,
        &mut elements,
    );

    let mut page = Page {
        elements,
        marked,
        headline,
        lines,
        headline_line,
    };
    page.sum_up();
    page
}

impl Page<'_> {
    /// Adds each line's characters, link characters and prose to its owner and every
    /// ancestor: children come after parents, so one backward pass does it.
    fn sum_up(&mut self) {
        for line in &self.lines {
            let e = &mut self.elements[line.owner];
            e.chars += line.chars;
            e.link_chars += line.link_chars;
            if line.is_prose() {
                e.prose += line.chars * weak_factor(e.weak);
            }
        }
        for i in (1..self.elements.len()).rev() {
            let parent = self.elements[i].parent;
            if parent != NONE {
                let (chars, links, prose) = {
                    let e = &self.elements[i];
                    (e.chars, e.link_chars, e.prose)
                };
                let p = &mut self.elements[parent];
                p.chars += chars;
                p.link_chars += links;
                p.prose += prose;
            }
        }
    }

    /// Furniture tags stay furniture only when they do not hold most of the page's prose
    /// (pages that wrap everything in one `<header>` or `<aside>` exist).
    fn mark_furniture(&mut self, prose_total: f32) {
        for e in &mut self.elements {
            if e.furniture && e.prose > 0.5 * prose_total {
                e.furniture = false;
            }
        }
        // Inside furniture is furniture: parents come first.
        for i in 0..self.elements.len() {
            let parent = self.elements[i].parent;
            if parent != NONE && self.elements[parent].furniture {
                self.elements[i].furniture = true;
            }
        }
    }

    /// Scores containers from the prose lines below them (readability's propagation).
    fn score(&mut self) {
        let headline = self.headline_line.unwrap_or(0);
        for (n, line) in self.lines.iter().enumerate() {
            let owner = &self.elements[line.owner];
            if owner.furniture || !line.is_prose() {
                continue;
            }
            let before_headline = if n < headline { 0.5 } else { 1.0 };
            let points = (1.0 + line.commas.min(10.0) + (line.chars / 100.0).min(3.0))
                * weak_factor(owner.weak)
                * before_headline;
            // A block holding several lines of its own (text split by <br>) is the
            // container; a paragraph element's container is its parent.
            let mut at = if owner.own_lines >= 2 || matches!(owner.name, "td" | "body") {
                line.owner
            } else {
                owner.parent
            };
            for level in 0..5 {
                if at == NONE {
                    break;
                }
                let divide = match level {
                    0 => 1.0,
                    1 => 2.0,
                    l => l as f32 * 3.0,
                };
                self.elements[at].score += points / divide;
                at = self.elements[at].parent;
            }
        }
    }

    fn link_density(&self, i: usize) -> f32 {
        let e = &self.elements[i];
        if e.chars > 0.0 {
            e.link_chars / e.chars
        } else {
            0.0
        }
    }

    /// The container with the best score, discounted by its links and its class names.
    fn best(&self) -> Option<usize> {
        let mut best = None;
        let mut best_score = 0.0;
        for (i, e) in self.elements.iter().enumerate() {
            if e.score <= 0.0 || e.furniture || e.skipped {
                continue;
            }
            let score = self.final_score(i);
            if score > best_score {
                best_score = score;
                best = Some(i);
            }
        }
        best
    }

    /// A container's score, discounted by its links and its class names, raised a
    /// little when it holds the headline or sits beside it.
    fn final_score(&self, i: usize) -> f32 {
        let e = &self.elements[i];
        let lean = 1.0 + 0.1 * e.lean.clamp(-3, 3) as f32;
        let near_headline = self
            .headline
            .is_some_and(|h| self.within(h, i) || (e.parent != NONE && self.within(h, e.parent)));
        let position = if near_headline { 1.25 } else { 1.0 };
        e.score * (1.0 - self.link_density(i)) * lean * position
    }

    /// The chosen container and the siblings that continue it: prose blocks that
    /// score a fifth of it or more, or paragraphs of their own (readability's rule).
    fn with_siblings(&self, top: usize) -> Vec<usize> {
        let parent = self.elements[top].parent;
        if parent == NONE || matches!(self.elements[top].name, "body" | "html") {
            return vec![top];
        }
        let floor = 0.2 * self.final_score(top);
        (parent + 1..self.subtree_end(parent))
            .filter(|&s| self.elements[s].parent == parent)
            .filter(|&s| {
                if s == top {
                    return true;
                }
                let e = &self.elements[s];
                let paragraph = e.name == "p"
                    && self
                        .lines
                        .iter()
                        .any(|l| l.owner == s && l.is_prose() && l.link_density() < 0.25);
                !e.furniture
                    && !e.skipped
                    && e.lean >= 0
                    && e.prose > 0.0
                    && self.link_density(s) < 0.3
                    && (paragraph || self.final_score(s) >= floor)
            })
            .collect()
    }

    /// Grows the chosen container to the nearest ancestor that also holds the blocks
    /// built like it (an article body in segments or columns), when they hold prose.
    fn grow(&self, top: usize) -> usize {
        let signature = |i: usize| (self.elements[i].name, self.elements[i].lean);
        let top_prose = self.elements[top].prose;
        let mut chosen = top;
        let mut at = self.elements[top].parent;
        for _ in 0..4 {
            if at == NONE || self.elements[at].parent == NONE {
                break;
            }
            // Cousins: same tag and lean at the same depth below `at`, with prose,
            // that are not inside furniture.
            let depth = self.depth_below(top, at);
            let extra: f32 = self
                .descendants_at(at, depth)
                .filter(|&c| c != top && !self.within(top, c) && !self.within(c, top))
                .filter(|&c| signature(c) == signature(top) && !self.elements[c].furniture)
                .filter(|&c| self.link_density(c) < 0.3)
                .map(|c| self.elements[c].prose)
                .sum();
            if extra >= 0.15 * top_prose {
                chosen = at;
            }
            at = self.elements[at].parent;
        }
        chosen
    }

    /// The site's own `itemprop="articleBody"` is strong evidence: it wins when it holds
    /// the chosen container, most of its prose, or half of it elsewhere on the page.
    fn prefer_marked(&self, top: usize) -> usize {
        let prose = |i: usize| self.elements[i].prose;
        let Some(&marked) = self
            .marked
            .iter()
            .filter(|&&m| !self.elements[m].skipped)
            .max_by(|&&a, &&b| prose(a).total_cmp(&prose(b)))
        else {
            return top;
        };
        let share = prose(marked) / prose(top).max(1.0);
        let wins = if self.within(top, marked) {
            share >= 0.5
        } else if self.within(marked, top) {
            share >= 0.8
        } else {
            share >= 0.5
        };
        if wins { marked } else { top }
    }

    fn depth_below(&self, node: usize, ancestor: usize) -> u32 {
        self.elements[node].depth - self.elements[ancestor].depth
    }

    /// Elements exactly `depth` levels below `ancestor`.
    fn descendants_at(&self, ancestor: usize, depth: u32) -> impl Iterator<Item = usize> + '_ {
        (ancestor + 1..self.subtree_end(ancestor))
            .filter(move |&i| self.depth_below(i, ancestor) == depth)
    }

    fn subtree_end(&self, root: usize) -> usize {
        self.elements[root].end.min(self.elements.len())
    }

    /// `node` is `ancestor` or below it.
    fn within(&self, node: usize, ancestor: usize) -> bool {
        ancestor <= node && node < self.subtree_end(ancestor)
    }

    /// The text under `top`, with the blocks inside it that read as furniture dropped.
    fn text_under(&self, top: usize, roots: &[usize]) -> String {
        let top_prose = self.elements[top].prose;
        let mut keep = vec![false; self.elements.len()];
        for &root in roots {
            for i in root..self.subtree_end(root) {
                let e = &self.elements[i];
                let parent_kept = i == root || (e.parent != NONE && keep[e.parent]);
                keep[i] = parent_kept && !e.skipped && (i == root || self.keeps(i, top_prose));
            }
        }
        // The headline and what comes before it are not the story, when it sits inside.
        let after = match (self.headline, self.headline_line) {
            (Some(h), Some(line)) if roots.iter().any(|&r| self.within(h, r)) => line,
            _ => 0,
        };
        let kept: Vec<&Line> = self.lines[after..]
            .iter()
            .filter(|l| keep[l.owner])
            .filter(|l| !(l.link_density() > 0.9 && l.words < 12 || is_furniture_line(&l.text)))
            .collect();
        // Bylines and datelines before the first prose line are not the story either.
        let first = kept
            .iter()
            .position(|l| l.is_prose() || !is_byline(&l.text))
            .unwrap_or(0);
        let out: Vec<&str> = kept[first..].iter().map(|l| l.text.as_str()).collect();
        out.join("\n")
    }

    /// Whether a block inside the chosen container stays: furniture, link lists,
    /// nested teaser cards and blocks whose names and content both say furniture go.
    fn keeps(&self, i: usize, top_prose: f32) -> bool {
        let e = &self.elements[i];
        if e.furniture {
            return false;
        }
        if e.chars == 0.0 {
            return true;
        }
        let links = self.link_density(i);
        let prose_share = e.prose / e.chars;
        // A list of links: menus, tag lists, "more stories".
        if links > 0.5 && prose_share < 0.5 {
            return false;
        }
        // Class names that say furniture, on a block that is not most of the story.
        if e.lean < 0 && e.prose < 0.5 * top_prose {
            return false;
        }
        // A card inside the story: a nested article or teaser that links away.
        let card_share = if e.name == "article" { 0.5 } else { 0.25 };
        if matches!(e.name, "article" | "section" | "div" | "li")
            && e.prose < card_share * top_prose
            && links > 0.2
            && e.chars < 600.0
            && self.has_heading_link(i)
        {
            return false;
        }
        true
    }

    /// A heading or a link line opens this block (the shape of a teaser card).
    fn has_heading_link(&self, i: usize) -> bool {
        let end = self.subtree_end(i);
        self.elements[i + 1..end]
            .iter()
            .any(|e| matches!(e.name, "h2" | "h3" | "h4" | "h5" | "h6"))
            && self.elements[i].link_chars > 0.0
    }

    /// The line's owner and all its ancestors are kept.
    fn visible_from(&self, owner: usize, keep: &[bool]) -> bool {
        let mut at = owner;
        while at != NONE {
            if !keep[at] {
                return false;
            }
            at = self.elements[at].parent;
        }
        true
    }
}

fn weak_factor(weak: u8) -> f32 {
    match weak {
        0 => 1.0,
        1 => 0.4,
        _ => 0.2,
    }
}

/// Story tokens minus furniture tokens in a class and an id.
fn lean(class: Option<&str>, id: Option<&str>) -> i32 {
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

/// Splits class and id names into lower-case words at punctuation and camelCase humps.
fn tokens(name: &str) -> Vec<String> {
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
fn is_byline(text: &str) -> bool {
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

fn is_furniture_line(text: &str) -> bool {
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
