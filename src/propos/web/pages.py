"""The HTML pages: home, search, speaker, article, try-it, and a page describing the API.

Each page renders the same dict its API twin returns (see :mod:`.queries`), through Jinja2
templates with autoescaping on. Highlights are computed here from stored offsets
(:mod:`.highlight`) and rendered segment by segment, each segment's text escaped.
"""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile

from ..model import CUE_TYPES, GENDERS, KINDS, SPEAKER_TYPES
from ..query import BadQuery, SearchQuery
from ..store.queries import dated_counts, outlets, search
from ..store.views import article_detail, languages, quote_group_detail, speaker_name
from .api import ARTICLE_KEY, GROUP_KEY, search_params, speaker_list_params
from .charts import time_series
from .render import query_string
from .state import AppState, Problem, get_state
from .highlight import marks_for, mention_marks, segments
from .provenance import add_quote_badges, with_provenance
from .queries import MAX_PAGE, SpeakerListParams, corpus_figures, span_offsets, speaker_list
from .tryit import InputProblem, read_upload

log = logging.getLogger(__name__)

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
MAX_FORM_FIELDS = 20


def render(request: Request, name: str, context: dict[str, Any],
           status_code: int = 200) -> Response:
    app = request.app.state.propos
    context = {"db_name": app.db_name, "allow_store": app.allow_store, **context}
    return app.templates.TemplateResponse(request, name, context, status_code=status_code)


def highlighted(text: str, attributions: list[dict[str, Any]]) -> list[Any]:
    return segments(text, marks_for(span_offsets(attributions), len(text)))


@router.get("/")
def home(request: Request, app: Annotated[AppState, Depends(get_state)]) -> Response:
    return render(request, "home.html", {"figures": corpus_figures(app.db.reader())})


@router.get("/search")
def search_page(request: Request, params: Annotated[SearchQuery, Depends(search_params)],
                app: Annotated[AppState, Depends(get_state)]) -> Response:
    conn = app.db.reader()
    context: dict[str, Any] = {"params": params, "kinds": KINDS, "cue_types": CUE_TYPES,
                               "speaker_types": SPEAKER_TYPES, "outlets": outlets(conn),
                               "result": None, "error": None}
    name = None
    if params.speaker_id is not None:
        name = speaker_name(conn, params.speaker_id) or f"#{params.speaker_id}"
    context["speaker_name"] = name
    status = 200
    if params.q.strip() or params.filtered:
        try:
            result = search(conn, params).to_dict()
            add_quote_badges(conn, result["hits"])
            if result["hits"] or result["total"]:
                result["timeline"] = time_series(dated_counts(conn, params))
            context["result"] = result
        except BadQuery as exc:
            context["error"] = str(exc)
            status = 400
    return render(request, "search.html", context, status)


# (key, label, numeric) of the directory's columns; key None: not sortable
SPEAKER_COLUMNS = (("name", "speaker", False), (None, "type", False), (None, "gender", False),
                   ("quotes", "quotes", True), ("articles", "articles", True),
                   ("first_seen", "first seen", False), ("last_seen", "last seen", False))
NATURAL_DESCENDING = ("quotes", "articles", "last_seen")


def sort_columns(params: SpeakerListParams) -> list[dict[str, Any]]:
    """Column headers with the link that sorts by them (again: the other way round)."""
    current = params.to_dict()
    out = []
    for key, label, numeric in SPEAKER_COLUMNS:
        column: dict[str, Any] = {"label": label, "numeric": numeric, "href": None,
                                  "sorted": None}
        if key is not None:
            order = ""
            if params.sort == key:
                descending = params.order == "desc" if params.order else \
                    key in NATURAL_DESCENDING
                column["sorted"] = "descending" if descending else "ascending"
                order = "asc" if descending else "desc"
            column["href"] = "/speakers" + query_string(current, sort=key, order=order,
                                                        page=1)
        out.append(column)
    return out


@router.get("/speakers")
def speakers_page(request: Request,
                  params: Annotated[SpeakerListParams, Depends(speaker_list_params)],
                  app: Annotated[AppState, Depends(get_state)]) -> Response:
    conn = app.db.reader()
    context: dict[str, Any] = {
        "params": params, "speaker_types": SPEAKER_TYPES, "genders": GENDERS,
        "outlets": outlets(conn), "langs": languages(conn), "columns": sort_columns(params),
        "result": None, "error": None}
    status = 200
    try:
        context["result"] = speaker_list(conn, params)
    except BadQuery as exc:
        context["error"] = str(exc)
        status = 400
    return render(request, "speakers.html", context, status)


@router.get("/speakers/{speaker_id}")
def speaker_page(request: Request, speaker_id: Annotated[int, Path(ge=1, le=2**62)],
                 app: Annotated[AppState, Depends(get_state)],
                 page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1) -> Response:
    from .queries import speaker_detail

    conn = app.db.reader()
    detail = speaker_detail(conn, speaker_id, page=page)
    if detail is None:
        raise Problem(404, f"no speaker {speaker_id} in this database")
    add_quote_badges(conn, detail["quotes"]["hits"])
    return render(request, "speaker.html", {"speaker": detail})


