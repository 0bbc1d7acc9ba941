"""The store over HTTP: any SPARQL 1.1 server (Oxigraph server, Apache Jena Fuseki, GraphDB, Virtuoso…).

Reads are SPARQL 1.1 Protocol queries; results come back as the same pyoxigraph objects the embedded
store returns (``QuerySolutions``, ``QueryBoolean``, ``QueryTriples``), so callers cannot tell the
backends apart. Writes go one article at a time as a Graph Store Protocol ``PUT ?graph=IRI`` of that
article's named graph (a replace), a batch of articles in parallel; ``write_mode="update"`` sends a batch
as one SPARQL Update (``DROP SILENT GRAPH``/``INSERT DATA`` per article) instead, one transaction on
servers that run an update request as one, Oxigraph and Fuseki among them.

Connections are pooled (one ``httpx.Client``), every request has a timeout, and connection errors are
retried with exponential backoff. Only idempotent requests (queries, ``PUT``, ``DELETE``) are retried
after the request may have reached the server; a SPARQL Update is retried only when it could not be
sent at all.

Endpoints default to Oxigraph server's layout under the base URL (``/query``, ``/update``, ``/store``);
give others for other servers (Fuseki: ``/ds/query``, ``/ds/update``, ``/ds/data``). Credentials come from
the environment: ``VIGIE_STORE_TOKEN`` (a bearer token) or ``VIGIE_STORE_USER``/``VIGIE_STORE_PASSWORD``
(HTTP basic).

"The default graph is the union of the named graphs" is not part of SPARQL 1.1; each server spells it
its own way. Oxigraph takes a ``union-default-graph`` parameter, Fuseki the ``urn:x-arq:UnionGraph``
default graph; for any other server the named graphs are listed and passed as ``default-graph-uri``s.
The server's kind is read from its ``Server`` header on first use, or given as ``flavor``.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import httpx
import pyoxigraph as ox

from ontology.namespaces import PREFIXES, RDF, VG
from vigie import consolidation
from vigie.sparql_text import tokens as sparql_tokens
from vigie.store import GraphStore, QueryResult, StoreError, Term

#: Server kinds that change how the union default graph is asked for.
FLAVORS = ("oxigraph", "fuseki", "generic", "vigie")
FUSEKI_UNION_GRAPH = "urn:x-arq:UnionGraph"

_RESULTS_JSON = "application/sparql-results+json"
_N_TRIPLES = "application/n-triples"
_ACCEPT_QUERY = f"{_RESULTS_JSON}, {_N_TRIPLES};q=0.9"
_VARIABLE_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

#: Errors after which the request certainly did not reach the server: always safe to retry.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
#: Errors after which an idempotent request may be retried (the connection broke mid-way).
_BROKEN = (*_NOT_SENT, httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)
#: Statuses meaning "the server is not there right now": retried like a connection error.
_UNAVAILABLE = (502, 503, 504)


class RemoteStore(GraphStore):
    """A :class:`~vigie.store.GraphStore` over a SPARQL 1.1 server.

    ``url`` is the server's base URL; ``query_endpoint``, ``update_endpoint`` and ``graph_store_endpoint``
    default to ``url`` + ``/query``, ``/update`` and ``/store`` (Oxigraph server), or to the environment's
    ``VIGIE_STORE_QUERY_ENDPOINT``, ``VIGIE_STORE_UPDATE_ENDPOINT`` and ``VIGIE_STORE_GRAPH_STORE_ENDPOINT``.
    ``retries`` (default ``$VIGIE_STORE_RETRIES`` or 5) and ``timeout`` in seconds (default
    ``$VIGIE_STORE_TIMEOUT`` or 60) bound how long a request may take. ``graph_prefix`` (or
    ``$VIGIE_STORE_GRAPH_PREFIX``, e.g. ``https://w3id.org/vigie/``) limits the store to the named graphs
    whose IRI starts with it, on a server that holds other data too (Virtuoso's system graphs).
    """

    def __init__(
        self,
        url: str,
        query_endpoint: str | None = None,
        update_endpoint: str | None = None,
        graph_store_endpoint: str | None = None,
        *,
        read_only: bool = False,
        auth: tuple[str, str] | None = None,
        token: str | None = None,
        flavor: str | None = None,
        write_mode: str = "gsp",
        timeout: float | None = None,
        connect_timeout: float = 5.0,
        retries: int | None = None,
        backoff: float = 0.2,
        max_backoff: float = 5.0,
        parallel_writes: int = 4,
        graph_prefix: str | None = None,
    ) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise StoreError(f"not a store URL: {url!r} (expected http://host:port/…)")
        if write_mode not in ("gsp", "update"):
            raise ValueError(f"write_mode must be 'gsp' or 'update', not {write_mode!r}")
        flavor = flavor or os.environ.get("VIGIE_STORE_FLAVOR") or None
        if flavor is not None and flavor not in FLAVORS:
            raise StoreError(f"unknown store flavor {flavor!r} (known: {', '.join(FLAVORS)})")
        self.url = url.rstrip("/")
        env = os.environ.get
        self.query_endpoint = query_endpoint or env("VIGIE_STORE_QUERY_ENDPOINT") or f"{self.url}/query"
        self.update_endpoint = update_endpoint or env("VIGIE_STORE_UPDATE_ENDPOINT") or f"{self.url}/update"
        self.graph_store_endpoint = (
            graph_store_endpoint or env("VIGIE_STORE_GRAPH_STORE_ENDPOINT") or f"{self.url}/store"
        )
        self.read_only = read_only
        self.write_mode = write_mode
        self.graph_prefix = graph_prefix or env("VIGIE_STORE_GRAPH_PREFIX") or None
        self.retries = retries if retries is not None else int(env("VIGIE_STORE_RETRIES") or 5)
        timeout = timeout if timeout is not None else float(env("VIGIE_STORE_TIMEOUT") or 60)
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.parallel_writes = max(1, parallel_writes)
        self._flavor = flavor
        self._flavor_lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None
        self._pool_lock = threading.Lock()

        headers = {"User-Agent": "vigie"}
        # A `vigie serve` takes its write token as VIGIE_WRITE_TOKEN: a client of one may use the same name.
        token = token or env("VIGIE_STORE_TOKEN") or env("VIGIE_WRITE_TOKEN")
        if auth is None and env("VIGIE_STORE_USER"):
            auth = (env("VIGIE_STORE_USER", ""), env("VIGIE_STORE_PASSWORD", ""))
        if token:
            headers["Authorization"] = f"Bearer {token}"
            auth = None
        self._client = httpx.Client(
            headers=headers,
            auth=httpx.BasicAuth(*auth) if auth else None,
            timeout=httpx.Timeout(timeout, connect=connect_timeout),
            limits=httpx.Limits(max_connections=max(8, 2 * self.parallel_writes), max_keepalive_connections=8),
        )

    @property
    def location(self) -> str:
        return self.url

    def __repr__(self) -> str:
        return f"RemoteStore({self.url!r})"

    def close(self) -> None:
        with self._pool_lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True)
        self._client.close()

    # ------------------------------------------------------------------- HTTP

    def _request(self, method: str, url: str, *, idempotent: bool, **kwargs) -> httpx.Response:
        """Send one request, retrying connection errors (and 502/503/504) with exponential backoff."""
        retryable = _BROKEN if idempotent else _NOT_SENT
        delay = self.backoff
        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            try:
                response = self._client.request(method, url, **kwargs)
            except retryable as exc:
                if last:
                    raise StoreError(
                        f"cannot reach the store at {url}: {exc or type(exc).__name__} "
                        f"(after {self.retries + 1} attempts)"
                    ) from exc
            except httpx.HTTPError as exc:
                raise StoreError(f"request to the store at {url} failed: {exc or type(exc).__name__}") from exc
            else:
                if response.status_code not in _UNAVAILABLE or last:
                    self._learn_flavor(response)
                    return response
            time.sleep(delay)
            delay = min(delay * 2, self.max_backoff)
        raise AssertionError("unreachable")  # pragma: no cover

    def ping(self) -> None:
        """Check that the query endpoint answers (raises :class:`StoreError` with the reason if not)."""
        response = self._request(
            "POST", self.query_endpoint, idempotent=True,
            data={"query": "ASK {}"}, headers={"Accept": _RESULTS_JSON},
        )
        self._check(response, "query")

    @staticmethod
    def _check(response: httpx.Response, what: str, *, syntax: bool = False, shift: int = 0) -> None:
        if response.is_success:
            return
        message = " ".join(response.text.split())[:500] or response.reason_phrase
        if syntax and response.status_code == 400:
            raise SyntaxError(_user_position(message, shift))
        if response.status_code in (401, 403):
            raise StoreError(
                f"the store refused the {what} ({response.status_code}): check VIGIE_STORE_TOKEN "
                "or VIGIE_STORE_USER/VIGIE_STORE_PASSWORD"
            )
        raise StoreError(f"{what} failed at {response.request.url.copy_with(query=None)}: "
                         f"{response.status_code} {message}")

    def _learn_flavor(self, response: httpx.Response) -> None:
        if self._flavor is not None:
            return
        server = response.headers.get("server", "").lower()
        if response.headers.get("x-vigie-store") == "consolidated":
            flavor = "vigie"  # a `vigie serve`: it consolidates the graphs written to it itself
        elif "oxigraph" in server:
            flavor = "oxigraph"
        elif "fuseki" in server or "fuseki-request-id" in response.headers:
            flavor = "fuseki"
        else:
            flavor = "generic"
        with self._flavor_lock:
            if self._flavor is None:
                self._flavor = flavor

    @property
    def flavor(self) -> str:
        """``oxigraph``, ``fuseki`` or ``generic``: given, or read from the server's first answer."""
        if self._flavor is None:
            self.ping()
        return self._flavor or "generic"

    # ------------------------------------------------------------------ writes

    def replace_graphs(self, graphs: Mapping[ox.NamedNode, Sequence[ox.Quad]]) -> None:
        """Replace each named graph with the given quads (which must all be in that graph).

        ``write_mode="gsp"``: one Graph Store Protocol ``PUT`` per article, up to ``parallel_writes`` at
        once. Each article is replaced whole or not at all; on Oxigraph server a ``PUT`` empties the
        graph then loads the new content, so a crash between the two leaves the article absent (its
        graph empty), never half-written, and a re-run restores it. A batch is not one transaction: a
        failure leaves the batch's earlier articles written. ``write_mode="update"``: the batch is one
        SPARQL Update request, one transaction on Oxigraph and Fuseki.
        """
        self._check_writable()
        payloads = {graph: self._triples(graph, consolidation.skolemise(quads)) for graph, quads in graphs.items()}
        if not payloads:
            return
        if self._consolidates_here():
            # The server's default graph is the consolidated graph: each write is one SPARQL Update that
            # keeps it exact (one transaction on Oxigraph and Fuseki). One request per article, or per
            # batch with write_mode="update".
            batches = [list(payloads)] if self.write_mode == "update" else [[g] for g in payloads]
            for batch in batches:
                recount = self._counted_in(batch) | consolidation.counted_nodes(
                    q for g in batch for q in graphs[g])
                update = consolidation.server_update({g: payloads[g] for g in batch}, recount=recount)
                self._post_update(update, prefixes=False)
            return
        if self.write_mode == "update":
            self._update_batch(payloads)
            return
        if len(payloads) == 1 or self.parallel_writes == 1:
            for graph, body in payloads.items():
                self._put_graph(graph, body)
            return
        with self._pool_lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.parallel_writes, thread_name_prefix="vigie-put")
            pool = self._pool
        futures = [pool.submit(self._put_graph, graph, body) for graph, body in payloads.items()]
        errors = [f.exception() for f in futures]
        for error in errors:
            if error is not None:
                raise error

    def _rebuild_here(self, batch: int = 200) -> None:
        self._post_update(consolidation.SERVER_REBUILD, prefixes=False)
        self._rebuild_positions()
        rows = self._plain_select(f"SELECT ?s WHERE {{ ?s {VG.articleCount} ?n }}")
        nodes = [row["s"] for row in rows if isinstance(row["s"], ox.NamedNode)]
        for start in range(0, len(nodes), batch):
            operations = consolidation.server_newest_sources(nodes[start:start + batch])
            self._post_update(" ;\n".join(operations), prefixes=False)

    def _rebuild_positions(self) -> None:
        """Gives the articles the positions a rebuild keeps (:func:`consolidation.ordered`): read here, as
        SPARQL cannot number rows; several requests, as the rest of a server's rebuild."""
        positions = self._plain_select(f"SELECT ?d ?n WHERE {{ ?d {VG.position} ?n }}")
        found = {row["d"]: int(row["n"].value) for row in positions
                 if isinstance(row["d"], ox.NamedNode) and isinstance(row["n"], ox.Literal)}
        articles = self._plain_select(f"SELECT ?d WHERE {{ GRAPH ?d {{ ?d a {VG.Document} }} }}")
        documents = [row["d"] for row in articles if isinstance(row["d"], ox.NamedNode)]
        for request in consolidation.server_positions(found, documents):
            self._post_update(request, prefixes=False)

    def _counted_in(self, graphs: Sequence[ox.NamedNode]) -> set[ox.NamedNode]:
        """The counted nodes the graphs type now (before a write replaces or removes them)."""
        found: set[ox.NamedNode] = set()
        for graph in graphs:
            for row in self._plain_select(consolidation.COUNTED_IN_GRAPHS, {"g": graph}):
                if isinstance(row["s"], ox.NamedNode):
                    found.add(row["s"])
        return found

    def _consolidates_here(self) -> bool:
        """Whether this client keeps the server's default graph consolidated: yes for a plain SPARQL server
        that Vigie owns; no for a `vigie serve` (which does it itself) or a server shared with other data
        (``graph_prefix``: its default graph is not Vigie's, queries ask for the union instead)."""
        return self.graph_prefix is None and self.flavor != "vigie"

    @staticmethod
    def _triples(graph: ox.NamedNode, quads: Sequence[ox.Quad]) -> bytes:
        triples = []
        for quad in quads:
            if quad.graph_name != graph:
                raise ValueError(f"quad {quad} is not in graph {graph}")
            triples.append(quad.triple)
        return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""

    def _put_graph(self, graph: ox.NamedNode, body: bytes) -> None:
        response = self._request(
            "PUT", self.graph_store_endpoint, idempotent=True, params={"graph": graph.value},
            content=body, headers={"Content-Type": _N_TRIPLES},
        )
        self._check(response, f"write of graph {graph.value}")

    def _update_batch(self, payloads: Mapping[ox.NamedNode, bytes]) -> None:
        operations = []
        for graph, body in payloads.items():
            operations.append(f"DROP SILENT GRAPH {graph}")
            if body:
                operations.append(f"INSERT DATA {{ GRAPH {graph} {{\n{body.decode('utf-8')}}} }}")
        self._post_update(" ;\n".join(operations), prefixes=False)

    def remove_graph(self, graph: ox.NamedNode) -> bool:
        """Remove one named graph; ``False`` if it was not there."""
        self._check_writable()
        if self._consolidates_here():
            pattern = "{ }" if self.flavor == "oxigraph" else "{ ?s ?p ?o }"
            if not any(True for _ in self._plain_select(f"SELECT ?g WHERE {{ GRAPH ?g {pattern} }}", {"g": graph})):
                return False
            update = consolidation.server_update({}, [graph], recount=self._counted_in([graph]))
            self._post_update(update, prefixes=False)
            return True
        response = self._request("DELETE", self.graph_store_endpoint, idempotent=True,
                                 params={"graph": graph.value})
        if response.status_code == 404:
            return False
        self._check(response, f"removal of graph {graph.value}")
        return True

    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update (one request), then bring the consolidated graph up to date (a second
        request whose cost grows with the store). Raises ``SyntaxError`` for a malformed update."""
        self._check_writable()
        self._post_update(sparql)
        if self._consolidates_here():
            self._rebuild_here()

    def rebuild(self) -> int:
        """Recompute the consolidated graph (the server's default graph) from the named graphs."""
        self._check_writable()
        if self._consolidates_here():
            self._rebuild_here()
        else:  # a `vigie serve` rebuilds after any update it runs
            self._post_update("CLEAR SILENT GRAPH <urn:vigie:rebuild>", prefixes=False)
        rows = self._plain_select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return next((int(row["n"].value) for row in rows), 0)

    def _post_update(self, sparql: str, *, prefixes: bool = True) -> None:
        prologue = _prologue(sparql) if prefixes else ""
        text = prologue + sparql
        response = self._request("POST", self.update_endpoint, idempotent=False, data={"update": text})
        self._check(response, "update", syntax=True, shift=len(prologue))

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
        """Run a SPARQL 1.1 query on the server. ``bindings`` are bound as values of variables: each value
        is written as an RDF term (escaped by pyoxigraph) in a ``VALUES`` block, never pasted as text.

        Raises ``SyntaxError`` for a malformed query (with the server's message).
        """
        text = bind_values(sparql, bindings) if bindings else sparql
        prologue = _prologue(text)
        form: dict[str, str | list[str]] = {"query": prologue + text}
        params: dict[str, str] = {}
        if default_graph is not None:
            form["default-graph-uri"] = [g.value for g in default_graph]
        elif union_default_graph and self.graph_prefix is not None:
            # A server shared with other data: its default graph is not Vigie's, ask for the union.
            flavor = self.flavor
            if flavor == "oxigraph" and named_graphs is None:
                params["union-default-graph"] = ""
            elif flavor == "fuseki":
                form["default-graph-uri"] = FUSEKI_UNION_GRAPH
            else:  # Oxigraph refuses union-default-graph beside named-graph-uri: list the graphs
                form["default-graph-uri"] = [g.value for g in self.named_graphs()]
        if named_graphs is not None:
            form["named-graph-uri"] = [g.value for g in named_graphs]
        response = self._request(
            "POST", self.query_endpoint, idempotent=True, params=params, data=form,
            headers={"Accept": _ACCEPT_QUERY},
        )
        self._check(response, "query", syntax=True, shift=len(prologue))
        content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type in (_RESULTS_JSON, "application/json"):
            return ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON)
        if content_type in (_N_TRIPLES, "text/plain"):
            return _as_query_triples(ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES))
        raise StoreError(f"the store answered a query with unexpected content type {content_type!r}")

    def _plain_select(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> ox.QuerySolutions:
        """A SELECT on the real dataset (no union default graph)."""
        result = self.query(sparql, bindings=bindings, union_default_graph=False)
        assert isinstance(result, ox.QuerySolutions)
        return result

    def document_with_hash(self, content_hash: str) -> str | None:
        rows = self._plain_select(
            f"SELECT ?hash ?doc WHERE {{ GRAPH ?g {{ ?doc {VG.contentHash} ?hash }} }} LIMIT 1",
            {"hash": ox.Literal(content_hash)},
        )
        for row in rows:
            return row["doc"].value
        return None

    def _scope(self, variable: str = "g") -> tuple[str, dict[str, Term]]:
        """A FILTER keeping the graphs under ``graph_prefix`` (none when the store owns the whole server)."""
        if self.graph_prefix is None:
            return "", {}
        return (f"FILTER (STRSTARTS(STR(?{variable}), ?graph_prefix))",
                {"graph_prefix": ox.Literal(self.graph_prefix)})

    def named_graphs(self) -> Iterator[ox.NamedNode]:
        scope, bound = self._scope()
        # Oxigraph lists its graphs, empty ones too; a pattern-less GRAPH is not portable (Virtuoso).
        pattern = "{ }" if self.flavor == "oxigraph" else "{ ?s ?p ?o }"
        for row in self._plain_select(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {pattern} {scope} }}", bound or None):
            if isinstance(row["g"], ox.NamedNode):
                yield row["g"]

    def document_graphs(self) -> list[ox.NamedNode]:
        rows = self._plain_select(
            f"SELECT ?g WHERE {{ GRAPH ?g {{ ?g {RDF.type} {VG.Document} }} }}"
        )
        return [row["g"] for row in rows if isinstance(row["g"], ox.NamedNode)]

    def quads(
        self,
        graph: ox.NamedNode | None = None,
        *,
        subject: ox.NamedNode | ox.BlankNode | None = None,
        predicate: ox.NamedNode | None = None,
        object: Term | None = None,
    ) -> Iterator[ox.Quad]:
        if graph is not None and subject is None and predicate is None and object is None:
            yield from self._get_graph(graph)
            return
        pattern = {"s": subject, "p": predicate, "o": object}
        if isinstance(subject, ox.BlankNode) or isinstance(object, ox.BlankNode):
            raise ValueError("a remote store cannot match a blank node: its labels are the server's")
        bound = {name: term for name, term in pattern.items() if term is not None}
        scope, scope_bound = self._scope()
        if graph is not None:
            bound["g"] = graph
            text = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
        elif scope:
            bound.update(scope_bound)
            text = f"SELECT ?s ?p ?o ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {scope} }}"
        else:  # the named graphs only, like the embedded store (the default graph is derived from them)
            text = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
        for row in self._plain_select(text, bound or None):
            g = row["g"]
            yield ox.Quad(
                row["s"] if subject is None else subject,
                row["p"] if predicate is None else predicate,
                row["o"] if object is None else object,
                g if g is not None else ox.DefaultGraph(),
            )

    def _get_graph(self, graph: ox.NamedNode) -> Iterator[ox.Quad]:
        response = self._request("GET", self.graph_store_endpoint, idempotent=True,
                                 params={"graph": graph.value}, headers={"Accept": _N_TRIPLES})
        if response.status_code == 404:
            return
        self._check(response, f"read of graph {graph.value}")
        for triple in ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES):
            yield ox.Quad(triple.subject, triple.predicate, triple.object, graph)

    def __len__(self) -> int:
        scope, bound = self._scope()
        if scope:
            text = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {scope} }}"
        else:
            text = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
        rows = self._plain_select(text, bound or None)
        for row in rows:
            return int(row["n"].value)
        return 0


