"""The JSON API: the same questions as the pages, answered as JSON (described by OpenAPI).

Handlers are plain ``def`` functions: FastAPI runs them in its thread pool, where each thread
has its own read-only connection (:meth:`Database.reader`), so a slow query never blocks the
event loop. Parameter limits are declared on the parameters themselves, which puts them in
the OpenAPI description and turns a bad value into a 422 before any SQL runs.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request

from ..query import BadQuery, SearchQuery
from ..store.queries import search
from ..store.views import article_detail, quote_group_detail
from .state import AppState, Problem, get_state
from .provenance import add_quote_badges, with_provenance
from .queries import (
    MAX_PAGE,
    MAX_PER_PAGE,
    MAX_QUERY_CHARS,
    SpeakerListParams,
    corpus_figures,
    speaker_detail,
    speaker_list,
)
from .schemas import (
    ArticleDetail,
    Error,
    ExtractRequest,
    ExtractResponse,
    QuoteGroupDetail,
    SearchPage,
    SpeakerDetail,
    SpeakerPage,
    Stats,
)

router = APIRouter(prefix="/api", tags=["api"])

ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": Error, "description": "Unusable parameter or malformed body"},
    422: {"model": Error, "description": "Invalid parameter"},
}
ARTICLE_KEY = r"^[0-9a-f]{32}$"
GROUP_KEY = r"^[0-9a-f]{16}$"
KIND_PATTERN = "^(|direct|indirect|mixed)$"
ORDER_PATTERN = "^(newest|relevance)$"
CURSOR_PATTERN = "^(|[kr][0-9]{1,19})$"
TYPE_PATTERN = "^(|person|organization|media|anonymous|unknown)$"
GENDER_PATTERN = "^(|female|male|unknown)$"
SORT_PATTERN = "^(quotes|articles|name|first_seen|last_seen)$"
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
    altered: Annotated[bool, Query(description=(
        "Only statements whose words some outlet changed"))] = False,
    about: Annotated[str, Query(max_length=200, description=(
        "Only what was said about this person or organisation (named or designated in the "
        "content, any of its names); with speaker: what X said about Y"))] = "",
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
                       since=since.strip(), until=until.strip(), outlet=outlet,
                       about=about.strip(), content_only=content_only, order=order,
                       after=after, altered=altered, page=page, per_page=per_page)


@router.get("/search", response_model=SearchPage, responses=ERRORS,
            summary="Search quotes (full text, filters, pages)")
def api_search(params: Annotated[SearchQuery, Depends(search_params)],
               app: Annotated[AppState, Depends(get_state)]) -> dict[str, Any]:
    """Quotes matching ``q`` and the filters, newest first (or by relevance).

    The same quote by the same speaker in several articles is one hit, ``copies`` saying
    how many. ``total`` counts such hits up to 1,000; beyond, it is 1,000 and
    ``total_exact`` is false. ``next`` is the cursor of the following page (`after=`).
    """
    conn = app.db.reader()
    try:
        result = search(conn, params).to_dict()
    except BadQuery as exc:
        raise Problem(400, str(exc)) from exc
    add_quote_badges(conn, result["hits"])
    return result


@router.get("/stats", response_model=Stats, summary="Corpus figures (the home page)")
def api_stats(app: Annotated[AppState, Depends(get_state)]) -> dict[str, Any]:
    """Articles, attributions by kind, speakers, outlets, dates, top speakers, failures."""
    return corpus_figures(app.db.reader())


async def speaker_list_params(
    type: Annotated[str, Query(pattern=TYPE_PATTERN, description=(
        "Speaker type; without it, every type but unknown"))] = "",
    gender: Annotated[str, Query(pattern=GENDER_PATTERN)] = "",
    outlet: Annotated[str, Query(max_length=200, description=(
        "Count only quotes from this outlet (exact name)"))] = "",
    lang: Annotated[str, Query(pattern="^(|[a-z]{2,3})$", description=(
        "Count only quotes from articles in this language"))] = "",
    since: Annotated[str, Query(max_length=40, description=(
        "Count only quotes dated on or after: YYYY, YYYY-MM or YYYY-MM-DD"))] = "",
    until: Annotated[str, Query(max_length=40, description=(
        "Count only quotes dated on or before: YYYY, YYYY-MM or YYYY-MM-DD"))] = "",
    sort: Annotated[str, Query(pattern=SORT_PATTERN)] = "quotes",
    order: Annotated[str, Query(pattern="^(|asc|desc)$", description=(
        "Default: most first for quotes, articles and last_seen; A-Z and oldest first for "
        "name and first_seen"))] = "",
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = 50,
) -> SpeakerListParams:
    """The directory parameters shared by ``/api/speakers`` and the speakers page."""
    return SpeakerListParams(type=type, gender=gender, outlet=outlet, lang=lang,
                             since=since.strip(), until=until.strip(), sort=sort,
                             order=order, page=page, per_page=per_page)


@router.get("/speakers", response_model=SpeakerPage, responses=ERRORS,
            summary="The speaker directory: filtered, sorted, paged")
def api_speakers(params: Annotated[SpeakerListParams, Depends(speaker_list_params)],
                 app: Annotated[AppState, Depends(get_state)]) -> dict[str, Any]:
    """Speakers with their quotes, articles, first and last dates, gender and names. The
    outlet, language and date filters restrict the quotes counted (a speaker with none
    left is not listed)."""
    try:
        return speaker_list(app.db.reader(), params)
    except BadQuery as exc:
        raise Problem(400, str(exc)) from exc


@router.get("/speakers/{speaker_id}", response_model=SpeakerDetail,
            responses={404: {"model": Error, "description": "No such speaker"}, **ERRORS},
            summary="One speaker: names, counts, timeline, co-quoted speakers, quotes")
def api_speaker(speaker_id: Annotated[int, Path(ge=1, le=2**62)],
                app: Annotated[AppState, Depends(get_state)],
                page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
                per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = 20
                ) -> dict[str, Any]:
    """A speaker directory entry with one page of its quotes (newest first)."""
    conn = app.db.reader()
    detail = speaker_detail(conn, speaker_id, page=page, per_page=per_page)
    if detail is None:
        raise Problem(404, f"no speaker {speaker_id} in this database")
    add_quote_badges(conn, detail["quotes"]["hits"])
    return detail


@router.get("/articles/{article_id}", response_model=ArticleDetail,
            responses={404: {"model": Error, "description": "No such article"}, **ERRORS},
            summary="One article: text, metadata and every attribution with its offsets")
def api_article(article_id: Annotated[str, Path(pattern=ARTICLE_KEY, description=(
                    "Article key: 32 lower-case hex digits"))],
                app: Annotated[AppState, Depends(get_state)]) -> dict[str, Any]:
    """The article's original text and its attributions in order; every span's offsets
    point into ``text``."""
    conn = app.db.reader()
    detail = article_detail(conn, article_id)
    if detail is None:
        raise Problem(404, f"no article {article_id} in this database")
    return with_provenance(conn, detail)


@router.get("/quotes/{group}", response_model=QuoteGroupDetail,
            responses={404: {"model": Error, "description": "No such statement"}, **ERRORS},
            summary="One statement: its first appearance and every copy, with differences")
def api_quote_group(group: Annotated[str, Path(pattern=GROUP_KEY, description=(
                        "Statement group key: 16 lower-case hex digits"))],
                    app: Annotated[AppState, Depends(get_state)]) -> dict[str, Any]:
    """Every copy of one statement across articles, in publication order: wording against
    the first copy (first, same, shortened, altered, paraphrase), word-level changes."""
    detail = quote_group_detail(app.db.reader(), group)
    if detail is None:
        raise Problem(404, f"no statement {group} in this database")
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

    from ..dates import normalise_date

    document = app.extractor.extract(body.text, body.id, body.lang,
                                     normalise_date(body.date) if body.date else None)
    out = document.to_dict(include_text=True)
    out["stored"] = None
    if body.store:
        out["stored"] = store(app.db, document, title=body.title, date=body.date,
                              source=body.source)
    return out
