"""Buttons of the study features and their `callback_data` (≤ 64 bytes).

    c:<key>                 the citation of a document
    t:<key>                 where and when it was studied
    v:<answer id>:<1|-1>    a 👍 / 👎 vote on an answer

A directive key too long to inline is kept in the LRU and sent as
`<kind>~<id>`. Anything forged or forgotten decodes to None.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram import InlineKeyboardButton

from bot import texts
from index.models import Directive

if TYPE_CHECKING:  # bot.callbacks imports this module
    from bot.callbacks import LRU

MAX_CALLBACK_BYTES = 64


def encode(kind: str, key: str, lru: LRU) -> str:
    data = f"{kind}:{key}"
    if len(data.encode("utf-8")) > MAX_CALLBACK_BYTES:
        data = f"{kind}~{lru.put(key)}"
    return data


def decode(data: str | None, lru: LRU) -> tuple[str, str] | None:
    """(kind, key) of a c:/t: button, or None when forged or forgotten."""
    if not data or len(data) < 3 or data[1] not in ":~":
        return None
    key = data[2:] if data[1] == ":" else lru.get(data[2:])
    return (data[0], key) if key and key.isprintable() else None


def directive_rows(directive: Directive, lru: LRU) -> list[list[InlineKeyboardButton]]:
    """The study buttons under an answer about one document."""
    return [
        [
            InlineKeyboardButton(texts.CITE_BUTTON, callback_data=encode("c", directive.key, lru)),
            InlineKeyboardButton(
                texts.TIMELINE_BUTTON, callback_data=encode("t", directive.key, lru)
            ),
        ]
    ]


def vote_row(asked_id: int) -> list[InlineKeyboardButton]:
    return [
        InlineKeyboardButton(texts.UP_BUTTON, callback_data=f"v:{asked_id}:1"),
        InlineKeyboardButton(texts.DOWN_BUTTON, callback_data=f"v:{asked_id}:-1"),
    ]


def decode_vote(data: str | None) -> tuple[int, int] | None:
    """(question id, +1 or -1) of a vote button, or None."""
    parts = (data or "").split(":")
    if len(parts) != 3 or parts[0] != "v" or not parts[1].isdigit() or parts[2] not in ("1", "-1"):
        return None
    return int(parts[1]), int(parts[2])
