"""API security against a live `vigie serve` on a loopback port: read-only by default, writes only with
the token, injection payloads on every route never answered with a 500 nor run as SPARQL, body and URL
size limits, CORS off by default, a bounded hypothesis fuzz of /sparql, and schemathesis on /openapi.json."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import httpx
import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reliability_helpers import ROOT, clean_env, serve

pytestmark = pytest.mark.slow

TOKEN = "security-test-token"
ALLOWED_ORIGIN = "https://app.example.org"
MAX_BODY = 1024 * 1024
MAX_URL = 8 * 1024

PAYLOADS = [
    "amazon' } UNION { ?s ?p ?o } #",
    'amazon" } UNION { ?s ?p ?o } #',
    "amazon> } ; DROP ALL ; SELECT * { <x",
    "<http://evil.example/x>",
    "?s ?p ?o",
    "amazon%00",
    "\x00",
    "../../../../etc/passwd",
    "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "amazon\n} INSERT DATA { <a> <b> <c> }",
    "${jndi:ldap://127.0.0.1/a}",
    "{{7*7}}",
    "<script>alert(1)</script>",
    "' OR '1'='1",
    "a" * 5000,
    "🙂" * 50,
    "\ud800",
    "Amazon Web Services",
    "-1",
    "1e309",
    "",
    " ",
]


def copy_seeds(tmp_path_factory, seeds_store_path, name: str):
    store = tmp_path_factory.mktemp(name) / "store"
    shutil.copytree(seeds_store_path, store, ignore=shutil.ignore_patterns("LOCK"))
    return store


@pytest.fixture(scope="module")
def server(tmp_path_factory, seeds_store_path):
    """A server started the default way: no write token, no CORS origin."""
    store = copy_seeds(tmp_path_factory, seeds_store_path, "readonly")
    env = clean_env(VIGIE_QUERY_TIMEOUT="5", VIGIE_MAX_BODY_BYTES=str(MAX_BODY), VIGIE_MAX_URL_BYTES=str(MAX_URL))
    with serve(store, env=env) as running:
        yield running


@pytest.fixture(scope="module")
def token_server(tmp_path_factory, seeds_store_path):
    """A server with a write token and one allowed CORS origin."""
    store = copy_seeds(tmp_path_factory, seeds_store_path, "token")
    env = clean_env(VIGIE_QUERY_TIMEOUT="5", VIGIE_CORS_ORIGINS=ALLOWED_ORIGIN)
    with serve(store, "--write-token", TOKEN, env=env) as running:
        yield running


def quad_count(client: httpx.Client) -> int:
    response = client.post("/sparql", data={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"},
                           headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


#: The SPARQL endpoints (Vigie's own and Oxigraph server's paths): their writes are SPARQL Updates.
SPARQL_PATHS = ("/sparql", "/query", "/update")


def write_requests(openapi: dict) -> list[tuple[str, str]]:
    """Every write operation of the API (method, concrete path), besides SPARQL Update."""
    writes = []
    for path, operations in openapi["paths"].items():
        for method in operations:
            if method.upper() in ("POST", "PUT", "DELETE", "PATCH") and path not in SPARQL_PATHS:
                writes.append((method.upper(), path.replace("{id}", "amazon").replace("{name}", "companies")))
    return writes


# ---------------------------------------------------------------- writes


def test_sparql_update_is_refused_by_a_server_started_without_a_token(server):
    with server.client() as client:
        before = quad_count(client)
        for headers in ({}, {"Authorization": "Bearer anything"}):
            response = client.post("/sparql", data={"update": "DROP ALL"}, headers=headers)
            assert response.status_code == 403, response.text
        assert quad_count(client) == before


def test_every_write_route_is_refused_by_a_server_started_without_a_token(server):
    with server.client() as client:
        before = quad_count(client)
        writes = write_requests(client.get("/openapi.json").json())
        assert len(writes) >= 5
        for method, path in writes:
            response = client.request(method, path, json={"reason": "x", "alias": "x", "by": "x"},
                                      headers={"Authorization": f"Bearer {TOKEN}"})
            assert response.status_code == 403, (method, path, response.status_code, response.text)
        assert quad_count(client) == before


def test_every_write_needs_the_right_token(token_server):
    with token_server.client() as client:
        before = quad_count(client)
        writes = [*(("POST", path) for path in SPARQL_PATHS), *write_requests(client.get("/openapi.json").json())]
        for method, path in writes:
            for headers, status in (({}, 401), ({"Authorization": "Bearer wrong"}, 403),
                                    ({"Authorization": f"Basic {TOKEN}"}, 403),
                                    ({"Authorization": f"Bearer {TOKEN}x"}, 403)):
                if path in SPARQL_PATHS:
                    response = client.post(path, data={"update": "DROP ALL"}, headers=headers)
                else:
                    response = client.request(method, path, json={"reason": "x", "alias": "x", "by": "x"},
                                              headers=headers)
                assert response.status_code == status, (method, path, headers, response.text)
        assert quad_count(client) == before


def test_the_right_token_writes(token_server):
    with token_server.client() as client:
        before = quad_count(client)
        response = client.post(
            "/sparql", data={"update": "INSERT DATA { GRAPH <https://example.org/g> { <https://example.org/s> "
                             "<https://example.org/p> 'o' } }"},
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
        assert response.status_code == 204, response.text
        assert quad_count(client) == before + 1


def test_load_from_another_host_is_refused_even_with_the_token(token_server):
    with token_server.client() as client:
        response = client.post("/sparql", data={"update": "LOAD <http://127.0.0.1:9/data.ttl>"},
                               headers={"Authorization": f"Bearer {TOKEN}"})
        assert response.status_code == 400
        assert "LOAD" in response.json()["detail"]


# ---------------------------------------------------------------- injection


def get_routes(openapi: dict) -> list[tuple[str, list[str], list[str]]]:
    """(path, path parameters, query parameters) of every GET route but the SPARQL endpoint."""
    routes = []
    for path, operations in openapi["paths"].items():
        operation = operations.get("get")
        if operation is None or path in ("/sparql", "/store"):
            continue
        params = operation.get("parameters", [])
        routes.append((path, [p["name"] for p in params if p["in"] == "path"],
                       [p["name"] for p in params if p["in"] == "query"]))
    # The web pages are not in the OpenAPI description: their entity routes take the same ids.
    routes += [(f"/ui/{kind}/{{id}}", ["id"], []) for kind in ("company", "advocate", "legislature", "document")]
    return routes


def safe_text(value: str) -> str:
    return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def test_injection_payloads_in_path_parameters_are_never_a_server_error_nor_data(server):
    with server.client() as client:
        routes = get_routes(client.get("/openapi.json").json())
        for path, path_params, _ in routes:
            if not path_params:
                continue
            for payload in PAYLOADS:
                url = path
                for name in path_params:
                    url = url.replace("{" + name + "}", quote(safe_text(payload), safe=""))
                response = client.get(url)
                assert response.status_code < 500, (url, response.status_code, response.text[:300])
                if payload and payload.strip():
                    # An id that is not a known slug never answers with data.
                    assert response.status_code in (400, 404, 410, 414, 422), (url, response.status_code)


def test_injection_payloads_in_query_parameters_are_never_a_server_error(server):
    with server.client() as client:
        routes = get_routes(client.get("/openapi.json").json())
        for path, path_params, query_params in routes:
            if path_params or not query_params:
                continue
            for payload in PAYLOADS:
                for name in query_params:
                    response = client.get(path, params={name: safe_text(payload)})
                    assert response.status_code < 500, (path, name, payload[:40], response.text[:300])


def answer_size(response: httpx.Response) -> int:
    """Rows of a SPARQL JSON answer, or triples of an RDF one."""
    media = response.headers.get("content-type", "").split(";")[0].strip()
    if media.endswith("json") and "ld+json" not in media:
        body = response.json()
        return len(body["results"]["bindings"]) if "results" in body else 1
    return len(list(ox.parse(response.content, format=ox.RdfFormat.from_media_type(media))))


def test_injection_payloads_in_named_query_parameters_are_bound_not_pasted(server):
    with server.client() as client:
        named = client.get("/queries").json()["items"]
        assert named
        for query in named:
            for param in query["params"]:
                url = f"/queries/{query['name']}"
                baseline = client.get(url, params={param["name"]: "no-such-id-zz"})
                assert baseline.status_code < 500
                for payload in PAYLOADS:
                    response = client.get(url, params={param["name"]: safe_text(payload)})
                    assert response.status_code < 500, (query["name"], param["name"], response.text[:300])
                    if response.status_code == 200 and baseline.status_code == 200:
                        # Bound as a value: the UNION in a payload never widens the answer past an unknown id's.
                        assert answer_size(response) <= answer_size(baseline), (url, payload[:40])


# ---------------------------------------------------------------- size limits


def test_request_body_over_the_limit_is_refused_with_413(server):
    body = b"ASK {}" + b" " * (MAX_BODY + 1)
    with server.client() as client:
        response = client.post("/sparql", content=body, headers={"Content-Type": "application/sparql-query"})
        assert response.status_code == 413
        assert "too large" in response.json()["detail"]


def test_streamed_body_over_the_limit_is_refused_with_413(server):
    def chunks():
        for _ in range(3):
            yield b" " * (MAX_BODY // 2)

    with server.client() as client:
        response = client.put("/store?graph=https://example.org/g", content=chunks(),
                              headers={"Content-Type": "text/turtle", "Authorization": f"Bearer {TOKEN}"})
        assert response.status_code == 413


def test_url_over_the_limit_is_refused_with_414(server):
    with server.client() as client:
        response = client.get("/sparql", params={"query": "ASK {}" + " " * MAX_URL})
        assert response.status_code == 414
        assert "POST" in response.json()["detail"]
        assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200


# ---------------------------------------------------------------- CORS


def test_cors_is_off_by_default(server):
    with server.client() as client:
        response = client.get("/companies", headers={"Origin": ALLOWED_ORIGIN})
        assert response.status_code == 200
        assert "access-control-allow-origin" not in response.headers
        preflight = client.options("/sparql", headers={
            "Origin": ALLOWED_ORIGIN, "Access-Control-Request-Method": "POST"})
        assert "access-control-allow-origin" not in preflight.headers


def test_cors_allows_only_the_configured_origins(token_server):
    with token_server.client() as client:
        allowed = client.get("/companies", headers={"Origin": ALLOWED_ORIGIN})
        assert allowed.headers.get("access-control-allow-origin") == ALLOWED_ORIGIN
        other = client.get("/companies", headers={"Origin": "https://evil.example.net"})
        assert "access-control-allow-origin" not in other.headers


# ---------------------------------------------------------------- fuzzing

SPARQL_PARTS = [
    "SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "{", "}", "(", ")", "?s", "?p", "?o", "*", ".", ";", ",",
    "<https://w3id.org/vigie/id/company/amazon>", "vg:Policy", "a", "FILTER", "OPTIONAL", "UNION", "MINUS",
    "GRAPH", "?g", "LIMIT", "OFFSET", "99999999999999999999", "-1", "ORDER BY", "GROUP BY", "COUNT(*)", "AS",
    "\"x\"", "'y'@fr", "\"\"\"", "#", "\n", "PREFIX", "BASE", "VALUES", "UNDEF", "BIND", "SERVICE", "INSERT",
    "DELETE", "DATA", "LOAD", "CLEAR", "DROP", "/", "|", "^", "+", "?", "!", "<<", ">>", "\\u0000", "\x00", "é",
    "REGEX(?o, \"(a+)+$\")", "STRLEN", "SUBSTR", "xsd:integer", "1e999", "true", "_:b", "[]", "()",
]
sparql_text = st.one_of(
    st.lists(st.sampled_from(SPARQL_PARTS), max_size=30).map(" ".join),
    st.text(max_size=300),
)


@settings(max_examples=150, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=sparql_text, method=st.sampled_from(["GET", "POST-form", "POST-direct"]),
       accept=st.sampled_from(["*/*", "application/sparql-results+json", "text/csv", "text/turtle", "image/png", ""]))
def test_sparql_fuzz_never_gets_a_server_error(server, text, method, accept):
    text = safe_text(text)
    headers = {"Accept": accept} if accept else {}
    with httpx.Client(base_url=server.url, timeout=30) as client:
        if method == "GET":
            response = client.get("/sparql", params={"query": text}, headers=headers)
        elif method == "POST-form":
            response = client.post("/sparql", data={"query": text}, headers=headers)
        else:
            response = client.post("/sparql", content=text.encode("utf-8"),
                                   headers={**headers, "Content-Type": "application/sparql-query"})
    assert response.status_code < 500 or response.status_code == 503, (response.status_code, response.text[:300])
    assert server.alive()


def schemathesis(url: str, cwd, *options: str) -> subprocess.CompletedProcess[str]:
    executable = [str(ROOT / ".venv" / "bin" / "schemathesis")]
    if not Path(executable[0]).exists():
        executable = [sys.executable, "-m", "schemathesis.cli"]
    return subprocess.run(
        [*executable, "run", f"{url}/openapi.json", "--checks", "not_a_server_error", "--phases", "examples,fuzzing",
         "--workers", "1", "--seed", "7", "--request-timeout", "30", "--generation-database", "none", "--no-color",
         *options],
        capture_output=True, text=True, timeout=600, cwd=cwd, env=clean_env(),
    )


def test_schemathesis_finds_no_server_error(server, tmp_path):
    """Schemathesis generates requests from /openapi.json (examples, then fuzzing) for every operation."""
    result = schemathesis(server.url, tmp_path, "--max-examples", "12")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    tested = re.search(r"Tested: (\d+)", result.stdout)
    assert tested and int(tested.group(1)) >= 20, result.stdout[-2000:]
    assert re.search(r"(\d+) generated, \1 passed", result.stdout), result.stdout[-2000:]
    assert server.alive()


def test_schemathesis_with_the_write_token_finds_no_server_error(token_server, tmp_path):
    """The same with the token, so that generated bodies reach the write routes' parsers and the store."""
    result = schemathesis(token_server.url, tmp_path, "--max-examples", "8",
                          "--header", f"Authorization: Bearer {TOKEN}")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert re.search(r"(\d+) generated, \1 passed", result.stdout), result.stdout[-2000:]
    assert token_server.alive()


def test_the_write_token_can_come_from_a_file_and_the_command_line_warns(tmp_path_factory, seeds_store_path):
    store = copy_seeds(tmp_path_factory, seeds_store_path, "token-file")
    token_file = store.parent / "token"
    token_file.write_text("from-a-file\n", encoding="utf-8")
    update = {"update": "INSERT DATA { GRAPH <urn:t> { <urn:a> <urn:b> <urn:c> } }"}
    with serve(store, "--write-token-file", str(token_file)) as running, running.client() as client:
        assert client.post("/sparql", data=update, headers={"Authorization": "Bearer from-a-file"}).status_code == 204
        assert "visible to other users" not in running.output()
    with serve(store, "--write-token", "on-the-line") as running:
        assert "visible to other users in `ps`" in running.output()
