"""Relation and content questions answered from the named document's articles,
on a real service over articles written for these tests."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from index.query import understand
from index.service import SearchService
from tests.conftest import service_over

ARTICLES = {
    "b1.md": """---
title: Điểm mới của Quy định về kỷ luật đảng viên
url: https://tin.example/b1
published: 2023-03-01
---
Ngày 6/7/2022, Bộ Chính trị ban hành Quy định số 69-QĐ/TW về kỷ luật tổ chức đảng, đảng viên vi phạm, thay thế Quy định số 07 ngày 28/8/2018 và Quy định số 102 ngày 15/11/2017.

Hình thức kỷ luật được nêu tại Điều 7 gồm:

- Đối với tổ chức đảng: khiển trách, cảnh cáo, giải tán.

- Đối với đảng viên dự bị: khiển trách, cảnh cáo.

Quy định có 3 chương, 42 điều.

Quy định 69-QĐ/TW nêu rõ các chuẩn mực đạo đức của đảng viên và yêu cầu đảng viên giữ gìn chuẩn mực đạo đức trong mọi hoàn cảnh.

Đây là 4 chuẩn mực cốt lõi.
""",
    "b2.md": """---
title: Sửa đổi quy định kỷ luật
url: https://tin.example/b2
published: 2025-02-20
---
Ngày 14/2/2025, Ban Chấp hành Trung ương ban hành Quy định số 264-QĐ/TW sửa đổi Quy định số 69-QĐ/TW về kỷ luật tổ chức đảng, đảng viên vi phạm.
""",
    "b3.md": """---
title: Nghị quyết mới về doanh nhân
url: https://tin.example/b3
published: 2023-10-12
---
Bộ Chính trị ban hành Nghị quyết số 41-NQ/TW ngày 10/10/2023 về phát huy vai trò của đội ngũ doanh nhân trong thời kỳ mới.

Nghị quyết này thay cho Nghị quyết số 09-NQ/TW ngày 9/12/2011 của Bộ Chính trị về đội ngũ doanh nhân.

Từ chức là việc cán bộ tự nguyện xin thôi giữ chức vụ, theo cách hiểu phổ biến.
""",
    "b5.md": """---
title: Quy định về kiểm soát quyền lực
url: https://tin.example/b5
published: 2023-11-05
---
Quy định số 131-QĐ/TW nêu rõ các hành vi vi phạm kỷ luật trong công tác kiểm tra. Mới đây, Thường trực Ban Bí thư Nguyễn Văn B thay mặt Bộ Chính trị đã ký Quy định 131-QĐ/TW.
""",
    "b6.md": """---
title: Quy định về miễn nhiệm
url: https://tin.example/b6
published: 2021-11-08
---
Bộ Chính trị ban hành Quy định số 41-QĐ/TW về việc miễn nhiệm, từ chức đối với cán bộ.

Trang này in lại số hiệu là Quy định số 41-QĐ/TU về việc miễn nhiệm, từ chức đối với cán bộ.
""",
    "b7.md": """---
title: Quy định mới thay quy định cũ
url: https://tin.example/b7
published: 2024-03-01
---
Ngày 1/3/2024, Ban Bí thư ban hành Quy định số 300-QĐ/TW thay thế Quy định số 200-QĐ/TW về công tác văn thư.
""",
    "b8.md": """---
title: Phát triển tỉnh Thanh Hóa
url: https://tin.example/b8
published: 2022-03-01
---
Bộ Chính trị ban hành Nghị quyết số 58-NQ/TW ngày 5/8/2020 về xây dựng và phát triển tỉnh Thanh Hóa đến năm 2030.

Tỉnh tập trung xây dựng và phát triển hạ tầng giao thông, đô thị và công nghiệp.
""",
    "b4.md": """---
title: Quy định mới về cán bộ
url: https://tin.example/b4
published: 2022-01-05
---
Bộ Chính trị vừa ban hành Quy định số 50-QĐ/TW ngày 27/12/2021.

