"""Parse and validate answers typed on a phone.

Every parser takes the user's raw text and returns a value or raises
:class:`Invalid`, whose ``reason`` is a short, kind sentence the bot can send back.
"""

from __future__ import annotations

import calendar
import difflib
import functools
import re
import unicodedata
from collections.abc import Iterator, Sequence
from datetime import MAXYEAR, MINYEAR, UTC, date, datetime, time, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from rapidfuzz.distance import DamerauLevenshtein

from conversations.rules.clock import show_time

__all__ = [
    "Invalid",
    "closest_word",
    "describe_zone",
    "label_key",
    "match_label",
    "normalize_free_text",
    "parse_clock_time",
    "parse_comlex_score",
    "parse_count",
    "parse_date",
    "parse_timezone",
    "parse_usmle_score",
    "parse_weekday",
    "stored_day",
    "zone_for",
]


class Invalid(ValueError):
    """The answer could not be used; ``reason`` says why and what works."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason: str = reason


# --------------------------------------------------------------------------- shared helpers

_WORD_NUMBERS: dict[str, int] = {
    "zero": 0,
    "none": 0,
    "nil": 0,
    "no": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
}


def _squash(text: str) -> str:
    """Casefold, trim and collapse whitespace (phones add odd spaces, e.g. U+202F)."""
    return " ".join(text.split()).casefold()


def _strip_end_punct(text: str) -> str:
    # Phone keyboards auto-insert a period after a double space; it is never meaningful here.
    return text.rstrip(".!?;,")


# --------------------------------------------------------------------------- button labels

# What a tired thumb types for the "Yes, ..." and "No, ..." buttons. Kept narrow on purpose:
# "ok" or "right" may only acknowledge, and one of these buttons erases everything.
YES_WORDS = frozenset({"y", "yes", "yeah", "yea", "yep", "yup", "ya", "yes please", "sure"})
NO_WORDS = frozenset({"n", "no", "nope", "nah", "no thanks", "no thank you"})
# A button that answers yes or no: "Yes", "No, keep my data", "Yes, that's right" (but not
# "No letter from an internist", whose "No" is not an answer).
_YES_NO_LABEL_RE = re.compile(r"\W*(yes|no)\s*(?:[,.:;!—–-]|$)", re.IGNORECASE)


def label_key(text: str) -> str:
    """A label or a typed answer as the two are compared: case, punctuation, emoji and ticks
    ignored ("This is right ✓" and "this is right" are one key, "OB/GYN" and "ob gyn" too).

    Apostrophes vanish ("that's" is "thats"); every other mark is a space, so "8:00" stays
    "8 00" and never meets "800".
    """
    out: list[str] = []
    for ch in unicodedata.normalize("NFKC", text).casefold():
        if ch in "'’‘`":
            continue
        out.append(ch if unicodedata.category(ch)[0] in "LN" else " ")
    return " ".join("".join(out).split())


def match_label(typed: str, labels: Sequence[str]) -> int | None:
    """The index of the label ``typed`` names, or None.

    The same label (as :func:`label_key` reads it) first, the last one when a label is shown
    twice; then "y", "yep", "nope"... for the one yes or no button among them.
    """
    key = label_key(typed)
    if not key:
        return None
    same = [i for i, label in enumerate(labels) if label_key(label) == key]
    if same:
        return same[-1]
    word = "yes" if key in YES_WORDS else "no" if key in NO_WORDS else None
    if word is None:
        return None
    answering = [
        i
        for i, label in enumerate(labels)
        if (m := _YES_NO_LABEL_RE.match(label)) is not None and m[1].lower() == word
    ]
    if len({label_key(labels[i]) for i in answering}) != 1:
        return None  # none, or two different ones: typing cannot tell which
    return answering[-1]


def closest_word(word: str, known: Sequence[str]) -> str | None:
    """The one word of ``known`` that ``word`` nearly is: a typo or two away ("chekin",
    "hlep", "setings": one for short words) or the start of only one of them ("remind"),
    else None. A word that is already known is not "close" to itself."""
    word = word.casefold()
    if not word or word in known:
        return None
    allowed = 1 if len(word) <= 4 else 2
    distances = {k: DamerauLevenshtein.distance(word, k) for k in known}
    best = min(distances.values(), default=allowed + 1)
    nearest = [k for k, d in distances.items() if d == best]
    if best <= allowed and len(nearest) == 1:
        return nearest[0]
    starting = [k for k in known if len(word) >= 3 and k.startswith(word)]
    return starting[0] if len(starting) == 1 else None


# --------------------------------------------------------------------------- counts and scores

_HEDGE = r"(?:about|around|approximately|approx\.?|roughly|maybe|nearly|almost|~|≈)"
_COUNT_RE = re.compile(
    rf"(?:{_HEDGE}\s*)?"
    r"(?P<num>\d{1,3}(?:,\d{3})+|\d+|[a-z]+)"
    r"(?:\s*ish)?"
    # Trailing words like "programs" or "so far" are fine; more digits ("12 or 13") are not.
    r"(?:\s+(?P<rest>[^\d.,+\-]*))?"
)


_NUMBER_WORDS = frozenset(_WORD_NUMBERS).difference({"no"}) | {
    "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred", "thousand",
    "half", "quarter", "dozen",
}  # fmt: skip


def parse_count(text: str, *, low: int, high: int, what: str) -> int:
    """A whole number in [low, high], e.g. "12", "about 45", "~45", "none", "twelve".

    ``what`` names what is counted, for the reason: "programs" or "number of programs".
    """
    example = low if high - low < 4 else low + (high - low) // 4
    counted = what if what.startswith("number of ") else f"number of {what}"
    reason = f"Please send the {counted} as a whole number from {low} to {high}, like {example}."
    match = _COUNT_RE.fullmatch(_strip_end_punct(_squash(text)))
    if match is None:
        raise Invalid(reason)
    raw = match["num"]
    if raw.isalpha():
        # "no" alone is zero, but "no idea" is not an answer.
        if raw not in _WORD_NUMBERS or (raw == "no" and match["rest"]):
            raise Invalid(reason)
        value = _WORD_NUMBERS[raw]
    else:
        value = int(raw.replace(",", ""))
    # "twenty one", "12 and a half", "one or two": the trailing words change the number.
    if match["rest"] and not _NUMBER_WORDS.isdisjoint(re.findall(r"[a-z]+", match["rest"])):
        raise Invalid(reason)
    if not low <= value <= high:
        raise Invalid(reason)
    return value


def _plain_int(text: str) -> int | None:
    cleaned = _strip_end_punct(_squash(text))
    return int(cleaned) if cleaned.isdecimal() else None


def _looks_pass_fail(text: str) -> bool:
    return _squash(text).strip(".!") in {"pass", "passed", "p", "fail", "failed", "f"}


def _exam_score(text: str, low: int, high: int, reason: str) -> int:
    value = _plain_int(text)
    if value is None and _looks_pass_fail(text):
        raise Invalid(
            "That exam is reported as pass/fail, so there's no number to enter. " + reason
        )
    if value is None or not low <= value <= high:
        raise Invalid(reason)
    return value


def parse_usmle_score(text: str) -> int:
    """A USMLE three-digit score: a whole number from 1 to 300."""
    return _exam_score(text, 1, 300, "A USMLE score is a whole number from 1 to 300, like 231.")


def parse_comlex_score(text: str) -> int:
    """A COMLEX score: three digits, from 100 to 999."""
    reason = "A COMLEX score is a 3-digit number from 100 to 999, like 520."
    return _exam_score(text, 100, 999, reason)


# --------------------------------------------------------------------------- clock time

_TIME_EXAMPLES = "Try something like 7am, 7:30 pm or 19:30."
_TIME_RE = re.compile(
    r"(?P<h>\d{1,2})(?:\s*[:.h]\s*(?P<m>\d+)|\s+(?P<m_space>\d{2}))?\s*(?P<ap>am|pm|a|p)?"
)
# "1930", "0700", "730pm": phone users often skip the colon (it's on a second keyboard page).
_COMPACT_TIME_RE = re.compile(r"(?P<h>\d{1,2})(?P<m>\d{2})\s*(?P<ap>am|pm|a|p)?")


def parse_clock_time(text: str) -> time:
    """A time of day: "7am", "7:30 pm", "7.30pm", "19:30", "1930", "7" (07:00), "noon"."""
    s = _squash(text)
    s = re.sub(r"([ap])\.\s*m\.?$", r"\1m", s)  # "7 p.m." -> "7 pm"
    s = _strip_end_punct(s)
    s = re.sub(r"\s*o['’]?clock\b", "", s).strip()
    if s in {"noon", "midday", "12 noon"}:
        return time(12, 0)
    if s in {"midnight", "12 midnight"}:
        return time(0, 0)

    match = _TIME_RE.fullmatch(s) or _COMPACT_TIME_RE.fullmatch(s)
    if match is None:
        raise Invalid(f"I couldn't read that as a time. {_TIME_EXAMPLES}")
    groups = match.groupdict()
    hour = int(match["h"])
    minutes_raw = groups.get("m") or groups.get("m_space") or "00"
    ampm = match["ap"]

    # One-digit minutes ("7:5") could mean 7:05 or 7:50, so ask rather than guess.
    if len(minutes_raw) != 2 or int(minutes_raw) > 59:
        raise Invalid(f"Minutes go from 00 to 59, written with two digits. {_TIME_EXAMPLES}")
    minute = int(minutes_raw)

    if ampm:
        if not 1 <= hour <= 12:
            raise Invalid(
                "With am or pm the hour goes from 1 to 12 (for example 1pm), "
                "or use the 24-hour clock (13:00)."
            )
        hour %= 12
        if ampm.startswith("p"):
            hour += 12
    elif hour > 23:
        raise Invalid(f"The hour goes from 0 to 23 (or 1 to 12 with am/pm). {_TIME_EXAMPLES}")
    return time(hour, minute)


# --------------------------------------------------------------------------- time zones

# Places people type that are not (the last part of) an IANA key. Keys are written for
# humans (they double as "did you mean" suggestions) and normalized at import time.
# Multi-zone countries map to their most populous zone; describe_zone shows the result so
# the user can correct it.
_ZONE_ALIASES: dict[str, str] = {
    # US zone words and abbreviations
    **dict.fromkeys(
        ["Eastern", "US Eastern", "ET", "EST", "EDT"],
        "America/New_York",
    ),
    **dict.fromkeys(["Central", "US Central", "CT", "CST", "CDT"], "America/Chicago"),
    # MST is used in both Denver (with DST) and Arizona (without); Denver is the usual meaning.
    **dict.fromkeys(["Mountain", "US Mountain", "MT", "MST", "MDT"], "America/Denver"),
    **dict.fromkeys(["Arizona", "AZ"], "America/Phoenix"),
    **dict.fromkeys(["Pacific", "US Pacific", "PT", "PST", "PDT"], "America/Los_Angeles"),
    **dict.fromkeys(["Alaska", "AKST", "AKDT"], "America/Anchorage"),
    **dict.fromkeys(["Hawaii", "HST"], "Pacific/Honolulu"),
    # US Eastern
    **dict.fromkeys(
        [
            "Boston", "Philadelphia", "Philly", "Washington DC", "Washington D.C.", "DC",
            "District of Columbia", "Atlanta", "Miami", "Orlando", "Tampa", "Jacksonville",
            "Fort Lauderdale", "Tallahassee", "Gainesville", "Baltimore", "Pittsburgh",
            "Cleveland", "Columbus", "Cincinnati", "Dayton", "Toledo", "Akron", "Charlotte",
            "Raleigh", "Durham", "Chapel Hill", "Greensboro", "Richmond", "Norfolk",
            "Charleston", "Savannah", "Newark", "Jersey City", "Paterson", "Camden",
            "Brooklyn", "Queens", "Bronx", "The Bronx", "Staten Island", "Manhattan", "NYC",
            "New York City", "Long Island", "Buffalo", "Albany", "Syracuse", "Hartford",
            "New Haven", "Providence", "Worcester", "Portland Maine", "Portland ME", "Knoxville",
            "Grand Rapids", "Ann Arbor", "Lansing", "Wilmington",
            "New Jersey", "Pennsylvania", "Massachusetts", "Connecticut", "Rhode Island",
            "Maryland", "Delaware", "Virginia", "West Virginia", "North Carolina",
            "South Carolina", "Florida", "Ohio", "Michigan", "Maine", "Vermont",
            "New Hampshire", "Georgia USA", "Georgia US",
        ],
        "America/New_York",
    ),
    **dict.fromkeys(["Indianapolis", "Indiana"], "America/Indiana/Indianapolis"),
    # US Central
    **dict.fromkeys(
        [
            "Dallas", "Fort Worth", "Houston", "Austin", "San Antonio", "Galveston", "Lubbock",
            "Corpus Christi", "McAllen", "Minneapolis", "St. Paul", "St. Louis", "Kansas City",
            "Milwaukee", "Madison", "New Orleans", "Baton Rouge", "Oklahoma City", "Tulsa",
            "Memphis", "Nashville", "Little Rock", "Omaha", "Des Moines", "Wichita", "Peoria",
            "Mobile", "Huntsville", "Sioux Falls", "Fargo", "Texas", "Illinois", "Minnesota",
            "Wisconsin", "Missouri", "Louisiana", "Oklahoma", "Iowa", "Arkansas", "Alabama",
            "Mississippi", "Kansas", "Nebraska",
        ],
        "America/Chicago",
    ),
    # US Mountain (El Paso is in Texas but on Mountain time)
    **dict.fromkeys(
        [
            "Salt Lake City", "SLC", "Albuquerque", "El Paso", "Colorado Springs", "Billings",
            "Colorado", "Utah", "New Mexico", "Montana", "Wyoming",
        ],
        "America/Denver",
    ),
    **dict.fromkeys(["Tucson", "Scottsdale", "Mesa", "Tempe"], "America/Phoenix"),
    # US Pacific (Portland alone means Oregon; "Portland Maine" is above)
    **dict.fromkeys(
        [
            "Seattle", "Tacoma", "Spokane", "Portland", "Portland Oregon", "San Francisco", "SF",
            "Bay Area", "Oakland", "San Jose", "Palo Alto", "Sacramento", "San Diego", "Fresno",
            "Long Beach", "Irvine", "Loma Linda", "Mountain View", "Las Vegas", "Reno",
            "California",
            "Washington State", "Oregon", "Nevada",
        ],
        "America/Los_Angeles",
    ),
    **dict.fromkeys(["San Juan"], "America/Puerto_Rico"),
    # South Asia
    **dict.fromkeys(
        [
            "India", "Mumbai", "Bombay", "Delhi", "New Delhi", "Bangalore", "Bengaluru",
            "Chennai", "Madras", "Calcutta", "Pune", "Ahmedabad", "Jaipur", "Lucknow",
            "Chandigarh", "Kochi", "Cochin", "Kerala", "Amritsar", "Patna", "Bhopal", "Indore",
            "Nagpur", "Goa", "Manipal", "Vellore", "Mangalore", "Surat", "IST India",
        ],
        "Asia/Kolkata",
    ),
    **dict.fromkeys(
        [
            "Pakistan", "Lahore", "Islamabad", "Rawalpindi", "Peshawar", "Faisalabad", "Multan",
            "Quetta", "PKT",
        ],
        "Asia/Karachi",
    ),
    **dict.fromkeys(["Bangladesh", "Chittagong", "Chattogram", "Sylhet"], "Asia/Dhaka"),
    **dict.fromkeys(["Nepal", "Pokhara", "NPT"], "Asia/Kathmandu"),
    **dict.fromkeys(["Sri Lanka"], "Asia/Colombo"),
    **dict.fromkeys(["Afghanistan"], "Asia/Kabul"),
    # Africa
    **dict.fromkeys(
        [
            "Nigeria", "Abuja", "Ibadan", "Port Harcourt", "Kano", "Enugu", "Benin City",
            "Ilorin", "Calabar", "WAT",
        ],
        "Africa/Lagos",
    ),
    **dict.fromkeys(["Egypt", "Alexandria", "Giza", "Mansoura"], "Africa/Cairo"),
    **dict.fromkeys(["Ghana"], "Africa/Accra"),
    **dict.fromkeys(["Kenya", "EAT"], "Africa/Nairobi"),
    **dict.fromkeys(["Ethiopia"], "Africa/Addis_Ababa"),
    **dict.fromkeys(["South Africa", "Cape Town", "SAST"], "Africa/Johannesburg"),
    **dict.fromkeys(["Cameroon", "Yaounde"], "Africa/Douala"),
    **dict.fromkeys(["Sudan"], "Africa/Khartoum"),
    **dict.fromkeys(["Morocco", "Rabat"], "Africa/Casablanca"),
    **dict.fromkeys(["Tunisia"], "Africa/Tunis"),
    **dict.fromkeys(["Algeria"], "Africa/Algiers"),
    **dict.fromkeys(["Libya"], "Africa/Tripoli"),
    **dict.fromkeys(["Uganda"], "Africa/Kampala"),
    **dict.fromkeys(["Tanzania"], "Africa/Dar_es_Salaam"),
    **dict.fromkeys(["Zimbabwe"], "Africa/Harare"),
    **dict.fromkeys(["Zambia"], "Africa/Lusaka"),
    **dict.fromkeys(["Somalia"], "Africa/Mogadishu"),
    **dict.fromkeys(["Senegal"], "Africa/Dakar"),
    **dict.fromkeys(["Rwanda"], "Africa/Kigali"),
    # Middle East
    **dict.fromkeys(["Iran", "Mashhad", "Isfahan", "Shiraz", "Tabriz", "IRST"], "Asia/Tehran"),
    **dict.fromkeys(["Jordan", "Irbid"], "Asia/Amman"),
    **dict.fromkeys(["Lebanon"], "Asia/Beirut"),
    **dict.fromkeys(["Syria", "Aleppo", "Homs"], "Asia/Damascus"),
    **dict.fromkeys(
        [
            "Saudi Arabia", "Saudi", "KSA", "Jeddah", "Mecca", "Makkah", "Medina", "Madinah",
            "Dammam", "Khobar",
        ],
        "Asia/Riyadh",
    ),
    **dict.fromkeys(
        ["UAE", "United Arab Emirates", "Emirates", "Abu Dhabi", "Sharjah", "Al Ain", "GST"],
        "Asia/Dubai",
    ),
    **dict.fromkeys(["Iraq", "Erbil", "Basra", "Mosul"], "Asia/Baghdad"),
    **dict.fromkeys(["Qatar", "Doha"], "Asia/Qatar"),
    **dict.fromkeys(["Oman"], "Asia/Muscat"),
    **dict.fromkeys(["Yemen", "Sanaa"], "Asia/Aden"),
    **dict.fromkeys(["Palestine", "West Bank", "Ramallah", "Nablus"], "Asia/Hebron"),
    **dict.fromkeys(["Israel", "Tel Aviv", "Haifa"], "Asia/Jerusalem"),
    **dict.fromkeys(["Turkey", "Türkiye", "Ankara", "Izmir"], "Europe/Istanbul"),
    # East and Southeast Asia, Oceania
    **dict.fromkeys(
        ["Philippines", "Cebu", "Quezon City", "Davao", "Iloilo", "PHT"], "Asia/Manila"
    ),
    **dict.fromkeys(["China", "Beijing", "Guangzhou", "Shenzhen", "Wuhan"], "Asia/Shanghai"),
    **dict.fromkeys(["Taiwan"], "Asia/Taipei"),
    **dict.fromkeys(["Korea", "South Korea", "KST"], "Asia/Seoul"),
    **dict.fromkeys(["Japan", "Osaka", "Kyoto", "JST"], "Asia/Tokyo"),
    **dict.fromkeys(["Vietnam", "Hanoi", "Ho Chi Minh City", "Saigon"], "Asia/Ho_Chi_Minh"),
    **dict.fromkeys(["Thailand"], "Asia/Bangkok"),
    **dict.fromkeys(["Malaysia"], "Asia/Kuala_Lumpur"),
    **dict.fromkeys(["Indonesia"], "Asia/Jakarta"),
    **dict.fromkeys(["Myanmar", "Burma"], "Asia/Yangon"),
    **dict.fromkeys(["Australia", "AEST", "AEDT", "Canberra"], "Australia/Sydney"),
    **dict.fromkeys(["New Zealand", "Wellington"], "Pacific/Auckland"),
    # Europe
    **dict.fromkeys(
        [
            "UK", "United Kingdom", "England", "Britain", "Great Britain", "Scotland", "Wales",
            "Northern Ireland", "Manchester", "Glasgow", "Edinburgh", "Liverpool", "Leeds",
            "Cardiff",
        ],
        "Europe/London",
    ),
    **dict.fromkeys(["Ireland"], "Europe/Dublin"),
    **dict.fromkeys(
        ["Germany", "Munich", "Frankfurt", "Hamburg", "Central European", "CET", "CEST"],
        "Europe/Berlin",
    ),
    **dict.fromkeys(["France"], "Europe/Paris"),
    **dict.fromkeys(["Italy", "Milan"], "Europe/Rome"),
    **dict.fromkeys(["Spain", "Barcelona"], "Europe/Madrid"),
    **dict.fromkeys(["Portugal"], "Europe/Lisbon"),
    **dict.fromkeys(["Netherlands"], "Europe/Amsterdam"),
    **dict.fromkeys(["Belgium"], "Europe/Brussels"),
    **dict.fromkeys(["Switzerland"], "Europe/Zurich"),
    **dict.fromkeys(["Austria"], "Europe/Vienna"),
    **dict.fromkeys(["Poland", "Krakow"], "Europe/Warsaw"),
    **dict.fromkeys(["Romania"], "Europe/Bucharest"),
    **dict.fromkeys(["Hungary"], "Europe/Budapest"),
    **dict.fromkeys(["Czech Republic", "Czechia"], "Europe/Prague"),
    **dict.fromkeys(["Greece"], "Europe/Athens"),
    **dict.fromkeys(["Serbia"], "Europe/Belgrade"),
    **dict.fromkeys(["Bulgaria"], "Europe/Sofia"),
    **dict.fromkeys(["Sweden"], "Europe/Stockholm"),
    **dict.fromkeys(["Norway"], "Europe/Oslo"),
    **dict.fromkeys(["Denmark"], "Europe/Copenhagen"),
    **dict.fromkeys(["Finland"], "Europe/Helsinki"),
    **dict.fromkeys(
        ["Ukraine", "Kharkiv", "Lviv", "Odesa", "Odessa", "Dnipro"], "Europe/Kyiv"
    ),
    **dict.fromkeys(
        ["Russia", "St. Petersburg", "Saint Petersburg", "MSK"], "Europe/Moscow"
    ),
    **dict.fromkeys(["Belarus"], "Europe/Minsk"),
    **dict.fromkeys(["Moldova"], "Europe/Chisinau"),
    **dict.fromkeys(["Armenia"], "Asia/Yerevan"),
    **dict.fromkeys(["Azerbaijan"], "Asia/Baku"),
    **dict.fromkeys(["Uzbekistan"], "Asia/Tashkent"),
    **dict.fromkeys(["Kazakhstan"], "Asia/Almaty"),
    # Canada
    **dict.fromkeys(
        ["Canada", "Montreal", "Ottawa", "Mississauga", "Quebec", "Ontario"],
        "America/Toronto",
    ),
    **dict.fromkeys(["British Columbia"], "America/Vancouver"),
    **dict.fromkeys(["Calgary", "Alberta"], "America/Edmonton"),
    **dict.fromkeys(["Manitoba"], "America/Winnipeg"),
    **dict.fromkeys(["Saskatchewan"], "America/Regina"),
    **dict.fromkeys(["Nova Scotia"], "America/Halifax"),
    **dict.fromkeys(["Newfoundland"], "America/St_Johns"),
    # Latin America
    **dict.fromkeys(["Mexico", "Guadalajara", "Puebla"], "America/Mexico_City"),
    **dict.fromkeys(["Brazil", "Rio", "Rio de Janeiro", "Brasilia"], "America/Sao_Paulo"),
    **dict.fromkeys(["Colombia", "Medellin", "Cali Colombia"], "America/Bogota"),
    **dict.fromkeys(["Venezuela"], "America/Caracas"),
    **dict.fromkeys(["Peru"], "America/Lima"),
    **dict.fromkeys(["Ecuador", "Quito"], "America/Guayaquil"),
    **dict.fromkeys(["Chile"], "America/Santiago"),
    **dict.fromkeys(["Argentina"], "America/Argentina/Buenos_Aires"),
    **dict.fromkeys(["Cuba"], "America/Havana"),
    **dict.fromkeys(["Dominican Republic"], "America/Santo_Domingo"),
    **dict.fromkeys(["Haiti"], "America/Port-au-Prince"),
    **dict.fromkeys(["Honduras"], "America/Tegucigalpa"),
    **dict.fromkeys(["Nicaragua"], "America/Managua"),
    # Caribbean (many offshore medical schools)
    **dict.fromkeys(["St. George's", "St Georges Grenada"], "America/Grenada"),
    **dict.fromkeys(
        ["St. Kitts", "St. Kitts and Nevis", "Nevis", "Basseterre"], "America/St_Kitts"
    ),
    **dict.fromkeys(["Roseau"], "America/Dominica"),
    **dict.fromkeys(["Willemstad"], "America/Curacao"),
    **dict.fromkeys(
        ["Sint Maarten", "St. Maarten", "St. Martin", "Philipsburg"], "America/Lower_Princes"
    ),
    **dict.fromkeys(["Bridgetown"], "America/Barbados"),
    **dict.fromkeys(["Antigua and Barbuda"], "America/Antigua"),
    **dict.fromkeys(["Castries"], "America/St_Lucia"),
    **dict.fromkeys(["St. Vincent and the Grenadines", "Kingstown"], "America/St_Vincent"),
    **dict.fromkeys(["Trinidad", "Trinidad and Tobago", "Tobago"], "America/Port_of_Spain"),
    **dict.fromkeys(["Kingston"], "America/Jamaica"),
    **dict.fromkeys(["Bahamas", "The Bahamas"], "America/Nassau"),
    **dict.fromkeys(["Cayman Islands", "Grand Cayman"], "America/Cayman"),
    **dict.fromkeys(["Bonaire", "Saba", "St. Eustatius"], "America/Kralendijk"),
    **dict.fromkeys(["US Virgin Islands", "USVI", "St. Croix"], "America/St_Thomas"),
    **dict.fromkeys(["British Virgin Islands", "BVI"], "America/Tortola"),
}  # fmt: skip

# Names that point at more than one zone: ask instead of guessing.
_AMBIGUOUS: dict[str, str] = {
    "usa": "The US has several time zones. Send your city, or Eastern, Central, Mountain "
    "or Pacific.",
    "us": "The US has several time zones. Send your city, or Eastern, Central, Mountain "
    "or Pacific.",
    "united states": "The US has several time zones. Send your city, or Eastern, Central, "
    "Mountain or Pacific.",
    "america": "The US has several time zones. Send your city, or Eastern, Central, "
    "Mountain or Pacific.",
    "ist": "IST can mean India, Israel or Irish time. Send a city, like Delhi, Tel Aviv or Dublin.",
    "bst": "BST can mean British Summer Time or Bangladesh time. Send a city, like London "
    "or Dhaka.",
    "ast": "AST can mean Atlantic or Arabia time. Send a city, like San Juan, Halifax or Riyadh.",
    "atlantic": "Atlantic time covers several places. Send a city, like San Juan or Halifax.",
    "washington": "Washington DC or Washington state? Send a city, like Washington DC or Seattle.",
    "georgia": "Georgia the US state or the country? Send a city, like Atlanta or Tbilisi.",
    "birmingham": "Birmingham in England or in Alabama? Send 'Birmingham UK' or "
    "'Birmingham Alabama'.",
    "rochester": "Rochester, New York or Rochester, Minnesota? Send 'Rochester NY' or "
    "'Rochester MN'.",
    "hyderabad": "Hyderabad in India or in Pakistan? Send 'Hyderabad India' or "
    "'Hyderabad Pakistan'.",
    "punjab": "Punjab in India or in Pakistan? Send a city, like Amritsar or Lahore.",
    "cali": "Cali in Colombia, or California? Send a city, like Los Angeles, or 'Cali Colombia'.",
    "jersey": "New Jersey or the island of Jersey? Send a city, like Newark, or 'New Jersey'.",
    "tennessee": "Tennessee has two time zones. Send your city, like Nashville or Knoxville.",
    "kentucky": "Kentucky has two time zones. Send your city, like Louisville or Bowling Green.",
    "caribbean": "The Caribbean spans a few time zones. Send your island or city, like Grenada "
    "or Jamaica.",
}

# Specific spellings that the ambiguity hints above suggest.
_ZONE_ALIASES.update(
    {
        "Birmingham UK": "Europe/London",
        "Birmingham England": "Europe/London",
        "Birmingham Alabama": "America/Chicago",
        "Birmingham AL": "America/Chicago",
        "Rochester NY": "America/New_York",
        "Rochester New York": "America/New_York",
        "Rochester MN": "America/Chicago",
        "Rochester Minnesota": "America/Chicago",
        "Hyderabad India": "Asia/Kolkata",
        "Hyderabad Pakistan": "Asia/Karachi",
        "London Ontario": "America/Toronto",
        "London ON": "America/Toronto",
        "Bowling Green": "America/Chicago",
        "Lexington": "America/New_York",
        "East Coast": "America/New_York",
        "West Coast": "America/Los_Angeles",
        "LA": "America/Los_Angeles",
        "NY": "America/New_York",
    }
)

_CONTINENTS = frozenset(
    {"Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Europe"}
    | {"Indian", "Pacific"}
)
# Last parts that are not a place anyone would type as a city (mostly legacy Australian keys).
_NOT_CITIES = frozenset({"north", "south", "west", "east", "act", "nsw", "lhi", "center"})

_PREFIXES = ("i am in ", "im in ", "i live in ", "i am near ", "in ", "near ", "around ")
_SUFFIXES = (
    " daylight saving time",
    " daylight time",
    " standard time",
    " time zone",
    " timezone",
    " time",
    " tz",
)

_OFFSET_RE = re.compile(
    r"(?:utc|gmt)?(?P<sign>[+-])(?:(?P<h>\d{1,2})(?::(?P<m>\d{2}))?|(?P<compact>\d{3,4}))"
)
_ZONE_HINT = "Try a big city near you (like Chicago, Lagos or Mumbai) or a UTC offset (like UTC-5)."


def _norm_place(text: str) -> str:
    """Normalize a place name so "São Paulo", "sao_paulo" and "Sao-Paulo" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text)
    s = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    s = re.sub(r"['’.]", "", s)
    s = re.sub(r"[_,\-]", " ", s)
    s = " ".join(s.split())
    return re.sub(r"\b(saint|sainte|ste)\b", "st", s)


