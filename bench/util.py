"""Small helpers shared by the benchmarks: timing, percentiles, child processes, memory, servers."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: Scratch space for corpora, stores and exports (``data/`` is ignored by git).
WORK = ROOT / "data" / "bench"
#: Raw results, one JSON per benchmark (ignored by git; the figures that matter go to BENCHMARKS.md).
RESULTS = ROOT / "bench" / "results"


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0–100) by linear interpolation between closest ranks."""
    if not values:
        return float("nan")
    data = sorted(values)
    if len(data) == 1:
        return data[0]
    pos = (len(data) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(data) - 1)
    return data[lo] + (data[hi] - data[lo]) * (pos - lo)


def latency_summary(seconds: Sequence[float]) -> dict:
    """p50/p99/mean in milliseconds and calls/s (sequential) of a list of per-call durations."""
    return {
        "n": len(seconds),
        "p50_ms": percentile(seconds, 50) * 1000,
        "p99_ms": percentile(seconds, 99) * 1000,
        "mean_ms": statistics.fmean(seconds) * 1000 if seconds else float("nan"),
        "per_s": len(seconds) / sum(seconds) if seconds and sum(seconds) > 0 else float("nan"),
    }


def time_calls(fn: Callable[[], object], *, n: int, max_seconds: float, warmup: int = 20) -> list[float]:
    """Durations of up to ``n`` sequential calls of ``fn`` (stopping after ``max_seconds``)."""
    for _ in range(warmup):
        fn()
    out: list[float] = []
    deadline = time.perf_counter() + max_seconds
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        t1 = time.perf_counter()
        out.append(t1 - t0)
        if t1 > deadline:
            break
    return out


def dir_size(path: Path) -> int:
    """Bytes used by the files under ``path`` (apparent sizes)."""
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            with contextlib.suppress(OSError):
                total += (Path(root) / name).stat().st_size
    return total


def fresh_dir(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


# ------------------------------------------------------------------------------------------ memory


def _status_kib(pid: int | str, key: str) -> int:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def self_peak_rss_mib() -> float:
    """This process's peak resident set size (VmHWM), in MiB."""
    return _status_kib("self", "VmHWM") / 1024


def self_rss_mib() -> float:
    return _status_kib("self", "VmRSS") / 1024


def _pss_kib(pid: int) -> int:
    """Proportional set size: resident memory with pages shared between processes (a forked worker's
    copy-on-write model) counted once across them, not once per process as RSS does."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return _status_kib(pid, "VmRSS")


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        todo.extend(children.get(current, []))
    return out


@dataclass
class ChildRun:
    """A finished child process: what it printed (JSON on its last stdout line), time and memory."""

    returncode: int
    seconds: float
    max_rss_mib: float  # ru_maxrss from wait4: the largest single process of the child's tree
    tree_peak_mib: float  # peak of the summed PSS of the child and its descendants (sampled every 100 ms)
    result: dict = field(default_factory=dict)
    stderr: str = ""


def run_child(args: Sequence[str], *, env: dict | None = None, timeout: float | None = None,
              sample_every: float = 0.1, cmd: Sequence[str] | None = None) -> ChildRun:
    """Run ``python -m bench.child ARGS`` (or ``cmd``) in a fresh process and measure it from outside."""
    cmd = list(cmd) if cmd is not None else [sys.executable, "-m", "bench.child", *args]
    full_env = {**os.environ, **(env or {})}
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=full_env,
                            text=True)
    peak = [0.0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            total = sum(_pss_kib(p) for p in _descendants(proc.pid)) / 1024
            peak[0] = max(peak[0], total)
            stop.wait(sample_every)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out_chunks: list[str] = []
    err_chunks: list[str] = []
    readers = [
        threading.Thread(target=lambda: out_chunks.append(proc.stdout.read()), daemon=True),
        threading.Thread(target=lambda: err_chunks.append(proc.stderr.read()), daemon=True),
    ]
    for reader in readers:
        reader.start()
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if deadline is not None and time.monotonic() > deadline:
            proc.kill()
            pid, status, usage = os.wait4(proc.pid, 0)
            break
        time.sleep(0.05)
    seconds = time.perf_counter() - t0
    stop.set()
    sampler.join()
    for reader in readers:
        reader.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    stdout = "".join(out_chunks)
    result: dict = {}
    for line in reversed(stdout.strip().splitlines()):
        try:
            result = json.loads(line)
            break
        except ValueError:
            continue
    return ChildRun(proc.returncode, seconds, usage.ru_maxrss / 1024, peak[0], result, "".join(err_chunks))


# ----------------------------------------------------------------------------------------- servers


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A uvicorn server in a child process, on loopback, started from an app factory."""

    def __init__(self, factory: str, *, env: dict | None = None, workers: int = 1, access_log: bool = False,
                 ready_path: str = "/", cwd: Path | None = None) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        cmd = [sys.executable, "-m", "uvicorn", factory, "--factory", "--host", "127.0.0.1",
               "--port", str(self.port), "--log-level", "warning"]
        if not access_log:
            cmd.append("--no-access-log")
        if workers > 1:
            cmd += ["--workers", str(workers)]
        self.cmd = cmd
        self.proc = subprocess.Popen(cmd, cwd=cwd or ROOT, env={**os.environ, **(env or {})},
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self._wait_ready(ready_path)

    def _wait_ready(self, path: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server {self.cmd} exited: {self.proc.stderr.read()[-2000:]}")
            try:
                with urllib.request.urlopen(self.base + path, timeout=2) as response:
                    response.read()
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"server {self.cmd} not ready after {timeout}s")

    def get(self, path: str, headers: dict | None = None) -> tuple[int, bytes]:
        request = urllib.request.Request(self.base + path, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
