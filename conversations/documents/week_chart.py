"""The week in one picture: hours per day by category, mood, and the split against the plan.

``render_week_chart(days, hours, moods, target_split, title=...)`` returns the bytes of one
portrait PNG, 1200 x 1400 px (8 x 9.33 in at 150 dpi), sized for a phone like the plan chart:
every text is 11 pt (23 px) or larger.

Top to bottom:

* the title (the caller's words, cleaned and shrunk or shortened to fit) and a subtitle with
  the week's dates, the hours logged and how many days had a check-in;
* "Hours per day": one stacked bar per day, Monday to Sunday, split by the logged categories
  (exams & study, work, application & interviews; diagnosis & planning only if some hours of
  it were logged), the day's total above it, a legend above the panel (with the mood marker,
  unless logged diagnosis hours make a fourth category);
* "Mood": a strip under the bars with the day's mood (1-5) as a numbered marker, consecutive
  days joined by a line (dotted across a day without one); a day without a check-in shows a
  grey dash. The day names with their dates run under the strip;
* "This week vs. your plan": for each category of ``target_split`` (all four
  ``EFFORT_CATEGORIES`` when it is empty), the share of the week's logged hours (solid bar)
  next to this quarter's target (pale bar), both with their percentage. A category is only
  compared when the check-ins log it: the caller leaves out diagnosis & planning in the
  quarters where the check-in does not ask for it.

A week without any check-in still renders: empty axes with a friendly "No check-ins this
week yet" note (for a ``past`` week: "No check-ins that week"), and the targets alone below.

Inputs: ``days``, ``hours`` and ``moods`` run in parallel (one entry per day with data, in any
order, all within one Monday-to-Sunday week; a day left out is drawn as a day without a
check-in, and an empty ``days`` gives a bare Mon-Sun week without dates). ``hours`` maps
category keys of ``EFFORT_CATEGORIES`` to hours (missing keys are 0); ``moods`` are 1-5 or
``None`` for no check-in; ``target_split`` maps the categories to percentages (missing keys
are 0). Anything else (unequal lengths, two entries for one day, days from two weeks, unknown
categories, negative or non-finite hours or percentages, a mood outside 1-5) raises
``ValueError``.

A day counts as checked in when it has a mood or some hours logged.

Nothing reads the clock; pyplot is not used and no global setting (rcParams) is changed: each
call draws on its own ``Figure`` with the Agg canvas, so renders may run in threads. The PNG
carries no "Software" or time stamp, so the same input always gives the same bytes. The title
is cleaned of glyphs the font lacks and never parsed as mathtext.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from matplotlib.ticker import MaxNLocator

from conversations.documents.problems_pdf import clean
from conversations.rules.plan import EFFORT_CATEGORIES

__all__ = [
    "CATEGORY_COLORS",
    "DPI",
    "LOGGED_CATEGORIES",
    "MOOD_COLOR",
    "NO_CHECKINS",
    "NO_CHECKINS_PAST",
    "SIZE_PX",
    "render_week_chart",
]

DPI = 150
SIZE_PX = (1200, 1400)  # width, height

# The categories a check-in logs hours for, bottom to top in the stacked bars.
LOGGED_CATEGORIES = ("exams_study", "work", "application_interviews")
_UNLOGGED = "diagnosis_planning"  # logged only in months 1-6: a bar only when it has hours

NO_CHECKINS = "No check-ins this week yet"
NO_CHECKINS_PAST = "No check-ins that week"

# Colours: calm, distinct, dark text readable beside each. The pale tints are the targets.
CATEGORY_COLORS: dict[str, str] = {
    "diagnosis_planning": "#9C88C9",
    "exams_study": "#5B9BD5",
    "work": "#6DBE8D",
    "application_interviews": "#EDAA4F",
}
_TINTS: dict[str, str] = {
    "diagnosis_planning": "#E3DCF1",
    "exams_study": "#D3E4F4",
    "work": "#D6EEDF",
    "application_interviews": "#FAE5C8",
}
MOOD_COLOR = "#C2255C"
_INK = "#212529"
_MUTED = "#5F6670"
_GRID = "#E3E6EA"
_WEEKEND = "#F6F7F9"

_FONT = "DejaVu Sans"  # shipped with matplotlib, so the picture is the same everywhere
_DAY_ABBR = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# Layout, in pixels from the top of the picture (converted to figure fractions).
_LEFT_PX, _RIGHT_PX = 120, 1150  # the plot area of the top panels
_BARS_PX = (228, 540)
_MOOD_PX = (562, 702)
_SPLIT_PX = (888, 1388)


def _short(day: date) -> str:
    return f"{_MONTH_ABBR[day.month - 1]} {day.day}"


def _hours(value: float) -> str:
    """3 h, 2.5 h (tenths at most)."""
    tenths = round(value * 10)
    return f"{tenths // 10} h" if tenths % 10 == 0 else f"{tenths / 10:.1f} h"


def _percentages(values: Sequence[float]) -> list[int]:
    """Whole percentages of ``values`` that add up to 100 (largest remainders get the rest)."""
    total = sum(values)
    if total <= 0:
        return [0] * len(values)
    exact = [v * 100 / total for v in values]
    shares = [math.floor(e) for e in exact]
    order = sorted(range(len(values)), key=lambda i: (-(exact[i] - shares[i]), i))
    for i in order[: 100 - sum(shares)]:
        shares[i] += 1
    return shares


def _check_amount(value: float, what: str) -> float:
    number = float(value)
    if not math.isfinite(number) or number < 0:
        raise ValueError(f"{what} must be a finite number of at least 0, not {value!r}")
    return number


def _week(
    days: Sequence[date],
    hours: Sequence[Mapping[str, float]],
    moods: Sequence[int | None],
) -> tuple[date | None, list[dict[str, float]], list[int | None]]:
    """The week's Monday (None without days) and the hours and mood of each day, Mon-Sun."""
    if not len(days) == len(hours) == len(moods):
        raise ValueError(
            f"days, hours and moods must be as long as each other "
            f"({len(days)}, {len(hours)}, {len(moods)})"
        )
    week_hours: list[dict[str, float]] = [{} for _ in range(7)]
    week_moods: list[int | None] = [None] * 7
    if not days:
        return None, week_hours, week_moods
    monday = min(days) - timedelta(days=min(days).weekday())
    seen: set[date] = set()
    for day, logged, mood in zip(days, hours, moods, strict=True):
        if day in seen:
            raise ValueError(f"{day.isoformat()} is given twice")
        seen.add(day)
        if not monday <= day < monday + timedelta(days=7):
            raise ValueError(
                f"{day.isoformat()} is not in the week of {monday.isoformat()} (Monday to Sunday)"
            )
        for key, value in logged.items():
            if key not in EFFORT_CATEGORIES:
                raise ValueError(f"unknown category {key!r}")
            week_hours[day.weekday()][key] = _check_amount(value, f"hours of {key!r}")
        if mood is not None and (isinstance(mood, bool) or mood not in range(1, 6)):
            raise ValueError(f"a mood is 1 to 5 or None, not {mood!r}")
        week_moods[day.weekday()] = mood
    return monday, week_hours, week_moods


