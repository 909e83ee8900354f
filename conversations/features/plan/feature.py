"""/plan: where you are in the 12 months, what is due, and the picture; plus the cycle choice.

The plan itself is pure rules (``rules/plan.py``), built for who the user is and with what
they have done ticked off (``UserView.plan``). This feature stores which application cycle
the user aims at (asking when the start date leaves too little time), writes the plan's
nudges (``nudges.py``), re-plans them when the start date, time zone or hour changes (and,
through ``follows_plan``, whenever the plan itself changes), and shows the plan: what is
done, what is still open, what is next, each next step with a button to do it or tick it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from conversations import texts
from conversations.engine import Choice, Context, Flow, Outcome, Question
from conversations.features.plan import nudges
from conversations.features.plan.nudges import PLAN_KEY, plan_nudges
from conversations.messages import (
    Attachment,
    Button,
    CancelNudges,
    Effect,
    Reply,
    Turn,
)
from conversations.rules.plan import (
    EFFORT_CATEGORIES,
    Milestone,
    Plan,
    active_phases,
    choose_cycle,
    done_milestones,
    effort_for,
    month_of_plan,
    next_deadlines,
    progress_bar,
    still_open,
)
from conversations.session import PLAN_FLOW, Feature, Reminders, Session


def _start(profile: Mapping[str, Any]) -> date | None:
    value = profile.get("start_date")
    return date.fromisoformat(value) if isinstance(value, str) else None


def _season_choices(ctx: Context) -> list[Choice]:
    start = _start(ctx.profile)
    if start is None:
        return []
    choice = choose_cycle(start)
    options = [
        Choice(
            str(choice.recommended.season),
            f"Match {choice.recommended.season} (my suggestion)",
            stores=choice.recommended.season,
        )
    ]
    if choice.alternative is not None:
        options.append(
            Choice(
                str(choice.alternative.season),
                f"Match {choice.alternative.season}: apply now",
                stores=choice.alternative.season,
            )
        )
    return options


def _season_prompt(ctx: Context) -> str:
    start = _start(ctx.profile)
    if start is None:
        return "Which Match are you aiming for?"
    return choose_cycle(start).explanation + "\n\nWhich one do you choose?"


CYCLE = Flow(
    name=PLAN_FLOW,
    code="pl",
    change_hint="send /plan and pick “Change my cycle”",
    fresh_runs=True,
    questions=(
        Question("season", "Application cycle", _season_prompt, choices=_season_choices, columns=1),
    ),
)


def replan(s: Session) -> tuple[Effect, ...]:
    """Cancel the plan's pending nudges and write them again from what the user has now."""
    plan = s.user.plan
    effects: list[Effect] = [CancelNudges(PLAN_KEY, prefix=True)]
    if plan is not None:
        effects += plan_nudges(plan, s.user.nudge_settings, s.now_utc)
    return tuple(effects)


def _effort_line(split: Mapping[str, int]) -> str:
    return ", ".join(f"{EFFORT_CATEGORIES[k]} {v}%" for k, v in split.items())


DONE_SHOWN = 4  # the latest milestones done, listed in /plan
OPEN_SHOWN = 2  # the latest ones whose day passed without a tick
PREFIX = "@plan."


def _title(m: Milestone) -> str:
    return f"{m.title}{' (est.)' if m.estimate else ''}"


def plan_text(plan: Plan, today: date) -> str:
    month = month_of_plan(plan, today)
    phases = active_phases(plan, today)
    lines = [
        f"Month {month} of 12  {progress_bar(plan, today)}",
        f"Aiming at the {plan.cycle.season} Match (Match Day {texts.short_day(plan.cycle.match_day)}"
        + (", estimated)" if plan.cycle.dates["match_day"].estimate else ")"),
        "",
        "Now:",
        *[f"• {p.title}: {p.purpose}" for p in phases],
        "",
        f"Effort this quarter: {_effort_line(effort_for(plan, today))}",
    ]
    done = done_milestones(plan)
    if done:
        lines += ["", "Done so far:"]
        if len(done) > DONE_SHOWN:
            lines.append(f"• …and {len(done) - DONE_SHOWN} before these")
        lines += [
            f"• {texts.short_day(m.done_on)}: {m.title} ✓"
            for m in done[-DONE_SHOWN:]
            if m.done_on is not None
        ]
    late = still_open(plan, today)[:OPEN_SHOWN]
    if late:
        lines += ["", "Still open (tick them off when they're done):"]
        lines += [f"• {m.title}, planned for {texts.short_day(m.due)}" for m in late]
    lines += ["", "Next deadlines:"]
    upcoming = next_deadlines(plan, today, 3)
    lines += [f"• {texts.short_day(m.due)}: {_title(m)}" for m in upcoming]
    if not upcoming:
        lines.append("• None left in this plan.")
    return "\n".join(lines)


def step_buttons(s: Session, plan: Plan, today: date) -> tuple[tuple[Button, ...], ...]:
    """A button for each open step in /plan: where to do it when an action of the user's
    completes it (the post-mortem, the target), else "Done" to tick it off."""
    rows: list[tuple[Button, ...]] = []
    steps = (*still_open(plan, today)[:OPEN_SHOWN], *next_deadlines(plan, today, 3))
    for m in steps:
        if not m.can_be_done:
            continue
        how = s.completing(m.key)
        button = (
            Button(how.how[0], how.how[1])
            if how is not None and how.how is not None
            else Button(f"Done: {m.title}"[:60], f"{PREFIX}done.{m.key}")
        )
        if all(button != row[0] for row in rows):
            rows.append((button,))
    return tuple(rows)


