"""The web app through FastAPI's test client: every API endpoint and page, pagination, limits,
clear 4xx errors for bad input (never a 500), escaping of hostile text, highlights.

The database is hand-made (``web_helpers.py``); only ``/api/extract`` and the try-it page
run the real model, through the session's ``fr_pipeline`` fixture.
"""

from __future__ import annotations

import re
import shutil
import warnings
from pathlib import Path

import pytest
from web_helpers import (
    DIGUE,
    HOSTILE,
    article_key,
    build_web_db,
    speaker_id,
)

from propos.store.db import StoreError, connect
from propos.web import create_app
from propos.web.highlight import Mark, marks_for, segments
from propos.web.render import bar_chart, query_string

with warnings.catch_warnings():  # Starlette suggests httpx2; httpx is what is pinned
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

# The app answers to loopback names only (TestClient's default Host, "testserver", gets 400).
LOCAL = "http://127.0.0.1"

HOSTILE_QUERIES = [
    "'; DROP TABLE articles; --", '"', "«", "»", "«»", '""', "*", "***", "a*b*", "NOT",
    "AND OR NOT", "NEAR(digue hiver)", "digue:hiver", "content:digue", "(digue", "digue)",
    "^digue", "-digue", "+digue", "digue -hiver", "\\", "%", "_", "\x00", "\u202e digue",
    "<script>alert(1)</script>", "{{7*7}}", "{% raw %}", "ñ" * 500, "😀", "digue" + " x" * 240,
    "' OR 1=1 --", "\"digue", "digue\"", "« digue", "Œuvre", "ÉTAT", "etat",
]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_web_db(tmp_path_factory.mktemp("web") / "web.db")


@pytest.fixture(scope="module")
def client(db: Path) -> TestClient:
    with TestClient(create_app(db), base_url=LOCAL) as test_client:
        yield test_client


def error_of(response) -> str:
    body = response.json()
    assert set(body) >= {"status", "error"} and body["status"] == response.status_code
    return body["error"]


# --------------------------------------------------------------------------- search


def test_search_finds_quotes_with_speaker_article_and_copies(client: TestClient, db: Path
                                                            ) -> None:
    body = client.get("/api/search", params={"q": "digue", "order": "relevance"}).json()
    # the quote, then the other quote of the article whose title has the word
    assert body["total"] == 2 and body["pages"] == 1 and body["message"] is None
    hit = body["hits"][0]
    assert hit["content"] == "La digue sera rehaussée avant l'hiver"
    # hand-made attributions carry no gender: the directory falls back on the first name
    assert hit["speaker"] == {"id": speaker_id(db, "Hélène Garnier"), "name": "Hélène Garnier",
                              "type": "person", "gender": "female",
                              "gender_source": "first_name"}
    assert hit["copies"] == 2  # the APO wire copy carries the same quote
    assert hit["article"]["id"] in (article_key(db, "digue"), article_key(db, "digue-apo"))
    assert DIGUE[hit["start"]:hit["end"]] == hit["content"]


def test_search_ignores_case_and_accents_and_keeps_phrases(client: TestClient) -> None:
    assert client.get("/api/search", params={"q": "HELENE garnier"}).json()["total"] == 1
    assert client.get("/api/search", params={"q": '"sera rehaussée"'}).json()["total"] == 1
    assert client.get("/api/search", params={"q": '"rehaussée sera"'}).json()["total"] == 0
    assert client.get("/api/search", params={"q": "rehauss*"}).json()["total"] == 1


def test_search_pages_are_disjoint_and_complete(client: TestClient) -> None:
    seen: list[int] = []
    for page in (1, 2, 3):
        body = client.get("/api/search", params={"q": "budget", "per_page": 10,
                                                 "page": page}).json()
        assert (body["total"], body["pages"], body["page"]) == (25, 3, page)
        seen += [hit["id"] for hit in body["hits"]]
    assert len(seen) == len(set(seen)) == 25
    past = client.get("/api/search", params={"q": "budget", "per_page": 10, "page": 4}).json()
    assert past["hits"] == [] and past["total"] == 25 and "past the last page" in past["message"]


