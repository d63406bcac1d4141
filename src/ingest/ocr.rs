//! Scanned newspaper pages as OCR gives them (Chronicling America's page text):
//! words broken across lines, runs of misread characters, and a first line that
//! is a stray mark rather than a headline. These helpers judge words and lines
//! by their shape alone (no dictionary), cheaply enough for every plain-text file.

use std::borrow::Cow;

/// Most lines looked at for a headline: the top of a front page.
const HEADLINE_LINES: usize = 60;
/// Fewest words in a chosen headline (fewer read as a label or a fragment).
const MIN_HEADLINE_WORDS: usize = 3;
/// Most words in a headline, however many lines it spans.
const MAX_HEADLINE_WORDS: usize = 14;
/// A page set in newspaper columns is at least this long…
const TYPESET_PAGE_CHARS: usize = 4000;
/// …and half its lines are at most this long (paragraph text runs longer).
const TYPESET_LINE_CHARS: usize = 45;
/// Share of a line's tokens that must look like words for it to be a headline.
const MIN_WORD_SHARE: f64 = 0.8;

/// Words of a newspaper's furniture, not of a story: a line with one is no headline.
const MASTHEAD_WORDS: &[&str] = &[
    "vol",
    "volume",
    "no",
    "number",
    "price",
    "cents",
    "pages",
    "edition",
    "weather",
    "established",
    "est",
    "copyright",
    "entered",
    "subscription",
    "daily",
    "weekly",
];

/// The first words of compounds that stay hyphenated when split at a line end
/// (`well-\nknown` is `well-known`, not `wellknown`).
const COMPOUND_HEADS: &[&str] = &[
    "well", "self", "so", "half", "all", "ever", "non", "vice", "ex", "anti", "pro", "long",
    "short", "high", "low", "old", "new", "far", "full", "part", "cross", "mid", "great", "ill",
    "free", "first", "second", "third", "one", "two", "three", "four", "five", "six", "seven",
    "eight", "nine", "ten", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
    "ninety", "hundred", "per", "semi", "war", "man", "good", "best", "open", "world", "re",
];

/// The most letters a word has; longer runs are OCR noise or run-together words.
const MAX_LETTERS: usize = 20;

/// Whether `token` (punctuation around it aside) has the shape of a word: letters
/// only (an inner apostrophe or hyphen allowed), a vowel, no letter three times
/// running, no five consonants running, not opening with a doubled letter, and
/// lower case, capitals, or one capital then lower case. Single letters `a`, `I`
/// and `A` are words.
pub fn is_word_like(token: &str) -> bool {
    let word = token.trim_matches(|c: char| !c.is_alphanumeric());
    if word.is_empty() {
        return false;
    }
    // Other scripts than the Latin one are not judged (CJK runs have no spaces).
    if word.chars().any(|c| c.is_alphabetic() && c > '\u{24f}') {
        return true;
    }
    // On the stack: this runs on every word of an OCR page, when indexing it and
    // when choosing its passages.
    let mut kept = ['\0'; MAX_LETTERS];
    let mut count = 0;
    for c in word.chars().filter(|c| *c != '\'' && *c != '-') {
        if !c.is_alphabetic() || count == MAX_LETTERS {
            return false;
        }
        kept[count] = c;
        count += 1;
    }
    let letters = &kept[..count];
    if letters.len() == 1 {
        return matches!(letters[0], 'a' | 'A' | 'I');
    }
    // A letter lowercases to three at most.
    let mut folded = ['\0'; 3 * MAX_LETTERS];
    let mut length = 0;
    for lowered in letters.iter().flat_map(|c| c.to_lowercase()) {
        folded[length] = lowered;
        length += 1;
    }
    let lower = &folded[..length];
    let vowel = |c: &char| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
    if !lower.iter().any(vowel) {
        return false;
    }
    if lower.len() > 2 && lower[0] == lower[1] && !vowel(&lower[0]) {
        return false;
    }
    let (mut same, mut consonants) = (1usize, 0usize);
    for (i, c) in lower.iter().enumerate() {
        same = if i > 0 && lower[i - 1] == *c {
            same + 1
        } else {
            1
        };
        consonants = if vowel(c) { 0 } else { consonants + 1 };
        if same >= 3 || consonants >= 5 {
            return false;
        }
    }
    let upper = letters.iter().filter(|c| c.is_uppercase()).count();
    upper == 0 || upper == letters.len() || (upper == 1 && letters[0].is_uppercase())
}

