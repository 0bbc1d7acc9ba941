"""``vigie ingest --cluster``: extraction on a Dask cluster, each article's graph written to the store.

The client (the ``vigie ingest`` process) reads the files, skips the articles already in the store (content
hash) exactly as a local ingest does, and sends batches of documents to the workers, so the workers need no
access to the corpus. Each worker loads the French model once (:class:`ExtractorPlugin`, a per-process
cache) and extracts its batches with the same :class:`~extractors.pipeline.Extractor` as a local ingest.

Where things are consolidated, and why the answer does not depend on how the batches were split:

* **Policies across articles** (:func:`extractors.merge.consolidate`): a local ingest consolidates the fresh
  articles in windows of :data:`~extractors.pipeline.CONSOLIDATION_WINDOW`, in corpus order, each article
  against what its window and every earlier window read. The cluster path keeps the same windows: a batch
  never straddles two, each batch's lessons (its individually read decisions) are gathered on the client,
  and a window is finished only once every batch of it and of the earlier windows is extracted. The
  worker holding a batch then consolidates it against exactly that window's lessons. Batch size, worker
  count, completion order and retries therefore change nothing.
* **The consolidated default graph** (:mod:`vigie.consolidation`): kept exact by the store at every write,
  whatever the order of the writes. On a SPARQL server the workers write (one at a time, under a Dask
  lock: each write's recount of ``vg:articleCount`` reads what the others wrote); an embedded store is
  written by the client only, the graphs coming back from the workers.

Failures: a worker that dies mid-batch has its batch recomputed elsewhere (Dask's lineage; a batch that
was running on each of 3 workers that died, the scheduler's ``allowed-failures``, stops the ingest).
Extraction is pure and every article's graph is written with replace semantics, so a batch done twice
writes the same graphs again, never a second copy; the summary counts each batch's outcome once. An
article whose extraction raises is reported in one line, like a file that cannot be read.
"""

from __future__ import annotations

import contextlib
import copy
import ctypes
import math
import os
import threading
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path

from distributed import Client, KilledWorker, LocalCluster, Lock, as_completed
from distributed.diagnostics.plugin import WorkerPlugin

from extractors.documents import MAX_ARTICLE_BYTES
from extractors.facts import Document, Extraction
from extractors.merge import consolidate
from extractors.pipeline import CONSOLIDATION_WINDOW, Extractor
from extractors.rdf import document_iri
from vigie.ingest import (
    MAX_FACTS_PER_ARTICLE,
    IngestReport,
    checked_quads,
    fresh_documents,
    read_documents,
)
from vigie.store import GraphStore

#: ``--cluster local:N`` starts a LocalCluster of N worker processes on this machine.
LOCAL_PREFIX = "local:"
#: Lessons of one batch: (company, technology) → policy type → evidence of individually read decisions.
Lessons = dict[tuple[str, str], dict[str, int]]


class ClusterError(Exception):
    """The cluster could not be reached or started, or a batch could not be done; one line says why."""


# --------------------------------------------------------------------------- connecting


def parse_cluster(spec: str) -> tuple[str, int | None]:
    """``"local:N"`` → ``("local", N)``; a scheduler address (``tcp://host:8786``) → ``(address, None)``."""
    spec = spec.strip()
    if spec.startswith(LOCAL_PREFIX):
        try:
            count = int(spec[len(LOCAL_PREFIX):])
        except ValueError:
            count = 0
        if count < 1:
            raise ValueError(f"--cluster local:N needs a number of workers N >= 1 (got {spec!r})")
        return "local", count
    if "://" not in spec and ":" not in spec:
        raise ValueError(f"--cluster takes a scheduler address (tcp://HOST:8786) or local:N (got {spec!r})")
    return spec, None


@contextlib.contextmanager
def connect(spec: str, *, timeout: float = 30) -> Iterator[Client]:
    """A client of the cluster ``spec`` names; ``local:N`` starts (and at the end stops) N worker processes
    with one thread each on 127.0.0.1."""
    address, count = parse_cluster(spec)
    cluster = None
    try:
        if count is not None:
            # One thread per process: spaCy parses on one core; the processes give the parallelism.
            cluster = LocalCluster(n_workers=count, threads_per_worker=1, processes=True, host="127.0.0.1",
                                   dashboard_address=None)
            address = cluster.scheduler_address
        client = Client(address, timeout=timeout)
    except (OSError, TimeoutError) as exc:
        if cluster is not None:
            cluster.close()
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


# --------------------------------------------------------------------------- on the workers

