//! The Quickwit index config, generated from our schema. Quickwit does no analysis we
//! can use (no stemming, no folding, a case-sensitive `whitespace` tokenizer), so every
//! searchable text goes twice: stored as written (for snippets and display), and as the
//! tokens our own analyzers produce, joined by spaces, in a `*_terms` field that
//! Quickwit indexes with `whitespace`, positions and field norms (for BM25).
//!
//! The index holds articles only (`kind: article`): what `index` has sent is kept in
//! the ledger index beside it (`ledger`). Deletes: Quickwit applies delete tasks late
//! (its janitor, on mature splits), so a replaced or vanished file's articles would
//! stay searchable for a while; the ledger's hides name them, and every search
//! excludes them.
//!
//! There is no `timestamp_field`: Quickwit rejects documents without one, and undated
//! articles are articles; date windows are range queries on the `date` fast field.
//!
//! The mapping has a version, written into the `id` field's description: an index made
//! by another version is refused rather than searched wrongly.

use serde_json::{Value, json};

/// Bumped whenever a field, a tokenizer or the analysis behind a `*_terms` field changes.
pub const MAPPING_VERSION: u32 = 12;

/// The description that carries the version.
pub fn version_mark() -> String {
    format!("news-search doc mapping v{MAPPING_VERSION}")
}

/// What each field is in Quickwit.
enum Kind {
    /// Exact value: filters, ids, keys (raw tokenizer, fast).
    Key,
    /// Stored only: the text as written.
    Stored,
    /// Our tokens, space-joined: searched with positions and field norms.
    Terms,
    /// An unsigned number (fast).
    Number,
    /// Many unsigned numbers (fast).
    Numbers,
    /// A fraction (fast, indexed for ranges).
    Fraction,
    /// Binary, base64 in JSON (stored only).
    Blob,
    /// A date (RFC 3339 in and out: Quickwit's Unix-time input takes only 1972 to 2242; fast).
    Date,
}

/// The fields, in the order documents carry them.
const FIELDS: &[(&str, Kind)] = &[
    ("id", Kind::Key),
    // "article", every document: the one way to write "nothing" is `kind:none`.
    ("kind", Kind::Key),
    // When the run that sent a document started (ns since the epoch): a hide
    // hides only what was sent before it, not a file's next version.
    ("sent", Kind::Number),
    // The run's batch the article was sent in: what a stopped run sent after its
    // last checkpoint is cut by it.
    ("batch", Kind::Number),
    // The article's place in its file (0, 1, …): `show FILE` lists them in order.
    ("record", Kind::Number),
    ("file_state", Kind::Key),
    ("file_key", Kind::Key),
    // A string: stamps are 64-bit hashes, and Quickwit's metric aggregations are f64.
    ("file_stamp", Kind::Key),
    ("text_hash", Kind::Number),
    ("title", Kind::Stored),
    ("body", Kind::Stored),
    ("title_terms", Kind::Terms),
    ("body_terms", Kind::Terms),
    ("title_stops", Kind::Terms),
    ("body_stops", Kind::Terms),
    // How many words the local index would count in `title_terms` and `body_terms`
    // (stand-ins not counted): their sums over the live articles give the average
    // lengths behind index-wide BM25 (`rescore`).
    ("title_tokens", Kind::Number),
    ("body_tokens", Kind::Number),
    ("date", Kind::Date),
    ("source", Kind::Stored),
    ("source_terms", Kind::Terms),
    ("source_exact", Kind::Key),
    ("place", Kind::Stored),
    ("place_terms", Kind::Terms),
    ("author", Kind::Stored),
    ("author_terms", Kind::Terms),
    ("url", Kind::Key),
    ("path", Kind::Stored),
    ("lang", Kind::Key),
    ("dup_bands", Kind::Numbers),
    ("ocr_quality", Kind::Fraction),
    // Pages and word positions (`Scan::encode`).
    ("scan", Kind::Blob),
];

/// The index config to POST to `/api/v1/indexes` (what `news-search quickwit-config` prints).
pub fn index_config(index_id: &str) -> Value {
    let fields: Vec<Value> = FIELDS
        .iter()
        .map(|(name, kind)| {
            let mut field = match kind {
                Kind::Key => {
                    json!({"type": "text", "tokenizer": "raw", "fast": true, "stored": true})
                }
                Kind::Stored => json!({"type": "text", "indexed": false, "stored": true}),
                Kind::Terms => json!({
                    "type": "text", "tokenizer": "whitespace", "record": "position",
                    "fieldnorms": true, "stored": false
                }),
                Kind::Number => json!({"type": "u64", "fast": true, "stored": true}),
                Kind::Numbers => json!({"type": "array<u64>", "fast": true, "stored": true}),
                Kind::Fraction => json!({"type": "f64", "fast": true, "stored": true}),
                Kind::Blob => json!({"type": "bytes", "indexed": false, "stored": true}),
                Kind::Date => json!({
                    "type": "datetime", "fast": true, "stored": true,
                    "input_formats": ["rfc3339"], "output_format": "rfc3339",
                    "fast_precision": "seconds"
                }),
            };
            field["name"] = json!(name);
            if *name == "id" {
                field["description"] = json!(version_mark());
            }
            field
        })
        .collect();
    json!({
        "version": "0.8",
        "index_id": index_id,
        "doc_mapping": {
            "mode": "strict",
            "field_mappings": fields,
        },
        "search_settings": {"default_search_fields": ["title_terms", "body_terms"]},
        "indexing_settings": {"commit_timeout_secs": 5},
    })
}

/// The mapping version of an existing index, from its config as Quickwit returns it
/// (`GET /api/v1/indexes/ID`); `None` when it was not made by news-search.
pub fn version_of(index_metadata: &Value) -> Option<u32> {
    let fields = index_metadata
        .pointer("/index_config/doc_mapping/field_mappings")?
        .as_array()?;
    let id = fields.iter().find(|f| f["name"] == "id")?;
    id["description"]
        .as_str()?
        .strip_prefix("news-search doc mapping v")?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_config_carries_its_version_and_every_field_once() {
        let config = index_config("news");
        let fields = config["doc_mapping"]["field_mappings"].as_array().unwrap();
        let names: std::collections::HashSet<_> =
            fields.iter().map(|f| f["name"].as_str().unwrap()).collect();
        assert_eq!(names.len(), FIELDS.len());
        // What Quickwit returns keeps the description: the version reads back.
        let returned = json!({"index_config": config});
        assert_eq!(version_of(&returned), Some(MAPPING_VERSION));
        assert_eq!(
            version_of(
                &json!({"index_config": {"doc_mapping": {"field_mappings": [{"name": "id"}]}}})
            ),
            None
        );
    }
}