def render_week_chart(
    days: Sequence[date],
    hours: Sequence[Mapping[str, float]],
    moods: Sequence[int | None],
    target_split: Mapping[str, int],
    *,
    title: str,
    past: bool = False,
) -> bytes:
    """The week as a PNG (1200 x 1400 px): hours per day, mood, and the split vs. the plan.

    ``days``, ``hours`` and ``moods`` run in parallel, one entry per day of one Monday-Sunday
    week; ``target_split`` is this quarter's split in percent per ``EFFORT_CATEGORIES`` key,
    over the categories to compare. ``past``: the week is over (its empty note says so).
    """
    monday, week_hours, week_moods = _week(days, hours, moods)
    for key in target_split:
        if key not in EFFORT_CATEGORIES:
            raise ValueError(f"unknown category {key!r}")
    compared = [key for key in EFFORT_CATEGORIES if key in target_split] or list(EFFORT_CATEGORIES)
    targets = {
        key: _check_amount(target_split.get(key, 0), f"the target of {key!r}") for key in compared
    }

    fig = Figure(figsize=(SIZE_PX[0] / DPI, SIZE_PX[1] / DPI), dpi=DPI, facecolor="white")
    canvas = FigureCanvasAgg(fig)
    try:
        _draw(fig, canvas.get_renderer(), title, monday, week_hours, week_moods, targets, past)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=DPI, facecolor="white", metadata={"Software": None})
        return buffer.getvalue()
    finally:
        fig.clear()  # a bare Figure is not tracked by pyplot: clearing it frees everything


