"""Onboarding: the profile every later part of the plan reads, one question at a time.

Every question the coach asks here is in the ``ONBOARDING`` declaration below, in order.
Stored values are JSON-safe (times as "HH:MM", dates as ISO strings) and keep the keys
named here, which is what the post-mortem, the target choice and the plan read later.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from conversations.engine import Choice, Context, Flow, Question
from conversations.rules.clock import typing_examples, uses_24h
from conversations.rules.parsing import (
    Invalid,
    describe_zone,
    label_key,
    normalize_free_text,
    parse_clock_time,
    parse_comlex_score,
    parse_count,
    parse_date,
    parse_timezone,
    parse_usmle_score,
)
from conversations.rules.specialties import KNOWN, match_specialty
from conversations.session import ONBOARDING_FLOW

# ---------------------------------------------------------------- answer parsers


def _name(text: str, ctx: Context) -> str:
    return normalize_free_text(text, max_len=40, what="name")


# The buttons: the first sixteen names the coach knows (the rest are matched when typed).
SPECIALTIES = KNOWN[:16]


def _specialty(text: str, ctx: Context) -> str:
    cleaned = normalize_free_text(text, max_len=60, what="specialty")
    return match_specialty(cleaned) or cleaned


def _specialty_understood(typed: str, value: Any) -> str | None:
    """ "Got it: Internal Medicine." when "internal med" was read as it; nothing when the
    name was typed in full, or kept as typed."""
    return None if label_key(typed) == label_key(str(value)) else f"Got it: {value}."


def _programs(text: str, ctx: Context) -> int:
    return parse_count(text, low=1, high=400, what="number of programs")


def _interviews(text: str, ctx: Context) -> int:
    n = parse_count(text, low=0, high=400, what="number of interviews")
    applied = ctx.answers.get("programs_applied")
    if isinstance(applied, int) and n > applied:
        raise Invalid(
            f"That's more interviews than the {applied} programs you applied to. "
            "Could you check the number? (Or use /back to change the programs count.)"
        )
    return n


def _usmle_result(text: str, ctx: Context) -> int:
    return parse_usmle_score(text)


def _comlex_result(text: str, ctx: Context) -> int:
    return parse_comlex_score(text)


def _small_count(what: str, high: int = 100):
    def parse(text: str, ctx: Context) -> int:
        return parse_count(text, low=0, high=high, what=what)

    return parse


def _timezone(text: str, ctx: Context) -> str:
    return parse_timezone(text)


def _start_date(text: str, ctx: Context) -> str:
    today = ctx.today
    earliest = today - timedelta(days=365)
    latest = today + timedelta(days=365)
    return parse_date(text, today=today, earliest=earliest, latest=latest).isoformat()


def _clock(text: str, ctx: Context) -> str:
    return parse_clock_time(text).strftime("%H:%M")


# ---------------------------------------------------------------- how values read


def show_date(value: Any) -> str:
    d = date.fromisoformat(str(value))
    return f"{d:%a, %b} {d.day}, {d.year}"


def _show_exam(value: Any) -> str:
    return {"pass": "passed", "fail": "failed", "not_taken": "not taken"}.get(
        str(value), str(value)
    )


_US_ZONES = {
    "America/New_York": "Eastern",
    "America/Chicago": "Central",
    "America/Denver": "Mountain",
    "America/Los_Angeles": "Pacific",
}


def _show_zone(value: Any) -> str:
    key = str(value)
    return f"{_US_ZONES[key]} time ({key})" if key in _US_ZONES else key


def _confirm_zone(value: Any, ctx: Context) -> str:
    # Their clock from here on: the one they chose, else the one this zone writes.
    hour24 = uses_24h(str(value), getattr(ctx.user, "clock_choice", None))
    return f"I'll use {describe_zone(str(value), ctx.now_utc, hour24)}. Is that right?"


# ---------------------------------------------------------------- when questions apply


def _is_do(ctx: Context) -> bool:
    """US DO only."""
    return ctx.answers.get("degree") == "us_do"


def _takes_usmle(ctx: Context) -> bool:
    """MD, IMG, or a DO who also took USMLE."""
    return not _is_do(ctx) or ctx.answers.get("took_usmle") == "yes"


def _is_img(ctx: Context) -> bool:
    """IMG only."""
    return ctx.answers.get("degree") == "img"


def _name_choices(ctx: Context) -> list[Choice]:
    if ctx.first_name:
        return [Choice("me", ctx.first_name[:40], stores=ctx.first_name[:40])]
    return []


def _wake_prompt(ctx: Context) -> str:
    return (
        "A steady wake time, weekends too, is what a year like this is built on. What time "
        "do you plan to be up each day? The daily check-in will ask if you made it. "
        f"Tap or type one (like {typing_examples(ctx.hour24)}), or Skip."
    )


def _checkin_prompt(ctx: Context) -> str:
    return (
        "Last one: when would you like your short daily check-in? "
        f"Tap a time or type one (like {typing_examples(ctx.hour24)})."
    )


def _start_choices(ctx: Context) -> list[Choice]:
    today = ctx.today
    return [Choice("today", f"Today ({today:%b} {today.day})", typed=True)]


EXAM_RESULT = (
    Choice("pass", "Passed"),
    Choice("fail", "Failed"),
    Choice("not_taken", "Not taken"),
)
COUNT_BUTTONS = tuple(Choice(str(n), str(n), typed=True) for n in range(6))


ONBOARDING = Flow(
    name=ONBOARDING_FLOW,
    code="ob",
    questions=(
        Question(
            "name",
            "Name",
            "First, what should I call you? Tap your name or type another.",
            choices=_name_choices,
            parse=_name,
            optional=True,
        ),
        Question(
            "degree",
            "Degree",
            "Which degree do you have?",
            choices=(
                Choice("us_md", "US MD"),
                Choice("us_do", "US DO"),
                Choice("img", "International graduate (IMG)"),
            ),
            columns=1,
            why_needed="scores, programs and the best gap-year roles differ by degree.",
        ),
        Question(
            "specialty",
            "Specialty last cycle",
            "Which specialty did you apply to last cycle? Tap it or type it.",
            choices=tuple(Choice(f"s{i}", s, stores=s) for i, s in enumerate(SPECIALTIES)),
            parse=_specialty,
            understood=_specialty_understood,
            why_needed="the whole post-mortem starts from it.",
        ),
        Question(
            "programs_applied",
            "Programs applied to",
            "How many programs did you apply to? A rough number is fine.",
            parse=_programs,
            why_needed="too short a list is one of the most common reasons for not matching.",
        ),
        Question(
            "program_mix",
            "Academic vs community",
            "Roughly what share of them were academic programs, and what share community?",
            choices=(
                Choice("academic", "Mostly academic"),
                Choice("mixed", "About half and half"),
                Choice("community", "Mostly community"),
                Choice("unsure", "Not sure"),
            ),
            optional=True,
        ),
        Question(
            "geography",
            "Where the programs were",
            "And where were they? Mostly on the coasts, or spread around the country?",
            choices=(
                Choice("coastal", "Mostly coastal"),
                Choice("spread", "Spread out"),
                Choice("inland", "Mostly inland"),
            ),
            columns=1,
            optional=True,
        ),
        Question(
            "interviews",
            "Interviews",
            "How many interview invitations did you get?",
            choices=COUNT_BUTTONS,
            parse=_interviews,
            columns=6,
            why_needed="interviews tell us whether the problem was getting in the door or after.",
        ),
        Question(
            "soap",
            "SOAP",
            "Did you take part in SOAP this year?",
            choices=(
                Choice("no_offer", "Yes, no position"),
                Choice("did_not", "No, I didn't"),
                Choice("ineligible", "I wasn't eligible"),
            ),
            columns=1,
        ),
        Question(
            "comlex1",
            "COMLEX Level 1",
            "COMLEX Level 1: tap your result, or type your score if you got a number (3 digits).",
            choices=EXAM_RESULT,
            parse=_comlex_result,
            columns=3,
            ask_if=_is_do,
            show=_show_exam,
        ),
        Question(
            "comlex2",
            "COMLEX Level 2-CE",
            "COMLEX Level 2-CE: type your score (3 digits), or tap a button.",
            choices=(Choice("fail", "Failed"), Choice("not_taken", "Not taken yet")),
            parse=_comlex_result,
            ask_if=_is_do,
            show=_show_exam,
        ),
        Question(
            "took_usmle",
            "Also took USMLE",
            "Did you also take USMLE exams?",
            choices=(Choice("yes", "Yes"), Choice("no", "No")),
            ask_if=_is_do,
        ),
        Question(
            "step1",
            "USMLE Step 1",
            "USMLE Step 1: tap your result, or type your score if you took it when it was scored.",
            choices=EXAM_RESULT,
            parse=_usmle_result,
            columns=3,
            ask_if=_takes_usmle,
            show=_show_exam,
        ),
        Question(
            "step2",
            "USMLE Step 2 CK",
            "USMLE Step 2 CK: type your score (for example 231), or tap a button.",
            choices=(Choice("fail", "Failed"), Choice("not_taken", "Not taken yet")),
            parse=_usmle_result,
            ask_if=_takes_usmle,
            show=_show_exam,
            why_needed="Step 2 is the number programs look at first now.",
        ),
        Question(
            "exam_failures",
            "Exam attempts failed",
            "Have you ever failed an attempt at a licensing exam? Tick all that apply, then Done.",
            choices=(
                Choice("none", "No, never"),
                Choice("level1", "Step 1 / Level 1"),
                Choice("level2", "Step 2 CK / Level 2"),
                Choice("other", "Another exam"),
            ),
            multi=True,
            exclusive="none",
            why_needed="a failed attempt changes the exam plan. Tap “No, never” if none.",
        ),
        Question(
            "red_flags",
            "Red flags",
            "Is any of these on your record? Tick all that apply, then Done. "
            "This stays between us; it only shapes the advice.",
            choices=(
                Choice("none", "None of these"),
                Choice("course_fail", "Course or clerkship failure"),
                Choice("repeat_year", "Repeated a year"),
                Choice("loa", "Leave of absence"),
                Choice("professionalism", "Professionalism concern"),
            ),
            multi=True,
            exclusive="none",
            columns=1,
            why_needed="a red flag needs a short, practised explanation. Tap “None of these” if none.",
        ),
        Question(
            "home_support",
            "Home department support",
            "How much support did you have from your home department (in your specialty)?",
            choices=(
                Choice("strong", "Strong"),
                Choice("some", "Some"),
                Choice("none", "None"),
            ),
            columns=3,
        ),
        Question(
            "abstracts",
            "Abstracts",
            "Research so far: how many abstracts have you had accepted or presented?",
            choices=COUNT_BUTTONS,
            parse=_small_count("number of abstracts"),
            columns=6,
            optional=True,
        ),
        Question(
            "posters",
            "Posters",
            "How many posters?",
            choices=COUNT_BUTTONS,
            parse=_small_count("number of posters"),
            columns=6,
            optional=True,
        ),
        Question(
            "papers",
            "Papers",
            "How many papers (published, accepted or submitted)?",
            choices=COUNT_BUTTONS,
            parse=_small_count("number of papers"),
            columns=6,
            optional=True,
        ),
        Question(
            "usce_months",
            "US clinical experience (months)",
            "How many months of US clinical experience do you have (rotations, "
            "externships, observerships)?",
            choices=tuple(Choice(str(n), str(n), typed=True) for n in (0, 1, 2, 3, 6, 12)),
            parse=_small_count("months of US clinical experience", high=120),
            columns=6,
            ask_if=_is_img,
            why_needed="for international graduates, US clinical experience weighs a lot.",
        ),
        Question(
            "letters_count",
            "Letters last cycle",
            "How many letters of recommendation did you send last cycle?",
            choices=COUNT_BUTTONS,
            parse=_small_count("number of letters", high=10),
            columns=6,
        ),
        Question(
            "letters_strong",
            "A strong specialty letter",
            "Did at least one of them feel strong and specific to your specialty?",
            choices=(
                Choice("yes", "Yes"),
                Choice("no", "No"),
                Choice("unsure", "Not sure"),
            ),
            columns=3,
            optional=True,
        ),
        Question(
            "timezone",
            "Time zone",
            "Which time zone are you in? Tap one, or type your city or an offset like UTC-5.",
            choices=tuple(Choice(key, label, typed=True) for key, label in _US_ZONES.items()),
            parse=_timezone,
            show=_show_zone,
            confirm=_confirm_zone,
            why_needed="reminders must come at your own local time.",
        ),
        Question(
            "start_date",
            "Plan start date",
            "When does your 12-month plan start? Most people start today; "
            "you can also type a date, like March 23.",
            choices=_start_choices,
            parse=_start_date,
            show=show_date,
            understood=lambda _typed, value: f"Got it: {show_date(value)}.",
            why_needed="every phase and deadline is counted from it.",
        ),
        Question(
            "wake_time",
            "Planned wake time",
            _wake_prompt,
            choices=tuple(
                Choice(at, at, typed=True) for at in ("06:00", "06:30", "07:00", "08:00", "09:00")
            ),
            parse=_clock,
            clock=True,
            columns=5,
            optional=True,
        ),
        Question(
            "checkin_time",
            "Daily check-in time",
            _checkin_prompt,
            choices=(
                Choice("08:00", "8:00 AM", typed=True),
                Choice("12:30", "12:30 PM", typed=True),
                Choice("18:00", "6:00 PM", typed=True),
                Choice("21:00", "9:00 PM", typed=True),
            ),
            parse=_clock,
            clock=True,
            why_needed="it's when I'll check in with you each day.",
        ),
    ),
)
