"""The JSON API: the same questions as the pages, answered as JSON (described by OpenAPI).

Handlers are plain ``def`` functions: FastAPI runs them in its thread pool, where each thread
has its own read-only connection (:meth:`Database.reader`), so a slow query never blocks the
event loop. Parameter limits are declared on the parameters themselves, which puts them in
the OpenAPI description and turns a bad value into a 422 before any SQL runs.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request

from ..store.queries import BadQuery, SearchQuery, search
from .app import AppState, Problem, get_state
from .queries import (
    MAX_PAGE,
    MAX_PER_PAGE,
    MAX_QUERY_CHARS,
    article_detail,
    corpus_figures,
    speaker_detail,
)
from .schemas import (
    ArticleDetail,
    Error,
    ExtractRequest,
    ExtractResponse,
    SearchPage,
    SpeakerDetail,
    SpeakerSummary,
    Stats,
)

router = APIRouter(prefix="/api", tags=["api"])

ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": Error, "description": "Unusable parameter or malformed body"},
    422: {"model": Error, "description": "Invalid parameter"},
}
ARTICLE_KEY = r"^[0-9a-f]{32}$"
KIND_PATTERN = "^(|direct|indirect|mixed)$"
ORDER_PATTERN = "^(newest|relevance)$"
CURSOR_PATTERN = "^(|[kr][0-9]{1,19})$"
TYPE_PATTERN = "^(|person|organization|media|anonymous|unknown)$"
CUE_TYPE_PATTERN = "^(|speech|belief|perception|stance|nominal)$"


async def search_params(
    q: Annotated[str, Query(max_length=MAX_QUERY_CHARS, description=(
        "Words to find in quote content, speaker names and titles (all must match; case and "
        "accents ignored); \"a phrase\", word* for a prefix, OR between alternatives. "
        "Empty: filters only."))] = "",
    content_only: Annotated[bool, Query(description=(
        "Match the words in quote contents only (not speaker names or titles)"))] = False,
    speaker: Annotated[str, Query(max_length=200, description=(
        "Speaker, by any of its names (\"Kallas\" matches every Kallas)"))] = "",
    speaker_id: Annotated[int | None, Query(ge=1, le=2**62, description=(
        "Speaker directory id"))] = None,
    speaker_type: Annotated[str, Query(pattern=TYPE_PATTERN)] = "",
    kind: Annotated[str, Query(pattern=KIND_PATTERN)] = "",
    cue_type: Annotated[str, Query(pattern=CUE_TYPE_PATTERN, description=(
        "What the cue says: speech (said), belief (believes), perception (shows), stance "
        "(opposes), nominal (criticism of)"))] = "",
    since: Annotated[str, Query(max_length=40, description=(
        "Articles dated on or after: YYYY, YYYY-MM or YYYY-MM-DD"))] = "",
    until: Annotated[str, Query(max_length=40, description=(
        "Articles dated on or before: YYYY, YYYY-MM or YYYY-MM-DD (the whole period)"))] = "",
    outlet: Annotated[str, Query(max_length=200, description="Exact outlet name")] = "",
    order: Annotated[str, Query(pattern=ORDER_PATTERN, description=(
        "newest (publication date, the default) or relevance (BM25 over the newest "
        "1,000 matches)"))] = "newest",
    after: Annotated[str, Query(pattern=CURSOR_PATTERN, description=(
        "The previous page's `next` cursor: the page after it (faster than `page`)"))] = "",
    page: Annotated[int, Query(ge=1, le=MAX_PAGE, description=(
        "Page number; with `after`, only the number shown"))] = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = 20,
) -> SearchQuery:
    """The search parameters shared by ``/api/search`` and the search page."""
    return SearchQuery(q=q, speaker=speaker.strip(), speaker_id=speaker_id,
                       speaker_type=speaker_type, kind=kind, cue_type=cue_type,
                       since=since.strip(),
                       until=until.strip(), outlet=outlet, content_only=content_only,
                       order=order, after=after, page=page, per_page=per_page)


@router.get("/search", response_model=SearchPage, responses=ERRORS,
            summary="Search quotes (full text, filters, pages)")
def api_search(params: Annotated[SearchQuery, Depends(search_params)],
               app: Annotated[AppState, Depends(get_state)]) -> dict[str, Any]:
    """Quotes matching ``q`` and the filters, newest first (or by relevance).

    The same quote by the same speaker in several articles is one hit, ``copies`` saying
    how many. ``total`` counts such hits up to 1,000; beyond, it is 1,000 and
    ``total_exact`` is false. ``next`` is the cursor of the following page (`after=`).
    """
    try:
        return search(app.db.reader(), params).to_dict()
    except BadQuery as exc:
        raise Problem(400, str(exc)) from exc


@router.get("/stats", response_model=Stats, summary="Corpus figures (the home page)")
def api_stats(app: Annotated[AppState, Depends(get_state)]) -> dict[str, Any]:
    """Articles, attributions by kind, speakers, outlets, dates, top speakers, failures."""
    return corpus_figures(app.db.reader())


@router.get("/speakers", response_model=list[SpeakerSummary], responses=ERRORS,
            summary="Most quoted speakers")
def api_speakers(app: Annotated[AppState, Depends(get_state)],
                 limit: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = 20
                 ) -> list[dict[str, Any]]:
    """The speaker directory's most quoted entries (the unattributed placeholder left out)."""
    return corpus_figures(app.db.reader(), top=limit)["top_speakers"]


