"""``review_answer``: the one entry point, handing an answer to its question's rules."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from conversations.rules.interview.not_matching import _review_not_matching
from conversations.rules.interview.past_year import review_past_year
from conversations.rules.interview.red_flag import review_red_flag
from conversations.rules.interview.report import DEFAULT_TARGET, Report
from conversations.rules.interview.where_matched import review_where_matched
from conversations.rules.interview.why_specialty import _review_why_specialty


def review_answer(
    question_key: str,
    answer: str,
    *,
    specialty: str | None,
    profile: Mapping[str, Any],
    role: Mapping[str, Any] | None,
    target: tuple[int, int] = DEFAULT_TARGET,
) -> Report:
    """Feedback on an answer to any of ``QUESTIONS``."""
    if question_key == "past_year":
        return review_past_year(
            answer, specialty=specialty, profile=profile, role=role, target=target
        )
    if question_key == "not_matching":
        return _review_not_matching(
            answer, specialty=specialty, profile=profile, role=role, target=target
        )
    if question_key == "why_specialty":
        return _review_why_specialty(
            answer, specialty=specialty, profile=profile, role=role, target=target
        )
    if question_key == "red_flag":
        return review_red_flag(answer, profile=profile)
    if question_key == "where_matched":
        return review_where_matched(answer)
    raise ValueError(f"unknown interview question {question_key!r}")
