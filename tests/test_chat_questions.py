"""Questions as cadres type them in chat: shorthand, codes before numbers, a
board of a committee, "mới nhất", the relation verb naming the type asked for.
A real service over articles written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from index import topic
from index.models import AnswerKind
from index.query import follow_up, understand
from index.service import SearchService
from index.tokenize import content_query_tokens
from index.topic import FOUND_COVERAGE, coverage
from tests.conftest import service_over

ARTICLES = {
    "c1.md": """---
title: Tuyên truyền Nghị quyết về rừng
url: https://tin.example/c1
published: 2025-03-10
---
Ngày 3/3/2025, Ban Tuyên giáo Tỉnh ủy Hòa Bình ban hành Hướng dẫn số 12-HD/BTGTU về tuyên truyền Nghị quyết số 18-NQ/TW của Bộ Chính trị về phát triển lâm nghiệp bền vững.

Hướng dẫn yêu cầu các cấp ủy đưa tin thường xuyên về trồng rừng gỗ lớn.
""",
    "c2.md": """---
title: Tỉnh ủy Hòa Bình triển khai Nghị quyết 18
url: https://tin.example/c2
published: 2025-02-01
---
Ngày 20/1/2025, Ban Thường vụ Tỉnh ủy Hòa Bình ban hành Kế hoạch số 40-KH/TU thực hiện Nghị quyết số 18-NQ/TW ngày 2/12/2024 của Bộ Chính trị về phát triển lâm nghiệp bền vững.
""",
    "c3.md": """---
title: Huyện Tân Lạc hành động vì rừng
url: https://tin.example/c3
published: 2025-04-02
---
Huyện ủy Tân Lạc ban hành Kế hoạch số 55-KH/HU ngày 28/3/2025 triển khai Nghị quyết số 18-NQ/TW về phát triển lâm nghiệp bền vững.
""",
    "c4.md": """---
title: Chỉ thị về phòng cháy rừng mùa khô
url: https://tin.example/c4
published: 2023-02-10
---
Bộ Chính trị ban hành Chỉ thị số 20-CT/TW ngày 1/2/2023 về tăng cường phòng cháy, chữa cháy rừng mùa khô.
""",
    "c5.md": """---
title: Chỉ thị mới về phòng cháy rừng
url: https://tin.example/c5
published: 2025-05-08
---
Ngày 5/5/2025, Bộ Chính trị ban hành Chỉ thị số 31-CT/TW về tăng cường phòng cháy, chữa cháy rừng mùa khô, thay thế Chỉ thị số 20-CT/TW ngày 1/2/2023.
""",
    "c6.md": """---
title: Quán triệt quy định về bảo vệ bí mật
url: https://tin.example/c6
published: 2025-06-03
---
Ngày 2/6/2025, Đảng ủy Khối các cơ quan tỉnh tổ chức hội nghị quán triệt Quy định số 77-QĐ/TW của Bộ Chính trị về công tác bảo vệ bí mật nhà nước.

