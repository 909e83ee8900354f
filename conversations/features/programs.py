"""The program list (/programs): 60-120 programs, each tiered, and what the list says as a whole.

Each program is a tracker item (kind "program"), keyed by its name folded
(``rules.programs.program_key``). Two ways in: one program at a time in the chat (an item run
of ``PROGRAM``; a tap on its card changes its tier or status), or the spreadsheet way, how
people really keep 60-120 rows: a CSV or XLSX sent to the bot is read
(``documents.program_sheet``), each row checked (``rules.programs.check_row``), and imported
whole: when some rows can't be read, they are listed with their reasons and nothing is stored
until the user chooses to import the rest (the pending import is kept as an item of its own,
kind "program_import"). Sending the sheet again updates programs by name. ``/programs export``
sends the list as XLSX (tiers coloured, header frozen, filters on) and CSV; a template is one
tap away. The tier can be suggested from the profile (``suggest_tier``) and is always the
user's to change; the list's warnings (``rules.programs.warnings``) come with every overview,
and a picture shows tiers and regions. A list long enough, every program tiered, ticks the
plan's "program list" milestone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from conversations import texts
from conversations.documents.program_chart import program_chart_png
from conversations.documents.program_sheet import (
    CSV_MIME,
    XLSX_MIME,
    SheetError,
    looks_like_sheet,
    read_sheet,
    template_xlsx,
    write_csv,
    write_xlsx,
)
from conversations.engine import Choice, Context, Flow, Outcome, Question
from conversations.items import Items
from conversations.messages import (
    Attachment,
    Button,
    DropRecord,
    Effect,
    Other,
    PutRecord,
    Reply,
    Turn,
)
from conversations.rules.diagnosis import plural
from conversations.rules.parsing import Invalid, normalize_free_text
from conversations.rules.programs import (
    KIND,
    MAX_PROGRAMS,
    REGIONS,
    SETTINGS,
    STATUSES,
    TIER_MARK,
    TIERS,
    Applicant,
    Program,
    Refusal,
    check_row,
    list_range,
    parse_cutoff,
    program_key,
    program_of,
    state_code,
    suggest_tier,
    warnings,
)
from conversations.session import Completes, Feature, Reads, Session, UserView

FLOW_NAME = "program"
PENDING = "program_import"  # the kind of the one pending import, kept between two turns
PREFIX = "@pg."
OPEN = f"{PREFIX}open"
NEW_ITEM = "+new"  # the item key of a program being added (its real key comes from its name)
PAGE = 8  # programs per page of the list
MAX_FILE_BYTES = 10 * 1024 * 1024
_REFUSED_SHOWN = 12


def _applicant(user: UserView) -> Applicant:
    who = user.situation
    return Applicant.of(user.profile, who.specialty, who.img, who.do)


def _programs(user: UserView) -> list[Program]:
    return [program_of(r.key, r.content) for r in user.records_of(KIND)]


def _sorted(programs: Sequence[Program]) -> list[Program]:
    order = {"green": 0, "yellow": 1, "red": 2, "": 3}
    return sorted(programs, key=lambda p: (order.get(p.tier, 3), p.name.casefold()))


# ---------------------------------------------------------------- adding or changing one


def _name(text: str, ctx: Context) -> str:
    return normalize_free_text(text, max_len=120, what="program name")


def _city(text: str, ctx: Context) -> str:
    return normalize_free_text(text, max_len=60, what="city")


def _state(text: str, ctx: Context) -> str:
    code = state_code(text)
    if code is None:
        raise Invalid("Send the state as two letters (IL) or its name (Illinois).")
    return code


def _cutoff(text: str, ctx: Context) -> int:
    try:
        value = parse_cutoff(text)
    except Refusal as refused:
        raise Invalid(f"I couldn't use that: {refused}.") from None
    if value is None:
        raise Invalid("Send the cutoff as a number, such as 220, or tap Skip if there's none.")
    return value


def _notes(text: str, ctx: Context) -> str:
    return normalize_free_text(text, max_len=500, what="note")


_YES_NO = (
    Choice("yes", "Yes", stores=True),
    Choice("no", "No", stores=False),
    Choice("unknown", "Not sure", stores="unknown"),
)


def _draft(ctx: Context) -> Program:
    """The program as answered so far (for the suggested tier)."""
    a = ctx.answers

    def flag(key: str) -> bool | None:
        value = a.get(key)
        return value if isinstance(value, bool) else None

    cutoff = a.get("cutoff")
    return Program(
        key="draft",
        name=str(a.get("name") or ""),
        state=str(a.get("state") or ""),
        setting=str(a.get("setting") or ""),
        img_friendly=flag("img_friendly"),
        do_friendly=flag("do_friendly"),
        cutoff=cutoff if isinstance(cutoff, int) else None,
    )


def _suggestion(ctx: Context) -> tuple[str, str]:
    user = ctx.user
    who = _applicant(user) if isinstance(user, UserView) else Applicant()
    return suggest_tier(_draft(ctx), who)


def _tier_prompt(ctx: Context) -> str:
    tier, why = _suggestion(ctx)
    return (
        f"Which tier is it for you? From what you've told me I'd say {TIERS[tier]}: {why}. "
        "Your call."
    )


def _is_img(ctx: Context) -> bool:
    return isinstance(ctx.user, UserView) and ctx.user.situation.img


def _is_do(ctx: Context) -> bool:
    return isinstance(ctx.user, UserView) and ctx.user.situation.do


PROGRAM = Flow(
    name=FLOW_NAME,
    code="pg",
    change_hint="open /programs, tap the program, then Edit details",
    fresh_runs=True,
    questions=(
        Question(
            "name",
            "Program",
            "The program's name, as you'd look it up (e.g. Mercy Hospital Internal Medicine).",
            parse=_name,
            why_needed="the list is kept by program name.",
        ),
        Question("city", "City", "Which city?", parse=_city, optional=True),
        Question(
            "state",
            "State",
            "Which state? Two letters (IL) or the name.",
            parse=_state,
            optional=True,
        ),
        Question(
            "setting",
            "Setting",
            "What kind of program?",
            choices=tuple(Choice(k, v.capitalize()) for k, v in SETTINGS.items()),
            optional=True,
            columns=1,
        ),
        Question("new", "New program", "Is it a newer program?", choices=_YES_NO, columns=3),
        Question(
            "img_friendly",
            "IMG-friendly",
            "Does it take international graduates (IMGs)?",
            choices=_YES_NO,
            columns=3,
            ask_if=_is_img,
        ),
        Question(
            "do_friendly",
            "DO-friendly",
            "Does it take DO graduates?",
            choices=_YES_NO,
            columns=3,
            ask_if=_is_do,
        ),
        Question(
            "cutoff",
            "Score cutoff",
            "Does it state a minimum Step 2 CK or COMLEX Level 2 score? Send the number, or "
            "tap Skip.",
            parse=_cutoff,
            optional=True,
        ),
        Question(
            "tier",
            "Tier",
            _tier_prompt,
            choices=tuple(Choice(k, v.capitalize()) for k, v in TIERS.items()),
            columns=1,
        ),
        Question(
            "status",
            "Status",
            "Where are you with it?",
            choices=tuple(Choice(k, v.capitalize()) for k, v in STATUSES.items()),
            columns=2,
        ),
        Question(
            "notes",
            "Notes",
            "Any notes (what residents said, who you know there)? Or tap Skip.",
            parse=_notes,
            optional=True,
        ),
    ),
)


def _content_of(answers: Mapping[str, Any]) -> dict[str, Any]:
    def flag(key: str) -> bool | None:
        value = answers.get(key)
        return value if isinstance(value, bool) else None

    return {
        **{k: answers.get(k) for k in ("name", "city", "state", "setting", "cutoff", "notes")},
        "city": answers.get("city") or "",
        "state": answers.get("state") or "",
        "setting": answers.get("setting") or "",
        "notes": answers.get("notes") or "",
        "new": flag("new"),
        "img_friendly": flag("img_friendly"),
        "do_friendly": flag("do_friendly"),
        "tier": answers.get("tier") or "",
        "status": answers.get("status") or "considering",
    }


def _finished(s: Session, flow: Flow, result: Outcome) -> Turn:
    item = s.item
    if item is None:
        return s.turn(Reply("Saved. Send /programs to see your list."))
    content = _content_of(s.item_content(flow, result.effects))
    key = program_key(str(content.get("name") or ""))
    effects: list[Effect] = []
    before = s.user.record(KIND, key)
    if item[1] != key and s.user.record(KIND, item[1]) is not None:
        effects.append(DropRecord(KIND, item[1]))  # renamed: stored under its new name
    if item[1] == NEW_ITEM and before is not None:
        head = "You already had that one; I've updated it."
    elif item[1] == NEW_ITEM:
        head = "Added."
    else:
        head = "Updated."
    effects.append(PutRecord(KIND, key, content))
    view = s.after(tuple(effects))
    return view.turn(_card(view, program_of(key, content), head), effects=tuple(effects))


def _start_adding(s: Session) -> Turn:
    if s.flow is not None and s.flow is not PROGRAM:
        return s.say_then_reask(texts.FINISH_FIRST)
    if len(s.user.records_of(KIND)) >= MAX_PROGRAMS:
        return s.turn(
            Reply(f"Your list has {MAX_PROGRAMS} programs, the most I keep. Remove some first.")
        )
    return s.begin(PROGRAM, item=(KIND, NEW_ITEM))


# ---------------------------------------------------------------- overview, list, card


def _overview(s: Session, head: str | None = None) -> Reply:
    programs = _programs(s.user)
    who = _applicant(s.user)
    low, high, seed = list_range(who.specialty)
    field = who.specialty or "your specialty"
    guide = "" if seed else ", a rough guide"
    lines = [head] if head else []
    if not programs:
        lines.append(
            f"Your program list for {field} is empty. Aim for {low}-{high} programs{guide}, "
            "tilted toward community and newer programs and less competitive regions. Add "
            "them one by one, or send me your spreadsheet (CSV or Excel): tap Template for "
            "one ready to fill."
        )
    else:
        tiers = Counter(p.tier for p in programs)
        statuses = Counter(p.status for p in programs)
        regions = Counter(p.region for p in programs)
        lines.append(
            f"Your program list for {field}: {plural(len(programs), 'program')} (aim for "
            f"{low}-{high}{guide})."
        )
        lines.append(
            " · ".join(
                f"{TIER_MARK[t]} {tiers[t]} {t or 'not tiered'}"
                for t in ("green", "yellow", "red", "")
                if tiers[t]
            )
        )
        lines.append(", ".join(f"{statuses[k]} {k}" for k in STATUSES if statuses[k]))
        where = ", ".join(f"{r} {regions[r]}" for r in REGIONS if regions[r])
        if where:
            lines.append(f"Regions: {where}")
        found = warnings(programs, who)
        if found:
            lines.append("\nWorth a look:")
            lines += [f"• {w.text}" for w in found]
        else:
            lines.append("\nNothing stands out: the list is broad and realistic.")
    rows: list[tuple[Button, ...]] = [
        (Button("Add a program", f"{PREFIX}add"), Button("See the list", f"{PREFIX}ls.0")),
        (Button("Send a spreadsheet", f"{PREFIX}how"), Button("Template", f"{PREFIX}tpl")),
    ]
    if programs:
        rows.append((Button("Export", f"{PREFIX}exp"), Button("Picture", f"{PREFIX}pic")))
        if any(not p.tier for p in programs):
            rows.append((Button("Suggest tiers", f"{PREFIX}sug"),))
    if s.config.webapp:  # the Mini App: the whole list as a table to sort, filter and edit
        rows.append((Button("Open the table", f"{PREFIX}app", web_app="programs"),))
    return Reply("\n".join(lines), tuple(rows))


def _page(s: Session, page: int) -> Reply:
    programs = _sorted(_programs(s.user))
    if not programs:
        return _overview(s)
    last = (len(programs) - 1) // PAGE
    page = min(max(page, 0), last)
    shown = programs[page * PAGE : (page + 1) * PAGE]
    rows: list[tuple[Button, ...]] = [
        (Button(f"{TIER_MARK[p.tier]} {p.name}"[:48], f"{PREFIX}p.{p.key}"),) for p in shown
    ]
    move = []
    if page > 0:
        move.append(Button("◀ Previous", f"{PREFIX}ls.{page - 1}"))
    if page < last:
        move.append(Button("Next ▶", f"{PREFIX}ls.{page + 1}"))
    if move:
        rows.append(tuple(move))
    rows.append((Button("Summary", OPEN),))
    text = (
        f"Programs {page * PAGE + 1}-{page * PAGE + len(shown)} of {len(programs)}, green "
        "first. Tap one to change its tier, status or details."
    )
    return Reply(text, tuple(rows))


def _flag_text(value: bool | None) -> str:
    return "not known" if value is None else ("yes" if value else "no")


def _card(s: Session, p: Program, head: str | None = None) -> Reply:
    where = ", ".join(x for x in (p.city, p.state) if x)
    lines = [
        f"{TIER_MARK[p.tier]} {p.name}" + (f" ({where}, {p.region})" if where and p.region else "")
    ]
    if p.setting:
        lines.append(f"Setting: {SETTINGS[p.setting]}" + (", a newer program" if p.new else ""))
    who = _applicant(s.user)
    if who.img or p.img_friendly is not None:
        lines.append(f"Takes IMGs: {_flag_text(p.img_friendly)}")
    if who.do or p.do_friendly is not None:
        lines.append(f"Takes DOs: {_flag_text(p.do_friendly)}")
    if p.cutoff is not None:
        lines.append(f"Score cutoff: {p.cutoff}")
    lines.append(f"Tier: {TIERS[p.tier] if p.tier else 'not set'}. Status: {p.status}.")
    suggested, why = suggest_tier(p, who)
    if suggested != p.tier:
        lines.append(f"What the data suggest: {suggested}, because {why}.")
    if p.notes:
        lines.append(f"Notes: {p.notes}")
    text = "\n".join(lines)
    if head:
        text = f"{head}\n\n{text}"
    k = p.key
    tiers = tuple(
        Button(f"{TIER_MARK[t]} {t.capitalize()}", f"{PREFIX}t.{t}.{k}")
        for t in TIERS
        if t != p.tier
    )
    statuses = tuple(
        Button(v.capitalize(), f"{PREFIX}s.{st}.{k}")
        for st, v in STATUSES.items()
        if st != p.status
    )
    rows = (
        tiers,
        statuses,
        (Button("Edit details", f"{PREFIX}ed.{k}"), Button("Remove", f"{PREFIX}rm.{k}")),
        (Button("Back to the list", f"{PREFIX}ls.0"),),
    )
    return Reply(text, rows)


# ---------------------------------------------------------------- files


def _documents(s: Session) -> tuple[Reply, ...]:
    programs = _sorted(_programs(s.user))
    xlsx = Attachment("program-list.xlsx", write_xlsx(programs), XLSX_MIME, "Your program list")
    csv = Attachment("program-list.csv", write_csv(programs), CSV_MIME)
    return (
        Reply(
            f"Your {plural(len(programs), 'program')} as a spreadsheet: edit it anywhere and send it back "
            "to me; rows are matched by program name."
        ),
        Reply("", document=xlsx),
        Reply("", document=csv),
    )


def _template(s: Session) -> tuple[Reply, ...]:
    doc = Attachment("program-list-template.xlsx", template_xlsx(), XLSX_MIME, "A list to fill")
    return (
        Reply(
            "Here's a sheet to fill: one program per row, then send it back to me. The second "
            "tab says what each column takes. Only the Program column is required."
        ),
        Reply("", document=doc),
    )


def _picture(s: Session) -> Reply:
    programs = _programs(s.user)
    png = program_chart_png(programs, f"Your program list: {plural(len(programs), 'program')}")
    return Reply("", photo=Attachment("program-list.png", png, "image/png"))


def take_document(s: Session, inp: Other) -> Turn | None:
    """A spreadsheet sent with no question open: read it, and import it or say what's wrong."""
    if not looks_like_sheet(inp.file_name, inp.mime_type):
        return None
    if not s.user.profile:
        return s.turn(Reply(texts.NEED_PROFILE))
    if inp.content is None:
        size = inp.file_size or 0
        if size > MAX_FILE_BYTES:
            return s.turn(
                Reply(
                    f"That file is {size / 1_048_576:.0f} MB; I can read up to 10 MB. A program "
                    "list is far smaller: save just the list as .xlsx or .csv and send it again."
                )
            )
        return s.turn(Reply("I couldn't download that file. Please send it once more."))
    try:
        sheet = read_sheet(inp.file_name, inp.content)
    except SheetError as error:
        return s.turn(Reply(f"{error} Nothing was changed.", _file_buttons()))
    existing = {p.key: p for p in _programs(s.user)}
    ready: dict[str, Program] = {}
    first_row: dict[str, int] = {}
    refused: list[str] = []
    for number, cells in sheet.rows:
        label = f"Row {number}"
        try:
            p = check_row(cells, existing.get(program_key(str(cells.get("name") or ""))))
        except Refusal as why:
            refused.append(f"{label}: {why}.")
            continue
        if p.key in ready:
            refused.append(f"{label} ({p.name}): the same program as row {first_row[p.key]}.")
            continue
        ready[p.key] = p
        first_row[p.key] = number
    new = [k for k in ready if k not in existing]
    if len(existing) + len(new) > MAX_PROGRAMS:
        return s.turn(
            Reply(
                f"With these, your list would pass {MAX_PROGRAMS} programs. Nothing was "
                "imported; trim the sheet and send it again."
            )
        )
    if not ready:
        shown = "\n".join(refused[:_REFUSED_SHOWN])
        return s.turn(Reply(f"I couldn't import any row:\n{shown}\n\nNothing was changed."))
    summary = f"{len(new)} new, {len(ready) - len(new)} updated"
    if not refused:
        effects = tuple(PutRecord(KIND, p.key, p.as_content()) for p in ready.values())
        view = s.after(effects)
        note = (
            f" (columns I don't keep were left aside: {', '.join(sheet.ignored)})"
            if sheet.ignored
            else ""
        )
        head = f"Imported {plural(len(ready), 'program')} from your sheet: {summary}{note}."
        return view.turn(_overview(view, head), effects=effects)
    pending = PutRecord(
        PENDING,
        "pending",
        {"programs": [p.as_content() for p in ready.values()], "summary": summary},
    )
    more = len(refused) - _REFUSED_SHOWN
    shown = "\n".join(refused[:_REFUSED_SHOWN]) + (f"\n…and {more} more." if more > 0 else "")
    text = (
        f"{plural(len(ready), 'row')} ready ({summary}), but {len(refused)} I couldn't use:\n{shown}\n\n"
        "Nothing is imported yet. Import the rows that are fine, or fix the sheet and send it "
        "again?"
    )
    rows = (
        (Button(f"Import the {len(ready)}", f"{PREFIX}imp.yes"),),
        (Button("Cancel, I'll fix the sheet", f"{PREFIX}imp.no"),),
    )
    return s.turn(Reply(text, rows), effects=(pending,))


