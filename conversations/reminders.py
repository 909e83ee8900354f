"""Nudges as data: when they are due (local time, quiet hours, DST), what they say, what next.

A nudge row carries everything needed to send it later in its payload: the user's time zone
(``tz``), the local hour it was planned for (``at``), their quiet hours (``quiet``), and for
recurring ones how often (``every``: "day" or "week"). So the sweep that sends them needs
nothing but the row, and these pure functions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from conversations.messages import Button, Reply
from conversations.parsing import Invalid, zone_for

NUDGE_PREFIX = "@nd."
DEFAULT_QUIET = ("22:00", "07:00")


# ---------------------------------------------------------------- local time


def _zone(payload: Mapping[str, Any]) -> Any:
    try:
        return zone_for(str(payload.get("tz") or "UTC"))
    except Invalid:
        return UTC


def _quiet(payload: Mapping[str, Any]) -> tuple[time, time]:
    start, end = payload.get("quiet") or DEFAULT_QUIET
    return time.fromisoformat(str(start)), time.fromisoformat(str(end))


def _is_quiet(local: time, quiet: tuple[time, time]) -> bool:
    start, end = quiet
    if start == end:
        return False  # no quiet hours
    if start < end:
        return start <= local < end
    return local >= start or local < end  # across midnight, e.g. 22:00-07:00


def local_moment(day: date, at: str, payload: Mapping[str, Any]) -> datetime:
    """``day`` at ``at`` (HH:MM) in the payload's zone, as UTC; moved out of quiet hours."""
    zone = _zone(payload)
    local = datetime.combine(day, time.fromisoformat(at), tzinfo=zone)
    # A wall time skipped by a DST jump normalises through UTC, as a clock on the wall would.
    moment = local.astimezone(UTC)
    deferred = quiet_until(payload, moment)
    return deferred or moment


def quiet_until(payload: Mapping[str, Any], now_utc: datetime) -> datetime | None:
    """When ``now_utc`` falls in the user's quiet hours: the UTC moment they end; else None."""
    zone = _zone(payload)
    quiet = _quiet(payload)
    local = now_utc.astimezone(zone)
    if not _is_quiet(local.time().replace(tzinfo=None), quiet):
        return None
    end_day = local.date() if local.time() < quiet[1] else local.date() + timedelta(days=1)
    return datetime.combine(end_day, quiet[1], tzinfo=zone).astimezone(UTC)


def next_due(kind: str, payload: Mapping[str, Any], due_at: datetime) -> datetime | None:
    """For a recurring nudge just sent: when the next one is due (UTC), else None.

    The next one keeps the same local wall time (so it follows DST), one day or one week
    after the local day this one was due.
    """
    every = payload.get("every")
    if every not in ("day", "week"):
        return None
    local_day = due_at.astimezone(_zone(payload)).date()
    step = timedelta(days=1 if every == "day" else 7)
    at = str(payload.get("at") or due_at.astimezone(_zone(payload)).strftime("%H:%M"))
    return local_moment(local_day + step, at, payload)


# ---------------------------------------------------------------- what a nudge says


def nudge_buttons(nudge_id: int) -> tuple[tuple[Button, ...], ...]:
    """The row under every nudge: snooze an hour, snooze to tomorrow, or mark it done."""
    return (
        (
            Button("Snooze 1 hour", f"{NUDGE_PREFIX}hour.{nudge_id}"),
            Button("Tomorrow", f"{NUDGE_PREFIX}tomorrow.{nudge_id}"),
        ),
        (Button("Done ✓", f"{NUDGE_PREFIX}done.{nudge_id}"),),
    )


def with_nudge_buttons(reply: Reply, nudge_id: int) -> Reply:
    return replace(reply, buttons=reply.buttons + nudge_buttons(nudge_id))


def render_nudge(kind: str, payload: Mapping[str, Any]) -> Reply | None:
    """The message a nudge becomes when it is sent; None for a kind nobody knows."""
    from conversations import care, checkins, plan_nudges, postmortem

    renderers = (
        postmortem.render_nudge,
        plan_nudges.render_nudge,
        checkins.render_nudge,
        care.render_nudge,
    )
    for render in renderers:
        reply = render(kind, payload)
        if reply is not None:
            return reply
    return None
