"""Remote store against embedded store: writing Vigie's article graphs and running its named queries.

``python -m bench.remote_store [--articles 200] [--repeat 20]`` prints a Markdown section (and writes it
to ``bench/results/remote_store.md``); paste it into BENCHMARKS.md's "Remote store" section.

Same corpus, same run: the article graphs Vigie extracts from the synthetic corpus (the cached quads of
``bench.storeload``, so spaCy is not timed: extraction costs the same whatever the store) are written
the way ``ingest_paths`` writes them (a content-hash look-up per article, then ``replace_graphs`` per
batch of 16) into

* **embedded**: a fresh on-disk ``vigie.store.Store``;
* **oxigraph server, GSP**: a fresh ``oxigraph serve`` on loopback through ``RemoteStore`` (one Graph
  Store Protocol ``PUT`` per article, 4 at a time);
* **oxigraph server, GSP, 2 shards**: the same, two writers at once (two threads, own connections);
* **oxigraph server, update**: ``RemoteStore(write_mode="update")`` (one SPARQL Update per batch).

Then every named query of ``queries/`` that needs no parameter, and those taking a ``company`` bound to
``amazon``, run ``--repeat`` times on the embedded store and on the server (after one warm-up run); the
table gives the median latency of each, results read to the end.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import pyoxigraph as ox

from bench.storeload import extracted_graphs
from bench.util import RESULTS, log


def _oxigraph() -> str:
    found = Path(sys.executable).with_name("oxigraph")
    return str(found) if found.exists() else (shutil.which("oxigraph") or "oxigraph")


class Server:
    def __init__(self, location: Path) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [_oxigraph(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{self.port}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{self.url}/query?query=ASK%7B%7D", timeout=2).close()
                return
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise RuntimeError("oxigraph serve did not start") from None
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


def _hash_of(quads: list[ox.Quad]) -> str:
    for quad in quads:
        if quad.predicate.value.endswith("#contentHash"):
            return quad.object.value
    return ""


def write_like_ingest(store, graphs: dict, batch_size: int = 16) -> None:
    batch: dict = {}
    for graph, quads in graphs.items():
        if store.document_with_hash(_hash_of(quads)) is not None:
            continue
        batch[graph] = quads
        if len(batch) >= batch_size:
            store.replace_graphs(batch)
            batch = {}
    if batch:
        store.replace_graphs(batch)
    store.flush()


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def write_benchmark(graphs: dict, work: Path) -> tuple[list[list], dict]:
    from vigie.remote_store import RemoteStore
    from vigie.store import Store

    articles = len(graphs)
    quads = sum(len(q) for q in graphs.values())
    rows, stores = [], {}

    embedded = Store(work / "embedded")
    embedded.load_schema()
    rows.append(["embedded (on disk)", timed(lambda: write_like_ingest(embedded, graphs))])
    stores["embedded"] = embedded

    server = Server(work / "server")
    remote = RemoteStore(server.url)
    remote.load_schema()
    rows.append(["oxigraph server, GSP PUT", timed(lambda: write_like_ingest(remote, graphs))])
    stores["remote"] = remote
    stores["server"] = server

    items = list(graphs.items())
    shards = [dict(items[0::2]), dict(items[1::2])]
    sharded = Server(work / "sharded")

    def two_shards() -> None:
        def run(share: dict) -> None:
            with RemoteStore(sharded.url) as store:
                write_like_ingest(store, share)
        threads = [threading.Thread(target=run, args=(share,)) for share in shards]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    rows.append(["oxigraph server, GSP PUT, 2 shards at once", timed(two_shards)])
    assert len(RemoteStore(sharded.url)) == quads
    sharded.stop()

    updates = Server(work / "update")
    rows.append(["oxigraph server, SPARQL Update per batch",
                 timed(lambda: write_like_ingest(RemoteStore(updates.url, write_mode="update"), graphs))])
    updates.stop()

    table = [[name, f"{seconds:.2f}", f"{articles / seconds:.0f}", f"{quads / seconds:,.0f}"]
             for name, seconds in rows]
    return table, stores


def query_benchmark(stores: dict, repeat: int) -> list[list]:
    from ontology.iris import mint
    from queries import Registry

    registry = Registry.load()
    runs = []
    for query in registry:
        names = {p.name for p in query.params}
        required = {p.name for p in query.params if p.required}
        if not required:
            runs.append((query.name, query.sparql, None))
        if "company" in names and required <= {"company"}:
            bound = {"company": mint("company", "amazon")}
            runs.append((f"{query.name} (company=amazon)", query.text_for(bound), bound))
    table = []
    for name, sparql, bindings in runs:
        cells, sizes = [name], set()
        for key in ("embedded", "remote"):
            store = stores[key]

            def run(store=store, sparql=sparql, bindings=bindings) -> int:
                result = store.query(sparql, bindings=bindings)
                return 1 if isinstance(result, ox.QueryBoolean) else sum(1 for _ in result)

            try:
                sizes.add(run())
                times = [timed(run) for _ in range(repeat)]
            except Exception as exc:  # a query that fails on one backend is reported, not hidden
                cells.append(f"error: {type(exc).__name__}")
                continue
            cells.append(f"{statistics.median(times) * 1000:.1f}")
        cells.insert(1, "/".join(map(str, sorted(sizes))))
        table.append(cells)
    return table


def markdown_table(headers: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.remote_store", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args(argv)

    graphs = extracted_graphs(args.articles, args.seed)
    quads = sum(len(q) for q in graphs.values())
    log(f"remote_store: {len(graphs)} article graphs, {quads} quads")
    with tempfile.TemporaryDirectory(prefix="vigie-bench-remote-") as tmp:
        writes, stores = write_benchmark(graphs, Path(tmp))
        log("remote_store: writes done, querying")
        try:
            queries = query_benchmark(stores, args.repeat)
        finally:
            stores["remote"].close()
            stores["server"].stop()
    text = "\n\n".join([
        f"Corpus: {len(graphs)} articles of the synthetic corpus (seed {args.seed}), {quads:,} quads, "
        f"written as `vigie ingest` writes them (content-hash look-up, batches of 16); extraction not timed.",
        markdown_table(["store", "seconds", "articles/s", "quads/s"], writes),
        f"Named queries over the same graph (schema + {len(graphs)} articles), median of {args.repeat} runs, "
        "milliseconds, results read to the end:",
        markdown_table(["query", "rows", "embedded ms", "oxigraph server ms"], queries),
    ])
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "remote_store.md").write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
