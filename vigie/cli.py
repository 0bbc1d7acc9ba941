"""The ``vigie`` command: ingest articles, serve the API, query, export, evaluate, validate."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import pyoxigraph as ox
import typer

from vigie.backends import is_store_url
from vigie.backends import open_store as open_graph_store
from vigie.export import dump
from vigie.formats import EXPORT_FORMATS, RESULTS_FORMATS, rdf_format
from vigie.store import DEFAULT_STORE, GraphStore, StoreError

if TYPE_CHECKING:
    from vigie.evaluation import ExtractedGraph

app = typer.Typer(
    name="vigie",
    help="Vigie: a knowledge graph of what technology companies decide about sensitive technologies.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

StoreOption = Annotated[
    str,
    typer.Option(
        "--store", envvar="VIGIE_STORE",
        help="Folder of the embedded Oxigraph store, or the URL of a SPARQL 1.1 server "
        "(http://host:7878 for `oxigraph serve`; see docs/remote-store.md).",
    ),
]


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print one clear line on stderr and return the exit to raise."""
    typer.echo(f"vigie: error: {message}", err=True)
    return typer.Exit(code)


TokenOption = Annotated[
    str | None,
    typer.Option(
        "--token", envvar=["VIGIE_STORE_TOKEN", "VIGIE_WRITE_TOKEN"], show_envvar=True,
        help="Write token of the store server (a `vigie serve`'s VIGIE_WRITE_TOKEN), sent as a bearer token. "
        "Prefer the environment variables: a token on the command line is visible in `ps`.",
    ),
]


