"""The web app: server-rendered pages and a JSON API over one propos database.

:func:`create_app` builds a FastAPI application bound to one database, opened read-only;
``propos serve`` runs it under uvicorn. Pages are Jinja2 templates with autoescaping on (so
article text and user input are always text, never markup), one small stylesheet and inline
SVG charts: no JavaScript, no front-end build, nothing fetched from the network.

Errors are answered the same way everywhere: JSON ``{"status", "error", "details"?}`` under
``/api/``, an HTML page elsewhere; never a stack trace, and never a 500 for a bad request.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Collection
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..store.db import StoreError
from .api import router as api_router
from .db import Database
from .downloads import router as downloads_router
from .limits import (
    LOOPBACK_HOSTS,
    AllowedHosts,
    BodyLimit,
    Crashes,
    HeadAsGet,
    HeadLimit,
    SameOrigin,
    SecurityHeaders,
)
from .pages import router as pages_router
from .state import MAX_BODY_BYTES, AppState, Problem, problem_response, wants_json
from .tryit import Extractor, InputProblem

log = logging.getLogger(__name__)

HERE = Path(__file__).parent
MAX_TEXT_CHARS = 100_000

DESCRIPTION = f"""
Search the quotes of a propos database, read its speaker directory and its articles with
every attribution's offsets, and extract attributions from one posted text.

**Limits.** Request bodies over {MAX_BODY_BYTES // 1024 // 1024} MiB are refused with 413,
texts for extraction over {MAX_TEXT_CHARS:,} characters with 413; `per_page` is at most 100
and `page` at most 500; `q` is at most 500 characters. Bad parameters get 422 (or 400 for a
malformed JSON body or an unusable date), each with a JSON body
`{{"status": …, "error": "…", "details": […]}}`.

Article ids are the article keys of the store (32 hex digits: a hash of the text); speaker
ids are the speaker directory's ids. Offsets are character offsets into the article text.
"""


def templates_env() -> Environment:
    """Jinja2 with autoescaping forced on for every template (not just *.html)."""
    from . import render

    env = Environment(loader=PackageLoader("propos.web", "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True)
    render.install(env)
    return env


def create_app(db_path: str | os.PathLike[str], *, allow_store: bool = False,
               max_body_bytes: int = MAX_BODY_BYTES,
               max_text_chars: int = MAX_TEXT_CHARS,
               allowed_hosts: Collection[str] = ()) -> FastAPI:
    """The web app over the database at ``db_path`` (which must exist: StoreError if not).

    ``allow_store`` lets the try-it page and ``/api/extract`` store a submitted text (through
    a writable connection opened for that request only); without it the app never writes.
    ``allowed_hosts``: names the app answers to (``Host`` header) besides the loopback ones,
    127.0.0.1, localhost and ::1; any other Host gets 400.
    """
    db = Database(db_path)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        db.close()

    app = FastAPI(title="propos", version=__version__, description=DESCRIPTION,
                  docs_url=None, redoc_url=None, openapi_url="/api/openapi.json",
                  lifespan=lifespan)
    app.state.propos = AppState(
        db=db, templates=Jinja2Templates(env=templates_env()),
        extractor=Extractor(max_text_chars), allow_store=allow_store,
        max_body_bytes=max_body_bytes, db_name=Path(db_path).name)

    app.include_router(api_router)
    app.include_router(downloads_router)  # before the pages: /speakers/1.csv is not /speakers/1
    app.include_router(pages_router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    _install_error_handlers(app)
    # Added last = outermost: limits and headers apply before anything else runs, and every
    # answer, a refusal or a crash included, goes out through SecurityHeaders.
    app.add_middleware(SameOrigin)
    app.add_middleware(BodyLimit, max_bytes=max_body_bytes)
    app.add_middleware(HeadAsGet)
    app.add_middleware(AllowedHosts, hosts=(*LOOPBACK_HOSTS, *allowed_hosts))
    app.add_middleware(HeadLimit)
    app.add_middleware(Crashes, respond=_crashed)
    app.add_middleware(SecurityHeaders)
    log.info("propos web app over %s (%s)", db_path,
             "may store submitted texts" if allow_store else "read-only")
    return app


def _describe(errors: list[dict[str, Any]]) -> tuple[int, str, list[dict[str, Any]]]:
    details = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ()) if part not in ("query", "path",
                                                                          "body")]
        details.append({"parameter": ".".join(loc) or "body", "problem": error.get("msg", ""),
                        "type": error.get("type", "")})
    if any(e.get("type") == "json_invalid" for e in errors):
        return 400, "malformed JSON body", details
    if any(e.get("type") == "model_attributes_type" and not e.get("loc", ())[1:]
           for e in errors):
        return 422, "the body must be a JSON object", details
    first = details[0] if details else {"parameter": "?", "problem": "invalid"}
    more = f" (and {len(details) - 1} more)" if len(details) > 1 else ""
    return 422, f"invalid {first['parameter']}: {first['problem']}{more}", details


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if request.method == "POST" and wants_json(request) and kind != "application/json":
            return problem_response(request, 415, "send JSON (Content-Type: application/json)")
        status, message, details = _describe(list(exc.errors()))
        return problem_response(request, status, message, details)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "request refused"
        if exc.status_code == 404 and message == "Not Found":
            message = f"nothing at {request.url.path}"
        response = problem_response(request, exc.status_code, message)
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        return response

    @app.exception_handler(Problem)
    async def problem(request: Request, exc: Problem) -> Response:
        return problem_response(request, exc.status, exc.message, exc.details)

    @app.exception_handler(InputProblem)
    async def bad_input(request: Request, exc: InputProblem) -> Response:
        return problem_response(request, exc.status, str(exc))

    @app.exception_handler(StoreError)
    @app.exception_handler(sqlite3.Error)
    async def store_error(request: Request, exc: Exception) -> Response:
        # locked for longer than the busy timeout, replaced or removed under the server…
        log.error("database problem on %s: %s", request.url.path, exc)
        return problem_response(request, 503, "the database cannot be read right now")


def _crashed(request: Request, exc: Exception) -> Response:
    """The answer to an unexpected error (already logged by :class:`Crashes`)."""
    return problem_response(request, 500, "internal error (see the server log)")
