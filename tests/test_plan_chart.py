"""The plan timeline picture: a real, readable PNG, the same bytes for the same input."""

from __future__ import annotations

import hashlib
import inspect
import io
import os
import struct
import subprocess
import sys
import warnings
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

import pytest
from matplotlib import _pylab_helpers
from matplotlib.colors import to_rgb
from PIL import Image

from conversations.documents import plan_chart
from conversations.documents.plan_chart import (
    _PHASE_COLORS,
    HERE_COLOR,
    MAX_LABELLED,
    SIZE_PX,
    _rows,
    _select,
    render_plan_chart,
)
from conversations.rules.plan import Plan, build_plan

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ROOT = Path(__file__).resolve().parents[1]

# (start, season, a day inside the plan)
SPRING = (date(2026, 3, 25), 2027, date(2026, 7, 10))  # about twelve calendar months
AUTUMN = (date(2026, 11, 25), 2028, date(2027, 9, 3))  # sixteen months, to the next season
CASES = {"spring_2027": SPRING, "autumn_2028": AUTUMN}


def rgb(color: str) -> tuple[int, int, int]:
    r, g, b = (round(c * 255) for c in to_rgb(color))
    return (r, g, b)


def decode(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    image.load()
    return image


def colours(image: Image.Image) -> set[object]:
    counted = image.convert("RGB").getcolors(maxcolors=1 << 24)
    assert counted is not None
    return {c for _, c in counted}


def chunk_types(png: bytes) -> list[bytes]:
    types, i = [], len(PNG_SIGNATURE)
    while i < len(png):
        (length,) = struct.unpack(">I", png[i : i + 4])
        types.append(png[i + 4 : i + 8])
        i += 12 + length
    return types


@pytest.fixture(scope="module", params=list(CASES))
def case(request: pytest.FixtureRequest) -> tuple[Plan, date, bytes]:
    start, season, today = CASES[request.param]
    plan = build_plan(start, season)
    return plan, today, render_plan_chart(plan, today, name="Maya")


def test_it_is_a_png_of_the_documented_size(case: tuple[Plan, date, bytes]) -> None:
    _, _, png = case
    assert png.startswith(PNG_SIGNATURE)
    image = decode(png)
    assert image.format == "PNG"
    assert image.size == SIZE_PX
    width, height = image.size
    assert 1000 <= width <= 1700 and 1000 <= height <= 1700
    assert height > width  # portrait: the best fit on a phone


def test_the_picture_is_not_blank(case: tuple[Plan, date, bytes]) -> None:
    _, _, png = case
    image = decode(png).convert("RGB")
    counted = image.getcolors(maxcolors=1 << 24)
    assert counted is not None
    found = {c for _, c in counted}
    assert len(found) > 100  # text, bars, markers and their anti-aliased edges
    # Every phase bar is there in its own colour, and the "you are here" line too.
    for colour in _PHASE_COLORS:
        assert rgb(colour) in found
    assert rgb(HERE_COLOR) in found
    white = sum(n for n, c in counted if c == (255, 255, 255))
    assert white < 0.95 * image.width * image.height


def test_the_same_input_gives_the_same_bytes(case: tuple[Plan, date, bytes]) -> None:
    plan, today, png = case
    assert render_plan_chart(plan, today, name="Maya") == png
    # No timestamp or "Software" text chunk that could change between runs or versions.
    assert chunk_types(png)[0] == b"IHDR"
    assert not {b"tEXt", b"iTXt", b"zTXt", b"tIME"} & set(chunk_types(png))


def test_the_same_bytes_in_another_process() -> None:
    start, season, today = AUTUMN
    expected = hashlib.sha256(
        render_plan_chart(build_plan(start, season), today, name="Maya")
    ).hexdigest()
    code = (
        "import datetime, hashlib; "
        "from conversations.rules.plan import build_plan; "
        "from conversations.documents.plan_chart import render_plan_chart; "
        f"print(hashlib.sha256(render_plan_chart(build_plan({start!r}, {season}), {today!r}, "
        "name='Maya')).hexdigest())"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == expected


def test_without_a_name() -> None:
    start, season, today = SPRING
    plan = build_plan(start, season)
    anonymous = render_plan_chart(plan, today)
    assert anonymous.startswith(PNG_SIGNATURE)
    assert decode(anonymous).size == SIZE_PX
    assert anonymous != render_plan_chart(plan, today, name="Maya")
    assert render_plan_chart(plan, today, name="   ") == anonymous  # blank name: "Your"


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("where", ["before", "after"])
def test_today_outside_the_plan_draws_no_line(name: str, where: str) -> None:
    start, season, _ = CASES[name]
    plan = build_plan(start, season)
    today = plan.start - timedelta(days=30) if where == "before" else plan.end + timedelta(days=1)
    png = render_plan_chart(plan, today, name="Maya")
    image = decode(png)
    assert image.size == SIZE_PX
    found = colours(image)
    assert rgb(HERE_COLOR) not in found
    assert all(rgb(colour) in found for colour in _PHASE_COLORS)


@pytest.mark.parametrize("day", ["start", "end"])
def test_the_first_and_last_day_are_inside(day: str) -> None:
    start, season, _ = SPRING
    plan = build_plan(start, season)
    today = plan.start if day == "start" else plan.end
    assert rgb(HERE_COLOR) in colours(decode(render_plan_chart(plan, today)))


@pytest.mark.parametrize(
    "name",
    [
        "Dr. José María O'Brien-Nakamura de la Fuente y Santos",  # too long for the title
        "$x^2$ \\frac{1}{2} Мария",  # would be mathtext; Cyrillic renders
        "Maya 🩺✨",  # emoji the font lacks are dropped, not drawn as boxes
        "🩺",  # nothing left: "Your"
    ],
)
def test_awkward_names_render_without_warnings(name: str) -> None:
    start, season, today = SPRING
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph or a mathtext error would warn
        png = render_plan_chart(build_plan(start, season), today, name=name)
    assert decode(png).size == SIZE_PX


def test_key_dates_keep_deadlines_and_the_next_ones() -> None:
    for start, season, today in CASES.values():
        plan = build_plan(start, season)
        for day in (plan.start - timedelta(days=5), today, plan.end + timedelta(days=5)):
            rows = _rows(plan)
            chosen = _select(rows, day)
            assert 0 < len(chosen) <= MAX_LABELLED
            keys = {m.key for row in chosen for m in row.members}
            assert {"eras_submitted", "rol_deadline", "match_day"} <= keys
            assert [r.due for r in chosen] == sorted(r.due for r in chosen)
            upcoming = [r for r in rows if r.due >= day and not r.is_deadline]
            assert (
                upcoming[: MAX_LABELLED - 3]
                == [r for r in chosen if r.due >= day and not r.is_deadline][: MAX_LABELLED - 3]
            )
        # Milestones due the same day share one row.
        dues = [r.due for r in _rows(plan)]
        assert len(dues) == len(set(dues))
        assert sum(len(r.members) for r in _rows(plan)) == len(plan.milestones)


def test_renders_in_threads_give_the_same_bytes() -> None:
    jobs = [(build_plan(s, season), today) for s, season, today in CASES.values()] * 2
    serial = [render_plan_chart(plan, today, name="Maya") for plan, today in jobs]
    with ThreadPoolExecutor(max_workers=4) as pool:
        threaded = list(pool.map(lambda job: render_plan_chart(*job, name="Maya"), jobs))
    assert threaded == serial


def test_no_clock_and_no_pyplot() -> None:
    source = inspect.getsource(plan_chart)
    assert "today()" not in source and "datetime.now" not in source
    assert "import pyplot" not in source and "matplotlib.pyplot" not in source
    start, season, today = SPRING
    render_plan_chart(build_plan(start, season), today)
    assert _pylab_helpers.Gcf.get_num_fig_managers() == 0  # nothing left open


def test_a_milestone_done_is_ticked_and_gives_way_to_what_is_ahead() -> None:
    start, season, _ = next(iter(CASES.values()))
    plan = build_plan(start, season, done={"post_mortem": start})
    rows = _rows(plan)
    [done] = [r for r in rows if any(m.key == "post_mortem" for m in r.members)]
    assert done.done and done.labels()[0].endswith("✓ Post-mortem done")
    chosen = _select(rows, start)
    ahead = [r for r in rows if not r.done and not r.is_deadline]
    assert all(r in chosen for r in ahead[: MAX_LABELLED - 3])
    assert render_plan_chart(plan, start).startswith(b"\x89PNG")
