"""The web app under hostile requests (issue 17): a foreign Host (DNS rebinding) gets 400 for
every method, a cross-site form post 403 (decided by Origin, then Sec-Fetch-Site, then
Referer), a lone surrogate in JSON a 4xx, and every answer, errors and crashes included,
carries the security headers; HEAD works; over-long heads and over-limit bodies are answered
400 and 413 by a real server without the connection being reset. And what held when the app
was attacked stays tested: path traversal leaks nothing, concurrent clients get no error.
"""

from __future__ import annotations

import re
import shutil
import socket
import time
import warnings
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from web_helpers import build_web_db

from propos.web import create_app
from propos.web.limits import HEADERS, cross_site, host_name
from propos.web.server import BackgroundServer, allowed_hosts

with warnings.catch_warnings():  # Starlette suggests httpx2; httpx is what is pinned
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

LOCAL = "http://127.0.0.1"
SECURITY_HEADERS = {name.decode() for name, _ in HEADERS}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_web_db(tmp_path_factory.mktemp("web-reliability") / "web.db")


@pytest.fixture(scope="module")
def writable(db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("web-store") / "store.db"
    shutil.copy(db, copy)
    return copy


@pytest.fixture(scope="module")
def client(writable: Path) -> Iterator[TestClient]:
    app = create_app(writable, allow_store=True, allowed_hosts=["propos.example"])
    with TestClient(app, base_url=LOCAL, raise_server_exceptions=False) as test_client:
        yield test_client


def secured(response) -> bool:
    return SECURITY_HEADERS <= set(response.headers)


def articles(path: Path) -> int:
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    finally:
        conn.close()


# --------------------------------------------------------------------------- Host


@pytest.mark.parametrize("method", ["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"])
@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.evil.example",
                                  "[::2]:80"])
def test_a_foreign_host_gets_400_for_every_method(client: TestClient, writable: Path,
                                                  method: str, host: str) -> None:
    before = articles(writable)
    response = client.request(method, "/api/extract", headers={
        "host": host, "origin": f"http://{host}", "content-type": "application/json"},
        content=b'{"text": "\xc2\xab Oui \xc2\xbb, a d\xc3\xa9clar\xc3\xa9 Marc Olivier.", '
                b'"store": true}')
    assert response.status_code == 400 and secured(response)
    if method != "HEAD":
        assert "unknown Host" in response.json()["error"]
    assert articles(writable) == before  # what a DNS-rebinding page sends is never stored


@pytest.mark.parametrize("host", ["127.0.0.1:8017", "localhost", "LOCALHOST.:80", "[::1]:8017",
                                  "propos.example"])
def test_the_hosts_the_server_answers_to(client: TestClient, host: str) -> None:
    assert client.get("/api/stats", headers={"host": host}).status_code == 200


def test_allowed_hosts_follow_the_bound_address() -> None:
    assert allowed_hosts("127.0.0.1") == ("127.0.0.1", "localhost", "::1")
    assert allowed_hosts("192.168.1.20", ["proxy.example"]) == (
        "127.0.0.1", "localhost", "::1", "192.168.1.20", "proxy.example")
    assert socket.gethostname() in allowed_hosts("0.0.0.0")
    assert host_name("[::1]:8000") == "::1" and host_name("Example.ORG.:80") == "example.org"


# --------------------------------------------------------------------------- cross-site posts


@pytest.mark.parametrize("headers, refused", [
    ({"origin": "http://127.0.0.1:8017"}, False),
    ({"origin": "http://evil.example"}, True),
    ({"origin": "http://127.0.0.1:9999"}, True),  # another port is another origin
    ({"origin": "null", "sec-fetch-site": "same-origin"}, False),  # the page's own form
    ({"origin": "null"}, True),
    ({"sec-fetch-site": "cross-site"}, True),
    ({"sec-fetch-site": "same-site"}, True),
    ({"sec-fetch-site": "none"}, False),  # typed or bookmarked by the user
    ({"referer": "http://evil.example/page"}, True),
    ({"referer": "http://127.0.0.1:8017/try"}, False),
    ({"sec-fetch-site": "same-origin", "referer": "http://evil.example/"}, False),
    ({"origin": "http://evil.example", "sec-fetch-site": "same-origin"}, True),  # Origin first
    ({}, False),  # curl, a script: no browser, no ambient credentials to abuse
])
def test_cross_site_is_decided_by_origin_then_fetch_site_then_referer(headers: dict,
                                                                     refused: bool) -> None:
    raw = {b"host": b"127.0.0.1:8017"} | {k.encode(): v.encode() for k, v in headers.items()}
    assert (cross_site(raw) is not None) == refused


