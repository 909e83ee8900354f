"""The one-page Problems List PDF: what it says, and that it stays one page whatever the input."""

from __future__ import annotations

import io
import logging
import unicodedata
from datetime import date

import pytest
from pypdf import PdfReader

from conversations.documents.problems_pdf import (
    FOOTER,
    NO_FINDINGS,
    PURPOSE,
    SHORTENED,
    clean,
    long_date,
    problems_list_filename,
    render_problems_list,
)
from conversations.rules.problems import Finding, ProblemsList, Target

MAYA_DAY = date(2026, 3, 25)
ADVISOR = "Your advisor said: “Apply much more broadly.”"
TARGET = Target(
    "Internal Medicine (community-heavy list)", "Family Medicine or Psychiatry through SOAP"
)


def finding(
    code: str,
    title: str,
    evidence: tuple[str, ...] = (),
    bucket: str = "strategy",
    why: str = "Programs screen on this first.",
) -> Finding:
    return Finding(code, bucket, title, evidence, why, weight=50)


def maya(**changes: object) -> ProblemsList:
    """The seed-like example: Maya, 45 Internal Medicine programs, no standout letters."""
    values: dict[str, object] = {
        "name": "Maya",
        "made_on": MAYA_DAY,
        "top": (
            finding(
                "too_few_programs",
                "Too few programs",
                ("You applied to 45 programs for Internal Medicine.", ADVISOR),
                why="Applicants with a similar profile usually apply to 80–120 programs.",
            ),
            finding(
                "academic_list",
                "A list too academic and coastal",
                ("38 of the 45 were university programs in Boston, New York or California.",),
                why="Community programs interview many more re-applicants.",
            ),
            finding(
                "no_standout_letters",
                "No standout letters",
                ("No letter from US clinical experience.",),
                bucket="experience",
                why="Letters from US faculty who know your work are a strong signal.",
            ),
        ),
        "others": (
            finding("bland", "Nothing distinctive in the application", bucket="experience"),
        ),
        "target": TARGET,
    }
    values.update(changes)
    return ProblemsList(**values)  # type: ignore[arg-type]


def pages(data: bytes) -> list[str]:
    """The text of each page, whitespace collapsed to single spaces."""
    reader = PdfReader(io.BytesIO(data))
    return [" ".join((page.extract_text() or "").split()) for page in reader.pages]


def one_page_text(problems: ProblemsList) -> str:
    data = render_problems_list(problems)
    assert data.startswith(b"%PDF-")
    texts = pages(data)
    assert len(texts) == 1, f"{len(texts)} pages"
    return texts[0]


# --- the seed-like example -------------------------------------------------------------------


def test_the_example_is_one_page_with_everything_on_it() -> None:
    text = one_page_text(maya())

    assert "Problems List" in text
    assert "Prepared for Maya" in text
    assert "March 25, 2026" in text
    assert PURPOSE in text
    for title in ("Too few programs", "A list too academic and coastal", "No standout letters"):
        assert title in text
    assert "You applied to 45 programs for Internal Medicine." in text
    assert ADVISOR in text  # curly quotes survive
    assert "APPLICATION STRATEGY" in text and "EXPERIENCE AND LETTERS" in text
    assert "Why it matters: Community programs interview many more re-applicants." in text
    assert "Also noted" in text
    assert "Nothing distinctive in the application" in text
    assert (
        "Target: Internal Medicine (community-heavy list) · "
        "Backup: Family Medicine or Psychiatry through SOAP"
    ) in text
    assert FOOTER in text
    assert SHORTENED not in text  # nothing had to be cut


def test_the_sections_come_in_order() -> None:
    text = one_page_text(maya(notes=("Ask Dr. Lee for a letter by June.",)))
    order = [
        "Problems List",
        "Too few programs",
        "A list too academic and coastal",
        "No standout letters",
        "Also noted",
        "Target:",
        "Ask Dr. Lee for a letter by June.",
        FOOTER,
    ]
    positions = [text.index(part) for part in order]
    assert positions == sorted(positions)


def test_the_page_is_us_letter() -> None:
    page = PdfReader(io.BytesIO(render_problems_list(maya()))).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (612, 792)


def test_the_output_is_deterministic() -> None:
    assert render_problems_list(maya()) == render_problems_list(maya())


def test_the_filename_carries_the_date() -> None:
    assert problems_list_filename(maya()) == "problems-list-2026-03-25.pdf"
    assert problems_list_filename(maya(made_on=date(2027, 1, 5))) == "problems-list-2027-01-05.pdf"


def test_long_date_is_us_style_and_locale_free() -> None:
    assert long_date(MAYA_DAY) == "March 25, 2026"
    assert long_date(date(2027, 1, 5)) == "January 5, 2027"


# --- stress: always exactly one page ---------------------------------------------------------

QUOTED_NOTE = (
    "Program director's note: “"
    + ("The candidate is diligent and kind, but the application lacked focus. " * 30)[:1500]
    + "”"
)


def five_lines(n: int) -> tuple[str, ...]:
    return tuple(
        f"Evidence {i} for finding {n}: something specific happened here and it matters a lot."
        for i in range(5)
    )


