"""The post-mortem rules: from the profile, the user's own review and three people's feedback
to a short, ranked list of problems (``Finding``), plus the pivot and backup advice.

Pure functions over plain mappings (JSON values): no I/O, no clock, never raises on missing,
``None`` or oddly typed values; less evidence just means fewer findings.

Everything here follows the seed's post-mortem: its four buckets of typical patterns, its
pivot rule, its realistic targets and its program-list advice. The thresholds the seed does
not give are marked "rough" below, and every sentence a user reads says so where it matters.
Tone: plain, warm and factual. A finding names a problem to work on, never a verdict.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from conversations.rules.problems import BUCKETS, Finding
from conversations.rules.specialties import canonical_specialty

# ---------------------------------------------------------------- specialties

# The seed's "highly competitive" fields (derm, ortho, neurosurgery, plastics, ENT, ophtho), plus
# the integrated programs that match the same way: urology, vascular surgery, interventional
# radiology and thoracic surgery. Radiation oncology is left out on purpose: it has had unfilled
# positions in recent cycles, so calling it elite would push people to pivot for no reason.
COMPETITIVE: frozenset[str] = frozenset(
    {
        "Dermatology",
        "Orthopaedic Surgery",
        "ENT",
        "Ophthalmology",
        "Neurosurgery",
        "Plastic Surgery",
        "Urology",
        "Vascular Surgery",
        "Interventional Radiology",
        "Thoracic Surgery",
    }
)

# The seed's list of specialties a 12-month plan can realistically target (its "230+ helps"
# bar applies to these), and the wording the coach shows for them, in the seed's order.
REALISTIC_SPECIALTIES: frozenset[str] = frozenset(
    {"Internal Medicine", "Family Medicine", "Pediatrics", "Psychiatry", "Neurology"}
)
REALISTIC_TARGETS: tuple[str, ...] = (
    "Internal Medicine (community programs especially)",
    "Family Medicine",
    "Pediatrics (outside the elite academic programs)",
    "Psychiatry",
    "Neurology (community programs)",
    "Transitional or preliminary year (as a stepping stone)",
)


def is_competitive(specialty: Any) -> bool:
    """True for the highly competitive fields (see ``COMPETITIVE``), whatever the spelling."""
    return canonical_specialty(specialty) in COMPETITIVE


# ---------------------------------------------------------------- thresholds

# Programs: the seed calls 60-120+ reasonable for IM/FM after a non-match and gives "25
# applications for a competitive specialty" as under-applying; so under 60 is too few for any
# reapplicant, and under 30 is far too few (it weighs more).
TOO_FEW_PROGRAMS = 60
FAR_TOO_FEW_PROGRAMS = 30
# Interview rate: under 10% of programs with at least 20 applications says the list did not
# open doors (a smaller list gives too noisy a rate to read anything into).
LOW_INTERVIEW_RATE = 0.10
MIN_PROGRAMS_FOR_RATE = 20

# Scores. The seed's pivot line is a Step 2 CK under 220.
LOW_STEP2 = 220
# COMLEX Level 2-CE equivalent of that line, rough on purpose: the two exams have different
# scales and takers, and published concordances are only ballpark. COMLEX passes at 400 (Step 2
# at 214-218); 220 sits just above the Step 2 pass line, and a straight line through the two
# pass marks and the "mid-range" pair below (245 <-> 600) puts it at about 415-440. We round up
# to 450 because a score just over the pass mark reads as low to program directors on either
# exam. Every sentence that mentions it says the comparison is approximate.
LOW_COMLEX2 = 450
# Numeric Step 1 (from before pass/fail) and COMLEX Level 1: rough "low" lines. Step 1 passed at
# 194 with a mean near 230 in its last scored years; 215 is well below the mean. Level 1 reuses
# the Level 2 line for the same reason as above.
LOW_STEP1 = 215
LOW_COMLEX1 = 450
# Mid-range for a highly competitive field: rough bars (matched applicants in these fields
# usually score well above the national Step 2 mean of about 245).
MIDRANGE_STEP2 = 245
MIDRANGE_COMLEX2 = 600
# Typical Step 2 per specialty, for the IMG half of the pivot rule: the seed's "230+ helps" for
# IM/FM (used for the whole realistic set), a rough 245 for the competitive set and a rough 235
# in between (EM, surgery, OB/GYN, anesthesiology, radiology, anything else).
TYPICAL_STEP2_REALISTIC = 230
TYPICAL_STEP2_COMPETITIVE = 245
TYPICAL_STEP2_OTHER = 235
# "Substantial research" for the pivot rule: a paper, or three or more abstracts and posters.
SUBSTANTIAL_PAPERS = 1
SUBSTANTIAL_ABSTRACTS_POSTERS = 3
# "Nothing distinctive": fewer than 2 research items of any kind, and no letter felt strong.
DISTINCTIVE_RESEARCH_ITEMS = 2
# Letters: the seed aims for 3-4 strong, specialty-specific letters.
MIN_LETTERS = 3
# US clinical experience for IMGs: the seed's roles run 3-6 months, so under 3 is little and
# under 1 is close to none (weighs more).
LITTLE_USCE_MONTHS = 3
NO_USCE_MONTHS = 1


def typical_step2(specialty: Any) -> int:
    """The rough Step 2 a specialty usually expects (see the constants above)."""
    name = canonical_specialty(specialty)
    if name in COMPETITIVE:
        return TYPICAL_STEP2_COMPETITIVE
    if name in REALISTIC_SPECIALTIES:
        return TYPICAL_STEP2_REALISTIC
    return TYPICAL_STEP2_OTHER


# ---------------------------------------------------------------- weights and findings

# Weight scale, 1-10 (higher = more urgent). The seed says to fix first what cannot be fixed
# quickly later (exams, blatant red flags, missing requirements) and calls the program list one
# of the main reasons people do not match; those sit on top.
#   9  failed exam attempt, professionalism concern: hardest to outweigh later
#   8  low Step 2 (cannot be retaken once passed), a highly competitive field with mid-range
#      scores, no Step 2 for an IMG, almost no USCE for an IMG; the list at its worst
#   7  too few programs, course failure, repeated year, little USCE (IMG), both list
#      problems (academic and coastal), letters weak on two counts
#   6  one list problem, weak letters, leave of absence, no Step 2 for a US graduate
#   5  low scored Step 1, nothing distinctive yet, no home support
# The rule's base weight applies when the profile shows the problem. A self-review tick or a
# note alone starts one point lower (a view, not yet a fact). Each further independent source
# (the profile, the self-review, the dean's office, the advisor, the outside reader) adds one,
# capped at 10: when everyone points at the same thing, it is the thing to fix.
MAX_WEIGHT = 10

# Two findings are "close" when their weights differ by at most this (see ``top_deficits``).
CLOSE_WEIGHT = 1


@dataclass(frozen=True)
class _Rule:
    bucket: str
    title: str
    why: str
    weight: int


_RULES: dict[str, _Rule] = {
    # exams
    "exam_failure": _Rule(
        "exams",
        "A failed attempt on a licensing exam",
        "Programs look hard at exam attempts, and this is one of the things that can't be fixed "
        "quickly later. Passing the next exam comfortably, on the first try, is what "
        "reassures them.",
        9,
    ),
    "low_step2": _Rule(
        "exams",
        "A low Step 2 score",
        "Step 2 is often the first number programs screen on, and a passed exam can't be retaken. "
        "A strong Step 3 (or COMLEX Level 3) in the next 6-9 months is how you show the trend "
        "is up.",
        8,
    ),
    "low_step1": _Rule(
        "exams",
        "A low Step 1 score",
        "A scored Step 1 from before pass/fail still shows on your application. Strong later "
        "exams, Step 3 especially, are what offset it.",
        5,
    ),
    "no_step2": _Rule(
        "exams",
        "No Step 2 score when applications opened",
        "Step 2 is the score programs look at first now, so applying without it leaves them "
        "guessing. Having it in ERAS when applications open removes that doubt.",
        7,
    ),
    "exam_scores": _Rule(
        "exams",
        "Exam scores raised as a concern",
        "When a reviewer mentions your scores, they are likely one of the first things programs "
        "notice. Knowing that tells you whether a strong next exam belongs in your plan.",
        7,
    ),
    # red flags
    "professionalism": _Rule(
        "red_flags",
        "A professionalism concern",
        "Programs weigh professionalism heavily, and it is among the hardest things to outweigh "
        "later. A short, honest account of what happened and what changed, backed by people who "
        "see your work now, keeps it from defining you.",
        9,
    ),
    "course_fail": _Rule(
        "red_flags",
        "A course failure or remediation to explain",
        "The record won't disappear, but two or three sentences that own it and show how it was "
        "resolved stop it from owning the whole story.",
        7,
    ),
    "repeat_year": _Rule(
        "red_flags",
        "A repeated year to explain",
        "Programs will notice the extra year. A brief, factual account of why and of how things "
        "have gone since answers their question before they ask it.",
        7,
    ),
    "loa": _Rule(
        "red_flags",
        "A leave of absence or gap to explain",
        "Programs mostly worry about what they can't see. A few factual sentences that own it and "
        "show you are steady now take most of the weight off.",
        6,
    ),
    "red_flag_concern": _Rule(
        "red_flags",
        "A possible red flag a reviewer noticed",
        "If one reader saw a red flag, program directors may see it too. Finding out exactly what "
        "it was lets you answer it with a short, owned explanation.",
        6,
    ),
    # strategy
    "only_competitive": _Rule(
        "strategy",
        "A highly competitive specialty for your current scores",
        "In the most competitive fields, programs usually see scores well above yours, so each "
        "application is a long shot. That is not a judgement of you, but it makes the choice of "
        "target the biggest decision of this year.",
        8,
    ),
    "too_few_programs": _Rule(
        "strategy",
        "Too few programs for your profile",
        "A short list is one of the most common reasons capable people don't match. After a "
        "non-match, 60 to 120 or more programs is a normal range for many profiles.",
        7,
    ),
    "narrow_list": _Rule(
        "strategy",
        "A list too narrow in type or place",
        "Many reapplicants get their interviews at community and newer programs, and in less "
        "competitive regions like the Midwest, the South and inland states. A list that leans "
        "away from them closes those doors.",
        6,
    ),
    # experience and letters
    "weak_letters": _Rule(
        "experience",
        "No standout letters",
        "Letters are where programs hear how you actually work. Three or four strong, detailed "
        "letters from people in your target specialty who have seen you up close carry real "
        "weight.",
        6,
    ),
    "little_usce": _Rule(
        "experience",
        "Little US clinical experience",
        "For international graduates, US clinical experience can make or break an application: "
        "programs want to see you working in a US hospital, and it is where US letters come from.",
        7,
    ),
    "no_home_support": _Rule(
        "experience",
        "Little backing from your home department",
        "A home department that vouches for you opens doors with a phone call. Without it, the "
        "attendings you work with this year need to become the people who speak for you.",
        5,
    ),
    "nothing_distinctive": _Rule(
        "experience",
        "Not much that makes you stand out yet",
        "Programs look for proof that you chose the specialty on purpose: research, projects, a "
        "concrete personal statement. A focused year can give you exactly those lines.",
        5,
    ),
}

_NO_STEP2_WHY_IMG = (
    "Many programs won't look closely without a Step 2 score, and for international graduates "
    "it weighs even more. Taking it by late spring or early summer gets the score into ERAS "
    "before it opens."
)

# Self-review ticks: code -> (finding code, what the tick means in plain words).
_TICKS: dict[str, tuple[str, str]] = {
    "low_step1": ("low_step1", "a low Step 1 score"),
    "low_step2": ("low_step2", "a low Step 2 score"),
    "no_step2": ("no_step2", "no Step 2 score when you applied"),
    "course_fail": ("course_fail", "a course or clerkship failure"),
    "repeat_year": ("repeat_year", "a repeated year"),
    "loa_unexplained": ("loa", "a leave of absence that wasn't clearly explained"),
    "professionalism": ("professionalism", "a professionalism concern"),
    "only_competitive": ("only_competitive", "applying only to highly competitive programs"),
    "too_few": ("too_few_programs", "too few programs"),
    "no_geo": ("narrow_list", "a list without enough range of places"),
    "weak_letters": ("weak_letters", "weak or generic letters"),
    "no_home_support": ("no_home_support", "no strong support from your home department"),
    "little_usce": ("little_usce", "little US clinical experience"),
    "no_commitment": ("nothing_distinctive", "little to show your commitment to the specialty"),
}

# ---------------------------------------------------------------- feedback notes

# Who said it, from the note key's prefix ("dean_top2" -> the dean's office).
NOTE_SOURCES: dict[str, str] = {
    "dean": "your dean's office",
    "advisor": "your specialty advisor",
    "outside": "a faculty member outside your specialty",
}
QUOTE_LIMIT = 160


@dataclass(frozen=True)
class _Topic:
    """Keywords that tie a sentence of feedback to a finding.

    ``strong`` keywords always count. ``weak`` ones count only when no other topic has a strong
    keyword in the same sentence: "your letters were generic" is about letters, not the
    personal statement, and "the red flag is your Step 2" is about scores.
    A hit joins the first of ``targets`` already found; if none is, it creates ``create``.
    """

    name: str
    targets: tuple[str, ...]
    create: str
    strong: tuple[str, ...]
    weak: tuple[str, ...] = ()
    strong_re: re.Pattern[str] = field(init=False, repr=False, compare=False)
    weak_re: re.Pattern[str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "strong_re", re.compile("|".join(self.strong), re.IGNORECASE))
        weak = re.compile("|".join(self.weak), re.IGNORECASE) if self.weak else None
        object.__setattr__(self, "weak_re", weak)


# The keyword table (regular expressions, case-insensitive; a leading \b means word start, so
# "coast" also finds "coastal" and "remediat" finds "remediation"). Deliberate narrowings:
# "step" alone would catch "the next step", so it needs a number; "gap" skips "gap year";
# bare "leave" ("I'd leave that out") and "academic" ("academic record") are weak.
_TOPICS: tuple[_Topic, ...] = (
    _Topic(
        "programs",
        ("too_few_programs",),
        "too_few_programs",
        (
            r"\bmore programs\b",
            r"\bapply(ing)? (much |more |far )*broad",
            r"\bbroad(er|ly|en)\b",
            r"\btoo few\b",
            r"\bmore applications\b",
            r"\bwider net\b",
            r"\bapply to more\b",
        ),
    ),
    _Topic(
        "list",
        ("narrow_list",),
        "narrow_list",
        (
            r"\bcommunity\b",
            r"\bcoast",
            r"\bgeograph",
            r"\blocations?\b",
            r"\bmidwest",
            r"\bsouth",
            r"\binland\b",
            r"\bregions?\b",
        ),
        (r"\bacademic\b",),
    ),
    _Topic("letters", ("weak_letters",), "weak_letters", (r"\bletters?\b", r"\blors?\b")),
    _Topic(
        "statement",
        ("nothing_distinctive",),
        "nothing_distinctive",
        (r"\bpersonal statements?\b", r"\bps\b", r"\bessays?\b"),
        (r"\bgeneric\b", r"\bbland\b", r"\bclich[eé]s?\b", r"\bcookie[- ]cutter\b"),
    ),
    _Topic(
        "commitment",
        ("nothing_distinctive",),
        "nothing_distinctive",
        (r"\bcommitment\b", r"\bresearch\b", r"\binterest in\b", r"\bpublications?\b"),
    ),
    _Topic(
        "usce",
        ("little_usce",),
        "little_usce",
        (
            r"\busce\b",
            r"\bclinical experience\b",
            r"\bu\.?s\.? (clinical )?experience\b",
            r"\bobserverships?\b",
            r"\bexternships?\b",
        ),
    ),
    _Topic(
        "home",
        ("no_home_support",),
        "no_home_support",
        (r"\bhome (department|program|institution|school)\b", r"\bhome support\b"),
    ),
    _Topic(
        "scores",
        ("low_step2", "exam_failure", "low_step1", "only_competitive", "no_step2", "exam_scores"),
        "exam_scores",
        (
            r"\bscores?\b",
            r"\bstep\s?(1|2|3|one|two|three)\b",
            r"\bcomlex\b",
            r"\busmle\b",
            r"\bexams?\b",
        ),
    ),
    _Topic(
        "professionalism",
        ("professionalism",),
        "professionalism",
        (r"\bprofessionalism\b", r"\bunprofessional\b"),
    ),
    _Topic(
        "course",
        ("course_fail",),
        "course_fail",
        (r"\bremediat", r"\bfailed (a |the |your )?(course|clerkship|rotation)"),
    ),
    _Topic("repeat", ("repeat_year",), "repeat_year", (r"\brepeat(ed|ing)? (a |the )?year\b",)),
    _Topic(
        "gap",
        ("loa",),
        "loa",
        (r"\bleave of absence\b", r"\bloa\b", r"\bgaps?\b(?!\s*-?\s*years?)", r"\btime off\b"),
        (r"\bleave\b",),
    ),
    _Topic(
        "red_flag",
        ("professionalism", "course_fail", "repeat_year", "loa", "red_flag_concern"),
        "red_flag_concern",
        (),
        (r"\bred[- ]flags?\b",),
    ),
)

# ---------------------------------------------------------------- value readers


def _int(value: Any) -> int | None:
    """An int from a JSON value; bools, text and None give None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _codes(value: Any) -> list[str]:
    """A list of string codes from a list, a single string, or nothing."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable) and not isinstance(value, Mapping):
        return [v for v in value if isinstance(v, str)]
    return []


def plural(n: int, word: str, many: str | None = None) -> str:
    """ "1 program", "3 programs" (``many``: the plural when it is not the word and an s)."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


