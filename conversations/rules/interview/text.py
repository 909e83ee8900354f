"""Reading the answer: sentences, words and pattern search that keeps the answer's own positions.

Quotes are always sliced from the user's original text, so every quoted word is verbatim.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

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


def _sentences_with(t: _Text, patterns: Sequence[re.Pattern[str]]) -> set[int]:
    return {t.sentence_index(s.start) for s in t.find(patterns)}
