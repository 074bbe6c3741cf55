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


def country_of_language(tag: str) -> str:
    """The region of a BCP 47 language tag, as feeds declare it ("en-GB" and "en_gb" give
    "GB", "pt-BR" "BR"); "" when the tag names no region ("en", "zh-Hant")."""
    parts = tag.replace("_", "-").split("-")
    for part in parts[1:]:
        if len(part) == 2 and part.isascii() and part.isalpha():
            return part.upper()
    return ""


def publisher_country(country: str, host: str, language: str) -> str:
    """A publisher's country: as recorded, else from its host's country-code domain, else
    from the region of its feed's language; "" when none of them says."""
    return country or country_of_host(host) or country_of_language(language)
