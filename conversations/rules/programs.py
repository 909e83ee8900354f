"""The program list: one row per program, a tier for each, and what the list as a whole says.

After the seed (Step 7): most unmatched applications went wrong on the list, not the person.
A reapplicant to internal or family medicine applies broadly (60-120 programs, more for some
profiles) and tilts the list toward community and newer programs, toward less competitive
regions (the Midwest, the South, inland states), and, for an IMG or a DO, toward programs that
take them. Each program is tiered for oneself: green (realistic), yellow (a stretch), red (an
extreme reach: a handful at most). Data, not vibes: a known score cutoff above one's own score
makes a program red, as does a program that doesn't take IMGs, for an IMG.

Pure: a program is the content of one tracker item (kind ``KIND``), keyed by its name folded
(``program_key``), so a re-import updates a row instead of adding it twice.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from conversations.rules.diagnosis import plural
from conversations.rules.specialties import canonical_specialty

__all__ = [
    "COLUMNS",
    "KIND",
    "MAX_PROGRAMS",
    "REGIONS",
    "SETTINGS",
    "STATUSES",
    "TIERS",
    "Applicant",
    "Program",
    "Refusal",
    "Warning",
    "check_row",
    "list_range",
    "program_key",
    "program_of",
    "region_of",
    "state_code",
    "suggest_tier",
    "warnings",
]

KIND = "program"
MAX_PROGRAMS = 400  # far beyond any real list; a bound on one user's rows

TIERS: dict[str, str] = {
    "green": "green (realistic)",
    "yellow": "yellow (a stretch)",
    "red": "red (an extreme reach)",
}
TIER_MARK = {"green": "🟢", "yellow": "🟡", "red": "🔴", "": "⚪"}
STATUSES: dict[str, str] = {
    "considering": "considering",
    "applied": "applied",
    "interview": "interview",
    "rejected": "rejected",
}
SETTINGS: dict[str, str] = {
    "community": "community",
    "affiliated": "university-affiliated community",
    "academic": "academic",
}

# The spreadsheet's columns, in order: (field, header). Headers are matched with case, spacing
# and punctuation ignored, and a few other names people use (``_ALIASES``).
COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", "Program"),
    ("city", "City"),
    ("state", "State"),
    ("region", "Region"),
    ("setting", "Setting"),
    ("new", "New program"),
    ("img_friendly", "IMG-friendly"),
    ("do_friendly", "DO-friendly"),
    ("cutoff", "Score cutoff"),
    ("tier", "Tier"),
    ("status", "Status"),
    ("notes", "Notes"),
)
_ALIASES: dict[str, str] = {
    "program": "name",
    "programname": "name",
    "name": "name",
    "residency": "name",
    "residencyprogram": "name",
    "institution": "name",
    "city": "city",
    "town": "city",
    "state": "state",
    "st": "state",
    "region": "region",
    "setting": "setting",
    "type": "setting",
    "programtype": "setting",
    "kind": "setting",
    "new": "new",
    "newprogram": "new",
    "img": "img_friendly",
    "imgfriendly": "img_friendly",
    "takesimgs": "img_friendly",
    "acceptsimgs": "img_friendly",
    "do": "do_friendly",
    "dofriendly": "do_friendly",
    "takesdos": "do_friendly",
    "acceptsdos": "do_friendly",
    "cutoff": "cutoff",
    "scorecutoff": "cutoff",
    "step2cutoff": "cutoff",
    "step2ckcutoff": "cutoff",
    "comlexcutoff": "cutoff",
    "step2comlexcutoff": "cutoff",
    "minimumscore": "cutoff",
    "tier": "tier",
    "color": "tier",
    "colour": "tier",
    "status": "status",
    "notes": "notes",
    "note": "notes",
    "comments": "notes",
}
_MAX_TEXT = {"name": 120, "city": 60, "notes": 500}

# US states and DC, with their Census region, and whether they have an ocean coastline
# (Atlantic or Pacific; the Gulf counts as the South's, which the seed favours anyway).
_STATES: dict[str, tuple[str, str, bool]] = {
    "AL": ("Alabama", "South", False),
    "AK": ("Alaska", "West", True),
    "AZ": ("Arizona", "West", False),
    "AR": ("Arkansas", "South", False),
    "CA": ("California", "West", True),
    "CO": ("Colorado", "West", False),
    "CT": ("Connecticut", "Northeast", True),
    "DE": ("Delaware", "South", True),
    "DC": ("District of Columbia", "South", True),
    "FL": ("Florida", "South", True),
    "GA": ("Georgia", "South", True),
    "HI": ("Hawaii", "West", True),
    "ID": ("Idaho", "West", False),
    "IL": ("Illinois", "Midwest", False),
    "IN": ("Indiana", "Midwest", False),
    "IA": ("Iowa", "Midwest", False),
    "KS": ("Kansas", "Midwest", False),
    "KY": ("Kentucky", "South", False),
    "LA": ("Louisiana", "South", False),
    "ME": ("Maine", "Northeast", True),
    "MD": ("Maryland", "South", True),
    "MA": ("Massachusetts", "Northeast", True),
    "MI": ("Michigan", "Midwest", False),
    "MN": ("Minnesota", "Midwest", False),
    "MS": ("Mississippi", "South", False),
    "MO": ("Missouri", "Midwest", False),
    "MT": ("Montana", "West", False),
    "NE": ("Nebraska", "Midwest", False),
    "NV": ("Nevada", "West", False),
    "NH": ("New Hampshire", "Northeast", True),
    "NJ": ("New Jersey", "Northeast", True),
    "NM": ("New Mexico", "West", False),
    "NY": ("New York", "Northeast", True),
    "NC": ("North Carolina", "South", True),
    "ND": ("North Dakota", "Midwest", False),
    "OH": ("Ohio", "Midwest", False),
    "OK": ("Oklahoma", "South", False),
    "OR": ("Oregon", "West", True),
    "PA": ("Pennsylvania", "Northeast", False),
    "RI": ("Rhode Island", "Northeast", True),
    "SC": ("South Carolina", "South", True),
    "SD": ("South Dakota", "Midwest", False),
    "TN": ("Tennessee", "South", False),
    "TX": ("Texas", "South", False),
    "UT": ("Utah", "West", False),
    "VT": ("Vermont", "Northeast", False),
    "VA": ("Virginia", "South", True),
    "WA": ("Washington", "West", True),
    "WV": ("West Virginia", "South", False),
    "WI": ("Wisconsin", "Midwest", False),
    "WY": ("Wyoming", "West", False),
    "PR": ("Puerto Rico", "South", True),
}
_BY_NAME = {name.casefold(): code for code, (name, _, _) in _STATES.items()}
REGIONS = ("Northeast", "Midwest", "South", "West")
_FAVOURED = frozenset({"Midwest", "South"})


def _fold(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.casefold())


def program_key(name: str) -> str:
    """The key a program is stored under: its name with case, spacing and punctuation ignored
    ("St. Mary's IM" and "st marys im" are one program), short enough for a button's data."""
    return _fold(name)[:40] or "program"