_EXTRACTORS: dict[tuple, Extractor] = {}
_WORKER_CACHE: dict[tuple, object] = {}  # per process: the remote stores, the SHACL checker
_CACHE_LOCK = threading.Lock()
# One extraction at a time per process: spaCy pipelines are not promised to be thread-safe, and a worker
# started with several threads would only share one core's model anyway.
_EXTRACT_LOCK = threading.Lock()


def extractor_for(aliases: tuple[tuple[str, str, str], ...]) -> Extractor:
    """This process's extractor for these curated aliases (the model is loaded once per process)."""
    with _CACHE_LOCK:
        if aliases not in _EXTRACTORS:
            _EXTRACTORS[aliases] = Extractor(extra_aliases=aliases)
        return _EXTRACTORS[aliases]


class ExtractorPlugin(WorkerPlugin):
    """Loads the French model and Vigie's components when a worker starts (or joins later), so that the
    first batch does not pay for it."""

    name = "vigie-extractor"

    def __init__(self, aliases: Iterable[tuple[str, str, str]] = ()) -> None:
        self.aliases = tuple(tuple(a) for a in aliases)

    def setup(self, worker) -> None:
        _keep_freed_memory()
        extractor_for(self.aliases)


def _keep_freed_memory(threshold: int = 32 << 20) -> None:
    """Let glibc keep up to ``threshold`` bytes of freed memory instead of returning it to the system at once.

    Dask's nanny starts workers with ``MALLOC_TRIM_THRESHOLD_=65536``: spaCy allocates and frees so much per
    article that trimming at 64 KiB made extraction about a third slower than in a plain process (measured,
    BENCHMARKS.md). 32 MiB is where glibc's own adaptive threshold settles.
    """
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").mallopt(-1, threshold)  # -1: M_TRIM_THRESHOLD


@dataclass
class Extracted:
    """One batch on its worker: the extractions (before cross-article consolidation) and the failures."""

    extractions: list[Extraction]
    failed: list[tuple[str, str]] = field(default_factory=list)


def extract_batch(documents: list[Document], aliases: tuple) -> Extracted:
    """Parse and read one batch (extractions before cross-article consolidation)."""
    extractor = extractor_for(aliases)
    with _EXTRACT_LOCK:
        # A batch that raises is read again article by article, to name the article that fails.
        with contextlib.suppress(Exception):
            return Extracted(_read(extractor, documents))
        result = Extracted([])
        for document in documents:
            try:
                result.extractions += _read(extractor, [document])
            except Exception as exc:  # reported in one line, like an unreadable file
                reason = f"extraction failed: {type(exc).__name__}: {exc}"
                result.failed.append((document.path or document.id, reason))
        return result


def _read(extractor: Extractor, documents: list[Document]) -> list[Extraction]:
    docs = extractor.nlp.pipe([d.body for d in documents], batch_size=max(1, len(documents)))
    return [extractor.read(doc, document) for doc, document in zip(docs, documents, strict=True)]


def batch_lessons(extracted: Extracted) -> Lessons:
    """What a batch teaches the consolidation: the rule is :func:`consolidate`'s own, run on a copy."""
    learnt: defaultdict = defaultdict(Counter)
    consolidate(copy.deepcopy(extracted.extractions), learnt)
    return {key: dict(counts) for key, counts in learnt.items()}


@dataclass
class WriteTarget:
    """Where the workers write: a SPARQL server (``RemoteStore`` options), or nowhere (the client writes)."""

    url: str | None = None
    options: dict = field(default_factory=dict)


@dataclass
class BatchOutcome:
    """A finished batch: its report, and its graphs when the client writes them (embedded store)."""

    report: IngestReport
    graphs: dict | None = None


def finish_batch(extracted: Extracted, prior: Lessons, target: WriteTarget, max_facts: int,
                 validate: bool) -> BatchOutcome:
    """Consolidate a batch against its window's lessons, turn it into quads and write it (on a server).

    ``prior`` is the window's lessons without this batch's: :func:`consolidate` adds them back. The batch is
    copied first: a retried task must find its input as the first attempt did.
    """
    extractions = copy.deepcopy(extracted.extractions)
    consolidate(extractions, defaultdict(Counter, {k: Counter(v) for k, v in prior.items()}))
    report = IngestReport(failed=list(extracted.failed))
    checker = _checker() if validate else None
    graphs = {}
    for extraction in extractions:
        quads = checked_quads(extraction, report, max_facts=max_facts, validate=checker)
        if quads is not None:
            graphs[document_iri(extraction.document.id)] = quads
    if target.url is None:
        return BatchOutcome(report, graphs)
    if graphs:
        store = _remote_store(target)
        # One writer at a time per server: see the module's docstring.
        with Lock(f"vigie-write-{target.url}"):
            store.replace_graphs(graphs)
    return BatchOutcome(report)


