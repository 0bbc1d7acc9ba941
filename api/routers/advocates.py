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
    offer = entity_offer(request)
    # an advocate's IRI, else a person's who speaks for one; each format reads only what it answers
    for kind in ("advocate", "person"):
        iri = entity_iri(kind, id)
        if offer.format is not None:
            if ctx.graph.advocates(iri):
                return rdf_response(ctx.graph.triples("describe_advocate", advocate=iri), offer)
            continue
        detail = ctx.graph.advocate_detail(iri)
        if detail is not None:
            return json_response(detail)
    raise not_found("advocate", id)