@functools.cache
def _all_zone_keys() -> frozenset[str]:
    # available_timezones() walks the filesystem, so do it once.
    return frozenset(available_timezones())


@functools.cache
def _zone_lookup() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """(alias -> key, IANA name -> key, display names for suggestions), all normalized."""
    keys = _all_zone_keys()
    aliases = {_norm_place(name): key for name, key in _ZONE_ALIASES.items() if key in keys}
    full: dict[str, str] = {}
    display: dict[str, str] = {}
    # Shorter keys first so that, for a shared last part ("Indianapolis"), the longer,
    # current key ("America/Indiana/Indianapolis") wins over the old alias.
    for key in sorted(keys, key=lambda k: (len(k), k)):
        full[_norm_place(key)] = key
        parts = key.split("/")
        if len(parts) > 1 and parts[0] in _CONTINENTS:
            last = _norm_place(parts[-1])
            if last not in _NOT_CITIES and last not in aliases and last not in _AMBIGUOUS:
                full.setdefault(last, key)
                if full[last] != key and len(key) > len(full[last]):
                    full[last] = key
                display[last] = parts[-1].replace("_", " ")
    for name in _ZONE_ALIASES:
        display[_norm_place(name)] = name
    return aliases, full, display


@functools.cache
def _zone_words() -> frozenset[str]:
    """Zone words and abbreviations ("central", "ET", "UK"): only matched as the whole answer."""
    words = {"eastern", "central", "mountain", "pacific", "atlantic"}
    words.update(_norm_place(name) for name in _ZONE_ALIASES if name.isupper())
    words.update(name for name in _AMBIGUOUS if len(name) <= 3)
    return frozenset(words)


