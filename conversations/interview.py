"""Interview practice: plain, explainable feedback on a practised answer, one rule at a time.

The rules follow the seed's advice for a reapplicant's interviews:

- "So, you're applying again. What did you do this past year?" gets a three-part answer: a
  brief, calm acknowledgement first; the growth (a concrete role and concrete results) as the
  largest part; then the tie to the target specialty, closing on a line that looks ahead. No
  self-pity, no blame; evidence, not adjectives.
- A red flag gets two or three sentences: what happened, owned in the first person, what was
  done about it, and where things stand now. No excuses, and no second problem volunteered.
- "So where did you match?" from a friend or relative gets a short line the user is at ease
  saying, then a change of subject.

Everything here is pure: text in, a ``Report`` out. Each ``Check`` carries the exact words of the
answer that earned (or cost) it, so the coach can show *why*, not only a verdict. Nothing here
writes a finished answer for the user: ``scaffold`` gives a structure with blanks, filled only
with facts from their own stored profile.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal

Status = Literal["pass", "partly", "missing", "flag"]
STATUSES: tuple[Status, ...] = ("pass", "partly", "missing", "flag")
_STATUS_OF: dict[str, Status] = {s: s for s in STATUSES}

# ---------------------------------------------------------------- thresholds

WORDS_PER_MINUTE = 130  # a calm interview pace; the seed's 1-2 minute answers fit ~130-260 words
DEFAULT_TARGET = (60, 120)  # seconds, for the past-year, not-matching and why-specialty answers
# Below this many words there is nothing to judge tone, evidence or length on.
MIN_WORDS = 5
# The acknowledgement is "brief": at most two sentences before the growth starts, and no single
# acknowledgement sentence longer than this (a run-on is a retelling, not an acknowledgement).
ACK_MAX_SENTENCES = 2
ACK_MAX_WORDS = 35
# Growth is the largest part: with a one-sentence acknowledgement and a one- or two-sentence
# close, sentences carrying the role and results need at least this share of the words.
GROWTH_SHARE = 0.4
# One or two soft words are normal speech (partly); three or more make the work sound small.
HEDGE_FLAG_AT = 3
# Fillers: up to two slip into any natural spoken answer; three or more are worth a slower take.
FILLER_LIMIT = 3
# A content word said this many times is worth varying; the top three are reported.
REPEAT_AT = 4
REPEAT_SHOWN = 3
# Past this multiple of the target's upper end an answer loses the listener: flag, not partly.
FAR_TOO_LONG = 1.5
# A red-flag explanation: two or three sentences; four is a little long; five or more too much.
RED_FLAG_SENTENCES = (2, 3)
RED_FLAG_MAX_WORDS = 90
RED_FLAG_TARGET = (10, 30)  # the seed's own example is 44 words, about 20 seconds
# "So where did you match?": over this many words is over-explaining.
WHERE_MAX_WORDS = 45
WHERE_MAX_STATEMENTS = 2
# Quotes in the chat report are cut to this length, and the whole report kept under REPORT_LIMIT.
QUOTE_CHARS = 80
REPORT_LIMIT = 1500

# The one suggestion comes from the most urgent check that is not a pass: a flag first, then
# a missing part, then a partly one (see ``_pick``); among equals, this order decides. The
# acknowledgement leads (the listener hears it first, and an empty answer should start there);
# tone comes next because blame or self-pity colours everything after it; then the substance;
# polish (evidence, length) last.
PRIORITY: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "past_year": ("acknowledgement", "tone", "growth", "tie", "evidence", "length"),
        "not_matching": (
            "acknowledgement",
            "tone",
            "learned",
            "acted",
            "forward",
            "evidence",
            "length",
        ),
        "why_specialty": ("specialty", "story", "tone", "evidence", "length"),
        "red_flag": (
            "acknowledgement",
            "ownership",
            "tone",
            "one_problem",
            "resolution",
            "stability",
            "length",
        ),
        "where_matched": ("plain_answer", "tone", "brief", "change_subject"),
    }
)

# ---------------------------------------------------------------- the questions

QUESTIONS: Mapping[str, str] = MappingProxyType(
    {
        "past_year": "So, you're applying again. What did you do this past year?",
        "not_matching": "Tell me about not matching.",
        "why_specialty": "Why {specialty}?",
        "red_flag": "Your application mentions {flag}. Could you walk me through it?",
        "where_matched": "So where did you match?",
    }
)
ASKED_BY: Mapping[str, str] = MappingProxyType(
    {
        "past_year": "An interviewer",
        "not_matching": "An interviewer",
        "why_specialty": "An interviewer",
        "red_flag": "An interviewer",
        "where_matched": "A friend or relative",
    }
)
RED_FLAG_CODES = ("course_fail", "repeat_year", "loa", "professionalism")
# How the interviewer names a flag: plainly, without weight.
_FLAG_NAMES = {
    "course_fail": "a course or clerkship you had to retake",
    "repeat_year": "a repeated year",
    "loa": "a leave of absence",
    "professionalism": "a professionalism note",
}


def red_flags(profile: Mapping[str, Any] | None) -> tuple[str, ...]:
    """The profile's red-flag codes, in the order stored ("none" and unknown codes dropped)."""
    raw = (profile or {}).get("red_flags")
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list | tuple):
        return ()
    return tuple(dict.fromkeys(str(c) for c in raw if str(c) in RED_FLAG_CODES))


def questions_for(profile: Mapping[str, Any] | None) -> tuple[str, ...]:
    """The question keys worth practising: the red-flag one only when the profile has a flag."""
    return tuple(k for k in QUESTIONS if k != "red_flag" or red_flags(profile))


def question_text(
    key: str, *, specialty: str | None = None, profile: Mapping[str, Any] | None = None
) -> str:
    """The words of the question, filled from the target specialty or the profile's red flag."""
    if key not in QUESTIONS:
        raise ValueError(f"unknown interview question {key!r}")
    if key == "why_specialty":
        return QUESTIONS[key].format(specialty=_target_name(specialty, profile) or "this specialty")
    if key == "red_flag":
        flags = red_flags(profile)
        if not flags:
            raise ValueError("the red-flag question is only asked when the profile has a red flag")
        return QUESTIONS[key].format(flag=_FLAG_NAMES[flags[0]])
    return QUESTIONS[key]


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class Check:
    """One rule's verdict on an answer, with the answer's own words that decided it.

    ``quotes`` are verbatim substrings of the answer, in the order they occur.
    """

    key: str
    label: str
    status: Status
    detail: str
    quotes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, not {self.status!r}")

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "status": self.status,
            "detail": self.detail,
            "quotes": list(self.quotes),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Check:
        status = _STATUS_OF.get(str(data.get("status")))
        if status is None:
            raise ValueError(f"status must be one of {STATUSES}, not {data.get('status')!r}")
        return cls(
            key=str(data["key"]),
            label=str(data["label"]),
            status=status,
            detail=str(data.get("detail", "")),
            quotes=tuple(str(q) for q in data.get("quotes", ())),
        )


@dataclass(frozen=True)
class Report:
    """The feedback on one practised answer.

    ``seconds`` is the estimated speaking time at ``WORDS_PER_MINUTE``; ``target`` the range in
    seconds it is measured against (a lower end of 0 means "short", as for where-matched).
    """

    question: str
    checks: tuple[Check, ...]
    words: int
    seconds: int
    target: tuple[int, int]
    suggestion: str
    scaffold: str

    def check(self, key: str) -> Check | None:
        """The check with this key, if the report has one."""
        return next((c for c in self.checks if c.key == key), None)

    def as_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "checks": [c.as_dict() for c in self.checks],
            "words": self.words,
            "seconds": self.seconds,
            "target": list(self.target),
            "suggestion": self.suggestion,
            "scaffold": self.scaffold,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Report:
        lo, hi = (int(x) for x in data["target"])
        return cls(
            question=str(data["question"]),
            checks=tuple(Check.from_dict(c) for c in data.get("checks", ())),
            words=int(data["words"]),
            seconds=int(data["seconds"]),
            target=(lo, hi),
            suggestion=str(data.get("suggestion", "")),
            scaffold=str(data.get("scaffold", "")),
        )


def speaking_seconds(words: int, wpm: int = WORDS_PER_MINUTE) -> int:
    """Roughly how long ``words`` take to say at ``wpm`` words a minute, in whole seconds."""
    if wpm <= 0:
        raise ValueError("wpm must be positive")
    return round(max(0, words) * 60 / wpm)


# ---------------------------------------------------------------- reading the answer

# Curly quotes and odd hyphens become plain ones, one character for one, so positions found in
# the plain copy slice the user's original text exactly (quotes must be verbatim).
_PLAIN = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "‑": "-", "‐": "-", "–": "-"})
_WORD = re.compile(r"[A-Za-z0-9]+(?:['-][A-Za-z0-9]+)*")
# Words a period does not end a sentence after.
_ABBREVIATIONS = frozenset(
    {"dr", "mr", "mrs", "ms", "prof", "st", "vs", "etc", "e.g", "i.e", "u.s", "no", "approx"}
)


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    kind: str = ""


@dataclass(frozen=True)
class _Sentence:
    start: int
    end: int
    words: int


