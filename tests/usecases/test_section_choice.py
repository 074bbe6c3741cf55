"""The operator's section model knows only the sections their feeds declare; an article of
another section still gets it from the shipped model."""

from __future__ import annotations

import pytest

from newsstand.core.classify import SectionClassifier
from newsstand.usecases import enrich

BUSINESS = [
    "Shares fall as the bank reports lower profit",
    "Oil prices rise on supply fears",
    "The company's quarterly revenue beat forecasts",
    "Markets rally after rate cut",
]
ENTERTAINMENT = [
    "The singer releases a new album",
    "Film star wins award at festival",
    "The band announces a world tour",
    "Television drama gets a second season",
]


@pytest.fixture
def operator_model(enrichment):
    examples = [(t, t, "business") for t in BUSINESS * 10]
    examples += [(t, t, "entertainment") for t in ENTERTAINMENT * 10]
    model = SectionClassifier.train(examples)
    path = enrichment.section_model
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(model.to_bytes())
    return model


def test_the_operators_model_is_used_for_its_own_sections(operator_model, enrichment):
    assert enrich.section_classifier(enrichment).sections == operator_model.sections
    slug, _ = enrich.classify_section(
        "Shares fall as the bank reports lower profit", "", config=enrichment
    )
    assert slug == "business"


def test_a_section_the_operator_model_lacks_comes_from_the_shipped_model(
    operator_model, enrichment
):
    assert "sport" not in operator_model.sections
    slug, _ = enrich.classify_section(
        "Striker scores twice as United beat Chelsea in the Premier League",
        "The goalkeeper saved a penalty and the manager praised the team's defence "
        "after the football match at the stadium.",
        config=enrichment,
    )
    assert slug == "sport"
