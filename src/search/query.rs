//! From the user's query string to a Tantivy query: size and nesting capped before
//! parsing, Tantivy's grammar read into its syntax tree, and the tree compiled here:
//! all words required by default, titles weighted above bodies, `word*` as a prefix
//! and `word~1` as a fuzzy term (which Tantivy's own parser does not do for single
//! words), `date:[2024 TO 2025-06]` with human dates, and raw input the grammar
//! rejects retried as plain words instead of failing. Compiling also records what to
//! highlight: plain words, phrases (highlighted only where the phrase occurs),
//! prefixes and fuzzy terms.

use std::ops::Bound;

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, ExistsQuery, FuzzyTermQuery,
    Occur, PhrasePrefixQuery, PhraseQuery, Query, RangeQuery, RegexQuery, TermQuery,
};
use tantivy::query_grammar::{
    Delimiter, Occur as UserOccur, UserInputAst, UserInputBound, UserInputLeaf, UserInputLiteral,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Searcher, Term};

use super::expand;
use super::filter::{Edge, parse_edge};
use super::phrase::ExactPhraseQuery;
use super::snippet::{Marks, Phrase};
use crate::error::{Error, Result};
use crate::index::NewsIndex;
use crate::index::analyzer::{self, name_analyzer};
use crate::index::language;
use crate::index::tokenizer::is_cjk;

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 32 * 1024;
/// Deepest parenthesis nesting accepted (Tantivy's parser recurses once per level).
pub const MAX_NESTING: usize = 32;
/// How much more a title match weighs than a body match.
pub const TITLE_BOOST: f32 = 2.0;
/// Largest edit distance of a fuzzy term (`word~2`).
pub const MAX_FUZZY_DISTANCE: u32 = 2;
/// Shortest prefix accepted before `*`, in characters.
pub const MIN_PREFIX_CHARS: usize = 2;
/// Most indexed words one fuzzy word stands for (Lucene's `maxExpansions`).
pub const MAX_EXPANSIONS: usize = 50;
/// Most prefix and fuzzy words in one query: each reads a term dictionary.
pub const MAX_EXPANDING_WORDS: usize = 32;
/// Most word and phrase clauses in one query (Lucene's `maxClauseCount`).
pub const MAX_CLAUSES: usize = 1024;

/// A parsed query and, when the input had to be simplified, a note saying so.
pub struct ParsedQuery {
    /// The query to run.
    pub query: Box<dyn Query>,
    /// What to highlight in headlines.
    pub title_marks: Marks,
    /// What to highlight in bodies.
    pub body_marks: Marks,
    /// The plain words searched in headline and body, as typed (lowercased), with
    /// their analysed terms: the candidates for "did you mean".
    pub words: Vec<(String, String)>,
    /// Remarks, such as a query read leniently.
    pub notes: Vec<String>,
}

/// Parses `text` with the documented syntax; all words are required unless `match_any`.
pub fn parse(
    index: &NewsIndex,
    searcher: &Searcher,
    text: &str,
    match_any: bool,
) -> Result<ParsedQuery> {
    let chars = text.chars().count();
    if chars > MAX_QUERY_CHARS {
        return Err(Error::Query(format!(
            "the query is {chars} characters long; the limit is {MAX_QUERY_CHARS}"
        )));
    }
    if nesting_depth(text) > MAX_NESTING {
        return Err(Error::Query(format!(
            "parentheses nest more than {MAX_NESTING} deep"
        )));
    }
    if text.trim().is_empty() {
        return Err(Error::Query("the query is empty".into()));
    }
    let default = if match_any {
        Occur::Should
    } else {
        Occur::Must
    };
    let strict = tantivy::query_grammar::parse_query(&escape_apostrophes(text))
        .map_err(|_| "an unbalanced quote or parenthesis, or a stray `:`?".to_string())
        .and_then(|ast| match compile_all(index, searcher, &ast, default) {
            Err(Error::Query(message)) if message.starts_with(NO_FIELD) => Err(message),
            other => Ok(other),
        });
    let mut parsed = match strict {
        Ok(compiled) => compiled?,
        Err(reason) => {
            let plain = plain_words(text);
            let ast = tantivy::query_grammar::parse_query(&escape_apostrophes(&plain))
                .ok()
                .filter(|_| !plain.is_empty())
                .ok_or_else(|| {
                    Error::Query("syntax error (an unbalanced quote or parenthesis?)".into())
                })?;
            let mut parsed = compile_all(index, searcher, &ast, default)?;
            parsed.notes.insert(
                0,
                format!("could not read the query as written ({reason}); searched for: {plain}"),
            );
            parsed
        }
    };
    let proximity = proximity_clauses(index, text);
    if !proximity.is_empty() {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, parsed.query)];
        clauses.extend(proximity.into_iter().map(|q| (Occur::Should, q)));
        parsed.query = Box::new(BooleanQuery::new(clauses));
    }
    Ok(parsed)
}

