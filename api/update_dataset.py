"""The SPARQL 1.1 Protocol's ``using-graph-uri`` / ``using-named-graph-uri`` for updates.

The protocol parameters set the RDF dataset of the update's ``WHERE`` clauses, exactly like ``USING`` and
``USING NAMED`` written in the update; an update that has its own ``USING``, ``USING NAMED`` or ``WITH`` as
well is an error (400). pyoxigraph takes no dataset for an update, so the clauses are written into the
text: before the ``WHERE`` of every ``DELETE/INSERT … WHERE`` operation (``DELETE WHERE``, ``INSERT DATA``,
``LOAD``, ``CLEAR``… have no dataset). The IRIs are checked and serialised by pyoxigraph.
"""

from __future__ import annotations

import pyoxigraph as ox

from vigie.sparql_text import tokens


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
    for offset, token in tokens(update):
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
