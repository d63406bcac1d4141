//! METS newspaper issues (LoC NDNP, ENMAP/Europeana, BnL, BnF, British Library,
//! RERO profiles) read with the ALTO pages beside them. The issue's MODS gives
//! the title, date, edition, number and language; each logical division of an
//! article type (linked to ALTO blocks by `area BETYPE="IDREF"`, or to pages by
//! `smLink`) is one article; an issue without such divisions gives one article per
//! page, labelled "Evening star (Washington, D.C.) — 1916-08-26, page 7".
//!
//! A page a METS file describes is read through it, once (see [`super::claim`]).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use roxmltree::{Document, Node};

use super::Problem;
use super::alto::{self, Page};
use super::claim::{Issue, read_limited, unreadable};
use super::date::parse_date;
use super::layout::{Block, Layout};
use super::xml::{self, attr, child, descendants, find, find_text, name, text};
use crate::article::{Article, clean_line};
use crate::scan::ScanPage;

/// Division types that hold other divisions, never an article themselves.
const CONTAINERS: &[&str] = &[
    "newspaper",
    "issue",
    "volume",
    "edition",
    "section",
    "supplement",
    "part",
    "page",
    "periodical",
    "year",
    "month",
    "day",
    "title",
    "collection",
];

/// Division types that are parts of an article, never one on their own.
const COMPONENTS: &[&str] = &[
    "heading",
    "headline",
    "subheadline",
    "title",
    "body",
    "body_content",
    "paragraph",
    "text",
    "textblock",
    "caption",
    "byline",
    "author",
    "dateline",
    "content",
    "column",
    "header",
];

/// Division types whose text gives the article's headline.
const HEADINGS: &[&str] = &["heading", "headline", "title"];

/// The lower-cased type of a division without its prefix (`np:page` → `page`).
fn kind(div: Node<'_, '_>) -> String {
    let raw = attr(div, "TYPE").unwrap_or_default();
    raw.rsplit(':').next().unwrap_or(raw).to_ascii_lowercase()
}

/// One page of the issue.
#[derive(Debug, Clone)]
struct PageRef {
    /// Printed or counted page number.
    number: u32,
    /// The OCR file's `ID` in the file section.
    ocr_id: Option<String>,
    /// The OCR file, relative to the METS file.
    ocr_href: Option<String>,
    /// The scan, relative to the METS file.
    image_href: Option<String>,
    /// The physical division's ID (what `smLink` points at).
    div_id: Option<String>,
}

/// What an issue's metadata says.
#[derive(Debug, Default, Clone)]
struct IssueMeta {
    title: Option<String>,
    place: Option<String>,
    date: Option<chrono::DateTime<chrono::Utc>>,
    edition: Option<String>,
    number: Option<String>,
    lang: Option<String>,
}

/// An article division: its type, label, and where its text is.
#[derive(Debug, Clone, Default)]
struct Division {
    kind: String,
    label: Option<String>,
    /// (OCR file ID, block ID, part of the heading) in reading order.
    areas: Vec<(String, String, bool)>,
    /// Pages linked by `smLink`, when the division has no areas.
    pages: Vec<String>,
}

/// The OCR files a METS document describes, as `href`s relative to it.
fn described(text: &str) -> Vec<String> {
    xml::with_document(text, |doc| {
        pages(doc).into_iter().filter_map(|p| p.ocr_href).collect()
    })
    .unwrap_or_default()
}

/// The OCR files a METS document `text`, in `dir`, describes.
pub fn described_paths(text: &str, dir: &Path) -> Vec<PathBuf> {
    described(text)
        .into_iter()
        .map(|href| dir.join(clean_href(&href)))
        .collect()
}

/// An `href` as a relative path (`./0007.xml`, `file:///…` forms).
fn clean_href(href: &str) -> String {
    let href = href.trim();
    let href = href.strip_prefix("file://").unwrap_or(href);
    href.trim_start_matches("./").to_string()
}

