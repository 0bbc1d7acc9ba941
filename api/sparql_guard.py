"""Does a SPARQL text make the server call another host? (``SERVICE`` in queries, ``LOAD`` in updates.)

pyoxigraph has no switch to turn federation off: ``SERVICE <http://host/>`` in a query, or
``LOAD <http://host/>`` in an update, makes the server itself send an HTTP request to that host (a
server-side request forgery). The endpoint refuses them unless federation is enabled.

Finding the keyword with a regular expression after deleting "strings, IRIs and comments" can be
fooled, because that deletion can be steered: a quote inside an IRI written with a ``\\u`` escape
(``<http://x/\\u0041'>``) opens a fake "string" that swallows a real ``SERVICE``; ``<`` used as "less
than" (``FILTER(?a<?b)SERVICE#>``) opens a fake "IRI"; and Oxigraph reads ``1SERVICE``, ``trueSERVICE``,
``SERVICESILENT`` and ``SERVICE:x`` as holding the keyword, with no word boundary. So the question is put
to Oxigraph's own parser instead: every occurrence of the word, in any case and any context, is
changed into a non-keyword (``service`` → ``servicx``). Where the word was inside a string, an IRI, a
comment, a variable, a prefixed name or a language tag, the changed text still parses; where it was
the keyword, it no longer does. The check parses (and, for some query forms, evaluates) the changed
text against an empty in-memory store, so callers run it where a query's time limit applies.
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from ontology.namespaces import PREFIXES

_QUERY_WORDS = re.compile("service", re.IGNORECASE)
_UPDATE_WORDS = re.compile("service|load", re.IGNORECASE)


def _neutralised(text: str, words: re.Pattern) -> str:
    """Every occurrence of the words with its last letter changed: never a keyword, same lexical class."""
    return words.sub(lambda m: m.group()[:-1] + ("X" if m.group()[-1].isupper() else "x"), text)


def calls_other_hosts(text: str, *, update: bool = False) -> bool:
    """Whether a query (or an update) may hold ``SERVICE`` (or ``LOAD``) as a keyword.

    Never ``False`` when it does. ``True`` also for a text that holds the word and does not parse once
    the word is changed (the text would be refused anyway).
    """
    words = _UPDATE_WORDS if update else _QUERY_WORDS
    if not words.search(text):
        return False
    changed = _neutralised(text, words)
    scratch = ox.Store()  # empty, in memory: nothing to read, nowhere to write
    try:
        if update:
            scratch.update(changed, prefixes=PREFIXES)
        else:
            scratch.query(changed, prefixes=PREFIXES)
    except SyntaxError:
        return True
    except Exception:  # it parsed; how it evaluates on an empty store does not matter
        return False
    return False


def refusal(update: bool = False) -> str:
    """The one-line reason given to the client."""
    if update:
        return "SERVICE and LOAD (requests to other hosts) are disabled on this endpoint"
    return "SERVICE (federated query) is disabled on this endpoint"
