"""The CV / ERAS activities tracker (/cv): a few heavy entries, each with its results.

Each entry is a tracker item of kind "cv" (``PutRecord``), filled in by an item run of the
``cv_entry`` flow: adding one asks every question, changing one asks that field alone. The
graduation month (for the gaps since graduation) comes from the profile when it holds one,
else it is asked once here and kept as this feature's own answer. The checks (padding, no
results, gaps, hours) are pure rules in ``rules/cv.py``; the one-page PDF and the .docx are
written by ``documents/cv_document.py``. A full-time role of this year plus one project or
teaching entry, both with results, ticks the plan's "CV updated".
"""

from __future__ import annotations

from datetime import date
from typing import Any

from conversations import texts
from conversations.documents.cv_document import (
    DOCX_MIME,
    CvDocument,
    cv_filename,
    render_cv_docx,
    render_cv_pdf,
)
from conversations.engine import Choice, Context, Flow, Outcome, Question
from conversations.messages import Attachment, Button, DropRecord, PutRecord, Reply, Turn
from conversations.rules import cv
from conversations.rules.parsing import Invalid, normalize_free_text
from conversations.session import Completes, Feature, Reads, Session, UserView

PREFIX = "@cv."
OPEN = f"{PREFIX}open"
ENTRY_FLOW = "cv_entry"
GRAD_FLOW = "cv_grad"
FIELDS = ("type", "title", "organisation", "start", "end", "hours", "duties", "results")
# Profile answers that would say when the user graduated (none is asked in onboarding yet).
_PROFILE_GRADUATION = ("graduation", "graduated", "graduation_date", "graduation_year")


# ---------------------------------------------------------------- reading the user


def entries(user: UserView) -> list[cv.Entry]:
    return cv.entries_of((r.key, r.content) for r in user.records_of(cv.KIND))


def graduated(user: UserView) -> str | None:
    """The graduation month ("YYYY-MM"): from the profile, else the answer given here."""
    for key in _PROFILE_GRADUATION:
        value = user.profile.get(key)
        if isinstance(value, int) and 1950 <= value <= 2100:
            return f"{value:04d}-06"  # a year alone: US schools graduate in May or June
        if isinstance(value, str) and len(value) >= 7 and value[:4].isdigit():
            return value[:7]
    value = user.flow_answers(GRAD_FLOW).get("graduated")
    return value if isinstance(value, str) else None


def _graduation_asked(user: UserView) -> bool:
    return graduated(user) is not None or "graduated" in user.flow_answers(GRAD_FLOW)


def _plan_start(user: UserView) -> str | None:
    value = user.profile.get("start_date")
    return value[:7] if isinstance(value, str) and len(value) >= 7 else None


def ready(user: UserView) -> bool:
    """Whether the CV holds what the plan's "CV updated" asks (see ``cv.cv_ready``)."""
    return cv.cv_ready(entries(user), _plan_start(user))


# ---------------------------------------------------------------- the entry flow


def _text(what: str, max_len: int):
    def parse(text: str, _ctx: Context) -> str:
        return normalize_free_text(text, max_len=max_len, what=what)

    return parse


def _start(text: str, ctx: Context) -> str:
    value = cv.parse_month(text, today=ctx.today)
    if value > cv.this_month(ctx.today):
        raise Invalid("The start should be this month or earlier. Which month did it begin?")
    end = ctx.answers.get("end")
    cv.check_order(value, end if isinstance(end, str) else None)
    return value


def _end(text: str, ctx: Context) -> str:
    value = cv.parse_month(text, today=ctx.today)
    start = ctx.answers.get("start")
    cv.check_order(start if isinstance(start, str) else None, value)
    return value


def _hours(text: str, _ctx: Context) -> int:
    return cv.parse_hours(text)


def _said_month(_typed: str, value: Any) -> str | None:
    return f"Got it: {cv.show_month(str(value))}."


def _title_prompt(ctx: Context) -> str:
    example = {
        "full_time": "“Research fellow, Department of Internal Medicine”",
        "research": "“Outcomes study in heart failure”",
        "qi": "“Reducing 30-day readmissions on the medicine wards”",
        "teaching": "“Step 1 tutor for second-year students”",
    }.get(str(ctx.answers.get("type")), "a short name for it")
    return f"What's its title? For example {example}."


