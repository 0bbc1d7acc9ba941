"""What the page templates are given: small dataclasses for things, links, articles, policies and statements."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ontology.iris import split

from .formatting import compact, href


@dataclass
class Labels:
    """Names of things: preferred labels (French first), aliases and vocabulary notations."""

    pref: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    notation: dict[str, str] = field(default_factory=dict)
    by_notation: dict[str, str] = field(default_factory=dict)

    def concept(self, notation: str) -> str:
        """The label of the concept whose notation is ``notation`` (the REST model names concepts so)."""
        iri = self.by_notation.get(notation) or self.by_notation.get(notation.lower())
        return self(iri) if iri else notation

    def __call__(self, term: Any) -> str:
        iri = term if isinstance(term, str) else term.value
        if iri in self.pref:
            return self.pref[iri]
        parts = split(iri)
        if parts:
            return parts[1]
        return compact(iri)


@dataclass
class Ref:
    """A link to a thing: its kind, slug, label and page URL (if any)."""

    kind: str
    slug: str
    label: str
    url: str | None

    @classmethod
    def of(cls, iri: str, labels: Labels) -> Ref:
        parts = split(iri)
        kind, slug = parts if parts else ("", iri)
        return cls(kind, slug, labels(iri), href(kind, slug) if parts else None)


@dataclass
class Entity:
    """A company, advocate or legislature as the home page and search list it."""

    iri: str
    kind: str
    slug: str
    label: str
    aliases: list[str]
    documents: int  # the stories naming it (its vg:articleCount): a dispatch republished by several sites counts once
    url: str
    score: int = 0


@dataclass
class DocumentInfo:
    """An article: metadata, the facts read in it (``evidences``) and, when read, its text."""

    iri: str
    slug: str
    title: str
    date: str | None
    source: str | None
    evidences: int = 0
    text: str | None = None
    web_url: str | None = None  # the page it was read from
    site: str | None = None

    @property
    def url(self) -> str:
        return f"/ui/document/{self.slug}"


@dataclass
class Snippet:
    """A quoted sentence with a little of the text around it, the sentence itself highlighted."""

    before: str
    quote: str
    after: str
    start: int
    end: int
    confidence: str | None = None


@dataclass
class Source:
    """One article reporting a fact, with the quoted sentences."""

    document: DocumentInfo
    quotes: list[Snippet] = field(default_factory=list)


class Sources(list):
    """The sources of a fact shown on a page; ``total`` counts them all."""

    total: int = 0


@dataclass
class ExceptionView:
    iri: str
    slug: str
    purposes: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    beneficiaries: list[Ref] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)


@dataclass
class PolicyView:
    iri: str
    slug: str
    company: Ref | None = None
    types: list[str] = field(default_factory=list)
    technologies: list[str] = field(default_factory=list)
    products: list[str] = field(default_factory=list)
    restricted_users: list[str] = field(default_factory=list)
    jurisdictions: list[str] = field(default_factory=list)
    durations: list[str] = field(default_factory=list)
    announced: list[str] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)
    awaits: list[Ref] = field(default_factory=list)
    exceptions: list[ExceptionView] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    life: Any = None  # its events and periods as a bar (lifebar.Life), when it has events

    @property
    def title(self) -> str:
        what = " / ".join(self.types) or "Politique"
        tech = ", ".join(self.technologies)
        return f"{what[:1].upper()}{what[1:]}" + (f" — {tech}" if tech else "")


@dataclass
class StatementView:
    iri: str
    speaker: Ref
    organisation: Ref | None = None
    targets: list[Ref] = field(default_factory=list)
    quote: str | None = None
    sources: list[Source] = field(default_factory=list)

    def speaks_for(self, iri: str) -> bool:
        """Whether the statement is made by ``iri`` or by someone speaking for it."""
        speakers = {f"{self.speaker.kind}/{self.speaker.slug}"}
        if self.organisation:
            speakers.add(f"{self.organisation.kind}/{self.organisation.slug}")
        parts = split(iri)
        return bool(parts) and f"{parts[0]}/{parts[1]}" in speakers

    def calls_on(self, iri: str) -> bool:
        """Whether the statement calls on ``iri``."""
        parts = split(iri)
        return bool(parts) and any((t.kind, t.slug) == parts for t in self.targets)


@dataclass
class TimelineItem:
    policy: str
    slug: str
    company: Ref
    types: list[str]
    technologies: list[str]
    date: str
    announced: bool  # False: the date is the earliest article's, not the announcement's
    life: Any = None  # its events and periods as a bar (lifebar.Life)

    @property
    def url(self) -> str:
        return f"{self.company.url}#policy-{self.slug}"
