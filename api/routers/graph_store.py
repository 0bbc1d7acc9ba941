"""``/store``: the SPARQL 1.1 Graph Store HTTP Protocol (what Oxigraph server and Fuseki users expect).

- ``GET``/``HEAD`` (everyone): ``?graph=IRI`` one named graph (404 if absent), ``?default`` the default
  graph, neither the whole dataset (TriG or N-Quads). Turtle, N-Triples, RDF/XML, JSON-LD by ``Accept``.
- ``PUT`` (write token): replace the graph with the body; 201 when the graph is new, 204 otherwise.
- ``POST`` (write token): add the body to the graph (201 when new, 204 otherwise); without ``?graph`` or
  ``?default``, a graph body becomes a new graph (201 with its IRI in ``Location``) and a dataset body
  (TriG, N-Quads) is added as it is.
- ``DELETE`` (write token): remove the graph; 404 if absent.

Bodies: N-Triples, Turtle, N-Quads, TriG, RDF/XML, JSON-LD (``Content-Type``: missing → 400, another →
415, unparsable → 400 with the parser's message). Each write is one SPARQL Update on the store, so it is
applied whole or not at all; blank nodes of a body are always new nodes.

Writes into an article's graph are allowed but ``vigie ingest`` replaces that graph on the next run:
corrections belong in the curation graph (see docs/curation.md).
"""

from __future__ import annotations

import asyncio
import os
import re
import uuid
from collections.abc import Iterator
from typing import Annotated

import pyoxigraph as ox
from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response, StreamingResponse

from api.auth import require_write_token
from api.deps import Context, context, shorten
from api.negotiation import RDF_OFFERS, Offer, choose
from ontology.namespaces import BASE_IRI, PREFIXES
from vigie.store import GraphStore, StoreError

router = APIRouter(tags=["graph store"])

#: Largest body accepted (``VIGIE_MAX_BODY_BYTES``, as the request limits).
MAX_BODY_BYTES = int(os.environ.get("VIGIE_MAX_BODY_BYTES") or 10 * 1024 * 1024)
#: Longest literal a graph sent to the store may hold (``VIGIE_MAX_LITERAL_CHARS``).
MAX_LITERAL_CHARS = int(os.environ.get("VIGIE_MAX_LITERAL_CHARS") or 1024 * 1024)
_DTD_DECLARATION = re.compile(rb"<!\s*(?:ENTITY|DOCTYPE[^>\[]*\[)", re.IGNORECASE)

QUAD_OFFERS: tuple[Offer, ...] = (
    Offer("application/trig", ox.RdfFormat.TRIG, ("application/x-trig",), ("trig",)),
    Offer("application/n-quads", ox.RdfFormat.N_QUADS, ("text/x-nquads",), ("nquads", "nq")),
)
GRAPH_OFFERS: tuple[Offer, ...] = (*RDF_OFFERS, *QUAD_OFFERS)

#: Body media types and their formats (parameters such as ``charset`` are ignored).
BODY_FORMATS: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE, "application/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES, "text/plain": ox.RdfFormat.N_TRIPLES,
    "application/n-quads": ox.RdfFormat.N_QUADS, "text/x-nquads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG, "application/x-trig": ox.RdfFormat.TRIG,
    "application/rdf+xml": ox.RdfFormat.RDF_XML, "application/xml": ox.RdfFormat.RDF_XML,
    "text/xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD, "application/json": ox.RdfFormat.JSON_LD,
}

_RESPONSES: dict[int | str, dict] = {
    201: {"description": "Written, and the graph is new (its IRI in `Location` when the server named it)."},
    204: {"description": "Written (the graph existed)."},
    400: {"description": "Malformed request: both ?graph and ?default, an invalid IRI, an unparsable body."},
    401: {"description": "A write without 'Authorization: Bearer <token>'."},
    403: {"description": "A write with a wrong token, or on a server without a write token."},
    404: {"description": "No such graph."},
    406: {"description": "No acceptable serialisation."},
    413: {"description": "Body too large."},
    415: {"description": "Unsupported body Content-Type."},
}

_DEFAULT = "default"


def _target(request: Request) -> ox.NamedNode | str | None:
    """The graph a request is about: a named graph, ``"default"``, or ``None`` (the whole dataset)."""
    graphs = request.query_params.getlist("graph")
    default = "default" in request.query_params
    if len(graphs) > 1:
        raise HTTPException(400, "more than one 'graph' parameter")
    if graphs and default:
        raise HTTPException(400, "give either ?graph=IRI or ?default, not both")
    if default:
        return _DEFAULT
    if graphs:
        try:
            return ox.NamedNode(graphs[0])
        except ValueError:
            raise HTTPException(400, f"invalid graph IRI {shorten(graphs[0])!r}") from None
    return None


def _exists(store: GraphStore, graph: ox.NamedNode) -> bool:
    embedded = getattr(store, "oxigraph", None)
    if embedded is not None:
        return embedded.contains_named_graph(graph)
    return any(g == graph for g in store.named_graphs())


# ------------------------------------------------------------------ reads


