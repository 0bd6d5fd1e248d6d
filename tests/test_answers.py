"""Answer composition for every kind, on a real service over a temp database."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.answer import NOTICE
from index.service import SearchService

FIXTURES = Path(__file__).parent / "fixtures" / "articles"


@pytest.fixture
async def service(tmp_path: Path):  # type: ignore[no-untyped-def]
    svc = await SearchService.open(tmp_path / "answers.db")
    report = await svc.ingest([str(FIXTURES)])
    assert report.count("added") == 2
    yield svc
    await svc.close()


async def test_subject_names_the_document_in_full_first(service: SearchService) -> None:
    a = await service.ask("Kết luận 21 nói về gì?")
    assert a.found and a.kind == "subject"
    assert a.directive is not None and a.directive.id == "21-KL/TW"
    assert a.headline.startswith(
        "Kết luận số 21-KL/TW ngày 25-10-2021 của Ban Chấp hành Trung ương (khóa XIII) về đẩy mạnh"
    )
    # a central document is preferred, and the local one with the same number is mentioned
    assert any("21-KL/TU" in line for line in a.details)
    assert 1 <= len(a.passages) <= 3
    assert all(len(p.text) <= 400 for p in a.passages)
    assert len({p.url for p in a.passages}) == len(a.passages)  # one source per article
    assert a.notice == NOTICE


async def test_unaccented_and_abbreviated_questions_find_the_same_document(
    service: SearchService,
) -> None:
    for question in ("ket luan 21 noi ve gi", "KL21", "kl 21", "ket luan so 21"):
        a = await service.ask(question)
        assert a.directive is not None and a.directive.id == "21-KL/TW", question


async def test_date_question_answers_in_the_first_line(service: SearchService) -> None:
    a = await service.ask("QĐ 41 ban hành ngày nào?")
    assert a.kind == "date"
    assert a.headline == "Quy định số 41-QĐ/TW được ban hành ngày 03-11-2021."


async def test_issuer_question(service: SearchService) -> None:
    a = await service.ask("Quy định 41 do cơ quan nào ban hành?")
    assert a.kind == "issuer"
    assert "do Bộ Chính trị ban hành" in a.headline


async def test_relation_questions_in_both_directions(service: SearchService) -> None:
    a = await service.ask("Kế hoạch nào thực hiện Kết luận 21?")
    assert a.kind == "relation"
    assert "được thực hiện bởi Kế hoạch số 03-KH/TW" in a.headline
    b = await service.ask("Quy định 37 thay thế quy định nào?")
    assert "thay thế Quy định số 47-QĐ/TW" in b.headline


async def test_content_question_quotes_the_matching_sentence(service: SearchService) -> None:
    a = await service.ask("Kết luận 21 yêu cầu gì về xử lý cán bộ suy thoái?")
    assert a.kind == "content" and a.directive is not None and a.directive.id == "21-KL/TW"
    assert "suy thoái" in a.passages[0].text


async def test_topic_question_without_number_finds_the_document(service: SearchService) -> None:
    a = await service.ask("văn bản nào về miễn nhiệm, từ chức cán bộ?")
    assert a.kind == "search" and a.found
    assert a.directive is not None and a.directive.id == "41-QĐ/TW"


async def test_ambiguous_number_lists_candidates_newest_first(service: SearchService) -> None:
    a = await service.ask("Nghị quyết 18 nói về gì?")
    assert a.found and a.ambiguous and a.directive is None
    assert [c.date.year for c in a.candidates if c.date] == [2022, 2017]
    assert "18-NQ/TW" in a.headline


async def test_topic_words_pick_one_of_two_same_numbers(service: SearchService) -> None:
    a = await service.ask("Nghị quyết 18 về đất đai ban hành ngày nào?")
    assert a.directive is not None and a.directive.date is not None
    assert a.directive.date.year == 2022


async def test_level_named_in_question_selects_local_document(service: SearchService) -> None:
    a = await service.ask("Kết luận 21 của Tỉnh ủy nói về gì?")
    assert a.directive is not None and a.directive.id == "21-KL/TU"


async def test_not_found_never_answers_about_another_document(service: SearchService) -> None:
    a = await service.ask("Chỉ thị 21 nói về gì?")
    assert not a.found and a.passages == () and a.directive is None
    assert "Chưa có Chỉ thị số 21" in a.headline
    assert any(c.number == "21" for c in a.candidates)  # closest documents offered


async def test_not_found_topic(service: SearchService) -> None:
    a = await service.ask("quy định về quản lý xe công vụ")
    assert not a.found and a.passages == ()


async def test_state_document_number_is_not_a_party_document(service: SearchService) -> None:
    a = await service.ask("Nghị quyết 128 nói về gì?")
    assert not a.found


async def test_paging_through_quotes(service: SearchService) -> None:
    first = await service.ask("Kết luận 21 nói về gì?", limit=1)
    assert first.has_more
    second = await service.directive_answer(first.directive.key, offset=1, limit=1)  # type: ignore[union-attr]
    assert second.offset == 1 and second.passages
    assert second.passages[0].text != first.passages[0].text


async def test_json_shape_matches_the_contract(service: SearchService) -> None:
    a = await service.ask("Kết luận 21 nói về gì?")
    data = a.to_json("text")
    assert set(data) >= {"question", "found", "kind", "directive", "passages", "text"}
    assert set(data["directive"]) >= {
        "id",
        "type",
        "number",
        "issuer",
        "date",
        "term",
        "subject",
        "related",
    }
    assert data["directive"]["date"] == "2021-10-25"
    assert {"id": "03-KH/TW", "relation": "implemented_by"} in data["directive"]["related"]
    assert set(data["passages"][0]) >= {"text", "url", "title", "published", "score"}


async def test_a_province_named_in_the_question_must_match(service: SearchService) -> None:
    other = await service.ask("Kết luận 21 của Tỉnh ủy Nghệ An nói về gì?")
    assert not other.found and other.directive is None
    same = await service.ask("Kết luận 21 của Tỉnh ủy A nói về gì?")
    assert same.directive is not None and same.directive.id == "21-KL/TU"


async def test_ambiguous_answer_names_each_document_in_the_first_lines(
    service: SearchService,
) -> None:
    a = await service.ask("Nghị quyết 18 nói về gì?")
    assert a.ambiguous and len(a.details) == len(a.candidates) == 2
    for line, candidate in zip(a.details, a.candidates, strict=True):
        assert candidate.date is not None
        assert line.startswith(f"• {candidate.type} số {candidate.id} ngày")