def state_code(text: str) -> str | None:
    """ "IL", "il", "Illinois" -> "IL"; None for anything else."""
    value = " ".join(text.split()).removesuffix(".")
    if value.upper() in _STATES:
        return value.upper()
    return _BY_NAME.get(value.casefold())


def region_of(state: str) -> str:
    code = state_code(state)
    return _STATES[code][1] if code else ""


def coastal(state: str) -> bool:
    code = state_code(state)
    return code is not None and _STATES[code][2]


# ---------------------------------------------------------------- one program


@dataclass(frozen=True)
class Program:
    key: str
    name: str
    city: str = ""
    state: str = ""
    setting: str = ""  # community / affiliated / academic, or "" when not known
    new: bool | None = None
    img_friendly: bool | None = None
    do_friendly: bool | None = None
    cutoff: int | None = None
    tier: str = ""
    status: str = "considering"
    notes: str = ""

    @property
    def region(self) -> str:
        return region_of(self.state)

    def as_content(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "city": self.city,
            "state": self.state,
            "setting": self.setting,
            "new": self.new,
            "img_friendly": self.img_friendly,
            "do_friendly": self.do_friendly,
            "cutoff": self.cutoff,
            "tier": self.tier,
            "status": self.status,
            "notes": self.notes,
        }


