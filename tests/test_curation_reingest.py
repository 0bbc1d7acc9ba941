"""Corrections survive re-extraction, end to end: `vigie ingest` and `vigie serve --write-token` as real processes.

One scenario, run once for the module (two real ingests of the seeds take a minute):

1. ``vigie ingest seeds/`` into a fresh store; ``vigie serve --write-token``;
2. a curator rejects Amazon's moratorium and gives Amazon the alias "le géant de la vente en ligne";
3. every article graph is deleted through the Graph Store Protocol, so that the next ingest really extracts
   the articles again (an unchanged article is otherwise skipped);
4. the server stops; ``vigie ingest seeds/ news/`` (news/ holds an article that names Amazon only as "le
   géant de la vente en ligne"); the server starts again;
5. the rejection is undone.

Each test checks one behaviour on what the scenario recorded.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from conftest import free_loopback_port

ROOT = Path(__file__).resolve().parents[1]
VIGIE = str(Path(sys.executable).with_name("vigie"))
TOKEN = "reingest-s3cret"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
POLICY = "amazon-moratorium-facial-recognition"
ALIAS = "le géant de la vente en ligne"
ALIAS_ARTICLE = (
    " date 2021-03 Le géant de la vente en ligne refuse de vendre sa technologie de reconnaissance faciale à "
    "l'armée. Le géant de la vente en ligne l'a annoncé mardi dans un communiqué."
)
REEXTRACTED = (
    "ASK { GRAPH ?g { policy:amazon-moratorium-facial-recognition vg:issuedBy company:amazon ."
    " ?g a vg:Document } }"
)


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("VIGIE_WRITE_TOKEN", "VIGIE_UPDATE_TOKEN", "VIGIE_STORE")}
    env["PYTHONUNBUFFERED"] = "1"
    return env


def vigie(*args: str) -> subprocess.CompletedProcess:
    done = subprocess.run([VIGIE, *args], cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    return done


class Served:
    """``vigie serve --store STORE --write-token TOKEN`` on a free loopback port, as a process."""

    def __init__(self, store: Path, log: Path) -> None:
        self.store = store
        self.log = log
        self.port = free_loopback_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> httpx.Client:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [VIGIE, "serve", "--store", str(self.store), "--port", str(self.port), "--write-token", TOKEN],
                cwd=ROOT, env=_env(), stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"vigie serve exited: {self.log.read_text()}")
            try:
                if httpx.get(f"{self.url}/sparql", params={"query": "ASK {}"}, timeout=2).status_code == 200:
                    self.client = httpx.Client(base_url=self.url, timeout=60)
                    return self.client
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError(f"vigie serve did not answer: {self.log.read_text()}")

    def __exit__(self, *exc) -> None:
        self.client.close()
        assert self.process is not None
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def amazon_policies(client: httpx.Client) -> dict[str, dict]:
    return {p["id"]: p for p in client.get("/company/amazon/policies").json()["items"]}


def ask(client: httpx.Client, query: str) -> bool:
    return client.get("/sparql", params={"query": query}).json()["boolean"]


@pytest.fixture(scope="module")
def scenario(tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("curation")
    store, log, news = tmp / "store", tmp / "serve.log", tmp / "news"
    news.mkdir()
    (news / "900_geant.txt").write_text(ALIAS_ARTICLE, encoding="utf-8")
    seen: dict = {}
    vigie("ingest", "seeds", "--store", str(store), "-q")
    with Served(store, log) as client:
        seen["before"] = amazon_policies(client)
        seen["reject"] = client.post(f"/policies/{POLICY}/reject", headers=AUTH,
                                     json={"by": "Marie Dupont", "reason": "Test de curation"})
        seen["after_reject"] = amazon_policies(client)
        seen["export_after_reject"] = client.get("/export", params={"format": "turtle"}).text
        seen["alias"] = client.post("/company/amazon/aliases", headers=AUTH,
                                    json={"alias": ALIAS, "by": "Marie Dupont"})
        documents = client.get("/documents").json()["items"]
        seen["deleted"] = [client.delete("/store", params={"graph": d["iri"]}, headers=AUTH).status_code
                           for d in documents]
        seen["gone_before_reingest"] = not ask(client, REEXTRACTED)
    seen["reingest"] = vigie("ingest", "seeds", str(news), "--store", str(store), "-q").stdout
    with Served(store, log) as client:
        seen["reextracted"] = ask(client, REEXTRACTED)
        seen["after_reingest"] = amazon_policies(client)
        seen["policy_after_reingest"] = client.get(f"/policies/{POLICY}")
        seen["export_after_reingest"] = client.get("/export", params={"format": "turtle"}).text
        seen["undo"] = client.delete(f"/policies/{POLICY}/reject", headers=AUTH)
        seen["after_undo"] = amazon_policies(client)
        seen["export_after_undo"] = client.get("/export", params={"format": "turtle"}).text
    return seen


def declares(export: str) -> bool:
    return f"policy:{POLICY} a vg:Policy" in export


def test_seeds_give_amazon_its_moratorium(scenario):
    assert POLICY in scenario["before"]


def test_rejecting_is_accepted_with_the_token(scenario):
    assert scenario["reject"].status_code == 201


def test_rejected_amazon_policy_disappears_from_the_company_policies(scenario):
    assert POLICY not in scenario["after_reject"]


def test_rejected_amazon_policy_disappears_from_the_turtle_export(scenario):
    assert not declares(scenario["export_after_reject"])
    assert "company:amazon" in scenario["export_after_reject"]


def test_the_articles_are_really_extracted_again(scenario):
    assert scenario["deleted"] and set(scenario["deleted"]) == {204}
    assert scenario["gone_before_reingest"] and scenario["reextracted"]
    assert scenario["reingest"].startswith("6 articles ingested")


def test_rejected_policy_stays_rejected_after_ingest_runs_again(scenario):
    assert POLICY not in scenario["after_reingest"]
    assert scenario["policy_after_reingest"].status_code == 410
    assert scenario["policy_after_reingest"].json()["rejected"]["by"] == "Marie Dupont"


def test_rejected_policy_stays_out_of_the_export_after_ingest_runs_again(scenario):
    assert not declares(scenario["export_after_reingest"])


def test_undone_rejection_brings_the_policy_back(scenario):
    assert scenario["undo"].status_code == 204
    assert POLICY in scenario["after_undo"]


def test_undone_rejection_brings_the_policy_back_in_the_export(scenario):
    assert declares(scenario["export_after_undo"])


def test_added_alias_is_used_by_the_next_ingest(scenario):
    assert scenario["alias"].status_code == 201
    policy = scenario["after_reingest"]["amazon-sales-refusal-facial-recognition"]
    assert "900_geant" in {s["document"] for s in policy["sources"]}
    assert "military" in policy["restricted_users"]
