"""The knowledge-graph store: one interface, two implementations.

:class:`GraphStore` is the interface every caller (ingest, CLI, API, evaluation) uses. :class:`Store`
implements it over an embedded, on-disk Oxigraph database; :class:`vigie.remote_store.RemoteStore`
implements it over any SPARQL 1.1 server (Oxigraph server, Fuseki, GraphDB, Virtuoso…) through the
SPARQL 1.1 Protocol and the Graph Store Protocol. :func:`vigie.backends.open_store` picks one from a
``--store`` value: a URL is a server, anything else a folder. This module imports nothing built on it.

Each article's facts live in the named graph of the article's IRI, so an article is replaced or
removed atomically and every fact knows its source. The ontology, vocabularies and gazetteer live in
graphs of their own. The default graph is the consolidated graph (:mod:`vigie.consolidation`): the set
union of the named graphs, each triple once, kept exact by every write. Queries see it by default.
"""

from __future__ import annotations

import abc
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox

import ontology
from ontology.namespaces import (
    GAZETTEER_GRAPH,
    ONTOLOGY_GRAPH,
    PREFIXES,
    RDF,
    VG,
    VOCABULARY_GRAPH,
)
from vigie import consolidation

#: Default on-disk location of the store, relative to the working directory.
DEFAULT_STORE = Path("data/store")

#: Graphs loaded from ``ontology/`` into every store, by file name.
SCHEMA_GRAPHS: dict[str, ox.NamedNode] = {
    ontology.ONTOLOGY: ONTOLOGY_GRAPH,
    ontology.VOCABULARIES: VOCABULARY_GRAPH,
    ontology.GAZETTEER: GAZETTEER_GRAPH,
}

QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples
Term = ox.NamedNode | ox.Literal | ox.BlankNode


class StoreError(Exception):
    """A store could not be opened, read or written; the message says why, in one line."""


