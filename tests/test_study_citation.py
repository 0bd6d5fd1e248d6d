"""Citations: the formal line from the records, numbered sources; /trichdan, 📋 and `vankien cite`."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from index.citation import citation_line
from index.models import Directive
from tests.support.harness import FIXTURES, Running, running_bot
from tests.support.study import ask, buttons, press
from tests.test_cli import vankien


def _directive(**fields: Any) -> Directive:
    base: dict[str, Any] = dict(key="KL|21|TW|2021", id="21-KL/TW", type="Kết luận", code="KL",
                                number="21", issuer_code="TW")  # fmt: skip
    return Directive(**(base | fields))


def test_full_citation_line_reads_as_party_documents_cite_each_other() -> None:
    d = _directive(issuer="Ban Chấp hành Trung ương", date=date(2021, 10, 25), term="XIII",
                   subject="về đẩy mạnh xây dựng, chỉnh đốn Đảng")  # fmt: skip
    assert citation_line(d) == (
        "Kết luận số 21-KL/TW, ngày 25/10/2021, của Ban Chấp hành Trung ương Đảng khóa XIII"
        " về đẩy mạnh xây dựng, chỉnh đốn Đảng"
    )


def test_missing_parts_are_left_out_never_guessed() -> None:
    assert citation_line(_directive()) == "Kết luận số 21-KL/TW"
    assert citation_line(_directive(year=2021, issuer="Bộ Chính trị")) == (
        "Kết luận số 21-KL/TW, năm 2021, của Bộ Chính trị"
    )
    local = _directive(id="21-KL/TU", issuer_code="TU", issuer="Ban Thường vụ Tỉnh ủy",
                       date=date(2021, 5, 28))  # fmt: skip
    assert (
        citation_line(local) == "Kết luận số 21-KL/TU, ngày 28/05/2021, của Ban Thường vụ Tỉnh ủy"
    )


# --------------------------------------------------------------------------- command line


def test_cli_cite_plain_json_and_bad_ids(tmp_path: Path) -> None:
    assert vankien(tmp_path, "ingest", str(FIXTURES)).returncode == 0
    plain = vankien(tmp_path, "cite", "KL21")
    assert plain.returncode == 0, plain.stderr
    lines = plain.stdout.splitlines()
    assert lines[0].startswith("Kết luận số 21-KL/TW, ngày 25/10/2021, của Ban Chấp hành")
    assert lines[2] == "Nguồn:"
    assert lines[3].startswith("1. Hội nghị quán triệt Kết luận số 21-KL/TW tại huyện Đông Sơn — ")
    assert lines[3].endswith("11/01/2022 — https://tin.vankien.example/ket-luan-21-dong-son")
    assert lines[4].startswith("2. Triển khai Kế hoạch số 03-KH/TW")

    data = json.loads(vankien(tmp_path, "cite", "--json", "ket", "luan", "21").stdout)
    assert data["id"] == "21-KL/TW" and data["citation"] == lines[0]
    assert [s["published"] for s in data["sources"]] == ["2022-01-11", "2022-02-15"]

    for args, says in (
        (("cite", "CT", "99"), "Chưa có văn bản “CT 99”"),
        (("cite", "abc"), "không phải số hiệu văn bản"),
        (("cite", "21-KL/TU"), "ứng với nhiều văn bản"),
    ):
        bad = vankien(tmp_path, *args)
        assert bad.returncode == 1 and says in bad.stderr and "Traceback" not in bad.stderr
    assert vankien(tmp_path, "cite").returncode == 2


# --------------------------------------------------------------------------- bot


@pytest.fixture
async def h(tmp_path: Path) -> AsyncIterator[Running]:
    async with running_bot(tmp_path) as running:
        yield running


async def test_trichdan_replies_with_citation_and_sources(h: Running) -> None:
    h.api.push_update(h.api.private_message("/trichdan 21-KL/TW"))
    text = (await h.api.wait_for("sendMessage"))["text"]
    assert text.startswith("Kết luận số 21-KL/TW, ngày 25/10/2021, của Ban Chấp hành Trung ương")
    assert "<b>Nguồn:</b>\n1. Hội nghị quán triệt" in text
    assert "https://tin.vankien.example/ket-luan-21-dong-son" in text
    assert "<a " not in text and "<pre>" not in text  # copy keeps every link visible


async def test_cite_button_under_an_answer(h: Running) -> None:
    answer = await ask(h, "Kết luận 21 nói về gì?")
    await press(h, buttons(answer)["📋 Trích dẫn"], answer)
    text = (await h.api.wait_for("sendMessage"))["text"]
    assert text.startswith("Kết luận số 21-KL/TW, ngày 25/10/2021")


async def test_bad_ids_get_polite_replies_and_choices(h: Running) -> None:
    h.api.push_update(h.api.private_message("/trichdan Chỉ thị 99"))
    assert "Chưa có văn bản “Chỉ thị 99”" in (await h.api.wait_for("sendMessage"))["text"]
    h.api.push_update(h.api.private_message("/trichdan"))
    assert "/trichdan 21-KL/TW" in (await h.api.wait_for("sendMessage"))["text"]
    choice = await ask(h, "/trichdan 21-KL/TU")
    options = buttons(choice)
    assert len(options) == 2
    await press(h, options[sorted(options)[0]], choice)
    text = (await h.api.wait_for("sendMessage"))["text"]
    assert text.startswith("Kết luận số 21-KL/TU, ngày 02/03/2016")
    assert "cũ" in await press(h, "c~forgotten", choice)
