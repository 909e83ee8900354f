"""The questions: their words, who asks them, and which ones a profile is worth practising."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from conversations.rules.interview.profile import _target_name

QUESTIONS: Mapping[str, str] = MappingProxyType(
    {
        "past_year": "So, you're applying again. What did you do this past year?",
        "not_matching": "Tell me about not matching.",
        "why_specialty": "Why {specialty}?",
        "red_flag": "Your application mentions {flag}. Could you walk me through it?",
        "where_matched": "So where did you match?",
    }
)
ASKED_BY: Mapping[str, str] = MappingProxyType(
    {
        "past_year": "An interviewer",
        "not_matching": "An interviewer",
        "why_specialty": "An interviewer",
        "red_flag": "An interviewer",
        "where_matched": "A friend or relative",
    }
)
RED_FLAG_CODES = ("course_fail", "repeat_year", "loa", "professionalism")
# How the interviewer names a flag: plainly, without weight.
_FLAG_NAMES = {
    "course_fail": "a course or clerkship you had to retake",
    "repeat_year": "a repeated year",
    "loa": "a leave of absence",
    "professionalism": "a professionalism note",
}


def red_flags(profile: Mapping[str, Any] | None) -> tuple[str, ...]:
    """The profile's red-flag codes, in the order stored ("none" and unknown codes dropped)."""
    raw = (profile or {}).get("red_flags")
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list | tuple):
        return ()
    return tuple(dict.fromkeys(str(c) for c in raw if str(c) in RED_FLAG_CODES))


def questions_for(profile: Mapping[str, Any] | None) -> tuple[str, ...]:
    """The question keys worth practising: the red-flag one only when the profile has a flag."""
    return tuple(k for k in QUESTIONS if k != "red_flag" or red_flags(profile))


def question_text(
    key: str, *, specialty: str | None = None, profile: Mapping[str, Any] | None = None
) -> str:
    """The words of the question, filled from the target specialty or the profile's red flag."""
    if key not in QUESTIONS:
        raise ValueError(f"unknown interview question {key!r}")
    if key == "why_specialty":
        return QUESTIONS[key].format(specialty=_target_name(specialty, profile) or "this specialty")
    if key == "red_flag":
        flags = red_flags(profile)
        if not flags:
            raise ValueError("the red-flag question is only asked when the profile has a red flag")
        return QUESTIONS[key].format(flag=_FLAG_NAMES[flags[0]])
    return QUESTIONS[key]