class GraphStore(abc.ABC):
    """What Vigie needs from a quad store; results are pyoxigraph objects whatever the backend.

    Implementations provide the abstract methods; ``load_schema``, ``select`` and ``edit_graph`` are shared.
    Serialising a store is :func:`vigie.export.dump`.
    """

    read_only: bool = False

    @property
    @abc.abstractmethod
    def location(self) -> str:
        """Where the store is (a folder, ``:memory:`` or a URL), for messages."""

    # ------------------------------------------------------------------ writes

    @abc.abstractmethod
    def replace_graphs(self, graphs: Mapping[ox.NamedNode, Sequence[ox.Quad]]) -> None:
        """Replace each named graph with the given quads (an article is never left half-written)."""

    @abc.abstractmethod
    def remove_graph(self, graph: ox.NamedNode) -> bool:
        """Remove one named graph; ``False`` if it was not there."""

    @abc.abstractmethod
    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update (one request; Vigie's prefixes are declared)."""

    def edit_graph(self, graph: ox.NamedNode, *, remove: Iterable[ox.Quad] = (),
                   add: Iterable[ox.Quad] = ()) -> None:
        """Remove some quads from one named graph and add others, as one write (for small graphs such as
        the curation graph: the graph is read and written whole)."""
        gone = set(remove)
        kept = [q for q in self.quads(graph) if q not in gone]
        self.replace_graphs({graph: list(dict.fromkeys([*kept, *add]))})

    @abc.abstractmethod
    def rebuild(self) -> int:
        """Recompute the consolidated graph from the named graphs (``vigie reindex``); its size in triples."""

    def flush(self) -> None:  # noqa: B027 - optional hook
        """Make the writes durable (a no-op where every write already is)."""

    def ping(self) -> None:  # noqa: B027 - optional hook
        """Check that the store answers; raises :class:`StoreError` saying why not (a no-op when embedded)."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release connections and handles; the store must not be used afterwards."""

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def load_schema(self) -> None:
        """(Re)load the ontology, vocabularies and gazetteer from ``ontology/`` into their graphs."""
        for name, graph in SCHEMA_GRAPHS.items():
            quads = [
                ox.Quad(t.subject, t.predicate, t.object, graph)
                for t in ox.parse(path=str(ontology.path(name)), format=ox.RdfFormat.TURTLE)
            ]
            self.replace_graphs({graph: quads})

    def _check_writable(self) -> None:
        if self.read_only:
            raise StoreError(f"store {self.location} is open read-only")

    # ------------------------------------------------------------------- reads

    @abc.abstractmethod
    def query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, ox.NamedNode | ox.Literal] | None = None,
        union_default_graph: bool = True,
        default_graph: list[ox.NamedNode] | None = None,
        named_graphs: list[ox.NamedNode] | None = None,
    ) -> QueryResult:
        """Run a SPARQL 1.1 query. ``bindings`` are bound as values of variables, never pasted in the text.

        The default graph is the consolidated graph (each fact once); ``default_graph`` and
        ``named_graphs`` give another dataset. ``union_default_graph`` is kept for callers of earlier
        versions: the consolidated graph *is* the union of the named graphs, as a set.
        Raises ``SyntaxError`` for a malformed query (with the parser's message).
        """

    def select(self, sparql: str, **kwargs) -> list[dict[str, Term]]:
        """Run a SELECT and return its rows as dicts (unbound variables are absent)."""
        result = self.query(sparql, **kwargs)
        if not isinstance(result, ox.QuerySolutions):
            raise TypeError("select() needs a SELECT query")
        names = [v.value for v in result.variables]
        rows = []
        for solution in result:
            row = {}
            for name in names:
                value = solution[name]
                if value is not None:
                    row[name] = value
            rows.append(row)
        return rows

    @abc.abstractmethod
    def document_with_hash(self, content_hash: str) -> str | None:
        """IRI of the document graph already holding an article with this content hash, if any."""

    @abc.abstractmethod
    def named_graphs(self) -> Iterator[ox.NamedNode]:
        """The named graphs of the store (articles, schema, curation)."""

    @abc.abstractmethod
    def document_graphs(self) -> list[ox.NamedNode]:
        """The named graphs of the articles (those typed ``vg:Document`` in their own graph)."""

    @abc.abstractmethod
    def quads(
        self,
        graph: ox.NamedNode | None = None,
        *,
        subject: ox.NamedNode | ox.BlankNode | None = None,
        predicate: ox.NamedNode | None = None,
        object: Term | None = None,
    ) -> Iterator[ox.Quad]:
        """The quads of one graph (``None``: of every graph), optionally matching a pattern."""

    @abc.abstractmethod
    def __len__(self) -> int:
        """Number of quads in the named graphs."""

    #: Whether :meth:`lookup` can read the consolidated graph by index (an embedded store whose consolidated
    #: graph is built). A SPARQL server is read with queries only.
    indexed: bool = False

    def lookup(
        self,
        subject: ox.NamedNode | ox.BlankNode | None = None,
        predicate: ox.NamedNode | None = None,
        object: Term | None = None,
        graph: ox.NamedNode | None = None,
    ) -> Iterator[ox.Quad]:
        """The quads of the consolidated graph (or of the named graph ``graph``) matching a pattern, read by
        one index look-up: what a query's triple pattern reads, without parsing a query. Only where
        :attr:`indexed`; callers read the same with SPARQL elsewhere."""
        raise NotImplementedError(f"store {self.location} has no index look-ups: use a query")


