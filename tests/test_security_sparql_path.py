"""The anonymous SPARQL path against a live `vigie serve` (issue 19): a crafted query never reaches another
host, never freezes the event loop, never kills the server, and never grows memory or answers without
bound. A loopback listener counts every connection a query would make the server open; a probe sends a
REST request while each hostile query runs and times it.

The fuzzer at the end runs a bounded number of examples in `make test` (``VIGIE_FUZZ_EXAMPLES``, 40 by
default) and many more in `make fuzz`.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reliability_helpers import clean_env, serve

pytestmark = pytest.mark.slow

TOKEN = "sparql-path-token"
QUERY_TIMEOUT = 5.0
FUZZ_EXAMPLES = int(os.environ.get("VIGIE_FUZZ_EXAMPLES") or 40)


class Listener:
    """A loopback TCP server that counts the connections it accepts and holds each one open (a hanging host)."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._held: list[socket.socket] = []
        self._stop = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        self.sock.settimeout(0.2)
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            self._held.append(conn)

    def close(self) -> None:
        self._stop = True
        for conn in self._held:
            conn.close()
        self.sock.close()


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    running = Listener()
    yield running
    running.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory, seeds_store_path):
    store = tmp_path_factory.mktemp("sparql-path") / "store"
    shutil.copytree(seeds_store_path, store, ignore=shutil.ignore_patterns("LOCK"))
    env = clean_env(VIGIE_QUERY_TIMEOUT=str(QUERY_TIMEOUT), VIGIE_MAX_RESULT_BYTES=str(64 * 1024),
                    VIGIE_WRITE_TOKEN=TOKEN)
    with serve(store, env=env) as running:
        yield running


def _escape_prefix() -> str:
    """The prefix that fooled the old noise stripper: a quote inside an IRI written with a \\u escape."""
    return "PREFIX p: <http://x/\\u0041'> "


def payloads(port: int) -> dict[str, str]:
    """The four breaks of issue 19, as sent by the attacker."""
    chain = " ".join(f"BIND(CONCAT(?a{i}, ?a{i}) AS ?a{i + 1})" for i in range(34))
    return {
        "blind SSRF through the escape trick": _escape_prefix()
        + f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/x> {{ ?s ?p ?o }} }} #'",
        "SSRF hidden behind less-than": f"SELECT * WHERE {{ ?s ?p ?o FILTER(?s<?p)SERVICE#>\n"
        f" <http://127.0.0.1:{port}/x> {{ ?s ?p ?o }} }}",
        "2,500-deep nesting behind the escape trick": _escape_prefix() + "SELECT * WHERE " + "{" * 2500
        + "}" * 2500 + " #'",
        "5,000-deep nesting": "SELECT * WHERE " + "{" * 5000 + "}" * 5000,
        "expression growth": f'SELECT ?a34 WHERE {{ BIND("abcdefgh" AS ?a0) {chain} }}',
    }


def _tree_rss_bytes(pid: int) -> int:
    """Resident memory of a process and its children (Linux /proc)."""
    total, pids = 0, [pid]
    while pids:
        current = pids.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        # A zombie (a worker just killed) has no VmRSS line.
        total += next((int(line.split()[1]) * 1024 for line in status.splitlines() if line.startswith("VmRSS")), 0)
        pids.extend(int(child) for child in children)
    return total


def _send(client: httpx.Client, route: str, query: str) -> httpx.Response:
    if route == "GET /sparql":
        return client.get("/sparql", params={"query": query})
    if route == "POST /sparql":
        return client.post("/sparql", content=query.encode(), headers={"Content-Type": "application/sparql-query"})
    return client.post("/ui/sparql", data={"query": query})


ROUTES = ["GET /sparql", "POST /sparql", "POST /ui/sparql"]


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("name", list(payloads(1)))
def test_issue_payloads_are_refused_or_bounded_with_the_server_alive(server, listener, name, route):
    query = payloads(listener.port)[name]
    before = listener.connections
    probe: dict[str, float] = {}
    peak = [0]

    def watch() -> None:
        time.sleep(0.3)
        with server.client() as client:
            started = time.monotonic()
            probe["status"] = client.get("/companies", params={"limit": 5}).status_code
            probe["seconds"] = time.monotonic() - started
        while "done" not in probe:
            peak[0] = max(peak[0], _tree_rss_bytes(server.process.pid))
            time.sleep(0.05)

    watcher = threading.Thread(target=watch)
    watcher.start()
    with server.client() as client:
        started = time.monotonic()
        response = _send(client, route, query)
        elapsed = time.monotonic() - started
    time.sleep(max(0.0, 0.5 - elapsed))
    probe["done"] = 1.0
    watcher.join()
    assert response.status_code in (400, 413, 414, 503), response.text[:300]
    assert elapsed < QUERY_TIMEOUT + 5
    assert listener.connections == before, "the server connected to the listener"
    assert server.alive(), server.output()[-2000:]
    assert probe["status"] == 200
    # Measured 3-10 ms while each payload runs; the bound leaves room for a loaded 2-core CI machine.
    assert probe["seconds"] < 0.5, f"another request waited {probe['seconds']:.2f} s"
    assert peak[0] < 1024**3, f"the server's process tree reached {peak[0] >> 20} MiB"


def test_a_refused_query_says_why_in_one_line(server, listener):
    with server.client() as client:
        response = _send(client, "POST /sparql", payloads(listener.port)["5,000-deep nesting"])
    assert response.status_code == 400
    assert "nested 5000 levels deep" in response.json()["detail"]
    assert "\n" not in response.json()["detail"]


