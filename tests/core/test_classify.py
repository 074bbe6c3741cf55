import hashlib
import io
import json
import zipfile
from importlib import resources

import numpy as np
import pytest

from newsstand.cli.classify import classify_lines
from newsstand.core.classification.features import article_terms, tokens
from newsstand.core.classify import (
    CATEGORY_ODDS,
    BadModel,
    FeedVotes,
    NotEnoughExamples,
    SectionChoice,
    SectionClassifier,
    TrainingOptions,
    choose_section,
    decide_section,
)
from newsstand.core.sections import SECTION_KEYWORDS

DEFAULT_SECTIONS = set(SECTION_KEYWORDS)  # the default taxonomy's ten slugs

# Our own headlines, one clear case per section.
HEADLINES = [
    (
        "sport",
        "Striker scores twice as City win the league title",
        "The goalkeeper and the manager were praised after the match.",
    ),
    ("sport", "Tennis champion reaches Wimbledon final", ""),
    (
        "business",
        "Shares fall as bank reports lower quarterly profit",
        "Investors sold the stock after the chief executive cut the revenue forecast.",
    ),
    (
        "technology",
        "New smartphone chip promises faster apps",
        "The software update also fixes a security flaw in the browser.",
    ),
    (
        "health",
        "Hospital doctors warn of rise in flu cases this winter",
        "Patients with symptoms should seek treatment and get the vaccine.",
    ),
    ("science", "Astronomers find water on a distant planet with space telescope", ""),
    (
        "politics",
        "Senate passes budget bill after long debate",
        "Lawmakers voted on the legislation before the election campaign.",
    ),
    (
        "world",
        "Ceasefire collapses as rebels attack troops near border",
        "The United Nations called for peace talks and aid for refugees.",
    ),
    (
        "entertainment",
        "Actress wins Oscar for role in box office hit",
        "The film director thanked the cast at the awards ceremony in Hollywood.",
    ),
    (
        "culture",
        "Museum opens exhibition of paintings by the sculptor",
        "The gallery also shows the artist's sketchbooks and poems.",
    ),
]

# A small operator corpus with a section the default model does not have.
OPERATOR = [
    (
        "New hatchback tested on mountain roads",
        "The car's engine and gearbox impressed our reviewer.",
        "motoring",
    ),
    (
        "Electric SUV gets longer range",
        "The carmaker's new battery adds miles between charges.",
        "motoring",
    ),
    (
        "Road test: the family estate car",
        "Boot space, fuel economy and a smooth gearbox.",
        "motoring",
    ),
    (
        "Classic sports car sells at auction",
        "The coupe with its original engine fetched a record.",
        "motoring",
    ),
    (
        "Slow-cooked lamb with rosemary",
        "A recipe for the oven: garlic, potatoes and a glass of wine.",
        "food",
    ),
    ("Five easy pasta sauces", "Tomatoes, basil and olive oil make a quick dinner recipe.", "food"),
    (
        "The perfect chocolate cake",
        "Bake the sponge, then whisk the cream and melt the chocolate.",
        "food",
    ),
    (
        "Street food market opens downtown",
        "Dumplings, tacos and noodles from the stalls, with dessert.",
        "food",
    ),
]


@pytest.fixture(scope="module")
def default():
    return SectionClassifier.load_default()


@pytest.fixture(scope="module")
def operator_model():
    return SectionClassifier.train(OPERATOR)


# --- the shipped model -------------------------------------------------------------------


def test_default_model_knows_the_default_taxonomy(default):
    assert set(default.sections) == DEFAULT_SECTIONS
    assert default.weights.shape == (len(default.sections), len(default.space.terms))
    assert "UCI News Aggregator" in default.about["trained_on"]
    assert "AG" not in default.about["trained_on"] and "BBC" not in default.about["trained_on"]


def test_default_model_was_built_from_the_committed_seed_lexicon(default):
    seeds = resources.files("newsstand.data").joinpath("models", "section-seeds.txt")
    assert default.about["seeds_sha256"] == hashlib.sha256(seeds.read_bytes()).hexdigest()


def test_default_model_is_plain_arrays_not_a_pickle():
    data = resources.files("newsstand.data").joinpath("models", "sections-default.zip").read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = sorted(archive.namelist())
    assert names == ["bias.npy", "idf.npy", "model.json", "terms.txt", "weights.npy"]
    assert len(data) < 5_000_000


@pytest.mark.parametrize(
    ("section", "title", "text"), HEADLINES, ids=[h[1][:30] for h in HEADLINES]
)
def test_default_model_places_clear_headlines(default, section, title, text):
    slug, confidence = default.predict(title, text)
    assert slug == section
    assert 0.5 < confidence <= 1.0


