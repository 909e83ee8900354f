"""The post-mortem (/postmortem): three honest conversations, a self-review, one page.

Two weeks, three sources of frank feedback (the dean's office, a specialty advisor, a faculty
member outside the specialty), the user's own review by bucket, and then the diagnosis:
the rules in ``diagnosis.py`` rank what the evidence says, the user reorders, drops or adds,
and the result is the one-page Problems List (chat text + PDF), stored with its date.

Everything the coach asks or hands over here is in the ``SOURCES`` table and the flows
below. Meeting dates write two nudges: the day before (with the questions) and the day
after (asking for the notes), at the user's check-in time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from conversations import texts
from conversations.documents.problems_pdf import problems_list_filename, render_problems_list
from conversations.engine import Choice, Context, Flow, Outcome, Question
from conversations.messages import (
    Attachment,
    Button,
    CancelNudges,
    RecordEvent,
    Reply,
    SaveAnswer,
    SaveProblemsList,
    ScheduleNudge,
    Turn,
    button_number,
)
from conversations.rules.diagnosis import diagnose, rank, top_deficits
from conversations.rules.parsing import Invalid, normalize_free_text, parse_date
from conversations.rules.problems import BUCKETS, Finding, ProblemsList, Target
from conversations.rules.reminders import local_moment
from conversations.session import Completes, Feature, Reads, Reminders, Session

PREFIX = "@pm."
CONFIRM_LABEL = "This is right ✓"
DRAFT_FLOW, DRAFT_KEY = "postmortem", "draft"
MAX_TOP = 3


@dataclass(frozen=True)
class Source:
    key: str
    title: str
    who: str
    send_ahead: tuple[str, ...]
    questions: tuple[tuple[str, str], ...]  # (note key, the question to ask them)


SOURCES: tuple[Source, ...] = (
    Source(
        "dean",
        "Your dean's office",
        "Ask your school's dean's office (student affairs) for a frank review meeting.",
        ("your ERAS application", "your personal statement", "the full list of programs"),
        (
            ("dean_top2", "If you had to name the two main reasons I didn't match, what are they?"),
            ("dean_realistic", "Were the programs I chose realistic for my scores and profile?"),
            ("dean_mspe", "If I reapply, would you revise my MSPE? What would you change?"),
        ),
    ),
    Source(
        "advisor",
        "A specialty advisor",
        "A program director or associate PD you know, or faculty with real match experience "
        "in your specialty. Ideally not the person who encouraged you to aim too high.",
        ("your scores", "your transcript", "your list of letter writers", "your program list"),
        (
            (
                "advisor_interview",
                "If my application reached your program, would you interview me? Why or why not?",
            ),
            ("advisor_rank", "Would you rank me? Roughly where?"),
            ("advisor_improve", "What would you need to see in 12 months to call me competitive?"),
        ),
    ),
    Source(
        "outside",
        "Someone outside your specialty",
        "A hospitalist, a GME faculty member, or a program director in another field: "
        "less invested in your choice, so often more candid.",
        ("your ERAS application",),
        (
            ("outside_story", "If you didn't know me, what story would this application tell you?"),
            (
                "outside_flags",
                "Where do I raise red flags for you: scores, professionalism, gaps, something else?",
            ),
        ),
    ),
)
SOURCE_BY_KEY = {s.key: s for s in SOURCES}


# ---------------------------------------------------------------- flows


def _meeting_date(text: str, ctx: Context) -> str:
    today = ctx.today
    day = parse_date(
        text, today=today, earliest=today - timedelta(days=30), latest=today + timedelta(days=90)
    )
    return day.isoformat()


def _who(text: str, ctx: Context) -> str:
    return normalize_free_text(text, max_len=80, what="name or role")


def _note(text: str, ctx: Context) -> str:
    # Kept verbatim (only the outer blank space trimmed): these are their words.
    if not text.strip():
        raise Invalid(texts.EMPTY_TEXT)
    return text.strip()


def _meeting_flow(source: Source) -> Flow:
    return Flow(
        name=f"pm_meet_{source.key}",
        code=f"pm{source.key[0]}",
        change_hint=f"open /postmortem and pick {source.title.lower()}",
        fresh_runs=True,
        questions=(
            Question(
                "who",
                "Who",
                f"{source.title}: who will you meet? A name or a role is enough.",
                parse=_who,
                optional=True,
            ),
            Question(
                "date",
                "Meeting date",
                "When is the meeting? Type the date (like April 2), or tap below if it isn't booked yet.",
                choices=(Choice("not_booked", "Not booked yet"),),
                parse=_meeting_date,
                why_needed="I use it to remind you the day before and ask for notes after.",
            ),
        ),
    )


def _notes_flow(source: Source) -> Flow:
    return Flow(
        name=f"pm_notes_{source.key}",
        code=f"pn{source.key[0]}",
        change_hint=f"open /postmortem and record {source.title.lower()}'s notes again",
        fresh_runs=True,
        questions=tuple(
            Question(
                key,
                f"“{question}”",
                f"{source.title}, question {i} of {len(source.questions)}:\n“{question}”\n\n"
                "What did they say? Write it as close to their words as you can "
                "(/skip if you didn't ask this one).",
                parse=_note,
                optional=True,
            )
            for i, (key, question) in enumerate(source.questions, 1)
        ),
    )


def _none_choice(label: str) -> Choice:
    return Choice("none", label)


SELF_REVIEW = Flow(
    name="pm_self",
    code="psr",
    change_hint="open /postmortem and redo your own review",
    fresh_runs=True,
    questions=(
        Question(
            "exams",
            "Scores and exams",
            "Your own review, bucket 1 of 4: scores and exams. Tick what applies to you, then Done.",
            choices=(
                _none_choice("None of these"),
                Choice("low_step1", "Low Step 1 / COMLEX 1"),
                Choice("low_step2", "Step 2 / COMLEX 2 barely passed or failed"),
                Choice("no_step2", "No Step 2 score when I applied"),
            ),
            multi=True,
            exclusive="none",
            columns=1,
        ),
        Question(
            "red_flags",
            "Red flags",
            "Bucket 2 of 4: red flags. Tick what applies, then Done.",
            choices=(
                _none_choice("None of these"),
                Choice("course_fail", "A course or clerkship failure"),
                Choice("repeat_year", "A repeated year"),
                Choice("loa_unexplained", "A leave of absence, poorly explained"),
                Choice("professionalism", "A professionalism note"),
            ),
            multi=True,
            exclusive="none",
            columns=1,
        ),
        Question(
            "strategy",
            "Application strategy",
            "Bucket 3 of 4: application strategy. Tick what applies, then Done.",
            choices=(
                _none_choice("None of these"),
                Choice("only_competitive", "Only very competitive specialties, mid-range scores"),
                Choice("too_few", "Too few applications"),
                Choice("no_geo", "Coasts only, few community programs"),
            ),
            multi=True,
            exclusive="none",
            columns=1,
        ),
        Question(
            "experience",
            "Experience and letters",
            "Bucket 4 of 4: experience and letters. Tick what applies, then Done.",
            choices=(
                _none_choice("None of these"),
                Choice("weak_letters", "Weak or generic letters"),
                Choice("no_home_support", "No strong home department support"),
                Choice("little_usce", "Little US clinical experience"),
                Choice("no_commitment", "Little proof of commitment to the specialty"),
            ),
            multi=True,
            exclusive="none",
            columns=1,
        ),
    ),
)


def _title(text: str, ctx: Context) -> str:
    return normalize_free_text(text, max_len=120, what="problem")


ADD_FINDING = Flow(
    name="pm_add",
    code="pad",
    fresh_runs=True,
    questions=(
        Question(
            "bucket",
            "Bucket",
            "Which bucket does it belong to?",
            choices=tuple(Choice(key, label) for key, label in BUCKETS.items()),
            columns=1,
        ),
        Question(
            "title",
            "Problem",
            "In one line, what is the problem? (for example: “No letter from an internist”)",
            parse=_title,
        ),
    ),
)

MEETINGS = {s.key: _meeting_flow(s) for s in SOURCES}
NOTES = {s.key: _notes_flow(s) for s in SOURCES}


# ---------------------------------------------------------------- the overview


def _source_status(s: Session, source: Source) -> str:
    meeting = s.user.flow_answers(MEETINGS[source.key].name)
    notes = s.user.flow_answers(NOTES[source.key].name)
    if any(v for v in notes.values()):
        return "notes saved ✓"
    day = meeting.get("date")
    if isinstance(day, str) and day != "not_booked":
        return f"meeting on {texts.short_day(date.fromisoformat(day))}"
    return "not booked yet"


def overview(s: Session, preface: str | None = None) -> Reply:
    lines = []
    for i, source in enumerate(SOURCES, 1):
        lines.append(f"{i}. {source.title}: {_source_status(s, source)}")
    done_self = bool(s.user.flow_answers(SELF_REVIEW.name))
    lines.append(f"4. Your own review: {'done ✓' if done_self else 'not yet'}")
    body = (
        "The post-mortem: over about two weeks, get honest feedback from three people, "
        "written down, plus your own review. Then we turn it into a one-page Problems List.\n\n"
        + "\n".join(lines)
        + "\n\nTap a step. You can build the list at any time; it gets better with more evidence."
    )
    buttons = [
        (Button(f"{i}. {src.title}", f"{PREFIX}src.{src.key}"),) for i, src in enumerate(SOURCES, 1)
    ]
    buttons.append((Button("4. My own review", f"{PREFIX}self"),))
    buttons.append((Button("Build my Problems List", f"{PREFIX}build"),))
    return Reply(f"{preface}\n\n{body}" if preface else body, tuple(buttons))


def source_card(source: Source) -> Reply:
    asks = "\n".join(f"• {q}" for _, q in source.questions)
    send = ", ".join(source.send_ahead)
    text = (
        f"{source.title}\n{source.who}\n\n"
        f"Send ahead: {send}.\n\n"
        f"Questions to ask, word for word if you like:\n{asks}\n\n"
        "Ask for honesty, not comfort: you are collecting data."
    )
    buttons = (
        (Button("Set the meeting date", f"{PREFIX}meet.{source.key}"),),
        (Button("Record what they said", f"{PREFIX}notes.{source.key}"),),
        (Button("Back to the overview", f"{PREFIX}open"),),
    )
    return Reply(text, buttons)


# ---------------------------------------------------------------- the diagnosis and the list


def _gather(s: Session) -> tuple[Mapping[str, Any], dict[str, list[str]], dict[str, str]]:
    review = {
        k: list(v) for k, v in s.user.flow_answers(SELF_REVIEW.name).items() if isinstance(v, list)
    }
    notes: dict[str, str] = {}
    for flow in NOTES.values():
        notes.update(
            {k: v for k, v in s.user.flow_answers(flow.name).items() if isinstance(v, str)}
        )
    return s.user.profile, review, notes


def _draft(s: Session) -> dict[str, Any] | None:
    draft = s.user.flow_answers(DRAFT_FLOW).get(DRAFT_KEY)
    return draft if isinstance(draft, dict) else None


def _findings(draft: Mapping[str, Any], part: str) -> list[Finding]:
    return [Finding.from_dict(f) for f in draft.get(part, [])]


def _save_draft(top: list[Finding], others: list[Finding]) -> SaveAnswer:
    value = {"top": [f.as_dict() for f in top], "others": [f.as_dict() for f in others]}
    return SaveAnswer(DRAFT_FLOW, DRAFT_KEY, None, value)


def _render(top: list[Finding], others: list[Finding]) -> str:
    if not top:
        return "There isn't enough evidence for a list yet."
    parts = []
    for i, f in enumerate(top, 1):
        evidence = "\n".join(f"   • {line}" for line in f.evidence)
        parts.append(
            f"{i}. {f.title} ({BUCKETS.get(f.bucket, f.bucket)})\n{evidence}\n   Why it matters: {f.why}"
        )
    text = "\n\n".join(parts)
    if others:
        text += "\n\nAlso noted: " + "; ".join(f.title for f in others)
    return text


def draft_version(top: list[Finding], others: list[Finding]) -> str:
    """A short name for one state of the draft: the confirm button carries it, so a tap on a
    confirm shown before a move or a drop never saves the list as it is now."""
    codes = ",".join(f.code for f in top) + "|" + ",".join(f.code for f in others)
    return hashlib.sha256(codes.encode()).hexdigest()[:8]


def draft_view(
    s: Session,
    top: list[Finding],
    others: list[Finding],
    preface: str | None = None,
    *,
    edit: bool = False,
) -> Reply:
    """The draft with its editing buttons.

    Each item's buttons name the item (its code), not its place, so a button from before a
    move still acts on the item it showed. Confirming sits first, on its own row: the rows
    below it grow and shrink as items move, and none of them can slide into its place.
    ``edit``: replace the message whose button was pressed rather than send the list again.
    """
    head = "Here is what the evidence points to, most urgent first:\n\n"
    body = head + _render(top, others)
    body += "\n\nMove, drop or add until it feels true, then confirm."
    rows: list[tuple[Button, ...]] = []
    if top:
        rows.append((Button(CONFIRM_LABEL, f"{PREFIX}ok.{draft_version(top, others)}"),))
    for i, f in enumerate(top, 1):
        row = [Button(f"✖ Drop {i}", f"{PREFIX}drop.{f.code}")]
        if i > 1:
            # The place it is seen at too: a second tap of a double tap finds it has moved.
            row.insert(0, Button(f"⬆ Move {i} up", f"{PREFIX}up.{f.code}.{i}"))
        rows.append(tuple(row))
    for f in others[:3]:
        rows.append((Button(f"➕ {f.title}"[:60], f"{PREFIX}promote.{f.code}"),))
    rows.append((Button("Add my own", f"{PREFIX}add"),))
    return Reply(f"{preface}\n\n{body}" if preface else body, tuple(rows), edit=edit)


def _own_items(draft: Mapping[str, Any] | None) -> tuple[list[tuple[int, Finding]], list[Finding]]:
    """What the user added by hand to ``draft``: (place, item) in the top, and the others."""
    if draft is None:
        return [], []
    top = [(i, f) for i, f in enumerate(_findings(draft, "top")) if f.source == "user"]
    others = [f for f in _findings(draft, "others") if f.source == "user"]
    return top, others


def build(s: Session) -> Turn:
    if not s.user.profile:
        return s.turn(Reply(texts.NEED_PROFILE))
    profile, review, notes = _gather(s)
    top, others = top_deficits(rank(diagnose(profile, review, notes)), MAX_TOP)
    # A rebuild ranks the evidence afresh, and keeps what the user added where they had it.
    own_top, own_others = _own_items(_draft(s))
    for place, finding in own_top:
        top.insert(min(place, len(top)), finding)
    while len(top) > MAX_TOP:
        spare = max(i for i, f in enumerate(top) if f.source != "user")
        others.insert(0, top.pop(spare))
    others = own_others + others
    notes_line = None
    if not notes:
        notes_line = (
            "This first draft comes from your profile and your own review only; "
            "the three conversations will sharpen it, and you can rebuild it then."
        )
    if own_top or own_others:
        kept = "I kept what you added yourself."
        notes_line = f"{notes_line} {kept}" if notes_line else kept
    return s.turn(draft_view(s, top, others, notes_line), effects=(_save_draft(top, others),))


def _edit_draft(s: Session, action: str, code: str) -> Turn:
    draft = _draft(s)
    if draft is None:
        return build(s)
    top, others = _findings(draft, "top"), _findings(draft, "others")
    seen = None
    if action == "up" and "." in code:  # "code.3": moved up from the third place
        code, _, at = code.rpartition(".")
        seen = button_number(at)
    place = next((i for i, f in enumerate(top) if f.code == code), None)
    if seen is not None and place is not None and place + 1 != seen:
        place = None  # tapped twice, or from an older view: it is no longer where it was seen
    preface = None
    if action in ("up", "drop") and place is not None:
        if action == "drop":
            others.insert(0, top.pop(place))
        elif place > 0:
            top[place - 1], top[place] = top[place], top[place - 1]
        else:
            preface = "That one is already first."
    elif action == "promote" and any(f.code == code for f in others):
        if len(top) >= MAX_TOP:
            preface = f"The list holds {MAX_TOP} at most: drop one first."
        else:
            found = next(f for f in others if f.code == code)
            others.remove(found)
            top.append(found)
    else:  # an item no longer where that button saw it, or a forged button
        reply = draft_view(s, top, others, texts.UNKNOWN_BUTTON, edit=True)
        return s.turn(reply, toast="Nothing changed")
    return s.turn(
        draft_view(s, top, others, preface, edit=True), effects=(_save_draft(top, others),)
    )


def confirm(s: Session, version: str) -> Turn:
    draft = _draft(s)
    if draft is None or not draft.get("top"):
        return build(s)
    top, others = _findings(draft, "top"), _findings(draft, "others")
    if version != draft_version(top, others):
        note = (
            "The list changed since that button was shown, so I haven't saved it yet. "
            f"Here it is now: tap “{CONFIRM_LABEL}” when it's right."
        )
        return s.turn(draft_view(s, top, others, note, edit=True), toast="Not saved yet")
    chosen = s.user.target
    problems = ProblemsList(
        name=s.user.name,
        made_on=s.today,
        top=tuple(top),
        others=tuple(others),
        target=Target(*chosen) if chosen else None,
    )
    text = (
        "Your Problems List is saved. This is what the next 12 months are for:\n\n"
        + _render(list(problems.top), [])
        + "\n\nReopen it any time with /problems."
    )
    next_step = ((Button("Next: choose my target", "@tg.open"),),)
    effects = (
        SaveProblemsList(problems.made_on, problems.as_dict()),
        RecordEvent("problems_list_saved"),
    )
    return s.turn(Reply(text, next_step), pdf_reply(problems), effects=effects)


def pdf_reply(problems: ProblemsList) -> Reply:
    pdf = Attachment(
        problems_list_filename(problems),
        render_problems_list(problems),
        "application/pdf",
        "Your one-page Problems List",
    )
    return Reply("", document=pdf)


def show_problems(s: Session) -> Turn:
    if s.user.problems is None:
        buttons = ((Button("Start the post-mortem", f"{PREFIX}open"),),)
        return s.turn(
            Reply("You haven't built a Problems List yet. The post-mortem gets you there.", buttons)
        )
    problems = ProblemsList.from_dict(dict(s.user.problems))
    text = f"Your Problems List from {problems.made_on:%B} {problems.made_on.day}:\n\n" + _render(
        list(problems.top), list(problems.others)
    )
    buttons = ((Button("Rebuild it with what I know now", f"{PREFIX}build"),),)
    return s.turn(Reply(text, buttons), pdf_reply(problems))


# ---------------------------------------------------------------- nudges for meetings


def meeting_nudges(s: Session, source: Source, day: date) -> list[ScheduleNudge | CancelNudges]:
    """Cancel what was planned for this source, then plan the day before and the day after."""
    key = f"pm:{source.key}"
    effects: list[ScheduleNudge | CancelNudges] = [CancelNudges(key)]
    settings = s.user.nudge_settings
    payload = settings.payload(source=source.key, meeting=day.isoformat())
    before = local_moment(day - timedelta(days=1), settings.at, payload)
    after = local_moment(day + timedelta(days=1), settings.at, payload)
    if before > s.now_utc:
        effects.append(ScheduleNudge("pm_meeting_before", key, before, payload))
    if after > s.now_utc:
        effects.append(ScheduleNudge("pm_notes_after", key, after, payload))
    return effects


def replan_meetings(s: Session) -> tuple[ScheduleNudge | CancelNudges, ...]:
    """Re-plan the reminders of every booked meeting (the zone or the hour changed)."""
    effects: list[ScheduleNudge | CancelNudges] = []
    for source in SOURCES:
        day = s.user.flow_answers(MEETINGS[source.key].name).get("date")
        if isinstance(day, str) and day != "not_booked":
            effects += meeting_nudges(s, source, date.fromisoformat(day))
    return tuple(effects)


def render_nudge(kind: str, payload: Mapping[str, Any]) -> Reply | None:
    """The message a post-mortem nudge becomes when it is sent (None: not ours)."""
    source = SOURCE_BY_KEY.get(str(payload.get("source")))
    if source is None:
        return None
    if kind == "pm_meeting_before":
        asks = "\n".join(f"• {q}" for _, q in source.questions)
        text = (
            f"Tomorrow: your meeting with {source.title.lower()}. "
            f"Have you sent {', '.join(source.send_ahead)}?\n\nThe questions to ask:\n{asks}"
        )
        return Reply(text, ((Button("Open the post-mortem", f"{PREFIX}open"),),))
    if kind == "pm_notes_after":
        text = (
            f"How did it go with {source.title.lower()}? While it's fresh, write down what "
            "they said, as close to their words as you can."
        )
        return Reply(text, ((Button("Record what they said", f"{PREFIX}notes.{source.key}"),),))
    return None


def describe_nudge(kind: str, payload: Mapping[str, Any]) -> str | None:
    """A short label for /reminders."""
    return {
        "pm_meeting_before": "Your feedback meeting tomorrow",
        "pm_notes_after": "Notes from your feedback meeting",
    }.get(kind)


# ---------------------------------------------------------------- routing


def open_overview(s: Session) -> Turn:
    if not s.user.profile:
        return s.turn(Reply(texts.NEED_PROFILE))
    return s.turn(overview(s))


def on_button(s: Session, rest: str) -> Turn:
    action, _, arg = rest.partition(".")
    if action == "open":
        return open_overview(s)
    if action == "src" and arg in SOURCE_BY_KEY:
        return s.turn(source_card(SOURCE_BY_KEY[arg]))
    if action == "meet" and arg in MEETINGS:
        return s.begin(MEETINGS[arg])
    if action == "notes" and arg in NOTES:
        return s.begin(NOTES[arg])
    if action == "self":
        return s.begin(SELF_REVIEW)
    if action == "build":
        return build(s)
    if action == "add":
        return s.begin(ADD_FINDING)
    if action == "ok":
        return confirm(s, arg)
    if action in ("up", "drop", "promote"):
        return _edit_draft(s, action, arg)
    return s.turn(overview(s, texts.UNKNOWN_BUTTON), toast="Nothing changed")


def finished(s: Session, flow: Flow, result: Outcome) -> Turn:
    view = s.after(result.effects)
    for source in SOURCES:
        if flow is MEETINGS[source.key]:
            day = view.user.flow_answers(flow.name).get("date")
            if isinstance(day, str) and day != "not_booked":
                when = date.fromisoformat(day)
                note = (
                    f"Saved: {source.title.lower()} on {texts.short_day(when)}. I'll remind you the "
                    "day before, with the questions, and ask for your notes the day after."
                )
                return view.turn(
                    overview(view, note), effects=tuple(meeting_nudges(view, source, when))
                )
            return view.turn(overview(view, "Saved. Book it when you can; two weeks go fast."))
        if flow is NOTES[source.key]:
            return view.turn(
                overview(view, f"Notes from {source.title.lower()} saved, word for word.")
            )
    if flow is SELF_REVIEW:
        return view.turn(overview(view, "Your own review is saved."))
    if flow is ADD_FINDING:
        return _add_finding(view)
    return view.turn(overview(view))


def _add_finding(view: Session) -> Turn:
    added = view.user.flow_answers(ADD_FINDING.name)
    draft = _draft(view) or {"top": [], "others": []}
    top, others = _findings(draft, "top"), _findings(draft, "others")
    taken = [int(f.code[5:]) for f in top + others if f.code[5:].isdigit() and f.source == "user"]
    finding = Finding(
        code=f"user_{max(taken, default=0) + 1}",
        bucket=str(added.get("bucket") or "strategy"),
        title=str(added.get("title") or "My own addition"),
        evidence=("You added this yourself.",),
        why="You know your application best.",
        weight=0,
        source="user",
    )
    if len(top) < MAX_TOP:
        top.append(finding)
        note = "Added."
    else:
        others.append(finding)
        note = f"Added under “Also noted”: the list holds {MAX_TOP}. Drop one to make room."
    return view.turn(draft_view(view, top, others, note), effects=(_save_draft(top, others),))


FEATURE = Feature(
    name="postmortem",
    flows=(*MEETINGS.values(), *NOTES.values(), SELF_REVIEW, ADD_FINDING),
    commands={"postmortem": open_overview, "problems": show_problems},
    buttons={PREFIX: on_button},
    finished=finished,
    reminders=Reminders(
        frozenset({"pm_meeting_before", "pm_notes_after"}),
        render_nudge,
        describe_nudge,
        replan_meetings,
    ),
    reads=(Reads("problems", commands=frozenset({"problems"}), buttons=(PREFIX,)),),
    # A confirmed Problems List is the post-mortem done.
    completes=(
        Completes(
            "post_mortem",
            event="problems_list_saved",
            how=("Open the post-mortem", f"{PREFIX}open"),
        ),
    ),
)
