"""Peak memory and time of ``vigie export`` on a synthetic store of N triples.

    .venv/bin/python -m bench.export_memory --triples 1000000 --store /tmp/vigie-export-bench

builds (once, kept for re-runs) an on-disk store of synthetic articles shaped like ``extractors/rdf.py``
writes them (a document with its text, actors, policies shared across articles, exceptions,
statements, one evidence node per fact), then runs ``vigie export --format F -o FILE`` for each format
in a fresh process and reports its RSS once the store is open, its peak RSS during the export
(``VmHWM`` after resetting it through ``/proc/self/clear_refs``) and the wall time. The same run at
a tenth of the size shows whether memory grows with the graph.

    .venv/bin/python -m bench.export_memory --stores data/bench/read-path/store-5,data/bench/read-path/store-10000

measures instead the CLI as users run it on existing stores (e.g. ``bench.read_path``'s, the five seeds and
copies of them with their consolidated graph): ``vigie export --format F -o FILE`` in a fresh process, its
peak RSS as ``ru_maxrss`` of that child (``os.wait4``), against the floor of a process that only opens the
store with pyoxigraph and reads every named graph (``scan``); then each format's peak at the largest store
÷ at the smallest.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from ontology.namespaces import DCTERMS, PROV, RDF, SKOS, VG, XSD

ID = "https://w3id.org/vigie/id/"
COMPANIES = [f"company-{i:03d}" for i in range(200)]
TYPES = ["Moratorium", "SalesRefusal", "Withdrawal", "Restriction"]
TECHS = ["FacialRecognition", "EmotionRecognition", "VoiceRecognition", "Biometrics", "PredictivePolicing"]
WORDS = [
    "reconnaissance", "faciale", "police", "moratoire", "entreprise", "annonce", "législation", "fédérale",
    "Congrès", "association", "libertés", "civiles", "technologie", "surveillance", "vente", "refus",
]


def article(i: int, rng: random.Random) -> Iterator[ox.Quad]:
    """The quads of synthetic article ``i`` (about 200 triples)."""
    doc = ox.NamedNode(f"{ID}document/{i:07d}_synthetic")
    g = doc

    def q(s, p, o):
        return ox.Quad(s, p, o, g)

    text = " ".join(rng.choice(WORDS) for _ in range(300))
    yield q(doc, RDF.type, VG.Document)
    yield q(doc, DCTERMS.identifier, ox.Literal(f"{i:07d}_synthetic"))
    yield q(doc, DCTERMS["title"], ox.Literal(f"Article {i}"))
    yield q(doc, VG.contentHash, ox.Literal(f"{i:064x}"))
    yield q(doc, VG.text, ox.Literal(text))
    yield q(doc, DCTERMS.date, ox.Literal(f"20{rng.randint(10, 24)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                                          datatype=XSD.date))
    evidence = 0

    def ev(node) -> Iterator[ox.Quad]:
        nonlocal evidence
        e = ox.NamedNode(f"{ID}evidence/{i:07d}_synthetic-{evidence}")
        evidence += 1
        start = rng.randint(0, 1500)
        yield q(e, RDF.type, VG.Evidence)
        yield q(e, VG.supports, node)
        yield q(e, PROV.wasDerivedFrom, doc)
        yield q(e, PROV.wasGeneratedBy, ox.NamedNode(f"{ID}extractor/policies"))
        yield q(e, VG.quote, ox.Literal(" ".join(rng.choice(WORDS) for _ in range(25))))
        yield q(e, VG.start, ox.Literal(start))
        yield q(e, VG.end, ox.Literal(start + 150))
        yield q(e, VG.confidence, ox.Literal("0.90", datatype=XSD.decimal))

    companies = rng.sample(COMPANIES, 4)
    for slug in companies:
        c = ox.NamedNode(f"{ID}company/{slug}")
        yield q(c, RDF.type, VG.Company)
        yield q(c, SKOS.prefLabel, ox.Literal(slug.replace("-", " ").title()))
        yield q(c, SKOS.altLabel, ox.Literal(f"la firme {slug}"))
        yield q(doc, VG.mentions, c)
        yield from ev(c)
    for slug in companies[:3]:
        kind, tech = rng.choice(TYPES), rng.choice(TECHS)
        p = ox.NamedNode(f"{ID}policy/{slug}-{kind.lower()}-{tech.lower()}")
        yield q(p, RDF.type, VG.Policy)
        yield q(p, VG.issuedBy, ox.NamedNode(f"{ID}company/{slug}"))
        yield q(p, VG.policyType, VG[kind])
        yield q(p, VG.technology, VG[tech])
        yield q(p, VG.restrictedUser, VG.LawEnforcement)
        yield q(p, VG.duration, ox.Literal("P1Y", datatype=XSD.duration))
        x = ox.NamedNode(f"{p.value.replace('/policy/', '/exception/')}-research")
        yield q(p, VG.hasException, x)
        yield q(x, RDF.type, VG.Exception)
        yield q(x, VG.purpose, VG.Research)
        yield from ev(p)
        yield from ev(p)
        yield from ev(x)
    a = ox.NamedNode(f"{ID}advocate/advocate-{i % 50}")
    yield q(a, RDF.type, VG.Advocate)
    yield q(a, SKOS.prefLabel, ox.Literal(f"Advocate {i % 50}"))
    s = ox.NamedNode(f"{ID}statement/{i:07d}_synthetic-0")
    yield q(s, RDF.type, VG.Statement)
    yield q(s, VG.speaker, a)
    for slug in companies[:2]:
        yield q(s, VG.target, ox.NamedNode(f"{ID}company/{slug}"))
        yield q(a, VG.target, ox.NamedNode(f"{ID}company/{slug}"))
    yield from ev(s)
    yield q(ox.NamedNode(f"{ID}extractor/policies"), RDF.type, VG.Extractor)


def build(path: Path, triples: int) -> int:
    """Create the store at ``path`` with about ``triples`` quads; returns the quad count."""
    from vigie.store import Store

    store = Store(path)
    store.load_schema()
    rng = random.Random(42)
    batch: list[ox.Quad] = []
    written = len(store)
    i = 0
    while written < triples:
        quads = list(dict.fromkeys(article(i, rng)))
        batch.extend(quads)
        written += len(quads)
        i += 1
        if len(batch) >= 50_000:
            store.oxigraph.bulk_extend(batch)
            batch.clear()
    if batch:
        store.oxigraph.bulk_extend(batch)
    store.flush()
    store.oxigraph.optimize()
    return len(store)


CHILD = """
import resource, sys, time
from pathlib import Path
from vigie import export  # imported before tracing: its module data is not the export's
from vigie.formats import rdf_format
from vigie.store import Store

