"""Daily and weekly check-ins, /history, and the care around them, as a user lives them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from conversations.documents import week_chart
from conversations.documents.week_chart import NO_CHECKINS
from conversations.rules import routine
from conversations.rules.plan import EFFORT_CATEGORIES
from tests.coach_chat import SEED_ONBOARDING, CoachChat, onboard_us_md, scripted_input

CHICAGO = ZoneInfo("America/Chicago")


@pytest.fixture
def chat() -> CoachChat:
    chat = CoachChat()  # Wednesday March 25, 2026, 10:00 in Chicago
    onboard_us_md(chat)
    return chat


def check_in(
    chat: CoachChat, mood: int = 4, woke: str = "Yes", win: str | None = "Sent my CV"
) -> None:
    chat.command("checkin")
    if chat.step == "woke_on_time":
        chat.tap(woke)
    if chat.step == "plan_hours":  # months 1-6: the post-mortem and planning count
        chat.tap("1")
    chat.tap("2")
    chat.tap("6")
    chat.tap("1")
    if win is None:
        chat.command("skip")
    else:
        chat.text(win)
    chat.tap(f"{mood} ")


def test_the_daily_check_in_takes_seven_taps_and_answers_with_the_streak(chat: CoachChat) -> None:
    check_in(chat)
    assert "Checked in ✓  Streak: 1 day." in chat.said
    assert "Next up: Post-mortem done" in chat.said
    assert chat.checkins == {
        "2026-03-25": {
            "day": "2026-03-25",
            "woke_on_time": True,
            "exam_hours": 2.0,
            "role_hours": 6.0,
            "app_hours": 1.0,
            "win": "Sent my CV",
            "mood": 4,
            "plan_hours": 1.0,
        }
    }


def test_the_wake_question_names_the_wake_time_set_in_onboarding(chat: CoachChat) -> None:
    assert chat.profile["wake_time"] == "07:00"
    chat.command("checkin")
    assert "Up by 7:00 AM today?" in chat.said
    assert "planned wake time" not in chat.said


def test_without_a_wake_time_the_check_in_does_not_ask_about_mornings() -> None:
    chat = CoachChat()
    for step in SEED_ONBOARDING:
        if step == ("tap", "7:00 AM"):  # the wake-time question: skipped
            step = ("cmd", "skip")
        chat.send(scripted_input(step, chat.last))
    assert chat.profile["wake_time"] is None and chat.profile["checkin_time"] == "07:00"
    chat.command("checkin")
    assert chat.step == "plan_hours" and "Up by" not in chat.said
    chat.command("settings")
    assert "No wake time is set" in chat.said
    chat.tap("Wake time")
    chat.text("6:30am")
    chat.command("checkin")
    assert chat.step == "woke_on_time" and "Up by 6:30 AM today?" in chat.said


def test_someone_onboarded_before_the_wake_question_is_not_sent_back(chat: CoachChat) -> None:
    del chat.answers["onboarding"]["wake_time"]  # onboarded before the question existed
    chat.command("start")
    assert "Your profile is saved" in chat.said
    chat.text("hello")
    assert "There's no question open" in chat.said
    chat.command("checkin")
    assert chat.step == "plan_hours"


def test_hours_can_be_typed_and_are_checked(chat: CoachChat) -> None:
    chat.command("checkin")
    chat.tap("Yes")
    chat.text("45 min")
    assert chat.step == "exam_hours"
    chat.text("1h30")
    assert chat.step == "role_hours"
    chat.text("20")
    assert chat.step == "role_hours" and "16" in chat.said


def test_a_second_check_in_the_same_day_replaces_the_first(chat: CoachChat) -> None:
    check_in(chat, mood=2)
    check_in(chat, mood=4)
    assert list(chat.checkins) == ["2026-03-25"]
    assert chat.checkins["2026-03-25"]["mood"] == 4


def test_a_second_check_in_keeps_what_it_skipped(chat: CoachChat) -> None:
    check_in(chat, mood=2, win="Sent my CV")
    check_in(chat, mood=4, win=None)  # later the same day: the win skipped this time
    assert "Today's check-in updated ✓" in chat.said
    assert "Your win from earlier is kept: “Sent my CV”." in chat.said
    today = chat.checkins["2026-03-25"]
    assert (today["win"], today["mood"], today["woke_on_time"]) == ("Sent my CV", 4, True)
    chat.command("history")
    assert "Win: Sent my CV" in chat.said
    check_in(chat, mood=4, win="Called Dr. Lee")
    assert chat.checkins["2026-03-25"]["win"] == "Called Dr. Lee", "a new win replaces it"


def test_after_midnight_counts_for_the_day_that_just_ended(chat: CoachChat) -> None:
    chat.now = datetime(2026, 3, 26, 5, 30, tzinfo=UTC)  # 00:30 on Mar 26 in Chicago
    check_in(chat)
    assert list(chat.checkins) == ["2026-03-25"]


def test_the_streak_grows_day_by_day_and_a_skipped_day_restarts_it(chat: CoachChat) -> None:
    for _ in range(3):
        check_in(chat)
        chat.now += timedelta(days=1)
    assert "Streak: 3 days." in chat.said
    chat.now += timedelta(days=1)  # a day without a check-in
    check_in(chat)
    assert "Streak: 1 day." in chat.said
    assert len(chat.checkins) == 4


def test_the_care_pause_is_configurable() -> None:
    from conversations.coach import CoachConfig

    chat = CoachChat(config=CoachConfig(care_quiet_days=3))
    onboard_us_md(chat)
    for _ in range(7):
        check_in(chat, mood=1)
        chat.now += timedelta(days=1)
    assert chat.events.count("care_low_mood") == 2, "days 3 and 6: every 3 days at most"


def test_a_low_mood_stretch_gets_one_gentle_message_not_repeated(chat: CoachChat) -> None:
    for _ in range(3):
        check_in(chat, mood=2)
        chat.now += timedelta(days=1)
    assert "therapist" in chat.said and "Support lines" in chat.labels()
    assert chat.events.count("care_low_mood") == 1
    for _ in range(3):
        check_in(chat, mood=1)
        chat.now += timedelta(days=1)
    assert chat.events.count("care_low_mood") == 1, "not again within two weeks"
    chat.now += timedelta(days=10)
    for _ in range(3):
        check_in(chat, mood=2)
        chat.now += timedelta(days=1)
    assert chat.events.count("care_low_mood") == 2


def test_missed_wake_times_get_one_suggestion(chat: CoachChat) -> None:
    for _ in range(3):
        check_in(chat, woke="No")
        chat.now += timedelta(days=1)
    assert chat.events.count("care_sleep") == 1
    assert "wake" in chat.said.lower()


def test_the_weekly_session_reviews_plans_and_sends_a_chart(chat: CoachChat) -> None:
    chat.now = datetime(2026, 3, 29, 17, 0, tzinfo=UTC)  # Sunday
    chat.command("weekly")
    assert "look back" in chat.said
    assert "There was no weekly plan for it, and that's okay." in chat.said
    assert chat.step == "exam_hours", "no tasks last week: nothing to tick"
    chat.tap("10")
    chat.text("Finish the chart review; present at journal club")
    assert "Due soon in your plan" in chat.said
    assert {"▫️ Post-mortem done", "▫️ Target chosen"} <= set(chat.labels())
    chat.tap("Post-mortem done")
    chat.tap("Done ✔")
    assert "So far: Post-mortem done. Add up to 2 of your own" in chat.said
    chat.text("Rewrite personal statement; Ask Dr. Lee for a letter; Update CV")
    assert chat.step == "own" and "room for 2 more" in chat.said
    chat.text("Rewrite personal statement; Ask Dr. Lee for a letter")
    plan = chat.week_plans["2026-03-30"]
    assert plan["exam_hours"] == 10
    assert plan["tasks"] == [
        "Post-mortem done",
        "Rewrite personal statement",
        "Ask Dr. Lee for a letter",
    ]
    photo = next(r.photo for r in chat.last.replies if r.photo)  # type: ignore[union-attr]
    assert photo.content.startswith(b"\x89PNG")

    for _ in range(5):  # Monday to Friday
        chat.now += timedelta(days=1)
        check_in(chat)
    chat.now = datetime(2026, 4, 5, 17, 0, tzinfo=UTC)  # next Sunday
    chat.command("weekly")
    assert "You planned 10 hours of exam study and logged 10." in chat.said
    assert "You set 3 tasks" in chat.said
    assert "You checked in 5 days out of 7." in chat.said
    assert chat.step == "done"
    chat.tap("2. Rewrite personal statement")
    chat.tap("Done ✔")
    chat.tap("5")
    chat.text("Data cleaning")
    if chat.step == "picked":  # the plan has items due soon: none of them this week
        chat.tap("None of these")
        chat.tap("Done ✔")
    chat.text("Program list spreadsheet")
    assert chat.week_plans["2026-03-30"]["done"] == [False, True, False]
    assert chat.week_plans["2026-04-06"]["tasks"] == ["Program list spreadsheet"]


def test_history_shows_check_ins_and_weekly_plans(chat: CoachChat) -> None:
    chat.command("history")
    assert "No check-ins yet" in chat.said
    check_in(chat)
    chat.command("history")
    assert "exam 2h, role 6h, application 1h, mood 4/5. Win: Sent my CV" in chat.said


def test_daily_and_weekly_reminders_are_planned_with_the_plan(chat: CoachChat) -> None:
    [daily] = chat.nudges("routine:daily")
    [weekly] = chat.nudges("routine:weekly")
    assert daily.payload["every"] == "day" and weekly.payload["every"] == "week"
    assert daily.due_at.astimezone(CHICAGO) == datetime(2026, 3, 26, 7, 0, tzinfo=CHICAGO)
    assert weekly.due_at.astimezone(CHICAGO).weekday() == 6, "Sunday by default"
    chat.command("settings")
    chat.tap("Reminder time and quiet hours")
    chat.tap("6:00 PM")
    chat.tap("10:00 PM")
    chat.tap("7:00 AM")
    chat.tap("Wed")
    [weekly] = chat.nudges("routine:weekly")
    local = weekly.due_at.astimezone(CHICAGO)
    assert (local.weekday(), local.hour) == (2, 18)


def test_routine_rules_are_wired_to_the_plans_categories() -> None:
    days = [routine.CheckIn(date(2026, 3, 30), True, 2, 6, 1, None, 4)]
    totals = routine.week_totals(days, date(2026, 3, 30))
    assert totals == {
        "diagnosis_planning": 0,
        "exams_study": 2,
        "work": 6,
        "application_interviews": 1,
    }


def test_a_safety_plan_is_built_and_offered_by_the_crisis_reply(chat: CoachChat) -> None:
    chat.command("safetyplan")
    assert "safety plan" in chat.said and chat.step == "warning_signs"
    chat.text("I stop answering my phone")
    chat.text("Running, my sister's dog")
    chat.text("My sister Ana; the library")
    chat.command("skip")
    chat.tap("988")
    assert "My warning signs: I stop answering my phone" in chat.said
    chat.text("I don't want to live anymore")
    assert "988" in chat.said
    chat.tap("My safety plan")
    assert "People and places: My sister Ana; the library" in chat.said
    assert "Professional contacts: (not filled in)" in chat.said


def test_you_misunderstood_is_accepted_and_support_stays_close_that_day(chat: CoachChat) -> None:
    chat.text("sometimes I think everyone would be better off without me")
    assert "988" in chat.said
    chat.text("no no, you misunderstood, I'm fine")
    assert "sorry if I read it wrong" in chat.said
    assert "Support lines" in chat.labels()
    chat.command("help")
    assert "Support lines" in chat.labels(), "still one tap away today"
    chat.tap("Support lines")
    assert "988" in chat.said
    chat.now += timedelta(days=1)
    chat.command("help")
    assert "Support lines" not in chat.labels(), "a new day, a normal help page"
    chat.text("you misunderstood")
    assert "sorry if I read it wrong" not in chat.said


def test_a_job_outside_medicine_gets_an_end_date_and_reminders(chat: CoachChat) -> None:
    chat.command("role")
    chat.tap("A job outside medicine")
    assert "When will you leave it" in chat.said
    chat.text("June 30")
    assert "leave by June 30" in chat.said
    assert "end date" in chat.said.lower() or "part-time" in chat.said.lower()
    ends = chat.nudges("role:")
    assert [(n.due_at.astimezone(CHICAGO).date(), n.payload["days_before"]) for n in ends] == [
        (date(2026, 5, 31), 30),
        (date(2026, 6, 23), 7),
        (date(2026, 6, 30), 0),
    ]
    chat.command("role")
    chat.tap("Research fellow or position")
    assert chat.nudges("role:") == [], "a new role cancels the old reminders"
    assert "research" in chat.said.lower()


def chart_texts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the next week charts draw (their texts), recorded as they are drawn."""
    seen: list[str] = []

    class Recording(Figure):
        def clear(self, keep_observers: bool = False) -> None:
            seen.extend(t.get_text() for t in self.findobj(Text) if t.get_text())
            super().clear(keep_observers)

    monkeypatch.setattr(week_chart, "Figure", Recording)
    return seen


