"""The Mini App in the real bot process, in webhook mode against the emulator: the page is
served on the webhook's own server under WEBAPP_URL's path, the chat's menu button opens it,
and /programs offers a button that does."""

from __future__ import annotations

import socket
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

from tests.e2e import BotProcess, onboard_directly, replies
from tests.emulator_client import Emulator
from tests.miniapp_support import init_data


def test_webhook_mode_serves_the_page_beside_the_webhook(
    emulator: Emulator, tmp_path: Path, unused_tcp_port: int
) -> None:
    onboard_directly(tmp_path, 5571)
    base = f"http://127.0.0.1:{unused_tcp_port}"
    page = f"{base}/app/"
    process = BotProcess(
        emulator,
        tmp_path,
        WEBHOOK_URL=f"{base}/telegram/hook",
        WEBHOOK_LISTEN="127.0.0.1",
        PORT=str(unused_tcp_port),
        WEBAPP_URL=page,
    ).start()
    try:
        deadline = time.monotonic() + 60
        while (emulator.webhook() or {}).get("url") != f"{base}/telegram/hook":
            assert time.monotonic() < deadline, f"no webhook set; bot log:\n{process.logs()}"
            time.sleep(0.1)

        [menu] = emulator.calls("setChatMenuButton")
        button = menu["params"]["menu_button"]
        assert button["type"] == "web_app" and button["web_app"]["url"] == page

        chat = emulator.chat(5571, first_name="Maya")
        chat.send_command("/programs")
        [overview] = replies(chat, 1, timeout=60)
        markup = overview.raw["reply_markup"]["inline_keyboard"]
        opens = [b["web_app"]["url"] for row in markup for b in row if "web_app" in b]
        assert opens == [f"{page}?tab=programs"]

        shown = httpx.get(page, timeout=10)
        assert shown.status_code == 200 and "program-table" in shown.text
        assert httpx.get(f"{page}static/app.js", timeout=10).status_code == 200
        assert httpx.get(f"{page}api/programs", timeout=10).status_code == 401
        launch = init_data(datetime.now(UTC), user_id=5571, token=emulator.token)
        listed = httpx.get(
            f"{page}api/programs", headers={"Authorization": f"tma {launch}"}, timeout=10
        )
        assert listed.status_code == 200 and listed.json()["programs"] == []
        logs = process.logs()
        assert launch not in logs and "tgWebAppData" not in logs, "no launch data in the logs"
        assert "Traceback" not in logs and "ERROR" not in logs
    finally:
        process.stop()


def _wait_for(process: BotProcess, words: str) -> None:
    deadline = time.monotonic() + 60
    while words not in process.logs():
        assert time.monotonic() < deadline, f"{words!r} not logged; bot log:\n{process.logs()}"
        time.sleep(0.1)


def test_polling_mode_serves_the_page_locally_without_buttons(
    emulator: Emulator, tmp_path: Path, unused_tcp_port: int
) -> None:
    onboard_directly(tmp_path, 5572)
    process = BotProcess(emulator, tmp_path, WEBAPP_PORT=str(unused_tcp_port)).start()
    try:
        page = f"http://127.0.0.1:{unused_tcp_port}/"
        _wait_for(process, f"mini app page served on {page}")
        assert httpx.get(page, timeout=10).status_code == 200
        assert emulator.calls("setChatMenuButton") == [], "no menu button without WEBAPP_URL"

        chat = emulator.chat(5572, first_name="Maya")
        chat.send_command("/programs")
        [overview] = replies(chat, 1, timeout=60)
        markup = overview.raw["reply_markup"]["inline_keyboard"]
        assert not [b for row in markup for b in row if "web_app" in b], "no WEBAPP_URL"
    finally:
        process.stop()


def test_a_taken_port_leaves_the_bot_running_without_the_page(
    emulator: Emulator, tmp_path: Path, unused_tcp_port: int
) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", unused_tcp_port))
        holder.listen(1)
        process = BotProcess(emulator, tmp_path, WEBAPP_PORT=str(unused_tcp_port)).start()
        try:
            _wait_for(process, f"port {unused_tcp_port} not available")
            chat = emulator.chat(5573, first_name="Sam")
            chat.send_command("/start")
            welcome, _ = replies(chat, 2, timeout=60)
            assert "Rematch Coach" in (welcome.text or "")
        finally:
            process.stop()
