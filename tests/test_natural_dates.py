"""Dates and days typed the way a tired person types them, read in the user's own time zone,
and what was understood said back."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.coach_chat import SEED_ONBOARDING, CoachChat, onboard_us_md, scripted_input

# 22:00 on March 25 in Chicago (Central time, the seed's zone), already March 26 in UTC.
LATE_IN_CHICAGO = datetime(2026, 3, 26, 3, 0, tzinfo=UTC)


@pytest.fixture
def chat() -> CoachChat:
    chat = CoachChat(now=LATE_IN_CHICAGO)
    onboard_us_md(chat)
    return chat


def test_sunday_spelled_out_is_the_weekly_planning_day(chat: CoachChat) -> None:
    chat.command("settings")
    chat.tap("Reminder time and quiet hours")
    chat.tap("6:00 PM")
    chat.tap("10:00 PM")
    chat.tap("7:00 AM")
    chat.text("sunday")
    assert chat.answers["settings"]["weekly_day"] == "sun"
    assert "planning on Sundays" in chat.said


def test_tomorrow_2pm_is_tomorrow_in_the_users_own_time_zone(chat: CoachChat) -> None:
    chat.command("postmortem")
    chat.tap("1. Your dean's office")
    chat.tap("Set the meeting date")
    chat.command("skip")
    chat.text("tomorrow 2pm")
    assert chat.answers["pm_meet_dean"]["date"] == "2026-03-26", "Chicago's tomorrow, not UTC's"
    assert "meeting on Thu, Mar 26" in chat.said


def test_end_of_june_is_an_end_date_said_back(chat: CoachChat) -> None:
    chat.command("role")
    chat.tap("A job outside medicine")
    chat.text("end of june")
    assert chat.answers["role"]["end_date"] == "2026-06-30"
    assert "leave by June 30" in chat.said


def test_in_3_weeks_as_a_start_date_is_said_back_before_the_next_question() -> None:
    chat = CoachChat(now=LATE_IN_CHICAGO)
    for step in SEED_ONBOARDING:
        if step[1].startswith("Today ("):
            break
        chat.send(scripted_input(step, chat.last))
    chat.text("in 3 weeks")
    assert chat.profile["start_date"] == "2026-04-15"
    assert "Wed, Apr 15, 2026" in chat.said
    assert "daily check-in" in chat.said, "then the next question"
