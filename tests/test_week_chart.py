"""The weekly summary picture: a real, readable PNG, the same bytes for the same input."""

from __future__ import annotations

import hashlib
import inspect
import io
import os
import struct
import subprocess
import sys
import warnings
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from matplotlib import _pylab_helpers
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.text import Text
from PIL import Image

from conversations.documents import week_chart
from conversations.documents.week_chart import (
    CATEGORY_COLORS,
    LOGGED_CATEGORIES,
    MOOD_COLOR,
    NO_CHECKINS,
    NO_CHECKINS_PAST,
    SIZE_PX,
    _percentages,
    render_week_chart,
)
from conversations.rules.plan import EFFORT_CATEGORIES, EFFORT_SPLITS

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ROOT = Path(__file__).resolve().parents[1]

MONDAY = date(2026, 4, 6)
WEEK = [MONDAY + timedelta(days=i) for i in range(7)]
SPLIT = dict(EFFORT_SPLITS[1])  # months 4-6: 10 / 40 / 40 / 10
TITLE = "Maya’s week · Apr 6–12"

Week = tuple[list[date], list[dict[str, float]], list[int | None]]


def normal_week() -> Week:
    hours: list[dict[str, float]] = [
        {"exams_study": 3, "work": 4, "application_interviews": 0.5},
        {"exams_study": 2.5, "work": 5},
        {"exams_study": 4, "work": 3.5, "application_interviews": 1},
        {"exams_study": 1, "work": 6},
        {"exams_study": 3, "work": 2, "application_interviews": 2},
        {"exams_study": 2},
        {"work": 1.5},
    ]
    return list(WEEK), hours, [3, 2, 4, 3, 5, 4, 4]


def empty_week() -> Week:
    return list(WEEK), [{} for _ in WEEK], [None] * 7


def gappy_week() -> Week:
    """Wednesday left out entirely; Tuesday logged hours but no mood; Sunday a mood only."""
    days, hours, moods = normal_week()
    del days[2], hours[2], moods[2]
    moods[1] = None
    hours[-1] = {}
    return days, hours, moods


WEEKS = {"normal": normal_week, "empty": empty_week, "gappy": gappy_week}


def render(
    week: Week, split: Mapping[str, int] = SPLIT, title: str = TITLE, past: bool = False
) -> bytes:
    days, hours, moods = week
    return render_week_chart(days, hours, moods, split, title=title, past=past)


def rgb(color: str) -> tuple[int, int, int]:
    r, g, b = (round(c * 255) for c in to_rgb(color))
    return (r, g, b)


