"""A publisher's country, guessed from its host name's country-code domain.

``bbc.co.uk`` is British, ``smh.com.au`` Australian, ``lemonde.fr`` French; ``.com`` and the
country codes sold for generic use (``.io``, ``.tv``, ``.co``...) say nothing. The guess
fills ``Publisher.country`` when a publisher is first seen; operators correct it in the
admin. Story pages count a story's articles by country with it.
"""

from __future__ import annotations

# Country-code domains widely registered by sites of any country.
GENERIC_USE = frozenset(
    {"ai", "am", "cc", "co", "eu", "fm", "gg", "io", "la", "ly", "me", "nu", "so", "su",
     "to", "tv", "ws"}
)  # fmt: skip
# Where the domain differs from the ISO 3166-1 alpha-2 code.
ISO_OF_DOMAIN = {"uk": "GB"}


def country_of_host(host: str) -> str:
    """ISO 3166-1 alpha-2 code of the host's country-code domain, or "" when it has none."""
    label = host.lower().rstrip(".").rpartition(".")[2]
    if len(label) != 2 or not label.isascii() or not label.isalpha() or label in GENERIC_USE:
        return ""
    return ISO_OF_DOMAIN.get(label, label.upper())
