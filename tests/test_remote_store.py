"""The remote store against a real `oxigraph serve`: pyoxigraph result types, the union default graph,
both write modes, bindings, retries, credentials, a server killed mid-write, two writers at once."""

from __future__ import annotations

import base64
import io
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pyoxigraph as ox
import pytest

from ontology.namespaces import RDF, SKOS, VG
from vigie.backends import open_store
from vigie.remote_store import RemoteStore, bind_values
from vigie.store import Store, StoreError

DOC = "https://w3id.org/vigie/id/document/"
AMAZON = ox.NamedNode("https://w3id.org/vigie/id/company/amazon")
IBM = ox.NamedNode("https://w3id.org/vigie/id/company/ibm")


def graph(name: str) -> ox.NamedNode:
    return ox.NamedNode(DOC + name)


def labels(g: ox.NamedNode, n: int, subject: ox.NamedNode = AMAZON) -> list[ox.Quad]:
    return [ox.Quad(subject, SKOS.altLabel, ox.Literal(f"alias {i}"), g) for i in range(n)]


def article(name: str, size: int) -> list[ox.Quad]:
    """A hand-made article graph: typed vg:Document in its own graph, with a content hash and ``size`` quads."""
    g = graph(name)
    head = [ox.Quad(g, RDF.type, VG.Document, g), ox.Quad(g, VG.contentHash, ox.Literal(f"hash-{name}"), g)]
    body = [
        ox.Quad(ox.NamedNode(f"https://w3id.org/vigie/id/evidence/{name}-{i}"), VG.quote,
                ox.Literal(f"citation {i} de l'article {name} « guillemets » \"échappés\"\n"), g)
        for i in range(size - len(head))
    ]
    return head + body


def write_articles(store, names: list[str], size: int, batch: int = 8) -> int:
    """Write articles the way `ingest_paths` does: skip those whose content hash is in the store, batch the rest."""
    written = 0
    pending: dict = {}
    for name in names:
        if store.document_with_hash(f"hash-{name}") is not None:
            continue
        pending[graph(name)] = article(name, size)
        if len(pending) >= batch:
            store.replace_graphs(pending)
            written += len(pending)
            pending = {}
    if pending:
        store.replace_graphs(pending)
        written += len(pending)
    return written


@pytest.fixture
def remote(oxigraph_server):
    store = RemoteStore(oxigraph_server.url)
    store.update("DROP SILENT ALL")
    yield store
    store.close()


# --------------------------------------------------------------------------- the contract


def test_open_store_gives_a_remote_store_for_a_url_and_an_embedded_one_for_a_path(oxigraph_server, tmp_path):
    assert isinstance(open_store(oxigraph_server.url), RemoteStore)
    assert isinstance(open_store(tmp_path / "s"), Store)
    assert isinstance(open_store(str(tmp_path / "s")), Store)


def test_select_returns_pyoxigraph_query_solutions(remote):
    remote.replace_graphs({graph("a"): labels(graph("a"), 2)})
    result = remote.query("SELECT ?o WHERE { ?s skos:altLabel ?o } ORDER BY ?o")
    assert isinstance(result, ox.QuerySolutions)
    assert [s["o"] for s in result] == [ox.Literal("alias 0"), ox.Literal("alias 1")]


def test_ask_returns_a_pyoxigraph_query_boolean(remote):
    remote.replace_graphs({graph("a"): labels(graph("a"), 1)})
    result = remote.query("ASK { ?s skos:altLabel 'alias 0' }")
    assert isinstance(result, ox.QueryBoolean)
    assert result


def test_construct_returns_pyoxigraph_query_triples_that_serialise(remote):
    remote.replace_graphs({graph("a"): labels(graph("a"), 2)})
    result = remote.query("CONSTRUCT { ?s rdfs:label ?o } WHERE { ?s skos:altLabel ?o }")
    assert isinstance(result, ox.QueryTriples)
    out = io.BytesIO()
    result.serialize(out, ox.RdfFormat.N_TRIPLES)
    assert len(out.getvalue().splitlines()) == 2


def test_query_results_are_the_same_as_the_embedded_store(remote):
    embedded = Store(None)
    for store in (remote, embedded):
        store.load_schema()
        store.replace_graphs({graph("a"): labels(graph("a"), 3), graph("b"): labels(graph("b"), 2, IBM)})
    query = "SELECT ?s ?o (COUNT(*) AS ?n) WHERE { ?s skos:altLabel ?o } GROUP BY ?s ?o ORDER BY ?s ?o"
    assert remote.select(query) == embedded.select(query)
    assert len(remote) == len(embedded)


def test_the_servers_default_graph_is_the_consolidated_graph(remote):
    remote.replace_graphs({graph("a"): labels(graph("a"), 2), graph("b"): labels(graph("b"), 2)})
    rows = remote.select("SELECT ?s ?o WHERE { ?s ?p ?o }")
    assert len(rows) == 2  # each triple once, though two graphs hold it
    assert remote.select("SELECT ?s ?o WHERE { ?s ?p ?o }", union_default_graph=False) == rows


