"""The plan's nudges: a message at the start of each phase, and before and on each milestone.

``plan_nudges`` turns a Plan and the user's nudge settings into rows to store (all keyed
"plan:..." so a change of start date, time zone or hour can cancel and re-plan them),
leaving out the milestones already done; ``render_nudge`` turns a row back into words when
it is sent, rebuilding the plan from the payload (``Plan.basis``: start, cycle, who the
user is) so the text always matches the plan the user has. "Done" on a milestone's
reminder ticks the milestone off (``completes``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from conversations import texts
from conversations.messages import Button, Reply, ScheduleNudge
from conversations.rules.plan import Milestone, Plan, plan_from_basis
from conversations.rules.reminders import NudgeSettings, local_moment

PLAN_KEY = "plan:"
KINDS = frozenset({"phase_start", "milestone_before", "milestone_due"})
# How long before a milestone the heads-up comes (days), by kind; cycle dates only on the day.
BEFORE_DAYS = {"deadline": 7, "milestone": 3}


def plan_nudges(plan: Plan, settings: NudgeSettings, now_utc: datetime) -> list[ScheduleNudge]:
    """Every nudge of the plan still ahead of ``now_utc``, in due order (none for what is done)."""
    base = plan.basis()
    nudges: list[ScheduleNudge] = []

    def add(kind: str, key: str, day: date, **extra: Any) -> None:
        payload = settings.payload(**base, **extra)
        due = local_moment(day, settings.at, payload)
        if due > now_utc:
            nudges.append(ScheduleNudge(kind, f"{PLAN_KEY}{key}", due, payload))

    for phase in plan.phases:
        add("phase_start", f"phase:{phase.key}", phase.start, phase=phase.key)
    for m in plan.milestones:
        if m.done_on is not None:
            continue
        before = BEFORE_DAYS.get(m.kind)
        if before is not None and m.due - timedelta(days=before) > plan.start:
            add("milestone_before", f"ms:{m.key}", m.due - timedelta(days=before), milestone=m.key)
        add("milestone_due", f"ms:{m.key}", m.due, milestone=m.key)
    return sorted(nudges, key=lambda n: (n.due_at, n.key))


def _plan_of(payload: Mapping[str, Any]) -> Plan | None:
    return plan_from_basis(payload)


def completes(kind: str, payload: Mapping[str, Any]) -> tuple[str, ...]:
    """The milestone that "Done" on its reminder (heads-up, day, snoozed copy) ticks off."""
    milestone = payload.get("milestone")
    return (milestone,) if kind in KINDS and isinstance(milestone, str) else ()


def _estimate(m: Milestone) -> str:
    return " (an estimated date: I'll update it once it's published)" if m.estimate else ""


def render_nudge(kind: str, payload: Mapping[str, Any]) -> Reply | None:
    """The words of a plan nudge (None for other kinds, or a plan that no longer exists)."""
    if kind not in KINDS:
        return None
    plan = _plan_of(payload)
    if plan is None:
        return None
    see_plan = ((Button("See my plan", "@plan.show"),),)
    if kind == "phase_start":
        phase = next((p for p in plan.phases if p.key == payload.get("phase")), None)
        if phase is None:
            return None
        todo = "\n".join(f"• {a}" for a in phase.actions)
        text = (
            f"A new phase starts today: {phase.title}.\n{phase.purpose}\n\nWhat to do now:\n{todo}"
        )
        return Reply(text, see_plan)
    m = next((x for x in plan.milestones if x.key == payload.get("milestone")), None)
    if m is None:
        return None
    if kind == "milestone_before":
        text = f"Coming up on {texts.short_day(m.due)}: {m.title}{_estimate(m)}.\n\nWhat to have ready: {m.ready}"
    else:
        text = f"Today: {m.title}{_estimate(m)}.\n\n{m.ready}"
    return Reply(text, see_plan)


def describe(kind: str, payload: Mapping[str, Any]) -> str | None:
    """A short label for /reminders (None: the plan no longer has it)."""
    plan = _plan_of(payload)
    if plan is not None and "phase" in payload:
        phase = next((p for p in plan.phases if p.key == payload["phase"]), None)
        return f"New phase: {phase.title}" if phase else "A new phase"
    if plan is not None and "milestone" in payload:
        m = next((x for x in plan.milestones if x.key == payload["milestone"]), None)
        if m is not None:
            return f"{'Coming up' if kind == 'milestone_before' else 'Due'}: {m.title}"
    return None