/// A token with letters that is not word-shaped: OCR noise (`mmmUmm`, `Ccitnan`,
/// `iF.it`). Numbers, punctuation, links, addresses and abbreviations (`U.S.`,
/// `p.m.`) are not garbage.
pub fn is_garbage(token: &str) -> bool {
    token.chars().any(char::is_alphabetic) && !is_word_like(token) && !is_shorthand(token)
}

/// A link, an e-mail address, or dotted initials such as `U.S.` and `N.Y.`.
fn is_shorthand(token: &str) -> bool {
    if token.contains("://") || token.contains('@') || token.starts_with("www.") {
        return true;
    }
    let bare = token.trim_matches(|c: char| !c.is_alphanumeric() && c != '.');
    bare.contains('.')
        && bare
            .split('.')
            .all(|part| part.chars().count() <= 3 && part.chars().all(char::is_alphabetic))
}

/// Share of garbage among the tokens of `text` that have letters (0 for none).
pub fn garbage_share(text: &str) -> f64 {
    let (mut lettered, mut garbage) = (0usize, 0usize);
    for token in text.split_whitespace() {
        if token.chars().any(char::is_alphabetic) {
            lettered += 1;
            garbage += usize::from(is_garbage(token));
        }
    }
    if lettered == 0 {
        0.0
    } else {
        garbage as f64 / lettered as f64
    }
}

/// Rejoins words that typesetting broke at a line end: `prepar-\nedness` becomes
/// `preparedness`. A break is a letter, a hyphen, the line end, and a lower-case
/// letter opening the next line; a compound's head (`well-\nknown`) keeps its
/// hyphen and joins `well-known`. The rest of the next line stays on its own line.
pub fn join_broken_words(text: &str) -> Cow<'_, str> {
    if !text.contains("-\n") && !text.contains("-\r\n") {
        return Cow::Borrowed(text);
    }
    // One pass, line by line: the line in hand is the text's next line, or what
    // was left of one after its first word joined the line before.
    let mut out = String::with_capacity(text.len());
    let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    let mut current: Cow<'_, str> = Cow::Borrowed(lines.next().unwrap_or_default());
    let mut first = true;
    let mut put = |out: &mut String, line: &str| {
        if !std::mem::take(&mut first) {
            out.push('\n');
        }
        out.push_str(line);
    };
    while let Some(raw) = lines.next() {
        let line = current.trim_end();
        let next = raw.trim_start();
        let Some(stem) = line.strip_suffix('-').filter(|stem| {
            stem.chars().last().is_some_and(char::is_alphabetic)
                && next.chars().next().is_some_and(char::is_lowercase)
        }) else {
            put(&mut out, &current);
            current = Cow::Borrowed(raw);
            continue;
        };
        let (piece, rest) = next
            .find(char::is_whitespace)
            .map_or((next, ""), |at| (&next[..at], next[at..].trim_start()));
        let head = stem.rsplit(|c: char| !c.is_alphabetic()).next();
        let hyphen = if keeps_hyphen(head.unwrap_or_default()) {
            "-"
        } else {
            ""
        };
        put(&mut out, &format!("{stem}{hyphen}{piece}"));
        if rest.is_empty() {
            // The next line was all one piece: the line after it is the one in hand.
            match lines.next() {
                Some(after) => current = Cow::Borrowed(after),
                None => return Cow::Owned(out),
            }
        } else {
            current = Cow::Owned(rest.to_string());
        }
    }
    put(&mut out, &current);
    Cow::Owned(out)
}

/// Whether a word broken at a line end after `head` keeps its hyphen when joined
/// (`well-` + `known` is `well-known`).
pub fn keeps_hyphen(head: &str) -> bool {
    COMPOUND_HEADS.contains(&head.to_lowercase().as_str())
}

/// Whether `token` (punctuation around it aside) is a roman numeral of two
/// letters or more (`XXVII`).
fn is_roman_numeral(token: &str) -> bool {
    let bare = token.trim_matches(|c: char| !c.is_alphanumeric());
    bare.len() >= 2 && bare.chars().all(|c| "IVXLCDM".contains(c))
}

/// Whether one of `tokens` is a word of a newspaper's furniture ([`MASTHEAD_WORDS`]).
fn has_masthead_word(tokens: &[&str]) -> bool {
    tokens.iter().any(|t| {
        let bare = t
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_ascii_lowercase();
        MASTHEAD_WORDS.contains(&bare.as_str())
    })
}

