"""Site-level answers (robots.txt, favicon, manifest, service worker, offline, 404, 500),
Open Graph on every page, and the interface in four languages."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import html5lib
import pytest
from babel.dates import format_date
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.cache import caches
from django.test import Client, RequestFactory

from newsstand.articles.queries import ARTICLE_COUNT_CACHE_KEY, LOCAL_CACHE
from newsstand.web import site

pytestmark = pytest.mark.django_db
LOCALE = Path(settings.LOCALE_PATHS[0])


def _doc(response):
    return html5lib.parse(response.content.decode(), namespaceHTMLElements=False)


def _status(client: Client, path: str) -> int:
    response = client.get(path)
    for close in response._resource_closers:  # a file response holds its file open
        close()
    return response.status_code


def test_robots_txt_keeps_crawlers_out_of_private_corners(client: Client) -> None:
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    for path in ("/admin/", "/accounts/", "/health/"):
        assert f"Disallow: {path}" in body


def test_favicon_and_manifest_make_the_site_installable(client: Client) -> None:
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon["Content-Type"] == "image/x-icon"
    assert b"".join(icon.streaming_content)[:4] == b"\x00\x00\x01\x00"
    for close in icon._resource_closers:
        close()
    manifest = client.get("/manifest.webmanifest")
    assert manifest["Content-Type"] == "application/manifest+json"
    data = json.loads(manifest.content)
    assert (data["name"], data["start_url"], data["display"]) == ("Newsstand", "/", "standalone")
    sizes = {icon["sizes"] for icon in data["icons"]}
    assert {"192x192", "512x512"} <= sizes
    assert any(icon.get("purpose") == "maskable" for icon in data["icons"])
    for icon in data["icons"]:
        assert _status(client, icon["src"]) == 200, icon["src"]


def test_the_service_worker_keeps_the_shell_and_answers_offline(client: Client) -> None:
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]
    script = response.content.decode()
    assert "__VERSION__" not in script and "__SHELL__" not in script
    shell = json.loads(script.split("const SHELL = ", 1)[1].split(";\n", 1)[0])
    assert "/offline/" in shell and "/static/web/reader.css" in shell
    for path in shell:
        assert _status(client, path) == 200, path
    offline = client.get("/offline/")
    assert offline.status_code == 200 and b"You are offline" in offline.content


def test_every_page_links_the_manifest_and_the_reader_script(client: Client, make_article) -> None:
    make_article(section="world")
    doc = _doc(client.get("/"))
    assert doc.find(".//link[@rel='manifest']").get("href") == "/manifest.webmanifest"
    skip = doc.find(".//a[@class='skip-link']")
    assert skip.get("href") == "#main" and doc.find(".//main[@id='main']") is not None
    assert doc.find(".//dialog[@id='shortcuts']") is not None


def test_a_missing_page_keeps_the_header_and_a_way_back(client: Client, make_article) -> None:
    make_article(section="world")
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    doc = _doc(response)
    assert doc.find(".//a[@class='site-name']") is not None
    assert doc.find(".//nav[@class='sections']//a[@href='/section/world/']") is not None
    assert doc.find(".//a[@class='button']").get("href") == "/"
    assert "Page not found" in doc.find(".//title").text


def test_the_error_page_needs_no_database(django_assert_num_queries) -> None:
    request = RequestFactory().get("/broken/")
    with django_assert_num_queries(0):
        response = site.server_error(request)
    assert response.status_code == 500
    doc = html5lib.parse(response.content.decode(), namespaceHTMLElements=False)
    assert doc.find(".//a[@class='site-name']") is not None
    assert doc.find(".//a[@class='button']").get("href") == "/"


def _og(response) -> dict[str, str]:
    doc = _doc(response)
    return {
        meta.get("property"): meta.get("content")
        for meta in doc.iter("meta")
        if (meta.get("property") or "").startswith("og:")
    }


def test_every_page_has_a_title_and_open_graph(client: Client, make_article) -> None:
    article = make_article(
        section="science", title="Comet over the harbour", summary="<p>Bright.</p>"
    )
    pages = {
        "/": "Newsstand",
        "/section/science/": "Science",
        f"/article/{article.id}/": "Comet over the harbour",
        f"/publisher/{article.publisher_id}/": article.publisher.name,
        "/top/": "Newsstand",
    }
    for path, title in pages.items():
        response = client.get(path)
        og = _og(response)
        assert og["og:title"] == title, path
        assert og["og:url"] == f"http://testserver{path}", path
        assert og["og:site_name"] == "Newsstand" and og["og:description"], path
        assert _doc(response).find(".//title").text.strip(), path
    assert _og(client.get(f"/article/{article.id}/"))["og:type"] == "article"


# --- languages -------------------------------------------------------------------------


def test_the_reader_language_follows_accept_language(client: Client, make_article) -> None:
    make_article(section="world", title="A headline", language="pcm")
    make_article(section="world", title="Another", language="en")
    french = client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9,en;q=0.5")
    html = french.content.decode()
    doc = _doc(french)
    assert doc.get("lang") == "fr"
    assert "À la une" in html and "Aller au contenu" in html
    assert ">Monde</a>" in html  # the section's name translated
    assert "Pidgin nigérian" in html and ">pcm<" not in html  # language names, never codes
    german = client.get("/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Zum Inhalt springen" in german and ">Welt</a>" in german
    spanish = client.get("/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Saltar al contenido" in spanish and ">Mundo</a>" in spanish
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Nigerian Pidgin" in english


def test_the_footers_choice_is_remembered(client: Client, make_article) -> None:
    make_article(section="world")
    form = _doc(client.get("/")).find(".//form[@class='language-switch']")
    assert form.get("action") == "/i18n/setlang/"
    names = [option.text for option in form.iter("option")]
    assert names == ["English", "Français", "Deutsch", "Español"]
    response = client.post("/i18n/setlang/", {"language": "de", "next": "/section/world/"})
    assert response.status_code == 302 and response["Location"] == "/section/world/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "de"
    # Remembered over the browser's own preference.
    later = client.get("/section/world/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<html lang="de">' in later and "<h1>Welt</h1>" in later


def test_dates_and_numbers_in_the_readers_language(client: Client, make_article, now) -> None:
    article = make_article(section="world", age=timedelta(days=400))
    day = article.published_at.date()
    for language in ("en", "fr", "de", "es"):
        html = client.get(f"/article/{article.id}/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert format_date(day, "medium", locale=language) in html, language
    caches[LOCAL_CACHE].set(ARTICLE_COUNT_CACHE_KEY, 1500)  # the footer's count, as cached
    footer = {
        language: _doc(client.get("/", HTTP_ACCEPT_LANGUAGE=language)).find(".//p[@class='stats']")
        for language in ("en", "de")
    }
    assert "".join(footer["en"].itertext()) == "1,500 articles · 1 publisher"
    assert "".join(footer["de"].itertext()) == "1.500 Artikel · 1 Verlag"


def _plain(string):
    return tuple(string) if isinstance(string, (list, tuple)) else string


def test_every_message_is_translated_and_compiled() -> None:
    for po in sorted(LOCALE.glob("*/LC_MESSAGES/django.po")):
        with po.open("rb") as source:
            catalog = read_po(source)
        untranslated = [
            m.id
            for m in catalog
            if m.id and not all(m.string if isinstance(m.string, tuple) else (m.string,))
        ]
        assert untranslated == [], po
        with po.with_suffix(".mo").open("rb") as compiled:
            mo = read_mo(compiled)
        written = {_plain(m.id): _plain(m.string) for m in catalog if m.id and not m.fuzzy}
        assert {_plain(m.id): _plain(m.string) for m in mo if m.id} == written, (
            f"{po.with_suffix('.mo')} is older than its .po: run scripts/compile-messages"
        )
    assert {p.parent.parent.name for p in LOCALE.glob("*/LC_MESSAGES/django.po")} == {
        "fr",
        "de",
        "es",
    }
