"""Inline mode: `@bot Kết luận 21` in any chat, paged with next_offset."""

from __future__ import annotations

import pytest

from bot.handlers import INLINE_PAGE
from tests.support.botapi import parse_telegram_html
from tests.support.harness import Running


async def inline(h: Running, query: str, offset: str = "") -> dict:
    h.api.push_update(h.api.inline_query(query, offset))
    return await h.api.wait_for("answerInlineQuery")


async def test_reference_lists_directives_first_then_quotes(h: Running) -> None:
    params = await inline(h, "Kết luận 21")
    results = params["results"]
    assert results[0]["title"] == "Kết luận số 21-KL/TW"
    assert {r["title"] for r in results[:4]} >= {"Kết luận số 21-KL/TU"}
    card = results[0]["input_message_content"]
    assert card["parse_mode"] == "HTML"
    text, _ = parse_telegram_html(card["message_text"])
    assert text.startswith("Kết luận số 21-KL/TW ngày 25-10-2021")
    assert "Văn bản liên quan: 03-KH/TW" in text
    quotes = [r for r in results if r["id"].startswith("q")]
    assert quotes and all(
        "<blockquote>" in r["input_message_content"]["message_text"] for r in quotes
    )
    assert len({r["id"] for r in results}) == len(results)


async def test_paging_with_next_offset(h: Running, monkeypatch: pytest.MonkeyPatch) -> None:
    everything = (await inline(h, "Kết luận 21"))["results"]
    assert 4 <= len(everything) <= INLINE_PAGE <= 50
    monkeypatch.setattr("bot.handlers.INLINE_PAGE", 3)
    first = await inline(h, "Kết luận 21")
    assert first["next_offset"] == "3" and len(first["results"]) == 3
    second = await inline(h, "Kết luận 21", "3")
    assert [r["id"] for r in second["results"]] == [r["id"] for r in everything[3:6]]
    # a page past the end is empty and ends the paging
    last = await inline(h, "Kết luận 21", "300")
    assert last["results"] == [] and not last.get("next_offset")
    garbage = await inline(h, "Kết luận 21", "abc")  # treated as the first page
    assert [r["id"] for r in garbage["results"]] == [r["id"] for r in first["results"]]


async def test_small_pages_chain_through_every_result(
    h: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.handlers.INLINE_PAGE", 2)
    seen: list[str] = []
    offset = ""
    for _ in range(20):
        params = await inline(h, "Kết luận 21", offset)
        assert len(params["results"]) <= 2
        seen += [r["id"] for r in params["results"]]
        offset = params.get("next_offset") or ""
        if not offset:
            break
    assert len(seen) == len(set(seen)) >= 4  # two directives and several quotes


async def test_empty_query_offers_help_button(h: Running) -> None:
    params = await inline(h, "   ")
    assert params["results"] == []
    assert params["button"] == {"text": "Cách dùng bot", "start_parameter": "help"}


async def test_nothing_found_answers_empty(h: Running) -> None:
    params = await inline(h, "xyzzy plugh")
    assert params["results"] == [] and not params.get("next_offset")


async def test_hostile_text_in_inline_results_is_escaped(h: Running) -> None:
    params = await inline(h, "Chỉ thị 05")
    for result in params["results"]:
        parse_telegram_html(result["input_message_content"]["message_text"])  # must parse
    joined = " ".join(r["input_message_content"]["message_text"] for r in params["results"])
    assert (
        "&lt;b&gt;giả&lt;/b&gt;" in joined and "javascript" not in joined.split('href="')[-1][:20]
    )