# ---------------------------------------------------------------- building findings


@dataclass
class _Draft:
    code: str
    title: str
    why: str
    base: int | None = None  # the profile rule's weight, when the profile shows the problem
    lines: list[str] = field(default_factory=list)
    sources: set[str] = field(default_factory=set)


class _Builder:
    """Collects evidence per finding code, in the order it arrives (profile first)."""

    def __init__(self) -> None:
        self.drafts: dict[str, _Draft] = {}
        self.weak: list[tuple[str, str]] = []

    def add(
        self,
        code: str,
        line: str,
        source: str,
        *,
        base: int | None = None,
        title: str | None = None,
        why: str | None = None,
    ) -> None:
        rule = _RULES[code]
        draft = self.drafts.get(code)
        if draft is None:
            draft = _Draft(code, title or rule.title, why or rule.why)
            self.drafts[code] = draft
        if source == "profile":
            draft.base = max(draft.base or 0, base if base is not None else rule.weight)
        draft.sources.add(source)
        if line not in draft.lines:
            draft.lines.append(line)

    def support(self, code: str, line: str) -> None:
        """Weak evidence: a line for a finding something else raises; never creates one.

        Kept until the end, so a finding raised later by a tick or a note still gets it.
        """
        self.weak.append((code, line))

    def findings(self) -> list[Finding]:
        for code, line in self.weak:
            draft = self.drafts.get(code)
            if draft is not None and line not in draft.lines:
                draft.lines.append(line)
        out = []
        for d in self.drafts.values():
            rule = _RULES[d.code]
            weight = d.base if d.base is not None else rule.weight - 1
            weight += len(d.sources) - 1
            if "profile" in d.sources:
                source = "profile"
            elif d.sources & set(NOTE_SOURCES):
                source = "feedback"
            else:
                source = "self_review"
            out.append(
                Finding(
                    code=d.code,
                    bucket=rule.bucket,
                    title=d.title,
                    evidence=tuple(d.lines),
                    why=d.why,
                    weight=max(1, min(MAX_WEIGHT, weight)),
                    source=source,
                )
            )
        return out


