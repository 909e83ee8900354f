"""What the Mini App tests share: a user with a program list and a plan, put in the database
through the real service, and launch data signed as Telegram signs it."""

from __future__ import annotations

import json
from datetime import datetime

from bot.service import CoachService, Who
from bot.webapp import sign_init_data
from conversations.messages import Command, Other, Turn
from tests.coach_chat import SEED_ONBOARDING, scripted_input

TOKEN = "123456:TEST-token-for-the-mini-app"
USER_ID = 7001

PROGRAMS_CSV = (
    "Program,City,State,Setting,Score cutoff,Tier,Status,Notes\n"
    "Riverside Community IM,Dayton,OH,community,,green,considering,\n"
    "Lakeshore Medical Center,Chicago,IL,affiliated,,yellow,applied,ask about visas\n"
    "Summit University Hospital,Boston,MA,academic,240,red,considering,\n"
    "Prairie Health IM,Wichita,KS,community,,green,considering,\n"
    "Bayou Regional,Baton Rouge,LA,community,,,considering,\n"
)


def who(user_id: int = USER_ID, name: str = "Maya") -> Who:
    return Who("telegram", str(user_id), name)


async def seed_user(service: CoachService, user_id: int = USER_ID, csv: str = PROGRAMS_CSV) -> None:
    """The seed's onboarded user (a US MD in Internal Medicine) with ``csv`` as their program
    list, imported as a chat user imports it, and their plan built (/plan)."""
    person = who(user_id)
    last: Turn | None = None
    for step in SEED_ONBOARDING:
        last = await service.handle(person, scripted_input(step, last))
    sheet = csv.encode()
    document = Other(
        "document",
        file_name="list.csv",
        mime_type="text/csv",
        file_size=len(sheet),
        content=sheet,
    )
    imported = await service.handle(person, document)
    assert any("Imported" in r.text or "imported" in r.text for r in imported.replies), [
        r.text for r in imported.replies
    ]
    await service.handle(person, Command("plan"))


def init_data(now: datetime, user_id: int | str = USER_ID, token: str = TOKEN, **extra: str) -> str:
    """Launch data for ``user_id``, signed at ``now`` with ``token``."""
    fields = {
        "query_id": "AAH-test-query",
        "user": json.dumps({"id": user_id, "first_name": "Maya", "language_code": "en"}),
        "auth_date": str(int(now.timestamp())),
        **extra,
    }
    return sign_init_data(fields, token)
