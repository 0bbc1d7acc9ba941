"""Benchmarks 5 and 6: the synthetic corpus ingested end to end at growing sizes, then exported.

**Scale.** For each size (and for the five seed articles, the reference for lookups) a fresh process
runs what ``vigie ingest`` runs (``Store`` + ``load_schema`` + ``Extractor`` + ``ingest_paths``) into a
fresh on-disk store. Measured from outside: wall time, peak RSS of the largest process (``ru_maxrss``
from ``wait4``) and the peak of the summed PSS of the process tree (sampled every 100 ms: with
``--workers`` > 1 the spaCy workers count too); from inside: a checkpoint every ``--every`` articles
(elapsed time, RSS, store size on disk), which shows whether time per article stays flat as the store
grows. Then, in another fresh process, the company-policies lookup (``Store.select`` of the API's query)
p50/p99, and over HTTP at one connection when the API is there.

**Export.** Each scale store is exported to Turtle in a fresh process: ``vigie export -f turtle``
(the CLI users run), against pyoxigraph's own ``Store.dump`` to N-Quads (native streaming, the floor)
and ``pyoxigraph.serialize`` of the union's triples to Turtle (the raw equivalent of Vigie's export).
"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

from bench import corpus as corpus_mod
from bench.util import ROOT, WORK, Server, log, run_child


def store_dir(seed: int, size: int) -> Path:
    return WORK / f"scale-store-{seed}-{size}"


def _corpus(size: int, seed: int) -> Path:
    if size == 5:
        return ROOT / "seeds"
    return corpus_mod.write_corpus(WORK / f"corpus-{seed}-{size}", size, seed)


def http_lookup(path: Path, duration: float) -> dict | None:
    """p50/p99 of ``GET /company/amazon/policies`` at one connection, REST cache off then on (default)."""
    from bench.loadgen import load, wrk_path
    from bench.query import find_policies_path

    out: dict = {}
    for label, cache in (("cold", "0"), ("cached", "1")):
        env = {"VIGIE_STORE": str(path), "VIGIE_STORE_READ_ONLY": "1", "VIGIE_REST_CACHE": cache}
        try:
            with Server("api.app:create_app", env=env, ready_path="/openapi.json") as server:
                route = find_policies_path(server)
                if not route:
                    return None
                wrk = wrk_path(False)
                load(server.base + route, connections=1, duration=1, max_requests=200, wrk=wrk)
                result = load(server.base + route, connections=1, duration=duration, max_requests=20_000, wrk=wrk)
                result["route"] = route
                out[label] = result
        except (RuntimeError, OSError) as exc:
            log(f"scale: no HTTP lookup ({exc})")
            return None
    return out


def scale(sizes: list[int], seed: int, *, workers: int, batch_size: int, every: int, http_seconds: float,
          timeout: float) -> dict:
    out: dict = {"sizes": {}, "workers": workers, "batch_size": batch_size, "seed": seed}
    for size in [5, *sorted(set(sizes) - {5})]:
        corpus = _corpus(size, seed)
        words = corpus_mod.corpus_words(corpus) if size != 5 else None
        target = store_dir(seed, size)
        if target.exists():
            shutil.rmtree(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        log(f"scale: ingesting {size} articles into {target.name} (workers={workers})")
        t0 = time.perf_counter()
        run = run_child(["ingest", "--store", str(target), "--workers", str(workers), "--batch-size",
                         str(batch_size), "--every", str(max(1, min(every, size // 10 or 1))), str(corpus)],
                        timeout=timeout)
        if run.returncode != 0:
            raise RuntimeError(f"ingest of {size} articles failed ({run.returncode}): {run.stderr[-2000:]}")
        log(f"scale: {size} articles in {time.perf_counter() - t0:.0f}s, peak tree RSS {run.tree_peak_mib:.0f} MiB")
        look = run_child(["lookup", "--store", str(target)], timeout=900)
        if look.returncode != 0 or "latency" not in look.result:
            log(f"scale: lookup at {size} failed or timed out after {look.seconds:.0f}s: {look.stderr[-500:]}")
            nan = {"p50_ms": float("nan"), "p99_ms": float("nan")}
            look.result = {"error": f"no answer within {look.seconds:.0f} s", "raw": nan, "latency": nan}
        entry = {"articles": size, "words": words, "wall_s": run.seconds, "max_rss_mib": run.max_rss_mib,
                 "tree_peak_mib": run.tree_peak_mib, **run.result, "lookup": look.result,
                 "http_lookup": http_lookup(target, http_seconds)}
        out["sizes"][size] = entry
    return out


EXPORTS = ("vigie-cli-turtle", "raw-turtle", "raw-nquads")


def export(sizes: list[int], seed: int, timeout: float) -> dict:
    out: dict = {"sizes": {}}
    for size in sorted(set(sizes) | {5}):
        source = store_dir(seed, size)
        if not source.exists():
            log(f"export: no store for {size} articles (run `python -m bench scale --sizes {size}` first)")
            continue
        entry = {}
        for how in EXPORTS:
            target = WORK / f"export-{size}-{how}.out"
            if how == "vigie-cli-turtle":
                cmd = [str(Path(sys.executable).with_name("vigie")), "export", "--store", str(source), "-f",
                       "turtle", "-o", str(target)]
                run = run_child([], cmd=cmd, timeout=timeout)
                result = {"bytes": target.stat().st_size if target.exists() else 0}
            else:
                run = run_child(["export", "--store", str(source), "--out", str(target), "--how", how],
                                timeout=timeout)
                result = run.result
            if run.returncode != 0:
                raise RuntimeError(f"export {how} of {size} failed: {run.stderr[-2000:]}")
            entry[how] = {"wall_s": run.seconds, "max_rss_mib": run.max_rss_mib, "tree_peak_mib": run.tree_peak_mib,
                          **result}
            target.unlink(missing_ok=True)
            log(f"export {size} {how}: {run.seconds:.1f}s, {run.max_rss_mib:.0f} MiB")
        out["sizes"][size] = entry
    return out
