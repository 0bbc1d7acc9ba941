"""Benchmark 3: writing extracted graphs into Oxigraph, Vigie's ``Store`` against raw pyoxigraph.

The quads are those Vigie extracts from the synthetic corpus (cached as N-Quads under ``data/bench``,
keyed by the extractor's source, so repeated runs do not re-run spaCy). Every variant writes the same
quads into a fresh store, on disk (as ``vigie ingest`` does) and in memory:

* **Vigie**: ``Store.replace_graphs`` with one batch of ``--batch-size`` article graphs per call, as
  ``ingest_paths`` does, then ``flush``;
* **raw extend, same batches**: ``pyoxigraph.Store.extend`` with the same batches (one transaction each);
* **raw bulk_extend**: ``pyoxigraph.Store.bulk_extend`` of all quads at once (no transaction: the
  fastest pyoxigraph can load, the ceiling);

The headline ratio is Vigie against raw ``extend`` of the same batches (the same work, the same
atomicity); the ratio to ``bulk_extend`` says what is left on the table.
"""

from __future__ import annotations

import gc
import hashlib
import statistics
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from bench.extraction import corpus_paths
from bench.util import ROOT, WORK, log


def _source_key() -> str:
    digest = hashlib.sha256()
    for folder in ("extractors", "ontology"):
        for path in sorted((ROOT / folder).glob("*")):
            if path.suffix in {".py", ".ttl"}:
                digest.update(path.name.encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def extracted_graphs(articles: int, seed: int, batch_size: int = 16) -> dict[ox.NamedNode, list[ox.Quad]]:
    """The article graphs Vigie extracts from the corpus, by graph name (cached as N-Quads)."""
    cache = WORK / f"quads-{seed}-{articles}-{_source_key()}.nq"
    if not cache.exists():
        from extractors.documents import read_document
        from extractors.pipeline import Extractor
        from extractors.rdf import extraction_to_quads

        log(f"store: extracting {articles} articles once (cached in {cache.name})")
        extractor = Extractor()
        paths = corpus_paths(articles, seed)
        quads: list[ox.Quad] = []
        for extraction in extractor.extract((read_document(p) for p in paths), batch_size=batch_size):
            quads.extend(extraction_to_quads(extraction))
        tmp = cache.with_suffix(".part")
        with tmp.open("wb") as handle:
            ox.serialize(quads, handle, format=ox.RdfFormat.N_QUADS)
        tmp.replace(cache)
    graphs: dict[ox.NamedNode, list[ox.Quad]] = {}
    for quad in ox.parse(path=str(cache), format=ox.RdfFormat.N_QUADS):
        graphs.setdefault(quad.graph_name, []).append(quad)
    return graphs


def _batches(graphs: dict, size: int) -> list[dict]:
    items = list(graphs.items())
    return [dict(items[i:i + size]) for i in range(0, len(items), size)]


def _vigie(path: Path | None, batches: list[dict]) -> float:
    from vigie.store import Store

    store = Store(path)
    t0 = time.perf_counter()
    for batch in batches:
        store.replace_graphs(batch)
    store.flush()
    seconds = time.perf_counter() - t0
    del store
    return seconds


def _raw_extend(path: Path | None, batches: list[dict]) -> float:
    store = ox.Store(str(path)) if path else ox.Store()
    t0 = time.perf_counter()
    for batch in batches:
        store.extend(q for quads in batch.values() for q in quads)
    store.flush()
    seconds = time.perf_counter() - t0
    del store
    return seconds


def _raw_bulk(path: Path | None, batches: list[dict]) -> float:
    store = ox.Store(str(path)) if path else ox.Store()
    t0 = time.perf_counter()
    store.bulk_extend(q for batch in batches for quads in batch.values() for q in quads)
    store.flush()
    seconds = time.perf_counter() - t0
    del store
    return seconds


VARIANTS = {"vigie": _vigie, "raw_extend": _raw_extend, "raw_bulk_extend": _raw_bulk}


def store_load(articles: int, seed: int, batch_size: int, repeat: int) -> dict:
    graphs = extracted_graphs(articles, seed)
    quads = sum(len(q) for q in graphs.values())
    batches = _batches(graphs, batch_size)
    log(f"store: {len(graphs)} graphs, {quads} quads, {len(batches)} batches of {batch_size}")
    out: dict = {"articles": articles, "graphs": len(graphs), "quads": quads, "batch_size": batch_size,
                 "repeat": repeat, "modes": {}}
    for mode in ("disk", "memory"):
        runs: dict[str, list[float]] = {name: [] for name in VARIANTS}
        for _ in range(repeat):
            for name, fn in VARIANTS.items():  # alternate, so load drifts hit every variant alike
                gc.collect()
                with tempfile.TemporaryDirectory(dir=WORK) as tmp:
                    runs[name].append(fn(Path(tmp) / "store" if mode == "disk" else None, batches))
        result = {name: {"best_s": min(v), "median_s": statistics.median(v), "all": v,
                         "quads_per_s": quads / min(v)} for name, v in runs.items()}
        result["ratio_extend"] = runs["raw_extend"] and min(runs["raw_extend"]) / min(runs["vigie"])
        result["ratio_bulk"] = min(runs["raw_bulk_extend"]) / min(runs["vigie"])
        out["modes"][mode] = result
        log(f"store ({mode}): " + ", ".join(f"{n} {r['quads_per_s']:,.0f} q/s" for n, r in result.items()
                                          if isinstance(r, dict)))
    return out
