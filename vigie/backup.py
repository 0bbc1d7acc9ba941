"""Backup and restore of the embedded store, without re-extracting any article.

``backup`` writes an Oxigraph backup (a consistent RocksDB checkpoint: a folder that opens as a store).
``restore`` takes such a folder, or an N-Quads / TriG dump (``vigie export -f nquads``), and builds a
new store from it beside the target, checks it opens and holds what the source holds, and only then
puts it in place of the old one. A restore that fails half-way leaves the old store untouched.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ontology.namespaces import VG, XSD
from vigie.consolidation import FACTS
from vigie.store import Store, StoreError

#: Dump formats ``restore`` reads, by file suffix (formats that keep each article's named graph).
DUMP_FORMATS: dict[str, ox.RdfFormat] = {
    ".nq": ox.RdfFormat.N_QUADS,
    ".nquads": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
}


@dataclass
class RestoreReport:
    quads: int
    documents: int
    source_kind: str  # "backup" or "dump"


def backup(store_path: Path | str, target: Path | str) -> int:
    """Write a consistent backup of the store at ``store_path`` into the new folder ``target``.

    The store is opened read-only, so no write lock is taken. Returns the number of quads backed up.
    """
    store_path, target = Path(store_path), Path(target)
    if not store_path.is_dir():
        raise StoreError(f"no store at {store_path}")
    if target.exists():
        raise StoreError(f"backup target {target} already exists (choose a new folder)")
    if not target.parent.is_dir():
        raise StoreError(f"backup target's folder {target.parent} does not exist")
    source = Store(store_path, read_only=True)
    partial = target.with_name(target.name + ".part")
    if partial.exists():
        shutil.rmtree(partial)
    try:
        source.oxigraph.backup(str(partial))
        count = len(Store(partial, read_only=True))
        partial.rename(target)  # a backup folder exists under its name only when it is complete
    except (OSError, RuntimeError) as exc:
        shutil.rmtree(partial, ignore_errors=True)
        raise StoreError(f"backup to {target} failed: {exc}") from exc
    return count


def restore(source: Path | str, store_path: Path | str, *, force: bool = False) -> RestoreReport:
    """Replace the store at ``store_path`` with the content of ``source`` (a backup folder or a dump file).

    Refuses to overwrite an existing store unless ``force``. The new store is built in a sibling folder
    and swapped in by renaming, so the old store stays whole until the new one is complete.
    """
    source, store_path = Path(source), Path(store_path)
    if not source.exists():
        raise StoreError(f"nothing to restore at {source}")
    if store_path.exists() and not force:
        raise StoreError(f"a store already exists at {store_path} (use --force to replace it)")
    store_path.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{store_path.name}.restore-", dir=store_path.parent))
    built = staging / "store"
    try:
        if source.is_dir():
            kind = "backup"
            try:
                Store(source, read_only=True).oxigraph.backup(str(built))
            except (OSError, RuntimeError) as exc:
                raise StoreError(f"{source} is not a Vigie/Oxigraph store backup: {exc}") from exc
            expected = len(Store(source, read_only=True))
        else:
            kind = "dump"
            fmt = DUMP_FORMATS.get(source.suffix.lower())
            if fmt is None:
                raise StoreError(
                    f"cannot restore from {source.name}: give a backup folder or a dump with named graphs "
                    f"({', '.join(DUMP_FORMATS)})"
                )
            store = Store(built)
            try:
                # One transaction: a malformed dump writes nothing.
                store.oxigraph.load(path=str(source), format=fmt)
            except SyntaxError as exc:
                raise StoreError(f"{source} is not valid {fmt.name}: {exc}") from exc
            store.load_schema()
            _give_dump_order(store, source, fmt)
            store.rebuild()  # the consolidated graph, from the restored article graphs (keeping that order)
            expected = len(store)
            del store
        check = Store(built, read_only=True)
        report = RestoreReport(quads=len(check), documents=len(check.document_graphs()), source_kind=kind)
        del check
        if report.quads != expected:
            raise StoreError(f"restored store holds {report.quads} quads, the source {expected}")
        _swap_in(built, store_path)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return report


def _give_dump_order(store: Store, source: Path, fmt: ox.RdfFormat) -> None:
    """Give the articles their places in the order the dump holds their graphs (``vigie export`` writes them
    in the order they were added), so that the article list reads newest first as it did before the dump."""
    order: dict[ox.NamedNode, int] = {}
    for quad in ox.parse(path=str(source), format=fmt):  # a second, streaming read: no dump in memory
        if isinstance(quad.graph_name, ox.NamedNode):
            order.setdefault(quad.graph_name, len(order))
    store.oxigraph.extend(ox.Quad(graph, VG.position, ox.Literal(str(n), datatype=XSD.integer), FACTS)
                          for graph, n in order.items())


def _swap_in(built: Path, store_path: Path) -> None:
    """Put ``built`` in place of ``store_path``: rename the old one aside, rename the new one in, drop the old."""
    old = None
    if store_path.exists():
        if _locked(store_path):
            raise StoreError(f"store {store_path} is in use by another process (stop `vigie serve` first)")
        old = store_path.with_name(f".{store_path.name}.old-{os.getpid()}")
        store_path.rename(old)
    try:
        built.rename(store_path)
    except OSError:
        if old is not None:
            old.rename(store_path)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _locked(store_path: Path) -> bool:
    """True when another process holds the store open read-write (RocksDB's lock)."""
    try:
        probe = ox.Store(str(store_path))
    except OSError as exc:
        return "lock" in str(exc).lower()
    del probe
    return False