def test_default_graph_and_named_graphs_restrict_the_dataset(remote):
    remote.replace_graphs({graph("a"): labels(graph("a"), 2), graph("b"): labels(graph("b"), 3, IBM)})
    rows = remote.select("SELECT DISTINCT ?s WHERE { ?s ?p ?o }", default_graph=[graph("b")])
    assert [r["s"] for r in rows] == [IBM]
    rows = remote.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", named_graphs=[graph("a")])
    assert [r["g"] for r in rows] == [graph("a")]


def test_generic_flavor_sees_the_same_union_as_the_oxigraph_flavor(remote, oxigraph_server):
    remote.replace_graphs({graph("a"): labels(graph("a"), 2), graph("b"): labels(graph("b"), 3, IBM)})
    generic = RemoteStore(oxigraph_server.url, flavor="generic")
    query = "SELECT DISTINCT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s ?o"
    assert generic.select(query) == remote.select(query)
    assert len(generic.select(query)) == 5


def test_server_kind_is_read_from_its_server_header(remote):
    assert remote.flavor == "oxigraph"


def test_update_write_mode_replaces_graphs_like_the_graph_store_protocol(oxigraph_server, remote):
    batched = RemoteStore(oxigraph_server.url, write_mode="update")
    batched.replace_graphs({graph("a"): labels(graph("a"), 3), graph("b"): labels(graph("b"), 2)})
    batched.replace_graphs({graph("a"): labels(graph("a"), 1)})
    assert len(list(remote.quads(graph("a")))) == 1
    assert len(list(remote.quads(graph("b")))) == 2


def test_a_quad_outside_its_graph_is_refused(remote):
    with pytest.raises(ValueError, match="not in graph"):
        remote.replace_graphs({graph("a"): labels(graph("b"), 1)})


def test_literals_with_quotes_newlines_and_accents_round_trip(remote):
    quads = article("x", 5)
    remote.replace_graphs({graph("x"): quads})
    assert sorted(map(str, remote.quads(graph("x")))) == sorted(map(str, quads))


def test_removing_a_graph_says_whether_it_was_there(remote):
    remote.replace_graphs({graph("a"): labels(graph("a"), 1)})
    assert remote.remove_graph(graph("a"))
    assert not remote.remove_graph(graph("a"))
    assert len(remote) == 0


def test_document_graphs_are_the_graphs_typed_document_in_themselves(remote):
    remote.replace_graphs({graph("a"): article("a", 4), graph("b"): labels(graph("b"), 2)})
    assert remote.document_graphs() == [graph("a")]
    assert sorted(g.value for g in remote.named_graphs()) == [graph("a").value, graph("b").value]


def test_quads_match_a_pattern_across_graphs(remote):
    remote.replace_graphs({graph("a"): labels(graph("a"), 2), graph("b"): labels(graph("b"), 1, IBM)})
    found = list(remote.quads(subject=IBM, predicate=SKOS.altLabel))
    assert found == [ox.Quad(IBM, SKOS.altLabel, ox.Literal("alias 0"), graph("b"))]


def test_malformed_update_raises_syntax_error(remote):
    with pytest.raises(SyntaxError):
        remote.update("INSERT DATA {")


# --------------------------------------------------------------------------- bindings


def test_bound_values_open_the_where_group():
    text = bind_values("SELECT ?company ?p WHERE { ?p vg:issuedBy ?company }", {"company": AMAZON})
    assert text.index("VALUES (?company) { (<https://w3id.org/vigie/id/company/amazon>) }") > text.index("WHERE {")


def test_bound_values_skip_a_construct_template():
    text = bind_values("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", {"s": AMAZON})
    assert text.startswith("CONSTRUCT { ?s ?p ?o } WHERE { VALUES")


def test_bound_values_ignore_braces_in_strings_iris_and_comments():
    query = '# a { comment\nSELECT ?x WHERE { ?x rdfs:label "{ not a group" }'
    text = bind_values(query, {"x": AMAZON})
    assert text.startswith('# a { comment\nSELECT ?x WHERE { VALUES (?x)')


def test_bound_values_trail_a_query_whose_group_is_a_sub_select():
    text = bind_values("SELECT ?x WHERE { SELECT ?x WHERE { ?x ?p ?o } }", {"x": AMAZON})
    assert text.rstrip().endswith("VALUES (?x) { (<https://w3id.org/vigie/id/company/amazon>) }")


def test_a_hostile_literal_is_escaped_not_executed(remote):
    remote.replace_graphs({graph("a"): labels(graph("a"), 2)})
    hostile = ox.Literal('x" ) } } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o . #')
    assert remote.select("SELECT ?o ?s WHERE { ?s skos:altLabel ?o }", bindings={"o": hostile}) == []
    assert len(remote) == 2


def test_a_blank_node_cannot_be_bound():
    with pytest.raises(TypeError):
        bind_values("SELECT ?x WHERE { ?x ?p ?o }", {"x": ox.BlankNode()})


def test_a_binding_name_must_be_a_variable_name():
    with pytest.raises(ValueError):
        bind_values("SELECT ?x WHERE { ?x ?p ?o }", {"x) {} #": AMAZON})


