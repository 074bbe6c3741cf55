"""The XSS oracle of the security catalogue §0, for benches (tests/core/test_sanitize.py has
its own copy): parse HTML as a browser would (html5lib) and list what would be unsafe."""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

import html5lib

from newsstand.core.sanitize import IFRAME_HOSTS

FORBIDDEN = {
    "script", "style", "base", "meta", "form", "object", "embed", "input", "button",
    "select", "textarea", "svg", "math", "link", "frame", "frameset", "applet", "noscript",
}  # fmt: skip
URL_ATTRIBUTES = {
    "href", "src", "srcset", "poster", "xlink:href", "action", "formaction", "background",
    "cite", "data", "longdesc", "usemap", "dynsrc", "lowsrc",
}  # fmt: skip
ALLOWED_SCHEMES = {"http", "https", "mailto"}
_C0_SPACE = "".join(chr(c) for c in range(0x21))


def _scheme(value: str) -> str | None:
    value = re.sub(r"[\t\n\r]", "", html.unescape(value).strip(_C0_SPACE))
    match = re.match(r"^([A-Za-z][A-Za-z0-9+.\-]*):", value)
    return match.group(1).lower() if match else None


def problems(fragment_html: str) -> list[str]:
    """What a browser would find unsafe in ``fragment_html`` (empty when safe)."""
    found = []
    for element in html5lib.parseFragment(fragment_html, namespaceHTMLElements=False).iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.rpartition("}")[2].lower()
        if tag == "iframe":
            src = element.get("src", "")
            if not src.startswith("https://") or urlsplit(src).hostname not in IFRAME_HOSTS:
                found.append(f"iframe {src!r}")
        elif tag in FORBIDDEN:
            found.append(f"<{tag}>")
        for name, value in element.attrib.items():
            name = name.rpartition("}")[2].lower()
            if name.startswith("on") or name in {"style", "srcdoc"}:
                found.append(f"{tag}@{name}")
            if name in URL_ATTRIBUTES:
                for part in value.split(",") if name == "srcset" else [value]:
                    scheme = _scheme(part.strip().split(" ")[0])
                    if scheme is not None and scheme not in ALLOWED_SCHEMES:
                        found.append(f"{tag}@{name}={value[:40]!r}")
    return found
