"""Merging policy candidates into one :class:`Policy` per (company, type, technology).

News reports describe one decision in several words: *un moratoire d'un an*, *refusent de fournir*,
*la suspension de leurs activités*. The merge keeps the types read in individual, unhedged statements
("strong"), and folds the types read only in collective or hedged statements ("weak": *Amazon, IBM et
Microsoft ont annoncé, à des degrés divers, la suspension …*) into the company's main decision on the
same technology: first within the article, then across the corpus (:func:`consolidate`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from extractors.exceptions import ExceptionCandidate, beneficiary_ref
from extractors.facts import Extraction, Policy, PolicyException
from extractors.policies import LEAD_ANNOUNCEMENT, PRECEDENCE, PolicyCandidate


def _news_defaults(policies: list[Policy], candidates: list[PolicyCandidate], article_date: str | None,
                   news_day: str | None, title_territory: str | None) -> None:
    """What the article's own framing says of the decision it reports (read in its title or lead, not in the
    pluperfect, not an event of an older policy) where the sentences say nothing: the day the lead gives its
    news ("Le réseau de microblogs a annoncé lundi 3 décembre …" under a title naming Tumblr), else the month
    of a day-precise date line ("The Good Guys a annoncé qu'elle suspendait l'essai" on 20 June 2022: no more
    precise than that); under "Australie : …" it applies in Australia."""
    news = {(c.company.key, c.technology) for c in candidates if c.news}
    for p in policies:
        if (p.company, p.technology) not in news:
            continue
        if p.announced is None:
            p.announced = news_day or (article_date[:7] if article_date and len(article_date) >= 10 else None)
        if p.jurisdiction is None and title_territory:
            p.jurisdiction = title_territory


def _best_type(weights: dict[str, float]) -> str:
    return max(weights, key=lambda t: (weights[t], -PRECEDENCE.index(t)))


def merge_article(candidates: list[PolicyCandidate], exceptions: list[ExceptionCandidate],
                  orphan_conditions: list[tuple[str, str | None, str | None, str | None]],
                  announcements: dict[str, set[str]] | None = None,
                  article_date: str | None = None, title_territory: str | None = None,
                  news_day: str | None = None) -> list[Policy]:
    """One Policy per (company, type, technology) for an article; weak types folded into strong ones.

    ``orphan_conditions`` are (company key, condition, legislature, jurisdiction) read in sentences
    about a company's decision that have no trigger of their own ("elle ne veut pas que … tant que …");
    ``announcements`` the dates of the sentences where a company announces something (company → dates);
    ``article_date`` the date line's, the month of a decision the title or lead reports with no date of its own;
    ``title_territory`` the one jurisdiction the title names, where such a decision applies when it says nowhere;
    ``news_day`` the day the lead gives its news, that decision's day when its own sentence has none.
    """
    _title_technologies(candidates)
    groups: dict[tuple[str, str], list[PolicyCandidate]] = defaultdict(list)
    for cand in candidates:
        groups[(cand.company.key, cand.technology)].append(cand)
    policies: list[Policy] = []
    for (company, technology), cands in groups.items():
        strong = Counter(c.type for c in cands if c.strong)
        weights = Counter()
        for c in cands:
            weights[c.type] += 1.0 if c.strong else 0.5
        kept_types = set(strong) or {_best_type(weights)}
        if len(kept_types) > 1 and all(c.sentence.start == 0 for c in cands if c.type == "withdrawal"):
            # "Mistral ferme ses modèles aux campagnes" (title) and "suspend jusqu'au second tour" (body): a
            # title's verb of stopping is the loosest reading of the decision the body words precisely.
            kept_types.discard("withdrawal")
        main = _best_type({t: weights[t] for t in kept_types})
        by_type: dict[str, Policy] = {}
        for cand in cands:
            ptype = cand.type if cand.type in kept_types else main
            policy = by_type.get(ptype)
            if policy is None:
                policy = by_type[ptype] = Policy(company, ptype, technology)
            _absorb(policy, cand)
        for policy in by_type.values():
            policy.confirmed = any(c.strong and c.type == policy.type for c in cands)
            if any(c.open_ended for c in cands):
                policy.duration = None  # "reconduit sa suspension pour une durée indéterminée": no end any more
        policies.extend(by_type.values())
    # One announcement per company and article: "Le 21 juin, X a annoncé … X va aussi restreindre …"
    for company in {p.company for p in policies}:
        dates = {p.announced for p in policies if p.company == company and p.announced}
        if not dates and announcements and len(announcements.get(company, ())) == 1:
            # "Le réseau social a annoncé mardi 3 septembre qu'il …" where the decision itself is
            # phrased elsewhere (the title): the company's one dated announcement in the article.
            dates = set(announcements[company])
        if not dates and announcements and len(announcements.get(LEAD_ANNOUNCEMENT, ())) == 1:
            dates = set(announcements[LEAD_ANNOUNCEMENT])
        if len(dates) == 1:
            for p in policies:
                if p.company == company and p.announced is None:
                    p.announced = next(iter(dates))
    # A joint decision ("six fabricants se sont engagés jeudi 6 octobre …; A, B et C promettent …"): the
    # article's one announcement date for the same decision by the other companies.
    dated = {(p.type, p.technology, p.announced) for p in policies if p.announced}
    if len({d[2] for d in dated}) == 1:
        for p in policies:
            if p.announced is None:
                p.announced = next((d[2] for d in dated if d[:2] == (p.type, p.technology)), None)
    for exc in exceptions:
        if exc.company is None:
            continue
        target = _main_policy(policies, exc.company.key)
        if target is None:
            continue
        for purpose in exc.purposes:
            existing = next((e for e in target.exceptions if e.purpose == purpose), None)
            if existing is None:
                existing = PolicyException(purpose, [], exc.labels.get(purpose, exc.label))
                target.exceptions.append(existing)
            for m in exc.beneficiaries:
                ref = beneficiary_ref(m)
                if ref not in existing.beneficiaries:
                    existing.beneficiaries.append(ref)
            for ev in exc.evidence:
                if ev not in existing.evidence:
                    existing.evidence.append(ev)
    for company, condition, legislature, juris in orphan_conditions:
        target = _main_policy(policies, company)
        if target is None:
            continue
        target.condition = target.condition or condition
        target.awaits_legislature = target.awaits_legislature or legislature
        target.jurisdiction = target.jurisdiction or juris
    _news_defaults(policies, candidates, article_date, news_day, title_territory)
    return policies


def _title_technologies(candidates: list[PolicyCandidate]) -> None:
    """A title sums up the body's decision: a title's candidate takes the technology the body gives the same
    company's decision of the same type ("… dans les drones russes : X gèle ses ventes" → the body's AI chips)."""
    body = {}
    for cand in candidates:
        if cand.sentence.start > 0:
            body.setdefault((cand.company.key, cand.type), cand.technology)
    for cand in candidates:
        if cand.sentence.start == 0:
            cand.technology = body.get((cand.company.key, cand.type), cand.technology)


def _main_policy(policies: list[Policy], company: str) -> Policy | None:
    mine = [p for p in policies if p.company == company]
    if not mine:
        return None
    return max(mine, key=lambda p: (p.confirmed, len(p.evidence), -PRECEDENCE.index(p.type)))


def _absorb(policy: Policy, cand: PolicyCandidate) -> None:
    for product in cand.products:
        if product not in policy.products:
            policy.products.append(product)
    for users in cand.restricted_users:
        if users not in policy.restricted_users:
            policy.restricted_users.append(users)
    policy.jurisdiction = policy.jurisdiction or cand.jurisdiction
    policy.duration = policy.duration or cand.duration
    policy.announced = policy.announced or cand.announced
    policy.condition = policy.condition or cand.condition
    policy.awaits_legislature = policy.awaits_legislature or cand.awaits_legislature
    for ev in cand.evidence:
        if ev not in policy.evidence:
            policy.evidence.append(ev)


def consolidate(
    extractions: Iterable[Extraction], strong: dict[tuple[str, str], Counter] | None = None
) -> list[Extraction]:
    """Cross-article merge: a policy type that no article states individually for a company is folded
    into the company's main decision on that technology (read individually elsewhere in the corpus).

    ``strong`` carries what earlier calls learnt (decisions read individually), so a corpus can be
    consolidated window by window, in bounded memory; it is updated with these extractions' decisions.
    """
    extractions = list(extractions)
    if strong is None:
        strong = defaultdict(Counter)
    for ex in extractions:
        for p in ex.policies:
            if p.confirmed:
                strong[(p.company, p.technology)][p.type] += len(p.evidence)
    for ex in extractions:
        merged: dict[tuple[str, str, str], Policy] = {}
        for p in ex.policies:
            ptype = p.type
            known = strong.get((p.company, p.technology))
            if not p.confirmed and known and ptype not in known:
                ptype = _best_type(dict(known))
            key = (p.company, ptype, p.technology)
            if key not in merged:
                p.type = ptype
                merged[key] = p
            else:
                _fold(merged[key], p)
        ex.policies = list(merged.values())
    return extractions


def _fold(into: Policy, other: Policy) -> None:
    for attr in ("products", "restricted_users"):
        values = getattr(into, attr)
        for v in getattr(other, attr):
            if v not in values:
                values.append(v)
    for attr in ("jurisdiction", "duration", "announced", "condition", "awaits_legislature"):
        if getattr(into, attr) is None:
            setattr(into, attr, getattr(other, attr))
    for exc in other.exceptions:
        mine = next((e for e in into.exceptions if e.purpose == exc.purpose), None)
        if mine is None:
            into.exceptions.append(exc)
        else:
            mine.beneficiaries += [b for b in exc.beneficiaries if b not in mine.beneficiaries]
            mine.evidence += [e for e in exc.evidence if e not in mine.evidence]
    into.evidence += [e for e in other.evidence if e not in into.evidence]
    into.events += other.events  # the same step twice is one node in the graph (extractors.rdf)
