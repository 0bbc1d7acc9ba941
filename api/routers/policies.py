"""``/policies``, ``/policies/{id}``, ``/policies/{id}/sources``, ``/policies/{id}/exceptions``."""

from __future__ import annotations

from typing import Annotated

import pyoxigraph as ox
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response

from api import models as m
from api.deps import (
    RDF_RESPONSES,
    Context,
    context,
    entity_iri,
    entity_offer,
    json_response,
    rdf_response,
    shorten,
    valid_day,
)
from api.rejections import gone_or_not_found
from ontology.iris import is_slug, mint

router = APIRouter(tags=["policies"])

_TYPE_HELP = "A policy type: moratorium, sales-refusal, withdrawal, restriction"
_USER_HELP = "A user group: law-enforcement, military, government, private-companies"


_DAY_HELP = "A day, YYYY-MM-DD: only the policies in force that day (from their events: /policies/{id}/history)"


def _concept(ctx: Context, name: str, value: str | None):
    if value is None:
        return None
    concept = ctx.graph.concept(value)
    if concept is None:
        raise HTTPException(422, f"unknown {name} '{shorten(value)}'")
    return concept


@router.get("/policies", response_model=m.Page[m.Policy], summary="Policies, with filters")
def list_policies(
    ctx: Annotated[Context, Depends(context)],
    type: Annotated[str | None, Query(max_length=100, description=_TYPE_HELP)] = None,
    company: Annotated[str | None, Query(max_length=200, description="A company id, e.g. amazon")] = None,
    restricted_user: Annotated[str | None, Query(max_length=100, description=_USER_HELP)] = None,
    in_force: Annotated[str | None, Query(max_length=10, description=_DAY_HELP)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    """Every policy, or those of one type, company, restricted user group or in force on a day (filters combine)."""
    type_iri = _concept(ctx, "type", type)
    user_iri = _concept(ctx, "restricted_user", restricted_user)
    company_iri = None
    if company is not None:
        if not is_slug(company.lower()):
            raise HTTPException(422, f"invalid company id '{shorten(company)}'")
        company_iri = mint("company", company.lower())
    ids = ctx.graph.policy_ids(company=company_iri, type=type_iri)
    if user_iri is not None:
        keep = ctx.graph.policies_with_user(user_iri)
        ids = [iri for iri in ids if iri in keep]
    day = valid_day("in_force", in_force)
    if day is not None:
        keep = ctx.graph.in_force(day, company=company_iri)
        ids = [iri for iri in ids if iri in keep]
    items = [policy for iri in ids[offset:offset + limit] for policy in ctx.graph.policies(policy=ox.NamedNode(iri))]
    return json_response(m.Page[m.Policy](items=items, total=len(ids), limit=limit, offset=offset))


_GONE: dict[int | str, dict] = {
    410: {"description": "A curator rejected the policy: `rejected` says who, when and why (docs/curation.md)."},
}


@router.get("/policies/{id}", response_model=m.Policy, responses={**RDF_RESPONSES, **_GONE}, summary="One policy")
def get_policy(id: str, request: Request, ctx: Annotated[Context, Depends(context)]) -> Response:
    """A policy with its exceptions and sources."""
    iri = entity_iri("policy", id)
    offer = entity_offer(request)
    found = ctx.graph.policies(policy=iri)
    if not found:
        return gone_or_not_found(ctx, iri, id)  # 410 for a policy a curator rejected
    if offer.format is not None:
        return rdf_response(ctx.graph.triples("describe_policy", policy=iri), offer)
    return json_response(found[0])


@router.get(
    "/policies/{id}/sources", response_model=m.Page[m.Source], responses=_GONE, summary="A policy's sources, paged",
)
def get_policy_sources(
    id: str,
    ctx: Annotated[Context, Depends(context)],
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    """Every sentence that reports the policy, newest article first, a page at a time (`total`: all of them)."""
    iri = entity_iri("policy", id)
    if not ctx.graph.policies(policy=iri):
        return gone_or_not_found(ctx, iri, id)
    sources = ctx.graph.policy_sources(iri)
    return json_response(m.Page[m.Source](items=sources[offset:offset + limit], total=len(sources),
                                          limit=limit, offset=offset))


@router.get(
    "/policies/{id}/exceptions", response_model=list[m.PolicyException], responses={**RDF_RESPONSES, **_GONE},
    summary="A policy's exceptions",
)
def get_policy_exceptions(id: str, request: Request, ctx: Annotated[Context, Depends(context)]) -> Response:
    """The uses a policy still allows, and who benefits from them."""
    iri = entity_iri("policy", id)
    offer = entity_offer(request)
    found = ctx.graph.policies(policy=iri)
    if not found:
        return gone_or_not_found(ctx, iri, id)
    if offer.format is not None:
        return rdf_response(ctx.graph.triples("describe_policy", policy=iri), offer)
    body = "[" + ",".join(e.model_dump_json() for e in found[0].exceptions) + "]"
    return Response(body, media_type="application/json", headers={"Vary": "Accept"})


@router.get(
    "/policies/{id}/history", response_model=m.PolicyHistory, responses=_GONE,
    summary="A policy's history: its events, periods in force and status",
)
def get_policy_history(id: str, ctx: Annotated[Context, Depends(context)]) -> Response:
    """When the policy was announced, extended, widened, narrowed, lifted or reinstated, with the sentences that
    report each step; the periods these put it in force, and its status today."""
    iri = entity_iri("policy", id)
    found = ctx.graph.policy_history(iri)
    if found is None:
        return gone_or_not_found(ctx, iri, id)
    return json_response(found)
