"""The SPARQL queries Vigie runs, one ``.rq`` file each, with a grlc-style comment header.

A header is a block of ``#+`` lines at the top of the file::

    #+ name: company_policies
    #+ summary: Policies issued by one company
    #+ description: Longer text (optional).
    #+ tags: rest, companies
    #+ params:
    #+   - company: company, required. The company's id, e.g. amazon
    #+   - type: concept, optional. A policy type slug, e.g. moratorium

Each parameter is a SPARQL variable of the same name. Its type says how a user-given string becomes an
RDF term: an entity kind of :data:`ontology.iris.KINDS` (the value is a slug, lower-cased and minted as
that kind's IRI), ``concept`` (the ``skos:notation`` of a vocabulary concept), ``string``, ``integer``
or ``date``. Values are bound with pyoxigraph ``substitutions``: they never become query text.

One exception, for speed: Oxigraph applies substitutions to the outer query only, so a subquery that
deduplicates facts would read the whole store even when the answer is about one company. A subquery marks
where a parameter must restrict it with the inline data block ``VALUES ?company { UNDEF }`` (valid SPARQL
that restricts nothing); :meth:`NamedQuery.text_for` fills it with the bound term, serialised by pyoxigraph
from an already validated term (a checked IRI, an escaped literal), as Jena's ``ParameterizedSparqlString``
does, so a value can never change the query's structure.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import pyoxigraph as ox

from ontology.iris import KINDS, is_slug, mint
from ontology.namespaces import XSD

#: Parameter types besides the entity kinds.
SCALAR_TYPES = ("concept", "string", "integer", "date")
PARAM_TYPES = (*KINDS, *SCALAR_TYPES)

_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_PARAM_RE = re.compile(
    r"^-\s*(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*:\s*(?P<type>[a-z_-]+)\s*"
    r"(?:,\s*(?P<req>required|optional))?\s*\.?\s*(?P<desc>.*)$"
)
_DATE_RE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")
_MAX_STRING = 500
#: Where a bound parameter also restricts a subquery (see the module's docstring).
_PLACEHOLDER_RE = re.compile(r"VALUES \?(?P<name>[A-Za-z_][A-Za-z0-9_]*) \{ UNDEF \}")


class QueryError(Exception):
    """A named query is unknown or a parameter value is invalid (the message is for the user)."""


class QueryFileError(Exception):
    """A ``.rq`` file's header is malformed (a programming error, raised at load time)."""


@dataclass(frozen=True)
class Param:
    """One parameter of a named query."""

    name: str
    type: str
    required: bool = False
    description: str = ""


@dataclass(frozen=True)
class NamedQuery:
    """A ``.rq`` file: its header and its SPARQL text."""

    name: str
    summary: str
    sparql: str
    description: str = ""
    params: tuple[Param, ...] = ()
    tags: tuple[str, ...] = ()
    path: Path | None = None
    form: str = "SELECT"

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    def text_for(self, bindings: Mapping[str, ox.NamedNode | ox.Literal] | None) -> str:
        """The SPARQL text with each bound parameter's ``VALUES ?name { UNDEF }`` placeholders filled."""
        if not bindings:
            return self.sparql

        def fill(match: re.Match[str]) -> str:
            name = match["name"]
            value = bindings.get(name)
            if self.param(name) is None or not isinstance(value, ox.NamedNode | ox.Literal):
                return match[0]
            # str() of a pyoxigraph term is its N-Triples form: the IRI was checked when the term was made
            # and a literal's quotes and controls are escaped.
            return f"VALUES ?{name} {{ {value} }}"

        return _PLACEHOLDER_RE.sub(fill, self.sparql)


ConceptResolver = Callable[[str], ox.NamedNode | None]


def parse_query_file(text: str, path: Path | None = None) -> NamedQuery:
    """Parse a ``.rq`` file's header; the SPARQL text is the whole file (comments are valid SPARQL)."""
    fields: dict[str, str] = {}
    params: list[Param] = []
    in_params = False
    where = path.name if path else "<query>"
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#+"):
            if stripped.startswith("#"):
                continue
            break
        content = stripped[2:].strip()
        if in_params and content.startswith("-"):
            match = _PARAM_RE.match(content)
            if not match:
                raise QueryFileError(f"{where}: bad parameter line {content!r}")
            ptype = match["type"]
            if ptype not in PARAM_TYPES:
                raise QueryFileError(f"{where}: unknown parameter type {ptype!r}")
            params.append(Param(match["name"], ptype, match["req"] == "required", match["desc"].strip()))
            continue
        key, sep, value = content.partition(":")
        if not sep:
            raise QueryFileError(f"{where}: bad header line {content!r}")
        key = key.strip().lower()
        in_params = key == "params"
        if not in_params:
            fields[key] = value.strip()
    name = fields.get("name") or (path.stem if path else "")
    if not _NAME_RE.match(name):
        raise QueryFileError(f"{where}: bad or missing name {name!r}")
    if "summary" not in fields:
        raise QueryFileError(f"{where}: missing summary")
    form = _query_form(text)
    for param in params:
        if form == "SELECT" and not re.search(rf"SELECT[^{{]*\?{param.name}\b", text, re.IGNORECASE):
            raise QueryFileError(f"{where}: parameter ?{param.name} must be in the SELECT projection")
    tags = tuple(t.strip() for t in fields.get("tags", "").split(",") if t.strip())
    return NamedQuery(
        name=name,
        summary=fields["summary"],
        description=fields.get("description", ""),
        sparql=text,
        params=tuple(params),
        tags=tags,
        path=path,
        form=form,
    )


