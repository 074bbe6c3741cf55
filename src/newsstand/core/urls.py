"""URL checks for every URL that comes from a publisher.

``safe_url`` answers "may this be rendered as a link or fetched": only absolute http(s)
URLs survive, after the same cleanup a browser applies (WHATWG URL parsing: leading C0
controls and spaces stripped, tabs and newlines removed), so ``java\\tscript:`` or
``\\x0ejavascript:`` cannot slip through.

``canonical_url`` gives the form used to recognise the same article: tracking
parameters removed, fragment dropped, host lower-cased, default port dropped.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urljoin, urlsplit, urlunsplit

_LEADING_JUNK = "".join(chr(c) for c in range(0x21))  # C0 controls and space
_TAB_NEWLINE = re.compile(r"[\t\n\r]")
_ALLOWED_SCHEMES = frozenset({"http", "https"})
_DEFAULT_PORTS = {"http": 80, "https": 443}

# Query parameters that only track the reader; removing them never changes the article.
_TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "mc_cid",
        "mc_eid",
        "igshid",
        "yclid",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "oly_anon_id",
        "oly_enc_id",
        "vero_id",
        "rb_clickid",
        "s_cid",
        "ncid",
        "cmpid",
        "ito",
        "__twitter_impression",
    }
)
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "at_", "hsa_")


def _clean(url: str) -> str:
    """Apply the browser's pre-parse cleanup.

    URL fields arrive already decoded by the feed parser and are rendered escaped, so
    character references are not decoded again: ``&copy=2`` in a query stays as it is,
    and ``jav&#x09;ascript:`` is no scheme at all (and is refused).
    """
    url = url.strip(_LEADING_JUNK)
    if "\t" in url or "\n" in url or "\r" in url:
        url = _TAB_NEWLINE.sub("", url)
    return url


def _scheme_of(url: str) -> str:
    head, sep, _ = url.partition(":")
    if not sep or not head or not head[0].isalpha():
        return ""
    return head.lower()


# An absolute http(s) URL that the general path below returns unchanged: a lower-case
# scheme, a host of ASCII letters, digits, dots and hyphens, an optional port, and no
# character at or below U+0020 anywhere (nothing for the pre-parse cleanup to strip or
# remove). Nearly every URL in a real feed is of this shape; it needs no urlsplit.
_PLAIN_HTTP_URL = re.compile(r"(https?)://([A-Za-z0-9.\-]+)(?::([0-9]{0,5}))?([/?#][^\x00-\x20]*)?")


def _plain_http_url(url: str) -> re.Match[str] | None:
    """The match of an absolute http(s) URL of the plain shape with a valid port, or None."""
    plain = _PLAIN_HTTP_URL.fullmatch(url)
    if plain is None or (plain[3] and int(plain[3]) > 65_535):
        return None
    return plain


def safe_url(url: str, base: str = "") -> str:
    """Return the absolute http(s) form of ``url`` (resolved against ``base``), or "".

    Never raises: malformed input gives "".
    """
    if url and _plain_http_url(url) is not None:
        return url
    return _safe_url_general(url, base)


@lru_cache(maxsize=8192)  # the shortcut above is quicker than a cache look-up
def _safe_url_general(url: str, base: str) -> str:
    url = _clean(url or "")
    if not url:
        return ""
    scheme = _scheme_of(url)
    if not scheme or "/" in scheme:
        if not base:
            return ""
        base = _clean(base)
        if _scheme_of(base) not in _ALLOWED_SCHEMES:
            return ""
        try:
            url = urljoin(base, url)
        except ValueError:
            return ""
        scheme = _scheme_of(url)
    if scheme not in _ALLOWED_SCHEMES:
        return ""
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises ValueError on a malformed port
    except ValueError:
        return ""
    if not parts.hostname:
        return ""
    return url


def _is_tracking(param: str) -> bool:
    name = param.partition("=")[0].lower()
    return name in _TRACKING_PARAMS or name.startswith(_TRACKING_PREFIXES)


def _without_tracking(query: str) -> str:
    return "&".join(p for p in query.split("&") if p and not _is_tracking(p))


def canonical_url(url: str, base: str = "") -> str:
    """Return the canonical http(s) form of ``url``, or "" if it is not http(s).

    Tracking parameters are removed, the fragment dropped, scheme and host lower-cased
    the default port and any credentials dropped; the path and the other parameters keep their order.
    Never raises.
    """
    plain = _plain_http_url(url) if url else None
    if plain is not None:
        canonical = _canonical_of_plain(plain)
        if canonical:
            return canonical
    return _canonical_url_general(url, base)


def _canonical_of_plain(plain: re.Match[str]) -> str:
    """The canonical form of a URL matched by ``_PLAIN_HTTP_URL``; "" when its host is
    only dots (left to the general path)."""
    scheme, host, port, rest = plain.groups()
    host = host.lower().rstrip(".")
    if not host:
        return ""
    if port and int(port) != _DEFAULT_PORTS[scheme]:
        host = f"{host}:{int(port)}"
    path, _, query = (rest or "").partition("#")[0].partition("?")
    if query:
        query = _without_tracking(query)
    return f"{scheme}://{host}{path or '/'}?{query}" if query else f"{scheme}://{host}{path or '/'}"


@lru_cache(maxsize=8192)
def _canonical_url_general(url: str, base: str) -> str:
    absolute = safe_url(url, base)
    if not absolute:
        return ""
    parts = urlsplit(absolute)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if ":" in host:  # an IPv6 literal
        host = f"[{host}]"
    port = parts.port
    netloc = host if port is None or port == _DEFAULT_PORTS[scheme] else f"{host}:{port}"
    query = parts.query
    if query:
        query = _without_tracking(query)
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))
