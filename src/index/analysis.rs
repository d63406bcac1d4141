//! Which analysis an article's words get: the stemmer and stop words of its
//! language where Tantivy has them, else folding alone.
//!
//! All languages share one `title` and one `body` field. An article's text reaches
//! the field's analyzer with its language in front ([`tag`]): a few bytes that no
//! extracted text begins with, read and skipped by the analyzer (`analyzer::ByLanguage`)
//! and stripped again when the article is read back ([`untag`]). English, most of
//! any archive here and the analysis of text of unknown language, carries no tag.
//! One field keeps one set of statistics: a word's rarity and an article's length
//! count the same way in every language, so the scores of a German and an English
//! article for the same query word compare. A query word is analysed once per
//! language the index holds (`search::query`), and the forms it takes are searched
//! together.

use std::borrow::Cow;

use tantivy::tokenizer::Language;

/// How the words of one article are analysed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Analysis {
    /// Lowercased, folded and stemmed (with its stop words where Tantivy has them).
    Stemmed(Stemmed),
    /// Lowercased and folded only: languages without a stemmer, CJK.
    Folded,
}

/// The languages with a stemmer, by ISO 639-1 code.
#[allow(missing_docs)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stemmed {
    En,
    Ar,
    Da,
    De,
    El,
    Es,
    Fi,
    Fr,
    Hu,
    It,
    Nl,
    No,
    Pt,
    Ro,
    Ru,
    Sv,
    Ta,
    Tr,
}

/// Every stemmed language, English first.
const STEMMED: [(Stemmed, &str, Language); 18] = [
    (Stemmed::En, "en", Language::English),
    (Stemmed::Ar, "ar", Language::Arabic),
    (Stemmed::Da, "da", Language::Danish),
    (Stemmed::De, "de", Language::German),
    (Stemmed::El, "el", Language::Greek),
    (Stemmed::Es, "es", Language::Spanish),
    (Stemmed::Fi, "fi", Language::Finnish),
    (Stemmed::Fr, "fr", Language::French),
    (Stemmed::Hu, "hu", Language::Hungarian),
    (Stemmed::It, "it", Language::Italian),
    (Stemmed::Nl, "nl", Language::Dutch),
    (Stemmed::No, "no", Language::Norwegian),
    (Stemmed::Pt, "pt", Language::Portuguese),
    (Stemmed::Ro, "ro", Language::Romanian),
    (Stemmed::Ru, "ru", Language::Russian),
    (Stemmed::Sv, "sv", Language::Swedish),
    (Stemmed::Ta, "ta", Language::Tamil),
    (Stemmed::Tr, "tr", Language::Turkish),
];

/// The code of [`Analysis::Folded`] in a tag and on the command line.
const FOLDED: &str = "folded";

/// What opens and closes a language tag: no extracted text begins with it.
const TAG_MARK: char = '\u{0}';

impl Analysis {
    /// English: the analysis of untagged text.
    pub const ENGLISH: Analysis = Analysis::Stemmed(Stemmed::En);

    /// Every analysis, English first: an index of each for per-analysis tables.
    pub fn all() -> impl Iterator<Item = Analysis> {
        STEMMED
            .iter()
            .map(|&(s, _, _)| Analysis::Stemmed(s))
            .chain([Analysis::Folded])
    }

    /// Its place in [`Analysis::all`].
    pub fn slot(self) -> usize {
        match self {
            Analysis::Stemmed(s) => s as usize,
            Analysis::Folded => STEMMED.len(),
        }
    }

    /// How many analyses there are.
    pub const COUNT: usize = STEMMED.len() + 1;

    /// The analysis for a stored language code (`language::of`): its language's
    /// stemmer, English for text of undetermined language (short notices and
    /// tables, mostly English in the archives here), else folding alone.
    pub fn of(code: &str) -> Analysis {
        match code {
            "" | super::language::UNDETERMINED | "en" => Analysis::ENGLISH,
            "nb" | "nn" => Analysis::Stemmed(Stemmed::No),
            _ => STEMMED
                .iter()
                .find(|(_, c, _)| *c == code)
                .map_or(Analysis::Folded, |&(s, _, _)| Analysis::Stemmed(s)),
        }
    }

