"""The personal statement: reading a draft from a file, and plain, explainable feedback on it.

The shape follows the plan's advice for a reapplicant's statement, rewritten from scratch in
three parts: why this specialty, told through one or two real patient or clinical moments
(not a cliché such as "continuity of care" with no story behind it); the year since not
matching, owned and told as growth (a role and what came of it, no blame); and evidence
instead of adjectives (a number or a named piece of work beats "hard-working"). About
750-850 words.

The interview practice rules (``rules/interview``) already find most of this in a spoken
answer: the same patterns and checks are called here (a story, the specialty named, the
non-match named, blame and self-pity, adjectives without proof), and only what is particular
to a written statement is added: the three parts, clichés without a story, the year told as
growth, and the length in words. Every point carries the user's own words, and the sentence
they sit in, so the coach shows why. Pure: text in, a ``StatementReport`` out.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from conversations.rules.interview.checks import _evidence
from conversations.rules.interview.patterns import (
    _ACK,
    _BLAME,
    _DUTIES,
    _EXCUSE,
    _FRUSTRATION,
    _OUTPUTS,
    _ROLE,
    _SELF_PITY,
)
from conversations.rules.interview.profile import _specialty_terms, _target_name
from conversations.rules.interview.report import Check, Status, _pick, _Rule, word_count
from conversations.rules.interview.text import _quotes, _Span, _Text
from conversations.rules.interview.why_specialty import (
    _CLICHES,
    _STORY,
    _names_specialty,
    _story,
)

# ---------------------------------------------------------------- limits

# The length a statement aims for, in words; a little either side is close, far off is a flag.
TARGET_WORDS = (750, 850)
NEAR_WORDS = (650, 950)
# Below this, there is not enough of a draft to give feedback on; above the cap, it's not one.
MIN_DRAFT_WORDS = 100
MAX_DRAFT_WORDS = 3000
# A file bigger than this is not read (the transport does not fetch it either).
MAX_FILE_BYTES = 10 * 1024 * 1024

_WORD = re.compile(r"[A-Za-z0-9]+(?:['’-][A-Za-z0-9]+)*")


def count_words(text: str) -> int:
    return len(_WORD.findall(text or ""))


# ---------------------------------------------------------------- reading a file

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_FORMATS = "Please send it as a .docx or .txt file, or paste the text here."


class Unreadable(ValueError):
    """A file that can't be used as a draft; ``reason`` says why and what works instead."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def read_document(
    file_name: str | None, mime_type: str | None, content: bytes | None, file_size: int | None
) -> tuple[str, str]:
    """(the text, "docx" or "txt") of a document the user sent, or ``Unreadable``.

    A .docx is read paragraph by paragraph; a .txt is decoded as UTF-8 (with or without a
    byte-order mark), UTF-16 when it starts with one, else Windows-1252, else Latin-1; a
    binary file, a damaged .docx, a PDF or an old .doc are refused with what to send instead.
    """
    size = len(content) if content is not None else file_size
    if size is not None and size > MAX_FILE_BYTES:
        raise Unreadable(
            f"That file is {_mb(size)}, more than the 10 MB I can read. A statement is only a "
            f"few pages, so something else may be in there. {_FORMATS}"
        )
    if content is None:
        raise Unreadable(f"I couldn't download that file. {_FORMATS}")
    name = (file_name or "").lower()
    mime = (mime_type or "").lower()
    if name.endswith(".docx") or mime == DOCX_MIME:
        text, kind = _read_docx(content), "docx"
    elif name.endswith((".txt", ".text")) or mime.startswith("text/plain"):
        text, kind = _read_txt(content), "txt"
    elif name.endswith(".pdf") or mime == "application/pdf":
        raise Unreadable(f"I can't read the words out of a PDF reliably. {_FORMATS}")
    elif name.endswith(".doc") or mime == "application/msword":
        raise Unreadable(
            "That's the older Word format (.doc), which I can't read. In Word, use Save As and "
            f"pick .docx. {_FORMATS}"
        )
    else:
        raise Unreadable(f"I can't read that kind of file. {_FORMATS}")
    text = _tidy(text)
    if not text.strip():
        raise Unreadable(f"I couldn't find any words in that file. {_FORMATS}")
    return text, kind