def test_search_filters(client: TestClient, db: Path) -> None:
    def total(**params: object) -> int:
        response = client.get("/api/search", params=params)
        assert response.status_code == 200, response.text
        return response.json()["total"]

    assert total(speaker="Garnier") == 3            # Hélène's quote and Paul's two
    assert total(speaker="Hélène Garnier") == 1
    assert total(speaker="Mme Hélène Garnier") == 1
    assert total(speaker_id=speaker_id(db, "Paul Garnier")) == 2
    assert total(speaker_type="organization") == 1
    assert total(speaker_type="anonymous") == 1
    assert total(kind="indirect") == 3              # préfecture, Paul, the anonymous one
    assert total(q="budget", since="2024") == 13
    assert total(q="budget", since="2023-06", until="2023-08") == 3
    assert total(q="budget", until="2023-02-15") == 2
    assert total(outlet="APO") == 2                 # the copy's quotes
    assert total(outlet="Ouest Matin", kind="direct") == 25
    body = client.get("/api/search", params={"speaker": "Personne Inconnue"}).json()
    assert body["hits"] == [] and "no speaker matching" in body["message"]


def test_search_needs_words_or_a_filter(client: TestClient) -> None:
    body = client.get("/api/search").json()
    assert body["hits"] == [] and "give words" in body["message"]
    body = client.get("/api/search", params={"q": "*** ;;;"}).json()
    assert body["hits"] == [] and "no words" in body["message"]


@pytest.mark.parametrize("params, fragment", [
    ({"q": "digue", "per_page": 101}, "per_page"),
    ({"q": "digue", "per_page": 0}, "per_page"),
    ({"q": "digue", "page": 0}, "page"),
    ({"q": "digue", "page": 501}, "page"),
    ({"q": "digue", "page": "two"}, "page"),
    ({"q": "digue", "kind": "quoted"}, "kind"),
    ({"q": "digue", "speaker_type": "robot"}, "speaker_type"),
    ({"speaker_id": "abc"}, "speaker_id"),
    ({"speaker_id": "-3"}, "speaker_id"),
    ({"speaker_id": str(2**70)}, "speaker_id"),
    ({"q": "x" * 501}, "q"),
    ({"q": "digue", "since": "9" * 41}, "since"),
])
def test_bad_search_parameters_are_422_with_a_json_error(client: TestClient, params: dict,
                                                         fragment: str) -> None:
    response = client.get("/api/search", params=params)
    assert response.status_code == 422
    assert fragment in error_of(response)
    assert response.json()["details"][0]["parameter"] == fragment


@pytest.mark.parametrize("params", [{"q": "digue", "since": "hier"},
                                    {"q": "digue", "until": "2024-13-45"}])
def test_unusable_dates_are_400(client: TestClient, params: dict) -> None:
    response = client.get("/api/search", params=params)
    assert response.status_code == 400 and "not a date" in error_of(response)


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_hostile_search_strings_are_answered_not_obeyed(client: TestClient, db: Path,
                                                        query: str) -> None:
    for path in ("/api/search", "/search"):
        response = client.get(path, params={"q": query[:500], "speaker": query[:200]})
        assert response.status_code == 200, (path, response.text)
    page = client.get("/search", params={"q": query[:500]}).text
    assert "<script>alert(1)</script>" not in page and "{{7*7}}" not in page.replace(
        "{{7*7}}", "") and "49" not in re.findall(r'name="q" value="([^"]*)"', page)
    conn = connect(db, readonly=True)
    assert conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 30
    conn.close()


def test_search_page_renders_results_pagination_and_filters(client: TestClient) -> None:
    page = client.get("/search", params={"q": "budget", "per_page": 10, "page": 2})
    assert page.status_code == 200
    assert "25 quotes · page 2 of 3" in page.text
    assert 'rel="prev" href="/search?q=budget&amp;per_page=10"' in page.text
    cursor = client.get("/api/search", params={"q": "budget", "per_page": 10,
                                               "page": 2}).json()["next"]
    assert f'rel="next" href="/search?q=budget&amp;page=3&amp;per_page=10&amp;after={cursor}"' \
        in page.text
    assert page.text.count('class="hit"') == 10
    assert '<option value="Ouest Matin">' in page.text
    bad = client.get("/search", params={"q": "budget", "since": "hier"})
    assert bad.status_code == 400 and "not a date" in bad.text
    invalid = client.get("/search", params={"per_page": 1000})
    assert invalid.status_code == 422 and "text/html" in invalid.headers["content-type"]
    assert "per_page" in invalid.text


# --------------------------------------------------------------------------- speakers