/// Whether a line reads as a headline: a few words, nearly all word-shaped, in
/// capitals (mostly), with no figures and none of a masthead's words.
fn headline_line(line: &str, style: Style) -> Option<Vec<&str>> {
    let tokens: Vec<&str> = line.split_whitespace().collect();
    if tokens.is_empty() || tokens.len() > MAX_HEADLINE_WORDS {
        return None;
    }
    if line.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let words = tokens.iter().filter(|t| headline_word(t)).count();
    if (words as f64) < MIN_WORD_SHARE * tokens.len() as f64 {
        return None;
    }
    let letters: Vec<char> = line.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() < 6 {
        return None;
    }
    let fits = match style {
        Style::Capitals => {
            let upper = letters.iter().filter(|c| c.is_uppercase()).count();
            upper as f64 >= 0.85 * letters.len() as f64
        }
        Style::TitleCase => {
            // Most longer words capitalised, each a real word shape; stray single
            // letters (column rules read as `I`) few.
            let long: Vec<&&str> = tokens
                .iter()
                .filter(|t| t.chars().filter(|c| c.is_alphabetic()).count() >= 4)
                .collect();
            let capitalised = long
                .iter()
                .filter(|t| is_word_like(t))
                .filter(|t| {
                    t.trim_start_matches(|c: char| !c.is_alphabetic())
                        .starts_with(char::is_uppercase)
                })
                .count();
            let singles = tokens
                .iter()
                .filter(|t| t.chars().filter(|c| c.is_alphanumeric()).count() == 1)
                .count();
            long.len() >= 2
                && capitalised as f64 >= 0.8 * long.len() as f64
                && singles * 4 <= tokens.len()
        }
    };
    (fits && !has_masthead_word(&tokens)).then_some(tokens)
}

/// How a headline is set: in capitals (the big heads), or in Title Case (the
/// heads of small papers and the decks under big ones).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Capitals,
    TitleCase,
}

/// The most headline-like text near the top of an OCR page: the first run of
/// headline lines (a headline set over several lines is joined) with at least
/// `MIN_HEADLINE_WORDS` words. `None` when the top has none.
pub fn find_headline(text: &str) -> Option<String> {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(HEADLINE_LINES)
        .collect();
    // A head in capitals wherever it is near the top; failing one, in Title Case.
    [Style::Capitals, Style::TitleCase]
        .into_iter()
        .find_map(|style| headline_in(&lines, style))
}

/// The first run of headline lines of `style` with enough words.
fn headline_in(lines: &[&str], style: Style) -> Option<String> {
    let mut i = 0;
    while i < lines.len() {
        let Some(first) = headline_line(lines[i], style) else {
            i += 1;
            continue;
        };
        let mut words: Vec<&str> = first;
        let mut j = i + 1;
        while j < lines.len() && words.len() < MAX_HEADLINE_WORDS {
            match headline_line(lines[j], style) {
                Some(more) if words.len() + more.len() <= MAX_HEADLINE_WORDS => {
                    words.extend(more);
                    j += 1;
                }
                _ => break,
            }
        }
        let text = words.join(" ");
        let text = text.trim_matches(|c: char| !c.is_alphanumeric() && c != '?' && c != '!');
        if reads_as_words(text) {
            return Some(text.to_string());
        }
        i = j;
    }
    None
}

/// Share of misread tokens above which a text is taken for an OCR scan (edited
/// prose has almost none; Chronicling America's front pages a tenth or more).
const SCAN_GARBAGE_SHARE: f64 = 0.08;

/// Whether a text is a whole page set in newspaper columns: long, and most of its
/// lines short (a headline there is not simply its first line).
pub fn is_typeset_page(text: &str) -> bool {
    if text.len() < TYPESET_PAGE_CHARS {
        return false;
    }
    let mut lengths: Vec<usize> = text
        .lines()
        .map(|l| l.trim().chars().count())
        .filter(|&n| n > 0)
        .take(2000)
        .collect();
    if lengths.len() < 40 {
        return false;
    }
    let middle = lengths.len() / 2;
    let (_, median, _) = lengths.select_nth_unstable(middle);
    *median <= TYPESET_LINE_CHARS
}

/// A token of a headline: a word (`&` is not one: "IVES & SHAMBO" is a shop).
fn headline_word(token: &str) -> bool {
    is_word_like(token)
}

/// Whether a headline reads as words: at least three tokens, and at least 80% of
/// them word-shaped (`a` and `I` included). The label made from the metadata
/// is better than a headline that does not.
pub fn reads_as_words(headline: &str) -> bool {
    let tokens: Vec<&str> = headline.split_whitespace().collect();
    if tokens.len() < MIN_HEADLINE_WORDS {
        return false;
    }
    let words = tokens.iter().filter(|t| headline_word(t)).count();
    words as f64 >= MIN_WORD_SHARE * tokens.len() as f64
}

