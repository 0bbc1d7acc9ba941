"""BENCHMARKS.md: regenerate only what the harness owns.

The harness owns the text between ``<!-- bench:begin -->`` and ``<!-- bench:end -->``; inside it each
benchmark owns its own ``<!-- bench:NAME:begin/end -->`` block, so running one benchmark replaces its
block and leaves the others' (and every section written by hand outside the markers) untouched. Each
block carries its goals as a hidden JSON comment, from which the summary table is rebuilt.
"""

from __future__ import annotations

import json
import math
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.machine import describe
from bench.util import RESULTS, ROOT

BENCHMARKS = ROOT / "BENCHMARKS.md"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
#: Order of the blocks in the generated section.
ORDER = ("extraction", "workers", "store", "query", "scale", "export", "profile")
TITLES = {
    "extraction": "1. Extraction throughput",
    "workers": "2. Parallel ingestion",
    "store": "3. Store load",
    "query": "4. Query latency",
    "scale": "5. Scale",
    "export": "6. Export",
    "profile": "Profiles",
}

HEADER = """# Benchmarks

"""
INTRO = """## Generated figures

Produced by `make bench` (= `.venv/bin/python -m bench`); one benchmark alone with e.g.
`.venv/bin/python -m bench extraction --articles 200` (see `python -m bench --help`). Each block below says
the command, the machine, how loaded it was (load averages at start and end: the machine may be shared)
and, for every figure, the baseline measured in the same run. Raw results are kept as JSON in
`bench/results/` (not committed). Everything between the `bench:` markers is rewritten by the harness;
write notes outside them.
"""


@dataclass
class Goal:
    name: str
    target: str
    measured: str
    met: bool | None  # None: not measured / not applicable

    def as_dict(self) -> dict:
        return {"name": self.name, "target": self.target, "measured": self.measured, "met": self.met}


@dataclass
class Section:
    name: str
    command: str
    machine: dict
    load_start: list[float]
    load_end: list[float]
    body: str
    goals: list[Goal] = field(default_factory=list)
    raw: dict = field(default_factory=dict)
    when: str = field(default_factory=lambda: time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()))

    def render(self) -> str:
        goals = json.dumps([g.as_dict() for g in self.goals], ensure_ascii=False)
        lines = [
            f"<!-- bench:{self.name}:begin -->",
            f"<!-- bench:{self.name}:goals {goals} -->",
            f"### {TITLES.get(self.name, self.name)}",
            "",
            f"`{self.command}` — {self.when}; load average {self.load_start[0]:.2f} → {self.load_end[0]:.2f}.  ",
            f"Machine: {describe(self.machine)}.",
            "",
            self.body.strip(),
            "",
        ]
        if self.goals:
            lines += ["| goal | target | measured | met |", "|---|---|---|---|"]
            lines += [f"| {g.name} | {g.target} | {g.measured} | {_met(g.met)} |" for g in self.goals]
            lines.append("")
        lines.append(f"<!-- bench:{self.name}:end -->")
        return "\n".join(lines)


def _met(met: bool | None) -> str:
    return "—" if met is None else ("yes" if met else "**no**")


def table(headers: list[str], rows: list[list]) -> str:
    def cell(value) -> str:
        if isinstance(value, float):
            if math.isnan(value):
                return "—"
            if abs(value) >= 100:
                return f"{value:,.0f}"
            if abs(value) >= 10:
                return f"{value:.1f}"
            return f"{value:.2f}"
        return str(value)

    out = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    out += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(out)


def _blocks(region: str) -> dict[str, str]:
    found = {}
    for match in re.finditer(r"<!-- bench:([a-z0-9_-]+):begin -->.*?<!-- bench:\1:end -->", region, re.S):
        found[match.group(1)] = match.group(0)
    return found


def _summary(blocks: dict[str, str]) -> str:
    rows = []
    for name in sorted(blocks, key=lambda n: ORDER.index(n) if n in ORDER else len(ORDER)):
        match = re.search(rf"<!-- bench:{name}:goals (.*?) -->", blocks[name])
        if not match:
            continue
        for goal in json.loads(match.group(1)):
            rows.append(f"| {TITLES.get(name, name)} | {goal['name']} | {goal['target']} | {goal['measured']} | "
                        f"{_met(goal['met'])} |")
    if not rows:
        return ""
    return "\n".join(["### Goals at a glance", "", "| benchmark | goal | target | measured | met |",
                      "|---|---|---|---|---|", *rows, ""])


def write(sections: list[Section], path: Path = BENCHMARKS) -> None:
    """Replace the given sections' blocks in BENCHMARKS.md (creating it if needed), keep the rest."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    for section in sections:
        raw = {"command": section.command, "when": section.when, "machine": section.machine,
               "load": [section.load_start, section.load_end], "results": section.raw,
               "goals": [g.as_dict() for g in section.goals]}
        (RESULTS / f"{section.name}.json").write_text(json.dumps(raw, indent=1, ensure_ascii=False, default=str))
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    if BEGIN in text and END in text:
        before, rest = text.split(BEGIN, 1)
        region, after = rest.split(END, 1)
    else:
        before, region, after = text.rstrip() + "\n\n", "", "\n"
    blocks = _blocks(region)
    for section in sections:
        blocks[section.name] = section.render()
    ordered = sorted(blocks, key=lambda n: ORDER.index(n) if n in ORDER else len(ORDER))
    new_region = "\n".join([INTRO, _summary(blocks), *(blocks[n] + "\n" for n in ordered)])
    path.write_text(before + BEGIN + "\n" + new_region.strip() + "\n" + END + after, encoding="utf-8")