def open_store(spec: str | Path, *, read_only: bool = False, must_exist: bool = True,
               token: str | None = None) -> GraphStore:
    """The store ``--store`` names: a server URL (checked to answer) or an embedded store's folder."""
    if is_store_url(spec):
        try:
            db = open_graph_store(str(spec), read_only=read_only, **({"token": token} if token else {}))
            db.ping()
        except StoreError as exc:
            raise fail(str(exc)) from None
        return db
    path = Path(spec)
    if must_exist and not path.exists():
        raise fail(f"no store at {path} (run `vigie ingest` first)")
    try:
        return open_graph_store(path, read_only=read_only)
    except StoreError as exc:
        if "lock" in str(exc).lower():
            # RocksDB lets one process open a store read-write: say what to do instead.
            raise fail(
                f"store {path} is in use by another process (a running `vigie serve` or `vigie ingest`?): "
                "stop it, or write through the running server with --store http://HOST:PORT"
            ) from None
        raise fail(str(exc)) from None


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(
        help="Article files (.txt) or folders of them; web pages (http(s):// URLs, saved .html files); RSS or "
        "Atom feeds (URLs, or .xml/.rss/.atom files), whose items' pages are ingested.")],
    store: StoreOption = DEFAULT_STORE,
    workers: Annotated[int, typer.Option(min=1, help="Extraction processes.")] = 1,
    batch_size: Annotated[int, typer.Option(min=1, help="Articles per spaCy batch and per transaction.")] = 16,
    max_bytes: Annotated[int, typer.Option(min=1, help="Largest article file accepted, in bytes.")] = 2_000_000,
    max_facts: Annotated[
        int, typer.Option(min=1, help="Most facts (actors, policies, statements) one article may yield.")
    ] = 2_000,
    validate: Annotated[
        bool, typer.Option("--validate", help="Check each article against the SHACL shapes before writing it.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    shard: Annotated[
        str | None,
        typer.Option(
            help="Only the files of shard i of n (e.g. 2/4), by a stable hash of the file name: "
            "n hosts each run one shard into the same --store URL.",
        ),
    ] = None,
    token: TokenOption = None,
    cluster: Annotated[
        str | None,
        typer.Option(
            help="Extract on a Dask cluster: its scheduler's address (tcp://HOST:8786), or local:N to start N "
            "worker processes here. Workers write to a --store URL; a folder is written by this process.",
        ),
    ] = None,
) -> None:
    """Extract facts from articles and write each article's graph into the store (a folder, or a SPARQL
    server's URL: an Oxigraph server, Fuseki, or a running `vigie serve` with --token)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from vigie.ingest import find_articles, in_shard, ingest_paths, parse_shard

    try:
        shard_spec = parse_shard(shard) if shard else None
        if cluster:
            _check_cluster(cluster, workers)
    except ValueError as exc:
        raise fail(str(exc)) from None
    web, paths = _web_sources(paths)
    db = open_store(store, must_exist=False, token=token)
    try:
        db.load_schema()
    except StoreError as exc:
        raise fail(str(exc)) from None
    checker = None
    if validate and not cluster:  # on a cluster, each worker checks its own articles
        from vigie.validation import article_checker

        checker = article_checker()
    total = sum(1 for path, _ in find_articles(paths) if in_shard(path, shard_spec))
    with Progress(
        TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        disable=quiet or not sys.stderr.isatty(), console=None,
    ) as bar:
        task = bar.add_task("ingest", total=total)
        options = {"batch_size": batch_size, "max_bytes": max_bytes, "max_facts": max_facts, "shard": shard_spec,
                   "progress": lambda _doc: bar.advance(task)}
        try:
            if cluster:
                report = _ingest_on_cluster(cluster, db, paths, token=token, validate=validate, **options)
            else:
                from extractors.pipeline import Extractor

                extractor = Extractor(extra_aliases=curated_aliases(db))
                report = ingest_paths(db, paths, extractor, workers=workers, validate=checker, **options)
        except StoreError as exc:
            # Articles already written are whole; a re-run skips them and writes the rest.
            raise fail(f"{exc}; the articles written are whole: run the same command again to finish") from None
    if web:
        report = _ingest_web(db, store, web, report, validate=checker, batch_size=batch_size, quiet=quiet)
    from vigie.watch import problems, summary

    for line in problems(report):
        typer.echo(line, err=True)
    typer.echo(summary(report, store))
    if report.failed:
        raise typer.Exit(2)


def _web_sources(specs: list[str]) -> tuple[list[str], list[Path]]:
    """``vigie ingest``'s arguments split into web sources (URLs, saved pages, feed files, and the saved
    pages inside the folders given) and article paths."""
    from extractors.web_documents import HTML_SUFFIXES
    from vigie.ingest import find_articles
    from vigie.web_ingest import is_web_source

    paths = [Path(s) for s in specs if not is_web_source(s)]
    folders = [p for p in paths if _is_folder(p)]
    pages = [str(path) for path, problem in find_articles(folders, HTML_SUFFIXES) if problem is None]
    return [s for s in specs if is_web_source(s)] + pages, paths


def _is_folder(path: Path) -> bool:
    """Whether ``path`` is a folder (one that cannot be looked at is reported by the article files' pass)."""
    try:
        return path.is_dir()
    except OSError:
        return False


def _ingest_web(db: GraphStore, store: str, sources: list[str], report, *, validate, batch_size: int, quiet: bool,
                state_path: Path | None = None, policy=None):
    """The web sources of ``vigie ingest`` (see :mod:`vigie.web_ingest`), added to ``report``."""
    from extractors.pipeline import Extractor
    from vigie.crawl_state import CrawlState, default_state_path
    from vigie.fetch import FetchPolicy
    from vigie.watch import Round

    state = CrawlState(state_path or default_state_path(store))
    try:
        round_ = Round(db, Extractor(extra_aliases=curated_aliases(db)), state, policy or FetchPolicy(),
                       batch_size=batch_size, validate=validate)
        with _web_progress(quiet) as progress:
            web = round_.run(sources, progress=progress)
    except StoreError as exc:
        raise fail(f"{exc}; the articles written are whole: run the same command again to finish") from None
    finally:
        state.close()
    for name in ("ingested", "unchanged", "failed", "changed", "skipped"):
        getattr(report, name).extend(getattr(web, name))
    report.quads += web.quads
    return report


@contextlib.contextmanager
def _web_progress(quiet: bool):
    """A progress bar for pages (its total grows as feeds are read): yields ``progress(total, name)``."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("[bold]web"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  disable=quiet or not sys.stderr.isatty()) as bar:
        task = bar.add_task("web", total=None)

        def progress(total: int, name: str) -> None:
            bar.update(task, total=total, advance=1 if name else 0)

        yield progress


def _check_cluster(spec: str, workers: int) -> None:
    """``ValueError`` for a malformed --cluster, or beside --workers (the cluster's workers extract)."""
    from vigie.cluster import parse_cluster

    parse_cluster(spec)
    if workers > 1:
        raise ValueError("--workers is for an ingest on this machine; with --cluster the cluster's workers extract "
                         "(--cluster local:N starts N here)")


def _ingest_on_cluster(spec: str, db: GraphStore, paths: list[Path], **options):
    """``vigie ingest --cluster``: see :mod:`vigie.cluster` (imported here only: Dask loads slowly)."""
    from vigie.cluster import ClusterError, connect, ingest_on_cluster

    try:
        with connect(spec) as client:
            return ingest_on_cluster(client, db, paths, aliases=curated_aliases(db), **options)
    except ClusterError as exc:
        raise fail(str(exc)) from None


def curated_aliases(db: GraphStore) -> list[tuple[str, str, str]]:
    """Aliases curators added in the curation graph, as (kind, key, alias) for the extractors
    (see :mod:`vigie.curation` and docs/curation.md)."""
    from vigie import curation

    return curation.curated_aliases(db)


@app.command()
def serve(
    store: StoreOption = DEFAULT_STORE,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    write_token: Annotated[
        str | None,
        typer.Option(
            "--write-token", "--update-token", envvar=["VIGIE_WRITE_TOKEN", "VIGIE_UPDATE_TOKEN"],
            help="Token that enables writes for requests with 'Authorization: Bearer TOKEN': SPARQL Update, "
            "the Graph Store Protocol at /store, and the curation routes (see docs/curation.md). On the command "
            "line it is visible to every user in `ps`: prefer VIGIE_WRITE_TOKEN or --write-token-file.",
        ),
    ] = None,
    write_token_file: Annotated[
        Path | None,
        typer.Option("--write-token-file", help="Read the write token from this file (its first line)."),
    ] = None,
) -> None:
    """Serve SPARQL at /sparql, the REST API, and its OpenAPI docs at /docs."""
    import uvicorn

    if is_store_url(store):
        open_store(store, read_only=True).close()  # one clear line now if the server is not there
    elif not Path(store).exists():
        raise fail(f"no store at {store} (run `vigie ingest` first)")
    else:
        # One clear line now if another process holds the store, rather than a traceback from the app.
        open_store(store, read_only=os.environ.get("VIGIE_STORE_READ_ONLY", "").lower() in ("1", "true", "yes", "on"))
    os.environ["VIGIE_STORE"] = str(store)
    if write_token_file is not None:
        write_token = _read_token(write_token_file)
    elif write_token and any(arg.split("=")[0] in ("--write-token", "--update-token") for arg in sys.argv):
        typer.echo("vigie serve: warning: a token on the command line is visible to other users in `ps`; "
                   "pass it as VIGIE_WRITE_TOKEN or with --write-token-file", err=True)
    if write_token:
        os.environ["VIGIE_WRITE_TOKEN"] = write_token
    typer.echo(f"Vigie serving {store} on http://{host}:{port} (SPARQL at /sparql, docs at /docs)", err=True)
    uvicorn.run("api.app:create_app", factory=True, host=host, port=port, log_level="info")


def _read_token(path: Path) -> str:
    try:
        token = path.read_text(encoding="utf-8").splitlines()[0].strip() if path.stat().st_size else ""
    except (OSError, UnicodeDecodeError) as exc:
        raise fail(f"cannot read the write token from {path}: {exc}") from None
    if not token:
        raise fail(f"the write token file {path} is empty")
    return token


@app.command()
def query(
    query_or_file: Annotated[str, typer.Argument(help="A SPARQL query, or a .rq file holding one.")],
    store: StoreOption = DEFAULT_STORE,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="json|xml|csv|tsv for SELECT/ASK; an RDF format for CONSTRUCT.")
    ] = "json",
) -> None:
    """Run a SPARQL query over the union of all graphs and print the results."""
    text = query_or_file
    if query_or_file.endswith(".rq"):
        try:
            text = Path(query_or_file).read_text(encoding="utf-8")
        except OSError as exc:
            raise fail(f"cannot read {query_or_file}: {exc.strerror}") from None
    db = open_store(store, read_only=True)
    try:
        result = db.query(text)
    except SyntaxError as exc:
        raise fail(f"malformed SPARQL: {exc}") from None
    except StoreError as exc:
        raise fail(str(exc)) from None
    out = sys.stdout.buffer
    if isinstance(result, ox.QueryTriples):
        try:
            result.serialize(out, rdf_format("ntriples" if fmt == "json" else fmt))
        except ValueError as exc:
            raise fail(str(exc)) from None
    else:
        if fmt not in RESULTS_FORMATS:
            raise fail(f"unknown results format {fmt!r} (known: {', '.join(RESULTS_FORMATS)})")
        result.serialize(out, RESULTS_FORMATS[fmt])
    out.write(b"\n")