fn compile_all(
    index: &NewsIndex,
    searcher: &Searcher,
    ast: &UserInputAst,
    default: Occur,
) -> Result<ParsedQuery> {
    match compile_with(index, searcher, ast, default, false)? {
        Some(parsed) => Ok(parsed),
        // Only stop words ("to be or not to be"): search for them after all.
        None => compile_with(index, searcher, ast, default, true)?
            .ok_or_else(|| Error::Query("the query has no searchable words".into())),
    }
}

/// `(position, term)` of each token `analyzer` makes of `text`.
fn analyze(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(usize, String)> {
    let mut tokens = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        let token = stream.token();
        tokens.push((token.position, token.text.clone()));
    }
    tokens
}

/// A registered analyzer by name.
fn analyzer_named(index: &NewsIndex, name: &str) -> Result<TextAnalyzer> {
    index
        .index
        .tokenizers()
        .get(name)
        .ok_or_else(|| Error::Internal(format!("analyzer {name} is not registered")))
}

fn compile_with(
    index: &NewsIndex,
    searcher: &Searcher,
    ast: &UserInputAst,
    default: Occur,
    keep_stop_words: bool,
) -> Result<Option<ParsedQuery>> {
    let mut compiler = Compiler {
        index,
        searcher,
        clauses: 0,
        expanding: 0,
        default,
        title_marks: Marks::default(),
        body_marks: Marks::default(),
        words: Vec::new(),
        notes: Vec::new(),
        folder: name_analyzer(),
        keep_stop_words,
    };
    let Some(query) = compiler.compile(ast, false)? else {
        return Ok(None);
    };
    Ok(Some(ParsedQuery {
        query,
        title_marks: compiler.title_marks,
        body_marks: compiler.body_marks,
        words: compiler.words,
        notes: compiler.notes,
    }))
}

/// Turns the grammar's syntax tree into a Tantivy query.
struct Compiler<'a> {
    index: &'a NewsIndex,
    searcher: &'a Searcher,
    /// Words and phrases so far, against [`MAX_CLAUSES`].
    clauses: usize,
    /// Prefix and fuzzy words so far, against [`MAX_EXPANDING_WORDS`].
    expanding: usize,
    /// Search for stop words outside quotes too (the query has nothing else).
    keep_stop_words: bool,
    default: Occur,
    title_marks: Marks,
    body_marks: Marks,
    words: Vec<(String, String)>,
    notes: Vec<String>,
    /// Lowercases and folds without stemming (for prefixes).
    folder: TextAnalyzer,
}

/// How an unknown field name is reported (such queries are retried as plain words).
const NO_FIELD: &str = "there is no field";

/// The fields a query word can name.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Target {
    Title,
    Body,
    Source,
    Author,
    Url,
    Id,
    Lang,
    Date,
}

impl Target {
    fn named(name: &str) -> Result<Target> {
        Ok(match name {
            "title" => Target::Title,
            "body" => Target::Body,
            "source" => Target::Source,
            "author" => Target::Author,
            "url" => Target::Url,
            "id" => Target::Id,
            "lang" => Target::Lang,
            "date" => Target::Date,
            other => {
                return Err(Error::Query(format!(
                    "{NO_FIELD} `{other}`; fields are title, body, source, author, url, id, lang, date"
                )));
            }
        })
    }
}