def _parse_offset(compact: str) -> str | None:
    """Return "UTC", "UTC+05:30" ... for an offset like "gmt-4" or "+0530"; None if not one."""
    compact = compact.replace("−", "-")  # Unicode minus sign from some keyboards
    if compact in {"utc", "gmt", "z", "zulu"}:
        return "UTC"
    match = _OFFSET_RE.fullmatch(compact)
    if match is None:
        return None
    if match["compact"]:
        hours, minutes = int(match["compact"][:-2]), int(match["compact"][-2:])
    else:
        hours, minutes = int(match["h"]), int(match["m"] or 0)
    if minutes not in {0, 15, 30, 45}:
        raise Invalid("UTC offsets are in whole, half or quarter hours, like UTC+5:30 or UTC-4.")
    total = hours * 60 + minutes
    sign = match["sign"]
    if total == 0:
        return "UTC"
    if (sign == "+" and total > 14 * 60) or (sign == "-" and total > 12 * 60):
        raise Invalid("UTC offsets go from UTC-12 to UTC+14, like UTC-5 or UTC+5:30.")
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


def _candidates(text: str) -> Iterator[tuple[str, bool]]:
    """(normalized spelling, shortened?) to try, most literal first.

    "Houston, TX" gives "houston tx", then the shortened "houston".
    """
    pieces = [text, *text.split(",")]
    for piece in pieces:
        s = _norm_place(piece)
        for prefix in _PREFIXES:
            if s.startswith(prefix):
                s = s.removeprefix(prefix)
                break
        for suffix in _SUFFIXES:
            if s.endswith(suffix) and len(s) > len(suffix):
                s = s.removesuffix(suffix)
                break
        s = s.removeprefix("the ")
        yield s, False
        # "Lagos Nigeria", "Houston TX USA": drop trailing words one at a time.
        words = s.split()
        for cut in range(len(words) - 1, 0, -1):
            yield " ".join(words[:cut]), True


