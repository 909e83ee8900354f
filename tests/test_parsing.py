"""Tests for conversations.rules.parsing: every accepted phone-typed form and every refusal."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, available_timezones

import pytest

from conversations.rules import parsing
from conversations.rules.parsing import (
    Invalid,
    describe_zone,
    normalize_free_text,
    parse_clock_time,
    parse_comlex_score,
    parse_count,
    parse_date,
    parse_timezone,
    parse_usmle_score,
    parse_weekday,
    zone_for,
)

# A fixed "today" (a Tuesday) so nothing depends on the real clock.
TODAY = date(2025, 11, 25)


def reason_of(call: object, *args: object, **kwargs: object) -> str:
    assert callable(call)
    with pytest.raises(Invalid) as info:
        call(*args, **kwargs)
    assert info.value.reason == str(info.value)
    assert info.value.reason.strip()
    return info.value.reason


def test_invalid_is_a_value_error_with_reason() -> None:
    err = Invalid("Try 7am.")
    assert isinstance(err, ValueError)
    assert err.reason == "Try 7am."


# ----------------------------------------------------------------------------- parse_count


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", 12),
        (" 12 ", 12),
        ("12 programs", 12),
        ("12 programs so far", 12),
        ("about 45", 45),
        ("around 45", 45),
        ("~45", 45),
        ("~ 45", 45),
        ("45ish", 45),
        ("45.", 45),
        ("0", 0),
        ("zero", 0),
        ("none", 0),
        ("None yet", 0),
        ("no", 0),
        ("one", 1),
        ("Twelve", 12),
        ("twenty", 20),
        ("1,200", 1200),
        ("١٢", 12),  # Arabic-Indic digits from an Arabic keyboard
    ],
)
def test_parse_count_accepts(text: str, expected: int) -> None:
    assert parse_count(text, low=0, high=2000, what="programs") == expected


@pytest.mark.parametrize(
    "text",
    [
        "12.5",
        "-3",
        "lots",
        "",
        "   ",
        "12 or 13",
        "12-15",
        "45+",
        "no idea",
        "twenty one",
        "twenty-one",
        "12,5",
        "12 and a half",
        "one or two",
        "12 hundred",
        "a dozen",
    ],
)
def test_parse_count_refuses(text: str) -> None:
    reason = reason_of(parse_count, text, low=0, high=50, what="programs")
    assert "whole number from 0 to 50" in reason
    assert "number of programs" in reason


@pytest.mark.parametrize("text", ["51", "fifty-one", "400"])
def test_parse_count_out_of_range_names_range_and_what(text: str) -> None:
    reason = reason_of(parse_count, text, low=0, high=50, what="interviews")
    assert "0 to 50" in reason
    assert "interviews" in reason


def test_parse_count_below_low() -> None:
    reason = reason_of(parse_count, "0", low=1, high=400, what="number of programs")
    # "number of" is not doubled when the caller already says it.
    assert "the number of programs as a whole number from 1 to 400" in reason
    assert "number of number" not in reason


def test_parse_count_example_is_in_range() -> None:
    reason = reason_of(parse_count, "x", low=0, high=10, what="letters")
    assert reason.endswith("like 2.")


# ----------------------------------------------------------------------------- scores


@pytest.mark.parametrize(
    ("text", "expected"), [("231", 231), (" 231 ", 231), ("1", 1), ("300", 300), ("245.", 245)]
)
def test_parse_usmle_score_accepts(text: str, expected: int) -> None:
    assert parse_usmle_score(text) == expected


@pytest.mark.parametrize("text", ["0", "301", "231.5", "-231", "two hundred", "", "about 230"])
def test_parse_usmle_score_refuses(text: str) -> None:
    reason = reason_of(parse_usmle_score, text)
    assert "1 to 300" in reason
    assert "USMLE" in reason


@pytest.mark.parametrize("text", ["pass", "Passed", "fail"])
def test_scores_explain_pass_fail(text: str) -> None:
    assert "pass/fail" in reason_of(parse_usmle_score, text)
    assert "pass/fail" in reason_of(parse_comlex_score, text)


@pytest.mark.parametrize(("text", "expected"), [("520", 520), ("100", 100), ("999", 999)])
def test_parse_comlex_score_accepts(text: str, expected: int) -> None:
    assert parse_comlex_score(text) == expected


@pytest.mark.parametrize("text", ["99", "1000", "0", "52", "520.5", "five hundred", ""])
def test_parse_comlex_score_refuses(text: str) -> None:
    reason = reason_of(parse_comlex_score, text)
    assert "100 to 999" in reason
    assert "COMLEX" in reason


# ----------------------------------------------------------------------------- clock time


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7am", time(7, 0)),
        ("7 am", time(7, 0)),
        ("7AM", time(7, 0)),
        ("7 a.m.", time(7, 0)),
        ("7a", time(7, 0)),
        ("7:30am", time(7, 30)),
        ("7:30 AM", time(7, 30)),
        ("7:30\u202fPM", time(19, 30)),  # narrow no-break space, as iOS copies it
        ("7.30 pm", time(19, 30)),
        ("7.30pm", time(19, 30)),
        ("7 30 pm", time(19, 30)),
        ("07:00", time(7, 0)),
        ("19:30", time(19, 30)),
        ("7", time(7, 0)),
        ("19", time(19, 0)),
        ("0", time(0, 0)),
        ("00:00", time(0, 0)),
        ("23:59", time(23, 59)),
        ("noon", time(12, 0)),
        ("Noon", time(12, 0)),
        ("12 noon", time(12, 0)),
        ("midnight", time(0, 0)),
        ("1930", time(19, 30)),
        ("0700", time(7, 0)),
        ("730", time(7, 30)),
        ("730pm", time(19, 30)),
        ("12am", time(0, 0)),
        ("12:30 am", time(0, 30)),
        ("12pm", time(12, 0)),
        ("12:15pm", time(12, 15)),
        ("7 o'clock", time(7, 0)),
        ("9pm.", time(21, 0)),
    ],
)
def test_parse_clock_time_accepts(text: str, expected: time) -> None:
    assert parse_clock_time(text) == expected


@pytest.mark.parametrize(
    ("text", "must_mention"),
    [
        ("25:00", "0 to 23"),
        ("24:00", "0 to 23"),
        ("7:75", "00 to 59"),
        ("7:5", "two digits"),
        ("13pm", "1 to 12"),
        ("0am", "1 to 12"),
        ("banana", "7:30 pm"),
        ("", "7am"),
        ("7:30:15", "7am"),
        ("-7", "7am"),
    ],
)
def test_parse_clock_time_refuses(text: str, must_mention: str) -> None:
    assert must_mention in reason_of(parse_clock_time, text)


# ----------------------------------------------------------------------------- time zones


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # IANA names in any case
        ("America/Chicago", "America/Chicago"),
        ("america/chicago", "America/Chicago"),
        ("Asia/Kolkata", "Asia/Kolkata"),
        ("ASIA/KOLKATA", "Asia/Kolkata"),
        ("america/new york", "America/New_York"),
        ("America/Port-au-Prince", "America/Port-au-Prince"),
        ("Etc/GMT+5", "Etc/GMT+5"),
        # last part of an IANA name
        ("chicago", "America/Chicago"),
        ("new york", "America/New_York"),
        ("New_York", "America/New_York"),
        ("Los Angeles", "America/Los_Angeles"),
        ("kolkata", "Asia/Kolkata"),
        ("lagos", "Africa/Lagos"),
        ("Sao Paulo", "America/Sao_Paulo"),
        ("São Paulo", "America/Sao_Paulo"),
        ("Buenos Aires", "America/Argentina/Buenos_Aires"),
        ("Louisville", "America/Kentucky/Louisville"),
        ("Indianapolis", "America/Indiana/Indianapolis"),
        ("Chicago.", "America/Chicago"),
        # US zone words and abbreviations
        ("eastern", "America/New_York"),
        ("Eastern time", "America/New_York"),
        ("eastern time zone", "America/New_York"),
        ("central", "America/Chicago"),
        ("mountain", "America/Denver"),
        ("pacific", "America/Los_Angeles"),
        ("Pacific Standard Time", "America/Los_Angeles"),
        ("alaska", "America/Anchorage"),
        ("hawaii", "Pacific/Honolulu"),
        ("ET", "America/New_York"),
        ("EST", "America/New_York"),
        ("EDT", "America/New_York"),
        ("CT", "America/Chicago"),
        ("CST", "America/Chicago"),
        ("MT", "America/Denver"),
        ("MST", "America/Denver"),
        ("Arizona", "America/Phoenix"),
        ("PT", "America/Los_Angeles"),
        ("PST", "America/Los_Angeles"),
        # places written the way people write them
        ("Houston, TX", "America/Chicago"),
        ("Houston TX USA", "America/Chicago"),
        ("Lahore, Pakistan", "Asia/Karachi"),
        ("Lagos Nigeria", "Africa/Lagos"),
        ("I'm in Boston", "America/New_York"),
        ("Atlanta, Georgia", "America/New_York"),
        ("Tbilisi, Georgia", "Asia/Tbilisi"),
        ("Portland", "America/Los_Angeles"),
        ("Portland, Maine", "America/New_York"),
        ("Mountain View", "America/Los_Angeles"),
        ("Saint Louis", "America/Chicago"),
        ("St Louis", "America/Chicago"),
        ("the Bronx", "America/New_York"),
        ("london time", "Europe/London"),
        ("Birmingham, Alabama", "America/Chicago"),
        ("Rochester MN", "America/Chicago"),
        ("Hyderabad, India", "Asia/Kolkata"),
        ("Havana Cuba", "America/Havana"),
        ("Cuba", "America/Havana"),
        ("Egypt Cairo", "Africa/Cairo"),
        ("London, Ontario", "America/Toronto"),
        ("Toronto, ON", "America/Toronto"),
        ("Los Angeles, CA", "America/Los_Angeles"),
        ("LA", "America/Los_Angeles"),
        ("east coast", "America/New_York"),
        ("U.S. Virgin Islands", "America/St_Thomas"),
    ],
)
def test_parse_timezone_accepts(text: str, expected: str) -> None:
    assert parse_timezone(text) == expected


US_CITIES = {
    "America/New_York": [
        "Boston", "Philadelphia", "Washington DC", "Washington, D.C.", "DC", "Atlanta", "Miami",
        "Orlando", "Tampa", "Baltimore", "Pittsburgh", "Cleveland", "Charlotte", "Raleigh",
        "Columbus", "Cincinnati", "Newark", "Brooklyn", "Queens", "NYC",
    ],
    "America/Detroit": ["Detroit"],
    "America/Chicago": [
        "Nashville", "Dallas", "Houston", "Austin", "San Antonio", "Minneapolis", "St. Louis",
        "Kansas City", "Milwaukee", "New Orleans", "Oklahoma City", "Memphis",
    ],
    "America/Indiana/Indianapolis": ["Indianapolis"],
    "America/Denver": ["Denver", "Salt Lake City", "Albuquerque", "El Paso"],
    "America/Phoenix": ["Phoenix", "Tucson"],
    "America/Los_Angeles": [
        "Seattle", "Portland", "San Francisco", "San Diego", "San Jose", "Sacramento",
        "Las Vegas",
    ],
    "Pacific/Honolulu": ["Honolulu"],
    "America/Anchorage": ["Anchorage"],
}  # fmt: skip

ABROAD = {
    "Asia/Kolkata": ["India", "Mumbai", "Delhi", "New Delhi", "Bangalore", "Bengaluru"],
    "Asia/Karachi": ["Pakistan", "Lahore", "Islamabad", "Karachi"],
    "Africa/Lagos": ["Nigeria", "Abuja", "Lagos"],
    "Africa/Cairo": ["Egypt", "Cairo"],
    "Asia/Manila": ["Philippines", "Manila"],
    "Asia/Dhaka": ["Bangladesh", "Dhaka"],
    "Asia/Kathmandu": ["Nepal", "Kathmandu"],
    "Asia/Tehran": ["Iran", "Tehran"],
    "Asia/Amman": ["Jordan"],
    "Asia/Beirut": ["Lebanon"],
    "Asia/Damascus": ["Syria"],
    "Asia/Riyadh": ["Saudi Arabia", "Riyadh", "KSA"],
    "Asia/Dubai": ["UAE", "Dubai", "United Arab Emirates"],
    "America/Grenada": ["Grenada", "St. George's"],
    "America/St_Kitts": ["St. Kitts", "St Kitts", "Saint Kitts"],
    "America/Dominica": ["Dominica"],
    "America/Curacao": ["Curacao", "Curaçao"],
    "America/Lower_Princes": ["Sint Maarten", "St. Maarten"],
    "America/Barbados": ["Barbados"],
    "America/Antigua": ["Antigua"],
    "America/St_Lucia": ["St. Lucia", "Saint Lucia"],
    "America/Mexico_City": ["Mexico", "Mexico City"],
    "America/Sao_Paulo": ["Brazil"],
    "Europe/London": ["UK", "United Kingdom", "England", "London"],
    "America/Toronto": ["Canada", "Toronto"],
    "America/Vancouver": ["Vancouver"],
    "Asia/Jerusalem": ["Israel"],
    "Europe/Kyiv": ["Ukraine"],
    "Europe/Moscow": ["Russia"],
    "Asia/Shanghai": ["China"],
    "Asia/Seoul": ["Korea", "South Korea"],
    "Asia/Tokyo": ["Japan"],
    "Australia/Sydney": ["Australia"],
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (place, key)
        for table in (US_CITIES, ABROAD)
        for key, places in table.items()
        for place in places
    ],
)
def test_parse_timezone_places(text: str, expected: str) -> None:
    assert parse_timezone(text) == expected
    assert parse_timezone(text.upper()) == expected
    assert parse_timezone(f"  {text.lower()}  ") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("UTC", "UTC"),
        ("utc", "UTC"),
        ("GMT", "UTC"),
        ("UTC+0", "UTC"),
        ("+00:00", "UTC"),
        ("UTC+5:30", "UTC+05:30"),
        ("utc+05:30", "UTC+05:30"),
        ("GMT+5:30", "UTC+05:30"),
        ("GMT-4", "UTC-04:00"),
        ("gmt -4", "UTC-04:00"),
        ("+0530", "UTC+05:30"),
        ("+530", "UTC+05:30"),
        ("-3", "UTC-03:00"),
        ("−3", "UTC-03:00"),  # Unicode minus sign
        ("UTC +1", "UTC+01:00"),
        ("UTC + 5:45", "UTC+05:45"),
        ("UTC-12", "UTC-12:00"),
        ("UTC+14", "UTC+14:00"),
    ],
)
def test_parse_timezone_offsets(text: str, expected: str) -> None:
    assert parse_timezone(text) == expected


@pytest.mark.parametrize(
    ("text", "must_mention"),
    [
        ("banana", "UTC-5"),
        ("Narnia", "big city"),
        ("", "UTC-5"),
        ("   ", "big city"),
        ("chicgo", "Did you mean Chicago?"),
        ("Kolkatta", "Did you mean Kolkata?"),
        ("UTC+15", "UTC-12 to UTC+14"),
        ("GMT-13", "UTC-12 to UTC+14"),
        ("UTC+5:20", "UTC+5:30"),
        ("3", "add + or -"),
        ("5:30", "add + or -"),
        ("USA", "Eastern, Central, Mountain or Pacific"),
        ("IST", "Delhi"),
        ("Washington", "Seattle"),
        ("Georgia", "Tbilisi"),
        ("Hyderabad", "India"),
        ("North", "big city"),  # legacy Australia/North is not a city anyone means
        ("west", "big city"),
        ("Tennessee", "Nashville"),
        ("Caribbean", "Grenada"),
        ("U.S.", "Eastern, Central, Mountain or Pacific"),
        ("Central America", "big city"),
    ],
)
def test_parse_timezone_refuses(text: str, must_mention: str) -> None:
    assert must_mention in reason_of(parse_timezone, text)


def test_every_alias_points_at_a_real_zone() -> None:
    keys = available_timezones()
    missing = {name: key for name, key in parsing._ZONE_ALIASES.items() if key not in keys}
    assert missing == {}


# ----------------------------------------------------------------------------- zone_for


@pytest.mark.parametrize(
    ("key", "offset"),
    [
        ("UTC", timedelta(0)),
        ("UTC+05:30", timedelta(hours=5, minutes=30)),
        ("UTC-04:00", timedelta(hours=-4)),
        ("UTC+05:45", timedelta(hours=5, minutes=45)),
        ("UTC-09:30", timedelta(hours=-9, minutes=-30)),
    ],
)
def test_zone_for_fixed_offsets(key: str, offset: timedelta) -> None:
    zone = zone_for(key)
    assert isinstance(zone, timezone)
    # Fixed: the same in January and July.
    assert zone.utcoffset(datetime(2026, 1, 15)) == offset
    assert zone.utcoffset(datetime(2026, 7, 15)) == offset


def test_zone_for_iana() -> None:
    assert zone_for("America/Chicago") == ZoneInfo("America/Chicago")


@pytest.mark.parametrize(
    "key",
    [
        "",
        "America",
        "../etc/passwd",
        "/etc/localtime",
        "Mars/Olympus_Mons",
        "utc+05:30",
        "UTC+5:30",
        "UTC+25:00",
        "UTC+05:75",
    ],
)
def test_zone_for_refuses_bad_keys(key: str) -> None:
    assert "UTC-5" in reason_of(zone_for, key)


@pytest.mark.parametrize(
    "text", ["chicago", "UTC+5:30", "-3", "GMT", "EST", "Etc/GMT+5", "Sint Maarten", "India"]
)
def test_parse_timezone_output_round_trips_through_zone_for(text: str) -> None:
    zone_for(parse_timezone(text))


# ----------------------------------------------------------------------------- describe_zone

JULY_NOON_UTC = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
JANUARY_NOON_UTC = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)


def test_describe_zone_follows_dst_for_iana_zones() -> None:
    summer = describe_zone("America/New_York", JULY_NOON_UTC)
    winter = describe_zone("America/New_York", JANUARY_NOON_UTC)
    assert summer == "New York time (America/New_York), now 8:00 AM"  # EDT, UTC-4
    assert winter == "New York time (America/New_York), now 7:00 AM"  # EST, UTC-5
    zone = zone_for("America/New_York")
    assert JULY_NOON_UTC.astimezone(zone).utcoffset() == timedelta(hours=-4)
    assert JANUARY_NOON_UTC.astimezone(zone).utcoffset() == timedelta(hours=-5)


def test_describe_zone_fixed_offset_ignores_dst() -> None:
    assert describe_zone("UTC-04:00", JULY_NOON_UTC) == "UTC-04:00, now 8:00 AM"
    assert describe_zone("UTC-04:00", JANUARY_NOON_UTC) == "UTC-04:00, now 8:00 AM"


@pytest.mark.parametrize(
    ("key", "now_utc", "expected"),
    [
        (
            "America/Chicago",
            datetime(2026, 3, 20, 1, 14, tzinfo=UTC),
            "Chicago time (America/Chicago), now 8:14 PM",
        ),
        (
            "UTC+05:30",
            datetime(2026, 3, 20, 1, 14, tzinfo=UTC),
            "UTC+05:30, now 6:44 AM",
        ),
        ("UTC", datetime(2026, 3, 20, 0, 5, tzinfo=UTC), "UTC, now 12:05 AM"),
        (
            "America/Argentina/Buenos_Aires",
            datetime(2026, 3, 20, 15, 0, tzinfo=UTC),
            "Buenos Aires time (America/Argentina/Buenos_Aires), now 12:00 PM",
        ),
        ("Etc/GMT+5", datetime(2026, 3, 20, 15, 0, tzinfo=UTC), "Etc/GMT+5, now 10:00 AM"),
        # a naive datetime is taken as UTC
        ("Asia/Kolkata", datetime(2026, 3, 20, 1, 14), "Kolkata time (Asia/Kolkata), now 6:44 AM"),
    ],
)
def test_describe_zone_labels(key: str, now_utc: datetime, expected: str) -> None:
    assert describe_zone(key, now_utc) == expected


def test_describe_zone_refuses_bad_key() -> None:
    reason_of(describe_zone, "Nowhere/Land", JULY_NOON_UTC)


# ----------------------------------------------------------------------------- parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", TODAY),
        ("Today", TODAY),
        ("tomorrow", date(2025, 11, 26)),
        ("tmrw", date(2025, 11, 26)),
        ("yesterday", date(2025, 11, 24)),
        ("day after tomorrow", date(2025, 11, 27)),
        # weekday names mean the first such day after today (TODAY is a Tuesday)
        ("wednesday", date(2025, 11, 26)),
        ("monday", date(2025, 12, 1)),
        ("next monday", date(2025, 12, 1)),
        ("this friday", date(2025, 11, 28)),
        ("on fri", date(2025, 11, 28)),
        ("tuesday", date(2025, 12, 2)),
        ("last monday", date(2025, 11, 24)),
        ("last tuesday", date(2025, 11, 18)),
        ("in 3 days", date(2025, 11, 28)),
        ("in a week", date(2025, 12, 2)),
        ("in two weeks", date(2025, 12, 9)),
        # explicit dates
        ("2026-03-20", date(2026, 3, 20)),
        ("2026/3/20", date(2026, 3, 20)),
        ("20 March 2026", date(2026, 3, 20)),
        ("20th of March 2026", date(2026, 3, 20)),
        ("Mar 20, 2027", date(2027, 3, 20)),
        ("March 20th, 2026", date(2026, 3, 20)),
        ("Sept 5 2026", date(2026, 9, 5)),
        ("Friday, March 20, 2026", date(2026, 3, 20)),
        # slashes are US month/day
        ("3/20/2026", date(2026, 3, 20)),
        ("3/20/26", date(2026, 3, 20)),
        ("03/04/2026", date(2026, 3, 4)),
        # ...unless that is impossible and day/month is not
        ("20/3/2026", date(2026, 3, 20)),
        # dots are day.month
        ("20.03.2026", date(2026, 3, 20)),
        ("04.03.2026", date(2026, 3, 4)),
        ("20.3.26", date(2026, 3, 20)),
        # no year: next occurrence on/after today
        ("March 20", date(2026, 3, 20)),
        ("20 March", date(2026, 3, 20)),
        ("mar 20", date(2026, 3, 20)),
        ("3/20", date(2026, 3, 20)),
        ("20.3", date(2026, 3, 20)),
        ("Nov 25", TODAY),
        ("Nov 24", date(2026, 11, 24)),
        ("Dec 1", date(2025, 12, 1)),
        ("Feb 29", date(2028, 2, 29)),
    ],
)
def test_parse_date_accepts(text: str, expected: date) -> None:
    assert parse_date(text, today=TODAY) == expected


def test_year_inference_prefers_previous_when_next_is_past_latest() -> None:
    # A question about the past (latest=today): "March 20" means the last March 20.
    assert parse_date("March 20", today=TODAY, latest=TODAY) == date(2025, 3, 20)
    assert parse_date("Feb 29", today=TODAY, latest=TODAY) == date(2024, 2, 29)
    assert parse_date("3/20", today=TODAY, latest=TODAY) == date(2025, 3, 20)


def test_year_inference_keeps_next_when_it_fits() -> None:
    latest = TODAY + timedelta(days=365)
    assert parse_date("March 20", today=TODAY, latest=latest) == date(2026, 3, 20)


def test_year_inference_keeps_next_when_previous_is_before_earliest() -> None:
    earliest = TODAY - timedelta(days=30)
    reason = reason_of(parse_date, "March 20", today=TODAY, earliest=earliest, latest=TODAY)
    assert reason == "Pick a date between Oct 26, 2025 and Nov 25, 2025."


@pytest.mark.parametrize("text", ["2025-11-24", "yesterday", "Nov 25, 2027 ", "12/1/2027"])
def test_parse_date_refuses_outside_window(text: str) -> None:
    reason = reason_of(parse_date, text, today=TODAY, earliest=TODAY, latest=date(2027, 11, 24))
    assert reason == "Pick a date between Nov 25, 2025 and Nov 24, 2027."


def test_parse_date_window_edges_are_inclusive() -> None:
    latest = date(2027, 11, 25)
    assert parse_date("today", today=TODAY, earliest=TODAY, latest=latest) == TODAY
    assert parse_date("Nov 25, 2027", today=TODAY, earliest=TODAY, latest=latest) == latest


def test_parse_date_one_sided_windows() -> None:
    after = reason_of(parse_date, "yesterday", today=TODAY, earliest=TODAY)
    assert after == "Pick a date on or after Nov 25, 2025."
    before = reason_of(parse_date, "tomorrow", today=TODAY, latest=TODAY)
    assert before == "Pick a date on or before Nov 25, 2025."


@pytest.mark.parametrize(
    ("text", "must_mention"),
    [
        ("soon", "March 20"),
        ("banana", "tomorrow"),
        ("", "2026-03-20"),
        ("13/13/2026", "March 20"),
        ("2026-13-01", "March 20"),
        ("0000-01-01", "March 20"),
        ("Feb 30", "February doesn't have a day 30"),
        ("April 31", "April doesn't have a day 31"),
        ("Feb 29 2027", "February 2027 has 28 days"),
        ("2/30/2026", "February 2026 has 28 days"),
        ("March", "Which day in March?"),
        ("March 2026", "Which day in March?"),
        ("Saturday, March 20, 2026", "is a Friday, not a Saturday"),
        ("in lots of days", "tomorrow"),
    ],
)
def test_parse_date_refuses(text: str, must_mention: str) -> None:
    assert must_mention in reason_of(parse_date, text, today=TODAY)


# ----------------------------------------------------------------------------- free text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  Ana  ", "Ana"),
        ("Ana   Maria\tLopez", "Ana Maria Lopez"),
        ("Ana\u00a0Maria", "Ana Maria"),  # no-break space
        ("\u200bAna\ufeff", "Ana"),  # zero-width space and BOM from copy-paste
        ("line one   \n   line two", "line one\nline two"),
        ("para one\n\n\n\npara two", "para one\n\npara two"),
        ("a\r\nb", "a\nb"),
        ("👩\u200d⚕️ future IM doc", "👩\u200d⚕️ future IM doc"),  # ZWJ kept for emoji
    ],
)
def test_normalize_free_text(text: str, expected: str) -> None:
    assert normalize_free_text(text, max_len=100, what="name") == expected


@pytest.mark.parametrize("text", ["", "   ", "\n\t \n", "\u200b"])
def test_normalize_free_text_refuses_empty(text: str) -> None:
    reason = reason_of(normalize_free_text, text, max_len=40, what="name")
    assert reason.startswith("I didn't catch any text there")
    assert "name" in reason


def test_normalize_free_text_length_limit() -> None:
    assert normalize_free_text("x" * 40, max_len=40, what="name") == "x" * 40
    # Collapsing happens before counting.
    assert normalize_free_text("a" + " " * 60 + "b", max_len=3, what="name") == "a b"
    reason = reason_of(normalize_free_text, "x" * 41, max_len=40, what="name")
    assert "40 characters" in reason
    assert "name" in reason


# ----------------------------------------------------------------------------- natural dates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # what a tired person types (TODAY is Tuesday, November 25, 2025)
        ("end of june", date(2026, 6, 30)),
        ("End of June.", date(2026, 6, 30)),
        ("the end of february", date(2026, 2, 28)),
        ("end of the month", date(2025, 11, 30)),
        ("end of next month", date(2025, 12, 31)),
        ("mid december", date(2025, 12, 15)),
        ("beginning of january", date(2026, 1, 1)),
        ("early march", date(2026, 3, 1)),
        ("tomorrow 2pm", date(2025, 11, 26)),
        ("tomorrow at 14:30", date(2025, 11, 26)),
        ("friday at 3", date(2025, 11, 28)),
        ("wed 9am", date(2025, 11, 26)),
        ("Sunday evening", date(2025, 11, 30)),
        ("next tuesday 3pm", date(2025, 12, 2)),
        ("in 3 weeks", date(2025, 12, 16)),
        ("in 2 months", date(2026, 1, 25)),
        ("next week", date(2025, 12, 2)),
        ("a week from today", date(2025, 12, 2)),
        ("two weeks from now", date(2025, 12, 9)),
        ("in a fortnight", date(2025, 12, 9)),
        ("june 5 at 3pm", date(2026, 6, 5)),
    ],
)
def test_parse_date_understands_natural_phrases(text: str, expected: date) -> None:
    assert parse_date(text, today=TODAY) == expected


@pytest.mark.parametrize("text", ["soon", "12", "whenever", "the 5th", "june-ish maybe", "2pm"])
def test_natural_phrases_that_name_no_day_are_still_refused(text: str) -> None:
    assert "couldn't read that as a date" in reason_of(parse_date, text, today=TODAY)


def test_natural_phrases_keep_the_window() -> None:
    reason = reason_of(parse_date, "in 2 months", today=TODAY, latest=TODAY + timedelta(days=30))
    assert reason == "Pick a date on or before Dec 25, 2025."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sunday", "sun"),
        ("Sundays", "sun"),
        ("SUN", "sun"),
        ("on sunday", "sun"),
        ("every Wednesday", "wed"),
        ("thurs", "thu"),
        ("Tues.", "tue"),
    ],
)
def test_parse_weekday(text: str, expected: str) -> None:
    assert parse_weekday(text) == expected


def test_parse_weekday_refuses_what_is_no_day() -> None:
    assert "Monday" in reason_of(parse_weekday, "funday")
