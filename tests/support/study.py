"""Small helpers for the study-feature tests: ask in a private chat, read and press buttons."""

from __future__ import annotations

from typing import Any

from tests.support.harness import USER_ID, Running


def buttons(message: dict[str, Any]) -> dict[str, str]:
    """Button label -> callback_data of a sent message."""
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    return {b["text"]: b["callback_data"] for row in rows for b in row}


async def ask(h: Running, text: str, user_id: int = USER_ID) -> dict[str, Any]:
    """Send `text` privately; returns the bot's last message to that user."""
    h.api.push_update(h.api.private_message(text, user_id=user_id))
    await h.api.wait_for("sendMessage")
    return h.api.sent(user_id)[-1]


async def press(h: Running, data: str, message: dict[str, Any], user_id: int = USER_ID) -> str:
    """Press a button; returns the toast text ('' for a silent acknowledgement)."""
    h.api.push_update(h.api.callback_query(data, message, user_id=user_id))
    return str((await h.api.wait_for("answerCallbackQuery")).get("text") or "")
