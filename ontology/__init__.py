"""Vigie's ontology, vocabularies, gazetteer and SHACL shapes, as Turtle files shipped with the package.

The Python side only locates the files and names them; the knowledge lives in the Turtle.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

#: The Turtle files of this package, by role.
ONTOLOGY = "vigie.ttl"
VOCABULARIES = "vocab.ttl"
GAZETTEER = "entities.ttl"
SHAPES = "shapes.ttl"


def path(name: str) -> Path:
    """Absolute path of one of the package's Turtle files (e.g. ``path(VOCABULARIES)``)."""
    return Path(str(resources.files(__name__).joinpath(name)))


def read(name: str) -> str:
    """Text of one of the package's Turtle files."""
    return path(name).read_text(encoding="utf-8")
