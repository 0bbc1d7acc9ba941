"""Synthetic French news corpus for scale runs: the seed sentences, recombined, with other names.

Each synthetic article takes a contiguous run of sentences from one seed article (so the syntax the
extractors rely on stays intact: *X a annoncé interdire pendant un an à la police…*), inserts a short
run from another seed, and renames the actors consistently within the article: the seed companies
(Amazon, Microsoft, IBM, Google, Apple and their aliases) become other companies, their products and
people other products and people, the month another month. A tenth of the company slots keep their
real name, so the gazetteer companies accumulate evidence as the corpus grows, as they would in the
real world; the other names come from a pool that widens with the article number, so the graph keeps
growing (new companies, new policies), and no two articles share a content hash.

Deterministic: article ``i`` of seed ``s`` depends only on ``(s, i)``, so the 1,000-article corpus is
the prefix of the 10,000-article one.

    python -m bench corpus --articles 1000 --out data/bench/corpus-1000
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from extractors.documents import content_hash, read_document

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
#: Bump when the generator changes, so cached corpora are rebuilt.
VERSION = 2

# Seed names, by role. Each key is replaced, in one pass and longest first, by the article's choice.
_SEED_COMPANIES = ("Amazon", "Microsoft", "IBM", "Google", "Apple")
_COMPANY_ALIASES = {"AWS": "Amazon", "Big Blue": "IBM"}
_SEED_PEOPLE = {  # person → the company they speak for (None: an advocate's spokesperson)
    "Jeff Bezos": "Amazon",
    "Brad Smith": "Microsoft",
    "Arvind Krishna": "IBM",
    "A.Krishna": "IBM",
    "Nicole Ozer": None,
    "Matt Cagle": None,
}
_SEED_PRODUCTS = {"Rekognition": "Amazon", "Ring": "Amazon", "iPhone": "Apple"}
_SEED_PLACES = ("Seattle",)

_STEM_HEADS = (
    "Nor", "Vel", "Kal", "Bri", "Ox", "Tes", "Quor", "Lum", "Zen", "Ar", "Cor", "Dra", "El", "Fal", "Gal",
    "Hel", "Ix", "Jor", "Kor", "Lyr", "Mar", "Nex", "Or", "Pal", "Rav", "Sol", "Tor", "Ul", "Val", "Xan",
    "Yel", "Zor", "Ast", "Bel", "Cas", "Del",
)
_STEM_TAILS = (
    "vexa", "tris", "ydo", "mstead", "alis", "sera", "vane", "etra", "ith", "gon", "anta", "ira", "ova",
    "ion", "ex", "aris", "eon", "ium", "ora", "une", "ys", "ax", "era", "ido", "ant", "ika", "orn", "elle",
)
_COMPANY_FORMS = (
    "Systems", "Technologies", "Analytics", "Labs", "Software", "Robotics", "Networks", "Data", "Security",
    "Dynamics", "Solutions", "Vision",
)
_PRODUCT_TAILS = ("Scan", "Face", "Vision", "Eye", "Sight", "ID", "Watch", "Lens")
_FIRST_NAMES = (
    "Claire", "Julien", "Sophie", "Marc", "Camille", "Thomas", "Léa", "Nicolas", "Emma", "Hugo", "Chloé",
    "Antoine", "Sarah", "Louis", "Manon", "Paul", "Julie", "Lucas", "Inès", "Mathieu", "Laura", "David",
    "Anna", "Pierre", "Elena", "Samuel", "Maria", "Daniel", "Alice", "Victor", "Rachel", "Olivier",
)
_LAST_NAMES = (
    "Martin", "Bernard", "Dubois", "Moreau", "Laurent", "Lefèvre", "Garnier", "Rousseau", "Fontaine",
    "Chevalier", "Mercier", "Blanchard", "Collins", "Harper", "Reyes", "Novak", "Lindqvist", "Okafor",
    "Tanaka", "Kowalski", "Moreno", "Fischer", "Keller", "Brennan", "Walsh", "Ferreira", "Costa", "Hughes",
    "Sato", "Meyer", "Varga", "Nilsen",
)
_CITIES = (
    "Boston", "Austin", "Denver", "Toronto", "Dublin", "Berlin", "Lyon", "Grenoble", "Montréal", "Zurich",
    "Amsterdam", "Stockholm", "Tallinn", "Oslo", "Portland", "Chicago", "Atlanta", "Munich", "Lille", "Nantes",
)

#: Share of company slots that keep their real (gazetteer) name.
REAL_NAME_SHARE = 0.1
#: Company pool: article i draws from the first ``POOL_BASE + i // POOL_DIVISOR`` synthetic companies.
POOL_BASE = 40
POOL_DIVISOR = 2

_SENTENCE_END = re.compile(r"(?<=[.!?»…])\s+(?=[«\"A-ZÀ-ÖØ-Ý0-9])|(?<=[a-zé]\.)(?=[A-ZÀ-Ý«][a-zé])")


@dataclass(frozen=True)
class Article:
    """One synthetic article: its file name and text."""

    index: int
    name: str
    text: str
    companies: tuple[str, ...]  # the company names it uses, in seed order (Amazon's first)


@dataclass(frozen=True)
class _Seed:
    stem: str
    paragraphs: tuple[tuple[str, ...], ...]  # paragraphs of sentences


def split_sentences(paragraph: str) -> list[str]:
    """Sentences of one paragraph (good enough for recombination, not a linguistic tool)."""
    return [s.strip() for s in _SENTENCE_END.split(" ".join(paragraph.split())) if s.strip()]


@cache
def seed_articles(seeds: Path = SEEDS) -> tuple[_Seed, ...]:
    """The seed articles, read like Vigie reads them (boilerplate out), as paragraphs of sentences."""
    out = []
    for path in sorted(seeds.glob("*.txt")):
        body = read_document(path).body
        paragraphs = []
        for block in re.split(r"\n\s*\n|\n", body):
            sentences = split_sentences(block)
            # A paragraph of one short line is a subtitle or a tag ("reconnaissance faciale"): keep real prose.
            if sentences and (len(sentences) > 1 or len(sentences[0].split()) >= 8):
                paragraphs.append(tuple(sentences))
        out.append(_Seed(path.stem, tuple(paragraphs)))
    return tuple(out)


def company_name(k: int) -> str:
    """The k-th synthetic company name (unique for k < 36·28·12 = 12,096; numbered beyond)."""
    heads, tails, forms = len(_STEM_HEADS), len(_STEM_TAILS), len(_COMPANY_FORMS)
    span = heads * tails * forms
    k = (k // span) * span + (k % span) * 7919 % span  # a fixed permutation: neighbours look different
    stem = _STEM_HEADS[k % heads] + _STEM_TAILS[(k // heads) % tails]
    form = _COMPANY_FORMS[(k // (heads * tails)) % forms]
    lap = k // (heads * tails * forms)
    return f"{stem} {form}" + (f" {lap + 1}" if lap else "")


def _product_name(rng: random.Random) -> str:
    return rng.choice(_STEM_HEADS) + rng.choice(_STEM_TAILS) + rng.choice(_PRODUCT_TAILS)


def _person_name(rng: random.Random) -> str:
    return f"{rng.choice(_FIRST_NAMES)} {rng.choice(_LAST_NAMES)}"


def _rename(text: str, mapping: dict[str, str]) -> str:
    pattern = re.compile(
        r"(?<![\w.])(?:" + "|".join(re.escape(k) for k in sorted(mapping, key=len, reverse=True)) + r")(?!\w)"
    )
    return pattern.sub(lambda m: mapping[m.group(0)], text)


def _window(seed: _Seed, rng: random.Random, words: int) -> list[list[str]]:
    """A contiguous run of sentences of ``seed`` (as paragraphs) of about ``words`` words."""
    flat = [(p, s) for p, para in enumerate(seed.paragraphs) for s in para]
    start = 0 if rng.random() < 0.5 else rng.randrange(len(flat))
    out: list[list[str]] = []
    count, last_paragraph = 0, None
    for offset in range(len(flat)):
        p, sentence = flat[(start + offset) % len(flat)]
        if p != last_paragraph:
            out.append([])
            last_paragraph = p
        out[-1].append(sentence)
        count += len(sentence.split())
        if count >= words:
            break
    return out


def make_article(index: int, seed: int = 0, seeds: Path = SEEDS) -> Article:
    """Synthetic article number ``index`` (deterministic in ``(seed, index)``)."""
    rng = random.Random(f"vigie-bench:{VERSION}:{seed}:{index}")
    pool = seed_articles(seeds)
    base, other = rng.sample(range(len(pool)), 2)
    paragraphs = _window(pool[base], rng, rng.randint(250, 520))
    insert = _window(pool[other], rng, rng.randint(20, 80))
    at = rng.randint(1, len(paragraphs)) if len(paragraphs) > 1 else 1
    paragraphs[at:at] = insert
    # Drop the odd sentence, so two articles from the same window still differ.
    for para in paragraphs:
        if len(para) > 2 and rng.random() < 0.3:
            del para[rng.randrange(1, len(para))]

    widest = POOL_BASE + index // POOL_DIVISOR
    chosen = rng.sample(range(widest), len(_SEED_COMPANIES))
    companies = {
        seed_name: seed_name if rng.random() < REAL_NAME_SHARE else company_name(k)
        for seed_name, k in zip(_SEED_COMPANIES, chosen, strict=True)
    }
    mapping = dict(companies)
    mapping.update({alias: companies[target] for alias, target in _COMPANY_ALIASES.items()})
    for person, company in _SEED_PEOPLE.items():
        if company is not None and companies[company] == company:
            mapping[person] = person  # a real company keeps its real people
        else:
            mapping[person] = _person_name(rng)
    mapping["A.Krishna"] = mapping["Arvind Krishna"]
    for product, company in _SEED_PRODUCTS.items():
        mapping[product] = product if companies[company] == company else _product_name(rng)
    for place in _SEED_PLACES:
        mapping[place] = rng.choice(_CITIES)

    body = "\n\n".join(" ".join(para) for para in paragraphs)
    date = f"{rng.randint(2015, 2025)}-{rng.randint(1, 12):02d}"
    text = f"date {date} {_rename(body, mapping)}\n"
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    return Article(index, f"{index:05d}_{digest}.txt", text, tuple(companies.values()))


def generate(articles: int, seed: int = 0, seeds: Path = SEEDS) -> Iterator[Article]:
    """``articles`` synthetic articles with pairwise distinct content hashes."""
    seen: set[str] = set()
    for index in range(articles):
        article = make_article(index, seed, seeds)
        bump = 0
        while (digest := content_hash(article.text)) in seen:  # vanishingly rare; keep the guarantee anyway
            bump += 1
            article = make_article(index + 1_000_000 * bump, seed, seeds)
            article = Article(index, f"{index:05d}_{article.name.split('_', 1)[1]}", article.text,
                              article.companies)
        seen.add(digest)
        yield article


def write_corpus(directory: Path | str, articles: int, seed: int = 0, *, force: bool = False) -> Path:
    """Write the corpus as ``.txt`` files into ``directory`` (reused when already there, same parameters)."""
    directory = Path(directory)
    manifest = directory / "corpus.json"
    wanted = {"version": VERSION, "seed": seed, "articles": articles}
    if not force and manifest.exists():
        try:
            if json.loads(manifest.read_text())["params"] == wanted:
                return directory
        except (ValueError, KeyError):
            pass
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    words = 0
    for article in generate(articles, seed):
        (directory / article.name).write_text(article.text, encoding="utf-8")
        words += len(article.text.split())
    manifest.write_text(json.dumps({"params": wanted, "words": words}, indent=1))
    return directory


def corpus_words(directory: Path) -> int | None:
    try:
        return int(json.loads((Path(directory) / "corpus.json").read_text())["words"])
    except (OSError, ValueError, KeyError):
        return None
