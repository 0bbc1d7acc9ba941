"""Work the scale and export benchmarks measure from outside, each in a fresh process.

    python -m bench.child ingest --store DIR [--workers N] [--batch-size B] [--every K] PATH...
    python -m bench.child lookup --store DIR [--calls N]
    python -m bench.child export --store DIR --out FILE --how raw-nquads|raw-turtle|vigie-turtle

Each prints one JSON line on stdout (its last line) with what it measured from inside.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from bench.util import dir_size, latency_summary, self_peak_rss_mib, self_rss_mib, time_calls


def ingest(args: argparse.Namespace) -> dict:
    t0 = time.perf_counter()
    from extractors.pipeline import Extractor
    from vigie.ingest import ingest_paths
    from vigie.store import Store

    store = Store(args.store)
    store.load_schema()
    extractor = Extractor()
    ready = time.perf_counter()
    checkpoints: list[dict] = []
    count = [0]

    def progress(_document) -> None:
        count[0] += 1
        if count[0] % args.every == 0:
            checkpoints.append({"articles": count[0], "s": time.perf_counter() - ready, "rss_mib": self_rss_mib(),
                                "hwm_mib": self_peak_rss_mib(), "store_bytes": dir_size(Path(args.store))})
            print(json.dumps({"checkpoint": checkpoints[-1]}), file=sys.stderr, flush=True)

    report = ingest_paths(store, args.paths, extractor, batch_size=args.batch_size, workers=args.workers,
                          progress=progress)
    store.flush()
    done = time.perf_counter()
    quads = len(store)
    del store
    return {"load_s": ready - t0, "ingest_s": done - ready, "total_s": done - t0, "ingested": len(report.ingested),
            "unchanged": len(report.unchanged), "failed": len(report.failed), "quads_written": report.quads,
            "quads": quads, "checkpoints": checkpoints, "hwm_mib": self_peak_rss_mib(),
            "store_bytes": dir_size(Path(args.store))}


COUNTS = """PREFIX vg: <https://w3id.org/vigie/ontology#>
SELECT (COUNT(DISTINCT ?d) AS ?documents) (COUNT(DISTINCT ?c) AS ?companies) (COUNT(DISTINCT ?p) AS ?policies)
WHERE { { ?d a vg:Document } UNION { ?c a vg:Company } UNION { ?p a vg:Policy } }"""


def lookup(args: argparse.Namespace) -> dict:
    from bench.query import COMPANY, policies_query
    from ontology.iris import mint
    from vigie.store import Store

    store = Store(args.store, read_only=True)
    name, text = policies_query()
    company = mint("company", COMPANY)
    bindings = {"company": company} if "?company" in text else None
    rows = len(store.select(text, bindings=bindings))
    counts = {k: int(v.value) for k, v in store.select(COUNTS)[0].items()}
    summary = latency_summary(time_calls(lambda: store.select(text, bindings=bindings), n=args.calls,
                                         max_seconds=20))
    return {"query": name, "rows": rows, "quads": len(store), **counts, "latency": summary}


def export(args: argparse.Namespace) -> dict:
    import pyoxigraph as ox

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
            Store(args.store, read_only=True).dump(handle, ox.RdfFormat.TURTLE)
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
