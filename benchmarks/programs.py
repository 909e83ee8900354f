"""Issue 13's program list at 300 rows: does a turn stay as quick as an ordinary one?

Everything runs through the real service (``CoachService.handle``: load, coach, store) on a
fresh SQLite file, for the seed's onboarded user. The anchor is an ordinary turn measured in
the same run: /reminders (a read of the user's ~30 pending reminders, listed) for a user with
no programs, a turn that reads a list as /programs does. The figures, each the median of 3:

* ``/programs`` (the overview with its counts and warnings) with 300 programs stored;
* a tap on a program's card that changes its tier (load 300, store one);
* importing a 300-row XLSX (read, check every row, store 300 items), and exporting the list as
  XLSX and CSV, each one turn;
* the same /programs turn with no programs, to see what the rows themselves cost.

The target: the /programs turn and the card tap at 300 rows take at most 3x the anchor turn
(one turn on the phone should not feel slower than the rest of the coach); the import and the
export are one-off turns and are reported without a target.
"""

from __future__ import annotations

import io
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

from openpyxl import Workbook

from benchmarks.report import Row, median
from bot.service import CoachService, Who
from conversations.messages import Command, Other, Press, UserInput
from storage.db import Database
from tests.coach_chat import SEED_ONBOARDING, scripted_input

SECTION = "programs"
NOW = datetime(2026, 3, 25, 15, 0, tzinfo=UTC)  # the scripted onboarding's day
TARGET_RATIO = 3.0


def sheet(rows: int) -> bytes:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.append(
        ["Program", "City", "State", "Setting", "New program", "Score cutoff", "Tier", "Notes"]
    )
    states = ("OH", "TX", "IL", "NY", "CA", "GA", "MI", "PA", "IA", "WA")
    for i in range(rows):
        ws.append(
            [
                f"Program {i:03d} Internal Medicine",
                f"City {i}",
                states[i % len(states)],
                ("community", "university-affiliated community", "academic")[i % 3],
                "yes" if i % 7 == 0 else "no",
                200 + i % 40,
                ("green", "green", "yellow", "red")[i % 4],
                f"Notes about program {i}: what residents said, who I know there.",
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def _onboarded(service: CoachService, who: Who) -> None:
    last = None
    for step in SEED_ONBOARDING:
        last = await service.handle(who, scripted_input(step, last))


async def _timed(service: CoachService, who: Who, inp: UserInput, runs: int) -> float:
    """The median time of ``runs`` turns of ``inp``, in milliseconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        await service.handle(who, inp)
        times.append((time.perf_counter() - start) * 1000)
    return median(times)


async def _measure(rows: int, runs: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        clock = NOW
        service = CoachService(Database(f"sqlite:///{Path(tmp) / 'bench.db'}"), clock=lambda: clock)
        await service.db.migrate()
        try:
            plain, heavy = Who("telegram", "1", "Maya"), Who("telegram", "2", "Maya")
            await _onboarded(service, plain)
            await _onboarded(service, heavy)
            content = sheet(rows)
            document = Other(
                "document",
                file_name="list.xlsx",
                mime_type="application/octet-stream",
                file_size=len(content),
                content=content,
            )
            figures: dict[str, float] = {}
            figures["anchor"] = await _timed(service, plain, Command("reminders"), runs)
            figures["empty"] = await _timed(service, plain, Command("programs"), runs)
            # The first import stores every row; the next ones update them all by name.
            figures["import"] = await _timed(service, heavy, document, runs)
            figures["overview"] = await _timed(service, heavy, Command("programs"), runs)
            taps: list[Callable[[], Awaitable[object]]] = [
                lambda t=tier: service.handle(heavy, Press(f"@pg.t.{t}.program000internalmedicine"))
                for tier in ("yellow", "red", "green")
            ]
            times = []
            for _ in range(max(1, runs // 3)):
                for tap in taps:
                    start = time.perf_counter()
                    await tap()
                    times.append((time.perf_counter() - start) * 1000)
            figures["tap"] = median(times)
            figures["export"] = await _timed(service, heavy, Command("programs", "export"), runs)
            return figures
        finally:
            await service.db.dispose()


async def run(small: bool) -> list[Row]:
    rows = 12 if small else 300
    runs = 3 if small else 9
    medians: dict[str, list[float]] = {}
    for _ in range(3):
        for key, value in (await _measure(rows, runs)).items():
            medians.setdefault(key, []).append(value)
    f = {key: median(values) for key, values in medians.items()}
    anchor = f["anchor"]
    name = "/reminders turn"
    at = f"{rows} programs"

    def row(what: str, key: str, target: bool) -> Row:
        met = f[key] <= TARGET_RATIO * anchor if target else None
        return Row(
            SECTION,
            what,
            f[key],
            "ms",
            anchor,
            name,
            f"<= {TARGET_RATIO:g}x /reminders turn" if target else "",
            met,
        )

    return [
        Row(SECTION, "anchor: /reminders turn, no programs", anchor, "ms"),
        row("/programs turn, no programs", "empty", False),
        row(f"/programs turn (counts and warnings), {at}", "overview", True),
        row(f"tap a program's tier on its card, {at}", "tap", True),
        row(f"import a {rows}-row XLSX (read, check, store), one turn", "import", False),
        row(f"export XLSX and CSV, {at}, one turn", "export", False),
    ]
