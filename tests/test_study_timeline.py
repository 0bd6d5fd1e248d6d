"""Where and when a document was studied: event rules, timelines, questions, 🗺, CLI."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import pytest

from index.events import extract_event, find_province
from index.timeline import asks_where_studied
from tests.support.harness import USER_ID, Running, running_bot
from tests.support.study import ask, buttons, press
from tests.test_cli import vankien

KL21 = ("KL", "21")


def test_event_parts_from_the_sentence_and_dateline() -> None:
    event = extract_event(
        "Quán triệt Kết luận 21",
        ["Sáng 17/12, Ban Thường vụ Tỉnh ủy Nghệ An tổ chức hội nghị học tập, quán triệt "
         "Chỉ thị 35 và Kết luận số 21-KL/TW."],
        date(2023, 1, 5), KL21,
    )  # fmt: skip
    assert event is not None
    assert event.kind == "học tập, quán triệt"
    assert event.organiser == "Ban Thường vụ Tỉnh ủy Nghệ An" and event.province == "Nghệ An"
    assert event.day == date(2022, 12, 17) and not event.day_from_article  # last December
    assert event.documents == ("Chỉ thị 35", "21-KL/TW")


def test_dateline_kind_and_organiser_with_lowercase_unit() -> None:
    event = extract_event(
        "Tọa đàm ở Yên Phú",
        ["Ngày 9-6-2025, tại hội trường xã.",
         "Đảng ủy xã Yên Phú tổ chức tọa đàm về Kết luận số 21-KL/TW."],
        date(2025, 6, 12), KL21,
    )  # fmt: skip
    assert event is not None and event.kind == "tọa đàm"
    assert event.organiser == "Đảng ủy xã Yên Phú" and event.day == date(2025, 6, 9)


def test_the_documents_own_clause_is_not_an_event() -> None:
    # "về … học tập" is the subject of the document, and its date is not the event's
    issued = ["Bộ Chính trị ban hành Kết luận số 21-KL/TW ngày 25-10-2021 về học tập lý luận."]
    assert extract_event("Văn bản mới", issued, date(2021, 11, 1), KL21) is None
    event = extract_event(
        "Huyện ủy triển khai",
        ["Huyện ủy Đông Sơn triển khai Kết luận số 21-KL/TW ngày 25-10-2021."],
        date(2022, 1, 11), KL21,
    )  # fmt: skip
    assert event is not None and event.day == date(2022, 1, 11) and event.day_from_article


def test_provinces_need_capitals_and_ho_chi_minh_needs_its_city_words() -> None:
    assert find_province("Thành ủy Thành phố Hồ Chí Minh học tập") == "Thành phố Hồ Chí Minh"
    assert find_province("học tập tư tưởng Hồ Chí Minh") is None
    assert find_province("Tỉnh ủy Thanh Hóa") == "Thanh Hóa"
    assert find_province("cả nam định hướng") is None


def test_only_where_questions_become_timelines() -> None:
    for question in ("Tỉnh nào đã quán triệt Kết luận 21?", "Chỉ thị 35 được triển khai ở đâu?",
                     "nhung dia phuong nao da hoc tap nghi quyet 57"):  # fmt: skip
        assert asks_where_studied(question), question
    for question in ("Cơ quan nào ban hành Kế hoạch thực hiện Kết luận 21?",
                     "Văn bản nào thực hiện Kết luận 21?", "Kết luận 21 nói về gì?"):  # fmt: skip
        assert not asks_where_studied(question), question


# --------------------------------------------------------------------------- end to end


def write_events(folder: Path) -> Path:
    folder.mkdir()
    articles = {
        "nghe-an": ("Nghệ An quán triệt Kết luận 21", "2022-12-18",
                    "Sáng 17/12, Ban Thường vụ Tỉnh ủy Nghệ An tổ chức hội nghị học tập, quán "
                    "triệt Kết luận số 21-KL/TW ngày 25-10-2021 của Ban Chấp hành Trung ương."),
        "vinh": ("Thành ủy Vinh sơ kết", "2023-06-02",
                 "Ngày 1-6-2023, Thành ủy Vinh (Nghệ An) sơ kết một năm thực hiện Kết luận số "
                 "21-KL/TW."),
        "yen-phu": ("Yên Phú tọa đàm", "2022-03-05",
                    "Chiều 4/3, Đảng ủy xã Yên Phú, tỉnh Nam Định tổ chức tọa đàm về Kết luận "
                    "số 21-KL/TW."),
    }  # fmt: skip
    for slug, (title, published, text) in articles.items():
        (folder / f"{slug}.md").write_text(
            f"---\ntitle: {title}\nurl: https://tin.example/{slug}\npublished: {published}\n"
            f"---\n{text}\n",
            encoding="utf-8",
        )
    return folder


def test_cli_timeline(tmp_path: Path) -> None:
    assert vankien(tmp_path, "ingest", str(write_events(tmp_path / "events"))).returncode == 0
    data = json.loads(vankien(tmp_path, "timeline", "--json", "KL21").stdout)
    assert [(e["date"], e["province"], e["kind"]) for e in data["events"]] == [
        ("2023-06-01", "Nghệ An", "sơ kết"),
        ("2022-12-17", "Nghệ An", "học tập, quán triệt"),
        ("2022-03-04", "Nam Định", "tọa đàm"),
    ]
    assert data["events"][0]["organiser"] == "Thành ủy Vinh"
    plain = vankien(tmp_path, "timeline", "ket", "luan", "21").stdout.splitlines()
    assert plain[2:5] == [
        "Nghệ An:",
        "• 01/06/2023 — Thành ủy Vinh: sơ kết",
        "  https://tin.example/vinh",
    ]
    unknown = vankien(tmp_path, "timeline", "CT", "99")
    assert unknown.returncode == 1 and "Chưa có văn bản" in unknown.stderr


@pytest.fixture
async def h(tmp_path: Path) -> AsyncIterator[Running]:
    async with running_bot(tmp_path) as running:
        await running.service.ingest([str(write_events(tmp_path / "events"))])
        yield running


async def test_where_question_and_map_button(h: Running) -> None:
    reply = await ask(h, "Tỉnh nào đã quán triệt Kết luận 21?")
    text = reply["text"]
    # Huyện ủy Đông Sơn (no province named) and the two provinces; the plan "thực hiện"
    # Kết luận 21 names neither a body nor a date: not an event
    assert "đã được học tập, quán triệt hoặc triển khai ở 3 nơi" in text
    assert text.index("Nghệ An:") < text.index("Nam Định:") < text.index("Chưa rõ tỉnh, thành:")
    assert "(ngày đăng bài)" not in text
    assert "• 01/06/2023 — Thành ủy Vinh: sơ kết" in text
    kinds = {(e["type"], e.get("url")) for e in reply["entities"]}
    assert ("blockquote", None) in kinds and ("text_link", "https://tin.example/vinh") in kinds

    card = await ask(h, "Kết luận 21 nói về gì?")
    await press(h, buttons(card)["🗺 Nơi đã quán triệt"], card)
    timeline = (await h.api.wait_for("sendMessage"))["text"]
    assert timeline.startswith("<b>Nơi đã học tập, quán triệt, triển khai Kết luận số 21-KL/TW")
    assert (
        '• <a href="https://tin.example/nghe-an">17/12/2022 — Ban Thường vụ Tỉnh ủy Nghệ An'
        in timeline
    )
    assert len(h.api.sent(USER_ID)) == 3
