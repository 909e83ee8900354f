"""Replies as Telegram messages: inline keyboards, long text in parts, documents, pictures.

Shared by the chat (answers to updates) and the nudge sweep (messages nobody asked for yet),
so a reply looks the same whichever way it reaches the user.
"""

from __future__ import annotations

from urllib.parse import urlencode

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, WebAppInfo
from telegram.constants import MessageLimit

from conversations.messages import Button, Reply


def webapp_link(base: str, tab: str) -> str:
    """The Mini App's address opened on one tab ("programs", "plan"). A query, not a
    fragment: Telegram puts the signed launch data in the fragment."""
    return f"{base}{'&' if '?' in base else '?'}{urlencode({'tab': tab})}"


def _button(b: Button, webapp_url: str | None) -> InlineKeyboardButton:
    if b.web_app and webapp_url:
        return InlineKeyboardButton(b.label, web_app=WebAppInfo(webapp_link(webapp_url, b.web_app)))
    return InlineKeyboardButton(b.label, callback_data=b.data)


def keyboard(reply: Reply, webapp_url: str | None = None) -> InlineKeyboardMarkup | None:
    """The reply's buttons; one that opens the Mini App does so when its address is known
    (``webapp_url``), else it is an ordinary button."""
    if not reply.buttons:
        return None
    rows = [[_button(b, webapp_url) for b in row] for row in reply.buttons]
    return InlineKeyboardMarkup(rows)


def chunks(text: str, limit: int = MessageLimit.MAX_TEXT_LENGTH) -> list[str]:
    """Split a long reply at line breaks so each part fits in one Telegram message."""
    parts: list[str] = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        cut = cut if cut > 0 else limit
        parts.append(text[:cut])
        text = text[cut:].lstrip("\n")
    return [*parts, text] if text else parts


async def send_reply(
    bot: Bot, chat_id: int | str, reply: Reply, webapp_url: str | None = None
) -> None:
    """Send one reply as new message(s); the buttons go under the last part."""
    markup = keyboard(reply, webapp_url)
    if reply.document is not None:
        doc = reply.document
        await bot.send_document(
            chat_id,
            InputFile(doc.content, filename=doc.filename),
            caption=doc.caption or None,
            reply_markup=markup,
        )
        return
    if reply.photo is not None:
        # The text first, as a message (captions are short); the picture under it.
        for part in chunks(reply.text):
            await bot.send_message(chat_id, part)
        await bot.send_photo(
            chat_id,
            InputFile(reply.photo.content, filename=reply.photo.filename),
            caption=reply.photo.caption or None,
            reply_markup=markup,
        )
        return
    parts = chunks(reply.text)
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        await bot.send_message(chat_id, part, reply_markup=markup if last else None)
