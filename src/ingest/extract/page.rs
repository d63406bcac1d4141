//! A page read into a flat list of elements (document order, parents first) and the
//! lines of text between block boundaries, with what each subtree holds. One
//! iterative walk over html5ever's tree; nothing here decides what the story is.

use ego_tree::NodeRef;
use ego_tree::iter::Edge;
use scraper::node::Element as Tag;
use scraper::{ElementRef, Node};
use xxhash_rust::xxh3::xxh3_64;

use super::names::{BLOCKS, FURNITURE, INVISIBLE, lean, screen_reader_only, weak_factor};
use crate::article::clean_line;

/// No element (a root's parent, a line outside every block).
pub const NONE: usize = usize::MAX;

/// One element of the page, with what its subtree holds.
pub struct Element<'a> {
    pub name: &'a str,
    pub parent: usize,
    /// Class and id tokens: those for the story minus those for furniture.
    pub lean: i32,
    /// Hash of the class attribute: blocks built alike share it.
    pub class: u64,
    /// Weak ancestors (lean < 0), this one included, capped at 2.
    pub weak: u8,
    pub furniture: bool,
    /// Invisible (script, style, hidden), or inside something invisible.
    pub skipped: bool,
    pub depth: u32,
    /// One past the last element of this subtree.
    pub end: usize,
    /// Lines whose nearest block is this element.
    pub own_lines: u32,
    pub chars: f32,
    pub link_chars: f32,
    /// Characters of prose lines, weighted by the class evidence above them.
    pub prose: f32,
    /// Content score from the prose lines below (filled by the scorer).
    pub score: f32,
}

/// One line of text: what lies between two block boundaries.
pub struct Line {
    pub owner: usize,
    pub text: String,
    pub chars: f32,
    pub link_chars: f32,
    pub commas: f32,
    pub stops: u32,
    pub words: usize,
}

impl Line {
    pub fn link_density(&self) -> f32 {
        if self.chars > 0.0 {
            self.link_chars / self.chars
        } else {
            0.0
        }
    }

    /// Reads like a sentence of prose: enough words, punctuation, few links.
    pub fn is_prose(&self) -> bool {
        let long = self.words >= 8 || (self.chars >= 25.0 && self.words <= 2);
        long && self.link_density() < 0.35 && (self.stops + self.commas as u32) > 0
    }
}

/// The page read into elements and lines.
pub struct Page<'a> {
    pub elements: Vec<Element<'a>>,
    pub lines: Vec<Line>,
    /// Elements marked `itemprop="articleBody"` by the site.
    pub marked: Vec<usize>,
    /// The `<h1>` that matches the title, and the number of lines up to its end.
    pub headline: Option<usize>,
    pub headline_line: Option<usize>,
}

impl<'a> Page<'a> {
    /// Reads the tree under `root`; `title` picks the headline among the `<h1>`s.
    pub fn read(root: ElementRef<'a>, title: &str) -> Page<'a> {
        let mut reader = Reader {
            page: Page {
                elements: Vec::new(),
                lines: Vec::new(),
                marked: Vec::new(),
                headline: None,
                headline_line: None,
            },
            title: clean_line(title).to_lowercase(),
            stack: Vec::new(),
            blocks: Vec::new(),
            links: 0,
            skip: 0,
            current: String::new(),
            link_chars: 0.0,
        };
        for edge in root.traverse() {
            match edge {
                Edge::Open(node) => match node.value() {
                    Node::Element(el) => reader.open(node, el),
                    Node::Text(text) if reader.skip == 0 => reader.text(text),
                    _ => {}
                },
                Edge::Close(node) => {
                    if let Node::Element(el) = node.value() {
                        reader.close(el);
                    }
                }
            }
        }
        reader.flush(reader.blocks.last().copied().unwrap_or(NONE));
        let mut page = reader.page;
        page.sum_up();
        page
    }

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

    pub fn link_density(&self, i: usize) -> f32 {
        let e = &self.elements[i];
        if e.chars > 0.0 {
            e.link_chars / e.chars
        } else {
            0.0
        }
    }

    pub fn depth_below(&self, node: usize, ancestor: usize) -> u32 {
        self.elements[node].depth - self.elements[ancestor].depth
    }

    /// Elements exactly `depth` levels below `ancestor`.
    pub fn descendants_at(&self, ancestor: usize, depth: u32) -> impl Iterator<Item = usize> + '_ {
        (ancestor + 1..self.subtree_end(ancestor))
            .filter(move |&i| self.depth_below(i, ancestor) == depth)
    }

    pub fn subtree_end(&self, root: usize) -> usize {
        self.elements[root].end.min(self.elements.len())
    }

    /// `node` is `ancestor` or below it.
    pub fn within(&self, node: usize, ancestor: usize) -> bool {
        ancestor <= node && node < self.subtree_end(ancestor)
    }

