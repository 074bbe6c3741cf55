"""Translate aiohttp's and the OS's errors into the one error tree, once, at the boundary."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from contextlib import contextmanager

import aiohttp

from newsstand.core.errors import (
    BadResponse,
    ConnectError,
    FetchError,
    InvalidURL,
    ResolveError,
    Timeout,
    TLSError,
)

_TRANSLATIONS: tuple[tuple[type[BaseException], type[FetchError]], ...] = (
    (aiohttp.ClientSSLError, TLSError),
    (ssl.SSLError, TLSError),
    (aiohttp.ClientConnectorDNSError, ResolveError),
    (aiohttp.InvalidURL, InvalidURL),
    (aiohttp.ClientResponseError, BadResponse),
    (aiohttp.ClientPayloadError, BadResponse),
    (aiohttp.ClientError, ConnectError),
    (OSError, ConnectError),
)


@contextmanager
def translated_errors(deadline: float) -> Iterator[None]:
    """Re-raise foreign errors of the block as ``FetchError`` subclasses.

    ``TimeoutError`` (the overall deadline of ``deadline`` seconds, or a connect timeout)
    becomes ``Timeout``; TLS failures ``TLSError``; DNS failures ``ResolveError``;
    malformed answers ``BadResponse``; other client and socket errors ``ConnectError``.
    ``FetchError`` passes through unchanged.
    """
    try:
        yield
    except FetchError:
        raise
    except TimeoutError as exc:
        raise Timeout(f"no complete answer within {deadline:g} s") from exc
    except (aiohttp.ClientError, OSError) as exc:
        raise _translate(exc) from exc


def _translate(exc: BaseException) -> FetchError:
    for foreign, ours in _TRANSLATIONS:
        if isinstance(exc, foreign):
            return ours(f"{ours.__doc__ or ours.code} ({type(exc).__name__}: {exc})"[:500])
    return ConnectError(str(exc)[:500])
