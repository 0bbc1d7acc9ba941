"""Which store a ``--store`` value names: a SPARQL server's URL or a folder.

Kept apart from :mod:`vigie.store` (the interface and the embedded store) because it knows every
implementation, including :class:`~vigie.remote_store.RemoteStore`, which is built on that interface.

>>> open_store(None)            # doctest: +ELLIPSIS
<vigie.store.Store object at ...>
>>> is_store_url("http://127.0.0.1:7878"), is_store_url("data/store")
(True, False)
"""

from __future__ import annotations

from pathlib import Path

from vigie.remote_store import RemoteStore
from vigie.store import GraphStore, Store

#: ``--store`` values starting with one of these are SPARQL servers, not folders.
URL_SCHEMES = ("http://", "https://")


def is_store_url(spec: str | Path | None) -> bool:
    """Whether a ``--store`` value names a SPARQL server (``http(s)://…``) rather than a folder."""
    return isinstance(spec, str) and spec.strip().lower().startswith(URL_SCHEMES)


def open_store(spec: str | Path | None, read_only: bool = False, **options) -> GraphStore:
    """The store a ``--store`` value names: a URL opens a :class:`~vigie.remote_store.RemoteStore`
    (``options`` go to it), a path an embedded :class:`~vigie.store.Store` (``None``: in memory)."""
    if is_store_url(spec):
        return RemoteStore(str(spec).strip(), read_only=read_only, **options)
    return Store(spec, read_only=read_only)