# ------------------------------------------------------------------ helpers


def _prologue(text: str) -> str:
    """The declarations of Vigie's prefixes that ``text`` uses without declaring them, on one line with no
    line break (the user's text keeps its line numbers; the server parses only what is needed)."""
    declared = {m.group(1) for m in _DECLARED_RE.finditer(text)}
    return "".join(
        f"PREFIX {name}: <{iri}> " for name, iri in PREFIXES.items()
        if name not in declared and re.search(rf"(?<![\w.-]){re.escape(name)}:", text)
    )


_DECLARED_RE = re.compile(r"(?i)\bPREFIX\s+([A-Za-z][\w.-]*)?\s*:")
_POSITION_RE = re.compile(r"\b(error at |line |Line )1([:,] ?(?:column |col )?)(\d+)")


def _user_position(message: str, shift: int) -> str:
    """A parser message about the sent text, with line 1's column counted in the user's text."""

    def fix(m: re.Match) -> str:
        column = int(m.group(3)) - shift
        return f"{m.group(1)}1{m.group(2)}{column}" if column > 0 else m.group(0)

    return _POSITION_RE.sub(fix, message) if shift else message


def _as_query_triples(triples) -> ox.QueryTriples:
    """Wrap parsed triples as a ``QueryTriples``, the type the embedded store returns for CONSTRUCT."""
    scratch = ox.Store()
    scratch.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
    result = scratch.query("CONSTRUCT WHERE { ?s ?p ?o }")
    assert isinstance(result, ox.QueryTriples)
    return result