impl Compiler<'_> {
    fn compile(&mut self, ast: &UserInputAst, negated: bool) -> Result<Option<Box<dyn Query>>> {
        match ast {
            UserInputAst::Clause(items) => {
                let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                for (occur, sub) in items {
                    let occur = match occur {
                        Some(UserOccur::Must) => Occur::Must,
                        Some(UserOccur::Should) => Occur::Should,
                        Some(UserOccur::MustNot) => Occur::MustNot,
                        None => self.default,
                    };
                    let sub_negated = negated ^ (occur == Occur::MustNot);
                    if let Some(query) = self.compile(sub, sub_negated)? {
                        clauses.push((occur, query));
                    }
                }
                if clauses.is_empty() {
                    return Ok(None);
                }
                if clauses.iter().all(|(occur, _)| *occur == Occur::MustNot) {
                    return Err(Error::Query(
                        "every word is excluded with `-`; add at least one word to search for"
                            .into(),
                    ));
                }
                if clauses.len() == 1 && clauses[0].0 != Occur::MustNot {
                    return Ok(clauses.pop().map(|(_, q)| q));
                }
                Ok(Some(Box::new(BooleanQuery::new(clauses))))
            }
            UserInputAst::Boost(sub, boost) => Ok(self.compile(sub, negated)?.map(|q| {
                Box::new(BoostQuery::new(q, boost.into_inner() as f32)) as Box<dyn Query>
            })),
            UserInputAst::Leaf(leaf) => self.leaf(leaf, negated),
        }
    }

    fn leaf(&mut self, leaf: &UserInputLeaf, negated: bool) -> Result<Option<Box<dyn Query>>> {
        match leaf {
            UserInputLeaf::Literal(literal) => self.literal(literal, negated),
            UserInputLeaf::All => Ok(Some(Box::new(AllQuery))),
            UserInputLeaf::Range { field, lower, upper } => {
                self.require_date(field.as_deref(), "ranges")?;
                let now = chrono::Utc::now();
                let bound = |b: &UserInputBound, edge: Edge| -> Result<Bound<Term>> {
                    let term = |text: &str, edge| -> Result<Term> {
                        let at = parse_edge(text, edge, now)
                            .map_err(|e| Error::Query(format!("date range: {e}")))?;
                        Ok(Term::from_field_i64(self.index.fields.date, at.timestamp()))
                    };
                    // An inclusive upper bound names its whole period: the end is excluded.
                    Ok(match (b, edge) {
                        (UserInputBound::Unbounded, _) => Bound::Unbounded,
                        (UserInputBound::Inclusive(t), Edge::Start) => Bound::Included(term(t, Edge::Start)?),
                        (UserInputBound::Exclusive(t), Edge::Start) => Bound::Included(term(t, Edge::End)?),
                        (UserInputBound::Inclusive(t), Edge::End) => Bound::Excluded(term(t, Edge::End)?),
                        (UserInputBound::Exclusive(t), Edge::End) => Bound::Excluded(term(t, Edge::Start)?),
                    })
                };
                let lower = bound(lower, Edge::Start)?;
                let upper = bound(upper, Edge::End)?;
                if matches!((&lower, &upper), (Bound::Unbounded, Bound::Unbounded)) {
                    // `date:[* TO *]`: every dated article (Tantivy needs one bound).
                    return Ok(Some(Box::new(ExistsQuery::new("date".into(), false))));
                }
                Ok(Some(Box::new(RangeQuery::new(lower, upper))))
            }
            UserInputLeaf::Set { field, elements } => {
                let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                for element in elements {
                    let literal = UserInputLiteral {
                        field_name: field.clone(),
                        phrase: element.clone(),
                        delimiter: Delimiter::DoubleQuotes,
                        slop: 0,
                        prefix: false,
                    };
                    if let Some(query) = self.literal(&literal, negated)? {
                        clauses.push((Occur::Should, query));
                    }
                }
                Ok((!clauses.is_empty()).then(|| Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>))
            }
            UserInputLeaf::Exists { field } => {
                self.require_date(Some(field), "`field:*`")?;
                Ok(Some(Box::new(ExistsQuery::new("date".into(), false))))
            }
            UserInputLeaf::Regex { .. } => Err(Error::Query(
                "regular expressions are not supported; use word* for a prefix or word~1 for a fuzzy match".into(),
            )),
        }
    }

    fn require_date(&self, field: Option<&str>, what: &str) -> Result<()> {
        match field.map(Target::named).transpose()? {
            Some(Target::Date) => Ok(()),
            _ => Err(Error::Query(format!(
                "{what} work on dates only, as in date:[2024-01 TO 2024-06]"
            ))),
        }
    }

    fn literal(
        &mut self,
        literal: &UserInputLiteral,
        negated: bool,
    ) -> Result<Option<Box<dyn Query>>> {
        let literal = &suffix_operators(literal);
        self.clauses += 1;
        if self.clauses > MAX_CLAUSES {
            return Err(Error::Query(format!(
                "the query has more than {MAX_CLAUSES} words and phrases; that is the limit"
            )));
        }
        if literal.prefix || (literal.slop > 0 && literal.delimiter == Delimiter::None) {
            self.count_expanding(&literal.phrase)?;
        }
        let fields = self.index.fields;
        let targets: Vec<(Target, Field, f32)> = match literal.field_name.as_deref() {
            None => vec![
                (Target::Title, fields.title, TITLE_BOOST),
                (Target::Body, fields.body, 1.0),
            ],
            Some(name) => {
                let target = Target::named(name)?;
                let field = match target {
                    Target::Title => fields.title,
                    Target::Body => fields.body,
                    Target::Source => fields.source,
                    Target::Author => fields.author,
                    Target::Url => fields.url,
                    Target::Id => fields.id,
                    Target::Lang => fields.lang,
                    Target::Date => {
                        return Err(Error::Query(
                            "search dates with a range, as in date:[2024-07 TO 2024-09], or use --since/--until".into(),
                        ));
                    }
                };
                vec![(target, field, 1.0)]
            }
        };
        let mut per_field: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (target, field, boost) in targets {
            let query = match target {
                Target::Url | Target::Id => Some(Box::new(TermQuery::new(
                    Term::from_field_text(field, literal.phrase.trim()),
                    IndexRecordOption::Basic,
                )) as Box<dyn Query>),
                Target::Lang => {
                    let code = language::normalize(&literal.phrase).ok_or_else(|| {
                        Error::Query(format!(
                            "`{}` is not a language code; use ISO codes such as en, zh, ja, de",
                            literal.phrase
                        ))
                    })?;
                    Some(super::filter::lang_query(self.index, code))
                }
                _ => self.text_literal(literal, target, field, negated)?,
            };
            if let Some(query) = query {
                let query = if boost == 1.0 {
                    query
                } else {
                    Box::new(BoostQuery::new(query, boost))
                };
                per_field.push((Occur::Should, query));
            }
        }
        Ok(match per_field.len() {
            0 => None,
            1 => per_field.pop().map(|(_, q)| q),
            _ => Some(Box::new(BooleanQuery::new(per_field))),
        })
    }

    /// A literal on an analysed field: a term, prefix, fuzzy term or phrase.
    fn text_literal(
        &mut self,
        literal: &UserInputLiteral,
        target: Target,
        field: Field,
        negated: bool,
    ) -> Result<Option<Box<dyn Query>>> {
        let quoted = literal.delimiter != Delimiter::None;
        let mut analyzer = self
            .index
            .index
            .tokenizer_for_field(field)
            .map_err(|e| Error::index(&self.index.dir, e))?;
        let mut tokens = analyze(&mut analyzer, &literal.phrase);
        // Stop words count inside quotes (the phrase must match them exactly) and in
        // a query of nothing else; elsewhere they are left out: no topic in them.
        let stops_field = self.index.fields.stops_of(field);
        if let Some(stops_field) = stops_field
            && (quoted || self.keep_stop_words)
            && !literal.prefix
            && (literal.slop == 0 || !quoted)
        {
            let stops = analyze(
                &mut analyzer_named(self.index, analyzer::STOPS_ANALYZER)?,
                &literal.phrase,
            );
            if !stops.is_empty() {
                return self.phrase_with_stop_words(
                    literal,
                    target,
                    (field, tokens),
                    (stops_field, stops),
                    negated,
                );
            }
        }
        let highlighted = !negated && matches!(target, Target::Title | Target::Body);
        let term = |text: &str| Term::from_field_text(field, text);
        match tokens.len() {
            0 => Ok(None),
            1 => {
                let (_, stem) = tokens.remove(0);
                if literal.prefix {
                    let prefix = self.prefix_of(&literal.phrase, &stem);
                    if prefix.chars().count() < MIN_PREFIX_CHARS {
                        return Err(Error::Query(format!(
                            "`{}*` is too short a prefix; give at least {MIN_PREFIX_CHARS} letters",
                            literal.phrase
                        )));
                    }
                    if highlighted {
                        self.marks(target).prefixes.push(prefix.clone());
                    }
                    return Ok(Some(Box::new(FuzzyTermQuery::new_prefix(
                        term(&prefix),
                        0,
                        true,
                    ))));
                }
                if let Some(c) = lone_cjk(&stem) {
                    // Indexed only inside two-character pieces (or alone): any piece holding it.
                    if highlighted {
                        self.marks(target).chars.push(c);
                    }
                    let query = RegexQuery::from_pattern(&format!("{c}.?|.{c}"), field)
                        .map_err(|e| Error::index(&self.index.dir, e))?;
                    return Ok(Some(Box::new(query)));
                }
                if literal.slop > 0 && !quoted {
                    let distance = literal.slop.min(MAX_FUZZY_DISTANCE);
                    if literal.slop > MAX_FUZZY_DISTANCE && target == Target::Body {
                        self.notes.push(format!(
                            "`{}~{}`: fuzzy matching allows at most {MAX_FUZZY_DISTANCE} edits; used {MAX_FUZZY_DISTANCE}",
                            literal.phrase, literal.slop
                        ));
                    }
                    if highlighted {
                        self.marks(target)
                            .fuzzy
                            .push((stem.clone(), distance as u8));
                    }
                    return self.fuzzy(field, &stem, distance as u8);
                }
                if highlighted {
                    self.marks(target).terms.push(stem.clone());
                    if target == Target::Body && literal.field_name.is_none() && !quoted {
                        self.words
                            .push((literal.phrase.to_lowercase(), stem.clone()));
                    }
                }
                Ok(Some(Box::new(TermQuery::new(
                    term(&stem),
                    IndexRecordOption::WithFreqs,
                ))))
            }
            _ => {
                if highlighted {
                    self.marks(target).phrases.push(Phrase {
                        terms: tokens.clone(),
                        slop: literal.slop,
                        prefix: literal.prefix,
                    });
                }
                let terms: Vec<(usize, Term)> = tokens
                    .iter()
                    .map(|(pos, text)| (*pos, term(text)))
                    .collect();
                Ok(Some(if literal.prefix {
                    Box::new(PhrasePrefixQuery::new_with_offset(terms))
                } else {
                    Box::new(PhraseQuery::new_with_offset_and_slop(terms, literal.slop))
                }))
            }
        }
    }

    /// A phrase (or a query word) holding stop words: the topic words score as a
    /// phrase in `field`, and the whole phrase, stop words included, must stand in
    /// the text exactly ([`ExactPhraseQuery`] over both fields).
    fn phrase_with_stop_words(
        &mut self,
        literal: &UserInputLiteral,
        target: Target,
        (field, words): (Field, Vec<(usize, String)>),
        (stops_field, stops): (Field, Vec<(usize, String)>),
        negated: bool,
    ) -> Result<Option<Box<dyn Query>>> {
        if !negated {
            let all = analyze(
                &mut analyzer_named(self.index, analyzer::ALL_WORDS_ANALYZER)?,
                &literal.phrase,
            );
            let marks = self.marks(target);
            match all.len() {
                0 => {}
                1 => marks.terms.push(all[0].1.clone()),
                _ => marks.phrases.push(Phrase {
                    terms: all,
                    slop: 0,
                    prefix: false,
                }),
            }
        }
        let in_field = |field: Field, tokens: &[(usize, String)]| -> Vec<(usize, Term)> {
            tokens
                .iter()
                .map(|(p, t)| (*p, Term::from_field_text(field, t)))
                .collect()
        };
        let scored = |terms: Vec<(usize, Term)>| -> Box<dyn Query> {
            if terms.len() == 1 {
                Box::new(TermQuery::new(
                    terms[0].1.clone(),
                    IndexRecordOption::WithFreqs,
                ))
            } else {
                Box::new(PhraseQuery::new_with_offset(terms))
            }
        };
        let stop_terms = in_field(stops_field, &stops);
        if words.is_empty() {
            // Stop words alone sit in one field: an ordinary phrase there is exact.
            return Ok(Some(scored(stop_terms)));
        }
        let word_terms = in_field(field, &words);
        let mut all = word_terms.clone();
        all.extend(stop_terms);
        let exact: Box<dyn Query> = Box::new(ConstScoreQuery::new(
            Box::new(ExactPhraseQuery::new(all)),
            0.0,
        ));
        Ok(Some(Box::new(BooleanQuery::new(vec![
            (Occur::Must, scored(word_terms)),
            (Occur::Must, exact),
        ]))))
    }

    /// Counts a prefix or fuzzy word (once per word, not per field).
    fn count_expanding(&mut self, typed: &str) -> Result<()> {
        self.expanding += 1;
        if self.expanding > MAX_EXPANDING_WORDS {
            return Err(Error::Query(format!(
                "`{typed}`: a query may have at most {MAX_EXPANDING_WORDS} prefix or fuzzy words (word* or word~)"
            )));
        }
        Ok(())
    }

    /// A fuzzy word: the [`MAX_EXPANSIONS`] closest indexed words, any of which
    /// matches, all scoring alike (as a fuzzy match always has here).
    fn fuzzy(&mut self, field: Field, stem: &str, edits: u8) -> Result<Option<Box<dyn Query>>> {
        let found = expand::fuzzy_terms(self.index, self.searcher, field, stem, edits)?;
        let clauses: Vec<(Occur, Box<dyn Query>)> = expand::closest(found, stem, MAX_EXPANSIONS)
            .into_iter()
            .map(|text| {
                let query = TermQuery::new(
                    Term::from_field_text(field, &text),
                    IndexRecordOption::Basic,
                );
                (Occur::Should, Box::new(query) as Box<dyn Query>)
            })
            .collect();
        if clauses.is_empty() {
            return Ok(Some(Box::new(EmptyQuery)));
        }
        Ok(Some(Box::new(ConstScoreQuery::new(
            Box::new(BooleanQuery::new(clauses)),
            1.0,
        ))))
    }

    fn marks(&mut self, target: Target) -> &mut Marks {
        if target == Target::Title {
            &mut self.title_marks
        } else {
            &mut self.body_marks
        }
    }

    /// The prefix to look up for `typed*`: what the stemmed and the unstemmed
    /// forms have in common (`happy*` → `happ`, matching `happi`, `happen`…).
    fn prefix_of(&mut self, typed: &str, stem: &str) -> String {
        let mut folded = String::new();
        let mut stream = self.folder.token_stream(typed);
        if stream.advance() {
            folded = stream.token().text.clone();
        }
        if folded.is_empty() {
            return stem.to_string();
        }
        folded
            .chars()
            .zip(stem.chars())
            .take_while(|(a, b)| a == b)
            .map(|(a, _)| a)
            .collect()
    }
}

