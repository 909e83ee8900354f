"""What every benchmark reports: rows of one figure each, beside the anchor measured in the
same run, with the ratio and the issue's target; each figure the median of ``RUNS`` runs.

A benchmark module exposes ``async def run(small: bool) -> list[Row]``: ``small`` is the
version ``make test`` runs (it must work, not be fast); the full one is what ``make bench``
prints. Nothing here asserts a time: machines are noisy, the table says and a human reads.
"""

from __future__ import annotations

import statistics
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

RUNS = 3
T = TypeVar("T")


@dataclass(frozen=True)
class Row:
    """One figure: ``value`` in ``unit``; ``anchor`` the anchor's figure in the same run."""

    section: str  # "updates", "nudges", "delivery", "replicas"
    what: str  # "project, 100,000 users"
    value: float
    unit: str  # "updates/s", "ms", "MiB", "msg/s", "count"
    anchor: float | None = None
    anchor_name: str = ""
    target: str = ""  # in words: ">= 0.8x store anchor", "<= 5 ms"
    met: bool | None = None  # None: no target for this figure

    @property
    def ratio(self) -> float | None:
        if self.anchor is None or self.anchor == 0:
            return None
        return self.value / self.anchor


async def median_of(measure: Callable[[], Awaitable[T]], key: Callable[[T], float]) -> T:
    """Run ``measure`` RUNS times; the run whose ``key`` is the median."""
    results = [await measure() for _ in range(RUNS)]
    ranked = sorted(results, key=key)
    return ranked[len(ranked) // 2]


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0-100) of ``values``, nearest rank."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def _figure(value: float) -> str:
    if value == int(value) and abs(value) >= 1:
        return f"{int(value):,}"
    return f"{value:,.3g}" if abs(value) < 10 else f"{value:,.1f}"


def table(rows: Sequence[Row]) -> str:
    """The rows as a Markdown table (it reads in a terminal and in RESULTS.md alike)."""
    lines = [
        "| benchmark | figure | value | anchor | ratio | target | met |",
        "|---|---|---:|---|---:|---|---|",
    ]
    for r in rows:
        anchor = f"{r.anchor_name}: {_figure(r.anchor)}" if r.anchor is not None else ""
        ratio = f"{r.ratio:.2f}x" if r.ratio is not None else ""
        met = {True: "yes", False: "NO", None: ""}[r.met]
        lines.append(
            f"| {r.section} | {r.what} | {_figure(r.value)} {r.unit} | {anchor} | {ratio} "
            f"| {r.target} | {met} |"
        )
    return "\n".join(lines)
