"""Minting of Vigie instance IRIs: one stable IRI per real-world thing, from a slug."""

from __future__ import annotations

import re
import unicodedata

from pyoxigraph import NamedNode

from ontology.namespaces import BASE_IRI

#: The kinds of things that get an IRI under the base, each in its own path segment.
KINDS = (
    "company", "advocate", "legislature", "person", "product",
    "policy", "exception", "event", "statement", "evidence", "document", "extractor",
)

_SLUG_RE = re.compile(r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$")


def slugify(text: str) -> str:
    """Lower-case ASCII slug: accents removed, runs of other characters turned into one hyphen.

    >>> slugify("Union américaine pour les libertés civiles")
    'union-americaine-pour-les-libertes-civiles'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def is_slug(value: str) -> bool:
    """Whether ``value`` is a well-formed slug (what user-given ids are checked against)."""
    return len(value) <= 200 and bool(_SLUG_RE.fullmatch(value))  # fullmatch: "$" would accept a final "\n"


def mint(kind: str, slug: str) -> NamedNode:
    """IRI of the thing of ``kind`` (one of :data:`KINDS`) identified by ``slug``."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    if not is_slug(slug):
        raise ValueError(f"not a slug: {slug!r}")
    return NamedNode(f"{BASE_IRI}{kind}/{slug}")


def split(iri: str) -> tuple[str, str] | None:
    """``(kind, slug)`` of a Vigie instance IRI, or ``None`` for any other IRI."""
    if not iri.startswith(BASE_IRI):
        return None
    kind, _, slug = iri[len(BASE_IRI):].partition("/")
    return (kind, slug) if kind in KINDS and slug else None


def policy_slug(company: str, policy_type: str, technology: str) -> str:
    """Slug of a policy: one per (company, type, technology), so the articles reporting it share one node.

    Restricted users are not part of the identity: one article says "la police", another "les forces
    de l'ordre et l'armée", a third nothing at all, and all three report the same decision.
    """
    return f"{company}-{policy_type}-{technology}"
