"""A real HTTP server on 127.0.0.1 and a random port, standing in for an SMS or Zalo gateway.

Each test says how it answers (status, body, delay); it records what it was sent. Nothing in
the tests that use it reaches any other host.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    status: int = 200
    body: bytes = b'{"message_id": "gw-1"}'
    delay_seconds: float = 0.0
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "application/json"})


@dataclass(frozen=True)
class ReceivedRequest:
    path: str
    headers: dict[str, str]
    payload: Any


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    gateway: FakeGateway

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up (the timeout test) is expected; stay quiet about it."""


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
        gateway = self.server.gateway
        raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        try:
            payload = json.loads(raw)
        except ValueError:
            payload = raw
        gateway.received.append(
            ReceivedRequest(self.path, {k.lower(): v for k, v in self.headers.items()}, payload)
        )
        reply = gateway.reply
        if reply.delay_seconds:
            gateway.release.wait(reply.delay_seconds)
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        self.wfile.write(reply.body)

    def log_message(self, format: str, *args: Any) -> None:
        """No request log on the test output."""


class FakeGateway:
    """A gateway on 127.0.0.1: set ``reply``, send, then read ``received``."""

    def __init__(self) -> None:
        self.reply = Reply()
        self.received: list[ReceivedRequest] = []
        self.release = threading.Event()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.gateway = self

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def url(self, path: str = "/send") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def running(self) -> Iterator[FakeGateway]:
        thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        thread.start()
        try:
            yield self
        finally:
            self.release.set()
            self._server.shutdown()
            self._server.server_close()
            thread.join(timeout=5)
