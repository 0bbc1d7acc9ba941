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


_FINAL = {".", "!", "?", "»", "…", ":", '"', "”"}


def _reference_line_starts(doc):
    """``vigie_lines`` as first written, token by token (the array version must give the same boundaries)."""
    def title_line(start, end):
        words = [t for t in doc[start:end] if not t.is_space]
        if 3 <= len(words) <= 30 and not any(t.text in _FINAL for t in words):
            for token in words[1:]:
                token.is_sent_start = False

    line_start = 0
    for token in doc:
        if token.is_space and "\n" in token.text:
            if token.i + 1 < len(doc):
                doc[token.i + 1].is_sent_start = True
            title_line(line_start, token.i)
            line_start = token.i + 1
        elif token.text == "-" and 0 < token.i < len(doc) - 1 and not token.whitespace_ \
                and not doc[token.i - 1].whitespace_:
            token.is_sent_start = False
            doc[token.i + 1].is_sent_start = False
    title_line(line_start, len(doc))


def test_line_starts_match_the_token_by_token_reading(extractor):
    import random

    from spacy.attrs import SENT_START

    from extractors.pipeline import mark_line_starts

    texts = ["", "\n", "a\n", "\n\n-", "-a", "a-b", "a-\nb", "Un titre sans point\n-bof\nx-y-z\n", "a -b- c\n\n",
             "x\n-\ny", "Titre : court\nUn deux trois\n\n  Quatre cinq six sept\n", "«Titre» bla bla\n",
             "Microsoft et Amazon refusent de fournir leurs caméras-piétons\n\nLe 10 juin, Amazon a annoncé."]
    rng = random.Random(0)
    pieces = ["a", "b", "-", "\n", " ", "\n\n", ".", "»", "Mot", "x-y", ":", "?", "  ", "Un", "deux"]
    texts += ["".join(rng.choice(pieces) + rng.choice(["", " "]) for _ in range(rng.randint(0, 40)))
              for _ in range(500)]
    for text in texts:
        expected, got = extractor.nlp.make_doc(text), extractor.nlp.make_doc(text)
        _reference_line_starts(expected)
        mark_line_starts(got)
        assert got.to_array([SENT_START]).tolist() == expected.to_array([SENT_START]).tolist(), text