@pytest.mark.parametrize("headers", [
    {"sec-fetch-site": "cross-site"}, {"referer": "http://evil.example/"},
    {"origin": "https://evil.example"}, {"origin": "null"}])
def test_a_cross_site_form_post_is_refused(client: TestClient, writable: Path,
                                           headers: dict) -> None:
    before = articles(writable)
    page = client.post("/try", data={"text": "« Oui », a déclaré Marc Olivier.", "store": "on"},
                       headers=headers)
    assert page.status_code == 403 and secured(page)
    assert "text/html" in page.headers["content-type"] and 'href="/static/style.css"' in page.text
    assert articles(writable) == before


# --------------------------------------------------------------------------- errors and HEAD


@pytest.mark.parametrize("body", [
    b'{"text": "La maire a dit \\udfff hier."}',
    b'{"text": "La maire a dit oui.", "title": "\\ud800", "store": true}',
])
def test_a_lone_surrogate_is_a_4xx_with_the_headers(client: TestClient, body: bytes) -> None:
    response = client.post("/api/extract", content=body,
                           headers={"content-type": "application/json"})
    assert response.status_code == 422 and secured(response)
    # pydantic refuses some lone surrogates itself, the app's check the others
    assert re.search("lone surrogate|unicode string", response.json()["error"])


def test_a_crash_is_a_500_with_the_headers(client: TestClient, monkeypatch) -> None:
    import propos.web.api as api

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(api, "corpus_figures", broken)
    response = client.get("/api/stats")
    assert response.status_code == 500 and secured(response)
    assert response.json() == {"status": 500, "error": "internal error (see the server log)"}


@pytest.mark.parametrize("path", ["/", "/api/stats", "/api/search?q=digue", "/static/style.css",
                                  "/no/such/page"])
def test_head_is_answered_like_get_without_a_body(client: TestClient, path: str) -> None:
    get, head = client.get(path), client.head(path)
    assert head.status_code == get.status_code and head.content == b"" and secured(head)
    assert head.headers["content-type"] == get.headers["content-type"]


def test_refusals_carry_the_headers(client: TestClient) -> None:
    for response in (client.get("/nothing"), client.get("/api/search?per_page=1000"),
                     client.get("/", headers={"x-big": "b" * 70_000})):
        assert response.status_code in (400, 404, 422) and secured(response)


# --------------------------------------------------------------------------- a real server


