"""Times of day as a person reads them: one clock per user, 7:00 PM or 19:00, never both.

Stored times stay "HH:MM" (24-hour); only what is shown changes. A user's clock is the one
they chose in /settings, else the one their time zone usually writes: 12-hour in the US,
Canada, Australia, New Zealand, South Asia, the Philippines, Egypt and Saudi Arabia (and for
a fixed offset such as "UTC-5", or no zone yet); 24-hour elsewhere (Europe, most of Africa,
Asia and South America).
"""

from __future__ import annotations

from datetime import datetime, time

__all__ = ["CLOCKS", "show_time", "typing_examples", "uses_24h"]

CLOCKS = ("12h", "24h")

_TWELVE_HOUR_ZONES = (
    "America/",
    "US/",
    "Canada/",
    "Australia/",
    "Pacific/Auckland",
    "NZ",
    "Asia/Kolkata",
    "Asia/Calcutta",
    "Asia/Karachi",
    "Asia/Dhaka",
    "Asia/Kathmandu",
    "Asia/Colombo",
    "Asia/Manila",
    "Asia/Riyadh",
    "Africa/Cairo",
    "Egypt",
    "UTC",
    "Etc/",
)
# South American zones write 19:00.
_TWENTY_FOUR_HOUR_AMERICAS = (
    "America/Sao_Paulo",
    "America/Argentina/",
    "America/Buenos_Aires",
    "America/Santiago",
    "America/Montevideo",
    "America/Asuncion",
    "America/Lima",
    "America/Caracas",
    "America/La_Paz",
)


def uses_24h(tz_key: str | None, chosen: str | None = None) -> bool:
    """Whether this user's times show as 19:00 (True) or 7:00 PM (False)."""
    if chosen in CLOCKS:
        return chosen == "24h"
    key = tz_key or "UTC"
    if key.startswith(_TWENTY_FOUR_HOUR_AMERICAS):
        return True
    return not key.startswith(_TWELVE_HOUR_ZONES)


def show_time(value: time | datetime | str, hour24: bool) -> str:
    """ "7:00 PM" or "19:00" ("HH:MM" strings, times and datetimes alike)."""
    moment = time.fromisoformat(value) if isinstance(value, str) else value
    if hour24:
        return f"{moment.hour:02d}:{moment.minute:02d}"
    hour = moment.hour % 12 or 12
    return f"{hour}:{moment.minute:02d} {'AM' if moment.hour < 12 else 'PM'}"


def typing_examples(hour24: bool) -> str:
    """How to type a time, in the user's own clock: "7am or 6:30 pm" or "07:00 or 18:30"."""
    return "07:00 or 18:30" if hour24 else "7am or 6:30 pm"
