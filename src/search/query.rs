//! From the user's query string to a [`Plan`]: size and nesting capped before
//! parsing, Tantivy's grammar read into its syntax tree, and the tree compiled here:
//! all words required by default, titles weighted above bodies, `word*` as a prefix
//! and `word~1` as a fuzzy term (which Tantivy's own parser does not do for single
//! words), `date:[2024 TO 2025-06]` with human dates, and raw input the grammar
//! rejects retried as plain words instead of failing. Compiling also records what to
//! highlight: plain words, phrases (highlighted only where the phrase occurs),
//! prefixes and fuzzy terms.

use std::ops::Bound;

use tantivy::query_grammar::{
    Delimiter, Occur as UserOccur, UserInputAst, UserInputBound, UserInputLeaf, UserInputLiteral,
};
use tantivy::tokenizer::{TextAnalyzer, TokenStream, Tokenizer};

use super::filter::{Edge, parse_edge};
use super::plan::{KeyField, Occur, Plan, TextField};
use super::snippet::{Marks, Phrase};
use super::synonyms::{Expansion, Synonyms};
use crate::error::{Error, Result};
use crate::index::analysis::Analysis;
use crate::index::analyzer::{
    all_words_analyzer_for, name_analyzer, stops_analyzer_for, text_analyzer_for,
};
use crate::index::language;
use crate::index::tokenizer::{Compounds, NewsTokenizer, is_unspaced};

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
    /// What to match.
    pub query: Plan,
    /// The proximity bonus: clauses that add to the score of the articles where
    /// neighbouring query words stand close, never changing which articles match
    /// ([`plan::with_bonus`](super::plan::with_bonus) joins them to `query`).
    pub proximity: Vec<Plan>,
    /// What to highlight in headlines.
    pub title_marks: Marks,
    /// What to highlight in bodies.
    pub body_marks: Marks,
    /// The plain words searched in headline and body, as typed (lowercased), with
    /// their analysed terms: the candidates for "did you mean".
    pub words: Vec<(String, String)>,
    /// Remarks, such as a query read leniently.
    pub notes: Vec<String>,
    /// The synonyms applied.
    pub synonyms: Vec<Expansion>,
}

/// Parses `text` with the documented syntax, analysed as English; all words are
/// required unless `match_any`.
pub fn parse(text: &str, match_any: bool) -> Result<ParsedQuery> {
    parse_with(text, match_any, None, &[Analysis::ENGLISH])
}

/// [`parse`], analysed in each of `analyses` (the languages of the articles
/// searched), with the words a synonym list names searched as any of their
/// alternatives (the proximity bonus still looks at the words as typed).
///
/// The whole query is compiled once per analysis, and an article matches when it
/// matches the reading of its own language ([`Readings::langs`]; every reading
/// when that is not known): `Regierung Berlin` is `regierung berlin` for English
/// articles and `regier berlin` for German ones, and a word that is a stop word in
/// one language only (`die`, `man`) is left out for that language's articles
/// alone, as a field per language would have it in Elasticsearch (a query of
/// nothing but stop words in a language searches for them there). Analyses that
/// give the same plan (most queries of names) are searched once.
pub fn parse_with(
    text: &str,
    match_any: bool,
    synonyms: Option<&Synonyms>,
    analyses: &[Analysis],
) -> Result<ParsedQuery> {
    let readings = Readings {
        analyses: analyses.to_vec(),
        langs: None,
    };
    parse_read(text, match_any, synonyms, &readings)
}

/// The languages a query is read in, and the articles each reading is for.
#[derive(Debug, Clone, Default)]
pub struct Readings {
    /// The analyses the query is compiled in.
    pub analyses: Vec<Analysis>,
    /// The language codes of the articles searched: each reading then matches
    /// only the articles analysed its way (their words are indexed that way; a
    /// German stem found in an English page is a coincidence). `None`: every
    /// reading is for every article (one reading, or `--query-lang`).
    pub langs: Option<Vec<String>>,
}

