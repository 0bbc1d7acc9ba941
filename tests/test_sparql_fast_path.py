"""/sparql's lean path: the ASGI handler in front of FastAPI, the query slots, the worker dispatch on the loop."""

from __future__ import annotations

import asyncio
import importlib.util
import threading
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from api.slots import QuerySlots

ASK = "ASK { ?s ?p ?o }"


def _disk_store(tmp_path: Path):
    path = Path(__file__).parent / "fixtures" / "api_corpus.py"
    spec = importlib.util.spec_from_file_location("vigie_api_corpus_fast_path", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build_store(tmp_path / "store")


# ---------------------------------------------------------------- the ASGI handler


def test_sparql_get_keeps_the_headers_of_the_middlewares_around_it(api_store):
    client = TestClient(create_app(api_store, Settings(cors_origins=("https://example.org",))))
    response = client.get("/sparql", params={"query": ASK}, headers={"Origin": "https://example.org"})
    assert response.status_code == 200 and response.json()["boolean"] is True
    assert response.headers["x-vigie-store"] == "consolidated"
    assert response.headers["access-control-allow-origin"] == "https://example.org"
    assert response.headers["vary"].startswith("Accept")


def test_the_url_limit_still_guards_sparql(api_store):
    response = TestClient(create_app(api_store, Settings())).get("/sparql", params={"query": ASK + " " * 9000})
    assert response.status_code == 414


@pytest.mark.parametrize(("method", "path"), [("PUT", "/sparql"), ("DELETE", "/query"), ("GET", "/update")])
def test_other_methods_get_fastapis_answer(api_store, method, path):
    response = TestClient(create_app(api_store, Settings())).request(method, path)
    assert response.status_code == 405


def test_a_mounted_app_answers_sparql_under_its_prefix(api_store):
    from fastapi import FastAPI

    outer = FastAPI()
    outer.mount("/vigie", create_app(api_store, Settings()))
    response = TestClient(outer).get("/vigie/sparql", params={"query": ASK})
    assert response.status_code == 200 and response.json()["boolean"] is True


# ---------------------------------------------------------------- the query slots


def test_slots_are_handed_to_waiters_in_order():
    async def scenario() -> list[int]:
        slots = QuerySlots(1)
        assert slots.try_acquire()
        served: list[int] = []

        async def wait(i: int) -> None:
            assert await slots.acquire(5)
            served.append(i)
            slots.release()

        tasks = [asyncio.create_task(wait(i)) for i in range(3)]
        await asyncio.sleep(0.01)
        assert not slots.try_acquire()  # the freed slot goes to the first waiter, not to a newcomer
        slots.release()
        await asyncio.gather(*tasks)
        return served

    assert asyncio.run(scenario()) == [0, 1, 2]


def test_a_waiter_gives_up_after_its_time_and_leaves_the_queue():
    async def scenario() -> tuple[bool, bool]:
        slots = QuerySlots(1)
        assert await slots.acquire(0)
        late = await slots.acquire(0.05)
        slots.release()
        return late, slots.try_acquire()

    assert asyncio.run(scenario()) == (False, True)


def test_a_slot_released_by_another_thread_wakes_the_waiter():
    async def scenario() -> bool:
        slots = QuerySlots(1)
        assert slots.try_acquire()
        threading.Timer(0.05, slots.release).start()
        return await slots.acquire(5)

    assert asyncio.run(scenario())


def test_a_slot_cannot_be_released_more_often_than_taken():
    with pytest.raises(ValueError):
        QuerySlots(1).release()


# ---------------------------------------------------------------- the workers


def test_workers_are_started_for_each_slot_and_answer_on_the_loop(tmp_path):
    app = create_app(_disk_store(tmp_path), Settings(max_running_queries=2))
    pool = app.state.vigie.engine.workers
    try:
        with TestClient(app) as client:  # the lifespan starts the workers
            for _ in range(100):
                if len(pool._idle) == 2 and all(w.started for w in pool._idle):
                    break
                threading.Event().wait(0.1)
            assert len(pool._idle) == 2
            for _ in range(3):
                assert client.get("/sparql", params={"query": ASK}).json()["boolean"] is True
            assert len(pool._all) == 2  # the idle workers answered: none was started for these queries
    finally:
        app.state.vigie.engine.close()


def test_prestart_keeps_an_idle_started_worker(tmp_path):
    app = create_app(_disk_store(tmp_path), Settings())
    pool = app.state.vigie.engine.workers
    try:
        pool.prestart()
        (worker,) = pool._idle
        pool.prestart()  # it used to wait for a second "ready" line from this worker, then kill it
        assert pool._idle == [worker] and worker.alive
    finally:
        app.state.vigie.engine.close()