@app.command()
def export(
    store: StoreOption = DEFAULT_STORE,
    fmt: Annotated[str, typer.Option("--format", "-f", help=f"One of {', '.join(EXPORT_FORMATS)}.")] = "turtle",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")] = None,
    company: Annotated[
        str | None, typer.Option("--company", help="Only this company's facts (slug, e.g. amazon, or IRI).")
    ] = None,
    document: Annotated[
        str | None, typer.Option("--document", help="Only this article's graph (id = file stem, or IRI).")
    ] = None,
    include_ontology: Annotated[
        bool, typer.Option("--include-ontology", help="Add the ontology, vocabularies and gazetteer.")
    ] = False,
) -> None:
    """Export the knowledge graph. TriG, N-Quads and JSON-LD keep each article's named graph; Turtle and
    N-Triples hold their union. By default every article, without the ontology."""
    from vigie import export as exporter

    try:
        rdf = rdf_format(fmt)
    except ValueError as exc:
        raise fail(str(exc)) from None
    db = open_store(store, read_only=True)
    try:
        graphs = [exporter.document_iri(db, document)] if document else None
        company_node = exporter.company_iri(db, company) if company else None
    except exporter.UnknownId as exc:
        raise fail(str(exc)) from None
    options = {"graphs": graphs, "include_schema": include_ontology, "company": company_node}
    if output is None:
        dump(db, sys.stdout.buffer, rdf, **options)
        return
    tmp = output.with_name(output.name + ".part")
    try:
        with tmp.open("wb") as handle:
            dump(db, handle, rdf, **options)
        tmp.replace(output)  # never leave a half-written export under the real name
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise fail(f"cannot write {output}: {exc.strerror}") from None
    typer.echo(f"wrote {output}", err=True)


