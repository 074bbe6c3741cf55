"""SSRF: every vector aims at the internal origin on 127.0.0.2, which must never accept.

The test policy allows only 127.0.0.1/32 (the public origin); the stub resolver maps
"internal.test" (and friends) to non-public addresses. Each test asserts the typed error
*and* zero TCP accepts on the internal origin.
"""

from __future__ import annotations

import asyncio

import pytest

from net.fixtures import make_policy
from net.servers import SECRET, Origin, Reply, StubResolver, redirect
from newsstand.core.addresses import parse_networks
from newsstand.core.errors import BlockedAddress, FetchError, InvalidURL
from newsstand.net import Fetcher, FetchPolicy, FetchRequest, FetchResult, fetch_many_sync

LITERAL_FORMS = [
    "127.0.0.2",
    "2130706434",  # decimal
    "0x7f.0.0.2",  # hex octet
    "0x7f000002",  # hex
    "0177.0.0.2",  # octal octet
    "017700000002",  # octal
    "127.2",  # short
    "127.0.2",
    "127.0.0.2.",  # trailing dot
    "0x7F.0x00.0x00.0X02",
    "\uff11\uff12\uff17.\uff10.\uff10.\uff12",  # fullwidth digits: IDNA gives 127.0.0.2
    "[::ffff:127.0.0.2]",  # IPv4-mapped
    "[::ffff:7f00:2]",
    "[::127.0.0.2]",  # IPv4-compatible
    "[64:ff9b::7f00:2]",  # NAT64
    "[2002:7f00:2::1]",  # 6to4
    "[2001:0:7f00:2::f7f7:f7f7]",  # Teredo server half
    "[::1]",
    "[fd00::1]",  # unique local
    "[fe80::1]",  # link-local
    "[fe80::1%25lo]",
    "[::]",
    "0.0.0.0",
    "0",
    "169.254.169.254",
    "100.64.0.1",
    "10.0.0.1",
    "192.168.0.1",
]

NAME_FORMS = [
    "internal.test",
    "localhost",
    "mapped.test",  # ::ffff:127.0.0.2
    "nat64.test",
    "sixtofour.test",
    "mixed.test",  # one public and one internal address: refused as a whole
    "metadata.test",
    "cgnat.test",
    "ula.test",
    "linklocal.test",
    "loopback6.test",
]


def fetch_one(policy: FetchPolicy, url: str) -> FetchResult | FetchError:
    (outcome,) = fetch_many_sync(policy, [FetchRequest(url)])
    return outcome


@pytest.mark.parametrize("host", LITERAL_FORMS)
def test_ip_literals_are_blocked(policy: FetchPolicy, internal: Origin, host: str) -> None:
    error = fetch_one(policy, f"http://{host}:{internal.port}/")
    assert isinstance(error, BlockedAddress), error
    assert internal.accepts == 0


@pytest.mark.parametrize("host", NAME_FORMS)
def test_names_resolving_to_internal_addresses_are_blocked(
    policy: FetchPolicy, internal: Origin, resolver: StubResolver, host: str
) -> None:
    error = fetch_one(policy, f"http://{host}:{internal.port}/")
    assert isinstance(error, BlockedAddress), error
    assert resolver.calls == [(host, internal.port)]
    assert internal.accepts == 0


def test_ipv6_host_that_is_not_an_address_is_refused(policy: FetchPolicy) -> None:
    assert isinstance(fetch_one(policy, "http://[fe80::1%25%30]:80/"), (InvalidURL,))


def test_percent_encoded_host_never_reaches_the_internal_origin(
    policy: FetchPolicy, internal: Origin
) -> None:
    error = fetch_one(policy, f"http://%31%32%37.0.0.2:{internal.port}/")
    assert isinstance(error, FetchError)
    assert internal.accepts == 0


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
@pytest.mark.parametrize("target", ["http://internal.test:{port}/", "http://127.0.0.2:{port}/"])
def test_redirect_to_internal_is_blocked(
    policy: FetchPolicy, origin: Origin, internal: Origin, status: int, target: str
) -> None:
    origin.route("/feed", redirect(target.format(port=internal.port), status))
    error = fetch_one(policy, origin.url("/feed", host="public.test"))
    assert isinstance(error, BlockedAddress), error
    assert origin.paths() == ["/feed"]
    assert internal.accepts == 0


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://public.test/", "gopher://x/"])
def test_redirect_to_another_scheme_is_refused(
    policy: FetchPolicy, origin: Origin, target: str
) -> None:
    origin.route("/feed", redirect(target, 302))
    assert isinstance(fetch_one(policy, origin.url("/feed", host="public.test")), InvalidURL)


def test_default_policy_blocks_loopback_entirely(resolver: StubResolver, origin: Origin) -> None:
    origin.route("/feed", Reply(body=b"feed"))
    strict = make_policy(resolver, allow_networks=())
    for url in (origin.url("/feed"), origin.url("/feed", host="public.test")):
        assert isinstance(fetch_one(strict, url), BlockedAddress)
    assert origin.accepts == 0


def test_allow_list_opens_only_the_listed_network(
    resolver: StubResolver, origin: Origin, internal: Origin
) -> None:
    origin.route("/feed", Reply(body=b"feed"))
    policy = make_policy(resolver, allow_networks=parse_networks(["127.0.0.1/32"]))
    allowed = fetch_one(policy, origin.url("/feed"))
    assert isinstance(allowed, FetchResult)
    assert allowed.body == b"feed"
    assert isinstance(fetch_one(policy, internal.url("/")), BlockedAddress)
    assert internal.accepts == 0
    wider = make_policy(resolver, allow_networks=parse_networks(["127.0.0.0/30"]))
    reached = fetch_one(wider, internal.url("/", host="internal.test"))
    assert isinstance(reached, FetchResult)
    assert reached.body == SECRET


def test_proxy_environment_is_ignored(
    policy: FetchPolicy, origin: Origin, internal: Origin, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY"):
        monkeypatch.setenv(name, internal.url("/"))
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    origin.route("/feed", Reply(body=b"feed"))
    result = fetch_one(policy, origin.url("/feed", host="public.test"))
    assert isinstance(result, FetchResult)
    assert result.body == b"feed"
    assert internal.accepts == 0


def test_dns_rebinding_is_caught_on_the_next_connection(origin: Origin) -> None:
    # The internal origin listens on the same port as the public one, on 127.0.0.2.
    with Origin("127.0.0.2", default=Reply(body=SECRET), port=origin.port) as internal:
        resolver = StubResolver({"rebind.test": [["127.0.0.1"], ["127.0.0.2"]]})
        policy = make_policy(resolver)
        # Connection: close makes the fetcher open (and resolve) a new connection.
        origin.route("/feed", Reply(body=b"feed", headers={"Connection": "close"}))
        url = origin.url("/feed", host="rebind.test")

        async def twice() -> list[FetchResult | FetchError]:
            async with Fetcher(policy) as fetcher:
                first = await fetcher.fetch_many([FetchRequest(url)])
                second = await fetcher.fetch_many([FetchRequest(url)])
                return first + second

        first, second = asyncio.run(twice())
        assert isinstance(first, FetchResult)
        assert first.body == b"feed"
        assert isinstance(second, BlockedAddress), second
        assert [host for host, _ in resolver.calls] == ["rebind.test", "rebind.test"]
        assert origin.accepts == 1
        assert internal.accepts == 0
