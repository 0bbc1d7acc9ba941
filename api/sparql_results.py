"""Evaluating one SPARQL query and serialising its result, within limits: what the API's engine runs in a
thread and its worker processes run in theirs (both import this module; neither imports the other)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from api.negotiation import Offer
from api.sparql_guard import calls_other_hosts, refusal
from ontology.namespaces import PREFIXES
from vigie.sparql_text import shape
from vigie.store import GraphStore, Store


class SparqlError(Exception):
    """A query the API will not or cannot answer; ``status`` is the HTTP status to send."""

    def __init__(self, status: int, message: str, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = dict(headers or {})


@dataclass(frozen=True)
class Answer:
    """A serialised query result."""

    body: bytes
    media_type: str
    rows: int


@dataclass(frozen=True)
class Limits:
    """What one evaluation may take: seconds, rows, result bytes; and whether SERVICE may call other hosts."""

    timeout: float
    max_rows: int
    max_result_bytes: int
    allow_service: bool = False


def has_dataset_clause(query: str) -> bool:
    """Whether the query names its own dataset (``FROM`` / ``FROM NAMED``)."""
    return "FROM" in shape(query).keywords


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

# ------------------------------------------------------------------ serialisers


def _term_json(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value not in (_XSD_STRING, _RDF_LANG_STRING):
            out["datatype"] = term.datatype.value
        return out
    return {
        "type": "triple",
        "value": {
            "subject": _term_json(term.subject),
            "predicate": _term_json(term.predicate),
            "object": _term_json(term.object),
        },
    }


def solutions_json(variables: Sequence[str], rows: Sequence[Sequence]) -> bytes:
    """SPARQL 1.1 Query Results JSON for materialised rows (``None`` for an unbound variable)."""
    bindings = [
        {name: _term_json(value) for name, value in zip(variables, row, strict=True) if value is not None}
        for row in rows
    ]
    doc = {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def serialize_solutions(variables: Sequence[str], rows: Sequence[Sequence], fmt: ox.QueryResultsFormat) -> bytes:
    """Rows in one of the SPARQL results formats (pyoxigraph's serialisers for XML, CSV and TSV)."""
    body = solutions_json(variables, rows)
    if fmt == ox.QueryResultsFormat.JSON:
        return body
    return ox.parse_query_results(body, ox.QueryResultsFormat.JSON).serialize(format=fmt)  # type: ignore[return-value]


_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _triple_order(triple: ox.Triple) -> tuple:
    return (str(triple.subject), triple.predicate.value != _RDF_TYPE, triple.predicate.value, str(triple.object))


def _used_prefixes(triples: Sequence[ox.Triple]) -> dict[str, str]:
    iris = {t.predicate.value for t in triples}
    for t in triples:
        for term in (t.subject, t.object):
            if isinstance(term, ox.NamedNode):
                iris.add(term.value)
            elif isinstance(term, ox.Literal):
                iris.add(term.datatype.value)
    return {name: ns for name, ns in PREFIXES.items() if any(iri.startswith(ns) for iri in iris)}


def serialize_triples(triples: Sequence[ox.Triple], fmt: ox.RdfFormat) -> bytes:
    """Triples in an RDF format: duplicates removed, grouped by subject (``rdf:type`` first), with the
    Vigie prefixes they use."""
    unique = sorted(set(triples), key=_triple_order)
    return ox.serialize(unique, format=fmt, prefixes=_used_prefixes(unique))  # type: ignore[return-value]


# ------------------------------------------------------------------ evaluation


class _Cancelled(Exception):
    pass


def evaluate(
    store: GraphStore,
    query: str,
    offer: Offer,
    limits: Limits,
    *,
    bindings: Mapping[str, ox.NamedNode | ox.Literal] | None = None,
    default_graph: list[ox.NamedNode] | None = None,
    named_graphs: list[ox.NamedNode] | None = None,
    deadline: float,
    cancel: threading.Event,
    in_worker: bool = False,
) -> Answer:
    """Run ``query`` on ``store`` and serialise the result as ``offer`` asks, within ``limits``: rows, bytes,
    the deadline (checked as results are pulled) and, in a worker process, the exact SERVICE check."""
    if not limits.allow_service and in_worker and calls_other_hosts(query):
        # The parser's own reading (api.sparql_guard), here in the worker process, under the time
        # limit: check() is only a fast first pass; without a worker, guard() ran it in one already.
        raise SparqlError(400, refusal())
    dataset_given = default_graph is not None or named_graphs is not None
    try:
        result = store.query(
            query,
            bindings=bindings,
            # The query's own FROM / FROM NAMED, or the protocol's graph URIs, define the dataset (an
            # embedded store's default graph is the consolidated graph: it needs no reading of the text).
            union_default_graph=not dataset_given and (isinstance(store, Store) or not has_dataset_clause(query)),
            default_graph=default_graph if dataset_given else None,
            named_graphs=named_graphs if dataset_given else None,
        )
    except SyntaxError as exc:
        raise SparqlError(400, f"malformed query: {exc}") from None
    except RuntimeError as exc:
        raise SparqlError(400, str(exc)) from None
    except OSError as exc:
        raise SparqlError(502 if limits.allow_service else 500, f"query failed: {exc}") from None
    try:
        if isinstance(result, ox.QueryBoolean):
            if not isinstance(offer.format, ox.QueryResultsFormat):
                raise SparqlError(406, "an ASK query answers with SPARQL results, not RDF")
            return Answer(result.serialize(format=offer.format), offer.media_type, 1)  # type: ignore[arg-type]
        if isinstance(result, ox.QuerySolutions):
            if not isinstance(offer.format, ox.QueryResultsFormat):
                raise SparqlError(406, "a SELECT query answers with SPARQL results, not RDF")
            variables = [v.value for v in result.variables]
            rows = [tuple(solution) for solution in _capped(result, limits, deadline, cancel)]
            return Answer(serialize_solutions(variables, rows, offer.format), offer.media_type, len(rows))
        if not isinstance(offer.format, ox.RdfFormat):
            raise SparqlError(406, "a CONSTRUCT or DESCRIBE query answers with RDF, not SPARQL results")
        triples = list(_capped(result, limits, deadline, cancel))
        return Answer(serialize_triples(triples, offer.format), offer.media_type, len(triples))
    except _Cancelled:
        raise SparqlError(503, f"query exceeded the time limit of {limits.timeout:g} s") from None
    except OSError as exc:
        raise SparqlError(502 if limits.allow_service else 500, f"query failed: {exc}") from None

def _capped(results, limits: Limits, deadline: float, cancel: threading.Event):
    size = 0
    for count, item in enumerate(results, start=1):
        if count > limits.max_rows:
            raise SparqlError(
                413, f"the result has more than {limits.max_rows} rows; add a LIMIT (or narrow the query)"
            )
        if cancel.is_set() or time.monotonic() > deadline:
            raise _Cancelled
        terms = (item,) if isinstance(item, ox.Triple) else item
        size += sum(_term_size(term) for term in terms if term is not None) + 16
        if size > limits.max_result_bytes:
            raise SparqlError(413, f"the result is larger than {limits.max_result_bytes >> 20} MiB; add a LIMIT "
                                   "or select fewer or shorter values (VIGIE_MAX_RESULT_BYTES)")
        yield item


def _term_size(term) -> int:
    """Characters a term takes in a result (a cheap bound for the result's size)."""
    if isinstance(term, ox.Triple):
        return _term_size(term.subject) + _term_size(term.predicate) + _term_size(term.object)
    return len(term.value) + 8