def _query_form(text: str) -> str:
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    match = re.search(r"\b(SELECT|CONSTRUCT|ASK|DESCRIBE)\b", body, re.IGNORECASE)
    return match.group(1).upper() if match else "SELECT"


def to_term(param: Param, raw: str, concept: ConceptResolver | None = None) -> ox.NamedNode | ox.Literal:
    """The RDF term for a user-given value of ``param``; :class:`QueryError` if the value is invalid."""
    if param.type in KINDS:
        slug = raw.lower()
        if not is_slug(slug):
            raise QueryError(f"invalid {param.name} {_shorten(raw)!r}: expected an id like 'amazon'")
        return mint(param.type, slug)
    if param.type == "concept":
        term = concept(raw.strip()) if concept is not None and len(raw) <= 200 else None
        if term is None:
            raise QueryError(f"unknown {param.name} {_shorten(raw)!r}")
        return term
    if param.type == "integer":
        if not re.fullmatch(r"-?\d{1,18}", raw.strip()):
            raise QueryError(f"invalid {param.name} {_shorten(raw)!r}: expected an integer")
        return ox.Literal(raw.strip(), datatype=XSD.integer)
    if param.type == "date":
        value = raw.strip()
        if not _DATE_RE.match(value):
            raise QueryError(f"invalid {param.name} {_shorten(raw)!r}: expected YYYY-MM-DD or YYYY-MM")
        return ox.Literal(value, datatype=XSD.date if len(value) == 10 else XSD.gYearMonth)
    if len(raw) > _MAX_STRING:
        raise QueryError(f"{param.name} is too long (at most {_MAX_STRING} characters)")
    return ox.Literal(raw)


def _shorten(value: str, limit: int = 80) -> str:
    return value if len(value) <= limit else value[:limit] + "…"


@dataclass
class Registry:
    """The named queries of a folder, by name."""

    queries: dict[str, NamedQuery] = field(default_factory=dict)
    #: Files that could not be loaded, with the reason (``strict=False``); a test keeps this empty.
    errors: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, folder: Path | str | None = None, *, strict: bool = False) -> Registry:
        """Load every ``*.rq`` of ``folder`` (default: this package).

        A malformed header raises :class:`QueryFileError` when ``strict``; otherwise the file is left
        out and the reason kept in :attr:`errors`, so one bad file does not take the server down.
        """
        base = Path(folder) if folder is not None else Path(str(resources.files(__name__)))
        registry = cls()
        for path in sorted(base.glob("*.rq")):
            try:
                query = parse_query_file(path.read_text(encoding="utf-8"), path)
                if query.name in registry.queries:
                    raise QueryFileError(f"{path.name}: duplicate query name {query.name!r}")
            except (QueryFileError, OSError, UnicodeDecodeError) as exc:
                if strict:
                    raise
                registry.errors.append(str(exc))
                continue
            registry.queries[query.name] = query
        return registry

    def __getitem__(self, name: str) -> NamedQuery:
        try:
            return self.queries[name]
        except KeyError:
            raise QueryError(f"no query '{_shorten(name)}'") from None

    def __contains__(self, name: object) -> bool:
        return name in self.queries

    def __iter__(self):
        return iter(self.queries.values())

    def __len__(self) -> int:
        return len(self.queries)

    def bind(
        self,
        name: str,
        values: Mapping[str, str],
        concept: ConceptResolver | None = None,
    ) -> dict[str, ox.NamedNode | ox.Literal]:
        """Check user-given values against the query's parameters and turn them into RDF terms."""
        query = self[name]
        unknown = sorted(set(values) - {p.name for p in query.params})
        if unknown:
            allowed = ", ".join(p.name for p in query.params) or "none"
            raise QueryError(f"unknown parameter {_shorten(unknown[0])!r} (parameters: {allowed})")
        bindings: dict[str, ox.NamedNode | ox.Literal] = {}
        for param in query.params:
            if param.name in values:
                bindings[param.name] = to_term(param, values[param.name], concept)
            elif param.required:
                raise QueryError(f"missing parameter {param.name!r}")
        return bindings


_default: Registry | None = None


def registry() -> Registry:
    """The package's queries, loaded once."""
    global _default
    if _default is None:
        _default = Registry.load()
    return _default


@cache
def load_text(name: str) -> str:
    """Text of ``queries/<name>.rq``. Raises ``KeyError`` for an unknown name."""
    if not name.replace("_", "").isalnum():
        raise KeyError(name)
    resource = resources.files(__name__).joinpath(f"{name}.rq")
    if not resource.is_file():
        raise KeyError(name)
    return resource.read_text(encoding="utf-8")