def parse_timezone(text: str) -> str:
    """A zone key for a city, country, zone word/abbreviation, IANA name or UTC offset.

    Places and zone names give an IANA key ("America/Chicago"), which follows daylight saving.
    A bare offset ("UTC+5:30", "GMT-4", "+0530", "-3") gives a fixed key ("UTC+05:30",
    "UTC-04:00", "UTC"), which never changes; that is the user's choice. "GMT" means UTC.
    """
    squashed = _squash(text)
    if not squashed:
        raise Invalid("I didn't catch a time zone there. " + _ZONE_HINT)
    offset = _parse_offset(squashed.replace(" ", ""))
    if offset is not None:
        return offset

    aliases, full, display = _zone_lookup()
    for candidate, shortened in _candidates(text):
        # A shortened name must be a place, not a zone word: "Mountain View" is not Mountain time.
        if shortened and candidate in _zone_words():
            continue
        if candidate in aliases:
            return aliases[candidate]
        if candidate in _AMBIGUOUS:
            raise Invalid(_AMBIGUOUS[candidate])
        # Legacy keys without a slash ("EST", "Cuba") only count when typed on their own.
        if candidate in full and (not shortened or "/" in full[candidate]):
            return full[candidate]

    # Suggest only real place names: "west" should not prompt "Did you mean EST?".
    places = [name for name in display if name not in _zone_words()]
    close = difflib.get_close_matches(_norm_place(text), places, n=1, cutoff=0.8)
    if close:
        guess = display[close[0]]
        raise Invalid(
            f"I couldn't find that time zone. Did you mean {guess}? If so, send {guess}; "
            "if not, try a big city near you or a UTC offset (like UTC-5)."
        )
    if re.fullmatch(r"\d{1,2}(?::?\d{2})?", squashed):
        raise Invalid("For a UTC offset, add + or -, like UTC-5 or UTC+3. A big city works too.")
    raise Invalid("I couldn't find that time zone. " + _ZONE_HINT)