def test_speaker_api(client: TestClient, db: Path) -> None:
    sid = speaker_id(db, "Nadia Cherif")
    body = client.get(f"/api/speakers/{sid}", params={"per_page": 5, "page": 2}).json()
    assert body["name"] == "Nadia Cherif" and body["type"] == "person"
    assert body["counts"] == {"attributions": 25, "direct": 25, "indirect": 0, "mixed": 0,
                              "articles": 25}
    assert body["variants"] == [{"name": "Nadia Cherif", "attributions": 25}]
    assert body["timeline"]["unit"] == "month"  # two years: by month
    assert body["timeline"]["points"][0] == {"period": "2023-01", "count": 1}
    assert len(body["timeline"]["points"]) == 25 and body["undated"] == 0
    quotes = body["quotes"]
    assert (quotes["total"], quotes["page"], quotes["pages"], len(quotes["hits"])) == (25, 2, 5, 5)
    assert quotes["hits"][0]["article"]["date"] >= quotes["hits"][-1]["article"]["date"]


def test_speakers_quoted_alongside(client: TestClient, db: Path) -> None:
    body = client.get(f"/api/speakers/{speaker_id(db, 'Hélène Garnier')}").json()
    assert [s["name"] for s in body["alongside"]] == ["la préfecture"]
    assert body["alongside"][0]["articles"] == 2


def test_speaker_list(client: TestClient) -> None:
    body = client.get("/api/speakers", params={"per_page": 2}).json()
    assert [r["name"] for r in body["speakers"]] == ["Nadia Cherif", "Hélène Garnier"]
    assert (body["total"], body["pages"]) == (6, 3)
    assert client.get("/api/speakers", params={"per_page": 1000}).status_code == 422


def test_speaker_list_filters_by_type_outlet_and_period(client: TestClient) -> None:
    organisations = client.get("/api/speakers", params={"type": "organization"}).json()
    assert [(r["name"], r["type"]) for r in organisations["speakers"]] == [
        ("la préfecture", "organization")]
    # counts are over the quotes the article filters keep
    apo = client.get("/api/speakers", params={"outlet": "APO"}).json()["speakers"]
    assert [(r["name"], r["attributions"]) for r in apo] == [("Hélène Garnier", 1),
                                                            ("la préfecture", 1)]
    spring = client.get("/api/speakers", params={"since": "2024-04", "until": "2024-05"}).json()
    assert [(r["name"], r["attributions"], r["articles"]) for r in spring["speakers"]] == [
        ("Nadia Cherif", 2, 2), ("Paul Garnier", 2, 1), ("Inès Duval", 1, 1)]
    by_name = client.get("/api/speakers", params={"sort": "name"}).json()["speakers"]
    assert [r["name"] for r in by_name] == sorted(r["name"] for r in by_name)
    last = client.get("/api/speakers", params={"sort": "last_seen", "per_page": 1}).json()
    assert last["speakers"][0]["last_seen"] == "2025-01-15"
    assert client.get("/api/speakers", params={"type": "alien"}).status_code == 422
    assert client.get("/api/speakers", params={"since": "soon"}).status_code == 400


def test_every_speaker_has_a_gender(client: TestClient) -> None:
    rows = client.get("/api/speakers", params={"per_page": 100}).json()["speakers"]
    assert all(r["gender"] in ("female", "male", "unknown") for r in rows)
    genders = {r["name"]: (r["gender"], r["gender_source"]) for r in rows}
    assert genders["Paul Garnier"] == ("male", "first_name")
    assert genders["la préfecture"] == ("unknown", None)
    women = client.get("/api/speakers", params={"gender": "female"}).json()["speakers"]
    assert {r["name"] for r in women} == {"Nadia Cherif", "Hélène Garnier", "Inès Duval"}


def test_speakers_page_lists_sorts_and_filters(client: TestClient) -> None:
    page = client.get("/speakers").text
    assert page.count('<a class="speaker" href="/speakers/') == 6
    assert 'aria-sort="descending"' in page  # by quotes, most first
    persons = client.get("/speakers", params={"type": "person", "sort": "name"}).text
    assert "la préfecture" not in persons and 'aria-sort="ascending"' in persons
    assert client.get("/speakers", params={"sort": "shoe size"}).status_code == 422


@pytest.mark.parametrize("path, status", [("/api/speakers/999999", 404),
                                          ("/api/speakers/0", 422),
                                          ("/api/speakers/abc", 422),
                                          ("/api/speakers/1.5", 422),
                                          ("/api/speakers/1?page=0", 422)])