    /// An analysis named on the command line: a language code, or `folded`.
    pub fn named(name: &str) -> Option<Analysis> {
        let name = name.trim().to_ascii_lowercase();
        if name == FOLDED {
            return Some(Analysis::Folded);
        }
        super::language::normalize(&name).map(Analysis::of)
    }

    /// Its code: the language's ISO 639-1 code, or `folded`.
    pub fn code(self) -> &'static str {
        match self {
            Analysis::Stemmed(s) => STEMMED[s as usize].1,
            Analysis::Folded => FOLDED,
        }
    }

    /// The stemmer's language.
    pub fn stemmer(self) -> Option<Language> {
        match self {
            Analysis::Stemmed(s) => Some(STEMMED[s as usize].2),
            Analysis::Folded => None,
        }
    }
}

/// `text` as its field's analyzer reads it: with the tag of `analysis` in front
/// (none for English).
pub fn tag(analysis: Analysis, text: &str) -> Cow<'_, str> {
    if analysis == Analysis::ENGLISH {
        // Text can never pass for a tag.
        return Cow::Borrowed(text.trim_start_matches(TAG_MARK));
    }
    Cow::Owned(format!(
        "{TAG_MARK}{}{TAG_MARK}{}",
        analysis.code(),
        text.trim_start_matches(TAG_MARK)
    ))
}

/// The analysis a [`tag`]ged text names, and the text without the tag.
pub fn untag(text: &str) -> (Analysis, &str) {
    if let Some(rest) = text.strip_prefix(TAG_MARK)
        && let Some((code, text)) = rest.split_once(TAG_MARK)
    {
        let analysis = if code == FOLDED {
            Analysis::Folded
        } else {
            Analysis::of(code)
        };
        return (analysis, text);
    }
    (Analysis::ENGLISH, text)
}

/// The analyses of the languages in `codes`, each once, English first.
pub fn of_codes<'a>(codes: impl IntoIterator<Item = &'a str>) -> Vec<Analysis> {
    let mut out: Vec<Analysis> = codes.into_iter().map(Analysis::of).collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_round_trip() {
        for analysis in Analysis::all() {
            let tagged = tag(analysis, "Die Regierung");
            assert_eq!(untag(&tagged), (analysis, "Die Regierung"));
        }
        assert_eq!(tag(Analysis::ENGLISH, "news"), "news");
        // A text opening with the mark is not read as a tag.
        assert_eq!(
            untag(&tag(Analysis::ENGLISH, "\u{0}de\u{0}x")).0,
            Analysis::ENGLISH
        );
        assert_eq!(Analysis::all().count(), Analysis::COUNT);
        for (i, a) in Analysis::all().enumerate() {
            assert_eq!(a.slot(), i);
        }
    }

    #[test]
    fn codes() {
        assert_eq!(Analysis::of("und"), Analysis::ENGLISH);
        assert_eq!(Analysis::of("de"), Analysis::Stemmed(Stemmed::De));
        assert_eq!(Analysis::of("nb"), Analysis::Stemmed(Stemmed::No));
        assert_eq!(Analysis::of("zh"), Analysis::Folded);
        assert_eq!(Analysis::of("pl"), Analysis::Folded);
        assert_eq!(Analysis::named("ger"), Some(Analysis::Stemmed(Stemmed::De)));
        assert_eq!(Analysis::named("folded"), Some(Analysis::Folded));
        assert_eq!(Analysis::named("xx"), None);
        assert_eq!(
            of_codes(["de", "en", "und", "zh", "de"]),
            [
                Analysis::ENGLISH,
                Analysis::Stemmed(Stemmed::De),
                Analysis::Folded
            ]
        );
    }
}
