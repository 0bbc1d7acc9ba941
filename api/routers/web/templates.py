"""The Jinja environment of the pages and the HTML answers rendered with it."""

from __future__ import annotations

from functools import cache
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader

from .formatting import KIND_NAMES, KIND_PLURALS, href, human_date, human_duration
from .layout import NODE_W

#: Content-Security-Policy of every page: no inline script or style, nothing from elsewhere.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)


@cache
def environment() -> Environment:
    """Templates of ``api/templates``, autoescaped, with the pages' filters and globals."""
    env = Environment(loader=PackageLoader("api", "templates"), autoescape=True, trim_blocks=True,
                      lstrip_blocks=True)
    env.globals.update(href=href, kind_names=KIND_NAMES, kind_plurals=KIND_PLURALS, node_w=NODE_W)
    env.filters.update(human_date=human_date, human_duration=human_duration)
    return env


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """A page, with the headers that keep it self-contained (no script or style from elsewhere)."""
    html = environment().get_template(template).render(request=request, path=request.url.path, **context)
    return HTMLResponse(html, status_code=status_code, headers={
        "Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"})


def not_found(request: Request, message: str) -> HTMLResponse:
    return render(request, "error.html", status_code=404, title="Introuvable", message=message)