_FIXED_KEY_RE = re.compile(r"UTC(?P<sign>[+-])(?P<h>\d{2}):(?P<m>\d{2})")


def zone_for(key: str) -> tzinfo:
    """The tzinfo for a key from :func:`parse_timezone` (IANA or "UTC±HH:MM")."""
    if key == "UTC":
        return UTC
    match = _FIXED_KEY_RE.fullmatch(key)
    if match is not None:
        delta = timedelta(hours=int(match["h"]), minutes=int(match["m"]))
        if delta > timedelta(hours=14) or int(match["m"]) > 59:
            raise Invalid(f"{key} is not a time zone I can use. " + _ZONE_HINT)
        return timezone(-delta if match["sign"] == "-" else delta, key)
    # Check membership first: ZoneInfo() would happily try paths such as "America".
    if key not in _all_zone_keys():
        raise Invalid(f"{key} is not a time zone I can use. " + _ZONE_HINT)
    return ZoneInfo(key)


def describe_zone(key: str, now_utc: datetime, hour24: bool = False) -> str:
    """ "Chicago time (America/Chicago), now 8:14 PM" or "UTC+05:30, now 6:44 AM" (or, with
    ``hour24``, "Berlin time (Europe/Berlin), now 20:14").

    A naive ``now_utc`` is taken to be UTC.
    """
    zone = zone_for(key)
    if now_utc.tzinfo is None:
        now_utc = now_utc.replace(tzinfo=UTC)
    local = now_utc.astimezone(zone)
    parts = key.split("/")
    if len(parts) > 1 and parts[0] != "Etc":
        label = f"{parts[-1].replace('_', ' ')} time ({key})"
    else:
        label = key
    return f"{label}, now {show_time(local, hour24)}"