# --------------------------------------------------------------------------- drawing


def _rect(
    top_px: float, bottom_px: float, left_px: float, right_px: float
) -> tuple[float, float, float, float]:
    """An axes rectangle (left, bottom, width, height) in figure fractions from pixels."""
    w, h = SIZE_PX
    return (left_px / w, 1 - bottom_px / h, (right_px - left_px) / w, (bottom_px - top_px) / h)


def _fig_y(px: float) -> float:
    return 1 - px / SIZE_PX[1]


def _text(target: Axes | Figure, x: float, y: float, s: str, **kw: Any) -> Text:
    kw.setdefault("fontfamily", _FONT)
    kw.setdefault("color", _INK)
    return target.text(x, y, s, parse_math=False, **kw)


def _draw_title(fig: Figure, renderer: RendererAgg, title: str) -> None:
    """The title, shrunk (21 to 15 pt) and then shortened with "…" until it fits."""
    words = clean(title) or "Your week"
    room = fig.bbox.width * 0.92
    text = _text(fig, 0.04, _fig_y(26), "", fontsize=21, fontweight="bold", va="top")

    def fits(s: str, size: float) -> bool:
        text.set_text(s)
        text.set_fontsize(size)
        return text.get_window_extent(renderer).width <= room

    for size in (21, 19, 17, 15):
        if fits(words, size):
            return
    for cut in range(len(words) - 1, 0, -1):
        if fits(words[:cut].rstrip() + "…", 15):
            return


def _subtitle(monday: date | None, total: float, checked_in: int) -> str:
    parts = []
    if monday is not None:
        sunday = monday + timedelta(days=6)
        parts.append(f"Mon {_short(monday)} – Sun {_short(sunday)}, {sunday.year}")
    if checked_in:
        parts.append(f"{_hours(total)} logged")
        parts.append(f"{checked_in} of 7 days checked in")
    else:
        parts.append("no check-ins yet")
    line = " · ".join(parts)
    return line[:1].upper() + line[1:]


