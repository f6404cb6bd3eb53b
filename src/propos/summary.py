"""What a run reports: the one shape of ``propos ingest``, ``spark``, ``load`` and ``reextract``.

Each run's summary is a frozen dataclass of counts deriving from :class:`RunSummary`: JSON
through :meth:`~RunSummary.to_dict`, and for people a table of counts, one per line, built
by :meth:`~RunSummary.table`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict
from typing import Any


class RunSummary:
    """Base of the run summaries (subclasses are frozen dataclasses)."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)  # type: ignore[call-overload]

    @staticmethod
    def table(rows: Iterable[tuple[str, int, str]], width: int = 8) -> list[str]:
        """One line per (label, count, note), counts right-aligned in ``width`` columns."""
        return [f"{label:<21}{value:>{width}}  {note}".rstrip() for label, value, note in rows]


class ReadingSummary(RunSummary):
    """A run that reads inputs: ``read`` of them in ``seconds``, and the rate in its JSON."""

    read: int
    seconds: float

    @property
    def rate(self) -> float:
        """Inputs per second."""
        return self.read / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "rate": round(self.rate, 2)}
