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

mod names;
mod page;

use scraper::{ElementRef, Html};

pub use names::{BLOCKS, FURNITURE};
use names::{is_byline, is_furniture_line, weak_factor};
use page::{Line, NONE, Page};

/// The story's text, one paragraph a line; empty when the page holds no prose.
pub fn article_text(doc: &Html, title: &str) -> String {
    let mut page = Page::read(doc.root_element(), title);
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
    Page::read(root, "").plain_text(|_| true)
}

/// A page with no prose line: its non-furniture lines, so short pages are not lost.
fn fallback(page: &Page<'_>) -> String {
    page.plain_text(|l| l.link_density() < 0.5 && !is_furniture_line(&l.text))
}

/// Choosing the story: scoring, growing, cleaning.
impl Page<'_> {
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
        let mut clean_paragraphs = vec![false; self.elements.len()];
        for l in &self.lines {
            if l.is_prose() && l.link_density() < 0.25 {
                clean_paragraphs[l.owner] = true;
            }
        }
        (parent + 1..self.subtree_end(parent))
            .filter(|&s| self.elements[s].parent == parent)
            .filter(|&s| {
                if s == top {
                    return true;
                }
                let e = &self.elements[s];
                let paragraph = e.name == "p" && clean_paragraphs[s];
                // Before the story, only a block near its weight joins (not a standfirst).
                let floor = if s < top { 2.5 * floor } else { floor };
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
        let signature = |i: usize| (self.elements[i].name, self.elements[i].class);
        let top_prose = self.elements[top].prose;
        let mut chosen = top;
        let mut at = self.elements[top].parent;
        for _ in 0..4 {
            if at == NONE || self.elements[at].parent == NONE {
                break;
            }
            // Cousins: same tag and class at the same depth below `at`, with prose,
            // not furniture and not the body of another story.
            let depth = self.depth_below(top, at);
            let extra: f32 = self
                .descendants_at(at, depth)
                .filter(|&c| c != top && !self.within(top, c) && !self.within(c, top))
                .filter(|&c| signature(c) == signature(top) && !self.elements[c].furniture)
                .filter(|&c| self.link_density(c) < 0.3 && !self.own_story(c, at))
                .map(|c| self.elements[c].prose)
                .sum();
            if extra >= 0.15 * top_prose {
                chosen = at;
            }
            at = self.elements[at].parent;
        }
        chosen
    }

    /// The cousin `c` is another story: the branch of `at` that holds it has a headline
    /// of its own outside it (the next article of an endless page, not a body segment).
    fn own_story(&self, c: usize, at: usize) -> bool {
        let mut branch = c;
        while self.elements[branch].parent != at && self.elements[branch].parent != NONE {
            branch = self.elements[branch].parent;
        }
        let (start, end) = (branch, self.subtree_end(branch));
        self.lines.iter().any(|l| {
            l.owner >= start
                && l.owner < end
                && !self.within(l.owner, c)
                && matches!(self.elements[l.owner].name, "h1" | "h2")
                && l.words >= 3
        })
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
        // Inside the choice it must hold most of it; around it or elsewhere, half.
        let needed = if self.within(marked, top) { 0.8 } else { 0.5 };
        if share >= needed { marked } else { top }
    }

    /// The text under the roots, with the blocks inside that read as furniture dropped;
    /// if that would drop most of the prose, only furniture tags go.
    fn text_under(&self, top: usize, roots: &[usize]) -> String {
        let cleaned = self.text_kept(top, roots, true);
        let prose = |lines: &[&Line]| -> f32 {
            lines.iter().filter(|l| l.is_prose()).map(|l| l.chars).sum()
        };
        let whole = self.text_kept(top, roots, false);
        let lines = if prose(&cleaned) < 0.3 * prose(&whole) {
            whole
        } else {
            cleaned
        };
        let out: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        out.join("\n")
    }

    fn text_kept(&self, top: usize, roots: &[usize], clean: bool) -> Vec<&Line> {
        let top_prose = self.elements[top].prose;
        let mut keep = vec![false; self.elements.len()];
        for &root in roots {
            for i in root..self.subtree_end(root) {
                let e = &self.elements[i];
                let parent_kept = i == root || (e.parent != NONE && keep[e.parent]);
                let stays = i == root
                    || if clean {
                        self.keeps(i, top_prose) && !self.is_headline_block(i, top_prose)
                    } else {
                        !e.furniture
                    };
                keep[i] = parent_kept && !e.skipped && stays;
            }
        }
        // The headline and what comes before it are not the story, when it sits inside.
        let after = match (self.headline, self.headline_line) {
            (Some(h), Some(line)) if roots.iter().any(|&r| self.within(h, r)) => line,
            _ => 0,
        };
        let mut kept: Vec<&Line> = self.lines[after..]
            .iter()
            .filter(|l| keep[l.owner])
            .filter(|l| !(l.link_density() > 0.9 && l.words < 12 || is_furniture_line(&l.text)))
            .collect();
        // Bylines and datelines before the first prose line are not the story either.
        let first = kept
            .iter()
            .position(|l| l.is_prose() || !is_byline(&l.text))
            .unwrap_or(0);
        kept.split_off(first)
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
        if links > 0.5 && prose_share < 0.25 {
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

    /// The block around the headline (with the standfirst and byline), when it holds
    /// little of the story's prose.
    fn is_headline_block(&self, i: usize, top_prose: f32) -> bool {
        self.headline.is_some_and(|h| {
            self.elements[h].parent == i && self.elements[i].prose < 0.25 * top_prose
        })
    }

    /// The block holds a heading and a link (the shape of a teaser card).
    fn has_heading_link(&self, i: usize) -> bool {
        let end = self.subtree_end(i);
        self.elements[i + 1..end]
            .iter()
            .any(|e| matches!(e.name, "h2" | "h3" | "h4" | "h5" | "h6"))
            && self.elements[i].link_chars > 0.0
    }
}
