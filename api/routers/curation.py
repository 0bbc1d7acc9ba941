"""Curation routes (write token): reject a policy, undo it, give an entity a new alias.

Every correction is written to the curation graph by :mod:`vigie.curation`, with who (``by``, a name the
curator gives) and when; re-extracting the articles never touches it. See docs/curation.md.
"""

from __future__ import annotations

import asyncio
from typing import Annotated

import pyoxigraph as ox
from fastapi import APIRouter, Body, Depends, HTTPException
from fastapi.responses import Response
from pydantic import BaseModel, Field

from api.auth import require_write_token
from api.deps import Context, context, entity_iri, not_found
from api.graph import slug
from api.rejections import RejectionOut, rejection_out
from ontology.namespaces import RDF, VG
from vigie import curation
from vigie.store import StoreError

router = APIRouter(tags=["curation"])


class RejectRequest(BaseModel):
    """Who rejects a policy, and why."""

    by: str = Field(min_length=1, max_length=200, examples=["Marie Dupont"], description="The curator's name.")
    reason: str | None = Field(default=None, max_length=curation.MAX_TEXT,
                               examples=["Amazon n'a jamais annoncé ce refus de vente."])


class AliasRequest(BaseModel):
    """A new name for an entity, which the extractors use from the next `vigie ingest` on."""

    alias: str = Field(min_length=1, max_length=200, examples=["le géant de la vente en ligne"])
    by: str = Field(min_length=1, max_length=200, examples=["Marie Dupont"], description="The curator's name.")
    language: str | None = Field(default=None, max_length=35, examples=[None],
                                 description="Language tag of the alias; none by default, like the gazetteer's "
                                 "aliases and the extracted ones (the shapes want plain strings).")
    reason: str | None = Field(default=None, max_length=curation.MAX_TEXT)


class AliasOut(BaseModel):
    entity: str = Field(examples=["amazon"])
    entity_iri: str
    alias: str
    language: str | None = None
    iri: str = Field(description="The alias addition's IRI in the curation graph.")
    by: str | None = None
    reason: str | None = None
    at: str | None = None


def _write_errors(exc: Exception) -> HTTPException:
    if isinstance(exc, curation.CurationError):
        return HTTPException(422, str(exc))
    if isinstance(exc, StoreError):
        return HTTPException(403, str(exc))
    return HTTPException(500, f"write failed: {exc}")


def _is_a(ctx: Context, iri: ox.NamedNode, cls: ox.NamedNode) -> bool:
    return any(True for _ in ctx.store.quads(None, subject=iri, predicate=RDF.type, object=cls))


_WRITE = [Depends(require_write_token)]
_AUTH_RESPONSES: dict[int | str, dict] = {
    401: {"description": "No 'Authorization: Bearer <token>'."},
    403: {"description": "Wrong token, or a server without a write token."},
    404: {"description": "No such policy or entity."},
    422: {"description": "Invalid body."},
}


@router.post("/policies/{id}/reject", response_model=RejectionOut, status_code=201, dependencies=_WRITE,
             responses=_AUTH_RESPONSES, summary="Reject a policy (curation)")
async def reject_policy(id: str, request: Annotated[RejectRequest, Body()],
                        ctx: Annotated[Context, Depends(context)]) -> Response:
    """Mark a policy as wrong: it leaves every REST answer and export, and stays rejected when the articles
    are extracted again. `GET /policies/{id}` then answers 410 with who rejected it, when and why."""
    iri = entity_iri("policy", id)
    if not await asyncio.to_thread(_is_a, ctx, iri, VG.Policy):
        raise not_found("policy", id)
    try:
        rejection = await asyncio.to_thread(curation.reject, ctx.store, iri, by=request.by, reason=request.reason)
    except Exception as exc:
        raise _write_errors(exc) from None
    return Response(rejection_out(rejection).model_dump_json(), status_code=201, media_type="application/json")


@router.get("/policies/{id}/reject", response_model=RejectionOut, responses={404: {"description": "Not rejected."}},
            summary="A policy's rejection")
async def get_rejection(id: str, ctx: Annotated[Context, Depends(context)]) -> Response:
    """Who rejected the policy, when and why (404 if it is not rejected)."""
    iri = entity_iri("policy", id)
    found = await asyncio.to_thread(curation.rejections, ctx.store, iri)
    if not found:
        raise HTTPException(404, f"policy '{id}' is not rejected")
    return Response(rejection_out(found[0]).model_dump_json(), media_type="application/json")


