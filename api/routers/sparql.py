"""``/sparql``: the SPARQL 1.1 Protocol (query; update only with the server's update token)."""

from __future__ import annotations

import asyncio
from typing import Annotated
from urllib.parse import parse_qsl

import pyoxigraph as ox
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from api import sparql_editor
from api.auth import WriteRefused, check_write_token
from api.deps import Context, context
from api.negotiation import RDF_OFFERS, choose, parse_accept
from api.sparql_results import SparqlError, serialize_triples
from api.update_dataset import DatasetConflict, with_using
from vigie.store import StoreError

router = APIRouter(tags=["sparql"])

_FORM = "application/x-www-form-urlencoded"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_QUERY = "application/sparql-query"
_UPDATE = "application/sparql-update"

_DOC_RESPONSES: dict[int | str, dict] = {
    200: {
        "description": "SELECT/ASK: SPARQL results (JSON, XML, CSV, TSV). CONSTRUCT/DESCRIBE: RDF "
        "(Turtle, N-Triples, RDF/XML, JSON-LD). Chosen by the `Accept` header.",
        "content": {
            "application/sparql-results+json": {}, "application/sparql-results+xml": {}, "text/csv": {},
            "text/tab-separated-values": {}, "text/turtle": {}, "application/n-triples": {},
            "application/rdf+xml": {}, "application/ld+json": {},
        },
    },
    204: {"description": "Update done (only with the update token)."},
    400: {"description": "Malformed query or request; the parser's message is in `detail`."},
    401: {"description": "Update without a token, on a server that has one."},
    403: {"description": "Update refused: updates disabled, or wrong token."},
    406: {"description": "No acceptable format for this query form."},
    413: {"description": "Query or result too large."},
    415: {"description": "Unsupported request content type."},
    503: {"description": "Time limit exceeded, or too many queries running."},
}


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"detail": message}, status_code=status, headers=headers)


def _graphs(values: list[str], name: str) -> list[ox.NamedNode]:
    graphs = []
    for value in values:
        try:
            graphs.append(ox.NamedNode(value))
        except ValueError:
            raise SparqlError(400, f"invalid {name} {value[:200]!r}") from None
    return graphs


async def _params(request: Request, max_bytes: int) -> tuple[dict[str, list[str]], str | None, str | None]:
    """Protocol parameters (URL and form), and the query or update sent directly in the body."""
    params: dict[str, list[str]] = {}
    # As Starlette reads the query string (request.query_params), without building its multi-dict.
    for key, value in parse_qsl(request.scope["query_string"].decode("latin-1"), keep_blank_values=True):
        params.setdefault(key, []).append(value)
    if request.method != "POST":
        if _has_body(request):
            raise SparqlError(400, f"a {request.method} request carries no body: send the query in the URL, or POST it")
        return params, None, None
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > max_bytes:
        raise SparqlError(413, f"request body larger than {max_bytes} bytes")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > max_bytes:
            raise SparqlError(413, f"request body larger than {max_bytes} bytes")
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise SparqlError(400, "the request body is not UTF-8") from None
    if media == _FORM:
        for key, value in parse_qsl(text, keep_blank_values=True):
            params.setdefault(key, []).append(value)
        return params, None, None
    if media == _QUERY:
        return params, text, None
    if media == _UPDATE:
        return params, None, text
    raise SparqlError(
        415, f"unsupported content type {media or '(none)'!r}: use {_FORM}, {_QUERY} or {_UPDATE}"
    )


def _has_body(request: Request) -> bool:
    length = request.headers.get("content-length", "").strip()
    return (length.isdigit() and int(length) > 0) or "transfer-encoding" in request.headers


#: Values of the SPARQL 1.2 Protocol's ``version`` parameter this endpoint accepts.
VERSIONS = ("1.1", "1.2", "1.2-basic")


