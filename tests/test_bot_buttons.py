"""Buttons under answers: paging, related documents, candidates, stale or forged data."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot.callbacks import LRU, Target, answer_keyboard, decode, encode_directive, encode_question
from bot.handlers import STALE_BUTTON
from index.models import Answer, Directive, Quote, Relation
from tests.support.harness import USER_ID, Running, running_bot


@pytest.fixture
async def h(tmp_path: Path) -> AsyncIterator[Running]:
    async with running_bot(tmp_path) as running:
        yield running


def buttons(message: dict[str, Any]) -> list[tuple[str, str]]:
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    return [(b["text"], b["callback_data"]) for row in rows for b in row]


async def ask(h: Running, text: str) -> dict[str, Any]:
    h.api.push_update(h.api.private_message(text))
    await h.api.wait_for("sendMessage")
    return h.api.sent(USER_ID)[-1]


async def press(h: Running, data: str, message: dict[str, Any]) -> dict[str, Any]:
    h.api.push_update(h.api.callback_query(data, message))
    return await h.api.wait_for("answerCallbackQuery")


# --------------------------------------------------------------------------- end to end


async def test_more_quotes_pages_through_the_answer(h: Running) -> None:
    first = await ask(h, "Kết luận 21 nói về gì?")
    labels = dict(buttons(first))
    assert "Thêm trích dẫn" in labels
    more = labels["Thêm trích dẫn"]
    assert more.startswith("q:3:") and more.endswith(":KL|21|TW|2021")
    ack = await press(h, more, first)
    assert "text" not in ack  # a silent acknowledgement
    page2 = await h.api.wait_for("sendMessage")
    assert page2["text"].count("<blockquote>") == 3
    assert "Còn 1 trích dẫn khác" in page2["text"]
    second = h.api.sent(USER_ID)[-1]
    more2 = dict(buttons(second))["Thêm trích dẫn"]
    assert more2.startswith("q:6:")
    await press(h, more2, second)
    page3 = await h.api.wait_for("sendMessage")
    assert page3["text"].count("<blockquote>") == 1
    assert "Thêm trích dẫn" not in dict(buttons(h.api.sent(USER_ID)[-1]))
    # no quote shown twice across the pages
    quotes = [q for p in h.api.calls if p[0] == "sendMessage"
              for q in re.findall(r"<blockquote>(.*?)</blockquote>", p[1]["text"], re.S)]  # fmt: skip
    assert len(quotes) == len(set(quotes)) == 7


async def test_more_quotes_falls_back_to_the_directive_after_restart(h: Running) -> None:
    first = await ask(h, "Kết luận 21 nói về gì?")
    more = dict(buttons(first))["Thêm trích dẫn"]
    h.app.bot_data["lru"] = LRU()  # what a restart does to the question store
    await press(h, more, first)
    page2 = await h.api.wait_for("sendMessage")
    assert page2["text"].startswith("<b>Kết luận số 21-KL/TW") and "<blockquote>" in page2["text"]


async def test_related_document_button_shows_its_card(h: Running) -> None:
    first = await ask(h, "Kết luận 21 nói về gì?")
    labels = dict(buttons(first))
    assert labels["Văn bản liên quan: 03-KH/TW"] == "d:0:KH|3|TW|2021"
    await press(h, labels["Văn bản liên quan: 03-KH/TW"], first)
    card = await h.api.wait_for("sendMessage")
    assert card["text"].startswith("<b>Kế hoạch số 03-KH/TW")
    # and back again
    back = dict(buttons(h.api.sent(USER_ID)[-1]))["Văn bản liên quan: 21-KL/TW"]
    await press(h, back, h.api.sent(USER_ID)[-1])
    assert (await h.api.wait_for("sendMessage"))["text"].startswith("<b>Kết luận số 21-KL/TW")


async def test_ambiguous_answer_has_one_button_per_candidate(h: Running) -> None:
    first = await ask(h, "Kết luận 21-KL/TU")
    assert "Các văn bản trùng số:" in first["text"]
    datas = [d for _t, d in buttons(first)]
    assert sorted(datas) == ["d:0:KL|21|TU|2016", "d:0:KL|21|TU|2021"]
    await press(h, "d:0:KL|21|TU|2016", first)
    card = await h.api.wait_for("sendMessage")
    assert "nông thôn mới" in card["text"] and "du lịch" not in card["text"]


async def test_closest_documents_are_buttons_too(h: Running) -> None:
    first = await ask(h, "Quy định 21")
    assert "Văn bản gần nhất trong dữ liệu:" in first["text"]
    assert {d for _t, d in buttons(first)} >= {"d:0:KL|21|TW|2021"}


@pytest.mark.parametrize(
    "data",
    [
        "d:0:XX|1|YY|1999",  # no such directive
        "q:3:nosuchid",  # question evicted, no fallback
        "k:0:nosuchid",
        "d:99999:KL|21|TW|2021",  # offset out of range
        "d:50:KL|21|TW|2021",  # past the last quote
        "zzz",
        "d:x:KL|21|TW|2021",
        "d:²:KL|21|TW|2021",  # digits that str.isdigit() accepts and int() refuses
        "q:١:nosuchid",  # Arabic-Indic digit
        "",
    ],
)
async def test_stale_or_forged_buttons_get_a_polite_notice(h: Running, data: str) -> None:
    first = await ask(h, "Chỉ thị 05")
    ack = await press(h, data, first)
    assert ack["text"] == STALE_BUTTON
    await asyncio.sleep(0.2)
    assert len(h.api.sent(USER_ID)) == 1


async def test_button_on_a_message_in_a_group_topic_answers_in_the_topic(h: Running) -> None:
    h.api.push_update(h.api.group_message("@vankien_test_bot Kết luận 21", -1009, thread_id=5))
    await h.api.wait_for("sendMessage")
    first = h.api.sent(-1009)[-1]
    await press(h, dict(buttons(first))["Thêm trích dẫn"], first)
    page = await h.api.wait_for("sendMessage")
    assert page["chat_id"] == -1009 and page["message_thread_id"] == 5


# --------------------------------------------------------------------------- encoding


def _directive(key: str, **kw: Any) -> Directive:
    code, number, issuer, year = key.split("|")
    return Directive(key=key, id=f"{number}-{code}/{issuer}", type="Quy định", code=code,
                     number=number, issuer_code=issuer, date=date(int(year), 1, 1), **kw)  # fmt: skip


def test_callback_data_round_trips_and_fits_64_bytes() -> None:
    lru = LRU()
    qid = lru.put("Quy định 08-QĐi/TW nói gì?")
    for key in ("KL|21|TW|2021", "QĐi|08|TW|2021", "QĐ|1234|ĐUK|2021"):
        data = encode_directive(key, 12, lru)
        assert data == f"d:12:{key}"
        assert decode(data, lru) == Target(12, key=key)
        data = encode_question(qid, 3, key)
        assert len(data.encode()) <= 64
        assert decode(data, lru) == Target(3, question="Quy định 08-QĐi/TW nói gì?", key=key)
    long_key = "QĐ|" + "Đ" * 40 + "|ĐUK|2021"
    data = encode_directive(long_key, 3, lru)
    assert data.startswith("k:3:") and len(data.encode()) <= 64
    assert decode(data, lru) == Target(3, key=long_key)
    data = encode_question(qid, 3, long_key)  # key dropped when it does not fit
    assert data == f"q:3:{qid}"


def test_lru_is_bounded() -> None:
    lru = LRU(maxsize=3)
    ids = [lru.put(str(i)) for i in range(5)]
    assert len(lru) == 3
    assert lru.get(ids[0]) is None and lru.get(ids[4]) == "4"


def test_keyboard_for_an_answer() -> None:
    lru = LRU()
    directive = _directive(
        "QĐi|08|TW|2021",
        related=(
            Relation("01-KH/TW", "implemented_by", "KH|01|TW|2021"),
            Relation("X", "amends", ""),
        ),
    )
    quote = Quote("q", "t", None, None, 1.0)
    answer = Answer("q", True, "subject", "h", directive=directive, passages=(quote,) * 3,
                    total_passages=5, candidates=(_directive("QĐ|08|TW|2019"),))  # fmt: skip
    markup = answer_keyboard(answer, lru, qid="abcdEFGH")
    assert markup is not None
    rows = [(b.text, b.callback_data) for row in markup.inline_keyboard for b in row]
    assert rows == [
        ("Thêm trích dẫn", "q:3:abcdEFGH:QĐi|08|TW|2021"),
        ("Văn bản liên quan: 01-KH/TW", "d:0:KH|01|TW|2021"),  # unknown keys get no button
        ("Quy định số 08-QĐ/TW ngày 01-01-2019", "d:0:QĐ|08|TW|2019"),
    ]
    assert all(len(str(d).encode()) <= 64 for _t, d in rows)
    plain = Answer("q", False, "search", "h")
    assert answer_keyboard(plain, lru) is None
