"""The write token: who may change the graph (SPARQL Update, the Graph Store Protocol, curation routes).

A server started with ``--write-token`` (``VIGIE_WRITE_TOKEN``; ``--update-token``/``VIGIE_UPDATE_TOKEN`` are
the older names) accepts writes from requests carrying ``Authorization: Bearer <token>``. Without the
header: 401 with ``WWW-Authenticate: Bearer``; with another token, or on a server without one: 403. The
token is compared in constant time (:func:`hmac.compare_digest`). Nothing is written before the check.
"""

from __future__ import annotations

import hmac

from fastapi import HTTPException, Request


class WriteRefused(Exception):
    """A write the request may not make; ``status`` is 401 or 403."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def check_write_token(request: Request, token: str | None, what: str = "Writes") -> None:
    """Raise :class:`WriteRefused` unless ``request`` carries ``token`` as a bearer token."""
    if not token:
        raise WriteRefused(403, f"{what} are disabled on this server (start it with --write-token)")
    header = request.headers.get("authorization", "")
    if not header.strip():
        raise WriteRefused(401, f"{what} need 'Authorization: Bearer <token>'", {"WWW-Authenticate": "Bearer"})
    scheme, _, given = header.strip().partition(" ")
    # Compare even when the scheme is wrong, so that the time taken says nothing about the token.
    same = hmac.compare_digest(given.strip().encode("utf-8", "surrogatepass"), token.encode("utf-8"))
    if scheme.lower() != "bearer" or not same:
        raise WriteRefused(403, "wrong write token")


def require_write_token(request: Request) -> None:
    """FastAPI dependency for write routes: the app's write token, or a 401/403."""
    settings = request.app.state.vigie.settings
    try:
        check_write_token(request, settings.update_token)
    except WriteRefused as exc:
        raise HTTPException(exc.status, exc.message, headers=exc.headers or None) from None
