"""``/queries``: the named queries of ``queries/*.rq``, listed and run with safely bound parameters (like grlc)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response

from api import models as m
from api.deps import Context, context, json_response
from api.sparql_results import SparqlError
from queries import QueryError

router = APIRouter(tags=["queries"])

_RESERVED = {"format", "output"}


def _info(query) -> m.QueryInfo:
    return m.QueryInfo(
        name=query.name, summary=query.summary, description=query.description, form=query.form,
        tags=list(query.tags),
        params=[m.QueryParam(name=p.name, type=p.type, required=p.required, description=p.description)
                for p in query.params],
    )


@router.get("/queries", response_model=m.Page[m.QueryInfo], summary="Named queries")
def list_queries(ctx: Annotated[Context, Depends(context)]) -> Response:
    """The named SPARQL queries, with their descriptions and parameters (from each file's header)."""
    items = [_info(q) for q in ctx.registry]
    return json_response(m.Page[m.QueryInfo](items=items, total=len(items), limit=None))


@router.get(
    "/queries/{name}",
    summary="Run a named query",
    responses={
        200: {"description": "SPARQL results (SELECT) or RDF (CONSTRUCT), by the `Accept` header.",
              "content": {"application/sparql-results+json": {}, "text/csv": {}, "text/turtle": {}}},
        404: {"description": "No such query."},
        422: {"description": "Unknown, missing or invalid parameter."},
    },
)
async def run_query(name: str, request: Request, ctx: Annotated[Context, Depends(context)]) -> Response:
    """Run one named query; each parameter is a query-string argument, bound as an RDF term, never as text."""
    try:
        query = ctx.registry[name]
    except QueryError as exc:
        return JSONResponse({"detail": str(exc)}, status_code=404)
    values: dict[str, str] = {}
    for key, value in request.query_params.multi_items():
        if key in _RESERVED:
            continue
        if key in values:
            return JSONResponse({"detail": f"more than one {key!r} parameter"}, status_code=422)
        values[key] = value
    try:
        bindings = ctx.registry.bind(name, values, concept=ctx.graph.concept)
        format_name = request.query_params.get("format") or request.query_params.get("output")
        offer = ctx.engine.offer_for(query.form, request.headers.get("accept"), format_name)
        answer = await ctx.engine.run(query.text_for(bindings), offer, bindings=bindings)
    except QueryError as exc:
        return JSONResponse({"detail": str(exc)}, status_code=422)
    except SparqlError as exc:
        return JSONResponse({"detail": exc.message}, status_code=exc.status, headers=exc.headers)
    return Response(answer.body, media_type=offer.media_type, headers={"Vary": "Accept"})
