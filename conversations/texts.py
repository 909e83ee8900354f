"""What the coach says outside the questions of a flow, in one place for review.

Tone: direct and warm, never shaming. Short lines: people read these on a phone, often late.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from conversations.rules.parsing import stored_day

# The commands the bot understands, in the order /help and Telegram's menu show them.
COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "Begin, or pick up where you left off"),
    ("profile", "See your answers and change any of them"),
    ("postmortem", "Why it didn't work: feedback, then your Problems List"),
    ("problems", "Reopen your Problems List"),
    ("target", "Choose your target specialty and a backup"),
    ("plan", "Your 12 months: where you are, what's due"),
    ("checkin", "The 30-second daily check-in"),
    ("weekly", "Weekly planning: look back, plan the week"),
    ("history", "Your recent check-ins and weekly plans"),
    ("practice", "Practise interview answers, with feedback"),
    ("letters", "Your letter writers: who to ask, who agreed, what's missing"),
    ("cv", "Your CV / ERAS activities: entries, checks, PDF and Word file"),
    ("exams", "Your exam strategy: dates, countdown, results"),
    ("statement", "Your personal statement: outline, drafts, feedback, readers"),
    ("programs", "Your program list: tiers, warnings, spreadsheet import and export"),
    ("checklist", "Your ERAS checklist: what must be ready before ERAS opens and at submission"),
    ("network", "People you meet: a contacts log, follow-ups, the advice-meeting email"),
    ("role", "Your role this year"),
    ("safetyplan", "Your personal safety plan"),
    ("reminders", "What I'll remind you of, and when"),
    ("settings", "When reminders come, quiet hours, wake time, clock"),
    ("pause", "Pause reminders"),
    ("resume", "Turn reminders back on"),
    ("help", "What I can do"),
    ("back", "Go back one question"),
    ("skip", "Skip an optional question"),
    ("cancel", "Stop the current questions (answers are kept)"),
    ("export", "Get a file of everything stored about you"),
    ("delete", "Erase all your data"),
)

DEFAULT_CRISIS_LINES: tuple[str, ...] = (
    "US: call or text 988 (Suicide & Crisis Lifeline), any hour",
    "Canada: call or text 988",
    "UK and Ireland: call Samaritans on 116 123",
    "Anywhere else: findahelpline.com lists free lines by country",
    "In danger right now: call your local emergency number (911 in the US)",
)


def welcome(first_name: str | None) -> str:
    hello = f"Hi {first_name}." if first_name else "Hi."
    return (
        f"{hello} I'm Rematch Coach.\n\n"
        "Not matching is brutal, and it is also a problem that can be worked on. "
        "For the next 12 months I'll help you find out why it happened, pick a realistic "
        "target, build a stronger application, and keep going week by week, with reminders "
        "at your local time.\n\n"
        "What you tell me stays private to you: you can download it with /export or erase "
        "it with /delete at any time.\n\n"
        "Let's start with your profile: about 20 quick questions, mostly buttons. "
        "/back goes one step back, /skip passes an optional one, /cancel pauses."
    )


def welcome_back(first_name: str | None, complete: bool) -> str:
    name = f", {first_name}" if first_name else ""
    if complete:
        return f"Welcome back{name}. Your profile is saved; nothing was reset."
    return (
        f"Welcome back{name}. Your answers so far are saved. Shall we continue where you left off?"
    )


def onboarding_done(first_name: str | None) -> str:
    name = f", {first_name}" if first_name else ""
    return (
        f"That's your profile done{name}. Thank you: answering those honestly is not easy.\n\n"
        "What comes first in the plan is an honest post-mortem, over the next two weeks. "
        "Ask for three frank feedback conversations: your dean's office, a program director "
        "or advisor in your specialty who has real match experience, and a faculty member "
        "outside your specialty. Send each of them your application, personal statement "
        "and program list beforehand, and write down what they say.\n\n"
        "Tap below (or send /postmortem) when you're ready; /profile shows your answers."
    )


def plan_ready(season: int) -> str:
    return (
        f"\n\nYour 12-month plan aims at the {season} Match. /plan shows where you are and "
        "what's due; I'll remind you at each new phase and before each deadline."
    )


def help_text() -> str:
    lines = [f"/{name} - {what}" for name, what in COMMANDS]
    return (
        "Here's what I understand:\n"
        + "\n".join(lines)
        + "\n\nWhen I ask a question, tap a button or type your answer."
    )


def crisis_reply(lines: Sequence[str]) -> str:
    resources = "\n".join(f"• {line}" for line in lines)
    return (
        "I'm really glad you told me. What you're carrying sounds heavy, and you don't have "
        "to carry it alone. Please reach out to someone right now:\n\n"
        f"{resources}\n\n"
        "They are free, confidential, and there for exactly this. If you can, tell someone "
        "you trust how you're feeling today.\n\n"
        "Your plan will wait; nothing you've told me is lost. We can carry on whenever you "
        "feel ready, not before."
    )


CANCELLED = (
    "Paused. Everything you've answered is saved. Send /start whenever you want to pick up "
    "from the same question."
)
NEED_PROFILE = "Let's do your profile first: send /start."
FINISH_FIRST = "Let's finish this first, or send /cancel to leave it."
NOTHING_TO_CANCEL = "There's nothing in progress to stop. /help shows what I can do."
NOTHING_TO_GO_BACK = "There's no question open right now, so there's nothing to go back to."
NOTHING_TO_SKIP = "There's no question open right now, so there's nothing to skip."
EMPTY_TEXT = "I didn't catch any text there."
IDLE_TEXT = (
    "I'm here. There's no question open right now. Send /profile to see your answers, "
    "or /help for everything I can do."
)
EDITED_MESSAGE = (
    "I saw you edited a message. I only read new messages, so please send the corrected "
    "answer as a new one."
)
GROUP_ONLY_PRIVATE = (
    "I only work in a private chat, to keep your answers private. Message me directly."
)
UPDATED = "Updated ✓"
NOTHING_LEFT = "Nothing left to ask here."
EXPORT_CAPTION = "Everything I have stored about you, as a JSON file."
EXPORT_INTRO = "Here's a copy of everything stored about you."
DELETE_ASK = (
    "This erases everything I have stored about you: your profile, every answer, your "
    "plan and reminders. It can't be undone.\n\nDo you want to delete it all?"
)
DELETE_DONE = (
    "Done. Everything stored about you has been erased. If you ever want to start again, "
    "send /start. Take care of yourself."
)
DELETE_KEPT = "Kept. Nothing was deleted."
DELETE_EXPIRED = (
    "That delete button has expired, so nothing was erased. Send /delete if you still want to."
)
STALE_BUTTON = "That button is from an earlier message, so I left your answers as they were."
STALE_IDLE = "That button is from an earlier conversation, so nothing changed."
ALREADY_SAVED = "Already saved ✓"
UNKNOWN_BUTTON = "I couldn't read that button, so nothing changed."
SORRY_ERROR = (
    "Sorry, something went wrong on my side. Your answers are safe. Please try that "
    "again in a moment."
)


def full_stop(text: str) -> str:
    """``text`` ending in one full stop: none added after a sentence that already ends."""
    text = text.rstrip()
    return text if text.rstrip("”’\"')").endswith((".", "!", "?", "…")) else f"{text}."


def short_day(day: date) -> str:
    """A date as the coach writes it in passing: "Thu, Apr 2"."""
    return f"{day:%a, %b} {day.day}"


def show_day(value: Any) -> str:
    """A day stored as ISO text, as the coach writes it ("Thu, Apr 2"); anything else as is."""
    day = stored_day(value)
    return short_day(day) if day is not None else str(value)


def too_long(length: int, limit: int) -> str:
    return (
        f"That message is longer than I can take in one go ({length:,} characters; "
        f"the limit is {limit:,}). Could you send a shorter version?"
    )


def unknown_command(name: str) -> str:
    shown = name[:32]
    return f"I don't know /{shown}. " + help_text()


def did_you_mean(name: str, known: str) -> str:
    return f"I don't know /{name[:32]}. Did you mean /{known}?"


_KINDS = {
    "sticker": "a sticker",
    "photo": "a photo",
    "voice": "a voice note",
    "audio": "an audio file",
    "video": "a video",
    "video_note": "a video message",
    "animation": "a GIF",
    "document": "a file",
    "location": "a location",
    "venue": "a place",
    "contact": "a contact",
    "poll": "a poll",
    "dice": "a dice roll",
}


def not_text(kind: str, in_flow: bool) -> str:
    what = _KINDS.get(kind, "that kind of message")
    if in_flow:
        return f"Thanks, but I can't use {what} as an answer. Please type it or tap a button."
    if kind == "document":
        return (
            "Thanks for the file! The files I read are program lists, as .xlsx or .csv "
            "(see /programs), and personal statement drafts, as .docx or .txt (see "
            "/statement). Anything else, type it here; /help lists what I can do."
        )
    return (
        f"Thanks for {what}! I can only read typed messages and buttons. /help lists what I can do."
    )


def already_answered(label: str, shown: str, how: str) -> str:
    return f"You already answered “{label}” ({shown}). To change it, {how}."
