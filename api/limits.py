"""Request size limits: the protections that sit in front of every route.

- Request bodies larger than ``max_body_bytes`` are refused with 413 before any route reads them, whether
  the client announced the size (``Content-Length``) or streams it (chunked): the body is read up to the
  limit and no further.
- URLs (path + query string) longer than ``max_url_bytes`` are refused with 414.

Each refusal is a JSON body ``{"detail": "..."}`` saying which limit and how to change it.
Settings come from the environment when not given: ``VIGIE_MAX_BODY_BYTES``, ``VIGIE_MAX_URL_BYTES``.
(CORS, off unless ``VIGIE_CORS_ORIGINS`` names origins, is set up in :func:`api.app.create_app`.)
"""

from __future__ import annotations

import json
import os

#: Largest request body accepted by default (a SPARQL query, an update, a graph sent to the Graph Store).
MAX_BODY_BYTES = 10 * 1024 * 1024
#: Longest URL (path and query string) accepted by default.
MAX_URL_BYTES = 8 * 1024


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    try:
        return int(value) if value else default
    except ValueError:
        return default


class RequestLimits:
    """ASGI middleware enforcing the URL and body size limits."""

    def __init__(self, app, *, max_body_bytes: int = MAX_BODY_BYTES, max_url_bytes: int = MAX_URL_BYTES) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_url_bytes = max_url_bytes

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        url_bytes = len(scope.get("raw_path") or scope["path"].encode()) + len(scope.get("query_string") or b"")
        if url_bytes > self.max_url_bytes:
            await _refuse(send, 414, f"URL too long: {url_bytes} bytes (maximum {self.max_url_bytes}); "
                                     "send the query in a POST body instead")
            return
        length = _content_length(scope)
        if length is not None and length > self.max_body_bytes:
            await _refuse(send, 413, f"request body too large: {length} bytes (maximum {self.max_body_bytes})")
            return
        if length is not None:
            await self.app(scope, receive, send)  # the server stops reading at Content-Length
            return
        # No Content-Length (chunked, or no body): read the body up to the limit, then replay it.
        chunks: list[bytes] = []
        total = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, _replay([], message), send)
                return
            body = message.get("body", b"")
            total += len(body)
            if total > self.max_body_bytes:
                await _refuse(send, 413, f"request body too large: more than {self.max_body_bytes} bytes")
                return
            chunks.append(body)
            if not message.get("more_body", False):
                break
        await self.app(scope, _replay(chunks, None, receive), send)


def _content_length(scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _replay(chunks: list[bytes], final, receive=None):
    sent = False

    async def replay():
        nonlocal sent
        if not sent:
            sent = True
            if final is not None:
                return final
            return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
        if receive is not None:
            return await receive()  # later messages: the client's disconnect
        return {"type": "http.disconnect"}

    return replay


async def _refuse(send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send({
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close")],
    })
    await send({"type": "http.response.body", "body": body})


def install(app, *, max_body_bytes: int | None = None, max_url_bytes: int | None = None) -> None:
    """Add the limits to a FastAPI/Starlette ``app`` (added last, so they run before anything else)."""
    if max_body_bytes is None:
        max_body_bytes = _env_int("VIGIE_MAX_BODY_BYTES", MAX_BODY_BYTES)
    if max_url_bytes is None:
        max_url_bytes = _env_int("VIGIE_MAX_URL_BYTES", MAX_URL_BYTES)
    app.add_middleware(RequestLimits, max_body_bytes=max_body_bytes, max_url_bytes=max_url_bytes)
