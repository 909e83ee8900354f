"""Specialty names: the known list, the ways people type them, and one matcher.

``match_specialty`` reads what a tired person types ("internal med", "IM", "peds", "gen surg",
"pediatircs") as the name the coach knows, or None when nothing matches well enough: then
the caller keeps the free text as typed. The order is exact names and abbreviations, then
word fragments ("Orthopedic surgery residency"), then every word the start of a name's
words ("fam med"), then a near spelling (one or two typos, with a clear lead over the next
name) by RapidFuzz's Damerau-Levenshtein similarity.
"""

from __future__ import annotations

import re
from typing import Any

from rapidfuzz.distance import DamerauLevenshtein

from conversations.rules.parsing import label_key

# The names the coach knows, in the onboarding spelling. The first sixteen are the buttons;
# the rest are matched when typed, so "Urology" is never read as a misspelt "Neurology".
KNOWN: tuple[str, ...] = (
    "Internal Medicine",
    "Family Medicine",
    "Pediatrics",
    "Psychiatry",
    "Neurology",
    "Emergency Medicine",
    "General Surgery",
    "OB/GYN",
    "Anesthesiology",
    "Radiology",
    "Dermatology",
    "Orthopaedic Surgery",
    "ENT",
    "Ophthalmology",
    "Neurosurgery",
    "Plastic Surgery",
    "Urology",
    "Interventional Radiology",
    "Vascular Surgery",
    "Thoracic Surgery",
    "Radiation Oncology",
    "Pathology",
    "Physical Medicine and Rehabilitation",
    "Internal Medicine-Pediatrics",
    "Preventive Medicine",
    "Nuclear Medicine",
    "Medical Genetics",
    "Transitional Year",
    "Preliminary Year",
)

# Canonical names use the onboarding spelling, so a stored "ENT" stays "ENT".
_ALIASES: dict[str, str] = {
    "im": "Internal Medicine",
    "medicine": "Internal Medicine",
    "internal medicine": "Internal Medicine",
    "categorical internal medicine": "Internal Medicine",
    "fm": "Family Medicine",
    "family": "Family Medicine",
    "family medicine": "Family Medicine",
    "peds": "Pediatrics",
    "pediatrics": "Pediatrics",
    "paediatrics": "Pediatrics",
    "psych": "Psychiatry",
    "psychiatry": "Psychiatry",
    "neuro": "Neurology",
    "neurology": "Neurology",
    "em": "Emergency Medicine",
    "emergency medicine": "Emergency Medicine",
    "surgery": "General Surgery",
    "gen surg": "General Surgery",
    "general surgery": "General Surgery",
    "obgyn": "OB/GYN",
    "ob/gyn": "OB/GYN",
    "ob-gyn": "OB/GYN",
    "ob gyn": "OB/GYN",
    "gas": "Anesthesiology",
    "anesthesia": "Anesthesiology",
    "anesthesiology": "Anesthesiology",
    "rads": "Radiology",
    "radiology": "Radiology",
    "diagnostic radiology": "Radiology",
    "derm": "Dermatology",
    "dermatology": "Dermatology",
    "ortho": "Orthopaedic Surgery",
    "orthopedics": "Orthopaedic Surgery",
    "orthopaedics": "Orthopaedic Surgery",
    "ent": "ENT",
    "otolaryngology": "ENT",
    "ophtho": "Ophthalmology",
    "ophthalmology": "Ophthalmology",
    "nsgy": "Neurosurgery",
    "neurosurgery": "Neurosurgery",
    "neurological surgery": "Neurosurgery",
    "plastics": "Plastic Surgery",
    "plastic surgery": "Plastic Surgery",
    "uro": "Urology",
    "urology": "Urology",
    "ir": "Interventional Radiology",
    "interventional radiology": "Interventional Radiology",
    "vascular": "Vascular Surgery",
    "vascular surgery": "Vascular Surgery",
    "thoracic surgery": "Thoracic Surgery",
    "cardiothoracic surgery": "Thoracic Surgery",
    "rad onc": "Radiation Oncology",
    "radiation oncology": "Radiation Oncology",
    "transitional year": "Transitional Year",
    "ty": "Transitional Year",
    "prelim": "Preliminary Year",
    "preliminary year": "Preliminary Year",
    "path": "Pathology",
    "pm r": "Physical Medicine and Rehabilitation",
    "pmr": "Physical Medicine and Rehabilitation",
    "pm and r": "Physical Medicine and Rehabilitation",
    "pmnr": "Physical Medicine and Rehabilitation",
    "physiatry": "Physical Medicine and Rehabilitation",
    "rehab": "Physical Medicine and Rehabilitation",
    "med peds": "Internal Medicine-Pediatrics",
    "medpeds": "Internal Medicine-Pediatrics",
    "im peds": "Internal Medicine-Pediatrics",
    "ob": "OB/GYN",
    "gyn": "OB/GYN",
    "obg": "OB/GYN",
    "emergency": "Emergency Medicine",
    "gs": "General Surgery",
    "neuro surg": "Neurosurgery",
    "optho": "Ophthalmology",
}

