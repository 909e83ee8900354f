"""What goes in and out of the coach, as plain values.

The coach never sees a Telegram object: a transport (Telegram, the terminal) turns what the
user did into one of the inputs below and renders the replies it gets back. Keeping both
sides as small frozen dataclasses is what lets every flow be tested as plain Python.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

# Telegram refuses callback data longer than 64 bytes; every button we build is checked.
MAX_BUTTON_DATA = 64


# ---------------------------------------------------------------- inputs


@dataclass(frozen=True)
class Text:
    """A typed message."""

    text: str


@dataclass(frozen=True)
class Command:
    """A slash command such as ``/start`` (``name`` without the slash, lower case)."""

    name: str
    args: str = ""


@dataclass(frozen=True)
class Press:
    """A button press: the data the button carried (untrusted: it may be old or forged)."""

    data: str


@dataclass(frozen=True)
class Other:
    """Anything that is not text: a sticker, photo, voice note, location, file..."""

    kind: str
    duration_seconds: int | None = None
    caption: str | None = None  # a photo or file may carry words; crisis language is checked
    # A document: its name, type and size as Telegram gives them, and its bytes when it was
    # small enough to fetch (None when too big or the download failed: the size says which).
    # Never logged; the name and the bytes are left out of the repr.
    file_name: str | None = field(default=None, repr=False)
    mime_type: str | None = None
    file_size: int | None = None
    content: bytes | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Form:
    """A form sent from the Mini App page (``bot/webapp.py``): an action such as
    "program.set" or "program.list", and its fields as the page sent them (untrusted text).

    A form is answered by the feature that declares the action (``Feature.forms``) with an
    ordinary turn: its effects are stored in the same unit of work as a chat turn's, and the
    dialogue state is left exactly as it was. What the page shows comes back in ``Turn.data``.
    """

    action: str
    fields: Mapping[str, str] = field(default_factory=dict)


UserInput = Text | Command | Press | Other | Form

# Control characters (C0, DEL, C1) other than tab and line feed; carriage returns become line
# feeds first. A NUL is refused by PostgreSQL, and the rest have no place in an answer.
_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """Text as it can be stored and shown: control characters dropped (line breaks and tabs
    kept), a surrogate pair joined into its character and a lone surrogate (which no database
    can encode) replaced by U+FFFD."""
    if _SURROGATE_RE.search(text):
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return _CONTROL_RE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def clean_input(inp: UserInput) -> UserInput:
    """The same input with every string the user (or a forged update) supplied cleaned."""
    if isinstance(inp, Text):
        return replace(inp, text=clean_text(inp.text))
    if isinstance(inp, Command):
        return replace(inp, name=clean_text(inp.name), args=clean_text(inp.args))
    if isinstance(inp, Press):
        return replace(inp, data=clean_text(inp.data))
    if isinstance(inp, Form):
        fields = {clean_text(k): clean_text(v) for k, v in inp.fields.items()}
        return replace(inp, action=clean_text(inp.action), fields=fields)
    if inp.file_name is not None:
        inp = replace(inp, file_name=clean_text(inp.file_name) or None)
    if inp.caption is None:
        return inp
    return replace(inp, caption=clean_text(inp.caption) or None)


def button_number(text: str) -> int | None:
    """The number in a button's data (or a choice's number typed in the terminal), written
    as we write them: ASCII digits, at most 18; else None.

    Both are untrusted, and ``str.isdigit`` will not do: it is true of "²", which ``int``
    cannot read, and of numbers too long for ``int`` to read.
    """
    return int(text) if 0 < len(text) <= 18 and text.isascii() and text.isdigit() else None


# ---------------------------------------------------------------- replies


@dataclass(frozen=True)
class Button:
    """A button under a reply. ``data`` comes back as a ``Press`` when it is tapped (or its
    label typed). With ``web_app`` (a tab of the Mini App page: "programs", "plan"), a
    transport that serves the page opens it there instead; one that doesn't (the terminal)
    treats it as an ordinary button."""

    label: str
    data: str
    web_app: str | None = None

    def __post_init__(self) -> None:
        if len(self.data.encode()) > MAX_BUTTON_DATA:
            raise ValueError(f"button data over {MAX_BUTTON_DATA} bytes: {self.data!r}")


@dataclass(frozen=True)
class Attachment:
    """A file the transport sends (Telegram) or writes to the outbox (terminal)."""

    filename: str
    content: bytes
    mime_type: str
    caption: str = ""


@dataclass(frozen=True)
class Reply:
    """One message from the coach.

    ``edit`` asks the transport to replace the message whose button was pressed (used by
    multi-select questions so ticking boxes does not flood the chat); a transport that
    cannot edit simply sends it as a new message.
    """

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    document: Attachment | None = None
    edit: bool = False
    photo: Attachment | None = None  # a picture, shown inline (the text is its caption)


# A reply with buttons asks something: its words and its buttons should fit one phone screen
# together. About 1,200 characters is what a phone shows above a keyboard of a few rows.
SCREEN_CHARS = 1200


def phone_sized(replies: tuple[Reply, ...]) -> tuple[Reply, ...]:
    """The replies with each long one that has buttons split in two or more messages.

    What comes first (a report, a list) goes ahead as plain messages; the last message keeps
    the end of the text (the question, the next step) with the buttons, and is at most
    ``SCREEN_CHARS`` long, so what asks something is on the screen when it arrives. Splits
    fall between paragraphs, else between lines, else between sentences or words. A split
    reply is sent as new messages rather than edited in place. Documents keep their text.
    """
    out: list[Reply] = []
    for reply in replies:
        if not reply.buttons or reply.document is not None or len(reply.text) <= SCREEN_CHARS:
            out.append(reply)
            continue
        head, tail = _split_for_screen(reply.text)
        out.extend(Reply(part) for part in head)
        out.append(replace(reply, text=tail, edit=False))
    return tuple(out)


def _split_for_screen(text: str) -> tuple[list[str], str]:
    """(earlier parts, the last part): the last part at most ``SCREEN_CHARS`` long."""
    for sep in ("\n\n", "\n", ". ", " "):
        pieces = text.split(sep)
        if len(pieces) < 2:
            continue
        tail = pieces[-1]
        if len(tail) > SCREEN_CHARS:
            continue
        cut = len(pieces) - 1
        while cut > 1 and len(sep.join(pieces[cut - 1 :])) <= SCREEN_CHARS:
            cut -= 1
        head = sep.join(pieces[:cut]).rstrip()
        tail = sep.join(pieces[cut:]).strip()
        if sep == ". ":
            head += "."
        return [head] if head else [], tail
    return [text[:-SCREEN_CHARS]], text[-SCREEN_CHARS:]  # one unbroken word: cut it


# ---------------------------------------------------------------- effects


@dataclass(frozen=True)
class SaveAnswer:
    """Store one answer: the raw text as given and its parsed value."""

    flow: str
    key: str
    raw_text: str | None
    value: Any
    skipped: bool = False


@dataclass(frozen=True)
class RecordEvent:
    """Store that something happened (never the user's words), e.g. a crisis reply shown."""

    kind: str
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ExportData:
    """Send the user a JSON file of everything stored about them."""


@dataclass(frozen=True)
class DeleteAllData:
    """Erase every row of this user."""


@dataclass(frozen=True)
class ScheduleNudge:
    """Owe the user a message at ``due_at`` (UTC): a row the sweep sends when it is due."""

    kind: str
    key: str
    due_at: datetime
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CancelNudges:
    """Cancel the pending nudges planned under ``key`` (the plan changed).

    With ``prefix``, every key starting with ``key`` ("plan:" cancels the whole plan's).
    """

    key: str
    prefix: bool = False


@dataclass(frozen=True)
class SaveProblemsList:
    """Keep this Problems List, dated, beside the earlier ones."""

    made_on: date
    content: dict[str, Any]


@dataclass(frozen=True)
class SetNudgeState:
    """A nudge the user acted on (snoozed, done): only ever one of their own."""

    nudge_id: int
    state: str


@dataclass(frozen=True)
class SetPaused:
    """/pause (True) and /resume (False)."""

    paused: bool


@dataclass(frozen=True)
class SaveCheckIn:
    """The day's check-in (a second one the same day replaces it)."""

    day: date
    content: dict[str, Any]


@dataclass(frozen=True)
class SaveWeekPlan:
    """A weekly plan (keyed by the Monday of its week), or last week's with its ticks."""

    week_start: date
    content: dict[str, Any]


@dataclass(frozen=True)
class SavePracticeAttempt:
    """One practiced answer (its text, or a voice note's length) with its report."""

    question: str
    answer: str | None
    seconds: int | None
    report: dict[str, Any]


@dataclass(frozen=True)
class PutRecord:
    """Keep one item a tracker owns (a letter writer, an exam, a statement draft, a CV entry)
    under its ``kind`` and its ``key``, unique per user: putting the same key again replaces
    what was there (an edit), so a tracker's items stay editable after the fact."""

    kind: str
    key: str
    content: dict[str, Any]


@dataclass(frozen=True)
class DropRecord:
    """Forget one tracker item (a writer who declined and was dropped, an entry removed)."""

    kind: str
    key: str


Effect = (
    SaveAnswer
    | RecordEvent
    | ExportData
    | DeleteAllData
    | ScheduleNudge
    | CancelNudges
    | SaveProblemsList
    | SetNudgeState
    | SetPaused
    | SaveCheckIn
    | SaveWeekPlan
    | SavePracticeAttempt
    | PutRecord
    | DropRecord
)


@dataclass(frozen=True)
class DialogueState:
    """Where a user is: the flow, the step, and the flow's scratch data (JSON-safe)."""

    flow: str | None = None
    step: str | None = None
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def idle(self) -> bool:
        return self.flow is None


@dataclass(frozen=True)
class Turn:
    """The coach's answer to one input: what to say, where the user is now, what to store.

    ``toast`` is a short notice for a button press (Telegram shows it over the chat).
    ``data`` is what a ``Form`` asked for, JSON-safe, for the Mini App page to show; a form
    that was refused carries ``{"error": "<why, in plain words>"}``.
    """

    replies: tuple[Reply, ...]
    state: DialogueState
    effects: tuple[Effect, ...] = ()
    toast: str | None = None
    data: Mapping[str, Any] | None = None