def _score(value: Any, low: int, high: int) -> int | None:
    """A numeric exam score within its scale, else None ("pass", "fail", junk)."""
    n = _int(value)
    return n if n is not None and low <= n <= high else None


def _usmle(value: Any) -> int | None:
    return _score(value, 1, 300)


def _comlex(value: Any) -> int | None:
    return _score(value, 100, 999)


def _exam_rules(p: Mapping[str, Any], b: _Builder) -> None:
    degree = _str(p.get("degree"))
    step1, step2 = p.get("step1"), p.get("step2")
    comlex1, comlex2 = p.get("comlex1"), p.get("comlex2")
    s1, s2, c1, c2 = _usmle(step1), _usmle(step2), _comlex(comlex1), _comlex(comlex2)

    # Failed attempts: name the exam as precisely as the answers allow, once per level.
    failures = set(_codes(p.get("exam_failures")))
    failed: list[str] = []
    for level, (usmle_name, usmle), (comlex_name, comlex) in (
        ("level1", ("Step 1", step1), ("COMLEX Level 1", comlex1)),
        ("level2", ("Step 2", step2), ("COMLEX Level 2", comlex2)),
    ):
        named = [
            name for name, value in ((usmle_name, usmle), (comlex_name, comlex)) if value == "fail"
        ]
        if not named and level in failures:
            named = [f"{usmle_name} or {comlex_name}"]
        failed.extend(named)
    if "other" in failures:
        failed.append("another licensing exam")
    for name in failed:
        b.add("exam_failure", f"You had an attempt at {name} that didn't pass.", "profile")

    if s2 is not None and s2 < LOW_STEP2:
        b.add("low_step2", f"Your Step 2 score is {s2}, under {LOW_STEP2}.", "profile")
    if c2 is not None and c2 < LOW_COMLEX2:
        b.add(
            "low_step2",
            f"Your COMLEX Level 2 score is {c2}, roughly where a Step 2 under {LOW_STEP2} "
            "would sit (the comparison is approximate).",
            "profile",
            title="A low COMLEX Level 2 score",
        )
    if s1 is not None and s1 < LOW_STEP1:
        b.add("low_step1", f"Your Step 1 score is {s1}.", "profile")
    if c1 is not None and c1 < LOW_COMLEX1:
        b.add(
            "low_step1",
            f"Your COMLEX Level 1 score is {c1}, in the low range (a rough reading).",
            "profile",
            title="A low COMLEX Level 1 score",
        )

    # No Step 2 at application; for a DO, a COMLEX Level 2 score stands in for it.
    img = degree == "img"
    if step2 == "not_taken" and not (degree == "us_do" and c2 is not None):
        b.add(
            "no_step2",
            "You applied without a Step 2 score.",
            "profile",
            base=8 if img else 6,
            why=_NO_STEP2_WHY_IMG if img else None,
        )
    elif degree == "us_do" and comlex2 == "not_taken" and s2 is None:
        b.add(
            "no_step2",
            "You applied without a COMLEX Level 2 score.",
            "profile",
            base=6,
            title="No Level 2 score when applications opened",
        )