def _draw(
    fig: Figure,
    renderer: RendererAgg,
    title: str,
    monday: date | None,
    week_hours: list[dict[str, float]],
    week_moods: list[int | None],
    targets: dict[str, float],
    past: bool = False,
) -> None:
    stacked = [*LOGGED_CATEGORIES]
    if any(day.get(_UNLOGGED, 0) > 0 for day in week_hours):
        stacked.insert(0, _UNLOGGED)  # hours logged: show it like the others
    totals = [sum(day.get(key, 0.0) for key in stacked) for day in week_hours]
    checked = [
        mood is not None or total > 0 for mood, total in zip(week_moods, totals, strict=True)
    ]
    week_total = sum(totals)

    _draw_title(fig, renderer, title)
    _text(
        fig,
        0.04,
        _fig_y(82),
        _subtitle(monday, week_total, sum(checked)),
        fontsize=12.5,
        color=_MUTED,
        va="top",
    )

    # Legend of the top panels: the categories, then the mood marker when there is room for it
    # (two rows; the mood strip says "Mood" anyway). Two columns, filled column by column:
    # listed so that they read row by row.
    items: list[tuple[Any, str]] = [
        (Rectangle((0, 0), 1, 1, facecolor=CATEGORY_COLORS[key], edgecolor="none"), label)
        for key in stacked
        for label in [EFFORT_CATEGORIES[key]]
    ]
    mood_handle = Line2D(
        [], [], marker="o", markersize=12, color=MOOD_COLOR, markeredgecolor="white"
    )
    if len(items) < 4:
        items.append((mood_handle, "Mood, 1 (low) to 5"))
    items = items[0::2] + items[1::2]
    handles = [h for h, _ in items]
    labels = [label for _, label in items]
    fig.legend(
        handles,
        labels,
        loc="upper left",
        bbox_to_anchor=(0.03, _fig_y(128)),
        ncol=2,
        frameon=False,
        prop={"family": _FONT, "size": 12},
        labelcolor=_INK,
        handlelength=1.3,
        handleheight=1.1,
        handletextpad=0.5,
        columnspacing=1.6,
        borderaxespad=0,
    )

    xs = list(range(7))
    x_lo, x_hi = -0.55, 6.55

    # Hours per day.
    bars = fig.add_axes(_rect(*_BARS_PX, _LEFT_PX, _RIGHT_PX))
    top = max(4.0, max(totals) * 1.2)
    bars.set_xlim(x_lo, x_hi)
    bars.set_ylim(0, top)
    for side in ("top", "right"):
        bars.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        bars.spines[side].set_color(_MUTED)
    bars.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True, min_n_ticks=3))
    bars.tick_params(axis="y", labelsize=12, colors=_MUTED, length=0, pad=8)
    bars.tick_params(axis="x", bottom=False, labelbottom=False)
    for label in bars.get_yticklabels():
        label.set_fontfamily(_FONT)
    bars.yaxis.grid(True, color=_GRID, linewidth=1)
    bars.set_axisbelow(True)
    bars.set_ylabel("Hours", fontsize=12.5, color=_MUTED, fontfamily=_FONT, labelpad=10)
    for x in (5, 6):  # the weekend, faintly
        bars.axvspan(x - 0.5, x + 0.5, color=_WEEKEND, zorder=0, linewidth=0)
    bottoms = [0.0] * 7
    for key in stacked:
        heights = [day.get(key, 0.0) for day in week_hours]
        drawn = [x for x in xs if heights[x] > 0]  # no zero-height slivers on the axis
        bars.bar(
            drawn,
            [heights[x] for x in drawn],
            width=0.64,
            bottom=[bottoms[x] for x in drawn],
            color=CATEGORY_COLORS[key],
            edgecolor="white",
            linewidth=1.2,
            zorder=3,
        )
        bottoms = [b + h for b, h in zip(bottoms, heights, strict=True)]
    gap = top * 0.02
    for x, total, was in zip(xs, totals, checked, strict=True):
        if total > 0:
            _text(
                bars,
                x,
                total + gap,
                _hours(total),
                fontsize=12,
                fontweight="bold",
                ha="center",
                va="bottom",
                zorder=5,
            )
        elif was:  # a mood but no hours
            _text(bars, x, gap, "0 h", fontsize=12, color=_MUTED, ha="center", va="bottom")
    if not any(checked):
        _text(
            bars,
            3,
            top * 0.6,
            NO_CHECKINS_PAST if past else NO_CHECKINS,
            fontsize=17,
            fontweight="bold",
            ha="center",
            va="center",
        )
    if not any(checked) and not past:
        _text(
            bars,
            3,
            top * 0.6 - top * 0.16,
            "Tell the coach how today went: hours and mood\nwill show up here.",
            fontsize=12.5,
            color=_MUTED,
            ha="center",
            va="top",
            linespacing=1.4,
        )

    # Mood.
    mood_ax = fig.add_axes(_rect(*_MOOD_PX, _LEFT_PX, _RIGHT_PX))
    mood_ax.set_xlim(x_lo, x_hi)
    mood_ax.set_ylim(0.2, 5.8)
    for spine in mood_ax.spines.values():
        spine.set_visible(False)
    mood_ax.set_yticks([1, 3, 5])
    mood_ax.tick_params(axis="y", labelsize=11.5, colors=_MUTED, length=0, pad=8)
    for label in mood_ax.get_yticklabels():
        label.set_fontfamily(_FONT)
    for level in range(1, 6):
        mood_ax.axhline(level, color=_GRID, linewidth=1, zorder=0)
    for x in (5, 6):
        mood_ax.axvspan(x - 0.5, x + 0.5, color=_WEEKEND, zorder=0, linewidth=0)
    mood_ax.set_ylabel("Mood", fontsize=12.5, color=_MUTED, fontfamily=_FONT, labelpad=10)
    marked = [(x, mood) for x, mood in zip(xs, week_moods, strict=True) if mood is not None]
    for (xa, ma), (xb, mb) in pairwise(marked):
        mood_ax.plot(
            [xa, xb],
            [ma, mb],
            color=MOOD_COLOR,
            linewidth=2.5 if xb - xa == 1 else 1.6,
            linestyle="-" if xb - xa == 1 else (0, (1.5, 2.5)),
            solid_capstyle="round",
            zorder=2,
        )
    for x, mood in marked:
        mood_ax.plot(
            [x],
            [mood],
            marker="o",
            markersize=19,
            color=MOOD_COLOR,
            markeredgecolor="white",
            markeredgewidth=2,
            zorder=3,
        )
        _text(
            mood_ax,
            x,
            mood,
            str(mood),
            fontsize=11.5,
            fontweight="bold",
            color="white",
            ha="center",
            va="center_baseline",
            zorder=4,
        )
    for x, day_mood in zip(xs, week_moods, strict=True):
        if day_mood is None and any(checked):
            _text(mood_ax, x, 3, "–", fontsize=16, color=_MUTED, ha="center", va="center", zorder=4)

    # Day names (and dates) under the mood strip.
    mood_ax.set_xticks(xs)
    mood_ax.set_xticklabels(
        [
            name if monday is None else f"{name}\n{_short(monday + timedelta(days=i))}"
            for i, name in enumerate(_DAY_ABBR)
        ],
        fontsize=12,
        fontfamily=_FONT,
        linespacing=1.35,
    )
    mood_ax.tick_params(axis="x", length=0, pad=8, colors=_INK)
    for label, was in zip(mood_ax.get_xticklabels(), checked, strict=True):
        label.set_color(_INK if was else _MUTED)
        label.set_fontweight("bold" if was else "normal")

    _draw_split(fig, week_hours, targets, stacked, week_total)


