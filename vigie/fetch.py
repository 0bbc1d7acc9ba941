"""A polite HTTP client for news sites and feeds.

One User-Agent naming Vigie; robots.txt read once per host and obeyed (its Crawl-delay too); at most one
request at a time to a host, spaced by a delay; connect and read timeouts and a deadline for the whole
response (a host that trickles bytes is cut off); a size limit; redirects followed by hand, each hop
checked against robots.txt, at most ``max_redirects``; conditional GET (``If-None-Match``,
``If-Modified-Since``). Every failure is a :class:`FetchError` whose message is one line.
"""

from __future__ import annotations

import threading
import time
import urllib.robotparser
from collections import defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx

USER_AGENT = "Vigie/0.1 (news knowledge graph; +https://w3id.org/vigie)"
_REDIRECTS = {301, 302, 303, 307, 308}


class FetchError(Exception):
    """A URL that could not be fetched; the message is one line saying why."""


@dataclass(frozen=True)
class FetchPolicy:
    """How politely and how far the client goes."""

    timeout: float = 20.0  # connect and read, seconds
    deadline: float = 60.0  # a whole response, seconds
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    delay: float = 1.0  # between two requests to one host, seconds
    user_agent: str = USER_AGENT
    hosts_in_parallel: int = 4


@dataclass
class Fetched:
    """A response: its final URL (after redirects), status, body and the validators for a conditional GET."""

    url: str
    final_url: str
    status: int
    content: bytes = b""
    content_type: str = ""
    charset: str | None = None
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass
class _Host:
    lock: threading.Lock = field(default_factory=threading.Lock)
    last: float = float("-inf")
    robots: urllib.robotparser.RobotFileParser | None = None


class PoliteClient:
    """Fetches URLs politely (see the module's docstring); safe to share between threads."""

    def __init__(self, policy: FetchPolicy | None = None) -> None:
        self.policy = policy or FetchPolicy()
        timeout = httpx.Timeout(self.policy.timeout)
        self._http = httpx.Client(timeout=timeout, follow_redirects=False,
                                  headers={"User-Agent": self.policy.user_agent})
        self._hosts: dict[str, _Host] = defaultdict(_Host)
        self._hosts_lock = threading.Lock()

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Fetched:
        """GET ``url``, following redirects; a 304 answer to the validators is returned, other errors raise."""
        headers = {k: v for k, v in (("If-None-Match", etag), ("If-Modified-Since", last_modified)) if v}
        current = url
        for _hop in range(self.policy.max_redirects + 1):
            _check_scheme(current)
            if not self.allowed(current):
                raise FetchError("disallowed by robots.txt")
            answer = self._request(current, headers)
            if answer.status not in _REDIRECTS:
                answer.url = url
                if answer.status >= 400:
                    raise FetchError(f"HTTP {answer.status}")
                return answer
            current = answer.final_url
        raise FetchError(f"more than {self.policy.max_redirects} redirects (a redirect loop?)")

    def get_many(self, requests: Iterable[tuple[str, dict]]) -> Iterator[tuple[str, Fetched | FetchError]]:
        """Fetch ``(url, validators)`` pairs: one host at a time each, several hosts in parallel, answers as
        they come (``FetchError`` for the URLs that failed)."""
        by_host: dict[str, list[tuple[str, dict]]] = defaultdict(list)
        for url, validators in requests:
            by_host[urlsplit(url).netloc.lower()].append((url, validators))

        def host_queue(items: list[tuple[str, dict]]) -> list[tuple[str, Fetched | FetchError]]:
            return [(url, self._try(url, validators)) for url, validators in items]

        workers = max(1, min(self.policy.hosts_in_parallel, len(by_host)))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="vigie-fetch") as pool:
            for answers in pool.map(host_queue, by_host.values()):
                yield from answers

    def _try(self, url: str, validators: dict) -> Fetched | FetchError:
        try:
            return self.get(url, **validators)
        except FetchError as exc:
            return exc

    # ------------------------------------------------------------ robots.txt

    def allowed(self, url: str) -> bool:
        """Whether robots.txt of ``url``'s host lets Vigie fetch it (read once per host)."""
        return self._robots(url).can_fetch(self.policy.user_agent, url)

    def _robots(self, url: str) -> urllib.robotparser.RobotFileParser:
        host = self._host(url)
        with host.lock:
            if host.robots is None:
                host.robots = self._read_robots(url, host)
        return host.robots

    def _read_robots(self, url: str, host: _Host) -> urllib.robotparser.RobotFileParser:
        parser = urllib.robotparser.RobotFileParser()
        robots_url = urljoin(url, "/robots.txt")
        try:
            answer = self._send(robots_url, {}, host)
        except FetchError:
            parser.parse([])  # unreachable robots.txt: nothing is forbidden (the page fetch will say why)
            return parser
        if answer.status in (401, 403):
            parser.disallow_all = True
        elif answer.status == 200:
            parser.parse(answer.content.decode("utf-8", "replace").splitlines())
        else:
            parser.parse([])
        return parser

    # ------------------------------------------------------------ one request

    def _host(self, url: str) -> _Host:
        with self._hosts_lock:
            return self._hosts[urlsplit(url).netloc.lower()]

    def _request(self, url: str, headers: dict) -> Fetched:
        host = self._host(url)
        robots = self._robots(url)
        delay = max(self.policy.delay, float(robots.crawl_delay(self.policy.user_agent) or 0))
        with host.lock:
            wait = host.last + delay - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            try:
                return self._send(url, headers, host)
            finally:
                host.last = time.monotonic()

    def _send(self, url: str, headers: dict, host: _Host) -> Fetched:
        started = time.monotonic()
        try:
            with self._http.stream("GET", url, headers=headers) as response:
                content = b"" if response.status_code in _REDIRECTS else self._read(response, started)
                return _fetched(url, response, content)
        except httpx.TimeoutException:
            raise FetchError(f"no answer within {self.policy.timeout:g} s") from None
        except httpx.DecodingError as exc:
            raise FetchError(f"bad Content-Encoding: {exc}") from None
        except httpx.HTTPError as exc:
            raise FetchError(f"cannot fetch: {type(exc).__name__}: {exc}".rstrip(": ")) from None
        finally:
            host.last = time.monotonic()

    def _read(self, response: httpx.Response, started: float) -> bytes:
        chunks, size = [], 0
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.policy.max_bytes:
            raise FetchError(f"too large: {declared} bytes (maximum {self.policy.max_bytes})")
        for chunk in response.iter_bytes():  # decoded: a compressed bomb is cut off too
            size += len(chunk)
            if size > self.policy.max_bytes:
                raise FetchError(f"too large: more than {self.policy.max_bytes} bytes")
            if time.monotonic() - started > self.policy.deadline:
                raise FetchError(f"the answer took longer than {self.policy.deadline:g} s")
            chunks.append(chunk)
        return b"".join(chunks)


def _check_scheme(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"not a web address: {url}")


def _fetched(url: str, response: httpx.Response, content: bytes) -> Fetched:
    location = response.headers.get("location")
    final = urljoin(url, location) if response.status_code in _REDIRECTS and location else url
    if response.status_code in _REDIRECTS and not location:
        raise FetchError(f"HTTP {response.status_code} without a Location")
    content_type = response.headers.get("content-type", "")
    return Fetched(
        url=url, final_url=final, status=response.status_code, content=content,
        content_type=content_type.split(";")[0].strip().lower(), charset=response.charset_encoding,
        etag=response.headers.get("etag"), last_modified=response.headers.get("last-modified"),
    )

