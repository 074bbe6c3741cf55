"""The corpus's own oracle can fail: it flags what a sanitiser must have removed."""

from __future__ import annotations

import pytest

from .checks import html_problems, url_problem

UNSAFE_HTML = [
    "<script>alert(1)</script>",
    '<p onclick="x()">a</p>',
    '<a href="javascript:alert(1)">a</a>',
    '<a href="\x0ejavascript:alert(1)">a</a>',
    '<a href="jav&#x09;ascript:alert(1)">a</a>',
    '<a href="VBScript:msgbox(1)">a</a>',
    '<img src="data:text/html,x">',
    '<img srcset="https://ok.example/a.jpg 1x, javascript:alert(1) 2x">',
    '<video poster="javascript:alert(1)"></video>',
    '<form action="https://evil.example/"><input name="p"></form>',
    '<iframe src="https://evil.example/"></iframe>',
    '<svg><a xlink:href="https://ok.example/">x</a></svg>',
    '<base href="https://evil.example/">',
    "<style>p{}</style>",
    "<div>" * 6000 + '<a onclick="x()">deep</a>' + "</div>" * 6000,
]

SAFE_HTML = [
    "",
    "<p>Plain <b>text</b></p>",
    '<a href="https://ok.example/" rel="noopener noreferrer">link</a>',
    '<img src="https://ok.example/a.jpg" srcset="https://ok.example/b.jpg 2x">',
    '<a href="mailto:desk@ok.example">mail</a>',
    "<div>" * 6000 + "deep" + "</div>" * 6000,
]


@pytest.mark.parametrize("html", UNSAFE_HTML)
def test_unsafe_html_is_flagged(html: str) -> None:
    assert html_problems(html)


@pytest.mark.parametrize("html", SAFE_HTML)
def test_safe_html_passes(html: str) -> None:
    assert html_problems(html) == []


@pytest.mark.parametrize(
    "value", ["javascript:alert(1)", " https://ok.example/", "data:image/png,x", "//evil.example/"]
)
def test_unsafe_url_fields_are_flagged(value: str) -> None:
    assert url_problem(value)


@pytest.mark.parametrize("value", ["", "https://ok.example/a", "http://ok.example/"])
def test_safe_url_fields_pass(value: str) -> None:
    assert url_problem(value) == ""
