"""Networking: the people met this year, when to follow up, and the advice-meeting email.

After the seed (Step 8): connection that is targeted and kept up over months matters, not a
two-line cold email. The places worth the effort are the user's own institution, the
institution of their gap-year job (above all when it trains residents in their specialty), and
conferences, even small regional ones, where the aim is to meet two or three faculty in the
specialty and follow up afterwards with a short email that is specific to the conversation. To
a program director or faculty member met at least once, the user may write asking for 10-15
minutes by video or phone to go over their plan: showing maturity and initiative, never asking
to be let in.

Pure: a contact is the content of one tracker item (kind ``KIND``), read forgivingly. The
email is written here in our own words from the user's own data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from conversations.rules.parsing import stored_day
from conversations.rules.specialties import canonical_specialty

__all__ = [
    "CONFERENCE_GOAL",
    "ERAS_LEAD_DAYS",
    "FACULTY_ROLES",
    "INTRODUCTIONS_FROM_DAYS",
    "KIND",
    "MAX_TOUCHES",
    "PLACES",
    "ROLES",
    "THANKS_AFTER_DAYS",
    "TOUCHES",
    "Contact",
    "Email",
    "advice_email",
    "check_in_day",
    "conference_faculty",
    "contact_of",
    "introductions_season",
    "salutation",
    "thanks_day",
]

KIND = "contact"
ROLES: dict[str, str] = {
    "pd": "program director",
    "apd": "associate program director",
    "faculty": "faculty or attending",
    "chief": "chief resident",
    "resident": "resident",
    "other": "other",
}
FACULTY_ROLES = frozenset({"pd", "apd", "faculty"})
PLACES: dict[str, str] = {
    "home": "my institution",
    "job": "my gap-year job",
    "conference": "a conference",
    "other": "somewhere else",
}
TOUCHES: dict[str, str] = {
    "meeting": "meeting",
    "email": "email sent",
    "thanks": "thank-you sent",
}
CONFERENCE_GOAL = (2, 3)  # faculty in the specialty to meet at conferences
THANKS_AFTER_DAYS = 7  # a thank-you nudge this long after a meeting with none logged since
ERAS_LEAD_DAYS = 14  # a check-in this long before ERAS opens, for an open next step
# The seed's worked example, months 9-12: the PI and letter writers send brief notes to the
# program directors they know personally. Said from this long before ERAS opens.
INTRODUCTIONS_FROM_DAYS = 120
MAX_TOUCHES = 40  # the log keeps the latest ones


@dataclass(frozen=True)
class Contact:
    key: str
    name: str
    role: str = "other"
    institution: str = ""
    specialty: str = ""
    where: str = "other"
    where_detail: str = ""
    met_on: date | None = None
    next_step: str = ""
    touches: tuple[tuple[str, date], ...] = ()  # (kind, day), oldest first

    @property
    def last_contact(self) -> date | None:
        """The latest day they were in touch: met, or any logged meeting, email or thank-you."""
        days = [d for _, d in self.touches]
        if self.met_on is not None:
            days.append(self.met_on)
        return max(days, default=None)

    def last(self, kind: str) -> date | None:
        return max((d for k, d in self.touches if k == kind), default=None)

    def in_specialty(self, target: str) -> bool:
        mine = canonical_specialty(self.specialty).casefold() if self.specialty else ""
        return bool(mine) and mine == canonical_specialty(target).casefold()


def contact_of(key: str, content: Mapping[str, Any]) -> Contact:
    """A contact from a stored item, whatever an older version stored."""
    role, where = content.get("role"), content.get("where")
    touches: list[tuple[str, date]] = []
    raw = content.get("touches")
    for t in raw if isinstance(raw, list) else []:
        if not isinstance(t, Mapping):
            continue
        day = stored_day(t.get("on"))
        if t.get("kind") in TOUCHES and day is not None:
            touches.append((str(t["kind"]), day))
    touches.sort(key=lambda t: t[1])
    return Contact(
        key=key,
        name=str(content.get("name") or "A contact"),
        role=role if role in ROLES else "other",
        institution=str(content.get("institution") or ""),
        specialty=str(content.get("specialty") or ""),
        where=where if where in PLACES else "other",
        where_detail=str(content.get("where_detail") or ""),
        met_on=stored_day(content.get("met")),
        next_step=str(content.get("next_step") or "").strip(),
        touches=tuple(touches),
    )


# ---------------------------------------------------------------- reminders


def thanks_day(contact: Contact) -> date | None:
    """A week after the latest logged meeting, when no thank-you was logged on or after it."""
    met = contact.last("meeting")
    if met is None:
        return None
    thanked = contact.last("thanks")
    if thanked is not None and thanked >= met:
        return None
    return met + timedelta(days=THANKS_AFTER_DAYS)


def check_in_day(contact: Contact, eras_opens: date | None) -> date | None:
    """Two weeks before ERAS opens, for a contact whose next step is still open."""
    if not contact.next_step or eras_opens is None:
        return None
    return eras_opens - timedelta(days=ERAS_LEAD_DAYS)


# ---------------------------------------------------------------- the conference goal


def conference_faculty(contacts: Iterable[Contact], target: str) -> int:
    """Faculty (PD, APD, attending) in the target specialty met at a conference."""
    return sum(
        c.where == "conference" and c.role in FACULTY_ROLES and c.in_specialty(target)
        for c in contacts
    )


def introductions_season(today: date, eras_opens: date | None) -> bool:
    """Whether it is the stretch before ERAS opens (and a little after) when the user's PI and
    letter writers can put in a word with program directors they know."""
    if eras_opens is None:
        return False
    start = eras_opens - timedelta(days=INTRODUCTIONS_FROM_DAYS)
    return start <= today <= eras_opens + timedelta(days=60)


# ---------------------------------------------------------------- the advice email


@dataclass(frozen=True)
class Email:
    subject: str
    body: str

    @property
    def text(self) -> str:
        return f"Subject: {self.subject}\n\n{self.body}"


_DEGREES = {
    "us_md": "a US MD graduate",
    "us_do": "a US DO graduate",
    "img": "an international medical graduate",
}
# The /role answer, as "working this year as ..." (None: not worth a mention in the email).
_CURRENT_ROLES = {
    "research": "a research fellow",
    "crc": "a clinical research coordinator",
    "usce": "a clinical fellow in the US",
    "scribe": "a medical scribe",
}


def salutation(contact: Contact) -> str:
    """How to greet them: "Dr. Reyes" for a doctor, otherwise the name as given."""
    words = contact.name.replace(",", " ").split()
    if not words:
        return "Doctor"
    titled = words[0].rstrip(".").casefold() in {"dr", "doctor", "prof", "professor"}
    if titled:
        title = "Dr." if words[0].rstrip(".").casefold() in {"dr", "doctor"} else "Professor"
        return f"{title} {words[-1]}" if len(words) > 1 else contact.name
    if contact.role == "other":
        return contact.name
    return f"Dr. {words[-1]}"


def _where_met(contact: Contact) -> str:
    detail = contact.where_detail.strip().rstrip(".")
    if contact.where == "conference":
        return f"at {detail}" if detail else "at a recent conference"
    if contact.where == "home":
        return f"at {detail}" if detail else "at my home institution"
    if contact.where == "job":
        return f"through my work at {detail}" if detail else "through my current job"
    return detail if detail else "recently"


def _day_words(day: date) -> str:
    return f"{day.strftime('%B')} {day.day}"


def advice_email(
    contact: Contact,
    *,
    sender: str,
    degree: str,
    specialty: str,
    current_role: str | None,
) -> Email:
    """The request for a short advice meeting, from the user's own data, in our own words."""
    field_name = specialty or "my specialty"
    who = _DEGREES.get(degree, "a medical graduate")
    doing = _CURRENT_ROLES.get(current_role or "")
    role_part = f", working this year as {doing}" if doing else ""
    when = f" on {_day_words(contact.met_on)}" if contact.met_on else ""
    lines = [
        f"Dear {salutation(contact)},",
        "",
        f"My name is {sender}, and I am {who}{role_part}. We spoke {_where_met(contact)}"
        f"{when}, and our conversation has stayed with me.",
        "",
        f"I am applying to {field_name} again this cycle. My first application did not end in "
        "a match, and I have spent this year working on what would make the next one stronger.",
        "",
        "Could you spare 10-15 minutes for a short video or phone call in the coming weeks? "
        "I would like to walk you through my plan for the year and hear what you would "
        "change in it.",
        "",
        "Thank you for your time, and I understand completely if the timing does not work.",
        "",
        "With best wishes,",
        sender,
    ]
    subject = f"{sender}: a request for brief advice on my {field_name} application"
    return Email(subject, "\n".join(lines))
