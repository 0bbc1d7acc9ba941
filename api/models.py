"""The JSON shapes of the REST API (Pydantic models; they are the OpenAPI schema at ``/openapi.json``).

Ids are slugs (``amazon``); vocabulary values are the ``skos:notation`` of ``ontology/vocab.ttl``
(``moratorium``, ``law-enforcement``, ``US``); dates and durations are ISO 8601 strings. IRIs are in the
``iri`` fields, and every entity route also answers in RDF (``Accept: text/turtle``).
"""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """A page of a list: the items, and how many there are in all."""

    items: list[T]
    total: int = Field(description="Number of items in the whole list, not only this page.")
    limit: int | None = None
    offset: int = 0


class ActorRef(BaseModel):
    """A reference to an actor (company, advocate, person, legislature) or product."""

    id: str = Field(examples=["aclu"])
    kind: str = Field(examples=["advocate"], description="company | advocate | person | legislature | product")
    iri: str
    label: str | None = None


class Company(BaseModel):
    id: str = Field(examples=["amazon"])
    iri: str = Field(examples=["https://w3id.org/vigie/id/company/amazon"])
    label: str | None = Field(default=None, examples=["Amazon"])
    aliases: list[str] = Field(default_factory=list, examples=[["AWS", "Amazon Web Services"]])
    wikidata: str | None = Field(default=None, examples=["Q3884"])


class Source(BaseModel):
    """A sentence of an article that supports a fact, with its character offsets in the article's text."""

    document: str = Field(examples=["001_311bd3e3553eda90"])
    title: str | None = None
    date: str | None = Field(default=None, examples=["2020-06"])
    quote: str | None = None
    start: int | None = None
    end: int | None = None
    url: str | None = Field(default=None, description="The web page the article was read from, if any.")
    site: str | None = Field(default=None, description="The site that published it.", examples=["Le Monde"])
    story: str | None = Field(
        default=None,
        description="The story the article tells: the id of the first article of a dispatch (AFP, Reuters…) "
        "that several sites republished, else the article's own id. Sources with one story are one dispatch, "
        "not independent confirmations.",
    )
    curated: bool = Field(
        default=False,
        description="True for facts a curator wrote into the curation graph (then `document` is `curation` "
        "and there is no quote); see docs/curation.md.",
    )


class PolicyException(BaseModel):
    """A use a policy still allows."""

    id: str = Field(examples=["amazon-moratorium-facial-recognition-human-trafficking"])
    iri: str
    purpose: str | None = Field(default=None, examples=["human-trafficking"])
    label: str | None = None
    beneficiaries: list[ActorRef] = Field(default_factory=list)


class PolicyEvent(BaseModel):
    """A dated step in a policy's life, with the sentences that report it."""

    id: str = Field(examples=["amazon-moratorium-facial-recognition-extended-2021-05-18"])
    iri: str
    type: str = Field(examples=["extended"],
                      description="announced | extended | widened | narrowed | lifted | reinstated")
    date: str | None = Field(default=None, examples=["2021-05-18"], description="When it happened (a day, a month "
                             "or a year), when an article says so.")
    day: str | None = Field(default=None, examples=["2021-05-18"], description="The day the validity counts it from: "
                            "its date, else the date of the first article reporting it (it happened by then).")
    until: str | None = Field(default=None, examples=["2022-06-10"], description="The end it sets, if any.")
    open_ended: bool = Field(default=False, description="It leaves the policy without an end (jusqu'à nouvel ordre).")
    duration: str | None = Field(default=None, examples=["P1Y"])
    restricted_users: list[str] = Field(default_factory=list, description="Users a widening adds, a narrowing removes.")
    jurisdiction: str | None = None
    products: list[str] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)


class Period(BaseModel):
    """Days in force: from ``start`` (included) to ``end`` (excluded; ``None``: open)."""

    start: str = Field(examples=["2020-06-10"])
    end: str | None = Field(default=None, examples=[None])


class PolicyHistory(BaseModel):
    """A policy's life: its events in order and the periods they put it in force."""

    policy: str = Field(examples=["amazon-moratorium-facial-recognition"])
    iri: str
    company: str = Field(examples=["amazon"])
    status: str = Field(examples=["in force"], description="in force | ended | unknown (today)")
    valid_from: str | None = Field(default=None, examples=["2020-06-10"])
    valid_until: str | None = Field(default=None, examples=[None])
    periods: list[Period] = Field(default_factory=list)
    events: list[PolicyEvent] = Field(default_factory=list)