# --------------------------------------------------------------------------- dates

# Index 0 is unused so that month numbers index directly.
# Hard-coded: calendar.month_name follows the process locale.
_MONTH_NAME = [
    "", "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
_MONTH_ABBR = [name[:3] for name in _MONTH_NAME]
_MONTHS: dict[str, int] = {}
for _number, _name in enumerate(_MONTH_NAME[1:], start=1):
    _MONTHS[_name.casefold()] = _number
    _MONTHS[_name[:3].casefold()] = _number
_MONTHS["sept"] = 9

_WEEKDAYS: dict[str, int] = {}
for _number, _name in enumerate(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
):
    _WEEKDAYS[_name] = _number
    _WEEKDAYS[_name[:3]] = _number
_WEEKDAYS.update({"tues": 1, "tue": 1, "weds": 2, "thur": 3, "thurs": 3})
_WEEKDAY_NAME = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

_DATE_EXAMPLES = "Try something like tomorrow, next Monday, March 20, or 2026-03-20."
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_WEEKDAY_RE = "|".join(sorted(_WEEKDAYS, key=len, reverse=True))

_ISO_RE = re.compile(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})")
_SLASH_RE = re.compile(r"(?P<a>\d{1,2})/(?P<b>\d{1,2})(?:/(?P<y>\d{4}|\d{2}))?")
_DOT_RE = re.compile(r"(?P<a>\d{1,2})\.(?P<b>\d{1,2})(?:\.(?P<y>\d{4}|\d{2}))?")
_MONTH_DAY_RE = re.compile(rf"(?P<mon>{_MONTH_RE})\.? (?P<d>\d{{1,2}})(?: (?P<y>\d{{4}}))?")
_DAY_MONTH_RE = re.compile(rf"(?P<d>\d{{1,2}}) (?P<mon>{_MONTH_RE})\.?(?: (?P<y>\d{{4}}))?")
_MONTH_ONLY_RE = re.compile(rf"(?P<mon>{_MONTH_RE})\.?(?: \d{{4}})?")
_RELATIVE_WEEKDAY_RE = re.compile(
    rf"(?:(?P<when>next|this|coming|on|last|past) )?(?P<wd>{_WEEKDAY_RE})"
)
_IN_N_RE = re.compile(r"in (?P<n>\d{1,3}|[a-z]+) (?P<unit>days?|weeks?)")
_LEADING_WEEKDAY_RE = re.compile(rf"(?P<wd>{_WEEKDAY_RE}) (?P<rest>.*\d.*)")


