"""The SPARQL 1.1 Protocol's ``using-graph-uri`` / ``using-named-graph-uri`` for updates.

The protocol parameters set the RDF dataset of the update's ``WHERE`` clauses, exactly like ``USING`` and
``USING NAMED`` written in the update; an update that has its own ``USING``, ``USING NAMED`` or ``WITH`` as
well is an error (400). pyoxigraph takes no dataset for an update, so the clauses are written into the
text: before the ``WHERE`` of every ``DELETE/INSERT … WHERE`` operation (``DELETE WHERE``, ``INSERT DATA``,
``LOAD``, ``CLEAR``… have no dataset). The IRIs are checked and serialised by pyoxigraph.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pyoxigraph as ox

_KEYWORD_RE = re.compile(r"[A-Za-z]+")
_NAME_RE = re.compile(r"[A-Za-z0-9_]*")
_IRI_RE = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')


def _tokens(text: str) -> Iterator[tuple[int, str]]:
    """(offset, token) for the braces and keywords of SPARQL text, skipping strings, IRIs, comments, variables
    and the rest of prefixed names (``where:x`` is no ``WHERE``)."""
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end + 1
        elif ch in "\"'":
            quote = ch * 3 if text.startswith(ch * 3, i) else ch
            j = i + len(quote)
            while j < n and not text.startswith(quote, j):
                j += 2 if text[j] == "\\" else 1
            i = j + len(quote)
        elif ch == "<" and (m := _IRI_RE.match(text, i)):
            i = m.end()
        elif ch in "{}":
            yield i, ch
            i += 1
        elif ch in "?$":
            i = _NAME_RE.match(text, i + 1).end()  # type: ignore[union-attr]
        elif ch.isalpha() or ch == "_":
            m = _KEYWORD_RE.match(text, i)
            end = m.end() if m else i + 1
            j = end
            while j < n and (text[j].isalnum() or text[j] in "_-:."):
                j += 1
            if m and ":" not in text[end:j]:  # a keyword, not a prefixed name
                yield i, m.group().upper()
            i = j
        else:
            i += 1


class DatasetConflict(ValueError):
    """The update sets its own dataset and the request sets one too."""


def with_using(update: str, default: list[ox.NamedNode], named: list[ox.NamedNode]) -> str:
    """``update`` with ``USING <g>`` for each of ``default`` and ``USING NAMED <g>`` for each of ``named``
    added to each operation that has a ``WHERE`` clause."""
    if not default and not named:
        return update
    clause = " ".join([*(f"USING {g}" for g in default), *(f"USING NAMED {g}" for g in named)])
    depth = 0
    previous: str | None = None
    cuts: list[int] = []
    for offset, token in _tokens(update):
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
        elif depth == 0:
            if token in ("USING", "WITH"):
                raise DatasetConflict(
                    f"the update has its own {token} clause and the request gives using-graph-uri or "
                    "using-named-graph-uri: give the dataset one way"
                )
            if token == "WHERE" and previous != "DELETE":  # DELETE WHERE { … } takes no USING
                cuts.append(offset)
        if depth == 0 and token not in ("{", "}"):
            previous = token
        elif token == "}" and depth == 0:
            previous = "}"
    for offset in reversed(cuts):
        update = f"{update[:offset]}{clause} {update[offset:]}"
    return update
