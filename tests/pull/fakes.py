"""A fake vendor API on 127.0.0.1 (http.server in a thread) serving JSON shaped like each vendor's documentation,
and a fake clock so retries and back-off never wait for real."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import parse_qs, urlsplit

from pipeline.pull.http import Timing


@dataclass
class Reply:
    status: int = 200
    body: Any = None  # JSON-serialisable, or bytes sent as they are
    headers: dict = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering: a slow response


@dataclass
class Request:
    method: str
    path: str
    query: dict
    headers: dict  # names lower-cased: HTTP header names are case-insensitive
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body or b"null")

    def arg(self, name: str, default: str | None = None) -> str | None:
        return self.query.get(name, [default])[0]


class FakeAPI:
    """Routes are (method, path) -> replies: a callable(request) or a list played in order (the last repeats)."""

    def __init__(self):
        self.routes: dict[tuple[str, str], Any] = {}
        self.requests: list[Request] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        # serve_forever polls for shutdown every 0.5 s by default: half a second of every test's teardown.
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02},
                                        daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def add(self, method: str, path: str, *replies: Reply | Callable[[Request], Reply]) -> None:
        self.routes[(method, path)] = list(replies)

    def hits(self, method: str, path: str) -> list[Request]:
        return [r for r in self.requests if r.method == method and r.path == path]

    def __enter__(self) -> "FakeAPI":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _answer(self, request: Request) -> Reply:
        self.requests.append(request)
        replies = self.routes.get((request.method, request.path))
        if not replies:
            return Reply(404, {"message": f"no fake for {request.method} {request.path}"})
        reply = replies.pop(0) if len(replies) > 1 else replies[0]
        return reply(request) if callable(reply) else reply

    def _handler(self):
        api = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                request = Request(self.command, parts.path, parse_qs(parts.query), {k.lower(): v for k, v in self.headers.items()},
                                  self.rfile.read(length) if length else b"")
                reply = api._answer(request)
                if reply.delay:
                    time.sleep(reply.delay)
                body = reply.body if isinstance(reply.body, bytes) else json.dumps(reply.body).encode()
                try:
                    self.send_response(reply.status)
                    for key, value in reply.headers.items():
                        self.send_header(key, value)
                    if "Content-Type" not in reply.headers:
                        self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up on a slow answer
                    pass

            do_GET = do_POST = _serve

            def log_message(self, *args) -> None:  # quiet test output
                pass

        return Handler


class FakeClock:
    def __init__(self):
        self.now = 1000.0
        self.sleeps: list[float] = []
        self.timing = Timing(self.monotonic, self.sleep)

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
