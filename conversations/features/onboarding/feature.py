"""Onboarding as a feature: the profile view, editing one answer, and the end of onboarding.

The questions themselves are declared in ``questions.py``.
"""

from __future__ import annotations

from conversations import texts
from conversations.engine import Context, Flow, Outcome, Question
from conversations.features.onboarding.questions import ONBOARDING
from conversations.messages import Button, Reply, SaveAnswer, Turn
from conversations.session import PLAN_FLOW, Feature, Session

REVIEW = "@go.review"
EDIT_PREFIX = "@edit."
SECTION_PREFIX = "@prof."
START_POSTMORTEM = "@pm.open"

# /profile in sections, so a phone screen holds its buttons: one button per section, and
# a section's answers each with their own button. Every onboarding question is in one.
SECTIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("about", "About you", ("name", "degree")),
    (
        "cycle",
        "Last cycle",
        ("specialty", "programs_applied", "program_mix", "geography", "interviews", "soap"),
    ),
    ("exams", "Exams", ("comlex1", "comlex2", "took_usmle", "step1", "step2", "exam_failures")),
    (
        "record",
        "Record and letters",
        ("red_flags", "home_support", "letters_count", "letters_strong"),
    ),
    ("research", "Research and experience", ("abstracts", "posters", "papers", "usce_months")),
    ("time", "Time and schedule", ("timezone", "start_date", "wake_time", "checkin_time")),
)


def _lines(ctx: Context, keys: tuple[str, ...]) -> list[tuple[Question, str]]:
    """The section's questions that apply to this user, with their answers as read."""
    shown = []
    for key in keys:
        q = ONBOARDING.question(key)
        if q is None or not q.applies(ctx):
            continue
        shown.append(
            (q, q.display(ctx.answers[key], ctx) if key in ctx.answers else "not answered yet")
        )
    return shown


def profile_view(s: Session, preface: str | None = None) -> Reply:
    ctx = s.ctx(ONBOARDING)
    if not ctx.answers:
        body = "Your profile is empty so far. Send /start to begin."
        return Reply(f"{preface}\n\n{body}" if preface else body)
    parts, buttons = [], []
    for code, title, keys in SECTIONS:
        lines = _lines(ctx, keys)
        if lines:
            parts.append(title + "\n" + "\n".join(f"• {q.label}: {shown}" for q, shown in lines))
            buttons.append(Button(title, f"{SECTION_PREFIX}{code}"))
    body = "Your profile:\n\n" + "\n\n".join(parts)
    target = s.user.flow_answers("target")
    if target.get("primary"):
        body += f"\n\nTarget: {target['primary']}\nBackup: {target.get('backup') or 'not set yet'}"
        body += "\n(/target changes them)"
    body += "\n\nTo change an answer, tap its section."
    rows = tuple(tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2))
    return Reply(f"{preface}\n\n{body}" if preface else body, rows)


def section_view(s: Session, code: str) -> Turn:
    found = next((sec for sec in SECTIONS if sec[0] == code), None)
    ctx = s.ctx(ONBOARDING)
    lines = _lines(ctx, found[2]) if found is not None else []
    if found is None or not lines:
        return s.turn(profile_view(s, texts.UNKNOWN_BUTTON), toast="Nothing changed")
    text = (
        f"{found[1]}:\n"
        + "\n".join(f"• {q.label}: {shown}" for q, shown in lines)
        + "\n\nWhich one would you like to change?"
    )
    buttons = [Button(q.label, f"{EDIT_PREFIX}{q.key}") for q, _ in lines]
    rows = [tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2)]
    rows.append((Button("⬅ My whole profile", REVIEW),))
    return s.turn(Reply(text, tuple(rows)))


def onboarding_complete(s: Session) -> bool:
    """Every question that must be answered is: an optional question added later (the wake
    time) never sends someone who finished back into onboarding."""
    ctx = s.ctx(ONBOARDING)
    return all(q.key in ctx.answers for q in ONBOARDING.relevant(ctx) if not q.optional)


def show_profile(s: Session) -> Turn:
    return s.turn(profile_view(s))


def edit(s: Session, key: str) -> Turn:
    q = ONBOARDING.question(key)
    if q is None or not q.applies(s.ctx(ONBOARDING)):
        return s.say_then_reask(texts.UNKNOWN_BUTTON, toast="Nothing changed")
    return s.begin(ONBOARDING, key=key, preface=texts.full_stop(f"Changing: {q.label}"))


# Answers that move reminders: changing one re-plans every nudge still ahead.
REPLAN_KEYS = {"timezone", "start_date", "checkin_time"}


def finished(s: Session, flow: Flow, result: Outcome) -> Turn:
    view = s.after(result.effects)
    if s.state.data.get("edit"):
        changed = {e.key for e in result.effects if isinstance(e, SaveAnswer)}
        if not changed & REPLAN_KEYS:
            return view.turn(profile_view(view, texts.UPDATED))
        effects = view.replan()
        note = texts.UPDATED + " Your reminders are re-planned to match."
        if "start_date" in changed and view.user.plan is None:
            note += " Your new start date changes which cycle fits: send /plan to choose it."
        return view.turn(profile_view(view, note), effects=effects)
    start = ((Button("Start the post-mortem", START_POSTMORTEM),),)
    effects = view.settle_cycle()
    if effects:
        season = next(e.value for e in effects if isinstance(e, SaveAnswer))
        text = texts.onboarding_done(view.user.name) + texts.plan_ready(season)
        return view.turn(Reply(text, start), effects=effects)
    done = Reply(texts.onboarding_done(view.user.name), start)
    # The nearest cycle is too close: the plan feature's question lets them choose.
    asked = view.begin(view.flows[PLAN_FLOW])
    return Turn((done, *asked.replies), asked.state)


FEATURE = Feature(
    name="onboarding",
    flows=(ONBOARDING,),
    commands={"profile": show_profile},
    buttons={
        EDIT_PREFIX: edit,
        SECTION_PREFIX: section_view,
        REVIEW: lambda s, _rest: show_profile(s),
    },
    finished=finished,
)
