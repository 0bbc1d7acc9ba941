"""`vigie ingest --cluster` (issue 18): extraction on a real Dask cluster (`dask scheduler` and two `dask worker`
processes on 127.0.0.1, one thread each), writes into a real `oxigraph serve` or an embedded folder, compared
graph by graph (and the consolidated default graph) with a local ingest of the same corpus."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import OxigraphServer, free_loopback_port
from distributed import Client
from distributed.diagnostics.plugin import WorkerPlugin
from reliability_helpers import ROOT, clean_env, vigie_command
from typer.testing import CliRunner

from extractors.documents import read_document
from vigie import cluster as vigie_cluster
from vigie.cli import app
from vigie.ingest import ingest_paths
from vigie.remote_store import RemoteStore
from vigie.store import Store

TESTS = Path(__file__).parent
CORPUS = [TESTS / "corpus", TESTS / "corpus_heldout", TESTS / "corpus_heldout2"]
ARTICLES = sum(1 for folder in CORPUS for _ in folder.glob("*.txt"))
START_TIMEOUT = 180.0

pytestmark = pytest.mark.slow


# --------------------------------------------------------------------------- what a store holds


POSITION = ox.NamedNode("https://w3id.org/vigie/ontology#position")


def graphs_of(store) -> dict[str, set[str]]:
    """Every named graph's triples, the default (consolidated) graph's under the key ``""``, and the articles'
    positions under ``"positions"``: which article holds which position records the order of arrival, which
    workers in parallel do not share with a local ingest; the set of positions (dense, from 0) must be equal."""
    graphs: dict[str, set[str]] = {}
    for quad in store.quads():
        graphs.setdefault(quad.graph_name.value, set()).add(str(quad.triple))
    if isinstance(store, RemoteStore):
        default = list(store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", union_default_graph=False))
    else:
        default = [q.triple for q in store.oxigraph.quads_for_pattern(None, None, None, ox.DefaultGraph())]
    graphs[""] = {str(t) for t in default if t.predicate != POSITION}
    graphs["positions"] = {t.object.value for t in default if t.predicate == POSITION}
    return graphs


def assert_same_graphs(actual: dict[str, set[str]], expected: dict[str, set[str]]) -> None:
    assert actual.keys() == expected.keys()
    for name, triples in expected.items():
        assert actual[name] == triples, f"graph {name or '(default)'} differs"


@pytest.fixture(scope="module")
def local_graphs(tmp_path_factory, extractor) -> dict[str, set[str]]:
    """The corpus ingested on this machine, the ordinary way."""
    store = Store(tmp_path_factory.mktemp("local") / "store")
    store.load_schema()
    report = ingest_paths(store, CORPUS, extractor)
    assert report.ok and len(report.ingested) == ARTICLES, report.failed
    return graphs_of(store)


# --------------------------------------------------------------------------- a real cluster


class DaskCluster:
    """`dask scheduler` and `dask worker` processes on loopback (each worker under its nanny)."""

    def __init__(self, folder: Path, workers: int = 2) -> None:
        self.folder = folder
        self.port = free_loopback_port()
        self.address = f"tcp://127.0.0.1:{self.port}"
        self.processes: list[subprocess.Popen] = []
        self.start(["scheduler", "--host", "127.0.0.1", "--port", str(self.port), "--no-dashboard"], "scheduler")
        for i in range(workers):
            self.start(["worker", self.address, "--nthreads", "1", "--nworkers", "1", "--host", "127.0.0.1",
                        "--no-dashboard", "--name", f"w{i}", "--local-directory", str(folder / f"w{i}")], f"w{i}")

    def start(self, args: list[str], name: str) -> None:
        dask = Path(sys.executable).with_name("dask")
        with (self.folder / f"{name}.log").open("ab") as log:
            # Its own session: the teardown ends the nanny and the worker process it started, and nothing else.
            self.processes.append(subprocess.Popen(
                [str(dask), *args], stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=ROOT,
                # The workers unpickle this module's test plugin.
                env=clean_env(PYTHONPATH=os.pathsep.join(filter(None, [str(TESTS), os.environ.get("PYTHONPATH")]))),
                start_new_session=True,
            ))

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory) -> Iterator[DaskCluster]:
    cluster = DaskCluster(tmp_path_factory.mktemp("dask"))
    try:
        with Client(cluster.address, timeout=START_TIMEOUT) as client:
            client.wait_for_workers(2, timeout=START_TIMEOUT)
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def client(dask_cluster) -> Iterator[Client]:
    with Client(dask_cluster.address, timeout=START_TIMEOUT) as dask_client:
        dask_client.wait_for_workers(2, timeout=START_TIMEOUT)
        yield dask_client


@pytest.fixture
def server(tmp_path_factory) -> Iterator[OxigraphServer]:
    started = OxigraphServer(tmp_path_factory.mktemp("oxigraph") / "db").start()
    yield started
    started.stop()


def remote(server: OxigraphServer) -> RemoteStore:
    store = RemoteStore(server.url)
    store.load_schema()
    return store


# --------------------------------------------------------------------------- same graph as a local ingest


def test_a_cluster_ingest_into_a_server_gives_the_graphs_of_a_local_ingest(client, server, local_graphs):
    store = remote(server)
    report = vigie_cluster.ingest_on_cluster(client, store, CORPUS, batch_size=2)
    assert report.ok, report.failed
    assert len(report.ingested) == ARTICLES and not report.unchanged
    assert_same_graphs(graphs_of(store), local_graphs)

    again = vigie_cluster.ingest_on_cluster(client, store, CORPUS, batch_size=3)
    assert len(again.unchanged) == ARTICLES and not again.ingested and again.ok
    assert_same_graphs(graphs_of(store), local_graphs)


@pytest.mark.parametrize("batch_size", [1, 3])
def test_the_graph_does_not_depend_on_how_the_batches_are_split(client, tmp_path, extractor, monkeypatch, batch_size):
    # Windows of 4 articles: the cross-article consolidation runs window by window, each window against what
    # it and the earlier ones read. Batches of 3 straddle windows; batches of 1 finish in any order.
    monkeypatch.setattr("extractors.pipeline.CONSOLIDATION_WINDOW", 4)
    local = Store(tmp_path / "local")
    local.load_schema()
    ingest_paths(local, CORPUS, extractor, batch_size=batch_size)
    store = Store(tmp_path / "cluster")  # embedded: the client is the only writer
    store.load_schema()
    report = vigie_cluster.ingest_on_cluster(client, store, CORPUS, batch_size=batch_size, window=4)
    assert report.ok and len(report.ingested) == ARTICLES
    assert_same_graphs(graphs_of(store), graphs_of(local))


def test_the_cli_on_a_local_cluster_writes_a_folder_like_a_local_ingest(tmp_path, local_graphs):
    folder = tmp_path / "store"
    result = subprocess.run(
        [*vigie_command(), "ingest", *map(str, CORPUS), "--cluster", "local:2", "--store", str(folder),
         "--batch-size", "2", "-q"],
        capture_output=True, text=True, cwd=ROOT, env=clean_env(), timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"{ARTICLES} articles ingested, 0 unchanged, 0 failed, ")
    assert "Traceback" not in result.stderr
    assert_same_graphs(graphs_of(Store(folder, read_only=True)), local_graphs)


# --------------------------------------------------------------------------- failures


class ReportBatches(WorkerPlugin):
    """Test instrument: a file per extraction batch a worker process starts or finishes (no sleeps: the
    test waits for the file, then kills the process that wrote it)."""

    name = "test-report-batches"

    def __init__(self, folder: str) -> None:
        self.folder = folder

    def setup(self, worker) -> None:
        self.pid = os.getpid()

    def transition(self, key, start, finish, **kwargs) -> None:
        if isinstance(key, str) and key.startswith("vigie-extract-"):
            if finish == "executing":
                Path(self.folder, f"start.{self.pid}.{key}").touch()
            elif start == "executing" and finish == "memory":
                Path(self.folder, f"done.{self.pid}.{key}").touch()


def wait_for(folder: Path, pattern: str, process: subprocess.Popen, timeout: float = 300) -> Path:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = sorted(folder.glob(pattern))
        if found:
            return found[0]
        assert process.poll() is None, process.communicate()
        time.sleep(0.01)
    raise AssertionError(f"no {pattern} within {timeout} s")


def test_a_worker_killed_mid_batch_has_its_batch_done_elsewhere_and_the_store_is_complete(
    client, server, local_graphs, tmp_path
):
    marks = tmp_path / "marks"
    marks.mkdir()
    client.register_plugin(ReportBatches(str(marks)))
    remote(server).close()
    ingest = subprocess.Popen(
        [*vigie_command(), "ingest", *map(str, CORPUS), "--cluster", client.scheduler.address,
         "--store", server.url, "--batch-size", "2", "-q"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=clean_env(),
    )
    try:
        started = wait_for(marks, "start.*", ingest)
        _, pid, key = started.name.split(".", 2)
        os.kill(int(pid), signal.SIGKILL)  # a worker process of the fixture's cluster, mid-batch
        stdout, stderr = ingest.communicate(timeout=600)
    finally:
        if ingest.poll() is None:
            ingest.kill()
            ingest.wait()
        client.unregister_worker_plugin(ReportBatches.name)
    assert not (marks / f"done.{pid}.{key}").exists(), "the batch ended before its worker was killed"
    redone = [p for p in marks.glob(f"done.*.{key}") if p.name.split(".")[1] != pid]
    assert redone, "the killed worker's batch was not done by another worker"
    assert ingest.returncode == 0, stderr
    assert stdout.startswith(f"{ARTICLES} articles ingested, 0 unchanged, 0 failed, "), stdout
    assert_same_graphs(graphs_of(RemoteStore(server.url)), local_graphs)


def test_articles_refused_on_the_workers_are_reported_one_line_each_like_a_local_ingest(dask_cluster, tmp_path):
    corpus = [str(TESTS / "corpus")]
    local = CliRunner().invoke(app, ["ingest", *corpus, "--store", str(tmp_path / "a"), "--max-facts", "8"])
    on_cluster = CliRunner().invoke(app, ["ingest", *corpus, "--store", str(tmp_path / "b"), "--max-facts", "8",
                                          "--cluster", dask_cluster.address])
    assert local.exit_code == on_cluster.exit_code == 2
    skipped = [line for line in local.output.splitlines() if line.startswith("vigie: skipped ")]
    assert skipped and all("too many facts" in line for line in skipped)
    assert sorted(line for line in on_cluster.output.splitlines() if line.startswith("vigie: skipped ")) == sorted(
        skipped)
    summaries = [result.output.splitlines()[-1].split(" quads written to ")[0] for result in (local, on_cluster)]
    assert summaries[0] == summaries[1]


def test_an_article_whose_extraction_raises_is_reported_alone(tmp_path):
    good = read_document(TESTS / "corpus" / "101_microsoft_emotions.txt")
    broken = read_document(TESTS / "corpus" / "102_meta_facebook.txt")
    broken.body = None  # not a text: spaCy raises on it
    result = vigie_cluster.extract_batch([good, broken], ())
    assert [e.document.id for e in result.extractions] == [good.id]
    assert len(result.failed) == 1 and result.failed[0][0] == broken.path
    assert result.failed[0][1].startswith("extraction failed: ")


@pytest.mark.parametrize(("args", "message"), [
    (["--cluster", "local:0"], "local:N"),
    (["--cluster", "nowhere"], "scheduler address"),
    (["--cluster", "local:2", "--workers", "2"], "--workers"),
])
def test_the_cli_refuses_a_malformed_cluster_in_one_line(tmp_path, args, message):
    result = CliRunner().invoke(app, ["ingest", str(TESTS / "corpus"), "--store", str(tmp_path / "s"), *args])
    assert result.exit_code == 1
    assert result.output.startswith("vigie: error: ") and message in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_a_scheduler_that_is_not_there_is_one_clear_error():
    address = f"tcp://127.0.0.1:{free_loopback_port()}"
    with pytest.raises(vigie_cluster.ClusterError, match=f"cannot reach the Dask scheduler at {address}"), \
            vigie_cluster.connect(address, timeout=2):
        pass


def test_vigie_starts_without_importing_dask():
    code = "import sys; import vigie.cli, vigie.ingest, vigie.store; print('distributed' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          cwd=ROOT).stdout.strip() == "False"



def test_a_batch_is_checked_against_the_shapes_on_its_worker_when_asked():
    documents = [read_document(path) for path in sorted((TESTS / "corpus").glob("*.txt"))[:2]]
    extracted = vigie_cluster.extract_batch(documents, ())
    outcome = vigie_cluster.finish_batch(extracted, {}, vigie_cluster.WriteTarget(), max_facts=2_000, validate=True)
    assert outcome.report.ok and len(outcome.report.ingested) == 2
    assert outcome.graphs is not None and len(outcome.graphs) == 2  # no server: the client writes them
