"""Does a SPARQL text make the server call another host? (``SERVICE`` in queries, ``LOAD`` in updates.)

pyoxigraph has no switch to turn federation off: ``SERVICE <http://host/>`` in a query, or
``LOAD <http://host/>`` in an update, makes the server itself send an HTTP request to that host (a
server-side request forgery). The endpoint refuses them unless federation is enabled, in two steps:

1. :func:`names_other_hosts` reads the text with :func:`vigie.sparql_text.shape` (a lexer: nothing is
   parsed or run). A bare word holding ``SERVICE`` (or ``LOAD``) is refused at once with a clear message.
2. :func:`calls_other_hosts` asks Oxigraph's own parser, because a lexer can be steered where the
   grammar is ambiguous: ``<`` used as "less than" (``FILTER(?a<?b)SERVICE#>``) looks like an IRI, and
   Oxigraph reads ``1SERVICE``, ``trueSERVICE`` or ``SERVICE:x`` as holding the keyword. Every occurrence
   of the word, in any case and any context, is changed into a non-keyword (``service`` → ``servicx``):
   where it was inside a string, an IRI, a comment, a variable or a prefixed name, the changed text
   still parses; where it was the keyword, it no longer does.

Step 2 hands user text to Oxigraph, which parses and, for some forms, evaluates it (against an empty
in-memory store, and with no ``SERVICE`` left in it, so it reaches no host; but it may take time and
memory). It therefore runs only inside a query worker process (:mod:`api.sparql_worker`): killable,
memory-bounded, never on the server's own threads.
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from ontology.namespaces import PREFIXES
from vigie.sparql_text import Shape

_QUERY_WORDS = re.compile("service", re.IGNORECASE)
_UPDATE_WORDS = re.compile("service|load", re.IGNORECASE)


def names_other_hosts(read: Shape, *, update: bool = False) -> bool:
    """Whether a bare word of the text holds ``SERVICE`` (or, in an update, ``LOAD``): the lexer's verdict.

    Never parses. ``False`` does not clear the text: :func:`calls_other_hosts` has the last word.
    """
    words = ("SERVICE", "LOAD") if update else ("SERVICE",)
    return any(word in keyword for keyword in read.keywords for word in words)


def may_name_other_hosts(text: str, *, update: bool = False) -> bool:
    """Whether the text holds the word at all (any case, any context): only then is the parser asked."""
    return bool((_UPDATE_WORDS if update else _QUERY_WORDS).search(text))


def _neutralised(text: str, words: re.Pattern) -> str:
    """Every occurrence of the words with its last letter changed: never a keyword, same lexical class."""
    return words.sub(lambda m: m.group()[:-1] + ("X" if m.group()[-1].isupper() else "x"), text)


def calls_other_hosts(text: str, *, update: bool = False) -> bool:
    """Whether a query (or an update) may hold ``SERVICE`` (or ``LOAD``) as a keyword, by Oxigraph's parser.

    Never ``False`` when it does. ``True`` also for a text that holds the word and does not parse once
    the word is changed (the text would be refused anyway). Run it in a query worker process only.
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