def _raw(port: int, request: bytes, pieces: int = 1) -> tuple[bytes, str | None]:
    """Send ``request`` (in ``pieces``), read the answer to its end: (status line, the
    socket error met on the way, if any)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    error = None
    size = len(request) // pieces + 1
    try:
        for start in range(0, len(request), size):
            sock.sendall(request[start:start + size])
            time.sleep(0.005 if pieces > 1 else 0)
    except OSError as exc:
        error = f"sending: {type(exc).__name__}"
    answer = b""
    try:
        while chunk := sock.recv(65536):
            answer += chunk
    except OSError as exc:
        error = (error or "") + f" reading: {type(exc).__name__}"
    finally:
        sock.close()
    return answer.split(b"\r\n", 1)[0], error


@pytest.fixture(scope="module")
def server(writable: Path) -> Iterator[BackgroundServer]:
    with BackgroundServer(writable, allow_store=True, max_body_bytes=4_000) as running:
        yield running


HOST = b"Host: 127.0.0.1\r\n"


@pytest.mark.parametrize("pieces", [1, 20])
@pytest.mark.parametrize("request_bytes", [
    b"GET /search?q=" + b"a" * 120_000 + b" HTTP/1.1\r\n" + HOST + b"\r\n",
    b"GET / HTTP/1.1\r\n" + HOST + b"X-Big: " + b"b" * 120_000 + b"\r\n\r\n",
], ids=["url", "header"])
def test_an_over_long_head_gets_400_not_a_reset(server: BackgroundServer, request_bytes: bytes,
                                                pieces: int) -> None:
    status, error = _raw(server.port, request_bytes, pieces)
    assert status == b"HTTP/1.1 400 Bad Request" and error is None


@pytest.mark.parametrize("pieces", [1, 30])
def test_an_over_limit_chunked_body_gets_413_not_a_reset(server: BackgroundServer,
                                                         pieces: int) -> None:
    chunks = b"".join(b"3e8\r\n" + b"y" * 1000 + b"\r\n" for _ in range(3000)) + b"0\r\n\r\n"
    status, error = _raw(server.port, b"POST /api/extract HTTP/1.1\r\n" + HOST +
                         b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                         + chunks, pieces)
    assert status == b"HTTP/1.1 413 Request Entity Too Large" and error is None


def test_an_over_limit_declared_body_gets_413_not_a_reset(server: BackgroundServer) -> None:
    status, error = _raw(server.port, b"POST /api/extract HTTP/1.1\r\n" + HOST +
                         b"Content-Type: application/json\r\nContent-Length: 3000000\r\n\r\n"
                         + b"x" * 3_000_000)
    assert status == b"HTTP/1.1 413 Request Entity Too Large" and error is None


def test_a_foreign_host_on_the_real_server(server: BackgroundServer) -> None:
    status, error = _raw(server.port, b"POST /api/extract HTTP/1.1\r\nHost: evil.example\r\n"
                         b"Origin: http://evil.example\r\nContent-Type: application/json\r\n"
                         b"Content-Length: 2\r\nConnection: close\r\n\r\n{}")
    assert status == b"HTTP/1.1 400 Bad Request" and error is None
    status, _ = _raw(server.port, b"HEAD /api/stats HTTP/1.1\r\n" + HOST +
                     b"Connection: close\r\n\r\n")
    assert status == b"HTTP/1.1 200 OK"


# --------------------------------------------------------------------------- what held, kept


TRAVERSALS = [
    "/static/../app.py", "/static/..%2fapp.py", "/static/%2e%2e/app.py", "/static/....//app.py",
    "/static/%252e%252e/app.py", "/static//etc/passwd", "/static/..\\app.py",
    "/static/%2e%2e%2f%2e%2e%2fstore%2fdb.py", "/static/style.css/../../app.py",
    "/articles/..%2f..%2fetc%2fpasswd", "/speakers/..%2f1", "/api/articles/../../etc/passwd",
    "/static/%00style.css", "/static/style.css%00.py", "/..%2f..%2f..%2fetc%2fpasswd",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_path_traversal_leaks_nothing(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code in (400, 404, 422), response.status_code
    assert "import" not in response.text and "root:" not in response.text and secured(response)


@pytest.mark.slow
def test_concurrent_clients_get_no_error(server: BackgroundServer) -> None:
    paths = ["/", "/search?q=digue", "/api/search?q=budget&page=2&per_page=5", "/api/stats",
             "/api/speakers", "/search?q=%27%3B+DROP+TABLE+articles", "/static/style.css",
             "/api/search?q=NEAR(digue"]
    deadline = time.monotonic() + 5

    def client_loop(offset: int) -> list[int]:
        statuses = []
        with httpx.Client(base_url=server.url) as http:
            while time.monotonic() < deadline:
                statuses.append(http.get(paths[(offset + len(statuses)) % len(paths)])
                                .status_code)
        return statuses

    with ThreadPoolExecutor(8) as pool:
        statuses = [s for run in pool.map(client_loop, range(8)) for s in run]
    assert statuses and set(statuses) <= {200, 400}, sorted(set(statuses))


def test_the_server_config_answers_to_its_host_and_the_allowed_ones(writable: Path) -> None:
    from propos.web.server import config

    settings = config(writable, host="192.168.0.5", allowed_host=["proxy.example"],
                      log_level="warning")
    with TestClient(settings.app, base_url=LOCAL) as served:
        for host, status in (("192.168.0.5:8000", 200), ("proxy.example", 200),
                             ("127.0.0.1", 200), ("evil.example", 400)):
            assert served.get("/api/stats", headers={"host": host}).status_code == status