class _Text:
    """The answer, split into sentences and words, with pattern search that keeps positions."""

    def __init__(self, raw: str) -> None:
        self.raw = raw or ""
        self.plain = self.raw.translate(_PLAIN)
        self.sentences = _split_sentences(self.plain)
        self.words = len(_WORD.findall(self.plain))

    def quote(self, span: _Span) -> str:
        return self.raw[span.start : span.end].strip()

    def sentence_text(self, i: int) -> str:
        s = self.sentences[i]
        return self.raw[s.start : s.end].strip()

    def sentence_index(self, pos: int) -> int:
        for i, s in enumerate(self.sentences):
            if s.start <= pos < s.end:
                return i
        return len(self.sentences) - 1

    def find(
        self, patterns: Iterable[re.Pattern[str]], kind: str = "", within: int | None = None
    ) -> list[_Span]:
        """Non-overlapping matches of all patterns (longest wins), in text order."""
        lo, hi = 0, len(self.plain)
        if within is not None:
            lo, hi = self.sentences[within].start, self.sentences[within].end
        found = [
            _Span(m.start(), m.end(), kind)
            for p in patterns
            for m in p.finditer(self.plain, lo, hi)
            if m.end() > m.start()
        ]
        return _merge(found)


def _split_sentences(plain: str) -> list[_Sentence]:
    """Sentence spans: ends at . ! ? (not after an abbreviation or initial) or a line break."""
    sentences: list[_Sentence] = []
    start = 0
    for m in re.finditer(r"[.!?]+[\"')\]]*(?=\s|$)|\n+", plain):
        if m.group().startswith("."):
            before = re.search(r"([A-Za-z.]+)$", plain[start : m.start()])
            token = before.group(1).lower() if before else ""
            if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
                continue
        _add_sentence(sentences, plain, start, m.end())
        start = m.end()
    _add_sentence(sentences, plain, start, len(plain))
    return sentences


def _add_sentence(out: list[_Sentence], plain: str, start: int, end: int) -> None:
    words = len(_WORD.findall(plain[start:end]))
    if words:
        # Trim the span to its visible text, so quoting a sentence gives clean words.
        lead = len(plain[start:end]) - len(plain[start:end].lstrip())
        trail = len(plain[start:end]) - len(plain[start:end].rstrip())
        out.append(_Sentence(start + lead, end - trail, words))


def _merge(spans: Iterable[_Span]) -> list[_Span]:
    """Keep the longest of overlapping spans (so "unfair to me" beats "unfair"), in text order."""
    chosen: list[_Span] = []
    for s in sorted(set(spans), key=lambda s: (s.start - s.end, s.start)):
        if all(s.end <= c.start or s.start >= c.end for c in chosen):
            chosen.append(s)
    return sorted(chosen, key=lambda s: s.start)


def _raw(t: _Text, patterns: Iterable[re.Pattern[str]]) -> list[_Span]:
    """Every match of every pattern, overlaps kept (for merging with other kinds later)."""
    return [_Span(m.start(), m.end()) for p in patterns for m in p.finditer(t.plain) if m.group()]


def _quotes(t: _Text, spans: Iterable[_Span], limit: int | None = None) -> tuple[str, ...]:
    """The distinct quoted words of ``spans``, first occurrence first."""
    out = tuple(dict.fromkeys(q for q in (t.quote(s) for s in spans) if q))
    return out[:limit] if limit else out


def _rx(*patterns: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns)


def _nt(verb: str) -> str:
    """A regex for both "did not" and "didn't" forms of ``verb`` (did, was, would...)."""
    return rf"{verb}(?:\s+not|n't)"


# ---------------------------------------------------------------- what the rules look for

_ACK = _rx(
    rf"\b(?:{_nt('did')}|never)\s+(?:get\s+(?:a\s+)?|end\s+up\s+)?match(?:ed|ing)?\b",
    r"\b(?:went|was|were|am|I'm|remained)\s+unmatched\b",
    r"\bunmatched\b",
    r"\bnot\s+matching\b",
    r"\bnon-?match\b",
    rf"\b{_nt('was')}\s+matched\b",
    rf"\b{_nt('did')}\s+(?:get|secure|land|obtain)\s+(?:a\s+)?(?:residency\s+)?(?:position|spot|match)\b",
    r"\b(?:re-?applying|re-?apply|applying\s+again|apply\s+again)\b",
)

