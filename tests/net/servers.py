"""Real local HTTP origins for tests: no mocks, loopback only, port 0.

* ``Origin``: a keep-alive HTTP/1.1 server (``ThreadingHTTPServer``) on any loopback
  address, answering routes with ``Reply`` values (or functions of the request). It counts
  accepted connections, open connections (and their peak) and records every request.
* ``RawOrigin``: a raw-socket server that hands each accepted connection to a function,
  for byte-level misbehaviour (trickling, lying Content-Length, hand-made gzip).
* ``StubResolver``: the fetcher's injectable resolver, mapping names to addresses (or to a
  list of answers given one per call, for DNS rebinding), so no test does real DNS.

Linux routes all of 127.0.0.0/8 to ``lo``: the "public" origin listens on 127.0.0.1 and an
"internal" one on 127.0.0.2; a test policy allows only 127.0.0.1/32.

Use from any test: ``from net.servers import Origin, Reply`` (``tests/`` is on
``sys.path`` through the root conftest), or the fixtures of ``net.fixtures``.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Self

from newsstand.core.errors import ResolveError

SECRET = b"SECRET-internal-service-data"


@dataclass(frozen=True)
class SeenRequest:
    """One request as the origin received it (header names lower-cased)."""

    method: str
    path: str
    headers: Mapping[str, str]
    client: tuple[str, int]


@dataclass(frozen=True)
class Reply:
    """What an ``Origin`` answers.

    ``body`` is sent with a Content-Length; ``chunks`` (an iterable, possibly endless) is
    sent with chunked transfer-encoding instead. ``delay`` seconds pass before the answer.
    """

    status: int = 200
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    chunks: Iterable[bytes] | None = None
    delay: float = 0.0


Route = Reply | Callable[[SeenRequest], Reply]


def redirect(location: str, status: int = 302) -> Reply:
    return Reply(status=status, headers={"Location": location})


class Origin:
    """A keep-alive HTTP origin on ``host`` (port 0: any free one), usable as a context manager."""

    def __init__(
        self, host: str = "127.0.0.1", default: Route | None = None, port: int = 0
    ) -> None:
        self.host = host
        self.routes: dict[str, Route] = {}
        self.default: Route = default or Reply(status=404, body=b"not found")
        self.requests: list[SeenRequest] = []
        self.accepts = 0
        self.open_connections = 0
        self.peak_connections = 0
        self._lock = threading.Lock()
        self._server = _OriginServer((host, port), _handler_class(self), self)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def url(self, path: str = "/", host: str | None = None) -> str:
        """``http://HOST:PORT/path``; ``host`` names the origin as a test name ("public.test")."""
        return f"http://{host or self.host}:{self.port}{path}"

    def route(self, path: str, reply: Route) -> None:
        self.routes[path] = reply

    def paths(self) -> list[str]:
        with self._lock:
            return [r.path for r in self.requests]

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- bookkeeping called by the server and handler threads --

    def _accepted(self) -> None:
        with self._lock:
            self.accepts += 1

    def _opened(self, delta: int) -> None:
        with self._lock:
            self.open_connections += delta
            self.peak_connections = max(self.peak_connections, self.open_connections)

    def _answer(self, seen: SeenRequest) -> Reply:
        with self._lock:
            self.requests.append(seen)
        route = self.routes.get(seen.path.split("?", 1)[0], self.default)
        return route(seen) if callable(route) else route


class _OriginServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(
        self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler], origin: Origin
    ) -> None:
        self.origin = origin
        super().__init__(address, handler)

    def get_request(self) -> tuple[socket.socket, tuple[str, int]]:
        conn, addr = super().get_request()
        self.origin._accepted()
        return conn, addr


def _handler_class(origin: Origin) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        timeout = 10

        def setup(self) -> None:
            super().setup()
            origin._opened(+1)

        def finish(self) -> None:
            try:
                super().finish()
            finally:
                origin._opened(-1)

        def do_GET(self) -> None:
            seen = SeenRequest(
                method="GET",
                path=self.path,
                headers={k.lower(): v for k, v in self.headers.items()},
                client=self.client_address,
            )
            self._send(origin._answer(seen))

        def _send(self, reply: Reply) -> None:
            if reply.delay:
                time.sleep(reply.delay)
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if reply.chunks is None:
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)
                return
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            try:
                for chunk in reply.chunks:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                self.wfile.write(b"0\r\n\r\n")
            except OSError:  # the client hung up (e.g. at its size cap): expected
                self.close_connection = True

        def log_message(self, format: str, *args: object) -> None:
            return None

    return Handler


ConnectionHandler = Callable[[socket.socket], None]


class RawOrigin:
    """A raw TCP server on ``host``: each accepted connection goes to ``handler``.

    ``handler(conn)`` runs in its own thread; the socket is closed after it returns.
    Errors from a client hanging up (``OSError``) end that connection quietly.
    """

    def __init__(self, handler: ConnectionHandler, host: str = "127.0.0.1") -> None:
        self.host = host
        self.handler = handler
        self.accepts = 0
        self._lock = threading.Lock()
        self._listener = socket.create_server((host, 0))
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def port(self) -> int:
        return int(self._listener.getsockname()[1])

    def url(self, path: str = "/", host: str | None = None) -> str:
        return f"http://{host or self.host}:{self.port}{path}"

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        # Wake the accept() call, then close the listener.
        with contextlib.suppress(OSError):
            socket.create_connection((self.host, self.port), timeout=1).close()
        self._thread.join(timeout=5)
        self._listener.close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _serve(self) -> None:
        while not self._stopping.is_set():
            conn, _ = self._listener.accept()
            if self._stopping.is_set():
                conn.close()
                return
            with self._lock:
                self.accepts += 1
            threading.Thread(target=self._run, args=(conn,), daemon=True).start()

    def _run(self, conn: socket.socket) -> None:
        with conn:
            try:
                self.handler(conn)
            except OSError:
                return


def read_request_head(conn: socket.socket, limit: int = 65536) -> bytes:
    """Read one request head (up to the blank line) from ``conn``."""
    data = b""
    while b"\r\n\r\n" not in data and len(data) < limit:
        piece = conn.recv(4096)
        if not piece:
            break
        data += piece
    return data


def response_head(status: int = 200, headers: Mapping[str, str] | None = None) -> bytes:
    """A raw HTTP/1.1 status line and headers, ending with the blank line."""
    lines = [f"HTTP/1.1 {status} X"] + [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


class StubResolver:
    """The fetcher's resolver for tests: name → addresses, no DNS.

    A value that is a list of lists answers one inner list per call, the last one
    repeating (``{"rebind.test": [["127.0.0.1"], ["127.0.0.2"]]}``). Unknown names raise
    ``ResolveError``. ``calls`` records every (host, port) asked.
    """

    def __init__(self, table: Mapping[str, Sequence[str] | Sequence[Sequence[str]]]) -> None:
        self.table = dict(table)
        self.calls: list[tuple[str, int]] = []
        self._lock = threading.Lock()

    async def __call__(self, host: str, port: int) -> list[str]:
        with self._lock:
            self.calls.append((host, port))
            count = sum(1 for h, _ in self.calls if h == host)
        answer = self.table.get(host)
        if answer is None:
            raise ResolveError(f"{host} is not in the stub resolver")
        if answer and not isinstance(answer[0], str):
            answers = [list(a) for a in answer]
            return answers[min(count, len(answers)) - 1]
        return [str(a) for a in answer]


def endless(chunk: bytes = b"x" * 16384) -> Iterator[bytes]:
    """An endless stream of ``chunk``."""
    while True:
        yield chunk
