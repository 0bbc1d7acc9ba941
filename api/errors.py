"""Error bodies that stay small: a 422 names the field and what was wrong, never echoes a huge input."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

#: Characters of a rejected value quoted back in a 422 (FastAPI echoes the whole value by default).
ECHO_CHARS = 200


def _shortened(value: Any) -> Any:
    if isinstance(value, str | bytes) and len(value) > ECHO_CHARS:
        return f"{value[:ECHO_CHARS]!s}… ({len(value)} characters)"
    if isinstance(value, dict):
        return {key: _shortened(item) for key, item in list(value.items())[:20]}
    if isinstance(value, list | tuple):
        return [_shortened(item) for item in value[:20]]
    return value


async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    """FastAPI's 422 body, with every quoted input cut to :data:`ECHO_CHARS` characters."""
    errors = [{**error, "input": _shortened(error.get("input"))} for error in exc.errors()[:20]]
    return JSONResponse(status_code=422, content={"detail": jsonable_encoder(errors)})


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, validation_error)  # type: ignore[arg-type]
