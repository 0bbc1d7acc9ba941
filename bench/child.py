"""Work the scale and export benchmarks measure from outside, each in a fresh process.

    python -m bench.child ingest --store DIR [--workers N] [--batch-size B] [--every K] PATH...
    python -m bench.child lookup --store DIR [--calls N]
    python -m bench.child export --store DIR --out FILE --how raw-nquads|raw-turtle|vigie-turtle

Each prints one JSON line on stdout (its last line) with what it measured from inside.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from bench.util import dir_size, latency_summary, self_peak_rss_mib, self_rss_mib, time_calls


def _cpu() -> float:
    """CPU seconds of this process and its finished children (less sensitive than wall time to other load)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


class _Paced:
    """The extractor, with a checkpoint every ``every`` documents it pulls (spaCy pulls them one batch
    ahead of what it has parsed, so this paces the extraction even when ``extract`` returns its results
    only at the end of the call)."""

    def __init__(self, inner, every: int, t0: float, checkpoints: list[dict]) -> None:
        self.inner, self.every, self.t0, self.checkpoints = inner, every, t0, checkpoints

    def _count(self, documents):
        for i, document in enumerate(documents, 1):
            if i % self.every == 0:
                self.checkpoints.append({"articles": i, "s": time.perf_counter() - self.t0,
                                         "cpu_s": _cpu(), "rss_mib": self_rss_mib()})
            yield document

    def extract(self, documents, **kwargs):
        return self.inner.extract(self._count(documents), **kwargs)


def ingest(args: argparse.Namespace) -> dict:
    t0 = time.perf_counter()
    from extractors.pipeline import Extractor
    from vigie.ingest import ingest_paths
    from vigie.store import Store

    store = Store(args.store)
    store.load_schema()
    extractor = Extractor()
    ready = time.perf_counter()
    extracting: list[dict] = []
    writing: list[dict] = []
    count = [0]

    def progress(_document) -> None:
        # ingest_paths reports an article once it is extracted and queued for the store: the first call
        # marks the end of extraction when ``extract`` yields only at the end of the call.
        count[0] += 1
        if count[0] == 1 or count[0] % args.every == 0:
            writing.append({"articles": count[0], "s": time.perf_counter() - ready, "cpu_s": _cpu(),
                            "rss_mib": self_rss_mib(), "store_bytes": dir_size(Path(args.store))})

    report = ingest_paths(store, args.paths, _Paced(extractor, args.every, ready, extracting),
                          batch_size=args.batch_size, workers=args.workers, progress=progress)
    store.flush()
    done = time.perf_counter()
    quads = len(store)
    del store
    return {"load_s": ready - t0, "ingest_s": done - ready, "total_s": done - t0, "ingested": len(report.ingested),
            "unchanged": len(report.unchanged), "failed": len(report.failed), "quads_written": report.quads,
            "quads": quads, "extract_checkpoints": extracting, "write_checkpoints": writing,
            "hwm_mib": self_peak_rss_mib(), "store_bytes": dir_size(Path(args.store))}


COUNTS = """PREFIX vg: <https://w3id.org/vigie/ontology#>
SELECT (COUNT(DISTINCT ?d) AS ?documents) (COUNT(DISTINCT ?c) AS ?companies) (COUNT(DISTINCT ?p) AS ?policies)
WHERE { { ?d a vg:Document } UNION { ?c a vg:Company } UNION { ?p a vg:Policy } }"""


def lookup(args: argparse.Namespace) -> dict:
    from bench.query import lookup_functions

    fns = lookup_functions(Path(args.store))
    store = fns["store"]
    counts = {k: int(v.value) for k, v in store.select(COUNTS)[0].items()}
    t0 = time.perf_counter()
    out = {"queries": fns["queries"], "rows": fns["raw"](), "quads": len(store), **counts}
    slow = time.perf_counter() - t0 > 5  # one call takes seconds: time a few, not hundreds
    for name in ("raw", "select", "graph"):
        if name in fns:
            out[name] = latency_summary(time_calls(fns[name], n=3 if slow else args.calls, max_seconds=15,
                                                   warmup=0 if slow else 20))
    out["latency"] = out.get("graph") or out["select"]
    return out


def export(args: argparse.Namespace) -> dict:
    import pyoxigraph as ox

    from vigie.export import dump
    from vigie.store import PREFIXES, Store

    t0 = time.perf_counter()
    with open(args.out, "wb") as handle:
        if args.how == "raw-nquads":
            ox.Store.read_only(args.store).dump(handle, format=ox.RdfFormat.N_QUADS)
        elif args.how == "raw-turtle":
            raw = ox.Store.read_only(args.store)
            triples = (ox.Triple(q.subject, q.predicate, q.object)
                       for q in raw.quads_for_pattern(None, None, None, None))
            ox.serialize(triples, handle, format=ox.RdfFormat.TURTLE, prefixes=dict(PREFIXES))
        elif args.how == "vigie-turtle":
            dump(Store(args.store, read_only=True), handle, ox.RdfFormat.TURTLE)
        else:
            raise SystemExit(f"unknown export {args.how}")
    return {"s": time.perf_counter() - t0, "bytes": Path(args.out).stat().st_size, "hwm_mib": self_peak_rss_mib()}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.child")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("ingest")
    p.add_argument("--store", required=True)
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--batch-size", type=int, default=16)
    p.add_argument("--every", type=int, default=500)
    p.add_argument("paths", nargs="+")
    p = sub.add_parser("lookup")
    p.add_argument("--store", required=True)
    p.add_argument("--calls", type=int, default=500)
    p = sub.add_parser("export")
    p.add_argument("--store", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--how", required=True)
    args = parser.parse_args()
    result = {"ingest": ingest, "lookup": lookup, "export": export}[args.command](args)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