_RED_FLAG_LINES: dict[str, tuple[str, str]] = {
    "course_fail": ("course_fail", "Your record includes a course or clerkship failure."),
    "repeat_year": ("repeat_year", "You repeated a year of medical school."),
    "loa": ("loa", "You took a leave of absence."),
    "professionalism": ("professionalism", "There is a professionalism concern on your record."),
}


def _red_flag_rules(p: Mapping[str, Any], b: _Builder) -> None:
    for flag in _codes(p.get("red_flags")):
        if flag in _RED_FLAG_LINES:
            code, line = _RED_FLAG_LINES[flag]
            b.add(code, line, "profile")


def _strategy_rules(p: Mapping[str, Any], b: _Builder) -> None:
    specialty = canonical_specialty(p.get("specialty"))
    programs = _int(p.get("programs_applied"))
    interviews = _int(p.get("interviews"))
    for_spec = f" for {specialty}" if specialty else ""

    low_rate = (
        programs is not None
        and interviews is not None
        and programs >= MIN_PROGRAMS_FOR_RATE
        and interviews / programs < LOW_INTERVIEW_RATE
    )
    rate_line = ""
    if low_rate and programs is not None and interviews is not None:
        rate_line = (
            f"None of the {programs} programs offered you an interview."
            if interviews == 0
            else f"You had {plural(interviews, 'interview')} from {programs} programs "
            f"(about {round(100 * interviews / programs)}%)."
        )

    if programs is not None and 0 < programs < TOO_FEW_PROGRAMS:
        # +1 when the list was far too short or barely opened doors; capped so the hardest
        # problems (exam failures, professionalism) stay above it.
        base = 7 + (1 if programs < FAR_TOO_FEW_PROGRAMS or low_rate else 0)
        b.add(
            "too_few_programs",
            f"You applied to {plural(programs, 'program')}{for_spec}.",
            "profile",
            base=base,
        )
        if rate_line:
            b.add("too_few_programs", rate_line, "profile", base=base)

    mix, geo = _str(p.get("program_mix")), _str(p.get("geography"))
    narrow: list[tuple[str, str]] = []
    if mix == "academic":
        narrow.append(("academic", "Most of the programs on your list were academic."))
    if geo == "coastal":
        narrow.append(("coastal", "Most of them were on the coasts."))
    for _, line in narrow:
        b.add(
            "narrow_list",
            line,
            "profile",
            base=6 + (len(narrow) - 1),
            title="A list too " + " and ".join(word for word, _ in narrow),
        )
    if rate_line and not (programs is not None and programs < TOO_FEW_PROGRAMS):
        # A long list with few interviews is a symptom, not a diagnosis: it only backs a list
        # problem something else found.
        b.support("narrow_list", rate_line)

    if specialty in COMPETITIVE:
        s2, c2 = _usmle(p.get("step2")), _comlex(p.get("comlex2"))
        score_line = ""
        if s2 is not None and s2 < MIDRANGE_STEP2:
            score_line = (
                f"Your Step 2 score is {s2}, under the roughly {MIDRANGE_STEP2} that "
                f"{specialty} programs tend to look for (a rough guide)."
            )
        elif s2 is None and c2 is not None and c2 < MIDRANGE_COMLEX2:
            score_line = (
                f"Your COMLEX Level 2 score is {c2}, under roughly {MIDRANGE_COMLEX2}, an "
                f"approximate equivalent of what {specialty} programs tend to look for."
            )
        elif s2 is None and "fail" in (p.get("step2"), p.get("comlex2")):
            score_line = (
                f"Your Step 2 or Level 2 isn't passed yet, and {specialty} programs weigh it "
                "heavily."
            )
        if score_line:
            very_low = (s2 is not None and s2 < LOW_STEP2) or (
                s2 is None and c2 is not None and c2 < LOW_COMLEX2
            )
            base = 9 if very_low else 8
            b.add(
                "only_competitive",
                f"Last cycle you applied to {specialty}, one of the most competitive specialties.",
                "profile",
                base=base,
            )
            b.add("only_competitive", score_line, "profile", base=base)


