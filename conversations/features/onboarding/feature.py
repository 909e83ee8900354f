"""Onboarding as a feature: the profile view, editing one answer, and the end of onboarding.

The questions themselves are declared in ``questions.py``.
"""

from __future__ import annotations

from conversations import texts
from conversations.engine import Flow, Outcome
from conversations.features.onboarding.questions import ONBOARDING
from conversations.messages import Button, Reply, SaveAnswer, Turn
from conversations.session import PLAN_FLOW, Feature, Session

REVIEW = "@go.review"
EDIT_PREFIX = "@edit."
START_POSTMORTEM = "@pm.open"


def profile_view(s: Session, preface: str | None = None) -> Reply:
    ctx = s.ctx(ONBOARDING)
    if not ctx.answers:
        body = "Your profile is empty so far. Send /start to begin."
        return Reply(f"{preface}\n\n{body}" if preface else body)
    lines, buttons = [], []
    for q in ONBOARDING.relevant(ctx):
        shown = q.display(ctx.answers[q.key], ctx) if q.key in ctx.answers else "not answered yet"
        lines.append(f"• {q.label}: {shown}")
        buttons.append(Button(q.label, f"{EDIT_PREFIX}{q.key}"))
    body = "Your profile:\n" + "\n".join(lines)
    target = s.user.flow_answers("target")
    if target.get("primary"):
        body += f"\n\nTarget: {target['primary']}\nBackup: {target.get('backup') or 'not set yet'}"
        body += "\n(/target changes them)"
    body += "\n\nTap an item to change it."
    rows = tuple(tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2))
    return Reply(f"{preface}\n\n{body}" if preface else body, rows)


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
    buttons={EDIT_PREFIX: edit, REVIEW: lambda s, _rest: show_profile(s)},
    finished=finished,
)
