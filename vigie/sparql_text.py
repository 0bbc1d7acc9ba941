"""Reading the structure of SPARQL text without parsing it: where its braces and keywords are.

Used where Vigie must place a clause inside a user's or its own query (a ``VALUES`` block for a remote
store's bindings, ``USING`` clauses for the protocol's ``using-graph-uri``): strings, IRIs, comments,
variables and prefixed names are skipped, so ``"WHERE"`` in a literal or ``where:x`` is no keyword.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

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