async def read_graph(request: Request, ctx: Annotated[Context, Depends(context)]) -> Response:
    """A named graph (`?graph=IRI`), the default graph (`?default`) or, with neither, the whole dataset."""
    target = _target(request)
    offers = QUAD_OFFERS if target is None else GRAPH_OFFERS
    offer = choose(offers, request.headers.get("accept"))
    if offer is None:
        raise HTTPException(406, f"cannot produce {shorten(request.headers.get('accept') or '')!r} "
                                 f"(available: {', '.join(o.media_type for o in offers)})")
    fmt = offer.format
    assert isinstance(fmt, ox.RdfFormat)
    store = ctx.store

    if target is None:
        if request.method == "HEAD":
            return Response(status_code=200, media_type=offer.media_type, headers={"Vary": "Accept"})
        return StreamingResponse(_dataset_chunks(store, fmt), media_type=offer.media_type, headers={"Vary": "Accept"})

    def serialise() -> bytes:
        if target == _DEFAULT:
            quads = _default_graph(store)
        else:
            assert isinstance(target, ox.NamedNode)
            if not _exists(store, target):
                raise HTTPException(404, f"no graph {shorten(target.value)!r}")
            quads = list(store.quads(target))
        if fmt.supports_datasets:
            return ox.serialize(quads, format=fmt, prefixes=PREFIXES)  # type: ignore[return-value]
        triples = list(dict.fromkeys(ox.Triple(q.subject, q.predicate, q.object) for q in quads))
        return ox.serialize(triples, format=fmt, prefixes=PREFIXES)  # type: ignore[return-value]

    body = await asyncio.to_thread(serialise)
    headers = {"Vary": "Accept", "Content-Length": str(len(body))}
    if request.method == "HEAD":
        return Response(status_code=200, media_type=offer.media_type, headers=headers)
    return Response(body, media_type=offer.media_type, headers={"Vary": "Accept"})


def _default_graph(store: GraphStore) -> list[ox.Quad]:
    """The triples of the store's default graph: the consolidated graph."""
    result = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", union_default_graph=False)
    return [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in result]  # type: ignore[union-attr]


def _dataset_chunks(store: GraphStore, fmt: ox.RdfFormat) -> Iterator[bytes]:
    """The named graphs, one at a time (TriG allows the prefixes again before each graph). The default
    graph is left out: it is derived from them (a store loaded from the dump rebuilds it)."""
    for graph in sorted(store.named_graphs(), key=lambda g: g.value):
        quads = list(store.quads(graph))
        if quads:
            yield ox.serialize(quads, format=fmt, prefixes=PREFIXES)  # type: ignore[misc]


router.add_api_route("/store", read_graph, methods=["GET"], responses=_RESPONSES, summary="Read a graph (GSP)",
                     operation_id="graph_store_get")
router.add_api_route("/store", read_graph, methods=["HEAD"], responses=_RESPONSES, summary="Graph headers (GSP)",
                     operation_id="graph_store_head", include_in_schema=False)


# ------------------------------------------------------------------ writes


