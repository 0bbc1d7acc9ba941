"""``/legislatures``, ``/legislature/{id}``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from api import models as m
from api.deps import RDF_RESPONSES, Context, context, entity_iri, entity_offer, json_response, not_found, rdf_response

router = APIRouter(tags=["legislatures"])


@router.get("/legislatures", response_model=m.Page[m.Legislature], summary="Legislatures")
def list_legislatures(
    ctx: Annotated[Context, Depends(context)],
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    """Legislatures the articles mention, or that companies and advocates wait for or call on."""
    items = ctx.graph.legislatures()
    return json_response(m.Page[m.Legislature](
        items=items[offset:offset + limit], total=len(items), limit=limit, offset=offset
    ))


@router.get(
    "/legislature/{id}", response_model=m.LegislatureDetail, responses=RDF_RESPONSES, summary="One legislature"
)
def get_legislature(id: str, request: Request, ctx: Annotated[Context, Depends(context)]) -> Response:
    """A legislature and what is asked of it: policies waiting for its law, advocates' calls."""
    iri = entity_iri("legislature", id)
    offer = entity_offer(request)
    if offer.format is not None:  # the RDF answer needs no JSON fold
        if not ctx.graph.legislatures(iri):
            raise not_found("legislature", id)
        return rdf_response(ctx.graph.triples("describe_legislature", legislature=iri), offer)
    detail = ctx.graph.legislature_detail(iri)
    if detail is None:
        raise not_found("legislature", id)
    return json_response(detail)
