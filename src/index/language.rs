//! Each article's language, detected once at index time and stored as an ISO 639-1
//! code where one exists (`en`, `zh`, `ja`), else the ISO 639-3 code; `und` when the
//! text is too short or ambiguous. English, most of any news archive here, is told
//! cheaply by its function words; anything else goes to whatlang (scripts, then
//! trigram statistics), whose guess is kept only when it calls it reliable.

use whatlang::Lang;

/// The code stored for articles whose language could not be told.
pub const UNDETERMINED: &str = "und";

/// How much text is looked at: enough for a confident guess, cheap on long pages.
const SAMPLE_CHARS: usize = 600;

/// Words so frequent in English and so rare elsewhere that their share tells English.
const ENGLISH_MARKERS: [&str; 16] = [
    "the", "and", "of", "to", "is", "was", "said", "that", "with", "for", "from", "by", "has",
    "have", "were", "which",
];
/// Words looked at for the English test.
const MARKER_SAMPLE: usize = 120;
/// Share of marker words above which a text is English.
const MARKER_SHARE: f64 = 0.12;

/// Whether the opening words of `text` are plainly English.
fn plainly_english(text: &str) -> bool {
    english_share(text, 20)
}

/// Whether at least `min_words` words open `text` and enough of them are markers.
fn english_share(text: &str, min_words: usize) -> bool {
    let mut words = 0usize;
    let mut markers = 0usize;
    for word in text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .take(MARKER_SAMPLE)
    {
        words += 1;
        if word.len() <= 5 && ENGLISH_MARKERS.contains(&word.to_ascii_lowercase().as_str()) {
            markers += 1;
        }
    }
    words >= min_words && markers as f64 >= MARKER_SHARE * words as f64
}

/// Below this share of letters among letters and digits, a text is a table of
/// figures, not prose: its language is not told.
const MIN_LETTER_SHARE: f64 = 0.8;

/// The language code of an article's headline and body.
pub fn detect(title: &str, body: &str) -> &'static str {
    if plainly_english(body) {
        return "en";
    }
    let (letters, digits) = body
        .chars()
        .take(SAMPLE_CHARS)
        .fold((0usize, 0usize), |(l, d), c| {
            (
                l + usize::from(c.is_alphabetic()),
                d + usize::from(c.is_numeric()),
            )
        });
    if (letters as f64) < MIN_LETTER_SHARE * (letters + digits) as f64 {
        return UNDETERMINED;
    }
    let mut sample = String::with_capacity(SAMPLE_CHARS * 2);
    sample.push_str(title);
    sample.push('\n');
    let room = SAMPLE_CHARS.saturating_sub(title.chars().count());
    let cut = body.char_indices().nth(room).map_or(body.len(), |(i, _)| i);
    sample.push_str(&body[..cut]);
    // A few words in the Latin script (a dividend notice, a headline alone) are
    // too few for trigram statistics, however sure they claim to be: "Qtly div 15
    // cts vs 15 cts prior" came out French. Other scripts tell more in less text.
    let words = sample
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| w.chars().count() >= 2)
        .take(MIN_LATIN_WORDS)
        .count();
    if words < MIN_LATIN_WORDS && whatlang::detect_script(&sample) == Some(whatlang::Script::Latin)
    {
        // Only function words are trusted in so short a text: English's, or those
        // of the language the trigrams guess, used twice as densely as a long
        // text must ("Die Wahl ist heute" is German; "Qtly div 15 cts" is nothing).
        if english_share(&sample, 8) {
            return "en";
        }
        return match whatlang::detect(&sample) {
            Some(info)
                if words >= SHORT_WORDS
                    && function_words(info.lang()).is_some()
                    && own_share(info.lang(), &sample) >= 2.0 * MARKER_SHARE =>
            {
                code(info.lang())
            }
            _ => UNDETERMINED,
        };
    }
    match whatlang::detect(&sample) {
        Some(info) if info.is_reliable() && has_own_words(info.lang(), &sample) => {
            code(info.lang())
        }
        _ => UNDETERMINED,
    }
}

/// The two-letter code of a language tag a source declares (`en-US` → `en`, ISO
/// 639-2 `ger` → `de`); `None` for what it cannot tell.
pub fn declared(tag: &str) -> Option<String> {
    let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    let code = match primary.as_str() {
        "eng" => "en",
        "ger" | "deu" => "de",
        "fre" | "fra" => "fr",
        "ita" => "it",
        "spa" => "es",
        "dut" | "nld" => "nl",
        "por" => "pt",
        "swe" => "sv",
        "dan" => "da",
        "nor" | "nob" => "no",
        "fin" => "fi",
        "pol" => "pl",
        "cze" | "ces" => "cs",
        "lat" => "la",
        "ltz" => "lb",
        "rus" => "ru",
        "hun" => "hu",
        "chi" | "zho" => "zh",
        "jpn" => "ja",
        "ara" => "ar",
        code if code.len() == 2 && code.chars().all(|c| c.is_ascii_lowercase()) => code,
        _ => return None,
    };
    Some(code.to_string())
}