def _file_buttons() -> tuple[tuple[Button, ...], ...]:
    return ((Button("Template", f"{PREFIX}tpl"), Button("My list", OPEN)),)


def _import_pending(s: Session, yes: bool) -> Turn:
    record = s.user.record(PENDING, "pending")
    if record is None:
        return s.turn(
            _overview(s, "That import was already settled; nothing changed."),
            toast="Nothing changed",
        )
    drop = DropRecord(PENDING, "pending")
    if not yes:
        return s.turn(_overview(s, "Cancelled: nothing was imported."), effects=(drop,))
    items = record.content.get("programs")
    programs = [
        program_of(program_key(str(c.get("name") or "")), c)
        for c in items or []
        if isinstance(c, dict)
    ]
    effects: tuple[Effect, ...] = (
        *(PutRecord(KIND, p.key, p.as_content()) for p in programs),
        drop,
    )
    view = s.after(effects)
    head = f"Imported {plural(len(programs), 'program')} ({record.content.get('summary', '')})."
    return view.turn(_overview(view, head), effects=effects)


# ---------------------------------------------------------------- buttons


def _find(s: Session, key: str) -> Program | None:
    record = s.user.record(KIND, key)
    return program_of(key, record.content) if record else None


def _set(s: Session, field: str, rest: str, allowed: Mapping[str, str]) -> Turn:
    value, _, key = rest.partition(".")
    p = _find(s, key)
    if p is None:
        return ITEMS.gone(s)
    if value not in allowed:
        return s.turn(_card(s, p, texts.UNKNOWN_BUTTON))
    record = s.user.record(KIND, key)
    assert record is not None
    if record.content.get(field) == value:
        return s.turn(toast=texts.ALREADY_SAVED)
    put = PutRecord(KIND, key, {**record.content, field: value})
    view = s.after((put,))
    return view.turn(
        _card(view, program_of(key, put.content), "Saved."), effects=(put,), toast="Saved ✓"
    )


