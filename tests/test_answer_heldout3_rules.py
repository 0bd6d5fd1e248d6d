"""Rules found by the third held-out set, each on articles written for these tests:
a year that dates the named document, the instrument asked for in the active voice,
a level word inside the content asked, documents replacing one with the same number."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.query import understand
from index.service import SearchService
from tests.conftest import service_over

ARTICLES = {
    "y1.md": """---
title: Nghị quyết về phát triển vùng trung du
url: https://tin.example/y1
published: 2022-06-01
---
Ngày 20/5/2022, Bộ Chính trị ban hành Nghị quyết số 37-NQ/TW về phát triển vùng trung du và miền núi.
""",
    "l1.md": """---
title: Lào Cai quy định lịch tiếp công dân
url: https://tin.example/l1
published: 2023-04-10
---
Ngày 3/4/2023, Ban Thường vụ Tỉnh ủy Lào Cai ban hành Quy định số 15-QĐ/TU về việc tiếp công dân của người đứng đầu cấp ủy.

Theo quy định, bí thư cấp huyện tiếp công dân ít nhất hai ngày trong một tháng.
""",
    "h1.md": """---
title: Hướng dẫn mới về công tác thi đua
url: https://tin.example/h1
published: 2024-05-02
---
Ngày 15/4/2024, Ban Bí thư ban hành Hướng dẫn số 03-HD/TW về công tác thi đua, khen thưởng trong Đảng. Hướng dẫn này thay thế Hướng dẫn số 03-HD/TW ngày 10/3/2019 của Ban Bí thư.
""",
}


@pytest.fixture
async def service(tmp_path: Path):  # type: ignore[no-untyped-def]
    svc = await service_over(tmp_path, ARTICLES)
    yield svc
    await svc.close()


async def test_a_year_no_record_has_is_not_found_and_names_the_years_there_are(
    service: SearchService,
) -> None:
    for question in ("Nghị quyết 37 năm 2015 về gì", "nq 37 (2015) la gi"):
        a = await service.ask(question)
        assert not a.found and a.directive is None
        assert a.headline.startswith("Chưa có Nghị quyết số 37 năm 2015")
        assert "Nghị quyết số 37-NQ/TW năm 2022" in a.headline
    right = await service.ask("Nghị quyết 37 ban hành năm 2022 về gì")
    assert right.found and right.directive is not None and right.directive.id == "37-NQ/TW"


async def test_a_year_in_another_role_does_not_date_the_document(
    service: SearchService,
) -> None:
    a = await service.ask("Nghị quyết 37 sơ kết năm 2015 thế nào")
    assert a.directive is not None and a.directive.id == "37-NQ/TW"


def test_the_document_asked_as_the_instrument_is_the_acting_one() -> None:
    for question in (
        "Nghệ An thực hiện Chỉ thị 12 bằng kế hoạch nào",
        "huyen uy trien khai nghi quyet 9 thong qua van ban nao",
        "Chỉ thị 12 được thực hiện bằng kế hoạch nào",
    ):
        assert understand(question).wanted_relation == "implemented_by", question
    # what the named document follows is still on its own side
    assert understand("Chỉ thị 12 thực hiện theo nghị quyết nào").wanted_relation == "implements"


def test_a_level_word_qualifies_the_document_only_right_after_it() -> None:
    assert understand("quy định 15 cấp huyện về gì").level == "HU"
    assert understand("quy dinh 15 cua ban thuong vu tinh uy ve gi").level == "TU"
    assert understand("Quy định 15 do huyện ủy ban hành ngày nào").level == "HU"
    assert understand("qd 15 lao cai bi thu cap huyen tiep dan may ngay").level is None


async def test_a_level_word_in_the_content_asked_keeps_the_provincial_document(
    service: SearchService,
) -> None:
    a = await service.ask("qd 15 lao cai bi thu cap huyen tiep dan may ngay")
    assert a.found and a.directive is not None and a.directive.id == "15-QĐ/TU"
    assert "hai ngày" in a.headline + " ".join(p.text for p in a.passages)


async def test_a_same_number_document_replacing_the_other_is_the_one_answered(
    service: SearchService,
) -> None:
    a = await service.ask("Hướng dẫn 03-HD/TW là gì")
    assert a.found and a.directive is not None and a.directive.date is not None
    assert a.directive.date.year == 2024
    assert a.headline.startswith("Hướng dẫn số 03-HD/TW ngày 15-04-2024")
    assert any("thay thế Hướng dẫn số 03-HD/TW ngày 10-03-2019" in line for line in a.details)
    b = await service.ask("huong dan 03-HD/TW do co quan nao ban hanh")
    assert b.headline == (
        "Hướng dẫn số 03-HD/TW do Ban Bí thư ban hành ngày 15-04-2024. Hướng dẫn số 03-HD/TW"
        " ngày 10-03-2019 mà văn bản này thay thế cũng do Ban Bí thư ban hành."
    )
    old = await service.ask("Hướng dẫn 03 năm 2019 về gì")
    assert old.directive is not None and old.directive.date is not None
    assert old.directive.date.year == 2019
