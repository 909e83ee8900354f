"""Tests for conversations.rules.routine: daily check-ins, weekly plans and reviews, care signals.

Every date and moment is fixed in the test: nothing here (or in routine.py) reads the clock.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, time, timedelta

import pytest

from conversations.rules.parsing import Invalid
from conversations.rules.plan import EFFORT_CATEGORIES
from conversations.rules.routine import (
    CARE_LOW_MOOD,
    CARE_MONEY,
    CARE_SLEEP,
    CATEGORIES,
    MAX_DAY_HOURS,
    CheckIn,
    WeekPlan,
    WeekReview,
    checkin_day,
    daily_hours,
    logged_share,
    low_mood,
    may_show_again,
    merged,
    parse_hours,
    review_text,
    review_week,
    streak,
    wake_trouble,
    week_days,
    week_start,
    week_totals,
)

MONDAY = date(2026, 6, 1)  # a Monday
SUNDAY = date(2026, 6, 7)
TODAY = date(2026, 6, 10)  # a Wednesday
CHICAGO = "America/Chicago"

SHAMING = ("failed", "fail", "lazy", "only", "should have", "missed", "behind", "disappoint")


def ci(
    day: date,
    *,
    mood: int | None = None,
    woke: bool | None = True,
    exam: float = 0.0,
    role: float = 0.0,
    app: float = 0.0,
    win: str | None = None,
) -> CheckIn:
    return CheckIn(day, woke, exam, role, app, win, mood)


def days_back(n: int, today: date = TODAY) -> date:
    return today - timedelta(days=n)


def assert_kind(text: str) -> None:
    for word in SHAMING:
        assert not re.search(rf"\b{re.escape(word)}\b", text, re.IGNORECASE), (word, text)


# --------------------------------------------------------------------------- checkin_day


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        # 2026-06-10 00:30 CDT (UTC-5) is 05:30 UTC: still Tuesday's check-in.
        (utc(2026, 6, 10, 5, 30), date(2026, 6, 9)),
        # 03:59 CDT: still before the cutoff.
        (utc(2026, 6, 10, 8, 59), date(2026, 6, 9)),
        # 04:00 CDT exactly: the new day.
        (utc(2026, 6, 10, 9, 0), date(2026, 6, 10)),
        # 23:50 CDT: the local date, although it is already the next day in UTC.
        (utc(2026, 6, 11, 4, 50), date(2026, 6, 10)),
        # Midday.
        (utc(2026, 6, 10, 17, 0), date(2026, 6, 10)),
    ],
)
def test_checkin_day_cutoff_in_chicago(moment: datetime, expected: date) -> None:
    assert checkin_day(moment, CHICAGO) == expected


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        # Spring forward, Sunday 2026-03-08: 02:00 CST jumps to 03:00 CDT.
        (utc(2026, 3, 8, 7, 30), date(2026, 3, 7)),  # 01:30 CST
        (utc(2026, 3, 8, 8, 30), date(2026, 3, 7)),  # 03:30 CDT, still before 4 AM
        (utc(2026, 3, 8, 9, 0), date(2026, 3, 8)),  # 04:00 CDT (would be 03:00 at CST)
        # Fall back, Sunday 2026-11-01: 02:00 CDT goes back to 01:00 CST.
        (utc(2026, 11, 1, 6, 30), date(2026, 10, 31)),  # 01:30 CDT, first time
        (utc(2026, 11, 1, 7, 30), date(2026, 10, 31)),  # 01:30 CST, second time
        (utc(2026, 11, 1, 9, 30), date(2026, 10, 31)),  # 03:30 CST (would be 04:30 at CDT)
        (utc(2026, 11, 1, 10, 0), date(2026, 11, 1)),  # 04:00 CST
    ],
)
def test_checkin_day_across_daylight_saving_nights(moment: datetime, expected: date) -> None:
    assert checkin_day(moment, CHICAGO) == expected


def test_checkin_day_fixed_offset_custom_cutoff_and_naive_utc() -> None:
    # 20:00 UTC is 01:30 at UTC+05:30 on the 11th: counts for the 10th.
    assert checkin_day(utc(2026, 6, 10, 20, 0), "UTC+05:30") == date(2026, 6, 10)
    assert checkin_day(utc(2026, 6, 10, 23, 0), "UTC+05:30") == date(2026, 6, 11)
    # A midnight cutoff gives the plain local date.
    assert checkin_day(utc(2026, 6, 10, 5, 30), CHICAGO, time(0, 0)) == date(2026, 6, 10)
    # A naive moment is UTC.
    assert checkin_day(datetime(2026, 6, 10, 5, 30), CHICAGO) == date(2026, 6, 9)


def test_checkin_day_unknown_zone_is_invalid() -> None:
    with pytest.raises(Invalid):
        checkin_day(utc(2026, 6, 10, 12, 0), "Mars/Olympus")


# --------------------------------------------------------------------------- streak


def test_streak_ending_today() -> None:
    assert streak([TODAY, days_back(1), days_back(2)], TODAY) == 3


def test_streak_only_yesterday_done_is_not_broken_in_the_morning() -> None:
    assert streak([days_back(1), days_back(2), days_back(3)], TODAY) == 3
    assert streak([days_back(1)], TODAY) == 1


def test_streak_gap_and_empty() -> None:
    # A gap yesterday and today: the streak is over.
    assert streak([days_back(2), days_back(3)], TODAY) == 0
    # A gap further back cuts the count.
    assert streak([TODAY, days_back(1), days_back(3), days_back(4)], TODAY) == 2
    assert streak([], TODAY) == 0


def test_streak_ignores_duplicates_order_and_future_days() -> None:
    days = [days_back(1), TODAY, TODAY, days_back(2), TODAY + timedelta(days=1)]
    assert streak(iter(days), TODAY) == 3


# --------------------------------------------------------------------------- weeks and hours


def test_week_start_and_days() -> None:
    assert week_start(MONDAY) == MONDAY
    assert week_start(SUNDAY) == MONDAY
    assert week_start(TODAY) == date(2026, 6, 8)
    days = week_days(MONDAY)
    assert days[0] == MONDAY and days[-1] == SUNDAY and len(days) == 7


def test_categories_follow_the_plan() -> None:
    assert CATEGORIES == ("diagnosis_planning", "exams_study", "work", "application_interviews")
    assert set(CATEGORIES) <= set(EFFORT_CATEGORIES)


def test_week_totals_and_daily_hours_with_missing_days() -> None:
    checkins = [
        ci(MONDAY, exam=2, role=8, app=0.5),
        ci(MONDAY + timedelta(days=2), exam=1.5, role=6),
        ci(SUNDAY, exam=3, app=1.25),
        # Outside the week: left out.
        ci(MONDAY - timedelta(days=1), exam=9),
        ci(SUNDAY + timedelta(days=1), role=9),
    ]
    assert week_totals(checkins, MONDAY) == {
        "diagnosis_planning": 0.0,
        "exams_study": 6.5,
        "work": 14.0,
        "application_interviews": 1.75,
    }
    daily = daily_hours(checkins, MONDAY)
    assert len(daily) == 7
    assert daily[0] == {
        "diagnosis_planning": 0.0,
        "exams_study": 2.0,
        "work": 8.0,
        "application_interviews": 0.5,
    }
    assert daily[1] == dict.fromkeys(CATEGORIES, 0.0)
    assert daily[2]["work"] == 6.0
    assert daily[6]["application_interviews"] == 1.25


def test_week_totals_empty_week_and_last_edit_wins() -> None:
    assert week_totals([], MONDAY) == dict.fromkeys(CATEGORIES, 0.0)
    edited = [ci(MONDAY, exam=1), ci(MONDAY, exam=3)]
    assert week_totals(edited, MONDAY)["exams_study"] == 3.0


def test_week_totals_round_float_noise() -> None:
    checkins = [ci(MONDAY, exam=0.1), ci(MONDAY + timedelta(days=1), exam=0.2)]
    assert week_totals(checkins, MONDAY)["exams_study"] == 0.3


@pytest.mark.parametrize(
    "totals",
    [
        {"exams_study": 6.5, "work": 14.0, "application_interviews": 1.75},
        {"exams_study": 1.0, "work": 1.0, "application_interviews": 1.0},
        {"exams_study": 2.0, "work": 0.0, "application_interviews": 0.0},
        {"exams_study": 0.1, "work": 33.3, "application_interviews": 0.7},
    ],
)
def test_logged_share_sums_to_100(totals: dict[str, float]) -> None:
    share = logged_share(totals)
    assert set(share) == set(totals)
    assert sum(share.values()) == 100
    assert all(isinstance(v, int) and v >= 0 for v in share.values())


def test_logged_share_values() -> None:
    assert logged_share({"exams_study": 1.0, "work": 1.0, "application_interviews": 1.0}) == {
        "exams_study": 34,
        "work": 33,
        "application_interviews": 33,
    }
    assert logged_share({"exams_study": 5.0, "work": 15.0, "application_interviews": 0.0}) == {
        "exams_study": 25,
        "work": 75,
        "application_interviews": 0,
    }


def test_logged_share_nothing_logged_is_all_zero() -> None:
    assert logged_share(dict.fromkeys(CATEGORIES, 0.0)) == dict.fromkeys(CATEGORIES, 0)


# --------------------------------------------------------------------------- low mood


def test_low_mood_three_low_of_five_is_low_days() -> None:
    moods = [4, 2, 3, 1, 2]  # the five most recent, oldest first
    checkins = [ci(days_back(4 - i), mood=m) for i, m in enumerate(moods)]
    assert low_mood(checkins, TODAY) == "low_days"


def test_low_mood_counts_only_the_last_five_with_a_mood() -> None:
    # Two low moods six days ago fall out of the last five.
    moods = [1, 1, 3, 2, 4, 2, 4]
    checkins = [ci(days_back(6 - i), mood=m) for i, m in enumerate(moods)]
    assert low_mood(checkins, TODAY) is None
    # Check-ins without a mood don't push low moods out of the sample.
    skipped = [ci(days_back(4), mood=1), ci(days_back(3), mood=2)]
    skipped += [ci(days_back(2)), ci(days_back(1)), ci(TODAY, mood=2)]
    assert low_mood(skipped, TODAY) == "low_days"


def test_low_mood_old_low_days_do_not_count() -> None:
    # Three low moods, but eight or more days ago.
    checkins = [ci(days_back(n), mood=1) for n in (8, 9, 10)]
    assert low_mood(checkins, TODAY) is None


def test_low_mood_falling_week() -> None:
    before = [ci(days_back(n), mood=5) for n in (7, 9, 11, 13)]  # average 5
    now = [ci(days_back(n), mood=m) for n, m in ((0, 4), (2, 3), (4, 4))]  # average 3.67
    assert low_mood(before + now, TODAY) == "falling_week"


def test_low_mood_falling_exactly_one_point_counts() -> None:
    before = [ci(days_back(n), mood=4) for n in (8, 9, 10)]
    now = [ci(days_back(n), mood=3) for n in (1, 2, 3)]
    assert low_mood(before + now, TODAY) == "falling_week"


def test_low_mood_not_enough_data_is_none() -> None:
    assert low_mood([], TODAY) is None
    # A steep fall, but just two moods this week.
    before = [ci(days_back(n), mood=5) for n in (8, 9, 10)]
    now = [ci(days_back(n), mood=3) for n in (1, 2)]
    assert low_mood(before + now, TODAY) is None
    # Two low moods are not three.
    assert low_mood([ci(days_back(1), mood=1), ci(TODAY, mood=1)], TODAY) is None


def test_low_mood_mixed_is_none() -> None:
    before = [ci(days_back(n), mood=m) for n, m in ((8, 3), (9, 4), (10, 3), (12, 4))]
    now = [ci(days_back(n), mood=m) for n, m in ((0, 3), (1, 2), (2, 4), (3, 3), (5, 2))]
    assert low_mood(before + now, TODAY) is None


def test_low_mood_ignores_future_days() -> None:
    future = [ci(TODAY + timedelta(days=n), mood=1) for n in (1, 2, 3)]
    assert low_mood(future, TODAY) is None


# --------------------------------------------------------------------------- wake trouble


def test_wake_trouble() -> None:
    late = [ci(days_back(n), woke=False) for n in (0, 2, 6)]
    assert wake_trouble(late, TODAY) is True
    assert wake_trouble(late[:2], TODAY) is False
    # One of them a week ago: outside the last 7 days.
    assert wake_trouble([*late[:2], ci(days_back(7), woke=False)], TODAY) is False
    # Skipped answers don't count as late.
    assert wake_trouble([*late[:2], ci(days_back(3), woke=None)], TODAY) is False
    assert wake_trouble([], TODAY) is False


# --------------------------------------------------------------------------- may_show_again


def test_may_show_again_edges() -> None:
    shown = utc(2026, 6, 1, 12, 0)
    assert may_show_again(None, shown, 14) is True
    assert may_show_again(shown, shown, 14) is False
    assert may_show_again(shown, shown + timedelta(days=14) - timedelta(seconds=1), 14) is False
    assert may_show_again(shown, shown + timedelta(days=14), 14) is True
    assert may_show_again(shown, shown + timedelta(days=30), 14) is True
    # A clock that went backwards stays quiet.
    assert may_show_again(shown, shown - timedelta(days=1), 14) is False
    # Zero days: no restriction.
    assert may_show_again(shown, shown, 0) is True
    # Naive moments are UTC, so they compare with aware ones.
    assert may_show_again(datetime(2026, 6, 1, 12, 0), shown + timedelta(days=14), 14) is True


# --------------------------------------------------------------------------- weekly review


def test_review_with_a_plan_matches_the_example() -> None:
    plan = WeekPlan(
        MONDAY, 10, "Finish the readmissions dataset", ("LOR ask", "PS draft", "List"),
        (True, True, False),
    )  # fmt: skip
    checkins = [ci(MONDAY + timedelta(days=n), exam=e) for n, e in enumerate((2, 2, 1, 1.5, 1.5))]
    review = review_week(plan, checkins, MONDAY)
    assert review.planned_exam_hours == 10
    assert review.logged_exam_hours == 8
    assert review.days_checked_in == 5
    assert review.tasks_done == 2 and review.tasks_marked
    assert review.tasks == (("LOR ask", True), ("PS draft", True), ("List", False))
    text = review_text(review)
    assert "You planned 10 hours of exam study and logged 8." in text
    assert "2 of your 3 tasks are done." in text
    assert "You checked in 5 days out of 7." in text
    assert_kind(text)


def test_review_counts_other_work_as_real_work() -> None:
    plan = WeekPlan(MONDAY, 4, "Clinic", ("Email PI",), (True,))
    checkins = [ci(MONDAY, exam=5, role=8, app=2)] + [
        ci(MONDAY + timedelta(days=n), role=8) for n in range(1, 7)
    ]
    text = review_text(review_week(plan, checkins, MONDAY))
    assert "logged 5" in text and "That's the plan, done." in text
    assert "56 hours of research or clinical work" in text
    assert "2 hours on applications" in text
    assert "real work" in text
    assert "Your task is done." in text
    assert "every day" in text
    assert_kind(text)


def test_review_nothing_logged_is_gentle() -> None:
    plan = WeekPlan(MONDAY, 6, "", ("A", "B", "C"))
    review = review_week(plan, [], MONDAY)
    assert review.tasks == (("A", None), ("B", None), ("C", None))
    assert not review.tasks_marked
    text = review_text(review)
    assert "6 hours" in text
    assert "tell me which are done" in text
    assert "That happens" in text
    assert_kind(text)


def test_review_without_a_plan_suggests_planning() -> None:
    checkins = [ci(MONDAY, exam=2, role=4), ci(MONDAY + timedelta(days=3), exam=1)]
    review = review_week(None, checkins, MONDAY)
    assert not review.has_plan and review.planned_exam_hours is None
    assert review.tasks == ()
    text = review_text(review)
    assert "no weekly plan" in text and "that's okay" in text
    assert "3 hours of exam study" in text
    assert "4 hours of research or clinical work" in text
    assert "2 days out of 7" in text
    assert "plan this week" in text
    assert_kind(text)


def test_review_without_plan_or_checkins() -> None:
    text = review_text(review_week(None, [], MONDAY))
    assert "No check-ins" in text and "plan this week" in text
    assert_kind(text)


def test_review_rejects_a_plan_for_another_week() -> None:
    with pytest.raises(ValueError, match="week"):
        review_week(WeekPlan(MONDAY, 1, "", ()), [], MONDAY + timedelta(days=7))


def test_review_is_a_frozen_dataclass() -> None:
    review = review_week(None, [], MONDAY)
    assert isinstance(review, WeekReview)
    with pytest.raises(AttributeError):
        review.days_checked_in = 3  # type: ignore[misc]


# --------------------------------------------------------------------------- parse_hours


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("2", 2.0),
        ("2.5", 2.5),
        ("2,5", 2.5),
        (" 2.5 ", 2.5),
        ("1h30", 1.5),
        ("1h 30m", 1.5),
        ("1 hour 30 minutes", 1.5),
        ("1h", 1.0),
        ("1.5h", 1.5),
        ("2 hours", 2.0),
        ("3 hrs", 3.0),
        ("1:30", 1.5),
        ("90m", 1.5),
        ("90 min", 1.5),
        ("45 minutes", 0.75),
        ("20m", 0.33),
        (".5", 0.5),
        ("about 2", 2.0),
        ("~3", 3.0),
        ("2ish", 2.0),
        ("half an hour", 0.5),
        ("none", 0.0),
        ("None.", 0.0),
        ("0", 0.0),
        ("nothing", 0.0),
        ("16", 16.0),
    ],
)
def test_parse_hours_accepts(text: str, hours: float) -> None:
    assert parse_hours(text) == hours


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("-2", "below zero"),
        ("−1.5", "below zero"),
        ("17", "more than 16"),
        ("1000m", "more than 16"),
        ("2-3", "one number"),
        ("2 or 3", "one number"),
        ("1h75", "59"),
        ("lots", "like 2"),
        ("", "like 2"),
        ("2.5.1", "like 2"),
    ],
)
def test_parse_hours_refuses_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(Invalid) as caught:
        parse_hours(text)
    assert reason in caught.value.reason


# --------------------------------------------------------------------------- shapes


def test_merged_keeps_what_the_later_check_in_left_out() -> None:
    first = CheckIn(date(2026, 3, 25), True, 2, 6, 1, "Sent my CV", 2)
    later = CheckIn(date(2026, 3, 25), None, 3, 0, 0, None, 4)
    assert merged(first, later) == CheckIn(date(2026, 3, 25), True, 3, 0, 0, "Sent my CV", 4)
    with pytest.raises(ValueError):
        merged(first, CheckIn(date(2026, 3, 26), None, 0, 0, 0, None, None))


def test_checkin_round_trip_through_json() -> None:
    for checkin in (
        CheckIn(TODAY, True, 2.5, 8.0, 0.0, "Sent my PI the draft", 4),
        CheckIn(TODAY, None, 0.0, 0.0, 0.0, None, None),
    ):
        data = json.loads(json.dumps(checkin.as_dict()))
        assert CheckIn.from_dict(data) == checkin


def test_checkin_from_dict_makes_floats() -> None:
    data = {"day": "2026-06-10", "woke_on_time": False, "exam_hours": 2, "role_hours": 0}
    data |= {"app_hours": 1, "win": None, "mood": 3}
    checkin = CheckIn.from_dict(data)
    assert isinstance(checkin.exam_hours, float) and checkin.exam_hours == 2.0


def test_weekplan_round_trip_through_json() -> None:
    for plan in (
        WeekPlan(MONDAY, 10.0, "Dataset, then grand rounds", ("A", "B", "C")),
        WeekPlan(MONDAY, 0.0, "", ("A", "B"), (True, False)),
    ):
        data = json.loads(json.dumps(plan.as_dict()))
        assert WeekPlan.from_dict(data) == plan


@pytest.mark.parametrize(
    "make",
    [
        lambda: CheckIn(TODAY, True, -1.0, 0.0, 0.0, None, 3),
        lambda: CheckIn(TODAY, True, 0.0, MAX_DAY_HOURS + 1, 0.0, None, 3),
        lambda: CheckIn(TODAY, True, 0.0, 0.0, float("nan"), None, 3),
        lambda: CheckIn(TODAY, True, 0.0, 0.0, 0.0, None, 6),
        lambda: CheckIn(TODAY, True, 0.0, 0.0, 0.0, None, 0),
        lambda: WeekPlan(TODAY, 1.0, "", ()),  # a Wednesday
        lambda: WeekPlan(MONDAY, 1.0, "", ("A", "B", "C", "D")),
        lambda: WeekPlan(MONDAY, 1.0, "", ("A", "B"), (True,)),
    ],
)
def test_shapes_refuse_impossible_values(make: object) -> None:
    with pytest.raises(ValueError):
        make()  # type: ignore[operator]


# --------------------------------------------------------------------------- care texts


def test_care_texts_are_warm_and_never_diagnose() -> None:
    for text in (CARE_LOW_MOOD, CARE_SLEEP, CARE_MONEY):
        assert_kind(text)
        for word in ("depress", "disorder", "anxiety", "insomnia", "diagnos", "you have"):
            assert word not in text.casefold()
        assert len(text) < 900
    assert "therapist" in CARE_LOW_MOOD
    assert "988" in CARE_LOW_MOOD
    assert "primary care" in CARE_LOW_MOOD
    assert "employee assistance program" in CARE_LOW_MOOD
    assert "Psychology Today" in CARE_LOW_MOOD
    assert "lighter" in CARE_LOW_MOOD
    assert "wake time" in CARE_SLEEP and "sleep" in CARE_SLEEP
    assert "end date" in CARE_MONEY
    assert all(w in CARE_MONEY for w in ("research", "clinical", "exam"))


@pytest.mark.parametrize(
    ("done", "expected"),
    [
        ((True, True, True), "All 3 tasks are done."),
        ((True, False, False), "1 of your 3 tasks is done."),
        ((False, False, False), "Your tasks can carry over to this week."),
    ],
)
def test_review_task_lines(done: tuple[bool, ...], expected: str) -> None:
    plan = WeekPlan(MONDAY, 0, "", ("A", "B", "C"), done)
    text = review_text(review_week(plan, [ci(MONDAY)], MONDAY))
    assert expected in text
    assert "exam study" not in text  # none planned, none logged: nothing to say
    assert "1 day out of 7" in text
    assert_kind(text)
