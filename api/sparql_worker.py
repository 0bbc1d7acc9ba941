"""SPARQL queries in worker processes, so that a runaway query can be stopped: the process is killed.

pyoxigraph cannot cancel a query. In a thread, a query stuck in one step (a big ``ORDER BY``, an aggregate
over a cartesian product) would keep a core busy until it ends, possibly for hours. For an embedded
on-disk store, ``/sparql`` queries therefore run in worker processes that open the same store read-only
(RocksDB allows it beside the server's own opening): past the time limit the worker is killed, its CPU
freed at once, and a new worker is started for the next query.

A worker reopens the store when the server's store generation changed (the server wrote to it) or when
its opening is older than ``REOPEN_SECONDS``, so it sees what the server sees.

A worker's memory is bounded (``RLIMIT_DATA``, ``VIGIE_WORKER_MEMORY_MB``, 512 MiB by default): a query
that grows a value without end (``BIND(CONCAT(?a, ?a) AS ?b)`` chained) makes the worker fail, not the
server. The same workers run the exact ``SERVICE`` check of :mod:`api.sparql_guard` (``{"op": "guard"}``),
which hands user text to Oxigraph; a pool made without a store (``WorkerPool(None)``) serves only that.

Protocol (stdin/stdout of ``python -m api.sparql_worker STORE|-``): one JSON line per request; the answer is
one JSON header line followed by ``length`` bytes of body.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import resource
import select
import subprocess
import sys
import threading
import time
from pathlib import Path

import pyoxigraph as ox

#: A worker's store opening is refreshed when older than this (seconds), besides after each server write.
REOPEN_SECONDS = 5.0
#: Times a query is run again on a fresh opening when the server's writes removed files under it.
STALE_RETRIES = 4
_STALE = re.compile(r"No such file|Corruption", re.IGNORECASE)
#: How long a new worker may take to start and answer its first request (added to the query time limit).
START_SECONDS = 20.0
#: A worker's data segment (heap and private mappings), unless ``VIGIE_WORKER_MEMORY_MB`` says otherwise.
MEMORY_BYTES = 512 * 1024 * 1024
#: Written instead of a store path for a worker without a store (it only runs guard requests).
NO_STORE = "-"
#: Requests and answer bodies up to this size are written and read on the event loop (:meth:`Worker.ask_async`):
#: a request this small fits the pipe's buffer, so writing it never blocks. Larger ones go through a thread.
ON_LOOP_BYTES = 16 * 1024


class WorkerError(Exception):
    """The worker died or answered nonsense."""


def _settle(future: asyncio.Future[None], error: BaseException | None) -> None:
    """Complete ``future`` (with ``error`` if given) unless it is done already."""
    if future.done():
        return
    if error is None:
        future.set_result(None)
    else:
        future.set_exception(error)


class Worker:
    """One worker process (parent side)."""

    def __init__(self, store_path: str | None, memory_bytes: int = MEMORY_BYTES) -> None:
        root = str(Path(__file__).resolve().parents[1])
        env = dict(os.environ)
        env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "api.sparql_worker", store_path or NO_STORE, str(memory_bytes)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, cwd=root,
        )
        self.started = False

    def _wait_ready(self) -> None:
        """Wait for the worker's first line (it has imported everything); its start is not query time."""
        assert self.process.stdout is not None
        try:
            ready, _, _ = select.select([self.process.stdout], [], [], START_SECONDS)
            line = self.process.stdout.readline() if ready else b""
        except (OSError, ValueError):  # killed and its pipe closed meanwhile (the pool was closed)
            line = b""
        if not line.startswith(b'{"ready"'):
            self.kill()
            raise WorkerError("the query worker did not start")
        self.started = True

    def ask(self, request: dict, timeout: float) -> tuple[dict, bytes]:
        """Send a request; the answer's header and body, or ``TimeoutError`` (the worker is then killed)."""
        assert self.process.stdin is not None and self.process.stdout is not None
        if not self.started:
            self._wait_ready()
        try:
            self.process.stdin.write(json.dumps(request).encode() + b"\n")
            self.process.stdin.flush()
        except OSError as exc:
            self.kill()
            raise WorkerError(f"worker gone: {exc}") from None
        ready, _, _ = select.select([self.process.stdout], [], [], max(timeout, 0))
        if not ready:
            self.kill()
            raise TimeoutError
        line = self.process.stdout.readline()
        if not line:
            self.kill()
            raise WorkerError(f"worker exited with {self.process.returncode}")
        header = json.loads(line)
        body = self.process.stdout.read(header.get("length", 0)) if header.get("length") else b""
        return header, body

    async def ask_async(self, request: dict, timeout: float) -> tuple[dict, bytes]:
        """:meth:`ask` without a thread: the request is written and the answer awaited on the event loop.

        A worker not started yet, a large request or a large answer body go through :meth:`ask` or a
        thread, so the loop never blocks on the pipe."""
        payload = json.dumps(request).encode() + b"\n"
        if not self.started or len(payload) > ON_LOOP_BYTES:
            return await asyncio.to_thread(self.ask, request, timeout)
        assert self.process.stdin is not None and self.process.stdout is not None
        try:
            self.process.stdin.write(payload)
            self.process.stdin.flush()
        except OSError as exc:
            self.kill()
            raise WorkerError(f"worker gone: {exc}") from None
        await self._readable(timeout)
        line = self.process.stdout.readline()  # the header line comes first, in the answer's one write
        if not line:
            self.kill()
            raise WorkerError(f"worker exited with {self.process.returncode}")
        header = json.loads(line)
        length = header.get("length", 0)
        if length > ON_LOOP_BYTES:
            return header, await asyncio.to_thread(self.process.stdout.read, length)
        return header, self.process.stdout.read(length) if length else b""

    async def _readable(self, timeout: float) -> None:
        """Wait until the worker's answer starts; past ``timeout`` the worker is killed (``TimeoutError``)."""
        assert self.process.stdout is not None
        loop = asyncio.get_running_loop()
        ready: asyncio.Future[None] = loop.create_future()
        fd = self.process.stdout.fileno()
        loop.add_reader(fd, _settle, ready, None)
        timer = loop.call_later(max(timeout, 0), _settle, ready, TimeoutError())
        try:
            await ready
        except BaseException:  # late, or the request was cancelled (its answer would be left in the pipe)
            loop.remove_reader(fd)
            self.process.kill()  # its CPU is free at once; reaping it (kill()) is left to a thread
            raise
        finally:
            timer.cancel()
        loop.remove_reader(fd)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()

    @property
    def alive(self) -> bool:
        return self.process.poll() is None