def _checker():
    from vigie.validation import article_checker

    with _CACHE_LOCK:
        if ("checker",) not in _WORKER_CACHE:
            _WORKER_CACHE[("checker",)] = article_checker()
        return _WORKER_CACHE[("checker",)]


def _remote_store(target: WriteTarget) -> GraphStore:
    from vigie.remote_store import RemoteStore

    key = (target.url, tuple(sorted(target.options.items())))
    with _CACHE_LOCK:
        if key not in _WORKER_CACHE:
            _WORKER_CACHE[key] = RemoteStore(target.url, **target.options)
        return _WORKER_CACHE[key]


def model_limit(aliases: tuple) -> int:
    """The longest text a worker's pipeline accepts (so the client need not load the model to know it)."""
    return extractor_for(aliases).nlp.max_length


# --------------------------------------------------------------------------- on the client


def write_target(store: GraphStore, token: str | None = None) -> WriteTarget:
    """Where the workers write for this store: its server with the client's settings (endpoints, graph
    prefix, credentials), which the workers' environments may not have; the client itself for a folder."""
    from vigie.remote_store import RemoteStore

    if not isinstance(store, RemoteStore):
        return WriteTarget()
    env = os.environ.get
    options: dict = {
        "query_endpoint": store.query_endpoint, "update_endpoint": store.update_endpoint,
        "graph_store_endpoint": store.graph_store_endpoint, "graph_prefix": store.graph_prefix,
        "flavor": store.flavor, "write_mode": store.write_mode, "retries": store.retries,
    }
    token = token or env("VIGIE_STORE_TOKEN") or env("VIGIE_WRITE_TOKEN")
    if token:
        options["token"] = token
    elif env("VIGIE_STORE_USER"):
        options["auth"] = (env("VIGIE_STORE_USER", ""), env("VIGIE_STORE_PASSWORD", ""))
    return WriteTarget(store.url, options)


@dataclass
class _Window:
    """Up to ``window`` fresh articles, consolidated together, as batches."""

    index: int
    batches: list[list[Document]]
    extracted: dict[int, object] = field(default_factory=dict)  # batch → future of Extracted
    lessons: dict[int, Lessons] = field(default_factory=dict)
    outcomes: dict[int, BatchOutcome] = field(default_factory=dict)
    released: bool = False

    @property
    def extracted_all(self) -> bool:
        return len(self.lessons) == len(self.batches)

    @property
    def done(self) -> bool:
        return len(self.outcomes) == len(self.batches)


def _windows(documents: Iterable[Document], window: int, batch_size: int) -> Iterator[list[list[Document]]]:
    """The fresh documents in corpus order, cut into windows, each window into batches."""
    current: list[Document] = []
    for document in documents:
        current.append(document)
        if len(current) >= window:
            yield _batches(current, batch_size)
            current = []
    if current:
        yield _batches(current, batch_size)


def _batches(documents: list[Document], batch_size: int) -> list[list[Document]]:
    return [documents[i:i + batch_size] for i in range(0, len(documents), batch_size)]


def _add_lessons(total: defaultdict, lessons: Lessons, sign: int = 1) -> None:
    for key, counts in lessons.items():
        # update/subtract keep zero entries, as consolidate's own counting does
        (total[key].update if sign > 0 else total[key].subtract)(counts)