def plan_the_week(chat: CoachChat) -> None:
    chat.command("weekly")
    if chat.step == "done":
        chat.tap("None yet")
        chat.tap("Done ✔")
    chat.tap("10")
    chat.text("Finish the chart review")
    if chat.step == "picked":
        chat.tap("None of these")
        chat.tap("Done ✔")
    chat.command("skip")


def test_the_first_weekly_session_looks_at_the_week_they_joined_with_todays_check_in(
    chat: CoachChat, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn = chart_texts(monkeypatch)
    check_in(chat)  # Wednesday March 25, the day they joined
    chat.command("weekly")
    assert "Your week of March 23 so far." in chat.said
    assert "March 16" not in chat.said
    assert "You checked in today." in chat.said
    assert "You logged 2 hours of exam study." in chat.said
    assert chat.step == "exam_hours", "no earlier week's tasks to tick"
    plan_the_week(chat)
    assert "Here's this week so far" in chat.said
    assert "Week of Mar 23" in drawn
    assert NO_CHECKINS not in drawn and any("1 of 7 days checked in" in t for t in drawn)

    chat.now = datetime(2026, 3, 30, 15, 0, tzinfo=UTC)  # the next Monday
    drawn.clear()
    chat.command("weekly")
    assert "Your week of March 23." in chat.said
    assert "You checked in 1 of the 5 days since you started." in chat.said
    plan_the_week(chat)
    assert "Here's last week" in chat.said and "Week of Mar 23" in drawn


def test_post_mortem_and_planning_hours_are_logged_while_they_are_a_real_share(
    chat: CoachChat, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn = chart_texts(monkeypatch)
    chat.command("checkin")
    chat.tap("Yes")
    assert "Hours on the post-mortem and planning today" in chat.said  # month 1: half the work
    chat.tap("3")
    for label in ("2", "2", "1"):
        chat.tap(label)
    chat.command("skip")
    chat.tap("4 ")
    assert chat.checkins["2026-03-25"]["plan_hours"] == 3
    chat.now = datetime(2026, 3, 29, 17, 0, tzinfo=UTC)  # Sunday
    chat.command("weekly")
    assert "3 hours on the post-mortem and planning" in chat.said
    plan_the_week(chat)
    shares = [t for t in drawn if t.endswith("% this week")]
    assert shares[0] == "  38% this week", "3 of 8 hours: diagnosis & planning, compared"
    assert "  50% plan" in drawn and "not logged in check-ins: target only" not in drawn

    chat.now = datetime(2026, 10, 28, 15, 0, tzinfo=UTC)  # month 8: 5% of the plan
    chat.command("checkin")
    chat.tap("Yes")
    assert chat.step == "exam_hours", "not asked once it is a small share"
    chat.command("cancel")
    drawn.clear()
    plan_the_week(chat)
    assert EFFORT_CATEGORIES["diagnosis_planning"] not in drawn, "and not compared"