/// The character of a query word that is one Chinese, Japanese or Korean character.
fn lone_cjk(word: &str) -> Option<char> {
    let mut chars = word.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if is_cjk(c) => Some(c),
        _ => None,
    }
}

/// The grammar keeps `*` and `~N` inside an unquoted word (`electr*`, `centre~1`);
/// they are read here as a prefix and a fuzzy distance (`word~` is two edits).
fn suffix_operators(literal: &UserInputLiteral) -> UserInputLiteral {
    let mut out = literal.clone();
    if literal.delimiter != Delimiter::None {
        return out;
    }
    let word = literal.phrase.as_str();
    if let Some(stem) = word
        .strip_suffix('*')
        .filter(|s| !s.is_empty() && !s.ends_with('*'))
    {
        out.phrase = stem.to_string();
        out.prefix = true;
    } else if let Some((stem, digits)) = word.rsplit_once('~')
        && !stem.is_empty()
        && digits.len() <= 2
        && digits.chars().all(|c| c.is_ascii_digit())
    {
        out.phrase = stem.to_string();
        out.slop = digits.parse().unwrap_or(MAX_FUZZY_DISTANCE).max(1);
    }
    out
}

/// How far apart two neighbouring query words may be to earn the proximity bonus
/// (about a clause: within 8 positions).
const PROXIMITY_SLOP: u32 = 8;
/// The bonus's weight against the words' own BM25 scores. Slop and weight were
/// chosen on a coarse grid (weights 0.1–0.5, slops 0–16) over the TIME collection,
/// where the plateau is flat (MAP 0.69–0.70), and checked on Reuters.
const PROXIMITY_WEIGHT: f32 = 0.3;
/// At most this many word pairs get a proximity clause.
const MAX_PROXIMITY_PAIRS: usize = 16;