def _experience_rules(p: Mapping[str, Any], b: _Builder) -> None:
    specialty = canonical_specialty(p.get("specialty"))
    strong = _str(p.get("letters_strong"))
    count = _int(p.get("letters_count"))

    signals: list[str] = []
    if strong == "no":
        signals.append("None of your letters felt strong and specific to your specialty.")
    if count is not None and count < MIN_LETTERS:
        signals.append(
            "You sent no letters of recommendation."
            if count == 0
            else f"You sent {plural(count, 'letter')}; three or four strong ones is the usual aim."
        )
    for line in signals:
        b.add("weak_letters", line, "profile", base=6 + (len(signals) - 1))
    if strong == "unsure":
        b.support("weak_letters", "You weren't sure any of your letters was strong.")

    home = _str(p.get("home_support"))
    if home == "none":
        dept = f"{specialty} department" if specialty else "department"
        b.add("no_home_support", f"You had no backing from your home {dept}.", "profile")
    elif home == "some":
        # "Some" support is weak evidence: it backs a finding, never creates one.
        b.support("no_home_support", "Your home department's support was partial.")

    if _str(p.get("degree")) == "img":
        months = _int(p.get("usce_months"))
        if months is not None and months < LITTLE_USCE_MONTHS:
            b.add(
                "little_usce",
                "You don't have US clinical experience yet."
                if months == 0
                else f"You have {plural(months, 'month')} of US clinical experience.",
                "profile",
                base=8 if months < NO_USCE_MONTHS else 7,
            )

    research = {k: _int(p.get(k)) for k in ("papers", "abstracts", "posters")}
    known = {k: v for k, v in research.items() if v is not None}
    if known and sum(known.values()) < DISTINCTIVE_RESEARCH_ITEMS and strong != "yes":
        parts = []
        if "papers" in known:
            parts.append(plural(known["papers"], "paper"))
        ab = [known[k] for k in ("abstracts", "posters") if k in known]
        if ab:
            parts.append(plural(sum(ab), "abstract or poster", "abstracts or posters"))
        b.add("nothing_distinctive", f"So far you have {' and '.join(parts)}.", "profile")


