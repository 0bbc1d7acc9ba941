"""Running SPARQL for the API: time limit, result cap, bounded concurrency, and serialisation.

pyoxigraph cannot cancel a running query. Each query runs in a worker thread (pyoxigraph releases the
GIL while it evaluates, so the server keeps serving); results are pulled one at a time and the pull
stops at the deadline or past the row cap. A query that blocks inside one step (a big ``ORDER BY`` or
aggregate) keeps its thread until it ends; it also keeps its slot, and at most ``max_running_queries``
slots exist, so hostile queries cannot pile up: the next ones wait for a slot up to ``queue_seconds`` (on
the event loop, holding no thread: :mod:`api.slots`), then get a 503, while the REST routes (which do not
use the slots) keep answering. With an idle worker process, a query is sent and its answer awaited on the
event loop too (:meth:`api.sparql_worker.Worker.ask_async`): no hand-over to a thread.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future

import pyoxigraph as ox

from api.negotiation import RDF_OFFERS, RESULTS_OFFERS, Offer, choose
from api.slots import QuerySlots
from api.sparql_guard import calls_other_hosts, may_name_other_hosts, names_other_hosts, refusal
from api.sparql_results import Answer, Limits, SparqlError, evaluate
from api.sparql_worker import Worker, WorkerError, WorkerPool
from vigie.sparql_text import shape
from vigie.store import GraphStore

#: Queries up to this many characters are read (:meth:`Engine.check`) on the event loop: a few tens of
#: microseconds, less than a hand-over to a thread. Longer ones are read in a thread.
CHECK_ON_LOOP_CHARS = 2_000

# ------------------------------------------------------------------ engine


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
        self._slots = QuerySlots(max_running)

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
        """:meth:`check` (off the event loop for a long text); the query form."""
        if len(query) <= CHECK_ON_LOOP_CHARS:
            form = self.check(query)
        else:
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
        if not await self._slots.acquire(self.queue_seconds):
            raise SparqlError(503, f"too many queries running (waited {self.queue_seconds:g} s for a slot); "
                                   "try again later", {"Retry-After": "5"})
        if self.workers is not None and not bindings:
            try:
                return await self._in_process(query, offer, default_graph, named_graphs)
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

    async def _in_process(
        self,
        query: str,
        offer: Offer,
        default_graph: list[ox.NamedNode] | None,
        named_graphs: list[ox.NamedNode] | None,
    ) -> Answer:
        """The query in a worker process: on the event loop with an idle worker, else in a thread."""
        assert self.workers is not None
        request = {
            "generation": self.generation(), "query": query, "media_type": offer.media_type,
            "timeout": self.timeout, "max_rows": self.max_rows, "allow_service": self.allow_service,
            "max_result_bytes": self.max_result_bytes,
            "default_graph": None if default_graph is None else [g.value for g in default_graph],
            "named_graphs": None if named_graphs is None else [g.value for g in named_graphs],
        }
        worker = self.workers.acquire_idle()
        if worker is None:
            header, body = await asyncio.to_thread(self._ask, self.workers, request)
        else:
            header, body = await self._ask_idle(self.workers, worker, request)
        if header.get("status") != 200:
            raise SparqlError(header.get("status", 500), header.get("message", "query failed"), header.get("headers"))
        return Answer(body, offer.media_type, header.get("rows", 0))

    def _ask(self, pool: WorkerPool, request: dict) -> tuple[dict, bytes]:
        """One request to a worker of ``pool``, within the time limit; a dead or late worker is replaced."""
        try:
            worker = pool.acquire()
        except WorkerError as exc:  # the server is shutting down
            raise SparqlError(503, str(exc), {"Retry-After": "5"}) from None
        try:
            header, body = worker.ask(request, self.timeout)
        except (TimeoutError, WorkerError, OSError, ValueError) as exc:
            pool.discard(worker)  # killed: its CPU is free at once
            raise self._lost(pool, exc) from None
        pool.release(worker)
        return header, body

    async def _ask_idle(self, pool: WorkerPool, worker: Worker, request: dict) -> tuple[dict, bytes]:
        """:meth:`_ask` with an idle worker, awaited on the event loop (no thread)."""
        try:
            header, body = await worker.ask_async(request, self.timeout)
        except (TimeoutError, WorkerError, OSError, ValueError) as exc:
            await asyncio.to_thread(pool.discard, worker)  # reaped before the answer, off the loop
            raise self._lost(pool, exc) from None
        except BaseException:  # cancelled: the worker was killed, its answer unread
            threading.Thread(target=pool.discard, args=(worker,), name="vigie-worker-reap", daemon=True).start()
            raise
        pool.release(worker)
        return header, body

    def _lost(self, pool: WorkerPool, exc: Exception) -> SparqlError:
        """The 503 for a worker that ran out of time or died (discarded), and a new one started for the next."""
        threading.Thread(target=pool.prestart, name="vigie-worker-start", daemon=True).start()
        if isinstance(exc, TimeoutError):
            return SparqlError(503, f"query exceeded the time limit of {self.timeout:g} s", {"Retry-After": "5"})
        return SparqlError(503, f"the query stopped its worker ({exc}): it needed more memory than the "
                                f"worker's limit ({pool.memory_bytes >> 20} MiB: VIGIE_WORKER_MEMORY_MB) "
                                "or crashed the parser", {"Retry-After": "5"})

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
        limits = Limits(self.timeout, self.max_rows, self.max_result_bytes, self.allow_service)
        return evaluate(self.store, query, offer, limits, bindings=bindings, default_graph=default_graph,
                        named_graphs=named_graphs, deadline=deadline, cancel=cancel)