/// Proximity scoring: for each pair of neighbouring query words, a sloppy phrase on
/// the body that adds to the score of articles where they stand close together
/// (it never changes which articles match). Excluded words and field-qualified
/// words take no part (a query with field qualifiers gets none).
fn proximity_clauses(index: &NewsIndex, text: &str) -> Vec<Box<dyn Query>> {
    if text.contains(':') {
        return Vec::new();
    }
    let Ok(mut analyzer) = index.index.tokenizer_for_field(index.fields.body) else {
        return Vec::new();
    };
    let mut terms: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        if word.starts_with('-') || word.contains([':', '*', '~']) || word == "OR" || word == "AND"
        {
            continue;
        }
        let mut stream = analyzer.token_stream(word);
        while stream.advance() {
            terms.push(stream.token().text.clone());
        }
    }
    terms
        .windows(2)
        .filter(|pair| pair[0] != pair[1])
        .take(MAX_PROXIMITY_PAIRS)
        .map(|pair| {
            let phrase = pair
                .iter()
                .map(|t| Term::from_field_text(index.fields.body, t))
                .collect();
            let mut query = PhraseQuery::new(phrase);
            query.set_slop(PROXIMITY_SLOP);
            Box::new(BoostQuery::new(Box::new(query), PROXIMITY_WEIGHT)) as Box<dyn Query>
        })
        .collect()
}

