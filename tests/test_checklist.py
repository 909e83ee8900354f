"""The ERAS checklist (/checklist): items ticked from the trackers or by hand, due days from
the cycle, reminders a week before and on the day, and the application submitted ticking the
plan's milestone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from conversations import catalog
from conversations.messages import DialogueState, Press
from conversations.rules.checklist import check_exams, check_programs, check_readers
from conversations.rules.programs import Applicant, Program
from conversations.session import RecordView, UserView
from tests.coach_chat import CoachChat, onboard_us_md

CHICAGO = ZoneInfo("America/Chicago")


@pytest.fixture
def chat() -> CoachChat:
    chat = CoachChat()
    onboard_us_md(chat)  # Internal Medicine, no new exam needed; ERAS opens Jun 3, 2026
    return chat


def _item(chat: CoachChat, title: str) -> str:
    return next(x for x in chat.said.splitlines() if title in x and x[:1] in "✅⬜")


def _writer(key: str, specialty: str, status: str) -> RecordView:
    return RecordView("letter", key, {"name": key, "specialty": specialty, "status": status})


def _ready_before_eras(chat: CoachChat) -> None:
    """What the trackers would hold once the pre-ERAS items are done."""
    chat.records["letter"] = [
        _writer("w1", "Internal Medicine", "uploaded"),
        _writer("w2", "Cardiology", "uploaded"),
    ]
    chat.records["statement_review"] = [
        RecordView("statement_review", "r1", {"role": "faculty", "status": "done"}),
        RecordView("statement_review", "r2", {"role": "knows", "status": "done"}),
    ]
    chat.answers.setdefault("milestones", {})["cv_updated"] = "2026-05-01"


def test_the_checklist_lists_each_item_with_its_due_day(chat: CoachChat) -> None:
    chat.command("checklist")
    said = chat.said
    assert "Before ERAS opens, by Wed, Jun 3:" in said
    assert "At submission, by Tue, Sep 8:" in said
    assert "✅ Exams done, or booked with a study plan (no new exam in your plan)" in said
    assert "⬜ At least 2 strong letters from your specialty uploaded (0 of 2 uploaded)" in said
    assert "⬜ A broad program list, with enough community programs (0 of at least 60)" in said
    assert "7 to go." in said
    assert {"Open my letters", "Open my CV", "Done: application submitted"} <= set(chat.labels())


def test_items_tick_themselves_from_the_trackers(chat: CoachChat) -> None:
    _ready_before_eras(chat)
    chat.command("checklist")
    for title in ("strong letters", "CV showing", "Statement read"):
        assert _item(chat, title).startswith("✅"), title
    assert "Open my letters" not in chat.labels()
    # One reader is not enough, and a declined writer doesn't count.
    chat.records["statement_review"].pop()
    chat.records["letter"][1] = _writer("w2", "Cardiology", "declined")
    chat.command("checklist")
    assert "still to read it: someone who knows you" in _item(chat, "Statement read")
    assert "1 of 2 uploaded" in _item(chat, "strong letters")


def test_a_complete_group_stops_its_reminders_and_an_undo_brings_them_back(
    chat: CoachChat,
) -> None:
    before = chat.nudges("checklist:before_eras:")
    assert [n.due_at.astimezone(CHICAGO) for n in before] == [
        datetime(2026, 5, 27, 7, 0, tzinfo=CHICAGO),
        datetime(2026, 6, 3, 7, 0, tzinfo=CHICAGO),
    ]
    _ready_before_eras(chat)
    chat.command("checklist")
    assert chat.nudges("checklist:before_eras:") == []
    assert len(chat.nudges("checklist:submission:")) == 2
    assert chat.answers["checklist"]["before_eras_complete"] == "2026-03-25"
    # A letter taken back: the group is open again, and so are its reminders.
    chat.records["letter"].pop()
    chat.command("checklist")
    assert chat.answers["checklist"]["before_eras_complete"] is None
    assert len(chat.nudges("checklist:before_eras:")) == 2


def test_manual_items_tick_and_untick_and_submitting_ticks_the_plan(chat: CoachChat) -> None:
    chat.command("checklist")
    chat.tap("Done: letters assigned")
    assert "Ticked: Every letter assigned to your programs." in chat.said
    assert _item(chat, "Every letter assigned").startswith("✅")
    chat.tap("Undo: letters assigned")
    assert "Open again" in chat.said and chat.answers["checklist"]["letters_assigned"] is None
    chat.now = datetime(2026, 9, 3, 15, 0, tzinfo=UTC)
    chat.command("checklist")
    chat.tap("Done: application submitted")
    assert chat.answers["milestones"]["eras_submitted"] == "2026-09-03"
    assert not chat.nudges("plan:ms:eras_submitted")


def test_a_forged_button_changes_nothing(chat: CoachChat) -> None:
    chat.command("checklist")
    before = dict(chat.answers.get("checklist", {}))
    chat.send(Press("@ck.t.letters"))  # an item that ticks itself can't be ticked by hand
    assert "couldn't read that button" in chat.said
    chat.send(Press("@ck.zzz"))
    assert "couldn't read that button" in chat.said
    assert dict(chat.answers.get("checklist", {})) == before


def test_the_reminders_over_the_months_say_what_is_due(chat: CoachChat) -> None:
    rows = chat.nudges("checklist:")
    assert [n.key for n in rows] == [
        "checklist:before_eras:before",
        "checklist:before_eras:day",
        "checklist:submission:before",
        "checklist:submission:day",
    ]
    week_before = catalog.render_nudge(rows[0].kind, rows[0].payload)
    assert week_before is not None
    assert "Wed, Jun 3 is when ERAS opens" in week_before.text
    assert "Statement read by a faculty member" in week_before.text
    assert [b.label for row in week_before.buttons for b in row] == ["Open my checklist"]
    s = catalog.session(DialogueState(), UserView(), chat.now)
    assert s.describe_nudge(rows[0].kind, rows[0].payload) == "ERAS checklist: before ERAS opens"
    # A month passes after submission day: nothing more is planned.
    chat.now = rows[-1].due_at + timedelta(days=30)
    chat.command("settings")
    assert all(n.due_at < chat.now for n in chat.nudges("checklist:"))


def test_the_checks_in_plain_words() -> None:
    assert check_exams(["level3_booked", "level3_done"], []) == (False, "not booked yet")
    assert check_exams(["level3_booked", "level3_done"], ["level3_booked"]) == (True, "booked")
    assert check_exams(["retake_done", "level2_done"], ["retake_done", "level2_done"]) == (
        True,
        "done",
    )
    assert check_readers([{"role": "faculty", "status": "asked"}]) == (
        False,
        "still to read it: faculty and someone who knows you",
    )
    im = Applicant(specialty="Internal Medicine")
    many = [
        Program(f"p{i}", f"P{i}", state="OH", setting="community", tier="green") for i in range(60)
    ]
    assert check_programs(many, im) == (True, "60 programs")
    academic = [
        Program(f"a{i}", "A", state="OH", setting="academic", tier="green") for i in range(60)
    ]
    assert check_programs(academic, im) == (False, "too few community programs")


def test_the_checklist_needs_a_profile() -> None:
    chat = CoachChat()
    chat.command("checklist")
    assert "profile" in chat.said.lower()
    assert date(2026, 6, 3)  # the cycle's day used above
