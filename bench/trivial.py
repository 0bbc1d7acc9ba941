"""The trivial FastAPI route the query benchmark compares Vigie's routes with, served the same way."""

from __future__ import annotations

from fastapi import FastAPI


def create_app() -> FastAPI:
    app = FastAPI(title="bench-trivial")

    @app.get("/ping")
    def ping() -> dict:
        return {"status": "ok"}

    return app