_NUM = (
    r"(?:\d[\d,]*(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"fifteen|twenty|thirty|forty|fifty|sixty|a\s+hundred|hundreds\s+of|a\s+dozen|dozens\s+of|"
    r"several|a\s+couple\s+of|both)"
)
_COUNTABLE = (
    r"(?:abstracts?|posters?|manuscripts?|papers?|publications?|case\s+reports?|case\s+series|"
    r"presentations?|talks?|(?:QI|quality[- ]improvement)\s+projects?|projects?|patients?|"
    r"hours?|days?|weeks?|months?|charts?|participants?|subjects?|studies|study|"
    r"grand\s+rounds|journal\s+clubs?|letters?|lectures?|sessions?|students?|clinics?|"
    r"shifts?|consults?|encounters?|records?|programs?|applications?|chapters?|grants?|"
    r"protocols?|databases?|datasets?|notes?|times)"
)
_NAMED_OUTPUT = (
    r"(?:abstract|poster|manuscript|paper|publication|case\s+report|(?:QI|quality[- ]improvement)"
    r"\s+project|IRB\s+(?:submission|application|protocol)|database|registry|grand\s+rounds\s+"
    r"(?:talk|presentation)|journal\s+club|book\s+chapter|grant|review\s+article)"
)
# Numbers and named outputs: the evidence that can stand next to (or instead of) an adjective.
_OUTPUTS = _rx(
    rf"\b{_NUM}\s+(?:[\w-]+\s+){{0,2}}?{_COUNTABLE}\b",
    rf"\b(?:an?|the|my|our|one)\s+(?:[\w-]+\s+){{0,2}}?{_NAMED_OUTPUT}s?\b",
    r"\b(?:QI|quality[- ]improvement)\s+projects?\b",
    r"\b\d+(?:\.\d+)?\s*(?:%|percent\b)",
    r"\b(?:USMLE\s+|COMLEX\s+)?(?:Step|Level)\s*3\b",
    # Any other number, except an exam's name ("Step 1" is not a result).
    r"(?<!Step )(?<!Level )\b\d[\d,]*(?:\.\d+)?\b",
)
# Responsibilities, said as things done: concrete, though not countable.
_DUTIES = _rx(
    r"\bresponsible\s+for\b",
    r"\bin\s+charge\s+of\b",
    r"\bI\s+(?:led|lead|ran|run|managed|manage|coordinated|coordinate|presented|present|wrote|"
    r"built|analy[sz]ed|enrolled|enroll|screened|screen|taught|teach|trained|supervised)\b",
)
_ROLE = _rx(
    r"\b(?:full|part)[- ]time\s+(?:as\s+)?(?:an?\s+)?(?:[\w-]+\s+){0,2}?(?:position|role|job|"
    r"fellowship|fellow|coordinator|assistant|associate|scribe|researcher|observer|extern)\b",
    r"\bresearch\s+(?:fellow(?:ship)?|assistant|associate|coordinator|position|role|job|year|"
    r"scholar|trainee|lab)\b",
    r"\b(?:clinical\s+)?research\s+coordinator\b",
    r"\b(?:clinical|medical|hospitalist|research)\s+(?:fellow|assistant|extern|observer)\b",
    r"\b(?:observership|externship|scribe|scribing|sub-?internship)s?\b",
    r"\bworking\s+(?:full[- ]time\s+|part[- ]time\s+)?(?:as|in|at|with)\s+(?:an?\s+|the\s+)?"
    r"(?:[\w-]+\s+){0,2}?(?:lab|department|clinic|hospital|program|team|group|service|practice)\b",
    r"\b(?:department|division)\s+of\s+[A-Za-z]+(?:\s+[A-Z][a-z]+)?",
)
_SELF_PITY = _rx(
    r"\bdevastat(?:ed|ing)\b",
    r"\bheartbroken\b",
    # "I crushed Step 3" is a win; only being crushed is self-pity.
    r"\bI\s+(?:was|felt)\s+(?:so\s+|completely\s+|just\s+)?crushed\b",
    r"\bhumiliat(?:ed|ing)\b",
    r"\bembarrass(?:ed|ing)\b",
    r"\b(?:it|this|that)(?:\s+was|\s+has\s+been|\s+is|'s|'s\s+been)\s+(?:so|really|very|"
    r"incredibly|extremely)\s+"
    r"(?:hard|difficult|painful|tough)\b",
    r"\bI\s+(?:felt|feel)\s+like\s+(?:a|such\s+a|a\s+total|a\s+complete)\s+failure\b",
    r"\bI(?:'m|\s+am|\s+was)\s+(?:a|such\s+a)\s+failure\b",
    r"\b(?:so\s+)?unfair\s+to\s+me\b",
    r"\bworst\s+(?:year|time|thing|moment)\b",
    r"\bwhy\s+me\b",
    r"\bmy\s+(?:life|world)\s+(?:fell\s+apart|collapsed|ended)\b",
    r"\bI\s+(?:lost|wasted)\s+(?:a|the|this)\s+(?:whole\s+)?year\b",
    r"\bnobody\s+(?:understands|cared)\b",
)
_STOP_TAIL = (
    r"(?:and|but|when|because|so|which|who|after|before|since|while|even|although|though|then)"
)
_BLAME = _rx(
    r"\b(?:the\s+)?(?:programs?|they|nobody|no\s+one|PDs|program\s+directors|residencies)\s+"
    r"(?:(?:just|simply|really)\s+)?"
    rf"(?:never|{_nt('did')}|{_nt('would')}|refused\s+to)\s+(?:even\s+)?(?:give|gave)\s+me\s+"
    r"(?:a|an|any)\s+(?:real\s+|fair\s+)?(?:chance|shot)\b",
    r"\bnever\s+(?:gave|given)\s+me\s+(?:a|an)\s+(?:real\s+|fair\s+)?(?:chance|shot)\b",
    # Advice blamed for the application ("told me to apply to derm"), not advice followed
    # gladly ("my mentor told me to keep going").
    r"\bmy\s+(?:advisors?|advisers?|mentors?|deans?|school|medical\s+school|PI)\s+(?:told|pushed|"
    r"convinced|made|advised|had|said|let)\s+me\s+(?:to\s+(?:only\s+|just\s+)?(?:apply|aim|rank|"
    r"skip|go\s+for|stick|target)|not\s+to|I\s+(?:was|would|had|could)|that\s+I)\b"
    rf"(?:\s+(?!{_STOP_TAIL}\b)[\w/'-]+){{0,5}}",
    r"\b(?:the\s+)?(?:match|algorithm|system|NRMP)\s+(?:is|was)\s+(?:\w+\s+)?(?:rigged|broken|"
    r"unfair|biased|random|a\s+lottery|against\s+me)\b",
    r"\b(?:the\s+)?algorithm\s+(?:screwed|failed|cheated|hurt|punished|ignored)\b",
    r"\bblame\s+(?:the\s+)?(?:match|algorithm|programs?|system|school|advisors?)\b",
    r"\b(?:bad|terrible|pure|dumb)\s+luck\b",
    r"\bunlucky\b",
    r"\bluck\s+of\s+the\s+draw\b",
    r"\bunfair(?:ly)?\b",
    r"\b(?:programs?|they|PDs)\s+(?:are|were)\s+(?:biased|prejudiced|unfair)\b",
    r"\b(?:(?:was|is|it's)\s+not|wasn't|isn't|not)\s+my\s+fault\b",
    # "because the professor ..." only when something negative follows; "because my attending
    # let me present" is gratitude, not blame.
    r"\bbecause\s+(?:of\s+)?(?:the|my)\s+(?:[\w-]+\s+)?(?:professor|attending|preceptor|director|"
    r"resident|advisor|adviser|school|dean|program|evaluator)s?\b"
    r"(?=(?:\s+[\w']+){0,3}?\s+(?:didn't|did\s+not|never|wouldn't|would\s+not|refused|failed|only|"
    r"unfair(?:ly)?|biased|disliked|ignored|hated|graded|marked|screwed|wasn't|was\s+not|"
    r"don't|doesn't|lost|strict|harsh|picky|gave\s+me\s+a\s+(?:bad|low|poor))\b)",
    r"\b(?:the|my)\s+(?:[\w-]+\s+)?(?:director|professor|attending|preceptor|resident|evaluator|"
    r"dean|school|program)s?\s+failed\s+me\b",
    rf"\b(?:had\s+it\s+out\s+for\s+me|singled\s+me\s+out|{_nt('did')}\s+like\s+me|out\s+to\s+get\s+me)\b",
)
_EXCUSE = _rx(
    rf"\bI\s+{_nt('did')}\s+have\s+(?:enough\s+)?time\b",
    r"\bthere\s+was\s+nothing\s+I\s+could\s+(?:do|have\s+done)\b",
    r"\bif\s+only\b",
    r"\bI\s+(?:couldn't|could\s+not)\s+help\s+it\b",
)
_HEDGE = _rx(
    r"\bI\s+think\b(?!\s+(?:about|of|back)\b)",
    r"\bmaybe\b",
    r"\bI\s+guess\b",
    # "just" as a softener; "I just submitted" (recently) is not one.
    r"\bjust\b(?!\s+(?:finished|completed|submitted|started|got|had|returned|published|presented|"
    r"began|moved|joined|heard|received|passed|wrapped)\b)",
    r"(?<!what )(?<!the )(?<!this )(?<!that )(?<!any )\bkind\s+of\b",
    r"(?<!what )(?<!the )(?<!this )(?<!that )(?<!any )\bsort\s+of\b",
    r"\bprobably\b",
    r"\bI\s+suppose\b",
    r"\bI\s+feel\s+like\b",
)
_ADJECTIVES = _rx(
    r"\bhard[- ]?working\b",
    r"\bpassionate\b",
    r"\bresilient\b",
    # "dedicated time" or "a dedicated clinic" describe a thing, not the speaker.
    r"\bdedicated\b(?!\s+(?:time|space|clinic|unit|team|hours?|research\s+time)\b)",
    r"\bmotivated\b(?!\s+(?:me|us|him|her|them)\b)",
    r"(?<!-)\bdriven\b",
    r"\bteam\s+player\b",
)
_FILLERS = _rx(
    r"\bbasically\b",
    r"\byou\s+know\b(?!\s+(?:how|what|that|when|where|why|who|whether|if|the|a|about|it|him|"
    r"her|them|me|this)\b)",
    r"\bu+m+\b",
    r"\bu+h+\b",
    r"\bliterally\b",
    r"\bactually\b",
    # "like" only when it is set off by commas or leans on an intensifier: "I'd like to",
    # "felt like" and "things like" are ordinary English, not filler.
    r"(?<=,\s)like\b",
    r"(?<=,)like\b",
    r"\blike(?=,)",
    r"\blike(?=\s+(?:really|so|totally|super|very|literally|basically|um|uh)\b)",
)
# What the year deepened, said as a change in the speaker.
_DEEPENED = _rx(
    r"\b(?:deepened|deepen|reinforced|strengthened|confirmed|solidified|sharpened|affirmed|"
    r"cemented|clarified)\b",
    r"\b(?:taught|showed|reminded)\s+me\b",
    r"\bmade\s+me\s+(?:more|even|surer|sure|certain)\b",
    r"\b(?:more|even\s+more)\s+(?:sure|certain|committed|convinced|confident|drawn)\b",
    r"\bdr[ae]wn?\s+(?:me\s+)?to\b",
    r"\bcommitment\s+to\b",
    r"\binterest\s+in\b",
)
# A last sentence that looks ahead.
_FORWARD = _rx(
    r"\bI(?:'m|\s+am)\s+(?:now\s+|much\s+|more\s+|so\s+|truly\s+)?(?:ready|excited|eager|"
    r"prepared|confident|looking\s+forward)\b",
    r"\bI\s+look\s+forward\b",
    r"\blooking\s+forward\b",
    r"\bready\s+to\b",
    r"\bexcited\s+to\b",
    r"\bas\s+an?\s+(?:resident|intern)\b",
    r"\bnext\s+year\b",
    r"\bin\s+residency\b",
    r"\bthis\s+(?:coming\s+)?cycle\b",
    r"\bI\s+(?:want|hope|plan|intend|aim)\s+to\s+(?:bring|build|continue|keep|grow|train|become|"
    r"join|start|use|carry)\b",
    r"\bI(?:'ll|\s+will)\b",
    r"\b(?:at|in|to|into)\s+your\s+program\b",
)
# What was learned from not matching, for "Tell me about not matching."
_LEARNED = _rx(
    r"\b(?:learned|learnt|realized|realised|recognized|understood|noticed)\b",
    r"\b(?:taught|showed)\s+me\b",
    r"\blooking\s+back\b",
    r"\bin\s+hindsight\b",
    r"\bfeedback\b",
    r"\bthe\s+(?:main|biggest|key|real)\s+(?:reasons?|lessons?|gaps?|weakness(?:es)?|problems?)\b",
    r"\bmy\s+(?:program\s+)?(?:list|application|letters|scores?|statement)\s+(?:was|were)\b",
)
_ACTED = _rx(
    r"\bI\s+(?:broadened|expanded|retook|rewrote|took|passed|started|joined|applied|asked|met|"
    r"found|got|built|completed|sought|changed|added|focused|studied|prepared)\b",
)
# A specific patient or clinical moment, for "Why <specialty>?".
_STORY = _rx(
    r"\b(?:a|one|the\s+first)\s+patient\b",
    r"\bwhen\s+I\b",
    r"\bduring\s+my\b",
    r"\bI\s+(?:saw|remember|met|cared\s+for|took\s+care\s+of|admitted|followed|watched|sat\s+with)\b",
    r"\bon\s+my\s+(?:[\w-]+\s+){0,2}?(?:rotation|clerkship|sub-?internship|shift)\b",
)
_CLICHES = _rx(
    r"\bcontinuity\s+of\s+care\b",
    r"\bhelp(?:ing)?\s+people\b",
    r"\bmake\s+a\s+difference\b",
    r"\b(?:I've|I\s+have)\s+always\s+(?:wanted|loved|been)\b",
    r"\bever\s+since\s+I\s+was\b",
    r"\bsince\s+I\s+was\s+(?:a\s+child|young|little)\b",
    r"\bI\s+love\b",
)

# ---------------------------------------------------------------- red flags

