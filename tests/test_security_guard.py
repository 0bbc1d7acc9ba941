"""SERVICE / LOAD detection (api.sparql_guard): every spelling Oxigraph reads as the keyword is found,
including those that fool a "strip strings, IRIs and comments, then grep" check; the word inside a
string, IRI, comment, variable or prefixed name is not. Each payload is also run by pyoxigraph against a
loopback listener, to prove it really is a request to another host."""

from __future__ import annotations

import contextlib
import socket
import threading

import pyoxigraph as ox
import pytest

from api.sparql_guard import calls_other_hosts

HOST = "<http://127.0.0.1:PORT/sparql>"
P = "PREFIX : <http://127.0.0.1:PORT/> "

#: Queries that make pyoxigraph call another host.
FEDERATED = {
    "plain": f"SELECT * WHERE {{ ?s ?p ?o . SERVICE {HOST} {{ ?a ?b ?c }} }}",
    "lower case": f"SELECT * WHERE {{ ?s ?p ?o . sErViCe {HOST} {{ ?a ?b ?c }} }}",
    "silent glued": f"SELECT * WHERE {{ ?s ?p ?o . SERVICESILENT {HOST} {{ ?a ?b ?c }} }}",
    "after a number": f"SELECT * WHERE {{ ?s ?p ?o . ?s ?p ?o , 1SERVICE {HOST} {{ ?a ?b ?c }} }}",
    "prefixed name glued": P + "SELECT * WHERE { ?s ?p ?o . SERVICE:x { ?a ?b ?c } }",
    "quote in an escaped IRI": (
        f"SELECT * WHERE {{ BIND(<http://x/\\u0041'> AS ?z) SERVICE {HOST} {{ ?a ?b ?c }} FILTER(?z != 'x') }}"
    ),
    "less-than makes a fake IRI": f"SELECT * WHERE {{ ?s ?p ?o FILTER(?o<=?o)SERVICE#>\n{HOST}{{?a ?b ?c}} }}",
    "ask": f"ASK {{ ?s ?p ?o . SERVICE {HOST} {{ ?a ?b ?c }} }}",
    "construct": f"CONSTRUCT {{ ?a ?b ?c }} WHERE {{ SERVICE {HOST} {{ ?a ?b ?c }} }}",
}

#: Updates that make pyoxigraph call another host.
FEDERATED_UPDATES = {
    "load": f"LOAD {HOST}",
    "load silent into": f"LOAD SILENT {HOST} INTO GRAPH <http://example.org/g>",
    "service in where": f"INSERT {{ ?a ?b ?c }} WHERE {{ SERVICE {HOST} {{ ?a ?b ?c }} }}",
}

#: Queries where the word is not the keyword.
LOCAL = {
    "variable": 'SELECT ?service WHERE { ?service ?p "x" }',
    "string": "SELECT * WHERE { ?s ?p ?o FILTER(CONTAINS(STR(?o), \"services de police\")) }",
    "iri": "SELECT * WHERE { ?s <http://example.org/service> ?o }",
    "prefixed name and comment": (
        "PREFIX service: <http://example.org/service#> SELECT * WHERE { ?s service:service ?o } # service"
    ),
    "language tag": "SELECT * WHERE { ?s ?p 'x'@service }",
}


class Listener:
    """A loopback TCP listener that records whether anything connected."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.sock.close()


@pytest.fixture()
def listener():
    server = Listener()
    yield server
    server.close()


def one_triple_store() -> ox.Store:
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p"), ox.Literal(1)))
    return store


@pytest.mark.parametrize("name", FEDERATED)
def test_federated_query_is_found(name, listener):
    query = FEDERATED[name].replace("PORT", str(listener.port))
    assert calls_other_hosts(query)
    assert listener.connections == 0  # the check itself calls nobody
    # Proof that pyoxigraph would have called the other host.
    with contextlib.suppress(OSError, RuntimeError):
        result = one_triple_store().query(query)
        if not isinstance(result, ox.QueryBoolean):
            list(result)
    assert listener.connections > 0


@pytest.mark.parametrize("name", FEDERATED_UPDATES)
def test_federated_update_is_found(name, listener):
    update = FEDERATED_UPDATES[name].replace("PORT", str(listener.port))
    assert calls_other_hosts(update, update=True)
    assert listener.connections == 0
    with contextlib.suppress(OSError, RuntimeError):
        one_triple_store().update(update)
    assert listener.connections > 0


@pytest.mark.parametrize("name", LOCAL)
def test_the_word_outside_the_keyword_is_allowed(name):
    assert not calls_other_hosts(LOCAL[name])


def test_load_inside_data_is_allowed():
    assert not calls_other_hosts("INSERT DATA { <http://a> <http://download> 'payload service' }", update=True)
