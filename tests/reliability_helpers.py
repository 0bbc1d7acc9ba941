"""Helpers for the reliability and security tests: the real `vigie` command and a real server, as processes."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


def vigie_command() -> list[str]:
    """The installed `vigie` console script, or the same entry point through this interpreter."""
    script = Path(sys.executable).with_name("vigie")
    if script.exists():
        return [str(script)]
    found = shutil.which("vigie")
    if found:
        return [found]
    return [sys.executable, "-c", "from vigie.cli import app; app()"]


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VIGIE_")}
    env.update(extra)
    return env


def run_vigie(*args: str | Path, timeout: float = 300, env: dict[str, str] | None = None,
              **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*vigie_command(), *map(str, args)], capture_output=True, text=True, timeout=timeout,
        env=env or clean_env(), cwd=ROOT, **kwargs,
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A `vigie serve` process on a loopback port."""

    def __init__(self, process: subprocess.Popen, url: str, log: Path) -> None:
        self.process = process
        self.url = url
        self.log = log

    def client(self, **kwargs) -> httpx.Client:
        kwargs.setdefault("timeout", 30)
        return httpx.Client(base_url=self.url, **kwargs)

    def alive(self) -> bool:
        return self.process.poll() is None

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@contextmanager
def serve(store: Path, *args: str, env: dict[str, str] | None = None, ready_timeout: float = 90) -> Iterator[Server]:
    """Start `vigie serve --store STORE` on a free loopback port; stop it (by its pid) afterwards."""
    port = free_port()
    log = store.parent / f"serve-{port}.log"
    with log.open("w") as handle:
        process = subprocess.Popen(
            [*vigie_command(), "serve", "--store", str(store), "--host", "127.0.0.1", "--port", str(port), *args],
            stdout=handle, stderr=subprocess.STDOUT, env=env or clean_env(), cwd=ROOT,
        )
    server = Server(process, f"http://127.0.0.1:{port}", log)
    try:
        deadline = time.monotonic() + ready_timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"vigie serve exited with {process.returncode}:\n{server.output()}")
            try:
                if httpx.get(f"{server.url}/openapi.json", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"vigie serve did not start in {ready_timeout} s:\n{server.output()}")
            time.sleep(0.25)
        yield server
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=15)


def variant_corpus(folder: Path, copies: int, sources: Sequence[Path] | None = None) -> list[Path]:
    """``copies`` articles made from the seeds, each with a distinct reference line (so distinct hashes)."""
    folder.mkdir(parents=True, exist_ok=True)
    seeds = list(sources or sorted(SEEDS.glob("*.txt")))
    paths = []
    for i in range(copies):
        seed = seeds[i % len(seeds)]
        text = seed.read_text(encoding="utf-8").rstrip("\n")
        path = folder / f"v{i:04d}_{seed.stem}.txt"
        path.write_text(f"{text}\nRéf. {i:04d}.\n", encoding="utf-8")
        paths.append(path)
    return paths


class CrashAfterWrites:
    """A TCP relay in front of a store server that kills the server right after the ``writes``-th
    write (a Graph Store ``PUT`` or a SPARQL Update) has been answered, then stops listening, as a
    crashed host would.

    Waiting for the server to hold N articles and then killing it races with the writer (a window of
    articles is written in a burst); counting the writes as they pass makes the crash land mid-ingest
    on every run.
    """

    def __init__(self, upstream_port: int, writes: int, kill) -> None:
        import http.client
        import http.server
        import threading

        relay = self
        self.writes_seen = 0
        self.crashed = threading.Event()
        lock = threading.Lock()

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def _relay(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if relay.crashed.is_set():
                    self.close_connection = True  # no answer at all: what a client of a dead host sees
                    return
                upstream = http.client.HTTPConnection("127.0.0.1", upstream_port, timeout=60)
                try:
                    headers = {k: v for k, v in self.headers.items() if k.lower() != "connection"}
                    upstream.request(self.command, self.path, body=body, headers=headers)
                    answer = upstream.getresponse()
                    payload = answer.read()
                except OSError:
                    self.close_connection = True
                    return
                finally:
                    upstream.close()
                self.send_response(answer.status)
                for key, value in answer.getheaders():
                    if key.lower() not in ("connection", "transfer-encoding", "content-length"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
                is_write = self.command == "PUT" or (self.command == "POST" and self.path.startswith("/update"))
                if is_write and answer.status < 300:
                    with lock:
                        relay.writes_seen += 1
                        crash = relay.writes_seen == writes
                    if crash:
                        relay.crashed.set()
                        kill()
                        threading.Thread(target=relay._stop_listening, daemon=True).start()

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _relay

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _stop_listening(self) -> None:
        self.server.shutdown()
        self.server.server_close()  # new connections are refused, as by a host whose server is gone

    def __enter__(self) -> CrashAfterWrites:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        if not self.crashed.is_set():
            self.server.shutdown()
        self.server.server_close()