def decode(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    image.load()
    return image


def counted_colours(png: bytes) -> list[tuple[int, Any]]:
    counted = decode(png).convert("RGB").getcolors(maxcolors=1 << 24)
    assert counted is not None
    return counted


def chunk_types(png: bytes) -> list[bytes]:
    types, i = [], len(PNG_SIGNATURE)
    while i < len(png):
        (length,) = struct.unpack(">I", png[i : i + 4])
        types.append(png[i + 4 : i + 8])
        i += 12 + length
    return types


def drawn_texts(monkeypatch: pytest.MonkeyPatch, week: Week, **kw: Any) -> list[str]:
    """Every text the chart draws (titles, labels, notes, tick labels), in drawing order."""
    seen: list[str] = []

    class Recording(Figure):
        def clear(self, keep_observers: bool = False) -> None:
            seen.extend(t.get_text() for t in self.findobj(Text) if t.get_text())
            super().clear(keep_observers)

    monkeypatch.setattr(week_chart, "Figure", Recording)
    render(week, **kw)
    return seen


@pytest.fixture(scope="module", params=list(WEEKS))
def case(request: pytest.FixtureRequest) -> tuple[str, bytes]:
    return request.param, render(WEEKS[request.param]())


def test_it_is_a_png_of_the_documented_size(case: tuple[str, bytes]) -> None:
    _, png = case
    assert png.startswith(PNG_SIGNATURE)
    image = decode(png)
    assert image.format == "PNG"
    assert image.size == SIZE_PX == (1200, 1400)
    assert image.height > image.width  # portrait: the best fit on a phone


def test_the_picture_is_not_blank(case: tuple[str, bytes]) -> None:
    name, png = case
    counted = counted_colours(png)
    found = {c for _, c in counted}
    assert len(found) > 100  # text, bars, markers and their anti-aliased edges
    for key in LOGGED_CATEGORIES:  # the bars (and the legend) in their own colours
        assert rgb(CATEGORY_COLORS[key]) in found
    assert rgb(MOOD_COLOR) in found  # the mood markers, or at least the legend's
    white = sum(n for n, c in counted if c == (255, 255, 255))
    assert white < 0.95 * SIZE_PX[0] * SIZE_PX[1]
    if name != "empty":  # bars cover more of the picture than the legend's swatches alone
        swatches = render(empty_week())
        for key in LOGGED_CATEGORIES:
            colour = rgb(CATEGORY_COLORS[key])
            assert dict((c, n) for n, c in counted)[colour] > 3 * dict(
                (c, n) for n, c in counted_colours(swatches)
            ).get(colour, 0)


def test_the_same_input_gives_the_same_bytes(case: tuple[str, bytes]) -> None:
    name, png = case
    assert render(WEEKS[name]()) == png
    # No timestamp or "Software" text chunk that could change between runs or versions.
    assert chunk_types(png)[0] == b"IHDR"
    assert not {b"tEXt", b"iTXt", b"zTXt", b"tIME"} & set(chunk_types(png))


def test_the_weeks_differ() -> None:
    pictures = {name: render(week()) for name, week in WEEKS.items()}
    assert len(set(pictures.values())) == len(WEEKS)


def test_the_same_bytes_in_another_process() -> None:
    days, hours, moods = gappy_week()
    expected = hashlib.sha256(render((days, hours, moods))).hexdigest()
    code = (
        "import datetime, hashlib; "
        "from conversations.documents.week_chart import render_week_chart; "
        f"print(hashlib.sha256(render_week_chart({days!r}, {hours!r}, {moods!r}, {SPLIT!r}, "
        f"title={TITLE!r})).hexdigest())"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == expected


def test_a_normal_week_says_what_it_shows(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = drawn_texts(monkeypatch, normal_week())
    assert TITLE in texts
    assert "Mon Apr 6 – Sun Apr 12, 2026 · 41 h logged · 7 of 7 days checked in" in texts
    assert NO_CHECKINS not in texts
    assert {t for t in texts if "\n" in t and t[:3] in {"Mon", "Sun"}} == {
        "Mon\nApr 6",
        "Sun\nApr 12",
    }
    assert "7.5 h" in texts and "1.5 h" in texts  # Monday's and Sunday's totals
    assert [t for t in texts if t in {"1", "2", "3", "4", "5"}].count("4") >= 3  # mood markers
    for label in EFFORT_CATEGORIES.values():
        assert label in texts
    # 39 h of exams & study, work and application out of 41: the shares add up to 100.
    shares = [t for t in texts if t.endswith("% this week")]
    assert shares == ["  38% this week", "  54% this week", "  8% this week"]
    assert texts.count("no hours logged yet") == 1  # diagnosis & planning, compared too
    assert [t for t in texts if t.endswith("% plan")] == [
        "  10% plan",
        "  40% plan",
        "  40% plan",
        "  10% plan",
    ]


def test_an_empty_week_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = drawn_texts(monkeypatch, empty_week())
    assert NO_CHECKINS in texts
    assert "Mon Apr 6 – Sun Apr 12, 2026 · no check-ins yet" in texts
    assert not [t for t in texts if t.endswith(" h")]  # no totals
    assert not [t for t in texts if t.endswith("% this week")]
    assert texts.count("no hours logged yet") == 4
    assert "  40% plan" in texts  # the targets are still there


def test_only_the_categories_of_the_split_are_compared(monkeypatch: pytest.MonkeyPatch) -> None:
    split = {"exams_study": 21, "work": 53, "application_interviews": 26}  # months 7-9, no planning
    texts = drawn_texts(monkeypatch, normal_week(), split=split)
    assert EFFORT_CATEGORIES["diagnosis_planning"] not in texts
    assert [t for t in texts if t.endswith("% plan")] == ["  21% plan", "  53% plan", "  26% plan"]
    assert not [t for t in texts if "not logged" in t]


def test_a_past_week_without_check_ins_says_that_week(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = drawn_texts(monkeypatch, empty_week(), past=True)
    assert NO_CHECKINS_PAST in texts and NO_CHECKINS not in texts
    assert not [t for t in texts if "Tell the coach how today went" in t]


def test_no_days_at_all_still_renders(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = drawn_texts(monkeypatch, ([], [], []), split={}, title="")
    assert "Your week" in texts and NO_CHECKINS in texts
    assert {"Mon", "Sun"} <= set(texts)  # the weekdays, without dates
    assert decode(render(([], [], []), split={}, title="")).size == SIZE_PX


def test_a_missing_day_and_a_missing_mood(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = drawn_texts(monkeypatch, gappy_week())
    assert "Wed\nApr 8" in texts  # the missing day keeps its place
    assert any(
        "6 of 7 days checked in" in t for t in texts
    )  # Sunday's mood alone counts as a check-in
    assert texts.count("–") == 2  # no mood: Tuesday and Wednesday
    assert "0 h" in texts  # Sunday: a mood, no hours
    assert NO_CHECKINS not in texts


def test_diagnosis_hours_when_logged_are_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    days, hours, moods = normal_week()
    hours[0] = {**hours[0], "diagnosis_planning": 2}
    texts = drawn_texts(monkeypatch, (days, hours, moods))
    assert "no hours logged yet" not in texts
    assert len([t for t in texts if t.endswith("% this week")]) == 4
    png = render((days, hours, moods))
    assert rgb(CATEGORY_COLORS["diagnosis_planning"]) in {c for _, c in counted_colours(png)}


def test_days_in_any_order_give_the_same_picture() -> None:
    days, hours, moods = normal_week()
    assert render((days[::-1], hours[::-1], moods[::-1])) == render((days, hours, moods))


@pytest.mark.parametrize(
    ("days", "hours", "moods", "split"),
    [
        (WEEK[:2], [{}], [None, None], SPLIT),  # lengths differ
        ([MONDAY, MONDAY], [{}, {}], [1, 2], SPLIT),  # a day twice
        ([MONDAY, MONDAY + timedelta(days=7)], [{}, {}], [1, 2], SPLIT),  # two weeks
        ([MONDAY - timedelta(days=1), MONDAY], [{}, {}], [1, 2], SPLIT),  # Sunday before
        ([MONDAY], [{"sleep": 8}], [3], SPLIT),  # not a category
        ([MONDAY], [{"work": -1}], [3], SPLIT),
        ([MONDAY], [{"work": float("nan")}], [3], SPLIT),
        ([MONDAY], [{"work": float("inf")}], [3], SPLIT),
        ([MONDAY], [{}], [0], SPLIT),
        ([MONDAY], [{}], [6], SPLIT),
        ([MONDAY], [{}], [True], SPLIT),
        ([MONDAY], [{}], [3], {"leisure": 10}),
        ([MONDAY], [{}], [3], {"work": -5}),
    ],
)
def test_bad_input_is_refused(
    days: Sequence[date],
    hours: Sequence[Mapping[str, float]],
    moods: Sequence[Any],
    split: Mapping[str, int],
) -> None:
    with pytest.raises(ValueError):
        render_week_chart(days, hours, moods, split, title=TITLE)


@pytest.mark.parametrize(
    "title",
    [
        "Dr. José María O'Brien-Nakamura de la Fuente y Santos’s week · Apr 6–12",  # too long
        "$x^2$ \\frac{1}{2} Мария",  # would be mathtext; Cyrillic renders
        "Maya 🩺✨",  # emoji the font lacks are dropped, not drawn as boxes
        "🩺",  # nothing left: "Your week"
    ],
)
def test_awkward_titles_render_without_warnings(title: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph or a mathtext error would warn
        png = render(normal_week(), title=title)
    assert decode(png).size == SIZE_PX


def test_a_long_title_is_shortened_to_fit(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = drawn_texts(monkeypatch, normal_week(), title="Week " + "very " * 40 + "long")
    assert next(t for t in texts if t.startswith("Week very")).endswith("…")


def test_percentages_add_up_to_100() -> None:
    assert _percentages([1, 1, 1]) == [34, 33, 33]
    assert _percentages([19.5, 18, 3.5]) == [48, 44, 8]
    assert _percentages([0, 0, 0]) == [0, 0, 0]
    assert sum(_percentages([0.1, 7.3, 2.2, 5.5])) == 100


def test_renders_in_threads_give_the_same_bytes() -> None:
    jobs = [week() for week in WEEKS.values()] * 2
    serial = [render(job) for job in jobs]
    with ThreadPoolExecutor(max_workers=4) as pool:
        threaded = list(pool.map(render, jobs))
    assert threaded == serial


def test_no_clock_and_no_pyplot() -> None:
    source = inspect.getsource(week_chart)
    assert "today()" not in source and "datetime.now" not in source
    assert "import pyplot" not in source and "matplotlib.pyplot" not in source
    render(normal_week())
    render(empty_week())
    assert _pylab_helpers.Gcf.get_num_fig_managers() == 0  # nothing left open
    code = (
        "import sys, datetime; "
        "from conversations.documents.week_chart import render_week_chart; "
        "render_week_chart([datetime.date(2026, 4, 6)], [{'work': 2}], [3], {'work': 50}, "
        "title='x'); "
        "print('matplotlib.pyplot' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"