/// The files of the file section: ID → (USE, MIME type, href).
fn files(doc: &Document<'_>) -> HashMap<String, (String, String, String)> {
    let mut out = HashMap::new();
    for file in descendants(doc.root_element(), "file") {
        let Some(id) = attr(file, "ID") else {
            continue;
        };
        let group_use = file
            .ancestors()
            .filter(|a| a.is_element() && name(*a) == "fileGrp")
            .find_map(|g| attr(g, "USE").or_else(|| attr(g, "ID")))
            .unwrap_or_default();
        let usage = attr(file, "USE").unwrap_or(group_use).to_ascii_lowercase();
        let mime = attr(file, "MIMETYPE")
            .unwrap_or_default()
            .to_ascii_lowercase();
        let Some(href) = child(file, "FLocat").and_then(|l| attr(l, "href")) else {
            continue;
        };
        out.insert(id.to_string(), (usage, mime, href.to_string()));
    }
    out
}

fn is_ocr(usage: &str, mime: &str, href: &str) -> bool {
    let lower = href.to_ascii_lowercase();
    (usage.contains("ocr")
        || usage.contains("alto")
        || usage.contains("text")
        || mime.contains("xml"))
        && (lower.ends_with(".xml") || lower.ends_with(".alto"))
}

fn is_image(usage: &str, mime: &str, href: &str) -> bool {
    let lower = href.to_ascii_lowercase();
    mime.starts_with("image/")
        || usage.contains("image")
        || [".jp2", ".tif", ".tiff", ".jpg", ".jpeg", ".png"]
            .iter()
            .any(|e| lower.ends_with(e))
}

/// The physical structure map, or the one whose divisions are pages.
fn physical_map<'a, 'i>(doc: &'a Document<'i>) -> Option<Node<'a, 'i>> {
    let maps: Vec<Node<'_, '_>> = descendants(doc.root_element(), "structMap").collect();
    maps.iter()
        .copied()
        .find(|m| attr(*m, "TYPE").is_some_and(|t| t.eq_ignore_ascii_case("physical")))
        .or_else(|| {
            maps.iter()
                .copied()
                .find(|m| descendants(*m, "div").any(|d| kind(d) == "page"))
        })
}

/// The logical structure map, when there is one apart from the physical.
fn logical_map<'a, 'i>(doc: &'a Document<'i>) -> Option<Node<'a, 'i>> {
    descendants(doc.root_element(), "structMap")
        .find(|m| attr(*m, "TYPE").is_some_and(|t| t.eq_ignore_ascii_case("logical")))
}

/// The pages, in order.
fn pages(doc: &Document<'_>) -> Vec<PageRef> {
    let files = files(doc);
    let Some(map) = physical_map(doc) else {
        return Vec::new();
    };
    let divs: Vec<Node<'_, '_>> = descendants(map, "div")
        .filter(|d| {
            kind(*d) == "page"
                || descendants(*d, "div").nth(1).is_none()
                    && d.children().any(|c| c.is_element() && name(c) == "fptr")
        })
        .filter(|d| kind(*d) != "issue")
        .collect();
    let mut out = Vec::new();
    for (n, div) in divs.into_iter().enumerate() {
        let mut page = PageRef {
            number: page_number(doc, div).unwrap_or(n as u32 + 1),
            ocr_id: None,
            ocr_href: None,
            image_href: None,
            div_id: attr(div, "ID").map(str::to_string),
        };
        for pointer in descendants(div, "fptr").chain(descendants(div, "area")) {
            let Some(id) = attr(pointer, "FILEID") else {
                continue;
            };
            let Some((usage, mime, href)) = files.get(id) else {
                continue;
            };
            if page.ocr_href.is_none() && is_ocr(usage, mime, href) {
                page.ocr_id = Some(id.to_string());
                page.ocr_href = Some(clean_href(href));
            } else if is_image(usage, mime, href)
                && (page.image_href.is_none() || usage.contains("service"))
            {
                page.image_href = Some(clean_href(href));
            }
        }
        if page.ocr_href.is_some() {
            out.push(page);
        }
    }
    out
}