def _editable(s: Session) -> list[str]:
    """The fields of a program one may change (IMG- and DO-friendliness for those it concerns)."""
    who = _applicant(s.user)
    skip = {"img_friendly"} if not who.img else set()
    skip |= {"do_friendly"} if not who.do else set()
    return [q.key for q in PROGRAM.questions if q.key not in skip]


ITEMS = Items(
    kind=KIND,
    prefix=PREFIX,
    flow=PROGRAM,
    overview=lambda s, head: _overview(s, head),
    card=f"{PREFIX}p.",
    gone_words="I can't find that program any more (removed or renamed?).",
    ask_remove="Remove {name} from your list?",
    yes_label="Yes, remove it",
    keep_label="No, keep it",
    columns=2,
    fields=_editable,
)


def _suggest(s: Session, apply: bool) -> Turn:
    who = _applicant(s.user)
    untiered = [p for p in _programs(s.user) if not p.tier]
    if not untiered:
        return s.turn(_overview(s, "Every program already has a tier."))
    suggested = {p.key: suggest_tier(p, who)[0] for p in untiered}
    counts = Counter(suggested.values())
    spread = ", ".join(f"{counts[t]} {t}" for t in TIERS if counts[t])
    if not apply:
        text = (
            f"For the {plural(len(untiered), 'program')} without a tier, what you've recorded suggests: "
            f"{spread}. A cutoff above your score or a program closed to applicants like you "
            "makes red; a narrow margin or an academic program, yellow. You can change any of "
            "them afterwards."
        )
        rows = ((Button("Use these tiers", f"{PREFIX}sugy"),), (Button("Not now", OPEN),))
        return s.turn(Reply(text, rows))
    effects = tuple(
        PutRecord(KIND, p.key, {**p.as_content(), "tier": suggested[p.key]}) for p in untiered
    )
    view = s.after(effects)
    return view.turn(
        _overview(view, f"Tiered {plural(len(untiered), 'program')}: {spread}."), effects=effects
    )


