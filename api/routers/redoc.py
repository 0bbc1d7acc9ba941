"""``/redoc``: ReDoc from the copy fastapi-offline ships, without its one request to another host.

The ReDoc bundle shows Redocly's logo from ``cdn.redoc.ly`` in its footer; the bundle is served here with
that address pointing at the local favicon, so the page makes no request off the machine.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import fastapi_offline
from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_redoc_html
from fastapi.responses import HTMLResponse, Response

_BUNDLE = Path(fastapi_offline.__file__).parent / "static" / "redoc.standalone.js"
_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
_LOCAL_LOGO = "/static-offline-docs/favicon.png"

router = APIRouter(include_in_schema=False)


@cache
def _bundle() -> bytes:
    return _BUNDLE.read_bytes().replace(_LOGO.encode(), _LOCAL_LOGO.encode())


@router.get("/redoc")
async def redoc(request: Request) -> HTMLResponse:
    root = request.scope.get("root_path", "")
    return get_redoc_html(openapi_url=f"{root}/openapi.json", title="Vigie - ReDoc",
                          redoc_js_url=f"{root}/redoc-offline/redoc.standalone.js", with_google_fonts=False,
                          redoc_favicon_url=f"{root}{_LOCAL_LOGO}")


@router.get("/redoc-offline/redoc.standalone.js")
async def redoc_bundle() -> Response:
    return Response(_bundle(), media_type="text/javascript", headers={"Cache-Control": "public, max-age=86400"})