class _Run:
    """One ingest on a cluster: submits windows, releases them in order, gathers the outcomes."""

    def __init__(self, client: Client, store: GraphStore, target: WriteTarget, aliases: tuple, *,
                 max_facts: int, validate: bool, progress: Callable[[Document], None] | None) -> None:
        self.client, self.store, self.target, self.aliases = client, store, target, aliases
        self.max_facts, self.validate, self.progress = max_facts, validate, progress
        self.run = uuid.uuid4().hex[:8]
        self.futures = as_completed()
        self.tags: dict[str, tuple[str, _Window, int]] = {}
        self.open: list[_Window] = []
        self.finished: list[_Window] = []
        self.learnt: defaultdict = defaultdict(Counter)  # lessons of every released window

    def submit(self, function, *args, kind: str, window: _Window, batch: int):
        key = f"vigie-{kind}-{self.run}-{window.index}-{batch}"
        future = self.client.submit(function, *args, key=key, retries=2)
        self.tags[key] = (kind, window, batch)
        return future

    def open_window(self, index: int, batches: list[list[Document]]) -> None:
        window = _Window(index, batches)
        for b, documents in enumerate(batches):
            extracted = self.submit(extract_batch, documents, self.aliases, kind="extract", window=window, batch=b)
            window.extracted[b] = extracted
            self.futures.add(self.submit(batch_lessons, extracted, kind="lessons", window=window, batch=b))
        self.open.append(window)

    def on_result(self, future) -> None:
        kind, window, batch = self.tags.pop(future.key)
        result = future.result()
        future.release()
        if kind == "lessons":
            window.lessons[batch] = result
            if self.progress:
                for document in window.batches[batch]:
                    self.progress(document)
            self.release_ready()
            return
        window.outcomes[batch] = result
        window.extracted.pop(batch).release()  # the worker may forget the batch now
        if result.graphs:
            self.store.replace_graphs(result.graphs)
        if window.done:
            self.open.remove(window)
            self.finished.append(window)

    def release_ready(self) -> None:
        """Finish the windows whose batches, and every earlier window's, are all extracted, in order."""
        for window in self.open:
            if window.released:
                continue
            if not window.extracted_all:
                return
            for lessons in window.lessons.values():
                _add_lessons(self.learnt, lessons)
            for b in range(len(window.batches)):
                prior = defaultdict(Counter, {k: Counter(v) for k, v in self.learnt.items()})
                _add_lessons(prior, window.lessons[b], sign=-1)
                args = (window.extracted[b], {k: dict(v) for k, v in prior.items()}, self.target,
                        self.max_facts, self.validate)
                self.futures.add(self.submit(finish_batch, *args, kind="finish", window=window, batch=b))
            window.released = True

    def report(self, report: IngestReport) -> IngestReport:
        """The outcomes in corpus order, added to ``report`` (which holds the client's own lines)."""
        for window in sorted(self.finished, key=lambda w: w.index):
            for b in range(len(window.batches)):
                _merge(report, window.outcomes[b].report)
        return report


def _merge(report: IngestReport, part: IngestReport) -> None:
    """Add a batch's report to the run's: lists are extended, counts added."""
    for item in fields(IngestReport):
        mine, theirs = getattr(report, item.name), getattr(part, item.name)
        if isinstance(mine, list):
            mine.extend(theirs)
        elif isinstance(mine, int):
            setattr(report, item.name, mine + theirs)


def ingest_on_cluster(
    client: Client,
    store: GraphStore,
    paths: Iterable[Path | str],
    *,
    aliases: Iterable[tuple[str, str, str]] = (),
    token: str | None = None,
    batch_size: int = 16,
    max_bytes: int = MAX_ARTICLE_BYTES,
    max_facts: int = MAX_FACTS_PER_ARTICLE,
    validate: bool = False,
    progress: Callable[[Document], None] | None = None,
    shard: tuple[int, int] | None = None,
    window: int = CONSOLIDATION_WINDOW,
) -> IngestReport:
    """Ingest article files or folders into ``store`` with the workers of ``client``; same report as
    :func:`vigie.ingest.ingest_paths`. ``validate`` checks each article against the shapes on its worker."""
    aliases = tuple(tuple(a) for a in aliases)
    client.register_plugin(ExtractorPlugin(aliases))
    max_chars = client.submit(model_limit, aliases, pure=False).result()
    report = IngestReport()
    documents = fresh_documents(store, read_documents(paths, report, max_bytes=max_bytes, shard=shard), report,
                                max_chars=max_chars, progress=progress)
    run = _Run(client, store, write_target(store, token), aliases, max_facts=max_facts, validate=validate,
               progress=progress)
    windows = enumerate(_windows(documents, window, batch_size))
    # Enough windows in flight to keep every worker busy across a window's barrier, and no more: the
    # documents of the open windows are in the cluster's memory.
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    most_open = max(2, math.ceil(2 * workers * batch_size / window) + 1)
    _fill(run, windows, most_open)
    try:
        for future in run.futures:
            run.on_result(future)
            _fill(run, windows, most_open)
    except KilledWorker as exc:
        raise ClusterError(f"a batch was running on every worker that died, giving up ({exc})") from None
    store.flush()
    return run.report(report)


def _fill(run: _Run, windows: Iterator[tuple[int, list[list[Document]]]], most_open: int) -> None:
    while len(run.open) < most_open:
        item = next(windows, None)
        if item is None:
            return
        run.open_window(*item)
