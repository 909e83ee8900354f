"""The CV / ERAS activities as a one-page PDF and as a Word (.docx) file.

The PDF is drawn with the Problems List's page (``problems_pdf._Page``: the same font, colours,
margins, wrapping and clipping), so both documents look like one family. As there,
the layout is tried from roomy to tight (``_FITS``) until it fits one US Letter page; when
anything was shortened a note says the whole text is in the Word file. The .docx holds every
word, for the user to edit freely.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from datetime import date

from docx import Document
from docx.shared import Pt, RGBColor
from fpdf import FPDF

from conversations.documents.problems_pdf import (
    _ACCENT,
    _FITS,
    _MUTED,
    _RULE,
    _Overflow,
    _Page,
    clean,
    long_date,
)
from conversations.rules.cv import Entry, show_month
from conversations.rules.problems import ProblemsList

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TITLE = "CV / ERAS activities"
SHORTENED = "Some lines are shortened to fit on one page; the Word file has every word."


@dataclass(frozen=True)
class CvDocument:
    """What both files show: who, when, since when, and the entries (most recent first)."""

    name: str
    made_on: date
    graduated: str | None  # "YYYY-MM"
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class _Fit:
    scale: float
    title_lines: int
    duties_lines: int
    results_lines: int
    entries: int | None  # how many entries are drawn (None: all)


_CV_FITS: tuple[_Fit, ...] = (
    _Fit(1.05, 2, 4, 4, None),
    _Fit(1.00, 2, 3, 3, None),
    _Fit(0.92, 1, 2, 3, None),
    _Fit(0.85, 1, 2, 2, None),
    _Fit(0.78, 1, 1, 2, None),
    _Fit(0.74, 1, 1, 1, 12),
    _Fit(0.70, 1, 1, 1, 8),
)


def cv_filename(doc: CvDocument, extension: str) -> str:
    return f"cv-{doc.made_on.isoformat()}.{extension}"


def _meta(entry: Entry) -> str:
    bits = [entry.type_label]
    if entry.organisation:
        bits.append(entry.organisation)
    bits.append(entry.dates)
    if entry.hours:
        bits.append(f"{entry.hours} h/week")
    return " · ".join(bits)


def _subtitle(doc: CvDocument) -> str:
    line = f"{TITLE} · updated {long_date(doc.made_on)}"
    if doc.graduated:
        line += f" · graduated {show_month(doc.graduated)}"
    return line


# ---------------------------------------------------------------- PDF


def render_cv_pdf(doc: CvDocument) -> bytes:
    """The entries as the bytes of a one-page US Letter PDF."""
    for i, fit in enumerate(_CV_FITS):
        last = i == len(_CV_FITS) - 1
        try:
            pdf = _CvPage(doc, fit, allow_overflow=last).draw()
        except _Overflow:
            continue
        if pdf.page_no() == 1:
            return bytes(pdf.output())
    raise AssertionError("unreachable: the last fit never breaks the page")  # pragma: no cover


class _CvPage(_Page):
    """The Problems List's page, drawing CV entries instead of findings."""

    def __init__(self, doc: CvDocument, fit: _Fit, *, allow_overflow: bool) -> None:
        # The page is set up as the Problems List's is (fonts, margins, page breaks); only
        # the scale of its fit is read by the helpers used here.
        super().__init__(
            ProblemsList(doc.name, doc.made_on, ()),
            replace(_FITS[0], scale=fit.scale),
            allow_overflow=allow_overflow,
        )
        self.pdf.set_title(TITLE)
        self.doc = doc
        self.limits = fit

    def draw(self) -> FPDF:
        self.cv_header()
        self.check()
        shown = list(self.doc.entries)
        if self.limits.entries is not None and len(shown) > self.limits.entries:
            self.shortened = True
            shown = shown[: self.limits.entries]
        if not shown:
            h = self.font("I", 11, _MUTED)
            self.lines(self.pdf.l_margin, self.width, ["No entries yet."], h)
        for entry in shown:
            self.entry(entry)
            self.check()
        left = len(self.doc.entries) - len(shown)
        if left:
            h = self.font("I", 10, _MUTED)
            self.lines(self.pdf.l_margin, self.width, [f"…and {left} more in the Word file."], h)
        if self.shortened:
            self.gap(2)
            h = self.font("I", 8.5, _MUTED)
            self.lines(self.pdf.l_margin, self.width, self.clip(SHORTENED, self.width, 2), h)
        # No footer: unlike the Problems List, a CV is made to be shown to others.
        return self.pdf

    def cv_header(self) -> None:
        name = self.text(self.doc.name, 120)
        h = self.font("B", 24)
        self.lines(self.pdf.l_margin, self.width, self.clip(name or TITLE, self.width, 1), h)
        self.gap(0.5)
        h = self.font("", 11.5, _MUTED)
        self.lines(self.pdf.l_margin, self.width, self.clip(_subtitle(self.doc), self.width, 2), h)
        self.gap(3)
        self.rule(_ACCENT, 0.6)
        self.gap(5)

    def entry(self, entry: Entry) -> None:
        x, width, fit = self.pdf.l_margin, self.width, self.limits
        h = self.font("B", 12.5)
        title = self.text(entry.title, 200) or "Untitled entry"
        self.lines(x, width, self.clip(title, width, fit.title_lines), h)
        h = self.font("", 9.5, _ACCENT)
        self.lines(x, width, self.clip(self.text(_meta(entry), 300), width, 2), h)
        self.gap(0.8)
        if entry.duties:
            self.labelled("Duties: ", entry.duties, fit.duties_lines)
        if entry.results:  # none yet: the chat says so; the page leaves the line out
            self.labelled("Results: ", entry.results, fit.results_lines)
        self.gap(2)
        self.rule(_RULE)
        self.gap(3)

    def labelled(self, label: str, value: str, max_lines: int) -> None:
        size = 10.5
        h = self.font("", size)
        rows = self.rich_wrap(
            [("B", label), ("", self.text(value, 700))], self.width, size, max_lines
        )
        pdf = self.pdf
        for row in rows:
            pdf.set_x(pdf.l_margin)
            for style, piece in row:
                self.font(style, size)
                pdf.cell(pdf.get_string_width(piece), h, piece)
            pdf.ln(h)
            self.check()
        self.gap(0.6)


