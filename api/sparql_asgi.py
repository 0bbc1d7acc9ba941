"""``/sparql`` answered in front of FastAPI's routing: the SPARQL Protocol's requests skip the route table,
the dependency injection and the exception middlewares, which cost more than a point query itself.

The request still goes through every protection in front of the app (URL and body size limits, CORS, the
``X-Vigie-Store`` header: they wrap this middleware) and is answered by the same handler as the FastAPI
route (:func:`api.routers.sparql.sparql`), which stays registered for the OpenAPI description and for the
methods this path does not take (``HEAD``, ``OPTIONS``, ``PUT``… get FastAPI's answers).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from api.deps import Context
from api.routers.sparql import sparql

#: The protocol's paths (Vigie's, and Oxigraph server's) and the methods answered here.
ROUTES: dict[str, frozenset[str]] = {
    "/sparql": frozenset({"GET", "POST"}),
    "/query": frozenset({"GET", "POST"}),
    "/update": frozenset({"POST"}),
}


class SparqlFastPath:
    """ASGI middleware: ``GET``/``POST`` on the SPARQL paths go straight to the protocol's handler."""

    def __init__(self, app: ASGIApp, context: Context) -> None:
        self.app = app
        self.context = context

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in ROUTES.get(_route_path(scope), ()):
            response = await sparql(Request(scope, receive), self.context)
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _route_path(scope: Scope) -> str:
    """The path the router would match: without the ``root_path`` the app is mounted under."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    return path[len(root):] if root and path.startswith(root) else path