Quy định này nêu nguyên tắc, yêu cầu trong công tác quy hoạch cán bộ lãnh đạo các cấp.
""",
}


@pytest.fixture
async def service(tmp_path: Path):  # type: ignore[no-untyped-def]
    svc = await service_over(tmp_path, ARTICLES)
    yield svc
    await svc.close()


def test_questions_asking_for_another_document_are_relation_questions() -> None:
    for text in (
        "NQ 41 thay cho nghị quyết nào?",
        "Kết luận 210 gắn với việc tổng kết nghị quyết nào?",
        "chinh phu ra NQ gi de thuc hien NQ 57",
        "truoc NQ 13-NQ/TU co chi thi nao ve chuyen doi so",
    ):
        assert understand(text).kind == "relation", text


def test_the_verb_says_which_side_the_named_document_is_on() -> None:
    acts = understand("Quy định 69 thay thế những văn bản nào?")
    assert (acts.relation, acts.acts) == ("replaces", True)
    acted_on = understand("Văn bản nào hướng dẫn thực hiện Quy định 69?")
    assert (acted_on.relation, acted_on.acts) == ("implements", False)
    assert understand("quy dinh nao sua doi quy dinh 69").asked_code == "QĐi"


async def test_replaced_documents_come_from_the_sentence(service: SearchService) -> None:
    a = await service.ask("Quy định 69 thay thế những văn bản nào?")
    assert a.kind == "relation"
    assert "thay thế" in a.headline
    assert "Quy định số 07" in a.headline and "Quy định số 102" in a.headline


async def test_amending_document_is_found_in_the_right_direction(service: SearchService) -> None:
    a = await service.ask("quy dinh nao sua doi quy dinh 69")
    assert a.headline.startswith("Quy định số 69-QĐ/TW được sửa đổi, bổ sung bởi")
    assert "264-QĐ/TW" in a.headline


async def test_anaphora_sentence_names_the_predecessor(service: SearchService) -> None:
    a = await service.ask("NQ 41 về doanh nhân thay cho nghị quyết nào?")
    assert a.directive is not None and a.directive.id == "41-NQ/TW"
    assert "09-NQ/TW" in a.headline


async def test_content_answer_starts_with_the_best_sentence(service: SearchService) -> None:
    a = await service.ask("Theo Quy định 69, tổ chức đảng bị kỷ luật bằng những hình thức nào?")
    assert a.kind == "content"
    assert "giải tán" in a.headline  # the answer is in a passage that does not name 69
    assert a.details[0].startswith("Quy định số 69-QĐ/TW")  # the card after, not instead
    count = await service.ask("Quy định 69 gồm mấy chương, mấy điều?")
    assert "42 điều" in count.headline


async def test_a_subject_question_is_not_a_content_question() -> None:
    assert understand("Quy định 69 quy định về gì?").kind == "subject"
    assert understand("Quy định 41: miễn nhiệm là gì?").kind == "content"


async def test_topic_question_names_the_current_central_document(service: SearchService) -> None:
    # two resolutions share the topic; the one not replaced is named, BCT means Bộ Chính trị
    a = await service.ask("BCT có nghị quyết nào về đội ngũ doanh nhân k ạ")
    assert a.found and a.directive is not None and a.directive.id == "41-NQ/TW"
    assert a.headline.startswith("Nghị quyết số 41-NQ/TW")
    b = await service.ask("van ban nao ve doi ngu doanh nhan")
    assert b.directive is not None and b.directive.id == "41-NQ/TW"


async def test_a_passage_naming_no_document_speaks_for_its_articles_document(
    service: SearchService,
) -> None:
    a = await service.ask("Quy định về công tác quy hoạch cán bộ là quy định số mấy?")
    assert a.directive is not None and a.directive.id == "50-QĐ/TW"
    assert "quy hoạch cán bộ" in a.passages[0].text


def test_a_count_question_expects_a_number_before_its_noun() -> None:
    shape = understand("Quy định 69 nêu mấy chuẩn mực đạo đức?").shape
    assert shape is not None and shape.search("day la 4 chuan muc cot loi")
    assert not shape.search("cac chuan muc dao duc")
    definition = understand("tu chuc theo quy dinh 41 la gi").shape
    assert definition is not None and definition.search("tu chuc la viec can bo tu nguyen")


async def test_the_sentence_with_the_number_is_shown_first(service: SearchService) -> None:
    a = await service.ask("Quy định 69 nêu mấy chuẩn mực đạo đức?")
    assert "4 chuẩn mực" in a.headline


def test_issuer_answer_shows_the_signer_when_reported() -> None:
    from datetime import date

    from index.answer import _issuer_headline
    from index.models import Directive

    d = Directive(
        "QĐi|9|TW|2024", "09-QĐ/TW", "Quy định", "QĐi", "9", "TW",
        issuer="Bộ Chính trị", date=date(2024, 5, 9), signer="Nguyễn Văn A",
    )  # fmt: skip
    assert _issuer_headline(d) == (
        "Quy định số 09-QĐ/TW do Bộ Chính trị ban hành ngày 09-05-2024; "
        "Nguyễn Văn A ký thay mặt Bộ Chính trị."
    )


async def test_answer_kind_is_plain_text_in_json(service: SearchService) -> None:
    a = await service.ask("Quy định 69 thay thế những văn bản nào?")
    data = a.to_json("text")
    assert data["kind"] == "relation" and type(data["kind"]) is str


def test_who_signed_and_what_was_added_are_told_apart() -> None:
    assert understand("Ai thay mặt Bộ Chính trị ký QĐ 131?").kind == "issuer"
    assert understand("QĐ 368 bổ sung chức danh gì vào nhóm lãnh đạo?").kind == "content"
    assert understand("Quy định 69-QĐ/TW là của Bộ Chính trị hay Trung ương?").kind == "issuer"
    assert understand("NQ 08-NQ/TU là nghị quyết về gì").kind == "subject"


async def test_signer_the_records_lack_is_quoted_from_the_article(service: SearchService) -> None:
    a = await service.ask("Ai thay mặt Bộ Chính trị ký QĐ 131?")
    assert a.kind == "issuer"
    assert "Nguyễn Văn B" in "\n".join([a.headline, *a.details][:2])


async def test_one_document_printed_two_ways_is_not_called_another(
    service: SearchService,
) -> None:
    a = await service.ask("Quy định 41 nói về gì?")
    assert a.directive is not None and a.directive.id == "41-QĐ/TW"
    assert not any("cùng số" in line for line in a.details)


async def test_passive_question_asks_for_the_other_side(service: SearchService) -> None:
    q = understand("Quy định 200 được thay thế bởi văn bản nào?")
    assert (q.relation, q.acts) == ("replaces", False)
    a = await service.ask("Quy định 200 được thay thế bởi văn bản nào?")
    assert "300-QĐ/TW" in a.headline and "được thay thế bởi" in a.headline
    b = await service.ask("Quy định 300 thay thế quy định nào?")
    assert "200-QĐ/TW" in b.headline and "300-QĐ/TW thay thế" in b.headline


async def test_issue_date_the_records_lack_is_quoted_not_the_effective_date(
    service: SearchService, tmp_path: Path
) -> None:
    folder = tmp_path / "more"
    folder.mkdir()
    (folder / "c1.md").write_text(
        "---\ntitle: Quy định thi hành\nurl: https://tin.example/c1\npublished: 2025-06-01\n---\n"
        "Quy định số 77-QĐ/TW về thi hành điều lệ do Trung ương ban hành có hiệu lực từ ngày"
        " 01/7/2025.\n\nTrước đó, ngày 26/5/2025, Tổng Bí thư đã ký ban hành Quy định số 77-QĐ/TW.\n",
        encoding="utf-8",
    )
    await service.ingest([str(folder)])
    a = await service.ask("quy dinh 77 ky ngay nao")
    assert a.kind == "date"
    # the records may hold the date (then shown as 26-05-2025), else the sentence is quoted
    assert re.search(r"26[-/]0?5[-/]2025", a.headline) and "01/7/2025" not in a.headline


async def test_a_province_named_before_the_number_picks_its_document(
    service: SearchService, tmp_path: Path
) -> None:
    folder = tmp_path / "local"
    folder.mkdir()
    for name, place, day in (("d1", "Tiền Giang", "6/10/2021"), ("d2", "Hòa Bình", "24/12/2021")):
        (folder / f"{name}.md").write_text(
            f"---\ntitle: Nghị quyết của {place}\nurl: https://tin.example/{name}\n"
            "published: 2022-01-10\n---\n"
            f"Nghị quyết số 08-NQ/TU ngày {day} của Tỉnh ủy {place} về chuyển đổi số.\n",
            encoding="utf-8",
        )
    await service.ingest([str(folder)])
    a = await service.ask("Tiền Giang ban hành Nghị quyết 08-NQ/TU ngày nào?")
    assert a.directive is not None and a.directive.date is not None
    assert (a.directive.date.day, a.directive.date.month) == (6, 10)
    b = await service.ask("nghi quyet 08 cua tinh uy hoa binh ban hanh ngay nao")
    assert b.directive is not None and b.directive.date is not None
    assert b.directive.date.month == 12


async def test_a_place_no_article_names_keeps_a_neighbour_out(service: SearchService) -> None:
    a = await service.ask("nghi quyet cua bo chinh tri ve xay dung va phat trien tinh nghe an")
    assert not a.found and a.directive is None
    b = await service.ask("Nghị quyết nào về xây dựng và phát triển tỉnh Thanh Hóa?")
    assert b.directive is not None and b.directive.id == "58-NQ/TW"


def test_the_document_asked_for_stands_on_the_verbs_other_side() -> None:
    q = understand("chi thi 48 co ket luan nao tiep tuc thuc hien khong")
    assert (q.relation, q.acts) == ("implements", False)


def test_when_it_takes_effect_is_a_content_question() -> None:
    q = understand("Quy định 69 có hiệu lực từ khi nào?")
    assert q.kind == "content" and q.shape is not None and q.shape.search("co hieu luc tu")


async def test_a_relation_on_the_wrong_side_is_not_claimed(service: SearchService) -> None:
    # the articles say 300 replaces 200; nothing says what replaces 300
    a = await service.ask("Quy định 300 được thay thế bởi văn bản nào?")
    assert "200-QĐ/TW" not in a.headline
