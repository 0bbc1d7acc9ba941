"""Reading articles: bytes → :class:`~extractors.facts.Document`.

Decodes (UTF-8 with or without BOM, UTF-16 with BOM, a declared charset, or Windows-1252 when the
bytes are not UTF-8 but read as plausible French), then finds the title, the ``date YYYY-MM`` line,
the cited source, and blanks out web boilerplate so that offsets in the body are offsets in the text.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from pathlib import Path

from extractors.datelines import press_date
from extractors.facts import Document

#: Default maximum size of one article file, in bytes (override per call or with ``vigie ingest --max-bytes``).
MAX_ARTICLE_BYTES = 2_000_000


class DocumentError(ValueError):
    """An article that cannot be read; the message is one line saying why."""


# Lines that are page furniture, not article text (matched on a whole stripped line, case-insensitive).
_BOILERPLATE_LINE = re.compile(
    r"""^(?:
        \d{1,6}                                             # comment or share counters
      | laiss(?:er|ez)\ un\ commentaire.*
      | please\ enter\ your\ (?:comment|name|email|website).*
      | (?:ping|pingback|trackback)\s*:.*
      | (?:et\ vous,\ )?qu['’]en\ pensez[- ]vous\s*\?
      | (?:à\ )?lire\ aussi\s*:?.*
      | voir\ aussi\s*:.*
      | (?:partager|partagez|share|tweet|imprimer|abonnez[- ]vous|newsletter)\b.{0,60}
      | (?:tags?|mots[- ]clés|catégories?)\s*:.*
      | publié\ (?:le|par)\ .{0,80}
      | (?:crédit|crédits)\ (?:photo|image)s?\s*:.*
      | sources?\s*:.*
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
_SOURCE = re.compile(r"\bsources?\s*:\s*(?P<source>[^\n]+?)\s*(?:qu['’]en pensez[- ]vous\s*\?)?\s*$", re.I)
# Page furniture glued to the end of the last paragraph ("… de l'histoire ».Sources : Amazon Qu'en pensez-vous ?").
_TRAILING = re.compile(
    r"(?:\s*\bsources?\s*:\s*[^\n.!?»]{1,80}?)?\s*(?:et vous, )?qu['’]en pensez[- ]vous\s*\?\s*$", re.I
)
# A photo credit ending a line ("Photo : le siège d'Avast. © Michal Cizek / AFP"): agencies and photographers, not
# actors of the article ("© Koen van Weel / ANP / AFP" is a Dutch press agency, not China's parliament).
_CREDIT = re.compile(r"©[^\n]*$")
_DATE_LINE = re.compile(r"^\s*date\s+(?P<date>\d{4}-\d{2}(?:-\d{2})?)\b", re.I)
_DATE_ONLY_LINE = re.compile(r"^\s*date\s+(?P<date>\d{4}-\d{2}(?:-\d{2})?)\s*$", re.I)
_DECLARED_CHARSET = re.compile(rb"(?:charset|encoding)\s*[=:]\s*[\"']?([A-Za-z0-9_\-]+)", re.I)
_SENTENCE_END = re.compile(r"[.!?»](?:\s|$)")


def read_document(path: Path | str, *, max_bytes: int = MAX_ARTICLE_BYTES) -> Document:
    """Read one article file. Raises :class:`DocumentError` with a one-line reason for a bad file."""
    path = Path(path)
    try:
        if not path.is_file():
            raise DocumentError("not a regular file")
        size = path.stat().st_size
        if size > max_bytes:
            raise DocumentError(f"too large: {size} bytes (maximum {max_bytes})")
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"cannot read: {exc.strerror or exc}") from exc
    text, encoding = decode(data)
    return document_from_text(text, document_id(path.stem), path=str(path), encoding=encoding)


def decode(data: bytes) -> tuple[str, str]:
    """Decode article bytes, returning ``(text, encoding)``; refuse binary or undecodable data."""
    if not data.strip():
        raise DocumentError("empty file")
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return _check_text(data.decode(name)), name
            except UnicodeDecodeError as exc:
                raise DocumentError(f"invalid {name} after its byte-order mark at byte {exc.start}") from exc
    if b"\x00" in data:
        raise DocumentError("binary file (NUL bytes)")
    try:
        return _check_text(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = _DECLARED_CHARSET.search(data[:2048])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        try:
            return _check_text(data.decode(name)), name
        except (LookupError, UnicodeDecodeError) as exc:
            raise DocumentError(f"declared encoding {name!r} does not decode the file") from exc
    # Not UTF-8 and nothing declared: Windows-1252 (a superset of Latin-1 for text) is what French
    # sites produce; accept it only when the result reads as text, otherwise refuse rather than mangle.
    try:
        return _check_text(data.decode("cp1252")), "cp1252"
    except UnicodeDecodeError as exc:
        raise DocumentError("not UTF-8 and no encoding declared or recognisable") from exc


def _check_text(text: str) -> str:
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f")
    if controls > max(3, len(text) // 100):
        raise DocumentError("binary file (control characters)")
    if not any(ch.isalpha() for ch in text):
        raise DocumentError("no text")
    return text


def document_id(stem: str) -> str:
    """A slug for a file stem, keeping underscores: ``001_311bd3e3553eda90`` stays as is."""
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9_.]+", "-", ascii_stem)
    slug = re.sub(r"[-_.]{2,}", "-", slug).strip("-_.")
    return slug[:120].strip("-_.") or "document"


def content_hash(text: str) -> str:
    """SHA-256 of the normalised text: the same article saved twice, or under two names, has one hash."""
    normalised = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def document_from_text(text: str, doc_id: str, *, path: str | None = None, encoding: str = "utf-8") -> Document:
    """Split an article's text into title, date, source and a body with boilerplate blanked out."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    body = list(text)
    date = source = None

    def blank(start: int, end: int) -> None:
        for i in range(start, end):
            if body[i] != "\n":
                body[i] = " "

    date_match = _DATE_LINE.match(text)
    if date_match:
        date = date_match.group("date")
        blank(date_match.start(), date_match.end())

    title = None
    offset = 0
    for number, line in enumerate(text.split("\n")):
        start, end = offset, offset + len(line)
        offset = end + 1
        stripped = line.strip()
        if not stripped:
            continue
        # A date line of its own under the title ("Titre\n date 2020-06\nTexte …").
        only_date = _DATE_ONLY_LINE.match(line) if date is None and number < 5 else None
        if only_date:
            date = only_date.group("date")
            blank(start, end)
            continue
        # A date line heading the body under the title ("Titre\n\n date 2021-05 Le 3 mai, …"): the date is
        # read and blanked, the text after it is the body.
        leading = _DATE_LINE.match(line) if date is None and number < 5 and title is not None else None
        if leading:
            date = leading.group("date")
            blank(start, start + leading.end())
        # A press date line under the title ("Publié le 21 février 2019 à 18h40"): read, and kept out of the
        # text the extractors read and quote.
        press = press_date(line) if date is None and number < 5 and title is not None and not leading else None
        if press:
            date = press
            blank(start, end)
            continue
        if _BOILERPLATE_LINE.match(stripped):
            found = _SOURCE.match(stripped)
            if found and source is None:
                source = found.group("source").strip()
            blank(start, end)
            continue
        trailing = _TRAILING.search(line)
        if trailing:
            found = _SOURCE.search(trailing.group(0))
            if found and source is None:
                source = found.group("source").strip()
            blank(start + trailing.start(), end)
        credit = _CREDIT.search(line)
        if credit:
            blank(start + credit.start(), end)
        if title is None:
            title = _title_of(text[start:end], starts_with_date=date_match is not None and start == 0)

    body_text = "".join(body)
    if not body_text.strip():
        raise DocumentError("no article text once boilerplate is removed")
    return Document(
        id=doc_id,
        text=text,
        body=body_text,
        title=title or doc_id,
        content_hash=content_hash(text),
        date=date,
        source=source,
        path=path,
        encoding=encoding,
    )


def _title_of(line: str, *, starts_with_date: bool) -> str:
    """The first line is the title, unless the article starts straight into its text: then its first
    sentence, whole (a headline-length sentence); a very long one is cut after its last clause that fits."""
    if starts_with_date:
        line = _DATE_LINE.sub("", line)
    line = line.strip()
    if len(line) <= 200 and not starts_with_date:
        return line
    end = _SENTENCE_END.search(line)
    sentence = line[: end.start() + 1] if end else line
    if len(sentence) <= MAX_TITLE:
        return sentence.rstrip(".")
    clause = sentence[:MAX_TITLE].rsplit(",", 1)[0]
    return clause if len(clause) >= 40 else sentence[:MAX_TITLE].rsplit(" ", 1)[0] + "…"


#: Longest title taken from an article's first sentence.
MAX_TITLE = 300
