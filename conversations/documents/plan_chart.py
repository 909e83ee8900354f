"""The plan as a picture: a Gantt-style PNG of the phases, key dates and "you are here".

``render_plan_chart(plan, today, name=...)`` returns the bytes of one portrait PNG, 1200 x 1500
px (8 x 10 in at 150 dpi), sized for a phone: Telegram shows photos about 1280 px wide, so
every text is 11 pt (23 px) or larger.

Top to bottom:

* a title ("Maya's 12-month plan · Match 2028") and a subtitle with the plan's span and where
  ``today`` falls (or a note when it is before the start or after Match Day);
* the plan's twelve months as a strip of equal cells (``month_of_plan``'s twelve parts of the
  span from start to Match Day), the current one filled;
* one bar per phase, in plan order, each labelled with its title;
* "Key dates": at most ``MAX_LABELLED`` rows, one per day with milestones (two on the same
  day share a row), a marker on the date and a label beside it ("Sep 8 · Application submitted
  (est.)"), right of the marker when it fits, else left, else on two lines. Deadlines and Match
  Day come first, then the next days after ``today``, then the latest ones before it; the
  others are small grey dots on one last row ("+ 4 more checkpoints"). Deadlines are red
  diamonds (Match Day a red star), ERAS/NRMP dates navy squares, personal milestones green
  circles; an estimated date is drawn hollow and says "(est.)". Labels of days already behind
  ``today`` are grey. The plan is the user's own (exams, US clinical experience, SLOEs... come
  from who they are), and a milestone they have done says so with a "✓" before its title and
  counts as behind them: it is labelled only when there is room after what is still ahead;
* a vertical "You are here" line at ``today`` across everything, with a tag above it, only when
  ``today`` is within the plan (the subtitle says why not otherwise); the phases running today
  are outlined; texts it crosses keep a white outline so they stay readable;
* calendar months along the bottom (the year under January and under the first month shown),
  and a legend for the markers.

Nothing reads the clock; pyplot is not used and no global setting (rcParams) is changed: each
call draws on its own ``Figure`` with the Agg canvas, so renders may run in threads. The PNG
carries no "Software" or time stamp, so the same input always gives the same bytes. User text
(the name) is cleaned of glyphs the font lacks, shortened to fit, and never parsed as mathtext.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from matplotlib.transforms import offset_copy

from conversations.documents.problems_pdf import clean
from conversations.rules.plan import Milestone, Plan, month_of_plan

__all__ = ["DPI", "HERE_COLOR", "MAX_LABELLED", "SIZE_PX", "render_plan_chart"]

DPI = 150
SIZE_PX = (1200, 1500)  # width, height
MAX_LABELLED = 10  # milestones labelled on their own row; the rest are grey dots

# Colours. Phases: calm, distinct, dark text readable on each. The "you are here" orange is
# used for nothing else (tests look for it).
HERE_COLOR = "#E8590C"
_INK = "#212529"
_MUTED = "#5F6670"
_GRID = "#DEE2E6"
_CELL = ("#F8F9FA", "#E9ECEF")
_CELL_NOW = "#FFE8CC"  # a tint of HERE_COLOR
_PHASE_COLORS = ("#8DB6DB", "#F2C57C", "#93C9A8", "#B9A7D6", "#EE9F9A")
_DEADLINE = "#C92A2A"
_CYCLE = "#1C3D6E"
_PERSONAL = "#2B8A3E"
_OTHER = "#ADB5BD"

_FONT = "DejaVu Sans"  # shipped with matplotlib, so the picture is the same everywhere
_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# Vertical layout of the chart's axes, in row units (y grows downwards).
_STRIP_H = 0.8
_PHASE_LABEL_H = 0.8
_PHASE_BAR_H = 0.62
_PHASE_GAP = 0.35
_HEADING_H = 1.0
_ROW_H = 1.0
_KEY_PT = 12.5  # key date labels
_MAX_MONTH_LABELS = 18  # along the bottom; more would crowd


def _short(day: date) -> str:
    return f"{_MONTH_ABBR[day.month - 1]} {day.day}"


def _medium(day: date) -> str:
    return f"{_MONTH_ABBR[day.month - 1]} {day.day}, {day.year}"


def _x(day: date) -> float:
    """A date on the x axis (days, as matplotlib's own date numbers would be)."""
    return float(day.toordinal())


def _subtitle(plan: Plan, today: date) -> str:
    match = plan.cycle.dates["match_day"]
    span = f"{_medium(plan.start)} → Match Day {_medium(match.day)}" + (
        " (est.)" if match.estimate else ""
    )
    if today < plan.start:
        where = f"Your plan starts on {_medium(plan.start)}."
    elif today > plan.end:
        where = "Match Day has passed: this plan is complete."
    else:
        where = f"Today, {_medium(today)}: month {month_of_plan(plan, today)} of 12."
    return f"{span}\n{where}"


@dataclass(frozen=True)
class _Row:
    """The milestones due on one day, labelled together on one row."""

    due: date
    members: tuple[Milestone, ...]

    @property
    def estimate(self) -> bool:
        return any(m.estimate for m in self.members)

    @property
    def is_deadline(self) -> bool:
        """Still to meet: a deadline not done yet, or Match Day."""
        return any(
            (m.kind == "deadline" and m.done_on is None) or m.key == "match_day"
            for m in self.members
        )

    @property
    def done(self) -> bool:
        """Every milestone of the day is done."""
        return all(m.done_on is not None for m in self.members)

    def labels(self) -> list[str]:
        """The label on one line, then (for several milestones on one day) on two."""
        est = " (est.)" if self.estimate else ""
        titles = [f"✓ {m.title}" if m.done_on is not None else m.title for m in self.members]
        head = f"{_short(self.due)} · {titles[0]}"
        rest = titles[1:]
        one = " + ".join([head, *rest]) + est
        return [one] + ([f"{head}\n+ {' + '.join(rest)}{est}"] if rest else [])

    def marker(self) -> tuple[str, str, float]:
        """Marker shape, colour and size (points): the most pressing member decides."""
        keys = {m.key for m in self.members}
        kinds = {m.kind for m in self.members}
        if "match_day" in keys:
            return "*", _DEADLINE, 22.0
        if "deadline" in kinds:
            return "D", _DEADLINE, 13.0
        if "cycle" in kinds:
            return "s", _CYCLE, 12.0
        return "o", _PERSONAL, 13.0


def _label_gap_pt(row: _Row) -> float:
    """From a key date's marker centre to its label: half the marker and a little air."""
    return row.marker()[2] / 2 + 6


def _rows(plan: Plan) -> list[_Row]:
    """The plan's milestones grouped by day (they are sorted by day already)."""
    rows: list[_Row] = []
    for m in plan.milestones:
        if rows and rows[-1].due == m.due:
            rows[-1] = _Row(m.due, (*rows[-1].members, m))
        else:
            rows.append(_Row(m.due, (m,)))
    return rows


def _select(rows: list[_Row], today: date, limit: int = MAX_LABELLED) -> list[_Row]:
    """The rows to label: deadlines, then the next ones after today, then the latest past."""
    deadlines = [r for r in rows if r.is_deadline]
    upcoming = [r for r in rows if not r.is_deadline and r.due >= today and not r.done]
    past = [r for r in reversed(rows) if not r.is_deadline and (r.due < today or r.done)]
    chosen = {r.due for r in (deadlines + upcoming + past)[:limit]}
    return [r for r in rows if r.due in chosen]


def _text(ax: Axes, x: float, y: float, s: str, *, halo: bool = False, **kw: Any) -> Text:
    kw.setdefault("fontfamily", _FONT)
    kw.setdefault("color", _INK)
    if halo:  # a white outline keeps text readable where the "you are here" line crosses it
        kw["path_effects"] = [patheffects.withStroke(linewidth=3.5, foreground="white")]
    return ax.text(x, y, s, parse_math=False, **kw)


def _nudge(text: Text, dx_px: float) -> None:
    """Move a text by ``dx_px`` display pixels."""
    trans = text.get_transform()
    px, py = trans.transform(text.get_position())
    x, y = trans.inverted().transform((px + dx_px, py))
    text.set_position((x, y))


def _keep_inside(text: Text, renderer: RendererAgg, left: float, right: float) -> None:
    """Shift a text so it stays between ``left`` and ``right`` (display px)."""
    box = text.get_window_extent(renderer)
    if box.x0 < left:
        _nudge(text, left - box.x0)
    elif box.x1 > right:
        _nudge(text, right - box.x1)


def _width_px(fig: Figure, renderer: RendererAgg, text: str, size: float, weight: str) -> float:
    """How wide ``text`` would be, in display pixels."""
    probe = fig.text(
        0, 0, text, fontsize=size, fontweight=weight, fontfamily=_FONT, parse_math=False
    )
    width = float(probe.get_window_extent(renderer).width)
    probe.remove()
    return width


def _month_starts(first: date, last: date) -> Iterable[date]:
    day = date(first.year, first.month, 1)
    while day <= last:
        yield day
        day = _next_month(day)


def _next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def render_plan_chart(plan: Plan, today: date, *, name: str | None = None) -> bytes:
    """The plan as a PNG (1200 x 1500 px): phases, key dates, months and "you are here".

    ``today`` places the "You are here" line (drawn only within the plan, from its start to
    Match Day) and decides which key dates are labelled; ``name`` makes the title personal.
    """
    fig = Figure(figsize=(SIZE_PX[0] / DPI, SIZE_PX[1] / DPI), dpi=DPI, facecolor="white")
    canvas = FigureCanvasAgg(fig)
    try:
        _draw(fig, canvas.get_renderer(), plan, today, name)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=DPI, facecolor="white", metadata={"Software": None})
        return buffer.getvalue()
    finally:
        fig.clear()  # a bare Figure is not tracked by pyplot: clearing it frees everything