Quy định do đồng chí Trần Văn Nam, Thường trực Ban Bí thư, thay mặt Bộ Chính trị ký. Quy định gồm 5 chương.
""",
}


@pytest.fixture
async def service(tmp_path: Path):  # type: ignore[no-untyped-def]
    svc = await service_over(tmp_path, ARTICLES)
    yield svc
    await svc.close()


def test_chat_shorthand_is_read_as_the_words_it_stands_for() -> None:
    q = understand("cho em hỏi NQ18 nói về j ạ")
    assert (q.refs[0].code, q.refs[0].number, q.kind) == ("NQ", "18", AnswerKind.SUBJECT)
    assert understand("e hoi KL 21 ban hanh ngay nao ah").kind == AnswerKind.DATE
    assert understand("qđ 144 ntn").kind == AnswerKind.SUBJECT
    counted = understand("nghi quyet 18 co bn nhiem vu")
    assert counted.kind == AnswerKind.CONTENT and counted.shape is not None
    assert counted.shape.search("gom 5 nhiem vu")


def test_the_ways_people_ask_when_and_what() -> None:
    for text, kind in (
        ("KL 21 ngay may", AnswerKind.DATE),
        ("NQ18 ban hanh hoi nao", AnswerKind.DATE),
        ("Nghị quyết 18 ban hành năm bao nhiêu", AnswerKind.DATE),
        ("CT20 ra doi nam may", AnswerKind.DATE),
        ("NQ 18 là văn bản gì", AnswerKind.SUBJECT),
        ("cho mình hỏi KL 21 ra sao", AnswerKind.SUBJECT),
        ("NQ 18 noi cai gi", AnswerKind.SUBJECT),
        ("văn bản gì thay thế chỉ thị 20", AnswerKind.RELATION),
    ):
        assert understand(text).kind == kind, text


def test_the_issuer_written_after_the_number_names_that_document() -> None:
    for text, expected in (
        ("KH 187/HU trien khai van ban nao", ("KH", "187", "HU")),
        ("NQ 05/TU noi gi", ("NQ", "5", "TU")),
        ("kl 12/tw ban hanh ngay nao", ("KL", "12", "TW")),
        ("NQ 18-TW la gi", ("NQ", "18", "TW")),
    ):
        ref = understand(text).refs[0]
        assert (ref.code, ref.number, ref.issuer_code) == expected, text


def test_codes_joined_to_numbers_and_glued_type_names() -> None:
    for text in ("NQ-18 nói gì", "nq.18 noi gi", "nghiquyet 18 noi gi", "NghịQuyết 18 nói gì"):
        ref = understand(text).refs[0]
        assert (ref.code, ref.number) == ("NQ", "18"), text
    ref = understand("QĐ 08-QĐi: ủy viên phải gương mẫu thế nào").refs[0]  # a code, not an issuer
    assert (ref.code, ref.number) == ("QĐi", "8")
    q = understand("nq so 18 cua bct")
    assert (q.kind, q.level) == (AnswerKind.SUBJECT, "TW")


def test_a_committee_and_its_place_are_not_a_content_question() -> None:
    q = understand("huong dan 12 cua ban tuyen giao tinh uy hoa binh noi gi")
    # the board of the provincial committee: its own issuer code (BTGTU), not a content word
    assert (q.kind, q.level) == (AnswerKind.SUBJECT, "BTGTU")


async def test_a_committees_board_answers_for_the_province(service: SearchService) -> None:
    answer = await service.ask("huong dan 12 cua ban tuyen giao tinh uy hoa binh noi gi")
    assert answer.directive is not None and answer.directive.id == "12-HD/BTGTU"


async def test_code_before_number_with_issuer_finds_the_plan(service: SearchService) -> None:
    answer = await service.ask("KH 55/HU trien khai van ban nao")
    assert answer.directive is not None and answer.directive.id == "55-KH/HU"
    assert "18-NQ/TW" in answer.headline


async def test_newest_document_on_a_topic_is_the_one_in_force(service: SearchService) -> None:
    for text in (
        "Chỉ thị mới nhất về phòng cháy chữa cháy rừng là chỉ thị nào?",
        "chi thi hien hanh ve phong chay chua chay rung",
    ):
        answer = await service.ask(text)
        assert answer.directive is not None and answer.directive.id == "31-CT/TW", text


async def test_the_relation_verb_names_the_type_asked_for(service: SearchService) -> None:
    answer = await service.ask("van ban nao huong dan tuyen truyen nghi quyet 18")
    assert "12-HD/BTGTU" in answer.headline
    assert "40-KH/TU" not in answer.headline
    plans = await service.ask("van ban nao trien khai nghi quyet 18")
    assert "40-KH/TU" in plans.headline or "55-KH/HU" in plans.headline


async def test_two_documents_asked_together_are_both_answered(service: SearchService) -> None:
    answer = await service.ask("chỉ thị 20 và chỉ thị 31 ban hành ngày nào")
    first_lines = "\n".join([answer.headline, *answer.details[:1]])
    assert "01-02-2023" in first_lines and "05-05-2025" in first_lines


async def test_signer_named_in_the_next_paragraph_is_quoted(service: SearchService) -> None:
    answer = await service.ask("Quy định 77 do ai ký?")
    assert "Trần Văn Nam" in "\n".join([answer.headline, *answer.details])


def test_follow_ups_name_the_previous_document_only_when_they_ask_about_it() -> None:
    assert follow_up("ban hành ngày nào?", "31-CT/TW") == "31-CT/TW ban hành ngày nào?"
    assert follow_up("nó thay thế chỉ thị nào", "31-CT/TW") == "31-CT/TW thay thế chỉ thị nào"
    assert follow_up("văn bản này do ai ký", "31-CT/TW") == "31-CT/TW do ai ký"
    for new_question in (
        "Kết luận 21 nói gì",
        "chỉ thị nào về phòng cháy rừng",
        "quy định về bảo vệ bí mật ban hành khi nào",
    ):
        assert follow_up(new_question, "31-CT/TW") is None, new_question


async def test_passages_left_out_of_a_topic_search_cannot_reach_the_floor(
    service: SearchService, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(topic, "CANDIDATE_SHARE", 0)  # restrict even in a small corpus
    live = service.live
    tokens = content_query_tokens("cấp ủy đưa tin trồng rừng gỗ lớn")
    share = coverage(live, tokens)
    within = share.candidates(live, FOUND_COVERAGE)
    assert within is not None
    kept = set(within.tolist())
    hits = live.bm25.search(tokens, top_k=len(live.passages))
    assert any(share(h.matched) >= FOUND_COVERAGE for h in hits)
    for hit in hits:
        if share(hit.matched) >= FOUND_COVERAGE:
            assert hit.doc in kept
