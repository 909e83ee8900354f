"""The Mini App page itself, in headless Chromium (Debian's, driven by its own chromedriver
through Selenium), at a phone's size: opened with signed launch data, sorted, filtered, a
tier changed, and the change found stored and shown by the chat's /programs.

Needs /usr/bin/chromium and /usr/bin/chromedriver (``make browser`` installs them); without
them the test is skipped with the reason, or fails where REQUIRE_E2E=1 (CI).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import threading
from collections.abc import Coroutine, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlencode

import pytest

from bot.service import CoachService
from bot.webapp import Served, WebApp, bind, local_app
from conversations.messages import Command, Press
from storage.db import Database
from tests.miniapp_support import TOKEN, init_data, seed_user, who

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
PHONE = (390, 844)
NOW = datetime(2026, 3, 25, 15, 0, tzinfo=UTC)

T = TypeVar("T")


def _require_browser() -> None:
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not shutil.which(p)]
    if not missing:
        return
    reason = f"{' and '.join(missing)} not installed (make browser installs them)"
    if os.environ.get("REQUIRE_E2E") == "1":
        pytest.fail(f"the browser test is required here but {reason}")
    pytest.skip(f"browser test skipped: {reason}")


class Backend:
    """The bot's side in a thread of its own: an event loop with the service and the page
    served by uvicorn, as in the bot's process; the test talks to it from outside."""

    def __init__(self, db_url: str) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.service = CoachService(Database(db_url), clock=lambda: NOW)
        self.served: Served | None = None

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout=60)

    def start(self) -> str:
        async def go() -> Served:
            await self.service.db.migrate()
            await seed_user(self.service)
            # The page's launch data is checked against the real clock: it was signed now.
            served = Served(local_app(WebApp(self.service, TOKEN)), bind("127.0.0.1", 0))
            await served.start()
            return served

        self.served = self.run(go())
        return f"http://127.0.0.1:{self.served.port}/"

    def stop(self) -> None:
        async def go() -> None:
            if self.served is not None:
                await self.served.stop()
            await self.service.db.dispose()

        self.run(go())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[Backend]:
    backend = Backend(f"sqlite:///{tmp_path / 'coach.db'}")
    try:
        yield backend
    finally:
        backend.stop()


@pytest.fixture
def browser() -> Iterator[Any]:
    _require_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",  # root in a container
        "--disable-dev-shm-usage",
        "--disable-gpu",
    ):
        options.add_argument(flag)
    # A phone's screen (a desktop window can't be narrower than 500 pixels headless).
    metrics = {"width": PHONE[0], "height": PHONE[1], "pixelRatio": 1.0, "touch": True}
    options.add_experimental_option("mobileEmulation", {"deviceMetrics": metrics})
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    try:
        yield driver
    finally:
        driver.quit()


def _names(driver: Any) -> list[str]:
    from selenium.webdriver.common.by import By

    return [e.text for e in driver.find_elements(By.CSS_SELECTOR, "#program-table tbody .name")]


