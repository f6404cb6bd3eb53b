"""The outlet as its own source: "Selon nos informations", "d'après notre enquête".

The article speaks for itself there. At extraction the outlet is not known, so the speaker
is the language's placeholder for it (``own_outlet`` in ``profile.toml``: *la rédaction*,
*the newsroom*), of type ``media``; whoever knows the article's outlet (the store, the
evaluation) names it with :func:`with_outlet`.
"""

from __future__ import annotations

from dataclasses import replace

from ..model import Document
from ..profile import load_profile


def own_outlet_name(lang: str) -> str | None:
    """The placeholder that stands for the article's own outlet, if the language has one."""
    try:
        return load_profile(lang).get("own_outlet")
    except LookupError:
        return None


def with_outlet(document: Document, outlet: str | None) -> Document:
    """``document`` with its own-outlet speakers named after ``outlet`` (unchanged without)."""
    placeholder = own_outlet_name(document.lang) if outlet else None
    if not placeholder or not any(a.speaker.type == "media" and a.speaker.name == placeholder
                                  for a in document.attributions):
        return document
    attributions = tuple(
        replace(a, speaker=replace(a.speaker, name=outlet))
        if a.speaker.type == "media" and a.speaker.name == placeholder else a
        for a in document.attributions)
    return replace(document, attributions=attributions)
