"""``/documents``, ``/documents/{id}``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from api import models as m
from api.deps import RDF_RESPONSES, Context, context, entity_iri, entity_offer, json_response, not_found, rdf_response

router = APIRouter(tags=["documents"])


@router.get("/documents", response_model=m.Page[m.Document], summary="Articles")
def list_documents(
    ctx: Annotated[Context, Depends(context)],
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    """The articles in the store, with their metadata, newest first: in the order they were added (a
    re-ingested article keeps its place; a removed article's place goes to the oldest one), read one page
    at a time by position, so that a page's cost does not grow with the store. ``total`` is the number of
    articles. A store without positions (written by an earlier version, read-only) is listed by IRI."""
    items, total = ctx.graph.document_page(limit, offset)
    return json_response(m.Page[m.Document](items=items, total=total, limit=limit, offset=offset))


@router.get("/documents/{id}", response_model=m.DocumentDetail, responses=RDF_RESPONSES, summary="One article")
def get_document(id: str, request: Request, ctx: Annotated[Context, Depends(context)]) -> Response:
    """An article's metadata and the facts drawn from it (its named graph, in RDF)."""
    iri = entity_iri("document", id)
    offer = entity_offer(request)
    detail = ctx.graph.document_detail(iri)
    if detail is None:
        raise not_found("document", id)
    if offer.format is not None:
        return rdf_response(ctx.graph.triples("describe_document", document=iri), offer)
    return json_response(detail)
