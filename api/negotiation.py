"""Content negotiation: which serialisation to send for an ``Accept`` header (or a ``format`` parameter)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox

RESULTS_JSON = "application/sparql-results+json"


@dataclass(frozen=True)
class Offer:
    """A serialisation the server can produce: its media type, the aliases it answers to, and the format."""

    media_type: str
    format: ox.QueryResultsFormat | ox.RdfFormat | None
    aliases: tuple[str, ...] = ()
    names: tuple[str, ...] = ()

    def matches(self, media_range: str) -> bool:
        if media_range in ("*/*", "*"):
            return True
        if media_range.endswith("/*"):
            return self.media_type.startswith(media_range[:-1])
        return media_range == self.media_type or media_range in self.aliases


#: For SELECT and ASK results, best first (the first is the default).
RESULTS_OFFERS: tuple[Offer, ...] = (
    Offer(RESULTS_JSON, ox.QueryResultsFormat.JSON,
          ("application/json", "text/javascript", "application/javascript"), ("json", "srj")),
    Offer("application/sparql-results+xml", ox.QueryResultsFormat.XML, ("application/xml", "text/xml"), ("xml", "srx")),
    Offer("text/csv", ox.QueryResultsFormat.CSV, (), ("csv",)),
    Offer("text/tab-separated-values", ox.QueryResultsFormat.TSV, (), ("tsv",)),
)

#: For CONSTRUCT and DESCRIBE results and the RDF views of REST resources, best first.
RDF_OFFERS: tuple[Offer, ...] = (
    Offer("text/turtle", ox.RdfFormat.TURTLE, ("application/turtle", "application/x-turtle"), ("turtle", "ttl")),
    Offer("application/n-triples", ox.RdfFormat.N_TRIPLES, ("text/plain",), ("ntriples", "nt")),
    Offer("application/rdf+xml", ox.RdfFormat.RDF_XML, ("application/xml", "text/xml"), ("rdfxml", "xml", "rdf")),
    Offer("application/ld+json", ox.RdfFormat.JSON_LD, ("application/x-json+ld", "application/json"),
          ("jsonld", "json-ld", "json")),
)

#: The JSON view of a REST resource.
JSON_OFFER = Offer("application/json", None, (), ("json",))


def parse_accept(header: str | None) -> list[str]:
    """Media ranges of an ``Accept`` header, most preferred first (q-values, then specificity, then order)."""
    if not header or not header.strip():
        return ["*/*"]
    ranges: list[tuple[float, int, int, str]] = []
    for index, part in enumerate(header.split(",")[:64]):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if not media:
            continue
        q = 1.0
        for param in pieces[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        if q <= 0:
            continue
        specificity = 0 if media in ("*/*", "*") else 1 if media.endswith("/*") else 2
        ranges.append((-q, -specificity, index, media))
    return [media for *_, media in sorted(ranges)]


def choose(offers: Sequence[Offer], accept: str | None, format_name: str | None = None) -> Offer | None:
    """The offer to send, or ``None`` when nothing acceptable can be produced (a 406)."""
    if format_name:
        wanted = format_name.strip().lower()
        for offer in offers:
            if wanted in offer.names or offer.matches(wanted):
                return offer
        return None
    for media_range in parse_accept(accept):
        for offer in offers:
            if offer.matches(media_range):
                return offer
    return None
