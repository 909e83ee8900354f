"""`make bench` must keep working: the small versions of its benchmarks run here (no timing
is asserted, only that every figure is there and sane), and a user of the bulk-built
database is one the coach carries on with like any other."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from benchmarks import __main__ as bench
from benchmarks import nudges, population, updates
from benchmarks.report import Row
from bot.nudges import NudgeSweeper
from bot.service import CoachService, Who
from conversations import catalog
from conversations.messages import Command
from storage.db import Database


@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("bench-cache")


@pytest.fixture(autouse=True)
def cache(shared_cache: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Built databases go to a folder of these tests (the template users are onboarded once
    for all of them), never to benchmarks/.cache."""
    monkeypatch.setattr(population, "CACHE", shared_cache)
    return shared_cache


def _by_figure(rows: list[Row], section: str) -> dict[str, Row]:
    assert rows and all(r.section == section for r in rows)
    by_figure = {r.what: r for r in rows}
    assert len(by_figure) == len(rows), "two rows with one name"
    return by_figure


async def test_the_updates_benchmark_runs_small() -> None:
    rows = _by_figure(await updates.run(small=True), "updates")
    for users in updates.SMALL.sizes:
        size = f"{users:,} users"
        for figure in ("echo anchor", "store anchor", "project (limiter pacing 0)"):
            assert rows[f"{figure}, {size}"].value > 0
            assert rows[f"{figure}, {size}"].unit == "updates/s"
        project = rows[f"project (limiter pacing 0), {size}"]
        assert project.anchor == rows[f"store anchor, {size}"].value
        assert project.target and project.met is not None
        for latency in ("p50", "p99"):
            row = rows[f"project {latency} latency, {size}"]
            assert row.value > 0 and row.unit == "ms" and row.anchor and row.anchor > 0
        assert rows[f"project p99 latency, {size}"].target == "<= 5 ms"
        errors = rows[f"errors: logged, apologised, unanswered (all three bots), {size}"]
        assert errors.value == 0 and errors.met is True


async def test_the_nudges_benchmark_runs_small() -> None:
    rows = _by_figure(await nudges.run(small=True), "nudges")
    due = f"{nudges.SMALL.due:,} due"
    for users in nudges.SMALL.sizes:
        size = f"{users:,} users"
        assert rows[f"pending reminders stored, {size}"].value >= 30 * users
        for figure, unit in (
            ("start-up of the reminder machinery", "s"),
            ("extra memory (RSS) at start-up", "MiB"),
        ):
            row = rows[f"{figure}, {size}"]
            assert row.unit == unit and row.value > 0 and row.anchor and row.anchor > 0
            assert row.anchor_name.startswith("naive JobQueue") and row.met is not None
        claim = rows[f"claim + render {due}, {size}"]
        assert claim.value > 0 and claim.target == "< 100 ms"
        assert (
            rows[f"whole sweep of {due} (claim, render, no-op send, record each), {size}"].value > 0
        )


async def test_a_bulk_built_user_carries_on_like_any_other(tmp_path: Path, cache: Path) -> None:
    built = await population.cached(12)
    assert built.path.parent == cache and built.seconds > 0, "12 users: built here"
    assert (await population.cached(12)).seconds == 0, "the second time it comes from the cache"
    path = population.copy_of(built, tmp_path)
    copied, template = 12, (12 - 1) % len(population.TEMPLATES) + 1  # user 12 copies user 4
    later = population.ONBOARDED_AT + timedelta(days=1)
    service = CoachService(Database(population.url_of(path)), clock=lambda: later)
    try:
        who = Who("telegram", str(population.chat_id(copied)), population.FIRST_NAME)
        turn = await service.handle(who, Command("checkin"))
        assert "Daily check-in" in turn.replies[0].text
        async with service.db.unit_of_work() as repo:
            user = await repo.users.find("telegram", who.external_id)
            assert user is not None and user.id == copied
            assert await repo.answers.latest(copied) == await repo.answers.latest(template)
            ours, theirs = await repo.nudges.pending(copied), await repo.nudges.pending(template)
        assert [(n.kind, n.key) for n in ours] == [(n.kind, n.key) for n in theirs]
        assert len(ours) >= 30
        shifts = {n.due_at - t.due_at for n, t in zip(ours, theirs, strict=True)}
        assert len(shifts) == 1 and shifts.pop() % timedelta(days=1) == timedelta(0)
        assert all(catalog.render_nudge(n.kind, n.payload) is not None for n in ours)

        # The sweep sends their first reminder when it falls due.
        sender = nudges.NullSender()
        first = ours[0].due_at
        sweeper = NudgeSweeper(service.db, sender, clock=lambda: first, per_second=1e9)
        report = await sweeper.sweep_once()
        assert report.sent >= 1 and report.failed == 0
        async with service.db.unit_of_work() as repo:
            assert ours[0].id not in {n.id for n in await repo.nudges.pending(copied)}
    finally:
        await service.db.dispose()


def test_the_cli_runs_what_it_is_asked_and_names_the_machine(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    async def fake(small: bool) -> list[Row]:
        return [Row("updates", f"small={small}", 1.0, "updates/s")]

    monkeypatch.setattr(updates, "run", fake)
    assert bench.main(["--small", "--only", "updates"]) == 0
    out = capsys.readouterr().out
    assert "| updates | small=True | 1 updates/s |" in out
    assert "machine:" in out and "CPUs" in out
    assert bench.load("no_such_benchmark") is None


async def test_the_programs_benchmark_runs_small() -> None:
    from benchmarks import programs

    rows = await programs.run(small=True)
    figures = {r.what: r for r in rows}
    assert len(figures) == 6 and all(r.section == "programs" and r.value > 0 for r in rows)
    overview = figures["/programs turn (counts and warnings), 12 programs"]
    assert overview.anchor is not None and overview.target == "<= 3x /reminders turn"
