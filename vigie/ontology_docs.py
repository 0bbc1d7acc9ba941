"""Generate ``docs/ontology.md`` from the Turtle of ``ontology/``: classes, properties, vocabularies,
gazetteer and SHACL shapes, with their English and French labels.

Run ``vigie docs`` (or ``python -m vigie.ontology_docs``) after editing a ``.ttl`` file; ``--check``
exits non-zero when the committed page is out of date (the test suite does the same). The output is
deterministic: terms come in the order of the Turtle files, so the diff of a change is that change.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

import ontology
from ontology.namespaces import DCTERMS, OWL, PREFIXES, RDF, RDFS, SH, SKOS

#: Where the page is written, relative to the repository root.
DEFAULT_OUTPUT = Path("docs/ontology.md")

_HEADER = (
    "<!-- Generated from ontology/*.ttl by `vigie docs` (vigie/ontology_docs.py): do not edit by hand. -->\n"
)


#: Prefixes of the shapes file, for the page only.
_EXTRA_PREFIXES = {"vgs": "https://w3id.org/vigie/shapes#"}


class _Graph:
    """The triples of one Turtle file, with the order in which subjects first appear."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.triples: list[ox.Triple] = list(ox.parse(path=str(ontology.path(name)), format=ox.RdfFormat.TURTLE))
        self.order: dict[ox.NamedNode | ox.BlankNode, int] = {}
        for triple in self.triples:
            self.order.setdefault(triple.subject, len(self.order))

    def objects(self, subject, predicate) -> list:
        return [t.object for t in self.triples if t.subject == subject and t.predicate == predicate]

    def value(self, subject, predicate):
        values = self.objects(subject, predicate)
        return values[0] if values else None

    def subjects(self, predicate, obj) -> list:
        found = [t.subject for t in self.triples if t.predicate == predicate and t.object == obj]
        return sorted(dict.fromkeys(found), key=lambda s: self.order.get(s, 0))

    def label(self, subject, predicate, language: str) -> str:
        for value in self.objects(subject, predicate):
            if isinstance(value, ox.Literal) and value.language == language:
                return value.value
        return ""

    def list_items(self, head) -> list:
        items = []
        while head is not None and head != RDF.nil:
            first = self.value(head, RDF.first)
            if first is None:
                break
            items.append(first)
            head = self.value(head, RDF.rest)
        return items