/// A page's number: its MODS `extent/start` (NDNP), or `ORDERLABEL`, or `ORDER`.
fn page_number(doc: &Document<'_>, div: Node<'_, '_>) -> Option<u32> {
    let from_mods = attr(div, "DMDID").and_then(|ids| {
        ids.split_whitespace().find_map(|id| {
            let sec =
                descendants(doc.root_element(), "dmdSec").find(|s| attr(*s, "ID") == Some(id))?;
            let extent = find(sec, "extent")?;
            find_text(extent, "start")?.trim().parse().ok()
        })
    });
    from_mods
        .or_else(|| attr(div, "ORDERLABEL").and_then(|o| o.trim().parse().ok()))
        .or_else(|| attr(div, "ORDER").and_then(|o| o.trim().parse().ok()))
}

/// The issue's metadata from its MODS and the METS label.
fn issue_meta(doc: &Document<'_>) -> IssueMeta {
    let root = doc.root_element();
    let mut meta = IssueMeta::default();
    // The issue's own MODS: the one a top division points at, else the first.
    let issue_dmd = descendants(root, "structMap")
        .filter_map(|m| descendants(m, "div").find(|d| attr(*d, "DMDID").is_some()))
        .filter_map(|d| attr(d, "DMDID"))
        .flat_map(|ids| {
            ids.split_whitespace()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .find_map(|id| descendants(root, "dmdSec").find(|s| attr(*s, "ID") == Some(id.as_str())));
    let mods = issue_dmd
        .or_else(|| descendants(root, "dmdSec").next())
        .and_then(|s| find(s, "mods"));
    if let Some(mods) = mods {
        meta.title = descendants(mods, "titleInfo")
            .filter(|t| attr(*t, "type").is_none())
            .find_map(|t| find_text(t, "title"));
        meta.date = descendants(mods, "dateIssued")
            .filter_map(|d| d.text())
            .find_map(parse_date);
        for detail in descendants(mods, "detail") {
            let value = find_text(detail, "number").or_else(|| find_text(detail, "caption"));
            match attr(detail, "type").map(str::to_ascii_lowercase).as_deref() {
                Some("edition") => meta.edition = value,
                Some("issue") | Some("number") => meta.number = value,
                _ => {}
            }
        }
        meta.lang = find(mods, "languageTerm")
            .and_then(|l| l.text())
            .map(|l| l.trim().to_string());
        meta.place = find(mods, "placeTerm").map(text).filter(|p| !p.is_empty());
    }
    // NDNP: "Evening star (Washington, D.C.), 1916-08-26".
    if let Some(label) = attr(root, "LABEL").map(clean_line) {
        let (name, date) = match label.rsplit_once(", ") {
            Some((name, date)) if parse_date(date).is_some() => {
                (name.to_string(), parse_date(date))
            }
            _ => (label.clone(), None),
        };
        meta.date = meta.date.or(date);
        if meta.title.is_none() && !name.is_empty() {
            meta.title = Some(name);
        }
    }
    // "Name (Place)": the place apart, so that the source reads as for text pages.
    if let Some(title) = meta.title.clone()
        && meta.place.is_none()
        && let Some(open) = title.rfind(" (")
        && title.ends_with(')')
    {
        meta.place = Some(title[open + 2..title.len() - 1].to_string());
        meta.title = Some(title[..open].to_string());
    }
    meta
}

/// The article divisions of the logical map.
fn divisions(doc: &Document<'_>) -> Vec<Division> {
    let Some(map) = logical_map(doc) else {
        return Vec::new();
    };
    let links: Vec<(String, String)> = descendants(doc.root_element(), "smLink")
        .filter_map(|l| Some((attr(l, "from")?.to_string(), attr(l, "to")?.to_string())))
        .collect();
    let mut out = Vec::new();
    for div in descendants(map, "div") {
        let kind = kind(div);
        if CONTAINERS.contains(&kind.as_str()) && kind != "title"
            || COMPONENTS.contains(&kind.as_str())
        {
            continue;
        }
        // An article inside another article-like division is read on its own.
        if div
            .ancestors()
            .skip(1)
            .filter(|a| a.is_element() && name(*a) == "div")
            .any(|a| {
                let k = self::kind(a);
                !CONTAINERS.contains(&k.as_str()) && !COMPONENTS.contains(&k.as_str())
            })
        {
            continue;
        }
        let mut division = Division {
            kind: kind.clone(),
            label: attr(div, "LABEL").map(clean_line).filter(|l| !l.is_empty()),
            ..Division::default()
        };
        for area in descendants(div, "area") {
            if attr(area, "BETYPE").is_some_and(|t| !t.eq_ignore_ascii_case("IDREF")) {
                continue;
            }
            let (Some(file), Some(begin)) = (attr(area, "FILEID"), attr(area, "BEGIN")) else {
                continue;
            };
            let heading = area.ancestors().take_while(|a| *a != div).any(|a| {
                a.is_element() && name(a) == "div" && HEADINGS.contains(&self::kind(a).as_str())
            });
            division
                .areas
                .push((file.to_string(), begin.to_string(), heading));
        }
        if division.areas.is_empty()
            && let Some(id) = attr(div, "ID")
        {
            division.pages = links
                .iter()
                .filter(|(from, _)| from == id)
                .map(|(_, to)| to.clone())
                .collect();
        }
        if !division.areas.is_empty() || !division.pages.is_empty() {
            out.push(division);
        }
    }
    out
}

/// Reads a METS issue whose file is `shown` (as the user named it) in `dir` (on
/// disk; `None` inside an archive, where its pages cannot be reached).
pub fn read(text: &str, shown: &str, dir: Option<&Path>, max_file_bytes: u64) -> Issue {
    let parsed = xml::with_document(text, |doc| {
        let meta = issue_meta(doc);
        (meta, pages(doc), divisions(doc))
    });
    let (meta, pages, divisions) = match parsed {
        Ok(parts) => parts,
        Err(e) => {
            return Issue {
                records: vec![Err((Problem::InvalidXml, e))],
                problems: Vec::new(),
            };
        }
    };
    let mut issue = Issue {
        records: Vec::new(),
        problems: Vec::new(),
    };
    if pages.is_empty() {
        issue.records.push(Err((
            Problem::NoArticle,
            "a METS file that lists no OCR pages".into(),
        )));
        return issue;
    }
    let Some(dir) = dir else {
        issue.records.push(Err((
            Problem::NoArticle,
            "a METS file inside an archive: its pages are read as ALTO files of their own".into(),
        )));
        return issue;
    };
    let shown_dir = shown.rfind(['/', '\\']).map_or("", |i| &shown[..=i]);
    let loaded: Vec<Option<(Page, ScanPage)>> = pages
        .iter()
        .map(|page| {
            load_page(page, (dir, shown_dir), max_file_bytes)
                .map_err(|problem| issue.problems.push(problem))
                .ok()
        })
        .collect();
    let base = base_article(&meta);
    let from_divisions = articles_from_divisions(&divisions, &pages, &loaded, &base);
    if from_divisions.is_empty() {
        let by_page = article_per_page(&meta, &pages, &loaded, &base);
        issue.records.extend(by_page.into_iter().map(Ok));
    } else {
        issue.records.extend(from_divisions.into_iter().map(Ok));
    }
    issue
}

/// The ALTO page `page` lists, read from `dir` (the METS file's folder, whose
/// name the user gave as `shown_dir`), with where it is and its scan; else the
/// problem, naming the page as shown.
fn load_page(
    page: &PageRef,
    (dir, shown_dir): (&Path, &str),
    max_file_bytes: u64,
) -> Result<(Page, ScanPage), (String, Problem, String)> {
    let href = page.ocr_href.as_deref().unwrap_or_default();
    let path = dir.join(href);
    let shown_page = format!("{shown_dir}{href}");
    let Some(text) = read_limited(&path, max_file_bytes) else {
        let detail = if path.exists() {
            unreadable(max_file_bytes)
        } else {
            "listed by its METS file but missing".to_string()
        };
        return Err((shown_page, Problem::Unreadable, detail));
    };
    let alto_page = match alto::parse(&text) {
        Ok(alto_page) => alto_page,
        Err(e) => return Err((shown_page, Problem::InvalidXml, e)),
    };
    // The scan, relative to the METS file: the one it lists, else the one beside
    // the page with its stem.
    let image = page
        .image_href
        .clone()
        .filter(|i| dir.join(i).is_file())
        .or_else(|| {
            image_beside(&path, alto_page.image.as_deref()).map(|name| sibling(href, &name))
        });
    let scan_page = ScanPage {
        number: page.number,
        file: shown_page,
        width: alto_page.width,
        height: alto_page.height,
        unit: alto_page.unit.clone(),
        image: image.as_ref().map(|i| format!("{shown_dir}{i}")),
        image_at: image.and_then(|i| absolute(&dir.join(i))),
        start: 0,
    };
    Ok((alto_page, scan_page))
}

/// One article per page read (`loaded`, beside `pages`), labelled with the
/// issue and page: an issue without article divisions.
fn article_per_page(
    meta: &IssueMeta,
    pages: &[PageRef],
    loaded: &[Option<(Page, ScanPage)>],
    base: &Article,
) -> Vec<Article> {
    let mut articles = Vec::new();
    for (page, slot) in pages.iter().zip(loaded) {
        let Some((alto_page, scan_page)) = slot else {
            continue;
        };
        let mut layout = Layout::default();
        layout.page(scan_page.clone());
        for block in &alto_page.blocks {
            layout.block(block);
        }
        if layout.is_empty() {
            continue;
        }
        let mut article = finish(layout, base);
        article.title = label(meta, Some(page.number));
        articles.push(article);
    }
    articles
}

/// The fields every article of the issue shares.
fn base_article(meta: &IssueMeta) -> Article {
    Article {
        source: meta.title.clone(),
        place: meta.place.clone(),
        date: meta.date,
        lang: meta.lang.clone(),
        ..Article::default()
    }
}

fn finish(layout: Layout, base: &Article) -> Article {
    let (body, scan, quality) = layout.finish();
    Article {
        body,
        scan,
        ocr_quality: quality,
        ..base.clone()
    }
}

/// "Evening star (Washington, D.C.) — 1916-08-26, edition 2, page 7".
fn label(meta: &IssueMeta, page: Option<u32>) -> String {
    let mut label = crate::article::source_label(meta.title.as_deref(), meta.place.as_deref())
        .unwrap_or_else(|| "Issue".to_string());
    if let Some(date) = meta.date {
        label.push_str(&format!(" — {}", date.format("%Y-%m-%d")));
    }
    if let Some(edition) = meta.edition.as_deref().filter(|e| e.trim() != "1") {
        label.push_str(&format!(", edition {edition}"));
    }
    if let Some(number) = &meta.number {
        label.push_str(&format!(", no. {number}"));
    }
    if let Some(page) = page {
        label.push_str(&format!(", page {page}"));
    }
    label
}

/// The articles of the logical divisions, blocks in the divisions' order.
fn articles_from_divisions(
    divisions: &[Division],
    pages: &[PageRef],
    loaded: &[Option<(Page, ScanPage)>],
    base: &Article,
) -> Vec<Article> {
    let by_file: HashMap<&str, usize> = pages
        .iter()
        .enumerate()
        .filter_map(|(i, p)| Some((p.ocr_id.as_deref()?, i)))
        .collect();
    let by_div: HashMap<&str, usize> = pages
        .iter()
        .enumerate()
        .filter_map(|(i, p)| Some((p.div_id.as_deref()?, i)))
        .collect();
    let mut out = Vec::new();
    for division in divisions {
        let mut pieces: Vec<(usize, &Block, bool)> = Vec::new();
        for (file, begin, heading) in &division.areas {
            let Some(&i) = by_file.get(file.as_str()) else {
                continue;
            };
            let Some((page, _)) = &loaded[i] else {
                continue;
            };
            for block in page
                .blocks
                .iter()
                .filter(|b| b.ids.iter().any(|id| id == begin))
            {
                if !pieces
                    .iter()
                    .any(|(p, b, _)| *p == i && std::ptr::eq(*b, block))
                {
                    pieces.push((i, block, *heading));
                }
            }
        }
        for page_div in &division.pages {
            let Some(&i) = by_div.get(page_div.as_str()) else {
                continue;
            };
            if let Some((page, _)) = &loaded[i] {
                pieces.extend(page.blocks.iter().map(|b| (i, b, false)));
            }
        }
        if pieces.is_empty() {
            continue;
        }
        let heading: Vec<&str> = pieces
            .iter()
            .filter(|(_, _, h)| *h)
            .map(|(_, b, _)| b.text.as_str())
            .collect();
        let mut layout = Layout::default();
        let mut current: Option<usize> = None;
        let mut numbers: Vec<u32> = Vec::new();
        for (i, block, _) in &pieces {
            if current != Some(*i) {
                if let Some((_, scan_page)) = &loaded[*i] {
                    layout.page(scan_page.clone());
                    numbers.push(scan_page.number);
                }
                current = Some(*i);
            }
            layout.block(block);
        }
        if layout.is_empty() {
            continue;
        }
        let mut article = finish(layout, base);
        article.title = division_title(division, &heading, &article.body);
        out.push(article);
    }
    out
}

/// An article division's headline: its heading blocks, its `LABEL`, a short
/// first line, or its type; a type other than `article` leads (`Advertisement: …`).
fn division_title(division: &Division, heading: &[&str], body: &str) -> String {
    let kind = {
        let kind = division.kind.replace('_', " ");
        match kind.get(..1) {
            Some(first) => first.to_uppercase() + &kind[1..],
            None => kind,
        }
    };
    let title = (!heading.is_empty())
        .then(|| clean_line(&heading.join(" ")))
        .or_else(|| division.label.clone())
        .or_else(|| {
            body.lines()
                .next()
                .map(clean_line)
                .filter(|l| l.split_whitespace().count() <= 14 && !l.is_empty())
        })
        .unwrap_or_else(|| kind.clone());
    let labelled = division.kind == "article"
        || title.to_lowercase().contains(&kind.to_lowercase())
        || title == kind;
    if labelled {
        title
    } else {
        format!("{kind}: {title}")
    }
}

/// The scan beside an OCR file: the one with its stem (`0007.jp2` for
/// `0007.xml`), else the one the OCR file names, if it is there.
pub fn image_beside(ocr: &Path, recorded: Option<&str>) -> Option<String> {
    let stem = ocr.file_stem()?.to_string_lossy().into_owned();
    let dir = ocr.parent()?;
    let recorded = recorded
        .and_then(|r| r.rsplit(['/', '\\']).next())
        .map(str::to_string);
    [
        "jp2", "tif", "tiff", "jpg", "jpeg", "png", "JP2", "TIF", "JPG", "PNG",
    ]
    .iter()
    .map(|ext| format!("{stem}.{ext}"))
    .chain(recorded)
    .find(|name| dir.join(name).is_file())
}

/// A path made absolute and canonical, as a string.
pub fn absolute(path: &Path) -> Option<String> {
    Some(path.canonicalize().ok()?.to_string_lossy().into_owned())
}

/// `name` in the folder of `href` (`pages/0007.xml`, `0007.jp2` → `pages/0007.jp2`).
fn sibling(href: &str, name: &str) -> String {
    match href.rfind('/') {
        Some(i) => format!("{}{name}", &href[..=i]),
        None => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ndnp_label_gives_title_place_and_date() {
        let mets = r#"<mets xmlns="http://www.loc.gov/METS/" LABEL="Evening star (Washington, D.C.), 1916-08-26"></mets>"#;
        let meta = xml::with_document(mets, issue_meta).unwrap();
        assert_eq!(meta.title.as_deref(), Some("Evening star"));
        assert_eq!(meta.place.as_deref(), Some("Washington, D.C."));
        assert_eq!(
            label(&meta, Some(7)),
            "Evening star (Washington, D.C.) — 1916-08-26, page 7"
        );
    }
}
