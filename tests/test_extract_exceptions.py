"""Exceptions to a policy: purposes and beneficiaries."""

from __future__ import annotations


def exceptions(extraction, company):
    policy = next(p for p in extraction.policies if p.company == company)
    return {e.purpose: {b.key for b in e.beneficiaries} for e in policy.exceptions}


def test_sauf_with_purposes_in_the_next_sentence_of_the_same_company(extract_text):
    text = ("Amazon a suspendu la vente de sa reconnaissance faciale à la police. Sauf concernant son "
            "utilisation dans deux cas précis : la traite d'êtres humains et la disparition d'enfants.")
    assert exceptions(extract_text(text), "amazon") == {"human-trafficking": set(), "missing-children": set()}


def test_continuing_to_allow_named_organisations(extract_text):
    text = ("« Nous mettons en place un moratoire d'un an sur l'utilisation par la police de Rekognition. "
            "Nous continuerons à permettre à Thorn et Marinus Analytics d'utiliser Amazon Rekognition pour "
            "lutter contre la traite des êtres humains », a déclaré Amazon.")
    assert exceptions(extract_text(text), "amazon") == {"human-trafficking": {"thorn", "marinus-analytics"}}


def test_purpose_inside_an_organisation_name_is_not_a_purpose(extract_text):
    text = ("Amazon suspend Rekognition pour la police. Amazon continuera à permettre au Centre international "
            "pour les enfants disparus et exploités d'utiliser Rekognition pour lutter contre la traite humaine.")
    assert exceptions(extract_text(text), "amazon") == {"human-trafficking": {"icmec"}}


def test_a_exception_de_marker(extract_text):
    text = ("Meta a fermé son système de reconnaissance faciale, à l'exception de la vérification d'identité "
            "des comptes piratés.")
    assert exceptions(extract_text(text), "meta") == {"security": set()}


def test_purpose_without_marker_is_not_an_exception(extract_text):
    text = ("Amazon suspend la vente de Rekognition à la police. La traite des êtres humains reste un fléau "
            "selon les associations.")
    assert exceptions(extract_text(text), "amazon") == {}


def test_exception_evidence_quotes_its_sentence(extract_text):
    text = "IBM suspend sa reconnaissance faciale, sauf pour la recherche scientifique."
    ex = extract_text(text)
    exc = ex.policies[0].exceptions[0]
    assert exc.purpose == "research"
    ev = exc.evidence[0]
    assert ex.document.text[ev.start:ev.end] == ev.quote and ev.extractor == "exceptions"


def test_public_body_is_not_a_beneficiary_company(extract_text):
    text = ("Amazon suspend Rekognition pour la police, sauf pour le ministère de la Défense dans la lutte "
            "contre le terrorisme.")
    ex = extract_text(text)
    assert exceptions(ex, "amazon") == {"counterterrorism": set()}
    assert {a.ref.key for a in ex.actors if a.ref.kind == "company"} == {"amazon"}


def test_reserved_for_research_is_an_exception(extract_text):
    text = "Microsoft limite la reconnaissance faciale, désormais réservée à des clients agréés pour la recherche."
    p = next(p for p in extract_text(text).policies if p.company == "microsoft")
    assert [e.purpose for e in p.exceptions] == ["research"]


def test_reserved_without_a_purpose_is_no_exception(extract_text):
    text = "Microsoft limite la reconnaissance faciale, désormais réservée à des clients agréés."
    p = next(p for p in extract_text(text).policies if p.company == "microsoft")
    assert p.exceptions == []


def test_satirical_content_is_a_satire_exception(extract_text):
    text = "La plateforme Vidzo interdit les hypertrucages de candidats, sauf les contenus satiriques."
    p = next(iter(extract_text(text).policies))
    assert [e.purpose for e in p.exceptions] == ["satire"]


def labels(extraction, company):
    return {e.purpose: e.label for p in extraction.policies if p.company == company for e in p.exceptions}


def test_each_exception_is_labelled_with_its_own_words_whole(extract_text):
    text = ("Amazon suspend pour un an la vente de Rekognition à la police. Nous continuerons à permettre à des "
            "organisations d'utiliser Rekognition pour aider à sauver les victimes de la traite des êtres humains "
            "et à réunir les enfants disparus avec leurs familles.")
    assert labels(extract_text(text), "amazon") == {
        "human-trafficking": "sauver les victimes de la traite des êtres humains",
        "missing-children": "réunir les enfants disparus avec leurs familles",
    }


def test_coordinated_nouns_after_sauf_are_two_labels_not_one_cut_clause(extract_text):
    text = ("Amazon a suspendu la vente de Rekognition à la police. Sauf dans deux cas précis : la traite d'êtres "
            "humains et la disparition d'enfants.")
    assert labels(extract_text(text), "amazon") == {
        "human-trafficking": "la traite d'êtres humains",
        "missing-children": "la disparition d'enfants",
    }
