"""A turn reads one row: the user with their dialogue state, which carries what every turn
needs (the latest answers, when each event last happened). Before migration 0007 a turn
also read every answer the user ever gave (with a sort) and the events table: two more
queries on every message, growing with the user's history.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, text

from bot.service import CoachService, Who
from conversations.messages import Command, Text
from tests.coach_chat import SEED_ONBOARDING, scripted_input
from tests.conftest import Clock
from tests.test_service import MAYA, onboarded


@contextmanager
def statements(service: CoachService) -> Iterator[list[str]]:
    """Every statement the service sends while the block runs (BEGIN included)."""
    sent: list[str] = []

    def keep(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        sent.append(" ".join(statement.split()))

    engine = service.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", keep)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", keep)


def tables_read(sent: list[str]) -> list[str]:
    return [s.split(" FROM ")[1].split()[0] for s in sent if s.startswith("SELECT ")]


async def test_a_turn_in_the_middle_of_a_flow_reads_one_row_and_writes_two(
    service: CoachService,
) -> None:
    last = None
    per_turn: list[list[str]] = []
    for step in SEED_ONBOARDING[:-1]:  # the last step plans the year: many rows, on purpose
        with statements(service) as sent:
            last = await service.handle(MAYA, scripted_input(step, last))
        per_turn.append(sent)
    for sent in per_turn[1:]:  # the first turn creates the user
        reads = tables_read(sent)
        writes = [s for s in sent if s.startswith(("INSERT", "UPDATE", "DELETE"))]
        # One read of the user joined with their state (PostgreSQL takes the user's lock by
        # a statement of its own before it); never the answers or events tables.
        assert reads[-1] == "users", sent
        assert set(reads) == {"users"}, sent
        assert len(reads) == (1 if service.db.dialect == "sqlite" else 2), sent
        # At most the answer and the state.
        assert len(writes) <= 2, sent
        assert writes[-1].startswith("UPDATE dialogue_states"), sent


async def test_planning_the_year_is_one_insert_of_reminders(service: CoachService) -> None:
    last = None
    for step in SEED_ONBOARDING[:-1]:
        last = await service.handle(MAYA, scripted_input(step, last))
    with statements(service) as sent:
        await service.handle(MAYA, scripted_input(SEED_ONBOARDING[-1], last))
    async with service.db.unit_of_work() as repo:
        user = await repo.users.find("telegram", MAYA.external_id)
        assert user is not None
        planned = await repo.nudges.pending(user.id)
    assert len(planned) > 20
    # Each run of reminders the plan writes goes in one statement, not one per reminder.
    inserts = [s for s in sent if s.startswith("INSERT INTO nudges")]
    assert 1 <= len(inserts) <= 3, len(inserts)


async def test_what_the_state_row_carries_matches_the_tables(
    service: CoachService, clock: Clock
) -> None:
    user_id = await onboarded(service)
    await service.handle(MAYA, Text("I want to kill myself"))  # support shown: an event
    clock.advance(hours=2)
    await service.handle(MAYA, Command("profile"))
    async with service.db.unit_of_work() as repo:
        carried = await repo.remembered(user_id)
        answers = await repo.answers.latest(user_id)
        events = await repo.events.last_of(user_id)
    assert carried.answers == answers
    assert carried.last_events == events
    assert "crisis_support_shown" in carried.last_events
    assert carried.answers["onboarding"]["name"] == "Maya"


async def test_a_state_row_from_before_the_columns_is_built_once_from_the_tables(
    service: CoachService,
) -> None:
    user_id = await onboarded(service)
    async with service.db.unit_of_work() as repo:
        await repo.session.execute(
            text("UPDATE dialogue_states SET answers = NULL, last_events = NULL")
        )
    with statements(service) as sent:
        turn = await service.handle(MAYA, Command("profile"))
    assert "Maya" in turn.replies[0].text and "223" in turn.replies[0].text
    assert {"answers", "events"} <= set(tables_read(sent))  # built from the tables, once
    with statements(service) as sent:
        turn = await service.handle(MAYA, Command("profile"))
    assert "Maya" in turn.replies[0].text and "223" in turn.replies[0].text
    assert set(tables_read(sent)) == {"users"}  # and carried by the row from then on
    async with service.db.unit_of_work() as repo:
        assert (await repo.remembered(user_id)).answers == await repo.answers.latest(user_id)


async def test_an_answer_stored_outside_a_turn_reaches_the_next_turn(
    service: CoachService,
) -> None:
    user_id = await onboarded(service)
    async with service.db.unit_of_work() as repo:  # a script, a support fix, a test
        await repo.answers.add(user_id, "onboarding", "name", "Maia", "Maia")
    turn = await service.handle(MAYA, Command("profile"))
    assert "Maia" in turn.replies[0].text


async def test_another_users_answers_never_ride_on_this_users_row(
    service: CoachService,
) -> None:
    await onboarded(service)
    other = Who("telegram", "777", "Sam")
    turn = await service.handle(other, Command("start"))
    assert "Maya" not in turn.replies[0].text
    turn = await service.handle(other, Command("profile"))
    assert "Maya" not in " ".join(r.text for r in turn.replies)
    assert "223" not in " ".join(r.text for r in turn.replies)