ENTRY = Flow(
    name=ENTRY_FLOW,
    code="cve",
    change_hint="send /cv and open the entry",
    fresh_runs=True,
    questions=(
        Question(
            "type",
            "Kind of entry",
            "What kind of entry is it?",
            choices=tuple(Choice(code, label) for code, label in cv.TYPES.items()),
            columns=1,
        ),
        Question("title", "Title", _title_prompt, parse=_text("title", 120)),
        Question(
            "organisation",
            "Where",
            "Where was it? The department and the hospital or university.",
            parse=_text("organisation", 120),
        ),
        Question(
            "start",
            "Start month",
            "Which month did it start? (Like “July 2026”.)",
            parse=_start,
            understood=_said_month,
        ),
        Question(
            "end",
            "End month",
            "And when did it end? Tap “Still going” if it hasn't.",
            choices=(Choice(cv.ONGOING, "Still going"),),
            parse=_end,
            show=cv.show_month,
            understood=_said_month,
        ),
        Question(
            "hours",
            "Hours a week",
            "About how many hours a week? (A number like 45, or a range like 40-50.)",
            parse=_hours,
            show=lambda value: f"{value} a week",
        ),
        Question(
            "duties",
            "Duties",
            "What did you do there, in a line or two? Your real responsibilities, the ones "
            "that grew over time.",
            parse=_text("duties", 600),
        ),
        Question(
            "results",
            "Results",
            "What came of it? Concrete results, with numbers if you have them: abstracts "
            "submitted, patients enrolled, a rate that went down, students taught. Skip if "
            "there's nothing yet, and add it later.",
            parse=_text("results", 600),
            optional=True,
            why_needed="results are what make an entry count.",
        ),
    ),
)

GRADUATION = Flow(
    name=GRAD_FLOW,
    code="cvg",
    change_hint="send /cv and tap the graduation month",
    questions=(
        Question(
            "graduated",
            "Graduation month",
            "When did you graduate from medical school? The month and year (like "
            "“May 2026”), so I can spot long gaps since then. Skip if you'd rather not say.",
            parse=lambda text, ctx: cv.parse_month(text, today=ctx.today),
            show=cv.show_month,
            understood=_said_month,
            optional=True,
            why_needed="gaps are counted from it.",
        ),
    ),
)


# ---------------------------------------------------------------- screens


def _line(number: int, entry: cv.Entry) -> str:
    bits = [entry.type_label, entry.dates]
    if entry.hours:
        bits.append(f"{entry.hours} h/week")
    where = f", {entry.organisation}" if entry.organisation else ""
    result = "results ✓" if entry.results else "no results yet"
    return f"{number}. {entry.title}{where}\n   {' · '.join(bits)} · {result}"


def overview(user: UserView, today: date, preface: str | None = None) -> Reply:
    found = entries(user)
    grad = graduated(user)
    parts = [preface] if preface else []
    if not found:
        parts.append(
            "Your CV / ERAS activities. What programs want to see from this year: a few "
            "solid entries (the full-time role with its real duties, one to three research "
            "or QI projects, any teaching), each with dates, hours a week and what came of "
            "it. Add the first one?"
        )
    else:
        head = (
            f"Your CV / ERAS activities ({len(found)} {'entry' if len(found) == 1 else 'entries'}):"
        )
        parts.append(head + "\n" + "\n".join(_line(i, e) for i, e in enumerate(found, 1)))
        flags = cv.warnings(found, grad, today)
        if flags:
            parts.append("Worth a look:\n" + "\n".join(f"• {f.text}" for f in flags))
        else:
            parts.append(
                "This reads well: solid entries, each with results, and no long gaps. "
                "Keep the results current as they come in."
            )
        if grad is None:
            parts.append("Tell me when you graduated and I'll check for long gaps too.")
        parts.append("Tap an entry to change it or remove it.")
    rows: list[tuple[Button, ...]] = [
        (Button(f"{i}. {e.title}"[:60], f"{PREFIX}e.{e.key}"),) for i, e in enumerate(found, 1)
    ]
    rows.append((Button("➕ Add an entry", f"{PREFIX}add"),))
    if found:
        rows.append((Button("📄 PDF and Word file", f"{PREFIX}docs"),))
    grad_label = f"Graduated: {cv.show_month(grad)}" if grad else "When I graduated"
    rows.append((Button(grad_label, f"{PREFIX}grad"),))
    return Reply("\n\n".join(parts), tuple(rows))


def _entry_screen(entry: cv.Entry, preface: str | None = None) -> Reply:
    hours = f"{entry.hours} hours a week" if entry.hours else "not given"
    text = (
        f"{entry.title}\n"
        f"{entry.type_label}{', ' + entry.organisation if entry.organisation else ''}\n"
        f"{entry.dates} · {hours}\n\n"
        f"Duties: {entry.duties or 'not given'}\n"
        f"Results: {entry.results or 'none yet'}\n\n"
        "What would you like to change?"
    )
    if preface:
        text = f"{preface}\n\n{text}"
    labels = {q.key: q.label for q in ENTRY.questions}
    fields = [Button(labels[f], f"{PREFIX}f.{entry.key}.{f}") for f in FIELDS]
    rows = [tuple(fields[i : i + 2]) for i in range(0, len(fields), 2)]
    rows.append((Button("Remove this entry", f"{PREFIX}rm.{entry.key}"),))
    rows.append((Button("Back to my CV", OPEN),))
    return Reply(text, tuple(rows))


def _documents(s: Session) -> tuple[Reply, ...]:
    doc = CvDocument(
        name=s.user.name or "",
        made_on=s.today,
        graduated=graduated(s.user),
        entries=tuple(entries(s.user)),
    )
    pdf = Attachment(
        cv_filename(doc, "pdf"), render_cv_pdf(doc), "application/pdf", "Your one-page CV"
    )
    docx = Attachment(
        cv_filename(doc, "docx"),
        render_cv_docx(doc),
        DOCX_MIME,
        "The same CV as a Word file, to edit freely",
    )
    return Reply("", document=pdf), Reply("", document=docx)