/// Whether `text` reads like OCR output, judged on its opening.
pub fn is_scan(text: &str) -> bool {
    let cut = text.char_indices().nth(3000).map_or(text.len(), |(i, _)| i);
    garbage_share(&text[..cut]) >= SCAN_GARBAGE_SHARE
}

/// Whether a first line can stand as a headline as it is (the ordinary case for
/// text files): mostly word-shaped tokens and no masthead furniture.
pub fn plain_headline(line: &str) -> bool {
    let tokens: Vec<&str> = line.split_whitespace().collect();
    if tokens.is_empty() {
        return false;
    }
    let words = tokens.iter().filter(|t| is_word_like(t)).count();
    let numbers = tokens
        .iter()
        .filter(|t| !t.chars().any(char::is_alphabetic))
        .count();
    // A long line may mention "no" or "price"; a short one with them is furniture
    // when it reads like a masthead: a figure, a roman numeral or capitals only
    // (`VOL. XXVII`, `PRICE 2 CENTS`), not a headline (`The Weather Report`).
    let furniture = line.chars().any(|c| c.is_ascii_digit())
        || !line.chars().any(char::is_lowercase)
        || tokens.iter().any(|t| is_roman_numeral(t));
    let masthead = tokens.len() <= 4 && furniture && has_masthead_word(&tokens);
    words > 0
        && !masthead
        && (words + numbers) as f64 >= 0.6 * tokens.len() as f64
        && words as f64 >= 0.5 * tokens.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_shapes() {
        for word in [
            "preparedness",
            "Lusitania",
            "LUSITANIA",
            "a",
            "I",
            "don't",
            "well-known",
            "(war)",
            "Rhode",
        ] {
            assert!(is_word_like(word), "{word}");
        }
        for junk in [
            "mmmmmmmmmumUmwmmmUmm",
            "Ccitnan",
            "fr",
            "iF.it",
            "1.1",
            "x",
            "tHe",
            "rnrnm",
        ] {
            assert!(!is_word_like(junk), "{junk}");
        }
        assert!(is_garbage("mmmUmm"));
        assert!(is_word_like("人工智能制造卓越中心正式启用"));
        // Twenty letters make a word still, twenty-one do not; hyphens and
        // apostrophes are not counted.
        let twenty = "antidisestablishment";
        assert_eq!(twenty.len(), 20);
        assert!(is_word_like(twenty));
        assert!(!is_word_like(&format!("{twenty}s")));
        assert!(is_word_like("anti-dis-establishment"));
        // A capital that lowercases to two characters (Turkish dotted I).
        assert!(is_word_like("\u{130}stanbul"));
        assert!(!is_word_like("\u{130}stanbul7"));
        assert!(!is_garbage("1916"));
        for shorthand in ["U.S.", "N.Y.", "p.m.", "https://x.test/a", "ann@x.test"] {
            assert!(!is_garbage(shorthand), "{shorthand}");
        }
    }

    /// The definition, as a list of lines edited in place.
    fn joined_by_definition(text: &str) -> String {
        let mut lines: Vec<String> = text
            .split('\n')
            .map(|l| l.strip_suffix('\r').unwrap_or(l).to_string())
            .collect();
        let mut i = 0;
        while i + 1 < lines.len() {
            let line = lines[i].trim_end().to_string();
            let next = lines[i + 1].trim_start().to_string();
            if let Some(stem) = line.strip_suffix('-')
                && stem.chars().last().is_some_and(char::is_alphabetic)
                && next.chars().next().is_some_and(char::is_lowercase)
            {
                let (piece, rest) = next
                    .find(char::is_whitespace)
                    .map_or((&next[..], ""), |at| (&next[..at], next[at..].trim_start()));
                let head = stem.rsplit(|c: char| !c.is_alphabetic()).next().unwrap();
                let hyphen = if keeps_hyphen(head) { "-" } else { "" };
                lines[i] = format!("{stem}{hyphen}{piece}");
                if rest.is_empty() {
                    lines.remove(i + 1);
                } else {
                    lines[i + 1] = rest.to_string();
                }
            }
            i += 1;
        }
        lines.join("\n")
    }

    #[test]
    fn broken_words_are_joined_as_defined_in_any_text() {
        let pieces = [
            "prepar-",
            "edness",
            "well-",
            "known",
            " man",
            "  ",
            "Lusi-",
            "tania sank",
            "NEW-",
            "York",
            "1915-",
            "16",
            "ä-",
            "öl",
            "x -",
            "\r",
            "a-b-",
            "c d",
            "-",
            "",
        ];
        let mut seed = 7u64;
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..12 {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
                if seed >> 62 != 0 {
                    text.push('\n');
                }
            }
            let expected = if text.contains("-\n") || text.contains("-\r\n") {
                joined_by_definition(&text)
            } else {
                text.clone()
            };
            assert_eq!(join_broken_words(&text), expected, "{text:?}");
        }
    }

    #[test]
    fn broken_words_are_joined_and_compounds_keep_their_hyphen() {
        assert_eq!(
            join_broken_words("the prepar-\nedness of the nation\n"),
            "the preparedness\nof the nation\n"
        );
        assert_eq!(
            join_broken_words("the Lusi-\ntania sank"),
            "the Lusitania\nsank"
        );
        assert_eq!(join_broken_words("a well-\nknown man"), "a well-known\nman");
        // Not a break: a capital or a figure follows, or no letter precedes.
        assert_eq!(join_broken_words("NEW YORK-\nBoston"), "NEW YORK-\nBoston");
        assert_eq!(join_broken_words("1915-\n16 season"), "1915-\n16 season");
        assert_eq!(
            join_broken_words("one prepar-\nedness and Lusi-\ntania"),
            "one preparedness\nand Lusitania"
        );
    }

    #[test]
    fn a_title_case_head_is_found_when_no_capitals_head_is() {
        let page = "VOLUME XVII. NUMBER 12.\nIVES & SHAMBO\n\
                    Teachers and School Boards\nWill Have a Joint Meeting\n\
                    A joint session of the teachers and school boards of the\n\
                    county will be held at the school auditorium on Saturday.";
        assert_eq!(
            find_headline(page).as_deref(),
            Some("Teachers and School Boards Will Have a Joint Meeting")
        );
        // A head in capitals further down wins over Title Case above it.
        let both = format!("{page}\nMILL REOPENS AFTER STRIKE\nthe looms ran again.");
        assert_eq!(
            find_headline(&both).as_deref(),
            Some("MILL REOPENS AFTER STRIKE")
        );
        // OCR noise in Title Case is no head: stray single letters, broken shapes.
        assert_eq!(
            find_headline("Till: I I IMVll HI It (I II\nthe rest of it."),
            None
        );
    }

    #[test]
    fn typeset_pages_are_told_from_articles() {
        let column: String = (0..200)
            .map(|i| format!("short column line number {}\n", i % 10))
            .collect();
        assert!(is_typeset_page(&column));
        let prose: String = (0..200)
            .map(|_| "A paragraph of ordinary prose runs on for well over a hundred characters before any line break comes.\n")
            .collect();
        assert!(!is_typeset_page(&prose));
        assert!(!is_typeset_page("Short\nnote"));
        assert!(reads_as_words("Teachers Will Have a Joint Meeting"));
        assert!(!reads_as_words("iF.it mmmUmm the"));
        assert!(!reads_as_words("MACON BEACON"));
    }

    #[test]
    fn headlines_are_found_under_the_masthead() {
        let page = "1916\n... -,. . i roft . . , . . r.\nVOL LVIU. NO. 41\nPOPULATION 28,219\n\
                    NORWICH,. CONM.V . THURSDAY, ' FEBRUARY 17, 1916\nTEN PAGES\n\
                    RUSSIANS CAPTURE\nERZERUM FORTS\nCabled Paragraphs\n";
        assert_eq!(
            find_headline(page).as_deref(),
            Some("RUSSIANS CAPTURE ERZERUM FORTS")
        );
        assert_eq!(
            find_headline("fr (\n1.1 mmmmmmmmmumUmwmmmUmm-mmmmmmmmmmWmmM\nsome text"),
            None
        );
        assert!(!plain_headline("fr ("));
        assert!(!plain_headline("1.1 mmmmmmmmmumUmwmmmUmm-mmmmmmmmmmWmmM"));
        assert!(!plain_headline("VOL. XXVII"));
        assert!(!plain_headline("Vol. XXVII"));
        assert!(!plain_headline("Price 2 cents"));
        assert!(!plain_headline("THE WEATHER"));
        // A headline with one of those words is a headline.
        assert!(plain_headline("The Weather Report"));
        assert!(plain_headline("No Deal Reached"));
        assert!(plain_headline("Price cap lifted"));
        assert!(plain_headline("Harbour strike ends"));
        assert!(plain_headline("2024 budget approved"));
    }
}
