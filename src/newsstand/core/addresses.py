"""The network policy: which IP addresses Newsstand may connect to.

Pure decisions, no I/O. The fetcher resolves a host, then asks ``address_allowed`` about
every address it got back, and connects only when all of them pass.

The default is "global unicast only". IPv4 addresses embedded in IPv6 ones (IPv4-mapped,
IPv4-compatible, IPv4-translated, 6to4, Teredo, NAT64) are unwrapped, and the embedded
IPv4 address must be public too, so ``[::ffff:127.0.0.1]`` or ``[64:ff9b::a9fe:a9fe]``
cannot reach loopback or the cloud metadata service. ``ipaddress.is_global`` changed
across CPython patch releases, so the ranges that matter most are also denied explicitly.
"""

from __future__ import annotations

from collections.abc import Iterable
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address, ip_network

IPAddress = IPv4Address | IPv6Address
IPNetwork = IPv4Network | IPv6Network


def parse_networks(cidrs: Iterable[str]) -> tuple[IPNetwork, ...]:
    """Parse CIDR strings ("127.0.0.1/32", "fd00::/8", a bare address) into networks.

    Blank items are skipped, so a comma-split environment value may end with a comma.
    Raises ``ValueError`` on an item that is not a network (host bits set included),
    so a typo in ``NEWSSTAND_ALLOW_NETWORKS`` fails loudly at start-up.
    """
    return tuple(ip_network(cidr.strip(), strict=True) for cidr in cidrs if cidr.strip())


_DENIED_V4 = parse_networks(
    [
        "0.0.0.0/8",  # "this network"
        "10.0.0.0/8",
        "100.64.0.0/10",  # carrier-grade NAT
        "127.0.0.0/8",
        "169.254.0.0/16",  # link-local, cloud metadata
        "172.16.0.0/12",
        "192.0.0.0/29",  # IETF protocol assignments (DS-Lite, ...)
        "192.0.2.0/24",
        "192.88.99.0/24",  # 6to4 relay anycast (deprecated)
        "192.168.0.0/16",
        "198.18.0.0/15",  # benchmarking
        "198.51.100.0/24",
        "203.0.113.0/24",
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, broadcast
    ]
)

_DENIED_V6 = parse_networks(
    [
        "::/96",  # unspecified, loopback, IPv4-compatible (checked through the IPv4 part)
        "100::/64",  # discard
        "2001:db8::/32",  # documentation
        "3fff::/20",  # documentation
        "5f00::/16",  # segment routing
        "fc00::/7",  # unique local
        "fe80::/10",  # link-local
        "fec0::/10",  # site-local (deprecated)
        "ff00::/8",  # multicast
    ]
)

_NAT64_PREFIXES = parse_networks(["64:ff9b::/96", "64:ff9b:1::/48"])
_IPV4_COMPATIBLE = ip_network("::/96")
_IPV4_TRANSLATED = ip_network("::ffff:0:0:0/96")  # SIIT, RFC 6052/7915


def _as_address(ip: str | IPAddress) -> IPAddress:
    return ip if isinstance(ip, IPv4Address | IPv6Address) else ip_address(ip)


def _low_ipv4(ip: IPv6Address) -> IPv4Address:
    return IPv4Address(int(ip) & 0xFFFFFFFF)


def embedded_ipv4(ip: IPv6Address) -> tuple[IPv4Address, ...]:
    """The IPv4 addresses an IPv6 address carries (mapped, compatible, 6to4, Teredo, NAT64)."""
    found: list[IPv4Address] = []
    if ip.ipv4_mapped is not None:
        found.append(ip.ipv4_mapped)
    if ip in _IPV4_COMPATIBLE or ip in _IPV4_TRANSLATED:
        found.append(_low_ipv4(ip))
    if ip.sixtofour is not None:
        found.append(ip.sixtofour)
    if ip.teredo is not None:
        found.extend(ip.teredo)
    if any(ip in prefix for prefix in _NAT64_PREFIXES):
        found.append(_low_ipv4(ip))
    return tuple(found)


def _is_public_v4(ip: IPv4Address) -> bool:
    return ip.is_global and not ip.is_multicast and not any(ip in net for net in _DENIED_V4)


def _is_public_v6(ip: IPv6Address) -> bool:
    inner = embedded_ipv4(ip)
    if ip.ipv4_mapped is not None:
        # An IPv4-mapped address *is* its IPv4 address; judge that one alone.
        return _is_public_v4(ip.ipv4_mapped)
    outer_ok = ip.is_global and not ip.is_multicast and not any(ip in net for net in _DENIED_V6)
    return outer_ok and all(_is_public_v4(v4) for v4 in inner)


def is_public_address(ip: str | IPAddress) -> bool:
    """True when ``ip`` is a global unicast address, embedded IPv4 addresses included.

    Raises ``ValueError`` when ``ip`` is a string that is not an IP address.
    """
    address = _as_address(ip)
    if isinstance(address, IPv4Address):
        return _is_public_v4(address)
    return _is_public_v6(address)


def _in_networks(address: IPAddress, networks: Iterable[IPNetwork]) -> bool:
    return any(address.version == net.version and address in net for net in networks)


def address_allowed(ip: str | IPAddress, allow_networks: Iterable[IPNetwork] = ()) -> bool:
    """True when the policy lets Newsstand connect to ``ip``.

    An address passes when it is public, or when the operator allowed a network that
    holds it, either as given or through an IPv4 address embedded in it (so allowing
    ``127.0.0.1/32`` also allows ``::ffff:127.0.0.1``). Raises ``ValueError`` when
    ``ip`` is a string that is not an IP address.
    """
    address = _as_address(ip)
    if isinstance(address, IPv6Address) and address.scope_id:
        address = IPv6Address(int(address))
    if is_public_address(address):
        return True
    networks = tuple(allow_networks)
    if not networks:
        return False
    if _in_networks(address, networks):
        return True
    if isinstance(address, IPv6Address):
        inner = embedded_ipv4(address)
        return bool(inner) and all(_is_public_v4(v4) or _in_networks(v4, networks) for v4 in inner)
    return False
