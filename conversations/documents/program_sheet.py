"""The program list as a spreadsheet: read from a CSV or XLSX the user sends, written as XLSX
(tiers coloured, the header frozen, filters on) and CSV, and a template to start from.

Reading never trusts the file: it must be a real spreadsheet (an XLSX is a zip openpyxl can
open; a CSV is text in UTF-8, UTF-16 or Windows-1252), its first non-empty row names the
columns (matched by ``rules.programs.header_field``), and it holds at most ``MAX_ROWS`` rows.
What can't be read is a ``SheetError`` with the reason in plain words; checking each row is the
rules' job (``rules.programs.check_row``).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from conversations.rules.programs import (
    COLUMNS,
    MAX_PROGRAMS,
    SETTINGS,
    Program,
    header_field,
)

__all__ = [
    "MAX_ROWS",
    "Sheet",
    "SheetError",
    "read_sheet",
    "template_xlsx",
    "write_csv",
    "write_xlsx",
]

MAX_ROWS = MAX_PROGRAMS
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv"
_FILLS = {"green": "C6EFCE", "yellow": "FFEB9C", "red": "FFC7CE"}


class SheetError(ValueError):
    """A file that can't be read as a program list, with the reason in plain words."""


@dataclass(frozen=True)
class Sheet:
    """The rows of a sheet: each a (row number as the user sees it, field -> raw cell)."""

    rows: list[tuple[int, dict[str, Any]]]
    fields: list[str]  # the fields its columns name, in order
    ignored: list[str] = field(default_factory=list)  # headers that name nothing we keep


def looks_like_sheet(file_name: str | None, mime_type: str | None) -> bool:
    name = (file_name or "").casefold()
    mime = (mime_type or "").casefold()
    return name.endswith((".csv", ".xlsx", ".xlsm")) or mime in {
        CSV_MIME,
        XLSX_MIME,
        "application/csv",
        "text/comma-separated-values",
    }


def read_sheet(file_name: str | None, content: bytes) -> Sheet:
    if not content.strip():
        raise SheetError("The file is empty.")
    name = (file_name or "").casefold()
    if content.startswith(b"PK\x03\x04") or name.endswith((".xlsx", ".xlsm")):
        cells = _xlsx_rows(content)
    elif name.endswith((".xls", ".ods", ".numbers", ".pdf", ".docx", ".doc")):
        raise SheetError(
            "I can read .xlsx and .csv files. Save the list as one of those (in Excel or Google "
            "Sheets: File, then Download or Save as) and send it again."
        )
    else:
        cells = _csv_rows(content)
    return _to_sheet(cells)


def _xlsx_rows(content: bytes) -> list[list[Any]]:
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as error:
        raise SheetError(
            "I couldn't open that as an Excel file: it may be damaged, or another kind of "
            "file. Save it again as .xlsx (or .csv) and send it."
        ) from error
    try:
        sheet = book.worksheets[0]
        rows: list[list[Any]] = []
        for row in sheet.iter_rows(values_only=True):
            rows.append(list(row))
            if len(rows) > MAX_ROWS + 20:  # the header and a few blank lines
                raise SheetError(_too_many())
        return rows
    finally:
        book.close()


def _decode(content: bytes) -> str:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16")
    if b"\x00" in content:
        raise SheetError(
            "That doesn't look like a spreadsheet I can read. Send the list as .xlsx or .csv."
        )
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def _csv_rows(content: bytes) -> list[list[Any]]:
    text = _decode(content)
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows: list[list[Any]] = []
    try:
        for row in csv.reader(io.StringIO(text), dialect):
            rows.append(list(row))
            if len(rows) > MAX_ROWS + 20:
                raise SheetError(_too_many())
    except csv.Error as error:
        raise SheetError(
            "I couldn't read that as a CSV file. Send the list as .xlsx or .csv."
        ) from error
    return rows


def _too_many() -> str:
    return (
        f"That sheet has more than {MAX_ROWS} rows, more than any program list needs. Send "
        "the programs you're considering, one per row."
    )


def _blank(row: Sequence[Any]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in row)


def _to_sheet(cells: list[list[Any]]) -> Sheet:
    rows = [(i + 1, row) for i, row in enumerate(cells) if not _blank(row)]
    if not rows:
        raise SheetError("The file is empty.")
    (_, header), data = rows[0], rows[1:]
    fields: list[str | None] = []
    ignored: list[str] = []
    for cell in header:
        found = header_field(cell)
        if found is not None and found in fields:
            found = None  # a second column of the same thing: the first one counts
        fields.append(found)
        if found is None and cell not in (None, ""):
            ignored.append(str(cell))
    if "name" not in fields:
        raise SheetError(
            "I couldn't find the column with the programs' names. The first row should name "
            "the columns, for example: Program, City, State, Setting, Tier, Status, Notes. "
            "Tap Template for a sheet ready to fill."
        )
    if not data:
        raise SheetError("The sheet has its column names but no programs under them yet.")
    out = []
    for number, row in data:
        values = {f: row[i] if i < len(row) else None for i, f in enumerate(fields) if f}
        values.pop("region", None)  # the region is worked out from the state
        out.append((number, values))
    return Sheet(out, [f for f in fields if f], ignored)


# ---------------------------------------------------------------- writing


def _flag(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def _row(p: Program) -> list[Any]:
    return [
        p.name,
        p.city,
        p.state,
        p.region,
        SETTINGS.get(p.setting, ""),
        _flag(p.new),
        _flag(p.img_friendly),
        _flag(p.do_friendly),
        p.cutoff if p.cutoff is not None else "",
        p.tier,
        p.status,
        p.notes,
    ]


_WIDTHS = (38, 16, 7, 11, 30, 12, 13, 12, 13, 8, 12, 48)


def write_xlsx(programs: Sequence[Program]) -> bytes:
    """The list as an Excel workbook: a bold frozen header with filters, each row's tier
    coloured, the columns wide enough to read."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Programs"
    sheet.append([header for _, header in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for p in programs:
        sheet.append(_row(p))
        fill = _FILLS.get(p.tier)
        if fill is not None:
            for cell in sheet[sheet.max_row]:
                cell.fill = PatternFill("solid", start_color=fill, end_color=fill)
    for i, width in enumerate(_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write_csv(programs: Sequence[Program]) -> bytes:
    """The list as CSV (UTF-8 with a byte-order mark, which Excel needs to show accents)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([header for _, header in COLUMNS])
    for p in programs:
        writer.writerow(_row(p))
    return out.getvalue().encode("utf-8-sig")


def template_xlsx() -> bytes:
    """An empty list to fill in, with a second sheet saying what each column takes."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Programs"
    sheet.append([header for _, header in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for i, width in enumerate(_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"
    help_sheet = book.create_sheet("How to fill it")
    for line in (
        ("Column", "What it takes"),
        ("Program", "The program's name (required). Sending the sheet again updates by name."),
        ("City, State", "State as IL or Illinois; the region is worked out from it."),
        ("Region", "Leave it: filled in from the state."),
        ("Setting", "community, university-affiliated or academic"),
        ("New program, IMG-friendly, DO-friendly", "yes, no, or blank when you don't know"),
        ("Score cutoff", "A Step 2 CK or COMLEX Level 2 minimum, if the program states one"),
        ("Tier", "green (realistic), yellow (stretch), red (extreme reach), or blank"),
        ("Status", "considering, applied, interview or rejected"),
        ("Notes", "Anything: what residents said, who you know there"),
    ):
        help_sheet.append(list(line))
    help_sheet.column_dimensions["A"].width = 38
    help_sheet.column_dimensions["B"].width = 80
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
