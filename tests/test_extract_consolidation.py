"""Cross-article consolidation works window by window, in bounded memory, with what earlier windows learnt."""

from __future__ import annotations

from collections import Counter, defaultdict

from extractors.documents import document_from_text
from extractors.facts import Evidence, Extraction, Policy
from extractors.merge import consolidate

EV = Evidence("phrase", 0, 6, "policies")


def article(doc_id: str, *policies: Policy) -> Extraction:
    return Extraction(document_from_text("Titre\nphrase", doc_id), policies=list(policies))


def refusal(confirmed: bool) -> Policy:
    return Policy("acme", "sales-refusal", "facial-recognition", confirmed=confirmed, evidence=[EV])


def moratorium(confirmed: bool) -> Policy:
    return Policy("acme", "moratorium", "facial-recognition", confirmed=confirmed, evidence=[EV])


def test_collective_mention_is_folded_into_the_decision_read_individually():
    result = consolidate([article("a", moratorium(True)), article("b", refusal(False))])
    assert [p.type for ex in result for p in ex.policies] == ["moratorium", "moratorium"]


def test_a_later_window_uses_what_an_earlier_window_learnt():
    strong: dict = defaultdict(Counter)
    consolidate([article("a", moratorium(True))], strong)
    (later,) = consolidate([article("b", refusal(False))], strong)
    assert [p.type for p in later.policies] == ["moratorium"]


def test_extract_streams_in_windows(extractor, monkeypatch):
    import extractors.pipeline as pipeline

    monkeypatch.setattr(pipeline, "CONSOLIDATION_WINDOW", 2)
    read: list[str] = []

    def documents():
        for i in range(40):
            read.append(f"d{i}")
            yield document_from_text(f"Titre {i}\nIBM se retire du marché de la reconnaissance faciale.", f"d{i}")

    stream = extractor.extract(documents(), batch_size=2)
    first = next(stream)
    assert first.document.id == "d0"
    assert len(read) < 40  # the first article came out before the corpus was read to the end
    assert [e.document.id for e in stream] == [f"d{i}" for i in range(1, 40)]
