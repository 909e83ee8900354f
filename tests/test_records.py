"""The one path every tracker's items take: ``PutRecord``/``DropRecord`` stored per user on
real SQLite and PostgreSQL, read back by kind, in /export, erased by /delete, and seen by the
session (``Session.after``) so a milestone can be ticked from what the items say."""

from __future__ import annotations

from datetime import UTC, datetime

from bot import reads
from bot.effects import Store, apply, export_file
from conversations import engine
from conversations.engine import Flow, Question
from conversations.messages import (
    DialogueState,
    DropRecord,
    PutRecord,
    RecordEvent,
    SaveAnswer,
    Text,
    Turn,
)
from conversations.session import (
    MILESTONES_FLOW,
    CoachConfig,
    Completes,
    Feature,
    Reads,
    RecordView,
    Session,
    UserView,
)
from storage.db import Database

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


async def test_items_are_kept_per_user_replaced_by_key_and_dropped(db: Database) -> None:
    async with db.unit_of_work() as repo:
        maya = await repo.users.get_or_create("telegram", "1", "Maya")
        omar = await repo.users.get_or_create("telegram", "2", "Omar")
        await apply(
            Store(repo, maya.id, NOW),
            (
                PutRecord("letter", "w1", {"name": "Dr. Reyes", "status": "to_ask"}),
                PutRecord("letter", "w2", {"name": "Dr. Kim", "status": "asked"}),
                PutRecord("exam", "e1", {"exam": "Step 3"}),
            ),
        )
        await apply(Store(repo, omar.id, NOW), (PutRecord("letter", "w1", {"name": "Dr. Ng"}),))
    async with db.unit_of_work() as repo:
        # An edit replaces the item under its key; a drop removes it; Omar's is untouched.
        await apply(
            Store(repo, maya.id, NOW),
            (
                PutRecord("letter", "w1", {"name": "Dr. Reyes", "status": "agreed"}),
                DropRecord("letter", "w2"),
            ),
        )
    async with db.unit_of_work() as repo:
        loaded = await reads.load(repo, maya.id, Text("x"), {"records:letter"}, NOW)
        both = await reads.load(repo, maya.id, Text("x"), {"records:letter", "records:cv"}, NOW)
        his = await reads.load(repo, omar.id, Text("x"), {"records:letter"}, NOW)
    letters = loaded["records"]["letter"]
    assert [(r.key, dict(r.content)) for r in letters] == [
        ("w1", {"name": "Dr. Reyes", "status": "agreed"})
    ]
    assert "exam" not in loaded["records"]  # only the kinds a turn reads are loaded
    assert both["records"]["cv"] == ()
    assert [r.content["name"] for r in his["records"]["letter"]] == ["Dr. Ng"]


async def test_items_are_in_the_export_and_erased_with_the_user(db: Database) -> None:
    async with db.unit_of_work() as repo:
        maya = await repo.users.get_or_create("telegram", "1", "Maya")
        await apply(Store(repo, maya.id, NOW), (PutRecord("cv", "c1", {"title": "QI project"}),))
    async with db.unit_of_work() as repo:
        exported = await export_file(repo, maya.id, NOW)
        assert b'"QI project"' in exported.content
        await repo.delete_user(maya.id)
    async with db.unit_of_work() as repo:
        assert await repo.records.of_kinds(maya.id, {"cv"}) == []


def _writers_asked(user: UserView) -> bool:
    return sum(r.content.get("status") == "asked" for r in user.records_of("letter")) >= 2


_TRACKER = Feature(
    name="tracker",
    completes=(Completes("letters_asked", holds=_writers_asked, kinds=frozenset({"letter"})),),
    reads=(Reads.records("letter", commands=frozenset({"letters"})),),
)


def _session(user: UserView) -> Session:
    return Session(DialogueState(), user, NOW, CoachConfig(), {}, features=(_TRACKER,))


