"""Sentence boundaries that respect paragraphs and quotations.

Paragraph breaks (newlines) always start a sentence. A quotation is never cut in two, nor
separated from the comma or lower-case incise that follows it (« … », a-t-elle ajouté). The
parser takes the paragraph starts as given but may still cut inside a quote, so the same hints
are applied once more after parsing.
"""

from __future__ import annotations

import numpy
from spacy.attrs import SENT_START
from spacy.tokens import Doc

from .quotes import Quote

START, NOT_START = 1, -1


def boundary_hints(doc: Doc, quotes: list[Quote]) -> numpy.ndarray:
    """Per token: 1 where a sentence must start, -1 where it must not, 0 where free."""
    text = doc.text
    inside = bytearray(len(text) + 1)
    for quote in quotes:
        end = quote.end
        rest = text[end:end + 3].lstrip(" ")
        if rest[:1] in (",", ";", ":") or rest[:1].islower():
            end += len(text[end:end + 3]) - len(rest) + 1
        start = quote.content_start
        if text[:quote.start].rstrip(" ").endswith(":"):
            start = quote.start  # "a répliqué : « … »": the quote belongs to its introduction
        inside[start:end] = b"\x01" * (end - start)
    # A quote that ends its own sentence ("… ce soir. » L'élue a répliqué") ends the sentence.
    after_final_quote = bytearray(len(text) + 1)
    for quote in quotes:
        if quote.closed and text[quote.content_end - 1:quote.content_end] in (".", "!", "?", "…"):
            rest = text[quote.end:quote.end + 4].lstrip(" ")
            if rest[:1].isupper():
                after_final_quote[quote.end + (len(text[quote.end:quote.end + 4]) - len(rest))] = 1
        # "… le prévenu. « Ce dossier, … »": a quote opened after a full stop starts a sentence.
        if text[:quote.start].rstrip(" ")[-1:] in (".", "!", "?"):
            after_final_quote[quote.start] = 1
    hints = numpy.zeros(len(doc), dtype="int64")
    tokens = iter(doc)
    previous = next(tokens, None)
    for i, token in enumerate(tokens, start=1):
        idx = token.idx
        gap = text[previous.idx + len(previous.text):idx]
        if "\n" in gap or "\n" in previous.text or after_final_quote[idx]:
            hints[i] = START
        elif inside[idx] and not token.is_space:
            hints[i] = NOT_START
        elif previous.text[-1:].isalpha() and not token.is_space and not token.is_punct:
            hints[i] = NOT_START  # no sentence starts right after a word with no stop
        previous = token
    return hints


def apply_hints(doc: Doc, hints: numpy.ndarray) -> None:
    """Write the hints into the doc in one bulk operation.

    Before parsing, every hint is written. After parsing, only cuts are removed (a parser's
    boundary where a hint forbids one); the parse itself is kept.
    """
    if len(doc) == 0:
        return
    if doc.has_annotation("DEP"):
        current = doc.to_array([SENT_START]).astype("int64").reshape(-1)
        forbidden = (hints == NOT_START) & (current == START)
        if not forbidden.any():
            return
        current[forbidden] = NOT_START
        values = current
    else:
        values = hints.copy()
    values[0] = START
    # spaCy stores SENT_START as uint64 and reads -1 back from its two's complement.
    doc.from_array([SENT_START], values.reshape(-1, 1).view("uint64"))
