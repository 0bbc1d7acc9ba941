"""The Vigie web API: SPARQL 1.1 Protocol at ``/sparql``, a REST layer over named queries, OpenAPI at ``/docs``.

``vigie serve`` runs ``uvicorn api.app:create_app --factory``; tests call :func:`create_app` with a store.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi_offline import FastAPIOffline

from api import errors, limits
from api.cache import AnswerCache, watch_writes
from api.deps import Context
from api.engine import Engine
from api.graph import Graph
from api.routers import (
    advocates,
    companies,
    curation,
    documents,
    export,
    graph_store,
    legislatures,
    policies,
    queries,
    redoc,
    sparql,
    web,
)
from api.settings import Settings
from api.sparql_asgi import SparqlFastPath
from api.sparql_worker import WorkerPool
from queries import registry as default_registry
from vigie.backends import open_store
from vigie.store import GraphStore, Store

DESCRIPTION = """\
What technology companies decided about facial recognition and other sensitive technologies, read
from French news and kept as an RDF knowledge graph.

* **REST**: companies, policies, advocates, legislatures and articles as JSON; every entity route also
  answers in RDF (`Accept: text/turtle`).
* **SPARQL**: the SPARQL 1.1 Protocol at `/sparql` (read-only unless the server has a write token), and the
  Graph Store Protocol at `/store`.
* **Curation** (write token): reject a policy, undo it, add aliases; corrections survive re-extraction.
* **Named queries**: `/queries` lists the SPARQL queries behind the REST routes; `/queries/{name}` runs one.
"""

#: Query workers started with the server (one per query slot, at most this many; more start on demand).
PRESTARTED_WORKERS = 4


def create_app(store: GraphStore | None = None, settings: Settings | None = None) -> FastAPI:
    """Build the application over ``store`` (default: the store ``settings.store_path`` names: a folder or a
    SPARQL server's URL)."""
    settings = settings or Settings.from_env()
    if store is None:
        store = open_store(settings.store_path, read_only=settings.read_only)
    registry = default_registry()
    # REST answers are cached until the store is written (by this process: watch_writes); an embedded
    # store is only written by this process, a SPARQL server may be written by others, so no cache there.
    cache = AnswerCache(max_age=settings.rest_cache_seconds, enabled=settings.rest_cache and isinstance(store, Store))
    watch_writes(store, cache.invalidate)
    # /sparql queries run in killable worker processes over an on-disk store (api.sparql_worker).
    # Without them, the exact SERVICE check (Oxigraph's parser on user text) runs in store-less workers.
    memory = settings.worker_memory_mb * 1024 * 1024
    workers = guards = None
    if settings.sparql_workers and isinstance(store, Store) and store.path is not None:
        workers = WorkerPool(str(store.path), memory)
    else:
        guards = WorkerPool(None, memory)
    engine = Engine(
        store,
        timeout=settings.query_timeout,
        max_rows=settings.max_rows,
        max_running=settings.max_running_queries,
        allow_service=settings.allow_service,
        max_query_bytes=settings.max_query_bytes,
        max_depth=settings.max_query_depth,
        max_result_bytes=settings.max_result_bytes,
        queue_seconds=settings.query_queue_seconds,
        workers=workers,
        guards=guards,
        generation=lambda: cache.generation,
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if workers is not None:
            # A worker per query slot (up to PRESTARTED_WORKERS): concurrent queries do not wait for a start.
            count = min(settings.max_running_queries, PRESTARTED_WORKERS)
            threading.Thread(target=workers.prestart, args=(count,), name="vigie-worker-start", daemon=True).start()
        yield
        engine.close()

    # Swagger UI (/docs) and ReDoc (/redoc) from assets shipped in the package, never a CDN: the docs work on
    # a machine without internet, and the page makes no request to another host.
    app = FastAPIOffline(title="Vigie", version="0.1.0", description=DESCRIPTION, lifespan=lifespan, redoc_url=None)
    app.include_router(redoc.router)
    weakref.finalize(app, engine.close)
    app.state.vigie = Context(store=store, settings=settings, registry=registry,
                              graph=Graph(store, registry, cache), engine=engine)
    # /sparql's GET and POST skip FastAPI's routing (added first: inside CORS and the size limits).
    app.add_middleware(SparqlFastPath, context=app.state.vigie)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware, allow_origins=list(settings.cors_origins), allow_methods=["GET", "POST"],
            allow_headers=["Accept", "Content-Type", "Authorization"],
        )
    for module in (curation, companies, policies, advocates, legislatures, documents, queries, sparql, graph_store,
                   export, web):
        app.include_router(module.router)
    # Body and URL size limits in front of every route (VIGIE_MAX_BODY_BYTES, VIGIE_MAX_URL_BYTES).
    limits.install(app)
    errors.install(app)
    app.add_middleware(_NamesItself)
    return app


class _NamesItself:
    """Adds ``X-Vigie-Store: consolidated`` to every answer: a client writing through this server (``--store
    URL``) then uses the Graph Store Protocol, whose writes this server consolidates itself, instead of the
    SPARQL Updates that keep a plain SPARQL server's default graph consolidated."""

    HEADER = (b"x-vigie-store", b"consolidated")

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_named(message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), self.HEADER]
            await send(message)

        await self.app(scope, receive, send_named)