@app.command(name="eval")
def evaluate_command(
    gold: Annotated[Path, typer.Argument(help="A vigie-gold/1 file, e.g. seeds/gold.json.")],
    store: StoreOption = DEFAULT_STORE,
    min_f1: Annotated[float, typer.Option(help="Exit non-zero when the overall F1 is below this.")] = 0.0,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List misses and spurious facts.")] = False,
    per_article: Annotated[bool, typer.Option(
        "--per-article",
        help="Count a fact only where its article holds it: each article's graph against the gold entries "
             "whose docs name that article.")] = False,
    api: Annotated[str | None, typer.Option(
        "--api",
        help="Score a running Vigie server over its REST API only (/companies, /advocates, /legislatures, "
             "/company/{id}/policies), e.g. http://127.0.0.1:8000, instead of --store.")] = None,
) -> None:
    """Score the graph against a gold file: precision, recall, F1 per category, attribute accuracy."""
    from rich.console import Console
    from rich.table import Table

    from vigie.evaluation import (
        ATTRIBUTES,
        evaluate,
        evaluate_per_article,
        load_gold,
        read_graph,
        read_graphs_by_document,
    )

    try:
        gold_data = load_gold(gold)
    except (OSError, ValueError) as exc:
        raise fail(f"cannot read gold file {gold}: {exc}") from None
    if api is not None:
        result = evaluate(gold_data, _read_api(api, per_article))
    elif per_article:
        result = evaluate_per_article(gold_data, read_graphs_by_document(open_store(store, read_only=True)))
    else:
        result = evaluate(gold_data, read_graph(open_store(store, read_only=True)))
    table = Table(title=f"{gold} (per article)" if per_article else f"{gold}")
    for column in ("category", "P", "R", "F1", "TP", "FP", "FN"):
        table.add_column(column, justify="left" if column == "category" else "right")
    for name, score in [*result.categories.items(), ("micro", result.micro)]:
        table.add_row(name, f"{score.precision:.3f}", f"{score.recall:.3f}", f"{score.f1:.3f}",
                      str(score.tp), str(score.fp), str(score.fn))
    console = Console(width=100)
    console.print(table)
    attrs = ", ".join(f"{n} {c}/{t}" for n, (c, t) in result.attributes.items() if n in ATTRIBUTES)
    console.print(f"policy attribute accuracy: {result.attribute_accuracy:.3f} ({attrs})")
    events = result.events  # scored where the gold lists a policy's events (issue 16)
    if events.tp + events.fp + events.fn:
        console.print(f"policy events: P {events.precision:.3f} R {events.recall:.3f} F1 {events.f1:.3f} "
                      f"(tp {events.tp}, fp {events.fp}, fn {events.fn})")
    if verbose:
        for name, score in result.categories.items():
            for miss in score.misses:
                console.print(f"  missed {name}: {miss}")
            for extra in score.spurious:
                console.print(f"  spurious {name}: {extra}")
        for error in result.attribute_errors:
            console.print(f"  attribute: {error}")
        for miss in events.misses:
            console.print(f"  missed event: {miss}")
        for extra in events.spurious:
            console.print(f"  spurious event: {extra}")
    if result.micro.f1 < min_f1:
        raise fail(f"F1 {result.micro.f1:.3f} is below --min-f1 {min_f1}")