/// [`parse_with`] over `readings`.
pub fn parse_read(
    text: &str,
    match_any: bool,
    synonyms: Option<&Synonyms>,
    readings: &Readings,
) -> Result<ParsedQuery> {
    // No language known (an empty index): English.
    let english;
    let readings = if readings.analyses.is_empty() {
        english = Readings {
            analyses: vec![Analysis::ENGLISH],
            langs: None,
        };
        &english
    } else {
        readings
    };
    let Some(list) = synonyms else {
        return parse_expanded(text, text, match_any, readings);
    };
    let (expanded, applied) = list.expand(text);
    let mut parsed = parse_expanded(text, &expanded, match_any, readings)?;
    for one in &applied {
        parsed.notes.push(format!(
            "synonyms: `{}` searched as {}",
            one.matched,
            one.alternatives
                .iter()
                .map(|a| format!("`{a}`"))
                .collect::<Vec<_>>()
                .join(" or ")
        ));
    }
    parsed.synonyms = applied;
    Ok(parsed)
}

/// Parses `text`, the user's query as expanded from `typed`.
fn parse_expanded(
    typed: &str,
    text: &str,
    match_any: bool,
    readings: &Readings,
) -> Result<ParsedQuery> {
    let analyses = &readings.analyses[..];
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
        .and_then(|ast| match compile_all(&ast, default, readings) {
            Err(Error::Query(message))
                if message.starts_with(NO_FIELD) || message.starts_with(NO_RANGE_FIELD) =>
            {
                Err(message)
            }
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
                    Error::Query(
                        "syntax error (an unbalanced quote or parenthesis, or an AND, OR or NOT without a word?)"
                            .into(),
                    )
                })?;
            let mut parsed = compile_all(&ast, default, readings)?;
            parsed.notes.insert(
                0,
                format!("could not read the query as written ({reason}); searched for: {plain}"),
            );
            parsed
        }
    };
    let mut proximity: Vec<Plan> = Vec::new();
    for &analysis in analyses {
        for clause in proximity_clauses(typed, analysis) {
            if !proximity.contains(&clause) {
                proximity.push(clause);
            }
        }
    }
    parsed.proximity = proximity;
    Ok(parsed)
}

fn compile_all(ast: &UserInputAst, default: Occur, readings: &Readings) -> Result<ParsedQuery> {
    let mut found = Vec::new();
    for &analysis in &readings.analyses {
        // Only stop words in this language ("to be or not to be"): search for
        // them after all.
        let compiled = match compile_with(ast, default, false, analysis)? {
            Some(compiled) => Some(compiled),
            None => compile_with(ast, default, true, analysis)?,
        };
        found.extend(compiled.map(|c| (analysis, c)));
    }
    let mut found = found.into_iter();
    let (analysis, mut first) = found
        .next()
        .ok_or_else(|| Error::Query("the query has no searchable words".into()))?;
    // Each distinct plan with the analyses that gave it.
    let mut plans: Vec<(Plan, Vec<Analysis>)> = vec![(first.query.clone(), vec![analysis])];
    for (analysis, other) in found {
        if let Some((_, same)) = plans.iter_mut().find(|(plan, _)| *plan == other.query) {
            same.push(analysis);
            continue;
        }
        plans.push((other.query, vec![analysis]));
        first.title_marks.absorb(other.title_marks);
        first.body_marks.absorb(other.body_marks);
        for note in other.notes {
            if !first.notes.contains(&note) {
                first.notes.push(note);
            }
        }
    }
    if plans.len() > 1 {
        first.query = Plan::Bool(
            plans
                .into_iter()
                .map(|(plan, analyses)| (Occur::Should, for_articles(plan, &analyses, readings)))
                .collect(),
        );
    }
    Ok(first)
}