def _fmt_date(day: date) -> str:
    return f"{_MONTH_ABBR[day.month]} {day.day}, {day.year}"


def _window_reason(earliest: date | None, latest: date | None) -> str:
    if earliest is not None and latest is not None:
        return f"Pick a date between {_fmt_date(earliest)} and {_fmt_date(latest)}."
    if earliest is not None:
        return f"Pick a date on or after {_fmt_date(earliest)}."
    return f"Pick a date on or before {_fmt_date(latest)}." if latest is not None else ""


def _make_date(year: int, month: int, day: int) -> date:
    if not 1 <= month <= 12 or not MINYEAR <= year <= MAXYEAR:
        raise Invalid(f"I couldn't read that as a date. {_DATE_EXAMPLES}")
    try:
        return date(year, month, day)
    except ValueError:
        last = calendar.monthrange(year, month)[1]
        raise Invalid(
            f"{_MONTH_NAME[month]} {year} has {last} days, so day {day} doesn't exist. "
            f"{_DATE_EXAMPLES}"
        ) from None


def _infer_year(
    month: int, day: int, today: date, earliest: date | None, latest: date | None
) -> date:
    """Next occurrence on/after today, unless only the previous occurrence fits the window."""
    if not 1 <= month <= 12:
        raise Invalid(f"I couldn't read that as a date. {_DATE_EXAMPLES}")
    if day < 1 or day > (29 if month == 2 else calendar.monthrange(2001, month)[1]):
        raise Invalid(f"{_MONTH_NAME[month]} doesn't have a day {day}. {_DATE_EXAMPLES}")

    def occurrences(years: range) -> Iterator[date]:
        for year in years:
            # Feb 29 only exists in leap years, so some years are skipped.
            if month != 2 or day != 29 or calendar.isleap(year):
                yield date(year, month, day)

    upcoming = next(d for d in occurrences(range(today.year, today.year + 9)) if d >= today)
    previous = next(d for d in occurrences(range(today.year, today.year - 9, -1)) if d < today)
    too_late = latest is not None and upcoming > latest
    previous_fits = (earliest is None or previous >= earliest) and (
        latest is None or previous <= latest
    )
    return previous if too_late and previous_fits else upcoming


def _word_or_int(raw: str) -> int | None:
    if raw.isdecimal():
        return int(raw)
    if raw in {"a", "an"}:
        return 1
    return _WORD_NUMBERS.get(raw) if raw not in {"no", "none", "nil"} else None


def _parse_date_core(
    s: str, today: date, earliest: date | None, latest: date | None
) -> date | None:
    relative = {
        "today": 0,
        "tonight": 0,
        "tomorrow": 1,
        "tmrw": 1,
        "tmr": 1,
        "tomorow": 1,
        "tommorow": 1,
        "tommorrow": 1,
        "day after tomorrow": 2,
        "the day after tomorrow": 2,
        "yesterday": -1,
    }
    if s in relative:
        return today + timedelta(days=relative[s])
    if match := _IN_N_RE.fullmatch(s):
        n = _word_or_int(match["n"])
        if n is None:
            return None
        return today + timedelta(days=n * (7 if match["unit"].startswith("week") else 1))
    if match := _RELATIVE_WEEKDAY_RE.fullmatch(s):
        if match["when"] in {"last", "past"}:
            back = (today.weekday() - _WEEKDAYS[match["wd"]] - 1) % 7 + 1
            return today - timedelta(days=back)
        ahead = (_WEEKDAYS[match["wd"]] - today.weekday() - 1) % 7 + 1
        return today + timedelta(days=ahead)
    if match := _ISO_RE.fullmatch(s):
        return _make_date(int(match["y"]), int(match["m"]), int(match["d"]))

    for regex, month_first in ((_SLASH_RE, True), (_DOT_RE, False)):
        if match := regex.fullmatch(s):
            a, b = int(match["a"]), int(match["b"])
            month, day = (a, b) if month_first else (b, a)
            # Only swap when the preferred order is impossible and the other is not.
            if month > 12 >= day:
                month, day = day, month
            year_raw = match["y"]
            if year_raw is None:
                return _infer_year(month, day, today, earliest, latest)
            year = int(year_raw) + (2000 if len(year_raw) == 2 else 0)
            return _make_date(year, month, day)

    for regex in (_MONTH_DAY_RE, _DAY_MONTH_RE):
        if match := regex.fullmatch(s):
            month, day = _MONTHS[match["mon"]], int(match["d"])
            if match["y"] is None:
                return _infer_year(month, day, today, earliest, latest)
            return _make_date(int(match["y"]), month, day)
    if match := _MONTH_ONLY_RE.fullmatch(s):
        name = _MONTH_NAME[_MONTHS[match["mon"]]]
        raise Invalid(f"Which day in {name}? Send it like {name} 20.")
    return None


_PART_OF_MONTH_RE = re.compile(
    rf"(?:the )?(?P<part>end|beginning|start|early|mid|middle|late)[ -]?(?:the )?"
    rf"(?P<mon>{_MONTH_RE}|this month|month|next month)\.?(?: (?P<y>\d{{4}}))?"
)
_PART_DAY = {"beginning": 1, "start": 1, "early": 1, "mid": 15, "middle": 15}
# A time after a day ("tomorrow 2pm", "friday at 3", "Sunday evening"): the day is the answer.
_TIME_TAIL_RE = re.compile(
    r"(?P<day>.+?) (?:at |around |by |@ ?)?"
    r"(?P<time>\d{1,2}(?:[:.h]\d{2})? ?(?:am|pm|a|p)?|noon|midday|midnight|morning|"
    r"afternoon|evening|night|lunch|lunchtime|in the (?:morning|afternoon|evening))"
)
_FROM_NOW_RE = re.compile(r"(?P<span>.+?) from (?:today|now)")


