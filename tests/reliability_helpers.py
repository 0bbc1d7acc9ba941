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
