"""The personal statement (/statement): an outline to write from, drafts kept as versions with
feedback, and who has read them.

- The outline: three short questions, one per part of the statement (why this specialty
  through a real moment; the year since not matching, owned as growth; the evidence), kept as
  one item (kind "statement_outline") and shown back to write from. Skippable, editable.
- Drafts: pasted as text (in several messages if it is long: "Add more" / "That's all" join
  them) or sent as a .docx or .txt file. Each becomes a version (kind "statement", keys "v1",
  "v2"...) with its word count, its day and its feedback (``rules.statement``). While parts
  are arriving they are kept as an item of their own (kind "statement_wip"), so a /cancel or a
  day away loses nothing. A pasted draft never goes through a flow question, so its words are
  stored only in the version (removing the version removes them).
- Readers (kind "statement_review"): who read it (a faculty member in the specialty, someone
  who knows the user, someone else), which version, asked or done, when, and notes.

The plan's milestone "personal statement rewritten" is ticked when a version of about
750-850 words is stored and a faculty member in the specialty has read a version: the
plan's own words for that milestone ask for a new statement read by faculty.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from conversations import engine, texts
from conversations.engine import Choice, Context, Flow, Outcome, Question
from conversations.messages import (
    Attachment,
    Button,
    DialogueState,
    DropRecord,
    Other,
    PutRecord,
    Reply,
    Turn,
)
from conversations.rules import statement as rules
from conversations.rules.parsing import Invalid, label_key, normalize_free_text
from conversations.session import Completes, Feature, Reads, RecordView, Session, UserView

PREFIX = "@st."
OPEN = f"{PREFIX}open"

VERSION = "statement"
REVIEW = "statement_review"
OUTLINE = "statement_outline"
WIP = "statement_wip"  # the parts of a pasted draft, until "That's all"
KINDS = (VERSION, REVIEW, OUTLINE, WIP)
OUTLINE_KEY = "main"
WIP_KEY = "draft"
FILE_KEY = "file"  # a .docx or .txt sent outside /statement, until the user says it's the statement

ROLES = {
    "faculty": "Faculty in my specialty",
    "knows": "Someone who knows me well",
    "other": "Someone else",
}
_ROLE_SHORT = {
    "faculty": "faculty in your specialty",
    "knows": "knows you well",
    "other": "other reader",
}
# A reader asked this long ago and not done yet gets a gentle "a short follow-up is fine".
FOLLOW_UP_DAYS = 14
SHOWN_VERSIONS = 8


def _specialty(user: UserView | None) -> str | None:
    if user is None:
        return None
    chosen = user.target
    value = chosen[0] if chosen else user.profile.get("specialty")
    return str(value) if value else None


def _today(s: Session) -> str:
    return s.today.isoformat()


def _day(value: Any) -> str:
    try:
        d = date.fromisoformat(str(value))
    except ValueError:
        return "?"
    return f"{d:%b} {d.day}"


def _number(key: str) -> int:
    digits = key[1:]
    return int(digits) if digits.isascii() and digits.isdigit() and len(digits) < 7 else 0


# ---------------------------------------------------------------- the outline


def _notes(text: str, ctx: Context) -> str:
    return normalize_free_text(text, max_len=1500, what="notes")


def _why_prompt(ctx: Context) -> str:
    name = _specialty(ctx.user) or "this specialty"
    return (
        f"Part 1, why {name}. Jot down one or two real patients or clinical moments that drew "
        "you to it: who the patient was, what you did, what it showed you. Notes or bullets "
        "are fine; a story beats “I love continuity of care”."
    )


OUTLINE_FLOW = Flow(
    name="statement_outline",
    code="so",
    change_hint="send /statement and open your outline",
    fresh_runs=True,
    questions=(
        Question("why", "Why this specialty", _why_prompt, parse=_notes, optional=True),
        Question(
            "year",
            "Your year",
            "Part 2, your year. In a few notes: the role you took since not matching, what you "
            "were responsible for, and what came of it. Owned, as growth: what it confirmed "
            "about your specialty, what it strengthened in you.",
            parse=_notes,
            optional=True,
        ),
        Question(
            "evidence",
            "Evidence",
            "Part 3, evidence instead of adjectives. List the numbers and named pieces of work "
            "that prove you: patients followed, a follow-up rate you improved, abstracts, a "
            "manuscript you pushed to submission, a project you led.",
            parse=_notes,
            optional=True,
        ),
    ),
)
_PARTS = (("why", "1. Why this specialty"), ("year", "2. Your year"), ("evidence", "3. Evidence"))


def _outline_text(content: Mapping[str, Any]) -> str:
    lines = ["Your outline, to write from:"]
    for key, title in _PARTS:
        value = content.get(key)
        lines.append(f"\n{title}\n{value if value else '(not written yet)'}")
    lines.append(
        "\nWrite the draft from these notes: a real moment first, the year in two or three "
        "sentences, your numbers where you'd be tempted to use an adjective. About 750-850 "
        "words. Paste it here or send it as a file when it's ready."
    )
    return "\n".join(lines)


def _outline_buttons() -> tuple[tuple[Button, ...], ...]:
    return (
        tuple(Button(f"Change part {i}", f"{PREFIX}oe.{k}") for i, (k, _) in enumerate(_PARTS, 1)),
        (Button("Send my draft", f"{PREFIX}send"), Button("Remove the outline", f"{PREFIX}ox")),
        (Button("Back to my statement", OPEN),),
    )


def _outline(s: Session) -> Turn:
    record = s.user.record(OUTLINE, OUTLINE_KEY)
    if record is None:
        return _begin(s, OUTLINE_FLOW, item=(OUTLINE, OUTLINE_KEY), preface=_OUTLINE_INTRO)
    return s.turn(Reply(_outline_text(record.content), _outline_buttons()))


_OUTLINE_INTRO = (
    "Three short questions, one for each part of the statement. Notes are enough; tap Skip on "
    "any part you'd rather fill in later."
)


# ---------------------------------------------------------------- readers


def _reader_name(text: str, ctx: Context) -> str:
    return normalize_free_text(text, max_len=80, what="reader's name")


def _version(text: str, ctx: Context) -> str:
    """A version typed ("v2", "V2 (812 words)", "2"), or "" for none in particular."""
    if label_key(text) in {"not a set version", "none", "no", "not sure"}:
        return ""
    found = re.fullmatch(r"\s*v?\s*(\d{1,4})\b.*", text, re.IGNORECASE | re.DOTALL)
    key = f"v{int(found.group(1))}" if found else None
    known = {r.key for r in ctx.user.records_of(VERSION)} if ctx.user is not None else set()
    if key is None or (known and key not in known):
        shown = ", ".join(sorted(known, key=_number)) or "none yet"
        raise Invalid(f"I couldn't find that version (yours: {shown}). Tap one of the buttons.")
    return key


def _version_choices(ctx: Context) -> list[Choice]:
    user = ctx.user
    versions = list(user.records_of(VERSION)) if user is not None else []
    newest = sorted(versions, key=lambda r: _number(r.key), reverse=True)[:4]
    choices = [
        Choice(r.key, f"{r.key} ({r.content.get('words', 0)} words)", stores=r.key) for r in newest
    ]
    return [*choices, Choice("none", "Not a set version", stores="")]


REVIEW_FLOW = Flow(
    name="statement_review",
    code="sr",
    change_hint="send /statement and open your readers",
    fresh_runs=True,
    questions=(
        Question(
            "name",
            "Name",
            "Who is reading your statement? Their name, as you'd write it (say, Dr. Reyes).",
            parse=_reader_name,
            why_needed="a name tells your readers apart.",
        ),
        Question(
            "role",
            "Who they are",
            "Who are they to you? A faculty member in your specialty and someone who knows you "
            "well are the two readers the application checklist asks about.",
            choices=tuple(Choice(k, label) for k, label in ROLES.items()),
            columns=1,
            why_needed="it shows whether a faculty member in your specialty has read it.",
        ),
        Question(
            "version",
            "Version",
            "Which version are they reading?",
            choices=_version_choices,
            parse=_version,
            ask_if=lambda ctx: bool(ctx.user is not None and ctx.user.records_of(VERSION)),
            columns=2,
            why_needed="it keeps each reader next to the draft they saw.",
        ),
        Question(
            "notes",
            "Notes",
            "Any notes? What they said, or when you'll follow up. Tap Skip if none.",
            parse=_notes,
            optional=True,
        ),
    ),
)
_FIELDS = ("name", "role", "version", "notes")


def _reader_line(s: Session, r: RecordView) -> str:
    c = r.content
    role = _ROLE_SHORT.get(str(c.get("role")), "reader")
    version = f", {c['version']}" if c.get("version") else ""
    if c.get("status") == "done":
        return f"✅ {c.get('name')} ({role}{version}): read it, {_day(c.get('done_on'))}"
    since = _days_since(s, c.get("asked_on"))
    waiting = f", {_ago(since)}" if since is not None else ""
    nudge = " (a short, friendly follow-up is fine)" if since and since >= FOLLOW_UP_DAYS else ""
    return f"⏳ {c.get('name')} ({role}{version}): asked {_day(c.get('asked_on'))}{waiting}{nudge}"


def _days_since(s: Session, value: Any) -> int | None:
    try:
        return (s.today - date.fromisoformat(str(value))).days
    except ValueError:
        return None


def _ago(days: int) -> str:
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 14:
        return f"{days} days ago"
    return f"{days // 7} weeks ago"


def _readers(s: Session, preface: str | None = None) -> Turn:
    items = s.user.records_of(REVIEW)
    if items:
        lines = ["Who has read your statement:", *(_reader_line(s, r) for r in items)]
    else:
        lines = [
            "No readers noted yet. Give your draft to a faculty member in your specialty and "
            "to someone who knows you well, then note them here."
        ]
    rows: list[tuple[Button, ...]] = [
        (Button(str(r.content.get("name"))[:40], f"{PREFIX}r.{r.key}"),) for r in items[-10:]
    ]
    rows.append((Button("Add a reader", f"{PREFIX}ra"), Button("Back", OPEN)))
    text = "\n".join(lines)
    return s.turn(Reply(f"{preface}\n\n{text}" if preface else text, tuple(rows)))


def _reader_card(s: Session, r: RecordView) -> Turn:
    c = r.content
    lines = [
        _reader_line(s, r),
        f"Who they are: {ROLES.get(str(c.get('role')), 'not set')}",
        f"Version: {c.get('version') or 'not a set version'}",
        f"Notes: {c.get('notes') or 'none'}",
    ]
    k = r.key
    status = (
        Button("Mark as not read yet", f"{PREFIX}ru.{k}")
        if c.get("status") == "done"
        else Button("They've read it ✓", f"{PREFIX}rd.{k}")
    )
    rows = (
        (status,),
        (
            Button("Change name", f"{PREFIX}re.{k}.name"),
            Button("Change role", f"{PREFIX}re.{k}.role"),
        ),
        (
            Button("Change version", f"{PREFIX}re.{k}.version"),
            Button("Change notes", f"{PREFIX}re.{k}.notes"),
        ),
        (Button("Remove", f"{PREFIX}rx.{k}"), Button("All readers", f"{PREFIX}rv")),
    )
    return s.turn(Reply("\n".join(lines), rows))


def _next_key(s: Session, kind: str, letter: str) -> str:
    used = [_number(r.key) for r in s.user.records_of(kind)]
    if kind == VERSION:  # a removed version's number is not given again while readers name it
        used += [_number(str(r.content.get("version") or "")) for r in s.user.records_of(REVIEW)]
    return f"{letter}{max(used, default=0) + 1}"


# ---------------------------------------------------------------- drafts


DRAFT_FLOW = Flow(
    name="statement_draft",
    code="sd",
    change_hint="send /statement to add a new version",
    fresh_runs=True,
    questions=(
        Question(
            "part",
            "Your draft",
            "Paste your statement here (several messages are fine: I'll join them), or send it "
            "as a .docx or .txt file.",
            # Its only button: leaving. The draft itself never passes through the question
            # (``on_text`` reads it first), so no draft words are stored as an answer.
            choices=(Choice("later", "Not now"),),
            why_needed="I need the draft itself to give feedback on it.",
        ),
    ),
)
_LISTENING = DialogueState(DRAFT_FLOW.name, "part", {"history": [], "edit": False})
# In the listening state's data: the version the next draft replaces (a corrected text).
REPLACING = "replace"


def _listening(s: Session) -> DialogueState:
    """Listening for a draft, still replacing the version it was replacing, if any."""
    target = s.state.data.get(REPLACING) if s.state.flow == DRAFT_FLOW.name else None
    if isinstance(target, str) and s.user.record(VERSION, target) is not None:
        return DialogueState(DRAFT_FLOW.name, "part", {**_LISTENING.data, REPLACING: target})
    return _LISTENING


def _replacing(s: Session) -> RecordView | None:
    target = s.state.data.get(REPLACING) if s.state.flow == DRAFT_FLOW.name else None
    return s.user.record(VERSION, target) if isinstance(target, str) else None


# A first message this short is a question or a slip, not the start of a statement.
MIN_FIRST_PART_WORDS = 25


def _parts(s: Session) -> list[str]:
    record = s.user.record(WIP, WIP_KEY)
    parts = record.content.get("parts") if record else None
    return [str(p) for p in parts] if isinstance(parts, list) else []


def _part_buttons() -> tuple[tuple[Button, ...], ...]:
    return (
        (Button("That's all ✔", f"{PREFIX}done"), Button("Add more", f"{PREFIX}more")),
        (Button("Start over", f"{PREFIX}wx"),),
    )


# Typed instead of tapped: leaving, or the end of a draft pasted in parts.
_LEAVE_WORDS = frozenset({"not now", "later", "no draft", "never mind", "nevermind"})
_DONE_WORDS = frozenset({"thats all", "that is all", "done", "finished", "the end", "thats it"})


def on_text(s: Session, text: str) -> Turn | None:
    """A part of a pasted draft, kept with the earlier parts until "That's all"."""
    if s.state.flow != DRAFT_FLOW.name:
        return None
    parts = _parts(s)
    said = label_key(text)
    if said in _LEAVE_WORDS:
        return _leave(s)
    if said in _DONE_WORDS and parts:
        return _finish_parts(s)
    words = rules.count_words(text)
    if not parts and words < MIN_FIRST_PART_WORDS:
        return Turn(
            (
                Reply(
                    f"That's only {_words(words)}, so I don't think it's your statement yet. "
                    "Paste the draft (in several messages if it's long), send it as a .docx or "
                    ".txt file, or send /cancel to leave.",
                    _listening_buttons(),
                ),
            ),
            _listening(s),
        )
    total = rules.count_words(rules.join_parts([*parts, text]))
    if total > rules.MAX_DRAFT_WORDS:
        kept = f" Your earlier {_parts_word(len(parts))} are kept." if parts else ""
        return Turn(
            (
                Reply(
                    f"With that part the draft would be {_words(total)}, more than the "
                    f"{rules.MAX_DRAFT_WORDS:,} I can read; a statement is about 750-850. "
                    f"I didn't add it.{kept} Tap That's all to use what you sent, or Start over.",
                    _part_buttons() if parts else (),
                ),
            ),
            _listening(s),
        )
    content = {
        "parts": [*parts, text],
        "started": (s.user.record(WIP, WIP_KEY) or _blank()).content.get("started") or _today(s),
    }
    n = len(content["parts"])
    said = (
        f"Got part {n} ({_words(total)} so far). Send the next part if there's more, "
        "or tap That's all."
    )
    return Turn(
        (Reply(said, _part_buttons()),),
        _listening(s),
        (PutRecord(WIP, WIP_KEY, content),),
        toast="Saved ✓",
    )


def _leave(s: Session) -> Turn:
    kept = " The parts you pasted are kept for when you're back." if _parts(s) else ""
    said = f"OK, no draft for now.{kept} /statement brings it back whenever you're ready."
    return Turn((Reply(said),), DialogueState())


def _blank() -> RecordView:
    return RecordView(WIP, WIP_KEY, {})


def _words(n: int) -> str:
    return f"{n:,} word" if n == 1 else f"{n:,} words"


def _parts_word(n: int) -> str:
    return "part" if n == 1 else f"{n} parts"


def _listening_buttons() -> tuple[tuple[Button, ...], ...]:
    return ((Button("Outline first", f"{PREFIX}ol"), Button("Back", OPEN)),)


def _finish_parts(s: Session) -> Turn:
    parts = _parts(s)
    if not parts:
        return Turn(
            (Reply("There are no parts waiting. Paste your draft here, or send the file."),),
            _listening(s),
        )
    text = rules.join_parts(parts)
    words = rules.count_words(text)
    if words < rules.MIN_DRAFT_WORDS:
        return Turn(
            (
                Reply(
                    f"So far that's {_words(words)}; a statement runs about 750-850. Send the "
                    "rest, or Start over.",
                    _part_buttons(),
                ),
            ),
            _listening(s),
        )
    return _new_version(s, text, "pasted", None, extra=(DropRecord(WIP, WIP_KEY),))


def on_other(s: Session, inp: Other) -> Turn | None:
    """A file while the statement is listening for a draft: read it as a new version."""
    if s.state.flow != DRAFT_FLOW.name:
        return None
    if inp.kind != "document":
        return Turn(
            (
                Reply(
                    "I can only read your statement as text: paste it here, or send it as a "
                    ".docx or .txt file.",
                    _listening_buttons(),
                ),
            ),
            _listening(s),
        )
    try:
        text, kind = rules.read_document(inp.file_name, inp.mime_type, inp.content, inp.file_size)
    except rules.Unreadable as refused:
        return Turn((Reply(refused.reason, _listening_buttons()),), _listening(s))
    words = rules.count_words(text)
    if words > rules.MAX_DRAFT_WORDS:
        reason = (
            f"That file holds {_words(words)}, more than the {rules.MAX_DRAFT_WORDS:,} I can "
            "read; a statement is about 750-850. Is it the right file? Send the statement "
            "alone, or paste it."
        )
        return Turn((Reply(reason, _listening_buttons()),), _listening(s))
    if words < rules.MIN_DRAFT_WORDS:
        reason = (
            f"That file holds only {_words(words)}; a statement runs about 750-850. Is it the "
            "right file?"
        )
        return Turn((Reply(reason, _listening_buttons()),), _listening(s))
    note = ""
    if _parts(s):
        note = (
            "\n\nThe parts you pasted earlier are still kept: tap That's all to save them as "
            "a version of their own, or Start over to let them go."
        )
    turn = _new_version(s, text, kind, inp.file_name)
    if not note:
        return turn
    last = turn.replies[-1]
    return Turn(
        (*turn.replies[:-1], Reply(last.text + note, _part_buttons())), _listening(s), turn.effects
    )


# Written documents in formats I can't read (a statement saved as PDF, an old Word file...).
_WRITTEN = (".pdf", ".doc", ".odt", ".rtf", ".pages")
_WRITTEN_MIMES = frozenset(
    {
        "application/pdf",
        "application/msword",
        "application/rtf",
        "text/rtf",
        "application/vnd.oasis.opendocument.text",
    }
)


def take_document(s: Session, inp: Other) -> Turn | None:
    """A .docx or .txt sent with no question open: read it, and ask whether it is the
    statement before keeping it as a version (a spreadsheet is the program list's)."""
    name, mime = (inp.file_name or "").lower(), (inp.mime_type or "").lower()
    if name.endswith(_WRITTEN) or mime in _WRITTEN_MIMES:
        # A PDF or another word processor's file: likely a statement, in a form I can't read.
        return s.turn(
            Reply(
                "Thanks for the file. I can't read that format. If it's your personal "
                "statement, send it as a .docx or .txt file, or paste it after /statement."
            )
        )
    if not (name.endswith((".docx", ".txt")) or mime in (rules.DOCX_MIME, "text/plain")):
        return None
    if not s.user.profile:
        return s.turn(Reply(texts.NEED_PROFILE))
    try:
        text, kind = rules.read_document(inp.file_name, inp.mime_type, inp.content, inp.file_size)
    except rules.Unreadable as refused:
        return s.turn(Reply(refused.reason))
    words = rules.count_words(text)
    if not rules.MIN_DRAFT_WORDS <= words <= rules.MAX_DRAFT_WORDS:
        return s.turn(
            Reply(
                f"I read that file ({_words(words)}), but it doesn't look like a personal "
                "statement, so I haven't kept it. /statement shows what I can do with a draft."
            )
        )
    pending = {"text": text, "source": kind, "file_name": (inp.file_name or "")[:120]}
    ask = Reply(
        f"I read that file: {_words(words)}. Is it your personal statement? If so, I'll keep it "
        "as a new version and give you feedback on it.",
        (
            (
                Button("Yes, it's my statement", f"{PREFIX}fy"),
                Button("No, let it go", f"{PREFIX}fn"),
            ),
        ),
    )
    return s.turn(ask, effects=(PutRecord(WIP, FILE_KEY, pending),))


def _file_answer(s: Session, keep: bool) -> Turn:
    record = s.user.record(WIP, FILE_KEY)
    if record is None:
        return _overview(s, "That file isn't waiting any more, so nothing changed.")
    drop = DropRecord(WIP, FILE_KEY)
    if not keep:
        return s.turn(Reply("OK, I've let it go; nothing was kept."), effects=(drop,))
    c = record.content
    source = str(c.get("source")) if c.get("source") in ("docx", "txt") else "txt"
    name = c.get("file_name")
    return _new_version(s, str(c.get("text") or ""), source, str(name) if name else None, (drop,))


def _new_version(
    s: Session,
    text: str,
    source: str,
    file_name: str | None,
    extra: Sequence[PutRecord | DropRecord] = (),
) -> Turn:
    replaced = _replacing(s)
    key = replaced.key if replaced is not None else _next_key(s, VERSION, "v")
    report = rules.review_statement(text, specialty=_specialty(s.user), profile=s.user.profile)
    content: dict[str, Any] = {
        "text": text,
        "words": report.words,
        "source": source,
        "created": replaced.content.get("created") if replaced else _today(s),
        "feedback": report.as_dict(),
        "summary": rules.summary(report),
    }
    if replaced is not None:
        content["revised"] = _today(s)
    if file_name:
        content["file_name"] = file_name[:120]
    got = {"pasted": "your pasted draft", "docx": "your .docx", "txt": "your .txt file"}[source]
    head = f"Saved {got} as {key} ({_words(report.words)})."
    if replaced is not None:
        head = f"Replaced the text of {key} with {got} ({_words(report.words)})."
    earlier = replaced or _latest(s)
    since = _since(earlier, report) if earlier is not None else ""
    body = rules.report_text(report, f"Feedback on {key}")
    buttons = (
        (Button("Note a reader", f"{PREFIX}ra"), Button("Versions", f"{PREFIX}vs")),
        (Button("Get the text", f"{PREFIX}vt.{key}"), Button("Back to my statement", OPEN)),
    )
    replies = [Reply(f"{head}\n\n{body}")]
    tail = f"{since}\n\n" if since else ""
    replies.append(
        Reply(
            f"{tail}When you've revised it, paste or send the new version: I'll compare.", buttons
        )
    )
    effects = (*extra, PutRecord(VERSION, key, content))
    return Turn(tuple(replies), DialogueState(), effects, toast="Saved ✓")


def _latest(s: Session) -> RecordView | None:
    versions = s.user.records_of(VERSION)
    return max(versions, key=lambda r: _number(r.key)) if versions else None


def _report_of(r: RecordView) -> rules.StatementReport | None:
    try:
        return rules.StatementReport.from_dict(dict(r.content.get("feedback") or {}))
    except (KeyError, ValueError, TypeError):
        return None


def _since(earlier: RecordView, now: rules.StatementReport) -> str:
    before = _report_of(earlier)
    if before is None:
        return ""
    was = {c.key: c.status for c in before.checks}
    better = [c.label for c in now.checks if c.status == "pass" and was.get(c.key) != "pass"]
    slipped = [c.label for c in now.checks if c.status != "pass" and was.get(c.key) == "pass"]
    lines = []
    if better:
        lines.append(f"Since {earlier.key}, now in place: {'; '.join(better)}.")
    if slipped:
        lines.append(f"Worth another look (it was fine in {earlier.key}): {'; '.join(slipped)}.")
    return "\n".join(lines) or f"Same checks in place as {earlier.key}."


def _versions(s: Session, preface: str | None = None) -> Turn:
    versions = sorted(s.user.records_of(VERSION), key=lambda r: _number(r.key), reverse=True)
    if not versions:
        return _overview(s, preface or "No versions yet.")
    lines = ["Your versions, newest first:"]
    for r in versions:
        c = r.content
        lines.append(
            f"• {r.key}, {_day(c.get('created'))}: {_words(int(c.get('words') or 0))}, "
            f"{c.get('summary', '')}"
        )
    rows: list[tuple[Button, ...]] = [
        (
            Button(f"{r.key} feedback", f"{PREFIX}fb.{r.key}"),
            Button(f"Remove {r.key}", f"{PREFIX}vx.{r.key}"),
        )
        for r in versions[:SHOWN_VERSIONS]
    ]
    rows.append((Button("Back to my statement", OPEN),))
    text = "\n".join(lines)
    return s.turn(Reply(f"{preface}\n\n{text}" if preface else text, tuple(rows)))


def _feedback(s: Session, r: RecordView) -> Turn:
    report = _report_of(r)
    if report is None:
        body = f"I have no feedback stored for {r.key}."
    else:
        body = rules.report_text(report, f"Feedback on {r.key}, {_day(r.content.get('created'))}")
    buttons = (
        (
            Button("Get the text", f"{PREFIX}vt.{r.key}"),
            Button(f"Remove {r.key}", f"{PREFIX}vx.{r.key}"),
        ),
        (Button(f"Correct {r.key}'s text", f"{PREFIX}vr.{r.key}"),),
        (Button("Versions", f"{PREFIX}vs"), Button("Back to my statement", OPEN)),
    )
    revised = f" (text corrected {_day(r.content['revised'])})" if r.content.get("revised") else ""
    return s.turn(Reply(body + revised), Reply(f"{r.key}: what next?", buttons))


def _text_file(s: Session, r: RecordView) -> Turn:
    text = str(r.content.get("text") or "")
    doc = Attachment(
        f"statement_{r.key}.txt",
        text.encode("utf-8"),
        "text/plain",
        caption=f"Your statement, {r.key}",
    )
    return s.turn(Reply(f"Here's {r.key} as a text file.", document=doc))


# ---------------------------------------------------------------- the overview


def _milestone_parts(user: UserView) -> tuple[bool, bool]:
    in_range = any(
        rules.in_range(int(r.content.get("words") or 0)) for r in user.records_of(VERSION)
    )
    faculty = any(
        r.content.get("status") == "done" and r.content.get("role") == "faculty"
        for r in user.records_of(REVIEW)
    )
    return in_range, faculty


def rewritten(user: UserView) -> bool:
    """The plan's milestone: a version of about 750-850 words, and a faculty member in the
    specialty who has read the statement."""
    in_range, faculty = _milestone_parts(user)
    return in_range and faculty


def _overview_text(s: Session) -> str:
    lines = ["Your personal statement."]
    latest = _latest(s)
    if latest is None:
        lines.append(
            "\nRewrite it from scratch this year, in three parts: why this specialty, through "
            "one or two real patients or clinical moments; the year since not matching, owned "
            "and told as growth; and evidence instead of adjectives. About 750-850 words.\n\n"
            "Start with the outline (three short questions), or if you already have a draft, "
            "paste it here or send it as a .docx or .txt file now."
        )
    else:
        c = latest.content
        count = len(s.user.records_of(VERSION))
        lines.append(
            f"\nLatest: {latest.key}, {_day(c.get('created'))}, "
            f"{_words(int(c.get('words') or 0))} ({c.get('summary', '')})."
        )
        if count > 1:
            lines.append(f"{count} versions in all.")
    if s.user.record(OUTLINE, OUTLINE_KEY) is not None:
        lines.append("Outline: saved.")
    readers = s.user.records_of(REVIEW)
    if readers:
        lines.append("\nReaders:")
        lines += [_reader_line(s, r) for r in readers[-5:]]
    parts = _parts(s)
    if parts:
        words = rules.count_words(rules.join_parts(parts))
        lines.append(
            f"\nA pasted draft is waiting: {_parts_word(len(parts))}, {_words(words)}. Send "
            "more, or tap That's all."
        )
    in_range, faculty = _milestone_parts(s.user)
    mark = {True: "✅", False: "⭕"}
    lines.append(
        f"\nFor your plan: {mark[in_range]} a version of 750-850 words; "
        f"{mark[faculty]} read by a faculty member in your specialty."
    )
    if latest is not None:
        lines.append("To add a new version, paste it here or send the file.")
    return "\n".join(lines)


def _overview_buttons(s: Session) -> tuple[tuple[Button, ...], ...]:
    rows: list[tuple[Button, ...]] = []
    if _parts(s):
        rows.append((Button("That's all ✔", f"{PREFIX}done"), Button("Start over", f"{PREFIX}wx")))
    latest = _latest(s)
    outline = "My outline" if s.user.record(OUTLINE, OUTLINE_KEY) else "Outline first"
    if latest is None:
        rows.append((Button(outline, f"{PREFIX}ol"),))
    else:
        rows.append(
            (
                Button(f"{latest.key} feedback", f"{PREFIX}fb.{latest.key}"),
                Button("Versions", f"{PREFIX}vs"),
            )
        )
        rows.append((Button(outline, f"{PREFIX}ol"),))
    # Looking, not sending a draft now: one tap leaves the listening (the question's button).
    later = Button("Not now", DRAFT_FLOW.button_data("part", "later"))
    rows.append((Button("Readers", f"{PREFIX}rv"), later))
    return tuple(rows)


def _overview(s: Session, preface: str | None = None) -> Turn:
    """The statement at a glance; a draft pasted or a file sent next is taken as a version."""
    text = _overview_text(s)
    reply = Reply(f"{preface}\n\n{text}" if preface else text, _overview_buttons(s))
    if s.flow is not None and s.flow is not DRAFT_FLOW:
        # Mid-way through the outline or a reader: shown, and the open question asked again.
        again = s.current_question("Where we were:")
        return s.turn(reply, *((again,) if again else ()))
    return Turn((reply,), _LISTENING)


def open_statement(s: Session) -> Turn:
    if not s.user.profile:
        return s.turn(Reply(texts.NEED_PROFILE))
    if s.flow is not None and s.flow not in (DRAFT_FLOW, OUTLINE_FLOW, REVIEW_FLOW):
        return s.say_then_reask(texts.FINISH_FIRST)
    return _overview(s)


def _begin(
    s: Session,
    flow: Flow,
    *,
    item: tuple[str, str],
    key: str | None = None,
    preface: str | None = None,
) -> Turn:
    if s.flow is not None and s.flow not in (DRAFT_FLOW, OUTLINE_FLOW, REVIEW_FLOW):
        return s.say_then_reask(texts.FINISH_FIRST)
    s.state = DialogueState()  # leaving the draft's listening, or another run of ours
    return s.begin(flow, key=key, item=item, preface=preface)


# ---------------------------------------------------------------- flows ending


def finished(s: Session, flow: Flow, result: Outcome) -> Turn:
    item = s.item
    content = s.item_content(flow, result.effects)
    view = s.after(result.effects)
    if flow is OUTLINE_FLOW:
        key = item[1] if item else OUTLINE_KEY
        stored = {k: content.get(k) for k, _ in _PARTS}
        reply = Reply(_outline_text(stored), _outline_buttons())
        return Turn((reply,), _LISTENING, (PutRecord(OUTLINE, key, stored),))
    if flow is REVIEW_FLOW and item is not None:
        before = s.user.record(*item)
        kept = dict(before.content) if before else {}
        stored = {
            **kept,
            **{k: content.get(k) for k in _FIELDS},
            "status": kept.get("status") or "asked",
            "asked_on": kept.get("asked_on") or _today(s),
        }
        put = PutRecord(REVIEW, item[1], stored)
        after = view.after((put,))
        said = "Saved." if before else f"Noted: {stored['name']} is reading it."
        return Turn(_readers(after, said).replies, DialogueState(), (put,), "Saved ✓")
    if flow is DRAFT_FLOW:  # "Not now", the question's one button
        return _leave(s)
    return Turn((Reply("Saved."),), DialogueState())


# ---------------------------------------------------------------- buttons


def on_button(s: Session, rest: str) -> Turn:
    action, _, arg = rest.partition(".")
    if not s.user.profile:
        return s.turn(Reply(texts.NEED_PROFILE))
    if s.flow is not None and s.flow.name not in _FLOW_NAMES:
        # An older statement button, tapped in the middle of something else: that comes first.
        return s.say_then_reask(texts.FINISH_FIRST, toast="Nothing changed")
    simple = {
        "open": open_statement,
        "ol": _outline,
        "rv": _readers,
        "vs": _versions,
        "done": _finish_parts,
        "send": _send,
        "more": _more,
        "wx": _start_over,
        "ox": _drop_outline,
        "ra": _add_reader,
        "fy": lambda s: _file_answer(s, True),
        "fn": lambda s: _file_answer(s, False),
    }
    if action in simple and not arg:
        return simple[action](s)
    if action == "oe" and arg in dict(_PARTS):
        return _begin(s, OUTLINE_FLOW, key=arg, item=(OUTLINE, OUTLINE_KEY))
    version = s.user.record(VERSION, arg) if action in ("fb", "vt", "vx", "vy", "vr") else None
    if version is not None:
        if action == "vr":
            return _replace(s, version)
        if action == "fb":
            return _feedback(s, version)
        if action == "vt":
            return _text_file(s, version)
        if action == "vx":
            return _ask_remove_version(s, version)
        drop = DropRecord(VERSION, version.key)
        shown = _versions(s.after((drop,)), f"Removed {version.key}.")
        return Turn(shown.replies, s.state, (drop,), "Removed")
    key, _, field = arg.partition(".")
    reader = s.user.record(REVIEW, key) if action in ("r", "rd", "ru", "re", "rx", "ry") else None
    if reader is not None:
        return _reader_action(s, action, reader, field)
    if action in ("fb", "vt", "vx", "vy", "vr", "r", "rd", "ru", "re", "rx", "ry"):
        return _overview(s, "That one isn't there any more, so nothing changed.")
    return s.turn(Reply(texts.UNKNOWN_BUTTON), toast="Nothing changed")


def _reader_action(s: Session, action: str, reader: RecordView, field: str) -> Turn:
    k = reader.key
    if action == "r":
        return _reader_card(s, reader)
    if action in ("rd", "ru"):
        done = action == "rd"
        content = {**reader.content, "status": "done" if done else "asked"}
        content["done_on"] = _today(s) if done else None
        put = PutRecord(REVIEW, k, content)
        card = _reader_card(s.after((put,)), RecordView(REVIEW, k, content))
        return Turn(card.replies, s.state, (put,), "Saved ✓")
    if action == "re" and field in _FIELDS:
        return _begin(s, REVIEW_FLOW, key=field, item=(REVIEW, k))
    if action == "rx":
        ask = Reply(
            f"Remove {reader.content.get('name')} from your readers?",
            ((Button("Yes, remove", f"{PREFIX}ry.{k}"), Button("Keep", f"{PREFIX}r.{k}")),),
        )
        return s.turn(ask)
    if action == "ry":
        drop = DropRecord(REVIEW, k)
        shown = _readers(s.after((drop,)), f"Removed {reader.content.get('name')}.")
        return Turn(shown.replies, s.state, (drop,), "Removed")
    return s.turn(Reply(texts.UNKNOWN_BUTTON), toast="Nothing changed")


def _replace(s: Session, version: RecordView) -> Turn:
    """The next draft replaces this version's text (a corrected copy), not a new version."""
    k = version.key
    said = (
        f"Send the corrected text for {k}: paste it (several messages are fine) or send the "
        f"file. It replaces {k}'s text and feedback; your other versions and readers stay. "
        "/cancel leaves it as it is."
    )
    state = DialogueState(DRAFT_FLOW.name, "part", {**_LISTENING.data, REPLACING: k})
    return Turn((Reply(said),), state)


def _ask_remove_version(s: Session, version: RecordView) -> Turn:
    k = version.key
    ask = Reply(
        f"Remove {k}? Its text and feedback go for good; your other versions and your readers "
        "stay.",
        ((Button(f"Yes, remove {k}", f"{PREFIX}vy.{k}"), Button("Keep it", f"{PREFIX}vs")),),
    )
    return s.turn(ask)


def _send(s: Session) -> Turn:
    if s.flow is not None and s.flow not in (DRAFT_FLOW, OUTLINE_FLOW, REVIEW_FLOW):
        return s.say_then_reask(texts.FINISH_FIRST)
    return Turn((engine.reask(DRAFT_FLOW, _LISTENING, s.ctx(DRAFT_FLOW)),), _LISTENING)


def _more(s: Session) -> Turn:
    if s.flow is not None and s.flow is not DRAFT_FLOW:
        return s.say_then_reask(texts.FINISH_FIRST)
    return Turn((Reply("Go ahead: paste the next part."),), _listening(s))


def _start_over(s: Session) -> Turn:
    if not _parts(s):
        return _overview(s, "There was nothing waiting to let go of.")
    drop = DropRecord(WIP, WIP_KEY)
    shown = _overview(
        s.after((drop,)), "Let go of the pasted parts. Paste the draft again, or send the file."
    )
    return Turn(shown.replies, _LISTENING, (drop,), "Cleared")


def _drop_outline(s: Session) -> Turn:
    if s.user.record(OUTLINE, OUTLINE_KEY) is None:
        return _overview(s, "There's no outline saved.")
    drop = DropRecord(OUTLINE, OUTLINE_KEY)
    shown = _overview(s.after((drop,)), "Outline removed.")
    return Turn(shown.replies, shown.state, (drop,), "Removed")


def _add_reader(s: Session) -> Turn:
    return _begin(s, REVIEW_FLOW, item=(REVIEW, _next_key(s, REVIEW, "r")))


# ---------------------------------------------------------------- the feature

_FLOW_NAMES = frozenset({DRAFT_FLOW.name, OUTLINE_FLOW.name, REVIEW_FLOW.name})

FEATURE = Feature(
    name="statement",
    flows=(OUTLINE_FLOW, DRAFT_FLOW, REVIEW_FLOW),
    commands={"statement": open_statement},
    buttons={PREFIX: on_button},
    finished=finished,
    other=on_other,
    text=on_text,
    documents=take_document,
    reads=tuple(
        Reads.records(
            kind,
            commands=frozenset({"statement"}),
            buttons=(PREFIX,),
            flows=_FLOW_NAMES,
            documents=kind in (VERSION, REVIEW, WIP),
        )
        for kind in KINDS
    ),
    completes=(
        Completes(
            "personal_statement",
            holds=rewritten,
            kinds=frozenset({VERSION, REVIEW}),
            how=("Open my statement", OPEN),
        ),
    ),
)
