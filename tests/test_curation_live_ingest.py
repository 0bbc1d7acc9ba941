"""`vigie ingest` through a running `vigie serve --write-token`: no need to stop the server to ingest.

The server's SPARQL endpoint (/sparql, queries and updates) and Graph Store Protocol (/store) are all a
RemoteStore needs, so `vigie ingest --store http://HOST:PORT` writes through it, with the write token as
`VIGIE_STORE_TOKEN`; and the aliases curators added are read from the server by that very ingest.
"""

from __future__ import annotations

import subprocess
import sys

from test_curation_reingest import ALIAS, ALIAS_ARTICLE, AUTH, ROOT, TOKEN, VIGIE, Served, _env


def test_alias_added_on_a_running_server_is_used_by_an_ingest_through_that_server(tmp_path):
    store, news = tmp_path / "store", tmp_path / "news"
    news.mkdir()
    (news / "900_geant.txt").write_text(ALIAS_ARTICLE, encoding="utf-8")
    made = subprocess.run([sys.executable, "-c", f"from vigie.store import Store; Store({str(store)!r}).load_schema()"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    with Served(store, tmp_path / "serve.log") as client:
        added = client.post("/company/amazon/aliases", headers=AUTH, json={"alias": ALIAS, "by": "Marie Dupont"})
        env = {**_env(), "VIGIE_STORE_QUERY_ENDPOINT": f"{client.base_url}/sparql",
               "VIGIE_STORE_UPDATE_ENDPOINT": f"{client.base_url}/sparql", "VIGIE_STORE_TOKEN": TOKEN}
        ingest = subprocess.run([VIGIE, "ingest", str(news), "--store", str(client.base_url), "-q"], cwd=ROOT, env=env,
                                capture_output=True, text=True, timeout=900)
        policies = {p["id"]: p for p in client.get("/company/amazon/policies").json()["items"]}
    assert added.status_code == 201
    assert ingest.returncode == 0 and ingest.stdout.startswith("1 articles ingested"), ingest.stderr
    sources = policies["amazon-sales-refusal-facial-recognition"]["sources"]
    assert [s["document"] for s in sources] == ["900_geant"]


def test_ingest_through_a_server_without_the_token_writes_nothing(tmp_path):
    store, news = tmp_path / "store", tmp_path / "news"
    news.mkdir()
    (news / "900_geant.txt").write_text(ALIAS_ARTICLE, encoding="utf-8")
    made = subprocess.run([sys.executable, "-c", f"from vigie.store import Store; Store({str(store)!r}).load_schema()"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    with Served(store, tmp_path / "serve.log") as client:
        env = {**_env(), "VIGIE_STORE_QUERY_ENDPOINT": f"{client.base_url}/sparql",
               "VIGIE_STORE_UPDATE_ENDPOINT": f"{client.base_url}/sparql"}
        ingest = subprocess.run([VIGIE, "ingest", str(news), "--store", str(client.base_url), "-q"], cwd=ROOT, env=env,
                                capture_output=True, text=True, timeout=900)
        documents = client.get("/documents").json()["total"]
    assert ingest.returncode != 0 and "401" in ingest.stderr
    assert documents == 0
