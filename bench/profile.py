"""Profiles of the two hot paths: extraction (pyinstrument, in-process) and the REST lookup (py-spy).

Extraction: ``Extractor.extract`` + ``extraction_to_quads`` over ``--articles`` synthetic articles,
single process, under pyinstrument; the HTML is written to ``bench/results/profile-extraction.html``.

REST: Vigie's app under uvicorn, sampled by py-spy (all threads: the queries run in worker threads,
which pyinstrument cannot see) while wrk (or the Python client) drives ``/company/{id}/policies`` at 8
connections. The raw samples go to ``bench/results/profile-rest.txt``.

Both are summarised as the functions with the most samples, by own time and by inclusive time.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from bench.util import RESULTS, ROOT, log


def _short(path: str) -> str:
    path = path.replace(str(ROOT) + "/", "")
    match = re.search(r"site-packages/(.*)", path)
    return match.group(1) if match else path


BENCH_EXTRA = ("pyinstrument==5.1.3", "py-spy==0.4.3")  # as pyproject.toml's `bench` extra


def ensure_profilers(install: bool) -> None:
    """Install the `bench` extra into this interpreter's environment when it is missing (make bench)."""
    try:
        import pyinstrument  # noqa: F401
    except ImportError:
        if not install:
            raise
        log("installing the profilers of the `bench` extra: " + " ".join(BENCH_EXTRA))
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", *BENCH_EXTRA], check=True, timeout=600)


def extraction_profile(articles: int, seed: int, batch_size: int) -> dict:
    from pyinstrument import Profiler

    from bench.extraction import corpus_paths, load_extractor
    from extractors.documents import read_document
    from extractors.rdf import extraction_to_quads

    paths = corpus_paths(articles, seed)
    extractor, _ = load_extractor()
    documents = [read_document(p) for p in paths]
    list(extractor.extract(iter(documents[:8]), batch_size=batch_size))
    profiler = Profiler(interval=0.001)
    profiler.start()
    for extraction in extractor.extract(iter(documents), batch_size=batch_size):
        extraction_to_quads(extraction)
    profiler.stop()
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "profile-extraction.html").write_text(profiler.output_html())
    session = profiler.last_session
    own: Counter = Counter()
    inclusive: Counter = Counter()

    def walk(frame, stack: frozenset) -> None:
        if frame.is_synthetic or not frame.file_path or frame.file_path.startswith("<"):
            for child in frame.children:  # [self], [root], the thread's frame: not functions
                walk(child, stack)
            return
        key = f"{frame.function} ({_short(frame.file_path)})"
        own[key] += frame.total_self_time
        if key not in stack:
            inclusive[key] += frame.time
        for child in frame.children:
            walk(child, stack | {key})

    root = session.root_frame()
    walk(root, frozenset())
    total = sum(own.values()) or 1.0
    areas: Counter = Counter()
    for key, seconds in own.items():
        areas[_area(key)] += seconds
    return {"articles": articles, "total_s": root.time,
            "own": [(k, v / total) for k, v in own.most_common(15)],
            "areas": [(k, v / total) for k, v in areas.most_common()],
            "vigie_own": [(k, v / total) for k, v in own.most_common() if _area(k) == "Vigie code"][:12],
            "inclusive": [(k, v / total) for k, v in inclusive.most_common(40)]}


def _area(key: str) -> str:
    """Who owns a function, from its file: Vigie, spaCy and its numeric stack, or the rest."""
    where = key.rsplit("(", 1)[-1]
    if where.startswith(("extractors/", "vigie/", "ontology/", "api/", "queries/", "bench/")):
        return "Vigie code"
    if where.startswith(("spacy", "thinc", "numpy", "cymem", "preshed", "srsly", "blis")):
        return "spaCy, thinc, numpy"
    return "other (Python, standard library)"


#: Leaf frames of idle threads (worker pools waiting for work, the event loop waiting for sockets).
_IDLE = {"Condition.wait", "EpollSelector.select", "Queue.get", "Event.wait", "Thread.join"}


def _collapse(raw: Path) -> tuple[int, Counter, Counter]:
    own: Counter = Counter()
    inclusive: Counter = Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = []
        for frame in stack.split(";"):
            match = re.match(r"(.*) \((.*?)(?::\d+)?\)$", frame)
            frames.append(f"{match.group(1)} ({_short(match.group(2))})" if match else frame)
        if frames and frames[0].startswith("process "):
            frames = frames[1:]
        if frames and frames[0].startswith("thread "):
            frames = frames[1:]
        if frames and frames[-1].split(" (")[0] in _IDLE:
            continue  # a thread waiting for work or for the network: not time spent on a request
        if frames:
            own[frames[-1]] += n
        for key in set(frames):
            inclusive[key] += n
    return total, own, inclusive


def rest_profile(store: Path, seconds: float, connections: int = 8) -> dict:
    from bench.loadgen import load, wrk_path
    from bench.util import Server

    pyspy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(pyspy).exists():
        return {"error": "py-spy is not installed (pip install '.[bench]')"}
    RESULTS.mkdir(parents=True, exist_ok=True)
    raw = RESULTS / "profile-rest.txt"
    raw.unlink(missing_ok=True)
    # The answer cache off: profile the work a request does, not a dictionary lookup. py-spy attaches once the
    # server is up, so start-up (imports) stays out of the profile.
    env = {"VIGIE_STORE": str(store), "VIGIE_STORE_READ_ONLY": "1", "VIGIE_REST_CACHE": "0"}
    from bench.query import find_policies_path

    with Server("api.app:create_app", env=env, ready_path="/openapi.json") as server:
        route = find_policies_path(server)
        if not route:
            return {"error": "no /company/{id}/policies route"}
        load(server.base + route, connections=connections, duration=1, max_requests=200, wrk=wrk_path(False))
        spy = subprocess.Popen([pyspy, "record", "--pid", str(server.proc.pid), "--format", "raw", "--rate", "250",
                                "--duration", str(int(seconds) + 2), "-o", str(raw)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        time.sleep(1)
        result = load(server.base + route, connections=connections, duration=seconds, max_requests=100_000,
                      wrk=wrk_path(False))
        try:
            spy.wait(seconds + 30)
        except subprocess.TimeoutExpired:
            spy.kill()
            spy.wait()
    if not raw.exists():
        return {"error": f"py-spy wrote nothing: {spy.stderr.read()[-500:]}"}
    total, own, inclusive = _collapse(raw)
    return {"route": route, "load": result, "samples": total,
            "own": [(k, v / total) for k, v in own.most_common(15)],
            "inclusive": [(k, v / total) for k, v in inclusive.most_common(40)]}