# Fragments for free text ("Orthopedic surgery residency", "Otolaryngology - HNS"), matched at
# the start of a word (so "neurology" is not "urology") and in order: the surgical subspecialties
# before the broad words they contain ("neuro", "surgery").
_FRAGMENTS: tuple[tuple[str, str], ...] = (
    ("internal medicine pediatric", "Internal Medicine-Pediatrics"),
    ("medicine pediatric", "Internal Medicine-Pediatrics"),
    ("physical medicine", "Physical Medicine and Rehabilitation"),
    ("neurosurg", "Neurosurgery"),
    ("neuro surg", "Neurosurgery"),
    ("neurological surg", "Neurosurgery"),
    ("dermatol", "Dermatology"),
    ("orthop", "Orthopaedic Surgery"),
    ("otolaryng", "ENT"),
    ("ear, nose", "ENT"),
    ("ophthalm", "Ophthalmology"),
    ("plastic", "Plastic Surgery"),
    ("urolog", "Urology"),
    ("interventional rad", "Interventional Radiology"),
    ("vascular", "Vascular Surgery"),
    ("thoracic", "Thoracic Surgery"),
    ("radiation onc", "Radiation Oncology"),
    ("internal med", "Internal Medicine"),
    ("family med", "Family Medicine"),
    ("pediatric", "Pediatrics"),
    ("paediatric", "Pediatrics"),
    ("psychiat", "Psychiatry"),
    ("neurolog", "Neurology"),
    ("emergency", "Emergency Medicine"),
    ("anesth", "Anesthesiology"),
    ("obstet", "OB/GYN"),
    ("gynec", "OB/GYN"),
    ("radiolog", "Radiology"),
    ("general surg", "General Surgery"),
)


def _table() -> dict[str, str]:
    """Every exact spelling (as ``label_key`` reads it) and the name it means."""
    table = {label_key(name): name for name in KNOWN}
    table.update({label_key(alias): name for alias, name in _ALIASES.items()})
    return table


_EXACT = _table()
_FRAGMENT_RES = tuple(
    (re.compile(r"\b" + re.escape(label_key(fragment))), name) for fragment, name in _FRAGMENTS
)
# What a typo is measured against: the names and the longer spellings (a typo of "em" or
# "ent" is just another short word).
_SPELLINGS = tuple((key, name) for key, name in _EXACT.items() if len(key) >= 5)
NEAR_ENOUGH = 0.8  # one typo in five letters, two in ten
CLEAR_LEAD = 0.08


def _by_word_starts(key: str) -> str | None:
    """ "fam med", "gen surg", "emerg med", "derma": every typed word starts the name's word
    in the same place (a single word needs four letters). None unless one name fits."""
    words = key.split()
    if len(words) == 1 and len(words[0]) < 4:
        return None
    found = {
        name
        for spelling, name in _EXACT.items()
        if len(spelling.split()) == len(words)
        and all(w.startswith(t) for t, w in zip(words, spelling.split(), strict=True))
    }
    return found.pop() if len(found) == 1 else None


def _by_near_spelling(key: str) -> str | None:
    best: dict[str, float] = {}
    for spelling, name in _SPELLINGS:
        score = DamerauLevenshtein.normalized_similarity(key, spelling)
        best[name] = max(score, best.get(name, 0.0))
    ranked = sorted(best.items(), key=lambda item: item[1], reverse=True)
    if not ranked or ranked[0][1] < NEAR_ENOUGH:
        return None
    if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < CLEAR_LEAD:
        return None  # two names about as near: typing could have meant either
    return ranked[0][0]


def match_specialty(text: Any) -> str | None:
    """The known name ``text`` means ("internal med" -> "Internal Medicine"), or None."""
    if not isinstance(text, str):
        return None
    key = label_key(text.replace("&", " and "))
    if not key:
        return None
    if key in _EXACT:
        return _EXACT[key]
    for pattern, name in _FRAGMENT_RES:
        if pattern.search(key):
            return name
    return _by_word_starts(key) or _by_near_spelling(key)


def canonical_specialty(text: Any) -> str:
    """The known name for a specialty typed any way ("ortho" -> "Orthopaedic Surgery").

    Unknown text comes back stripped but otherwise unchanged; anything not a string gives "".
    """
    if not isinstance(text, str):
        return ""
    return match_specialty(text) or " ".join(text.split())
