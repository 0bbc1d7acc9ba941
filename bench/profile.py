"""Profiles of the two hot paths: extraction (pyinstrument, in-process) and the REST lookup (py-spy).

Extraction: ``Extractor.extract`` + ``extraction_to_quads`` over ``--articles`` synthetic articles,
single process, under pyinstrument; the HTML is written to ``bench/results/profile-extraction.html``.

REST: Vigie's app under uvicorn, sampled by py-spy (all threads: the queries run in worker threads,
which pyinstrument cannot see) while wrk (or the Python client) drives ``/company/{id}/policies`` at 8
connections. The raw samples go to ``bench/results/profile-rest.txt``.

Both are summarised as the functions with the most samples, by own time and by inclusive time.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from bench.util import RESULTS, ROOT, free_port, log


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
        key = f"{frame.function} ({_short(frame.file_path or '?')})"
        own[key] += frame.total_self_time
        if key not in stack:
            inclusive[key] += frame.time
        for child in frame.children:
            walk(child, stack | {key})

    root = session.root_frame()
    walk(root, frozenset())
    total = root.time
    return {"articles": articles, "total_s": total,
            "own": [(k, v / total) for k, v in own.most_common(15)],
            "inclusive": [(k, v / total) for k, v in inclusive.most_common(40)]}


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
    port = free_port()
    env = {**os.environ, "VIGIE_STORE": str(store), "VIGIE_STORE_READ_ONLY": "1"}
    cmd = [pyspy, "record", "--format", "raw", "--rate", "500", "-o", str(raw), "--", sys.executable, "-m",
           "uvicorn", "api.app:create_app", "--factory", "--host", "127.0.0.1", "--port", str(port),
           "--log-level", "warning", "--no-access-log"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        probe = Server.__new__(Server)  # reuse the readiness check on an already-started process
        probe.port, probe.base, probe.cmd, probe.proc = port, f"http://127.0.0.1:{port}", cmd, proc
        probe._wait_ready("/openapi.json")
        from bench.query import find_policies_path

        route = find_policies_path(probe)
        if not route:
            return {"error": "no /company/{id}/policies route"}
        result = load(probe.base + route, connections=connections, duration=seconds, max_requests=100_000,
                      wrk=wrk_path(False))
    finally:
        # SIGINT to the server (py-spy's child): uvicorn exits cleanly and py-spy writes its samples.
        for pid in _children(proc.pid):
            os.kill(pid, signal.SIGINT)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    time.sleep(0.2)
    if not raw.exists():
        return {"error": f"py-spy wrote nothing: {proc.stderr.read()[-500:]}"}
    total, own, inclusive = _collapse(raw)
    return {"route": route, "load": result, "samples": total,
            "own": [(k, v / total) for k, v in own.most_common(15)],
            "inclusive": [(k, v / total) for k, v in inclusive.most_common(40)]}


def _children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    if int(handle.read().rsplit(")", 1)[1].split()[1]) == pid:
                        out.append(int(entry))
            except (OSError, ValueError, IndexError):
                continue
    return out
