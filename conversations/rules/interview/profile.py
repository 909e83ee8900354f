"""The profile in words: the target specialty and its names in speech, this year's role, and the
research counts from the stored profile.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from conversations.rules.interview.text import _rx

# ---------------------------------------------------------------- specialties

# Each specialty and the words that name it in speech, synonyms and short forms included.
# Uppercase short forms (IM, FM, EM, ENT) only count in capitals: "im" is usually "I'm".
_SPECIALTY_TERMS: dict[str, tuple[re.Pattern[str], ...]] = {
    "Internal Medicine": _rx(
        r"\binternal\s+medicine\b",
        r"(?-i:\bIM\b)",
        r"(?<!family )(?<!emergency )(?<!nuclear )(?<!sports )(?<!physical )(?<!preventive )"
        r"(?<!lifestyle )\bmedicine\b",
        r"\bhospitalists?\b",
        r"\binternists?\b",
    ),
    "Family Medicine": _rx(
        r"\bfamily\s+(?:medicine|practice|physicians?|doctors?)\b",
        r"(?-i:\bFM\b)",
        r"\bprimary\s+care\b",
    ),
    "Pediatrics": _rx(r"\bpa?ediatric(?:s|ians?)?\b", r"\bpeds\b"),
    "Psychiatry": _rx(r"\bpsychiatr(?:y|ic|ists?)\b", r"\bpsych\b", r"\bmental\s+health\b"),
    "Neurology": _rx(r"\bneurolog(?:y|ic|ical|ists?)\b", r"\bneuro\b"),
    "Emergency Medicine": _rx(
        r"\bemergency\s+(?:medicine|department|room|physicians?)\b",
        r"(?-i:\b(?:EM|ED|ER)\b)",
    ),
    "General Surgery": _rx(r"\b(?:general\s+)?surg(?:ery|ical|eons?)\b"),
    "OB/GYN": _rx(
        r"\bob[/-]?gyn\b",
        r"\bobstetric(?:s|al)?\b",
        r"\bgyn(?:a)?ecolog(?:y|ical)\b",
        r"\bwomen's\s+health\b",
    ),
    "Anesthesiology": _rx(r"\ban(?:a)?esthes(?:ia|iology|iologists?)\b"),
    "Radiology": _rx(r"\bradiolog(?:y|ists?)\b", r"\brads\b"),
    "Dermatology": _rx(r"\bdermatolog(?:y|ists?)\b", r"\bderm\b"),
    "Orthopaedic Surgery": _rx(r"\borthopa?edic(?:s|\s+surgery)?\b", r"\bortho\b"),
    "ENT": _rx(r"(?-i:\bENT\b)", r"\botolaryngolog(?:y|ists?)\b"),
    "Ophthalmology": _rx(r"\bophthalmolog(?:y|ists?)\b", r"\bophtho\b"),
    "Neurosurgery": _rx(r"\bneurosurg(?:ery|ical|eons?)\b"),
    "Plastic Surgery": _rx(r"\bplastic\s+surgery\b", r"\bplastics\b"),
}
_SPECIALTY_ALIASES = {
    "im": "Internal Medicine",
    "medicine": "Internal Medicine",
    "fm": "Family Medicine",
    "family": "Family Medicine",
    "em": "Emergency Medicine",
    "surgery": "General Surgery",
    "gen surg": "General Surgery",
    "gas": "Anesthesiology",
    "nsgy": "Neurosurgery",
}


def _canonical(specialty: str | None) -> str:
    """The specialty's standard name ("psych" -> "Psychiatry"; "IM (community...)" -> IM)."""
    if not isinstance(specialty, str):
        return ""
    cleaned = " ".join(re.sub(r"\(.*?\)", " ", specialty).split()).strip(" .")
    key = cleaned.lower()
    if key in _SPECIALTY_ALIASES:
        return _SPECIALTY_ALIASES[key]
    for name, terms in _SPECIALTY_TERMS.items():
        if key == name.lower() or any(t.fullmatch(cleaned) for t in terms):
            return name
    for name, terms in _SPECIALTY_TERMS.items():
        if any(t.search(cleaned) for t in terms):
            return name
    return cleaned


def _target_name(specialty: str | None, profile: Mapping[str, Any] | None) -> str:
    """The target specialty: the one given, else the profile's, in its standard name."""
    return _canonical(specialty) or _canonical((profile or {}).get("specialty"))


def _specialty_terms(name: str) -> tuple[re.Pattern[str], ...]:
    if name in _SPECIALTY_TERMS:
        return _SPECIALTY_TERMS[name]
    if not name:
        # No target stored: any specialty named counts.
        return tuple(t for terms in _SPECIALTY_TERMS.values() for t in terms)
    # An unlisted specialty (urology, a prelim year...): its name, or its longer words.
    words = [w for w in re.findall(r"[A-Za-z]{4,}", name) if w.lower() not in {"year", "programs"}]
    return _rx(re.escape(name), *(rf"\b{re.escape(w)}\w*" for w in words))


# ---------------------------------------------------------------- the profile in words

ROLE_WORDS: Mapping[str, str] = MappingProxyType(
    {
        "research": "a full-time research position",
        "crc": "a clinical research coordinator job",
        "usce": "US clinical work as a [fellow / extern / observer]",
        "scribe": "a scribe job alongside attendings",
        "non_medical": "a job outside medicine, alongside [the research, clinical work or exam "
        "study you paired it with]",
    }
)
# What someone is doing this year, said casually (for "So where did you match?").
_DOING_WORDS = {
    "research": "doing research",
    "crc": "working as a clinical research coordinator",
    "usce": "getting US clinical experience",
    "scribe": "working as a scribe",
    "non_medical": "working",
}
BLANK_ROLE = "[your role this year, by its title]"
BLANK_RESULTS = "[what you achieved: a number, a named project]"
BLANK_SPECIALTY = "[your target specialty]"
BLANK_DOING = "[what you're doing this year, in a few words]"


def _role_kind(role: Mapping[str, Any] | None) -> str:
    kind = str((role or {}).get("kind") or "")
    return kind if kind in ROLE_WORDS else ""


def _count(profile: Mapping[str, Any], key: str) -> int:
    value = profile.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def _research_counts(profile: Mapping[str, Any] | None) -> str:
    """ "2 abstracts, 1 poster and 1 paper" from the profile, or "" when it holds none."""
    p = profile or {}
    parts = []
    for key, one in (("abstracts", "abstract"), ("posters", "poster"), ("papers", "paper")):
        n = _count(p, key)
        if n:
            parts.append(f"{n} {one if n == 1 else key}")
    if len(parts) > 1:
        return ", ".join(parts[:-1]) + " and " + parts[-1]
    return parts[0] if parts else ""
