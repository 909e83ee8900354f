"""The program list (/programs): programs added in the chat or imported from a spreadsheet,
tiered (suggested from the profile, always overridable), warned about as a whole, exported as
XLSX and CSV and drawn, and ticking the plan's "program list" milestone."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from openpyxl import Workbook, load_workbook

from conversations import texts
from conversations.documents.program_sheet import SheetError, read_sheet, write_csv, write_xlsx
from conversations.messages import Other, Press
from conversations.rules.programs import (
    Applicant,
    Program,
    Refusal,
    check_row,
    list_range,
    program_key,
    region_of,
    suggest_tier,
    warnings,
)
from tests.coach_chat import CoachChat, onboard_us_md

HEADER = "Program,City,State,Setting,New program,Score cutoff,Tier,Status,Notes\n"


@pytest.fixture
def chat() -> CoachChat:
    chat = CoachChat()
    onboard_us_md(chat)  # a US MD in Internal Medicine, Step 2 CK 223
    return chat


def _send(chat: CoachChat, name: str, content: bytes, mime: str = "text/csv") -> None:
    chat.send(
        Other("document", file_name=name, mime_type=mime, file_size=len(content), content=content)
    )


def _stored(chat: CoachChat) -> dict[str, dict[str, object]]:
    return {r.key: dict(r.content) for r in chat.records.get("program", [])}


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rows(n: int, *, state: str = "OH", setting: str = "community", tier: str = "green") -> bytes:
    lines = [HEADER] + [
        f"Program {i},Town {i},{state},{setting},no,,{tier},considering,\n" for i in range(n)
    ]
    return "".join(lines).encode()


# ---------------------------------------------------------------- one program in the chat


def test_an_empty_list_says_the_range_and_both_ways_in(chat: CoachChat) -> None:
    chat.command("programs")
    assert "Aim for 60-120 programs" in chat.said
    assert {"Add a program", "Send a spreadsheet", "Template"} <= set(chat.labels())


def test_a_program_is_added_with_a_suggested_tier_the_user_can_overrule(chat: CoachChat) -> None:
    chat.command("programs", "add")
    chat.text("Lakeside Academic Internal Medicine")
    chat.text("Boston")
    chat.text("massachusetts")
    chat.tap("Academic")
    chat.tap("No")
    chat.text("230")  # above Maya's 223
    assert "I'd say red (an extreme reach): its cutoff (230) is above your score (223)" in (
        chat.said
    )
    chat.tap("Yellow")  # her call, not the data's
    chat.tap("Applied")
    chat.text("A resident from my school is there")
    assert "Added." in chat.said
    key = program_key("Lakeside Academic Internal Medicine")
    assert _stored(chat)[key] == {
        "name": "Lakeside Academic Internal Medicine",
        "city": "Boston",
        "state": "MA",
        "setting": "academic",
        "cutoff": 230,
        "notes": "A resident from my school is there",
        "new": False,
        "img_friendly": None,
        "do_friendly": None,
        "tier": "yellow",
        "status": "applied",
    }
    assert "What the data suggest: red, because its cutoff (230) is above your score" in chat.said


def test_a_tap_changes_the_tier_or_status_and_a_double_tap_or_forged_button_nothing(
    chat: CoachChat,
) -> None:
    _send(chat, "list.csv", (HEADER + "St Mary IM,Peoria,IL,community,yes,,green,,\n").encode())
    chat.command("programs")
    chat.tap("See the list")
    chat.tap("St Mary IM")
    interview = chat.button("Interview")
    chat.send(Press(interview.data))
    assert _stored(chat)["stmaryim"]["status"] == "interview"
    card = chat.last
    chat.send(Press(interview.data))
    assert chat.last is not None and chat.last.toast == texts.ALREADY_SAVED
    chat.send(Press(chat.button("Red", card).data))
    assert _stored(chat)["stmaryim"]["tier"] == "red"
    before = _stored(chat)
    chat.send(Press("@pg.t.purple.stmaryim"))
    assert "couldn't read that button" in chat.said
    chat.send(Press("@pg.s.applied.nosuchprogram"))
    assert "can't find that program" in chat.said
    assert _stored(chat) == before


def test_one_detail_is_edited_and_a_rename_keeps_one_row(chat: CoachChat) -> None:
    _send(chat, "list.csv", (HEADER + "St Mary IM,Peoria,IL,community,yes,,green,,Nice\n").encode())
    chat.command("programs")
    chat.tap("See the list")
    chat.tap("St Mary IM")
    chat.tap("Edit details")
    chat.tap("City")
    chat.text("Springfield")
    assert "Updated." in chat.said and chat.state.flow is None
    assert _stored(chat)["stmaryim"]["city"] == "Springfield"
    assert _stored(chat)["stmaryim"]["notes"] == "Nice"
    chat.tap("Edit details")
    chat.tap("Program")
    chat.text("Saint Mary Internal Medicine")
    assert list(_stored(chat)) == ["saintmaryinternalmedicine"]


def test_a_removed_program_is_gone_after_a_yes(chat: CoachChat) -> None:
    _send(chat, "list.csv", (HEADER + "St Mary IM,Peoria,IL,community,yes,,green,,\n").encode())
    chat.command("programs")
    chat.tap("See the list")
    chat.tap("St Mary IM")
    chat.tap("Remove")
    chat.tap("No, keep it")
    assert "stmaryim" in _stored(chat)
    chat.tap("Remove")
    chat.tap("Yes, remove it")
    assert _stored(chat) == {} and "Removed St Mary IM." in chat.said


def test_bad_answers_mid_flow_keep_the_place(chat: CoachChat) -> None:
    chat.command("programs", "add")
    chat.text("Mercy IM")
    chat.command("skip")
    chat.text("Atlantis")
    assert "two letters (IL) or its name" in chat.said and chat.step == "state"
    chat.other("sticker")
    assert chat.step == "state"
    chat.command("programs")
    assert "Where we were" in chat.said and chat.step == "state"
    chat.text("ohio")
    assert chat.step == "setting"


# ---------------------------------------------------------------- the spreadsheet way


def test_a_clean_csv_is_imported_at_once_and_a_second_import_updates_by_name(
    chat: CoachChat,
) -> None:
    _send(chat, "programs.csv", _rows(3))
    assert "Imported 3 programs from your sheet: 3 new, 0 updated." in chat.said
    assert len(_stored(chat)) == 3
    # The same programs again, renamed in case and spacing, a note added, no Setting column.
    again = "Program,Notes,Tier\nprogram  0,Great residents,yellow\nPROGRAM 1,,green\n"
    _send(chat, "programs.csv", again.encode())
    assert "0 new, 2 updated" in chat.said
    stored = _stored(chat)
    assert len(stored) == 3
    assert stored["program0"]["notes"] == "Great residents"
    assert stored["program0"]["tier"] == "yellow"
    assert stored["program0"]["setting"] == "community"  # a column not sent keeps its value


def test_refused_rows_are_listed_and_nothing_is_stored_until_the_user_says(
    chat: CoachChat,
) -> None:
    sheet = HEADER + (
        "Good One,Columbus,OH,community,no,,green,,\n"
        "Bad State,Nowhere,XX,community,no,,green,,\n"
        ",Nameless,OH,community,no,,green,,\n"
        "Bad Tier,Dayton,OH,community,no,,purple,,\n"
        "Bad Cutoff,Akron,OH,community,no,lots,green,,\n"
        "Good One,Columbus,OH,community,no,,green,,\n"
    )
    _send(chat, "list.csv", sheet.encode())
    said = chat.said
    assert "1 row ready (1 new, 0 updated), but 5 I couldn't use" in said
    assert "Row 3: “XX” isn't a US state" in said
    assert "Row 4: the program's name is empty." in said
    assert "Row 5: the tier should be green, yellow or red, not “purple”." in said
    assert "Row 6: the score cutoff should be a number such as 220, not “lots”." in said
    assert "Row 7 (Good One): the same program as row 2." in said
    assert _stored(chat) == {}
    chat.tap("Cancel, I'll fix the sheet")
    assert "nothing was imported" in chat.said and _stored(chat) == {}
    _send(chat, "list.csv", sheet.encode())
    confirm = chat.button("Import the 1")
    chat.send(Press(confirm.data))
    assert list(_stored(chat)) == ["goodone"]
    chat.send(Press(confirm.data))  # a second tap on the old button
    assert "already settled" in chat.said and list(_stored(chat)) == ["goodone"]


def test_an_xlsx_is_read_by_its_column_names_whatever_their_case_and_order(
    chat: CoachChat,
) -> None:
    content = _xlsx(
        [
            ["  NOTES ", "state", "Program Name", "IMG friendly", "Step 2 cutoff", "Colour"],
            ["Big city", "New York", "Metro IM", "yes", 225, "Yellow"],
            [None, None, None, None, None, None],
            ["", "tx", "Lone Star FM", True, 210.0, "green"],
        ]
    )
    _send(chat, "list.xlsx", content, "application/octet-stream")
    assert "Imported 2 programs" in chat.said
    stored = _stored(chat)
    assert stored["metroim"]["state"] == "NY" and stored["metroim"]["cutoff"] == 225
    assert stored["metroim"]["img_friendly"] is True and stored["metroim"]["tier"] == "yellow"
    assert stored["lonestarfm"]["cutoff"] == 210 and stored["lonestarfm"]["state"] == "TX"


def test_formulas_are_refused_with_the_row(chat: CoachChat) -> None:
    content = _xlsx([["Program", "Score cutoff"], ["Calc IM", "=200+20"], ["Plain IM", 220]])
    _send(chat, "list.xlsx", content)
    assert "Row 2: the cutoff is a formula; save the sheet with values." in chat.said
    assert _stored(chat) == {}


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("list.csv", b"", "The file is empty."),
        ("list.csv", b"City,State\nChicago,IL\n", "the column with the programs' names"),
        ("list.csv", b"Program,State\n", "no programs under them"),
        (
            "list.xlsx",
            b"PK\x03\x04 this is not really a workbook",
            "couldn't open that as an Excel",
        ),
        ("list.xls", b"\xd0\xcf\x11\xe0 old excel", "I can read .xlsx and .csv files"),
        ("list.csv", b"\x00\x01\x02binary\x00", "doesn't look like a spreadsheet"),
    ],
)
def test_a_file_that_cannot_be_read_gets_the_reason_and_changes_nothing(
    chat: CoachChat, name: str, content: bytes, reason: str
) -> None:
    _send(chat, "list.csv", _rows(2))
    before = _stored(chat)
    _send(chat, name, content)
    assert reason in chat.said and "Nothing was changed." in chat.said
    assert _stored(chat) == before


def test_a_file_over_ten_megabytes_is_refused_kindly(chat: CoachChat) -> None:
    chat.send(Other("document", file_name="huge.xlsx", mime_type=None, file_size=12_000_000))
    assert "That file is 11 MB; I can read up to 10 MB." in chat.said
    assert _stored(chat) == {}


def test_other_encodings_and_separators_are_read(chat: CoachChat) -> None:
    cp1252 = "Program;City;State\nSão José IM;Montréal Falls;MN\n".encode("cp1252")
    _send(chat, "list.csv", cp1252)
    assert _stored(chat)["sojosim"]["city"] == "Montréal Falls"
    utf16 = "Program\tState\nÜber FM\tWI\n".encode("utf-16")
    _send(chat, "list.csv", utf16)
    assert _stored(chat)["berfm"]["name"] == "Über FM"


def test_a_document_that_is_not_a_spreadsheet_is_not_taken_for_one(chat: CoachChat) -> None:
    chat.send(
        Other("document", file_name="photo.jpg", mime_type="image/jpeg", file_size=10, content=b"x")
    )
    assert "The files I read are program lists, as .xlsx or .csv" in chat.said
    assert "Imported" not in chat.said and _stored(chat) == {}


def test_the_import_waits_for_a_profile(chat: CoachChat) -> None:
    fresh = CoachChat()
    _send(fresh, "list.csv", _rows(2))
    assert texts.NEED_PROFILE in fresh.said and fresh.records == {}


# ---------------------------------------------------------------- out again


def test_the_export_round_trips_every_field_and_is_coloured_frozen_and_filtered(
    chat: CoachChat,
) -> None:
    sheet = HEADER + (
        "Metro IM,New York,NY,academic,no,230,red,applied,Résumé sent\n"
        "Prairie FM,Lincoln,NE,university-affiliated community,yes,,green,interview,\n"
    )
    _send(chat, "in.csv", sheet.encode())
    chat.command("programs", "export")
    xlsx, csv_file = chat.documents()
    assert xlsx.filename == "program-list.xlsx" and csv_file.filename == "program-list.csv"
    book = load_workbook(io.BytesIO(xlsx.content))
    ws = book["Programs"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:L3"
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0][:4] == ["Program", "City", "State", "Region"]
    assert rows[1] == [
        "Prairie FM",
        "Lincoln",
        "NE",
        "Midwest",
        "university-affiliated community",
        "yes",
        None,
        None,
        None,
        "green",
        "interview",
        None,
    ]
    assert ws["A3"].fill.start_color.rgb.endswith("FFC7CE")  # red
    assert ws["A2"].fill.start_color.rgb.endswith("C6EFCE")  # green
    # Sent back as it came, nothing changes; the CSV reads back the same.
    before = _stored(chat)
    _send(chat, "program-list.xlsx", xlsx.content)
    assert "0 new, 2 updated" in chat.said and _stored(chat) == before
    text = csv_file.content.decode("utf-8-sig")
    read = list(csv.DictReader(io.StringIO(text)))
    assert read[1]["Notes"] == "Résumé sent" and read[1]["Score cutoff"] == "230"
    _send(chat, "program-list.csv", csv_file.content)
    assert _stored(chat) == before


def test_the_template_and_the_picture(chat: CoachChat) -> None:
    chat.command("programs")
    chat.tap("Template")
    (template,) = chat.documents()
    book = load_workbook(io.BytesIO(template.content))
    assert next(c.value for c in book["Programs"][1]) == "Program"
    assert "How to fill it" in book.sheetnames
    with pytest.raises(SheetError, match="no programs under them"):
        read_sheet("template.xlsx", template.content)
    _send(chat, "list.csv", _rows(4))
    chat.command("programs")
    chat.tap("Picture")
    assert chat.last is not None
    photo = chat.last.replies[0].photo
    assert photo is not None and photo.content.startswith(b"\x89PNG")


# ---------------------------------------------------------------- tiers and warnings


def test_tiers_are_suggested_from_the_profile() -> None:
    maya = Applicant(specialty="Internal Medicine", step2=223)
    img = Applicant(specialty="Internal Medicine", img=True, step2=240)
    do = Applicant(specialty="Family Medicine", do=True, comlex2=520)
    assert suggest_tier(Program("a", "A", cutoff=230), maya)[0] == "red"
    assert suggest_tier(Program("a", "A", cutoff=220), maya) == (
        "yellow",
        "your score clears its cutoff (220) by only 3",
    )
    assert suggest_tier(Program("a", "A", cutoff=200, setting="community"), maya)[0] == "green"
    assert suggest_tier(Program("a", "A", setting="academic"), maya)[0] == "yellow"
    assert suggest_tier(Program("a", "A", img_friendly=False), img) == (
        "red",
        "it doesn't take IMGs",
    )
    assert suggest_tier(Program("a", "A"), img)[0] == "yellow"  # not known yet
    assert suggest_tier(Program("a", "A", do_friendly=False), do)[0] == "red"
    assert suggest_tier(Program("a", "A", cutoff=500), do)[0] == "green"  # COMLEX scale


def test_suggested_tiers_are_applied_only_when_the_user_says(chat: CoachChat) -> None:
    sheet = "Program,State,Setting,Score cutoff\nHigh Bar,NY,academic,240\nEasy,OH,community,\n"
    _send(chat, "list.csv", sheet.encode())
    chat.command("programs")
    chat.tap("Suggest tiers")
    assert "1 green, 1 red" in chat.said and all(not p["tier"] for p in _stored(chat).values())
    chat.tap("Use these tiers")
    assert {k: p["tier"] for k, p in _stored(chat).items()} == {"highbar": "red", "easy": "green"}


def _programs(n: int, **fields: object) -> list[Program]:
    return [Program(f"p{i}", f"P{i}", **fields) for i in range(n)]  # type: ignore[arg-type]


def test_the_warnings_follow_the_seed() -> None:
    im = Applicant(specialty="Internal Medicine", step2=223)
    keys = lambda ps, who=im: [w.key for w in warnings(ps, who)]  # noqa: E731
    balanced = (
        _programs(40, state="OH", setting="community", tier="green")
        + _programs(15, state="TX", setting="affiliated", tier="yellow")
        + [
            Program(f"n{i}", f"N{i}", state="IA", setting="community", tier="green", new=True)
            for i in range(5)
        ]
    )
    assert keys(balanced) == []
    assert keys(balanced[:30]) == ["short", "new"]  # the newer programs were the last five
    assert "short" not in keys(balanced) and len(balanced) == 60
    reds = [
        Program(p.key, p.name, p.city, p.state, p.setting, p.new, tier="red") for p in balanced[:20]
    ]
    assert "reds" in keys(reds + balanced[20:])
    academic = [
        Program(f"a{i}", "A", state="MA", setting="academic", tier="green") for i in range(40)
    ]
    found = keys(academic + balanced[:20])
    assert {"academic", "community", "coastal"} <= set(found)
    assert "new" in keys(_programs(60, state="OH", setting="community", tier="green"))
    img = Applicant(specialty="Internal Medicine", img=True)
    closed = [
        *balanced[:-1],
        Program(
            "c", "Closed IM", state="OH", setting="community", tier="green", img_friendly=False
        ),
    ]
    assert "img" in keys(closed, img) and "img" not in keys(closed, im)
    psych = Applicant(specialty="Psychiatry")
    (short,) = warnings(
        _programs(10, state="OH", setting="community", tier="green", new=True), psych
    )
    assert "40-80 (a rough guide for this specialty)" in short.text


def test_regions_and_ranges() -> None:
    assert [region_of(s) for s in ("IL", "texas", "Vermont", "ca", "Narnia")] == [
        "Midwest",
        "South",
        "Northeast",
        "West",
        "",
    ]
    assert list_range("Internal Medicine (community-heavy list)") == (60, 120, True)
    assert list_range("Dermatology")[2] is False


def test_a_row_keeps_what_the_sheet_does_not_say() -> None:
    old = Program("x", "X IM", city="Akron", state="OH", notes="kind PD", tier="green")
    new = check_row({"name": "x im", "tier": "yellow"}, old)
    assert (new.city, new.state, new.notes, new.tier) == ("Akron", "OH", "kind PD", "yellow")
    with pytest.raises(Refusal, match="isn't a Step 2 or COMLEX score"):
        check_row({"name": "Y", "cutoff": "9000"})


# ---------------------------------------------------------------- the plan


def test_sixty_tiered_programs_tick_the_program_list_milestone(chat: CoachChat) -> None:
    _send(chat, "list.csv", _rows(59))
    assert "program_list" not in chat.answers.get("milestones", {})
    chat.now += timedelta(days=100)
    _send(chat, "more.csv", b"Program,State,Tier\nOne More,IA,green\n")
    assert chat.answers["milestones"]["program_list"] == "2026-07-03"
    chat.command("plan")
    assert "Open my program list" not in chat.labels()


def test_write_helpers_agree_on_columns() -> None:
    p = [Program("a", "A", state="OH", tier="green")]
    assert write_csv(p).decode("utf-8-sig").splitlines()[0].startswith("Program,City,State,Region")
    assert load_workbook(io.BytesIO(write_xlsx(p)))["Programs"]["D2"].value == "Midwest"
