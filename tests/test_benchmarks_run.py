"""`make bench` must keep working: its code runs here on tiny inputs (no timing asserted)."""

from __future__ import annotations

from pathlib import Path

from benchmarks.__main__ import (
    SCRIPT,
    bare_write,
    memory_per_user,
    pure_onboardings,
    service_onboardings,
)


async def test_every_benchmark_runs_end_to_end(tmp_path: Path) -> None:
    assert len(SCRIPT) > 20
    assert pure_onboardings(1) > 0
    assert await bare_write(2, f"sqlite:///{tmp_path / 'floor.db'}") > 0
    assert await service_onboardings(1, f"sqlite:///{tmp_path / 'turns.db'}") > 0
    assert await memory_per_user(1, f"sqlite:///{tmp_path / 'mem.db'}") > 0
