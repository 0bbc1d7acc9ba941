"""`vigie eval GOLD --api URL`: a running `vigie serve` scored over its REST contract only (issue 13) gives the
same figures as scoring its store directly, and an unreachable or non-Vigie server is one error line."""

from __future__ import annotations

import copy
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from reliability_helpers import SEEDS, Server, clean_env, free_port, run_vigie, serve

from vigie.evaluation import Evaluation, evaluate, load_gold, read_graph
from vigie.rest_reader import read_api

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def seeds_server(tmp_path_factory, seeds_store_path) -> Iterator[Server]:
    """`vigie serve` over a copy of the seeds store (the session's store stays read-only)."""
    store = tmp_path_factory.mktemp("eval-api") / "store"
    shutil.copytree(seeds_store_path, store, ignore=shutil.ignore_patterns("LOCK"))
    with serve(store, env=clean_env()) as running:
        yield running


def _harder_gold() -> dict:
    """The seeds' gold with a miss, a spurious fact and attribute errors, so the comparison is not all 1.0."""
    gold = copy.deepcopy(load_gold(SEEDS / "gold.json"))
    gold["companies"] = gold["companies"][1:]  # its company is now spurious
    gold["advocates"].append({"key": "nowhere-watch", "names": ["Nowhere Watch"]})  # a miss
    policy = gold["policies"][0]
    policy["restricted_users"] = ["military"]
    policy["duration"] = "P9Y"
    policy["events"] = [{"type": "lifted", "date": "1999"}]
    return gold


def _figures(result: Evaluation) -> dict:
    """Everything an evaluation reports: per category tp/fp/fn with their names, attributes, events."""
    return {
        "categories": {name: (s.tp, s.fp, s.fn, sorted(s.misses), sorted(s.spurious))
                       for name, s in result.categories.items()},
        "attributes": result.attributes,
        "attribute_accuracy": result.attribute_accuracy,
        "attribute_errors": sorted(result.attribute_errors),
        "events": (result.events.tp, result.events.fp, result.events.fn),
    }


@pytest.mark.parametrize("gold", ["seeds", "harder"])
def test_scoring_over_the_api_equals_scoring_the_store(seeds_server, seeds_store, gold):
    gold_data = load_gold(SEEDS / "gold.json") if gold == "seeds" else _harder_gold()
    over_api = evaluate(gold_data, read_api(seeds_server.url))
    from_store = evaluate(gold_data, read_graph(seeds_store))
    assert _figures(over_api) == _figures(from_store)
    assert over_api.micro.tp > 0
    if gold == "harder":
        assert over_api.micro.fp and over_api.micro.fn and over_api.attribute_errors


def test_vigie_eval_api_prints_the_store_s_table(seeds_server, seeds_store_path, tmp_path):
    store = tmp_path / "store"  # a copy: the session's store is open in this process
    shutil.copytree(seeds_store_path, store, ignore=shutil.ignore_patterns("LOCK"))
    gold = str(SEEDS / "gold.json")
    over_api = run_vigie("eval", gold, "--api", seeds_server.url, timeout=120)
    from_store = run_vigie("eval", gold, "--store", store, timeout=120)
    assert over_api.returncode == 0, over_api.stderr
    assert over_api.stdout == from_store.stdout
    assert "policy attribute accuracy: 1.000" in over_api.stdout


def _assert_one_error_line(result, *words: str) -> None:
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("vigie: error: "), result.stderr
    assert all(word in lines[0] for word in words), lines[0]
    assert result.stdout == ""


def test_an_unreachable_server_is_one_error_line():
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    result = run_vigie("eval", SEEDS / "gold.json", "--api", url, timeout=120)
    _assert_one_error_line(result, "cannot reach", url)


class _HtmlHandler(BaseHTTPRequestHandler):
    """A web server that is not Vigie: every page is HTML."""

    def do_GET(self) -> None:
        body = b"<html><body>not Vigie</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:  # keep the test output quiet
        pass


def test_a_server_answering_html_is_one_error_line():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _HtmlHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        result = run_vigie("eval", SEEDS / "gold.json", "--api", url, timeout=120)
    finally:
        server.shutdown()
        server.server_close()
    _assert_one_error_line(result, "did not answer JSON", "/companies")


def test_per_article_cannot_be_read_over_the_api():
    result = run_vigie("eval", SEEDS / "gold.json", "--api", "http://127.0.0.1:9", "--per-article", timeout=120)
    _assert_one_error_line(result, "--per-article")

