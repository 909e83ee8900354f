"""The program list as a picture: how many programs in each tier, and where they are.

Two horizontal bar panels on one phone-sized PNG (1200 x 900 px at 150 dpi): the tiers
(green, yellow, red, not tiered yet) and the regions (Northeast, Midwest, South, West, no
state given), each bar with its count and share, so a list that leans red or coastal shows
at a glance. Drawn on its own ``Figure`` with the Agg canvas, like the plan's chart.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Sequence

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from conversations.rules.programs import REGIONS, Program

__all__ = ["SIZE_PX", "program_chart_png"]

DPI = 150
SIZE_PX = (1200, 900)
_TIER_ROWS = (
    ("green", "Green: realistic", "#2e9d57"),
    ("yellow", "Yellow: stretch", "#e2b100"),
    ("red", "Red: extreme reach", "#d2453d"),
    ("", "Not tiered yet", "#9aa0a6"),
)
_REGION_COLOUR = {
    "Northeast": "#5b7db1",
    "Midwest": "#3f9c8f",
    "South": "#c47f2c",
    "West": "#8c6bb1",
}


def program_chart_png(programs: Sequence[Program], title: str) -> bytes:
    fig = Figure(figsize=(SIZE_PX[0] / DPI, SIZE_PX[1] / DPI), dpi=DPI, facecolor="white")
    FigureCanvasAgg(fig)
    try:
        n = len(programs)
        fig.suptitle(title, fontsize=13, fontweight="bold", x=0.04, ha="left")
        tiers = Counter(p.tier for p in programs)
        regions = Counter(p.region for p in programs)
        top, bottom = fig.subplots(2, 1, gridspec_kw={"hspace": 0.55, "top": 0.86})
        _bars(
            top,
            "Tiers",
            [(label, tiers[key], colour) for key, label, colour in _TIER_ROWS],
            n,
        )
        region_rows = [(r, regions[r], _REGION_COLOUR[r]) for r in REGIONS]
        region_rows.append(("No state given", regions[""], "#9aa0a6"))
        _bars(bottom, "Regions (Midwest and South: fewer applicants)", region_rows, n)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=DPI, facecolor="white", metadata={"Software": None})
        return buffer.getvalue()
    finally:
        fig.clear()


def _bars(ax: object, heading: str, rows: list[tuple[str, int, str]], total: int) -> None:
    from matplotlib.axes import Axes

    assert isinstance(ax, Axes)
    labels = [label for label, _, _ in rows][::-1]
    counts = [count for _, count, _ in rows][::-1]
    colours = [colour for _, _, colour in rows][::-1]
    ax.barh(labels, counts, color=colours)
    ax.set_title(heading, loc="left", fontsize=11)
    ax.set_xlim(0, max([*counts, 1]) * 1.35)
    for y, count in enumerate(counts):
        share = f" ({count / total:.0%})" if total else ""
        ax.text(count, y, f"  {count}{share}", va="center", fontsize=9)
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(axis="y", labelsize=9)
    ax.tick_params(axis="x", labelsize=8)
