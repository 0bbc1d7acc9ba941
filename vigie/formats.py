"""The serialisation formats Vigie reads and writes, by the names users type."""

from __future__ import annotations

import pyoxigraph as ox

#: RDF formats by CLI/REST name.
RDF_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "ttl": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
}

#: The formats ``vigie export`` and ``GET /export`` offer, by name.
EXPORT_FORMATS: tuple[str, ...] = ("turtle", "trig", "nquads", "ntriples", "jsonld")

#: Media type and file extension of each RDF format, for HTTP responses and file names.
MEDIA_TYPES: dict[str, str] = {
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "trig": "application/trig",
    "nquads": "application/n-quads",
    "ntriples": "application/n-triples",
    "rdfxml": "application/rdf+xml",
    "jsonld": "application/ld+json",
}
EXTENSIONS: dict[str, str] = {
    "turtle": "ttl", "ttl": "ttl", "trig": "trig", "nquads": "nq", "ntriples": "nt", "rdfxml": "rdf",
    "jsonld": "jsonld",
}

#: SPARQL results formats (SELECT/ASK) by CLI/REST name.
RESULTS_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}


def rdf_format(name: str) -> ox.RdfFormat:
    """The RDF format called ``name``; ``ValueError`` listing the known names otherwise."""
    try:
        return RDF_FORMATS[name.lower()]
    except KeyError:
        raise ValueError(f"unknown RDF format {name!r} (known: {', '.join(RDF_FORMATS)})") from None