async def _body(request: Request, target: ox.NamedNode | str | None) -> list[ox.Quad]:
    """The request body parsed: quads in the target graph (graph formats), or as given (datasets)."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if not media:
        raise HTTPException(400, "a Content-Type is required (text/turtle, application/n-triples, "
                                 "application/n-quads, application/trig, application/rdf+xml, application/ld+json)")
    fmt = BODY_FORMATS.get(media)
    if fmt is None:
        raise HTTPException(415, f"unsupported Content-Type {shorten(media)!r}: use one of "
                                 + ", ".join(sorted({f.media_type for f in BODY_FORMATS.values()})))
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_BODY_BYTES:
        raise HTTPException(413, f"body larger than {MAX_BODY_BYTES} bytes")
    data = bytearray()
    async for chunk in request.stream():
        data += chunk
        if len(data) > MAX_BODY_BYTES:
            raise HTTPException(413, f"body larger than {MAX_BODY_BYTES} bytes")
    if fmt == ox.RdfFormat.RDF_XML and _DTD_DECLARATION.search(data):
        # Internal entities expand a few hundred bytes into gigabytes (the "billion laughs"); external
        # ones name files and hosts. No RDF/XML worth storing needs a DTD declaration.
        raise HTTPException(400, "RDF/XML with <!ENTITY> or <!DOCTYPE … [ declarations is not accepted")
    base = target.value if isinstance(target, ox.NamedNode) else f"{BASE_IRI}graph/"
    try:
        parsed = await asyncio.to_thread(lambda: list(ox.parse(
            bytes(data), format=fmt, base_iri=base, rename_blank_nodes=True, without_named_graphs=target is not None,
        )))
    except SyntaxError as exc:
        raise HTTPException(400, f"cannot parse the {fmt.name} body: {exc}") from None
    except ValueError as exc:
        raise HTTPException(400, f"cannot parse the {fmt.name} body: {exc}") from None
    for quad in parsed:
        if isinstance(quad.object, ox.Literal) and len(quad.object.value) > MAX_LITERAL_CHARS:
            raise HTTPException(413, f"a literal of more than {MAX_LITERAL_CHARS} characters "
                                     f"(starting {quad.object.value[:40]!r})")
    if target is None:
        return parsed  # type: ignore[return-value]
    graph = ox.DefaultGraph() if target == _DEFAULT else target
    return [ox.Quad(q.subject, q.predicate, q.object, graph) for q in parsed]  # type: ignore[arg-type]


_DEFAULT_IS_CONSOLIDATED = (
    "the default graph is the consolidated graph, which Vigie maintains from the named graphs: "
    "write to a named graph (?graph=IRI) and it shows there"
)


async def _write(store: GraphStore, action, *args) -> None:
    try:
        await asyncio.to_thread(action, *args)
    except StoreError as exc:
        raise HTTPException(403, str(exc)) from None
    except SyntaxError as exc:  # a term pyoxigraph wrote that it cannot read back (should not happen)
        raise HTTPException(400, f"cannot store the body: {exc}") from None
    except OSError as exc:
        raise HTTPException(500, f"write failed: {exc}") from None


def _merged(store: GraphStore, quads: list[ox.Quad]) -> dict[ox.NamedNode, list[ox.Quad]]:
    """Each graph of ``quads`` with its current content and the new quads (a GSP POST merges)."""
    by_graph: dict[ox.NamedNode, list[ox.Quad]] = {}
    for q in quads:
        if not isinstance(q.graph_name, ox.NamedNode):
            raise HTTPException(409, _DEFAULT_IS_CONSOLIDATED)
        by_graph.setdefault(q.graph_name, []).append(q)
    return {g: list(dict.fromkeys([*store.quads(g), *added])) for g, added in by_graph.items()}


def _location(graph: ox.NamedNode) -> dict[str, str]:
    from urllib.parse import quote

    return {"Location": f"/store?graph={quote(graph.value, safe='')}"}


async def put_graph(request: Request, ctx: Annotated[Context, Depends(context)]) -> Response:
    """Replace a graph (`?graph=IRI` or `?default`) with the body."""
    target = _target(request)
    if target is None:
        raise HTTPException(400, "PUT needs ?graph=IRI or ?default (replacing the whole dataset is not offered)")
    if target == _DEFAULT:
        raise HTTPException(409, _DEFAULT_IS_CONSOLIDATED)
    quads = await _body(request, target)
    assert isinstance(target, ox.NamedNode)
    existed = await asyncio.to_thread(_exists, ctx.store, target)
    await _write(ctx.store, ctx.store.replace_graphs, {target: quads})
    return Response(status_code=204) if existed else Response(status_code=201, headers=_location(target))


async def post_graph(request: Request, ctx: Annotated[Context, Depends(context)]) -> Response:
    """Add the body to a graph; without a target, a new graph (graph body) or the dataset (TriG, N-Quads)."""
    target = _target(request)
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    fmt = BODY_FORMATS.get(media)
    if target is None and fmt is not None and not fmt.supports_datasets:
        target = ox.NamedNode(f"{BASE_IRI}graph/{uuid.uuid4()}")
        quads = await _body(request, target)
        await _write(ctx.store, ctx.store.replace_graphs, {target: quads})
        return Response(status_code=201, headers=_location(target))
    if target == _DEFAULT:
        raise HTTPException(409, _DEFAULT_IS_CONSOLIDATED)
    quads = await _body(request, target)
    if target is None:
        graphs = await asyncio.to_thread(_merged, ctx.store, quads)
        await _write(ctx.store, ctx.store.replace_graphs, graphs)
        return Response(status_code=204)
    assert isinstance(target, ox.NamedNode)
    existed = await asyncio.to_thread(_exists, ctx.store, target)
    graphs = await asyncio.to_thread(_merged, ctx.store, quads)
    await _write(ctx.store, ctx.store.replace_graphs, graphs or {target: list(ctx.store.quads(target))})
    return Response(status_code=204) if existed else Response(status_code=201, headers=_location(target))


async def delete_graph(request: Request, ctx: Annotated[Context, Depends(context)]) -> Response:
    """Remove a graph (`?graph=IRI`), or empty the default graph (`?default`)."""
    target = _target(request)
    if target is None:
        raise HTTPException(400, "DELETE needs ?graph=IRI or ?default (deleting the whole dataset is not offered)")
    if target == _DEFAULT:
        raise HTTPException(409, _DEFAULT_IS_CONSOLIDATED)
    assert isinstance(target, ox.NamedNode)
    if not await asyncio.to_thread(_exists, ctx.store, target):
        raise HTTPException(404, f"no graph {shorten(target.value)!r}")
    await _write(ctx.store, ctx.store.remove_graph, target)
    return Response(status_code=204)


_WRITE = [Depends(require_write_token)]
for _method, _endpoint, _summary in (("PUT", put_graph, "Replace a graph (GSP)"),
                                     ("POST", post_graph, "Add to a graph (GSP)"),
                                     ("DELETE", delete_graph, "Delete a graph (GSP)")):
    router.add_api_route("/store", _endpoint, methods=[_method], responses=_RESPONSES, summary=_summary,
                         dependencies=_WRITE, status_code=204, operation_id=f"graph_store_{_method.lower()}")