def three_full_findings() -> tuple[Finding, ...]:
    buckets = ("exams", "red_flags", "strategy")
    return tuple(
        finding(f"f{n}", f"Finding {n} with a fairly long title", five_lines(n), bucket=buckets[n])
        for n in range(3)
    )


STRESS: dict[str, ProblemsList] = {
    "huge evidence": maya(
        top=(finding("huge", "Too few programs", (QUOTED_NOTE, ADVISOR)), *maya().top[1:])
    ),
    "3 findings x 5 evidence": maya(top=three_full_findings()),
    "12 others": maya(
        top=three_full_findings(),
        others=tuple(finding(f"o{i}", f"Other concern number {i}") for i in range(12)),
        notes=tuple(f"Note {i}: remember to request the MSPE early." for i in range(6)),
    ),
    "accents and curly quotes": maya(
        name="Zoë Ñúñez", top=(finding("q", "“Too few” programs", ("Dean’s letter: “naïve”",)),)
    ),
    "decomposed accents": maya(name=unicodedata.normalize("NFD", "Zoë Ñúñez")),
    "emoji": maya(top=(finding("e", "Too few programs 🙏🏽", ("Advisor: “apply wider” 🚑🧑‍⚕️",)),)),
    "cyrillic and devanagari": maya(
        name="Юлия देवनागरी", target=Target("Семейная медицина", "पारिवारिक")
    ),
    "control characters": maya(
        top=(finding("c", "Tabs\tand\nnewlines", ("nul\x00 zero\u200bwidth\r\nline",)),)
    ),
    "no name": maya(name=None),
    "blank name": maya(name="   "),
    "no target": maya(target=None),
    "empty top": maya(top=(), others=(), target=None),
    "monster": ProblemsList(
        name="X" * 500,
        made_on=MAYA_DAY,
        top=tuple(
            finding(f"m{i}", "T" * 400, (QUOTED_NOTE,) * 10, bucket="unknown_bucket")
            for i in range(10)
        ),
        others=tuple(finding(f"o{i}", "Other " * 100) for i in range(50)),
        target=Target("P" * 3000, "Backup " * 500),
        notes=("N " * 800,) * 40,
    ),
}


@pytest.mark.parametrize("problems", STRESS.values(), ids=STRESS.keys())
def test_any_input_gives_exactly_one_page(
    problems: ProblemsList, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        text = one_page_text(problems)
    assert FOOTER in text
    assert "missing the following glyphs" not in caplog.text


def test_a_huge_quoted_note_is_cut_with_an_ellipsis_and_a_footnote() -> None:
    text = one_page_text(STRESS["huge evidence"])
    assert "Program director's note: “The candidate is diligent" in text
    assert "…" in text
    assert SHORTENED in text
    assert ADVISOR in text  # the next bullet is still there
    assert len(text) < 3000


def test_a_crowded_page_keeps_every_top_title() -> None:
    text = one_page_text(STRESS["12 others"])
    for n in range(3):
        assert f"Finding {n} with a fairly long title" in text
    assert "Other concern number 0" in text
    assert "Target: Internal Medicine" in text


def test_names_keep_their_accents_and_quotes_stay_curly() -> None:
    text = one_page_text(STRESS["accents and curly quotes"])
    assert "Prepared for Zoë Ñúñez" in text
    assert "“Too few” programs" in text
    assert "Dean’s letter: “naïve”" in text
    assert "Prepared for Zoë Ñúñez" in one_page_text(STRESS["decomposed accents"])


def test_characters_the_font_lacks_are_dropped() -> None:
    text = one_page_text(STRESS["emoji"])
    assert "Too few programs" in text
    assert "Advisor: “apply wider”" in text
    for lacking in ("🙏", "🏽", "🚑", "🧑"):
        assert lacking not in text
    text = one_page_text(STRESS["cyrillic and devanagari"])
    assert "Юлия" in text and "Семейная медицина" in text


def test_clean_makes_one_printable_line() -> None:
    assert clean("  Tabs\tand\nnewlines  ") == "Tabs and newlines"
    assert clean("nul\x00 zero\u200bwidth") == "nul zerowidth"
    assert clean("ok 🙏🏽 fine") == "ok fine"
    assert clean(unicodedata.normalize("NFD", "Zoë")) == "Zoë"
    assert clean(None) == ""


def test_without_a_name_it_is_your_problems_list() -> None:
    for key in ("no name", "blank name"):
        text = one_page_text(STRESS[key])
        assert "Your Problems List" in text
        assert "Prepared for" not in text
        assert "March 25, 2026" in text


def test_without_a_target_there_is_no_target_line() -> None:
    text = one_page_text(STRESS["no target"])
    assert "Target:" not in text and "Backup:" not in text
    assert "Too few programs" in text


def test_an_empty_top_list_says_so() -> None:
    text = one_page_text(STRESS["empty top"])
    assert NO_FINDINGS in text
    assert "Also noted" not in text


def test_a_monster_input_is_cut_down_but_still_readable() -> None:
    text = one_page_text(STRESS["monster"])
    assert "more in the chat" in text
    assert SHORTENED in text
    assert "Target:" in text and "Backup:" in text
