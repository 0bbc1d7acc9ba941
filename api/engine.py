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
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass

import pyoxigraph as ox

from api.negotiation import RDF_OFFERS, RESULTS_OFFERS, Offer, choose
from api.sparql_guard import calls_other_hosts, may_name_other_hosts, names_other_hosts, refusal
from api.sparql_worker import WorkerError, WorkerPool
from ontology.namespaces import PREFIXES
from vigie.sparql_text import shape
from vigie.store import GraphStore

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

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


def has_dataset_clause(query: str) -> bool:
    """Whether the query names its own dataset (``FROM`` / ``FROM NAMED``)."""
    return "FROM" in shape(query).keywords


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
    """Runs queries against a :class:`Store` with a time limit, result caps and a bound on running queries.

    User text is only *read* here (:func:`vigie.sparql_text.shape`: size, nesting depth, form, a first
    ``SERVICE`` check); Oxigraph parses and evaluates it in a worker process (``workers``, over an on-disk
    store) or, for a store without one (a SPARQL server, a store in memory), in a thread after the exact
    ``SERVICE`` check ran in a store-less worker (``guards``).
    """

    def __init__(
        self,
        store: GraphStore,
        *,
        timeout: float = 10.0,
        max_rows: int = 10_000,
        max_running: int = 2,
        allow_service: bool = False,
        max_query_bytes: int = 100_000,
        max_depth: int = 64,
        max_result_bytes: int = 32 * 1024 * 1024,
        queue_seconds: float = 2.0,
        workers: WorkerPool | None = None,
        guards: WorkerPool | None = None,
        generation: Callable[[], int] = lambda: 0,
    ) -> None:
        self.store = store
        self.timeout = timeout
        self.max_rows = max_rows
        self.allow_service = allow_service
        self.max_query_bytes = max_query_bytes
        self.max_depth = max_depth
        self.max_result_bytes = max_result_bytes
        self.queue_seconds = queue_seconds
        self.workers = workers
        self.guards = guards
        self.generation = generation
        self._slots = threading.BoundedSemaphore(max_running)

    def close(self) -> None:
        """Stop the worker processes, if any."""
        for pool in (self.workers, self.guards):
            if pool is not None:
                pool.close()

    # -- checks done before running anything: reading, never parsing

    def check(self, query: str, *, update: bool = False) -> str | None:
        """Refuse what the endpoint will not run; return the query form (``None`` for an update).

        Linear in the text and never hands it to a parser, so a hostile text costs milliseconds.
        """
        kind = "update" if update else "query"
        if len(query.encode("utf-8", "surrogatepass")) > self.max_query_bytes:
            raise SparqlError(413, f"{kind} larger than {self.max_query_bytes} bytes")
        read = shape(query)
        if read.depth > self.max_depth:
            raise SparqlError(400, f"{kind} nested {read.depth} levels deep "
                                   f"(at most {self.max_depth}: VIGIE_SPARQL_MAX_DEPTH)")
        if not self.allow_service and names_other_hosts(read, update=update):
            raise SparqlError(400, refusal(update))
        if update:
            return None
        if read.form is None:
            if read.operation is not None:
                raise SparqlError(400, f"a SPARQL update ({read.operation}) sent as a query: POST it as "
                                       "'update' (application/sparql-update), with the write token")
            raise SparqlError(400, "not a SPARQL query: SELECT, ASK, CONSTRUCT or DESCRIBE must follow the "
                                   "PREFIX and BASE declarations")
        return read.form

    async def accept(self, query: str) -> str:
        """:meth:`check` off the event loop; the query form."""
        form = await asyncio.to_thread(self.check, query)
        assert form is not None
        return form

    async def guard(self, text: str, *, update: bool = False) -> None:
        """The exact ``SERVICE``/``LOAD`` check (Oxigraph's parser) in a worker process, never in this one."""
        if self.allow_service or not may_name_other_hosts(text, update=update):
            return
        pool = self.workers or self.guards
        if pool is None:
            verdict = await asyncio.to_thread(calls_other_hosts, text, update=update)
        else:
            header, _ = await asyncio.to_thread(self._ask, pool, {"op": "guard", "text": text, "update": update})
            verdict = bool(header.get("calls_other_hosts", True))
        if verdict:
            raise SparqlError(400, refusal(update))

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
        if not self._slots.acquire(blocking=False) and \
                not await asyncio.to_thread(self._slots.acquire, True, self.queue_seconds):
            raise SparqlError(503, f"too many queries running (waited {self.queue_seconds:g} s for a slot); "
                                   "try again later", {"Retry-After": "5"})
        if self.workers is not None and not bindings:
            try:
                return await asyncio.to_thread(self._in_process, query, offer, default_graph, named_graphs)
            finally:
                self._slots.release()
        if not bindings:  # a user's text (named queries come with bindings and are the product's own)
            try:
                await self.guard(query)
            except SparqlError:
                self._slots.release()
                raise
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
            "max_result_bytes": self.max_result_bytes,
            "default_graph": None if default_graph is None else [g.value for g in default_graph],
            "named_graphs": None if named_graphs is None else [g.value for g in named_graphs],
        }
        header, body = self._ask(self.workers, request)
        if header.get("status") != 200:
            raise SparqlError(header.get("status", 500), header.get("message", "query failed"), header.get("headers"))
        return Answer(body, offer.media_type, header.get("rows", 0))

    def _ask(self, pool: WorkerPool, request: dict) -> tuple[dict, bytes]:
        """One request to a worker of ``pool``, within the time limit; a dead or late worker is replaced."""
        worker = pool.acquire()
        try:
            header, body = worker.ask(request, self.timeout)
        except TimeoutError:
            pool.discard(worker)  # killed: its CPU is free at once
            threading.Thread(target=pool.prestart, name="vigie-worker-start", daemon=True).start()
            raise SparqlError(
                503, f"query exceeded the time limit of {self.timeout:g} s", {"Retry-After": "5"}
            ) from None
        except (WorkerError, OSError, ValueError) as exc:
            pool.discard(worker)
            threading.Thread(target=pool.prestart, name="vigie-worker-start", daemon=True).start()
            raise SparqlError(503, f"the query stopped its worker ({exc}): it needed more memory than the "
                                   f"worker's limit ({pool.memory_bytes >> 20} MiB: VIGIE_WORKER_MEMORY_MB) "
                                   "or crashed the parser", {"Retry-After": "5"}) from None
        pool.release(worker)
        return header, body

    def _evaluate(
        self,
        query: str,
        offer: Offer,
        bindings: Mapping[str, ox.NamedNode | ox.Literal] | None,
        default_graph: list[ox.NamedNode] | None,
        named_graphs: list[ox.NamedNode] | None,
        deadline: float,
        cancel: threading.Event,
        in_worker: bool = False,
    ) -> Answer:
        if not self.allow_service and in_worker and calls_other_hosts(query):
            # The parser's own reading (api.sparql_guard), here in the worker process, under the time
            # limit: check() is only a fast first pass; without a worker, guard() ran it in one already.
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
            raise SparqlError(502 if self.allow_service else 500, f"query failed: {exc}") from None
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
            raise SparqlError(502 if self.allow_service else 500, f"query failed: {exc}") from None

    def _capped(self, results, deadline: float, cancel: threading.Event):
        size = 0
        for count, item in enumerate(results, start=1):
            if count > self.max_rows:
                raise SparqlError(
                    413, f"the result has more than {self.max_rows} rows; add a LIMIT (or narrow the query)"
                )
            if cancel.is_set() or time.monotonic() > deadline:
                raise _Cancelled
            terms = (item,) if isinstance(item, ox.Triple) else item
            size += sum(_term_size(term) for term in terms if term is not None) + 16
            if size > self.max_result_bytes:
                raise SparqlError(413, f"the result is larger than {self.max_result_bytes >> 20} MiB; add a LIMIT "
                                       "or select fewer or shorter values (VIGIE_MAX_RESULT_BYTES)")
            yield item


def _term_size(term) -> int:
    """Characters a term takes in a result (a cheap bound for the result's size)."""
    if isinstance(term, ox.Triple):
        return _term_size(term.subject) + _term_size(term.predicate) + _term_size(term.object)
    return len(term.value) + 8
