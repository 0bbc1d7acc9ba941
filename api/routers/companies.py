"""``/companies``, ``/company/{id}``, ``/company/{id}/policies``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from api import models as m
from api.deps import (
    RDF_RESPONSES,
    Context,
    context,
    entity_iri,
    entity_offer,
    json_response,
    not_found,
    rdf_response,
    valid_day,
)

router = APIRouter(tags=["companies"])


@router.get("/companies", response_model=m.Page[m.Company], summary="Companies in the knowledge graph")
def list_companies(
    ctx: Annotated[Context, Depends(context)],
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    """Companies the articles mention or that issue a policy, sorted by id."""
    companies = ctx.graph.companies()
    return json_response(m.Page[m.Company](
        items=companies[offset:offset + limit], total=len(companies), limit=limit, offset=offset
    ))


def _company(id: str, request: Request, ctx: Context, at: str | None = None) -> Response:
    iri = entity_iri("company", id)
    day = valid_day("at", at)
    offer = entity_offer(request)
    found = ctx.graph.companies(iri)
    if not found:
        raise not_found("company", id)
    if offer.format is not None:
        return rdf_response(ctx.graph.triples("describe_company", company=iri), offer)
    items = ctx.graph.policies(company=iri)
    if day is not None:
        keep = ctx.graph.in_force(day, company=iri)
        items = [policy for policy in items if policy.iri in keep]
    return json_response(m.CompanyPolicies(company=found[0], items=items))


@router.get("/company/{id}", response_model=m.CompanyPolicies, responses=RDF_RESPONSES, summary="One company")
def get_company(id: str, request: Request, ctx: Annotated[Context, Depends(context)]) -> Response:
    """A company and its policies (ids are case-insensitive: `/company/Amazon` works)."""
    return _company(id, request, ctx)


@router.get(
    "/company/{id}/policies", response_model=m.CompanyPolicies, responses=RDF_RESPONSES,
    summary="A company's policies",
)
def get_company_policies(
    id: str,
    request: Request,
    ctx: Annotated[Context, Depends(context)],
    at: Annotated[str | None, Query(max_length=10, description="A day, YYYY-MM-DD: only the policies in force "
                                    "that day (from their events)")] = None,
) -> Response:
    """The policies issued by one company, with their exceptions and the sentences that report them; with `at`,
    those in force that day."""
    return _company(id, request, ctx, at)