def _part_of_month(match: re.Match[str], today: date) -> date:
    """ "end of June", "mid December", "the end of the month", "early next month"."""
    mon = match["mon"]
    if mon in ("month", "this month"):
        year, month = today.year, today.month
    elif mon == "next month":
        year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    else:
        month = _MONTHS[mon]
        year = int(match["y"]) if match["y"] else today.year
        if not match["y"] and (year, month) < (today.year, today.month):
            year += 1  # a month already gone this year means next year's
    last = calendar.monthrange(year, month)[1]
    return _make_date(year, month, _PART_DAY.get(match["part"], last))


def _natural_date(s: str, today: date, earliest: date | None, latest: date | None) -> date | None:
    """The long tail of typed dates, after the exact forms: parts of a month, a day with a
    time after it, "... from now", then ``dateparser`` (English, relative to noon today in
    the user's own time zone) for what is left, only when it names a day."""
    if match := _PART_OF_MONTH_RE.fullmatch(s):
        return _part_of_month(match, today)
    if match := _FROM_NOW_RE.fullmatch(s):
        return _parse_date_core(f"in {match['span']}", today, earliest, latest)
    if match := _TIME_TAIL_RE.fullmatch(s):
        if match["time"][0].isdigit():
            try:
                parse_clock_time(match["time"])
            except Invalid:
                return None  # "tomorrow 99" is no day with a time
        day = _parse_date_core(match["day"], today, earliest, latest)
        if day is not None:
            return day
    settings = {
        "PREFER_DATES_FROM": "future",
        "RELATIVE_BASE": datetime.combine(today, time(12, 0)),
        "REQUIRE_PARTS": ["day"],
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    try:
        found = _dateparser().parse(s, languages=["en"], settings=settings)
    except (ValueError, OverflowError):  # a date past the calendar's end, say
        return None
    return found.date() if found is not None else None


@functools.cache
def _dateparser() -> Any:
    """dateparser, imported on first use: it loads its language data then (about 0.4 s)."""
    import dateparser

    return dateparser


def parse_date(
    text: str,
    *,
    today: date,
    earliest: date | None = None,
    latest: date | None = None,
) -> date:
    """A calendar date within [earliest, latest].

    Accepts "today", "tomorrow", "yesterday", "in 3 days", weekday names ("friday",
    "next friday": both mean the first such day *after* today), ISO "2026-03-20",
    "March 20", "20 March 2026", "Mar 20, 2027", and numbers:

    * slashes are US month/day: "3/20/2026", "3/20/26", "3/20";
    * dots are day.month, as written in most of the world: "20.03.2026", "20.3";
    * either is swapped only when the stated order is impossible ("20/3" is March 20).

    Without a year the date is the next occurrence on or after ``today``; if that is after
    ``latest`` but the previous occurrence fits the window, the previous one is used
    (so "March 2" asked as a past date resolves to the most recent March 2).
    A leading weekday ("Friday, March 20") is checked against the date.

    What a tired person types is read too (:func:`_natural_date`): "end of June", "mid
    December", "tomorrow 2pm" (the time is dropped: the answer is a day), "a week from
    today", "in 2 months", "next week". The caller says back the day it understood.
    """
    s = _strip_end_punct(_squash(text))
    s = s.replace(",", " ")
    s = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", s)  # "20th" -> "20"
    s = re.sub(r"\bof\b", " ", s)  # "20th of March"
    s = re.sub(r"^on\b", "", s)
    s = " ".join(s.split())

    whole = s
    stated_weekday: int | None = None
    if match := _LEADING_WEEKDAY_RE.fullmatch(s):
        stated_weekday, s = _WEEKDAYS[match["wd"]], match["rest"]

    result = _parse_date_core(s, today, earliest, latest) if s else None
    if result is None and whole:
        stated_weekday = None  # "friday at 3" is a weekday with a time, not a checked date
        result = _natural_date(whole, today, earliest, latest)
    if result is None:
        raise Invalid(f"I couldn't read that as a date. {_DATE_EXAMPLES}")
    if stated_weekday is not None and result.weekday() != stated_weekday:
        raise Invalid(
            f"{_fmt_date(result)} is a {_WEEKDAY_NAME[result.weekday()]}, not a "
            f"{_WEEKDAY_NAME[stated_weekday]}. Could you send just the date, like March 20?"
        )
    if (earliest is not None and result < earliest) or (latest is not None and result > latest):
        raise Invalid(_window_reason(earliest, latest))
    return result


_WEEKDAY_CODES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def parse_weekday(text: str) -> str:
    """A day of the week as its three-letter code: "sunday", "Sundays", "on sun", "every
    Wednesday", "thurs" give "sun", "sun", "sun", "wed", "thu"."""
    s = _strip_end_punct(_squash(text))
    s = re.sub(r"^(?:on|every|each)\s+", "", s)
    for candidate in (s, s.removesuffix("s")):
        if candidate in _WEEKDAYS:
            return _WEEKDAY_CODES[_WEEKDAYS[candidate]]
    raise Invalid("Send a day of the week, like Sunday or Monday.")


# --------------------------------------------------------------------------- free text

# Zero-width space and BOM sneak in from copy-paste; ZWJ/ZWNJ are kept because emoji and
# Persian/Indic scripts need them.
_INVISIBLE_RE = re.compile("[\u200b\ufeff]")
_HSPACE_RE = re.compile(r"[^\S\n]+")  # whitespace other than newlines


def normalize_free_text(text: str, *, max_len: int, what: str) -> str:
    """Trim, collapse runs of spaces/tabs, keep line breaks (at most one blank line)."""
    s = _INVISIBLE_RE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [_HSPACE_RE.sub(" ", line).strip() for line in s.split("\n")]
    s = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    if not s:
        raise Invalid(f"I didn't catch any text there. Could you type your {what}?")
    if len(s) > max_len:
        raise Invalid(
            f"That's a little long: please keep your {what} to {max_len} characters or fewer "
            f"(this one is {len(s)})."
        )
    return s


def stored_day(value: Any) -> date | None:
    """A day stored as ISO text ("2026-05-13"), or None for anything else (None, "", junk):
    what the trackers keep in their items, read back forgivingly."""
    try:
        return date.fromisoformat(value) if isinstance(value, str) and value else None
    except ValueError:
        return None
