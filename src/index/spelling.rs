//! British spellings mapped to American ones before stemming, so `centre` meets
//! `center` and `organisation` meets `organization` in documents and queries alike.
//! The list (`british_american.tsv`, about 1,700 word forms) is maintained data,
//! not code: its header says where it comes from and what was removed.

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

#[cfg(test)]
mod tests {
    use super::*;

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