class WorkerPool:
    """Idle workers kept for reuse; at most as many exist as the engine has slots."""

    def __init__(self, store_path: str | None, memory_bytes: int = MEMORY_BYTES) -> None:
        self.store_path = store_path
        self.memory_bytes = memory_bytes
        self._idle: list[Worker] = []
        self._all: set[Worker] = set()
        self._lock = threading.Lock()
        self._closed = False

    def acquire(self) -> Worker:
        """An idle worker, or a new one (not started yet); ``WorkerError`` once the pool is closed."""
        with self._lock:
            if self._closed:
                raise WorkerError("the query workers are shut down")
            while self._idle:
                worker = self._idle.pop()
                if worker.alive:
                    return worker
                self._all.discard(worker)
            worker = Worker(self.store_path, self.memory_bytes)
            self._all.add(worker)
            return worker

    def acquire_idle(self) -> Worker | None:
        """An idle, started worker, or ``None`` (starting one is left to :meth:`acquire`, in a thread)."""
        with self._lock:
            while self._idle:
                worker = self._idle.pop()
                if worker.alive and worker.started:
                    return worker
                if worker.alive:
                    self._idle.append(worker)
                    return None
                self._all.discard(worker)
            return None

    def prestart(self, count: int = 1) -> None:
        """Have ``count`` workers started and idle (new ones started side by side, waited for until ready),
        so that queries do not pay for a start. Returns quietly if the pool is closed meanwhile."""
        try:
            workers = [self.acquire() for _ in range(count)]  # idle workers first, then new ones
        except WorkerError:
            return
        for worker in workers:
            if not worker.started:
                try:
                    worker._wait_ready()
                except WorkerError:
                    self.discard(worker)
                    continue
            self.release(worker)

    def release(self, worker: Worker) -> None:
        """Return a worker for reuse; one that died, or comes back after :meth:`close`, is let go."""
        with self._lock:
            keep = worker.alive and not self._closed
            if keep:
                self._idle.append(worker)
            else:
                self._all.discard(worker)
        if not keep:
            worker.kill()

    def discard(self, worker: Worker) -> None:
        worker.kill()
        with self._lock:
            self._all.discard(worker)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers, self._all, self._idle = list(self._all), set(), []
        for worker in workers:
            worker.kill()