def _short(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        if term.value.startswith(str(SH)):
            return term.value[len(str(SH)):]
        for name, namespace in sorted({**PREFIXES, **_EXTRA_PREFIXES}.items(), key=lambda item: -len(item[1])):
            if term.value.startswith(namespace) and term.value != namespace:
                return f"{name}:{term.value[len(namespace):]}"
        return f"<{term.value}>"
    if isinstance(term, ox.Literal):
        return term.value
    return "[]"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ").strip()


def _table(headers: list[str], rows: Iterable[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return [*lines, ""]


def _code(text: str) -> str:
    return f"`{text}`" if text else ""


def _ontology_section(g: _Graph) -> list[str]:
    onto = g.subjects(RDF.type, OWL.Ontology)
    lines = ["## The ontology", ""]
    if onto:
        node = onto[0]
        lines += [
            f"- IRI: `{node.value}`",
            f"- Version: {_short(g.value(node, OWL.versionInfo))}",
            f"- Label: {g.label(node, RDFS.label, 'en')} / {g.label(node, RDFS.label, 'fr')}",
            f"- Imports: {', '.join(_code(o.value) for o in g.objects(node, OWL.imports)) or 'none'}",
            "",
            g.label(node, DCTERMS.description, "en"),
            "",
            f"*{g.label(node, DCTERMS.description, 'fr')}*",
            "",
        ]
    lines += ["### Prefixes", "", "Used in the Turtle exports, the JSON-LD context and the SPARQL queries.", ""]
    lines += _table(["prefix", "namespace"], ([_code(f"{p}:"), _code(ns)] for p, ns in PREFIXES.items()))
    return lines


def _classes_section(g: _Graph) -> list[str]:
    rows = []
    for cls in g.subjects(RDF.type, OWL.Class):
        rows.append([
            _code(_short(cls)),
            g.label(cls, RDFS.label, "en"),
            g.label(cls, RDFS.label, "fr"),
            ", ".join(_code(_short(o)) for o in g.objects(cls, RDFS.subClassOf)),
            g.label(cls, SKOS.definition, "en"),
        ])
    return ["## Classes", "", *_table(["class", "label (en)", "label (fr)", "subclass of", "definition"], rows)]


def _properties_section(g: _Graph, kind: ox.NamedNode, title: str) -> list[str]:
    rows = []
    for prop in g.subjects(RDF.type, kind):
        traits = [_short(t).removeprefix("owl:") for t in g.objects(prop, RDF.type) if t != kind]
        rows.append([
            _code(_short(prop)),
            g.label(prop, RDFS.label, "en"),
            g.label(prop, RDFS.label, "fr"),
            _code(_short(g.value(prop, RDFS.domain))),
            _code(_short(g.value(prop, RDFS.range))),
            ", ".join(traits),
            g.label(prop, SKOS.definition, "en"),
        ])
    headers = ["property", "label (en)", "label (fr)", "domain", "range", "characteristics", "definition"]
    return [f"## {title}", "", *_table(headers, rows)]


def _vocabularies_section(g: _Graph) -> list[str]:
    lines = [
        "## Vocabularies (SKOS)",
        "",
        "Each concept's `skos:notation` is its slug in the REST API and in gold files; its French labels "
        "are the lexicon the extractors match (adding an `altLabel` teaches them a new phrasing).",
        "",
    ]
    for scheme in g.subjects(RDF.type, SKOS.ConceptScheme):
        concepts = g.subjects(SKOS.inScheme, scheme)
        lines += [
            f"### {g.label(scheme, SKOS.prefLabel, 'en')} / {g.label(scheme, SKOS.prefLabel, 'fr')}",
            "",
            f"Scheme {_code(_short(scheme))}, {len(concepts)} concepts.",
            "",
        ]
        rows = []
        for concept in concepts:
            alt_fr = [a.value for a in g.objects(concept, SKOS.altLabel)
                      if isinstance(a, ox.Literal) and a.language == "fr"]
            alt_en = [a.value for a in g.objects(concept, SKOS.altLabel)
                      if isinstance(a, ox.Literal) and a.language == "en"]
            rows.append([
                _code(_short(concept)),
                _code(_short(g.value(concept, SKOS.notation))),
                g.label(concept, SKOS.prefLabel, "en"),
                g.label(concept, SKOS.prefLabel, "fr"),
                ", ".join(alt_fr),
                ", ".join(alt_en),
            ])
        lines += _table(["concept", "notation", "label (en)", "label (fr)", "French phrasings", "English"], rows)
    return lines


def _gazetteer_section(g: _Graph) -> list[str]:
    kinds = Counter(_short(t.object) for t in g.triples if t.predicate == RDF.type)
    lines = [
        "## Gazetteer",
        "",
        "The actors Vigie knows by name (`ontology/entities.ttl`): "
        + ", ".join(f"{count} {_code(kind)}" for kind, count in kinds.items()) + ". "
        "Aliases are matched case-insensitively on whole tokens; unknown organisations are still found "
        "when the syntax makes them actors.",
        "",
    ]
    rows = []
    for subject in g.order:
        kind = g.value(subject, RDF.type)
        if kind is None:
            continue
        wikidata = g.value(subject, OWL.sameAs)
        rows.append([
            _code(_short(subject)),
            _code(_short(kind)),
            _short(g.value(subject, SKOS.prefLabel)),
            _code(_short(wikidata)) if wikidata else "",
            str(len(g.objects(subject, SKOS.altLabel))),
        ])
    return lines + _table(["entity", "class", "label", "Wikidata", "aliases"], rows)


def _shapes_section(g: _Graph) -> list[str]:
    lines = [
        "## SHACL shapes",
        "",
        "What `vigie validate` and `vigie ingest --validate` check (`ontology/shapes.ttl`).",
        "",
    ]
    for shape in g.subjects(RDF.type, SH.NodeShape):
        targets = ", ".join(_code(_short(t)) for t in g.objects(shape, SH.targetClass))
        lines += [f"### `{_short(shape)}`", "", f"Targets: {targets}.", ""]
        rows = []
        for prop in g.objects(shape, SH.property):
            path = g.value(prop, SH.path)
            inverse = g.value(path, SH.inversePath) if isinstance(path, ox.BlankNode) else None
            path_text = f"^{_short(inverse)}" if inverse is not None else _short(path)
            constraint = []
            for predicate, name in ((SH.datatype, "datatype"), (SH["class"], "class"), (SH.nodeKind, "node kind"),
                                    (SH.pattern, "pattern"), (SH.minInclusive, "≥"), (SH.maxInclusive, "≤")):
                value = g.value(prop, predicate)
                if value is not None:
                    constraint.append(f"{name} {_short(value)}")
            allowed = g.value(prop, SH["in"])
            if allowed is not None:
                constraint.append("one of " + ", ".join(_short(v) for v in g.list_items(allowed)))
            either = g.value(prop, SH["or"])
            if either is not None:
                options = [_short(g.value(item, SH.datatype)) for item in g.list_items(either)]
                constraint.append("datatype " + " or ".join(options))
            minimum, maximum = g.value(prop, SH.minCount), g.value(prop, SH.maxCount)
            cardinality = f"{minimum.value if minimum else 0}..{maximum.value if maximum else '*'}"
            message = g.value(prop, SH.message)
            rows.append([_code(path_text), cardinality, "; ".join(constraint), message.value if message else ""])
        lines += _table(["path", "count", "constraint", "message"], rows)
    return lines


def render() -> str:
    """The Markdown page, from the Turtle files of ``ontology/``."""
    onto = _Graph(ontology.ONTOLOGY)
    lines = [
        _HEADER,
        "# Vigie ontology, vocabularies and gazetteer",
        "",
        "The vocabulary of Vigie's knowledge graph, generated from `ontology/vigie.ttl` (OWL), "
        "`ontology/vocab.ttl` (SKOS), `ontology/entities.ttl` (gazetteer) and `ontology/shapes.ttl` (SHACL). "
        "The JSON-LD context of the exports is `ontology/context.jsonld`; see [docs/export.md](export.md).",
        "",
    ]
    lines += _ontology_section(onto)
    lines += _classes_section(onto)
    lines += _properties_section(onto, OWL.ObjectProperty, "Object properties")
    lines += _properties_section(onto, OWL.DatatypeProperty, "Datatype properties")
    lines += _vocabularies_section(_Graph(ontology.VOCABULARIES))
    lines += _gazetteer_section(_Graph(ontology.GAZETTEER))
    lines += _shapes_section(_Graph(ontology.SHAPES))
    return "\n".join(lines).rstrip() + "\n"


def write(output: Path = DEFAULT_OUTPUT) -> bool:
    """Write the page; ``True`` if it changed."""
    text = render()
    if output.exists() and output.read_text(encoding="utf-8") == text:
        return False
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    return True


def is_up_to_date(output: Path = DEFAULT_OUTPUT) -> bool:
    return output.exists() and output.read_text(encoding="utf-8") == render()


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    check = "--check" in args
    paths = [a for a in args if not a.startswith("--")]
    output = Path(paths[0]) if paths else DEFAULT_OUTPUT
    if check:
        if is_up_to_date(output):
            return 0
        print(f"{output} is out of date: run `vigie docs`", file=sys.stderr)
        return 1
    print(f"{output} {'written' if write(output) else 'unchanged'}", file=sys.stderr)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
