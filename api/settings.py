"""Settings of the API server, from the environment (``vigie serve`` sets them from its options)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from vigie.store import DEFAULT_STORE


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    """What the server serves and the limits it enforces.

    Environment variables: ``VIGIE_STORE``, ``VIGIE_STORE_READ_ONLY``, ``VIGIE_WRITE_TOKEN`` (or its older
    name ``VIGIE_UPDATE_TOKEN``), ``VIGIE_QUERY_TIMEOUT`` (seconds), ``VIGIE_MAX_ROWS``,
    ``VIGIE_MAX_RUNNING_QUERIES``, ``VIGIE_MAX_QUERY_BYTES``, ``VIGIE_ALLOW_SERVICE``,
    ``VIGIE_CORS_ORIGINS`` (comma-separated; none by default), ``VIGIE_REST_CACHE`` (``0`` turns the
    REST answer cache off), ``VIGIE_REST_CACHE_SECONDS`` (its maximum age), ``VIGIE_SPARQL_WORKERS`` (``0``: run
    ``/sparql`` queries in threads rather than killable worker processes), ``VIGIE_SPARQL_MAX_DEPTH``,
    ``VIGIE_MAX_RESULT_BYTES``, ``VIGIE_WORKER_MEMORY_MB``, ``VIGIE_QUERY_QUEUE_SECONDS``.
    """

    store_path: str = str(DEFAULT_STORE)  # a folder, or a SPARQL server's URL
    read_only: bool = False
    update_token: str | None = None  # the write token (SPARQL Update, /store, curation routes)
    query_timeout: float = 10.0
    max_rows: int = 10_000
    max_running_queries: int = 2
    max_query_bytes: int = 100_000
    allow_service: bool = False
    cors_origins: tuple[str, ...] = field(default_factory=tuple)
    rest_cache: bool = True
    rest_cache_seconds: float = 30.0
    sparql_workers: bool = True  # killable worker processes for /sparql (on-disk embedded stores)
    max_query_depth: int = 64  # nesting of { ( [ in a query or update, refused beyond before any parsing
    max_result_bytes: int = 32 * 1024 * 1024  # a /sparql answer's size, refused (413) beyond
    worker_memory_mb: int = 512  # a query worker's data segment (RLIMIT_DATA)
    query_queue_seconds: float = 2.0  # how long a query waits for a free slot before a 503

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        token = env.get("VIGIE_WRITE_TOKEN") or env.get("VIGIE_UPDATE_TOKEN") or None
        origins = tuple(o.strip() for o in env.get("VIGIE_CORS_ORIGINS", "").split(",") if o.strip())
        return cls(
            store_path=env.get("VIGIE_STORE") or str(DEFAULT_STORE),
            read_only=_bool(env.get("VIGIE_STORE_READ_ONLY")),
            update_token=token,
            query_timeout=float(env.get("VIGIE_QUERY_TIMEOUT") or cls.query_timeout),
            max_rows=int(env.get("VIGIE_MAX_ROWS") or cls.max_rows),
            max_running_queries=int(env.get("VIGIE_MAX_RUNNING_QUERIES") or cls.max_running_queries),
            max_query_bytes=int(env.get("VIGIE_MAX_QUERY_BYTES") or cls.max_query_bytes),
            allow_service=_bool(env.get("VIGIE_ALLOW_SERVICE")),
            cors_origins=origins,
            rest_cache=_bool(env.get("VIGIE_REST_CACHE"), default=True),
            rest_cache_seconds=float(env.get("VIGIE_REST_CACHE_SECONDS") or cls.rest_cache_seconds),
            sparql_workers=_bool(env.get("VIGIE_SPARQL_WORKERS"), default=True),
            max_query_depth=int(env.get("VIGIE_SPARQL_MAX_DEPTH") or cls.max_query_depth),
            max_result_bytes=int(env.get("VIGIE_MAX_RESULT_BYTES") or cls.max_result_bytes),
            worker_memory_mb=int(env.get("VIGIE_WORKER_MEMORY_MB") or cls.worker_memory_mb),
            query_queue_seconds=float(env.get("VIGIE_QUERY_QUEUE_SECONDS") or cls.query_queue_seconds),
        )
