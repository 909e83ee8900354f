"""Scaffolds: a fill-in structure for each answer, using only the user's stored facts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from conversations.rules.interview.profile import (
    _DOING_WORDS,
    BLANK_DOING,
    BLANK_RESULTS,
    BLANK_ROLE,
    BLANK_SPECIALTY,
    ROLE_WORDS,
    _research_counts,
    _role_kind,
    _target_name,
)
from conversations.rules.interview.questions import red_flags


def scaffold(
    question_key: str,
    *,
    specialty: str | None,
    profile: Mapping[str, Any] | None,
    role: Mapping[str, Any] | None,
) -> str:
    """A fill-in structure for the answer, using only the user's stored facts.

    Brackets mark what the profile can't know yet; ``BLANK_ROLE``, ``BLANK_RESULTS`` and
    ``BLANK_SPECIALTY`` appear exactly when the role, the research counts or the specialty are
    missing. It is a shape to speak from, never a finished answer to memorise.
    """
    p = profile or {}
    name = _target_name(specialty, p) or BLANK_SPECIALTY
    kind = _role_kind(role)
    role_words = ROLE_WORDS.get(kind, BLANK_ROLE)
    counts = _research_counts(p)
    results = f"{counts} so far, and [your part in them]" if counts else BLANK_RESULTS
    if question_key == "past_year":
        return "\n".join(
            (
                "Three parts, in your own words (about 1-2 minutes):",
                "1. One calm sentence: you didn't match last cycle, and [what it made clear "
                "to you].",
                f"2. The longest part: this year you've been in {role_words}, "
                f"[where: department or hospital]. What came of it: {results}.",
                f"3. What the year deepened about {name}: [one specific patient, clinic or "
                "project]. Then one line looking ahead: [what you're ready to bring as a "
                "resident].",
            )
        )
    if question_key == "not_matching":
        return "\n".join(
            (
                "Four short steps, in your own words:",
                "1. One calm sentence: you didn't match last cycle.",
                "2. What you learned: [the one or two real reasons, said plainly].",
                f"3. What you did about it: {role_words}. What came of it: {results}.",
                f"4. Looking ahead, in {name}: [what you're ready to bring as a resident].",
            )
        )
    if question_key == "why_specialty":
        return "\n".join(
            (
                "A short story, then the link:",
                f"1. What drew you to {name}: [one specific patient or clinical moment].",
                "2. What you did and saw: [two or three concrete details].",
                f"3. This year: in {role_words}, {results}.",
                "4. Looking ahead: [what you want to do as a resident].",
            )
        )
    if question_key == "red_flag":
        flags = red_flags(p)
        opening = {
            "course_fail": "In [when], I failed [which course or clerkship] after struggling "
            "with [what, in your own words].",
            "repeat_year": "I repeated [which year] after [what happened, in a few plain words].",
            "loa": "I took a leave of absence in [when] for [personal or health reasons, only "
            "as much as you want to share].",
            "professionalism": "In [when], I received a professionalism concern for [what "
            "happened, plainly].",
        }.get(
            flags[0] if flags else "", "[What happened, in one plain sentence starting with “I”]."
        )
        return "\n".join(
            (
                "Two or three sentences, in your own words:",
                f"1. {opening}",
                "2. What you did: I [who you worked with, what you completed or passed].",
                "3. Now: since then I have [what has gone well since, in the present tense].",
            )
        )
    if question_key == "where_matched":
        doing = _DOING_WORDS.get(kind, BLANK_DOING)
        if kind == "research" and name != BLANK_SPECIALTY:
            doing = f"{doing} in {name}"
        return "\n".join(
            (
                "One or two sentences you're at ease saying, then turn it back to them:",
                f"1. I didn't match this year, so I'm {doing} while I apply again.",
                "2. [A question about their life, like how their new job is going.]",
            )
        )
    raise ValueError(f"unknown interview question {question_key!r}")
