"""One story, several outlets: wire copy recognised as near-duplicate text (MinHash, datasketch).

An AFP or Reuters dispatch republished by several sites differs only by each site's headline, lede or
closing line. Each article's text is reduced to a MinHash of its word 5-grams; an article whose
estimated Jaccard similarity with an earlier one reaches :data:`THRESHOLD` joins that article's story.
A story is named after its first article; an article alone is its own story.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import numpy
from datasketch import MinHash, MinHashLSH

NUM_PERM = 128
#: datasketch's hashing scheme, recorded so that stored signatures are read back the same way.
SCHEME = "affine32"
#: Estimated Jaccard similarity of word 5-grams from which two texts are one dispatch. Articles of two
#: outlets written separately about the same event share far fewer 5-grams (below 0.1 in practice).
THRESHOLD = 0.5
SHINGLE = 5
_WORD = re.compile(r"\w+")


def signature(text: str) -> MinHash:
    """MinHash of a text's word 5-grams (case, accents and punctuation ignored)."""
    plain = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode("ascii")
    words = _WORD.findall(plain)
    minhash = MinHash(num_perm=NUM_PERM, scheme=SCHEME)
    grams = {" ".join(words[i:i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))}
    minhash.update_batch([gram.encode("utf-8") for gram in grams])
    return minhash


def to_bytes(minhash: MinHash) -> bytes:
    return numpy.asarray(minhash.hashvalues, dtype=numpy.uint32).tobytes()


def from_bytes(data: bytes) -> MinHash:
    return MinHash(num_perm=NUM_PERM, hashvalues=numpy.frombuffer(data, dtype=numpy.uint32).copy(), scheme=SCHEME)


class StoryIndex:
    """The stories known so far: which article's story a new text belongs to."""

    def __init__(self, known: Iterable[tuple[str, str, bytes]] = ()) -> None:
        """``known``: ``(document id, story id, signature bytes)`` of the articles already recorded."""
        self._lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
        self._signatures: dict[str, MinHash] = {}
        self.story: dict[str, str] = {}
        for doc_id, story, data in known:
            self.add(doc_id, story, from_bytes(data))

    def add(self, doc_id: str, story: str, minhash: MinHash) -> None:
        if doc_id in self._signatures:
            self._lsh.remove(doc_id)
        self._lsh.insert(doc_id, minhash)
        self._signatures[doc_id] = minhash
        self.story[doc_id] = story

    def assign(self, doc_id: str, text: str) -> tuple[str, MinHash]:
        """The story of article ``doc_id`` (kept if it has one; else the closest earlier article's, or its
        own), and its signature; the index learns it."""
        minhash = signature(text)
        story = self.story.get(doc_id) or self._closest_story(doc_id, minhash) or doc_id
        self.add(doc_id, story, minhash)
        return story, minhash

    def _closest_story(self, doc_id: str, minhash: MinHash) -> str | None:
        candidates = [c for c in self._lsh.query(minhash) if c != doc_id]
        if not candidates:
            return None
        best = max(candidates, key=lambda c: (minhash.jaccard(self._signatures[c]), c))
        return self.story[best] if minhash.jaccard(self._signatures[best]) >= THRESHOLD else None
