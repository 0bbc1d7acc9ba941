"""A real HTTP server on 127.0.0.1 for the web tests: pages, feeds, robots.txt, redirects, errors, a host
that hangs. Each :class:`Site` is one server on its own ephemeral port (so one "host" for the polite
client); it records every request it answers, with when it started and ended."""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict = field(default_factory=dict)
    conditional: bool = False  # answer 304 to a matching If-None-Match / If-Modified-Since
    hang: bool = False  # never answer (until the site stops)
    gate: threading.Event | None = None  # answer only once it is set (``arrived`` is set when asked)
    arrived: threading.Event = field(default_factory=threading.Event)


@dataclass
class Hit:
    path: str
    started: float
    ended: float
    headers: dict
    status: int


class Site:
    """``Site().start()``; ``site.put(path, body)``; ``site.url(path)``; ``site.hits``; ``site.stop()``."""

    LAST_MODIFIED = "Mon, 01 Jun 2020 08:00:00 GMT"

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[Hit] = []
        self.released = threading.Event()  # set at stop: a hanging route returns
        self.active = 0
        self.most_active = 0
        self._lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site._serve(self)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, name="vigie-test-site", daemon=True)

    def start(self) -> Site:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.released.set()
        self.server.shutdown()
        self.server.server_close()

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def put(self, path: str, body: str | bytes, **options) -> str:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = Route(body=data, **options)
        return self.url(path)

    def redirect(self, path: str, target: str, status: int = 302) -> str:
        self.routes[path] = Route(status=status, headers={"Location": target})
        return self.url(path)

    def paths(self) -> list[str]:
        return [hit.path for hit in self.hits]

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        with self._lock:
            self.active += 1
            self.most_active = max(self.most_active, self.active)
        started = time.monotonic()
        hit = Hit(handler.path, started, started, dict(handler.headers), 0)
        with self._lock:  # recorded before answering: a client that has its answer finds its request here
            self.hits.append(hit)
        try:
            hit.status = self._answer(handler)
        except OSError:  # the client went away (a process killed while it waited)
            hit.status = 0
        finally:
            with self._lock:
                self.active -= 1
                hit.ended = time.monotonic()

    def _answer(self, handler: BaseHTTPRequestHandler) -> int:
        route = self.routes.get(handler.path.split("#")[0]) or self.routes.get(handler.path.split("?")[0])
        if route is None:
            return self._send(handler, 404, b"<html><body><h1>Page introuvable</h1></body></html>", "text/html")
        if route.hang:
            self.released.wait()
            return 0
        if route.gate is not None:
            route.arrived.set()
            route.gate.wait()
        etag = '"' + hashlib.sha256(route.body).hexdigest()[:16] + '"'
        headers = dict(route.headers)
        if route.conditional:
            headers.update({"ETag": etag, "Last-Modified": self.LAST_MODIFIED})
            if handler.headers.get("If-None-Match") == etag:
                return self._send(handler, 304, b"", None, headers)
        return self._send(handler, route.status, route.body, route.content_type, headers)

    @staticmethod
    def _send(handler, status: int, body: bytes, content_type: str | None, headers: dict | None = None) -> int:
        handler.send_response(status)
        if content_type:
            handler.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        if body:
            handler.wfile.write(body)
        return status
