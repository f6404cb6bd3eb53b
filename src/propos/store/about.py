"""The ``about`` filter of searches: quotes whose content names or designates someone.

One SQL clause, shared by ``propos search --about`` and the web search, to add to their
WHERE lists. A statement is about Y when one of its ``about`` names (table ``about``,
written by the store's writer from ``Attribution.about``) contains Y's words in sequence
(case, accents and honorifics aside: "Dumoutier" finds "Claire Dumoutier"), or is one of the
names of the directory entries Y designates, or the surname of such a person when no other
person of the directory bears it ("Claire Dumoutier" finds an article's bare "Dumoutier").
"""

from __future__ import annotations

import sqlite3

from ..text import fold_words
from ..speaker_names import honorifics
from .speakers import find_speakers


def about_clause(conn: sqlite3.Connection, text: str) -> tuple[str, list[object]] | None:
    """``(sql, params)`` restricting ``attributions a`` to statements about ``text``; None
    when ``text`` has no word to look for."""
    words = fold_words(text).split()
    while words and words[0] in honorifics():
        words = words[1:]
    if not words:
        return None
    needle = " ".join(words).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    names: set[str] = set()
    ids = find_speakers(conn, text)
    if ids:
        marks = ",".join("?" * len(ids))
        names = {fold_words(row[0]) for row in conn.execute(
            f"SELECT name FROM names WHERE speaker_id IN ({marks}) UNION "
            f"SELECT name FROM speakers WHERE id IN ({marks})", ids + ids)}
        names |= _own_surnames(conn, set(ids))
    sql = ("a.id IN (SELECT attribution_id FROM about WHERE "
           "(' ' || folded || ' ') LIKE ? ESCAPE '\\'")
    params: list[object] = [f"% {needle} %"]
    if names:
        sql += f" OR folded IN ({','.join('?' * len(names))})"
        params.extend(sorted(names))
    return sql + ")", params


def _own_surnames(conn: sqlite3.Connection, ids: set[int]) -> set[str]:
    """The surnames of these person entries that no other person of the directory bears:
    an article's bare "Dumoutier" is then theirs (the directory's rule 3)."""
    bearers: dict[str, set[int]] = {}
    for speaker_id, name in conn.execute("SELECT id, name FROM speakers WHERE type = 'person'"):
        words = fold_words(name).split()
        if len(words) > 1:
            bearers.setdefault(words[-1], set()).add(speaker_id)
    return {surname for surname, who in bearers.items() if who <= ids}