def status(field):
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1])

store = Store(sys.argv[1], read_only=True)
base = status("VmRSS")
try:  # reset the high-water mark: the peak below is the export's, not the imports'
    with open("/proc/self/clear_refs", "w") as handle:
        handle.write("5")
except OSError:
    pass
trace = len(sys.argv) > 4
if trace:  # Python's own allocations only (slower): shows whether quads are held as Python objects
    import tracemalloc
    tracemalloc.start()
start = time.perf_counter()
with open(sys.argv[3], "wb") as out:
    if sys.argv[2] == "scan":  # the baseline: Oxigraph reading every quad, nothing written or kept
        for _ in store.oxigraph.quads_for_pattern(None, None, None, None):
            pass
    else:
        export.dump(store, out, rdf_format(sys.argv[2]))
elapsed = time.perf_counter() - start
cpu = sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
peak = tracemalloc.get_traced_memory()[1] // 1024 if trace else status("VmHWM")
print(base, peak, elapsed, cpu, Path(sys.argv[3]).stat().st_size)
"""


def measure(store: Path, fmt: str, out: Path, trace: bool = False) -> tuple[int, int, float, float, int]:
    """(RSS once the store is open in KiB, peak RSS in KiB — or, with ``trace``, the tracemalloc peak of
    Python's allocations — wall seconds, CPU seconds, bytes written)."""
    result = subprocess.run([sys.executable, "-c", CHILD, str(store), fmt, str(out), *(["trace"] if trace else [])],
                            check=True, capture_output=True, text=True)
    base, peak, elapsed, cpu, size = result.stdout.split()
    return int(base), int(peak), float(elapsed), float(cpu), int(size)


SCAN = """
import sys, pyoxigraph as ox
store = ox.Store.read_only(sys.argv[1])
for graph in list(store.named_graphs()):
    for _ in store.quads_for_pattern(None, None, None, graph):
        pass
"""


def cli_run(store: Path, fmt: str, out: Path) -> tuple[float, float, int]:
    """(peak RSS in MiB, wall seconds, bytes written) of ``vigie export -f FMT -o OUT`` in a fresh process;
    ``fmt`` ``scan`` is the floor: pyoxigraph alone reading every named graph."""
    vigie = str(Path(sys.executable).with_name("vigie"))
    cmd = ([sys.executable, "-c", SCAN, str(store)] if fmt == "scan"
           else [vigie, "export", "--store", str(store), "-f", fmt, "-o", str(out)])
    started = time.perf_counter()
    child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    if status:
        raise RuntimeError(f"{' '.join(cmd)} failed ({status})")
    size = out.stat().st_size if out.exists() else 0
    out.unlink(missing_ok=True)
    return usage.ru_maxrss / 1024, time.perf_counter() - started, size


def cli_table(stores: list[Path], formats: list[str], scratch: Path) -> None:
    """Prints peak RSS of each format on each store, then largest ÷ smallest store per format."""
    from vigie.store import Store

    scratch.mkdir(parents=True, exist_ok=True)
    peaks: dict[str, list[float]] = {}
    print("| store | articles | format | wall time | peak RSS | output |")
    print("| --- | ---: | --- | ---: | ---: | ---: |")
    for store in stores:
        articles = len(Store(store, read_only=True).document_graphs())
        for fmt in formats:
            peak, wall, size = cli_run(store, fmt, scratch / f"cli-export.{fmt}")
            peaks.setdefault(fmt, []).append(peak)
            print(f"| {store.name} | {articles:,} | {fmt} | {wall:.1f} s | {peak:.1f} MiB | {size / 2**20:.1f} MiB |",
                  flush=True)
    print()
    print("| format | peak RSS, largest ÷ smallest store |")
    print("| --- | ---: |")
    for fmt, values in peaks.items():
        print(f"| {fmt} | {values[-1] / values[0]:.2f}× ({values[0]:.0f} → {values[-1]:.0f} MiB) |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--store", type=Path, default=Path("/tmp/vigie-export-bench"))
    parser.add_argument("--formats", default="scan,turtle,trig,nquads,ntriples,jsonld",
                        help="export formats; 'scan' = Oxigraph reading every quad, the baseline")
    parser.add_argument("--tracemalloc", action="store_true",
                        help="report the peak of Python's own allocations (tracemalloc) instead of RSS")
    parser.add_argument("--stores", help="comma-separated existing stores: measure `vigie export` on each")
    args = parser.parse_args()
    if args.stores:
        cli_table([Path(x) for x in args.stores.split(",")], args.formats.split(","), args.store)
        return
    store = args.store / f"{args.triples}"
    if not store.exists():
        started = time.perf_counter()
        count = build(store, args.triples)
        print(f"built {store}: {count} quads in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    from vigie.store import Store

    count = len(Store(store, read_only=True))
    if args.tracemalloc:
        print("| format | quads in store | Python peak (tracemalloc) |")
        print("| --- | ---: | ---: |")
        for fmt in args.formats.split(","):
            out = args.store / f"export-{args.triples}.{fmt}"
            peak = measure(store, fmt, out, trace=True)[1]
            print(f"| {fmt} | {count:,} | {peak / 1024:.1f} MiB |", flush=True)
            out.unlink()
        return
    print("| format | quads in store | file size | wall time | CPU time | RSS after open | peak RSS | growth |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for fmt in args.formats.split(","):
        out = args.store / f"export-{args.triples}.{fmt}"
        base, peak, elapsed, cpu, size = measure(store, fmt, out)
        print(f"| {fmt} | {count:,} | {size / 1e6:.0f} MB | {elapsed:.0f} s | {cpu:.0f} s | {base / 1024:.0f} MiB "
              f"| {peak / 1024:.0f} MiB | {(peak - base) / 1024:+.0f} MiB |", flush=True)
        out.unlink()


if __name__ == "__main__":
    main()
