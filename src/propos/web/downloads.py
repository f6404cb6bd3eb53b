"""Every result list as a file: ``/search``, ``/speakers``, ``/speakers/{id}`` and
``/articles/{id}``, with ``.csv`` or ``.json`` appended and the same query string, as
datasette does. A download holds every row the filters select (up to
:data:`MAX_DOWNLOAD_ROWS`), not one page; the JSON is the API's shape, the CSV one row per
hit, speaker or attribution with the nested fields flattened.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path
from fastapi.responses import Response

from ..query import BadQuery, SearchQuery
from ..store.queries import search
from ..store.views import article_detail
from .api import ARTICLE_KEY, search_params, speaker_list_params
from .state import AppState, Problem, get_state
from .queries import SpeakerListParams, speaker_detail, speaker_list

router = APIRouter(include_in_schema=False)

MAX_DOWNLOAD_ROWS = 10_000
FORMAT = "^(csv|json)$"

HIT_COLUMNS = ("id", "kind", "content", "start", "end", "speaker", "speaker_id",
               "speaker_type", "speaker_gender", "speaker_gender_source",
               "speaker_as_written", "about", "article", "title", "date", "source", "url",
               "copies")
SPEAKER_COLUMNS = ("id", "name", "type", "gender", "gender_source", "attributions", "direct",
                   "indirect", "mixed", "articles", "first_seen", "last_seen", "variants")
ATTRIBUTION_COLUMNS = ("number", "kind", "content", "content_start", "content_end", "cue",
                       "cue_start", "cue_end", "mention", "mention_start", "mention_end",
                       "via", "via_start", "via_end", "speaker", "speaker_type",
                       "speaker_gender", "speaker_gender_source", "speaker_id",
                       "directory_name", "about", "confidence", "rule")


def _names(items: list[dict[str, Any]]) -> str:
    return "; ".join(item["name"] for item in items)


def _hit_row(hit: dict[str, Any]) -> dict[str, Any]:
    speaker, article = hit["speaker"], hit["article"]
    return {"id": hit["id"], "kind": hit["kind"], "content": hit["content"],
            "start": hit["start"], "end": hit["end"], "speaker": speaker["name"],
            "speaker_id": speaker["id"], "speaker_type": speaker["type"],
            "speaker_gender": speaker.get("gender"),
            "speaker_gender_source": speaker.get("gender_source"),
            "speaker_as_written": hit["speaker_as_written"], "about": _names(hit["about"]),
            "article": article["id"], "title": article["title"], "date": article["date"],
            "source": article["source"], "url": article["url"], "copies": hit["copies"]}


def _speaker_row(row: dict[str, Any]) -> dict[str, Any]:
    return {**{k: row[k] for k in SPEAKER_COLUMNS if k != "variants"},
            "variants": "; ".join(row["variants"])}


def _attribution_row(a: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"number": a["number"], "kind": a["kind"]}
    for role, column in (("content", "content"), ("cue", "cue"), ("source", "mention"),
                         ("via", "via")):
        span = a.get(role)
        out[column] = span["text"] if span else None
        out[f"{column}_start"] = span["start"] if span else None
        out[f"{column}_end"] = span["end"] if span else None
    speaker = a["speaker"]
    out.update({"speaker": speaker["name"], "speaker_type": speaker["type"],
                "speaker_gender": speaker.get("gender"),
                "speaker_gender_source": speaker.get("gender_source"),
                "speaker_id": a["speaker_id"], "directory_name": a["directory_name"],
                "about": _names(a["about"]), "confidence": a["confidence"],
                "rule": a["rule"]})
    return out


def _file(fmt: str, name: str, body: dict[str, Any], rows: list[dict[str, Any]],
          columns: tuple[str, ...]) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{name}.{fmt}"'}
    if fmt == "json":
        return Response(json.dumps(body, ensure_ascii=False, indent=1),
                        media_type="application/json", headers=headers)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return Response(buffer.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)


def _all_pages(params: SearchQuery) -> SearchQuery:
    return replace(params, page=1, after="", per_page=MAX_DOWNLOAD_ROWS)


@router.get("/search.{fmt}")
def search_download(fmt: Annotated[str, Path(pattern=FORMAT)],
                    params: Annotated[SearchQuery, Depends(search_params)],
                    app: Annotated[AppState, Depends(get_state)]) -> Response:
    try:
        result = search(app.db.reader(), _all_pages(params)).to_dict()
    except BadQuery as exc:
        raise Problem(400, str(exc)) from exc
    return _file(fmt, "search", result, [_hit_row(h) for h in result["hits"]], HIT_COLUMNS)


@router.get("/speakers.{fmt}")
def speakers_download(fmt: Annotated[str, Path(pattern=FORMAT)],
                      params: Annotated[SpeakerListParams, Depends(speaker_list_params)],
                      app: Annotated[AppState, Depends(get_state)]) -> Response:
    try:
        result = speaker_list(app.db.reader(),
                              replace(params, page=1, per_page=MAX_DOWNLOAD_ROWS))
    except BadQuery as exc:
        raise Problem(400, str(exc)) from exc
    return _file(fmt, "speakers", result, [_speaker_row(s) for s in result["speakers"]],
                 SPEAKER_COLUMNS)


@router.get("/speakers/{speaker_id}.{fmt}")
def speaker_download(speaker_id: Annotated[int, Path(ge=1, le=2**62)],
                     fmt: Annotated[str, Path(pattern=FORMAT)],
                     app: Annotated[AppState, Depends(get_state)]) -> Response:
    detail = speaker_detail(app.db.reader(), speaker_id, per_page=MAX_DOWNLOAD_ROWS)
    if detail is None:
        raise Problem(404, f"no speaker {speaker_id} in this database")
    return _file(fmt, f"speaker-{speaker_id}", detail,
                 [_hit_row(h) for h in detail["quotes"]["hits"]], HIT_COLUMNS)


@router.get("/articles/{article_id}.{fmt}")
def article_download(article_id: Annotated[str, Path(pattern=ARTICLE_KEY)],
                     fmt: Annotated[str, Path(pattern=FORMAT)],
                     app: Annotated[AppState, Depends(get_state)]) -> Response:
    detail = article_detail(app.db.reader(), article_id)
    if detail is None:
        raise Problem(404, f"no article {article_id} in this database")
    return _file(fmt, f"article-{article_id}", detail,
                 [_attribution_row(a) for a in detail["attributions"]], ATTRIBUTION_COLUMNS)
