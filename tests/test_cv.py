"""The CV / ERAS activities tracker (/cv): entries added, changed and removed in the chat,
the warnings (padding, no results, gaps since graduation, hours), the plan's "CV updated"
ticked from the entries, and the one-page PDF and the .docx opened back with their own
libraries."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime

import pypdf
from docx import Document

from bot.service import CoachService, Who
from conversations.catalog import session
from conversations.documents.cv_document import (
    DOCX_MIME,
    SHORTENED,
    CvDocument,
    render_cv_docx,
    render_cv_pdf,
)
from conversations.messages import Command, Press, Text, Turn, UserInput
from conversations.rules import cv
from conversations.rules.parsing import Invalid
from conversations.session import MILESTONES_FLOW, UserView
from tests.coach_chat import CoachChat, onboard_us_md
from tests.test_every_reply import JARGON, SLIPS

DEC_1 = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)

# The seed's worked example, its year as CV entries (US MD, IM, no match in March 2026).
ROLE = (
    "Full-time role",
    "Research fellow, Department of Internal Medicine",
    "Midwestern academic medical center",
    "June 2026",
    None,  # still going
    "40-50",
    "Outcomes studies in heart failure; weekly IM conferences; data analysis and IRB work.",
    "2 abstracts submitted to the regional ACP meeting; 1 manuscript in preparation.",
)
HEART_FAILURE = (
    "Research project",
    "Heart failure outcomes study",
    "Department of Internal Medicine",
    "Jul 2026",
    None,
    "10",
    "Built the cohort of 500 patients and ran the survival analysis.",
    "Abstract accepted as a poster at the regional ACP meeting.",
)
READMISSIONS = (
    "QI project",
    "Reducing 30-day readmissions on the medicine wards",
    "Department of Internal Medicine",
    "2026-08",
    None,
    "5",
    "Led a discharge-call workflow with the nurse navigators.",
    "Follow-up calls reached 85% of discharges; readmissions down from 18% to 14%.",
)


def onboarded(now: datetime = DEC_1) -> CoachChat:
    chat = CoachChat()
    onboard_us_md(chat)
    chat.now = now
    return chat


def with_graduation(month: str | None = "May 2026", now: datetime = DEC_1) -> CoachChat:
    chat = onboarded(now)
    chat.command("cv")
    assert "When did you graduate" in chat.said
    if month is None:
        chat.tap("Skip")
    else:
        chat.text(month)
    return chat


def add(chat: CoachChat, entry: tuple[str | None, ...]) -> Turn:
    kind, title, where, start, end, hours, duties, results = entry
    chat.tap("Add an entry")
    assert "What kind of entry" in chat.said
    chat.tap(str(kind))
    chat.text(str(title))
    chat.text(str(where))
    chat.text(str(start))
    if end is None:
        chat.tap("Still going")
    else:
        chat.text(end)
    chat.text(str(hours))
    chat.text(str(duties))
    if results is None:
        return chat.tap("Skip")
    return chat.text(results)


def items(chat: CoachChat) -> list[dict[str, object]]:
    return [dict(r.content) for r in chat.records.get("cv", [])]


def entry(
    key: str,
    kind: str = "research",
    start: str = "2026-06",
    end: str | None = cv.ONGOING,
    hours: int | None = 10,
    results: str = "An abstract submitted.",
) -> cv.Entry:
    content = {
        "type": kind,
        "title": f"Entry {key}",
        "organisation": "Somewhere",
        "start": start,
        "end": end,
        "hours": hours,
        "duties": "Things.",
        "results": results,
    }
    return cv.Entry.of(key, content)


def codes(
    entries: list[cv.Entry], graduated: str | None = None, today: date | None = None
) -> list[str]:
    return [f.code for f in cv.warnings(entries, graduated, today or DEC_1.date())]


# ---------------------------------------------------------------- the conversation


def test_cv_asks_the_graduation_month_once_and_a_skip_is_an_answer() -> None:
    chat = onboarded()
    chat.command("cv")
    assert "When did you graduate" in chat.said and "Skip" in chat.labels()
    chat.tap("Skip")
    assert "Add the first one?" in chat.said
    assert chat.labels() == ["➕ Add an entry", "When I graduated"]
    chat.command("cv")  # asked once: not again
    assert "When did you graduate" not in chat.said
    assert "Add the first one?" in chat.said
    chat.tap("When I graduated")  # but it can be given later
    chat.text("may 26")
    assert chat.answers["cv_grad"]["graduated"] == "2026-05"
    assert "Graduated: May 2026" in chat.labels()


def test_the_worked_example_year_as_entries_reads_well_and_ticks_the_cv_milestone() -> None:
    chat = with_graduation("May 2026")
    assert "Got it: May 2026." in chat.said
    add(chat, ROLE)
    assert "Added “Research fellow, Department of Internal Medicine” to your CV." in chat.said
    stored = items(chat)
    assert stored == [
        {
            "type": "full_time",
            "title": "Research fellow, Department of Internal Medicine",
            "organisation": "Midwestern academic medical center",
            "start": "2026-06",
            "end": "ongoing",
            "hours": 45,  # the middle of 40-50
            "duties": ROLE[6],
            "results": ROLE[7],
        }
    ]
    # The role alone is not yet the CV the plan asks for: one project or teaching entry too.
    assert "cv_updated" not in chat.answers.get(MILESTONES_FLOW, {})
    assert "So far 1 solid entry; a strong CV has 3 to 5" in chat.said
    add(chat, HEART_FAILURE)
    assert chat.answers[MILESTONES_FLOW]["cv_updated"] == "2026-12-01"
    add(chat, READMISSIONS)
    assert len(items(chat)) == 3
    assert "This reads well" in chat.said and "Worth a look" not in chat.said
    said = chat.said
    assert "Full-time role · Jun 2026 – ongoing · 45 h/week · results ✓" in said
    # Most recent first, as a CV reads: the latest start on top while all three go on.
    assert said.index("Reducing") < said.index("Heart failure") < said.index("Research fellow")
    chat.command("cv")
    chat.tap("PDF and Word file")
    pdf, docx = chat.documents()
    assert pdf.mime_type == "application/pdf" and pdf.filename == "cv-2026-12-01.pdf"
    assert docx.mime_type == DOCX_MIME and docx.filename == "cv-2026-12-01.docx"
    pages = pypdf.PdfReader(io.BytesIO(pdf.content)).pages
    assert len(pages) == 1
    text = pages[0].extract_text()
    for title in (ROLE[1], HEART_FAILURE[1], READMISSIONS[1]):
        assert str(title) in text.replace("\n", " ")
    words = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    for one in (ROLE, HEART_FAILURE, READMISSIONS):
        assert str(one[1]) in words and str(one[7]) in words


def test_plan_offers_the_cv_as_the_way_to_tick_it_off() -> None:
    chat = with_graduation()
    s = session(chat.state, UserView(answers=chat.answers), DEC_1)
    how = s.completing("cv_updated")
    assert how is not None and how.how == ("Update my CV", "@cv.open")
    chat.send(Press(how.how[1]))
    assert "Add the first one?" in chat.said and "➕ Add an entry" in chat.labels()


def test_one_field_is_changed_and_the_rest_kept_then_the_entry_is_removed() -> None:
    chat = with_graduation()
    add(chat, ROLE)
    add(chat, HEART_FAILURE)
    assert chat.answers[MILESTONES_FLOW]["cv_updated"]
    key = chat.records["cv"][1].key
    assert chat.records["cv"][1].content["title"] == "Heart failure outcomes study"
    chat.tap("Heart failure")
    assert "What would you like to change?" in chat.said
    assert "Duties: Built the cohort" in chat.said
    chat.tap("Results")
    assert "Saved answer: Abstract accepted" in chat.said
    chat.text("Poster presented; manuscript submitted to JACC Heart Failure.")
    assert "Updated “Heart failure outcomes study”." in chat.said
    content = dict(chat.records["cv"][1].content)
    assert content["results"] == "Poster presented; manuscript submitted to JACC Heart Failure."
    assert content["title"] == "Heart failure outcomes study" and content["hours"] == 10
    assert chat.state.flow is None, "one field asked, then done"

    entry_turn = chat.tap("Heart failure")
    chat.tap("Remove this entry")
    assert "Remove “Heart failure outcomes study” from your CV?" in chat.said
    confirm = chat.last
    chat.tap("Yes, remove it")
    assert "Removed “Heart failure outcomes study”." in chat.said
    assert [r.content["title"] for r in chat.records["cv"]] == [ROLE[1]]
    assert key not in [r.key for r in chat.records["cv"]]
    # Stale buttons: the confirmation pressed twice, the old entry screen's buttons.
    chat.send(Press(chat.button("Yes, remove it", confirm).data))
    assert "already removed" in chat.said and len(chat.records["cv"]) == 1
    chat.send(Press(chat.button("Results", entry_turn).data))
    assert "isn't on your CV any more" in chat.said and chat.state.flow is None
    chat.send(Press("@cv.f.nonsense"))
    assert "isn't on your CV any more" in chat.said
    chat.send(Press("@cv.zap"))
    assert "couldn't read that button" in chat.said
    keep = chat.records["cv"][0].key
    chat.send(Press(f"@cv.f.{keep}.password"))
    assert "couldn't read that button" in chat.said and chat.state.flow is None


def test_a_result_can_be_skipped_and_added_later() -> None:
    chat = with_graduation()
    add(chat, (*ROLE[:7], None))
    assert items(chat)[0]["results"] is None
    assert "No results yet for “Research fellow" in chat.said
    assert "no results yet" in chat.said
    chat.tap("1. Research fellow")
    assert "Results: none yet" in chat.said
    chat.tap("Results")
    chat.text("Two abstracts submitted.")
    assert items(chat)[0]["results"] == "Two abstracts submitted."
    assert "No results yet" not in chat.said


# ---------------------------------------------------------------- bad input


def test_dates_in_the_wrong_order_are_refused_and_nothing_is_lost() -> None:
    chat = with_graduation()
    chat.tap("Add an entry")
    chat.tap("QI project")
    chat.text("Discharge calls")
    chat.text("Medicine wards")
    chat.text("someday soon")
    assert "couldn't read that as a month" in chat.said
    chat.text("March 2027")
    assert "this month or earlier" in chat.said
    chat.text("September 2026")
    chat.text("July 2026")
    assert "comes before the start (Sep 2026)" in chat.said
    assert chat.step == "end" and "cv" not in chat.records
    chat.text("November 2026")
    assert chat.step == "hours"
    for nonsense, reason in (
        ("lots", "as a number from 1 to 100"),
        ("0", "Less than an hour a week"),
        ("500", "more than a week can hold"),
    ):
        chat.text(nonsense)
        assert reason in chat.said and chat.step == "hours"
    chat.text("6 hours a week")
    chat.text("x" * 700)
    assert "keep your duties to 600 characters" in chat.said and chat.step == "duties"
    chat.command("cv")  # a command mid-question keeps the question
    assert "finish this first" in chat.said and chat.step == "duties"
    chat.send(Press("@cv.add"))  # a double tap on an old "Add" button
    assert "finish this first" in chat.said and chat.step == "duties"
    chat.text("Called patients two days after discharge.")
    chat.tap("Skip")
    stored = items(chat)[0]
    assert (stored["start"], stored["end"], stored["hours"]) == ("2026-09", "2026-11", 6)

    # Changing the start alone is checked against the end it already has.
    chat.tap("1. Discharge calls")
    chat.tap("Start month")
    chat.text("December 2026")
    assert "comes before the start (Dec 2026)" in chat.said
    chat.command("cancel")
    assert items(chat)[0]["start"] == "2026-09", "a refused edit changes nothing"


def test_a_huge_title_is_refused_kindly() -> None:
    chat = with_graduation()
    chat.tap("Add an entry")
    chat.tap("Teaching or tutoring")
    chat.text("T" * 300)
    assert "keep your title to 120 characters" in chat.said and chat.step == "title"
    chat.text("A" * 5000)  # over a message's limit
    assert chat.step == "title"


def test_cv_before_onboarding_asks_for_the_profile() -> None:
    chat = CoachChat()
    chat.command("cv")
    assert "/start" in chat.said
    chat.send(Press("@cv.add"))
    assert "/start" in chat.said and "cv" not in chat.records


def test_the_entries_are_capped() -> None:
    chat = with_graduation()
    for i in range(cv.MAX_ENTRIES):
        add(chat, ("Other", f"Thing {i}", "Here", "Jan 2026", "Feb 2026", "2", "Did it.", "Done."))
    assert len(items(chat)) == cv.MAX_ENTRIES, "keys made in the same moment never collide"
    assert "More than 8 starts to read as padding" in chat.said
    chat.tap("Add an entry")
    assert "already holds 20 entries" in chat.said and chat.state.flow is None


# ---------------------------------------------------------------- the warnings (pure)


def test_padding_is_more_than_eight_entries() -> None:
    eight = [entry(str(i)) for i in range(8)]
    assert "padding" not in codes(eight)
    assert "padding" in codes([*eight, entry("9")])


def test_entries_without_results_are_named() -> None:
    flags = cv.warnings([entry("a", results=""), entry("b")], None, DEC_1.date())
    found = next(f for f in flags if f.code == "no_results")
    assert "“Entry a”" in found.text and "Entry b" not in found.text


def test_a_gap_over_three_months_since_graduation_is_flagged_and_three_is_not() -> None:
    today = date(2026, 12, 1)
    # Graduated May 2026; the role from September: June, July, August uncovered (3).
    three = [entry("r", "full_time", start="2026-09", hours=45)]
    assert cv.gaps(three, "2026-05", today)[0].months == 3
    assert "gap" not in codes(three, "2026-05", today)
    four = [entry("r", "full_time", start="2026-10", hours=45)]
    assert "gap" in codes(four, "2026-05", today)
    text = next(f.text for f in cv.warnings(four, "2026-05", today) if f.code == "gap")
    assert "4 months (Jun 2026 – Sep 2026)" in text and "ERAS" in text
    # Overlapping entries are merged; a gap in the middle is found between them.
    split = [
        entry("a", start="2026-06", end="2026-07"),
        entry("b", start="2026-07", end="2026-08"),
        entry("c", "full_time", start="2027-01", end=cv.ONGOING),
    ]
    assert [(g.first, g.last) for g in cv.gaps(split, "2026-05", date(2027, 3, 1))] == [
        ("2026-09", "2026-12")
    ]
    assert cv.gaps(split, "2026-05", date(2026, 5, 20)) == []  # nothing since yet


def test_a_gap_appears_as_the_months_go_by() -> None:
    chat = with_graduation("May 2026", now=datetime(2026, 7, 10, 15, tzinfo=UTC))
    add(
        chat,
        (
            "Full-time role",
            "Scribe, IM clinic",
            "Lakeside Hospital",
            "Jun 2026",
            "Jul 2026",
            "40",
            "Scribed.",
            "Knew 3 attendings.",
        ),
    )
    for day, flagged in ((datetime(2026, 10, 30), False), (datetime(2026, 11, 2), True)):
        chat.now = day.replace(tzinfo=UTC)
        chat.command("cv")
        assert ("A gap of 4 months (Aug 2026 – Nov 2026)" in chat.said) is flagged


def test_no_full_time_role_few_heavy_entries_and_implausible_hours() -> None:
    assert codes([entry("a"), entry("b"), entry("c")]) == ["no_full_time"]
    assert "few_heavy" in codes([entry("a", "full_time", hours=45), entry("b", "other")])
    part_time = codes([entry("a", "full_time", hours=12), entry("b"), entry("c")])
    assert part_time == ["hours"]
    crowded = [entry("a", "full_time", hours=60), entry("b", hours=30), entry("c")]
    flags = cv.warnings(crowded, None, DEC_1.date())
    assert [f.code for f in flags] == ["hours"] and "100 hours a week" in flags[0].text
    solid = [entry("a", "full_time", hours=45), entry("b"), entry("c", "teaching", hours=2)]
    assert codes(solid, "2026-05") == []


def test_months_and_hours_are_read_the_ways_people_write_them() -> None:
    today = date(2026, 12, 1)
    for typed, month in (
        ("June 2026", "2026-06"),
        ("jun '26", "2026-06"),
        ("2026-06", "2026-06"),
        ("06/2026", "2026-06"),
        ("6/26", "2026-06"),
        ("2026 june", "2026-06"),
        ("March", "2026-03"),
        ("December", "2026-12"),
    ):
        assert cv.parse_month(typed, today=today) == month, typed
    for bad in ("", "13/2026", "soon", "June 1890", "June 2030"):
        try:
            cv.parse_month(bad, today=today)
        except Invalid:
            continue
        raise AssertionError(f"{bad!r} was read as a month")
    assert [cv.parse_hours(t) for t in ("45", "40-50", "about 20 h/week", "8 hrs")] == [
        45,
        45,
        20,
        8,
    ]


def test_the_milestone_needs_this_years_role_and_a_project_with_results() -> None:
    role = entry("r", "full_time", start="2025-07", end="2026-02", hours=45)
    project = entry("p", "qi")
    assert cv.cv_ready([role, project], None)
    assert not cv.cv_ready([role, project], "2026-03"), "a role that ended before the plan"
    ongoing = entry("r", "full_time", start="2026-06", hours=45)
    assert cv.cv_ready([ongoing, project], "2026-03")
    assert not cv.cv_ready([ongoing, entry("p", "qi", results="")], "2026-03")
    assert not cv.cv_ready([ongoing, entry("o", "other")], "2026-03")


# ---------------------------------------------------------------- the documents


def _doc(entries: list[cv.Entry]) -> CvDocument:
    return CvDocument("Maya Chen", date(2026, 12, 1), "2026-05", tuple(entries))


def test_a_long_cv_stays_on_one_page_with_a_note_and_the_word_file_keeps_every_word() -> None:
    long = [
        cv.Entry.of(
            f"k{i}",
            {
                "type": "research",
                "title": f"Project number {i} " + "with a long title " * 5,
                "organisation": "A department " * 8,
                "start": "2026-06",
                "end": "ongoing",
                "hours": 10,
                "duties": "Did a great many careful things. " * 18,
                "results": f"Result {i}: " + "an abstract, a poster and a manuscript. " * 14,
            },
        )
        for i in range(cv.MAX_ENTRIES)
    ]
    pdf = pypdf.PdfReader(io.BytesIO(render_cv_pdf(_doc(long))))
    assert len(pdf.pages) == 1
    text = " ".join(pdf.pages[0].extract_text().split())
    assert "Project number 0" in text and "Maya Chen" in text
    assert " ".join(SHORTENED.split()[:4]) in text
    words = "\n".join(p.text for p in Document(io.BytesIO(render_cv_docx(_doc(long)))).paragraphs)
    for one in long:
        assert one.title in words and one.results in words


def test_a_short_cv_is_whole_and_odd_characters_never_break_the_files() -> None:
    odd = cv.Entry.of(
        "o",
        {
            "type": "teaching",
            "title": "Step 1 tutor — Ünïcödé ✨ 日本",
            "start": "2026-06",
            "end": "ongoing",
            "hours": 3,
            "duties": "Tutored\tthree\nstudents \x0b.",
            "results": "All 3 passed.",
        },
    )
    pdf = pypdf.PdfReader(io.BytesIO(render_cv_pdf(_doc([odd]))))
    text = pdf.pages[0].extract_text()
    assert len(pdf.pages) == 1 and "Step 1 tutor" in text and "All 3 passed." in text
    assert SHORTENED.split()[0] + " lines" not in text
    docx = Document(io.BytesIO(render_cv_docx(_doc([odd]))))
    words = "\n".join(p.text for p in docx.paragraphs)
    assert "Step 1 tutor — Ünïcödé ✨ 日本" in words and "All 3 passed." in words
    bare = cv.Entry.of("b", {"type": "other", "title": "Volunteer", "start": "2026-01"})
    page = pypdf.PdfReader(io.BytesIO(render_cv_pdf(_doc([bare])))).pages[0].extract_text()
    docx_words = "\n".join(
        p.text for p in Document(io.BytesIO(render_cv_docx(_doc([bare])))).paragraphs
    )
    for words in (page, docx_words):  # a page made to be shown leaves an empty result out
        assert "Volunteer" in words and "Results" not in words and "none yet" not in words
    empty = pypdf.PdfReader(io.BytesIO(render_cv_pdf(_doc([]))))
    assert "No entries yet." in empty.pages[0].extract_text()


def test_files_need_an_entry_first() -> None:
    chat = with_graduation()
    chat.send(Press("@cv.docs"))
    assert "Add an entry first" in chat.said and chat.documents() == []


# ---------------------------------------------------------------- stored, exported, erased


MAYA = Who("telegram", "7070", "Maya")
OMAR = Who("telegram", "7071", "Maya")  # another user, named alike for the script


def _press(turn: Turn, label: str) -> Press:
    for reply in turn.replies:
        for row in reply.buttons:
            for button in row:
                if label in button.label:
                    return Press(button.data)
    raise AssertionError(f"no {label!r} button")


async def test_entries_are_the_users_own_in_the_export_and_erased(service: CoachService) -> None:
    from tests.coach_chat import SEED_ONBOARDING, scripted_input

    for who in (MAYA, OMAR):
        last = None
        for step in SEED_ONBOARDING:
            last = await service.handle(who, scripted_input(step, last))
    turn = await service.handle(MAYA, Command("cv"))
    turn = await service.handle(MAYA, Text("May 2026"))
    turn = await service.handle(MAYA, _press(turn, "Add an entry"))
    turn = await service.handle(MAYA, _press(turn, "Teaching or tutoring"))
    for typed in (
        "Step 1 tutor",
        "Medical school",
        "Jan 2026",
        "Mar 2026",
        "4",
        "Tutored.",
        "All passed.",
    ):
        turn = await service.handle(MAYA, Text(typed))
    assert "Added “Step 1 tutor” to your CV." in turn.replies[0].text
    turn = await service.handle(OMAR, Command("cv"))
    turn = await service.handle(OMAR, Text("skip"))
    assert "Step 1 tutor" not in "".join(r.text for r in turn.replies)
    turn = await service.handle(MAYA, Command("export"))
    data = next(r.document for r in turn.replies if r.document is not None)
    assert "All passed." in json.dumps(json.loads(data.content))
    turn = await service.handle(MAYA, Command("delete"))
    await service.handle(MAYA, _press(turn, "Yes, delete everything"))
    async with service.db.unit_of_work() as repo:
        user = await repo.users.get_or_create("telegram", MAYA.external_id, None)
        assert await repo.records.of_kinds(user.id, {"cv"}) == []


# ---------------------------------------------------------------- the words


class ListeningChat(CoachChat):
    """A chat that keeps every reply it was given."""

    def __init__(self, now: datetime) -> None:
        super().__init__(now)
        self.heard: list[str] = []

    def send(self, inp: UserInput) -> Turn:
        turn = super().send(inp)
        for reply in turn.replies:
            self.heard.append(reply.text)
            self.heard += [b.label for row in reply.buttons for b in row]
            if reply.document is not None:
                self.heard.append(reply.document.caption)
        return turn


def test_every_cv_reply_speaks_plainly() -> None:
    chat = ListeningChat(datetime(2026, 3, 25, 15, tzinfo=UTC))
    onboard_us_md(chat)
    chat.heard.clear()
    chat.now = DEC_1
    chat.command("cv")
    chat.text("May 2026")
    add(chat, (*ROLE[:7], None))
    add(chat, ("Other", "Volunteer", "Clinic", "Jan 2026", "Feb 2026", "90", "Helped.", "Ok."))
    chat.tap("1. Research fellow")
    chat.tap("End month")
    chat.text("January 2026")
    chat.command("cancel")
    chat.command("cv")
    chat.send(Press("@cv.docs"))
    chat.command("cv")
    chat.tap("Volunteer")
    chat.tap("Remove this entry")
    chat.tap("Yes, remove it")
    assert len(chat.heard) > 30
    for text in chat.heard:
        for what, pattern in {**JARGON, **SLIPS}.items():
            assert not pattern.search(text), f"{what}: {text[:200]}"


def test_an_old_answer_button_of_an_entry_changes_nothing() -> None:
    chat = with_graduation()
    kind_turn = chat.tap("Add an entry")
    chat.tap("Research project")
    assert chat.step == "title"
    chat.send(Press(chat.button("QI project", kind_turn).data))  # the kind tapped again
    assert chat.step == "title" and "What's its title?" in chat.said
    add_rest = (
        "Chart review",
        "Cardiology",
        "Jun 2026",
        None,
        "8",
        "Reviewed charts.",
        "A poster.",
    )
    chat.text(add_rest[0])
    chat.text(add_rest[1])
    end_turn = chat.text(add_rest[2])
    chat.tap("Still going")
    for typed in add_rest[4:]:
        chat.text(str(typed))
    assert items(chat)[0]["type"] == "research" and items(chat)[0]["end"] == "ongoing"
    chat.send(Press(chat.button("Still going", end_turn).data))  # after the entry is saved
    assert chat.state.flow is None and len(items(chat)) == 1
    assert chat.last is not None and chat.last.toast == "Already saved ✓"


def test_the_cv_milestone_ticked_in_july_drops_its_august_reminders() -> None:
    chat = with_graduation("May 2026", now=datetime(2026, 7, 20, 15, tzinfo=UTC))
    planned = [(n.kind, n.due_at) for n in chat.nudges("plan:ms:cv_updated")]
    assert planned == [  # 7:00 in Chicago, the user's reminder hour
        ("milestone_before", datetime(2026, 8, 10, 12, tzinfo=UTC)),
        ("milestone_due", datetime(2026, 8, 13, 12, tzinfo=UTC)),
    ]
    add(chat, ROLE)
    assert chat.nudges("plan:ms:cv_updated"), "the role alone leaves them"
    add(chat, HEART_FAILURE)
    assert chat.answers[MILESTONES_FLOW]["cv_updated"] == "2026-07-20"
    assert chat.nudges("plan:ms:cv_updated") == []