def _how_to_send(s: Session) -> Reply:
    return Reply(
        "Send me the list as a file, .xlsx or .csv, up to 10 MB: just attach it here. The "
        "first row names the columns (Program, City, State, Setting, New program, IMG-friendly, "
        "DO-friendly, Score cutoff, Tier, Status, Notes: only Program is required, other "
        "columns are left aside). A program already on your list is updated, not added twice; "
        "a row I can't read is listed with the reason, and nothing is stored until you say so.",
        _file_buttons(),
    )


def open_programs(s: Session) -> Turn:
    if not s.user.profile:
        return s.turn(Reply(texts.NEED_PROFILE))
    if s.flow is not None and s.flow is not PROGRAM:
        return s.say_then_reask(texts.FINISH_FIRST)
    word = s.args.strip().lower()
    if word == "add":
        return _start_adding(s)
    if word == "export":
        return s.turn(*_documents(s)) if _programs(s.user) else s.turn(_overview(s))
    if word == "template":
        return s.turn(*_template(s))
    if word in ("picture", "chart"):
        return s.turn(_picture(s)) if _programs(s.user) else s.turn(_overview(s))
    again = s.current_question("Where we were:")
    return s.turn(_overview(s), *((again,) if again else ()))


def _press(s: Session, rest: str) -> Turn:
    head, _, arg = rest.partition(".")
    simple = {
        "open": lambda: open_programs(s),
        "app": lambda: open_programs(s),  # the table's label typed: the overview, button and all
        "add": lambda: _start_adding(s),
        "how": lambda: s.turn(_how_to_send(s)),
        "tpl": lambda: s.turn(*_template(s)),
        "exp": lambda: s.turn(*_documents(s)) if _programs(s.user) else s.turn(_overview(s)),
        "pic": lambda: s.turn(_picture(s)) if _programs(s.user) else s.turn(_overview(s)),
        "sug": lambda: _suggest(s, apply=False),
        "sugy": lambda: _suggest(s, apply=True),
    }
    if head in simple:
        return simple[head]()
    if head == "ls":
        return s.turn(_page(s, int(arg) if arg.isdigit() else 0))
    if head == "imp":
        return _import_pending(s, arg == "yes")
    shared = ITEMS.buttons().get(head)
    if shared is not None:
        return shared(s, arg)
    handlers = {
        "p": lambda: s.turn(_card(s, p)) if (p := _find(s, arg)) else ITEMS.gone(s),
        "t": lambda: _set(s, "tier", arg, TIERS),
        "s": lambda: _set(s, "status", arg, STATUSES),
    }
    handler = handlers.get(head)
    if handler is None:
        return s.turn(_overview(s, texts.UNKNOWN_BUTTON))
    return handler()