def test_probabilities_sum_to_one(default):
    probabilities = default.probabilities(*HEADLINES[0][1:])
    assert probabilities.shape == (len(default.sections),)
    assert probabilities.sum() == pytest.approx(1.0)
    assert (probabilities >= 0).all()


def test_prediction_is_limited_to_the_allowed_sections(default):
    title, text = "Senate passes budget bill after long debate", "Lawmakers voted on it."
    slug, confidence = default.predict(title, text, sections={"sport", "business"})
    assert slug in {"sport", "business"}
    probabilities = dict(zip(default.sections, default.probabilities(title, text), strict=True))
    expected = max(probabilities["sport"], probabilities["business"])
    assert confidence == pytest.approx(
        expected / (probabilities["sport"] + probabilities["business"])
    )


def test_no_allowed_section_known_gives_no_section(default):
    assert default.predict("Anything at all", "", sections={"motoring"}) == ("", 0.0)


def test_text_without_known_words_still_gets_a_section(default):
    slug, confidence = default.predict("", "")
    assert slug in DEFAULT_SECTIONS
    assert 0.0 < confidence < 1.0


def test_batch_and_single_predictions_agree(default):
    pairs = [(title, text) for _, title, text in HEADLINES] + [("", ""), ("Ωμέγα", "")]
    batch = default.predict_many(pairs)
    for (title, text), (slug, confidence) in zip(pairs, batch, strict=True):
        single_slug, single_confidence = default.predict(title, text)
        assert slug == single_slug
        assert confidence == pytest.approx(single_confidence, rel=1e-4)
    assert default.predict_many([]) == []


# --- features ----------------------------------------------------------------------------


def test_tokens_lower_case_drop_stop_words_and_fold_numbers():
    assert tokens("The 2024 World-Cup's Final", frozenset({"the", "s"})) == [
        "0",
        "world",
        "cup",
        "final",
    ]


def test_title_counts_twice_and_the_text_is_cut():
    counts = article_terms("Budget vote", "budget " * 10, text_words=3)
    assert counts["vote"] == 2
    assert counts["budget"] == 2 + 3
    assert counts["budget vote"] == 2
    assert counts["budget budget"] == 2


# --- training (weak supervision from the operator's own articles) ------------------------


def test_training_on_operator_articles_learns_their_sections(operator_model):
    assert operator_model.sections == ("food", "motoring")
    assert operator_model.predict("A new coupe with a bigger engine", "")[0] == "motoring"
    assert operator_model.predict("Recipe: lemon tart", "Bake with butter and sugar.")[0] == "food"


def test_training_is_deterministic():
    first = SectionClassifier.train(OPERATOR).to_bytes()
    second = SectionClassifier.train(list(OPERATOR)).to_bytes()
    assert first == second


def test_training_needs_two_sections():
    with pytest.raises(NotEnoughExamples):
        SectionClassifier.train([(t, x, "food") for t, x, s in OPERATOR if s == "food"])
    with pytest.raises(NotEnoughExamples):
        SectionClassifier.train([])
    with pytest.raises(NotEnoughExamples):  # no word in two examples
        SectionClassifier.train(
            [("alpha", "", "a"), ("beta", "", "b")], options=TrainingOptions(min_df=2)
        )


def test_a_model_with_words_unknown_to_it_still_answers():
    model = SectionClassifier.train([("alpha", "", "a"), ("beta", "", "b")])
    loaded = SectionClassifier.from_bytes(model.to_bytes())
    assert loaded.predict("alpha", "")[0] == "a"
    slug, confidence = loaded.predict("gamma", "", sections={"b"})
    assert (slug, confidence) == ("b", 1.0)


def test_three_sections_and_options():
    examples = [
        *OPERATOR,
        ("Tories and Labour clash", "Parliament vote on the bill.", "politics"),
        ("Minister resigns", "The party leader faces a vote in parliament.", "politics"),
    ]
    model = SectionClassifier.train(examples, options=TrainingOptions(c=5.0, text_words=50))
    assert model.sections == ("food", "motoring", "politics")
    assert model.predict("Labour wins the parliament vote", "")[0] == "politics"


# --- storage -----------------------------------------------------------------------------


def test_saved_model_loads_with_the_same_predictions(operator_model):
    loaded = SectionClassifier.from_bytes(operator_model.to_bytes())
    assert loaded.sections == operator_model.sections
    assert loaded.space.terms == operator_model.space.terms
    for title, text, _ in OPERATOR:
        assert loaded.predict(title, text)[0] == operator_model.predict(title, text)[0]
        assert loaded.predict(title, text)[1] == pytest.approx(
            operator_model.predict(title, text)[1], abs=1e-3
        )


