"""Quotation-mark pairing: where are the quoted stretches of a text?

Works on characters, before and independently of the parse, and never fails: stray closers
are ignored, nested marks stay inside their outer quote, and an opener that is never closed
ends at its paragraph, so that one missing » cannot swallow the rest of an article. A quote
that runs over several paragraphs, with the opener repeated at the start of each (French and
English press convention), is one quote. A mark may be two characters: some archives write
''…'' for "…".
"""

from __future__ import annotations

from collections.abc import Sequence

from dataclasses import dataclass

from .profile import LanguageProfile


@dataclass(frozen=True)
class Quote:
    start: int           # index of the opening mark
    end: int             # index just after the closing mark (or the quoted text, if unclosed)
    content_start: int   # the quoted words, marks and edge spaces excluded
    content_end: int
    closed: bool
    paragraphs: int = 1  # how many paragraphs the quote runs over

    @property
    def open_end(self) -> int:
        return self.content_start

    @property
    def close_start(self) -> int:
        return self.content_end

    def words(self, text: str) -> tuple[int, int]:
        """The quoted words as a direct content: no marks, and no comma or space that
        English puts inside the closing mark ("…," she said)."""
        end = self.content_end
        while end > self.content_start and text[end - 1] in ", ":
            end -= 1
        return self.content_start, end


def _mark_tables(profile: LanguageProfile) -> tuple[dict[str, str], dict[str, set[str]], set[str]]:
    pairs = profile.get("quote_pairs", [["«", "»"], ["“", "”"]])
    openers: dict[str, str] = {}
    closers: dict[str, set[str]] = {}
    for opener, closer in pairs:
        openers[opener] = closer
        closers.setdefault(closer, set()).add(opener)
    ambiguous = set(profile.get("quote_ambiguous", ['"']))
    return openers, closers, ambiguous


def _wide_mark_at(text: str, i: int, wide: list[str]) -> str | None:
    return next((m for m in wide if text.startswith(m, i)), None)


def _trim(text: str, start: int, end: int, marks: set[str]) -> tuple[int, int]:
    """Shrink [start, end) past spaces and stray quotation marks at either edge."""
    while start < end and (text[start].isspace() or text[start] in marks):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in marks):
        end -= 1
    return start, end


def find_quotes(text: str, profile: LanguageProfile) -> list[Quote]:
    """Top-level quotations of ``text``, in order. Nested quotes are part of their outer one."""
    openers, closers, ambiguous = _mark_tables(profile)
    all_marks = set(openers) | set(closers) | ambiguous | set("".join(ambiguous))
    wide = sorted((m for m in ambiguous if len(m) > 1), key=len, reverse=True)
    wide_starts = {m[0] for m in wide}
    quotes: list[Quote] = []
    # A quote left open at the end of a paragraph, waiting to see if the next one re-opens it.
    carried: tuple[int, str, int, int] | None = None  # (start, opener, paragraphs, last end)

    position = 0
    for paragraph in text.split("\n"):
        p_start, p_end = position, position + len(paragraph)
        position = p_end + 1
        if not paragraph.strip():
            continue
        stack: list[tuple[str, int]] = []   # (opener, index)
        outer_start: int | None = None
        outer_paragraphs = 1
        i = p_start
        first = len(paragraph) - len(paragraph.lstrip())
        if carried is not None:
            c_start, c_opener, c_count, c_end = carried
            carried = None
            if text.startswith(c_opener, p_start + first):
                # Re-opened: the quote goes on through this paragraph.
                stack.append((c_opener, c_start))
                outer_start, outer_paragraphs = c_start, c_count + 1
                i = p_start + first + len(c_opener)
            else:
                quotes.append(_unclosed(text, c_start, c_end, all_marks, c_count))
        while i < p_end:
            ch = text[i]
            mark = _wide_mark_at(text, i, wide) if ch in wide_starts else None
            if mark is not None and not any(op in closers.get(ch, ()) for op, _ in stack):
                # ''…'': opens or closes like ", unless its first character closes a `` quote
                if stack and stack[-1][0] == mark:
                    _close(quotes, text, stack, mark, i, all_marks, outer_paragraphs, width=len(mark))
                    if not stack:
                        outer_start, outer_paragraphs = None, 1
                else:
                    stack.append((mark, i))
                    if len(stack) == 1:
                        outer_start = i
                i += len(mark)
                continue
            if ch in ambiguous:
                if stack and stack[-1][0] == ch:
                    _close(quotes, text, stack, ch, i, all_marks, outer_paragraphs)
                    if not stack:
                        outer_start, outer_paragraphs = None, 1
                elif _between_letters(text, i):
                    pass  # 5"3, an inch mark or a typo, not a quote
                else:
                    stack.append((ch, i))
                    if len(stack) == 1:
                        outer_start = i
            elif ch in openers:
                if ch in _APOSTROPHE_LIKE and (_between_letters(text, i)
                                               or text[i + 1:i + 2].isdigit()):
                    pass  # an apostrophe ('90s, rock‘n’roll), not an opening quote
                else:
                    stack.append((ch, i))
                    if len(stack) == 1:
                        outer_start = i
            elif ch in closers:
                if ch in _APOSTROPHE_LIKE and (_between_letters(text, i)
                                               or _plural_possessive(text, i)):
                    pass  # an apostrophe (don't, the players' union), not a closing quote
                elif any(op in closers[ch] for op, _ in stack):
                    _close(quotes, text, stack, ch, i, all_marks, outer_paragraphs,
                           closers[ch])
                    if not stack:
                        outer_start, outer_paragraphs = None, 1
                # else: a stray closer (» as a bullet, a typo): ignore it.
            i += 1
        if stack:
            opener, start = stack[0]
            if outer_start is None:
                outer_start = start
            carried = (outer_start, opener, outer_paragraphs, p_end)
    if carried is not None:
        c_start, _, c_count, c_end = carried
        quotes.append(_unclosed(text, c_start, c_end, all_marks, c_count))
    quotes.sort(key=lambda q: q.start)
    return [q for q in quotes if q.content_end > q.content_start]