# --------------------------------------------------------------------------- failures


def test_an_unreachable_server_is_one_store_error_after_the_retries():
    from conftest import free_loopback_port

    store = RemoteStore(f"http://127.0.0.1:{free_loopback_port()}", retries=3, backoff=0.05)
    started = time.monotonic()
    with pytest.raises(StoreError, match=r"cannot reach the store .*after 4 attempts"):
        store.query("ASK {}")
    assert time.monotonic() - started >= 0.05 + 0.1 + 0.2


def test_a_write_waits_for_a_restarting_server(oxigraph_server_factory):
    server = oxigraph_server_factory()
    store = RemoteStore(server.url, retries=8, backoff=0.1)
    store.replace_graphs({graph("a"): labels(graph("a"), 1)})
    server.kill()
    writer = threading.Thread(target=store.replace_graphs, args=({graph("b"): labels(graph("b"), 2)},))
    writer.start()  # retries while the server is down
    time.sleep(0.5)
    server.start()
    writer.join(timeout=60)
    assert len(store) == 3


@pytest.mark.slow
def test_killing_the_server_mid_write_leaves_no_half_written_article_and_a_rerun_completes_it(
    oxigraph_server_factory,
):
    server = oxigraph_server_factory()
    names = [f"{i:04d}" for i in range(160)]
    size = 1000
    writer = RemoteStore(server.url, retries=1, backoff=0.01)
    failure: list[BaseException] = []

    def run() -> None:
        try:
            write_articles(writer, names, size)
        except StoreError as exc:
            failure.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    probe = RemoteStore(server.url)
    deadline = time.monotonic() + 60
    while len(probe.document_graphs()) < 20 and time.monotonic() < deadline:
        time.sleep(0.05)
    server.kill()
    thread.join(timeout=60)
    assert failure, "the kill did not land during the writes"

    server.start()
    sizes = {row["g"].value: int(row["n"].value) for row in probe.select(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", union_default_graph=False)}
    assert 0 < len(sizes) < len(names)
    assert set(sizes.values()) == {size}, "an article graph is half-written"

    whole = len(probe.document_graphs())
    rerun = RemoteStore(server.url)
    assert write_articles(rerun, names, size) == len(names) - whole
    assert len(rerun.document_graphs()) == len(names)
    assert len(rerun) == len(names) * size


@pytest.mark.slow
def test_two_shards_writing_at_once_into_one_server_give_the_whole_corpus_once(oxigraph_server_factory):
    from vigie.ingest import in_shard

    server = oxigraph_server_factory()
    names = [f"{i:04d}" for i in range(120)]
    size = 300
    shards = [[n for n in names if in_shard(f"{n}.txt", (i, 2))] for i in (1, 2)]
    assert sorted(shards[0] + shards[1]) == names and shards[0] and shards[1]

    def host(share: list[str]) -> int:
        with RemoteStore(server.url) as store:  # each "host" has its own client and connections
            return write_articles(store, share, size)

    with ThreadPoolExecutor(2) as pool:
        written = list(pool.map(host, shards))
    assert written == [len(shards[0]), len(shards[1])]
    store = RemoteStore(server.url)
    assert len(store.document_graphs()) == len(names)
    assert len(store) == len(names) * size


# --------------------------------------------------------------------------- credentials


class _Recorder(BaseHTTPRequestHandler):
    """A loopback SPARQL endpoint that records the Authorization header and refuses a wrong one."""

    seen: list[str | None] = []  # noqa: RUF012 - shared on purpose, reset by the fixture
    expected: str | None = None

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        header = self.headers.get("Authorization")
        type(self).seen.append(header)
        if header != type(self).expected:
            self.send_response(401)
            self.end_headers()
            return
        body = json.dumps({"head": {}, "boolean": True}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def recorder():
    _Recorder.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_basic_credentials_come_from_the_environment(recorder, monkeypatch):
    monkeypatch.setenv("VIGIE_STORE_USER", "vigie")
    monkeypatch.setenv("VIGIE_STORE_PASSWORD", "s3cret")
    _Recorder.expected = "Basic " + base64.b64encode(b"vigie:s3cret").decode()
    assert RemoteStore(recorder, flavor="generic").query("ASK {}", union_default_graph=False)
    assert _Recorder.seen == [_Recorder.expected]


def test_a_bearer_token_comes_from_the_environment(recorder, monkeypatch):
    monkeypatch.setenv("VIGIE_STORE_TOKEN", "t0ken")
    _Recorder.expected = "Bearer t0ken"
    assert RemoteStore(recorder, flavor="generic").query("ASK {}", union_default_graph=False)


def test_refused_credentials_are_one_clear_store_error(recorder, monkeypatch):
    monkeypatch.delenv("VIGIE_STORE_TOKEN", raising=False)
    monkeypatch.delenv("VIGIE_STORE_USER", raising=False)
    _Recorder.expected = "Bearer right"
    with pytest.raises(StoreError, match=r"refused .* VIGIE_STORE_TOKEN"):
        RemoteStore(recorder, token="wrong", flavor="generic").query("ASK {}", union_default_graph=False)