def show(s: Session) -> Turn:
    if not s.user.profile or _start(s.user.profile) is None:
        return s.turn(Reply("Your plan starts from your profile: send /start first."))
    plan = s.user.plan
    if plan is None:
        effects = s.settle_cycle()
        if not effects:  # the nearest cycle is too close: the user chooses
            return s.begin(CYCLE)
        view = s.after(effects)
        plan = view.user.plan
        assert plan is not None
        return view.turn(*plan_replies(view, plan), effects=effects)
    return s.turn(*plan_replies(s, plan))


def plan_replies(s: Session, plan: Plan) -> tuple[Reply, ...]:
    from conversations.documents.plan_chart import render_plan_chart

    today = s.today
    picture = Attachment(
        f"plan-{today.isoformat()}.png",
        render_plan_chart(plan, today, name=s.user.name),
        "image/png",
    )
    buttons = step_buttons(s, plan, today)
    if s.config.webapp:  # the Mini App's timeline
        buttons = (*buttons, (Button("Open the timeline", f"{PREFIX}show", web_app="plan"),))
    return (Reply(plan_text(plan, today), buttons, photo=picture),)


def tick(s: Session, key: str) -> Turn:
    """A "Done" button in /plan: the milestone ticked off today (its reminders follow)."""
    plan = s.user.plan
    m = plan.milestone(key) if plan is not None else None
    if m is None or not m.can_be_done:
        text = "That isn't a step in your plan to tick off, so nothing changed."
        return s.turn(Reply(text), toast="Nothing changed")
    if m.done_on is not None:
        return s.turn(toast="Already ticked off ✓")
    effects = s.tick([key])
    after = s.after(effects).user.plan
    upcoming = next_deadlines(after, s.today, 1) if after is not None else ()
    text = (
        f"Ticked off: {m.title} ({texts.short_day(s.today)}). Well done. "
        "Its reminders are off your list."
    )
    if upcoming:
        text += f"\n\nNext up: {_title(upcoming[0])}, {texts.short_day(upcoming[0].due)}."
    buttons = (
        (Button("Undo: not done yet", f"{PREFIX}undo.{key}"),),
        (Button("See my plan", f"{PREFIX}show"),),
    )
    # A tap on an old /plan message keeps whatever question is open where it is.
    return s.turn(Reply(text, buttons), effects=effects, toast="Done ✓")


def untick(s: Session, key: str) -> Turn:
    """Undo a tick: the milestone is open again, and its reminders come back."""
    effects = s.untick(key)
    plan = s.user.plan
    m = plan.milestone(key) if plan is not None else None
    if not effects or m is None:
        return s.turn(toast="Nothing to undo")
    text = f"{m.title} is open again, and its reminders are back. No harm done."
    return s.turn(Reply(text), effects=effects, toast="Undone")


def finished(s: Session, flow: Flow, result: Outcome) -> Turn:
    view = s.after(result.effects)
    effects = view.replan()
    plan = view.user.plan
    if plan is None:
        return view.turn(Reply("I couldn't build that plan; send /plan to try again."))
    return view.turn(*plan_replies(view, plan), effects=effects)


VIEW_FORM = "plan.view"


def _day(d: date) -> str:
    return d.isoformat()


def _milestone(m: Milestone) -> dict[str, Any]:
    return {
        "key": m.key,
        "title": m.title,
        "due": _day(m.due),
        "kind": m.kind,
        "estimate": m.estimate,
        "done_on": _day(m.done_on) if m.done_on else None,
    }


def plan_view(plan: Plan, today: date) -> dict[str, Any]:
    """The plan as the Mini App's timeline shows it (JSON-safe): the phases with the ones
    running today marked, "you are here", what is due next, what is late, what is done."""
    now = {p.key for p in active_phases(plan, today)}
    return {
        "today": _day(today),
        "start": _day(plan.start),
        "end": _day(plan.end),
        "season": plan.season,
        "month": month_of_plan(plan, today),
        "phases": [
            {
                "key": p.key,
                "title": p.title,
                "purpose": p.purpose,
                "start": _day(p.start),
                "end": _day(p.end),
                "now": p.key in now,
                "actions": list(p.actions),
            }
            for p in plan.phases
        ],
        "next": [_milestone(m) for m in next_deadlines(plan, today, 5)],
        "late": [_milestone(m) for m in still_open(plan, today)[:OPEN_SHOWN]],
        "done": [_milestone(m) for m in done_milestones(plan)],
        "effort": {EFFORT_CATEGORIES[k]: v for k, v in effort_for(plan, today).items()},
    }


def view_form(s: Session, fields: Mapping[str, str]) -> Turn:
    """The page's plan tab: read only; a plan not built yet is built in the chat (/plan)."""
    plan = s.user.plan
    if plan is None:
        return s.turn(
            data={"plan": None, "why": "Your plan isn't built yet: send /plan in the chat."}
        )
    return s.turn(data={"plan": plan_view(plan, s.today)})


def on_button(s: Session, rest: str) -> Turn:
    action, _, key = rest.partition(".")
    if rest == "show":
        return show(s)
    if rest == "cycle":
        return s.begin(CYCLE)
    if action == "done":
        return tick(s, key)
    if action == "undo":
        return untick(s, key)
    return s.turn(Reply(texts.UNKNOWN_BUTTON), toast="Nothing changed")


FEATURE = Feature(
    name="plan",
    flows=(CYCLE,),
    commands={"plan": show},
    buttons={PREFIX: on_button},
    finished=finished,
    forms={VIEW_FORM: view_form},
    reminders=Reminders(
        nudges.KINDS,
        nudges.render_nudge,
        nudges.describe,
        replan,
        follows_plan=True,
        completes=nudges.completes,
    ),
)