# ---------------------------------------------------------------- the Mini App's table

LIST_FORM = "program.list"
SET_FORM = "program.set"
_EDITABLE = ("tier", "status", "notes")


def _row(p: Program) -> dict[str, Any]:
    """One program as the page's table shows it (JSON-safe)."""
    return {
        "key": p.key,
        "name": p.name,
        "city": p.city,
        "state": p.state,
        "region": p.region,
        "setting": p.setting,
        "cutoff": p.cutoff,
        "tier": p.tier,
        "status": p.status,
        "notes": p.notes,
    }


def _table(s: Session) -> dict[str, Any]:
    return {
        "programs": [_row(p) for p in _sorted(_programs(s.user))],
        "tiers": dict(TIERS),
        "statuses": dict(STATUSES),
    }


def list_form(s: Session, fields: Mapping[str, str]) -> Turn:
    """The page's table: every program on the list, green first."""
    return s.turn(data=_table(s))


def set_form(s: Session, fields: Mapping[str, str]) -> Turn:
    """One program's tier, status or notes changed from the page: checked like a tap in the
    chat, stored the same way (``PutRecord``), so the chat's /programs shows it at once."""
    key = fields.get("key", "")
    record = s.user.record(KIND, key) if key else None
    if record is None:
        return s.refuse("That program isn't on your list (removed or renamed?).", "not_found")
    unknown = sorted(set(fields) - {"key", *_EDITABLE})
    if unknown:
        return s.refuse(f"The page sent something I can't change: {', '.join(unknown)}.")
    if not any(f in fields for f in _EDITABLE):
        return s.refuse("Nothing to change: send a tier, a status or notes.")
    content = dict(record.content)
    if "tier" in fields:
        if fields["tier"] not in TIERS:
            return s.refuse("The tier is green, yellow or red.")
        content["tier"] = fields["tier"]
    if "status" in fields:
        if fields["status"] not in STATUSES:
            return s.refuse("The status is considering, applied, interview or rejected.")
        content["status"] = fields["status"]
    if "notes" in fields:
        try:
            text = fields["notes"]
            content["notes"] = (
                normalize_free_text(text, max_len=500, what="note") if text.strip() else ""
            )
        except Invalid as why:
            return s.refuse(str(why))
    if content == dict(record.content):
        return s.turn(data={"program": _row(program_of(key, content)), "changed": False})
    put = PutRecord(KIND, key, content)
    return s.turn(effects=(put,), data={"program": _row(program_of(key, content)), "changed": True})


# ---------------------------------------------------------------- the plan's milestone


def _list_ready(user: UserView) -> bool:
    programs = _programs(user)
    low, _, _ = list_range(_applicant(user).specialty)
    return len(programs) >= low and all(p.tier for p in programs)


FEATURE = Feature(
    name="programs",
    flows=(PROGRAM,),
    commands={"programs": open_programs},
    buttons={PREFIX: _press},
    finished=_finished,
    documents=take_document,
    forms={LIST_FORM: list_form, SET_FORM: set_form},
    reads=(
        Reads.records(
            KIND,
            commands=frozenset({"programs"}),
            buttons=(PREFIX,),
            flows=frozenset({FLOW_NAME}),
            documents=True,
            forms=frozenset({LIST_FORM, SET_FORM}),
        ),
        Reads.records(PENDING, buttons=(f"{PREFIX}imp",)),
    ),
    completes=(
        Completes(
            "program_list",
            holds=_list_ready,
            kinds=frozenset({KIND}),
            how=("Open my program list", OPEN),
        ),
    ),
)
