"""``python -m bench [BENCHMARK ...] [options]``: run benchmarks and update BENCHMARKS.md.

Without a benchmark name, runs all six plus the profiles (what ``make bench`` does). Examples::

    python -m bench extraction --articles 200
    python -m bench workers --articles 400 --counts 1,2
    python -m bench store query
    python -m bench scale export --sizes 1000,10000
    python -m bench corpus --articles 1000 --out data/bench/corpus-1000
    python -m bench all --quick          # a smoke run with tiny sizes (figures not meaningful)
"""

from __future__ import annotations

import argparse
import shlex
import sys
import time

from bench import report, util
from bench.machine import load, machine
from bench.render import RENDERERS

NAMES = ("extraction", "workers", "store", "query", "scale", "export", "profile")


def _ints(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x.strip()]


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("benchmarks", nargs="*", metavar="BENCHMARK",
                   help=f"any of: {', '.join(NAMES)}, all, corpus (default: all)")
    p.add_argument("--articles", type=int, help="articles for extraction/workers/store/query/profile "
                   "(defaults: 200/400/1000/200/100)")
    p.add_argument("--seed", type=int, default=0, help="corpus seed (default 0)")
    p.add_argument("--batch-size", type=int, default=16, help="spaCy batch and articles per transaction")
    p.add_argument("--repeat", type=int, help="runs per variant, best counts (default 3; workers 2)")
    p.add_argument("--counts", type=_ints, default=[1, 2], help="worker counts for `workers` (default 1,2)")
    p.add_argument("--connections", type=_ints, default=[1, 8, 32], help="HTTP connections (default 1,8,32)")
    p.add_argument("--duration", type=float, default=5.0, help="seconds of load per HTTP run (default 5)")
    p.add_argument("--max-requests", type=int, default=50_000, help="cap per run of the Python client")
    p.add_argument("--server-workers", type=int, default=1, help="uvicorn workers for the HTTP runs")
    p.add_argument("--policies-path", help="the company-policies route (default: found in /openapi.json)")
    p.add_argument("--sizes", type=_ints, default=[1000, 10000], help="scale/export sizes (default 1000,10000)")
    p.add_argument("--scale-workers", type=int, default=2, help="--workers of the scale ingest (default 2)")
    p.add_argument("--every", type=int, default=500, help="articles between scale checkpoints")
    p.add_argument("--timeout", type=float, default=4 * 3600, help="limit per scale/export child, seconds")
    p.add_argument("--no-install", action="store_true", help="do not apt-get install wrk when it is missing")
    p.add_argument("--no-write", action="store_true", help="print the results, leave BENCHMARKS.md alone")
    p.add_argument("--quick", action="store_true", help="tiny sizes, for checking the harness itself")
    p.add_argument("--out", help="output folder for `corpus`")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    names = args.benchmarks or ["all"]
    if "corpus" in names:
        from bench.corpus import write_corpus

        if not args.out:
            raise SystemExit("corpus needs --out FOLDER")
        write_corpus(args.out, args.articles or 1000, args.seed, force=True)
        util.log(f"wrote {args.articles or 1000} articles to {args.out}")
        return 0
    if "all" in names:
        names = list(NAMES)
    unknown = [n for n in names if n not in NAMES]
    if unknown:
        raise SystemExit(f"unknown benchmark(s): {', '.join(unknown)}")
    if args.quick:
        args.articles = args.articles or 24
        args.repeat = args.repeat or 1
        args.duration = min(args.duration, 2)
        args.sizes = [s for s in args.sizes if s <= 200] or [60, 120]
        args.counts = args.counts or [1, 2]
    util.WORK.mkdir(parents=True, exist_ok=True)
    command = "python -m bench " + " ".join(shlex.quote(a) for a in (argv if argv is not None else sys.argv[1:]))
    info = machine()
    failures = 0
    for name in NAMES:
        if name not in names:
            continue
        util.log(f"--- {name}")
        start = load()
        t0 = time.perf_counter()
        try:
            raw = run(name, args)
        except Exception as exc:
            import traceback

            traceback.print_exc()
            util.log(f"{name} failed: {exc}")
            failures += 1
            continue
        raw["bench_seconds"] = time.perf_counter() - t0
        body, goals = RENDERERS[name](raw, args)
        section = report.Section(name, command.strip(), info, start, load(), body, goals, raw)
        if args.no_write:
            print(section.render())
        else:
            report.write([section])
            util.log(f"{name}: written to BENCHMARKS.md ({raw['bench_seconds']:.0f}s)")
    return 1 if failures else 0


def run(name: str, args: argparse.Namespace) -> dict:
    repeat = args.repeat
    if name == "extraction":
        from bench.extraction import extraction

        return extraction(args.articles or 200, args.seed, args.batch_size, repeat or 3)
    if name == "workers":
        from bench.extraction import workers

        return workers(args.articles or 400, args.seed, args.batch_size, repeat or 2, args.counts)
    if name == "store":
        from bench.storeload import store_load

        return store_load(args.articles or 1000, args.seed, args.batch_size, repeat or 3)
    if name == "query":
        from bench.query import query

        return query(args.articles or 200, args.seed, connections=args.connections, duration=args.duration,
                     max_requests=args.max_requests, server_workers=args.server_workers,
                     install_wrk=not args.no_install, in_process_calls=2000, policies_path=args.policies_path)
    if name == "scale":
        from bench.loadgen import wrk_path
        from bench.scale import scale

        wrk_path(not args.no_install)
        return scale(args.sizes, args.seed, workers=args.scale_workers, batch_size=args.batch_size,
                     every=args.every, http_seconds=min(args.duration, 5), timeout=args.timeout)
    if name == "export":
        from bench.scale import export

        return export(args.sizes, args.seed, args.timeout)
    if name == "profile":
        from bench.profile import ensure_profilers, extraction_profile, rest_profile
        from bench.query import build_store

        ensure_profilers(not args.no_install)

        out = {"extraction": extraction_profile(args.articles or 100, args.seed, args.batch_size)}
        try:
            out["rest"] = rest_profile(build_store(200 if not args.quick else args.articles, args.seed),
                                       max(args.duration, 2) * 2)
        except Exception as exc:
            out["rest"] = {"error": str(exc)}
        return out
    raise ValueError(name)


if __name__ == "__main__":
    sys.exit(main())
