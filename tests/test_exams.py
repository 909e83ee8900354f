"""/exams as a user lives it: the branch their profile holds (the same as the plan's), an
exam recorded, edited and removed, the countdown at their own hour over weeks, the result
asked for and recorded from the reminder, the plan ticked, and bad input met kindly."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.effects import export_file
from bot.service import CoachService, Who
from conversations import catalog
from conversations.coach import DELETE_YES
from conversations.messages import (
    CancelNudges,
    Command,
    DialogueState,
    Press,
    ScheduleNudge,
    Text,
)
from conversations.session import UserView
from tests.coach_chat import SEED_ONBOARDING, CoachChat, onboard_us_md, scripted_input

CHICAGO = ZoneInfo("America/Chicago")


def _chat(**profile: Any) -> CoachChat:
    """The seed's worked example (US MD, IM, Chicago, check-in at 7am, Match 2027), with
    ``profile`` answers changed as if edited in /profile."""
    chat = CoachChat()
    onboard_us_md(chat)
    assert chat.answers["plan"]["season"] == 2027  # applications go to programs Sep 2, 2026
    chat.answers["onboarding"].update(profile)
    return chat


def _add(chat: CoachChat, exam: str, day: str, hours: str = "15") -> str:
    chat.command("exams")
    chat.tap("Add an exam")
    chat.tap(exam)
    if day == "not booked":
        chat.tap("Not booked yet")
    else:
        chat.text(day)
    chat.text(hours)
    chat.tap("question-bank")
    chat.tap("Done")
    return chat.records["exam"][-1].key


def _local(n: Any) -> datetime:
    return n.due_at.astimezone(CHICAGO)


# ---------------------------------------------------------------- the branches


def test_a_failed_exam_means_a_retake_within_three_to_six_months_with_a_formal_plan() -> None:
    chat = _chat(step2="fail", exam_failures=["level2"])
    chat.command("exams")
    said = chat.said
    assert "Step 2 CK hasn't been passed yet, so a retake comes first" in said
    assert "within 3 to 6 months" in said and "a tutor or a structured course" in said
    chat.tap("Add an exam")
    assert chat.labels()[0] == "Step 2 CK (retake)", "the plan's exam comes first"
    # /plan agrees: its exam milestones are the retake's.
    plan = UserView(answers=chat.answers).plan
    assert plan is not None and plan.milestone("retake_booked") is not None
    assert plan.milestone("level3_booked") is None


def test_a_failed_step1_without_step2_retakes_first_then_takes_step2() -> None:
    chat = _chat(degree="img", step1="fail", step2="not_taken", exam_failures=["level1"])
    chat.command("exams")
    assert "Step 1 hasn't been passed yet, so a retake comes first" in chat.said
    assert "After it comes Step 2 CK (your plan says" in chat.said


def test_a_low_passing_step2_into_im_means_step3_in_six_to_nine_months_no_retake() -> None:
    chat = _chat(step2=215)
    chat.command("exams")
    said = chat.said
    assert "passed but is on the low side" in said and "isn't retaken" in said
    assert "within the next 6 to 9 months" in said and "internal medicine" in said
    assert "question-bank pass" in said and "case simulations" in said
    assert "trend is up" in said
    plan = UserView(answers=chat.answers).plan
    assert plan is not None and plan.milestone("level3_done") is not None
    due = plan.milestone("level3_done").due  # type: ignore[union-attr]
    assert f"your plan says {due:%a, %b} {due.day}" in said


def test_an_img_without_step2_takes_it_by_early_summer_for_the_score_to_be_in() -> None:
    chat = _chat(degree="img", step2="not_taken", step1="pass", usce_months=6)
    chat.command("exams")
    said = chat.said
    assert "You don't have a Step 2 CK score yet" in said
    assert "late spring or early summer at the latest" in said
    assert "Applications go to programs from Wed, Sep 2, 2026" in said
    assert "230 or more helps" in said


def test_the_worked_example_needs_no_new_exam_and_may_still_record_one() -> None:
    chat = _chat()  # Step 2 223: not low, no failures
    chat.command("exams")
    assert "doesn't call for a new exam this year" in chat.said
    assert "you can still record it here" in chat.said
    key = _add(chat, "Step 3", "October 1")
    assert chat.records["exam"][0].content["exam"] == "Step 3"
    assert chat.nudges(f"exam:{key}:"), "its countdown is planned all the same"
    assert "milestones" not in chat.answers, "nothing in the plan to tick"


# ---------------------------------------------------------------- recording, editing, removing


def test_an_exam_is_recorded_edited_and_removed_with_its_reminders() -> None:
    chat = _chat(step2=215)
    key = _add(chat, "Step 3", "August 20", "12")
    item = chat.records["exam"][0]
    assert item.content == {
        "exam": "Step 3",
        "date": "2026-08-20",
        "hours": 12.0,
        "prep": ["qbank"],
        "added": "2026-03-25",
    }
    assert chat.answers["milestones"]["level3_booked"] == "2026-03-25", "a date ticks booked"
    assert "level3_done" not in chat.answers["milestones"]
    assert [n.key.rsplit(":", 1)[1] for n in chat.nudges("exam:")] == [
        "d56",
        "d28",
        "d14",
        "d7",
        "d1",
        "result",
    ]

    chat.command("exams")
    chat.tap("Open: Step 3")
    assert "Step 3: Thu, Aug 20" in chat.said and "One full question-bank pass" in chat.said
    assert "I passed ✓" not in chat.labels(), "no result before the exam"
    chat.tap("Change the date")
    assert "Saved answer: Thu, Aug 20" in chat.said
    chat.text("July 30")
    assert chat.records["exam"][0].content["date"] == "2026-07-30"
    assert chat.records["exam"][0].content["hours"] == 12.0, "the rest is kept"
    assert "Updated: Step 3: Thu, Jul 30" in chat.said
    days = [_local(n).date().isoformat() for n in chat.nudges("exam:")]
    # The old countdown went; the new one follows the new date.
    assert days == [
        "2026-06-04",
        "2026-07-02",
        "2026-07-16",
        "2026-07-23",
        "2026-07-29",
        "2026-08-01",
    ]

    chat.tap("See my exams")
    chat.tap("Open: Step 3")
    chat.tap("Change the hours")
    chat.text("20 hours")
    assert chat.records["exam"][0].content["hours"] == 20.0

    chat.command("exams")
    chat.tap("Open: Step 3")
    chat.tap("Remove this exam")
    assert "Remove Step 3 and its reminders?" in chat.said
    chat.tap("No, keep it")
    assert chat.records["exam"], "kept"
    chat.tap("Remove this exam")
    chat.tap("Yes, remove it")
    assert chat.records["exam"] == [] and chat.nudges("exam:") == []
    assert key not in str(chat.nudges())
    chat.send(Press(f"@ex.rmy.{key}"))
    assert chat.last is not None and chat.last.toast == "Already removed"


def test_not_booked_yet_plans_no_countdown_until_a_date_comes() -> None:
    chat = _chat(degree="img", step2="not_taken", step1="pass", usce_months=6)
    _add(chat, "Step 2 CK", "not booked")
    assert "Once you book a date, add it here" in chat.said
    assert chat.nudges("exam:") == []
    assert "level2_booked" not in chat.answers.get("milestones", {})
    chat.command("exams")
    assert "Step 2 CK: not booked yet" in chat.said
    chat.tap("Open: Step 2 CK")
    assert "I passed ✓" in chat.labels(), "already sat elsewhere: the result can be recorded"
    chat.tap("Change the date")
    chat.text("June 10")
    assert chat.answers["milestones"]["level2_booked"] == "2026-03-25"
    assert len(chat.nudges("exam:")) == 6


def test_delete_erases_the_exams() -> None:
    chat = _chat(step2=215)
    _add(chat, "Step 3", "August 20")
    chat.command("delete")
    chat.tap("Yes")
    assert chat.deleted and chat.records == {}


# ---------------------------------------------------------------- over weeks


def test_the_countdown_arrives_at_their_hour_then_the_result_ticks_the_plan() -> None:
    chat = _chat(step2=215)
    key = _add(chat, "Step 3", "June 25")  # 13 weeks ahead
    rows = chat.nudges(f"exam:{key}:")
    assert [(_local(n).strftime("%Y-%m-%d %H:%M")) for n in rows] == [
        "2026-04-30 07:00",  # 8 weeks before, at their 7am in Chicago
        "2026-05-28 07:00",
        "2026-06-11 07:00",
        "2026-06-18 07:00",
        "2026-06-24 07:00",  # the day before
        "2026-06-27 07:00",  # how did it go?
    ]
    sent: list[str] = []
    result_reply = None
    for _week in range(15):  # a fake clock over 14 weeks, a reminder sweep each day
        for _ in range(7):
            chat.now += timedelta(days=1)
            for n in chat.nudges(f"exam:{key}:"):
                if n.due_at <= chat.now:
                    reply = catalog.render_nudge(n.kind, n.payload)
                    assert reply is not None
                    sent.append(reply.text.split("\n")[0])
                    chat._set_state({n.id}, "sent")
                    if n.kind == "exam_result":
                        result_reply = reply
    assert sent == [
        "8 weeks to Step 3 (Thu, Jun 25).",
        "4 weeks to Step 3 (Thu, Jun 25).",
        "2 weeks to Step 3 (Thu, Jun 25).",
        "One week to Step 3 (Thu, Jun 25).",
        "Step 3 is tomorrow.",
        "How did Step 3 go on Thu, Jun 25? Scores usually take about 4 weeks. Whenever you "
        "know, tell me here:",
    ]
    assert result_reply is not None
    assert "level3_done" not in chat.answers["milestones"]
    # The button pressed on the reminder message itself, weeks later.
    passed = next(b for row in result_reply.buttons for b in row if b.label == "I passed ✓")
    chat.send(Press(passed.data))
    assert "You passed Step 3. Congratulations" in chat.said
    assert chat.records["exam"][0].content["result"] == "pass"
    assert (
        chat.answers["milestones"]["level3_done"] == chat.now.astimezone(CHICAGO).date().isoformat()
    )
    chat.tap("Add my score")
    chat.text("238")
    assert chat.records["exam"][0].content["score"] == 238
    chat.command("exams")
    assert "passed, score 238 ✓" in chat.said
    assert chat.said.startswith("You passed Step 3: that step of your plan is done ✓")
    chat.send(Press(passed.data))  # a double tap
    assert chat.last is not None and chat.last.toast == "Already saved ✓"


def test_still_waiting_asks_again_in_two_weeks_and_a_fail_is_met_kindly() -> None:
    chat = _chat(step2="fail", exam_failures=["level2"])
    key = _add(chat, "Step 2 CK (retake)", "May 14")
    assert chat.answers["milestones"]["retake_booked"] == "2026-03-25"
    chat.now = datetime(2026, 5, 16, 13, 0, tzinfo=UTC)
    reply = catalog.render_nudge("exam_result", chat.nudges(f"exam:{key}:result")[0].payload)
    assert reply is not None
    wait = next(b for row in reply.buttons for b in row if b.label == "Still waiting")
    chat.send(Press(wait.data))
    assert "I'll ask again around Sat, May 30" in chat.said
    again = chat.nudges(f"exam:{key}:")
    assert [(n.kind, _local(n).strftime("%m-%d %H:%M")) for n in again] == [
        ("exam_result", "05-30 07:00")
    ]
    chat.send(Press(f"@ex.res.{key}.fail"))
    said = chat.said
    assert "I'm sorry" in said and "doesn't decide who you are" in said
    assert "within 3 to 6 months" in said and "Add the retake" in chat.labels()
    assert chat.nudges(f"exam:{key}:") == [], "nothing more to ask"
    assert "retake_done" not in chat.answers["milestones"]


def test_a_new_time_zone_moves_the_countdown_with_it() -> None:
    chat = _chat(step2=215)
    key = _add(chat, "Step 3", "August 20")
    chat.command("pause")
    chat.answers["onboarding"]["timezone"] = "Europe/Berlin"
    chat.command("resume")  # re-plans every reminder from what we know now
    rows = chat.nudges(f"exam:{key}:")
    berlin = [n.due_at.astimezone(ZoneInfo("Europe/Berlin")).strftime("%H:%M") for n in rows]
    assert len(rows) == 6 and set(berlin) == {"07:00"}


def test_a_time_zone_changed_in_the_profile_moves_the_countdown_at_the_next_visit() -> None:
    chat = _chat(step2=215)
    key = _add(chat, "Step 3", "August 20")
    chat.command("profile")
    chat.tap("Time and schedule")
    chat.tap("Time zone")
    chat.text("Berlin")
    chat.tap("Yes, that's right")
    assert chat.profile["timezone"] == "Europe/Berlin"
    chat.command("exams")
    rows = chat.nudges(f"exam:{key}:")
    berlin = [n.due_at.astimezone(ZoneInfo("Europe/Berlin")).strftime("%H:%M") for n in rows]
    assert len(rows) == 6 and set(berlin) == {"07:00"}
    chat.command("exams")
    assert chat.last is not None and chat.last.effects == (), "nothing to move twice"


def test_a_turn_that_did_not_read_the_exams_leaves_their_reminders_alone() -> None:
    s = catalog.session(DialogueState(), UserView(), datetime(2026, 3, 25, tzinfo=UTC))
    effects = s.replan()
    assert not any(
        isinstance(e, CancelNudges | ScheduleNudge) and e.key.startswith("exam:") for e in effects
    )


# ---------------------------------------------------------------- application dates


def test_a_step2_date_too_late_for_applications_is_said_plainly_with_what_to_do() -> None:
    chat = _chat(degree="img", step2="not_taken", step1="pass", usce_months=6)
    _add(chat, "Step 2 CK", "August 20")
    said = chat.said
    assert "⚠️ Straight talk: a score usually comes about 4 weeks after the exam" in said
    assert "out around Thu, Sep 17, after applications go to programs (Wed, Sep 2, 2026)" in said
    assert "move it to Wed, Aug 5 or earlier" in said
    chat.tap("See my exams")
    assert "⚠️ Straight talk" in chat.said
    chat.tap("Open: Step 2 CK")
    chat.tap("Change the date")
    chat.text("July 20")
    assert "Straight talk" not in chat.said, "in time now"
    assert "later than your plan's aim (Tue, Jun 30)" in chat.said
    chat.tap("See my exams")
    chat.tap("Open: Step 2 CK")
    chat.tap("Change the date")
    chat.text("June 12")
    assert "plan's aim" not in chat.said and "Straight talk" not in chat.said


def test_a_step3_after_applications_open_is_fine_to_list_as_scheduled() -> None:
    chat = _chat(step2=215)
    _add(chat, "Step 3", "October 1")
    assert "Straight talk" not in chat.said
    assert "list it on your application as scheduled" in chat.said


# ---------------------------------------------------------------- weekly hours


def test_weekly_plans_are_shown_beside_the_exam_hours_with_a_kind_line_when_short() -> None:
    chat = _chat(step2=215)
    for monday, planned in (("2026-03-09", 6.0), ("2026-03-16", 5.0), ("2026-03-23", 14.0)):
        chat.week_plans[monday] = {"exam_hours": planned, "priorities": "", "tasks": []}
    chat.checkins["2026-03-17"] = {
        "woke_on_time": True,
        "exam_hours": 3.0,
        "role_hours": 8.0,
        "app_hours": 0.0,
        "win": None,
        "mood": 4,
    }
    _add(chat, "Step 3", "August 20", "15")
    said = chat.said
    assert "Your plan: 15 hours a week. Recent weeks:" in said
    assert "• Week of Mon, Mar 16: planned 5 h, logged 3 h" in said
    assert "an honest plan beats a heroic one" in said
    chat.week_plans["2026-03-23"]["exam_hours"] = 15.0
    chat.week_plans["2026-03-16"]["exam_hours"] = 16.0
    chat.command("exams")
    assert "Recent weeks" in chat.said and "heroic" not in chat.said


# ---------------------------------------------------------------- bad input


def test_bad_answers_are_refused_kindly_and_nothing_is_lost() -> None:
    chat = _chat(step2=215)
    chat.command("exams")
    chat.tap("Add an exam")
    chat.text("the hard one")
    assert "couldn't tell which exam" in chat.said and chat.step == "exam"
    chat.text("step three")
    assert chat.step == "date"
    chat.text("March 1, 2026")
    assert "That day has already passed" in chat.said and chat.step == "date"
    chat.text("yesterday")
    assert "already passed" in chat.said
    chat.text("2031-01-01")
    assert "more than two years away" in chat.said
    chat.text("x" * 5000)
    assert chat.step == "date" and "longer than I can take" in chat.said
    chat.text("Aug 20")
    assert chat.step == "hours"
    for bad, reason in (
        ("lots", "as one number"),
        ("0", "Even a few hours"),
        ("500", "More than 80 hours"),
        ("-3", "below zero"),
        ("10-15", "as one number"),
    ):
        chat.text(bad)
        assert reason in chat.said and chat.step == "hours", bad
    chat.text("about 12")
    chat.command("skip")
    assert chat.records["exam"][0].content["hours"] == 12.0
    assert chat.records["exam"][0].content["prep"] is None


def test_stale_and_forged_buttons_get_a_kind_reply() -> None:
    chat = _chat(step2=215)
    for data in ("@ex.item.gone", "@ex.res.gone.pass", "@ex.edit.gone.date", "@ex.wait.gone"):
        chat.send(Press(data))
        assert "isn't in your tracker any more" in chat.said, data
        assert chat.records.get("exam", []) == []
    key = _add(chat, "Step 3", "August 20")
    for data in (f"@ex.res.{key}.maybe", f"@ex.edit.{key}.color", "@ex.frob.x", "@ex.item"):
        chat.send(Press(data))
        assert "couldn't read that button" in chat.said, data
    assert chat.records["exam"][0].content.get("result") is None


def test_exam_buttons_mid_question_keep_the_open_question() -> None:
    chat = _chat(step2=215)
    key = _add(chat, "Step 3", "August 20")
    chat.command("checkin")
    step = chat.step
    chat.send(Press(f"@ex.edit.{key}.date"))
    assert "Let's finish this first" in chat.said and chat.step == step
    chat.command("cancel")
    chat.command("exams")
    chat.tap("Add an exam")
    chat.command("exams")  # /exams from inside its own questions: still shows the overview
    assert "Your exams:" in chat.said


@pytest.mark.parametrize("typed", ["Step 2", "step2 ck", "COMLEX level 3", "level 2", "CCS"])
def test_exam_names_are_read_as_typed(typed: str) -> None:
    from conversations.rules.exams import parse_exam

    assert parse_exam(typed) in {"Step 2 CK", "COMLEX Level 3", "COMLEX Level 2-CE", "Step 3"}


# ---------------------------------------------------------------- on a real database


async def test_an_exam_goes_through_the_service_into_export_and_out_with_delete(
    service: CoachService,
) -> None:
    who = Who("telegram", "5151", "Maya")
    last = None
    for step in SEED_ONBOARDING:
        last = await service.handle(who, scripted_input(step, last))
    turn = await service.handle(who, Command("exams"))
    for inp in (Text("Add an exam"), Text("Step 3"), Text("October 1"), Text("15")):
        turn = await service.handle(who, inp)
    turn = await service.handle(who, Command("skip"))
    assert "Saved: Step 3: Thu, Oct 1" in turn.replies[0].text
    async with service.db.unit_of_work() as repo:
        user = await repo.users.find("telegram", who.external_id)
        assert user is not None
        (item,) = await repo.records.of_kinds(user.id, {"exam"})
        pending = [n for n in await repo.nudges.pending(user.id) if n.key.startswith("exam:")]
        exported = json.loads((await export_file(repo, user.id, service.clock())).content)
    assert item.content["exam"] == "Step 3" and item.content["hours"] == 15.0
    assert len(pending) == 6
    assert "Step 3" in json.dumps(exported)
    turn = await service.handle(who, Press(f"@ex.res.{item.key}.pass"))
    assert "You passed Step 3" in turn.replies[0].text
    await service.handle(who, Command("delete"))
    await service.handle(who, Press(DELETE_YES))
    async with service.db.unit_of_work() as repo:
        assert await repo.records.of_kinds(user.id, {"exam"}) == []