    /// The line's owner and all its ancestors are kept.
    pub fn visible_from(&self, owner: usize, keep: &[bool]) -> bool {
        let mut at = owner;
        while at != NONE {
            if !keep[at] {
                return false;
            }
            at = self.elements[at].parent;
        }
        true
    }

    /// Every visible line outside furniture, as text.
    pub fn plain_text(&self, line_ok: impl Fn(&Line) -> bool) -> String {
        let keep: Vec<bool> = self.elements.iter().map(|e| !e.furniture).collect();
        self.lines
            .iter()
            .filter(|l| self.visible_from(l.owner, &keep) && line_ok(l))
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// The state of the walk: open elements, open blocks, the line being gathered.
struct Reader<'a> {
    page: Page<'a>,
    title: String,
    stack: Vec<usize>,
    blocks: Vec<usize>,
    links: usize,
    skip: usize,
    current: String,
    link_chars: f32,
}

impl<'a> Reader<'a> {
    fn open(&mut self, node: NodeRef<'a, Node>, el: &'a Tag) {
        let name = el.name();
        let parent = self.stack.last().copied().unwrap_or(NONE);
        let hidden = INVISIBLE.contains(&name)
            || el.attr("hidden").is_some()
            || el.attr("aria-hidden") == Some("true")
            || el
                .attr("style")
                .is_some_and(|s| s.replace(' ', "").contains("display:none"))
            || el.attr("class").is_some_and(screen_reader_only);
        let lean = lean(el.attr("class"), el.attr("id"));
        let parent_weak = self.page.elements.get(parent).map_or(0, |p| p.weak);
        let furniture = FURNITURE.contains(&name)
            || el.attr("role").is_some_and(|r| {
                matches!(
                    r,
                    "navigation" | "banner" | "contentinfo" | "complementary" | "dialog"
                )
            });
        let index = self.page.elements.len();
        self.page.elements.push(Element {
            name,
            parent,
            lean,
            class: el.attr("class").map_or(0, |c| xxh3_64(c.as_bytes())),
            weak: (parent_weak + u8::from(lean < 0)).min(2),
            furniture,
            skipped: hidden || self.skip > 0,
            depth: self.stack.len() as u32,
            end: NONE,
            own_lines: 0,
            chars: 0.0,
            link_chars: 0.0,
            prose: 0.0,
            score: 0.0,
        });
        self.stack.push(index);
        if el
            .attr("itemprop")
            .is_some_and(|p| p.split_whitespace().any(|p| p == "articleBody"))
        {
            self.page.marked.push(index);
        }
        if hidden || self.skip > 0 {
            self.skip += 1;
            return;
        }
        if BLOCKS.contains(&name) {
            self.flush(self.blocks.last().copied().unwrap_or(NONE));
            if name != "br" && name != "hr" {
                self.blocks.push(index);
            }
        }
        if name == "a" {
            self.links += 1;
        }
        if name == "h1" && self.page.headline.is_none() && self.is_headline(node) {
            self.page.headline = Some(index);
        }
    }

    /// An `<h1>` of two words or more that the title contains, or that contains it.
    fn is_headline(&self, node: NodeRef<'a, Node>) -> bool {
        let text = ElementRef::wrap(node).map_or_else(String::new, |e| e.text().collect());
        let text = clean_line(&text).to_lowercase();
        text.split_whitespace().count() >= 2
            && (self.title.is_empty() || self.title.contains(&text) || text.contains(&self.title))
    }

    fn text(&mut self, text: &str) {
        self.current.push_str(text);
        if self.links > 0 {
            self.link_chars += text.trim().chars().count() as f32;
        }
    }

    fn close(&mut self, el: &Tag) {
        let index = self.stack.pop().unwrap_or(NONE);
        let count = self.page.elements.len();
        if let Some(e) = self.page.elements.get_mut(index) {
            e.end = count;
        }
        if self.skip > 0 {
            self.skip -= 1;
            return;
        }
        let name = el.name();
        if name == "a" {
            self.links = self.links.saturating_sub(1);
        }
        if BLOCKS.contains(&name) && name != "br" && name != "hr" {
            let owner = self.blocks.pop().unwrap_or(NONE);
            self.flush(owner);
        }
        if Some(index) == self.page.headline && self.page.headline_line.is_none() {
            self.page.headline_line = Some(self.page.lines.len());
        }
    }

    /// Ends the line being gathered; it belongs to `owner` (the root when outside
    /// every block, as a fragment's bare text is).
    fn flush(&mut self, owner: usize) {
        let text = clean_line(&self.current);
        self.current.clear();
        let link_chars = std::mem::take(&mut self.link_chars);
        let owner = if owner == NONE { 0 } else { owner };
        if text.is_empty() || self.page.elements.is_empty() {
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
        self.page.elements[owner].own_lines += 1;
        self.page.lines.push(Line {
            owner,
            chars,
            link_chars: link_chars.min(chars),
            commas,
            stops,
            words: text.split_whitespace().count(),
            text,
        });
    }
}
