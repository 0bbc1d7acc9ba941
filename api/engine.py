"""Running SPARQL for the API: time limit, result cap, bounded concurrency, and serialisation.

pyoxigraph cannot cancel a running query. Each query runs in a worker thread (pyoxigraph releases the
GIL while it evaluates, so the server keeps serving); results are pulled one at a time and the pull
stops at the deadline or past the row cap. A query that blocks inside one step (a big ``ORDER BY`` or
aggregate) keeps its thread until it ends; it also keeps its slot, and at most ``max_running_queries``
slots exist, so hostile queries cannot pile up: the next ones are refused at once with a 503 while the
REST routes (which do not use the slots) keep answering.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass

import pyoxigraph as ox

from api.negotiation import RDF_OFFERS, RESULTS_OFFERS, Offer, choose
from api.sparql_guard import calls_other_hosts, refusal
from api.sparql_worker import WorkerError, WorkerPool
from ontology.namespaces import PREFIXES
from vigie.store import GraphStore

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

# Comments, strings and IRIs, removed before looking for keywords in a query.
_NOISE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*',
)
_KEYWORD = r"(?<![\w?$:]){}(?![\w:-])"
_FORM = re.compile(_KEYWORD.format(r"(SELECT|ASK|CONSTRUCT|DESCRIBE)"), re.IGNORECASE)
_SERVICE = re.compile(_KEYWORD.format("SERVICE"), re.IGNORECASE)
_FROM = re.compile(_KEYWORD.format("FROM"), re.IGNORECASE)


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


def strip_noise(query: str) -> str:
    """The query without comments, string literals and IRIs (for keyword checks)."""
    return _NOISE.sub(" ", query)


def query_form(query: str) -> str | None:
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE`` (the first one outside comments, strings, IRIs)."""
    match = _FORM.search(strip_noise(query))
    return match.group(1).upper() if match else None


def uses_service(query: str) -> bool:
    return bool(_SERVICE.search(strip_noise(query)))


def has_dataset_clause(query: str) -> bool:
    return bool(_FROM.search(strip_noise(query)))


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


# ------------------------------------------------------------------ engine


class _Cancelled(Exception):
    pass


