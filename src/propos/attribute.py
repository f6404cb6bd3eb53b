"""Link quotes, cues and sources into attributions (stub, being written)."""
from __future__ import annotations


def find_attributions(doc, quotes, profile):
    return []
