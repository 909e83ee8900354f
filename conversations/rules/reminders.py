"""Nudges as data: when they are due (local time, quiet hours, DST) and when the next one is.

A nudge row carries everything needed to send it later in its payload: the user's time zone
(``tz``), the local hour it was planned for (``at``), their quiet hours (``quiet``), and for
recurring ones how often (``every``: "day" or "week"). So the sweep that sends them needs
nothing but the row, these pure functions, and the words of the feature that owns its kind
(``conversations.catalog.render_nudge``).

A recurring series has exactly one pending row: the sweep writes the next one when it sends
the current one. A snoozed copy is a one-off (no ``every``, see ``snoozed_copy``): it only
remembers which series it came from (``series``), so "Done" on it leaves the series alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from conversations.rules.parsing import Invalid, zone_for

DEFAULT_QUIET = ("22:00", "07:00")
RECURRING = ("day", "week")


@dataclass(frozen=True)
class NudgeSettings:
    """Where and when a user's nudges land: zone, local hour, quiet hours."""

    tz: str = "UTC"
    at: str = "09:00"
    quiet: tuple[str, str] = DEFAULT_QUIET

    @classmethod
    def of(cls, profile: Mapping[str, Any], settings: Mapping[str, Any]) -> NudgeSettings:
        at = settings.get("nudge_time") or profile.get("checkin_time") or "09:00"
        quiet = (
            str(settings.get("quiet_start") or DEFAULT_QUIET[0]),
            str(settings.get("quiet_end") or DEFAULT_QUIET[1]),
        )
        return cls(str(profile.get("timezone") or "UTC"), str(at), quiet)

    def payload(self, **extra: Any) -> dict[str, Any]:
        return {"tz": self.tz, "at": self.at, "quiet": list(self.quiet), **extra}


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


def local_day(moment: datetime, payload: Mapping[str, Any]) -> date:
    """The date ``moment`` falls on in the payload's zone."""
    return moment.astimezone(_zone(payload)).date()


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


# ---------------------------------------------------------------- recurring series


def repeats(payload: Mapping[str, Any]) -> str | None:
    """How often this nudge repeats ("day" or "week"); None for a one-off.

    A snoozed copy is a one-off, also one stored by an older version with ``every`` still in
    its payload: sending it must not start a second series beside the original.
    """
    every = payload.get("every")
    if every not in RECURRING or "snoozed_from" in payload:
        return None
    return str(every)


def series_of(payload: Mapping[str, Any]) -> str | None:
    """The recurring series a nudge belongs to ("day" or "week"): its own, or for a snoozed
    copy the one it was snoozed from. None for milestones and other one-offs."""
    every = payload.get("every") or payload.get("series")
    return str(every) if every in RECURRING else None


def snoozed_copy(payload: Mapping[str, Any], snoozed_from: int) -> dict[str, Any]:
    """The payload of a snoozed copy: a one-off (no ``every``) that remembers its series."""
    copy = {k: v for k, v in payload.items() if k not in ("every", "series")}
    series = series_of(payload)
    if series is not None:
        copy["series"] = series
    copy["snoozed_from"] = snoozed_from
    return copy


def next_due(kind: str, payload: Mapping[str, Any], due_at: datetime) -> datetime | None:
    """For a recurring nudge just sent: when the next one is due (UTC), else None.

    The next one keeps the same local wall time (so it follows DST), one day or one week
    after the local day this one was due.
    """
    every = repeats(payload)
    if every is None:
        return None
    local_day = due_at.astimezone(_zone(payload)).date()
    step = timedelta(days=1 if every == "day" else 7)
    at = str(payload.get("at") or due_at.astimezone(_zone(payload)).strftime("%H:%M"))
    return local_moment(local_day + step, at, payload)
