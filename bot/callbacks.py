"""Buttons under an answer and the `callback_data` they carry (≤ 64 bytes).

Encoding (ASCII separators, UTF-8 counted; a directive key may hold "Đ"):

    q:<offset>:<qid>[:<key>]   next page of a stored question; <key> (the
                               answer's directive) is the fallback once the
                               question has left the LRU, e.g. after a restart
    d:<offset>:<key>           a directive's card/page by its key, e.g.
                               "d:0:KL|21|TW|2021"
    k:<offset>:<kid>           the same, when the key is too long to inline:
                               the key is kept in the LRU under <kid>

<qid>/<kid> are short random ids into a bounded LRU kept in `bot_data`.
Anything else — forged, truncated, or pointing at an evicted entry — decodes
to None or to a target the handler reports as stale; it never raises.
"""

from __future__ import annotations

import secrets
from collections import OrderedDict
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.render import MORE_BUTTON
from index.models import Answer

MAX_CALLBACK_BYTES = 64
MAX_OFFSET = 10_000
MAX_RELATED_BUTTONS = 6
MAX_CANDIDATE_BUTTONS = 8
PAGE_SIZE = 3


class LRU:
    """A small bounded mapping: id -> value, least recently used evicted first."""

    def __init__(self, maxsize: int = 2048) -> None:
        self.maxsize = maxsize
        self._data: OrderedDict[str, str] = OrderedDict()

    def put(self, value: str) -> str:
        key = secrets.token_urlsafe(6)  # 8 ASCII characters, hard to guess
        while key in self._data:
            key = secrets.token_urlsafe(6)
        self._data[key] = value
        while len(self._data) > self.maxsize:
            self._data.popitem(last=False)
        return key

    def get(self, key: str) -> str | None:
        value = self._data.get(key)
        if value is not None:
            self._data.move_to_end(key)
        return value

    def __len__(self) -> int:
        return len(self._data)


@dataclass(frozen=True)
class Target:
    """What a button asks for: a question page, or a directive page."""

    offset: int
    question: str | None = None
    key: str | None = None  # directive key (fallback for questions)


def _fits(data: str) -> bool:
    return len(data.encode("utf-8")) <= MAX_CALLBACK_BYTES


def encode_directive(key: str, offset: int, lru: LRU) -> str:
    data = f"d:{offset}:{key}"
    if not _fits(data):
        data = f"k:{offset}:{lru.put(key)}"
    assert _fits(data), data
    return data


def encode_question(qid: str, offset: int, key: str | None = None) -> str:
    data = f"q:{offset}:{qid}"
    if key and _fits(f"{data}:{key}"):
        data = f"{data}:{key}"
    assert _fits(data), data
    return data


def decode(data: str | None, lru: LRU) -> Target | None:
    """The button's target, or None when the data is unusable or stale."""
    if not data or not _fits(data):
        return None
    parts = data.split(":", 2)
    # ASCII digits only: "²".isdigit() is true, yet int("²") raises
    if len(parts) != 3 or not (parts[1].isascii() and parts[1].isdigit()) or len(parts[1]) > 5:
        return None
    kind, raw_offset, rest = parts
    offset = int(raw_offset)
    if offset > MAX_OFFSET or not rest:
        return None
    if kind == "d":
        return Target(offset, key=rest) if rest.isprintable() else None
    if kind == "k":
        key = lru.get(rest)
        return Target(offset, key=key) if key else None
    if kind == "q":
        qid, _, key = rest.partition(":")
        question = lru.get(qid)
        if question is None and not key:
            return None
        return Target(offset, question=question, key=key or None)
    return None


def _label(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def answer_keyboard(
    answer: Answer, lru: LRU, qid: str | None = None
) -> InlineKeyboardMarkup | None:
    """Buttons under an answer: more quotes, related documents, candidates."""
    rows: list[list[InlineKeyboardButton]] = []
    next_offset = answer.offset + len(answer.passages)
    key = answer.directive.key if answer.directive else None
    if answer.has_more:
        if qid is not None:
            data = encode_question(qid, next_offset, key)
        elif key:
            data = encode_directive(key, next_offset, lru)
        else:
            data = None
        if data:
            rows.append([InlineKeyboardButton(MORE_BUTTON, callback_data=data)])
    if answer.directive:
        related = [r for r in answer.directive.related if r.key][:MAX_RELATED_BUTTONS]
        for rel in related:
            rows.append(
                [
                    InlineKeyboardButton(
                        _label(f"Văn bản liên quan: {rel.id}"),
                        callback_data=encode_directive(rel.key, 0, lru),
                    )
                ]
            )
    for cand in answer.candidates[:MAX_CANDIDATE_BUTTONS]:
        rows.append(
            [
                InlineKeyboardButton(
                    _label(cand.full_name(with_subject=False)),
                    callback_data=encode_directive(cand.key, 0, lru),
                )
            ]
        )
    return InlineKeyboardMarkup(rows) if rows else None
