"""End to end: the extractors on the seed articles and on our own corpus, scored against gold files.

Scoring uses the rules of ``vigie.evaluation`` (the same code ``vigie eval`` runs on the store), fed
directly from :class:`~extractors.facts.Extraction` objects merged across articles the way the store
merges them (one policy per IRI; single-valued attributes: the value most articles give; the announcement:
the earliest date, as the REST read model reads it).

Run as a script to print the tables:
``python tests/test_extract_e2e.py [seeds|corpus|heldout|heldout2|…|all]`` (``all``: one line per batch).
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from api.lifecycle import earliest  # noqa: E402
from extractors.documents import read_document  # noqa: E402
from extractors.facts import Extraction  # noqa: E402
from vigie.evaluation import (  # noqa: E402
    Evaluation,
    ExtractedEntity,
    ExtractedGraph,
    ExtractedPolicy,
    evaluate,
    load_gold,
)

SEEDS = ROOT / "seeds"
TESTS = Path(__file__).resolve().parent
CORPUS = TESTS / "corpus"
HELDOUT = TESTS / "corpus_heldout"
HELDOUT2 = TESTS / "corpus_heldout2"
HELDOUT3 = TESTS / "corpus_heldout3"
HELDOUT4 = TESTS / "corpus_heldout4"


def heldout(batch: int) -> Path:
    """The folder of held-out batch ``batch`` (its articles, gold.json and first_run.md)."""
    return TESTS / f"corpus_heldout{batch}"

_CATEGORY = {"company": "companies", "advocate": "advocates", "legislature": "legislatures"}

#: Honest bars on our own articles, each batch written and read by hand before the extractors ran on it:
#:
#: ============================  ==========  ===============  ==================
#: batch                         first run    after its fixes   fixes were
#: ============================  ==========  ===============  ==================
#: tests/corpus (5 articles)     F1 0.89      F1 1.00           general (window, pronouns, qualified bodies)
#:                               attr 0.87    attr 0.95
#: tests/corpus_heldout (3)      F1 0.95      F1 1.00           lexicon gaps only
#:                               attr 0.90    attr 1.00
#: tests/corpus_heldout2 (3)     F1 0.70      F1 1.00           role → organisation, "sa société",
#:                               attr —       attr 1.00         place descriptions, "ne … plus" = withdrawal
#: tests/corpus_heldout3 (3)     F1 0.86      F1 0.95           "par défaut" = restriction; Google/Maven
#:                               attr —       attr 1.00         stays missed (type judged differently)
#: tests/corpus_heldout4 (3)     F1 0.82      F1 1.00           denied intention cancels, passive decisions,
#:                               attr —       attr 0.90         armed drones added to the technology scheme
#: tests/corpus_heldout5 (10)    F1 0.64      —                 (issue 13: military cloud and AI, drones,
#:                               attr 0.80                      emotion analysis, police video; traps)
#: tests/corpus_heldout6 (10)    F1 0.88      —                 (issue 13: generative AI, voice cloning,
#:                               attr 0.88                      spyware, encryption; traps)
#: tests/corpus_heldout7 (11)    F1 0.86      —                 (issue 13: city councils, parliaments, courts,
#:                               attr 0.75                      India, FTC settlement; traps)
#: tests/corpus_heldout8 (12)    F1 0.64      F1 0.79 (0.84)    unknown companies from general cues (demonyms,
#:                               attr 0.40    attr 0.71 (0.74)  descriptions, appositions, founders), reported
#:                                                              clauses, country adjectives; (batch-9 rules)
#: tests/corpus_heldout9 (10)    F1 0.65      F1 0.94           policy phrasings and types, future-in-the-past
#:                               attr 0.80    attr 0.80         vs rumoured conditionals, names described in the
#:                                                              next sentence, advocates' names, councils;
#:                                                              exceptions in another sentence left
#: tests/corpus_heldout10 (10)   F1 0.61      F1 0.73           general cues, not its phrasings: unknown
#:                               attr 0.70    attr 0.72         companies scored by their role (weak cues
#:                                                              add up, negative evidence vetoes); national
#:                                                              chambers by a country's adjective; advocates
#:                                                              left (recall 0.49)
#: tests/corpus_heldout11 (10)   F1 0.67      F1 0.71           technologies named in the vocabulary (machine
#:                               attr 0.65    attr 0.72         translation, lie detection, satellite imagery,
#:                                                              DNA tests, location data …), a description
#:                                                              without a name stands for the firm named last,
#:                                                              inverted reporting clauses, enumerations;
#:                                                              policies 4 -> 8 of 14 (batch 10: 5 -> 9 of 12)
#: tests/corpus_heldout12 (8)    F1 0.75      F1 0.86           advocates: possessive roles, names that say
#:                               attr 0.84    attr 0.77         they campaign, acronyms, stance verbs
#: tests/corpus_heldout13 (9)    F1 0.74      F1 0.83           policy types (customers named, a title's
#:                               attr 0.47    attr 0.77         verb of stopping, projects vs customers),
#:                                                              unlisted technologies, unknown deciders
#: tests/corpus_heldout14 (9)    F1 0.73      F1 0.80           "sauf si" = restriction, exceptions in
#:                               attr 0.60    attr 0.85         their own sentence, new purposes
#: tests/corpus_heldout15 (10)   F1 0.70      F1 0.77           measured after the rounds on 12–14; then a
#:                               attr 0.75    attr 0.70         gazetteer of large firms (companies missed)
#: tests/corpus_heldout16 (10)   F1 0.66      F1 0.79           the last honest estimate (companies 5 of 14
#:                               attr 0.90    attr 0.87         recognised); the same gazetteer
#: ============================  ==========  ===============  ==================
#:
#: The first-run column is the honest estimate on unseen articles (~0.7–0.95); the bars below are set
#: between it and the tuned score, so a regression on these articles fails the build.
CORPUS_F1_BAR = 0.9
CORPUS_ATTRIBUTE_BAR = 0.9
HELDOUT_F1_BAR = 0.9
HELDOUT_ATTRIBUTE_BAR = 0.85


def graph_from_extractions(extractions: list[Extraction]) -> ExtractedGraph:
    """What the store would hold after ingesting these extractions, in the terms of a gold file."""
    graph = ExtractedGraph()
    entities: dict[tuple[str, str], ExtractedEntity] = {}
    policies: dict[tuple[str, str, str], dict] = {}
    history: list = []
    for ex in extractions:
        for actor in ex.actors:
            category = _CATEGORY.get(actor.ref.kind)
            if category is None:
                continue
            entity = entities.get((category, actor.ref.key))
            if entity is None:
                entity = entities[(category, actor.ref.key)] = ExtractedEntity(actor.ref.key, set())
                graph.entities[category].append(entity)
            entity.names |= {actor.label, *actor.aliases}
            if actor.affiliation:
                entity.affiliation = actor.affiliation.key
        for statement in ex.statements:
            category = _CATEGORY.get(statement.speaker.kind)
            entity = entities.get((category, statement.speaker.key)) if category else None
            if entity is not None:
                entity.targets |= {t.key for t in statement.targets}
        for p in ex.policies:
            slot = policies.setdefault((p.company, p.type, p.technology), defaultdict(Counter))
            for users in p.restricted_users:
                slot["restricted_users"][users] += 1
            for exc in p.exceptions:
                slot["exceptions"][exc.purpose] += 1
            for name in ("duration", "announced", "jurisdiction"):
                value = getattr(p, name)
                if value:
                    slot[name][value] += 1
            for event in p.events:  # one node per type and date in the store (extractors.rdf.event_iri)
                slot["events"][(event.type, event.date)] += 1
        history += [(p, event) for p in ex.history for event in p.events]
    for p, event in history:  # events of a policy another article reports (issue 16)
        slot = policies.get((p.company, p.type, p.technology))
        if slot is not None:
            slot["events"][(event.type, event.date)] += 1

    def most_common(counter: Counter) -> str | None:
        return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] if counter else None

    for (company, ptype, _tech), slot in policies.items():
        graph.policies.append(ExtractedPolicy(
            company=company, type=ptype,
            restricted_users=set(slot["restricted_users"]), exceptions=set(slot["exceptions"]),
            duration=most_common(slot["duration"]), announced=earliest(slot["announced"]),
            jurisdiction=most_common(slot["jurisdiction"]), events=set(slot["events"]),
        ))
    return graph


def score_folder(extractor, folder: Path) -> Evaluation:
    documents = [read_document(p) for p in sorted(folder.glob("*.txt"))]
    extractions = list(extractor.extract(documents))
    return evaluate(load_gold(folder / "gold.json"), graph_from_extractions(extractions))


def report(evaluation: Evaluation) -> str:
    lines = [f"{'category':<13} {'P':>5} {'R':>5} {'F1':>5}  tp fp fn"]
    for name, s in [*evaluation.categories.items(), ("micro", evaluation.micro)]:
        line = f"{name:<13} {s.precision:5.2f} {s.recall:5.2f} {s.f1:5.2f}  {s.tp:2} {s.fp:2} {s.fn:2}"
        line += f"  missed {s.misses}" if s.misses else ""
        line += f"  spurious {s.spurious}" if s.spurious else ""
        lines.append(line)
    lines.append(f"attribute accuracy {evaluation.attribute_accuracy:.2f} "
                 + " ".join(f"{k}={c}/{t}" for k, (c, t) in evaluation.attributes.items()))
    lines += [f"  {e}" for e in evaluation.attribute_errors]
    events = evaluation.events
    if events.tp + events.fp + events.fn:
        lines.append(f"policy events P {events.precision:.2f} R {events.recall:.2f} F1 {events.f1:.2f}  "
                     f"tp {events.tp} fp {events.fp} fn {events.fn}"
                     + (f"  missed {events.misses}" if events.misses else "")
                     + (f"  spurious {events.spurious}" if events.spurious else ""))
    return "\n".join(lines)


@pytest.fixture(scope="module")
def seeds_evaluation(extractor) -> Evaluation:
    return score_folder(extractor, SEEDS)


@pytest.fixture(scope="module")
def corpus_evaluation(extractor) -> Evaluation:
    return score_folder(extractor, CORPUS)


def test_seeds_micro_f1_at_least_095(seeds_evaluation):
    assert seeds_evaluation.micro.f1 >= 0.95, report(seeds_evaluation)


def test_seeds_policy_attribute_accuracy_at_least_09(seeds_evaluation):
    assert seeds_evaluation.attribute_accuracy >= 0.9, report(seeds_evaluation)


def test_seeds_every_category_at_least_09(seeds_evaluation):
    for name, score in seeds_evaluation.categories.items():
        assert score.f1 >= 0.9, (name, report(seeds_evaluation))


@pytest.fixture(scope="module")
def heldout_evaluation(extractor) -> Evaluation:
    return score_folder(extractor, HELDOUT)


def test_heldout_corpus_micro_f1_meets_honest_bar(heldout_evaluation):
    assert heldout_evaluation.micro.f1 >= HELDOUT_F1_BAR, report(heldout_evaluation)


def test_heldout_corpus_attribute_accuracy_meets_honest_bar(heldout_evaluation):
    assert heldout_evaluation.attribute_accuracy >= HELDOUT_ATTRIBUTE_BAR, report(heldout_evaluation)


def test_second_heldout_batch_meets_honest_bar(extractor):
    evaluation = score_folder(extractor, HELDOUT2)
    assert evaluation.micro.f1 >= HELDOUT_F1_BAR, report(evaluation)
    assert evaluation.attribute_accuracy >= HELDOUT_ATTRIBUTE_BAR, report(evaluation)


def test_third_heldout_batch_meets_honest_bar(extractor):
    evaluation = score_folder(extractor, HELDOUT3)
    assert evaluation.micro.f1 >= 0.85, report(evaluation)
    assert evaluation.attribute_accuracy >= 0.75, report(evaluation)


def test_fourth_heldout_batch_meets_honest_bar(extractor):
    evaluation = score_folder(extractor, HELDOUT4)
    assert evaluation.micro.f1 >= 0.85, report(evaluation)
    assert evaluation.attribute_accuracy >= 0.75, report(evaluation)


#: Issue 13's batches (``first_run.md`` next to each gold file): the bar is the first run minus 0.05 until
#: the rules are fixed for them. (folder, micro F1 bar, attribute accuracy bar)
ISSUE13_BARS = [
    (heldout(5), 0.64 - 0.05, 0.80 - 0.05),
    (heldout(6), 0.88 - 0.05, 0.88 - 0.05),
    (heldout(7), 0.86 - 0.05, 0.75 - 0.05),
    (heldout(8), 0.64 - 0.05, 0.40 - 0.05),
    (heldout(9), 0.65 - 0.05, 0.80 - 0.05),
    (heldout(10), 0.61 - 0.05, 0.70 - 0.05),
    (heldout(11), 0.67 - 0.05, 0.65 - 0.05),
    # batch 12's first run checked the attributes of 5 policies; its tuned run finds 7 (35 checks, not 25):
    # the bar is on the tuned accuracy, as for batches 1–4
    (heldout(12), 0.75 - 0.05, 0.77 - 0.05),
    (heldout(13), 0.74 - 0.05, 0.47 - 0.05),
    (heldout(14), 0.73 - 0.05, 0.60 - 0.05),
    (heldout(15), 0.70 - 0.05, 0.75 - 0.05),
    # batch 16's first run checked the attributes of 3 policies; with the recall rules of 2026-12-06 it finds
    # 5 (Verizon's and AT&T's, whose announcement days are in a letter's date): the bar is on the tuned run
    (heldout(16), 0.66 - 0.05, 0.76 - 0.05),
    (heldout(17), 0.78 - 0.05, 0.70 - 0.05),
    # batch 18's first run checked one policy's attributes; tuned, it finds 4 (their announcement days missed)
    (heldout(18), 0.67 - 0.05, 0.60 - 0.05),
    (heldout(19), 0.56 - 0.05, 0.60 - 0.05),
    # batch 20's first run found none of its policies (no attribute checked): the bar is on the tuned run
    (heldout(20), 0.62 - 0.05, 0.60 - 0.05),
    (heldout(21), 0.76 - 0.05, 0.67 - 0.05),
    (heldout(22), 0.92 - 0.05, 0.80 - 0.05),
    (heldout(23), 0.75 - 0.05, 0.60 - 0.05),
    # batch 24's first run found none of its policies (no attribute checked): the bar is on the tuned run
    (heldout(24), 0.70 - 0.05, 0.60 - 0.05),
    (heldout(25), 0.89 - 0.05, 0.76 - 0.05),
    # batch 26's first run checked 4 policies' attributes; with the rules of 2026-12-07 it finds 5 more (Tim
    # Hortons', Tumblr's, Medium's announcement days are missed): the bar is on the tuned run
    (heldout(26), 0.68 - 0.05, 0.76 - 0.05),
    # batch 27's first run checked one policy's attributes: the bar is on the tuned run
    (heldout(27), 0.75 - 0.05, 0.60 - 0.05),
    (heldout(28), 0.86 - 0.05, 0.83 - 0.05),
    (heldout(29), 0.77 - 0.05, 0.60 - 0.05),  # first run checked two policies' attributes: bar on the tuned run
    # batch 30's first run checked one policy's attributes: the bar is on the tuned run
    (heldout(30), 0.75 - 0.05, 0.60 - 0.05),
    (heldout(31), 0.76 - 0.05, 0.80 - 0.05),
    # batch 32's first run checked one policy's attributes: the bar is on the tuned run
    (heldout(32), 0.71 - 0.05, 0.60 - 0.05),
    (heldout(33), 0.78 - 0.05, 0.90 - 0.05),
    (heldout(34), 0.81 - 0.05, 0.80 - 0.05),
    (heldout(35), 0.78 - 0.05, 0.73 - 0.05),
    (heldout(36), 0.87 - 0.05, 0.80 - 0.05),
    # batch 37's first run checked one policy's attributes: the bar is on the tuned run
    (heldout(37), 0.62 - 0.05, 0.60 - 0.05),
    (heldout(38), 0.81 - 0.05, 0.60 - 0.05),  # first run checked two policies' attributes: bar on the tuned run
    (heldout(39), 0.85 - 0.05, 0.85 - 0.05),
    (heldout(40), 0.81 - 0.05, 0.70 - 0.05),
    (heldout(41), 0.75 - 0.05, 0.93 - 0.05),
    # batch 42's first run checked one policy's attributes: the bar is on the tuned run
    (heldout(42), 0.77 - 0.05, 0.80 - 0.05),
    (heldout(43), 0.88 - 0.05, 0.80 - 0.05),
    # batch 44's first run checked one policy's attributes: the bar is on the tuned run
    (heldout(44), 0.80 - 0.05, 0.80 - 0.05),
    (heldout(45), 0.80 - 0.05, 0.84 - 0.05),
    # batch 46's first run checked one policy's attributes: the bar is on the tuned run
    (heldout(46), 0.70 - 0.05, 0.70 - 0.05),
    (heldout(47), 0.78 - 0.05, 0.67 - 0.05),
    (heldout(48), 0.74 - 0.05, 0.90 - 0.05),
    # batch 49's first run found none of its policies (no attribute checked): the bar is on the tuned run
    (heldout(49), 0.81 - 0.05, 0.60 - 0.05),
    (heldout(50), 0.80 - 0.05, 0.85 - 0.05),
    (heldout(51), 0.77 - 0.05, 0.72 - 0.05),
    # batch 52's first run checked one policy's attributes: the bar is on the tuned run
    (heldout(52), 0.74 - 0.05, 0.60 - 0.05),
    # batch 53's attributes on its tuned run: the title's territory (+10 jurisdictions over all batches) gives two
    # firms deciding at home one its gold leaves out (ChatYuan in China, Stuff in New Zealand)
    (heldout(53), 0.90 - 0.05, 0.75 - 0.05),
    # batch 54's first run found none of its policies (no attribute checked): the bar is on the tuned run
    (heldout(54), 0.65 - 0.05, 0.60 - 0.05),
    # batch 55's first run checked three policies' attributes; six are found since: the bar is on the tuned run
    (heldout(55), 0.78 - 0.05, 0.87 - 0.05),
    (heldout(56), 0.79 - 0.05, 0.80 - 0.05),
    # batch 57's first run checked one policy's attributes: the bar is on the tuned run
    (heldout(57), 0.68 - 0.05, 0.80 - 0.05),
    # batch 58's first run checked two policies' attributes; four are found since: the bar is on the tuned run
    (heldout(58), 0.75 - 0.05, 0.85 - 0.05),
    (heldout(59), 0.76 - 0.05, 0.85 - 0.05),
    (heldout(60), 0.85 - 0.05, 0.70 - 0.05),
    (heldout(61), 0.79 - 0.05, 0.90 - 0.05),
    # batch 62's first run checked two policies' attributes; three are found since: the bar is on the tuned run
    (heldout(62), 0.78 - 0.05, 0.73 - 0.05),
    (heldout(63), 0.72 - 0.05, 0.90 - 0.05),
    (heldout(64), 0.68 - 0.05, 0.80 - 0.05),
    (heldout(65), 0.72 - 0.05, 0.80 - 0.05),
    (heldout(66), 0.71 - 0.05, 0.90 - 0.05),
    (heldout(67), 0.75 - 0.05, 0.60 - 0.05),
    (heldout(68), 0.81 - 0.05, 0.68 - 0.05),
    (heldout(69), 0.71 - 0.05, 0.93 - 0.05),
    (heldout(70), 0.76 - 0.05, 0.80 - 0.05),
    (heldout(71), 0.84 - 0.05, 0.75 - 0.05),
    (heldout(72), 0.76 - 0.05, 0.85 - 0.05),
    (heldout(73), 0.71 - 0.05, 0.80 - 0.05),
    (heldout(74), 0.93 - 0.05, 1.00 - 0.05),
    (heldout(75), 0.90 - 0.05, 0.90 - 0.05),
    (heldout(76), 0.90 - 0.05, 0.80 - 0.05),
    # 77's first run found no policy (attributes 1.00 of 0 checks): its attribute bar is set on the tuned run
    (heldout(77), 0.61 - 0.05, 0.87 - 0.05),
    (heldout(78), 0.91 - 0.05, 0.90 - 0.05),
    (heldout(79), 0.80 - 0.05, 0.80 - 0.05),
    (heldout(80), 0.73 - 0.05, 0.73 - 0.05),
    (heldout(81), 0.91 - 0.05, 0.85 - 0.05),
    (heldout(82), 0.84 - 0.05, 0.73 - 0.05),
    (heldout(83), 0.82 - 0.05, 0.80 - 0.05),
    (heldout(84), 0.79 - 0.05, 0.80 - 0.05),
    (heldout(85), 0.84 - 0.05, 0.87 - 0.05),
    (heldout(86), 0.84 - 0.05, 0.85 - 0.05),
]


@pytest.mark.parametrize(("folder", "f1_bar", "attribute_bar"), ISSUE13_BARS, ids=lambda v: getattr(v, "name", None))
def test_issue13_heldout_batch_meets_first_run_bar(extractor, folder, f1_bar, attribute_bar):
    evaluation = score_folder(extractor, folder)
    assert evaluation.micro.f1 >= f1_bar, report(evaluation)
    assert evaluation.attribute_accuracy >= attribute_bar, report(evaluation)


def test_own_corpus_micro_f1_meets_honest_bar(corpus_evaluation):
    assert corpus_evaluation.micro.f1 >= CORPUS_F1_BAR, report(corpus_evaluation)


def test_own_corpus_attribute_accuracy_meets_honest_bar(corpus_evaluation):
    assert corpus_evaluation.attribute_accuracy >= CORPUS_ATTRIBUTE_BAR, report(corpus_evaluation)


def batch_folders() -> dict[str, Path]:
    """Every scored folder by its short name: seeds, corpus, heldout, heldout2 … (discovered, in order)."""
    golds = sorted(TESTS.glob("corpus_heldout*/gold.json"),
                   key=lambda p: int(p.parent.name.removeprefix("corpus_heldout") or 1))
    return {"seeds": SEEDS, "corpus": CORPUS, **{p.parent.name.removeprefix("corpus_"): p.parent for p in golds}}


def summary_line(name: str, evaluation: Evaluation) -> str:
    cats = " ".join(f"{k[:4]}={s.f1:.2f}" for k, s in evaluation.categories.items())
    return (f"{name:<10} F1 {evaluation.micro.f1:.2f} (P {evaluation.micro.precision:.2f} R "
            f"{evaluation.micro.recall:.2f})  attr {evaluation.attribute_accuracy:.2f}  {cats}")


if __name__ == "__main__":
    from extractors.pipeline import Extractor

    which = sys.argv[1:] or ["seeds"]
    folders = batch_folders()
    extractor = Extractor()
    if which == ["all"]:
        for name, folder in folders.items():
            print(summary_line(name, score_folder(extractor, folder)), flush=True)
    else:
        for name in which:
            print(f"== {name}")
            print(report(score_folder(extractor, folders[name])))
