//! Each article's language, detected once at index time (whatlang: scripts, then
//! trigram statistics) and stored as an ISO 639-1 code where one exists (`en`, `zh`,
//! `ja`), else the ISO 639-3 code; `und` when the text is too short or ambiguous.

use whatlang::Lang;

/// The code stored for articles whose language could not be told.
pub const UNDETERMINED: &str = "und";

/// How much text is looked at: enough for a confident guess, cheap on long pages.
const SAMPLE_CHARS: usize = 2000;
/// Guesses less confident than this are stored as [`UNDETERMINED`].
const MIN_CONFIDENCE: f64 = 0.5;

/// The language code of an article's headline and body.
pub fn detect(title: &str, body: &str) -> &'static str {
    let mut sample = String::with_capacity(SAMPLE_CHARS * 2);
    sample.push_str(title);
    sample.push('\n');
    let room = SAMPLE_CHARS.saturating_sub(title.chars().count());
    let cut = body.char_indices().nth(room).map_or(body.len(), |(i, _)| i);
    sample.push_str(&body[..cut]);
    match whatlang::detect(&sample) {
        Some(info) if info.is_reliable() || info.confidence() >= MIN_CONFIDENCE => {
            code(info.lang())
        }
        _ => UNDETERMINED,
    }
}

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