def test_memory_growth_stops_the_worker_not_the_server(server, listener):
    with server.client() as client:
        response = _send(client, "POST /sparql", payloads(listener.port)["expression growth"])
        assert response.status_code in (413, 503)
        assert "memory" in response.json()["detail"] or "larger than" in response.json()["detail"]
        assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).status_code == 200


def test_a_result_larger_than_the_byte_cap_is_a_413_not_a_huge_body(server):
    with server.client() as client:
        response = client.get("/sparql", params={"query": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }"},
                              headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 413 and "larger than" in response.json()["detail"]
    assert len(response.content) < 1000


def test_an_update_with_load_is_refused_before_reaching_the_host(server, listener):
    before = listener.connections
    with server.client() as client:
        response = client.post("/sparql", content=f"LOAD <http://127.0.0.1:{listener.port}/x>".encode(),
                               headers={"Content-Type": "application/sparql-update",
                                        "Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 400 and "LOAD" in response.json()["detail"]
    assert listener.connections == before


def test_a_deeply_nested_update_is_a_400_even_with_the_token(server):
    update = "INSERT { <urn:a> <urn:b> <urn:c> } WHERE " + "{" * 3000 + "}" * 3000
    with server.client() as client:
        response = client.post("/sparql", content=update.encode(),
                               headers={"Content-Type": "application/sparql-update",
                                        "Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 400 and "levels deep" in response.json()["detail"]
    assert server.alive()


# ---------------------------------------------------------------- other points of issue 19


def test_rdf_xml_with_an_entity_declaration_is_refused(server):
    bomb = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
            b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="http://e/">'
            b'<rdf:Description rdf:about="http://e/s"><e:p>&b;</e:p></rdf:Description></rdf:RDF>')
    with server.client() as client:
        response = client.put("/store", params={"graph": "http://e/bomb"}, content=bomb,
                              headers={"Content-Type": "application/rdf+xml", "Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 400 and "ENTITY" in response.json()["detail"]


def test_a_literal_over_the_size_cap_is_refused(server):
    body = f'<http://e/s> <http://e/p> "{"x" * (1024 * 1024 + 1)}" .\n'.encode()
    with server.client() as client:
        response = client.put("/store", params={"graph": "http://e/big"}, content=body,
                              headers={"Content-Type": "application/n-triples", "Authorization": f"Bearer {TOKEN}"})
        assert response.status_code == 413 and "literal" in response.json()["detail"]
        assert client.get("/store", params={"graph": "http://e/big"}).status_code == 404


def test_export_of_a_graph_with_a_non_latin_iri_is_served(server):
    graph = "https://w3id.org/vigie/id/document/статья-記事"
    with server.client() as client:
        put = client.put("/store", params={"graph": graph}, content=b"<http://e/s> <http://e/p> <http://e/o> .\n",
                         headers={"Content-Type": "application/n-triples", "Authorization": f"Bearer {TOKEN}"})
        assert put.status_code in (201, 204)
        response = client.get("/export", params={"format": "nquads", "document": graph})
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-disposition"].isascii()
    assert b"http://e/s" in response.content


def test_a_422_does_not_echo_a_huge_value(server):
    with server.client() as client:
        response = client.post("/company/amazon/aliases", json={"alias": ["x" * 9_000_000], "by": "x"},
                               headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 422
    assert len(response.content) < 4000


# ---------------------------------------------------------------- fuzzing


def _fuzz_parts(port: int) -> list[str]:
    return [
        "SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "{", "}", "(", ")", "[", "]", "?s", "?p", "?o", "*",
        ".", ";", "<", ">", "FILTER", "OPTIONAL", "UNION", "GRAPH", "BIND", "AS", "CONCAT(?s, ?s)", "VALUES",
        "SERVICE", "service", "SERVICE SILENT", "1SERVICE", "trueSERVICE", f"<http://127.0.0.1:{port}/x>",
        "<http://x/\\u0041'>", "<http://x/\\u0022>", "\\u0027", "'", '"', "'''", '"""', "#", "\n", "#'\n",
        "PREFIX p:", "PREFIX service:", "BASE", "p:x", "service:x", "_:b", "<<", ">>", "LOAD", "INSERT",
        "'str' ", '"s\\"q"', "1e3", "(1<2)", "?a<?b", "é", "\\U0001F600",
    ]


def _nested(depth: int) -> str:
    return "{" * depth + "?s ?p ?o" + "}" * depth


@st.composite
def sparql_texts(draw, port: int) -> str:
    parts = _fuzz_parts(port)
    body = " ".join(draw(st.lists(st.sampled_from(parts), max_size=40)))
    depth = draw(st.integers(min_value=0, max_value=400))
    head = draw(st.sampled_from(["", "SELECT * WHERE ", "ASK ", _escape_prefix() + "SELECT * WHERE "]))
    service = draw(st.sampled_from(["", f"SERVICE <http://127.0.0.1:{port}/f> {{ ?s ?p ?o }}"]))
    return head + "{ " + body + " " + service + " " + _nested(depth) + " }" + draw(st.sampled_from(["", " #'"]))


def test_fuzzed_queries_never_reach_a_host_nor_fail_the_server(server, listener):
    @settings(max_examples=FUZZ_EXAMPLES, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(text=sparql_texts(listener.port), route=st.sampled_from(ROUTES))
    def fuzz(text: str, route: str) -> None:
        before = listener.connections
        with server.client() as client:
            started = time.monotonic()
            response = _send(client, route, text)
            assert time.monotonic() - started < QUERY_TIMEOUT + 5
        assert response.status_code < 500 or response.status_code == 503, (text[:300], response.text[:300])
        assert listener.connections == before, text[:300]
        assert server.alive(), server.output()[-2000:]

    fuzz()
