"""``/advocates``, ``/advocate/{id}``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from api import models as m
from api.deps import RDF_RESPONSES, Context, context, entity_iri, entity_offer, json_response, not_found, rdf_response

router = APIRouter(tags=["advocates"])


@router.get("/advocates", response_model=m.Page[m.Advocate], summary="Advocates")
def list_advocates(
    ctx: Annotated[Context, Depends(context)],
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    """Advocacy organisations, and the people who speak for them, with whom they call on."""
    advocates = ctx.graph.advocates()
    return json_response(m.Page[m.Advocate](
        items=advocates[offset:offset + limit], total=len(advocates), limit=limit, offset=offset
    ))


@router.get("/advocate/{id}", response_model=m.AdvocateDetail, responses=RDF_RESPONSES, summary="One advocate")
def get_advocate(id: str, request: Request, ctx: Annotated[Context, Depends(context)]) -> Response:
    """An advocate: affiliation, members, targets, and statements with their quotes and sources."""
    iri = entity_iri("advocate", id)
    offer = entity_offer(request)
    detail = ctx.graph.advocate_detail(iri)
    if detail is None:  # a person who speaks for an advocate has a person IRI
        iri = entity_iri("person", id)
        detail = ctx.graph.advocate_detail(iri)
    if detail is None:
        raise not_found("advocate", id)
    if offer.format is not None:
        return rdf_response(ctx.graph.triples("describe_advocate", advocate=iri), offer)
    return json_response(detail)
