"""The article page as a reading view: standfirst, reading time, language, figures, rights."""

from __future__ import annotations

import html5lib
import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _doc(client: Client, article):
    response = client.get(f"/article/{article.id}/")
    assert response.status_code == 200
    return html5lib.parse(response.content.decode(), namespaceHTMLElements=False)


def _text(doc, xpath: str) -> str | None:
    element = doc.find(xpath)
    return None if element is None else " ".join("".join(element.itertext()).split())


def test_summary_stands_first_when_it_adds_to_the_full_text(client: Client, make_article) -> None:
    article = make_article(
        summary="<p>Ministers &amp; unions <b>agree</b> a deal.</p>",
        content="<p>The talks lasted all night in the capital.</p><p>More text.</p>",
    )
    doc = _doc(client, article)
    assert _text(doc, ".//p[@class='standfirst']") == "Ministers & unions agree a deal."
    assert doc.find(".//p[@class='standfirst']/b") is None  # plain text


@pytest.mark.parametrize(
    "summary",
    [
        "<p>The talks lasted all night in the capital.</p>",  # the same text twice
        "<p>The talks lasted all night in the […]</p>",  # a teaser cut from it
        "<p>The   talks lasted ALL night in the capital. Read more</p>",
    ],
)
def test_summary_repeating_the_text_is_not_shown_twice(
    client: Client, make_article, summary: str
) -> None:
    article = make_article(
        summary=summary, content="<p>The talks lasted all night in the capital.</p>"
    )
    doc = _doc(client, article)
    assert doc.find(".//p[@class='standfirst']") is None
    assert _text(doc, ".//div[@class='body']") == "The talks lasted all night in the capital."


def test_without_full_text_the_summary_is_the_body_not_a_standfirst(
    client: Client, make_article
) -> None:
    article = make_article(summary="<p>Only the teaser.</p>", content="")
    doc = _doc(client, article)
    assert doc.find(".//p[@class='standfirst']") is None
    assert _text(doc, ".//div[@class='body']") == "Only the teaser."


@pytest.mark.parametrize(
    ("word_count", "content", "minutes"),
    [
        (1150, "<p>short</p>", 5),  # 1150 / 230
        (1151, "<p>short</p>", 6),
        (12, "<p>short</p>", 1),
        (0, "<p>" + "word " * 700 + "</p>", 4),  # counted from the text: 700 / 230
        (0, "", 1),
    ],
)
def test_reading_time(client: Client, make_article, word_count, content, minutes) -> None:
    article = make_article(word_count=word_count, content=content)
    doc = _doc(client, article)
    assert _text(doc, ".//span[@class='reading-time']") == f"{minutes} min read"


def test_rights_language_figures_and_lead_image(client: Client, make_article) -> None:
    figure = (
        '<figure><img src="https://img.example/a.jpg" alt="Harbour">'
        "<figcaption>The harbour at dawn.</figcaption></figure>"
    )
    article = make_article(
        content=f"<p>Intro.</p>{figure}<h2>What's new</h2><p>After.</p>",
        image="https://img.example/a.jpg",
        rights="Text © Wikinews contributors, CC BY 2.5",
        language="fr",
    )
    doc = _doc(client, article)
    assert _text(doc, ".//p[@class='rights']") == "Text © Wikinews contributors, CC BY 2.5"
    assert _text(doc, ".//span[@class='language']") == "Français"
    assert doc.find(".//article").get("lang") == "fr"
    assert _text(doc, ".//div[@class='body']//figcaption") == "The harbour at dawn."
    assert _text(doc, ".//div[@class='body']/h2") == "What's new"
    # The lead image is already a figure of the text: shown once, with its caption.
    assert doc.find(".//figure[@class='lead']") is None
    assert len([i for i in doc.iter("img") if i.get("src") == "https://img.example/a.jpg"]) == 1


def test_lead_image_shown_when_not_in_the_text(client: Client, make_article) -> None:
    article = make_article(content="<p>Text.</p>", image="https://img.example/b.jpg")
    doc = _doc(client, article)
    assert doc.find(".//figure[@class='lead']/img").get("src") == "https://img.example/b.jpg"
    assert doc.find(".//p[@class='rights']") is None
    assert doc.find(".//span[@class='language']") is None


def test_plain_text_fields_are_escaped(client: Client, make_article) -> None:
    article = make_article(
        content="<p>Text.</p>",
        summary="<p>&lt;script&gt;alert(1)&lt;/script&gt; news</p>",
        rights="<b>bold</b> rights",
        language="en",
    )
    html = client.get(f"/article/{article.id}/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; news" in html
    assert "&lt;b&gt;bold&lt;/b&gt; rights" in html
    assert "<script>alert" not in html