/// The two-letter code of a language an archive names in words (`English`,
/// `Français`: Factiva's and ProQuest's exports), in English or in itself.
pub fn named(name: &str) -> Option<String> {
    let code = match name.trim().to_lowercase().as_str() {
        "english" => "en",
        "french" | "français" => "fr",
        "german" | "deutsch" => "de",
        "spanish" | "español" => "es",
        "italian" | "italiano" => "it",
        "dutch" | "nederlands" => "nl",
        "portuguese" | "português" => "pt",
        "swedish" | "svenska" => "sv",
        "danish" | "dansk" => "da",
        "norwegian" | "norsk" => "no",
        "finnish" | "suomi" => "fi",
        "polish" | "polski" => "pl",
        "russian" | "русский" => "ru",
        "chinese" | "中文" => "zh",
        "japanese" | "日本語" => "ja",
        _ => return None,
    };
    Some(code.to_string())
}

/// The language of an article: the one its source declares, else the detected one.
pub fn of(article: &crate::article::Article) -> std::borrow::Cow<'static, str> {
    match article.lang.as_deref().and_then(declared) {
        Some(code) => std::borrow::Cow::Owned(code),
        None => std::borrow::Cow::Borrowed(detect(&article.title, &article.body)),
    }
}

/// The commonest function words of the main languages in the Latin script besides
/// English. Trigram statistics take abbreviations ("Qtly div 15 cts vs 15 cts
/// prior Pay April 30") for French; a text in a language uses its little words.
fn function_words(lang: Lang) -> Option<&'static [&'static str]> {
    Some(match lang {
        Lang::Fra => &[
            "le", "la", "les", "de", "des", "du", "et", "est", "un", "une", "pour", "dans", "que",
            "qui", "sur", "au", "aux", "par", "pas", "il", "elle", "en", "ce", "avec",
        ],
        Lang::Spa => &[
            "el", "la", "los", "las", "de", "del", "y", "es", "un", "una", "para", "en", "que",
            "por", "con", "se", "al", "su", "lo", "como",
        ],
        Lang::Cat => &[
            "el", "la", "els", "les", "de", "del", "i", "és", "un", "una", "per", "en", "que",
            "amb", "es", "al", "va", "seu",
        ],
        Lang::Por => &[
            "o", "a", "os", "as", "de", "do", "da", "dos", "das", "e", "é", "um", "uma", "para",
            "em", "que", "no", "na", "por", "com", "se",
        ],
        Lang::Ita => &[
            "il", "lo", "la", "gli", "le", "di", "del", "della", "e", "è", "un", "una", "per",
            "in", "che", "non", "con", "si", "da", "al",
        ],
        Lang::Deu => &[
            "der", "die", "das", "den", "dem", "des", "und", "ist", "ein", "eine", "für", "in",
            "zu", "mit", "von", "nicht", "sich", "auf", "im", "es",
        ],
        Lang::Nld => &[
            "de", "het", "een", "en", "van", "is", "in", "op", "te", "dat", "met", "voor", "niet",
            "zijn", "er", "ook",
        ],
        _ => return None,
    })
}

/// Whether `text` uses the function words of `lang` (always true for a language
/// without a list here: its guess stands).
fn has_own_words(lang: Lang, text: &str) -> bool {
    function_words(lang).is_none() || own_share(lang, text) >= MARKER_SHARE
}

/// The share of `text`'s words that are function words of `lang` (0 without a list).
fn own_share(lang: Lang, text: &str) -> f64 {
    let Some(list) = function_words(lang) else {
        return 0.0;
    };
    let (mut words, mut own) = (0usize, 0usize);
    for word in text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .take(MARKER_SAMPLE)
    {
        words += 1;
        if word.chars().count() <= 5 && list.contains(&word.to_lowercase().as_str()) {
            own += 1;
        }
    }
    own as f64 / words.max(1) as f64
}

/// Fewest words of a short Latin-script text whose language its function words tell.
const SHORT_WORDS: usize = 8;

/// Fewer words than this in the Latin script leave the language undetermined.
const MIN_LATIN_WORDS: usize = 25;