def _rezip(model_bytes: bytes, replace: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(model_bytes)) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            target.writestr(name, replace.get(name, source.read(name)))
    return out.getvalue()


def _npy(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=True)
    return buffer.getvalue()


def test_bad_bytes_are_refused(operator_model):
    good = operator_model.to_bytes()
    header = json.loads(zipfile.ZipFile(io.BytesIO(good)).read("model.json"))
    cases = {
        "not a zip": b"not a zip file",
        "empty": b"",
        "other format": _rezip(
            good, {"model.json": json.dumps({**header, "format": "x/1"}).encode()}
        ),
        "shapes": _rezip(good, {"bias.npy": _npy(np.zeros(5, dtype=np.float32))}),
        "pickled objects": _rezip(good, {"idf.npy": _npy(np.array([object()], dtype=object))}),
        "no stop words": _rezip(
            good, {"model.json": json.dumps({**header, "stop_words": None}).encode()}
        ),
    }
    for name, data in cases.items():
        with pytest.raises(BadModel):
            SectionClassifier.from_bytes(data)
        assert name  # each case named for the reader of a failure


def test_missing_member_is_refused(operator_model):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("model.json", "{}")
    with pytest.raises(BadModel):
        SectionClassifier.from_bytes(out.getvalue())


# --- choosing a section --------------------------------------------------------------------


def test_a_true_section_feeds_section_wins(default):
    # The classifier agreed with this feed's section on 19 of its 20 articles.
    section_feed = FeedVotes("business", votes=20, agreements=19)
    assert section_feed.trusted
    choice = choose_section(
        title="Striker scores twice as City win the league",
        text="",
        known=DEFAULT_SECTIONS,
        categories=["Sport"],
        classifier=default,
        feed=section_feed,
    )
    assert (choice.slug, choice.source) == ("business", "feed")


def test_a_feeds_folder_does_not_decide_against_the_article(default):
    # A general feed filed under Business: a clear sport headline stays sport...
    choice = choose_section(
        title="Striker scores twice as City win the league",
        text="",
        known=DEFAULT_SECTIONS,
        declared="business",
        classifier=default,
    )
    assert (choice.slug, choice.source) == ("sport", "classifier")
    # ...and so do the categories when they disagree with a clear text.
    by_model = choose_section(
        title="Striker scores twice as City win the league",
        text="",
        known=DEFAULT_SECTIONS,
        categories=["Local", "Business news"],
        classifier=default,
    )
    assert (by_model.slug, by_model.source) == ("sport", "classifier")
    assert 0.5 < by_model.confidence <= 1.0


def test_without_a_classifier_only_a_true_section_feed_or_the_categories_decide():
    known = DEFAULT_SECTIONS
    assert choose_section(title="Anything", text="", known=known).slug == ""
    assert choose_section(title="Anything", text="", known=known, declared="world").slug == ""
    trusted = FeedVotes("world", votes=30, agreements=30)
    assert choose_section(title="A", text="", known=known, feed=trusted).slug == "world"
    by_category = choose_section(title="A", text="", known=known, categories=["Business news"])
    assert (by_category.slug, by_category.source) == ("business", "categories")


def test_an_unsure_classifier_leaves_no_section(default):
    choice = choose_section(
        title="", text="", known=DEFAULT_SECTIONS, classifier=default, min_confidence=0.9
    )
    assert (choice.slug, choice.source, choice.confidence) == ("", "", 0.0)


# --- decide_section: the odds ----------------------------------------------------------------

UNSURE = {"sport": 0.5, "business": 0.3, "world": 0.2}


def test_the_classifier_alone_takes_its_first_choice():
    choice = decide_section(UNSURE)
    assert (choice.slug, choice.source) == ("sport", "classifier")
    assert choice.confidence == pytest.approx(0.5)


def test_the_entrys_categories_multiply_the_odds_of_their_section():
    choice = decide_section(UNSURE, category="business")
    assert (choice.slug, choice.source) == ("business", "categories")
    assert choice.confidence == pytest.approx(0.3 * CATEGORY_ODDS / (0.3 * CATEGORY_ODDS + 0.7))
    # A section the classifier gives nothing still has a floor for a declaration to lift.
    floor = decide_section({"sport": 0.99, "science": 0.0}, category="science")
    assert floor.slug == "sport"  # 0.99 against 0.01 x 20
    lifted = decide_section({"sport": 0.15, "science": 0.0, "world": 0.85}, category="science")
    assert lifted.slug == "world"
    assert lifted.confidence < 0.85


