"""The Mini App's server: launch data checked as the Bot API documents, and the page's API
answered through the coach service (one unit of work, the chat's own checks), for the user
the launch data names and nobody else."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode

import httpx
import pytest

from bot.render import keyboard, webapp_link
from bot.service import CoachService
from bot.settings import Settings
from bot.webapp import STATIC, InitDataError, WebApp, check_init_data, local_app
from bot.webhook import webhook_routes
from conversations.messages import Button, Command, DialogueState, Press, Reply, Text
from conversations.session import CoachConfig
from storage.db import Database
from tests.conftest import Clock
from tests.miniapp_support import TOKEN, USER_ID, init_data, seed_user, who

NOW = datetime(2026, 3, 25, 15, 0, tzinfo=UTC)


# ---------------------------------------------------------------- the launch data


def _documented_hash(fields: dict[str, str], token: str) -> str:
    """The Bot API's recipe, written out here on its own: data-check-string of the fields but
    hash, sorted, "key=value" joined by line feeds; secret key HMAC-SHA256("WebAppData",
    token); the hash is the hex HMAC-SHA256 of the data-check-string under that key."""
    check = "\n".join(f"{k}={v}" for k, v in sorted(fields.items()))
    secret = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    return hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()


FIELDS = {
    "query_id": "AAHdF6IQAAAAAN0XohDhrOrc",
    "user": '{"id":279058397,"first_name":"Vladislav","last_name":"Kibenko","language_code":"ru"}',
    "auth_date": str(int(NOW.timestamp())),
}
SIGNED = urlencode({**FIELDS, "hash": _documented_hash(FIELDS, TOKEN)}, quote_via=quote)


def _with(data: str, **changes: str) -> str:
    fields = dict(parse_qsl(data))
    fields.update(changes)
    return urlencode(fields, quote_via=quote)


def test_launch_data_signed_as_documented_names_its_user() -> None:
    user = check_init_data(SIGNED, TOKEN, NOW + timedelta(hours=23))
    assert (user.id, user.first_name) == ("279058397", "Vladislav")


@pytest.mark.parametrize(
    ("name", "data", "now"),
    [
        ("tampered hash", _with(SIGNED, hash="0" * 64), NOW),
        ("tampered user", SIGNED.replace("279058397", "279058398"), NOW),
        ("tampered date", _with(SIGNED, auth_date=str(int(NOW.timestamp()) + 60)), NOW),
        ("added field", SIGNED + "&start_param=x", NOW),
        ("no hash", urlencode(FIELDS), NOW),
        ("a field twice", SIGNED + "&auth_date=" + FIELDS["auth_date"], NOW),
        ("expired", SIGNED, NOW + timedelta(days=1, seconds=1)),
        ("from the future", SIGNED, NOW - timedelta(hours=1)),
        ("empty", "", NOW),
        ("not a query", "%%%", NOW),
        ("huge", SIGNED + "&x=" + "a" * 9000, NOW),
    ],
)
def test_forged_altered_expired_or_missing_launch_data_is_refused(
    name: str, data: str, now: datetime
) -> None:
    with pytest.raises(InitDataError):
        check_init_data(data, TOKEN, now)


def test_launch_data_signed_with_another_bots_token_is_refused() -> None:
    other = urlencode({**FIELDS, "hash": _documented_hash(FIELDS, "999:other")}, quote_via=quote)
    with pytest.raises(InitDataError):
        check_init_data(other, TOKEN, NOW)


def test_signed_launch_data_without_a_user_is_refused() -> None:
    fields = {"auth_date": FIELDS["auth_date"], "user": "[]"}
    data = urlencode({**fields, "hash": _documented_hash(fields, TOKEN)})
    with pytest.raises(InitDataError, match="no user id"):
        check_init_data(data, TOKEN, NOW)


# ---------------------------------------------------------------- the API


@pytest.fixture
async def service(sqlite_url: str, clock: Clock) -> AsyncIterator[CoachService]:
    db = Database(sqlite_url)
    await db.migrate()
    service = CoachService(db, clock=clock)
    await seed_user(service)
    try:
        yield service
    finally:
        await db.dispose()


@pytest.fixture
async def client(service: CoachService, clock: Clock) -> AsyncIterator[httpx.AsyncClient]:
    app = local_app(WebApp(service, TOKEN, clock=clock))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


def _auth(data: str) -> dict[str, str]:
    return {"Authorization": f"tma {data}"}


async def _stored(service: CoachService, user_id: int = USER_ID) -> dict[str, dict[str, object]]:
    async with service.db.unit_of_work() as repo:
        user, _ = await repo.user_with_state("telegram", str(user_id), None, now=NOW)
        rows = await repo.records.of_kinds(user.id, {"program"})
    return {r.key: dict(r.content) for r in rows}


async def test_the_table_lists_the_users_programs_green_first(
    client: httpx.AsyncClient, clock: Clock
) -> None:
    answer = await client.get("/api/programs", headers=_auth(init_data(clock.now)))
    assert answer.status_code == 200
    body = answer.json()
    names = [p["name"] for p in body["programs"]]
    assert names == [
        "Prairie Health IM",
        "Riverside Community IM",
        "Lakeshore Medical Center",
        "Summit University Hospital",
        "Bayou Regional",
    ]
    lakeshore = body["programs"][2]
    assert lakeshore | {"key": "?"} == {
        "key": "?",
        "name": "Lakeshore Medical Center",
        "city": "Chicago",
        "state": "IL",
        "region": "Midwest",
        "setting": "affiliated",
        "cutoff": None,
        "tier": "yellow",
        "status": "applied",
        "notes": "ask about visas",
    }
    assert set(body["tiers"]) == {"green", "yellow", "red"}
    assert answer.headers["cache-control"] == "no-store"


async def test_crisis_words_in_a_note_get_the_caring_reply_on_the_page(
    client: httpx.AsyncClient, service: CoachService, clock: Clock
) -> None:
    answer = await client.post(
        "/api/programs/bayouregional",
        headers=_auth(init_data(clock.now)),
        json={"notes": "honestly I want to kill myself if this fails"},
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert "988" in body["care"] and "you don't have to carry it alone" in body["care"]
    plain = await client.post(
        "/api/programs/bayouregional",
        headers=_auth(init_data(clock.now)),
        json={"notes": "ask about visas again"},
    )
    assert "care" not in plain.json()


async def test_an_edit_is_stored_and_the_chat_shows_it(
    client: httpx.AsyncClient, service: CoachService, clock: Clock
) -> None:
    key = "bayouregional"
    answer = await client.post(
        f"/api/programs/{key}",
        headers=_auth(init_data(clock.now)),
        json={"tier": "green", "status": "applied", "notes": "  visa: J-1 only  "},
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["program"]["tier"] == "green"
    assert answer.json()["changed"] is True
    stored = (await _stored(service))[key]
    assert (stored["tier"], stored["status"], stored["notes"]) == (
        "green",
        "applied",
        "visa: J-1 only",
    )
    assert stored["name"] == "Bayou Regional" and stored["state"] == "LA", "the rest is kept"

    card = await service.handle(who(), Press(f"@pg.p.{key}"))
    assert "Tier: green (realistic). Status: applied." in card.replies[0].text
    assert "Notes: visa: J-1 only" in card.replies[0].text
    overview = await service.handle(who(), Command("programs"))
    assert "🟢 3 green" in overview.replies[0].text

    again = await client.post(
        f"/api/programs/{key}", headers=_auth(init_data(clock.now)), json={"tier": "green"}
    )
    assert again.status_code == 200 and again.json()["changed"] is False


async def test_an_edit_leaves_an_open_question_in_the_chat_where_it_was(
    client: httpx.AsyncClient, service: CoachService, clock: Clock
) -> None:
    asked = await service.handle(who(), Command("programs", "add"))
    assert "name" in asked.replies[-1].text.lower()
    before = await _dialogue(service)
    answer = await client.post(
        "/api/programs/summituniversityhospital",
        headers=_auth(init_data(clock.now)),
        json={"tier": "yellow"},
    )
    assert answer.status_code == 200
    assert await _dialogue(service) == before, "the page never moves the conversation"
    # The chat's next message still answers the question it asked: the program's name.
    following = await service.handle(who(), Text("Harbor View IM"))
    assert "city" in following.replies[-1].text.lower()
    assert (await _dialogue(service)).data["history"] == ["name"]


async def _dialogue(service: CoachService) -> DialogueState:
    async with service.db.unit_of_work() as repo:
        _, stored = await repo.user_with_state("telegram", str(USER_ID), None, now=NOW)
    return DialogueState(stored.flow, stored.step, stored.data)


@pytest.mark.parametrize(
    ("change", "status", "words"),
    [
        ({"tier": "purple"}, 400, "green, yellow or red"),
        ({"status": "maybe"}, 400, "considering, applied, interview or rejected"),
        ({"notes": "x" * 501}, 400, "500 characters"),
        ({"name": "Renamed"}, 400, "can't change: name"),
        ({}, 400, "Nothing to change"),
    ],
)
async def test_bad_edits_get_a_plain_reason_and_change_nothing(
    client: httpx.AsyncClient,
    service: CoachService,
    clock: Clock,
    change: dict[str, str],
    status: int,
    words: str,
) -> None:
    before = await _stored(service)
    answer = await client.post(
        "/api/programs/lakeshoremedicalcenter", headers=_auth(init_data(clock.now)), json=change
    )
    assert answer.status_code == status
    assert words in answer.json()["error"]
    assert await _stored(service) == before


@pytest.mark.parametrize(
    "body", [b"not json", b"[1]", b'{"tier": 3}', b'{"key": "other"}', b"{" * 5000]
)
async def test_a_body_that_is_not_an_object_of_text_is_refused(
    client: httpx.AsyncClient, service: CoachService, clock: Clock, body: bytes
) -> None:
    before = await _stored(service)
    answer = await client.post(
        "/api/programs/lakeshoremedicalcenter", headers=_auth(init_data(clock.now)), content=body
    )
    assert answer.status_code == 400
    assert await _stored(service) == before


async def test_without_valid_launch_data_nothing_is_read_or_touched(
    client: httpx.AsyncClient, service: CoachService, clock: Clock
) -> None:
    good = init_data(clock.now)
    refused = {
        "none": {},
        "another scheme": {"Authorization": f"Bearer {good}"},
        "tampered": _auth(good.replace("Maya", "Mallory")),
        "wrong token": _auth(init_data(clock.now, token="999:other")),
        "expired": _auth(init_data(clock.now - timedelta(days=1, minutes=1))),
    }
    before = await _stored(service)
    for name, headers in refused.items():
        for method, path in (
            ("GET", "/api/programs"),
            ("GET", "/api/plan"),
            ("POST", "/api/programs/lakeshoremedicalcenter"),
        ):
            answer = await client.request(method, path, headers=headers, json={"tier": "red"})
            assert answer.status_code == 401, (name, path)
            assert "Telegram" in answer.json()["error"]
    assert await _stored(service) == before
    # A stranger's forged launch data does not even create a user.
    stranger = _auth(init_data(clock.now, user_id=4242, token="999:other"))
    assert (await client.get("/api/programs", headers=stranger)).status_code == 401
    async with service.db.unit_of_work() as repo:
        assert await repo.users.find("telegram", "4242") is None


async def test_another_users_program_cannot_be_read_or_edited(
    client: httpx.AsyncClient, service: CoachService, clock: Clock
) -> None:
    other_csv = "Program,State,Tier\nHidden Valley Hospital,CO,red\n"
    await seed_user(service, 7002, other_csv)
    before = await _stored(service, 7002)
    mine = await client.get("/api/programs", headers=_auth(init_data(clock.now)))
    assert "Hidden Valley Hospital" not in mine.text
    answer = await client.post(
        "/api/programs/hiddenvalleyhospital",
        headers=_auth(init_data(clock.now)),
        json={"tier": "green"},
    )
    assert answer.status_code == 404
    assert "isn't on your list" in answer.json()["error"]
    assert await _stored(service, 7002) == before
    theirs = await client.get("/api/programs", headers=_auth(init_data(clock.now, user_id=7002)))
    assert [p["tier"] for p in theirs.json()["programs"]] == ["red"]


async def test_the_plan_tab_shows_the_timeline_and_what_is_due(
    client: httpx.AsyncClient, clock: Clock
) -> None:
    answer = await client.get("/api/plan", headers=_auth(init_data(clock.now)))
    assert answer.status_code == 200
    plan = answer.json()["plan"]
    assert plan["today"] == "2026-03-25" and plan["month"] == 1
    assert plan["phases"] and any(p["now"] for p in plan["phases"])
    assert all(p["start"] <= p["end"] for p in plan["phases"])
    assert plan["next"] and plan["next"][0]["due"] >= plan["today"]
    dues = [m["due"] for m in plan["next"]]
    assert dues == sorted(dues)


async def test_a_user_without_a_plan_is_sent_to_the_chat(
    client: httpx.AsyncClient, clock: Clock
) -> None:
    answer = await client.get("/api/plan", headers=_auth(init_data(clock.now, user_id=7003)))
    assert answer.status_code == 200
    assert answer.json() == {
        "ok": True,
        "plan": None,
        "why": "Your plan isn't built yet: send /plan in the chat.",
    }


async def test_the_page_and_its_files_are_served_from_here_with_no_cdn(
    client: httpx.AsyncClient,
) -> None:
    page = await client.get("/")
    assert page.status_code == 200 and "<table" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    for name in ("app.js", "app.css"):
        served = await client.get(f"/static/{name}")
        assert served.status_code == 200
    for path in STATIC.iterdir():
        text = path.read_text()
        assert not re.search(r"(src|href)=\"(https?:)?//", text), path.name
        assert "telegram-web-app.js" not in text, path.name
        assert not re.search(r"(fetch|import)\(\s*[\"']https?://", text), path.name


# ---------------------------------------------------------------- buttons and settings


def test_buttons_open_the_mini_app_where_it_is_served() -> None:
    reply = Reply("x", ((Button("Open the table", "@pg.app", web_app="programs"),),))
    served = keyboard(reply, "https://coach.example/app/")
    assert served is not None
    button = served.inline_keyboard[0][0]
    assert button.web_app is not None and button.callback_data is None
    assert button.web_app.url == "https://coach.example/app/?tab=programs"
    plain = keyboard(reply)
    assert plain is not None and plain.inline_keyboard[0][0].callback_data == "@pg.app"
    assert webapp_link("https://h/app/?a=1", "plan") == "https://h/app/?a=1&tab=plan"


def test_programs_and_plan_offer_the_page_only_when_it_is_served() -> None:
    from tests.coach_chat import CoachChat, onboard_us_md

    for webapp in (True, False):
        chat = CoachChat(config=CoachConfig(webapp=webapp))
        onboard_us_md(chat)
        chat.command("programs")
        tabs = [b.web_app for r in chat.last.replies for row in r.buttons for b in row]
        assert ("programs" in tabs) is webapp
        chat.command("plan")
        tabs = [b.web_app for r in chat.last.replies for row in r.buttons for b in row]
        assert ("plan" in tabs) is webapp


def test_the_webapp_url_is_an_https_address(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEBAPP_URL", "https://coach.example/app")
    assert Settings(_env_file=None).webapp_url == "https://coach.example/app/"  # type: ignore[call-arg]
    monkeypatch.setenv("WEBAPP_URL", "http://coach.example/app/")
    with pytest.raises(ValueError, match="https"):
        Settings(_env_file=None)  # type: ignore[call-arg]


# ---------------------------------------------------------------- the webhook beside it


async def test_the_webhook_route_keeps_its_answers(tmp_path: Path) -> None:
    import asyncio

    from starlette.applications import Starlette
    from telegram import Bot

    queue: asyncio.Queue[object] = asyncio.Queue()
    app = Starlette(routes=webhook_routes("/telegram/hook", Bot(TOKEN), queue, "s3cret"))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        secret = {"X-Telegram-Bot-Api-Secret-Token": "s3cret"}
        assert (await client.post("/telegram/hook", content=b"{}")).status_code == 403
        assert (
            await client.post("/telegram/hook", headers=secret, content=b"{")
        ).status_code == 400
        assert (
            await client.post("/telegram/hook/", headers=secret, content=b"[]")
        ).status_code == 400
        assert (await client.get("/telegram/hook", headers=secret)).status_code == 405
        update = {
            "update_id": 5,
            "message": {"message_id": 1, "date": 0, "chat": {"id": 1, "type": "private"}},
        }
        answer = await client.post("/telegram/hook", headers=secret, json=update)
        assert answer.status_code == 200 and answer.json() == {"ok": True}
    assert queue.qsize() == 1


async def test_what_no_database_can_store_is_cleaned_from_an_edit(
    client: httpx.AsyncClient, service: CoachService, clock: Clock
) -> None:
    answer = await client.post(
        "/api/programs/prairiehealthim",
        headers=_auth(init_data(clock.now)),
        # As a browser may send it: escaped in JSON, a NUL and a lone surrogate.
        content=b'{"notes": "call\\u0000 back\\ud800 soon"}',
    )
    assert answer.status_code == 200
    assert (await _stored(service))["prairiehealthim"]["notes"] == "call back\ufffd soon"


async def test_the_terminals_link_opens_the_page_for_the_terminal_user(
    service: CoachService,
) -> None:
    from urllib.parse import urlsplit

    from bot.webapp import terminal_key, terminal_link

    key = terminal_key()
    link = terminal_link("http://127.0.0.1:8080/", "sam", None, key)
    launch = dict(parse_qsl(urlsplit(link).fragment))["tgWebAppData"]
    app = local_app(WebApp(service, key, "terminal"))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as client:
        listed = await client.get("/api/programs", headers=_auth(launch))
        assert listed.status_code == 200 and listed.json()["programs"] == []
        # Another run's key proves nothing.
        stale = terminal_link("http://127.0.0.1:8080/", "sam", None, terminal_key())
        launch = dict(parse_qsl(urlsplit(stale).fragment))["tgWebAppData"]
        assert (await client.get("/api/programs", headers=_auth(launch))).status_code == 401
    async with service.db.unit_of_work() as repo:
        assert await repo.users.find("terminal", "sam") is not None
