//! Cyrillic and Greek words also searchable in Latin letters, as Aleph does: a
//! word in either script becomes its Latin transliteration (`any_ascii`, per
//! character tables after Unicode's and BGN/PCGN's), lowercased, the way accents
//! are folded. So `Putin` finds *Путин*, `Tsipras` finds *Τσίπρας*, and a query in
//! Cyrillic (`Медведев`) finds the Latin spelling *Medvedev*; a highlight still
//! marks the word as printed. Hebrew and Arabic-script words are read without
//! their vowel points ([`unpointed`]), and Arabic and Indic digits as ASCII
//! ([`ascii_digits`]); other scripts are left to their own analysis.

/// Whether `c` is a Greek or Cyrillic letter (the blocks and their supplements).
fn transliterated(c: char) -> bool {
    matches!(c,
        '\u{0370}'..='\u{03FF}' // Greek and Coptic
        | '\u{1F00}'..='\u{1FFF}' // Greek extended (polytonic)
        | '\u{0400}'..='\u{052F}' // Cyrillic and its supplement
        | '\u{1C80}'..='\u{1C8F}' // Cyrillic extended-C
        | '\u{2DE0}'..='\u{2DFF}' // Cyrillic extended-A
        | '\u{A640}'..='\u{A69F}') // Cyrillic extended-B
}

/// The Latin form of a lowercase word with Greek or Cyrillic letters (`None`
/// when it has none). `any_ascii` follows BGN/PCGN (`Шойгу` → `shoygu`), while
/// the press writes most names otherwise, so a few rules come first: й is `i`
/// (*Shoigu*, *Sergei*) except in a final -ий/-ый, which is `y` (*Zelensky*,
/// *Dmitry*); е opening a word or after a vowel is `ye` (*Yeltsin*); the soft and
/// hard signs leave nothing; Greek ου, αυ, ευ are `ou`, `av`, `ev` (*Papandreou*).
pub fn latin(word: &str) -> Option<String> {
    if !word.chars().any(transliterated) {
        return None;
    }
    let chars: Vec<char> = word.chars().map(unaccented_greek).collect();
    let mut out = String::with_capacity(word.len() + 4);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let before = i.checked_sub(1).map(|k| chars[k]);
        let (text, used): (std::borrow::Cow<'_, str>, usize) = match (c, next) {
            ('и' | 'ы', Some('й')) if i + 2 == chars.len() => ("y".into(), 2),
            ('й', _) => ("i".into(), 1),
            ('е', _) if before.is_none_or(|b| "аеёиоуыэюяьъ".contains(b)) => {
                ("ye".into(), 1)
            }
            ('ь' | 'ъ', _) => ("".into(), 1),
            ('ο', Some('υ')) => ("ou".into(), 2),
            ('α', Some('υ')) => ("av".into(), 2),
            ('ε', Some('υ')) => ("ev".into(), 2),
            (c, _) if transliterated(c) => (any_ascii::any_ascii_char(c).to_lowercase().into(), 1),
            (c, _) => (c.to_string().into(), 1),
        };
        out.extend(text.chars().filter(|&c| c != '\''));
        i += used;
    }
    (!out.is_empty()).then_some(out)
}

/// A Hebrew or Arabic-script word without its vowel points, cantillation marks
/// and tatweel (`שָׁלוֹם` → `שלום`, `مُحَمَّد` → `محمد`): newspapers print most words
/// without them, and a reader types them without; `None` when it has none.
pub fn unpointed(word: &str) -> Option<String> {
    let pointing = |c: char| {
        matches!(c as u32,
            0x0591..=0x05BD | 0x05BF | 0x05C1..=0x05C2 | 0x05C4..=0x05C5 | 0x05C7 // Hebrew
            | 0x0610..=0x061A | 0x0640 | 0x064B..=0x065F | 0x0670 // Arabic
            | 0x06D6..=0x06DC | 0x06DF..=0x06E4 | 0x06E7..=0x06E8 | 0x06EA..=0x06ED
        )
    };
    if word.is_ascii() || !word.chars().any(pointing) {
        return None;
    }
    let bare: String = word.chars().filter(|&c| !pointing(c)).collect();
    (!bare.is_empty()).then_some(bare)
}

/// The first code point of each run of ten decimal digits, zero to nine, that
/// is read as ASCII: Arabic-Indic, Persian (extended Arabic-Indic), Devanagari,
/// Bengali, Gurmukhi, Gujarati, Oriya, Tamil, Telugu, Kannada, Malayalam.
/// (Thai, Lao, Khmer and Myanmar digits stay: their runs are read in pieces.)
const DIGIT_ZEROS: [u32; 11] = [
    0x0660, 0x06F0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66,
];

/// A word with the digits of Arabic and Indic scripts as ASCII digits (`٢٠٢٤` →
/// `2024`, `۱۳۹۹` → `1399`), as Elasticsearch's `decimal_digit` filter reads them,
/// so a year typed either way finds both; `None` when it has none.
pub fn ascii_digits(word: &str) -> Option<String> {
    let digit = |c: char| {
        let c = c as u32;
        DIGIT_ZEROS
            .iter()
            .find(|&&zero| (zero..zero + 10).contains(&c))
            .and_then(|zero| char::from_digit(c - zero, 10))
    };
    if word.is_ascii() || !word.chars().any(|c| digit(c).is_some()) {
        return None;
    }
    Some(word.chars().map(|c| digit(c).unwrap_or(c)).collect())
}

/// A Greek vowel without its accent or diaeresis.
fn unaccented_greek(c: char) -> char {
    match c {
        'ά' => 'α',
        'έ' => 'ε',
        'ή' => 'η',
        'ί' | 'ϊ' | 'ΐ' => 'ι',
        'ό' => 'ο',
        'ύ' | 'ϋ' | 'ΰ' => 'υ',
        'ώ' => 'ω',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_cyrillic_and_greek_read_as_their_latin_spelling() {
        for (word, expected) in [
            ("путин", "putin"),
            ("шойгу", "shoigu"),
            ("медведев", "medvedev"),
            ("владимир", "vladimir"),
            ("зеленский", "zelensky"),
            ("дмитрий", "dmitry"),
            ("сергей", "sergei"),
            ("ельцин", "yeltsin"),
            ("хрущёв", "khrushchev"),
            ("объект", "obyekt"),
            ("τσίπρας", "tsipras"),
            ("μητσοτάκης", "mitsotakis"),
            ("παπανδρέου", "papandreou"),
            ("ευρώπη", "evropi"),
            ("αθήνα", "athina"),
        ] {
            assert_eq!(latin(word).as_deref(), Some(expected), "{word}");
        }
        assert_eq!(latin("putin"), None);
        assert_eq!(latin("人工"), None);
    }
}
