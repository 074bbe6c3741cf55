import pytest

from newsstand.core.countries import country_of_host


@pytest.mark.parametrize(
    ("host", "country"),
    [
        ("feeds.bbci.co.uk", "GB"),
        ("www.smh.com.au", "AU"),
        ("lemonde.fr", "FR"),
        ("WWW.SPIEGEL.DE.", "DE"),
        ("www.nytimes.com", ""),
        ("techcrunch.io", ""),
        ("news.tv", ""),
        ("example.org", ""),
        ("localhost", ""),
        ("127.64.0.1", ""),
        ("xn--p1ai", ""),
        ("", ""),
    ],
)
def test_country_of_host(host: str, country: str) -> None:
    assert country_of_host(host) == country