def _draw_split(
    fig: Figure,
    week_hours: list[dict[str, float]],
    targets: dict[str, float],
    stacked: list[str],
    week_total: float,
) -> None:
    """The week's share of hours per category next to this quarter's target split."""
    _text(
        fig, 0.04, _fig_y(800), "This week vs. your plan", fontsize=15, fontweight="bold", va="top"
    )
    note = (
        f"Share of the {_hours(week_total)} logged (solid) and this quarter's target (pale)"
        if week_total > 0
        else "This quarter's target split (pale): log hours to compare"
    )
    _text(fig, 0.04, _fig_y(838), note, fontsize=12, color=_MUTED, va="top")

    keys = list(targets)  # the categories compared, in the plan's order
    shown = [k for k in stacked if k in targets]
    logged = dict(
        zip(
            shown,
            _percentages([sum(d.get(k, 0.0) for d in week_hours) for k in shown]),
            strict=True,
        )
    )
    ax = fig.add_axes(_rect(*_SPLIT_PX, 48, 1152))
    ax.set_axis_off()
    widest = max([50.0, *targets.values(), *logged.values()])
    ax.set_xlim(0, widest * 1.45)
    row_h = 3.0  # label, week bar, plan bar
    ax.set_ylim(len(keys) * row_h + 0.1, -0.1)
    bar_h = 0.78
    for i, key in enumerate(keys):
        y = i * row_h
        _text(
            ax,
            0,
            y + 0.42,
            EFFORT_CATEGORIES[key],
            fontsize=13,
            fontweight="bold",
            ha="left",
            va="center",
        )
        week_y, plan_y = y + 1.3, y + 2.2
        if key in logged and week_total > 0:
            share = logged[key]
            ax.barh(week_y, share, height=bar_h, left=0, color=CATEGORY_COLORS[key], linewidth=0)
            _text(ax, share, week_y, f"  {share}% this week", fontsize=12, ha="left", va="center")
        else:
            _text(
                ax,
                0,
                week_y,
                "no hours logged yet",
                fontsize=12,
                color=_MUTED,
                style="italic",
                ha="left",
                va="center",
            )
        target = targets[key]
        if target > 0:
            ax.barh(
                plan_y,
                target,
                height=bar_h,
                left=0,
                color=_TINTS[key],
                edgecolor=CATEGORY_COLORS[key],
                linewidth=1.2,
            )
        _text(
            ax,
            target,
            plan_y,
            f"  {target:g}% plan",
            fontsize=12,
            color=_MUTED,
            ha="left",
            va="center",
        )