# Marks that also write apostrophes: in English ' (and ’, which normalising makes ') closes
# a `…' or ‘…' quote but is mostly an apostrophe, and ‘ may stand for an elision ('90s).
_APOSTROPHE_LIKE = frozenset("'’‘")


def _plural_possessive(text: str, i: int) -> bool:
    """"the players' union": an apostrophe after an s and before a lowercase word."""
    return text[i - 1:i] in ("s", "S") and text[i + 1:i + 2] == " " and text[i + 2:i + 3].islower()


def _between_letters(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return before.isalnum() and after.isalnum()


def _close(quotes: list[Quote], text: str, stack: list[tuple[str, int]], closer: str, i: int,
           marks: set[str], paragraphs: int, accepted: set[str] | None = None, width: int = 1
           ) -> None:
    """Pop up to the matching opener; record a quote when the outermost one closes (its
    closing mark is ``width`` characters from ``i``)."""
    accepted = accepted or {closer}
    while stack:
        opener, start = stack.pop()
        if opener in accepted:
            break
    if stack:
        return  # a nested quote closed: it stays part of the outer one
    c_start, c_end = _trim(text, start + 1, i, marks)
    quotes.append(Quote(start, i + width, c_start, c_end, True, paragraphs))


def _unclosed(text: str, start: int, end: int, marks: set[str], paragraphs: int) -> Quote:
    c_start, c_end = _trim(text, start + 1, end, marks)
    return Quote(start, c_end, c_start, c_end, False, paragraphs)



# A subheading is a short line: at most this many words.
MAX_HEADING_WORDS = 12


def line_around(text: str, start: int, end: int) -> str:
    """The line of ``text`` that holds ``text[start:end]``."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    return text[line_start:line_end if line_end >= 0 else len(text)]


def on_short_line(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` sits on a line as short as a subheading, which ends with
    no full stop, colon or semicolon ("« Tremblement de terre » à la paroisse")."""
    line = line_around(text, start, end)
    return len(line.split()) <= MAX_HEADING_WORDS and line.rstrip()[-1:] not in ".:;"


def kind_of(text: str, start: int, end: int, quotes: Sequence[Quote],
            lone_words: frozenset[str] = frozenset(), unquoted: str = "indirect") -> str:
    """The kind of the content ``text[start:end]``: ``direct`` when one quotation is all of
    it (with at most one of ``lone_words`` outside the marks: the rules allow a determiner,
    "un « moment de faiblesse »"), ``mixed`` when quotations are part of it, else
    ``unquoted`` (a paraphrase is indirect).
    """
    inside = [q for q in quotes if q.start < end and start < q.end]
    if not inside:
        return unquoted
    if len(inside) == 1:
        q = inside[0]
        outside = text[start:q.start] + " " + text[q.end:end]
        words = [w for w in outside.split() if any(ch.isalnum() for ch in w)]
        if len(words) <= 1 and all(w.lower() in lone_words for w in words):
            return "direct"
    return "mixed"