def _flag(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def program_of(key: str, content: Mapping[str, Any]) -> Program:
    """A program from a stored item, forgivingly."""
    cutoff = content.get("cutoff")
    return Program(
        key=key,
        name=str(content.get("name") or key),
        city=str(content.get("city") or ""),
        state=str(content.get("state") or ""),
        setting=str(content.get("setting") or "") if content.get("setting") in SETTINGS else "",
        new=_flag(content.get("new")),
        img_friendly=_flag(content.get("img_friendly")),
        do_friendly=_flag(content.get("do_friendly")),
        cutoff=cutoff if isinstance(cutoff, int) and not isinstance(cutoff, bool) else None,
        tier=str(content.get("tier") or "") if content.get("tier") in TIERS else "",
        status=str(content.get("status")) if content.get("status") in STATUSES else "considering",
        notes=str(content.get("notes") or ""),
    )


# ---------------------------------------------------------------- reading a cell


class Refusal(ValueError):
    """A value that can't be read, with the reason in plain words."""


_YES = {"yes", "y", "true", "1", "x", "✓", "✔", "yes!"}
_NO = {"no", "n", "false", "0", "-"}
_UNKNOWN = {"", "unknown", "?", "na", "n/a", "not sure", "dont know", "don't know"}


def parse_flag(value: Any, what: str) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    text = " ".join(str(value).casefold().split())
    if text in _YES:
        return True
    if text in _NO:
        return False
    if text in _UNKNOWN:
        return None
    raise Refusal(f"{what} should be yes, no or blank, not “{_short(value)}”")


def parse_cutoff(value: Any) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise Refusal("the score cutoff should be a number such as 220")
    text = str(value).strip().removesuffix(".0").replace("+", "")
    if text.casefold() in _UNKNOWN or text.casefold() in {"none", "no cutoff"}:
        return None
    if not text.isdigit():
        raise Refusal(f"the score cutoff should be a number such as 220, not “{_short(value)}”")
    number = int(text)
    if not (150 <= number <= 300 or 300 < number <= 800):
        raise Refusal(f"a score cutoff of {number} isn't a Step 2 or COMLEX score")
    return number


def parse_setting(value: Any) -> str:
    text = " ".join(str(value or "").casefold().replace("-", " ").split())
    if not text or text in _UNKNOWN:
        return ""
    if "affiliat" in text or ("university" in text and "community" in text):
        return "affiliated"
    if "community" in text:
        return "community"
    if "academic" in text or "university" in text:
        return "academic"
    raise Refusal(
        f"the setting should be community, university-affiliated or academic, not “{_short(value)}”"
    )


def parse_tier(value: Any) -> str:
    text = " ".join(str(value or "").casefold().split())
    if not text:
        return ""
    for tier in TIERS:
        if text.startswith(tier) or text == tier[0]:
            return tier
    words = {"realistic": "green", "stretch": "yellow", "reach": "red", "extreme reach": "red"}
    if text in words:
        return words[text]
    raise Refusal(f"the tier should be green, yellow or red, not “{_short(value)}”")


def parse_status(value: Any) -> str:
    text = " ".join(str(value or "").casefold().split())
    if not text:
        return "considering"
    for status in STATUSES:
        if text.startswith(status[:5]):
            return status
    if text in {"interviewing", "interviewed", "invited"}:
        return "interview"
    raise Refusal(
        f"the status should be considering, applied, interview or rejected, not “{_short(value)}”"
    )


def _short(value: Any) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= 30 else text[:29] + "…"


def _text(value: Any, field: str) -> str:
    text = " ".join(str(value or "").split())
    if len(text) > _MAX_TEXT.get(field, 120):
        raise Refusal(f"the {field} is longer than {_MAX_TEXT.get(field, 120)} characters")
    return text


def header_field(header: Any) -> str | None:
    """Which field a column's header names (case, spacing and punctuation ignored)."""
    return _ALIASES.get(_fold(str(header or "")))


def check_row(cells: Mapping[str, Any], old: Program | None = None) -> Program:
    """One spreadsheet row (field -> raw cell) as a program, or ``Refusal`` with the reason.

    A column the sheet doesn't have keeps what ``old`` (the program already stored under that
    name) held, so re-importing a sheet without notes doesn't wipe the notes.
    """
    for field, value in cells.items():
        if isinstance(value, str) and value.startswith("="):
            raise Refusal(f"the {field.replace('_', ' ')} is a formula; save the sheet with values")
    name = _text(cells.get("name"), "name")
    if not name:
        raise Refusal("the program's name is empty")

    def pick(field: str, parse: Any, default: Any) -> Any:
        if field in cells:
            return parse(cells[field])
        return getattr(old, field) if old is not None else default

    state_raw = _text(cells.get("state"), "state") if "state" in cells else None
    if state_raw:
        code = state_code(state_raw)
        if code is None:
            raise Refusal(f"“{_short(state_raw)}” isn't a US state (use IL or Illinois)")
        state = code
    elif state_raw is None and old is not None:
        state = old.state
    else:
        state = ""
    return Program(
        key=program_key(name),
        name=name,
        city=pick("city", lambda v: _text(v, "city"), ""),
        state=state,
        setting=pick("setting", parse_setting, ""),
        new=pick("new", lambda v: parse_flag(v, "New program"), None),
        img_friendly=pick("img_friendly", lambda v: parse_flag(v, "IMG-friendly"), None),
        do_friendly=pick("do_friendly", lambda v: parse_flag(v, "DO-friendly"), None),
        cutoff=pick("cutoff", parse_cutoff, None),
        tier=pick("tier", parse_tier, ""),
        status=pick("status", parse_status, "considering"),
        notes=pick("notes", lambda v: _text(v, "notes"), ""),
    )


# ---------------------------------------------------------------- who is applying


@dataclass(frozen=True)
class Applicant:
    """What tiering and the warnings need about the user."""

    specialty: str = ""
    img: bool = False
    do: bool = False
    step2: int | None = None
    comlex2: int | None = None

    @classmethod
    def of(cls, profile: Mapping[str, Any], specialty: str, img: bool, do: bool) -> Applicant:
        def score(key: str) -> int | None:
            value = profile.get(key)
            return value if isinstance(value, int) and not isinstance(value, bool) else None

        return cls(
            specialty=canonical_specialty(specialty),
            img=img,
            do=do,
            step2=score("step2"),
            comlex2=score("comlex2"),
        )

    def score_for(self, cutoff: int) -> int | None:
        """The user's score on the cutoff's scale (Step 2 up to 300, COMLEX above)."""
        return self.step2 if cutoff <= 300 else self.comlex2


def suggest_tier(p: Program, who: Applicant) -> tuple[str, str]:
    """The tier the data suggest, and why in a few words. Always the user's to override."""
    if p.cutoff is not None:
        mine = who.score_for(p.cutoff)
        if mine is not None and mine < p.cutoff:
            return "red", f"its cutoff ({p.cutoff}) is above your score ({mine})"
    if who.img and p.img_friendly is False:
        return "red", "it doesn't take IMGs"
    if who.do and p.do_friendly is False:
        return "red", "it doesn't take DOs"
    if p.cutoff is not None:
        mine = who.score_for(p.cutoff)
        if mine is not None and mine - p.cutoff < 5:
            return "yellow", f"your score clears its cutoff ({p.cutoff}) by only {mine - p.cutoff}"
    if p.setting == "academic":
        return "yellow", "academic programs are the most sought after"
    if who.img and p.img_friendly is None:
        return "yellow", "whether it takes IMGs isn't known yet"
    return "green", "nothing in what you know about it stands in your way"


# ---------------------------------------------------------------- the list as a whole

# How many programs a reapplicant applies to, by specialty: the seed's figure for internal and
# family medicine; for the rest, a rough guide of ours (the NRMP's Charting Outcomes for the
# specialty says more).
_RANGES: dict[str, tuple[int, int]] = {
    "Internal Medicine": (60, 120),
    "Family Medicine": (60, 120),
    "Pediatrics": (40, 80),
    "Psychiatry": (40, 80),
    "Neurology": (40, 70),
    "Emergency Medicine": (40, 70),
}
_DEFAULT_RANGE = (40, 80)


def list_range(specialty: str) -> tuple[int, int, bool]:
    """(low, high, from the seed): how many programs to aim for."""
    name = canonical_specialty(specialty)
    for known, span in _RANGES.items():
        if name.startswith(known):
            return (*span, known in {"Internal Medicine", "Family Medicine"})
    return (*_DEFAULT_RANGE, False)


@dataclass(frozen=True)
class Warning:
    key: str
    text: str


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def warnings(programs: Sequence[Program], who: Applicant) -> list[Warning]:
    """What the list as a whole says against the seed and the profile, most important first.
    Rejected programs still count: the list is what was applied to."""
    found: list[Warning] = []
    n = len(programs)
    if n == 0:
        return found
    low, high, seed_range = list_range(who.specialty)
    field = who.specialty or "your specialty"
    guide = "" if seed_range else " (a rough guide for this specialty)"
    if n < low:
        found.append(
            Warning(
                "short",
                f"{plural(n, 'program')} is short of {low}-{high}{guide} for a reapplicant in {field}: "
                "a short list is one of the commonest reasons people don't match.",
            )
        )
    tiers = Counter(p.tier for p in programs)
    if tiers["red"] > max(5, 0.15 * n):
        found.append(
            Warning(
                "reds",
                f"{tiers['red']} of {n} are red: a handful of long shots is fine, but most of "
                "the list should be green.",
            )
        )
    if tiers["green"] and tiers["green"] < 0.5 * n:
        found.append(
            Warning("greens", f"Only {tiers['green']} of {n} are green: aim for at least half.")
        )
    settings = Counter(p.setting for p in programs)
    known_settings = n - settings[""]
    if known_settings and _share(settings["academic"], known_settings) > 0.4:
        found.append(
            Warning(
                "academic",
                f"{settings['academic']} of the {known_settings} programs with a known setting "
                "are academic: tilt the list toward community programs.",
            )
        )
    community = settings["community"] + settings["affiliated"]
    if known_settings and _share(community, known_settings) < 0.5:
        found.append(
            Warning(
                "community",
                f"Only {plural(community, 'community or affiliated program')}: they should be at least "
                "half the list.",
            )
        )
    located = [p for p in programs if p.region]
    if len(located) >= 5:
        favoured = sum(p.region in _FAVOURED or not coastal(p.state) for p in located)
        if _share(favoured, len(located)) < 0.5:
            found.append(
                Warning(
                    "coastal",
                    f"Only {favoured} of {len(located)} programs are in the Midwest, the South "
                    "or inland states, where fewer people apply: the list leans coastal.",
                )
            )
    if n >= 10 and not any(p.new for p in programs):
        found.append(
            Warning(
                "new",
                "No newer programs yet: new programs often have fewer applicants; add a few.",
            )
        )
    if who.img:
        closed = [p for p in programs if p.img_friendly is False]
        if closed:
            found.append(
                Warning(
                    "img",
                    f"{_closed(len(closed))} take IMGs ({_names(closed)}): an application "
                    "there is very unlikely to be read.",
                )
            )
    if who.do:
        closed = [p for p in programs if p.do_friendly is False]
        if closed:
            found.append(
                Warning(
                    "do",
                    f"{_closed(len(closed))} take DOs ({_names(closed)}).",
                )
            )
    return found


def _closed(n: int) -> str:
    return "1 program doesn't" if n == 1 else f"{n} programs don't"


def _names(programs: Iterable[Program]) -> str:
    names = [p.name for p in programs]
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