def _check_version(params: dict[str, list[str]]) -> None:
    version = _one(params, "version")
    if version is not None and version.strip() not in VERSIONS:
        raise SparqlError(400, f"unsupported SPARQL version {version[:20]!r} (supported: {', '.join(VERSIONS)})")


def _one(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name)
    if not values:
        return None
    if len(values) > 1:
        raise SparqlError(400, f"more than one {name!r} parameter")
    return values[0]


async def sparql(request: Request, ctx: Annotated[Context, Depends(context)]) -> Response:
    """SPARQL 1.1 Protocol: `GET ?query=`, `POST` form-encoded (`query=`/`update=`) or direct
    (`application/sparql-query`, `application/sparql-update`); `default-graph-uri` and `named-graph-uri`.

    Queries see the union of all graphs unless a dataset is given. Updates need the server's update
    token (`Authorization: Bearer …`).
    """
    try:
        params, direct_query, direct_update = await _params(request, ctx.settings.max_query_bytes)
        _check_version(params)
        query = direct_query if direct_query is not None else _one(params, "query")
        update = direct_update if direct_update is not None else _one(params, "update")
        if direct_query is not None and "query" in params:
            raise SparqlError(400, "a query both in the body and in the 'query' parameter")
        if query is not None and update is not None:
            raise SparqlError(400, "a request holds either a query or an update, not both")
        if update is not None:
            if request.method != "POST":
                raise SparqlError(400, "an update must be sent with POST")
            if direct_update is not None and "update" in params:
                raise SparqlError(400, "an update both in the body and in the 'update' parameter")
            return await _update(request, ctx, update, params)
        if query is None:
            bare_get = request.method == "GET" and not params
            if bare_get and sparql_editor.wants_editor(request.headers.get("accept", "")):
                # A browser (it asks for HTML first, and for application/xml too): the editor.
                endpoint = str(request.url.replace(query="", fragment=""))
                return HTMLResponse(sparql_editor.page(endpoint, ctx.registry), headers={"Vary": "Accept"})
            description = _service_description(request, ctx) if bare_get else None
            if description is not None:
                return description
            raise SparqlError(400, "missing 'query' parameter")
        return await _query(request, ctx, query, params)
    except SparqlError as exc:
        return _error(exc.status, exc.message, exc.headers)


for _method in ("GET", "POST"):
    router.add_api_route(
        "/sparql", sparql, methods=[_method], responses=_DOC_RESPONSES, summary=f"SPARQL 1.1 endpoint ({_method})",
        operation_id=f"sparql_{_method.lower()}",
    )
@router.get("/sparql/editor/{name}", include_in_schema=False)
async def editor_asset(name: str) -> Response:
    """YASGUI's vendored files (the editor a browser gets at /sparql)."""
    media_type = sparql_editor.ASSETS.get(name)
    if media_type is None:
        return _error(404, f"no editor file {name[:80]!r}")
    body = await asyncio.to_thread((sparql_editor.ASSET_DIR / name).read_bytes)
    return Response(body, media_type=media_type, headers={"Cache-Control": "public, max-age=86400"})


# Oxigraph server's paths, answered the same way: a client configured for Oxigraph server (Vigie's own
# `--store http://HOST:PORT`, which writes through the Graph Store Protocol at /store) works unchanged.
for _path, _methods in (("/query", ("GET", "POST")), ("/update", ("POST",))):
    for _method in _methods:
        router.add_api_route(
            _path, sparql, methods=[_method], responses=_DOC_RESPONSES,
            summary=f"SPARQL 1.1 endpoint at Oxigraph server's {_path} ({_method})",
            operation_id=f"sparql{_path.replace('/', '_')}_{_method.lower()}",
        )


