"""``/export``: the whole graph (the articles' graphs, optionally the schema), streamed."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import Annotated, Literal

import pyoxigraph as ox
from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse

from api.deps import Context, context

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


def _stream(ctx: Context, fmt: ox.RdfFormat, include_schema: bool) -> Iterator[bytes]:
    chunks: queue.Queue = queue.Queue(maxsize=16)
    closed = threading.Event()
    done = object()

    def produce() -> None:
        writer = _QueueWriter(chunks, closed)
        try:
            ctx.store.dump(writer, fmt, include_schema=include_schema)  # type: ignore[arg-type]
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
                     "content": {f.media_type: {} for f in FORMATS.values()}}},
)
def export(
    ctx: Annotated[Context, Depends(context)],
    format: Annotated[Literal["turtle", "trig", "nquads", "ntriples", "jsonld", "rdfxml"], Query()] = "turtle",
    include_schema: Annotated[bool, Query(description="Also the ontology, vocabularies and gazetteer.")] = False,
) -> StreamingResponse:
    """The articles' graphs (TriG, N-Quads and JSON-LD keep one named graph per article; Turtle,
    N-Triples and RDF/XML get their union)."""
    fmt = FORMATS[format]
    filename = f"vigie.{fmt.file_extension}"
    return StreamingResponse(
        _stream(ctx, fmt, include_schema),
        media_type=fmt.media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
