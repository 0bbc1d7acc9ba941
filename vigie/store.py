"""The knowledge-graph store: one interface over an embedded, on-disk Oxigraph database.

Each article's facts live in the named graph of the article's IRI, so an article is replaced or
removed atomically and every fact knows its source. The ontology, vocabularies and gazetteer live in
graphs of their own. Queries see the union of all graphs by default, like Oxigraph server's
``--union-default-graph``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO

import pyoxigraph as ox

import ontology
from ontology.namespaces import (
    GAZETTEER_GRAPH,
    ONTOLOGY_GRAPH,
    PREFIXES,
    VG,
    VOCABULARY_GRAPH,
)

#: Default on-disk location of the store, relative to the working directory.
DEFAULT_STORE = Path("data/store")

#: Graphs loaded from ``ontology/`` into every store, by file name.
SCHEMA_GRAPHS: dict[str, ox.NamedNode] = {
    ontology.ONTOLOGY: ONTOLOGY_GRAPH,
    ontology.VOCABULARIES: VOCABULARY_GRAPH,
    ontology.GAZETTEER: GAZETTEER_GRAPH,
}

QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


class StoreError(Exception):
    """A store could not be opened, read or written; the message says why, in one line."""


class Store:
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

    @property
    def oxigraph(self) -> ox.Store:
        """The underlying ``pyoxigraph.Store`` (for benchmarks and low-level tools)."""
        return self._store

    # ------------------------------------------------------------------ writes

    def load_schema(self) -> None:
        """(Re)load the ontology, vocabularies and gazetteer from ``ontology/`` into their graphs."""
        for name, graph in SCHEMA_GRAPHS.items():
            quads = [
                ox.Quad(t.subject, t.predicate, t.object, graph)
                for t in ox.parse(path=str(ontology.path(name)), format=ox.RdfFormat.TURTLE)
            ]
            self.replace_graphs({graph: quads})

    def replace_graphs(self, graphs: Mapping[ox.NamedNode, Sequence[ox.Quad]]) -> None:
        """Replace each named graph with the given quads.

        The new content of all graphs is written in one transaction: either every graph of the batch
        is there afterwards, or none is. A graph that was removed but whose new content was not yet
        written is simply absent, never half-written, and a re-run restores it.
        """
        self._check_writable()
        try:
            for graph in graphs:
                if self._store.contains_named_graph(graph):
                    self._store.remove_graph(graph)
            self._store.extend(quad for quads in graphs.values() for quad in quads)
        except OSError as exc:
            raise StoreError(f"write failed: {exc}") from exc

    def remove_graph(self, graph: ox.NamedNode) -> bool:
        """Remove one named graph; ``False`` if it was not there."""
        self._check_writable()
        if not self._store.contains_named_graph(graph):
            return False
        self._store.remove_graph(graph)
        return True

    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update (one transaction)."""
        self._check_writable()
        self._store.update(sparql, prefixes=PREFIXES)

    def flush(self) -> None:
        if self.path is not None and not self.read_only:
            self._store.flush()

    def _check_writable(self) -> None:
        if self.read_only:
            raise StoreError(f"store {self.path} is open read-only")

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
        elif union_default_graph:
            kwargs["use_default_graph_as_union"] = True
        if named_graphs is not None:
            kwargs["named_graphs"] = named_graphs
        if bindings:
            kwargs["substitutions"] = {ox.Variable(name): value for name, value in bindings.items()}
        return self._store.query(sparql, **kwargs)

    def select(self, sparql: str, **kwargs) -> list[dict[str, ox.NamedNode | ox.Literal | ox.BlankNode]]:
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
        from ontology.namespaces import RDF

        return [
            q.subject
            for q in self._store.quads_for_pattern(None, RDF.type, VG.Document, None)
            if isinstance(q.subject, ox.NamedNode) and q.graph_name == q.subject
        ]

    def quads(self, graph: ox.NamedNode | None = None) -> Iterator[ox.Quad]:
        return self._store.quads_for_pattern(None, None, None, graph)

    def __len__(self) -> int:
        return len(self._store)

    # ----------------------------------------------------------------- export

    def dump(
        self,
        output: IO[bytes],
        fmt: ox.RdfFormat,
        *,
        graphs: Iterable[ox.NamedNode] | None = None,
        include_schema: bool = False,
    ) -> None:
        """Serialise the store (or some graphs) to ``output``, streaming from the store.

        Formats without named graphs (Turtle, N-Triples, RDF/XML, JSON-LD) get the union of the graphs.
        """
        schema = set(SCHEMA_GRAPHS.values())
        selected = list(graphs) if graphs is not None else [
            g for g in self.named_graphs() if include_schema or g not in schema
        ]
        if include_schema and graphs is not None:
            selected += [g for g in schema if g not in selected]

        def stream() -> Iterator[ox.Quad]:
            for graph in selected:
                yield from self._store.quads_for_pattern(None, None, None, graph)

        prefixes = {k: v for k, v in PREFIXES.items()}
        if fmt.supports_datasets:
            ox.serialize(stream(), output, format=fmt, prefixes=prefixes)
        else:
            triples = (ox.Triple(q.subject, q.predicate, q.object) for q in stream())
            ox.serialize(triples, output, format=fmt, prefixes=prefixes)
