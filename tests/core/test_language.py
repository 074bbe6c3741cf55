import pytest

from newsstand.core.language import MAX_CHARS, MIN_LETTERS, detect_language, primary_language

SENTENCES = {
    "en": "The government announced new measures on Tuesday to curb rising prices and rents.",
    "fr": "Le gouvernement a annoncé mardi de nouvelles mesures pour freiner la hausse des prix.",
    "de": "Die Regierung hat am Dienstag neue Maßnahmen gegen steigende Preise angekündigt.",
    "es": "El gobierno anunció el martes nuevas medidas para frenar la subida de los precios.",
    "it": "Il governo ha annunciato martedì nuove misure per frenare l'aumento dei prezzi.",
    "pt": "O governo anunciou na terça-feira novas medidas para conter a alta dos preços.",
    "nl": "De regering heeft dinsdag nieuwe maatregelen aangekondigd tegen de stijgende prijzen.",
    "ru": "Правительство объявило во вторник о новых мерах по сдерживанию роста цен.",  # noqa: RUF001
    "ja": "政府は火曜日、物価の上昇を抑えるための新たな措置を発表した。",
    "ar": "أعلنت الحكومة يوم الثلاثاء عن إجراءات جديدة للحد من ارتفاع الأسعار في البلاد.",
}


@pytest.mark.parametrize(("language", "text"), sorted(SENTENCES.items()))
def test_detects_the_language_of_a_sentence(language, text):
    assert detect_language(text) == language


@pytest.mark.parametrize(("language", "text"), sorted(SENTENCES.items()))
def test_a_clear_text_wins_over_a_wrong_hint(language, text):
    wrong = "fi" if language != "fi" else "sv"
    assert detect_language(text, hint=wrong) == language


@pytest.mark.parametrize("text", ["", "   ", "Paris", "iPhone 15 Pro", "2024-05-01", "🙂🙂🙂"])
def test_too_short_to_tell_is_unknown(text):
    assert detect_language(text) == ""


@pytest.mark.parametrize("text", ["", "Paris", "Covid-19"])
def test_the_hint_wins_when_the_text_is_short(text):
    assert detect_language(text, hint="fr-FR") == "fr"


def test_the_hint_wins_when_the_detector_is_unsure():
    # Long enough to try, but names say little: the detector's confidence stays low.
    text = "Merkel trifft Macron in Berlin"
    assert sum(ch.isalpha() for ch in text) >= MIN_LETTERS
    assert detect_language(text) == ""
    assert detect_language(text, hint="de") == "de"


def test_reads_only_the_start_of_a_long_text():
    spanish = " ".join([SENTENCES["es"]] * (MAX_CHARS // len(SENTENCES["es"]) + 1))
    english = " ".join([SENTENCES["en"]] * 200)
    assert detect_language(spanish + " " + english) == "es"
    assert detect_language(english + " " + spanish) == "en"


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("en", "en"),
        ("EN-gb", "en"),
        ("pt_BR", "pt"),
        ("zh-Hant-TW", "zh"),
        ("fil", "fil"),
        ("", ""),
        ("english", ""),
        ("e", ""),
        ("12", ""),
    ],
)
def test_primary_language_of_a_declared_tag(tag, expected):
    assert primary_language(tag) == expected


def test_a_malformed_hint_is_ignored():
    assert detect_language("Paris", hint="not a language") == ""


# Headlines of the demo corpus (UCI News Aggregator, all English) that py3langid alone
# reads as Nigerian Pidgin: the English publisher's declaration must win (decision 0020).
PIDGIN_LOOKING_ENGLISH = [
    "Taylor Swift named top money maker for 2014",
    "Sbarro files for 2nd bankruptcy in 3 years",
    "Banks say no to cash from weed businesses",
    "Xbox LIVE still down for Xbox One users",
    "Parents say 'no way' to Miley Cyrus",
]


@pytest.mark.parametrize("headline", PIDGIN_LOOKING_ENGLISH)
def test_the_declared_language_is_a_prior_for_a_short_headline(headline):
    assert detect_language(headline, prior_odds=1.0) == "pcm"  # the detector alone
    assert detect_language(headline, hint="en") == "en"
    assert detect_language(headline, hint="en-GB") == "en"


def test_without_a_declaration_the_detector_alone_decides():
    assert detect_language(PIDGIN_LOOKING_ENGLISH[0]) == "pcm"


def test_a_pidgin_publisher_keeps_its_pidgin_headlines():
    # BBC News Pidgin style (MasakhaNEWS): declared pcm, detected pcm.
    headline = "Pound fall to all-time low against dollar - Experts explain di implication"
    assert detect_language(headline, hint="pcm") == "pcm"


def test_a_declared_alias_counts_for_the_detectors_label():
    # Norwegian Bokmål declared as "nb"; py3langid calls it "no". The declared tag is kept.
    text = "Regjeringen la fram et nytt forslag til statsbudsjett for neste år i dag"
    assert detect_language(text, hint="nb") == "nb"
