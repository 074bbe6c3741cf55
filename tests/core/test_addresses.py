"""The network policy, pinned with a table of vectors (CommaFeed / tt-rss style)."""

from __future__ import annotations

from ipaddress import ip_address

import pytest

from newsstand.core.addresses import (
    address_allowed,
    embedded_ipv4,
    is_public_address,
    parse_networks,
)

BLOCKED = [
    # IPv4 special ranges
    "127.0.0.1",
    "127.0.0.2",
    "127.255.255.254",
    "0.0.0.0",
    "0.1.2.3",
    "10.0.0.1",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "169.254.169.254",  # cloud metadata
    "100.64.0.1",  # carrier-grade NAT
    "100.127.255.254",
    "192.0.0.1",
    "192.0.2.10",
    "198.18.0.1",
    "198.51.100.7",
    "203.0.113.9",
    "192.88.99.1",
    "224.0.0.1",  # multicast
    "239.255.255.250",
    "240.0.0.1",  # reserved
    "255.255.255.255",
    # IPv6 special ranges
    "::",
    "::1",
    "fe80::1",
    "fe80::1%eth0",
    "fec0::1",
    "fc00::1",
    "fd00::1",
    "fd12:3456:789a::1",
    "ff02::1",
    "2001:db8::1",
    "3fff::1",
    "100::1",
    # IPv4 hidden in IPv6
    "::ffff:127.0.0.1",
    "::ffff:127.0.0.2",
    "::ffff:169.254.169.254",
    "::ffff:10.0.0.1",
    "::127.0.0.1",  # IPv4-compatible
    "::169.254.169.254",
    "::ffff:0:7f00:1",  # IPv4-translated
    "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
    "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
    "64:ff9b:1::a9fe:a9fe",  # local-use NAT64
    "2002:7f00:1::",  # 6to4 of 127.0.0.1
    "2002:a9fe:a9fe::",  # 6to4 of 169.254.169.254
    "2002:c0a8:101::1",  # 6to4 of 192.168.1.1
    "2001:0:4136:e378:8000:63bf:80ff:fffe",  # Teredo, client half 127.0.0.1
    "2001:0:7f00:1::f7f7:f7f7",  # Teredo, server half 127.0.0.1
]

PUBLIC = [
    "8.8.8.8",
    "1.1.1.1",
    "93.184.216.34",
    "100.63.255.255",  # just below 100.64/10
    "100.128.0.1",  # just above
    "172.32.0.1",
    "2606:4700:4700::1111",
    "2001:4860:4860::8888",
    "::ffff:8.8.8.8",
    "64:ff9b::808:808",  # NAT64 of 8.8.8.8
    "2002:808:808::1",  # 6to4 of 8.8.8.8
]


@pytest.mark.parametrize("address", BLOCKED)
def test_non_public_addresses_are_refused(address: str) -> None:
    assert is_public_address(address) is False
    assert address_allowed(address, ()) is False


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_pass(address: str) -> None:
    assert is_public_address(address) is True
    assert address_allowed(address) is True


def test_accepts_address_objects() -> None:
    assert is_public_address(ip_address("8.8.8.8")) is True
    assert is_public_address(ip_address("::ffff:127.0.0.1")) is False


def test_a_host_name_is_not_an_address() -> None:
    with pytest.raises(ValueError, match="does not appear to be"):
        is_public_address("localhost")


def test_embedded_ipv4_unwraps_every_form() -> None:
    assert [str(a) for a in embedded_ipv4(ip_address("::ffff:1.2.3.4"))] == ["1.2.3.4"]
    assert [str(a) for a in embedded_ipv4(ip_address("::1.2.3.4"))] == ["1.2.3.4"]
    assert [str(a) for a in embedded_ipv4(ip_address("2002:102:304::"))] == ["1.2.3.4"]
    assert [str(a) for a in embedded_ipv4(ip_address("64:ff9b::102:304"))] == ["1.2.3.4"]
    teredo = embedded_ipv4(ip_address("2001:0:4136:e378:8000:63bf:3fff:fdd2"))
    assert [str(a) for a in teredo] == ["65.54.227.120", "192.0.2.45"]
    assert embedded_ipv4(ip_address("2606:4700::1")) == ()


def test_parse_networks_skips_blanks_and_refuses_typos() -> None:
    networks = parse_networks(["127.0.0.1/32", " ", "fd00::/8", "10.1.2.3"])
    assert [str(n) for n in networks] == ["127.0.0.1/32", "fd00::/8", "10.1.2.3/32"]
    with pytest.raises(ValueError, match="host bits"):
        parse_networks(["10.0.0.1/8"])
    with pytest.raises(ValueError, match="does not appear"):
        parse_networks(["intranet"])


ALLOW_LOOPBACK_ONE = parse_networks(["127.0.0.1/32"])


@pytest.mark.parametrize(
    ("address", "allowed"),
    [
        ("127.0.0.1", True),
        ("::ffff:127.0.0.1", True),  # same address, unwrapped
        ("::127.0.0.1", True),
        ("64:ff9b::7f00:1", True),
        ("127.0.0.2", False),
        ("::ffff:127.0.0.2", False),
        ("::1", False),
        ("10.0.0.1", False),
        ("8.8.8.8", True),  # public stays allowed
    ],
)
def test_allow_list_opens_exactly_the_listed_network(address: str, allowed: bool) -> None:
    assert address_allowed(address, ALLOW_LOOPBACK_ONE) is allowed


def test_allow_list_of_a_private_range_and_ula() -> None:
    networks = parse_networks(["192.168.0.0/16", "fd00::/8"])
    assert address_allowed("192.168.10.20", networks) is True
    assert address_allowed("fd00::5", networks) is True
    assert address_allowed("192.169.0.1", networks) is True  # public anyway
    assert address_allowed("10.0.0.1", networks) is False
    assert address_allowed("fc00::1", networks) is False
    assert address_allowed("fe80::1%eth0", parse_networks(["fe80::/10"])) is True