_FLAG_EVENTS: dict[str, tuple[re.Pattern[str], ...]] = {
    "course_fail": _rx(
        rf"\b(?:failed|failing|{_nt('did')}\s+pass)\s+(?:my\s+|the\s+|a\s+|an\s+|our\s+)?"
        r"(?:[\w/-]+\s+){0,2}?(?:clerkships?|courses?|rotations?|class(?:es)?|blocks?|modules?|"
        r"shelf(?:\s+exams?)?|subjects?)\b",
        r"\b(?:clerkship|course|rotation|class|block|shelf)\s+failures?\b",
        r"\bfailed\s+me\b",
    ),
    "exam_fail": _rx(
        rf"\b(?:failed|{_nt('did')}\s+pass)\s+(?:my\s+|the\s+)?(?:first\s+attempt\s+(?:at|on)\s+)?"
        r"(?:USMLE\s+|COMLEX\s+)?(?:Step|Level)\s*[123]\w*",
    ),
    "repeat_year": _rx(
        r"\brepeat(?:ed|ing)?\s+(?:my\s+|the\s+|a\s+)?(?:[\w-]+\s+){0,2}?year\b",
        r"\bheld\s+back\b",
        r"\bdecelerat\w+\b",
        r"\ban\s+extra\s+year\b",
    ),
    "loa": _rx(
        r"\b(?:took|take|taking)\s+(?:a\s+|some\s+)?(?:medical\s+|personal\s+)?leave(?:\s+of\s+absence)?\b",
        r"\bleave\s+of\s+absence\b",
        r"\b(?:took|take|taking)\s+(?:some\s+)?time\s+(?:off|away)\b",
        r"\bstepped\s+away\b",
        r"(?-i:\bLOA\b)",
    ),
    "professionalism": _rx(
        r"\bprofessionalism\s+(?:concerns?|reports?|notes?|issues?|citations?|lapses?|flags?|"
        r"comments?|evaluations?)\b",
        r"\bprofessionalism\b",
        r"\bunprofessional\b",
        r"\b(?:was|were)\s+(?:repeatedly\s+|often\s+)?late\b",
        r"\blapses?\b",
    ),
}
_OWNERSHIP = _rx(
    r"\bI\s+(?:really\s+|initially\s+|also\s+)?(?:failed|struggled|took|made|missed|repeated|"
    r"fell\s+behind|underestimated|needed|chose|decided|lost|had\s+trouble|had\s+difficulty|"
    r"own|owned|take\s+(?:full\s+)?responsibility|took\s+(?:full\s+)?responsibility)\b",
    rf"\bI\s+{_nt('did')}\s+(?:pass|meet|manage|keep\s+up|prepare|ask|seek)\b",
    rf"\bI\s+{_nt('was')}\s+(?:prepared|ready|organi[sz]ed)\b",
    r"\bmy\s+(?:own\s+)?(?:mistake|responsibility|time\s+management|preparation|study\s+habits|"
    r"documentation|choice|decision|fault|health)\b",
)
_RESOLUTION = _rx(
    r"\b(?:met|worked|meet|work|meeting|working)\s+with\s+(?:my\s+|a\s+|an\s+|the\s+|our\s+)?"
    r"(?:[\w-]+\s+){0,2}?(?:director|dean|advisor|adviser|mentor|tutor|coach|counsel(?:l)?or|"
    r"therapist|doctor|physician|faculty|attending|team|specialist)s?\b",
    r"\bcompleted\s+(?:a\s+|an\s+|the\s+|my\s+|all\s+)?(?:[\w-]+\s+){0,2}?(?:remediation"
    r"(?:\s+(?:rotation|course|block|plan|program|exam))?|rotations?|courses?|program|plan|"
    r"clerkships?|blocks?|treatment)\b",
    r"\bremediat(?:ed|ion|ing)\b",
    r"\b(?:re)?passed\b",
    r"\bretook\b",
    r"\b(?:sought|got|received|started|accepted)\s+(?:help|treatment|tutoring|support|"
    r"counsel(?:l)?ing|therapy|care|coaching)\b",
    r"\b(?:learned|built|developed|started\s+using|set\s+up|created|use)\s+(?:a\s+|new\s+|"
    r"better\s+)?(?:system|routine|schedule|habits?|strateg(?:y|ies)|plan|checklist)\b",
    r"\breturned\s+(?:to|full[- ]time)\b",
    r"\bapologi[sz]ed\b",
)
_STABILITY = _rx(
    r"\bsince\s+then,?\s+I(?:'ve|\s+have)\b",
    r"\b(?:I(?:'ve|\s+have)|have)\s+since\b",
    r"\bno\s+(?:further|other|more|additional)\s+(?:\w+\s+)?(?:concerns?|issues?|problems?|"
    r"failures?|incidents?|difficult(?:y|ies))\b",
    r"\bwithout\s+(?:any\s+)?(?:further\s+)?(?:concerns?|issues?|problems?|difficult(?:y|ies)|"
    r"incidents?)\b",
    r"\b(?:all|every)\s+(?:subsequent|later|following|other|remaining)\s+(?:\w+\s+)?"
    r"(?:rotations?|courses?|clerkships?|exams?|years?|blocks?)\b",
    r"\b(?:I(?:'m|\s+am)\s+)?now\b",
    r"\b(?:currently|today)\b",
)
# Another negative event, volunteered.
_SECOND_PROBLEM = _rx(
    r"\balso\s+(?:failed|repeated|struggled|had\s+to\s+repeat|received\s+a|got\s+a|had\s+a|"
    r"took\s+a\s+leave)\b",
    r"\bfailed\s+(?:\w+\s+){0,3}?again\b",
    r"\band\s+then\s+I\s+also\b",
    r"\ba\s+second\s+time\b",
    r"\b(?:failed|repeated|missed)\s+another\b",
    r"\banother\s+(?:[\w-]+\s+){0,2}?(?:failure|problem|issue|incident|concern|complaint|setback|"
    r"leave|attempt)s?\b",
)

# ---------------------------------------------------------------- where-matched

_WHERE_PLAIN = _rx(
    *(p.pattern for p in _ACK),
    r"\b(?:taking|doing)\s+(?:a\s+)?(?:research|gap)\s+year\b",
    r"\bresearch\s+year\b",
    r"\b(?:I'm|I\s+am)\s+(?:doing|working|spending)\b",
)
_CHANGE_SUBJECT = _rx(
    r"\banyway\b",
    r"\bhow\s+about\s+you\b",
    r"\bwhat\s+about\s+you\b",
    r"\bhow(?:'s|\s+is|\s+are|\s+was)\b",
    r"\benough\s+about\s+me\b",
    r"\btell\s+me\s+about\b",
    r"\bwhat's\s+new\b",
)

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


# ---------------------------------------------------------------- rule helpers

# A rule gives its check and the one suggestion it would make if chosen.
_Rule = tuple[Check, str]
_EMPTY_DETAIL = "Nothing to go on yet: there are too few words to judge this."


def _sentences_with(t: _Text, patterns: Sequence[re.Pattern[str]]) -> set[int]:
    return {t.sentence_index(s.start) for s in t.find(patterns)}


