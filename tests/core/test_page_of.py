"""A fetched response's body and Content-Type to the page's text (core, no fetch)."""

import pytest

from newsstand.core.errors import NotHTML
from newsstand.core.extraction.decode import page_of

PAGE = "<html><head><title>Café</title></head><body><p>Crème brûlée</p></body></html>"


@pytest.mark.parametrize(
    "content_type",
    ["text/html", "TEXT/HTML; charset=UTF-8", "application/xhtml+xml", "", "text/plain"],
)
def test_html_and_the_media_types_sent_for_it_by_mistake_are_read(content_type):
    assert "Crème brûlée" in page_of(PAGE.encode("utf-8"), content_type)


def test_the_headers_charset_comes_first():
    body = PAGE.encode("windows-1252")
    assert "Crème brûlée" in page_of(body, 'text/html; charset="windows-1252"')


@pytest.mark.parametrize("content_type", ["application/pdf", "image/png", "application/json"])
def test_a_media_type_that_is_not_html_is_refused(content_type):
    with pytest.raises(NotHTML, match=content_type):
        page_of(PAGE.encode(), content_type)