@router.get("/speakers/{speaker_id}", response_model=SpeakerDetail,
            responses={404: {"model": Error, "description": "No such speaker"}, **ERRORS},
            summary="One speaker: names, counts, timeline, co-quoted speakers, quotes")
def api_speaker(speaker_id: Annotated[int, Path(ge=1, le=2**62)],
                app: Annotated[AppState, Depends(get_state)],
                page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
                per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = 20
                ) -> dict[str, Any]:
    """A speaker directory entry with one page of its quotes (newest first)."""
    detail = speaker_detail(app.db.reader(), speaker_id, page=page, per_page=per_page)
    if detail is None:
        raise Problem(404, f"no speaker {speaker_id} in this database")
    return detail


@router.get("/articles/{article_id}", response_model=ArticleDetail,
            responses={404: {"model": Error, "description": "No such article"}, **ERRORS},
            summary="One article: text, metadata and every attribution with its offsets")
def api_article(article_id: Annotated[str, Path(pattern=ARTICLE_KEY, description=(
                    "Article key: 32 lower-case hex digits"))],
                app: Annotated[AppState, Depends(get_state)]) -> dict[str, Any]:
    """The article's original text and its attributions in order; every span's offsets
    point into ``text``."""
    detail = article_detail(app.db.reader(), article_id)
    if detail is None:
        raise Problem(404, f"no article {article_id} in this database")
    return detail


@router.post("/extract", response_model=ExtractResponse,
             responses={403: {"model": Error, "description": "Storing is not enabled"},
                        413: {"model": Error, "description": "Body or text too large"},
                        415: {"model": Error, "description": "Body is not JSON"},
                        **ERRORS},
             summary="Extract the attributions of one posted text")
def api_extract(body: ExtractRequest, request: Request,
                app: Annotated[AppState, Depends(get_state)]) -> dict[str, Any]:
    """Runs propos on ``text`` and returns the Document JSON (``propos extract``'s shape,
    with the text). With ``"store": true`` (server started with ``--allow-store``) the text
    is also stored as an article and ``stored`` gives its key."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/json":
        raise Problem(415, "send the text as JSON (Content-Type: application/json)")
    if body.store and not app.allow_store:
        raise Problem(403, "this server does not store texts (start it with --allow-store)")
    from .tryit import store

    document = app.extractor.extract(body.text, body.id, body.lang)
    out = document.to_dict(include_text=True)
    out["stored"] = None
    if body.store:
        out["stored"] = store(app.db, document, title=body.title, date=body.date,
                              source=body.source)
    return out