def _clock(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"


def _quoted(words: Iterable[str]) -> str:
    return ", ".join(f"“{w}”" for w in words)


def _acknowledgement(t: _Text, growth_like: set[int]) -> _Rule:
    """Present, first, brief and plain."""
    key, label = "acknowledgement", "Brief acknowledgement first"
    spans = t.find(_ACK)
    if not spans:
        return (
            Check(
                key,
                label,
                "missing",
                "The non-match isn't named. One calm sentence saying it lets the listener "
                "relax and hear the rest.",
            ),
            "Start with the acknowledgement: one calm sentence, such as “I didn't match last "
            "cycle,” then go straight to what you did.",
        )
    first = t.sentence_index(spans[0].start)
    quote = (t.sentence_text(first),)
    opener_ok = first == 1 and 0 not in growth_like and t.sentences[0].words <= 10
    if first != 0 and not opener_ok:
        return (
            Check(
                key,
                label,
                "partly",
                "You name it, but not at the start. Said first, it's over with quickly and "
                "the year gets the spotlight.",
                quote,
            ),
            "Move the acknowledgement to your very first sentence, so everything after it can "
            "be about the year.",
        )
    lead = next((i for i in range(len(t.sentences)) if i in growth_like), len(t.sentences))
    tone = t.find((*_SELF_PITY, *_BLAME), within=first)
    if tone:
        return (
            Check(
                key,
                label,
                "partly",
                "It's there and it's first, but the sentence carries more than the fact. "
                "Calm and factual is enough.",
                quote,
            ),
            "Keep your first sentence to the fact alone, like “I didn't match last cycle.” "
            "How it felt is real, and it can stay out of the interview room.",
        )
    if lead > ACK_MAX_SENTENCES or t.sentences[first].words > ACK_MAX_WORDS:
        return (
            Check(
                key,
                label,
                "partly",
                "It's first, but it runs long. The non-match needs naming, not retelling.",
                quote,
            ),
            "Cut the opening to one or two short sentences, then move on to what you did.",
        )
    return (
        Check(key, label, "pass", "Named first, briefly and plainly. Well done.", quote),
        "",
    )


def _concrete(t: _Text) -> tuple[list[_Span], list[_Span]]:
    """The role phrases and the results (numbers, named outputs, responsibilities)."""
    roles = t.find(_ROLE)
    results = t.find((*_OUTPUTS, *_DUTIES))
    return roles, results


def _growth(t: _Text, role: Mapping[str, Any] | None) -> _Rule:
    """A concrete role and concrete results, as the largest part of the answer."""
    key, label = "growth", "Growth, with concrete results"
    roles, results = _concrete(t)
    role_words = ROLE_WORDS.get(_role_kind(role), "")
    quotes = _quotes(t, _merge([*roles, *results]))
    if not roles and not results:
        hint = f" (for you, {role_words.split(',')[0]})" if role_words else ""
        return (
            Check(
                key,
                label,
                "missing",
                "The year itself isn't described yet: no role and no results to point to.",
            ),
            f"Say what your role is{hint} and one result you can count or name: abstracts, "
            "patients, hours, a QI project.",
        )
    if not results:
        return (
            Check(
                key,
                label,
                "partly",
                "You name the role, but not what came of it. A number or a named piece of "
                "work makes it real.",
                quotes,
            ),
            "Add one result you can count or name to your role: how many abstracts, patients "
            "or hours, or the project's name.",
        )
    if not roles:
        return (
            Check(
                key,
                label,
                "partly",
                "There are concrete results, but not the role they came from.",
                quotes,
            ),
            "Say what the role was (title and department), so your results have a home.",
        )
    growth_sentences = {t.sentence_index(s.start) for s in (*roles, *results)}
    share = sum(t.sentences[i].words for i in growth_sentences) / max(1, t.words)
    if share < GROWTH_SHARE:
        return (
            Check(
                key,
                label,
                "partly",
                f"The results are concrete, but they fill only about {round(share * 100)}% of "
                "the answer. The year should be the biggest part.",
                quotes,
            ),
            "Give the year more room: two or three sentences on what you did and what came "
            "of it, and less on the rest.",
        )
    return (
        Check(
            key,
            label,
            "pass",
            "A real role with results someone can check, and it's the heart of the answer.",
            quotes,
        ),
        "",
    )


def _forward_in_last(t: _Text) -> tuple[list[_Span], bool]:
    """Forward-looking phrases in the last sentence, and whether any appear elsewhere."""
    if not t.sentences:
        return [], False
    last = t.find(_FORWARD, within=len(t.sentences) - 1)
    return last, bool(t.find(_FORWARD))


def _tie(t: _Text, specialty: str) -> _Rule:
    """Names the specialty, says what the year deepened, and ends looking forward."""
    key = "tie"
    name = specialty or "your specialty"
    label = f"Tie to {specialty}, ending forward" if specialty else "Tie to the specialty"
    named = t.find(_specialty_terms(specialty))
    deepened = t.find(_DEEPENED)
    forward, forward_anywhere = _forward_in_last(t)
    # The fullest naming of the specialty ("internal medicine" over "medicine") is quoted.
    best = sorted(named, key=lambda s: (s.start - s.end, s.start))[:1]
    quotes = _quotes(t, [*best, *deepened[:1], *forward[:1]])
    gaps = []
    if not named:
        gaps.append(f"name {name}")
    if not deepened:
        gaps.append("say what this year deepened")
    if not forward:
        gaps.append(
            "move the forward-looking line to the very end"
            if forward_anywhere
            else "end with a sentence that looks ahead"
        )
    if not gaps:
        return (
            Check(
                key,
                label,
                "pass",
                f"You connect the year to {name} and finish looking ahead.",
                quotes,
            ),
            "",
        )
    status: Status = "missing" if len(gaps) == 3 and not forward_anywhere else "partly"
    todo = "; ".join(gaps)
    detail = f"To close the loop: {todo}."
    if status == "missing":
        suggestion = (
            f"Finish with two sentences: what this year showed you about {name} (one specific "
            "thing you saw or did), then what you're ready to bring as a resident."
        )
    elif not named:
        suggestion = f"Say {name} by name when you explain what this year deepened."
    elif not deepened:
        suggestion = (
            f"Add one sentence on what the year deepened about {name}: a patient group, a "
            "clinic, a question you kept working on."
        )
    else:
        suggestion = (
            "Make your last sentence look ahead: what you're ready to do as a resident, "
            "or what you look forward to."
        )
    return Check(key, label, status, detail, quotes), suggestion


def _tone(t: _Text, *, hedges: bool = True, blame: bool = True) -> _Rule:
    """No self-pity, no blame, no excuses; few softeners."""
    key, label = "tone", "Calm, factual tone"
    kinds = [("pity", _SELF_PITY), ("excuse", _EXCUSE)]
    if blame:
        kinds.insert(1, ("blame", _BLAME))
    if hedges:
        kinds.append(("hedge", _HEDGE))
    # Spans of all kinds compete together, so "unfair to me" (self-pity) wins over "unfair".
    hits = _merge(
        _Span(m.start(), m.end(), kind)
        for kind, patterns in kinds
        for p in patterns
        for m in p.finditer(t.plain)
    )
    by_kind = {kind: [h for h in hits if h.kind == kind] for kind, _ in kinds}
    quotes = _quotes(t, hits)
    serious = [k for k in ("blame", "pity", "excuse") if by_kind.get(k)]
    n_hedges = len(by_kind.get("hedge", []))
    if not hits:
        if t.words < MIN_WORDS:
            return (
                Check(key, label, "missing", _EMPTY_DETAIL),
                "Say a full answer out loud, then we'll look at the tone.",
            )
        return (
            Check(key, label, "pass", "Steady and factual all the way through.", ()),
            "",
        )
    details = {
        "blame": "Some words put the outcome on others. Even where there's truth in it, "
        "interviewers hear it as a risk; what you did next serves you better.",
        "pity": "Some lines dwell on how hard it was. It was hard, and that's real; in the "
        "interview it can sound like where you still are.",
        "excuse": "An excuse slipped in. Saying what happened and what you did next is "
        "stronger than why it was out of your hands.",
        "hedge": "Softening words make real work sound smaller. You did these things; say "
        "them plainly.",
    }
    detail = " ".join(details[k] for k in (*serious, *(["hedge"] if n_hedges else [])))
    status: Status = "flag" if serious or n_hedges >= HEDGE_FLAG_AT else "partly"
    if serious:
        worst = serious[0]
        q = t.quote(by_kind[worst][0])
        suggestion = {
            "blame": f"Leave out “{q}” and tell it from your side: what happened, with “I” as "
            "the subject, and what you did next. That part is yours.",
            "pity": f"Swap “{q}” for one steady line about what the year gave you. The "
            "feelings belong with people close to you, not in this answer.",
            "excuse": f"Drop “{q}”. Name what happened in a few words, then what you did about it.",
        }[worst]
    else:
        soft = _quotes(t, by_kind["hedge"], limit=3)
        suggestion = (
            f"Drop the softeners ({_quoted(soft)}): say “I did” and “I led”. You earned them."
        )
    return Check(key, label, status, detail, quotes), suggestion


def _evidence(t: _Text) -> _Rule:
    """Adjectives about oneself only count with a number or named output in the same sentence."""
    key, label = "evidence", "Evidence, not adjectives"
    adjectives = t.find(_ADJECTIVES)
    outputs = t.find(_OUTPUTS)
    backed = {t.sentence_index(s.start) for s in outputs}
    bare = [a for a in adjectives if t.sentence_index(a.start) not in backed]
    if bare:
        quotes = _quotes(t, bare)
        return (
            Check(
                key,
                label,
                "flag",
                "These describe you without proof next to them. Anyone can say them; a "
                "number or a named project shows them.",
                quotes,
            ),
            f"Swap “{quotes[0]}” for the proof behind it: a number or a piece of work, like "
            "how many patients you followed or what you pushed to submission.",
        )
    if not outputs or t.words < MIN_WORDS:
        return (
            Check(
                key,
                label,
                "missing",
                "No numbers or named work yet; those are what make an answer believable.",
            ),
            "Add one number or named piece of work: an abstract, a poster, patients, hours.",
        )
    return (
        Check(
            key,
            label,
            "pass",
            "Your results do the talking; no empty adjectives.",
            _quotes(t, outputs, limit=3),
        ),
        "",
    )


def _repeated(t: _Text) -> list[tuple[str, int]]:
    """The most repeated content words (REPEAT_AT times or more), as first written."""
    first_seen: dict[str, str] = {}
    counts: Counter[str] = Counter()
    for m in _WORD.finditer(t.plain):
        word = m.group().lower()
        if len(word) < 3 or not word.isalpha() or word in _STOP_WORDS:
            continue
        counts[word] += 1
        first_seen.setdefault(word, t.raw[m.start() : m.end()])
    return [(first_seen[w], n) for w, n in counts.most_common(REPEAT_SHOWN) if n >= REPEAT_AT]


def _length_status(seconds: int, target: tuple[int, int]) -> Status:
    lo, hi = target
    if seconds <= 0:
        return "missing"
    if lo <= seconds <= hi:
        return "pass"
    if seconds > hi * FAR_TOO_LONG:
        return "flag"
    return "partly"


def _length(t: _Text, target: tuple[int, int]) -> _Rule:
    """Words and speaking time against the target, fillers, and over-used words."""
    key, label = "length", "Length and delivery"
    lo, hi = target
    seconds = speaking_seconds(t.words)
    aim = f"{_clock(lo)}-{_clock(hi)}"
    if t.words < MIN_WORDS:
        return (
            Check(key, label, "missing", _EMPTY_DETAIL),
            f"Aim for about {_clock(lo)} to {_clock(hi)} out loud.",
        )
    fillers = t.find(_FILLERS)
    repeats = _repeated(t)
    status = _length_status(seconds, target)
    said = f"{t.words} words, about {_clock(seconds)} at a calm pace (aim {aim})."
    notes = []
    if fillers:
        notes.append(f"Fillers: {_quoted(_quotes(t, fillers))} ({len(fillers)} in all).")
    if repeats:
        notes.append("Words you lean on: " + ", ".join(f"“{w}” ×{n}" for w, n in repeats) + ".")
    if status == "pass" and (len(fillers) >= FILLER_LIMIT or repeats):
        status = "partly"
    quotes = _quotes(t, fillers) + tuple(w for w, _ in repeats)
    detail = " ".join([said, *notes])
    if seconds > hi:
        suggestion = (
            f"Trim it to under {_clock(hi)}: keep the opening line, your two strongest "
            "results and the closing line; let the rest go."
        )
    elif seconds < lo:
        suggestion = (
            f"Add a sentence or two on what you did and what came of it; you have room up "
            f"to about {_clock(hi)}."
        )
    elif len(fillers) >= FILLER_LIMIT:
        suggestion = (
            f"Say it once more, slowly, and let a short pause take the place of "
            f"{_quoted(_quotes(t, fillers, limit=3))}."
        )
    elif repeats:
        suggestion = (
            f"Vary “{repeats[0][0]}” (you said it {repeats[0][1]} times): use a pronoun "
            "or a more specific word the second time round."
        )
    else:
        suggestion = ""
    return Check(key, label, status, detail, quotes), suggestion


# Common words that say nothing about content; repetition of these is normal speech.
_STOP_TEXT = """
    a about above after again against all also am an and any are aren't as at be because been
    before being below between both but by can can't could couldn't did didn't do does doesn't
    doing don't down during each few for from further had hadn't has hasn't have haven't having
    he he'd he'll he's her here here's hers herself him himself his how how's i i'd i'll i'm i've
    if in into is isn't it it's its itself let's me more most mustn't my myself no nor not of off
    on once only or other ought our ours ourselves out over own same shan't she she'd she'll
    she's should shouldn't so some such than that that's the their theirs them themselves then
    there there's these they they'd they'll they're they've this those through to too under until
    up very was wasn't we we'd we'll we're we've were weren't what what's when when's where
    where's which while who who's whom why why's with won't would wouldn't you you'd you'll you're
    you've your yours yourself yourselves just really also like um uh well much many every one
    two three since year last this past each get got now will
"""
_STOP_WORDS = frozenset(_STOP_TEXT.split())


# How urgent a check's status is when picking the one suggestion: a flag can hurt the answer,
# so it comes first; then a part that is missing; then a part that is only partly there.
_URGENCY: Mapping[str, int] = MappingProxyType({"flag": 0, "missing": 1, "partly": 2})


def _pick(rules: Sequence[_Rule], order: Sequence[str], done: str) -> str:
    """The suggestion of the most urgent non-passing check; ``order`` breaks ties.

    So an empty answer (everything missing) starts with the acknowledgement, and a long answer
    that blames hears about the blame before the length.
    """
    rank = {key: i for i, key in enumerate(order)}
    waiting = [
        (_URGENCY[check.status], rank.get(check.key, len(rank)), text)
        for check, text in rules
        if check.status != "pass" and text
    ]
    return min(waiting)[2] if waiting else done


_ALL_GOOD = (
    "Keep this version. Say it out loud a few more times until it feels like yours, then "
    "record a voice note to check the timing."
)


def _report(
    question: str,
    t: _Text,
    rules: Sequence[_Rule],
    question_key: str,
    target: tuple[int, int],
    scaffold_text: str,
) -> Report:
    return Report(
        question=question,
        checks=tuple(check for check, _ in rules),
        words=t.words,
        seconds=speaking_seconds(t.words),
        target=target,
        suggestion=_pick(rules, PRIORITY[question_key], _ALL_GOOD),
        scaffold=scaffold_text,
    )


def _valid_target(target: tuple[int, int]) -> tuple[int, int]:
    lo, hi = int(target[0]), int(target[1])
    if lo < 0 or hi <= 0 or lo > hi:
        raise ValueError(f"target must be (low, high) seconds with 0 <= low <= high, not {target}")
    return lo, hi


# ---------------------------------------------------------------- the reviews


def review_past_year(
    answer: str,
    *,
    specialty: str | None,
    profile: Mapping[str, Any],
    role: Mapping[str, Any] | None,
    target: tuple[int, int] = DEFAULT_TARGET,
) -> Report:
    """Feedback on "So, you're applying again. What did you do this past year?"."""
    target = _valid_target(target)
    t = _Text(answer)
    name = _target_name(specialty, profile)
    growth_like = _sentences_with(t, (*_ROLE, *_OUTPUTS, *_DUTIES, *_DEEPENED))
    rules = [
        _acknowledgement(t, growth_like),
        _growth(t, role),
        _tie(t, name),
        _tone(t),
        _evidence(t),
        _length(t, target),
    ]
    return _report(
        QUESTIONS["past_year"],
        t,
        rules,
        "past_year",
        target,
        scaffold("past_year", specialty=specialty, profile=profile, role=role),
    )


def _learned(t: _Text) -> _Rule:
    key, label = "learned", "What you learned"
    spans = t.find(_LEARNED)
    if spans:
        return (
            Check(
                key,
                label,
                "pass",
                "You show you looked honestly at why. That's what they want to hear.",
                _quotes(t, spans, limit=3),
            ),
            "",
        )
    return (
        Check(
            key,
            label,
            "missing",
            "The answer doesn't say what you took from it. One honest reason shows insight.",
        ),
        "Add what you learned: the one or two real reasons, said plainly, like “my program "
        "list was too short and too academic.”",
    )


def _acted(t: _Text, role: Mapping[str, Any] | None) -> _Rule:
    key, label = "acted", "What you did about it"
    roles, results = _concrete(t)
    concrete = _merge([*roles, *results])
    actions = t.find(_ACTED)
    if concrete:
        return (
            Check(
                key,
                label,
                "pass",
                "You show concrete steps with results.",
                _quotes(t, concrete, limit=4),
            ),
            "",
        )
    role_words = ROLE_WORDS.get(_role_kind(role), "")
    hint = f" (for you, {role_words.split(',')[0]})" if role_words else ""
    if actions:
        return (
            Check(
                key,
                label,
                "partly",
                "You say what you did; a number or a named result would make it land.",
                _quotes(t, actions, limit=3),
            ),
            "Put one number or named result on what you did: how many programs, which exam "
            "and score, which project.",
        )
    return (
        Check(key, label, "missing", "The answer doesn't yet say what you changed."),
        f"Say what you did about it{hint}, with one result you can count or name.",
    )


def _forward(t: _Text) -> _Rule:
    key, label = "forward", "Ending forward"
    last, anywhere = _forward_in_last(t)
    if last:
        return (
            Check(key, label, "pass", "You finish looking ahead.", _quotes(t, last[:1])),
            "",
        )
    if anywhere:
        return (
            Check(
                key,
                label,
                "partly",
                "There's a forward-looking line, but it isn't the last thing they hear.",
                _quotes(t, t.find(_FORWARD)[:1]),
            ),
            "Move your forward-looking line to the very end, so it's what stays with them.",
        )
    return (
        Check(key, label, "missing", "The answer stops without looking ahead."),
        "End on what comes next: what you're ready to bring to residency.",
    )


def _review_not_matching(
    answer: str,
    *,
    specialty: str | None,
    profile: Mapping[str, Any],
    role: Mapping[str, Any] | None,
    target: tuple[int, int],
) -> Report:
    """Acknowledge briefly, what you learned, what you did about it, forward."""
    target = _valid_target(target)
    t = _Text(answer)
    growth_like = _sentences_with(t, (*_ROLE, *_OUTPUTS, *_DUTIES, *_LEARNED, *_ACTED))
    rules = [
        _acknowledgement(t, growth_like),
        _learned(t),
        _acted(t, role),
        _forward(t),
        _tone(t),
        _evidence(t),
        _length(t, target),
    ]
    return _report(
        QUESTIONS["not_matching"],
        t,
        rules,
        "not_matching",
        target,
        scaffold("not_matching", specialty=specialty, profile=profile, role=role),
    )


def _names_specialty(t: _Text, name: str) -> _Rule:
    key = "specialty"
    label = f"Names {name}" if name else "Names the specialty"
    spans = t.find(_specialty_terms(name))
    if spans:
        return (
            Check(key, label, "pass", "The specialty is named.", _quotes(t, spans[:1])),
            "",
        )
    return (
        Check(key, label, "missing", "The specialty itself isn't named."),
        f"Say {name or 'the specialty'} by name in your first sentence.",
    )


def _story(t: _Text) -> _Rule:
    key, label = "story", "A specific patient or moment"
    spans = t.find(_STORY)
    if spans:
        return (
            Check(
                key,
                label,
                "pass",
                "You ground it in something that happened. That's what people remember.",
                _quotes(t, spans, limit=3),
            ),
            "",
        )
    cliches = t.find(_CLICHES)
    if cliches:
        return (
            Check(
                key,
                label,
                "partly",
                "These are lines many applicants use. They become yours with a real "
                "moment behind them.",
                _quotes(t, cliches),
            ),
            f"Back up “{t.quote(cliches[0])}” with one specific patient: who they were, "
            "what you did, what it showed you.",
        )
    return (
        Check(key, label, "missing", "No specific patient or clinical moment yet."),
        "Tell one specific moment: a patient you cared for, what you noticed and what you did.",
    )


def _review_why_specialty(
    answer: str,
    *,
    specialty: str | None,
    profile: Mapping[str, Any],
    role: Mapping[str, Any] | None,
    target: tuple[int, int],
) -> Report:
    """Names the specialty, tells a real moment, evidence over adjectives, tone, length."""
    target = _valid_target(target)
    t = _Text(answer)
    name = _target_name(specialty, profile)
    rules = [
        _names_specialty(t, name),
        _story(t),
        _tone(t),
        _evidence(t),
        _length(t, target),
    ]
    return _report(
        question_text("why_specialty", specialty=specialty, profile=profile),
        t,
        rules,
        "why_specialty",
        target,
        scaffold("why_specialty", specialty=specialty, profile=profile, role=role),
    )


def _red_flag_length(t: _Text) -> _Rule:
    key, label = "length", "Two or three sentences"
    n = len(t.sentences)
    low, high = RED_FLAG_SENTENCES
    said = f"{n} sentence{'s' if n != 1 else ''}, {t.words} words."
    if t.words < MIN_WORDS:
        return (
            Check(key, label, "missing", _EMPTY_DETAIL),
            "Write it in two or three sentences: what happened, what you did, where you are now.",
        )
    if n > high + 1:
        return (
            Check(key, label, "flag", f"{said} The longer it runs, the bigger it sounds."),
            "Cut it to two or three sentences: what happened, what you did, where you are now.",
        )
    if n > high or n < low or t.words > RED_FLAG_MAX_WORDS:
        return (
            Check(key, label, "partly", f"{said} Two or three short sentences is the sweet spot."),
            "Shape it into two or three short sentences: what happened, what you did, and "
            "where you are now.",
        )
    return Check(key, label, "pass", f"{said} Short enough to stay in proportion.", ()), ""


def review_red_flag(answer: str, *, profile: Mapping[str, Any]) -> Report:
    """Feedback on a red-flag explanation: named, owned, resolved, stable now, nothing extra."""
    t = _Text(answer)
    flags = red_flags(profile)
    mentioned: dict[str, list[_Span]] = {
        code: t.find(patterns) for code, patterns in _FLAG_EVENTS.items()
    }
    mentioned = {code: spans for code, spans in mentioned.items() if spans}
    # The flag being explained: the profile's own, or (with none stored) the first one named.
    order = sorted(mentioned, key=lambda c: mentioned[c][0].start)
    allowed = set(flags) or set(order[:1])

    named = [s for code in allowed for s in mentioned.get(code, [])]
    if named:
        ack = (
            Check(
                "acknowledgement",
                "Names what happened",
                "pass",
                "You say plainly what happened.",
                _quotes(t, _merge(named)[:1]),
            ),
            "",
        )
    else:
        what = _FLAG_NAMES.get(flags[0], "what happened") if flags else "what happened"
        ack = (
            Check(
                "acknowledgement",
                "Names what happened",
                "missing",
                "The event itself isn't named. Saying it plainly takes the mystery out of it.",
            ),
            f"Open by naming it in plain words ({what}), with “I” as the subject.",
        )

    owned = t.find(_OWNERSHIP)
    ownership = (
        (
            Check(
                "ownership",
                "Owned in the first person",
                "pass",
                "You own it in your own voice.",
                _quotes(t, owned, limit=3),
            ),
            "",
        )
        if owned
        else (
            Check(
                "ownership",
                "Owned in the first person",
                "missing",
                "It's told as something done to you. Owning it is what makes it land well.",
            ),
            "Tell it with “I” as the subject, like “I failed…” or “I struggled with…”. "
            "Owning it takes the sting out of it.",
        )
    )

    fixed = t.find(_RESOLUTION)
    resolution = (
        (
            Check(
                "resolution",
                "What you did about it",
                "pass",
                "You show what you did to put it right.",
                _quotes(t, fixed),
            ),
            "",
        )
        if fixed
        else (
            Check(
                "resolution",
                "What you did about it",
                "missing",
                "What you did to fix it isn't there yet.",
            ),
            "Add what you did about it: who you worked with and what you completed or passed.",
        )
    )

    last = len(t.sentences) - 1
    steady_last = t.find(_STABILITY, within=last) if t.sentences else []
    steady_any = t.find(_STABILITY)
    if steady_last:
        stability = (
            Check(
                "stability",
                "Stable now",
                "pass",
                "You finish on where things stand now.",
                _quotes(t, steady_last),
            ),
            "",
        )
    elif steady_any:
        stability = (
            Check(
                "stability",
                "Stable now",
                "partly",
                "You mention how things are now, but it isn't the last thing they hear.",
                _quotes(t, steady_any),
            ),
            "Move the “since then” line to the end, so you finish on where you stand today.",
        )
    else:
        stability = (
            Check(
                "stability",
                "Stable now",
                "missing",
                "The answer doesn't say how things have gone since.",
            ),
            "Finish on where you stand now, in the present tense: what has gone well since, "
            "with no further concerns.",
        )

    # Markers and extra events compete as raw matches, so the fullest wording of each is quoted.
    extra = _merge(
        [
            *_raw(t, _SECOND_PROBLEM),
            *(s for code in order if code not in allowed for s in _raw(t, _FLAG_EVENTS[code])),
        ]
    )
    if extra:
        q = _quotes(t, extra)
        one_problem = (
            Check(
                "one_problem",
                "One event only",
                "flag",
                "A second problem is volunteered here. It turns one explained event into a "
                "pattern they'll want to ask about.",
                q,
            ),
            f"Keep this answer to the one event: take out “{q[0]}”. If they ask about "
            "anything else, answer it then.",
        )
    elif t.words < MIN_WORDS:
        one_problem = (Check("one_problem", "One event only", "missing", _EMPTY_DETAIL), "")
    else:
        one_problem = (
            Check("one_problem", "One event only", "pass", "You keep to the one event.", ()),
            "",
        )

    rules = [
        ack,
        ownership,
        resolution,
        stability,
        _tone(t),
        one_problem,
        _red_flag_length(t),
    ]
    question = (
        question_text("red_flag", profile=profile)
        if flags
        else "Could you walk me through that part of your record?"
    )
    return _report(
        question,
        t,
        rules,
        "red_flag",
        RED_FLAG_TARGET,
        scaffold("red_flag", specialty=None, profile=profile, role=None),
    )


def review_where_matched(answer: str) -> Report:
    """Feedback on the script for a friend's "So where did you match?"."""
    t = _Text(answer)
    plain = t.find(_WHERE_PLAIN)
    rules: list[_Rule] = []
    if plain:
        rules.append(
            (
                Check(
                    "plain_answer",
                    "A calm, plain answer",
                    "pass",
                    "You say it plainly, without apology.",
                    _quotes(t, plain[:1]),
                ),
                "",
            )
        )
    else:
        rules.append(
            (
                Check(
                    "plain_answer",
                    "A calm, plain answer",
                    "missing",
                    "There's no plain line yet about where things stand.",
                ),
                "Start with one plain line you're at ease saying, such as what you're doing "
                "this year and that you're applying again.",
            )
        )
    rules.append(_tone(t, hedges=False))

    statements = [i for i, s in enumerate(t.sentences) if not t.sentence_text(i).endswith("?")]
    if t.words == 0:
        brief = (
            Check("brief", "Short: a sentence or two", "missing", _EMPTY_DETAIL),
            "Keep it to one or two sentences.",
        )
    elif t.words > WHERE_MAX_WORDS:
        brief = (
            Check(
                "brief",
                "Short: a sentence or two",
                "flag",
                f"{t.words} words: that's explaining more than anyone asked. A short answer "
                "protects you.",
            ),
            "Cut it to one or two sentences. You don't owe anyone the whole story.",
        )
    elif len(statements) > WHERE_MAX_STATEMENTS:
        brief = (
            Check(
                "brief",
                "Short: a sentence or two",
                "partly",
                f"{len(statements)} sentences before you move on; two is plenty.",
            ),
            "Fold it into one or two sentences, then move the conversation on.",
        )
    else:
        brief = (
            Check("brief", "Short: a sentence or two", "pass", "Short and easy to say.", ()),
            "",
        )
    rules.append(brief)

    last = len(t.sentences) - 1
    if t.sentences and t.sentence_text(last).endswith("?"):
        change = (
            Check(
                "change_subject",
                "Then change the subject",
                "pass",
                "You hand the conversation back. Nicely done.",
                (t.sentence_text(last),),
            ),
            "",
        )
    elif t.sentences and t.find(_CHANGE_SUBJECT, within=last):
        change = (
            Check(
                "change_subject",
                "Then change the subject",
                "pass",
                "You move the conversation on.",
                _quotes(t, t.find(_CHANGE_SUBJECT, within=last)[:1]),
            ),
            "",
        )
    elif t.find(_CHANGE_SUBJECT) or any(
        t.sentence_text(i).endswith("?") for i in range(len(t.sentences))
    ):
        change = (
            Check(
                "change_subject",
                "Then change the subject",
                "partly",
                "You turn it around, but then keep going. End on the turn.",
            ),
            "End right after you turn it back to them, with a question about their life.",
        )
    else:
        change = (
            Check(
                "change_subject",
                "Then change the subject",
                "missing",
                "Nothing moves the conversation on, so it stays on you.",
            ),
            "End by turning it back to them with a question, like asking how their new job "
            "is going.",
        )
    rules.append(change)
    return _report(
        QUESTIONS["where_matched"],
        t,
        rules,
        "where_matched",
        (0, speaking_seconds(WHERE_MAX_WORDS)),
        scaffold("where_matched", specialty=None, profile={}, role=None),
    )


def review_answer(
    question_key: str,
    answer: str,
    *,
    specialty: str | None,
    profile: Mapping[str, Any],
    role: Mapping[str, Any] | None,
    target: tuple[int, int] = DEFAULT_TARGET,
) -> Report:
    """Feedback on an answer to any of ``QUESTIONS``."""
    if question_key == "past_year":
        return review_past_year(
            answer, specialty=specialty, profile=profile, role=role, target=target
        )
    if question_key == "not_matching":
        return _review_not_matching(
            answer, specialty=specialty, profile=profile, role=role, target=target
        )
    if question_key == "why_specialty":
        return _review_why_specialty(
            answer, specialty=specialty, profile=profile, role=role, target=target
        )
    if question_key == "red_flag":
        return review_red_flag(answer, profile=profile)
    if question_key == "where_matched":
        return review_where_matched(answer)
    raise ValueError(f"unknown interview question {question_key!r}")


def duration_check(seconds: int, target: tuple[int, int]) -> Check:
    """How a voice note's length (Telegram's duration, in seconds) sits against the target."""
    lo, hi = _valid_target(target)
    seconds = max(0, int(seconds))
    status = _length_status(seconds, (lo, hi))
    label = "Voice note length"
    aim = f"{_clock(lo)}-{_clock(hi)}"
    took = f"{seconds} seconds ({_clock(seconds)})"
    detail = {
        "missing": "The voice note has no length to measure.",
        "pass": f"{took}: right inside your {aim} aim.",
        "partly": (
            f"{took}: shorter than your {aim} aim; there's room for another result or two."
            if seconds < lo
            else f"{took}: a little over your {aim} aim; one sentence less will do."
        ),
        "flag": f"{took}: well past your {aim} aim. Listeners drift after about "
        f"{_clock(hi)}; keep the strongest parts.",
    }[status]
    return Check("duration", label, status, detail, ())


# ---------------------------------------------------------------- scaffolds


def scaffold(
    question_key: str,
    *,
    specialty: str | None,
    profile: Mapping[str, Any] | None,
    role: Mapping[str, Any] | None,
) -> str:
    """A fill-in structure for the answer, using only the user's stored facts.

    Brackets mark what the profile can't know yet; ``BLANK_ROLE``, ``BLANK_RESULTS`` and
    ``BLANK_SPECIALTY`` appear exactly when the role, the research counts or the specialty are
    missing. It is a shape to speak from, never a finished answer to memorise.
    """
    p = profile or {}
    name = _target_name(specialty, p) or BLANK_SPECIALTY
    kind = _role_kind(role)
    role_words = ROLE_WORDS.get(kind, BLANK_ROLE)
    counts = _research_counts(p)
    results = f"{counts} so far, and [your part in them]" if counts else BLANK_RESULTS
    if question_key == "past_year":
        return "\n".join(
            (
                "Three parts, in your own words (about 1-2 minutes):",
                "1. One calm sentence: you didn't match last cycle, and [what it made clear "
                "to you].",
                f"2. The longest part: this year you've been in {role_words}, "
                f"[where: department or hospital]. What came of it: {results}.",
                f"3. What the year deepened about {name}: [one specific patient, clinic or "
                "project]. Then one line looking ahead: [what you're ready to bring as a "
                "resident].",
            )
        )
    if question_key == "not_matching":
        return "\n".join(
            (
                "Four short steps, in your own words:",
                "1. One calm sentence: you didn't match last cycle.",
                "2. What you learned: [the one or two real reasons, said plainly].",
                f"3. What you did about it: {role_words}. What came of it: {results}.",
                f"4. Looking ahead, in {name}: [what you're ready to bring as a resident].",
            )
        )
    if question_key == "why_specialty":
        return "\n".join(
            (
                "A short story, then the link:",
                f"1. What drew you to {name}: [one specific patient or clinical moment].",
                "2. What you did and saw: [two or three concrete details].",
                f"3. This year: in {role_words}, {results}.",
                "4. Looking ahead: [what you want to do as a resident].",
            )
        )
    if question_key == "red_flag":
        flags = red_flags(p)
        opening = {
            "course_fail": "In [when], I failed [which course or clerkship] after struggling "
            "with [what, in your own words].",
            "repeat_year": "I repeated [which year] after [what happened, in a few plain words].",
            "loa": "I took a leave of absence in [when] for [personal or health reasons, only "
            "as much as you want to share].",
            "professionalism": "In [when], I received a professionalism concern for [what "
            "happened, plainly].",
        }.get(
            flags[0] if flags else "", "[What happened, in one plain sentence starting with “I”]."
        )
        return "\n".join(
            (
                "Two or three sentences, in your own words:",
                f"1. {opening}",
                "2. What you did: I [who you worked with, what you completed or passed].",
                "3. Now: since then I have [what has gone well since, in the present tense].",
            )
        )
    if question_key == "where_matched":
        doing = _DOING_WORDS.get(kind, BLANK_DOING)
        if kind == "research" and name != BLANK_SPECIALTY:
            doing = f"{doing} in {name}"
        return "\n".join(
            (
                "One or two sentences you're at ease saying, then turn it back to them:",
                f"1. I didn't match this year, so I'm {doing} while I apply again.",
                "2. [A question about their life, like how their new job is going.]",
            )
        )
    raise ValueError(f"unknown interview question {question_key!r}")


# ---------------------------------------------------------------- chat text

_ICONS: Mapping[str, str] = MappingProxyType(
    {"pass": "✅", "partly": "🟡", "missing": "⭕", "flag": "⚠️"}
)


def _trim(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] if " " in text[: limit - 1] else text[: limit - 1]
    return cut.rstrip(" ,;:") + "…"


def _opening(report: Report) -> str:
    passed = sum(c.status == "pass" for c in report.checks)
    total = len(report.checks)
    if passed == total:
        return "Every part is in place. Strong answer."
    if passed == 0:
        return "Thanks for saying it out loud. Here's the shape to build on."
    return f"{passed} of {total} parts in place. Here's where it stands:"


def _time_line(report: Report) -> str:
    lo, hi = report.target
    spoken = f"{report.words} words, about {_clock(report.seconds)} spoken"
    if lo == 0:
        return f"{spoken} (keep it short)."
    return f"{spoken} (aim {_clock(lo)}-{_clock(hi)})."


def report_text(report: Report) -> str:
    """The report as a short chat message: one line per check, the timing, one suggestion."""
    # Longer quotes first; if the message would run long, fewer and shorter ones.
    for per_line, chars in ((3, QUOTE_CHARS), (2, 50), (1, 40), (0, 0)):
        lines = [f"“{_trim(report.question, 140)}”", _opening(report)]
        for c in report.checks:
            shown = [_trim(q, chars) for q in c.quotes[:per_line]]
            tail = f": {_quoted(shown)}" if shown else ""
            lines.append(f"{_ICONS[c.status]} {c.label}{tail}")
        lines.append(_time_line(report))
        lines.append(f"Next time: {report.suggestion}")
        text = "\n".join(lines)
        if len(text) <= REPORT_LIMIT:
            return text
    return _trim(text, REPORT_LIMIT)


_RANK = {"missing": 0, "flag": 0, "partly": 1, "pass": 2}


def compare(before: Report, after: Report) -> str:
    """What got better from one attempt to the next, said kindly."""
    earlier = {c.key: c for c in before.checks}
    better, closer, slipped = [], [], []
    for c in after.checks:
        old = earlier.get(c.key)
        if old is None or old.status == c.status:
            continue
        if c.status == "pass":
            better.append(c.label)
        elif _RANK[c.status] > _RANK[old.status] or (old.status == "flag" and c.status != "flag"):
            closer.append(c.label)
        elif old.status == "pass":
            slipped.append(c.label)
    lines = []
    if better:
        lines.append("Now in place: " + "; ".join(better) + ".")
    if closer:
        lines.append("Getting closer: " + "; ".join(closer) + ".")
    lo, hi = after.target
    was_in = lo <= before.seconds <= hi
    now_in = lo <= after.seconds <= hi
    if after.words and now_in and not was_in:
        lines.append(
            f"Length: now about {_clock(after.seconds)}, inside your {_clock(lo)}-{_clock(hi)} aim."
        )
    elif after.words and not now_in and not was_in:
        gap_before = min(abs(before.seconds - lo), abs(before.seconds - hi))
        gap_after = min(abs(after.seconds - lo), abs(after.seconds - hi))
        if gap_after < gap_before:
            lines.append(
                f"Length: about {_clock(after.seconds)}, closer to your "
                f"{_clock(lo)}-{_clock(hi)} aim."
            )
    if slipped:
        lines.append("Worth another look: " + "; ".join(slipped) + " (it was there last time).")
    if not lines:
        return "Same as last time: keep going. Each run-through makes the words come easier."
    return "\n".join(lines)