class Store(GraphStore):
    """An embedded Oxigraph store on disk (or in memory when ``path`` is ``None``)."""

    def __init__(self, path: Path | str | None = DEFAULT_STORE, *, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else None
        self.read_only = read_only
        try:
            if self.path is None:
                self._store = ox.Store()
            elif read_only:
                self._store = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
        except OSError as exc:
            raise StoreError(f"cannot open store {self.path}: {exc}") from exc
        self._write_lock = threading.Lock()
        # A store written before the consolidated graph existed, or whose rebuild was interrupted: rebuilt
        # when it can be written; read-only, its queries fall back to the union of the named graphs.
        self._union = consolidation.needs_rebuild(self._store)
        if self._union and not read_only:
            self.rebuild()
            self._union = False
        elif not read_only and consolidation.needs_positions(self._store):
            consolidation.give_positions(self._store)  # written before the article list paged over them

    @property
    def location(self) -> str:
        return str(self.path) if self.path is not None else ":memory:"

    @property
    def oxigraph(self) -> ox.Store:
        """The underlying ``pyoxigraph.Store`` (for benchmarks and low-level tools; embedded only)."""
        return self._store

    # ------------------------------------------------------------------ writes

    def replace_graphs(self, graphs: Mapping[ox.NamedNode, Sequence[ox.Quad]]) -> None:
        """Replace each named graph with the given quads, and keep the consolidated graph exact.

        The article graphs and the consolidated graph are written in one SPARQL Update, which Oxigraph runs
        as one transaction: either every graph of the batch is there afterwards, with the consolidated
        graph that goes with it, or none is (see :mod:`vigie.consolidation`).
        """
        self._check_writable()
        self._write({graph: consolidation.skolemise(quads) for graph, quads in graphs.items()})

    def remove_graph(self, graph: ox.NamedNode) -> bool:
        """Remove one named graph (and its facts no other graph holds); ``False`` if it was not there."""
        self._check_writable()
        if not self._store.contains_named_graph(graph):
            return False
        self._write({}, remove=[graph])
        return True

    def _write(self, graphs: Mapping[ox.NamedNode, Sequence[ox.Quad]], remove: Sequence[ox.NamedNode] = ()) -> None:
        try:
            with self._write_lock:  # the plan reads the store: no other write may come between
                change = consolidation.plan(self._store, graphs, remove)
                self._store.update(change.update())
        except OSError as exc:
            raise StoreError(f"write failed: {exc}") from exc

    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update (one transaction), then bring the consolidated graph up to date.

        An arbitrary update may touch any graph, so the consolidated graph is rebuilt after it: a cost that
        grows with the store. Vigie's own writes (ingest, curation, the Graph Store Protocol) go through
        :meth:`replace_graphs` and :meth:`edit_graph`, which are incremental.
        """
        self._check_writable()
        with self._write_lock:
            self._store.update(sparql, prefixes=PREFIXES)
            consolidation.rebuild(self._store)

    def rebuild(self) -> int:
        """Recompute the consolidated graph from the named graphs (``vigie reindex``); its size in triples."""
        self._check_writable()
        with self._write_lock:
            size = consolidation.rebuild(self._store)
        self.flush()
        return size

    def flush(self) -> None:
        if self.path is not None and not self.read_only:
            self._store.flush()

    # ------------------------------------------------------------------- reads

    def query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, ox.NamedNode | ox.Literal] | None = None,
        union_default_graph: bool = True,
        default_graph: list[ox.NamedNode] | None = None,
        named_graphs: list[ox.NamedNode] | None = None,
    ) -> QueryResult:
        """Run a SPARQL 1.1 query. ``bindings`` are bound as values of variables, never pasted in the text.

        Raises ``SyntaxError`` for a malformed query (with the parser's message).
        """
        kwargs: dict = {"prefixes": PREFIXES}
        if default_graph is not None:
            kwargs["default_graph"] = default_graph
        elif self._union:
            kwargs["use_default_graph_as_union"] = True
        if named_graphs is not None:
            kwargs["named_graphs"] = named_graphs
        if bindings:
            kwargs["substitutions"] = {ox.Variable(name): value for name, value in bindings.items()}
        return self._store.query(sparql, **kwargs)

    def document_with_hash(self, content_hash: str) -> str | None:
        """IRI of the document graph already holding an article with this content hash, if any."""
        for quad in self._store.quads_for_pattern(None, VG.contentHash, ox.Literal(content_hash), None):
            return quad.subject.value
        return None

    def named_graphs(self) -> Iterator[ox.NamedNode]:
        for graph in self._store.named_graphs():
            if isinstance(graph, ox.NamedNode):
                yield graph

    def document_graphs(self) -> list[ox.NamedNode]:
        """The named graphs of the articles (those typed ``vg:Document`` in their own graph)."""
        return [
            q.subject
            for q in self._store.quads_for_pattern(None, RDF.type, VG.Document, None)
            if isinstance(q.subject, ox.NamedNode) and q.graph_name == q.subject
        ]

    def quads(
        self,
        graph: ox.NamedNode | None = None,
        *,
        subject: ox.NamedNode | ox.BlankNode | None = None,
        predicate: ox.NamedNode | None = None,
        object: Term | None = None,
    ) -> Iterator[ox.Quad]:
        quads = self._store.quads_for_pattern(subject, predicate, object, graph)
        if graph is not None:
            return quads
        return (q for q in quads if not isinstance(q.graph_name, ox.DefaultGraph))

    @property
    def indexed(self) -> bool:  # type: ignore[override]
        """Whether the consolidated graph is built (a store of an earlier version opened read-only is not)."""
        return not self._union

    def lookup(
        self,
        subject: ox.NamedNode | ox.BlankNode | None = None,
        predicate: ox.NamedNode | None = None,
        object: Term | None = None,
        graph: ox.NamedNode | None = None,
    ) -> Iterator[ox.Quad]:
        if self._union:
            raise NotImplementedError(f"store {self.location} has no consolidated graph yet: use a query")
        return self._store.quads_for_pattern(subject, predicate, object,
                                             consolidation.FACTS if graph is None else graph)

    def __len__(self) -> int:
        """Number of quads in the named graphs (the consolidated graph is derived from them)."""
        return sum(1 for _ in self.quads())
