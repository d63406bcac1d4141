//! British spellings mapped to American ones before stemming, so `centre` meets
//! `center` and `organisation` meets `organization` in documents and queries alike.
//! The list (`british_american.tsv`, about 1,700 word forms) is maintained data,
//! not code: its header says where it comes from and what was removed.
//!
//! German umlauts written out (`Buerger`, `Haefen`: old type, telegrams, keyboards
//! without them) are read as umlauts before the German stemmer, as Snowball's
//! `german2` variant does.

use std::collections::HashMap;
use std::sync::LazyLock;

static PAIRS: &str = include_str!("british_american.tsv");

static BRITISH_TO_AMERICAN: LazyLock<HashMap<&'static str, &'static str>> = LazyLock::new(|| {
    PAIRS
        .lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| line.split_once('\t'))
        .collect()
});

/// The American spelling of a lowercase British word form, if it has one.
pub fn american(word: &str) -> Option<&'static str> {
    BRITISH_TO_AMERICAN.get(word).copied()
}

/// [`american`] as a word-map function (owned).
pub fn to_american(word: &str) -> Option<String> {
    american(word).map(str::to_string)
}

/// A lowercase German word with `ae`, `oe` and `ue` read as `ä`, `ö` and `ü`
/// (`None`: it has none). As in Snowball's `german2`, a `u` after a vowel or a `q`
/// is a consonant there (`Bauer`, `Feuer`, `Quelle` stay as they are).
pub fn german_umlauts(word: &str) -> Option<String> {
    if !(word.contains("ae") || word.contains("oe") || word.contains("ue")) {
        return None;
    }
    let vowel = |c: char| "aeiouyäöü".contains(c);
    let mut out = String::with_capacity(word.len());
    let mut chars = word.chars().peekable();
    let mut previous = None;
    while let Some(c) = chars.next() {
        let umlaut = match c {
            'a' => Some('ä'),
            'o' => Some('ö'),
            'u' if !previous.is_some_and(|p: char| vowel(p) || p == 'q') => Some('ü'),
            _ => None,
        };
        match umlaut {
            Some(u) if chars.peek() == Some(&'e') => {
                chars.next();
                out.push(u);
                previous = Some(u);
            }
            _ => {
                out.push(c);
                previous = Some(c);
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_umlauts_written_out() {
        let read = |w| german_umlauts(w).unwrap_or_else(|| w.to_string());
        assert_eq!(read("buerger"), "bürger");
        assert_eq!(read("haefen"), "häfen");
        assert_eq!(read("koenig"), "könig");
        assert_eq!(read("bauer"), "bauer");
        assert_eq!(read("feuer"), "feuer");
        assert_eq!(read("quelle"), "quelle");
        assert_eq!(read("regierung"), "regierung");
    }

    #[test]
    fn the_list_is_loaded_and_maps_common_words() {
        assert!(BRITISH_TO_AMERICAN.len() > 1500);
        for (uk, us) in [
            ("centre", "center"),
            ("organisation", "organization"),
            ("programme", "program"),
            ("defence", "defense"),
            ("labour", "labor"),
            ("travelled", "traveled"),
        ] {
            assert_eq!(american(uk), Some(us), "{uk}");
        }
        assert_eq!(american("buses"), None);
        assert_eq!(american("center"), None);
    }
}
