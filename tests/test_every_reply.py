"""What holds for every reply the coach can give: read off a tour of every flow
(``tests/tour.py``), every button pressed once."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from conversations import texts
from conversations.catalog import FLOWS, REMINDERS, session
from conversations.messages import SCREEN_CHARS, Button, DialogueState, Reply, phone_sized
from conversations.rules import routine
from conversations.session import UserView
from tests.coach_chat import CoachChat, onboard_us_md
from tests.tour import everything_seen, tours


def test_no_reply_with_buttons_is_longer_than_a_phone_screen() -> None:
    too_long = {
        (seen.persona, seen.where, len(seen.reply.text))
        for seen in everything_seen()
        if seen.reply.buttons and len(seen.reply.text) > SCREEN_CHARS
    }
    assert not too_long, sorted(too_long)[:10]


def test_a_long_reply_ends_with_the_question_and_its_buttons() -> None:
    report = "\n".join(f"Line {i}: " + " ".join(["words"] * 12) for i in range(40))
    question = "Which one will you change first?"
    buttons = ((Button("This one", "x.y.z"),),)
    parts = phone_sized((Reply(f"{report}\n\n{question}", buttons, edit=True),))
    assert len(parts) >= 2
    *before, last = parts
    assert last.text.endswith(question) and last.buttons == buttons
    assert len(last.text) <= SCREEN_CHARS and not last.edit
    assert all(not p.buttons for p in before)
    joined = "\n\n".join(p.text for p in parts).replace("\n\n", "\n")
    assert joined == f"{report}\n{question}", "nothing is lost or repeated"


def test_short_replies_and_documents_are_left_alone() -> None:
    short = Reply("Which one?", ((Button("A", "a.b.c"),),))
    assert phone_sized((short,)) == (short,)
    plain = Reply("x" * 5000)
    assert phone_sized((plain,)) == (plain,), "no buttons: the transport splits at 4,096"


# ---------------------------------------------------------------- the words


def _static_strings() -> list[tuple[str, str]]:
    """Words the coach keeps ready: texts.py, the care texts, every question declared."""
    found: list[tuple[str, str]] = []
    for name, value in vars(texts).items():
        if isinstance(value, str) and name.isupper():
            found.append((f"texts.{name}", value))
    found += [(f"/{name}", what) for name, what in texts.COMMANDS]
    found += [("crisis line", line) for line in texts.DEFAULT_CRISIS_LINES]
    found += [(f"routine.{n}", getattr(routine, n)) for n in ("CARE_LOW_MOOD", "CARE_SLEEP")]
    found.append(("routine.CARE_MONEY", routine.CARE_MONEY))
    for flow in FLOWS.values():
        for q in flow.questions:
            where = f"{flow.name}.{q.key}"
            found += [(where, q.label), (where, q.why_needed)]
            if isinstance(q.prompt, str):
                found.append((where, q.prompt))
            if not callable(q.choices):
                found += [(where, c.label) for c in q.choices]
    return found


def _all_strings() -> list[tuple[str, str]]:
    seen = [(f"{s.persona}: {s.where}", text) for s in everything_seen() for text in s.strings]
    toasts = [(f"{t.persona}: {where}", toast) for t in tours() for where, toast in t.toasts]
    return seen + toasts + _static_strings()


# Words that belong to the code, not to the conversation.
JARGON = {
    "the seed (our source text)": re.compile(r"\bseed", re.IGNORECASE),
    "a rule by name": re.compile(r"\brules?\b", re.IGNORECASE),
    "a snake_case identifier": re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b"),
    "a button's data": re.compile(r"@[a-z]+\.[a-z]"),
    "a Python value": re.compile(r"\b(?:True|False|null)\b|[{}]"),
}
SLIPS = {
    "a double full stop": re.compile(r"(?<![.…])\.\.(?![.…])"),
    "a singular count with a plural noun": re.compile(
        r"(?<![\d.,:])\b1 (?:words|days|hours|seconds|minutes|tasks|checks|parts|times|"
        r"programs|interviews|abstracts|posters|papers|letters|months|weeks|reminders)\b"
    ),
}


def test_no_reply_speaks_in_code_words() -> None:
    found = {
        (what, _around(text, m), where)
        for where, text in _all_strings()
        for what, pattern in JARGON.items()
        for m in pattern.finditer(text)
    }
    assert not found, "\n".join(f"{w}: …{t}… ({where})" for w, t, where in sorted(found)[:20])


def test_no_double_full_stops_or_one_words() -> None:
    found = {
        (what, _around(text, m), where)
        for where, text in _all_strings()
        for what, pattern in SLIPS.items()
        for m in pattern.finditer(text)
    }
    assert not found, "\n".join(f"{w}: …{t}… ({where})" for w, t, where in sorted(found)[:20])


def _around(text: str, m: re.Match[str]) -> str:
    return text[max(0, m.start() - 50) : m.end() + 30].replace("\n", " / ")


# ---------------------------------------------------------------- reminders


def test_every_reminder_says_which_one_it_is() -> None:
    rows = [row for t in tours() for row in t.chat.rows]
    assert {row.kind for row in rows} == set(REMINDERS), "the tour plans every kind of reminder"
    s = session(DialogueState(), UserView(), datetime(2026, 3, 25, tzinfo=UTC))
    unnamed = {row.kind for row in rows if s.describe_nudge(row.kind, row.payload) == "A reminder"}
    assert not unnamed
    listed = [
        text for seen in everything_seen() for text in seen.strings if "Coming up (your" in text
    ]
    assert listed and not any("A reminder" in text for text in listed)
    assert any("Your daily check-in" in text for text in listed)
    assert any("Your weekly planning session" in text for text in listed)


# ---------------------------------------------------------------- the clock

TWELVE_HOUR = re.compile(r"\b\d{1,2}:\d{2}\s?(?:AM|PM)\b|\b\d{1,2}\s?(?:am|pm)\b", re.IGNORECASE)
TWENTY_FOUR_HOUR = re.compile(r"\b(?:[01]\d|2[0-3]):[0-5]\d\b(?!\s?(?:AM|PM))", re.IGNORECASE)
# When a typed time can't be read, the parser lists every form it reads, on purpose.
PARSER_EXAMPLES = "Try something like 7am, 7:30 pm or 19:30."


def test_every_time_shown_follows_the_users_clock() -> None:
    wrong = set()
    for seen in everything_seen():
        other_clock = TWELVE_HOUR if seen.hour24 else TWENTY_FOUR_HOUR
        for text in seen.strings:
            for m in other_clock.finditer(text.replace(PARSER_EXAMPLES, "")):
                wrong.add((seen.persona, seen.hour24, _around(text, m), seen.where))
    assert not wrong, "\n".join(map(str, sorted(wrong)[:20]))
    clocks = {(seen.persona, seen.hour24) for seen in everything_seen()}
    assert {("seed", True), ("seed", False), ("img", True)} <= clocks


def test_settings_say_which_reminders_move_and_how_to_move_the_check_in() -> None:
    chat = CoachChat()
    onboard_us_md(chat)  # check-in at 7am, Chicago
    chat.command("settings")
    chat.tap("Reminder time and quiet hours")
    chat.text("6:30 pm")
    chat.tap("10:00 PM")
    chat.tap("7:00 AM")
    chat.tap("Sun")
    assert "Your daily check-in: 7:00 AM" in chat.said
    assert "weekly planning on Sundays): 6:30 PM" in chat.said
    assert "18:30" not in chat.said
    chat.tap("Move my daily check-in")
    assert chat.step == "checkin_time"
    chat.tap("6:00 PM")
    [daily] = chat.nudges("routine:daily")
    assert daily.due_at.astimezone(ZoneInfo("America/Chicago")).hour == 18