# ---------------------------------------------------------------- worker side


def _watch_parent() -> None:
    parent = os.getppid()
    while True:
        time.sleep(1)
        if os.getppid() != parent:
            os._exit(1)


def main(store_path: str, memory_bytes: int) -> None:
    # Bounded before anything is read: a query that outgrows it fails this process, never the server.
    resource.setrlimit(resource.RLIMIT_DATA, (memory_bytes, memory_bytes))
    threading.Thread(target=_watch_parent, daemon=True).start()
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    queries = _Queries(None if store_path == NO_STORE else store_path)
    stdout.write(b'{"ready": true}\n')
    stdout.flush()
    for line in stdin:
        request = json.loads(line)
        if request.get("op") == "guard":
            header, body = _guard(request), b""
        else:
            header, body = queries.answer(request)
        header["length"] = len(body)
        stdout.write(json.dumps(header).encode() + b"\n" + body)
        stdout.flush()


def _guard(request: dict) -> dict:
    from api.sparql_guard import calls_other_hosts

    return {"status": 200, "calls_other_hosts": calls_other_hosts(request["text"], update=request["update"])}


class _Queries:
    """The worker's side of query requests: its read-only opening of the store, refreshed as it ages."""

    def __init__(self, store_path: str | None) -> None:
        from api.negotiation import RDF_OFFERS, RESULTS_OFFERS

        self.store_path = store_path
        self.offers = {offer.media_type: offer for offer in (*RESULTS_OFFERS, *RDF_OFFERS)}
        self.store = None
        self.opened_generation, self.opened_at = -1, 0.0

    def answer(self, request: dict) -> tuple[dict, bytes]:
        if self.store_path is None:
            return {"status": 500, "message": "this worker has no store"}, b""
        deadline = time.monotonic() + request["timeout"]
        for attempt in range(STALE_RETRIES + 1):
            header, body = self._run(request, deadline)
            if header["status"] != 500 or not _STALE.search(header["message"]):
                return header, body
            # The server wrote meanwhile and RocksDB dropped files this read-only opening still listed
            # ("No such file", "Corruption"): nothing is wrong with the store; reopen and run again.
            self.store = None
            if time.monotonic() + 0.05 * (attempt + 1) > deadline:
                break
            time.sleep(0.05 * (attempt + 1))
        return {"status": 503, "message": "the store changed during the query (a write is under way); try again",
                "headers": {"Retry-After": "1"}}, b""

    def _run(self, request: dict, deadline: float) -> tuple[dict, bytes]:
        from api.sparql_results import Limits, SparqlError, evaluate
        from vigie.store import Store

        try:
            if self.store is None or request["generation"] != self.opened_generation or \
                    time.monotonic() - self.opened_at > REOPEN_SECONDS:
                self.store = None
                self.store = Store(self.store_path, read_only=True)
                self.opened_generation, self.opened_at = request["generation"], time.monotonic()
            limits = Limits(request["timeout"], request["max_rows"], request["max_result_bytes"],
                            request["allow_service"])
            graphs = {
                key: None if request[key] is None else [ox.NamedNode(iri) for iri in request[key]]
                for key in ("default_graph", "named_graphs")
            }
            answer = evaluate(
                self.store, request["query"], self.offers[request["media_type"]], limits,
                default_graph=graphs["default_graph"], named_graphs=graphs["named_graphs"],
                deadline=deadline, cancel=threading.Event(), in_worker=True,
            )
            return {"status": 200, "rows": answer.rows}, answer.body
        except SparqlError as exc:
            return {"status": exc.status, "message": exc.message, "headers": exc.headers}, b""
        except MemoryError:
            return {"status": 503, "message": "the query needed more memory than the worker's limit"}, b""
        except Exception as exc:
            return {"status": 500, "message": f"query failed: {exc}"}, b""


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else MEMORY_BYTES)
