"""The one-page Problems List as a PDF: what to fix before the next application cycle.

``render_problems_list(problems)`` returns the bytes of ONE US Letter page (most users apply in
the US). Text is set in DejaVu Sans, shipped with matplotlib, so accented names, curly quotes
and Cyrillic render; characters the font lacks (most emoji, Devanagari, ...) are dropped,
never fatal.

Whatever the input, the page never spills over: the layout is drawn at the most generous
``_Fit`` first and, while it overflows, again with smaller type and tighter limits (evidence
clipped to fewer lines with an ellipsis, fewer bullets, fewer "Also noted" rows). When anything
was shortened, a footnote says the full notes are in the chat. The last, tightest fit is drawn
with page breaks off, so even a pathological input stays on one page.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from functools import lru_cache
from pathlib import Path
from typing import cast

import matplotlib
from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.enums import MethodReturnValue, XPos, YPos

from conversations.rules.problems import BUCKETS, Finding, ProblemsList

PAGE_FORMAT = "letter"  # 215.9 x 279.4 mm: the users are US applicants
FONT = "DejaVu"
_FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}

PURPOSE = "The two or three things to fix first, so the next application cycle goes better."
FOOTER = "Made with Rematch Coach · private to you"
SHORTENED = "Some lines are shortened to fit on one page; the full notes are in the chat."
NO_FINDINGS = "Nothing stands out yet: tell the coach how the last cycle went."
ELLIPSIS = "…"
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# Colours (RGB): near-black ink, a calm blue accent, greys for secondary text and rules.
_INK = (33, 37, 41)
_ACCENT = (23, 92, 140)
_MUTED = (98, 104, 112)
_RULE = (206, 212, 218)
_TINT = (234, 243, 250)
_WHITE = (255, 255, 255)

# Page geometry, in mm.
_MARGIN_X = 20.0
_MARGIN_TOP = 18.0
_CONTENT_BOTTOM = 22.0  # body text stops this far above the page's bottom edge
_FOOTER_FROM_BOTTOM = 14.0
_PT = 25.4 / 72  # one point in mm
_LEADING = 1.32  # line height / font size


@dataclass(frozen=True)
class _Fit:
    """How generous one attempt at the layout is. ``None`` means no limit."""

    scale: float  # multiplies every font size and most spacing
    evidence_lines: int  # wrapped lines per evidence bullet
    evidence_items: int | None  # bullets per finding
    why_lines: int
    title_lines: int
    top_items: int | None
    other_items: int | None
    note_items: int | None
    note_lines: int
    target_lines: int  # per half (primary / backup)


# From roomy to tight; the first that fits on one page wins, the last always does.
_FITS: tuple[_Fit, ...] = (
    _Fit(1.12, 6, None, 3, 2, None, None, None, 3, 2),
    _Fit(1.00, 6, None, 3, 2, None, None, None, 3, 2),
    _Fit(1.00, 3, None, 3, 2, None, None, None, 3, 2),
    _Fit(0.93, 3, None, 2, 2, None, None, None, 2, 2),
    _Fit(0.87, 2, None, 2, 2, None, None, None, 2, 2),
    _Fit(0.82, 2, None, 2, 2, None, None, None, 2, 2),
    _Fit(0.78, 1, None, 2, 2, None, None, None, 2, 2),
    # Below this size type gets hard to read: from here on, whole lines are left out too.
    _Fit(0.78, 1, 4, 2, 2, 5, 10, 4, 2, 2),
    _Fit(0.74, 1, 3, 1, 1, 3, 8, 3, 1, 1),
    _Fit(0.70, 1, 2, 1, 1, 3, 4, 2, 1, 1),
)


def render_problems_list(problems: ProblemsList) -> bytes:
    """The Problems List as the bytes of a one-page US Letter PDF."""
    for i, fit in enumerate(_FITS):
        last = i == len(_FITS) - 1
        try:
            pdf = _Page(problems, fit, allow_overflow=last).draw()
        except _Overflow:
            continue
        if pdf.page_no() == 1:
            return bytes(pdf.output())
    raise AssertionError("unreachable: the last fit never breaks the page")  # pragma: no cover


def problems_list_filename(problems: ProblemsList) -> str:
    """A stable download name, e.g. ``problems-list-2026-03-25.pdf``."""
    return f"problems-list-{problems.made_on.isoformat()}.pdf"


def long_date(day: date) -> str:
    """``March 25, 2026``, whatever the locale."""
    return f"{_MONTHS[day.month - 1]} {day.day}, {day.year}"


# --- text hygiene ----------------------------------------------------------------------------


def _font_path(style: str) -> Path:
    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / _FONT_FILES[style]


@lru_cache(maxsize=1)
def _covered() -> frozenset[int]:
    """Code points every style of the font can draw."""
    sets = []
    for style in _FONT_FILES:
        font = TTFont(_font_path(style), lazy=True)
        try:
            sets.append(set(font.getBestCmap()))
        finally:
            font.close()
    return frozenset(set.intersection(*sets))


_SPACES = re.compile(r"\s+")


def clean(text: str | None) -> str:
    """One line of printable text: NFC, whitespace collapsed, glyphs the font lacks dropped."""
    if not text:
        return ""
    covered = _covered()
    text = unicodedata.normalize("NFC", text)
    kept = (
        " " if ch.isspace() else ch
        for ch in text
        if ch.isspace() or (ord(ch) in covered and unicodedata.category(ch)[0] != "C")
    )
    return _SPACES.sub(" ", "".join(kept)).strip()


def _merge_runs(line: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Join neighbouring runs of one style and drop the line's trailing spaces."""
    merged: list[tuple[str, str]] = []
    for style, text in line:
        if merged and merged[-1][0] == style:
            merged[-1] = (style, merged[-1][1] + text)
        else:
            merged.append((style, text))
    while merged and not merged[-1][1].strip():
        merged.pop()
    if merged:
        merged[-1] = (merged[-1][0], merged[-1][1].rstrip())
    return merged