async def _query(request: Request, ctx: Context, query: str, params: dict[str, list[str]]) -> Response:
    engine = ctx.engine
    form = await engine.accept(query)
    format_name = _one(params, "format") or _one(params, "output")
    offer = engine.offer_for(form, request.headers.get("accept"), format_name)
    default = params.get("default-graph-uri")
    named = params.get("named-graph-uri")
    dataset = default is not None or named is not None
    answer = await engine.run(
        query,
        offer,
        default_graph=_graphs(default or [], "default-graph-uri") if dataset else None,
        named_graphs=_graphs(named or [], "named-graph-uri") if dataset else None,
    )
    return Response(answer.body, media_type=offer.media_type, headers={"Vary": "Accept"})


_SD = "http://www.w3.org/ns/sparql-service-description#"
_FORMATS = "http://www.w3.org/ns/formats/"


def _service_description(request: Request, ctx: Context) -> Response | None:
    """The SPARQL 1.1 Service Description of the endpoint, for a GET without a query that asks for RDF."""
    accept = request.headers.get("accept") or ""
    offer = choose(RDF_OFFERS, accept)
    if offer is None or not any(o.matches(r) for o in RDF_OFFERS for r in parse_accept(accept) if "*" not in r):
        return None
    endpoint = ox.NamedNode(str(request.url.replace(query="", fragment="")))
    sd = ox.BlankNode()
    triples = [
        ox.Triple(endpoint, ox.NamedNode(_RDF + "type"), ox.NamedNode(_SD + "Service")),
        ox.Triple(endpoint, ox.NamedNode(_SD + "endpoint"), endpoint),
        ox.Triple(endpoint, ox.NamedNode(_SD + "supportedLanguage"), ox.NamedNode(_SD + "SPARQL11Query")),
        ox.Triple(endpoint, ox.NamedNode(_SD + "feature"), ox.NamedNode(_SD + "UnionDefaultGraph")),
        ox.Triple(endpoint, ox.NamedNode(_SD + "defaultDataset"), sd),
        ox.Triple(sd, ox.NamedNode(_RDF + "type"), ox.NamedNode(_SD + "Dataset")),
    ]
    if ctx.settings.update_token:
        triples.append(ox.Triple(endpoint, ox.NamedNode(_SD + "supportedLanguage"),
                                 ox.NamedNode(_SD + "SPARQL11Update")))
    for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                 "Turtle", "N-Triples", "RDF_XML", "JSON-LD"):
        triples.append(ox.Triple(endpoint, ox.NamedNode(_SD + "resultFormat"), ox.NamedNode(_FORMATS + name)))
    return Response(serialize_triples(triples, offer.format), media_type=offer.media_type,  # type: ignore[arg-type]
                    headers={"Vary": "Accept"})


def _authorised(request: Request, token: str | None) -> None:
    """Check the bearer token in constant time: 403 without a configured token or with a wrong one, 401 without one."""
    try:
        check_write_token(request, token, "SPARQL updates")
    except WriteRefused as exc:
        raise SparqlError(exc.status, exc.message, exc.headers) from None


async def _update(request: Request, ctx: Context, update: str, params: dict[str, list[str]]) -> Response:
    _authorised(request, ctx.settings.update_token)
    try:
        update = with_using(update, _graphs(params.get("using-graph-uri", []), "using-graph-uri"),
                            _graphs(params.get("using-named-graph-uri", []), "using-named-graph-uri"))
    except DatasetConflict as exc:
        raise SparqlError(400, str(exc)) from None
    # Read (size, depth, a first LOAD/SERVICE check) before any parser sees it; then the parser's own
    # verdict on LOAD <url> and SERVICE <url>, in a worker process: refused unless enabled.
    await asyncio.to_thread(ctx.engine.check, update, update=True)
    await ctx.engine.guard(update, update=True)
    try:
        await asyncio.to_thread(ctx.store.update, update)
    except SyntaxError as exc:
        raise SparqlError(400, f"malformed update: {exc}") from None
    except StoreError as exc:
        raise SparqlError(403, str(exc)) from None
    except OSError as exc:
        raise SparqlError(500, f"update failed: {exc}") from None
    return Response(status_code=204)