@router.delete("/policies/{id}/reject", status_code=204, dependencies=_WRITE, responses=_AUTH_RESPONSES,
               summary="Undo a policy's rejection (curation)")
async def undo_rejection(id: str, ctx: Annotated[Context, Depends(context)]) -> Response:
    """The policy comes back in the REST answers and exports (404 if it was not rejected)."""
    iri = entity_iri("policy", id)
    try:
        removed = await asyncio.to_thread(curation.unreject, ctx.store, iri)
    except Exception as exc:
        raise _write_errors(exc) from None
    if not removed:
        raise HTTPException(404, f"policy '{id}' is not rejected")
    return Response(status_code=204)


@router.get("/curation/rejections", response_model=list[RejectionOut], summary="Rejected policies")
async def list_rejections(ctx: Annotated[Context, Depends(context)]) -> Response:
    """Every rejected policy, newest rejection first."""
    found = await asyncio.to_thread(curation.rejections, ctx.store)
    body = "[" + ",".join(rejection_out(r).model_dump_json() for r in found) + "]"
    return Response(body, media_type="application/json")


_ALIAS_CLASSES = {"company": VG.Company, "advocate": VG.Advocate, "legislature": VG.Legislature}


async def _add_alias(kind: str, id: str, request: AliasRequest, ctx: Context) -> Response:
    iri = entity_iri(kind, id)
    # Known to the graph: mentioned by an article, or only in the gazetteer (not yet in any article).
    if not await asyncio.to_thread(_is_a, ctx, iri, _ALIAS_CLASSES[kind]):
        raise not_found(kind, id)
    try:
        added = await asyncio.to_thread(curation.add_alias, ctx.store, iri, request.alias, by=request.by,
                                        language=request.language, reason=request.reason)
    except Exception as exc:
        raise _write_errors(exc) from None
    return Response(alias_out(added).model_dump_json(), status_code=201, media_type="application/json")


def alias_out(added: curation.AliasAddition) -> AliasOut:
    return AliasOut(entity=slug(added.entity), entity_iri=added.entity, alias=added.alias, language=added.language,
                    iri=added.iri, by=added.by, reason=added.reason, at=added.at)


@router.get("/curation/aliases", response_model=list[AliasOut], summary="Aliases added by curators")
async def list_aliases(ctx: Annotated[Context, Depends(context)]) -> Response:
    """Every alias a curator added (company, advocate or legislature), newest first."""
    found = await asyncio.to_thread(curation.alias_additions, ctx.store)
    body = "[" + ",".join(alias_out(a).model_dump_json() for a in found) + "]"
    return Response(body, media_type="application/json")


@router.post("/company/{id}/aliases", response_model=AliasOut, status_code=201, dependencies=_WRITE,
             responses=_AUTH_RESPONSES, summary="Add an alias to a company (curation)")
async def add_company_alias(id: str, request: Annotated[AliasRequest, Body()],
                            ctx: Annotated[Context, Depends(context)]) -> Response:
    """A new name for the company: listed in its `aliases` at once, and recognised by the extractors in the
    articles of the next `vigie ingest` (e.g. "le géant de la vente en ligne" for Amazon)."""
    return await _add_alias("company", id, request, ctx)


@router.post("/advocate/{id}/aliases", response_model=AliasOut, status_code=201, dependencies=_WRITE,
             responses=_AUTH_RESPONSES, summary="Add an alias to an advocate (curation)")
async def add_advocate_alias(id: str, request: Annotated[AliasRequest, Body()],
                             ctx: Annotated[Context, Depends(context)]) -> Response:
    """A new name for the advocate, used by the extractors from the next `vigie ingest` on."""
    return await _add_alias("advocate", id, request, ctx)


@router.post("/legislature/{id}/aliases", response_model=AliasOut, status_code=201, dependencies=_WRITE,
             responses=_AUTH_RESPONSES, summary="Add an alias to a legislature (curation)")
async def add_legislature_alias(id: str, request: Annotated[AliasRequest, Body()],
                                ctx: Annotated[Context, Depends(context)]) -> Response:
    """A new name for the legislature, used by the extractors from the next `vigie ingest` on."""
    return await _add_alias("legislature", id, request, ctx)
