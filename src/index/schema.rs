//! The index schema, built in one place, and the field handles resolved once.

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

use chrono::DateTime;
use tantivy::schema::{TantivyDocument, Value};

use super::analysis;
use super::analyzer::{NAME_ANALYZER, STOPS_ANALYZER, TEXT_ANALYZER};
use super::resume::ResumePoints;
use crate::article::Article;
use crate::scan::Scan;

/// Field handles of the news schema.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Stable article id (raw, stored): the upsert key.
    pub id: Field,
    /// Canonical path of the source file (raw, fast, stored): replaces a file's
    /// articles, and names an issue for IIIF.
    pub file_key: Field,
    /// Size-and-mtime fingerprint of the source file when indexed (fast): skips unchanged files.
    pub file_stamp: Field,
    /// The article's place among those read from its file (fast): `show FILE` keeps
    /// the file's order, which several indexing threads do not.
    pub record: Field,
    /// Hash of the article's text (fast): stores an exact duplicate once.
    pub text_hash: Field,
    /// Headline (analysed, stored).
    pub title: Field,
    /// Main text (analysed, stored).
    pub body: Field,
    /// The headline's stop words only, at their positions (for exact phrases).
    pub title_stops: Field,
    /// The main text's stop words only, at their positions (for exact phrases).
    pub body_stops: Field,
    /// Publication time in seconds since 1970 (indexed, stored, fast). Not a Tantivy
    /// date: those are nanoseconds in an i64, which wrap outside 1677–2262.
    pub date: Field,
    /// Publisher name (analysed without stemming, stored).
    pub source: Field,
    /// Publisher name as written, with its place when known (raw, fast): what
    /// sources are counted and filtered by ([`Article::source_label`]).
    pub source_exact: Field,
    /// Place of publication (analysed without stemming, stored).
    pub place: Field,
    /// Author (analysed without stemming, stored).
    pub author: Field,
    /// URL (raw, stored).
    pub url: Field,
    /// Path as the user named it (stored only).
    pub path: Field,
    /// Detected language code (raw, stored, fast).
    pub lang: Field,
    /// Near-duplicate band hashes (fast; several per article).
    pub dup_bands: Field,
    /// The bands' sketch ([`fingerprint::sketch`](super::fingerprint::sketch),
    /// fast; none without bands): eight bytes that rule out most non-copies.
    pub dup_sketch: Field,
    /// OCR confidence, 0 to 1 (indexed, stored, fast): `--min-ocr-quality`.
    pub ocr_quality: Field,
    /// Pages and word positions ([`Scan::encode`], stored only).
    pub scan: Field,
    /// Where reading a long body's words can resume
    /// ([`ResumePoints::encode`](super::resume::ResumePoints::encode), stored
    /// only). `None` in an index written before it came: its passages are placed
    /// by reading each body from the start.
    pub body_resume: Option<Field>,
}

impl Fields {
    /// The stop-word twin of a headline or body field.
    pub fn stops_of(&self, field: Field) -> Option<Field> {
        if field == self.title {
            Some(self.title_stops)
        } else if field == self.body {
            Some(self.body_stops)
        } else {
            None
        }
    }