/// `UNIDO's`, `O'Brien`: an apostrophe between letters is part of the word, not the
/// grammar's quote character, so it is escaped (outside double-quoted phrases).
fn escape_apostrophes(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    let mut in_phrase = false;
    for (i, &c) in chars.iter().enumerate() {
        if c == '"' {
            in_phrase = !in_phrase;
        }
        let between_letters = i > 0
            && chars[i - 1].is_alphanumeric()
            && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
        if c == '\'' && !in_phrase && between_letters {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The deepest nesting of parentheses in `text`.
fn nesting_depth(text: &str) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    for ch in text.chars() {
        match ch {
            '(' => {
                depth += 1;
                max = max.max(depth);
            }
            ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// The query reduced to words: syntax characters become spaces, a leading `-`
/// (exclusion) is kept, and `OR` stays an operator.
fn plain_words(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '\'' {
                c
            } else {
                ' '
            }
        })
        .collect();
    cleaned
        .split_whitespace()
        .map(|word| {
            let excluded = word.starts_with('-');
            let core = word.trim_matches(|c| c == '-' || c == '\'');
            (excluded, core)
        })
        .filter(|(_, core)| !core.is_empty())
        .map(|(excluded, core)| {
            if excluded {
                format!("-{core}")
            } else {
                core.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_words_keeps_words_and_exclusions() {
        assert_eq!(plain_words("AI: (centre"), "AI centre");
        assert_eq!(plain_words("\"open quote -bad x:"), "open quote -bad x");
        assert_eq!(plain_words("AI-driven UNIDO's"), "AI-driven UNIDO's");
        assert_eq!(
            escape_apostrophes("UNIDO's \"it's\" 'x'"),
            "UNIDO\\'s \"it's\" 'x'"
        );
        assert_eq!(plain_words("::: ((("), "");
    }

    #[test]
    fn prefix_and_fuzzy_suffixes() {
        let literal = |phrase: &str, delimiter| UserInputLiteral {
            field_name: None,
            phrase: phrase.into(),
            delimiter,
            slop: 0,
            prefix: false,
        };
        let read = |phrase, delimiter| {
            let l = suffix_operators(&literal(phrase, delimiter));
            (l.phrase, l.slop, l.prefix)
        };
        assert_eq!(read("electr*", Delimiter::None), ("electr".into(), 0, true));
        assert_eq!(
            read("centre~1", Delimiter::None),
            ("centre".into(), 1, false)
        );
        assert_eq!(
            read("centre~", Delimiter::None),
            ("centre".into(), 2, false)
        );
        assert_eq!(read("a~b", Delimiter::None), ("a~b".into(), 0, false));
        assert_eq!(read("*", Delimiter::None), ("*".into(), 0, false));
        assert_eq!(read("x*", Delimiter::DoubleQuotes), ("x*".into(), 0, false));
    }

    #[test]
    fn nesting() {
        assert_eq!(nesting_depth("a (b (c) d) (e)"), 2);
        assert_eq!(nesting_depth(")))((("), 3);
    }
}
