import pytest

from newsstand.core.sections import SECTION_KEYWORDS, section_from_categories

KNOWN = list(SECTION_KEYWORDS)


@pytest.mark.parametrize(
    ("categories", "expected"),
    [
        (["World news"], "world"),
        (["Sci/Tech"], "technology"),
        (["Business"], "business"),
        (["Fußball", "Bundesliga"], "sport"),
        (["Comment is free", "Opinion"], "opinion"),
        (["Health"], "health"),
        (["Entertainment"], "entertainment"),
        (["Local"], ""),
        ([], ""),
    ],
)
def test_declared_categories_map_to_sections(categories, expected):
    assert section_from_categories(categories, KNOWN) == expected


def test_keywords_match_whole_words_only():
    assert section_from_categories(["Worldly goods"], KNOWN) == ""
    assert section_from_categories(["Sportswear retail"], KNOWN) == ""


def test_only_known_sections_are_returned():
    assert section_from_categories(["Sport"], ["world", "business"]) == ""