def test_a_new_feeds_section_is_a_prior_that_grows_with_agreement():
    new = FeedVotes("world")
    assert not new.trusted
    assert new.odds(3) == pytest.approx(2.0)  # one half against the rest spread over two
    # 0.2 x 2 = 0.4 does not beat 0.5: the article's own evidence wins.
    assert decide_section(UNSURE, feeds=[new]).slug == "sport"
    agreeing = FeedVotes("world", votes=18, agreements=13)  # agreement 14/20, not yet trusted
    assert not agreeing.trusted
    choice = decide_section(UNSURE, feeds=[agreeing])
    assert (choice.slug, choice.source) == ("world", "feed")
    disagreeing = FeedVotes("world", votes=40, agreements=4)
    assert decide_section(UNSURE, feeds=[disagreeing]).slug == "sport"


@pytest.mark.parametrize(
    ("votes", "agreements", "trusted"),
    [(20, 15, True), (100, 75, True), (19, 19, False), (20, 14, False), (0, 0, False)],
)
def test_a_true_section_feed_is_learnt_from_agreement(votes, agreements, trusted):
    feed = FeedVotes("world", votes=votes, agreements=agreements)
    assert feed.trusted is trusted
    if trusted:  # it wins even where the classifier gives its section nothing
        choice = decide_section({"sport": 1.0, "world": 0.0}, feeds=[feed])
        assert (choice.slug, choice.source) == ("world", "feed")
        assert choice.confidence == pytest.approx(feed.agreement)


def test_a_feed_declaring_an_unknown_section_is_ignored():
    feed = FeedVotes("motoring", votes=50, agreements=50)
    assert decide_section(UNSURE, feeds=[feed]).slug == "sport"
    assert decide_section({}, feeds=[feed]) == SectionChoice("", "", 0.0)


# --- `newsstand classify` (classify_lines) -------------------------------------------------


def _run(lines, **kwargs):
    stdout, stderr = io.StringIO(), io.StringIO()
    code = classify_lines(io.StringIO("".join(lines)), stdout, stderr=stderr, **kwargs)
    return code, [json.loads(line) for line in stdout.getvalue().splitlines()], stderr.getvalue()


def test_classify_lines_writes_section_and_language_per_line():
    lines = [
        json.dumps({"id": 7, "title": HEADLINES[0][1], "text": HEADLINES[0][2]}) + "\n",
        json.dumps(
            {
                "id": "b",
                "title": "Le gouvernement présente son budget",
                "text": "Le ministre a présenté mardi le projet de loi de finances pour l'année prochaine.",
            }
        )
        + "\n",
        json.dumps(
            {"id": "c", "title": "Tennis champion reaches Wimbledon final", "language": "en-GB"}
        )
        + "\n",
    ]
    code, records, errors = _run(lines)
    assert code == 0 and errors == ""
    assert records[0] == {"id": 7, "section": "sport", "language": "en"}
    assert records[1]["id"] == "b" and records[1]["language"] == "fr"
    assert records[2] == {"id": "c", "section": "sport", "language": "en"}


def test_classify_lines_reports_bad_lines_and_goes_on():
    good = json.dumps({"id": 1, "title": "Shares fall as bank profit drops", "text": ""})
    lines = [
        "not json\n",
        "[1, 2]\n",
        json.dumps({"title": "no id"}) + "\n",
        json.dumps({"id": True, "title": "boolean id"}) + "\n",
        json.dumps({"id": 2, "title": 5}) + "\n",
        json.dumps({"id": 3, "title": " ", "text": ""}) + "\n",
        "\n",
        good + "\n",
    ]
    code, records, errors = _run(lines)
    assert code == 1
    assert records == [{"id": 1, "section": "business", "language": ""}]
    reported = [line.split(":")[0] for line in errors.splitlines()]
    assert reported == ["line 1", "line 2", "line 3", "line 4", "line 5", "line 6"]


def test_classify_lines_uses_the_given_classifier_and_sections(operator_model):
    line = json.dumps({"id": 1, "title": "Electric coupe with a new engine", "text": ""}) + "\n"
    code, records, _ = _run([line], classifier=operator_model)
    assert code == 0 and records[0]["section"] == "motoring"
    code, records, _ = _run([line], classifier=operator_model, sections={"food"})
    assert records[0]["section"] == "food"


def test_classify_lines_keeps_order_across_batches():
    lines = [
        json.dumps({"id": i, "title": f"Match report {i}: the striker scores"}) + "\n"
        for i in range(1100)
    ]
    code, records, _ = _run(lines)
    assert code == 0
    assert [r["id"] for r in records] == list(range(1100))
