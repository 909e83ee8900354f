"""The service on real databases: one unit of work per message, restarts lose nothing."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import text

from bot.service import CoachService, Who
from conversations.messages import Command, Press, Text, Turn
from storage.db import Database
from tests.conftest import Clock

MAYA = Who("telegram", "4242", "Maya")


def button_of(turn: Turn, label: str) -> Press:
    for reply in turn.replies:
        for row in reply.buttons:
            for button in row:
                if button.label == label:
                    return Press(button.data)
    raise AssertionError(f"no {label!r} button")


async def test_a_restart_between_two_messages_loses_nothing(db_url: str, clock: Clock) -> None:
    first = CoachService(Database(db_url), clock=clock)
    await first.db.migrate()
    turn = await first.handle(MAYA, Command("start"))
    turn = await first.handle(MAYA, button_of(turn, "Maya"))
    await first.handle(MAYA, button_of(turn, "US MD"))
    await first.db.dispose()  # the process goes away

    second = CoachService(Database(db_url), clock=clock)
    await second.db.migrate()
    try:
        turn = await second.handle(MAYA, Text("Internal Medicine"))
        assert "How many programs" in turn.replies[0].text, "resumed at the same question"
        async with second.db.unit_of_work() as repo:
            user = await repo.users.get_or_create("telegram", "4242", None)
            profile = (await repo.answers.latest(user.id))["onboarding"]
        assert profile == {"name": "Maya", "degree": "us_md", "specialty": "Internal Medicine"}
    finally:
        await second.db.dispose()


async def test_export_sends_a_json_file_of_everything(service: CoachService) -> None:
    await service.handle(MAYA, Command("start"))
    await service.handle(MAYA, Text("Dr. Maya"))
    turn = await service.handle(MAYA, Command("export"))
    docs = [r.document for r in turn.replies if r.document is not None]
    assert len(docs) == 1 and docs[0].filename.endswith(".json")
    data = json.loads(docs[0].content)
    assert data["user"]["first_name"] == "Maya"
    assert [(a["key"], a["raw_text"], a["value"]) for a in data["answers"]] == [
        ("name", "Dr. Maya", "Dr. Maya")
    ]
    assert data["dialogue_states"][0]["step"] == "degree"


async def test_delete_erases_every_row_and_start_begins_fresh(service: CoachService) -> None:
    other = Who("telegram", "999", "Sam")
    await service.handle(other, Command("start"))
    turn = await service.handle(MAYA, Command("start"))
    await service.handle(MAYA, Text("Maya"))
    turn = await service.handle(MAYA, Command("delete"))
    turn = await service.handle(MAYA, button_of(turn, "Yes, delete everything"))
    assert "erased" in turn.replies[0].text
    async with service.db.engine.connect() as conn:
        users = (await conn.execute(text("SELECT external_id FROM users"))).scalars().all()
        answers = (await conn.execute(text("SELECT count(*) FROM answers"))).scalar()
    assert users == ["999"] and answers == 0
    turn = await service.handle(MAYA, Command("start"))
    assert "what should I call you" in "".join(r.text for r in turn.replies)


async def test_crisis_is_recorded_without_the_words(service: CoachService) -> None:
    await service.handle(MAYA, Command("start"))
    turn = await service.handle(MAYA, Text("I want to kill myself"))
    assert "988" in turn.replies[0].text
    async with service.db.engine.connect() as conn:
        events = (await conn.execute(text("SELECT kind, detail FROM events"))).all()
        answers = (await conn.execute(text("SELECT count(*) FROM answers"))).scalar()
        step = (await conn.execute(text("SELECT step FROM dialogue_states"))).scalar()
    assert answers == 0, "a crisis message is never taken as an answer"
    assert step == "name"
    assert ("crisis_support_shown",) in [(e[0],) for e in events]
    assert "kill" not in json.dumps([list(map(str, e)) for e in events])


async def onboarded(service: CoachService) -> int:
    from tests.coach_chat import SEED_ONBOARDING, scripted_input

    last = None
    for step in SEED_ONBOARDING:
        last = await service.handle(MAYA, scripted_input(step, last))
    async with service.db.unit_of_work() as repo:
        user = await repo.users.find("telegram", MAYA.external_id)
        assert user is not None
        return user.id


async def test_onboarding_stores_the_years_nudges(service: CoachService) -> None:
    user_id = await onboarded(service)
    async with service.db.unit_of_work() as repo:
        pending = await repo.nudges.pending(user_id)
    keys = [n.key for n in pending]
    assert sum(k.startswith("plan:") for k in keys) == 34
    assert sorted(k for k in keys if k.startswith("routine:")) == [
        "routine:daily",
        "routine:weekly",
    ]
    assert all(n.payload["tz"] == "America/Chicago" for n in pending)


async def test_resume_lets_go_of_what_fell_due_long_ago(
    service: CoachService, clock: Clock
) -> None:
    user_id = await onboarded(service)
    await service.handle(MAYA, Command("pause"))
    clock.advance(days=20)  # past the post-mortem and target milestones
    await service.handle(MAYA, Command("resume"))
    async with service.db.unit_of_work() as repo:
        pending = await repo.nudges.pending(user_id)
        user = await repo.users.find("telegram", MAYA.external_id)
    assert user is not None and user.paused_at is None
    assert pending and all(n.due_at > clock.now - timedelta(days=1) for n in pending)


async def test_a_nudge_button_only_ever_touches_the_users_own_nudges(
    service: CoachService,
) -> None:
    await onboarded(service)
    sam = Who("telegram", "777", "Sam")
    async with service.db.unit_of_work() as repo:
        maya = await repo.users.find("telegram", MAYA.external_id)
        assert maya is not None
        target = (await repo.nudges.pending(maya.id))[0].id
    turn = await service.handle(sam, Press(f"@nd.done.{target}"))
    assert "isn't there anymore" in turn.replies[0].text
    async with service.db.unit_of_work() as repo:
        assert (await repo.nudges.pending(maya.id))[0].id == target, "Maya's nudge untouched"
    turn = await service.handle(MAYA, Press(f"@nd.done.{target}"))
    assert "Marked done" in turn.replies[0].text


async def test_a_reminder_button_with_a_digit_int_cannot_read_is_answered(
    service: CoachService,
) -> None:
    """Found by tests/test_properties.py: a forged reminder button naming its reminder with a
    digit ``int`` cannot read ("²" is a digit to ``str.isdigit``) raised."""
    user_id = await onboarded(service)
    for data in ["@nd.done.²", "@nd.hour.³", "@nd.tomorrow.¹"]:
        turn = await service.handle(MAYA, Press(data))
        assert "isn't there anymore" in turn.replies[0].text, data
    async with service.db.unit_of_work() as repo:
        assert all(n.state == "pending" for n in await repo.nudges.pending(user_id))
        assert len(await repo.nudges.pending(user_id)) == 40


async def test_a_reminder_button_naming_an_id_past_any_row_is_answered(
    service: CoachService,
) -> None:
    """Found by tests/test_properties.py: a forged reminder button naming an id past what
    PostgreSQL's integer column holds raised there (asyncpg refuses the parameter)."""
    user_id = await onboarded(service)
    for data in ["@nd.done.2147483648", "@nd.hour.99999999999", "@nd.done.999999999999999999"]:
        turn = await service.handle(MAYA, Press(data))
        assert "isn't there anymore" in turn.replies[0].text, data
    async with service.db.unit_of_work() as repo:
        assert await repo.nudges.get(user_id, -1) is None
        assert len(await repo.nudges.pending(user_id)) == 40


async def test_a_user_who_blocked_the_bot_and_came_back_is_re_planned(
    service: CoachService, clock: Clock
) -> None:
    user_id = await onboarded(service)
    async with service.db.unit_of_work() as repo:
        await repo.users.mark_blocked(user_id, clock.now)
    async with service.db.unit_of_work() as repo:
        assert await repo.nudges.pending(user_id) == []
    await service.handle(MAYA, Text("hello again"))
    async with service.db.unit_of_work() as repo:
        user = await repo.users.find("telegram", MAYA.external_id)
        pending = await repo.nudges.pending(user_id)
    assert user is not None and user.blocked_at is None
    assert len(pending) == 40, (
        "the plan's 34, the daily and weekly check-ins, the ERAS checklist's 4"
    )
