"""/plan: where you are in the 12 months, what is due, and the picture; plus the cycle choice.

The plan itself is pure rules (``rules/plan.py``). This feature stores which application
cycle the user aims at (asking when the start date leaves too little time), writes the
plan's nudges (``nudges.py``), re-plans them when the start date, time zone or hour changes,
and shows the plan.
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
    CancelNudges,
    Effect,
    Reply,
    Turn,
)
from conversations.rules.plan import (
    EFFORT_CATEGORIES,
    Plan,
    active_phases,
    choose_cycle,
    effort_for,
    month_of_plan,
    next_deadlines,
    progress_bar,
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
        "",
        "Next deadlines:",
    ]
    upcoming = next_deadlines(plan, today, 3)
    lines += [
        f"• {texts.short_day(m.due)}: {m.title}{' (est.)' if m.estimate else ''}" for m in upcoming
    ]
    if not upcoming:
        lines.append("• None left in this plan.")
    return "\n".join(lines)


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
    return (Reply(plan_text(plan, today), photo=picture),)


def finished(s: Session, flow: Flow, result: Outcome) -> Turn:
    view = s.after(result.effects)
    effects = view.replan()
    plan = view.user.plan
    if plan is None:
        return view.turn(Reply("I couldn't build that plan; send /plan to try again."))
    return view.turn(*plan_replies(view, plan), effects=effects)


def on_button(s: Session, rest: str) -> Turn:
    if rest == "show":
        return show(s)
    if rest == "cycle":
        return s.begin(CYCLE)
    return s.turn(Reply(texts.UNKNOWN_BUTTON), toast="Nothing changed")


FEATURE = Feature(
    name="plan",
    flows=(CYCLE,),
    commands={"plan": show},
    buttons={"@plan.": on_button},
    finished=finished,
    reminders=Reminders(nudges.KINDS, nudges.render_nudge, nudges.describe, replan),
)