# --- layout ----------------------------------------------------------------------------------


class _Overflow(Exception):
    """The attempt spilled onto a second page: stop drawing it and try a tighter fit."""


class _Page:
    """One attempt at drawing the page with a given ``_Fit``."""

    def __init__(self, problems: ProblemsList, fit: _Fit, *, allow_overflow: bool) -> None:
        self.problems = problems
        self.fit = fit
        self.shortened = False
        pdf = FPDF(orientation="P", unit="mm", format=PAGE_FORMAT)
        for style in _FONT_FILES:
            pdf.add_font(FONT, style, str(_font_path(style)))
        pdf.set_margins(_MARGIN_X, _MARGIN_TOP, _MARGIN_X)
        pdf.c_margin = 0  # text starts exactly where the layout says
        pdf.set_auto_page_break(not allow_overflow, margin=_CONTENT_BOTTOM)
        pdf.set_creation_date(datetime.combine(problems.made_on, time(12), tzinfo=UTC))
        pdf.set_title("Problems List")
        pdf.set_creator("Rematch Coach")
        pdf.set_lang("en")
        pdf.set_text_color(*_INK)
        pdf.add_page()
        self.pdf = pdf
        self.width = pdf.epw

    # sizes ---------------------------------------------------------------------------------

    def pt(self, size: float) -> float:
        """A font size (pt) at this fit's scale."""
        return round(size * self.fit.scale, 2)

    def mm(self, length: float) -> float:
        """A vertical gap (mm) at this fit's scale."""
        return length * self.fit.scale

    def font(self, style: str, size: float, color: tuple[int, int, int] = _INK) -> float:
        """Set the font; return the matching line height in mm."""
        self.pdf.set_font(FONT, style, self.pt(size))
        self.pdf.set_text_color(*color)
        return self.pt(size) * _PT * _LEADING

    # text ----------------------------------------------------------------------------------

    def text(self, value: str | None, limit: int) -> str:
        """``value`` cleaned (see ``clean``) and cut to ``limit`` characters with an ellipsis.

        No field can show more than a few lines, so this bounds the layout work on huge input.
        """
        raw = value or ""
        text = clean(raw[: 4 * limit])
        if len(raw) > 4 * limit or len(text) > limit:
            self.shortened = True
            text = text[:limit].rstrip() + ELLIPSIS
        return text

    def clip(self, text: str, width: float, max_lines: int) -> list[str]:
        """``text`` wrapped to ``width`` in the current font, at most ``max_lines`` lines."""
        if not text:
            return []
        wrapped = self.pdf.multi_cell(
            width, 5, text, dry_run=True, output=MethodReturnValue.LINES, align="L"
        )
        lines = [line.rstrip() for line in cast(list[str], wrapped)]
        if len(lines) <= max_lines:
            return lines
        self.shortened = True
        kept = lines[:max_lines]
        last = kept[-1]
        while last and self.pdf.get_string_width(last + ELLIPSIS) > width:
            last = last[:-1].rstrip()
        kept[-1] = last + ELLIPSIS
        return kept

    def lines(self, x: float, width: float, lines: list[str], height: float) -> None:
        """Print pre-wrapped lines at ``x``."""
        for line in lines:
            self.pdf.set_x(x)
            self.pdf.cell(width, height, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.check()

    def check(self) -> None:
        if self.pdf.page_no() > 1:
            raise _Overflow

    def gap(self, length: float) -> None:
        self.pdf.ln(self.mm(length))

    def rule(self, color: tuple[int, int, int] = _RULE, weight: float = 0.25) -> None:
        pdf = self.pdf
        pdf.set_draw_color(*color)
        pdf.set_line_width(weight)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + self.width, pdf.get_y())

    def heading(self, text: str) -> None:
        h = self.font("B", 12)
        self.lines(self.pdf.l_margin, self.width, [text], h)
        self.gap(1)

    # sections ------------------------------------------------------------------------------

    def draw(self) -> FPDF:
        for section in (self.header, self.findings, self.others, self.target, self.notes):
            section()
            self.check()
        if self.shortened:
            self.gap(2)
            h = self.font("I", 8.5, _MUTED)
            self.lines(self.pdf.l_margin, self.width, self.clip(SHORTENED, self.width, 2), h)
        self.footer()
        return self.pdf

    def header(self) -> None:
        name = self.text(self.problems.name, 150)
        title = "Problems List" if name else "Your Problems List"
        h = self.font("B", 26)
        self.lines(self.pdf.l_margin, self.width, [title], h)
        self.gap(0.5)
        h = self.font("", 12, _MUTED)
        by_line = long_date(self.problems.made_on)
        if name:
            room = self.width - self.pdf.get_string_width(f"Prepared for  · {by_line}")
            by_line = f"Prepared for {self.clip(name, room, 1)[0]} · {by_line}"
        self.lines(self.pdf.l_margin, self.width, self.clip(by_line, self.width, 1), h)
        self.gap(1)
        h = self.font("I", 11, _ACCENT)
        self.lines(self.pdf.l_margin, self.width, self.clip(PURPOSE, self.width, 2), h)
        self.gap(3)
        self.rule(_ACCENT, 0.6)
        self.gap(5)

    def findings(self) -> None:
        top = self.problems.top
        if not top:
            h = self.font("I", 11, _MUTED)
            self.lines(self.pdf.l_margin, self.width, self.clip(NO_FINDINGS, self.width, 2), h)
            self.gap(4)
            return
        limit = self.fit.top_items
        shown = top if limit is None else top[:limit]
        for number, finding in enumerate(shown, start=1):
            self.finding(number, finding)
            self.gap(4.5)
        if len(shown) < len(top):
            self.shortened = True
            h = self.font("I", 10, _MUTED)
            more = f"…and {len(top) - len(shown)} more in the chat."
            self.lines(self.pdf.l_margin + self.mm(11), self.width, [more], h)
            self.gap(3)

    def finding(self, number: int, finding: Finding) -> None:
        pdf, fit = self.pdf, self.fit
        indent = self.mm(11)
        x, width = pdf.l_margin + indent, self.width - indent
        top_y = pdf.get_y()

        bucket = BUCKETS.get(finding.bucket) or self.text(finding.bucket, 60).replace("_", " ")
        bucket_h = self.font("B", 8.5, _ACCENT) if bucket else 0.0
        title_h = self.font("B", 14)

        # The number first (so text extraction reads it first): white on an accent disc,
        # level with the bucket label and the title's first line.
        radius = self.mm(3.6)
        cx, cy = pdf.l_margin + radius, top_y + (bucket_h + title_h) / 2
        pdf.set_fill_color(*_ACCENT)
        pdf.circle(cx, cy, radius, style="F")
        self.font("B", 11, _WHITE)
        pdf.set_xy(cx - radius, cy - radius)
        pdf.cell(2 * radius, 2 * radius, str(number), align="C")
        pdf.set_xy(pdf.l_margin, top_y)

        if bucket:
            self.font("B", 8.5, _ACCENT)
            self.lines(x, width, self.clip(bucket.upper(), width, 1), bucket_h)
        self.font("B", 14)
        title = self.clip(self.text(finding.title, 250) or "Untitled", width, fit.title_lines)
        self.lines(x, width, title, title_h)
        self.gap(1)

        evidence = [e for e in (self.text(e, 700) for e in finding.evidence) if e]
        if fit.evidence_items is not None and len(evidence) > fit.evidence_items:
            self.shortened = True
            evidence = evidence[: fit.evidence_items]
        h = self.font("", 11)
        bullet = self.mm(5)
        for item in evidence:
            wrapped = self.clip(item, width - bullet, fit.evidence_lines)
            y = pdf.get_y()
            pdf.set_xy(x, y)
            pdf.set_text_color(*_ACCENT)
            pdf.cell(bullet, h, "•")
            pdf.set_text_color(*_INK)
            pdf.set_y(y)
            self.lines(x + bullet, width - bullet, wrapped, h)
            self.gap(0.6)

        why = self.text(finding.why, 500)
        if why:
            self.gap(0.6)
            h = self.font("I", 9.5, _MUTED)
            self.lines(x, width, self.clip(f"Why it matters: {why}", width, fit.why_lines), h)

    def others(self) -> None:
        titles = [t for t in (self.text(f.title, 200) for f in self.problems.others) if t]
        if not titles:
            return
        limit = self.fit.other_items
        extra = 0
        if limit is not None and len(titles) > limit:
            self.shortened = True
            titles, extra = titles[: limit - 1], len(titles) - (limit - 1)
        self.rule()
        self.gap(3)
        self.heading("Also noted")
        h = self.font("", 10.5)
        rows = [f"• {t}" for t in titles]
        if extra:
            rows.append(f"…and {extra} more in the chat")
        pdf = self.pdf
        if len(rows) <= 4:
            for row in rows:
                self.lines(pdf.l_margin, self.width, self.clip(row, self.width, 1), h)
        else:  # two columns, filled down then across
            gutter = 6.0
            col = (self.width - gutter) / 2
            half = (len(rows) + 1) // 2
            y0 = pdf.get_y()
            for i, row in enumerate(rows):
                column, line = divmod(i, half)
                pdf.set_xy(pdf.l_margin + column * (col + gutter), y0 + line * h)
                pdf.cell(col, h, self.clip(row, col, 1)[0])
            pdf.set_xy(pdf.l_margin, y0 + half * h)
        self.gap(4)

    def target(self) -> None:
        target = self.problems.target
        if target is None:
            return
        pdf = self.pdf
        pad, bar = self.mm(3), 1.2
        inner = self.width - 2 * pad - bar
        size = 11.5
        h = self.font("", size)
        parts = [
            ("B", "Target: "),
            ("", self.text(target.primary, 400) or "—"),
            ("", " · "),
            ("B", "Backup: "),
            ("", self.text(target.backup, 400) or "—"),
        ]
        most = self.fit.target_lines
        rows = self.rich_wrap(parts, inner, size, 4 * most + 2)
        if len(rows) > 2 * most:  # too long to flow as one: each half gets its own lines
            rows = self.rich_wrap(parts[:2], inner, size, most)
            rows += self.rich_wrap(parts[3:], inner, size, most)
        top, height = pdf.get_y(), len(rows) * h + 2 * pad
        pdf.set_fill_color(*_TINT)
        pdf.rect(pdf.l_margin, top, self.width, height, style="F")
        pdf.set_fill_color(*_ACCENT)
        pdf.rect(pdf.l_margin, top, bar, height, style="F")
        pdf.set_y(top + pad)
        for row in rows:
            pdf.set_x(pdf.l_margin + bar + pad)
            for style, piece in row:
                self.font(style, size)
                pdf.cell(pdf.get_string_width(piece), h, piece)
            pdf.ln(h)
        pdf.set_y(top + height)
        self.gap(4)

    def rich_wrap(
        self, parts: list[tuple[str, str]], width: float, size: float, max_lines: int
    ) -> list[list[tuple[str, str]]]:
        """Word-wrap text in mixed styles; each line is a list of ``(style, text)`` runs."""
        pdf = self.pdf

        def measure(style: str, text: str) -> float:
            pdf.set_font(FONT, style, self.pt(size))
            return pdf.get_string_width(text)

        lines: list[list[tuple[str, str]]] = [[]]
        used = 0.0
        for style, text in parts:
            for token in re.findall(r"\s+|\S+", text):
                w = measure(style, token)
                if token.isspace():
                    if lines[-1]:
                        lines[-1].append((style, token))
                        used += w
                    continue
                # A word longer than a whole line starts where it is, unless little is left.
                if (
                    used + w > width
                    and any(not t.isspace() for _, t in lines[-1])
                    and (w <= width or width - used < width / 4)
                ):
                    lines.append([])
                    used = 0.0
                while w > width:  # a word longer than the line: cut it where it overflows
                    low, high = 1, len(token)
                    while low < high:
                        mid = (low + high + 1) // 2
                        if measure(style, token[:mid]) <= width - used:
                            low = mid
                        else:
                            high = mid - 1
                    cut = low
                    lines[-1].append((style, token[:cut]))
                    lines.append([])
                    used, token = 0.0, token[cut:]
                    w = measure(style, token)
                lines[-1].append((style, token))
                used += w
        lines = [_merge_runs(line) for line in lines if line]
        if len(lines) > max_lines:
            self.shortened = True
            lines = lines[:max_lines]
            last = lines[-1]
            while last:
                style, piece = last[-1]
                piece = piece[:-1].rstrip()
                last[-1] = (style, piece)
                if not piece:
                    last.pop()
                    continue
                total = sum(measure(s, t) for s, t in last) + measure(last[-1][0], ELLIPSIS)
                if total <= width:
                    last[-1] = (style, piece + ELLIPSIS)
                    break
        return lines

    def notes(self) -> None:
        notes = [n for n in (self.text(n, 500) for n in self.problems.notes) if n]
        if not notes:
            return
        limit = self.fit.note_items
        if limit is not None and len(notes) > limit:
            self.shortened = True
            notes = notes[:limit]
        self.heading("Notes")
        h = self.font("", 10.5, _INK)
        for note in notes:
            self.lines(
                self.pdf.l_margin, self.width, self.clip(note, self.width, self.fit.note_lines), h
            )
            self.gap(0.8)

    def footer(self) -> None:
        pdf = self.pdf
        auto, margin = pdf.auto_page_break, pdf.b_margin
        pdf.set_auto_page_break(False)
        y = pdf.h - _FOOTER_FROM_BOTTOM
        pdf.set_draw_color(*_RULE)
        pdf.set_line_width(0.25)
        pdf.line(pdf.l_margin, y, pdf.l_margin + self.width, y)
        pdf.set_font(FONT, "", 8.5)
        pdf.set_text_color(*_MUTED)
        pdf.set_xy(pdf.l_margin, y + 1.5)
        pdf.cell(self.width, 5, FOOTER, align="C")
        pdf.set_auto_page_break(auto, margin=margin)
