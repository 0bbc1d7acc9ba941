"""Data flows one way: the modules a layer is built on never import that layer (every import, also those inside
functions, read from the source with ``ast``)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports, as dotted names (``from a.b import c`` gives ``a.b`` and ``a.b.c``)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def _modules(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def _offenders(folder: str, forbidden: str) -> dict[str, list[str]]:
    out = {}
    for path in _modules(folder):
        bad = sorted(name for name in _imports(path) if name == forbidden or name.startswith(forbidden + "."))
        if bad:
            out[str(path.relative_to(ROOT))] = bad
    return out


def test_the_base_packages_never_import_the_api() -> None:
    for folder in ("ontology", "queries", "extractors", "vigie"):
        assert _offenders(folder, "api") == {}, folder


def test_the_ontology_and_the_extractors_never_import_the_orchestration() -> None:
    for folder in ("ontology", "extractors"):
        assert _offenders(folder, "vigie") == {}, folder


def test_routers_never_import_each_other() -> None:
    routers = ROOT / "api" / "routers"
    for path in _modules("api/routers"):
        own = path.relative_to(routers).parts[0].removesuffix(".py")  # a router module or the web package
        others = [name for name in _imports(path)
                  if name.startswith("api.routers.") and name.split(".")[2] != own]
        assert others == [], path.name


def test_the_store_imports_nothing_built_on_it() -> None:
    vigie_imports = {name for name in _imports(ROOT / "vigie" / "store.py") if name.startswith("vigie")}
    assert vigie_imports <= {"vigie", "vigie.consolidation"}