class Engine:
    """Runs queries against a :class:`Store` with a time limit, a result cap and a bound on running queries."""

    def __init__(
        self,
        store: GraphStore,
        *,
        timeout: float = 10.0,
        max_rows: int = 10_000,
        max_running: int = 2,
        allow_service: bool = False,
        max_query_bytes: int = 100_000,
        workers: WorkerPool | None = None,
        generation: Callable[[], int] = lambda: 0,
    ) -> None:
        self.store = store
        self.timeout = timeout
        self.max_rows = max_rows
        self.allow_service = allow_service
        self.max_query_bytes = max_query_bytes
        self.workers = workers
        self.generation = generation
        self._slots = threading.BoundedSemaphore(max_running)

    def close(self) -> None:
        """Stop the worker processes, if any."""
        if self.workers is not None:
            self.workers.close()

    # -- checks done before running anything

    def check(self, query: str) -> str:
        """Refuse what the endpoint will not run; return the query form."""
        if len(query.encode("utf-8", "surrogatepass")) > self.max_query_bytes:
            raise SparqlError(413, f"query larger than {self.max_query_bytes} bytes")
        if not self.allow_service and uses_service(query):
            raise SparqlError(400, "SERVICE (federated query) is disabled on this endpoint")
        form = query_form(query)
        if form is None:
            # Let the parser say what is wrong (an update sent as a query lands here too).
            self._parse_only(query)
            raise SparqlError(400, "not a SPARQL query (SELECT, ASK, CONSTRUCT or DESCRIBE)")
        return form

    def _parse_only(self, query: str) -> None:
        try:
            ox.Store().query(query, prefixes=PREFIXES)
        except SyntaxError as exc:
            raise SparqlError(400, f"malformed query: {exc}") from None
        except Exception:  # only the syntax matters here
            return

    @staticmethod
    def offer_for(form: str, accept: str | None, format_name: str | None = None) -> Offer:
        """The serialisation for a query form, or a 406 :class:`SparqlError`."""
        offers = RDF_OFFERS if form in ("CONSTRUCT", "DESCRIBE") else RESULTS_OFFERS
        offer = (choose(offers, None, format_name) if format_name else None) or choose(offers, accept)
        if offer is None:
            kinds = ", ".join(o.media_type for o in offers)
            raise SparqlError(406, f"cannot produce {accept!r} for a {form} query (available: {kinds})")
        return offer

    # -- running

    async def run(
        self,
        query: str,
        offer: Offer,
        *,
        bindings: Mapping[str, ox.NamedNode | ox.Literal] | None = None,
        default_graph: list[ox.NamedNode] | None = None,
        named_graphs: list[ox.NamedNode] | None = None,
    ) -> Answer:
        """Evaluate and serialise ``query`` within the time limit: in a worker process when the engine has
        them (user queries, killable), else in a worker thread."""
        if not self._slots.acquire(blocking=False):
            raise SparqlError(503, "too many queries running; try again later", {"Retry-After": "5"})
        if self.workers is not None and not bindings:
            try:
                return await asyncio.to_thread(self._in_process, query, offer, default_graph, named_graphs)
            finally:
                self._slots.release()
        deadline = time.monotonic() + self.timeout
        cancel = threading.Event()
        future: Future[Answer] = Future()

        def work() -> None:
            outcome: Answer | SparqlError
            try:
                outcome = self._evaluate(query, offer, bindings, default_graph, named_graphs, deadline, cancel)
            except SparqlError as exc:
                # A fresh exception, without the traceback: pyoxigraph's result iterators must be freed on
                # the thread that made them, and a traceback would carry them to the request's thread.
                outcome = SparqlError(exc.status, exc.message, exc.headers)
            except Exception as exc:
                outcome = SparqlError(500, f"query failed: {exc}")
            finally:
                self._slots.release()
            if future.set_running_or_notify_cancel():
                if isinstance(outcome, SparqlError):
                    future.set_exception(outcome)
                else:
                    future.set_result(outcome)

        threading.Thread(target=work, name="vigie-sparql", daemon=True).start()
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), timeout=self.timeout)
        except TimeoutError:
            cancel.set()
            raise SparqlError(
                503, f"query exceeded the time limit of {self.timeout:g} s", {"Retry-After": "5"}
            ) from None

    def _in_process(
        self,
        query: str,
        offer: Offer,
        default_graph: list[ox.NamedNode] | None,
        named_graphs: list[ox.NamedNode] | None,
    ) -> Answer:
        assert self.workers is not None
        request = {
            "generation": self.generation(), "query": query, "media_type": offer.media_type,
            "timeout": self.timeout, "max_rows": self.max_rows, "allow_service": self.allow_service,
            "default_graph": None if default_graph is None else [g.value for g in default_graph],
            "named_graphs": None if named_graphs is None else [g.value for g in named_graphs],
        }
        worker = self.workers.acquire()
        try:
            header, body = worker.ask(request, self.timeout)
        except TimeoutError:
            self.workers.discard(worker)  # killed: its CPU is free at once
            threading.Thread(target=self.workers.prestart, name="vigie-worker-start", daemon=True).start()
            raise SparqlError(
                503, f"query exceeded the time limit of {self.timeout:g} s", {"Retry-After": "5"}
            ) from None
        except (WorkerError, OSError, ValueError) as exc:
            self.workers.discard(worker)
            raise SparqlError(500, f"query worker failed: {exc}") from None
        self.workers.release(worker)
        if header.get("status") != 200:
            raise SparqlError(header.get("status", 500), header.get("message", "query failed"), header.get("headers"))
        return Answer(body, offer.media_type, header.get("rows", 0))

    def _evaluate(
        self,
        query: str,
        offer: Offer,
        bindings: Mapping[str, ox.NamedNode | ox.Literal] | None,
        default_graph: list[ox.NamedNode] | None,
        named_graphs: list[ox.NamedNode] | None,
        deadline: float,
        cancel: threading.Event,
    ) -> Answer:
        if not self.allow_service and calls_other_hosts(query):
            # The parser's own reading (api.sparql_guard), here in the worker, under the time limit: the
            # keyword check in check() is only a fast first pass.
            raise SparqlError(400, refusal())
        dataset_given = default_graph is not None or named_graphs is not None
        try:
            result = self.store.query(
                query,
                bindings=bindings,
                # The query's own FROM / FROM NAMED, or the protocol's graph URIs, define the dataset.
                union_default_graph=not dataset_given and not has_dataset_clause(query),
                default_graph=default_graph if dataset_given else None,
                named_graphs=named_graphs if dataset_given else None,
            )
        except SyntaxError as exc:
            raise SparqlError(400, f"malformed query: {exc}") from None
        except RuntimeError as exc:
            raise SparqlError(400, str(exc)) from None
        except OSError as exc:
            raise SparqlError(502 if uses_service(query) else 500, f"query failed: {exc}") from None
        try:
            if isinstance(result, ox.QueryBoolean):
                if not isinstance(offer.format, ox.QueryResultsFormat):
                    raise SparqlError(406, "an ASK query answers with SPARQL results, not RDF")
                return Answer(result.serialize(format=offer.format), offer.media_type, 1)  # type: ignore[arg-type]
            if isinstance(result, ox.QuerySolutions):
                if not isinstance(offer.format, ox.QueryResultsFormat):
                    raise SparqlError(406, "a SELECT query answers with SPARQL results, not RDF")
                variables = [v.value for v in result.variables]
                rows = [tuple(solution) for solution in self._capped(result, deadline, cancel)]
                return Answer(serialize_solutions(variables, rows, offer.format), offer.media_type, len(rows))
            if not isinstance(offer.format, ox.RdfFormat):
                raise SparqlError(406, "a CONSTRUCT or DESCRIBE query answers with RDF, not SPARQL results")
            triples = list(self._capped(result, deadline, cancel))
            return Answer(serialize_triples(triples, offer.format), offer.media_type, len(triples))
        except _Cancelled:
            raise SparqlError(503, f"query exceeded the time limit of {self.timeout:g} s") from None
        except OSError as exc:
            raise SparqlError(502 if uses_service(query) else 500, f"query failed: {exc}") from None

    def _capped(self, results, deadline: float, cancel: threading.Event):
        for count, item in enumerate(results, start=1):
            if count > self.max_rows:
                raise SparqlError(
                    413, f"the result has more than {self.max_rows} rows; add a LIMIT (or narrow the query)"
                )
            if cancel.is_set() or time.monotonic() > deadline:
                raise _Cancelled
            yield item
