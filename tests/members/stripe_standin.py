"""A local stand-in for the part of Stripe's API the adapter calls (a hand-written fake at
the edge: no test reaches the internet), and Stripe's webhook signature, computed here
from Stripe's published scheme rather than with the package under test."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

WEBHOOK_SECRET = "whsec_test_secret"
API_KEY = "sk_test_standin"


def sign(payload: bytes, secret: str = WEBHOOK_SECRET, at: int | None = None) -> str:
    """The ``Stripe-Signature`` header of ``payload``: ``t=<unix time>,v1=<hex HMAC-SHA256
    of "t.payload" with the endpoint secret>``."""
    t = int(time.time()) if at is None else at
    digest = hmac.new(secret.encode(), f"{t}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={t},v1={digest}"


def event(kind: str, obj: dict[str, Any], *, event_id: str, created: int) -> bytes:
    body = {
        "id": event_id,
        "object": "event",
        "type": kind,
        "created": created,
        "data": {"object": obj},
        "livemode": False,
        "api_version": "2025-06-30.basil",
    }
    return json.dumps(body).encode()


@dataclass
class StripeStandIn:
    url: str = ""
    requests: list[tuple[str, str, dict[str, list[str]], str]] = field(default_factory=list)

    def answer(
        self, method: str, path: str, form: dict[str, list[str]]
    ) -> tuple[int, dict[str, Any]]:
        if (method, path) == ("POST", "/v1/customers"):
            return 200, {"id": "cus_standin1", "object": "customer", "email": form["email"][0]}
        if (method, path) == ("POST", "/v1/checkout/sessions"):
            return 200, {
                "id": "cs_1",
                "object": "checkout.session",
                "url": "https://checkout.stripe.test/c/cs_1",
            }
        if (method, path) == ("POST", "/v1/billing_portal/sessions"):
            return 200, {
                "id": "bps_1",
                "object": "billing_portal.session",
                "url": "https://billing.stripe.test/p/1",
            }
        if method == "DELETE" and path.startswith("/v1/subscriptions/"):
            return 200, {
                "id": path.rsplit("/", 1)[1],
                "object": "subscription",
                "status": "canceled",
            }
        return 404, {"error": {"type": "invalid_request_error", "message": f"no route {path}"}}


@contextmanager
def stripe_standin() -> Iterator[StripeStandIn]:
    standin = StripeStandIn()

    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode()
            form = parse_qs(body)
            path = self.path.split("?", 1)[0]
            standin.requests.append(
                (self.command, path, form, self.headers.get("Authorization", ""))
            )
            status, answer = standin.answer(self.command, path, form)
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_DELETE = _handle

        def log_message(self, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    standin.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield standin
    finally:
        server.shutdown()
        server.server_close()