def test_the_page_sorts_filters_and_edits_a_tier_that_the_chat_then_shows(
    backend: Backend, browser: Any
) -> None:
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    base = backend.start()
    launch = init_data(datetime.now(UTC))
    theme = '{"bg_color":"#ffffff","text_color":"#222222","button_color":"#3390ec"}'
    fragment = urlencode({"tgWebAppData": launch, "tgWebAppThemeParams": theme})
    browser.get(f"{base}?tab=programs#{fragment}")
    # A saved row is drawn again: an element found before may be gone, so look again.
    wait = WebDriverWait(browser, 20, ignored_exceptions=(StaleElementReferenceException,))
    wait.until(lambda d: len(_names(d)) == 5)

    # Opened green first (the tier column sorted), with the theme's colours applied.
    assert _names(browser)[:2] == ["Prairie Health IM", "Riverside Community IM"]
    assert (
        browser.execute_script(
            "return getComputedStyle(document.documentElement).getPropertyValue('--tg-theme-button-color')"
        ).strip()
        == "#3390ec"
    )
    # Nothing wider than the phone: on a phone each program is a card.
    assert browser.execute_script("return window.innerWidth") == PHONE[0]
    assert browser.execute_script("return document.documentElement.scrollWidth") <= PHONE[0]

    # Sort by program name, then the other way.
    header = browser.find_element(By.CSS_SELECTOR, 'th[data-sort="name"] button')
    header.click()
    assert _names(browser) == sorted(_names(browser))
    assert _names(browser)[0] == "Bayou Regional"
    header.click()
    assert _names(browser)[0] == "Summit University Hospital"
    th = browser.find_element(By.CSS_SELECTOR, 'th[data-sort="name"]')
    assert th.get_attribute("aria-sort") == "descending"

    # Filter by tier, then by words.
    Select(browser.find_element(By.ID, "filter-tier")).select_by_value("green")
    assert sorted(_names(browser)) == ["Prairie Health IM", "Riverside Community IM"]
    Select(browser.find_element(By.ID, "filter-tier")).select_by_value("")
    search = browser.find_element(By.ID, "filter-text")
    search.send_keys("chicago")
    assert _names(browser) == ["Lakeshore Medical Center"]
    assert browser.find_element(By.ID, "count").text == "1 of 5 programs"
    search.clear()
    search.send_keys("bayou")
    assert _names(browser) == ["Bayou Regional"]

    # Change a tier: untiered Bayou Regional becomes green.
    row = browser.find_element(By.CSS_SELECTOR, 'tr[data-key="bayouregional"]')
    Select(row.find_element(By.NAME, "tier")).select_by_value("green")
    wait.until(lambda d: "Saved" in d.find_element(By.ID, "message").text)
    row = browser.find_element(By.CSS_SELECTOR, 'tr[data-key="bayouregional"]')
    assert Select(row.find_element(By.NAME, "tier")).first_selected_option.text == "Green"
    # And a note, saved on Enter.
    notes = row.find_element(By.NAME, "notes")
    notes.send_keys("Ask about J-1\n")
    wait.until(
        lambda d: (
            d.find_element(
                By.CSS_SELECTOR, 'tr[data-key="bayouregional"] input.notes'
            ).get_attribute("value")
            == "Ask about J-1"
            and "Saved" in d.find_element(By.ID, "message").text
        )
    )

    # Every program again, for the picture.
    browser.execute_script(
        "const f = document.getElementById('filter-text'); f.value = '';"
        "f.dispatchEvent(new Event('input'))"
    )
    wait.until(lambda d: len(_names(d)) == 5)
    browser.execute_script("document.activeElement.blur(); window.scrollTo(0, 0)")
    wait.until(lambda d: not d.find_element(By.ID, "message").is_displayed())
    ARTIFACTS.mkdir(exist_ok=True)
    assert browser.get_screenshot_as_file(str(ARTIFACTS / "miniapp.png"))

    # Stored, and the chat says so.
    async def chat() -> tuple[str, str]:
        card = await backend.service.handle(who(), Press("@pg.p.bayouregional"))
        overview = await backend.service.handle(who(), Command("programs"))
        return card.replies[0].text, overview.replies[0].text

    card, overview = backend.run(chat())
    assert "Tier: green (realistic)." in card
    assert "Notes: Ask about J-1" in card
    assert "🟢 3 green" in overview and "not tiered" not in overview

    # Crisis words in a note: the caring reply and the crisis lines, until closed.
    other = browser.find_element(By.CSS_SELECTOR, 'tr[data-key="riversidecommunityim"]')
    other.find_element(By.NAME, "notes").send_keys("I can't go on, I want to end my life\n")
    wait.until(lambda d: d.find_element(By.ID, "care").is_displayed())
    assert "988" in browser.find_element(By.CSS_SELECTOR, "#care p").text
    browser.find_element(By.CSS_SELECTOR, "#care button").click()
    wait.until(lambda d: not d.find_element(By.ID, "care").is_displayed())

    # The plan tab: the timeline with "you are here" and what is due.
    browser.find_element(By.ID, "tab-plan").click()
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#timeline .phase"))
    assert browser.find_element(By.ID, "plan-title").text.startswith("Month ")
    assert browser.find_element(By.CSS_SELECTOR, "#timeline .here").text == "You are here"
    assert browser.find_elements(By.CSS_SELECTOR, "#timeline .phase.now")
    assert browser.find_elements(By.CSS_SELECTOR, "#plan-next li")
    assert browser.get_screenshot_as_file(str(ARTIFACTS / "miniapp-plan.png"))


def test_the_page_opened_without_launch_data_says_where_to_open_it(
    backend: Backend, browser: Any
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    base = backend.start()
    browser.get(base)
    WebDriverWait(browser, 10).until(
        lambda d: "from the bot in Telegram" in d.find_element(By.ID, "message").text
    )
    assert _names(browser) == []
