//! Scraped pages (`tests/pages`, made by `bench/pages.py` from our own articles): the
//! article comes out of every layout, scored with the extraction benchmark's metric.
//! One test per failure class the keyword rules had, plus the whole set.

use std::collections::HashMap;
use std::path::PathBuf;

use serde_json::Value;

use crate::support::{Test, project_dir};

/// 4-word sequences of `\w+` words, with counts.
fn shingles(text: &str) -> HashMap<String, usize> {
    let words: Vec<&str> = text
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .collect();
    let mut out = HashMap::new();
    for w in words.windows(4.min(words.len().max(1))) {
        *out.entry(w.join(" ")).or_insert(0) += 1;
    }
    out
}

/// Precision and recall of the extracted body against the truth.
fn score(truth: &str, body: &str) -> (f64, f64) {
    let (t, b) = (shingles(truth), shingles(body));
    let shared: usize = t
        .iter()
        .map(|(k, n)| (*n).min(*b.get(k).unwrap_or(&0)))
        .sum();
    let total = |m: &HashMap<String, usize>| m.values().sum::<usize>() as f64;
    (
        shared as f64 / total(&b).max(1.0),
        shared as f64 / total(&t).max(1.0),
    )
}

fn pages() -> PathBuf {
    project_dir().join("tests/pages")
}

/// The body `export` gives for each page of a layout, with that page's truth.
fn extracted(layout: &str) -> Vec<(String, String, String)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(pages())
        .expect("tests/pages")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .filter(|p| p.to_string_lossy().contains(layout))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no page of layout {layout}");
    let t = Test::new();
    let mut args = vec!["export"];
    let names: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
    args.extend(names.iter().map(String::as_str));
    let run = t.run_vec(&args);
    run.success();
    let bodies: HashMap<String, String> = run
        .stdout_text()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("JSON line"))
        .map(|v| {
            (
                v["path"].as_str().unwrap_or("").to_string(),
                v["body"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    files
        .iter()
        .map(|p| {
            let truth = std::fs::read_to_string(p.with_extension("txt")).expect("truth");
            let body = bodies
                .get(&p.display().to_string())
                .cloned()
                .unwrap_or_default();
            (p.display().to_string(), truth, body)
        })
        .collect()
}

/// Every page of the layout scores at least `floor` in precision and recall.
fn assert_clean(layout: &str, floor: f64) {
    for (page, truth, body) in extracted(layout) {
        let (p, r) = score(&truth, &body);
        assert!(
            p >= floor && r >= floor,
            "{page}: precision {p:.2} recall {r:.2}\n--- extracted:\n{body}\n--- truth:\n{truth}"
        );
    }
}

#[test]
fn a_class_name_holding_sidebar_does_not_drop_the_body() {
    // div.l-sidebar-fixed.l-article-body-segment: the old substring rule dropped it all.
    assert_clean("chorus", 0.85);
}

#[test]
fn a_breadcrumb_class_on_the_article_keeps_the_article() {
    assert_clean("breadcrumb_article", 0.95);
}

#[test]
fn menu_header_modal_promotion_and_advertising_classes_keep_the_text() {
    // <body class="menu-open …">, div.header-article, div.modal-ready, div.promotion-space.
    assert_clean("menu_body", 0.95);
}

#[test]
fn teaser_and_related_articles_are_not_taken_for_the_story() {
    for layout in ["elementor", "teasers_above", "nested_related"] {
        assert_clean(layout, 0.95);
    }
}

#[test]
fn a_page_thousands_deep_never_turns_script_into_text() {
    for (page, truth, body) in extracted("deep") {
        assert!(
            !body.contains("tracking") && !body.contains("var config"),
            "{page}: {body}"
        );
        let (p, r) = score(&truth, &body);
        assert!(
            p >= 0.95 && r >= 0.95,
            "{page}: precision {p:.2} recall {r:.2}\n{body}"
        );
    }
}

#[test]
fn without_article_or_main_menus_tickers_and_headline_lists_stay_out() {
    assert_clean("body_fallback", 0.95);
}

#[test]
fn text_in_a_paywall_container_is_kept() {
    assert_clean("paywall", 0.95);
}

#[test]
fn json_ld_article_body_is_used_when_the_page_is_a_script_shell() {
    assert_clean("json_ld_only", 0.95);
}

#[test]
fn every_layout_comes_out_clean() {
    // News sites, blogs, CMS templates, comments, galleries, live blogs, AMP, forms,
    // tables, <br> text, and articles in Chinese, Arabic, Japanese and Russian.
    let all = extracted("");
    let (mut ps, mut rs) = (0.0, 0.0);
    for (page, truth, body) in &all {
        assert!(!body.trim().is_empty(), "{page}: empty");
        let (p, r) = score(truth, body);
        assert!(
            p >= 0.8 && r >= 0.9,
            "{page}: precision {p:.2} recall {r:.2}\n{body}"
        );
        ps += p;
        rs += r;
    }
    let (p, r) = (ps / all.len() as f64, rs / all.len() as f64);
    let f1 = 2.0 * p * r / (p + r);
    assert!(f1 >= 0.96, "F1 {f1:.3} over {} pages", all.len());
}

#[test]
fn non_latin_pages_come_out_clean() {
    let all = extracted("");
    let non_latin: Vec<_> = all
        .iter()
        .filter(|(_, truth, _)| {
            truth.chars().filter(|c| !c.is_ascii()).count() * 2 > truth.len() / 3
        })
        .collect();
    assert!(non_latin.len() >= 4, "{} non-Latin pages", non_latin.len());
    for (page, truth, body) in non_latin {
        let (p, r) = score(truth, body);
        assert!(
            p >= 0.9 && r >= 0.9,
            "{page}: precision {p:.2} recall {r:.2}\n{body}"
        );
    }
}