def _term(value: Term) -> str:
    if isinstance(value, ox.NamedNode | ox.Literal):
        return str(value)  # N-Triples syntax: IRIs are validated, literals escaped, by pyoxigraph
    raise TypeError(f"cannot bind {value!r}: only IRIs and literals can be bound")


def bind_values(sparql: str, bindings: Mapping[str, Term]) -> str:
    """The query with each binding given as a one-row ``VALUES`` block, the way a value is bound.

    The block opens the query's WHERE group, so the values are known before the rest of the pattern
    is evaluated (like pyoxigraph's ``substitutions``); when that group cannot be found it is a
    trailing ``VALUES`` clause. The values are RDF terms serialised by pyoxigraph, so no value can
    change the query's structure.
    """
    names = list(bindings)
    for name in names:
        if not _VARIABLE_RE.match(name):
            raise ValueError(f"not a SPARQL variable name: {name!r}")
    block = "VALUES ({}) {{ ({}) }}".format(
        " ".join(f"?{name}" for name in names), " ".join(_term(bindings[name]) for name in names)
    )
    at = _where_group_start(sparql)
    if at is None:
        return f"{sparql}\n{block}\n"
    return f"{sparql[:at]} {block} {sparql[at:]}"


def _where_group_start(sparql: str) -> int | None:
    """Offset just after the ``{`` opening the query's WHERE group, or ``None`` when unsure."""
    tokens = list(sparql_tokens(sparql))
    form = next((k for k, (_, t) in enumerate(tokens) if t in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")), None)
    if form is None:
        return None
    k = form + 1
    if tokens[form][1] == "CONSTRUCT":
        if k < len(tokens) and tokens[k][1] == "WHERE":
            return None  # CONSTRUCT WHERE { template }: the group may only hold triples
        depth = 0
        while k < len(tokens):  # skip the template
            if tokens[k][1] == "{":
                depth += 1
            elif tokens[k][1] == "}":
                depth -= 1
                if depth == 0:
                    k += 1
                    break
            k += 1
    while k < len(tokens) and tokens[k][1] != "{":
        k += 1
    if k >= len(tokens):
        return None
    if k + 1 < len(tokens) and tokens[k + 1][1] == "SELECT":
        return None  # { SELECT … }: a sub-select must be alone in its group
    return tokens[k][0] + 1