def test_bad_speaker_requests(client: TestClient, path: str, status: int) -> None:
    response = client.get(path)
    assert response.status_code == status
    error_of(response)


def test_speaker_page_has_names_chart_and_quotes(client: TestClient, db: Path) -> None:
    page = client.get(f"/speakers/{speaker_id(db, 'Nadia Cherif')}").text
    assert "<h1 class=\"speaker-name\">Nadia Cherif" in page
    assert page.count('<rect class="bar"') == 25
    assert "<title>2023-01: 1</title>" in page
    assert page.count('class="hit"') == 20 and 'href="/speakers/' in page
    assert client.get("/speakers/999999").status_code == 404


# --------------------------------------------------------------------------- articles


def test_article_api_gives_text_and_offsets(client: TestClient, db: Path) -> None:
    key = article_key(db, "digue")
    body = client.get(f"/api/articles/{key}").json()
    assert body["id"] == key and body["text"] == DIGUE and body["source"] == "Le Courrier"
    first, second = body["attributions"]
    assert (first["number"], first["kind"], first["speaker"]["name"]) == (
        1, "direct", "Hélène Garnier")
    for a in body["attributions"]:
        for role in ("content", "cue", "source"):
            span = a[role]
            assert DIGUE[span["start"]:span["end"]] == span["text"]
    assert second["cue"]["text"] == "Selon" and second["via"] is None
    assert body["near_duplicates"][0]["id"] == article_key(db, "digue-apo")


@pytest.mark.parametrize("path, status", [
    ("/api/articles/" + "0" * 32, 404), ("/api/articles/xyz", 422),
    ("/api/articles/" + "A" * 32, 422), ("/api/articles/..%2F..%2Fetc%2Fpasswd", 404),
    ("/api/articles/" + "0" * 33, 422), ("/api/nothing", 404)])
def test_bad_article_requests(client: TestClient, path: str, status: int) -> None:
    response = client.get(path)
    assert response.status_code == status
    error_of(response)


