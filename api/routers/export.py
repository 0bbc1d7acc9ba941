"""``/export``: the whole graph (the articles' graphs, optionally the schema), streamed."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import Annotated, Literal

import pyoxigraph as ox
from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import FileResponse, StreamingResponse

from api.deps import Context, context
from vigie import export as exporter

router = APIRouter(tags=["export"])

FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}

_CHUNK = 64 * 1024


class _Closed(Exception):
    pass


class _QueueWriter:
    """A binary file whose writes go to a bounded queue (so the dump waits for a slow client)."""

    def __init__(self, chunks: queue.Queue, closed: threading.Event) -> None:
        self.chunks = chunks
        self.closed = closed
        self.buffer = bytearray()

    def write(self, data: bytes) -> int:
        if self.closed.is_set():
            raise _Closed
        self.buffer += data
        if len(self.buffer) >= _CHUNK:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if self.buffer:
            while not self.closed.is_set():
                try:
                    self.chunks.put(bytes(self.buffer), timeout=0.5)
                    break
                except queue.Full:
                    continue
            self.buffer.clear()


def _stream(ctx: Context, fmt: ox.RdfFormat, include_schema: bool, **subset) -> Iterator[bytes]:
    chunks: queue.Queue = queue.Queue(maxsize=16)
    closed = threading.Event()
    done = object()

    def produce() -> None:
        writer = _QueueWriter(chunks, closed)
        try:
            exporter.dump(ctx.store, writer, fmt, include_schema=include_schema, **subset)  # type: ignore[arg-type]
            writer.flush()
        except _Closed:
            return
        except Exception as exc:  # reported in the stream: the status is already sent
            chunks.put(f"\n# export failed: {exc}\n".encode())
        chunks.put(done)

    threading.Thread(target=produce, name="vigie-export", daemon=True).start()
    try:
        while (item := chunks.get()) is not done:
            yield item
    finally:
        closed.set()


@router.get(
    "/export",
    summary="Export the graph",
    response_class=StreamingResponse,
    responses={200: {"description": "The graph in the requested format.",
                     "content": {f.media_type: {} for f in FORMATS.values()}},
               404: {"description": "No such company or document."}},
)
def export(
    ctx: Annotated[Context, Depends(context)],
    format: Annotated[Literal["turtle", "trig", "nquads", "ntriples", "jsonld", "rdfxml"], Query()] = "turtle",
    include_schema: Annotated[bool, Query(description="Also the ontology, vocabularies and gazetteer.")] = False,
    company: Annotated[str | None, Query(description="Only this company's facts (slug, e.g. amazon).")] = None,
    document: Annotated[str | None, Query(description="Only this article's graph (its id).")] = None,
) -> StreamingResponse:
    """The articles' graphs (TriG, N-Quads and JSON-LD keep one named graph per article; Turtle,
    N-Triples and RDF/XML get their union), or one company's facts, or one article's graph.
    JSON-LD uses the published context (`GET /export/context.jsonld`)."""
    fmt = FORMATS[format]
    try:
        graphs = [exporter.document_iri(ctx.store, document)] if document else None
        company_node = exporter.company_iri(ctx.store, company) if company else None
    except exporter.UnknownId as exc:
        raise HTTPException(404, str(exc)) from None
    filename = exporter.file_name(format, company=company, document=document)
    return StreamingResponse(
        _stream(ctx, fmt, include_schema, graphs=graphs, company=company_node),
        media_type=fmt.media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/export/context.jsonld", summary="The JSON-LD context of the exports", response_class=FileResponse)
def jsonld_context() -> FileResponse:
    """The published `@context` of Vigie's JSON-LD (prefixes and property names), as in `ontology/context.jsonld`."""
    import ontology

    return FileResponse(ontology.path(exporter.CONTEXT_FILE), media_type="application/ld+json")
