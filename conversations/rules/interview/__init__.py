"""Interview practice: plain, explainable feedback on a practised answer, one rule at a time.

The rules follow the seed's advice for a reapplicant's interviews:

- "So, you're applying again. What did you do this past year?" gets a three-part answer: a
  brief, calm acknowledgement first; the growth (a concrete role and concrete results) as the
  largest part; then the tie to the target specialty, closing on a line that looks ahead. No
  self-pity, no blame; evidence, not adjectives.
- A red flag gets two or three sentences: what happened, owned in the first person, what was
  done about it, and where things stand now. No excuses, and no second problem volunteered.
- "So where did you match?" from a friend or relative gets a short line the user is at ease
  saying, then a change of subject.

Everything here is pure: text in, a ``Report`` out. Each ``Check`` carries the exact words of the
answer that earned (or cost) it, so the coach can show *why*, not only a verdict. Nothing here
writes a finished answer for the user: ``scaffold`` gives a structure with blanks, filled only
with facts from their own stored profile.

The package, from the bottom up: ``text`` reads the answer (sentences, words, quotes);
``patterns`` holds the words several questions look for; ``report`` the results (``Check``,
``Report``), the timing and the chat text; ``profile`` the profile in words (specialty, role,
research counts); ``questions`` the questions themselves; ``scaffold`` the fill-in structures;
``checks`` the rules shared by several questions. Each question has its own module
(``past_year``, ``not_matching``, ``why_specialty``, ``red_flag``, ``where_matched``), and
``review`` hands an answer to the right one. Only ``review`` and this file import the
per-question modules; nothing here imports from the rest of ``conversations``.
"""

from __future__ import annotations

from conversations.rules.interview.checks import (
    ACK_MAX_SENTENCES,
    ACK_MAX_WORDS,
    FILLER_LIMIT,
    GROWTH_SHARE,
    HEDGE_FLAG_AT,
    REPEAT_AT,
    REPEAT_SHOWN,
)
from conversations.rules.interview.past_year import review_past_year
from conversations.rules.interview.profile import (
    BLANK_DOING,
    BLANK_RESULTS,
    BLANK_ROLE,
    BLANK_SPECIALTY,
    ROLE_WORDS,
)
from conversations.rules.interview.questions import (
    ASKED_BY,
    QUESTIONS,
    RED_FLAG_CODES,
    question_text,
    questions_for,
    red_flags,
)
from conversations.rules.interview.red_flag import (
    RED_FLAG_MAX_WORDS,
    RED_FLAG_SENTENCES,
    RED_FLAG_TARGET,
    review_red_flag,
)
from conversations.rules.interview.report import (
    DEFAULT_TARGET,
    FAR_TOO_LONG,
    MIN_WORDS,
    PRIORITY,
    QUOTE_CHARS,
    REPORT_LIMIT,
    STATUSES,
    WORDS_PER_MINUTE,
    Check,
    Report,
    Status,
    compare,
    duration_check,
    report_text,
    speaking_seconds,
)
from conversations.rules.interview.review import review_answer
from conversations.rules.interview.scaffold import scaffold
from conversations.rules.interview.where_matched import (
    WHERE_MAX_STATEMENTS,
    WHERE_MAX_WORDS,
    review_where_matched,
)

__all__ = [
    "ACK_MAX_SENTENCES",
    "ACK_MAX_WORDS",
    "ASKED_BY",
    "BLANK_DOING",
    "BLANK_RESULTS",
    "BLANK_ROLE",
    "BLANK_SPECIALTY",
    "DEFAULT_TARGET",
    "FAR_TOO_LONG",
    "FILLER_LIMIT",
    "GROWTH_SHARE",
    "HEDGE_FLAG_AT",
    "MIN_WORDS",
    "PRIORITY",
    "QUESTIONS",
    "QUOTE_CHARS",
    "RED_FLAG_CODES",
    "RED_FLAG_MAX_WORDS",
    "RED_FLAG_SENTENCES",
    "RED_FLAG_TARGET",
    "REPEAT_AT",
    "REPEAT_SHOWN",
    "REPORT_LIMIT",
    "ROLE_WORDS",
    "STATUSES",
    "WHERE_MAX_STATEMENTS",
    "WHERE_MAX_WORDS",
    "WORDS_PER_MINUTE",
    "Check",
    "Report",
    "Status",
    "compare",
    "duration_check",
    "question_text",
    "questions_for",
    "red_flags",
    "report_text",
    "review_answer",
    "review_past_year",
    "review_red_flag",
    "review_where_matched",
    "scaffold",
    "speaking_seconds",
]
