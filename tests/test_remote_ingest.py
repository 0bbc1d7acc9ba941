"""The real ingest (spaCy extractor, `vigie` command) against a real `oxigraph serve`: the same graph as the
embedded store, the same evaluation and CLI output, a server killed mid-ingest, two shards at once."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from reliability_helpers import ROOT, SEEDS, CrashAfterWrites, clean_env, variant_corpus, vigie_command
from typer.testing import CliRunner

from extractors.documents import read_document
from extractors.rdf import document_iri, extraction_to_quads
from vigie.cli import app
from vigie.ingest import ingest_paths, shard_of
from vigie.remote_store import RemoteStore
from vigie.store import Store


def quad_set(store) -> set[str]:
    return {str(q) for q in store.quads() if isinstance(q.graph_name, ox.NamedNode)}


def graph_sizes(store) -> dict[str, int]:
    rows = store.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
                        union_default_graph=False)
    return {row["g"].value: int(row["n"].value) for row in rows}


def document_sizes(store) -> dict[str, int]:
    sizes = graph_sizes(store)
    return {g.value: sizes.get(g.value, 0) for g in store.document_graphs()}


@pytest.fixture(scope="module")
def seeds_pair(tmp_path_factory, extractor):
    """The seeds ingested by the real ingest into a server and, right after, into an embedded folder
    (built together, so both see the same ontology and extractor even while the sources change)."""
    from conftest import OxigraphServer

    folder = tmp_path_factory.mktemp("seeds-pair")
    server = OxigraphServer(folder / "db").start()
    for store in (RemoteStore(server.url), Store(folder / "store")):
        store.load_schema()
        report = ingest_paths(store, [SEEDS], extractor)
        assert report.ok, report.failed
        store.close()
    yield server, folder / "store"
    server.stop()


@pytest.fixture(scope="module")
def seeds_server(seeds_pair):
    return seeds_pair[0]


@pytest.fixture(scope="module")
def seeds_store_path(seeds_pair):
    return seeds_pair[1]


@pytest.fixture(scope="module")
def seeds_store(seeds_store_path):
    return Store(seeds_store_path, read_only=True)


def test_ingesting_the_seeds_into_a_server_writes_the_quads_of_the_embedded_store(seeds_server, seeds_store):
    remote = RemoteStore(seeds_server.url)
    assert quad_set(remote) == quad_set(seeds_store)
    assert len(remote.document_graphs()) == 5


def test_reingesting_the_seeds_into_a_server_changes_nothing(seeds_server, extractor):
    remote = RemoteStore(seeds_server.url)
    before = quad_set(remote)
    report = ingest_paths(remote, [SEEDS], extractor)
    assert len(report.unchanged) == 5 and not report.ingested
    assert quad_set(remote) == before


def test_evaluation_gives_the_same_scores_on_either_backend(seeds_server, seeds_store):
    from vigie.evaluation import evaluate, load_gold, read_graph

    gold = load_gold(SEEDS / "gold.json")
    remote = evaluate(gold, read_graph(RemoteStore(seeds_server.url)))
    embedded = evaluate(gold, read_graph(seeds_store))
    assert remote.micro == embedded.micro
    assert remote.attribute_accuracy == embedded.attribute_accuracy


@pytest.mark.parametrize("command", [["stats"], ["export", "-f", "nquads"], ["validate"],
                                     ["query", "SELECT ?p WHERE { ?p a vg:Policy } ORDER BY ?p"],
                                     ["eval", str(SEEDS / "gold.json")]])
def test_cli_commands_print_the_same_against_a_server_as_against_a_folder(
    command, seeds_server, seeds_store_path
):
    runner = CliRunner()
    remote = runner.invoke(app, [*command, "--store", seeds_server.url])
    embedded = runner.invoke(app, [*command, "--store", str(seeds_store_path)])
    assert remote.exit_code == embedded.exit_code == 0, remote.output + embedded.output
    assert sorted(remote.output.splitlines()) == sorted(embedded.output.splitlines())


def test_cli_says_in_one_line_when_the_server_is_not_there(monkeypatch):
    from conftest import free_loopback_port

    monkeypatch.setenv("VIGIE_STORE_RETRIES", "1")

    result = CliRunner().invoke(app, ["stats", "--store", f"http://127.0.0.1:{free_loopback_port()}"])
    assert result.exit_code == 1
    assert result.output.strip().startswith("vigie: error: cannot reach the store at")
    assert "Traceback" not in result.output


def test_cli_refuses_a_malformed_shard():
    result = CliRunner().invoke(app, ["ingest", str(SEEDS), "--shard", "3/2", "--store", "http://127.0.0.1:9"])
    assert result.exit_code == 1
    assert "shard" in result.output


# --------------------------------------------------------------------------- whole corpora, real processes


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, extractor) -> tuple[Path, dict[str, int]]:
    """24 article variants of the seeds, and the quads per article graph a clean ingest gives them."""
    folder = tmp_path_factory.mktemp("remote-corpus") / "corpus"
    paths = variant_corpus(folder, 24)
    documents = [read_document(path) for path in paths]
    expected = {
        document_iri(extraction.document.id).value: len(extraction_to_quads(extraction))
        for extraction in extractor.extract(iter(documents), batch_size=16)
    }
    return folder, expected


def start_ingest(corpus: Path, url: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [*vigie_command(), "ingest", str(corpus), "--store", url, "--batch-size", "4", "-q", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=clean_env(),
    )


@pytest.mark.slow
def test_killing_the_server_mid_ingest_leaves_whole_articles_and_a_rerun_completes_the_store(
    oxigraph_server_factory, corpus
):
    folder, expected = corpus
    server = oxigraph_server_factory()
    probe = RemoteStore(server.url)
    with CrashAfterWrites(server.port, writes=8, kill=server.kill) as relay:
        ingest = start_ingest(folder, relay.url)
        try:
            _, stderr = ingest.communicate(timeout=600)
        finally:
            if ingest.poll() is None:
                ingest.kill()
                ingest.wait()
    assert relay.crashed.is_set(), "the ingest ended before its 8th article was written"
    assert ingest.returncode != 0
    assert "cannot reach the store" in stderr and "Traceback" not in stderr

    server.start()
    after_kill = document_sizes(probe)
    assert 0 < len(after_kill) < len(expected), "the kill did not land in the middle of the ingest"
    for graph, size in after_kill.items():
        assert size == expected[graph], f"{graph} is half-written after the kill"

    rerun = start_ingest(folder, server.url)
    stdout, stderr = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, stderr
    assert f"{len(expected) - len(after_kill)} articles ingested, {len(after_kill)} unchanged, 0 failed" in stdout
    assert document_sizes(probe) == expected


@pytest.mark.slow
def test_two_shards_ingesting_at_once_into_one_server_give_the_graph_of_one_ingest(
    oxigraph_server_factory, corpus
):
    folder, expected = corpus
    server = oxigraph_server_factory()
    shards = [start_ingest(folder, server.url, "--shard", f"{i}/2") for i in (1, 2)]
    outputs = [shard.communicate(timeout=600) for shard in shards]
    for shard, (_, stderr) in zip(shards, outputs, strict=True):
        assert shard.returncode == 0, stderr
    shares = [sum(1 for p in folder.iterdir() if shard_of(p, 2) == i) for i in (1, 2)]
    for share, (stdout, _) in zip(shares, outputs, strict=True):
        assert f"{share} articles ingested" in stdout
    assert document_sizes(RemoteStore(server.url)) == expected


def test_embedded_and_remote_stores_hold_the_same_schema(tmp_path, oxigraph_server):
    remote = RemoteStore(oxigraph_server.url)
    remote.update("DROP SILENT ALL")
    remote.load_schema()
    embedded = Store(tmp_path / "s")
    embedded.load_schema()
    assert quad_set(remote) == quad_set(embedded)


def test_vigie_serve_answers_from_a_server(seeds_server, seeds_store):
    import httpx
    from conftest import free_loopback_port
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.settings import Settings

    port = free_loopback_port()
    process = subprocess.Popen(
        [*vigie_command(), "serve", "--store", seeds_server.url, "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env=clean_env(),
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            assert process.poll() is None and time.monotonic() < deadline, "vigie serve did not start"
            try:
                served = httpx.get(f"http://127.0.0.1:{port}/companies", timeout=10)
                break
            except httpx.HTTPError:
                time.sleep(0.25)
        assert served.status_code == 200
        with TestClient(create_app(seeds_store, Settings())) as embedded:
            assert served.json() == embedded.get("/companies").json()
    finally:
        process.terminate()
        process.wait(timeout=30)
