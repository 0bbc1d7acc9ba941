"""A small cache for the REST layer's answers, emptied whenever the store is written.

The REST routes read the same few shapes over and over, and Oxigraph spends milliseconds on each
(union default graph, DISTINCT). Answers are kept per (method, arguments) until the store changes:
:func:`watch_writes` wraps the store's write methods (``replace_graphs``, ``remove_graph``, ``update``,
``load_schema``) so that any write made in this process, by the API or by code holding the same store
object (an ingest, a curation), empties the cache. Writes this process cannot see (another process on a
SPARQL server) are bounded by ``max_age``; for a remote store the cache is off unless asked for.
"""

from __future__ import annotations

import functools
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

WRITE_METHODS = ("replace_graphs", "remove_graph", "update", "load_schema")


class AnswerCache:
    """A bounded LRU of answers tagged with the store's generation."""

    def __init__(self, max_entries: int = 2048, max_age: float = 30.0, enabled: bool = True) -> None:
        self.max_entries = max_entries
        self.max_age = max_age
        self.enabled = enabled
        self.generation = 0
        self._entries: OrderedDict[tuple, tuple[int, float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def invalidate(self) -> None:
        """Forget every answer (called after each write to the store)."""
        with self._lock:
            self.generation += 1
            self._entries.clear()

    def get_or_compute(self, key: tuple, compute: Callable[[], Any]) -> Any:
        if not self.enabled:
            return compute()
        now = time.monotonic()
        with self._lock:
            generation = self.generation
            entry = self._entries.get(key)
            if entry is not None and entry[0] == generation and now - entry[1] <= self.max_age:
                self._entries.move_to_end(key)
                return entry[2]
        value = compute()
        with self._lock:
            if self.generation == generation:  # not written meanwhile
                self._entries[key] = (generation, now, value)
                self._entries.move_to_end(key)
                while len(self._entries) > self.max_entries:
                    self._entries.popitem(last=False)
        return value


def cached(method: Callable) -> Callable:
    """Cache a ``Graph`` method's answer in ``self.cache`` (arguments must be hashable)."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        key = (method.__name__, args, tuple(sorted(kwargs.items())))
        return self.cache.get_or_compute(key, lambda: method(self, *args, **kwargs))

    return wrapper


def watch_writes(store: Any, on_write: Callable[[], None]) -> None:
    """Call ``on_write`` after every call of the store's write methods (on this very object)."""
    for name in WRITE_METHODS:
        original = getattr(store, name, None)
        if original is None:
            continue

        def wrapper(*args, _original=original, **kwargs):
            try:
                return _original(*args, **kwargs)
            finally:
                on_write()

        functools.update_wrapper(wrapper, original)
        setattr(store, name, wrapper)