# ---------------------------------------------------------------- commands and buttons


def _busy(s: Session) -> Turn | None:
    """A flow of any feature open: finish it first (nothing is lost)."""
    if s.flow is not None:
        return s.say_then_reask(texts.FINISH_FIRST)
    return None


def open_cv(s: Session) -> Turn:
    if not s.user.profile:
        return s.turn(Reply(texts.NEED_PROFILE))
    busy = _busy(s)
    if busy is not None:
        return busy
    if not _graduation_asked(s.user):
        return s.begin(
            GRADUATION,
            preface="Your CV / ERAS activities. First, one thing I need for the gaps.",
        )
    return s.turn(overview(s.user, s.today))


def _new_key(s: Session) -> str:
    stamp = int(s.now_utc.timestamp() * 1000)
    key = f"c{stamp:x}"
    taken = {r.key for r in s.user.records_of(cv.KIND)}
    while key in taken:
        stamp += 1
        key = f"c{stamp:x}"
    return key


def press(s: Session, rest: str) -> Turn:
    if not s.user.profile:
        return s.turn(Reply(texts.NEED_PROFILE), toast="Nothing changed")
    busy = _busy(s)
    if busy is not None:
        return busy
    action, _, arg = rest.partition(".")
    if action == "open":
        return open_cv(s)
    if action == "add":
        if len(s.user.records_of(cv.KIND)) >= cv.MAX_ENTRIES:
            note = (
                f"Your CV already holds {cv.MAX_ENTRIES} entries, more than any reader will "
                "take in. Remove or merge a few light ones first."
            )
            return s.turn(overview(s.user, s.today, note))
        return s.begin(ENTRY, item=(cv.KIND, _new_key(s)), preface="A new entry.")
    if action == "grad":
        return s.begin(GRADUATION, key="graduated")
    if action == "docs":
        if not s.user.records_of(cv.KIND):
            return s.turn(
                overview(s.user, s.today, "Add an entry first, then I'll make the files.")
            )
        return s.turn(
            Reply("Here's your CV: a one-page PDF, and a Word file to edit."), *_documents(s)
        )
    if action in ("e", "f", "rm", "rmy"):
        key, _, field = arg.partition(".")
        record = s.user.record(cv.KIND, key) if key else None
        if record is None:
            if action == "rmy":
                return s.turn(
                    overview(s.user, s.today, "That entry is already removed."),
                    toast="Already removed",
                )
            note = "That entry isn't on your CV any more, so nothing changed."
            return s.turn(overview(s.user, s.today, note), toast="Nothing changed")
        entry = cv.Entry.of(record.key, record.content)
        if action == "e":
            return s.turn(_entry_screen(entry))
        if action == "f":
            if field not in FIELDS:
                return s.turn(_entry_screen(entry, texts.UNKNOWN_BUTTON), toast="Nothing changed")
            return s.begin(ENTRY, key=field, item=(cv.KIND, key))
        if action == "rm":
            buttons = (
                (Button("Yes, remove it", f"{PREFIX}rmy.{key}"),),
                (Button("No, keep it", f"{PREFIX}e.{key}"),),
            )
            return s.turn(Reply(f"Remove “{entry.title}” from your CV?", buttons))
        view = s.after((DropRecord(cv.KIND, key),))
        said = f"Removed “{entry.title}”."
        return s.turn(
            overview(view.user, s.today, said),
            effects=(DropRecord(cv.KIND, key),),
            toast="Removed",
        )
    return s.say_then_reask(texts.UNKNOWN_BUTTON, toast="Nothing changed")


def finished(s: Session, flow: Flow, result: Outcome) -> Turn:
    if flow is GRADUATION:
        view = s.after(result.effects)
        return view.turn(overview(view.user, s.today))
    item = s.item
    if item is None:  # an entry run always names its item; be honest if one does not
        return s.after(result.effects).turn(overview(s.user, s.today))
    kind, key = item
    merged = s.item_content(flow, result.effects)
    content: dict[str, Any] = {f: merged.get(f) for f in FIELDS}
    put = PutRecord(kind, key, content)
    view = s.after((*result.effects, put))
    title = str(content.get("title") or "the entry")
    editing = bool(s.state.data.get("edit"))
    said = f"Updated “{title}”." if editing else f"Added “{title}” to your CV."
    return view.turn(overview(view.user, s.today, said), effects=(put,))


FEATURE = Feature(
    name="cv",
    flows=(ENTRY, GRADUATION),
    commands={"cv": open_cv},
    buttons={PREFIX: press},
    finished=finished,
    reads=(
        Reads.records(
            cv.KIND,
            commands=frozenset({"cv"}),
            buttons=(PREFIX,),
            flows=frozenset({ENTRY_FLOW, GRAD_FLOW}),
        ),
    ),
    # This year's full-time role and one project or teaching entry, both with results.
    completes=(
        Completes(
            "cv_updated",
            holds=ready,
            kinds=frozenset({cv.KIND}),
            how=("Update my CV", OPEN),
        ),
    ),
)
