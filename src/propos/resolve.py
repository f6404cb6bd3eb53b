"""Source mention → speaker (stub, being written)."""
from __future__ import annotations


def resolve_speakers(doc, found, profile):
    return list(found)
