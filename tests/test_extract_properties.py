"""Properties of the extractors on generated French: no crash, evidence points at its quote, every slug
is well formed and every attribute value comes from the vocabularies."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors.documents import DocumentError, document_from_text
from extractors.lexicons import load_lexicons
from ontology.iris import is_slug

SUBJECTS = ["Amazon", "IBM", "Microsoft", "la société", "elle", "Big Blue", "Les deux firmes", "L'ACLU",
            "Nicole Ozer, directrice à l'ACLU,", "Le Congrès", "La start-up Kairos", "Nous", "Google qui"]
VERBS = ["suspend", "a suspendu", "refuse de vendre", "ne vendra pas", "n'a pas encore vendu", "envisage de suspendre",
         "demande à Amazon de suspendre", "met en pause", "se retire du marché de", "doit respecter un moratoire sur",
         "annonce un moratoire d'un an sur", "a interdit pendant un an", "restreint l'accès à", "a dénoncé"]
OBJECTS = ["la reconnaissance faciale", "Rekognition", "sa technologie", "ses services de reconnaissance faciale",
           "la reconnaissance des émotions", "la livraison"]
TAILS = ["", " à la police", " aux forces de l'ordre et à l'armée", " aux États-Unis", " pendant six mois",
         " sauf pour la traite des êtres humains", " tant qu'il n'y aura pas de loi fédérale", " le 10 juin",
         " à l'exception de Thorn et Marinus Analytics", ", a déclaré la société", " ?"]
WRAP = st.sampled_from([("", "."), ("« ", " »"), ('" ', ' "'), ("", ""), ("\n", "\n")])

sentence = st.builds(lambda s, v, o, t, w: f"{w[0]}{s} {v} {o}{t}{w[1]}", st.sampled_from(SUBJECTS),
                     st.sampled_from(VERBS), st.sampled_from(OBJECTS), st.sampled_from(TAILS), WRAP)
article = st.tuples(st.sampled_from(["", " date 2020-06 ", " date 2021-11-02 ", "Titre sans point\n"]),
                    st.lists(sentence, min_size=1, max_size=8),
                    st.sampled_from(["", " ", "\n\n", "Source : The Register", "Qu'en pensez-vous ?"]))

_NOTATIONS = {c.scheme: {x.notation for x in load_lexicons().scheme(c.scheme)} for c in load_lexicons().concepts}


def _check(extraction) -> None:
    text = extraction.document.text
    evidences = [ev for a in extraction.actors for ev in a.evidence]
    evidences += [ev for p in extraction.policies for ev in p.evidence]
    evidences += [ev for p in extraction.policies for e in p.exceptions for ev in e.evidence]
    evidences += [ev for s in extraction.statements for ev in s.evidence]
    for ev in evidences:
        assert 0 <= ev.start < ev.end <= len(text)
        assert text[ev.start:ev.end] == ev.quote
        assert 0 < ev.confidence <= 1
    for actor in extraction.actors:
        assert is_slug(actor.ref.key), actor.ref
    for policy in extraction.policies:
        assert is_slug(policy.company)
        assert policy.type in _NOTATIONS["type"]
        assert policy.technology in _NOTATIONS["tech"]
        assert set(policy.restricted_users) <= _NOTATIONS["users"]
        assert policy.jurisdiction is None or policy.jurisdiction in _NOTATIONS["juris"]
        assert {e.purpose for e in policy.exceptions} <= _NOTATIONS["purpose"]
        assert policy.evidence


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
@given(parts=article, separator=st.sampled_from([" ", "\n", "  ", ""]))
def test_generated_articles_give_well_formed_facts_with_exact_evidence(extractor, parts, separator):
    head, sentences, tail = parts
    try:
        document = document_from_text(head + separator.join(sentences) + "\n" + tail, "prop")
    except DocumentError:
        return
    _check(extractor.extract_one(document))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
@given(text=st.text(alphabet=st.sampled_from(list("AIBMaéè ’'«»\".,:;?!\n-0123456789jun")), max_size=300))
def test_punctuation_soup_never_crashes(extractor, text):
    try:
        document = document_from_text(text, "soup")
    except DocumentError:
        return
    _check(extractor.extract_one(document))


def test_batch_extraction_keeps_article_order_and_identity(extractor):
    docs = [document_from_text(f" date 2020-06 Amazon suspend la reconnaissance faciale. Article {i}.", f"d{i}")
            for i in range(5)]
    assert [e.document.id for e in extractor.extract(docs, batch_size=2)] == [f"d{i}" for i in range(5)]
