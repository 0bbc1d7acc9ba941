"""The facts Vigie extracts: plain dataclasses, the contract between the extractors and ``extractors.rdf``.

Every fact carries :class:`Evidence`: the sentence it was read in, as character offsets into the
document's original text. Actors are referred to by :class:`ActorRef` (kind + slug), which the RDF
layer turns into IRIs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, NamedTuple

ActorKind = Literal["company", "advocate", "legislature", "person", "product"]


class ActorRef(NamedTuple):
    """Reference to an actor or product: its kind and slug (``ActorRef("company", "amazon")``)."""

    kind: ActorKind
    key: str


@dataclass(frozen=True)
class Evidence:
    """Where a fact was read: the sentence, its span in ``Document.text`` and how sure the extractor is."""

    quote: str
    start: int
    end: int
    extractor: str
    confidence: float = 0.9


@dataclass
class Document:
    """A news article as read from disk.

    ``body`` has exactly the length of ``text``: boilerplate and metadata lines are blanked out
    (replaced by spaces, newlines kept), so offsets into the body are offsets into the original text.
    """

    id: str
    text: str
    body: str
    title: str
    content_hash: str
    date: str | None = None  # YYYY-MM-DD or YYYY-MM
    source: str | None = None
    path: str | None = None
    encoding: str = "utf-8"
    url: str | None = None  # a web page's canonical URL (extractors.web_documents)
    site: str | None = None  # the site that published it, e.g. "Le Monde"
    author: str | None = None


@dataclass
class Actor:
    """A company, advocate, legislature, person or product mentioned in an article."""

    ref: ActorRef
    label: str
    aliases: set[str] = field(default_factory=set)
    wikidata: str | None = None  # Q-id, e.g. "Q3884"
    known: bool = False  # True when it comes from the gazetteer
    role: str | None = None  # a person's role, as written ("directrice de la technologie…")
    affiliation: ActorRef | None = None  # a person's organisation
    made_by: ActorRef | None = None  # a product's company
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class PolicyException:
    """A use a policy still allows: a purpose (vocabulary slug) and the organisations that benefit."""

    purpose: str
    beneficiaries: list[ActorRef] = field(default_factory=list)
    label: str | None = None
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class PolicyEvent:
    """A dated step in a policy's life (extractors.history): its type is a notation of the policy-event scheme."""

    type: str  # announced | extended | widened | narrowed | lifted | reinstated
    date: str | None = None  # YYYY-MM-DD, YYYY-MM or YYYY; None when the article does not say
    until: str | None = None  # the end it sets (an extension's new end, an announcement's date + duration)
    open_ended: bool = False  # "jusqu'à nouvel ordre", "indéfiniment"
    duration: str | None = None  # ISO 8601 duration an extension adds
    users: list[str] = field(default_factory=list)  # user groups a widening adds / a narrowing removes
    jurisdiction: str | None = None
    products: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Policy:
    """A company's decision about a technology. Attribute values are vocabulary slugs."""

    company: str  # company slug
    type: str  # moratorium | sales-refusal | withdrawal | restriction
    technology: str  # e.g. facial-recognition
    products: list[str] = field(default_factory=list)  # product slugs
    restricted_users: list[str] = field(default_factory=list)  # empty: everyone
    jurisdiction: str | None = None  # notation of the jurisdiction scheme, e.g. "US"
    duration: str | None = None  # ISO 8601 duration, e.g. "P1Y"
    announced: str | None = None  # YYYY-MM-DD or YYYY-MM
    condition: str | None = None  # as written: "tant qu'il n'y aura pas de législation fédérale"
    awaits_legislature: str | None = None  # legislature slug
    exceptions: list[PolicyException] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    events: list[PolicyEvent] = field(default_factory=list)  # its life as this article reports it
    # Read in at least one individual, unhedged statement of the company (not only in "A, B et C ont
    # suspendu …" or "envisage de …"); weak types are folded into confirmed ones (extractors.merge).
    confirmed: bool = True


@dataclass
class Statement:
    """What an advocate said or asked, and whom it targets (companies, legislatures)."""

    speaker: ActorRef
    targets: list[ActorRef] = field(default_factory=list)
    quote: str | None = None
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class Extraction:
    """Everything read in one article."""

    document: Document
    actors: list[Actor] = field(default_factory=list)
    policies: list[Policy] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    # Policies the article names only through their events ("Google a levé son moratoire"): written as the
    # events of the policy's IRI, not as a policy of this article (extractors.history)
    history: list[Policy] = field(default_factory=list)

    def fact_count(self) -> int:
        return len(self.actors) + len(self.policies) + len(self.statements)
