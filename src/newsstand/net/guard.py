"""The SSRF guard: URL checks before every hop, and a resolver that pins checked addresses.

Two places apply the policy of ``newsstand.core.addresses``:

* ``checked_url`` runs before every request (first hop and each redirect): http(s) only,
  absolute, no userinfo, and a host written as an IP literal (in any form the C library
  accepts: ``2130706434``, ``0x7f.0.0.2``, ``0177.0.0.2``, ``127.2``, ``[::ffff:7f00:2]``)
  must pass the policy, because aiohttp connects to literals without calling a resolver.
* ``GuardedResolver`` is the connector's resolver. aiohttp calls it each time it opens a
  connection to a host name (the connector's DNS cache is off); it resolves, refuses the
  whole connection when *any* address fails the policy, and returns only checked
  addresses, so aiohttp connects to exactly what was checked (no DNS rebinding window).
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable, Sequence
from ipaddress import IPv4Address, IPv6Address, ip_address

from aiohttp.abc import AbstractResolver, ResolveResult
from yarl import URL

from newsstand.core.addresses import IPNetwork, address_allowed
from newsstand.core.errors import BlockedAddress, InvalidURL, ResolveError, Timeout

# (host, port) -> IP address strings. Raises ResolveError (or OSError) for an unknown name.
Resolve = Callable[[str, int], Awaitable[list[str]]]

ALLOWED_SCHEMES = frozenset({"http", "https"})


def numeric_host(host: str) -> IPv4Address | IPv6Address | None:
    """The address a numeric host stands for, read the way ``getaddrinfo`` reads it.

    Covers dotted quads, the legacy IPv4 forms (decimal, hex, octal, short) and IPv6
    (with or without brackets or a zone). A host ending in one dot is read without it.
    Returns ``None`` for a host name. Never raises.
    """
    text = host.strip("[]")
    for candidate in (text, text[:-1] if text.endswith(".") else None):
        if not candidate:
            continue
        try:
            infos = socket.getaddrinfo(
                candidate, None, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST
            )
        except (OSError, UnicodeError, ValueError):
            continue
        if infos:
            return ip_address(str(infos[0][4][0]).split("%", 1)[0])
    return None


def checked_url(url: str | URL, allow_networks: Sequence[IPNetwork]) -> URL:
    """Parse ``url`` and check it may be requested; returns the normalised URL.

    Raises ``InvalidURL`` (not absolute http(s), no host, userinfo present) or
    ``BlockedAddress`` (an IP-literal host the policy refuses).
    """
    try:
        parsed = url if isinstance(url, URL) else URL(url.strip())
        host = parsed.raw_host
    except (ValueError, TypeError, UnicodeError) as exc:
        raise InvalidURL(f"not a valid URL: {str(url)[:200]!r}") from exc
    if parsed.scheme not in ALLOWED_SCHEMES or not parsed.is_absolute():
        raise InvalidURL(f"only absolute http(s) URLs are fetched: {str(url)[:200]!r}")
    if not host:
        raise InvalidURL(f"URL has no host: {str(url)[:200]!r}")
    if parsed.raw_user is not None or parsed.raw_password is not None:
        raise InvalidURL("URLs with a user name or password are refused")
    literal = numeric_host(host.replace("%25", "%"))
    if literal is None and ":" in host:
        # aiohttp connects to any host with a colon as an IPv6 literal, unresolved.
        raise InvalidURL(f"not a valid IPv6 address: {host[:100]!r}")
    if literal is not None and not address_allowed(literal, allow_networks):
        raise BlockedAddress(f"{host} is not a public address")
    return parsed


async def system_resolve(host: str, port: int) -> list[str]:
    """Resolve ``host`` with the system's ``getaddrinfo`` (in an executor thread).

    Raises ``ResolveError`` when the name does not resolve.
    """
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_ADDRCONFIG
        )
    except (OSError, UnicodeError) as exc:
        raise ResolveError(f"{host} does not resolve: {exc}") from exc
    return [str(info[4][0]) for info in infos]


class GuardedResolver(AbstractResolver):
    """aiohttp resolver that returns only addresses the policy allows, or refuses.

    ``resolve`` raises ``BlockedAddress`` when any address of the host fails the policy,
    ``ResolveError`` when the host has no address, ``Timeout`` past ``timeout`` seconds.
    """

    def __init__(
        self, resolve: Resolve | None, allow_networks: Sequence[IPNetwork], timeout: float
    ) -> None:
        self._resolve = resolve or system_resolve
        self._allow = tuple(allow_networks)
        self._timeout = timeout

    async def addresses(self, host: str, port: int) -> list[IPv4Address | IPv6Address]:
        """The checked addresses of ``host``; raises as ``resolve`` does."""
        literal = numeric_host(host)
        if literal is not None:
            found = [literal]
        else:
            try:
                async with asyncio.timeout(self._timeout):
                    answers = await self._resolve(host, port)
            except TimeoutError as exc:
                raise Timeout(f"resolving {host} took longer than {self._timeout} s") from exc
            except OSError as exc:
                raise ResolveError(f"{host} does not resolve: {exc}") from exc
            found = [_parse_answer(host, answer) for answer in answers]
        if not found:
            raise ResolveError(f"{host} has no address")
        refused = [str(a) for a in found if not address_allowed(a, self._allow)]
        if refused:
            raise BlockedAddress(f"{host} resolves to a non-public address ({refused[0]})")
        return found

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_UNSPEC
    ) -> list[ResolveResult]:
        return [
            ResolveResult(
                hostname=host,
                host=str(address),
                port=port,
                family=socket.AF_INET if address.version == 4 else socket.AF_INET6,
                proto=0,
                flags=socket.AI_NUMERICHOST,
            )
            for address in await self.addresses(host, port)
        ]

    async def close(self) -> None:
        return None


def _parse_answer(host: str, answer: str) -> IPv4Address | IPv6Address:
    try:
        return ip_address(answer.split("%", 1)[0])
    except ValueError as exc:
        raise ResolveError(f"{host} resolved to a non-address {answer!r}") from exc
