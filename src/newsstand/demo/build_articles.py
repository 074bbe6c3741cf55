"""Rebuild the demo's full-text corpora from the shared data folder (a development tool).

``python -m newsstand.demo.build_articles SHARED_DEMO_DIR [OUT_DIR]`` reads
``wikinews/wikinews.jsonl``, ``wikinews/wikinews_semeval2015_task4.jsonl`` and
``globalvoices/globalvoices.jsonl`` under ``SHARED_DEMO_DIR`` and writes
``wikinews.jsonl`` and ``globalvoices.jsonl`` into ``OUT_DIR`` (by default the package's
``newsstand/data/demo``). What it changes is listed in ``ATTRIBUTION.md`` there:

- only the fields the demo uses are kept (no cited third-party sources, no corpus notes);
- Wikinews: the two files become one; the article found in both is kept once; a "thumb"
  left over from an image caption at the start of one text is removed;
- Global Voices: embedded third-party posts (tweets, Instagram and Facebook posts),
  scripts and iframes are removed from the HTML, since their rights are their authors';
  the plain text is rebuilt from what is left, one paragraph per block.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import lxml.html
from lxml import etree

WIKINEWS_FIELDS = ("id", "title", "text", "date", "url", "categories", "licence", "attribution")
GLOBALVOICES_FIELDS = (
    "id", "title", "text", "content_html", "date", "url", "author", "licence", "attribution",
)  # fmt: skip
_EMBED_XPATH = etree.XPath(
    "//blockquote[contains(@class, 'twitter-tweet') or contains(@class, 'instagram-media')]"
    " | //*[contains(@class, 'fb-post') or contains(@class, 'fb-xfbml-parse-ignore')]"
    " | //script | //iframe | //noscript | //style"
)
_BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "pre")
_DROP_IF_EMPTY = ("p", "center", "div", "span")


def _records(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


def _kept(record: dict[str, Any], fields: Iterable[str]) -> dict[str, Any]:
    return {name: record[name] for name in fields if name in record}


def wikinews_records(shared: Path) -> list[dict[str, Any]]:
    """Both Wikinews files as one list, each title once (the first file wins)."""
    seen: set[str] = set()
    records = []
    for name in ("wikinews.jsonl", "wikinews_semeval2015_task4.jsonl"):
        for record in _records(shared / "wikinews" / name):
            if record["title"] not in seen:
                seen.add(record["title"])
                text = re.sub(r"^thumb\s+", "", record["text"])
                records.append(_kept(record | {"text": text}, WIKINEWS_FIELDS))
    return records


def without_embeds(html: str) -> str:
    """The article HTML without third-party embeds, scripts, iframes and empty blocks."""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for element in _EMBED_XPATH(root):
        element.drop_tree()
    for element in list(root.iter(*_DROP_IF_EMPTY)):
        if element is not root and not element.text_content().strip() and not len(element):
            element.drop_tree()
    inner = [lxml.html.tostring(child, encoding="unicode") for child in root]
    return ((root.text or "") + "".join(inner)).strip()


def text_of(html: str) -> str:
    """Plain text, one paragraph per block element (blocks inside blocks counted once)."""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    paragraphs = []
    for element in root.iter(*_BLOCKS):
        if any(ancestor.tag in _BLOCKS for ancestor in element.iterancestors()):
            continue
        text = " ".join(element.text_content().split())
        if text:
            paragraphs.append(text)
    return "\n\n".join(paragraphs)


def globalvoices_records(shared: Path) -> list[dict[str, Any]]:
    records = []
    for record in _records(shared / "globalvoices" / "globalvoices.jsonl"):
        html = without_embeds(record["content_html"])
        records.append(
            _kept(record | {"content_html": html, "text": text_of(html)}, GLOBALVOICES_FIELDS)
        )
    return records


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if not args:
        raise SystemExit("usage: python -m newsstand.demo.build_articles SHARED_DEMO_DIR [OUT]")
    shared = Path(args[0])
    out = Path(args[1]) if len(args) > 1 else Path(__file__).parent.parent / "data" / "demo"
    write_jsonl(out / "wikinews.jsonl", wikinews_records(shared))
    write_jsonl(out / "globalvoices.jsonl", globalvoices_records(shared))


if __name__ == "__main__":
    main()
