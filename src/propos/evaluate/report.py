"""Render a :class:`Report` for people: a small score table, and optionally the errors.

Plain text (no colours, fixed columns) so the output can be diffed between two runs and pasted
into a commit message or an issue.
"""

from __future__ import annotations

from .metrics import PRF, Miss, Pair, Report, Spurious

CONTENT_WIDTH = 70
"""Characters of content shown per error line: enough to recognise the quote."""


def shorten(text: str, width: int = CONTENT_WIDTH) -> str:
    """``text`` on one line, cut with an ellipsis after ``width`` characters."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _prf_row(label: str, prf: PRF) -> str:
    return f"{label:<18}{prf.precision:>10.3f}{prf.recall:>9.3f}{prf.f1:>8.3f}"


def _summary(report: Report) -> list[str]:
    title = f"propos eval: {report.source}" if report.source else "propos eval"
    lines = [
        title,
        f"{report.documents} documents, {report.gold} gold attributions, "
        f"{report.predicted} predicted, {report.matched} content matches, "
        f"{len(report.failures)} failed documents",
        "",
        f"{'':<18}{'precision':>10}{'recall':>9}{'f1':>8}",
        _prf_row("content", report.content),
        _prf_row("end-to-end", report.end_to_end),
        f"{'speaker accuracy':<18}{report.speaker_accuracy:>10.3f}"
        f"   ({report.speaker_right}/{report.matched} matched pairs)",
        "",
        f"{'kind':<10}{'gold':>6}{'recall':>8}{'e2e R':>8}{'pred':>8}{'prec':>8}{'e2e P':>8}",
    ]
    for kind, counts in report.by_kind.items():
        lines.append(
            f"{kind:<10}{counts.gold:>6}{counts.recall:>8.3f}{counts.end_to_end_recall:>8.3f}"
            f"{counts.predicted:>8}{counts.precision:>8.3f}{counts.end_to_end_precision:>8.3f}"
        )
    causes = ", ".join(f"{cause} {n}" for cause, n in report.speaker_causes.items() if n)
    lines += ["", f"losses: {len(report.missed)} missed, {len(report.spurious)} spurious, "
                  f"{len(report.speaker_wrong)} wrong speakers" + (f" ({causes})" if causes else "")]
    return lines


def _miss_line(miss: Miss) -> str:
    return (f"  {miss.doc_id}  {miss.gold.kind:<8} «{shorten(miss.gold.content.text)}»\n"
            f"      gold: {miss.gold.speaker}  (best overlap {miss.best_overlap:.2f})")


def _spurious_line(spurious: Spurious) -> str:
    predicted = spurious.predicted
    rule = f", rule {predicted.rule}" if predicted.rule else ""
    return (f"  {spurious.doc_id}  {predicted.kind:<8} «{shorten(predicted.content.text)}»\n"
            f"      predicted: {predicted.speaker.name}  (best overlap "
            f"{spurious.best_overlap:.2f}{rule})")


def _speaker_line(pair: Pair) -> str:
    aliases = f" / {' / '.join(pair.gold.speaker_aliases)}" if pair.gold.speaker_aliases else ""
    return (f"  {pair.doc_id}  {pair.gold.kind:<8} «{shorten(pair.gold.content.text)}»\n"
            f"      gold: {pair.gold.speaker}{aliases}  |  predicted: {pair.predicted.speaker.name}")


def _errors(report: Report) -> list[str]:
    lines: list[str] = []
    if report.failures:
        lines += ["", f"Failed documents ({len(report.failures)}):"]
        lines += [f"  {failure.id}: {failure.reason}" for failure in report.failures]
    sections = (
        ("Missed gold attributions", [_miss_line(m) for m in report.missed]),
        ("Spurious predictions", [_spurious_line(s) for s in report.spurious]),
        ("Speaker wrong", [_speaker_line(p) for p in report.speaker_wrong]),
    )
    for title, entries in sections:
        lines += ["", f"{title} ({len(entries)}):", *entries]
    return lines


def format_report(report: Report, errors: bool = False) -> str:
    """The report as a readable table; with ``errors``, every miss, spurious and wrong speaker."""
    lines = _summary(report)
    if errors:
        lines += _errors(report)
    return "\n".join(lines)