def _self_review_rules(review: Mapping[str, Any], b: _Builder) -> None:
    for bucket in BUCKETS:
        for tick in _codes(review.get(bucket)):
            if tick in _TICKS:
                code, label = _TICKS[tick]
                b.add(code, f"In your own review you ticked: {label}.", "self_review")


_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+|\s*\n+\s*")


def _quote(sentence: str, start: int, end: int) -> str:
    """The sentence, or a ~160-character window of it around the keyword, verbatim."""
    if len(sentence) <= QUOTE_LIMIT:
        return sentence
    lo = max(0, min(start - QUOTE_LIMIT // 3, len(sentence) - QUOTE_LIMIT))
    hi = lo + QUOTE_LIMIT
    # Snap to word boundaries without cutting into the keyword.
    if lo > 0:
        space = sentence.find(" ", lo)
        if 0 <= space < start:
            lo = space + 1
    if hi < len(sentence):
        space = sentence.rfind(" ", lo, hi)
        if space >= end:
            hi = space
    text = sentence[lo:hi].strip()
    return ("…" if lo > 0 else "") + text + ("…" if hi < len(sentence) else "")


def _sentence_hits(sentence: str) -> list[tuple[_Topic, re.Match[str]]]:
    strong = {t.name: m for t in _TOPICS if t.strong and (m := t.strong_re.search(sentence))}
    hits = [(t, strong[t.name]) for t in _TOPICS if t.name in strong]
    for t in _TOPICS:
        if t.name in strong or t.weak_re is None:
            continue
        m = t.weak_re.search(sentence)
        if m and not any(name != t.name for name in strong):
            hits.append((t, m))
    return hits


def _note_rules(notes: Mapping[str, Any], b: _Builder) -> None:
    for key, text in notes.items():
        prefix = str(key).split("_", 1)[0]
        who = NOTE_SOURCES.get(prefix)
        if who is None or not isinstance(text, str):
            continue
        quoted: set[str] = set()  # one quote per finding per note: its first matching sentence
        for raw in _SENTENCE_SPLIT.split(text):
            sentence = raw.strip()
            if not sentence:
                continue
            for topic, match in _sentence_hits(sentence):
                code = next((c for c in topic.targets if c in b.drafts), topic.create)
                if code in quoted:
                    continue
                quoted.add(code)
                quote = _quote(sentence, match.start(), match.end())
                b.add(code, f'{who[0].upper()}{who[1:]} said: "{quote}"', prefix)


def diagnose(
    profile: Mapping[str, Any] | None,
    self_review: Mapping[str, Any] | None = None,
    notes: Mapping[str, Any] | None = None,
) -> list[Finding]:
    """All findings, one per distinct problem, ranked (see ``rank``).

    The profile's facts come first; the user's own ticks and the feedback notes then join the
    same finding when they point at the same problem, or start their own.
    """
    p = profile if isinstance(profile, Mapping) else {}
    b = _Builder()
    _exam_rules(p, b)
    _red_flag_rules(p, b)
    _strategy_rules(p, b)
    _experience_rules(p, b)
    _self_review_rules(self_review if isinstance(self_review, Mapping) else {}, b)
    _note_rules(notes if isinstance(notes, Mapping) else {}, b)
    return rank(b.findings())


_BUCKET_ORDER = {bucket: i for i, bucket in enumerate(BUCKETS)}


def rank(findings: Iterable[Finding]) -> list[Finding]:
    """Heaviest first; ties by bucket (exams, red flags, strategy, experience); else stable."""
    return sorted(findings, key=lambda f: (-f.weight, _BUCKET_ORDER.get(f.bucket, len(BUCKETS))))


def top_deficits(findings: Iterable[Finding], n: int = 3) -> tuple[list[Finding], list[Finding]]:
    """The top deficits to work on (2, or up to ``n``) and the rest, both ranked.

    The seed asks for the top 2-3. Two always (when there are two); a third (and further, up
    to ``n``) only when its weight is within ``CLOSE_WEIGHT`` of the second's, so a clearly
    smaller problem doesn't dilute the focus.
    """
    ranked = rank(findings)
    take = min(2, n, len(ranked))
    while take < min(n, len(ranked)) and ranked[take].weight >= ranked[1].weight - CLOSE_WEIGHT:
        take += 1
    return ranked[:take], ranked[take:]


# ---------------------------------------------------------------- target advice


@dataclass(frozen=True)
class PivotAdvice:
    """Whether to strongly consider a different specialty, why, and the realistic targets."""

    consider_pivot: bool
    reasons: tuple[str, ...]
    realistic: tuple[str, ...] = REALISTIC_TARGETS


def _research_is_substantial(p: Mapping[str, Any]) -> bool:
    papers = _int(p.get("papers")) or 0
    items = (_int(p.get("abstracts")) or 0) + (_int(p.get("posters")) or 0)
    return papers >= SUBSTANTIAL_PAPERS or items >= SUBSTANTIAL_ABSTRACTS_POSTERS


def pivot_advice(profile: Mapping[str, Any] | None) -> PivotAdvice:
    """The seed's pivot rule, with the reasons in plain words.

    Strongly consider a pivot when (a) Step 2 is under 220 (or the rough COMLEX equivalent, or
    not yet passed) and home support is not strong and last cycle's field is highly
    competitive; or (b) an IMG's Step 2 is under the specialty's typical range and there is no
    substantial research. Rule (b) is not applied to the realistic specialties themselves: for
    them a "pivot" would mean widening (community programs, a backup), not switching.
    Missing answers never trigger a pivot.
    """
    p = profile if isinstance(profile, Mapping) else {}
    specialty = canonical_specialty(p.get("specialty"))
    degree = _str(p.get("degree"))
    s2, c2 = _usmle(p.get("step2")), _comlex(p.get("comlex2"))
    home = _str(p.get("home_support"))
    closing = (
        "Switching is not a verdict on you, and it doesn't close the door for later. But 12 "
        "months is enough to become a strong candidate in a specialty like Internal Medicine or "
        f"Family Medicine, while pushing for {specialty or 'the same field'} with these numbers "
        "would be a long shot this year."
    )

    if not specialty:
        return PivotAdvice(
            False, ("I need the specialty you applied to before weighing a switch.",)
        )

    # Rule (a).
    score_reason = ""
    if s2 is not None and s2 < LOW_STEP2:
        score_reason = f"Your Step 2 score is {s2}, under {LOW_STEP2}."
    elif s2 is None and c2 is not None and c2 < LOW_COMLEX2:
        score_reason = (
            f"Your COMLEX Level 2 score is {c2}, under about {LOW_COMLEX2}, which is roughly "
            f"where a Step 2 of {LOW_STEP2} sits (the comparison is approximate)."
        )
    elif s2 is None and "fail" in (p.get("step2"), p.get("comlex2")):
        score_reason = "Your Step 2 (or Level 2) isn't passed yet."
    if score_reason and home in ("some", "none") and specialty in COMPETITIVE:
        home_reason = (
            "You didn't have backing from your home department, and these fields lean on it."
            if home == "none"
            else "Your home department's support was partial, and these fields lean on "
            "strong backing."
        )
        return PivotAdvice(
            True,
            (
                score_reason,
                f"{specialty} is one of the most competitive specialties: matched applicants "
                "there usually have much higher scores.",
                home_reason,
                closing,
            ),
        )

    # Rule (b).
    bar = typical_step2(specialty)
    img_low = degree == "img" and (
        (s2 is not None and s2 < bar) or (s2 is None and p.get("step2") == "fail")
    )
    if img_low and not _research_is_substantial(p) and specialty not in REALISTIC_SPECIALTIES:
        score = f"Your Step 2 score of {s2}" if s2 is not None else "A Step 2 not yet passed"
        return PivotAdvice(
            True,
            (
                f"{score} is under the roughly {bar} that {specialty} usually expects from "
                "international graduates (a rough guide).",
                "You don't have a substantial research record yet (here: a paper, or three or "
                "more abstracts or posters).",
                closing,
            ),
        )

    # No pivot: say why staying is reasonable, and what to lean on.
    if specialty in REALISTIC_SPECIALTIES:
        reasons = [
            f"{specialty} is one of the specialties a 12-month plan can realistically aim for, "
            "so building on it makes more sense than switching."
        ]
        if degree == "img" and s2 is not None and s2 < bar:
            reasons.append(
                f"Your Step 2 of {s2} is under the roughly {bar} that helps most in {specialty}, "
                "so a community-heavy list, a strong Step 3 and a clear backup matter more than "
                "a switch."
            )
        return PivotAdvice(False, tuple(reasons))
    if s2 is None and c2 is None:
        return PivotAdvice(
            False, ("I need your Step 2 (or COMLEX Level 2) score to weigh a switch properly.",)
        )
    return PivotAdvice(
        False,
        (
            f"The usual signs for switching don't all apply to you, so staying with {specialty} "
            "can be a reasonable choice.",
            "A clear backup track still matters, especially in a competitive field."
            if specialty in COMPETITIVE
            else "A clear backup track still matters.",
        ),
    )


# Backups after the seed's example (IM primary: FM or psych in SOAP, then IM plus those again).
_BACKUPS: dict[str, str] = {
    "Internal Medicine": "Family Medicine or Psychiatry",
    "Family Medicine": "Internal Medicine (community programs) or Psychiatry",
    "Pediatrics": "Family Medicine or a preliminary year",
    "Psychiatry": "Family Medicine or Internal Medicine (community programs)",
    "Neurology": "Internal Medicine (community programs) or a preliminary medicine year",
}


def suggest_backup(primary: str, profile: Mapping[str, Any] | None = None) -> str:
    """A backup strategy in plain words for a primary target, after the seed's example."""
    p = profile if isinstance(profile, Mapping) else {}
    spec = canonical_specialty(primary)
    if spec in _BACKUPS:
        alt = _BACKUPS[spec]
        text = (
            f"{alt} through SOAP if the interviews don't come, and reapplying the year after to "
            f"{spec} plus those, if it comes to that."
        )
    elif spec:
        text = (
            "A parallel application to Internal Medicine (community programs) or Family "
            "Medicine, a transitional or preliminary year through SOAP as a stepping stone, "
            f"and a fresh look at {spec} once this year's work is on paper."
        )
    else:
        text = (
            "Family Medicine or Internal Medicine (community programs) through SOAP if the "
            "interviews don't come, and reapplying more broadly the year after if needed."
        )
    degree = _str(p.get("degree"))
    if degree == "img":
        text += " Favor programs with a history of taking international graduates."
    elif degree == "us_do":
        text += " Favor programs that welcome DO applicants."
    return text
