"""Entity extraction: the light offline method, on sentences written for each rule, and on
the hand-labelled Wikinews set (quality floors well under what it reaches today)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsstand.core.entities import Mention, extract_entities

DATA = Path(__file__).parent.parent / "data" / "entities"


def kinds(title: str, text: str = "") -> dict[str, str]:
    return {m.name: m.kind for m in extract_entities(title, text)}


def test_people_places_and_organisations_with_counts() -> None:
    mentions = extract_entities(
        "Minister visits Kenya",
        "Foreign Minister Celso Amorim met officials of the World Bank in Nairobi, Kenya. "
        "Amorim said the visit went well. Later, Mr. Amorim flew to Lagos.",
    )
    assert Mention("person", "Celso Amorim", 3) in mentions
    assert Mention("place", "Kenya", 2) in mentions
    assert Mention("org", "World Bank", 1) in mentions
    assert Mention("place", "Nairobi", 1) in mentions
    assert Mention("place", "Lagos", 1) in mentions
    assert mentions[0].name == "Celso Amorim"  # most named first


def test_short_forms_merge_into_the_full_name() -> None:
    mentions = extract_entities(
        "",
        "President George W. Bush spoke on Monday. Bush's plan was criticised. "
        "George Bush later left for Texas.",
    )
    assert Mention("person", "George W. Bush", 3) in mentions
    assert [m.name for m in mentions if m.kind == "person"] == ["George W. Bush"]


def test_sentence_initial_common_words_are_not_names() -> None:
    found = kinds("", "Lunch was a traditional barbecue. Some Brazilian ministers were present.")
    assert found == {}


def test_nationality_adjectives_and_bare_titles_are_not_entities() -> None:
    found = kinds("", "The Brazilian President met South Korean Presidents and Costa Rican voters.")
    assert found == {}


def test_title_before_a_name_makes_a_person_and_splits_the_run() -> None:
    found = kinds(
        "",
        "Ohio Republican Secretary of State J. Kenneth Blackwell, Vice-President Dick Cheney "
        "and White House Political Advisor Karl Rove were subpoenaed.",
    )
    assert found == {
        "Ohio": "place",
        "J. Kenneth Blackwell": "person",
        "Dick Cheney": "person",
        "White House": "org",
        "Karl Rove": "person",
    }


def test_president_of_a_country_is_the_country() -> None:
    found = kinds("", "He met the President of the People's Republic of China in Brasília.")
    assert found == {"China": "place", "Brasília": "place"}


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        ("Shares of Acme Holdings rose.", "Acme Holdings", "org"),
        ("She studied at the University of Tartu last year.", "University of Tartu", "org"),
        ("Rain fell on Santa Cruz Street overnight.", "Santa Cruz Street", "place"),
        ("The game between the Detroit Pistons and them ended.", "Detroit Pistons", "org"),
        ("They signed with German airline Lufthansa yesterday.", "Lufthansa", "org"),
        ("He works for Agência Estado now.", "Agência Estado", "org"),
        ("The deal was struck by Foo Bar Ltd this week.", "Foo Bar Ltd", "org"),
        ("Talks were held in Cabixi this week.", "Cabixi", "place"),
        ("The plane landed at John F. Kennedy airport late.", "John F. Kennedy", "place"),
        ("It came, said Uralsib analyst Chris Weafer.", "Chris Weafer", "person"),
        ("It came, said Uralsib analyst Chris Weafer.", "Uralsib", "org"),
        ("Later Roh Moo-hyun arrived.", "Roh Moo-hyun", "person"),
        ("Police in Mumbai, India, acted.", "Mumbai", "place"),
    ],
)
def test_cues_type_the_name(text: str, name: str, kind: str) -> None:
    assert kinds("", text).get(name) == kind


def test_acronym_in_parentheses_merges_with_its_name() -> None:
    mentions = extract_entities(
        "",
        "Members of the Landless Workers Movement (MST) marched. The MST said it would return.",
    )
    assert mentions == [Mention("org", "Landless Workers Movement", 3)]


def test_possessives_hyphens_and_aliases() -> None:
    found = kinds("", "Japan's Diet met in the Delhi-based office with U.S. envoys and UK staff.")
    assert found == {
        "Japan": "place",
        "Diet": "org",
        "Delhi": "place",
        "United States": "place",
        "United Kingdom": "place",
    }


def test_months_days_and_numbers_end_names() -> None:
    found = kinds("", "On Saturday February 3 the Airbus A330 flew to Paris in June.")
    assert found == {"Airbus": "org", "Paris": "place"}


def test_title_case_headline_only_counts_known_names() -> None:
    mentions = extract_entities(
        "Colin Powell Resigns As Secretary Of State, Rice Likely Successor",
        "Colin Powell submitted his resignation on Monday.",
    )
    assert mentions == [Mention("person", "Colin Powell", 2)]


def test_other_languages_get_nothing() -> None:
    text = "Angela Merkel besuchte Berlin und sprach mit der Presse."
    assert extract_entities("", text, language="de") == []
    assert extract_entities("", text, language="en-GB") != []


def test_empty_and_lower_case_text() -> None:
    assert extract_entities("", "") == []
    assert extract_entities("nothing here", "all in lower case, no names at all.") == []


def _score(path: Path) -> tuple[float, float]:
    predicted = right = gold = found = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        sample = json.loads(line)
        names = [
            {g["name"].casefold(), *(a.casefold() for a in g["aliases"])}
            for g in sample["entities"]
        ]
        optional = {o.casefold() for o in sample["optional"]}
        hit: set[int] = set()
        for mention in extract_entities(sample["title"], sample["text"]):
            key = mention.name.casefold()
            matches = [
                i
                for i, n in enumerate(names)
                if key in n and sample["entities"][i]["kind"] == mention.kind
            ]
            if not matches and key in optional:
                continue
            predicted += 1
            right += bool(matches)
            hit.update(matches)
        gold += len(names)
        found += len(hit)
    return right / predicted, found / gold


@pytest.mark.parametrize("name", ["wikinews-labelled.jsonl", "wikinews-holdout.jsonl"])
def test_quality_on_the_hand_labelled_sets(name: str) -> None:
    precision, recall = _score(DATA / name)
    assert precision >= 0.85, precision
    assert recall >= 0.8, recall


@pytest.mark.parametrize("name", ["demo-headlines.jsonl", "demo-headlines-holdout.jsonl"])
def test_precision_on_the_demo_headlines(name: str) -> None:
    # Headlines say little and Title Case hides names: recall is low by design (0.41 at
    # decision 0020), precision is what counts. Floors under what it reaches (0.875 both).
    precision, recall = _score(DATA / name)
    assert precision >= 0.85, precision
    assert recall >= 0.35, recall


# --- headlines (decision 0020) --------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "Taylor Swift Tops Billboard's 2014 'Money Makers' List",
        "Prince George and Kate visit Australia",
        "Stacy Keibler Weds Jared Pobre Months After George Clooney Split",
    ],
)
def test_a_first_name_alone_is_not_a_place(title: str) -> None:
    found = kinds(title)
    assert found.get("Taylor") != "place" and found.get("George") != "place", found


def test_a_first_name_after_a_place_preposition_may_be_the_town() -> None:
    assert kinds("Floods cut roads in George and Knysna", "")["George"] == "place"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("WATCH: Kim Kardashian arrives in Paris", {"Kim Kardashian": "person", "Paris": "place"}),
        ("VIDEO: Apple unveils new iPad", {"Apple": "org"}),
        ("UPDATE 2-GM recalls 1.5 mln vehicles", {"GM": "org"}),
        ("BREAKING: Fed holds rates", {"Federal Reserve": "org"}),
        ("IRELAND: Fyffes agrees merger", {"Ireland": "place"}),
    ],
)
def test_a_headline_label_in_capitals_is_no_organisation(title: str, expected: dict) -> None:
    found = kinds(title)
    assert not {"WATCH", "VIDEO", "UPDATE", "BREAKING"} & set(found), found
    for name, kind in expected.items():
        assert found.get(name) == kind, found


def test_a_listed_acronym_counts_only_in_capitals() -> None:
    assert "World Health Organization" not in kinds("The Bachelor Finale: Who Will He Choose?")
    assert kinds("WHO warns of a measles outbreak")["World Health Organization"] == "org"


def test_a_question_opening_with_will_is_not_a_name() -> None:
    assert "Will Chaori" not in kinds("Will Chaori default spell reform for China's debt markets?")
    assert kinds("Will Smith joins the cast of the sequel")["Will Smith"] == "person"


def test_a_person_of_an_organisation_is_two_entities() -> None:
    found = kinds("x", "Claudia Mo of the Civic Party won a seat, and the Bank of England spoke.")
    assert found["Claudia Mo"] == "person"
    assert found["Civic Party"] == "org"
    assert found["Bank of England"] == "org"


def test_museums_and_space_centres_are_places() -> None:
    found = kinds("x", "The shuttle goes to the Kennedy Space Center and the Tang Teaching Museum.")
    assert found["Kennedy Space Center"] == "place"
    assert found["Tang Teaching Museum"] == "place"
