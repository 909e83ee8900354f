"""/plan: where you are in the 12 months, what is due, and the picture; plus the cycle choice.

The plan itself is pure rules (``plan.py``). This feature stores which application cycle
the user aims at (asking when the start date leaves too little time), writes the plan's
nudges, re-plans them when the start date, time zone or hour changes, and shows the plan.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from conversations import texts
from conversations.engine import Choice, Context, Flow, Outcome, Question
from conversations.messages import (
    Attachment,
    CancelNudges,
    DialogueState,
    Effect,
    Reply,
    SaveAnswer,
    Turn,
)
from conversations.plan import (
    EFFORT_CATEGORIES,
    Plan,
    active_phases,
    build_plan,
    choose_cycle,
    effort_for,
    month_of_plan,
    next_deadlines,
    progress_bar,
)
from conversations.plan_nudges import PLAN_KEY, NudgeSettings, plan_nudges
from conversations.session import CoachConfig, Feature, Session, UserView

FLOW_NAME = "plan"
SETTINGS_FLOW = "settings"


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


PLAN_FLOW = Flow(
    name=FLOW_NAME,
    code="pl",
    change_hint="send /plan and pick “Change my cycle”",
    fresh_runs=True,
    questions=(
        Question("season", "Application cycle", _season_prompt, choices=_season_choices, columns=1),
    ),
)


def current_plan(user_answers: Mapping[str, Mapping[str, Any]]) -> Plan | None:
    """The user's plan from their start date and chosen cycle (None until both exist)."""
    start = _start(user_answers.get("onboarding", {}))
    season = user_answers.get(FLOW_NAME, {}).get("season")
    if start is None or not isinstance(season, int):
        return None
    try:
        return build_plan(start, season)
    except (ValueError, LookupError):  # the start moved past that cycle's submissions
        return None


def settings_of(s: Session) -> NudgeSettings:
    return NudgeSettings.of(s.user.profile, s.user.flow_answers(SETTINGS_FLOW))


def replan(s: Session) -> tuple[Effect, ...]:
    """Cancel the plan's pending nudges and write them again from what the user has now."""
    from conversations.checkins import ROUTINE_KEY, routine_nudges

    plan = current_plan(s.user.answers)
    effects: list[Effect] = [CancelNudges(PLAN_KEY, prefix=True)]
    if plan is not None:
        effects += plan_nudges(plan, settings_of(s), s.now_utc)
    effects += [CancelNudges(ROUTINE_KEY, prefix=True), *routine_nudges(s)]
    return tuple(effects)


def replan_everything(user: UserView, now_utc: datetime) -> tuple[Effect, ...]:
    """Every reminder planned afresh: the plan's and the booked meetings' (a user is back)."""
    from conversations import postmortem

    s = Session(DialogueState(), user, now_utc, CoachConfig(), {})
    return replan(s) + postmortem.replan_meetings(s)


def settle_cycle(s: Session) -> tuple[Effect, ...]:
    """Pick the cycle when the choice is clear: the stored season and the plan's nudges.

    Nothing when the start date leaves too little time for the nearest cycle: then the user
    chooses (``PLAN_FLOW``), with the trade-off explained.
    """
    start = _start(s.user.profile)
    if start is None:
        return ()
    choice = choose_cycle(start)
    if choice.too_soon:
        return ()
    save = SaveAnswer(FLOW_NAME, "season", None, choice.recommended.season)
    return (save, *replan(s.after((save,))))


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
    plan = current_plan(s.user.answers)
    if plan is None:
        effects = settle_cycle(s)
        if not effects:  # the nearest cycle is too close: the user chooses
            return s.begin(PLAN_FLOW)
        view = s.after(effects)
        plan = current_plan(view.user.answers)
        assert plan is not None
        return view.turn(*plan_replies(view, plan), effects=effects)
    return s.turn(*plan_replies(s, plan))


def plan_replies(s: Session, plan: Plan) -> tuple[Reply, ...]:
    from conversations.plan_chart import render_plan_chart

    today = s.today
    picture = Attachment(
        f"plan-{today.isoformat()}.png",
        render_plan_chart(plan, today, name=s.user.name),
        "image/png",
    )
    return (Reply(plan_text(plan, today), photo=picture),)


def finished(s: Session, flow: Flow, result: Outcome) -> Turn:
    view = s.after(result.effects)
    effects = replan(view)
    plan = current_plan(view.user.answers)
    if plan is None:
        return view.turn(Reply("I couldn't build that plan; send /plan to try again."))
    return view.turn(*plan_replies(view, plan), effects=effects)


def on_button(s: Session, rest: str) -> Turn:
    if rest == "show":
        return show(s)
    if rest == "cycle":
        return s.begin(PLAN_FLOW)
    return s.turn(Reply(texts.UNKNOWN_BUTTON), toast="Nothing changed")


FEATURE = Feature(
    name="plan",
    flows=(PLAN_FLOW,),
    commands={"plan": show},
    buttons={"@plan.": on_button},
    finished=finished,
)
