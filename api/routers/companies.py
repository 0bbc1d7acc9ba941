"""``/companies``, ``/company/{id}``, ``/company/{id}/policies``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from api import models as m
from api.deps import RDF_RESPONSES, Context, context, entity_iri, entity_offer, json_response, not_found, rdf_response

router = APIRouter(tags=["companies"])


@router.get("/companies", response_model=m.Page[m.Company], summary="Companies in the knowledge graph")
async def list_companies(
    ctx: Annotated[Context, Depends(context)],
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    """Companies the articles mention or that issue a policy, sorted by id."""
    companies = ctx.graph.companies()
    return json_response(m.Page[m.Company](
        items=companies[offset:offset + limit], total=len(companies), limit=limit, offset=offset
    ))


async def _company(id: str, request: Request, ctx: Context) -> Response:
    iri = entity_iri("company", id)
    offer = entity_offer(request)
    found = ctx.graph.companies(iri)
    if not found:
        raise not_found("company", id)
    if offer.format is not None:
        return rdf_response(ctx.graph.triples("describe_company", company=iri), offer)
    return json_response(m.CompanyPolicies(company=found[0], items=ctx.graph.policies(company=iri)))


@router.get("/company/{id}", response_model=m.CompanyPolicies, responses=RDF_RESPONSES, summary="One company")
async def get_company(id: str, request: Request, ctx: Annotated[Context, Depends(context)]) -> Response:
    """A company and its policies (ids are case-insensitive: `/company/Amazon` works)."""
    return await _company(id, request, ctx)


@router.get(
    "/company/{id}/policies", response_model=m.CompanyPolicies, responses=RDF_RESPONSES,
    summary="A company's policies",
)
async def get_company_policies(id: str, request: Request, ctx: Annotated[Context, Depends(context)]) -> Response:
    """The policies issued by one company, with their exceptions and the sentences that report them."""
    return await _company(id, request, ctx)
