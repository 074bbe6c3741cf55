"""The article page as a reading view: standfirst, reading time, language, figures, rights."""

from __future__ import annotations

from dataclasses import replace

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


def test_rights_language_figures_and_lead_image(
    client: Client, make_article, ready_picture
) -> None:
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
    picture = ready_picture("https://img.example/a.jpg", width=960, height=640)
    doc = _doc(client, article)
    assert _text(doc, ".//p[@class='rights']") == "Text © Wikinews contributors, CC BY 2.5"
    assert _text(doc, ".//span[@class='language']") == "French"
    assert doc.find(".//article").get("lang") == "fr"
    assert _text(doc, ".//div[@class='body']//figcaption") == "The harbour at dawn."
    assert _text(doc, ".//div[@class='body']/h2") == "What's new"
    # The lead picture is already a figure of the text: shown once, with its caption,
    # from Newsstand's picture cache, its shape given, its alternative text kept.
    images = [i for i in doc.iter("img") if picture.key in (i.get("src") or "")]
    assert len(images) == 1
    (image,) = images
    assert image.get("src") == f"/img/{picture.key}/480.webp"
    assert f"/img/{picture.key}/960.webp 960w" in image.get("srcset")
    assert (image.get("width"), image.get("height"), image.get("alt")) == ("960", "640", "Harbour")
    assert image.get("loading") == "lazy"
    assert "img.example" not in client.get(f"/article/{article.id}/").content.decode()


def test_figures_not_fetched_yet_are_left_out_with_their_captions_kept(
    client: Client, make_article
) -> None:
    article = make_article(
        content=(
            '<figure><img src="https://img.example/c.jpg" alt="Dock">'
            "<figcaption>The dock.</figcaption></figure>"
        )
    )
    doc = _doc(client, article)
    assert not [i for i in doc.iter("img") if "img.example" in (i.get("src") or "")]
    assert _text(doc, ".//div[@class='body']//figcaption") == "The dock."


def test_lead_image_shown_when_not_in_the_text(client: Client, make_article, ready_picture) -> None:
    article = make_article(content="<p>Text.</p>", image="https://img.example/b.jpg")
    picture = ready_picture("https://img.example/b.jpg")
    doc = _doc(client, article)
    lead = doc.find(".//img[@class='picture picture-article']")
    assert lead.get("src") == f"/img/{picture.key}/480.webp"
    assert lead.get("fetchpriority") == "high"
    assert doc.find(".//p[@class='rights']") is None
    assert doc.find(".//span[@class='language']") is None


def test_publishers_pictures_linked_directly_when_the_operator_says_so(
    client: Client, make_article, settings
) -> None:
    settings.NEWSSTAND = replace(settings.NEWSSTAND, images="direct")
    article = make_article(
        content='<p>Text.</p><img src="https://img.example/e.jpg" alt="">',
        image="https://img.example/d.jpg",
    )
    doc = _doc(client, article)
    sources = [i.get("src") for i in doc.iter("img")]
    assert "https://img.example/d.jpg" in sources
    assert "https://img.example/e.jpg" in sources
    lead = doc.find(".//img[@class='picture picture-article']")
    assert lead.get("referrerpolicy") == "no-referrer"


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
