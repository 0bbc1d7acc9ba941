"""What the routes answer about a policy a curator rejected: the rejection as JSON, and the 410 in place of
the policy (shared by the policy routes and the curation routes, which never import each other)."""

from __future__ import annotations

import pyoxigraph as ox
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from api.deps import Context, not_found
from api.graph import slug
from vigie import curation


class RejectionOut(BaseModel):
    """A curator's rejection of a policy: the policy no longer appears in REST answers or exports."""

    policy: str = Field(examples=["amazon-moratorium-facial-recognition"])
    policy_iri: str
    iri: str = Field(description="The rejection's IRI in the curation graph.")
    by: str | None = Field(default=None, examples=["Marie Dupont"])
    reason: str | None = None
    at: str | None = Field(default=None, examples=["2026-11-23T06:00:00Z"], description="xsd:dateTime, UTC.")



def rejection_out(rejection: curation.Rejection) -> RejectionOut:
    return RejectionOut(policy=slug(rejection.policy), policy_iri=rejection.policy, iri=rejection.iri,
                        by=rejection.by, reason=rejection.reason, at=rejection.at)


def gone_if_rejected(ctx: Context, policy: ox.NamedNode) -> Response | None:
    """A 410 saying who rejected ``policy``, when and why; ``None`` if it is not rejected."""
    found = curation.rejections(ctx.store, policy)
    if not found:
        return None
    out = rejection_out(found[0])
    who = f" by {out.by}" if out.by else ""
    when = f" on {out.at}" if out.at else ""
    why = f": {out.reason}" if out.reason else ""
    return JSONResponse(
        {"detail": f"policy '{out.policy}' was rejected{who}{when}{why}", "rejected": out.model_dump()},
        status_code=410,
    )


def gone_or_not_found(ctx: Context, policy: ox.NamedNode, id: str) -> Response:
    """What ``GET /policies/{id}`` answers for a policy the graph does not show: 410 if rejected, else 404."""
    gone = gone_if_rejected(ctx, policy)
    if gone is None:
        raise not_found("policy", id)
    return gone
