"""A policy's values are the vocabulary's concepts: the IRIs written are those of ``ontology/vocab.ttl``.

A technology, user group, purpose or jurisdiction written under another IRI than its concept's has no
notation and no label in the store: SPARQL users looking for ``vg:GenerativeAI`` or ``wd:Q17`` find nothing,
and the REST read model falls back to a slug of the IRI (``jp`` for Japan).
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

import ontology
from extractors.documents import document_from_text
from extractors.rdf import concept, extraction_to_quads
from ontology.namespaces import SKOS, VG

OPENAI_IN_JAPAN = ("OpenAI suspend son générateur d'images au Japon\nPublié le 20 janvier 2024\n"
                   "OpenAI a suspendu son générateur d'images au Japon pour les élèves.\n")
VALUE_PREDICATES = (VG.technology, VG.jurisdiction, VG.restrictedUser, VG.purpose)


@pytest.fixture(scope="module")
def vocabulary() -> set[ox.NamedNode]:
    store = ox.Store()
    with open(ontology.path(ontology.VOCABULARIES), "rb") as handle:
        store.load(handle, ox.RdfFormat.TURTLE)
    return {q.subject for q in store.quads_for_pattern(None, SKOS.notation, None)}


@pytest.mark.parametrize("notation", ["JP", "US", "generative-ai", "military-ai", "vpn", "other",
                                      "law-enforcement", "medical"])
def test_a_notation_names_its_vocabulary_concept(vocabulary, notation):
    assert concept(notation) in vocabulary


def test_every_value_an_extraction_writes_is_a_vocabulary_concept(extractor, vocabulary):
    quads = extraction_to_quads(extractor.extract_one(document_from_text(OPENAI_IN_JAPAN, "t")))
    values = {q.object for q in quads if q.predicate in VALUE_PREDICATES}
    assert values and values <= vocabulary


def test_rest_reads_a_jurisdiction_by_its_notation(tmp_path, extractor):
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.settings import Settings
    from vigie.ingest import ingest_paths
    from vigie.store import Store

    article = tmp_path / "openai_japon.txt"
    article.write_text(OPENAI_IN_JAPAN, encoding="utf-8")
    store = Store(tmp_path / "store")
    store.load_schema()
    assert ingest_paths(store, [article], extractor).ok
    with TestClient(create_app(store, Settings())) as client:
        response = client.get("/company/openai/policies")
    assert response.status_code == 200, response.text
    assert [(p["technology"], p["jurisdiction"]) for p in response.json()["items"]] == [("generative-ai", "JP")]