def _read_api(url: str, per_article: bool) -> ExtractedGraph:
    """What the Vigie server at ``url`` serves over REST (``vigie eval --api``), or one error line."""
    from vigie.rest_reader import RestReadError, read_api

    if per_article:  # the REST lists are the consolidated graph: no article's graph on its own
        raise fail("--per-article reads each article's graph from a store: it cannot be combined with --api")
    try:
        return read_api(url)
    except RestReadError as exc:
        raise fail(str(exc)) from None


@app.command()
def stats(store: StoreOption = DEFAULT_STORE) -> None:
    """Count the nodes of each class, and the facts of each article."""
    from queries import load_text

    db = open_store(store, read_only=True)
    typer.echo(f"{len(db)} quads")
    for row in db.select(load_text("stats_classes")):
        typer.echo(f"{row['class'].value.rsplit('#', 1)[-1]:<14} {row['count'].value}")
    for row in db.select(load_text("stats_documents")):
        typer.echo(f"{row['id'].value:<40} {row['triples'].value:>6} triples")


@app.command()
def reindex(store: StoreOption = DEFAULT_STORE, token: TokenOption = None) -> None:
    """Recompute the consolidated graph (the default graph: each fact once) from the article graphs.

    Every write keeps it exact; this is for a store changed below Vigie, or to check it.
    """
    import time

    db = open_store(store, token=token)
    started = time.perf_counter()
    try:
        size = db.rebuild()
    except StoreError as exc:
        raise fail(str(exc)) from None
    typer.echo(f"consolidated graph rebuilt: {size} triples in {time.perf_counter() - started:.1f} s")


@app.command()
def validate(
    store: StoreOption = DEFAULT_STORE,
    document: Annotated[
        str | None, typer.Option("--document", help="Check only this article's graph (id or IRI).")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, help="Most violations listed one per line.")] = 50,
    full: Annotated[bool, typer.Option("--full", help="Print pyshacl's complete report too.")] = False,
) -> None:
    """Check the articles' graphs against the SHACL shapes of ontology/shapes.ttl (exit 1 if they do not conform)."""
    from vigie import export as exporter
    from vigie.validation import validate_store

    db = open_store(store, read_only=True)
    try:
        graphs = [exporter.document_iri(db, document)] if document else db.document_graphs()
    except exporter.UnknownId as exc:
        raise fail(str(exc)) from None
    report = validate_store(db, graphs)
    if report.conforms:
        typer.echo(f"{len(graphs)} article graph(s) conform to ontology/shapes.ttl")
        return
    typer.echo(report.summary(limit=limit))
    if full:
        typer.echo(report.text)
    raise fail(f"the graph does not conform: {report.violations} violation(s) in {len(graphs)} article graph(s)")


@app.command()
def backup(
    target: Annotated[Path, typer.Argument(help="New folder to write the backup into (must not exist).")],
    store: StoreOption = DEFAULT_STORE,
) -> None:
    """Write a consistent backup of the store (an Oxigraph backup folder that opens as a store)."""
    from vigie.backup import backup as backup_store

    if is_store_url(store):
        raise fail("vigie backup copies an embedded store; back up a SPARQL server with its own tools")
    try:
        count = backup_store(store, target)
    except StoreError as exc:
        raise fail(str(exc)) from None
    typer.echo(f"{count} quads backed up from {store} to {target}")


@app.command()
def restore(
    source: Annotated[Path, typer.Argument(help="A backup folder (vigie backup) or an N-Quads/TriG dump.")],
    store: StoreOption = DEFAULT_STORE,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing store.")] = False,
) -> None:
    """Rebuild the store from a backup or a dump, without re-extracting any article."""
    from vigie.backup import restore as restore_store

    if is_store_url(store):
        raise fail("vigie restore rebuilds an embedded store; load a dump into a SPARQL server with its own tools")
    try:
        report = restore_store(source, store, force=force)
    except StoreError as exc:
        raise fail(str(exc)) from None
    typer.echo(
        f"{report.quads} quads, {report.documents} articles restored into {store} "
        f"from {report.source_kind} {source}"
    )


