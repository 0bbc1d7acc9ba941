"""``/advocates``, ``/advocate/{id}``."""

from __future__ import annotations

from typing import Annotated

import pyoxigraph as ox
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
    iri = _known_advocate(ctx, id)
    if offer.format is not None:  # the RDF answer needs no JSON fold
        return rdf_response(ctx.graph.triples("describe_advocate", advocate=iri), offer)
    return json_response(ctx.graph.advocate_detail(iri))


def _known_advocate(ctx: Context, id: str) -> ox.NamedNode:
    """The IRI of the advocate ``id``: an organisation's, or a person's who speaks for one; a 404 otherwise."""
    for kind in ("advocate", "person"):
        iri = entity_iri(kind, id)
        if ctx.graph.advocates(iri):
            return iri
    raise not_found("advocate", id)