# ---------------------------------------------------------------- Word


def render_cv_docx(doc: CvDocument) -> bytes:
    """Every entry, whole, as a .docx the user can edit."""
    word = Document()
    style = word.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(11)
    word.core_properties.title = TITLE
    word.core_properties.author = clean(doc.name) or "Rematch Coach"
    word.add_heading(_printable(doc.name) or TITLE, level=0)
    sub = word.add_paragraph(_printable(_subtitle(doc)))
    for run in sub.runs:
        run.font.color.rgb = RGBColor(*_MUTED)
    if not doc.entries:
        word.add_paragraph("No entries yet.")
    for entry in doc.entries:
        word.add_heading(_printable(entry.title), level=2)
        meta = word.add_paragraph(_printable(_meta(entry)))
        for run in meta.runs:
            run.font.color.rgb = RGBColor(*_ACCENT)
            run.font.size = Pt(10)
        if entry.duties:
            para = word.add_paragraph()
            para.add_run("Duties: ").bold = True
            para.add_run(_printable(entry.duties))
        if entry.results:
            para = word.add_paragraph()
            para.add_run("Results: ").bold = True
            para.add_run(_printable(entry.results))
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _printable(text: str) -> str:
    """Text an XML document can hold: control characters (which Word refuses) dropped,
    line breaks kept as spaces; every other character kept (Word has its own fonts)."""
    return "".join(
        " " if ch in "\n\t" else ch
        for ch in text
        if ch in "\n\t" or (ord(ch) >= 0x20 and ch not in "\ufffe\uffff")
    ).strip()