@router.get("/articles/{article_id}")
def article_page(request: Request,
                 article_id: Annotated[str, Path(pattern=ARTICLE_KEY)],
                 app: Annotated[AppState, Depends(get_state)]) -> Response:
    conn = app.db.reader()
    detail = article_detail(conn, article_id)
    if detail is None:
        raise Problem(404, f"no article {article_id} in this database")
    detail = with_provenance(conn, detail)
    text = detail["text"]
    marks = (marks_for(span_offsets(detail["attributions"]), len(text))
             + mention_marks(detail["dates"], "date", len(text))
             + mention_marks(detail["amounts"], "amount", len(text)))
    return render(request, "article.html", {"article": detail, "segments": segments(text, marks)})


@router.get("/quotes/{group}")
def quote_page(request: Request, group: Annotated[str, Path(pattern=GROUP_KEY)],
               app: Annotated[AppState, Depends(get_state)]) -> Response:
    detail = quote_group_detail(app.db.reader(), group)
    if detail is None:
        raise Problem(404, f"no statement {group} in this database")
    return render(request, "quote.html", {"statement": detail})


@router.get("/try")
def try_page(request: Request) -> Response:
    return render(request, "try.html", {"form": {}, "document": None, "error": None})


@router.post("/try")
async def try_submit(request: Request, app: Annotated[AppState, Depends(get_state)]) -> Response:
    """Extract a pasted text or an uploaded file; store it only when asked and allowed.

    The form is parsed here (not by FastAPI) to bound it: a few fields, one file, each part
    no bigger than the request limit the middleware already enforces.
    """
    from starlette.concurrency import run_in_threadpool

    from .tryit import store

    try:
        form = await request.form(max_files=1, max_fields=MAX_FORM_FIELDS,
                                  max_part_size=app.max_body_bytes)
    except (AssertionError, ValueError) as exc:  # not a form, or a malformed one
        raise Problem(400, f"malformed form: {exc}") from exc
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    upload = form.get("file")
    values = {"text": fields.get("text", ""), "title": fields.get("title", "")[:500],
              "store": fields.get("store") == "on"}
    context: dict[str, Any] = {"form": values, "document": None, "error": None,
                               "stored": None}
    status = 200
    try:
        meta: dict[str, str | None] = {"title": values["title"] or None}
        text = values["text"]
        if isinstance(upload, UploadFile) and upload.filename:
            data = await upload.read()
            if data:
                parsed = await run_in_threadpool(read_upload, upload.filename, data)
                text = parsed.text
                meta = {"title": values["title"] or parsed.title, "date": parsed.date,
                        "source": parsed.source, "url": parsed.url}
        if values["store"] and not app.allow_store:
            raise InputProblem("this server does not store texts (start it with "
                               "--allow-store)", 403)
        document = await run_in_threadpool(app.extractor.extract, text, "try", "auto")
        attributions = [
            {**a.to_dict(), "number": i, "speaker_id": None}
            for i, a in enumerate(document.attributions, start=1)]
        context["document"] = {"text": document.text, "attributions": attributions,
                               "segments": highlighted(document.text, attributions)}
        context["form"]["text"] = document.text
        if values["store"]:
            context["stored"] = await run_in_threadpool(
                lambda: store(app.db, document, **meta))
    except InputProblem as exc:
        context["error"] = str(exc)
        status = exc.status
    finally:
        await form.close()
    return render(request, "try.html", context, status)


@router.get("/api")
def api_page(request: Request) -> Response:
    """The API described for people, from the same OpenAPI document as /api/openapi.json."""
    spec = request.app.openapi()
    endpoints = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            endpoints.append({
                "method": method.upper(), "path": path, "summary": op.get("summary", ""),
                "description": op.get("description", ""),
                "parameters": [{"name": p["name"], "in": p["in"],
                                "required": p.get("required", False),
                                "description": p.get("description", ""),
                                "schema": _schema_words(p.get("schema", {}))}
                               for p in op.get("parameters", [])]})
    return render(request, "api.html", {"endpoints": endpoints,
                                        "description": spec["info"].get("description", "")})


def _schema_words(schema: dict[str, Any]) -> str:
    if "anyOf" in schema:
        return " or ".join(_schema_words(s) for s in schema["anyOf"])
    words = [schema.get("type", "")]
    for key, label in (("minimum", "≥"), ("maximum", "≤"), ("maxLength", "max length"),
                       ("pattern", "pattern")):
        if key in schema:
            words.append(f"{label} {schema[key]}")
    if "default" in schema and schema["default"] not in ("", None):
        words.append(f"default {schema['default']}")
    return ", ".join(w for w in words if w)