class Policy(BaseModel):
    """A company's decision about a technology, with the articles that report it."""

    id: str = Field(examples=["amazon-moratorium-facial-recognition"])
    iri: str
    company: str = Field(examples=["amazon"])
    type: str | None = Field(default=None, examples=["moratorium"])
    technology: str | None = Field(default=None, examples=["facial-recognition"])
    products: list[str] = Field(default_factory=list, examples=[["rekognition"]])
    restricted_users: list[str] = Field(default_factory=list, examples=[["law-enforcement"]])
    jurisdiction: str | None = Field(default=None, examples=["US"])
    duration: str | None = Field(default=None, examples=["P1Y"])
    announced: str | None = Field(default=None, examples=["2020-06-10"])
    condition: str | None = None
    awaits_legislature: str | None = Field(default=None, examples=["us-congress"])
    exceptions: list[PolicyException] = Field(default_factory=list)
    sources: list[Source] = Field(
        default_factory=list,
        description="The sentences of the newest articles reporting the policy (ten articles at most, by date); "
        "all of them, page by page: `sources_next`.",
    )
    sources_total: int = Field(
        default=0, description="Number of independent articles reporting the policy: stories, an article and its "
        "copies on other sites (one dispatch republished) counting once; every copy is still a source.")
    sources_next: str | None = Field(
        default=None, description="Where the sources of the other articles are, when there are more than ten.",
        examples=["/policies/amazon-moratorium-facial-recognition/sources?offset=0"],
    )
    status: str = Field(default="unknown", examples=["in force"],
                        description="in force | ended | unknown, today, from the policy's events (its history: "
                        "/policies/{id}/history)")
    valid_from: str | None = Field(default=None, examples=["2020-06-10"],
                                   description="First day of its latest period in force (xsd:date)")
    valid_until: str | None = Field(default=None, examples=[None],
                                    description="First day it is no longer in force; null: open or unknown end")


class CompanyPolicies(BaseModel):
    """A company and its policies."""

    company: Company
    items: list[Policy]


class Statement(BaseModel):
    """What an advocate (or a person speaking for it) said, and whom it calls on."""

    id: str
    iri: str
    speaker: ActorRef
    quote: str | None = None
    targets: list[ActorRef] = Field(default_factory=list)
    sources: list[Source] = Field(
        default_factory=list,
        description="The sentences of the newest articles stating it (ten articles at most, by date).",
    )
    sources_total: int = Field(default=0, description="Number of independent articles stating it (stories: copies "
                               "of one dispatch count once).")


class Advocate(BaseModel):
    id: str = Field(examples=["aclu"])
    iri: str
    kind: str = Field(examples=["advocate"], description="advocate (an organisation) or person")
    label: str | None = None
    aliases: list[str] = Field(default_factory=list)
    wikidata: str | None = None
    role: str | None = None
    affiliation: ActorRef | None = None
    targets: list[ActorRef] = Field(default_factory=list, description="Whom it calls on.")


class AdvocateDetail(BaseModel):
    advocate: Advocate
    members: list[ActorRef] = Field(default_factory=list, description="People who speak for it.")
    statements: list[Statement] = Field(default_factory=list)


class Legislature(BaseModel):
    id: str = Field(examples=["us-congress"])
    iri: str
    label: str | None = None
    aliases: list[str] = Field(default_factory=list)
    wikidata: str | None = None


class AwaitingPolicy(BaseModel):
    """A policy that waits for a legislature's law."""

    id: str
    iri: str
    company: ActorRef
    type: str | None = None
    condition: str | None = None


class LegislatureDetail(BaseModel):
    """A legislature and what companies and advocates ask of it."""

    legislature: Legislature
    policies: list[AwaitingPolicy] = Field(default_factory=list, description="Policies that wait for its law.")
    advocates: list[ActorRef] = Field(default_factory=list, description="Advocates who call on it.")
    statements: list[Statement] = Field(default_factory=list, description="Statements that call on it.")


class Document(BaseModel):
    id: str = Field(examples=["001_311bd3e3553eda90"])
    iri: str
    title: str | None = None
    date: str | None = None
    source: str | None = None
    content_hash: str | None = None
    url: str | None = Field(default=None, description="The web page the article was read from, if any.")
    site: str | None = Field(default=None, description="The site that published it.")
    story: str | None = Field(default=None, description="The first article of the dispatch it republishes, if any.")


class Quote(BaseModel):
    quote: str | None = None
    start: int | None = None
    end: int | None = None


class DocumentPolicy(BaseModel):
    """A policy as one article reports it."""

    id: str
    iri: str
    company: str
    type: str | None = None
    quotes: list[Quote] = Field(default_factory=list)


class DocumentStatement(BaseModel):
    id: str
    iri: str
    speaker: ActorRef
    quote: str | None = None
    targets: list[ActorRef] = Field(default_factory=list)


class DocumentDetail(BaseModel):
    """An article's metadata and the facts drawn from it."""

    document: Document
    mentions: list[ActorRef] = Field(default_factory=list)
    policies: list[DocumentPolicy] = Field(default_factory=list)
    statements: list[DocumentStatement] = Field(default_factory=list)


class QueryParam(BaseModel):
    name: str
    type: str
    required: bool
    description: str = ""


class QueryInfo(BaseModel):
    """A named query of ``queries/*.rq``."""

    name: str
    summary: str
    description: str = ""
    form: str
    tags: list[str] = Field(default_factory=list)
    params: list[QueryParam] = Field(default_factory=list)


class ErrorMessage(BaseModel):
    detail: str