def _read_docx(content: bytes) -> str:
    import docx  # python-docx: only needed when a .docx arrives

    try:
        document = docx.Document(io.BytesIO(content))
        return "\n".join(p.text for p in document.paragraphs)
    except (zipfile.BadZipFile, KeyError, ValueError) as e:
        raise Unreadable(
            f"That .docx seems to be damaged, so I couldn't open it. Try saving it again. {_FORMATS}"
        ) from e
    except Exception as e:  # lxml's parse errors and the like: a broken file all the same
        raise Unreadable(
            f"That .docx seems to be damaged, so I couldn't open it. Try saving it again. {_FORMATS}"
        ) from e


_BINARY = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def _read_txt(content: bytes) -> str:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError as e:
            raise Unreadable(f"I couldn't read the text in that file. {_FORMATS}") from e
    if b"\x00" in content[:8192]:
        raise Unreadable(f"That file doesn't look like plain text. {_FORMATS}")
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if len(_BINARY.findall(text)) > max(3, len(text) // 100):
            raise Unreadable(f"That file doesn't look like plain text. {_FORMATS}")
        return text
    raise Unreadable(f"I couldn't read the text in that file. {_FORMATS}")  # pragma: no cover


def _tidy(text: str) -> str:
    """Line breaks as line feeds, runs of blank lines as one, no trailing spaces."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def join_parts(parts: Sequence[str]) -> str:
    """A draft pasted in several messages, as one text. Telegram splits a long paste wherever
    it fits, even inside a sentence: a part that ends mid-sentence runs on with a space, one
    that ends a sentence starts a new paragraph."""
    out = ""
    for part in parts:
        piece = part.strip()
        if not piece:
            continue
        if not out:
            out = piece
        elif re.search(r"[.!?:;\"'”’)\]]$", out):
            out += "\n\n" + piece
        else:
            out += " " + piece
    return out


# ---------------------------------------------------------------- feedback


@dataclass(frozen=True)
class StatementReport:
    """The feedback on one draft: the checks (each with the user's words, and the sentence
    they sit in), the length in words, and the one change to make first."""

    checks: tuple[Check, ...]
    words: int
    suggestion: str
    # For each check key, the sentence (verbatim) its first quote sits in.
    sentences: Mapping[str, str]

    def check(self, key: str) -> Check | None:
        return next((c for c in self.checks if c.key == key), None)

    def as_dict(self) -> dict[str, Any]:
        return {
            "checks": [c.as_dict() for c in self.checks],
            "words": self.words,
            "suggestion": self.suggestion,
            "sentences": dict(self.sentences),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> StatementReport:
        return cls(
            checks=tuple(Check.from_dict(c) for c in data.get("checks", ())),
            words=int(data.get("words", 0)),
            suggestion=str(data.get("suggestion", "")),
            sentences={str(k): str(v) for k, v in dict(data.get("sentences", {})).items()},
        )

    @property
    def passed(self) -> int:
        return sum(c.status == "pass" for c in self.checks)


# The one suggestion: flags first, then what is missing, then what is partly there; among
# equals, in the order a reader meets the statement.
ORDER = ("tone", "structure", "specialty", "story", "cliches", "year", "evidence", "length")


def in_range(words: int) -> bool:
    return TARGET_WORDS[0] <= words <= TARGET_WORDS[1]


def review_statement(
    text: str,
    *,
    specialty: str | None,
    profile: Mapping[str, Any] | None = None,
) -> StatementReport:
    """Feedback on a statement draft, one explainable check at a time."""
    t = _Text(text)
    name = _target_name(specialty, profile)
    checks: list[_Rule] = [
        _structure(t, name),
        _specialty(t, name),
        _story_rule(t),
        _cliches(t),
        _year(t),
        _tone(t),
        _statement_evidence(t),
        _length(t),
    ]
    sentences = {}
    for check, _ in checks:
        if check.quotes:
            sentences[check.key] = _sentence_of(t, check.quotes[0])
    done = (
        "Every part is in place. Now give it to a faculty member in your specialty and to "
        "someone who knows you well, and note who read it."
    )
    return StatementReport(
        checks=tuple(c for c, _ in checks),
        words=t.words,
        suggestion=_pick(checks, ORDER, done),
        sentences=sentences,
    )


def _sentence_of(t: _Text, quote: str) -> str:
    at = t.raw.find(quote)
    if at < 0:
        return quote
    return t.sentence_text(t.sentence_index(at))


def _first_sentence(t: _Text, spans: Sequence[_Span]) -> tuple[str, ...]:
    return (t.sentence_text(t.sentence_index(spans[0].start)),) if spans else ()


def _structure(t: _Text, name: str) -> _Rule:
    """The three parts: why the specialty, the year owned, evidence."""
    key, label = "structure", "Three parts: why, your year, evidence"
    why = t.find((*_STORY, *_specialty_terms(name)))
    year = t.find(_ACK)
    evidence = t.find((*_OUTPUTS, *_DUTIES))
    parts = [
        ("why this specialty", why),
        ("the year since not matching", year),
        ("evidence (numbers, named work)", evidence),
    ]
    found = [(what, spans) for what, spans in parts if spans]
    missing = [what for what, spans in parts if not spans]
    quotes = tuple(q for _, spans in found for q in _first_sentence(t, spans))
    quotes = tuple(dict.fromkeys(quotes))
    if not missing:
        return (
            Check(key, label, "pass", "All three parts are there.", quotes[:1]),
            "",
        )
    status: Status = "missing" if not found else "partly"
    detail = f"Not found yet: {'; '.join(missing)}."
    return (
        Check(key, label, status, detail, quotes[:1]),
        f"Build the draft around the three parts; start with {missing[0]}. The outline in "
        "/statement helps you gather notes for each.",
    )


def _specialty(t: _Text, name: str) -> _Rule:
    check, suggestion = _names_specialty(t, name)
    return check, suggestion.replace("in your first sentence", "early on, by name")


def _story_rule(t: _Text) -> _Rule:
    check, suggestion = _story(t)
    return replace(check, label="A real patient or clinical moment"), suggestion


def _cliches(t: _Text) -> _Rule:
    """Lines many applicants write, kept only with a story in the same or the next sentence."""
    key, label = "cliches", "No clichés without a story"
    stories = {t.sentence_index(s.start) for s in t.find(_STORY)}
    bare = [
        c
        for c in t.find(_CLICHES)
        if not {t.sentence_index(c.start), t.sentence_index(c.start) + 1} & stories
    ]
    if not bare:
        return Check(key, label, "pass", "No stock phrases standing on their own."), ""
    quotes = _quotes(t, bare)
    return (
        Check(
            key,
            label,
            "flag",
            "Programs read these lines in most statements. On their own they say nothing about "
            "you; with a real moment next to them, they become yours.",
            quotes,
        ),
        f"After “{quotes[0]}”, tell the moment that taught you it: one patient, what you did, "
        "what you saw. Or cut the line and let the story say it.",
    )


def _year(t: _Text) -> _Rule:
    """The non-match named, owned, and told as growth: a role and what came of it."""
    key, label = "year", "Your year, owned and told as growth"
    named = t.find(_ACK)
    if not named:
        return (
            Check(
                key,
                label,
                "missing",
                "The year since not matching isn't mentioned. Programs will see it either way; "
                "a short passage that owns it answers their question before they ask.",
            ),
            "Add two or three sentences: that you didn't match on your first attempt, the role "
            "you took this year, and what you achieved in it.",
        )
    first = t.sentence_index(named[0].start)
    nearby = range(first, min(first + 3, len(t.sentences)))
    owned_badly = [s for i in nearby for s in t.find((*_BLAME, *_SELF_PITY), within=i)]
    quote = (t.sentence_text(first),)
    if owned_badly:
        return (
            Check(
                key,
                label,
                "flag",
                "The year is there, but it leans on what others did or how hard it was. Told "
                "from your side, with what you did next, it reads as maturity.",
                _quotes(t, owned_badly[:1]),
            ),
            f"Rewrite “{t.quote(owned_badly[0])}” from your side: “After not matching, I "
            "spent the year as …, where I …”, then say what it confirmed about the specialty.",
        )
    grown = [s for i in nearby for s in t.find((*_ROLE, *_OUTPUTS, *_DUTIES), within=i)]
    if not grown:
        return (
            Check(
                key,
                label,
                "partly",
                "You name the non-match, but not what you did with the year: the role and "
                "what came of it are what show growth.",
                quote,
            ),
            "Right after naming it, say the role you took and one thing you achieved there, "
            "with a number or a named project.",
        )
    return (
        Check(
            key,
            label,
            "pass",
            "Named plainly and followed by what you did with it. That's ownership.",
            quote,
        ),
        "",
    )


def _tone(t: _Text) -> _Rule:
    """No blame, self-pity, frustration or excuses anywhere in the statement."""
    key, label = "tone", "Owned, not blamed"
    hits = t.find((*_BLAME, *_SELF_PITY, *_FRUSTRATION, *_EXCUSE))
    if not hits:
        return Check(key, label, "pass", "No blame or bitterness anywhere. Good."), ""
    quotes = _quotes(t, hits)
    return (
        Check(
            key,
            label,
            "flag",
            "These words put the outcome on others or dwell on the hurt. Even where there's "
            "truth in it, a reader sees risk; what you did next serves you better.",
            quotes,
        ),
        f"Take out “{quotes[0]}” and tell that part with “I” as the subject: what happened, "
        "briefly, then what you did about it.",
    )


def _statement_evidence(t: _Text) -> _Rule:
    check, suggestion = _evidence(t)
    detail = check.detail.replace("an answer", "a statement")
    return replace(check, detail=detail), suggestion


def _length(t: _Text) -> _Rule:
    key, label = "length", "Length"
    lo, hi = TARGET_WORDS
    words = t.words
    said = f"{word_count(words)} (aim for about {lo}-{hi})."
    if lo <= words <= hi:
        return Check(key, label, "pass", f"{said} Right in range."), ""
    near_lo, near_hi = NEAR_WORDS
    status: Status = "partly" if near_lo <= words <= near_hi else "flag"
    if words > hi:
        return (
            Check(
                key, label, status, f"{said} Readers skim long statements; tighter reads stronger."
            ),
            f"Cut about {words - hi} words: keep your best story and your strongest results, "
            "and let repeated points go.",
        )
    return (
        Check(key, label, status, f"{said} There's room for more of you."),
        f"Add about {lo - words} words: a second moment with a patient, or more on what you "
        "achieved this year.",
    )


# ---------------------------------------------------------------- the report as chat text

_ICONS = {"pass": "✅", "partly": "🟡", "missing": "⭕", "flag": "⚠️"}
QUOTE_CHARS = 90


def _trim(text: str, limit: int = QUOTE_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


def report_text(report: StatementReport, title: str) -> str:
    """One block per check: the verdict, the user's words that decided it (and the sentence
    they sit in, when that says more), and why; then the one change to make first."""
    lines = [f"{title}: {report.passed} of {len(report.checks)} checks in place."]
    for c in report.checks:
        lines.append(f"\n{_ICONS[c.status]} {c.label}")
        if c.quotes:
            shown = ", ".join(f"“{_trim(q)}”" for q in c.quotes[:5])
            sentence = report.sentences.get(c.key, "")
            first = c.quotes[0]
            if c.status != "pass" and sentence and _trim(sentence) != _trim(first):
                shown += f", in: “{_trim(sentence, 160)}”"
            lines.append(f"Your words: {shown}")
        lines.append(c.detail)
    lead = "Next" if report.passed == len(report.checks) else "First change to make"
    lines.append(f"\n{lead}: {report.suggestion}")
    return "\n".join(lines)


def summary(report: StatementReport) -> str:
    """One line for the history: checks in place and the flags by name."""
    flags = [c.label for c in report.checks if c.status == "flag"]
    head = f"{report.passed}/{len(report.checks)} checks"
    return f"{head}; to fix: {', '.join(flags)}" if flags else head


__all__ = [
    "DOCX_MIME",
    "MAX_DRAFT_WORDS",
    "MAX_FILE_BYTES",
    "MIN_DRAFT_WORDS",
    "NEAR_WORDS",
    "TARGET_WORDS",
    "StatementReport",
    "Unreadable",
    "count_words",
    "in_range",
    "join_parts",
    "read_document",
    "report_text",
    "review_statement",
    "summary",
]
