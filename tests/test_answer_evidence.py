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
title: Những điểm đáng chú ý trong quy định khen thưởng
url: https://tin.example/b1
published: 2023-04-10
---
Ngày 3/4/2023, Bộ Chính trị ban hành Quy định số 85-QĐ/TW về khen thưởng trong Đảng, thay thế Quy định số 12 ngày 4/5/2016 và Quy định số 33 ngày 20/9/2019.

Các hình thức khen thưởng được liệt kê ở Điều 5 như sau:

- Với tổ chức đảng: giấy khen, bằng khen, cờ thi đua.

- Với đảng viên mới kết nạp: giấy khen, bằng khen.

Văn bản gồm 4 chương, 31 điều.

Quy định 85-QĐ/TW đặt ra các tiêu chí thi đua của chi bộ và yêu cầu chi bộ duy trì tiêu chí thi đua qua từng năm.

Đây là 5 tiêu chí then chốt.
""",
    "b2.md": """---
title: Điều chỉnh quy định khen thưởng
url: https://tin.example/b2
published: 2025-02-20
---
Ngày 9/1/2025, Bộ Chính trị ban hành Quy định số 270-QĐ/TW sửa đổi Quy định số 85-QĐ/TW về khen thưởng trong Đảng.
""",
    "b3.md": """---
title: Nghị quyết mới về nhà khoa học
url: https://tin.example/b3
published: 2024-06-05
---
Nghị quyết số 37-NQ/TW ngày 2/6/2024 của Bộ Chính trị về nâng cao vị thế của đội ngũ nhà khoa học trong giai đoạn tới.

Nghị quyết này thay cho Nghị quyết số 15-NQ/TW ngày 3/3/2012 của Bộ Chính trị về đội ngũ nhà khoa học.

Tạm đình chỉ là việc cán bộ tạm thời ngừng làm nhiệm vụ được giao, theo cách hiểu thông thường.
""",
    "b5.md": """---
title: Quy định về tiếp công dân
url: https://tin.example/b5
published: 2023-11-05
---
Quy định số 145-QĐ/TW liệt kê những việc cán bộ không được làm khi tiếp công dân. Tuần trước, Thường trực Ban Bí thư Trần Văn C thay mặt Bộ Chính trị đã ký văn bản 145-QĐ/TW.
""",
    "b6.md": """---
title: Quy định về tạm đình chỉ
url: https://tin.example/b6
published: 2021-11-08
---
Quy định số 37-QĐ/TW của Bộ Chính trị về tạm đình chỉ chức vụ đối với cán bộ có sai phạm.

Bài này ghi nhầm số hiệu thành Quy định số 37-QĐ/TU về tạm đình chỉ chức vụ đối với cán bộ có sai phạm.
""",
    "b7.md": """---
title: Quy định mới thay quy định cũ
url: https://tin.example/b7
published: 2024-03-01
---
Ngày 1/3/2024, Ban Bí thư ban hành Quy định số 300-QĐ/TW thay thế Quy định số 200-QĐ/TW về công tác văn thư.
""",
    "b8.md": """---
title: Phát triển tỉnh Quảng Trị
url: https://tin.example/b8
published: 2022-03-01
---
Nghị quyết số 62-NQ/TW ngày 12/9/2021 của Bộ Chính trị về phát triển tỉnh Quảng Trị nhanh và bền vững đến năm 2035.

Tỉnh ưu tiên đầu tư cảng biển, năng lượng sạch và du lịch ven biển.
""",
    "b4.md": """---
title: Quy định mới về cán bộ
url: https://tin.example/b4
published: 2022-01-05
---
Bộ Chính trị vừa ban hành Quy định số 52-QĐ/TW ngày 20/12/2021.

