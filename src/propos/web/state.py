"""What every request of the web app shares: its state, how to reach it, how to refuse.

The routers (:mod:`.api`, :mod:`.pages`, :mod:`.downloads`) and the middleware
(:mod:`.limits`) depend on this module, :mod:`.app` builds the app from them all: the arrows
point one way, with no import inside a function to break a circle.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse, Response
from fastapi.templating import Jinja2Templates

from .db import Database
from .tryit import Extractor

MAX_BODY_BYTES = 2 * 1024 * 1024


class Problem(Exception):
    """A request the app refuses, with its status and a message for the user."""

    def __init__(self, status: int, message: str, details: list[dict[str, Any]] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.details = details


@dataclass
class AppState:
    """What every request needs: the database, the templates, the limits."""

    db: Database
    templates: Jinja2Templates
    extractor: Extractor
    allow_store: bool = False
    max_body_bytes: int = MAX_BODY_BYTES
    db_name: str = ""


def state(request: Request) -> AppState:
    return request.app.state.propos


async def get_state(request: Request) -> AppState:
    """:func:`state` as a dependency; ``async`` so that FastAPI does not send it to the
    thread pool (a thread hop per request for a dict lookup)."""
    return request.app.state.propos


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/api"


def problem_response(request: Request, status: int, message: str,
                     details: list[dict[str, Any]] | None = None) -> Response:
    """The error answer: JSON under /api/, the error page elsewhere."""
    if wants_json(request):
        body: dict[str, Any] = {"status": status, "error": message}
        if details:
            body["details"] = details
        return JSONResponse(body, status_code=status)
    return state(request).templates.TemplateResponse(
        request, "error.html", {"status": status, "message": message, "details": details or []},
        status_code=status)