def _draw_title(fig: Figure, renderer: RendererAgg, plan: Plan, name: str | None) -> None:
    """The title, shrunk (21 to 15 pt) and the name shortened with "…" until it fits."""
    suffix = f" 12-month plan · Match {plan.season}"
    who = clean(name)
    room = fig.bbox.width * 0.92
    title = fig.text(
        0.04,
        0.972,
        "",
        fontsize=21,
        fontweight="bold",
        color=_INK,
        fontfamily=_FONT,
        va="top",
        parse_math=False,
    )

    def fits(text: str, size: float) -> bool:
        title.set_text(text)
        title.set_fontsize(size)
        return title.get_window_extent(renderer).width <= room

    if not who:
        fits("Your" + suffix, 21)
        return
    for size in (21, 19, 17, 15):
        if fits(f"{who}’s{suffix}", size):
            return
    for cut in range(len(who) - 1, 0, -1):
        if fits(f"{who[:cut].rstrip()}…’s{suffix}", 15):
            return
    fits("Your" + suffix, 15)


def _draw(fig: Figure, renderer: RendererAgg, plan: Plan, today: date, name: str | None) -> None:
    _draw_title(fig, renderer, plan, name)
    fig.text(
        0.04,
        0.928,
        _subtitle(plan, today),
        fontsize=12.5,
        color=_MUTED,
        fontfamily=_FONT,
        va="top",
        linespacing=1.5,
        parse_math=False,
    )

    rows = _rows(plan)
    labelled = _select(rows, today)
    others = [r for r in rows if r not in labelled]
    inside = plan.start <= today <= plan.end

    ax = fig.add_axes((0.04, 0.115, 0.92, 0.725))
    x0 = _x(plan.start) - 6
    x1 = _x(plan.end) + 10
    ax.set_xlim(x0, x1)
    ax.set_axis_off()
    left_px = float(ax.transData.transform((x0, 0))[0])
    right_px = float(ax.transData.transform((x1, 0))[0])
    px_per_day = (right_px - left_px) / (x1 - x0)
    middle = (x0 + x1) / 2

    # Where each key date's label goes: right of its marker if it fits, else left, on one line
    # if it fits, else two (several milestones on one day).
    placed: list[tuple[_Row, str, str, float]] = []  # row, text, alignment, height
    for row in labelled:
        weight = "bold" if row.is_deadline else "normal"
        marker_px = left_px + (_x(row.due) - x0) * px_per_day
        gap_px = _label_gap_pt(row) * DPI / 72
        choice = None
        for text in row.labels():
            width = _width_px(fig, renderer, text, _KEY_PT, weight)
            if marker_px + gap_px + width <= right_px:
                choice = (text, "left")
            elif marker_px - gap_px - width >= left_px:
                choice = (text, "right")
            if choice:
                break
        if choice is None:
            choice = (row.labels()[-1], "left" if _x(row.due) < middle else "right")
        height = _ROW_H * (1.6 if "\n" in choice[0] else 1.0)
        placed.append((row, choice[0], choice[1], height))

    # Rows, top to bottom, in row units (the y axis points down).
    y = 0.0
    strip_bottom = _STRIP_H
    y += _STRIP_H + 0.55
    phase_rows = []
    for _ in plan.phases:
        phase_rows.append((y + _PHASE_LABEL_H / 2, y + _PHASE_LABEL_H + _PHASE_BAR_H / 2))
        y += _PHASE_LABEL_H + _PHASE_BAR_H + _PHASE_GAP
    heading_y = y + _HEADING_H / 2
    y += _HEADING_H
    key_rows = []
    for *_, height in placed:
        key_rows.append(y + height / 2)
        y += height
    other_y = y + 0.5 * _ROW_H
    if others:
        y += _ROW_H
    bottom = y + 0.2
    ax.set_ylim(bottom, -0.05)

    # The month grid.
    months = list(_month_starts(plan.start, plan.end + timedelta(days=31)))
    for first in months:
        if x0 < _x(first) < x1:
            ax.plot([_x(first)] * 2, [strip_bottom, bottom], color=_GRID, lw=1, zorder=1)

    # Plan months: twelve equal parts from start to Match Day (as ``month_of_plan`` counts).
    span = _x(plan.end) - _x(plan.start)
    current = month_of_plan(plan, today) if inside else None
    for k in range(12):
        cell_x, width = _x(plan.start) + span * k / 12, span / 12
        now = current == k + 1
        ax.add_patch(
            Rectangle(
                (cell_x, 0),
                width,
                _STRIP_H,
                color=_CELL_NOW if now else _CELL[k % 2],
                linewidth=0,
                zorder=1,
            )
        )
        _text(
            ax,
            cell_x + width / 2,
            _STRIP_H / 2,
            f"Month {k + 1}" if k == 0 else str(k + 1),
            fontsize=11.5,
            fontweight="bold" if now else "normal",
            color=_INK if now else _MUTED,
            ha="center",
            va="center",
            zorder=9,
            halo=now,
        )

    # Phases, one bar each; the ones running today get an outline.
    for i, ((label_y, bar_y), phase) in enumerate(zip(phase_rows, plan.phases, strict=True)):
        color = _PHASE_COLORS[i % len(_PHASE_COLORS)]
        start, end = _x(phase.start), _x(phase.end) + 1
        active = inside and phase.start <= today <= phase.end
        ax.add_patch(
            Rectangle(
                (start, bar_y - _PHASE_BAR_H / 2),
                end - start,
                _PHASE_BAR_H,
                facecolor=color,
                edgecolor=_INK if active else color,
                linewidth=1.6 if active else 0,
                zorder=3,
            )
        )
        label = _text(
            ax,
            start,
            label_y - 0.02,
            phase.title,
            fontsize=13,
            fontweight="bold",
            ha="left",
            va="center",
            zorder=9,
            halo=True,
        )
        _keep_inside(label, renderer, left_px, right_px)

    # Key dates: one row each, the label right of the marker unless it would not fit.
    _text(
        ax,
        x0,
        heading_y,
        "Key dates",
        fontsize=13,
        fontweight="bold",
        color=_MUTED,
        ha="left",
        va="center",
        zorder=9,
        halo=True,
    )
    for row_y, (row, text, align, _) in zip(key_rows, placed, strict=True):
        shape, color, size = row.marker()
        ax.plot(
            [_x(row.due)],
            [row_y],
            marker=shape,
            markersize=size,
            markerfacecolor="white" if row.estimate else color,
            markeredgecolor=color,
            markeredgewidth=2.2,
            linestyle="none",
            zorder=7,
        )
        shift = _label_gap_pt(row) * (1 if align == "left" else -1)
        faded = (inside and row.due < today) or row.done  # behind us: quieter
        label = _text(
            ax,
            _x(row.due),
            row_y,
            text,
            fontsize=_KEY_PT,
            fontweight="bold" if row.is_deadline else "normal",
            color=_MUTED if faded else _DEADLINE if row.is_deadline else _INK,
            ha=align,
            va="center",
            linespacing=1.25,
            zorder=9,
            halo=True,
            transform=offset_copy(ax.transData, fig=fig, x=shift, units="points"),
        )
        _keep_inside(label, renderer, left_px, right_px)

    # The other milestones: grey dots on one row, the note in the widest gap between them.
    if others:
        xs = sorted(_x(r.due) for r in others)
        ax.plot(xs, [other_y] * len(xs), "o", markersize=7, color=_OTHER, zorder=7)
        count = sum(len(r.members) for r in others)
        done = sum(m.done_on is not None for r in others for m in r.members)
        note = _text(
            ax,
            middle,
            other_y,
            f"+ {count} more checkpoint{'s' if count != 1 else ''}"
            + (f" ({done} done ✓)" if done else ""),
            fontsize=11.5,
            color=_MUTED,
            style="italic",
            ha="center",
            va="center",
            zorder=9,
            halo=True,
        )
        need = note.get_window_extent(renderer).width / px_per_day + 2 * 10 / px_per_day
        stops = sorted([*xs, _x(today)]) if inside else xs  # keep clear of the line too
        edges = [x0 - 20 / px_per_day, *stops, x1 + 20 / px_per_day]
        gap_lo, gap_hi = max(pairwise(edges), key=lambda pair: pair[1] - pair[0])
        if gap_hi - gap_lo >= need:
            note.set_position(((gap_lo + gap_hi) / 2, other_y))
        else:  # nowhere between the dots: say it beside the heading
            note.set_position((x1, heading_y))
            note.set_horizontalalignment("right")
            note.set_text(f"grey dots: {note.get_text().removeprefix('+ ')}")

    # Calendar months along the bottom, the year under January and under the first month
    # (every other or third month only, should a plan ever run much longer than 18 months).
    shown = [
        (first, max(_x(first), x0), min(_x(_next_month(first)), x1))
        for first in months
        if min(_x(_next_month(first)), x1) - max(_x(first), x0) >= 14
    ]
    step = -(-len(shown) // _MAX_MONTH_LABELS)
    for i, (first, lo, hi) in enumerate(shown):
        if i % step:
            continue
        text = _MONTH_ABBR[first.month - 1]
        if first.month <= step or i == 0:
            text += f"\n{first.year}"
        _text(
            ax,
            (lo + hi) / 2,
            bottom + 0.25,
            text,
            fontsize=11.5,
            color=_MUTED,
            ha="center",
            va="top",
            linespacing=1.3,
            clip_on=False,
        )

    # You are here.
    if inside:
        xt = _x(today)
        ax.plot([xt, xt], [0, bottom], color=HERE_COLOR, lw=3, solid_capstyle="butt", zorder=8)
        tag = _text(
            ax,
            xt,
            -0.12,
            "You are here",
            fontsize=12,
            fontweight="bold",
            color="white",
            ha="center",
            va="bottom",
            zorder=10,
            clip_on=False,
            bbox={"boxstyle": "round,pad=0.35", "facecolor": HERE_COLOR, "edgecolor": HERE_COLOR},
        )
        _keep_inside(tag, renderer, left_px + 6, right_px - 6)

    # Legend.
    def handle(shape: str, color: str, hollow: bool = False) -> Line2D:
        return Line2D(
            [],
            [],
            marker=shape,
            markersize=10,
            markerfacecolor="white" if hollow else color,
            markeredgecolor=color,
            markeredgewidth=2,
            linestyle="none",
        )

    fig.legend(
        [
            handle("D", _DEADLINE),
            handle("s", _CYCLE),
            handle("o", _PERSONAL),
            handle("o", _MUTED, hollow=True),
        ],
        [
            "Deadline (star: Match Day)",
            "ERAS / NRMP date",
            "Your milestone",
            "Hollow: estimated date",
        ],
        loc="lower center",
        bbox_to_anchor=(0.5, 0.012),
        ncol=2,
        frameon=False,
        prop={"family": _FONT, "size": 11.5},
        labelcolor=_MUTED,
        handletextpad=0.4,
        columnspacing=2.0,
    )