@app.command()
def docs(
    output: Annotated[Path, typer.Option("--output", "-o", help="Markdown file to write.")] = Path("docs/ontology.md"),
    check: Annotated[bool, typer.Option("--check", help="Only check the file is up to date (exit 1 if not).")] = False,
) -> None:
    """Generate the ontology documentation (classes, properties, vocabularies, gazetteer, shapes) from ontology/."""
    from vigie.ontology_docs import is_up_to_date, write

    if check:
        if not is_up_to_date(output):
            raise fail(f"{output} is out of date: run `vigie docs`")
        typer.echo(f"{output} is up to date")
        return
    typer.echo(f"{output} {'written' if write(output) else 'unchanged'}")


@app.command()
def watch(
    feeds: Annotated[list[str] | None, typer.Argument(help="RSS or Atom feed URLs (or files) to follow.")] = None,
    feed_list: Annotated[
        Path | None, typer.Option("--feeds", help="A file of feed URLs, one a line (# comments).")
    ] = None,
    store: StoreOption = DEFAULT_STORE,
    every: Annotated[str, typer.Option(help="Time between rounds: 30s, 15m, 2h, 1d.")] = "15m",
    once: Annotated[bool, typer.Option("--once", help="One round, then exit (for cron).")] = False,
    state: Annotated[
        Path | None,
        typer.Option(help="The crawl state file (default: beside the store, STORE.follow.sqlite).")] = None,
    delay: Annotated[float, typer.Option(min=0, help="Seconds between two requests to one site.")] = 1.0,
    timeout: Annotated[float, typer.Option(min=0.1, help="Seconds to wait for a site to answer.")] = 20.0,
    batch_size: Annotated[int, typer.Option(min=1, help="Articles per spaCy batch and per transaction.")] = 16,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    token: TokenOption = None,
) -> None:
    """Follow news feeds: ingest the pages of their new and changed items, every --every (or --once).

    Items seen before are not fetched again; pages not in French are skipped; wire copy republished by
    several sites is recorded as one story. Exit code 2 when something failed in a --once round.
    """
    import threading

    from extractors.pipeline import Extractor
    from vigie.crawl_state import CrawlState, default_state_path
    from vigie.feeds import FeedError, read_feed_list
    from vigie.fetch import FetchPolicy
    from vigie.watch import Round, parse_interval, problems, summary
    from vigie.watch import watch as follow

    try:
        interval = parse_interval(every)
        sources = [*(feeds or []), *(read_feed_list(feed_list) if feed_list else [])]
    except (ValueError, FeedError) as exc:
        raise fail(str(exc)) from None
    if not sources:
        raise fail("no feed to follow: give feed URLs or --feeds FILE")
    db = open_store(store, must_exist=False, token=token)
    try:
        db.load_schema()
    except StoreError as exc:
        raise fail(str(exc)) from None
    crawl = CrawlState(state or default_state_path(store))
    round_ = Round(db, Extractor(extra_aliases=curated_aliases(db)), crawl,
                   FetchPolicy(delay=delay, timeout=timeout), batch_size=batch_size)
    failed = False

    def show(report) -> None:
        nonlocal failed
        for line in problems(report):
            typer.echo(line, err=True)
        typer.echo(summary(report, store))
        failed = failed or bool(report.failed)

    def one_round() -> None:
        with _web_progress(quiet) as progress:
            show(round_.run(sources, progress=progress))

    try:
        if once:
            one_round()
        else:
            typer.echo(f"vigie: following {len(sources)} feed(s) every {every} (Ctrl-C to stop)", err=True)
            follow(round_, sources, interval, threading.Event(), lambda report: show(report))
    except StoreError as exc:
        raise fail(f"{exc}; the articles written are whole: run the same command again to finish") from None
    except KeyboardInterrupt:
        typer.echo("vigie: stopped", err=True)
    finally:
        crawl.close()
        round_ = db = None  # the store's lock goes with its last reference, even while an exit unwinds
    if once and failed:
        raise typer.Exit(2)


def main() -> None:  # pragma: no cover - console entry point
    app()
