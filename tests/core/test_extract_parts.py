"""The parts of extraction: the teaser decision, chrome removal, the second-opinion rule,
metadata, figures and restored structure."""

import re
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree, html

from newsstand.core.extract import TEASER_WORDS, extract_article, needs_full_text
from newsstand.core.extraction.blocks import fragment_text
from newsstand.core.extraction.chrome import is_chrome_text, remove_chrome
from newsstand.core.extraction.figures import insert_figures
from newsstand.core.extraction.metadata import page_metadata
from newsstand.core.extraction.select import choose
from newsstand.core.extraction.structure import restore_quotes, restore_structure
from newsstand.core.extraction.words import count_words
from newsstand.core.teaser import ends_as_teaser

SENTENCE = "The committee met on Thursday to review the harbour plans in detail. "
LONG = "<p>" + " ".join(["word"] * (TEASER_WORDS + 20)) + "</p>"


# --- needs_full_text -------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["always", "never"])
def test_fixed_modes(mode):
    assert needs_full_text(mode=mode, summary_html="", content_html=LONG) is (mode == "always")


def test_auto_fetches_a_short_teaser():
    assert needs_full_text(mode="auto", summary_html="<p>Ten words of teaser.</p>", content_html="")


def test_auto_keeps_a_full_feed_text():
    assert not needs_full_text(mode="auto", summary_html="<p>Teaser.</p>", content_html=LONG)


@pytest.mark.parametrize(
    "ending",
    ["Read more", "Continue reading →", "[…]", "[...]", "…", "Read the full story", "Keep reading"],
)
def test_auto_fetches_a_long_text_that_ends_with_read_more(ending):
    content = LONG.replace("</p>", f" {ending}</p>")
    assert needs_full_text(mode="auto", summary_html="", content_html=content)


# The single case-insensitive expression the quicker check replaced: the two must agree.
_ONE_EXPRESSION = re.compile(
    r"(read|see|view|continue|keep)\s+(the\s+)?(more|full|rest|reading|article|story|on)\b"
    r"|\[\s*(…|\.\.\.|&hellip;|more)\s*\]|(…|\.\.\.)\s*$|»\s*$|→\s*$",
    re.IGNORECASE,
)
_PIECES = [
    "Read", "read", "SEE", "view", "Continue", "keep", "the", "The", "more", "MORE", "full",
    "rest", "reading", "article", "story", "on", "online", "moreover", "[", "]", "…", "...",
    "&hellip;", "»", "→", " ", "  ", "\n", "\t", "word", ".", "x", "é", "readmore",
]  # fmt: skip


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40))
def test_the_end_of_a_teaser_is_found_as_one_expression_finds_it(pieces):
    text = "".join(pieces)
    expected = bool(_ONE_EXPRESSION.search(text[-120:]))
    assert ends_as_teaser(text) is expected


@pytest.mark.parametrize(("words", "teaser"), [(TEASER_WORDS - 1, True), (TEASER_WORDS, False)])
def test_auto_counts_words_at_the_boundary_of_the_shortest_text(words, teaser):
    # one-letter words: TEASER_WORDS of them are the shortest text that is not a teaser
    text = " ".join(["a"] * words)
    assert needs_full_text(mode="auto", summary_html=text, content_html="") is teaser
    assert needs_full_text(mode="auto", summary_html="", content_html=f"<p>{text}</p>") is teaser


def test_auto_uses_the_longer_of_summary_and_content():
    assert not needs_full_text(mode="auto", summary_html=LONG, content_html="<p>Short.</p>")


# --- chrome ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Get all your news in one place",
        "Sign up to read this article",
        "Already a member? Sign in here",
        "Related Stories",
        "Top stories right now",
        "Download the app",
        "Sign up for our free Morning Briefing newsletter",
        "Get all your news in one place. Download the app.",
        "Newsletter | Subscribe",
        "Download the Newsfold app for breaking news alerts",
        "Advertisement",
        "Story continues below advertisement",
        "Get the latest updates right in your inbox. Subscribe to The Courier\u2019s newsletters.",
        "Click here to subscribe to the Harbour Gazette newsletter",
        "Comments",
        "12 comments",
        "Leave a reply",
        "Like this: Like Loading...",
        "Tell us what you think...",
    ],
)
def test_chrome_sentences(text):
    assert is_chrome_text(text)


@pytest.mark.parametrize(
    "text",
    [
        "What's new",
        "The background",
        "Contact the reporter at jane@example.org.",
        "The council said residents could download the app from the city's website.",
        "Readers who signed up for the newsletter in 2019 were told their data had leaked.",
        "Top officials met on Monday.",
        "The comments section of the council's website was closed.",
        "Residents said they would like this plan to go ahead.",
        "",
    ],
)
def test_prose_is_not_chrome(text):
    assert not is_chrome_text(text)


