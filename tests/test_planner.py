"""The plan and its reminders, as a user meets them: /plan, the year of nudges, settings."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from conversations.catalog import render_nudge
from conversations.features.reminders import with_nudge_buttons
from conversations.messages import Press
from tests.coach_chat import CoachChat, onboard_us_md

CHICAGO = ZoneInfo("America/Chicago")


@pytest.fixture
def chat() -> CoachChat:
    chat = CoachChat()  # March 25, 2026, 15:00 UTC
    onboard_us_md(chat)  # Central time, check-in at 7am, starting today
    return chat


def test_onboarding_settles_the_cycle_and_plans_the_whole_year(chat: CoachChat) -> None:
    assert "aims at the 2027 Match" in chat.said
    assert chat.answers["plan"]["season"] == 2027
    year = chat.nudges("plan:")
    kinds = Counter(n.kind for n in year)
    assert kinds["phase_start"] == 4, "the first phase starts today, before any reminder"
    # 15 milestones and dates; a heads-up before the 9 personal milestones and 2 deadlines.
    assert kinds["milestone_due"] == 17 and kinds["milestone_before"] == 13
    assert [n.due_at for n in year] == sorted(n.due_at for n in year)
    assert year[0].due_at > chat.now and year[-1].due_at.date() == datetime(2027, 3, 19).date()
    # Every one at 7:00 in Chicago: 12:00 UTC in summer, 13:00 UTC after Nov 1 (DST ends).
    assert {n.due_at.astimezone(CHICAGO).strftime("%H:%M") for n in year} == {"07:00"}
    assert {n.due_at.hour for n in year} == {12, 13}
    summer = next(n for n in year if n.due_at.month == 7)
    winter = next(n for n in year if n.due_at.month == 12 or n.due_at.year == 2027)
    assert (summer.due_at.hour, winter.due_at.hour) == (12, 13)


def test_every_plan_nudge_renders_to_words_with_its_buttons(chat: CoachChat) -> None:
    for n in chat.nudges("plan:"):
        reply = render_nudge(n.kind, n.payload)
        assert reply is not None and len(reply.text) > 20, n.key
        labels = [b.label for row in with_nudge_buttons(reply, n.id).buttons for b in row]
        assert {"Snooze 1 hour", "Tomorrow", "Done ✓"} <= set(labels)
    eras = next(n for n in chat.nudges("plan:ms:eras_submitted") if n.kind == "milestone_before")
    text = render_nudge(eras.kind, eras.payload).text  # type: ignore[union-attr]
    assert "Coming up on Tue, Sep 8: Application submitted" in text
    assert "estimated" in text


def test_plan_shows_where_you_are_and_sends_the_picture(chat: CoachChat) -> None:
    chat.now += timedelta(days=70)  # early June
    chat.command("plan")
    said = chat.said
    assert said.startswith("Month 3 of 12")
    assert "▰" in said and "Aiming at the 2027 Match" in said
    assert "Do high-yield work" in said
    assert "Effort this quarter:" in said and "%" in said
    assert said.count("\n• ") >= 3 + 1
    [reply] = [r for r in chat.last.replies if r.photo is not None]  # type: ignore[union-attr]
    assert reply.photo is not None and reply.photo.content.startswith(b"\x89PNG")


def test_a_late_start_explains_the_trade_off_and_lets_the_user_choose() -> None:
    chat = CoachChat(now=datetime(2026, 8, 10, 15, 0, tzinfo=UTC))
    onboard_us_md_at(chat, "Today (Aug 10)")
    assert "only 3 weeks from your start" in chat.said
    assert chat.step == "season" and "plan" not in chat.answers
    assert chat.nudges("plan:") == []
    chat.tap("Match 2028 (my suggestion)")
    assert chat.answers["plan"]["season"] == 2028
    assert chat.said.startswith("Month 1 of 12")
    assert chat.nudges("plan:")


def onboard_us_md_at(chat: CoachChat, today_label: str) -> None:
    from tests.coach_chat import SEED_ONBOARDING, scripted_input

    for how, what in SEED_ONBOARDING:
        what = today_label if what.startswith("Today (") else what
        chat.send(scripted_input((how, what), chat.last))


def test_changing_the_time_zone_re_plans_at_the_new_local_time(chat: CoachChat) -> None:
    before = len(chat.nudges("plan:"))
    chat.command("profile")
    chat.tap("Time and schedule")
    chat.tap("Time zone")
    chat.text("Lagos")
    chat.tap("Yes, that's right")
    assert "re-planned" in chat.said
    year = chat.nudges("plan:")
    assert len(year) == before, "same plan, new times; nothing doubled"
    lagos = ZoneInfo("Africa/Lagos")
    assert {n.due_at.astimezone(lagos).strftime("%H:%M") for n in year} == {"07:00"}


def test_settings_change_the_hour_and_quiet_hours_keep_nights_free(chat: CoachChat) -> None:
    chat.command("settings")
    assert "7:00" in chat.said or "07:00" in chat.said
    chat.tap("Reminder time and quiet hours")
    chat.text("11:30pm")
    chat.tap("10:00 PM")
    chat.tap("7:00 AM")
    chat.tap("Sun")
    assert "re-planned" in chat.said
    times = {n.due_at.astimezone(CHICAGO).strftime("%H:%M") for n in chat.nudges("plan:")}
    assert times == {"07:00"}, "23:30 falls in quiet hours: moved to when they end"
    chat.command("settings")
    chat.tap("Reminder time and quiet hours")
    chat.text("6pm")
    chat.text("23:00")
    chat.text("6am")
    chat.tap("Sat")
    times = {n.due_at.astimezone(CHICAGO).strftime("%H:%M") for n in chat.nudges("plan:")}
    assert times == {"18:00"}


def test_reminders_lists_what_is_coming_in_local_time(chat: CoachChat) -> None:
    chat.command("reminders")
    assert "Coming up (your local time)" in chat.said
    assert "07:00 AM" in chat.said or "7:00 AM" in chat.said
    assert "Due: Post-mortem done" in chat.said or "Coming up: Post-mortem done" in chat.said
    assert "more." in chat.said


def test_snooze_tomorrow_done_and_double_taps(chat: CoachChat) -> None:
    first = chat.nudges("plan:")[0]
    chat.now = first.due_at  # it was just sent
    chat.send(Press(f"@nd.hour.{first.id}"))
    assert "Snoozed until" in chat.said
    copy = chat.nudges(first.key)[0]
    assert copy.due_at == first.due_at + timedelta(hours=1) and copy.kind == first.kind
    assert next(n for n in chat.rows if n.id == first.id).state == "snoozed"
    again = chat.send(Press(f"@nd.hour.{first.id}"))
    assert again.toast == "Already taken care of ✓"
    assert len(chat.nudges(first.key)) == 2 - 1 + 1 - 1 + 1  # the copy, no second one

    chat.send(Press(f"@nd.tomorrow.{copy.id}"))
    later = [n for n in chat.nudges(first.key) if n.id != copy.id]
    assert later and later[0].due_at.astimezone(CHICAGO).strftime("%H:%M") == "07:00"

    milestone = chat.nudges("plan:ms:post_mortem")[0]
    chat.send(Press(f"@nd.done.{milestone.id}"))
    assert "Marked done" in chat.said
    assert chat.nudges("plan:ms:post_mortem") == [], "done cancels what was left for it"
    assert "nudge_done" in chat.events


def test_a_forged_nudge_button_changes_nothing(chat: CoachChat) -> None:
    for data in ("@nd.hour.999999", "@nd.done.abc", "@nd.explode.1"):
        chat.send(Press(data))
        assert "isn't there anymore" in chat.said


def test_pause_and_resume(chat: CoachChat) -> None:
    chat.command("pause")
    assert chat.paused and "/resume" in chat.said
    chat.command("pause")
    assert "already paused" in chat.said
    chat.command("reminders")
    assert "paused" in chat.said
    chat.command("resume")
    assert not chat.paused and "on again" in chat.said