/// ISO 639-1 when the language has one.
fn code(lang: Lang) -> &'static str {
    match lang {
        Lang::Afr => "af",
        Lang::Aka => "ak",
        Lang::Amh => "am",
        Lang::Ara => "ar",
        Lang::Aze => "az",
        Lang::Bel => "be",
        Lang::Ben => "bn",
        Lang::Bul => "bg",
        Lang::Cat => "ca",
        Lang::Ces => "cs",
        Lang::Cmn => "zh",
        Lang::Cym => "cy",
        Lang::Dan => "da",
        Lang::Deu => "de",
        Lang::Ell => "el",
        Lang::Eng => "en",
        Lang::Epo => "eo",
        Lang::Est => "et",
        Lang::Fin => "fi",
        Lang::Fra => "fr",
        Lang::Guj => "gu",
        Lang::Heb => "he",
        Lang::Hin => "hi",
        Lang::Hrv => "hr",
        Lang::Hun => "hu",
        Lang::Hye => "hy",
        Lang::Ind => "id",
        Lang::Ita => "it",
        Lang::Jav => "jv",
        Lang::Jpn => "ja",
        Lang::Kan => "kn",
        Lang::Kat => "ka",
        Lang::Khm => "km",
        Lang::Kor => "ko",
        Lang::Lat => "la",
        Lang::Lav => "lv",
        Lang::Lit => "lt",
        Lang::Mal => "ml",
        Lang::Mar => "mr",
        Lang::Mkd => "mk",
        Lang::Mya => "my",
        Lang::Nep => "ne",
        Lang::Nld => "nl",
        Lang::Nob => "nb",
        Lang::Ori => "or",
        Lang::Pan => "pa",
        Lang::Pes => "fa",
        Lang::Pol => "pl",
        Lang::Por => "pt",
        Lang::Ron => "ro",
        Lang::Rus => "ru",
        Lang::Sin => "si",
        Lang::Slk => "sk",
        Lang::Slv => "sl",
        Lang::Sna => "sn",
        Lang::Spa => "es",
        Lang::Srp => "sr",
        Lang::Swe => "sv",
        Lang::Tam => "ta",
        Lang::Tel => "te",
        Lang::Tgl => "tl",
        Lang::Tha => "th",
        Lang::Tuk => "tk",
        Lang::Tur => "tr",
        Lang::Ukr => "uk",
        Lang::Urd => "ur",
        Lang::Uzb => "uz",
        Lang::Vie => "vi",
        Lang::Yid => "yi",
        Lang::Zul => "zu",
    }
}

/// A user's language code (`zh`, `ZH`, `cmn`, `chi`) in the stored form.
pub fn normalize(code: &str) -> Option<&'static str> {
    let code = code.trim().to_ascii_lowercase();
    if code == UNDETERMINED {
        return Some(UNDETERMINED);
    }
    let aliases = [
        ("chi", "zh"),
        ("zho", "zh"),
        ("ger", "de"),
        ("fre", "fr"),
        ("fas", "fa"),
    ];
    let code = aliases
        .iter()
        .find(|(alias, _)| *alias == code)
        .map_or(code.as_str(), |(_, c)| c);
    Lang::all()
        .iter()
        .map(|&lang| (lang.code(), self::code(lang)))
        .find(|(three, two)| *three == code || *two == code)
        .map(|(_, two)| two)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_text_is_told_by_its_function_words() {
        assert_eq!(
            detect(
                "",
                "Die Hafenarbeiter in Hamburg streikten am Montag den ganzen Tag."
            ),
            "de"
        );
        assert_eq!(
            detect(
                "",
                "Les journaux du matin ont annoncé un accord avec les syndicats."
            ),
            "fr"
        );
        // Abbreviations and figures, however sure the trigrams are, tell nothing.
        assert_eq!(
            detect("", "Qtly div 15 cts vs 15 cts prior Pay April 30"),
            UNDETERMINED
        );
        assert_eq!(detect("", "Kurz und gut."), UNDETERMINED);
    }

    #[test]
    fn detects_news_languages() {
        assert_eq!(
            detect(
                "Shanghai opens an AI centre",
                "The centre will help manufacturers adopt artificial intelligence across the region, officials said on Thursday."
            ),
            "en"
        );
        assert_eq!(
            detect(
                "上海人工智能中心",
                "联合国工业发展组织与中国合作建立人工智能卓越中心，帮助制造业企业采用新技术。"
            ),
            "zh"
        );
        assert_eq!(
            detect(
                "",
                "東京で新しい研究センターが開設されました。人工知能の研究を進めます。"
            ),
            "ja"
        );
        assert_eq!(detect("", "ok"), UNDETERMINED);
        // Short notices in the Latin script are not guessed at.
        assert_eq!(
            detect(
                "WINN-DIXIE STORES INC <WIN> SETS MONTHLY PAYOUT",
                "JACKSONVILLE, Fla., April 1 - Mthly div 15 cts vs 15 cts prior Pay April 30, May 29, June 24 Record April 10"
            ),
            UNDETERMINED
        );
        assert_eq!(
            detect(
                "UAW SAYS IT PLANS TO AUTHORIZE STRIKE AT GM TRUCK PLANT AT PONTIAC, MICH.",
                ""
            ),
            UNDETERMINED
        );
        // A long French text still is French.
        assert_eq!(
            detect(
                "La grève continue",
                "Les dockers du port ont décidé de poursuivre la grève jusqu'à la fin de la semaine prochaine, selon les syndicats qui demandent une hausse des salaires et de meilleures conditions de travail pour tous les employés."
            ),
            "fr"
        );
    }

    #[test]
    fn user_codes() {
        assert_eq!(normalize("ZH"), Some("zh"));
        assert_eq!(normalize("cmn"), Some("zh"));
        assert_eq!(normalize("eng"), Some("en"));
        assert_eq!(normalize("und"), Some("und"));
        assert_eq!(normalize("xx"), None);
    }
}