    /// Builds the schema and its field handles.
    pub fn build() -> (Schema, Fields) {
        let mut builder = Schema::builder();
        let text = |analyzer: &str| {
            TextOptions::default()
                .set_indexing_options(
                    TextFieldIndexing::default()
                        .set_tokenizer(analyzer)
                        .set_index_option(IndexRecordOption::WithFreqsAndPositions),
                )
                .set_stored()
        };
        let stops = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(STOPS_ANALYZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let fields = Fields {
            id: builder.add_text_field("id", STRING | STORED),
            file_key: builder.add_text_field("file_key", STRING | FAST | STORED),
            file_stamp: builder.add_u64_field("file_stamp", FAST),
            record: builder.add_u64_field("record", FAST),
            text_hash: builder.add_u64_field("text_hash", FAST),
            title: builder.add_text_field("title", text(TEXT_ANALYZER)),
            body: builder.add_text_field("body", text(TEXT_ANALYZER)),
            title_stops: builder.add_text_field("title_stops", stops.clone()),
            body_stops: builder.add_text_field("body_stops", stops),
            date: builder.add_i64_field("date", INDEXED | STORED | FAST),
            source: builder.add_text_field("source", text(NAME_ANALYZER)),
            source_exact: builder.add_text_field("source_exact", STRING | FAST),
            place: builder.add_text_field("place", text(NAME_ANALYZER)),
            author: builder.add_text_field("author", text(NAME_ANALYZER)),
            url: builder.add_text_field("url", STRING | STORED),
            path: builder.add_text_field("path", STORED),
            lang: builder.add_text_field("lang", STRING | STORED | FAST),
            dup_bands: builder.add_u64_field("dup_bands", FAST),
            dup_sketch: builder.add_u64_field("dup_sketch", FAST),
            ocr_quality: builder.add_f64_field("ocr_quality", INDEXED | STORED | FAST),
            scan: builder.add_bytes_field("scan", STORED),
            body_resume: Some(builder.add_bytes_field("body_resume", STORED)),
        };
        (builder.build(), fields)
    }

    /// Resolves the handles in the schema of an existing index, failing if one is missing.
    pub fn resolve(schema: &Schema) -> Result<Fields, String> {
        let (expected, mut fields) = Fields::build();
        for (field, entry) in expected.fields() {
            let found = match schema.get_field(entry.name()) {
                Ok(found) => found,
                // An index written before the field came is read without it.
                Err(_) if entry.name() == "body_resume" => {
                    fields.body_resume = None;
                    continue;
                }
                Err(_) => {
                    return Err(format!(
                        "field `{}` is missing; rebuild the index with this version",
                        entry.name()
                    ));
                }
            };
            if schema.get_field_entry(found) != entry {
                return Err(format!("field `{}` has different options", entry.name()));
            }
            // The handles given are those of the schema built here.
            if found != field {
                return Err(format!("field `{}` is out of place", entry.name()));
            }
        }
        Ok(fields)
    }

    /// The stored article of a document read from the index.
    pub fn article(&self, doc: &TantivyDocument) -> Article {
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        // Stored as indexed: with the language tag in front (see `analysis`).
        let untagged = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .map(|t| analysis::untag(t).1.to_string())
                .unwrap_or_default()
        };
        Article {
            id: text(self.id).unwrap_or_default(),
            title: untagged(self.title),
            body: untagged(self.body),
            date: doc
                .get_first(self.date)
                .and_then(|v| v.as_i64())
                .and_then(|secs| DateTime::from_timestamp(secs, 0)),
            source: text(self.source),
            place: text(self.place),
            author: text(self.author),
            url: text(self.url),
            path: text(self.path),
            key: text(self.file_key),
            lang: text(self.lang),
            ocr_quality: doc
                .get_first(self.ocr_quality)
                .and_then(|v| v.as_f64())
                .map(|q| q as f32),
            scan: doc
                .get_first(self.scan)
                .and_then(|v| v.as_bytes())
                .and_then(Scan::decode),
            unread_date: None,
        }
    }

    /// Where reading the body of a document read from the index can resume; none
    /// when the index keeps no points, the body is short, or the points are damaged
    /// (the body is then read from its start).
    pub fn resume_points(&self, doc: &TantivyDocument) -> ResumePoints {
        self.body_resume
            .and_then(|field| doc.get_first(field))
            .and_then(|v| v.as_bytes())
            .and_then(ResumePoints::decode)
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_index_written_before_the_resume_points_is_read_without_them() {
        let (schema, _) = Fields::build();
        assert!(Fields::resolve(&schema).unwrap().body_resume.is_some());
        let mut older = Schema::builder();
        for (_, entry) in schema.fields().filter(|(_, e)| e.name() != "body_resume") {
            older.add_field(entry.clone());
        }
        let fields = Fields::resolve(&older.build()).unwrap();
        assert_eq!(fields.body_resume, None);
        assert_eq!(fields.scan, Fields::build().1.scan);
        // Any other field missing is another version's index.
        let mut other = Schema::builder();
        for (_, entry) in schema.fields().filter(|(_, e)| e.name() != "dup_sketch") {
            other.add_field(entry.clone());
        }
        let refused = Fields::resolve(&other.build()).unwrap_err();
        assert!(refused.contains("`dup_sketch` is missing"), "{refused}");
    }
}