def test_article_page_highlights_each_role(client: TestClient, db: Path) -> None:
    page = client.get(f"/articles/{article_key(db, 'digue')}").text
    text = re.search(r'<div class="article-text">(.*?)</div>', page, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", text) == DIGUE.replace("'", "&#39;")
    assert '<span class="hl hl-content starts" data-a="1" data-n="1" id="t1">La digue sera ' \
           'rehaussée avant l&#39;hiver</span>' in text
    assert '<span class="hl hl-cue" data-a="1">a déclaré</span>' in text
    assert '<span class="hl hl-source" data-a="1">la ministre Hélène Garnier</span>' in text
    assert '<span class="hl hl-cue" data-a="2">Selon</span>' in text
    assert page.count('class="attribution ') == 2
    assert 'href="https://courrier.example/digue"' in page


def test_script_in_an_article_is_rendered_as_text(client: TestClient, db: Path) -> None:
    response = client.get(f"/articles/{article_key(db, 'hostile')}")
    page = response.text
    assert "<script>" not in page and "<b>" not in page and "<img" not in page
    assert "<i>" not in page and "javascript:" not in page.split("class=\"url\"")[0]
    assert "&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;" in page
    assert "&lt;b&gt;l&#39;entrée&lt;/b&gt; &amp; aux chevrons" in page
    assert "Sécurité : &lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img" in page
    assert "&lt;i&gt;Le Piège&lt;/i&gt;" in page
    assert "script-src" not in response.headers["content-security-policy"]
    assert "default-src 'none'" in response.headers["content-security-policy"]
    # the JSON API returns the text as it is (JSON is not HTML)
    body = client.get(f"/api/articles/{article_key(db, 'hostile')}").json()
    assert body["text"] == HOSTILE and response.headers["x-content-type-options"] == "nosniff"
    hits = client.get("/search", params={"q": "chevrons"}).text
    assert "&lt;b&gt;l&#39;entrée&lt;/b&gt;" in hits and "<b>" not in hits


# --------------------------------------------------------------------------- home, docs


def test_home_and_stats(client: TestClient) -> None:
    stats = client.get("/api/stats").json()
    assert (stats["articles"], stats["attributions"], stats["failures"]) == (30, 33, 1)
    assert stats["by_kind"] == {"direct": 29, "indirect": 4, "mixed": 0}
    assert stats["top_speakers"][0]["name"] == "Nadia Cherif"
    assert stats["failure_reasons"] == [{"reason": "no article text found in the HTML page",
                                         "count": 1}]
    page = client.get("/").text
    assert '<strong id="n-articles">30</strong>' in page
    assert '<strong id="n-failures">1</strong>' in page
    assert "Nadia Cherif" in page and "no article text found" in page


def test_openapi_describes_every_endpoint_and_no_cdn_docs(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()
    assert {"/api/search", "/api/speakers/{speaker_id}", "/api/articles/{article_id}",
            "/api/extract", "/api/stats", "/api/speakers"} <= set(spec["paths"])
    per_page = next(p for p in spec["paths"]["/api/search"]["get"]["parameters"]
                    if p["name"] == "per_page")
    assert per_page["schema"]["maximum"] == 100
    assert client.get("/docs").status_code == 404  # Swagger UI would load from a CDN
    page = client.get("/api").text
    assert "/api/search" in page and "cdn" not in page.lower()


def test_static_stylesheet_and_unknown_pages(client: TestClient) -> None:
    css = client.get("/static/style.css")
    assert css.status_code == 200 and ".hl-content" in css.text
    missing = client.get("/no/such/page")
    assert missing.status_code == 404 and "text/html" in missing.headers["content-type"]
    assert client.get("/static/../app.py").status_code == 404


# --------------------------------------------------------------------------- extract


@pytest.fixture(scope="module")
def small_client(db: Path) -> TestClient:
    """Tight limits, to test them without megabytes of data."""
    with TestClient(create_app(db, max_body_bytes=4_000, max_text_chars=1_000),
                    base_url=LOCAL) as c:
        yield c


@pytest.mark.model
def test_extract_endpoint_runs_the_model(client: TestClient, fr_pipeline) -> None:
    text = "« Nous tiendrons », a déclaré la maire, Léa Martin."
    response = client.post("/api/extract", json={"text": text, "id": "t1"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["id"] == "t1" and body["text"] == text and body["stored"] is None
    attribution = body["attributions"][0]
    assert attribution["speaker"]["name"] == "Léa Martin"
    assert text[attribution["content"]["start"]:attribution["content"]["end"]] == "Nous tiendrons"
    detected = client.post("/api/extract", json={"text": text, "lang": "auto"}).json()
    assert detected["lang"] == "fr" and detected["attributions"] == body["attributions"]
    assert attribution["speaker"]["gender"] == "female" and attribution["about"] == []


@pytest.mark.model
def test_extract_detects_english_without_lang(client: TestClient) -> None:
    text = ('"The bridge is not safe," said Mayor Ellen Ward. Tom Baker, a council member, '
            'said the closure had come too late.')
    body = client.post("/api/extract", json={"text": text}).json()
    assert body["lang"] == "en"
    assert [(a["kind"], a["speaker"]["name"], a["content"]["text"])
            for a in body["attributions"]] == [
        ("direct", "Ellen Ward", "The bridge is not safe"),
        ("indirect", "Tom Baker", "the closure had come too late")]


@pytest.mark.parametrize("kwargs, status, fragment", [
    ({"content": b'{"text": "abc"', "headers": {"content-type": "application/json"}}, 400,
     "malformed JSON"),
    ({"content": b"\xff\xfe{}", "headers": {"content-type": "application/json"}}, 400,
     "malformed JSON"),
    ({"json": ["not", "an", "object"]}, 422, "JSON object"),
    ({"json": {"txt": "oops"}}, 422, "text"),
    ({"json": {"text": 12}}, 422, "text"),
    ({"json": {"text": "Bonjour.", "lang": "français"}}, 422, "lang"),
    ({"json": {"text": "Guten Tag.", "lang": "de"}}, 422, "does not extract 'de'"),
    ({"json": {"text": "   "}}, 400, "no text"),
    ({"json": {"text": "Bonjour.", "store": True}}, 403, "--allow-store"),
    ({"content": b"text=Bonjour", "headers": {"content-type": "text/plain"}}, 415, "JSON"),
])
def test_bad_extract_requests(client: TestClient, kwargs: dict, status: int,
                              fragment: str) -> None:
    response = client.post("/api/extract", **kwargs)
    assert response.status_code == status, response.text
    assert fragment in error_of(response)


def test_oversized_requests_are_413(small_client: TestClient) -> None:
    big = {"text": "é" * 3_000}
    response = small_client.post("/api/extract", json=big)
    assert response.status_code == 413 and "too large" in error_of(response)

    def chunks():  # no Content-Length: the limit is enforced while reading
        for _ in range(10):
            yield b"x" * 1_000

    streamed = small_client.post("/api/extract", content=chunks(),
                                 headers={"content-type": "application/json"})
    assert streamed.status_code == 413 and "too large" in error_of(streamed)
    long_text = small_client.post("/api/extract", json={"text": "a" * 1_500})
    assert long_text.status_code == 413 and "too long" in error_of(long_text)
    page = small_client.post("/try", files={"file": ("a.txt", b"x" * 10_000, "text/plain")})
    assert page.status_code == 413 and "text/html" in page.headers["content-type"]


def test_cross_site_posts_are_refused(client: TestClient) -> None:
    response = client.post("/api/extract", json={"text": "Bonjour."},
                           headers={"origin": "https://evil.example"})
    assert response.status_code == 403 and "cross-site" in error_of(response)
    page = client.post("/try", data={"text": "Bonjour."}, headers={"origin": "null"})
    assert page.status_code == 403


async def _asgi(app, method: str, path: str, headers: list[tuple[bytes, bytes]],
                body: bytes = b"") -> tuple[int, bytes]:
    """One raw ASGI request: for headers an HTTP client library would refuse to send."""
    sent: list[dict] = []
    messages = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive():
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": method, "path": path, "raw_path": path.encode(), "query_string": b"",
             "headers": headers, "client": ("127.0.0.1", 1), "server": ("testserver", 80),
             "scheme": "http", "root_path": "", "state": {}}
    await app(scope, receive, send)
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])


@pytest.mark.parametrize("length", [b"abc", b"-5", b"1e3"])
def test_malformed_content_length_is_400(client: TestClient, length: bytes) -> None:
    import anyio

    status, body = anyio.run(_asgi, client.app, "POST", "/api/extract",
                             [(b"host", b"127.0.0.1"), (b"content-length", length),
                              (b"content-type", b"application/json")], b"{}")
    assert status == 400 and b"Content-Length" in body


@pytest.mark.model
def test_try_page_highlights_pasted_text_and_uploads(client: TestClient, fr_pipeline) -> None:
    form = client.get("/try").text
    assert 'enctype="multipart/form-data"' in form and "read-only" in form
    text = "« Nous tiendrons <b>bon</b> », a déclaré la maire, Léa Martin."
    page = client.post("/try", data={"text": text})
    assert page.status_code == 200
    assert 'class="hl hl-content starts"' in page.text and "Léa Martin" in page.text
    assert "&lt;b&gt;bon&lt;/b&gt;" in page.text and "<b>bon</b>" not in page.text
    upload = client.post("/try", files={"file": ("note.txt", text.encode("cp1252"),
                                                 "text/plain")})
    assert upload.status_code == 200 and 'class="hl hl-cue"' in upload.text
    wrong = client.post("/try", files={"file": ("scan.pdf", b"%PDF-1.4", "application/pdf")})
    assert wrong.status_code == 415 and "upload one .txt or .html" in wrong.text
    empty = client.post("/try", data={"text": ""})
    assert empty.status_code == 400 and "no text" in empty.text
    refused = client.post("/try", data={"text": text, "store": "on"})
    assert refused.status_code == 403
    garbage = client.post("/try", content=b"--x\r\nnonsense",
                          headers={"content-type": "multipart/form-data; boundary=x"})
    assert garbage.status_code == 400


@pytest.mark.model
def test_storing_needs_allow_store_and_uses_the_store_writer(db: Path, tmp_path: Path,
                                                            fr_pipeline) -> None:
    copy = tmp_path / "copy.db"
    shutil.copy(db, copy)
    with TestClient(create_app(copy, allow_store=True), base_url=LOCAL) as writable:
        text = "« Nous tiendrons », a déclaré la maire de Vauclair, Léa Martin."
        body = writable.post("/api/extract", json={"text": text, "store": True,
                                                   "title": "Vauclair", "date": "2024-06-01"}
                             ).json()
        key = body["stored"]
        article = writable.get(f"/api/articles/{key}").json()
        assert article["title"] == "Vauclair" and article["date"] == "2024-06-01"
        assert article["attributions"][0]["speaker_id"] is not None  # directory rebuilt
        page = writable.post("/try", data={"text": text.replace("Vauclair", "Mirande"),
                                           "store": "on", "title": "Mirande"})
        assert page.status_code == 200 and "Stored:" in page.text
        hits = writable.get("/api/search", params={"q": "tiendrons"}).json()
        # two articles, not near-identical copies of one story: two hits
        assert hits["total"] == 2 and [h["copies"] for h in hits["hits"]] == [1, 1]
        assert [h["article"]["title"] for h in hits["hits"]] == ["Vauclair", "Mirande"]  # undated last
    conn = connect(db, readonly=True)  # the original was never written
    assert conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 30


def test_a_database_error_is_503_not_500(client: TestClient, monkeypatch) -> None:
    import sqlite3

    import propos.web.api as api

    def locked(*args, **kwargs):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(api, "search", locked)
    response = client.get("/api/search", params={"q": "digue"})
    assert response.status_code == 503 and "cannot be read" in error_of(response)


def test_the_database_is_opened_read_only(db: Path, tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="propos ingest"):
        create_app(tmp_path / "missing.db")
    app = create_app(db)
    conn = app.state.propos.db.reader()
    with pytest.raises(Exception, match="readonly"):
        conn.execute("DELETE FROM articles")


# --------------------------------------------------------------------------- pieces


def test_segments_cover_the_text_and_nest() -> None:
    text = "« Oui », a-t-elle dit, selon X."
    marks = [Mark(2, 5, "content", 1), Mark(8, 19, "cue", 1), Mark(12, 17, "source", 1),
             Mark(23, 28, "cue", 2), Mark(29, 30, "via", 2), Mark(2, 30, "content", 3)]
    pieces = segments(text, marks)
    assert "".join(p.text for p in pieces) == text
    assert all(a.end == b.start for a, b in zip(pieces, pieces[1:]))
    source = next(p for p in pieces if p.text == "-elle")
    assert source.roles == ("content", "cue", "source") and source.numbers == (1, 3)
    assert source.css == "hl hl-content hl-cue hl-source"
    assert [p.opens for p in pieces if p.opens] == [(1, 3)]
    assert segments("", []) == []


def test_bad_offsets_are_dropped_not_fatal() -> None:
    rows = [{"number": 1, "content_start": 5, "content_end": 2},
            {"number": 2, "content_start": 0, "content_end": 99},
            {"number": 3, "content_start": -1, "content_end": 2, "cue_start": 0, "cue_end": 3}]
    assert marks_for(rows, 10) == [Mark(0, 3, "cue", 3)]


def test_chart_and_query_string_helpers() -> None:
    chart = bar_chart({"unit": "month", "points": [
        {"period": "2024-01", "count": 2}, {"period": "2024-02", "count": 0},
        {"period": "2024-03", "count": 4}]})
    assert [b["h"] for b in chart["bars"]] == [58.0, 0, 116.0] and chart["max"] == 4
    assert query_string({"q": "a&b", "page": 1, "kind": ""}, page=2) == "?q=a%26b&page=2"


def test_search_page_draws_its_quotes_over_time(client: TestClient) -> None:
    page = client.get("/search", params={"q": "budget", "per_page": 5}).text
    assert page.count('<rect class="bar"') == 25  # every match, by month, not the page's 5
    assert "<title>2023-01: 1</title>" in page and "per month" in page
    spring = client.get("/search", params={"q": "budget", "since": "2024-04",
                                           "until": "2024-05"}).text
    assert "per day" in spring or "per week" in spring
    assert "timeline" not in client.get("/api/search", params={"q": "budget"}).json()


def test_search_page_marks_the_matched_words_and_keeps_the_switches(client: TestClient
                                                                   ) -> None:
    page = client.get("/search", params={"q": "rehauss* OR crue", "content_only": "true"}).text
    assert "La digue sera <mark>rehaussée</mark> avant l&#39;hiver" in page
    assert 'name="content_only" value="true" checked' in page
    body = client.get("/api/search", params={"q": "rehauss*"}).json()
    hit = body["hits"][0]
    assert [hit["content"][h["start"]:h["end"]] for h in hit["highlights"]] == ["rehaussée"]
    assert client.get("/api/search", params={"q": "Garnier", "content_only": True}
                      ).json()["total"] == 0
    assert client.get("/api/search", params={"q": "digue", "after": "x1"}).status_code == 422
    assert client.get("/api/search", params={"q": "digue", "order": "best"}).status_code == 422