Quy định này đặt ra nguyên tắc, yêu cầu khi luân chuyển cán bộ lãnh đạo giữa các địa phương.
""",
}


@pytest.fixture
async def service(tmp_path: Path):  # type: ignore[no-untyped-def]
    svc = await service_over(tmp_path, ARTICLES)
    yield svc
    await svc.close()


def test_questions_asking_for_another_document_are_relation_questions() -> None:
    for text in (
        "NQ 37 thay cho nghị quyết nào?",
        "Kết luận 95 gắn với việc sơ kết nghị quyết nào?",
        "chinh phu ra NQ gi de thuc hien NQ 57",
        "truoc NQ 21-NQ/TU co chi thi nao ve cai cach hanh chinh",
    ):
        assert understand(text).kind == "relation", text


def test_the_verb_says_which_side_the_named_document_is_on() -> None:
    acts = understand("Quy định 85 thay thế những văn bản nào?")
    assert (acts.relation, acts.acts) == ("replaces", True)
    acted_on = understand("Văn bản nào hướng dẫn thi hành Quy định 85?")
    assert (acted_on.relation, acted_on.acts) == ("implements", False)
    assert understand("quy dinh nao sua doi quy dinh 85").asked_code == "QĐi"


async def test_replaced_documents_come_from_the_sentence(service: SearchService) -> None:
    a = await service.ask("Quy định 85 thay thế những văn bản nào?")
    assert a.kind == "relation"
    assert "thay thế" in a.headline
    assert "Quy định số 12" in a.headline and "Quy định số 33" in a.headline


async def test_amending_document_is_found_in_the_right_direction(service: SearchService) -> None:
    a = await service.ask("quy dinh nao sua doi quy dinh 85")
    assert a.headline.startswith("Quy định số 85-QĐ/TW được sửa đổi, bổ sung bởi")
    assert "270-QĐ/TW" in a.headline


async def test_anaphora_sentence_names_the_predecessor(service: SearchService) -> None:
    a = await service.ask("NQ 37 về nhà khoa học thay cho nghị quyết nào?")
    assert a.directive is not None and a.directive.id == "37-NQ/TW"
    assert "15-NQ/TW" in a.headline


async def test_content_answer_starts_with_the_best_sentence(service: SearchService) -> None:
    a = await service.ask(
        "Theo Quy định 85, tổ chức đảng được khen thưởng bằng những hình thức nào?"
    )
    assert a.kind == "content"
    assert "cờ thi đua" in a.headline  # the answer is in a passage that does not name 85
    assert a.details[0].startswith("Quy định số 85-QĐ/TW")  # the card after, not instead
    count = await service.ask("Quy định 85 gồm mấy chương, mấy điều?")
    assert "31 điều" in count.headline


async def test_a_subject_question_is_not_a_content_question() -> None:
    assert understand("Quy định 85 quy định về gì?").kind == "subject"
    assert understand("Quy định 37: tạm đình chỉ là gì?").kind == "content"


async def test_topic_question_names_the_current_central_document(service: SearchService) -> None:
    # two resolutions share the topic; the one not replaced is named, BCT means Bộ Chính trị
    a = await service.ask("BCT có nghị quyết nào về đội ngũ nhà khoa học k ạ")
    assert a.found and a.directive is not None and a.directive.id == "37-NQ/TW"
    assert a.headline.startswith("Nghị quyết số 37-NQ/TW")
    b = await service.ask("van ban nao ve doi ngu nha khoa hoc")
    assert b.directive is not None and b.directive.id == "37-NQ/TW"


async def test_a_passage_naming_no_document_speaks_for_its_articles_document(
    service: SearchService,
) -> None:
    a = await service.ask("Quy định về luân chuyển cán bộ là quy định số mấy?")
    assert a.directive is not None and a.directive.id == "52-QĐ/TW"
    assert "luân chuyển cán bộ" in a.passages[0].text


def test_a_count_question_expects_a_number_before_its_noun() -> None:
    shape = understand("Quy định 85 nêu mấy tiêu chí thi đua?").shape
    assert shape is not None and shape.search("day la 5 tieu chi then chot")
    assert not shape.search("cac tieu chi thi dua")
    definition = understand("tam dinh chi theo quy dinh 37 la gi").shape
    assert definition is not None and definition.search("tam dinh chi la viec can bo tam thoi")


async def test_the_sentence_with_the_number_is_shown_first(service: SearchService) -> None:
    a = await service.ask("Quy định 85 nêu mấy tiêu chí thi đua?")
    assert "5 tiêu chí" in a.headline


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
    a = await service.ask("Quy định 85 thay thế những văn bản nào?")
    data = a.to_json("text")
    assert data["kind"] == "relation" and type(data["kind"]) is str


def test_who_signed_and_what_was_added_are_told_apart() -> None:
    assert understand("QĐ 145 do ai thay mặt Bộ Chính trị ký?").kind == "issuer"
    assert (
        understand("QĐ 412 bổ sung những chức danh nào vào danh mục cán bộ chủ chốt?").kind
        == "content"
    )
    assert (
        understand("Quy định 85-QĐ/TW là văn bản của Ban Bí thư hay của Trung ương?").kind
        == "issuer"
    )
    assert understand("NQ 14-NQ/TU là nghị quyết về gì").kind == "subject"


async def test_signer_the_records_lack_is_quoted_from_the_article(service: SearchService) -> None:
    a = await service.ask("QĐ 145 do ai thay mặt Bộ Chính trị ký?")
    assert a.kind == "issuer"
    assert "Trần Văn C" in "\n".join([a.headline, *a.details][:2])


async def test_one_document_printed_two_ways_is_not_called_another(
    service: SearchService,
) -> None:
    a = await service.ask("Quy định 37 nói về gì?")
    assert a.directive is not None and a.directive.id == "37-QĐ/TW"
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
        "---\ntitle: Quy định bảo vệ nội bộ\nurl: https://tin.example/c1\npublished: 2025-08-20\n---\n"
        "Quy định số 93-QĐ/TW về công tác bảo vệ chính trị nội bộ bắt đầu có hiệu lực từ ngày"
        " 15/8/2025.\n\nTrước đó, ngày 2/8/2025, Tổng Bí thư đã ký ban hành Quy định số 93-QĐ/TW.\n",
        encoding="utf-8",
    )
    await service.ingest([str(folder)])
    a = await service.ask("quy dinh 93 ky ngay nao")
    assert a.kind == "date"
    # the records may hold the date (then shown as 02-08-2025), else the sentence is quoted
    assert re.search(r"0?2[-/]0?8[-/]2025", a.headline) and "15/8/2025" not in a.headline


async def test_a_province_named_before_the_number_picks_its_document(
    service: SearchService, tmp_path: Path
) -> None:
    folder = tmp_path / "local"
    folder.mkdir()
    for name, place, day in (("d1", "Bến Tre", "19/4/2022"), ("d2", "Lai Châu", "11/11/2022")):
        (folder / f"{name}.md").write_text(
            f"---\ntitle: Nghị quyết của {place}\nurl: https://tin.example/{name}\n"
            "published: 2023-01-10\n---\n"
            f"Nghị quyết số 14-NQ/TU ngày {day} của Tỉnh ủy {place} về phát triển du lịch.\n",
            encoding="utf-8",
        )
    await service.ingest([str(folder)])
    a = await service.ask("Bến Tre ban hành Nghị quyết 14-NQ/TU ngày nào?")
    assert a.directive is not None and a.directive.date is not None
    assert (a.directive.date.day, a.directive.date.month) == (19, 4)
    b = await service.ask("nghi quyet 14 cua tinh uy lai chau ban hanh ngay nao")
    assert b.directive is not None and b.directive.date is not None
    assert b.directive.date.month == 11


async def test_a_place_no_article_names_keeps_a_neighbour_out(service: SearchService) -> None:
    a = await service.ask("nghi quyet cua bo chinh tri ve phat trien tinh quang binh")
    assert not a.found and a.directive is None
    b = await service.ask("Nghị quyết nào về phát triển tỉnh Quảng Trị?")
    assert b.directive is not None and b.directive.id == "62-NQ/TW"


def test_the_document_asked_for_stands_on_the_verbs_other_side() -> None:
    q = understand("chi thi 48 co ket luan nao tiep tuc thuc hien khong")
    assert (q.relation, q.acts) == ("implements", False)


def test_when_it_takes_effect_is_a_content_question() -> None:
    q = understand("Quy định 85 có hiệu lực từ khi nào?")
    assert q.kind == "content" and q.shape is not None and q.shape.search("co hieu luc tu")


async def test_a_relation_on_the_wrong_side_is_not_claimed(service: SearchService) -> None:
    # the articles say 300 replaces 200; nothing says what replaces 300
    a = await service.ask("Quy định 300 được thay thế bởi văn bản nào?")
    assert "200-QĐ/TW" not in a.headline