def test_a_milestone_is_ticked_when_the_items_after_the_turn_say_so() -> None:
    one = UserView(records={"letter": ()})
    first = _session(one).settle(
        Turn((), DialogueState(), (PutRecord("letter", "a", {"status": "asked"}),))
    )
    assert not any(isinstance(e, SaveAnswer) for e in first.effects)  # one writer is not two

    has_one = _session(one).after(first.effects).user
    second = _session(has_one).settle(
        Turn((), DialogueState(), (PutRecord("letter", "b", {"status": "asked"}),))
    )
    ticks = [e for e in second.effects if isinstance(e, SaveAnswer)]
    assert [(t.flow, t.key, t.value) for t in ticks] == [
        (MILESTONES_FLOW, "letters_asked", "2026-06-01")
    ]


def test_a_turn_that_touches_no_item_of_those_kinds_ticks_nothing() -> None:
    asked = UserView(
        records={
            "letter": tuple(
                _session(UserView())
                .after(
                    PutRecord("letter", k, {"status": "asked"})
                    for k in "ab"  # type: ignore[arg-type]
                )
                .user.records_of("letter")
            )
        }
    )
    turn = _session(asked).settle(Turn((), DialogueState(), (RecordEvent("other"),)))
    assert not any(isinstance(e, SaveAnswer) for e in turn.effects)


def test_after_sees_edits_and_drops() -> None:
    s = _session(UserView())
    view = s.after(
        (
            PutRecord("letter", "a", {"status": "to_ask"}),
            PutRecord("letter", "b", {"status": "asked"}),
            PutRecord("letter", "a", {"status": "agreed"}),
            DropRecord("letter", "b"),
        )
    ).user
    assert [(r.key, r.content["status"]) for r in view.records_of("letter")] == [("a", "agreed")]
    assert view.record("letter", "a") is not None and view.record("letter", "b") is None


# An item run: a flow that fills in one tracker item (adding it, or changing one field).
_THING = Flow(
    name="thing",
    code="th",
    fresh_runs=True,
    questions=(
        Question("name", "Name", "Their name?", parse=lambda text, _ctx: text),
        Question("role", "Role", "Their role?", parse=lambda text, _ctx: text),
    ),
)


def test_an_item_run_asks_every_question_for_a_new_item_and_gives_it_whole() -> None:
    begun = Session(DialogueState(), UserView(), NOW, CoachConfig(), {"thing": _THING}).begin(
        _THING, item=("thing", "t1")
    )
    assert begun.replies[0].text.endswith("Their name?")
    s = Session(begun.state, UserView(), NOW, CoachConfig(), {"thing": _THING})
    out = engine.handle_text(_THING, s.state, "Dr. Reyes", s.ctx(_THING))
    assert out.replies[0].text.endswith("Their role?") and not out.finished
    view = s.after(out.effects).user  # the run's answers, as the next turn sees them
    s2 = Session(out.state, view, NOW, CoachConfig(), {"thing": _THING})
    assert s2.item == ("thing", "t1")  # the item is kept to the run's end
    last = engine.handle_text(_THING, s2.state, "Program director", s2.ctx(_THING))
    assert last.finished
    assert s2.item_content(_THING, last.effects) == {
        "name": "Dr. Reyes",
        "role": "Program director",
    }


def test_an_item_run_at_one_field_asks_only_that_one_and_keeps_the_rest() -> None:
    held = UserView(
        records={"thing": (RecordView("thing", "t1", {"name": "Dr. Reyes", "role": "PD"}),)},
        # A different item's answers from an earlier run never count for this one.
        answers={"thing": {"name": "Dr. Kim", "role": "Chief"}},
    )
    base = Session(DialogueState(), held, NOW, CoachConfig(), {"thing": _THING})
    begun = base.begin(_THING, key="role", item=("thing", "t1"))
    assert begun.replies[0].text.endswith("Saved answer: PD")
    s = Session(begun.state, held, NOW, CoachConfig(), {"thing": _THING})
    out = engine.handle_text(_THING, s.state, "Clerkship director", s.ctx(_THING))
    assert out.finished
    assert s.item_content(_THING, out.effects) == {
        "name": "Dr. Reyes",
        "role": "Clerkship director",
    }
