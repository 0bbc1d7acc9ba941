"""The page routes: check ids, pick what to show (:mod:`.pages`), render it (:mod:`.templates`)."""

from __future__ import annotations

from importlib import resources
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.deps import Context, context
from ontology.iris import is_slug, mint

from . import pages, reads
from .editor import editor
from .formatting import KIND_NAMES
from .templates import not_found, render

router = APIRouter(include_in_schema=False)
Ctx = Annotated[Context, Depends(context)]

MAX_SEARCH_CHARS = 200
STATIC = {
    "vigie.css": "text/css; charset=utf-8",
    "sparql.js": "text/javascript; charset=utf-8",
    "favicon.svg": "image/svg+xml",
}


@router.get("/", response_class=HTMLResponse)
def home(request: Request, ctx: Ctx,
         q: Annotated[str | None, Query(max_length=MAX_SEARCH_CHARS)] = None) -> HTMLResponse:
    return render(request, "home.html", **pages.home(ctx.graph, q))


@router.get("/ui")
def ui_root() -> RedirectResponse:
    return RedirectResponse("/", status_code=307)


def _actor_page(request: Request, ctx: Context, kind: str, id: str) -> Response:
    """An actor's page; a 404 page for an unknown or invalid id, a redirect to the lower-case id."""
    slug = id.strip().lower()
    name = KIND_NAMES[kind].lower()
    if not is_slug(slug):
        return not_found(request, f"Identifiant invalide pour une page « {name} ».")
    if slug != id:
        return RedirectResponse(f"/ui/{kind}/{slug}", status_code=308)
    iri = mint(kind, slug)
    found = pages.actor(ctx.graph, kind, iri)
    if found is None:
        return not_found(request, f"Aucune entrée « {name} » avec l’identifiant {slug}.")
    names, entity = found
    if kind == "company":
        return render(request, "company.html", **pages.company(ctx.graph, names, iri, entity))
    return render(request, "actor.html", **pages.advocate_or_legislature(ctx.graph, names, kind, iri, entity))


@router.get("/ui/company/{id}", response_class=HTMLResponse)
def company_page(request: Request, ctx: Ctx, id: str) -> Response:
    return _actor_page(request, ctx, "company", id)


@router.get("/ui/advocate/{id}", response_class=HTMLResponse)
def advocate_page(request: Request, ctx: Ctx, id: str) -> Response:
    return _actor_page(request, ctx, "advocate", id)


@router.get("/ui/legislature/{id}", response_class=HTMLResponse)
def legislature_page(request: Request, ctx: Ctx, id: str) -> Response:
    return _actor_page(request, ctx, "legislature", id)


@router.get("/ui/documents", response_class=HTMLResponse)
def documents_page(request: Request, ctx: Ctx,
                   page: Annotated[int, Query(ge=1, le=100_000)] = 1) -> HTMLResponse:
    return render(request, "documents.html", **pages.documents(ctx.graph, page))


@router.get("/ui/document/{id}", response_class=HTMLResponse)
def document_page(request: Request, ctx: Ctx, id: str) -> Response:
    slug = id.strip().lower()
    if not is_slug(slug):
        return not_found(request, "Identifiant d’article invalide.")
    info = reads.document(ctx.graph, slug)
    if info is None:
        return not_found(request, f"Aucun article avec l’identifiant {slug}.")
    return render(request, "document.html", **pages.document(ctx.graph, info))


@router.get("/ui/timeline", response_class=HTMLResponse)
def timeline_page(request: Request, ctx: Ctx) -> HTMLResponse:
    return render(request, "timeline.html", **pages.timeline(ctx.graph))


@router.get("/ui/graph", response_class=HTMLResponse)
def graph_page(request: Request, ctx: Ctx) -> HTMLResponse:
    return render(request, "graph.html", **pages.overview(ctx.graph))


@router.get("/ui/sparql", response_class=HTMLResponse)
async def sparql_page(
    request: Request,
    ctx: Ctx,
    query: Annotated[str | None, Query()] = None,
    example: Annotated[str | None, Query(max_length=100)] = None,
) -> HTMLResponse:
    status, shown = await editor(ctx.engine, ctx.registry, query, example)
    return render(request, "sparql.html", status_code=status, title="SPARQL", **shown)


@router.post("/ui/sparql", response_class=HTMLResponse)
async def sparql_post(request: Request, ctx: Ctx, query: Annotated[str, Form()] = "") -> HTMLResponse:
    status, shown = await editor(ctx.engine, ctx.registry, query, None)
    return render(request, "sparql.html", status_code=status, title="SPARQL", **shown)


@router.get("/ui/static/{name}")
def static(name: str) -> Response:
    """The pages' stylesheet, script and icon (only these: no path from the URL reaches the disk)."""
    if name not in STATIC:
        return Response("not found\n", status_code=404, media_type="text/plain")
    data = resources.files("api").joinpath("static", name).read_bytes()
    return Response(data, media_type=STATIC[name], headers={"Cache-Control": "public, max-age=3600",
                                                            "X-Content-Type-Options": "nosniff"})
