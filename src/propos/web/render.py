"""Helpers the templates call: number formatting, query strings, bar charts over time.

The chart is computed here as plain geometry (rectangles with a label and a count) that the
template draws as inline SVG: no JavaScript, no chart library, nothing for the Content
Security Policy to allow.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment

CHART_WIDTH = 640
CHART_HEIGHT = 120


def num(value: Any) -> str:
    """``12345`` → ``12,345`` (anything that is not a number as it is)."""
    return f"{value:,}" if isinstance(value, int) else str(value if value is not None else "")


def http_url(value: Any) -> str | None:
    """``value`` when it is an http(s) URL, else None: an article's stored URL is data from
    the corpus, and a ``javascript:`` link must never become clickable."""
    if isinstance(value, str) and value.lower().startswith(("http://", "https://")):
        return value
    return None


def query_string(params: dict[str, Any], **changes: Any) -> str:
    """``?q=…&page=2``: ``params`` with ``changes`` applied, empty values dropped, so that
    pagination links keep every filter and nothing else."""
    merged = {**params, **changes}
    kept = {k: v for k, v in merged.items() if v not in (None, "") and v is not False
            and not (k == "page" and v == 1) and not (k == "per_page" and v == 20)}
    return "?" + urlencode(kept) if kept else "?"


def bar_chart(series: dict[str, Any], width: int = CHART_WIDTH,
              height: int = CHART_HEIGHT) -> dict[str, Any]:
    """Bars for a :func:`propos.web.charts.time_series` (quotes per day, week or month)."""
    points = [(p["period"], int(p["count"])) for p in series.get("points", ())]
    unit = series.get("unit", "month")
    if not points:
        return {"bars": [], "width": width, "height": height, "max": 0, "first": "",
                "last": "", "unit": unit}
    top = max(count for _, count in points) or 1
    slot = width / max(len(points), 12)  # a few bars stay bars, centred, not slabs
    left = (width - slot * len(points)) / 2
    gap = min(4.0, slot * 0.2)
    plot = height - 4
    bars = []
    for index, (label, count) in enumerate(points):
        bar_height = round(plot * count / top, 1) if count else 0
        bars.append({"x": round(left + index * slot + gap / 2, 1),
                     "y": round(height - bar_height, 1),
                     "w": round(max(slot - gap, 0.5), 1), "h": bar_height, "label": label,
                     "count": count})
    return {"bars": bars, "width": width, "height": height, "max": top,
            "first": points[0][0], "last": points[-1][0], "unit": unit}


def install(env: Environment) -> None:
    env.filters["num"] = num
    env.filters["http_url"] = http_url
    env.globals["query_string"] = query_string
    env.globals["bar_chart"] = bar_chart
