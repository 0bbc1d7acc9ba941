"""``vigie ingest --cluster`` against ``vigie ingest --workers``: the same corpus, the same run.

``python -m bench.cluster [--articles 200] [--repeat 2]`` prints a Markdown section (and writes it to
``bench/results/cluster.md``); paste it into BENCHMARKS.md's "Cluster ingest" section.

Variants, each into a fresh store after ``load_schema``, on the synthetic corpus (``bench/corpus.py``):

* **local, --workers 1 / 2**: ``ingest_paths`` with ``Extractor`` (loaded before the clock starts);
* **cluster local:1 / local:2**: ``ingest_on_cluster`` through a ``LocalCluster`` of 1 or 2 worker processes
  (one thread each), started and warmed (model loaded by the worker plugin) before the clock starts; the
  start-up is reported in its own column;
* the 2-worker variants once more into a fresh ``oxigraph serve`` (where the cluster's workers write).

*Scheduler overhead per article*: the time the workers were not extracting or writing, per article:
(wall × workers − the tasks' compute time from Dask's task stream) / articles. It counts scheduling,
transfers, the client's reading and content-hash look-ups, and the wait at a consolidation window's end.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from bench.corpus import write_corpus
from bench.machine import load
from bench.remote_store import Server, markdown_table
from bench.util import RESULTS, WORK, log


def _fresh_store(kind: str, folder: Path):
    """A fresh embedded store, or a fresh ``oxigraph serve`` (returned with the server to stop)."""
    from vigie.remote_store import RemoteStore
    from vigie.store import Store

    if kind == "embedded":
        store, server = Store(folder / "store"), None
    else:
        server = Server(folder / "db")
        store = RemoteStore(server.url)
    store.load_schema()
    return store, server


def _local(corpus: Path, workers: int, store, extractor) -> dict:
    from vigie.ingest import ingest_paths

    started = time.perf_counter()
    report = ingest_paths(store, [corpus], extractor, workers=workers)
    return {"wall": time.perf_counter() - started, "articles": len(report.ingested), "failed": len(report.failed)}


def _cluster(corpus: Path, client, workers: int, store) -> dict:
    from distributed import get_task_stream

    from vigie.cluster import ingest_on_cluster

    started = time.perf_counter()
    with get_task_stream(client) as stream:
        report = ingest_on_cluster(client, store, [corpus])
    wall = time.perf_counter() - started
    busy = sum(s["stop"] - s["start"] for task in stream.data for s in task["startstops"] if s["action"] == "compute")
    articles = len(report.ingested)
    return {"wall": wall, "articles": articles, "failed": len(report.failed),
            "overhead_ms": 1000 * (wall * workers - busy) / max(1, articles)}


def _started_cluster(workers: int):
    from vigie.cluster import ExtractorPlugin, connect, model_limit

    started = time.perf_counter()
    context = connect(f"local:{workers}")
    client = context.__enter__()
    client.register_plugin(ExtractorPlugin())
    client.submit(model_limit, (), pure=False).result()
    return context, client, time.perf_counter() - started


def run(corpus: Path, repeat: int, server: bool) -> list[dict]:
    from extractors.pipeline import Extractor

    extractor = Extractor()
    kinds = ["embedded", *(["oxigraph serve"] if server else [])]
    best: dict[tuple, dict] = {}

    def keep(key: tuple, result: dict) -> None:
        if key not in best or result["wall"] < best[key]["wall"]:
            best[key] = result
        log(f"cluster bench: {key} {result['wall']:.1f} s")

    def once(kind: str, how: str, workers: int, client=None, startup: float = 0.0) -> None:
        with tempfile.TemporaryDirectory(prefix="vigie-bench-cluster-") as tmp:
            store, process = _fresh_store(kind, Path(tmp))
            try:
                if client is None:
                    result = _local(corpus, workers, store, extractor)
                else:
                    result = {**_cluster(corpus, client, workers, store), "startup": startup}
            finally:
                store.close()
                if process is not None:
                    process.stop()
        keep((kind, how, workers), result)

    for _ in range(repeat):
        # The local runs fork their workers: they run while no Dask client (and its threads) is alive.
        for kind in kinds:
            for workers in (1, 2) if kind == "embedded" else (2,):
                once(kind, "local", workers)
        for workers in (1, 2):
            context, client, startup = _started_cluster(workers)
            try:
                for kind in kinds if workers == 2 else ["embedded"]:
                    once(kind, "cluster", workers, client, startup)
            finally:
                context.__exit__(None, None, None)
    return [{"kind": k, "how": h, "workers": n, **r} for (k, h, n), r in best.items()]


def table(rows: list[dict]) -> str:
    local2 = {r["kind"]: r["wall"] for r in rows if r["how"] == "local" and r["workers"] == 2}
    out = []
    for r in rows:
        name = f"--workers {r['workers']}" if r["how"] == "local" else f"--cluster local:{r['workers']}"
        versus = (f"{1000 * (r['wall'] - local2[r['kind']]) / r['articles']:+.1f}"
                  if r["how"] == "cluster" and r["workers"] == 2 else "—")
        out.append([name, r["kind"], f"{r['wall']:.1f}", f"{r['articles'] / r['wall']:.1f}",
                    f"{r['startup']:.1f}" if "startup" in r else "—",
                    f"{r['overhead_ms']:.1f}" if "overhead_ms" in r else "—", versus])
    return markdown_table(["ingest", "store", "wall (s)", "articles/s", "cluster start-up (s)",
                           "scheduler overhead per article (ms)", "vs --workers 2, per article (ms)"], out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.cluster", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=2, help="runs of each variant, the fastest is kept")
    parser.add_argument("--no-server", action="store_true", help="skip the oxigraph serve variants")
    args = parser.parse_args(argv)

    corpus = write_corpus(WORK / f"corpus-{args.articles}-{args.seed}", args.articles, args.seed)
    before = load()
    rows = run(corpus, args.repeat, server=not args.no_server)
    text = "\n\n".join([
        f"Corpus: {args.articles} synthetic articles (seed {args.seed}), batch size 16; best of {args.repeat} "
        f"runs; load average {before[0]} → {load()[0]}.",
        table(rows),
    ])
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "cluster.md").write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