/// `plan`, one reading of the query, limited to the articles analysed as one of
/// `analyses` when `readings` says which languages the articles are in. The
/// English reading (undetermined articles are analysed as English, and most
/// archives are mostly English) leaves out the other languages' articles, few
/// to look up; another reading keeps its own languages' articles, as few.
fn for_articles(plan: Plan, analyses: &[Analysis], readings: &Readings) -> Plan {
    let Some(langs) = &readings.langs else {
        return plan;
    };
    let english = analyses.contains(&Analysis::ENGLISH);
    // Term look-ups, one a language: cheaper than a term set for a few.
    let keys = langs
        .iter()
        .filter(|code| analyses.contains(&Analysis::of(code)) != english)
        .map(|code| Plan::Key {
            field: KeyField::Lang,
            text: code.clone(),
        });
    let mut clauses = vec![(Occur::Must, plan)];
    if english {
        clauses.extend(keys.map(|key| (Occur::MustNot, key)));
    } else {
        let any = Plan::Bool(keys.map(|key| (Occur::Should, key)).collect());
        clauses.push((Occur::Must, Plan::Filter(Box::new(any))));
    }
    Plan::Bool(clauses)
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

/// The analyzer of `field` in `analysis` (names have their own, without stemming).
pub fn field_analyzer(field: TextField, analysis: Analysis) -> TextAnalyzer {
    match field {
        TextField::Title | TextField::Body => text_analyzer_for(analysis),
        TextField::TitleStops | TextField::BodyStops => stops_analyzer_for(analysis),
        TextField::Source | TextField::Author => name_analyzer(),
    }
}

fn compile_with(
    ast: &UserInputAst,
    default: Occur,
    keep_stop_words: bool,
    analysis: Analysis,
) -> Result<Option<ParsedQuery>> {
    let mut compiler = Compiler {
        analysis,
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
    if plan_excludes_only(&query) {
        return Err(Error::Query(
            "every word is excluded with `-`; add at least one word to search for".into(),
        ));
    }
    Ok(Some(ParsedQuery {
        query,
        proximity: Vec::new(),
        title_marks: compiler.title_marks,
        body_marks: compiler.body_marks,
        words: compiler.words,
        notes: compiler.notes,
        synonyms: Vec::new(),
    }))
}

/// Clauses that only exclude: they match nothing on their own.
fn excludes_only(clauses: &[(Occur, Plan)]) -> bool {
    clauses.iter().all(|(occur, _)| *occur == Occur::MustNot)
}

/// A plan that only excludes (a group of `-word`s, boosted or not).
fn plan_excludes_only(plan: &Plan) -> bool {
    match plan {
        Plan::Bool(clauses) => excludes_only(clauses),
        Plan::Boost(inner, _) => plan_excludes_only(inner),
        _ => false,
    }
}

/// An excluding-only plan made to match every article it does not exclude.
fn everything_but(plan: Plan) -> Plan {
    match plan {
        Plan::Bool(mut clauses) => {
            clauses.push((Occur::Must, Plan::All));
            Plan::Bool(clauses)
        }
        Plan::Boost(inner, boost) => Plan::Boost(Box::new(everything_but(*inner)), boost),
        other => other,
    }
}

/// Turns the grammar's syntax tree into a [`Plan`].
struct Compiler {
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
    /// The language the query words are analysed in.
    analysis: Analysis,
}

/// How an unknown field name is reported (such queries are retried as plain words).
const NO_FIELD: &str = "there is no field";
/// How a `<`, `>` or `[… TO …]` without a field is reported: a stray angle bracket
/// (`election <script>`), retried as plain words too.
const NO_RANGE_FIELD: &str = "a range needs the field date";

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

impl Compiler {
    fn compile(&mut self, ast: &UserInputAst, negated: bool) -> Result<Option<Plan>> {
        match ast {
            UserInputAst::Clause(items) => {
                let mut clauses: Vec<(Occur, Plan)> = Vec::new();
                for (occur, sub) in items {
                    let occur = match occur {
                        Some(UserOccur::Must) => Occur::Must,
                        Some(UserOccur::Should) => Occur::Should,
                        Some(UserOccur::MustNot) => Occur::MustNot,
                        None => self.default,
                    };
                    let sub_negated = negated ^ (occur == Occur::MustNot);
                    match self.compile(sub, sub_negated)? {
                        // `a AND NOT b` is `+a +(-b)`: the exclusions join this clause.
                        Some(Plan::Bool(inner))
                            if occur == Occur::Must && excludes_only(&inner) =>
                        {
                            clauses.extend(inner)
                        }
                        // `a OR NOT b`: every article without `b`, as Tantivy reads it.
                        Some(query) if plan_excludes_only(&query) => {
                            clauses.push((occur, everything_but(query)))
                        }
                        Some(query) => clauses.push((occur, query)),
                        None => {}
                    }
                }
                if clauses.is_empty() {
                    return Ok(None);
                }
                if clauses.len() == 1 && clauses[0].0 != Occur::MustNot {
                    return Ok(clauses.pop().map(|(_, q)| q));
                }
                Ok(Some(Plan::Bool(clauses)))
            }
            UserInputAst::Boost(sub, boost) => Ok(self
                .compile(sub, negated)?
                .map(|q| Plan::Boost(Box::new(q), boost.into_inner() as f32))),
            UserInputAst::Leaf(leaf) => self.leaf(leaf, negated),
        }
    }

    fn leaf(&mut self, leaf: &UserInputLeaf, negated: bool) -> Result<Option<Plan>> {
        match leaf {
            UserInputLeaf::Literal(literal) => self.literal(literal, negated),
            UserInputLeaf::All => Ok(Some(Plan::All)),
            UserInputLeaf::Range { field, lower, upper } => {
                if field.is_none() {
                    return Err(Error::Query(format!(
                        "{NO_RANGE_FIELD}, as in date:[2024-01 TO 2024-06] or date:>2024"
                    )));
                }
                self.require_date(field.as_deref(), "ranges")?;
                let now = chrono::Utc::now();
                let bound = |b: &UserInputBound, edge: Edge| -> Result<Bound<i64>> {
                    let term = |text: &str, edge| -> Result<i64> {
                        let at = parse_edge(text, edge, now)
                            .map_err(|e| Error::Query(format!("date range: {e}")))?;
                        Ok(at.timestamp())
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
                    return Ok(Some(Plan::Dated));
                }
                Ok(Some(Plan::Dates {
                    from: lower,
                    to: upper,
                }))
            }
            UserInputLeaf::Set { field, elements } => {
                let mut clauses: Vec<(Occur, Plan)> = Vec::new();
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
                Ok((!clauses.is_empty()).then_some(Plan::Bool(clauses)))
            }
            UserInputLeaf::Exists { field } => {
                self.require_date(Some(field), "`field:*`")?;
                Ok(Some(Plan::Dated))
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

    fn literal(&mut self, literal: &UserInputLiteral, negated: bool) -> Result<Option<Plan>> {
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
        let targets: Vec<(Target, f32)> = match literal.field_name.as_deref() {
            None => vec![(Target::Title, TITLE_BOOST), (Target::Body, 1.0)],
            Some(name) => {
                let target = Target::named(name)?;
                if target == Target::Date {
                    return Err(Error::Query(
                        "search dates with a range, as in date:[2024-07 TO 2024-09], or use --since/--until".into(),
                    ));
                }
                vec![(target, 1.0)]
            }
        };
        let mut per_field: Vec<(Occur, Plan)> = Vec::new();
        for (target, boost) in targets {
            let text_field = |field| (field, target);
            let query = match target {
                Target::Url | Target::Id => Some(Plan::Key {
                    field: if target == Target::Url {
                        KeyField::Url
                    } else {
                        KeyField::Id
                    },
                    text: literal.phrase.trim().to_string(),
                }),
                Target::Lang => {
                    let code = language::normalize(&literal.phrase).ok_or_else(|| {
                        Error::Query(format!(
                            "`{}` is not a language code; use ISO codes such as en, zh, ja, de",
                            literal.phrase
                        ))
                    })?;
                    Some(super::filter::lang_plan(code))
                }
                Target::Title => {
                    self.text_literal(literal, text_field(TextField::Title), negated)?
                }
                Target::Body => self.text_literal(literal, text_field(TextField::Body), negated)?,
                Target::Source => {
                    self.text_literal(literal, text_field(TextField::Source), negated)?
                }
                Target::Author => {
                    self.text_literal(literal, text_field(TextField::Author), negated)?
                }
                Target::Date => None,
            };
            if let Some(query) = query {
                let query = if boost == 1.0 {
                    query
                } else {
                    Plan::Boost(Box::new(query), boost)
                };
                per_field.push((Occur::Should, query));
            }
        }
        Ok(match per_field.len() {
            0 => None,
            1 => per_field.pop().map(|(_, q)| q),
            _ => Some(Plan::Bool(per_field)),
        })
    }

    /// One word (`stem`, as analysed): a prefix (`cent*`), a character of CJK or Thai
    /// text, a fuzzy word (`centre~1`) or a term; marked for highlighting when
    /// `highlighted`.
    fn word(
        &mut self,
        literal: &UserInputLiteral,
        (field, target): (TextField, Target),
        stem: String,
        highlighted: bool,
    ) -> Result<Plan> {
        let quoted = literal.delimiter != Delimiter::None;
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
            return Ok(Plan::Prefix {
                field,
                text: prefix,
            });
        }
        if let Some(c) = lone_unspaced(&stem) {
            // Indexed only inside two-character pieces (or alone): any piece holding it.
            if highlighted {
                self.marks(target).chars.push(c);
            }
            return Ok(Plan::Containing { field, c });
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
            return Ok(Plan::Fuzzy {
                field,
                text: stem,
                distance: distance as u8,
            });
        }
        if highlighted {
            self.marks(target).terms.push(stem.clone());
            if target == Target::Body && literal.field_name.is_none() && !quoted {
                self.words
                    .push((literal.phrase.to_lowercase(), stem.clone()));
            }
        }
        Ok(Plan::Term { field, text: stem })
    }

    /// A literal on an analysed field: a term, prefix, fuzzy term or phrase. A
    /// hyphenated word (`to-day`) is its parts as a phrase, stop words included,
    /// or its parts joined (`today`), which the index holds for the compound too.
    fn text_literal(
        &mut self,
        literal: &UserInputLiteral,
        (field, target): (TextField, Target),
        negated: bool,
    ) -> Result<Option<Plan>> {
        let Some(joined) = self.compound_term(literal, field) else {
            return self.parts_literal(literal, (field, target), negated, false);
        };
        let parts = self.parts_literal(literal, (field, target), negated, true)?;
        if !negated {
            self.marks(target).terms.push(joined.clone());
        }
        let joined = Plan::Term {
            field,
            text: joined,
        };
        Ok(Some(match parts {
            Some(parts) => Plan::Bool(vec![(Occur::Should, parts), (Occur::Should, joined)]),
            None => joined,
        }))
    }

    /// The term of a hyphenated query word's parts joined (`to-day` → `today`), in
    /// a field whose index joins compounds ([`Compounds`]); `None` for any other
    /// literal.
    fn compound_term(&self, literal: &UserInputLiteral, field: TextField) -> Option<String> {
        if literal.delimiter != Delimiter::None
            || literal.prefix
            || literal.slop > 0
            || field.stops().is_none()
        {
            return None;
        }
        let word = literal.phrase.trim();
        let mut compounds = Compounds::default();
        let mut joined = None;
        let mut tokenizer = NewsTokenizer::default();
        let mut stream = tokenizer.token_stream(word);
        while stream.advance() {
            let token = stream.token();
            joined = compounds
                .read(word, &token.text, token.offset_from, token.offset_to)
                .filter(|&(_, from)| from == 0 && token.offset_to == word.len())
                .map(|(joined, _)| joined.to_string());
        }
        let mut terms = analyze(&mut field_analyzer(field, self.analysis), &joined?);
        (terms.len() == 1).then(|| terms.remove(0).1)
    }

    /// A literal's words on an analysed field; stop words kept when `exact`.
    fn parts_literal(
        &mut self,
        literal: &UserInputLiteral,
        (field, target): (TextField, Target),
        negated: bool,
        exact: bool,
    ) -> Result<Option<Plan>> {
        let quoted = literal.delimiter != Delimiter::None;
        let mut tokens = analyze(&mut field_analyzer(field, self.analysis), &literal.phrase);
        // Stop words count inside quotes (the phrase must match them exactly) and in
        // a query of nothing else; elsewhere they are left out: no topic in them.
        if let Some(stops_field) = field.stops()
            && (quoted || exact || self.keep_stop_words)
            && !literal.prefix
            && (literal.slop == 0 || !quoted)
        {
            let stops = analyze(
                &mut field_analyzer(stops_field, self.analysis),
                &literal.phrase,
            );
            if !stops.is_empty() {
                return Ok(Some(self.phrase_with_stop_words(
                    literal, target, field, tokens, stops, negated,
                )));
            }
        }
        let highlighted = !negated && matches!(target, Target::Title | Target::Body);
        match tokens.len() {
            0 => Ok(None),
            1 => {
                let (_, stem) = tokens.remove(0);
                self.word(literal, (field, target), stem, highlighted)
                    .map(Some)
            }
            _ => {
                if highlighted {
                    self.marks(target).phrases.push(Phrase {
                        terms: tokens.clone(),
                        slop: literal.slop,
                        prefix: literal.prefix,
                    });
                }
                Ok(Some(Plan::Phrase {
                    field,
                    terms: tokens,
                    slop: literal.slop,
                    prefix: literal.prefix,
                }))
            }
        }
    }

    /// A phrase (or a query word) holding stop words: the topic words score as a
    /// phrase in `field`, and the whole phrase, stop words included, must stand in
    /// the text exactly ([`Plan::Exact`]).
    fn phrase_with_stop_words(
        &mut self,
        literal: &UserInputLiteral,
        target: Target,
        field: TextField,
        words: Vec<(usize, String)>,
        stops: Vec<(usize, String)>,
        negated: bool,
    ) -> Plan {
        if !negated {
            let all = analyze(&mut all_words_analyzer_for(self.analysis), &literal.phrase);
            let marks = self.marks(target);
            marks.stop_words = true;
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
        let scored = |field: TextField, mut terms: Vec<(usize, String)>| {
            if terms.len() == 1 {
                Plan::Term {
                    field,
                    text: terms.remove(0).1,
                }
            } else {
                Plan::Phrase {
                    field,
                    terms,
                    slop: 0,
                    prefix: false,
                }
            }
        };
        if words.is_empty() {
            // Stop words alone sit in one field: an ordinary phrase there is exact.
            return scored(field.stops().unwrap_or(field), stops);
        }
        Plan::Bool(vec![
            (Occur::Must, scored(field, words.clone())),
            (
                Occur::Must,
                Plan::Exact {
                    field,
                    words,
                    stops,
                },
            ),
        ])
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
        // The last word typed: the one a prefix is on (`to-day*` is `day*` after
        // the stop word).
        let mut folded = String::new();
        let mut stream = self.folder.token_stream(typed);
        while stream.advance() {
            folded.clone_from(&stream.token().text);
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

/// The character of a query word that is one character of a script read in
/// two-character pieces ([`is_unspaced`]: Chinese, Japanese, Korean, Thai…).
fn lone_unspaced(word: &str) -> Option<char> {
    let mut chars = word.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if is_unspaced(c) => Some(c),
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
fn proximity_clauses(text: &str, analysis: Analysis) -> Vec<Plan> {
    if text.contains(':') {
        return Vec::new();
    }
    let mut analyzer = field_analyzer(TextField::Body, analysis);
    let mut terms: Vec<String> = Vec::new();
    let mut after_not = false;
    for word in text.split_whitespace() {
        // The word after `NOT` is excluded, as one written `-word`.
        let excluded = word.starts_with('-') || std::mem::replace(&mut after_not, word == "NOT");
        if excluded || word.contains([':', '*', '~']) || matches!(word, "OR" | "AND" | "NOT") {
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
            let phrase = Plan::Phrase {
                field: TextField::Body,
                terms: vec![(0, pair[0].clone()), (1, pair[1].clone())],
                slop: PROXIMITY_SLOP,
                prefix: false,
            };
            Plan::Boost(Box::new(phrase), PROXIMITY_WEIGHT)
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
/// (exclusion) is kept, `NOT word` becomes `-word`, `OR` between two words stays
/// an operator, and other operators (`AND`, one left dangling) are dropped.
fn plain_words(text: &str) -> String {
    let words = plain_tokens(text);
    let operator = |i: usize| {
        words
            .get(i)
            .is_some_and(|w| matches!(w.as_str(), "AND" | "OR" | "NOT"))
    };
    let word = |i: usize| i < words.len() && !operator(i);
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        match words[i].as_str() {
            "NOT" if word(i + 1) => {
                out.push(format!("-{}", words[i + 1].trim_start_matches('-')));
                i += 1;
            }
            "OR" if i > 0 && word(i - 1) && word(i + 1) => out.push("OR".into()),
            "AND" | "OR" | "NOT" => {}
            other => out.push(other.to_string()),
        }
        i += 1;
    }
    out.join(" ")
}

/// The words of [`plain_words`], each with its leading `-` if it had one.
fn plain_tokens(text: &str) -> Vec<String> {
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
        .collect()
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
        // Operators the grammar refused: dangling, doubled, or a `NOT` before a word.
        assert_eq!(plain_words("port NOT"), "port");
        assert_eq!(plain_words("port AND NOT"), "port");
        assert_eq!(plain_words("OR port OR"), "port");
        assert_eq!(plain_words("(port OR strike"), "port OR strike");
        assert_eq!(plain_words("(port AND NOT strike"), "port -strike");
        assert_eq!(plain_words("NOT"), "");
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
    fn a_stray_angle_bracket_is_searched_as_the_words_around_it() {
        for (typed, searched) in [
            ("election <script>", "election script"),
            ("election > 5", "election 5"),
            ("<b>strike</b>", "b strike b"),
            ("[a TO b] strike", "a TO b strike"),
        ] {
            let parsed = parse(typed, false).unwrap_or_else(|e| panic!("{typed}: {e}"));
            assert!(
                parsed.notes[0].ends_with(&format!("searched for: {searched}")),
                "{typed}: {:?}",
                parsed.notes
            );
        }
        // A range on a field stays a range, or the error that it is on the wrong field.
        assert!(parse("date:>2024 strike", false).unwrap().notes.is_empty());
        assert!(
            matches!(parse("title:<abc", false), Err(Error::Query(m)) if m.contains("dates only"))
        );
    }

    #[test]
    fn proximity_pairs_skip_excluded_words() {
        let pairs = |typed: &str| -> Vec<(String, String)> {
            proximity_clauses(typed, Analysis::ENGLISH)
                .into_iter()
                .map(|clause| match clause {
                    Plan::Boost(phrase, _) => match *phrase {
                        Plan::Phrase { terms, .. } => (terms[0].1.clone(), terms[1].1.clone()),
                        other => panic!("{other:?}"),
                    },
                    other => panic!("{other:?}"),
                })
                .collect()
        };
        let ai_centre = vec![("ai".to_string(), "center".to_string())];
        assert_eq!(pairs("AI centre"), ai_centre);
        assert_eq!(pairs("AI -resolution centre"), ai_centre);
        assert_eq!(pairs("AI AND NOT resolution centre"), ai_centre);
        assert_eq!(pairs("AI NOT resolution AND centre"), ai_centre);
    }

    #[test]
    fn nesting() {
        assert_eq!(nesting_depth("a (b (c) d) (e)"), 2);
        assert_eq!(nesting_depth(")))((("), 3);
    }
}
