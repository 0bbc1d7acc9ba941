"""The extractors' components must not make the statistical pipeline itself more expensive."""

from __future__ import annotations

from extractors.entities import ACTOR_SPANS


def test_gazetteer_names_do_not_add_labels_to_the_ner(extractor):
    """Preset entities with labels the NER does not know widen its model for every later doc."""
    ner = extractor.nlp.get_pipe("ner")
    labels, moves = ner.labels, ner.moves.n_moves
    doc = extractor.nlp("Amazon, IBM et Microsoft ont rencontré l'ACLU et Clearview AI. Amazon vend Rekognition.")
    assert {span.label_.split(":")[0] for span in doc.spans[ACTOR_SPANS]} >= {"company", "advocate", "product"}
    assert ner.labels == labels and ner.moves.n_moves == moves


def test_gazetteer_names_stay_entities_of_the_ner(extractor):
    doc = extractor.nlp("Microsoft refuse de vendre son logiciel à la police.")
    assert [(e.text, e.label_) for e in doc.ents if e.text == "Microsoft"] == [("Microsoft", "ORG")]
    assert [s.label_ for s in doc.spans[ACTOR_SPANS]] == ["company:microsoft"]