def test_remove_chrome_drops_a_related_list_and_keeps_the_rest():
    fragment = html.fragment_fromstring(
        "<div><p>First paragraph of the story.</p><h3>Related Stories</h3>"
        "<ul><li><a href='/1'>Other story one here</a></li><li><a href='/2'>Other story two</a></li></ul>"
        "<p>Top stories right now</p><p>Second paragraph of the story.</p></div>"
    )
    assert remove_chrome(fragment) == 2
    assert (
        fragment_text(fragment) == "First paragraph of the story.\nSecond paragraph of the story."
    )


def test_remove_chrome_recognises_links_by_the_page_link_texts():
    fragment = html.fragment_fromstring(
        "<div><p>Story text.</p><p><strong>Related Stories</strong></p>"
        "<p>Ferry car park closes for works</p><p>Story goes on here.</p></div>"
    )
    remove_chrome(fragment, lambda: frozenset({"ferry car park closes for works"}))
    assert fragment_text(fragment) == "Story text.\nStory goes on here."


# --- second opinion --------------------------------------------------------------------


def _text(n: int, offset: int = 0) -> str:
    return " ".join(f"w{i}" for i in range(offset, offset + n))


def test_choose_readability_when_trafilatura_adds_furniture():
    article = _text(400)
    assert choose(article + " " + _text(150, 10_000), article)


def test_keep_trafilatura_when_readability_kept_one_section():
    article = _text(1000)
    assert not choose(article, _text(300))


def test_choose_readability_when_trafilatura_missed_half():
    article = _text(900)
    assert choose(_text(300), article)


def test_choose_readability_when_trafilatura_adds_a_menu_of_any_size():
    # A site menu read as the article: many more words than the article, all labels.
    menu = "\n".join(f"Section {i}" for i in range(400))
    article = "\n".join(f"{_text(30, 40 * i)}." for i in range(4))
    assert choose(menu + "\n" + article, article)


def test_keep_trafilatura_when_its_surplus_is_prose():
    article = "\n".join(f"{_text(30, 40 * i)}." for i in range(4))
    more = "\n".join(f"{_text(30, 5000 + 40 * i)}." for i in range(8))
    assert not choose(article + "\n" + more, article)


def test_keep_trafilatura_when_the_labels_sit_between_shared_lines():
    lines = [f"{_text(30, 40 * i)}." for i in range(4)]
    labelled = "\n".join(f"{line}\nSee it now: Shop {i}" for i, line in enumerate(lines))
    assert not choose(labelled, "\n".join(lines))


def test_keep_trafilatura_when_they_agree_or_differ_entirely():
    assert not choose(_text(500), _text(505))
    assert not choose(_text(500), _text(500, 10_000))
    assert choose("", _text(100))
    assert not choose(_text(100), "")


# --- words ---------------------------------------------------------------------------


def test_words_are_counted_in_scripts_without_spaces():
    assert count_words("The ferry sails on Monday.") == 5
    assert count_words("Ça coûte très cher") == 4
    assert count_words("안녕하세요 세계") == 2  # Korean puts spaces between words
    assert count_words("フェリーは月曜日に再開する。") == 7  # 13 Han and kana characters
    assert count_words("新しいiPhoneを発表した") == 1 + 4  # "iPhone" and 8 characters
    assert count_words("ภาษาไทยง่าย") == 3  # 11 Thai letters and marks


# --- metadata --------------------------------------------------------------------------


def _tree(markup: str) -> etree._Element:
    return html.document_fromstring(markup)


def test_json_ld_article_metadata():
    tree = _tree(
        '<html><head><script type="application/ld+json">{"@graph": [{"@type": "WebSite"},'
        '{"@type": ["NewsArticle"], "headline": "Bridge reopens", "author": [{"name": "A. Writer"},'
        '{"name": "B. Writer"}], "datePublished": "2025-01-02T03:04:05+01:00",'
        '"image": ["https://img.example/1.jpg"]}]}</script></head><body><p>x</p></body></html>'
    )
    meta = page_metadata(tree, url="https://n.example/a", latest="2100-01-01")
    assert meta.title == "Bridge reopens"
    assert meta.authors == ("A. Writer", "B. Writer")
    assert meta.published == datetime(2025, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=1)))
    assert meta.image == "https://img.example/1.jpg"


def test_meta_tag_and_byline_metadata():
    tree = _tree(
        "<html><head><title>Bridge reopens | The Paper</title>"
        '<meta property="og:image" content="/lead.jpg"></head><body>'
        '<h1>Bridge reopens</h1><p class="byline">By TOM KRISHER and Ana Lima</p>'
        '<time datetime="2024-11-30">30 Nov</time><p>x</p></body></html>'
    )
    meta = page_metadata(tree, url="https://n.example/a", latest="2100-01-01")
    assert meta.title == "Bridge reopens"
    assert meta.authors == ("Tom Krisher", "Ana Lima")
    assert meta.published == datetime(2024, 11, 30, tzinfo=UTC)
    assert meta.image == "/lead.jpg"


