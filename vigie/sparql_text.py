"""Reading the structure of SPARQL text without parsing it: where its braces and keywords are.

Used where Vigie must place a clause inside a user's or its own query (a ``VALUES`` block for a remote
store's bindings, ``USING`` clauses for the protocol's ``using-graph-uri``): strings, IRIs, comments,
variables and prefixed names are skipped, so ``"WHERE"`` in a literal or ``where:x`` is no keyword.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

_KEYWORD_RE = re.compile(r"[A-Za-z]+")
_NAME_RE = re.compile(r"[A-Za-z0-9_]*")
_IRI_RE = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')


def tokens(text: str) -> Iterator[tuple[int, str]]:
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


# ------------------------------------------------------------------ lexing without parsing

#: One SPARQL terminal at a time, in the order the grammar's longest-match rules need (long strings
#: before short ones). IRIREF follows Oxigraph 0.5 (``\u``/``\U`` escapes allowed inside, no other
#: backslash); a ``<`` that does not open one is the less-than operator.
_LEXEME = re.compile(
    r'(?P<ws>[ \t\r\n]+)'
    r'|(?P<comment>#[^\r\n]*)'
    r'|(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\r\n]|\\.)*"|\'(?:[^\'\\\r\n]|\\.)*\')'
    r'|(?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)'
    r'|(?P<var>[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]*)'
    r'|(?P<name>[^\W\d][\w.\-\u00B7]*(?::[\w.\-:%\\]*)?|:[\w.\-:%\\]*|_:[\w.\-]*)'
    r'|(?P<number>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)'
    r'|(?P<open>[{(\[])|(?P<close>[})\]])'
    r'|(?P<other>.)',
    re.DOTALL,
)
#: Brackets an IRI-looking ``<…>`` may hold, counted anyway: where Oxigraph reads that ``<`` as
#: less-than, they are real nesting (``FILTER(?a<((…))>?b)``), and the depth bound must never undercount.
_IRI_BRACKETS = re.compile(r"[(\[]|[)\]]")

QUERY_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})
UPDATE_OPERATIONS = frozenset({
    "INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH",
})


class Shape(NamedTuple):
    """What a SPARQL text is, read by :func:`shape` without parsing it."""

    form: str | None  # SELECT, ASK, CONSTRUCT or DESCRIBE, after the prologue; None if not a query
    operation: str | None  # the first update keyword after the prologue (INSERT, LOAD, …), if any
    depth: int  # deepest nesting of { ( [ — an upper bound, never an undercount
    keywords: frozenset[str]  # every bare word outside strings, IRIs and comments, upper-cased


def shape(text: str) -> Shape:
    """Read the form, nesting depth and keywords of a SPARQL query or update, in one linear pass.

    Nothing is parsed or evaluated, so this is safe on any text (a 100 KB query of 50,000 nested
    braces is read in milliseconds). A text Oxigraph would not accept still gets a shape.

    >>> read = shape("PREFIX ex: <http://e/> SELECT * WHERE { ?s ?p ?o FILTER(?o > 1) }")
    >>> read.form, read.depth, sorted(read.keywords)
    ('SELECT', 2, ['FILTER', 'PREFIX', 'SELECT', 'WHERE'])
    >>> shape("LOAD <http://h/x>").operation
    'LOAD'
    """
    depth = deepest = 0
    words: list[str] = []
    first: str | None = None
    prologue_state = 0  # 0: expecting a declaration or the body; >0: inside PREFIX/BASE/VERSION
    for match in _LEXEME.finditer(text):
        kind = match.lastgroup
        if kind in ("ws", "comment"):
            continue
        value = match.group()
        if kind == "open":
            depth += 1
            deepest = max(deepest, depth)
        elif kind == "close":
            depth = max(depth - 1, 0)
        elif kind == "iri":
            for bracket in _IRI_BRACKETS.findall(value):
                if bracket in "([":
                    depth += 1
                    deepest = max(deepest, depth)
                else:
                    depth = max(depth - 1, 0)
        elif kind == "name" and ":" not in value:
            words.append(value.upper())
        if first is None:
            first, prologue_state = _prologue_step(kind, value, prologue_state)
    upper_first = first.upper() if first else None
    return Shape(
        form=upper_first if upper_first in QUERY_FORMS else None,
        operation=upper_first if upper_first in UPDATE_OPERATIONS else None,
        depth=deepest,
        keywords=frozenset(words),
    )


def _prologue_step(kind: str | None, value: str, state: int) -> tuple[str | None, int]:
    """Follow ``BASE <iri>``, ``PREFIX p: <iri>`` and ``VERSION "1.2"``; the first other word is the form."""
    if state > 0:
        return None, state - 1
    word = value.upper() if kind == "name" else None
    if word == "BASE" or word == "VERSION":
        return None, 1
    if word == "PREFIX":
        return None, 2
    return (value if kind == "name" else ""), 0
