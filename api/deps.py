"""What the routes share: the app's context, id validation, errors, content negotiation for entities."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pyoxigraph as ox
from fastapi import HTTPException, Request
from fastapi.responses import Response

from api.engine import Engine
from api.graph import Graph
from api.negotiation import JSON_OFFER, RDF_OFFERS, Offer, choose
from api.settings import Settings
from api.sparql_results import serialize_triples
from ontology.iris import is_slug, mint
from queries import Registry
from vigie.store import GraphStore

ENTITY_OFFERS: tuple[Offer, ...] = (JSON_OFFER, *RDF_OFFERS)

#: OpenAPI description of the RDF views of entity routes and of the errors they answer with.
RDF_RESPONSES: dict[int | str, dict] = {
    200: {
        "description": "JSON by default; the entity's RDF with `Accept: text/turtle` (or N-Triples, RDF/XML, JSON-LD).",
        "content": {offer.media_type: {} for offer in RDF_OFFERS},
    },
    404: {"description": "No such entity (or an id that is not a valid slug)."},
    406: {"description": "The `Accept` header asks for a format the route cannot produce."},
}


@dataclass
class Context:
    """Everything a request needs, built once by :func:`api.app.create_app`."""

    store: GraphStore
    settings: Settings
    registry: Registry
    graph: Graph
    engine: Engine


async def context(request: Request) -> Context:
    """FastAPI dependency: the application's :class:`Context`. A coroutine (it reads no store): FastAPI runs a
    plain ``def`` dependency in its thread pool, a hand-off to a thread and back before the route's own."""
    return request.app.state.vigie


def shorten(value: str, limit: int = 80) -> str:
    return value if len(value) <= limit else value[:limit] + "…"


def not_found(kind: str, raw_id: str) -> HTTPException:
    return HTTPException(404, f"no {kind} '{shorten(raw_id)}'")


def entity_iri(kind: str, raw_id: str) -> ox.NamedNode:
    """The IRI of ``kind``/``raw_id`` (case-insensitive slug); a 404 for anything that is not a slug."""
    value = raw_id.lower()
    if not is_slug(value):
        raise not_found(kind, raw_id)
    return mint(kind, value)


def entity_offer(request: Request) -> Offer:
    """JSON or an RDF format for an entity route, from the ``Accept`` header; a 406 otherwise."""
    accept = request.headers.get("accept")
    offer = choose(ENTITY_OFFERS, accept)
    if offer is None:
        media = ", ".join(o.media_type for o in ENTITY_OFFERS)
        raise HTTPException(406, f"cannot produce {shorten(accept or '')!r} (available: {media})")
    return offer


def rdf_response(triples: list[ox.Triple], offer: Offer) -> Response:
    assert isinstance(offer.format, ox.RdfFormat)
    return Response(serialize_triples(triples, offer.format), media_type=offer.media_type, headers={"Vary": "Accept"})


def json_response(model) -> Response:
    """A model as JSON, without re-validating it (the routes build valid models)."""
    return Response(model.model_dump_json(), media_type="application/json", headers={"Vary": "Accept"})


_DAY_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def valid_day(name: str, value: str | None) -> str | None:
    """A user's day, checked strictly (YYYY-MM-DD, a real date): it only ever reaches a comparison."""
    if value is None:
        return None
    try:
        if _DAY_RE.fullmatch(value) and dt.date.fromisoformat(value):
            return value
    except ValueError:
        pass
    raise HTTPException(422, f"invalid {name} '{shorten(value)}': expected a day YYYY-MM-DD")