def test_dates_after_latest_are_not_taken():
    tree = _tree(
        '<html><head><meta property="article:published_time" content="2030-05-01T10:00:00Z">'
        "</head><body><p>x</p></body></html>"
    )
    assert page_metadata(tree, url="", latest="2025-01-01").published is None
    assert page_metadata(tree, url="", latest="2031-01-01").published is not None


def test_broken_json_ld_is_ignored():
    tree = _tree(
        '<html><head><script type="application/ld+json">{"@type": </script></head><body></body></html>'
    )
    assert page_metadata(tree, url="", latest="2100-01-01").authors == ()


def test_extract_article_bounds_the_date_by_now():
    page = (
        '<html><head><meta property="article:published_time" content="2030-05-01T10:00:00Z"></head>'
        f"<body><article><p>{SENTENCE * 8}</p></article></body></html>"
    )
    now = datetime(2025, 1, 1, tzinfo=UTC)
    assert extract_article(page, url="https://n.example/a", now=now).published is None


# --- figures and structure -------------------------------------------------------------


def test_figures_go_back_beside_their_paragraph():
    page = _tree(
        f"<html><body><p>{SENTENCE}one</p><figure><img data-src='/big.jpg' src='data:,'>"
        f"<figcaption>The harbour at dawn.</figcaption></figure><p>{SENTENCE}two</p>"
        "<aside><figure><img src='/ad.jpg'><figcaption>Advert</figcaption></figure></aside></body></html>"
    )
    fragment = html.fragment_fromstring(f"<div><p>{SENTENCE}one</p><p>{SENTENCE}two</p></div>")
    insert_figures(fragment, page, "https://n.example/a")
    assert [child.tag for child in fragment] == ["p", "figure", "p"]
    figure = fragment[1]
    assert figure.find("img").get("src") == "https://n.example/big.jpg"
    assert figure.findtext("figcaption") == "The harbour at dawn."


def test_lost_subheads_and_lists_are_restored_between_kept_paragraphs():
    page = _tree(
        f"<html><body><div><p>{SENTENCE}one</p><h2>What's new</h2><p>{SENTENCE}two</p>"
        f"<ul><li>first point</li><li>second point</li></ul><p>{SENTENCE}three</p>"
        "<ul><li><a href='/x'>A related story</a></li></ul></div></body></html>"
    )
    fragment = html.fragment_fromstring(
        f"<div><p>{SENTENCE}one</p><p>{SENTENCE}two</p><p>{SENTENCE}three</p></div>"
    )
    assert restore_structure(fragment, page) == 2
    assert [child.tag for child in fragment] == ["p", "h2", "p", "ul", "p"]
    assert fragment_text(fragment).split("\n")[1] == "What's new"


def test_structure_is_left_alone_when_the_extraction_has_some():
    page = _tree(f"<html><body><p>{SENTENCE}one</p><h2>Sub</h2><p>{SENTENCE}two</p></body></html>")
    fragment = html.fragment_fromstring(
        f"<div><h3>Kept</h3><p>{SENTENCE}one</p><p>{SENTENCE}two</p></div>"
    )
    assert restore_structure(fragment, page) == 0


def test_embedded_posts_and_quotes_are_restored_between_kept_paragraphs():
    post = (
        "<blockquote class='twitter-tweet'><p>The harbour is open again this morning.</p>"
        "&mdash; Harbour Office (@harbour) <a href='https://social.example/1'>May 2, 2025</a>"
        "</blockquote><script src='https://social.example/widgets.js'></script>"
    )
    page = _tree(
        f"<html><body><article><p>{SENTENCE}one</p>{post}"
        "<blockquote><p>We are glad to see the boats back, said the mayor.</p></blockquote>"
        f"<p>{SENTENCE}two</p><blockquote><p>Quoted after the article ends.</p></blockquote>"
        "</article><aside><blockquote><p>A quote in the sidebar.</p></blockquote></aside>"
        "</body></html>"
    )
    fragment = html.fragment_fromstring(f"<div><p>{SENTENCE}one</p><p>{SENTENCE}two</p></div>")
    assert restore_quotes(fragment, page) == 2
    assert [child.tag for child in fragment] == ["p", "blockquote", "blockquote", "p"]
    lines = fragment_text(fragment).split("\n")
    assert lines[1:4] == [
        "The harbour is open again this morning.",
        "\u2014 Harbour Office (@harbour) May 2, 2025",
        "We are glad to see the boats back, said the mayor.",
    ]
    assert fragment.find(".//script") is None and fragment[1].get("class") is None


def test_a_quote_already_in_the_extraction_is_not_repeated():
    page = _tree(
        f"<html><body><p>{SENTENCE}one</p><blockquote><p>{SENTENCE}quoted</p></blockquote>"
        f"<p>{SENTENCE}two</p></body></html>"
    )
    # The extractor moved the quote's text after the paragraphs around it.
    fragment = html.fragment_fromstring(
        f"<div><p>{SENTENCE}one</p><p>{SENTENCE}two</p><p>{SENTENCE}quoted</p></div>"
    )
    assert restore_quotes(fragment, page) == 0
