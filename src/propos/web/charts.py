"""Chart data for the pages, computed on the server and drawn by the templates as inline SVG
(no JavaScript, nothing for the Content-Security-Policy to allow).

:func:`time_series` buckets dated counts by day, week or month, whichever the range asks
for, gaps included; :func:`share` turns counts into the rows of a horizontal bar chart with
their share of the total. Both return plain dicts, so the JSON API can serve them as is.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

MAX_DAYS = 62        # up to two months: one bar per day
MAX_WEEKS = 26       # up to half a year: one bar per week (from Monday); beyond, per month
MAX_MONTHS = 240
SHARE_ROWS = 8


def _day(value: str | None) -> date | None:
    if not value or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def time_series(counts: dict[str, int]) -> dict[str, Any]:
    """``{"2024-03-05": 3, …}`` (dates as stored, YYYY-MM-DD; others are counted as
    undated) → ``{"unit": "day"|"week"|"month", "points": [{"period", "count"}], "undated"}``
    with one point per period from the first to the last, zeros included."""
    days: dict[date, int] = {}
    undated = 0
    for key, count in counts.items():
        day = _day(key)
        if day is None:
            undated += count
        else:
            days[day] = days.get(day, 0) + count
    if not days:
        return {"unit": "month", "points": [], "undated": undated}
    first, last = min(days), max(days)
    span = (last - first).days + 1
    if span <= MAX_DAYS:
        unit, key = "day", lambda d: d.isoformat()
        periods = [first + timedelta(days=i) for i in range(span)]
    elif span <= MAX_WEEKS * 7:
        unit = "week"

        def key(d: date) -> str:
            return (d - timedelta(days=d.weekday())).isoformat()

        start = first - timedelta(days=first.weekday())
        periods = [start + timedelta(weeks=i) for i in range((last - start).days // 7 + 1)]
    else:
        unit = "month"

        def key(d: date) -> str:
            return f"{d.year:04d}-{d.month:02d}"

        months = (last.year - first.year) * 12 + last.month - first.month
        begin = max(0, months + 1 - MAX_MONTHS)
        periods = []
        for i in range(begin, months + 1):
            year, month = divmod(first.month - 1 + i, 12)
            periods.append(date(first.year + year, month + 1, 1))
    totals: dict[str, int] = {}
    for day, count in days.items():
        totals[key(day)] = totals.get(key(day), 0) + count
    points = [{"period": key(p), "count": totals.get(key(p), 0)} for p in periods]
    return {"unit": unit, "points": points, "undated": undated}


def share(counts: list[tuple[str | None, int]], rows: int = SHARE_ROWS,
          missing: str = "not given") -> dict[str, Any]:
    """Rows ``{"label", "value", "count", "percent"}`` biggest first, the rest folded into
    "other"; ``value`` is what a filter would take (None for "other" and ``missing``)."""
    ordered = sorted(((value or None, int(n)) for value, n in counts if n),
                     key=lambda item: (-item[1], item[0] or ""))
    total = sum(n for _, n in ordered)
    labelled = [(value or missing, value, n) for value, n in ordered]
    if len(labelled) > rows:
        rest = sum(n for _, _, n in labelled[rows - 1:])
        labelled = labelled[:rows - 1] + [("other", None, rest)]
    return {"total": total, "rows": [
        {"label": label, "value": value, "count": n,
         "percent": round(100 * n / total, 1) if total else 0.0}
        for label, value, n in labelled]}
