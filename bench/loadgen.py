"""Load generators for the HTTP benchmarks: wrk when it is installed, else a bounded Python client.

Both keep ``connections`` HTTP/1.1 keep-alive connections busy for ``duration`` seconds (the Python
client also stops after ``max_requests``) and report requests/s, p50 and p99 latency and the number of
errors (non-2xx answers or socket errors): a run with errors is reported as such, never as a figure.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import subprocess
import time
from urllib.parse import urlsplit

from bench.util import log, percentile


def wrk_path(install: bool) -> str | None:
    """wrk's path; with ``install``, try Debian's package once when it is missing (root only)."""
    found = shutil.which("wrk")
    if found or not install:
        return found
    import os

    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return None
    log("wrk not found: apt-get install -y wrk")
    try:
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], capture_output=True, timeout=300, check=False)
        if not shutil.which("wrk"):
            subprocess.run(["apt-get", "update", "-q"], capture_output=True, timeout=300, check=False)
            subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], capture_output=True, timeout=300,
                           check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return shutil.which("wrk")


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not match:
        return float("nan")
    return float(match.group(1)) * _UNITS[match.group(2)]


def run_wrk(wrk: str, url: str, *, connections: int, duration: float, headers: dict | None = None) -> dict:
    threads = 1 if connections < 4 else 2
    cmd = [wrk, "-t", str(threads), "-c", str(connections), "-d", f"{max(1, round(duration))}s", "--latency",
           "--timeout", "10s"]
    for key, value in (headers or {}).items():
        cmd += ["-H", f"{key}: {value}"]
    cmd.append(url)
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 60).stdout
    result = {"tool": "wrk", "connections": connections, "duration_s": duration}
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    result["rps"] = float(match.group(1)) if match else float("nan")
    match = re.search(r"(\d+) requests in", out)
    result["requests"] = int(match.group(1)) if match else 0
    for q in ("50", "99"):
        match = re.search(rf"^\s+{q}%\s+(\S+)", out, re.M)
        result[f"p{q}_ms"] = _ms(match.group(1)) if match else float("nan")
    errors = 0
    match = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    if match:
        errors += int(match.group(1))
    match = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if match:
        errors += sum(int(x) for x in match.groups())
    result["errors"] = errors
    if not match and result["requests"] == 0:
        result["raw"] = out[-500:]
    return result


async def _client(host: str, port: int, request: bytes, stop_at: float, budget: list[int],
                  latencies: list[float], errors: list[int]) -> None:
    try:
        reader, writer = await asyncio.open_connection(host, port)
    except OSError:
        errors[0] += 1
        return
    try:
        while budget[0] > 0 and time.perf_counter() < stop_at:
            budget[0] -= 1
            t0 = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            lower = head.lower()
            match = re.search(rb"content-length:\s*(\d+)", lower)
            if match:
                await reader.readexactly(int(match.group(1)))
            elif b"transfer-encoding: chunked" in lower:
                while True:
                    size = int((await reader.readline()).strip().split(b";")[0], 16)
                    await reader.readexactly(size + 2)
                    if size == 0:
                        break
            latencies.append(time.perf_counter() - t0)
            if not 200 <= status < 300:
                errors[0] += 1
    except (OSError, asyncio.IncompleteReadError, ValueError):
        errors[0] += 1
    finally:
        writer.close()


def run_python(url: str, *, connections: int, duration: float, max_requests: int,
               headers: dict | None = None) -> dict:
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    lines = [f"GET {target} HTTP/1.1", f"Host: {parts.hostname}:{parts.port}", "Connection: keep-alive"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    request = ("\r\n".join(lines) + "\r\n\r\n").encode()
    latencies: list[float] = []
    errors = [0]
    budget = [max_requests]

    async def main() -> float:
        t0 = time.perf_counter()
        stop_at = t0 + duration
        await asyncio.gather(*(_client(parts.hostname, parts.port, request, stop_at, budget, latencies, errors)
                               for _ in range(connections)))
        return time.perf_counter() - t0

    elapsed = asyncio.run(main())
    return {"tool": "python", "connections": connections, "duration_s": elapsed, "requests": len(latencies),
            "rps": len(latencies) / elapsed if elapsed else float("nan"),
            "p50_ms": percentile(latencies, 50) * 1000, "p99_ms": percentile(latencies, 99) * 1000,
            "errors": errors[0]}


def load(url: str, *, connections: int, duration: float, max_requests: int, wrk: str | None,
         headers: dict | None = None) -> dict:
    if wrk:
        return run_wrk(wrk, url, connections=connections, duration=duration, headers=headers)
    return run_python(url, connections=connections, duration=duration, max_requests=max_requests,
                      headers=headers)
