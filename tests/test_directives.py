"""index/directives.py: every mention of a document, across articles, becomes one record.

Inputs are (passage id, article id, text) triples written here; each test
states which articles say what.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from index.directives import (
    directive_from_data,
    directive_to_data,
    make_key,
    merge,
    same_place,
    term_for,
)
from index.models import Directive
from index.normalize import clean_text
from index.passages import split_passages
from index.places import ArticleContext

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"

KL21 = "KL|21|TW|2021"


def _related(d: Directive) -> set[tuple[str, str, str]]:
    return {(r.id, r.relation, r.key) for r in d.related}


def test_mentions_across_articles_merge_into_one_record() -> None:
    result = merge(
        [
            (
                1,
                10,
                "Kết luận số 21-KL/TW ngày 25-10-2021 của Ban Chấp hành Trung ương về đẩy mạnh"
                " xây dựng, chỉnh đốn Đảng.",
            ),
            (
                2,
                11,
                "Hội nghị quán triệt Kết luận 21-KL/TW ngày 25/10/2021 của Ban Chấp hành Trung ương"
                " khóa XIII.",
            ),
            (3, 12, "KẾT LUẬN SỐ 21-KL/TW NGÀY 25 THÁNG 10 NĂM 2021"),
        ]
    )
    assert list(result.directives) == [KL21]
    d = result.directives[KL21]
    assert (d.id, d.type, d.code, d.number, d.issuer_code) == (
        "21-KL/TW",
        "Kết luận",
        "KL",
        "21",
        "TW",
    )
    assert (d.date, d.issuer, d.term) == (date(2021, 10, 25), "Ban Chấp hành Trung ương", "XIII")
    assert d.subject == "về đẩy mạnh xây dựng, chỉnh đốn Đảng"
    assert (d.mention_count, d.article_count) == (3, 3)
    assert d.disagreements == ()
    assert sorted(result.mentions) == [(1, KL21, True), (2, KL21, True), (3, KL21, True)]


def test_majority_date_wins_and_the_disagreement_is_noted() -> None:
    result = merge(
        [
            (1, 1, "Kết luận số 21-KL/TW ngày 25-10-2021 của Ban Chấp hành Trung ương."),
            (2, 2, "Kết luận số 21-KL/TW ngày 25-10-2021."),
            # one article, one vote: repeating the wrong date does not outvote the others
            (3, 3, "Kết luận số 21-KL/TW ngày 26-10-2021."),
            (4, 3, "Nhắc lại Kết luận số 21-KL/TW ngày 26-10-2021."),
            (5, 3, "Và lần nữa Kết luận số 21-KL/TW ngày 26-10-2021."),
        ]
    )
    assert list(result.directives) == [KL21]
    d = result.directives[KL21]
    assert d.date == date(2021, 10, 25)
    assert d.disagreements == (
        "Ngày ban hành theo đa số bài là 25-10-2021; có bài ghi 26-10-2021 (1 bài).",
    )
    assert (d.mention_count, d.article_count) == (5, 3)


def test_issuing_body_disagreement_is_noted() -> None:
    result = merge(
        [
            (1, 1, "Kết luận số 14-KL/TW ngày 22-9-2021 của Bộ Chính trị về khuyến khích cán bộ."),
            (2, 2, "Kết luận số 14-KL/TW ngày 22-9-2021 của Bộ Chính trị."),
            (3, 3, "Kết luận số 14-KL/TW ngày 22-9-2021 của Ban Bí thư."),
        ]
    )
    d = result.directives["KL|14|TW|2021"]
    assert d.issuer == "Bộ Chính trị"
    assert d.disagreements == (
        "Cơ quan ban hành theo đa số bài là Bộ Chính trị; có bài ghi Ban Bí thư (1 bài).",
    )


def test_same_number_in_two_terms_stays_two_records() -> None:
    result = merge(
        [
            (
                1,
                1,
                "Nghị quyết số 18-NQ/TW ngày 25-10-2017 của Ban Chấp hành Trung ương khóa XII về một"
                " số vấn đề về tiếp tục đổi mới, sắp xếp tổ chức bộ máy.",
            ),
            (
                2,
                2,
                "Nghị quyết số 18-NQ/TW ngày 16-6-2022 của Ban Chấp hành Trung ương về tiếp tục đổi"
                " mới, hoàn thiện thể chế.",
            ),
            # undated mentions join the year of their own article ...
            (3, 2, "Nghị quyết số 18-NQ/TW được quán triệt sâu rộng."),
            # ... or the one their term points to
            (4, 3, "Nghị quyết số 18-NQ/TW (khóa XII) được sơ kết."),
        ]
    )
    assert set(result.directives) == {"NQ|18|TW|2017", "NQ|18|TW|2022"}
    old, new = result.directives["NQ|18|TW|2017"], result.directives["NQ|18|TW|2022"]
    assert old.id == new.id == "18-NQ/TW"
    assert (old.date, old.term, old.article_count) == (date(2017, 10, 25), "XII", 2)
    assert (new.date, new.term, new.article_count) == (date(2022, 6, 16), "XIII", 1)
    assert old.subject is not None and old.subject.startswith("về một số vấn đề")
    assert new.subject == "về tiếp tục đổi mới, hoàn thiện thể chế"
    assert sorted(result.mentions) == [
        (1, "NQ|18|TW|2017", True),
        (2, "NQ|18|TW|2022", True),
        (3, "NQ|18|TW|2022", True),
        (4, "NQ|18|TW|2017", True),
    ]


def test_a_document_replacing_its_namesake_of_an_earlier_term() -> None:
    text = (
        "Lớp học quán triệt Hướng dẫn số 3-HD/TW ngày 1/10/2021 của Ban Bí thư về công tác"
        " đảng viên. Hướng dẫn này thay thế Hướng dẫn số 3-HD/TW ngày 5/9/2016 của Ban Bí thư"
        " khóa XII về kết nạp đảng viên, có nhiều điểm mới."
    )
    result = merge([(1, 1, text)])
    new, old = result.directives["HD|3|TW|2021"], result.directives["HD|3|TW|2016"]
    assert (new.subject, old.subject) == ("về công tác đảng viên", "về kết nạp đảng viên")
    assert (new.issuer, old.issuer, old.term) == ("Ban Bí thư", "Ban Bí thư", "XII")
    assert _related(new) == {("03-HD/TW", "replaces", "HD|3|TW|2016")}
    assert _related(old) == {("03-HD/TW", "replaced_by", "HD|3|TW|2021")}


def test_same_number_different_issuer_or_type_are_different_documents() -> None:
    result = merge(
        [
            (1, 1, "Kết luận số 21-KL/TW ngày 25-10-2021 của Ban Chấp hành Trung ương."),
            (2, 2, "Kết luận số 21-KL/TU ngày 10-1-2022 của Ban Thường vụ Tỉnh ủy Thanh Hóa."),
            (3, 3, "Nghị quyết số 21-NQ/TW ngày 16-6-2022 của Ban Chấp hành Trung ương."),
            (4, 4, "Chỉ thị số 21-CT/TW ngày 2-3-2023 của Ban Bí thư."),
        ]
    )
    assert set(result.directives) == {
        KL21,
        "KL|21|TU|2022|thanh hoa",
        "NQ|21|TW|2022",
        "CT|21|TW|2023",
    }
    local = result.directives["KL|21|TU|2022|thanh hoa"]
    assert (local.id, local.issuer, local.term) == (
        "21-KL/TU",
        "Ban Thường vụ Tỉnh ủy Thanh Hóa",
        None,
    )
    assert not local.is_central and result.directives[KL21].is_central


def test_short_reference_resolves_to_the_full_one() -> None:
    result = merge(
        [
            (1, 1, "Kết luận số 21-KL/TW ngày 25-10-2021 của Ban Chấp hành Trung ương."),
            (2, 1, "Theo Kết luận 21, toàn Đảng phải kiên quyết."),  # same article
            (3, 2, "Ban Thường vụ sẽ kiểm tra việc thực hiện Kết luận số 21."),  # another article
            (4, 3, "Chỉ thị 99 chưa ai nhắc đầy đủ."),  # nothing to resolve to: left out
        ]
    )
    assert list(result.directives) == [KL21]
    assert sorted(result.mentions) == [(1, KL21, True), (2, KL21, False), (3, KL21, False)]
    assert result.directives[KL21].mention_count == 3


def test_short_reference_prefers_its_own_article_then_the_central_document() -> None:
    result = merge(
        [
            (1, 1, "Kết luận số 21-KL/TW ngày 25-10-2021 của Ban Chấp hành Trung ương."),
            (2, 2, "Kết luận số 21-KL/TU ngày 10-1-2022 của Ban Thường vụ Tỉnh ủy Thanh Hóa."),
            (3, 2, "Thực hiện Kết luận 21, các huyện đã xây dựng kế hoạch."),  # the local one
            (4, 3, "Theo Kết luận 21, toàn Đảng phải kiên quyết."),  # central among several
        ]
    )
    assert dict(((pid, key) for pid, key, _ in result.mentions)) == {
        1: KL21,
        2: "KL|21|TU|2022|thanh hoa",
        3: "KL|21|TU|2022|thanh hoa",
        4: KL21,
    }


def test_ambiguous_short_reference_is_left_out() -> None:
    result = merge(
        [
            (1, 1, "Kết luận số 21-KL/TU ngày 10-1-2022 của Ban Thường vụ Tỉnh ủy Thanh Hóa."),
            (2, 2, "Kết luận số 21-KL/HU ngày 12-1-2022 của Ban Thường vụ Huyện ủy Nga Sơn."),
            (3, 3, "Kết luận 21 nói gì?"),
        ]
    )
    assert [pid for pid, _, _ in result.mentions] == [1, 2]


def test_short_reference_with_a_central_body_makes_a_record() -> None:
    result = merge([(1, 1, "Thực hiện Nghị quyết 58 của Bộ Chính trị, tỉnh đã đạt nhiều kết quả.")])
    (key,) = result.directives
    d = result.directives[key]
    assert key == make_key("NQ", "58", "TW", "")
    assert (d.id, d.issuer_code, d.issuer, d.date) == ("58-NQ/TW", "TW", "Bộ Chính trị", None)
    assert result.mentions == [(1, key, False)]


def test_relations_are_stored_both_ways() -> None:
    result = merge(
        [
            (1, 1, "Kết luận số 21-KL/TW ngày 25-10-2021 của Ban Chấp hành Trung ương."),
            (
                2,
                2,
                "Kế hoạch số 03-KH/TW ngày 01-12-2021 của Bộ Chính trị thực hiện Kết luận số"
                " 21-KL/TW của Ban Chấp hành Trung ương.",
            ),
            (
                3,
                3,
                "Quy định số 37-QĐi/TW ngày 25-10-2021 về những điều đảng viên không được làm,"
                " thay thế Quy định số 47-QĐ/TW ngày 01-11-2011.",
            ),
        ]
    )
    kh03, kl21 = result.directives["KH|3|TW|2021"], result.directives[KL21]
    assert _related(kh03) == {("21-KL/TW", "implements", KL21)}
    assert _related(kl21) == {("03-KH/TW", "implemented_by", "KH|3|TW|2021")}
    q37, q47 = result.directives["QĐi|37|TW|2021"], result.directives["QĐi|47|TW|2011"]
    assert _related(q37) == {("47-QĐ/TW", "replaces", "QĐi|47|TW|2011")}
    assert _related(q47) == {("37-QĐi/TW", "replaced_by", "QĐi|37|TW|2021")}


def test_relation_to_a_short_reference_resolved_elsewhere() -> None:
    result = merge(
        [
            (1, 1, "Kết luận số 21-KL/TW ngày 25-10-2021 của Ban Chấp hành Trung ương."),
            (
                2,
                2,
                "Kế hoạch số 03-KH/TW ngày 01-12-2021 của Bộ Chính trị về thực hiện Kết luận 21.",
            ),
        ]
    )
    assert _related(result.directives["KH|3|TW|2021"]) == {("21-KL/TW", "implements", KL21)}
    assert _related(result.directives[KL21]) == {("03-KH/TW", "implemented_by", "KH|3|TW|2021")}


def test_type_word_wins_over_a_wrong_code() -> None:
    result = merge(
        [
            (
                1,
                1,
                "Kết luận số 14-NQ/TW ngày 22-9-2021 của Bộ Chính trị về chủ trương khuyến khích.",
            ),
            (2, 2, "Kết luận số 14-KL/TW ngày 22-9-2021 của Bộ Chính trị."),
        ]
    )
    assert list(result.directives) == ["KL|14|TW|2021"]
    d = result.directives["KL|14|TW|2021"]
    assert (d.id, d.type, d.code) == ("14-KL/TW", "Kết luận", "KL")
    assert d.article_count == 2
    # a mistyped code alone still gives the type word's id
    only = merge([(1, 1, "Kết luận số 14-NQ/TW ngày 22-9-2021 của Bộ Chính trị.")]).directives
    assert [(k, d.id) for k, d in only.items()] == [("KL|14|TW|2021", "14-KL/TW")]


@pytest.mark.parametrize(
    ("written", "expected_id"),
    [(["QĐ", "QĐ", "QĐi"], "41-QĐ/TW"), (["QĐi", "QĐi", "QĐ"], "41-QĐi/TW")],
)
def test_display_code_follows_the_majority_spelling(written: list[str], expected_id: str) -> None:
    result = merge(
        [
            (i, i, f"Quy định số 41-{code}/TW ngày 03-11-2021 của Bộ Chính trị.")
            for i, code in enumerate(written)
        ]
    )
    assert [(k, d.id, d.type) for k, d in result.directives.items()] == [
        ("QĐi|41|TW|2021", expected_id, "Quy định")
    ]


def test_display_id_zero_pads_the_number() -> None:
    result = merge(
        [
            (1, 1, "Kế hoạch số 3-KH/TW ngày 01-12-2021 của Bộ Chính trị."),
            (2, 2, "Kế hoạch số 03-KH/TW ngày 01-12-2021 của Bộ Chính trị."),
            (3, 3, "Quy định số 105-QĐ/TW ngày 19-12-2017 của Ban Chấp hành Trung ương."),
        ]
    )
    kh = result.directives["KH|3|TW|2021"]
    assert (kh.id, kh.number, kh.article_count) == ("03-KH/TW", "3", 2)
    assert result.directives["QĐi|105|TW|2017"].id == "105-QĐ/TW"


def test_term_comes_from_the_date_for_central_documents_only() -> None:
    result = merge(
        [
            (1, 1, "Kết luận số 12-KL/TW ngày 12-8-2021 của Bộ Chính trị."),
            (2, 2, "Kết luận số 12-KL/TU ngày 12-8-2021 của Ban Thường vụ Tỉnh ủy Cần Thơ."),
        ]
    )
    assert result.directives["KL|12|TW|2021"].term == "XIII"
    assert result.directives["KL|12|TU|2021|can tho"].term is None
    assert [term_for(d) for d in (date(2021, 2, 1), date(2021, 1, 31), date(2010, 10, 22))] == [
        "XIII",
        "XII",
        "X",
    ]
    assert term_for(None) is None and term_for(date(1990, 1, 1)) is None


def test_directive_data_round_trip() -> None:
    result = merge(
        [
            (
                1,
                1,
                "Kết luận số 21-KL/TW ngày 25-10-2021 của Ban Chấp hành Trung ương về đẩy mạnh"
                " xây dựng Đảng.",
            ),
            (
                2,
                2,
                "Kế hoạch số 03-KH/TW ngày 01-12-2021 của Bộ Chính trị thực hiện Kết luận số"
                " 21-KL/TW.",
            ),
            (3, 3, "Kết luận số 21-KL/TW ngày 26-10-2021."),
        ]
    )
    for d in result.directives.values():
        assert directive_from_data(directive_to_data(d)) == d


def test_merge_of_nothing() -> None:
    result = merge([])
    assert result.directives == {} and result.mentions == []
    plain = merge([(1, 1, "Phát biểu kết luận hội nghị, đồng chí Bí thư nhấn mạnh.")])
    assert plain.directives == {} and plain.mentions == []


def test_seed_article() -> None:
    if not SEEDS.is_dir() or not list(SEEDS.glob("*.txt")):
        pytest.skip(f"seed articles not found at {SEEDS}")
    text = clean_text(sorted(SEEDS.glob("*.txt"))[0].read_text(encoding="utf-8"))
    passages = [(i, 1, p) for i, p in enumerate(split_passages(text))]
    result = merge(passages)
    assert set(result.directives) == {
        KL21,
        "KH|3|TW|2021",
        "KL|14|TW|2021",
        "QĐi|41|TW|2021",
        "KL|12|TW|2021",
        "KL|13|TW|2021",
        "CT|48|TW|2010",
        "KL|15|TW|2021",
        "CT|46|TW|2015",
        "CT|10|TW|2021",
        "NQ|58|TW|",
    }
    d = result.directives
    assert d[KL21].date == date(2021, 10, 25) and d[KL21].term == "XIII"
    assert d["KL|14|TW|2021"].id == "14-KL/TW"
    assert d["KL|13|TW|2021"].date == date(2021, 8, 16)
    assert _related(d["KL|13|TW|2021"]) == {("48-CT/TW", "implements", "CT|48|TW|2010")}
    assert _related(d["CT|46|TW|2015"]) == {("15-KL/TW", "implemented_by", "KL|15|TW|2021")}
    assert ("03-KH/TW", "implemented_by", "KH|3|TW|2021") in _related(d[KL21])
    # "Kết luận số 21" and "Kết luận số 14" later in the article count as mentions
    assert d[KL21].mention_count == 3 and d["KL|14|TW|2021"].mention_count == 2


def test_two_provinces_with_the_same_number_stay_two_documents() -> None:
    result = merge(
        [
            (
                1,
                1,
                "Kết luận số 21-KL/TU ngày 5-1-2022 của Ban Thường vụ Tỉnh ủy Thanh Hóa về du lịch.",
            ),
            (
                2,
                2,
                "Kết luận số 21-KL/TU ngày 10-3-2022 của Ban Thường vụ Tỉnh ủy Nghệ An về chuyển đổi số.",
            ),
            (3, 3, "Hội nghị quán triệt Kết luận số 21-KL/TU ngày 10-3-2022 về chuyển đổi số."),
        ]
    )
    thanh_hoa = result.directives["KL|21|TU|2022|thanh hoa"]
    nghe_an = result.directives["KL|21|TU|2022|nghe an"]
    assert thanh_hoa.issuer == "Ban Thường vụ Tỉnh ủy Thanh Hóa" and thanh_hoa.disagreements == ()
    # the mention without a place joins the province whose date it carries
    assert (nghe_an.mention_count, nghe_an.article_count) == (2, 2)


# -- what the article adds: publication date, place, its own header --------------------


def _ctx(title: str = "", published: date | None = None, place: str = "", local: bool = False):  # type: ignore[no-untyped-def]
    return ArticleContext(title, published, place, local)


def test_year_less_date_takes_the_publication_year() -> None:
    text = "Ngày 5/4, Bộ Chính trị đã ban hành Quy định số 77-QĐ/TW về công tác cán bộ."
    result = merge([(1, 1, text)], {1: _ctx(published=date(2024, 4, 9))})
    assert result.directives["QĐi|77|TW|2024"].date == date(2024, 4, 5)
    # early in January, "5/12" is last year's December, never a date after publication
    result = merge([(1, 1, text.replace("5/4", "5/12"))], {1: _ctx(published=date(2024, 1, 9))})
    assert result.directives["QĐi|77|TW|2023"].date == date(2023, 12, 5)
    # too far from publication to be sure of the year, or no publication date: no date
    far = merge([(1, 1, text)], {1: _ctx(published=date(2024, 12, 1))})
    assert [d.date for d in far.directives.values()] == [None]
    assert [d.date for d in merge([(1, 1, text)]).directives.values()] == [None]


def test_what_a_document_is_about_beats_what_it_replaces() -> None:
    text = (
        "Thay mặt Ban Bí thư, đồng chí Thường trực Ban Bí thư đã ký ban hành Chỉ thị số 12-CT/TW"
        " ngày 1/2/2022 về công tác phòng cháy ở khu dân cư.\n\nChỉ thị 12 thay thế Chỉ thị số"
        " 3-CT/TW ngày 5/5/2016 của Ban Bí thư, trong điều kiện đô thị hóa nhanh ở nhiều tỉnh."
    )
    result = merge([(i, 1, p) for i, p in enumerate(split_passages(clean_text(text)))])
    subject = result.directives["CT|12|TW|2022"].subject
    assert subject == "về công tác phòng cháy ở khu dân cư"


def test_a_signing_sentence_without_a_number_names_the_last_document_of_its_type() -> None:
    result = merge(
        [
            (1, 1, "Chi bộ quán triệt Chỉ thị số 20-CT/TW ngày 2/3/2023 về giảm nghèo bền vững."),
            (2, 1, "Chỉ thị do đồng chí Lê Văn Tám, Tổng Bí thư, thay mặt Bộ Chính trị ký."),
            (3, 1, "Cùng kỳ, tỉnh học tập Kết luận số 9-KL/TW ngày 1/1/2023 về y tế."),
            (4, 1, "Văn bản này do Thường trực Ban Bí thư Hà Văn Nam ký."),
            # another article's signing sentence names nothing of this one
            (5, 2, "Chỉ thị do Tổng Bí thư Đỗ Văn Ba ký."),
        ]
    )
    ct20, kl9 = result.directives["CT|20|TW|2023"], result.directives["KL|9|TW|2023"]
    assert (ct20.signer, ct20.issuer) == ("Lê Văn Tám", "Bộ Chính trị")
    assert kl9.signer == "Hà Văn Nam"


def test_an_issuing_clause_without_a_number_dates_the_last_document_of_its_type() -> None:
    named = "Chi bộ học tập Chỉ thị số 12-CT/TW về phòng chống thiên tai."
    passive = "Chỉ thị được Ban Bí thư ban hành ngày 5/4/2022. Chi bộ đã làm theo."
    ct12 = merge([(1, 1, named), (2, 1, passive)]).directives["CT|12|TW|"]
    assert (ct12.date, ct12.issuer) == (date(2022, 4, 5), "Ban Bí thư")
    after = "Nghị quyết này ban hành ngày 3/2/2021 của Bộ Chính trị."
    nq8 = merge([(1, 1, "Tỉnh học Nghị quyết số 8-NQ/TW về du lịch. " + after)])
    assert (nq8.directives["NQ|8|TW|"].date, nq8.directives["NQ|8|TW|"].issuer) == (
        date(2021, 2, 3),
        "Bộ Chính trị",
    )
    # a qualified name, another body, a passing "trong đó có …" or another year: not this one
    for other in (
        "Chỉ thị chuyên đề được Tỉnh ủy ban hành ngày 5/4/2022.",
        "Chỉ thị được Tỉnh ủy Bắc Ninh ban hành ngày 5/4/2022.",
        "Huyện triển khai nhiều văn bản, trong đó có Chỉ thị được ban hành ngày 5/4/2022.",
    ):
        assert merge([(1, 1, named), (2, 1, other)]).directives["CT|12|TW|"].date is None
    dated = "Chi bộ học tập Chỉ thị số 12-CT/TW ngày 1/2/2019 về phòng chống thiên tai."
    assert merge([(1, 1, dated), (2, 1, passive)]).directives["CT|12|TW|2019"].date == date(
        2019, 2, 1
    )


def test_a_purpose_is_the_subject_only_when_no_article_says_what_it_is_about() -> None:
    purpose = "Nghị quyết số 43-NQ/TW ngày 24/11/2023 nhằm phát huy sức mạnh đại đoàn kết."
    about = "Nghị quyết số 43-NQ/TW ngày 24/11/2023 về tiếp tục phát huy truyền thống."
    assert merge([(1, 1, purpose)]).directives["NQ|43|TW|2023"].subject == (
        "nhằm phát huy sức mạnh đại đoàn kết"
    )
    both = merge([(1, 1, purpose), (2, 2, purpose), (3, 3, about)])
    assert both.directives["NQ|43|TW|2023"].subject == "về tiếp tục phát huy truyền thống"


def test_an_issuing_sentence_without_a_number_speaks_of_the_only_document_of_its_type() -> None:
    lead = (
        "Ngày 6/3/2023, thay mặt Ban Bí thư, đồng chí Võ Văn Hai đã ký ban hành Chỉ thị mới"
        " của Ban Bí thư về công tác thanh niên."
    )
    later = "Chỉ thị số 21-CT/TW yêu cầu các cấp ủy quan tâm hơn đến đoàn viên."
    result = merge([(1, 1, lead), (2, 1, later)])
    ct21 = result.directives["CT|21|TW|"]
    assert (ct21.date, ct21.issuer, ct21.signer) == (date(2023, 3, 6), "Ban Bí thư", "Võ Văn Hai")
    assert ct21.subject == "về công tác thanh niên"
    # with two Chỉ thị in the article the sentence could be either: it is left alone
    other = "Chỉ thị số 42-CT/TW ngày 24/3/2015 cũng được nhắc lại."
    both = merge([(1, 1, lead), (2, 1, later), (3, 1, other)])
    assert both.directives["CT|21|TW|"].signer is None
    # a local body's document, or one with a qualifier, is another document
    local = "Ngày 6/3/2023, Tỉnh ủy Bến Tre ban hành Chỉ thị về công tác thanh niên."
    assert merge([(1, 1, local), (2, 1, later)]).directives["CT|21|TW|"].date is None
    special = "Ngày 6/3/2023, Ban Bí thư ban hành Chỉ thị chuyên đề về thanh niên."
    assert merge([(1, 1, special), (2, 1, later)]).directives["CT|21|TW|"].date is None
    # a date of another year belongs to another document
    dated = merge([(1, 1, lead), (2, 1, "Chỉ thị số 21-CT/TW ngày 2/1/2019 của Ban Bí thư.")])
    assert dated.directives["CT|21|TW|2019"].signer is None


def test_local_reference_takes_the_place_of_its_article() -> None:
    result = merge(
        [
            (1, 1, "Ngày 6/10/2021, Tỉnh ủy Hà Giang ban hành Nghị quyết số 08-NQ/TU về du lịch."),
            (2, 2, "Nghị quyết số 08-NQ/TU ngày 15-11-2021 về nuôi tôm ven biển ở Cà Mau."),
            (3, 2, "Sơ kết Nghị quyết số 08-NQ/TU."),
        ],
        {1: _ctx(place="ha giang"), 2: _ctx(place="ca mau")},
    )
    assert sorted(result.directives) == ["NQ|8|TU|2021|ca mau", "NQ|8|TU|2021|ha giang"]
    assert result.directives["NQ|8|TU|2021|ca mau"].mention_count == 2


def test_tu_written_for_tw_is_one_document_and_a_local_page_keeps_its_own() -> None:
    result = merge(
        [
            (1, 1, "Quy định số 41-QĐ/TƯ ngày 3-11-2021 về miễn nhiệm."),
            (2, 2, "Quy định số 41-QĐ/TW ngày 3-11-2021 của Bộ Chính trị về miễn nhiệm."),
            (3, 3, "Số 445-KL/TƯ Huế, ngày 13 tháng 5 năm 2022"),
        ],
        {3: _ctx(title="Kết luận Hội nghị Tỉnh ủy về giao thông", place="hue", local=True)},
    )
    d = result.directives
    assert d["QĐi|41|TW|2021"].article_count == 2
    local = d["KL|445|TU|2022|hue"]
    assert (local.id, local.date, local.subject) == (
        "445-KL/TU",
        date(2022, 5, 13),
        "về giao thông",
    )


def test_signer_and_narrower_issuer() -> None:
    result = merge(
        [
            (
                1,
                1,
                "Ngày 9/5/2024, thay mặt Bộ Chính trị, Tổng Bí thư Nguyễn Văn An đã ký ban hành"
                " Quy định số 44-QĐ/TW về đạo đức.",
            ),
            (2, 2, "Quy định 44-QĐ/TW do Ban Chấp hành Trung ương ban hành ngày 9/5/2024."),
        ]
    )
    d = result.directives["QĐi|44|TW|2024"]
    # one article each: the narrower body wins the tie, the other is noted
    assert (d.signer, d.issuer) == ("Nguyễn Văn An", "Bộ Chính trị")
    assert "Ban Chấp hành Trung ương (1 bài)" in d.disagreements[0]
    assert directive_from_data(directive_to_data(d)) == d


def test_subjects_are_voted_regardless_of_case_and_passing_mentions_count_last() -> None:
    result = merge(
        [
            (1, 1, "Quy định 60-QĐ/TW năm 2022 về kỷ luật đảng viên."),
            (2, 2, "Quy định 60-QĐ/TW năm 2022 về Kỷ luật Đảng viên."),
            (3, 3, "Quy định 60-QĐ/TW năm 2022 về kỷ luật đảng viên vi phạm các điều cấm."),
            (7, 7, "QUY ĐỊNH 60-QĐ/TW NĂM 2022 VỀ KỶ LUẬT ĐẢNG VIÊN"),
            (9, 9, "Quy định 60-QĐ/TW năm 2022 “về kỷ luật đảng viên”"),
            (8, 8, "QUY ĐỊNH 60-QĐ/TW NĂM 2022 VỀ KỶ LUẬT ĐẢNG VIÊN"),
            (4, 4, "cụ thể hóa định hướng của Quy định 60-QĐ/TW về chống lãng phí"),
            (5, 5, "cụ thể hóa định hướng của Quy định 60-QĐ/TW về chống lãng phí"),
            (6, 6, "cụ thể hóa định hướng của Quy định 60-QĐ/TW về chống lãng phí"),
        ]
    )
    assert result.directives["QĐi|60|TW|2022"].subject == "về kỷ luật đảng viên"


def test_undated_mention_of_another_term_is_another_document() -> None:
    result = merge(
        [
            (1, 1, "Nghị quyết số 19-NQ/TW ngày 4-6-2023 về đào tạo nghề."),
            (
                2,
                2,
                "Đã 12 năm kể từ khi có Nghị quyết số 19-NQ/TW của Ban Chấp hành Trung ương khóa X về văn hóa.",
            ),
        ]
    )
    assert sorted(result.directives) == ["NQ|19|TW|", "NQ|19|TW|2023"]
    assert result.directives["NQ|19|TW|"].term == "X"


def test_bare_qd_code_joins_the_quy_dinh_of_that_number() -> None:
    result = merge(
        [
            (1, 1, "Số: 14-QĐ/TW | Hà Nội, ngày 9 tháng 3 năm 2018"),
            (2, 1, "Quy định 14-QĐ/TW về luân chuyển cán bộ."),
        ]
    )
    assert list(result.directives) == ["QĐi|14|TW|2018"]


def test_state_documents_are_records_and_relation_targets() -> None:
    result = merge(
        [
            (
                1,
                1,
                "Nghị quyết số 36/NQ-CP ngày 12/8/2024 của Chính phủ ban hành"
                " kế hoạch triển khai Nghị quyết số 29-NQ/TW;",
            ),
            (2, 1, "Nghị định số 178/2024/NĐ-CP của Chính phủ về chính sách cán bộ."),
        ]
    )
    d = result.directives
    assert d["NQ|36/CP|CP|2024"].id == "36/NQ-CP" and d["NQ|36/CP|CP|2024"].issuer == "Chính phủ"
    assert ("29-NQ/TW", "implements") in {(r.id, r.relation) for r in d["NQ|36/CP|CP|2024"].related}
    assert d["NĐ|178/CP|CP|2024"].id == "178/2024/NĐ-CP"
    assert d["NĐ|178/CP|CP|2024"].type == "Nghị định"


def test_titles_vote_but_are_not_passages() -> None:
    result = merge(
        [(1, 1, "Quy định 50-QĐ/TW được ban hành.")],
        {1: _ctx(title="Quy định 50-QĐ/TW năm 2021 về công tác quy hoạch cán bộ")},
    )
    d = result.directives["QĐi|50|TW|2021"]
    assert d.subject == "về công tác quy hoạch cán bộ"
    assert result.mentions == [(1, "QĐi|50|TW|2021", True)]


def test_unnamed_subject_is_the_article_main_document() -> None:
    result = merge(
        [
            (1, 1, "Bộ Chính trị ban hành Nghị quyết 41-NQ/TW ngày 10/10/2023 về doanh nhân."),
            (2, 1, "Nghị quyết 41-NQ/TW nêu rõ nhiều quan điểm mới."),
            (3, 1, "Nghị quyết này thay cho Nghị quyết 16-NQ/TW trước đây về kinh tế tập thể."),
            (4, 1, "So với Nghị quyết 16-NQ/TW, nhiều điểm đã thay đổi."),
        ]
    )
    related = {(r.id, r.relation) for r in result.directives["NQ|41|TW|2023"].related}
    assert related == {("16-NQ/TW", "replaces")}  # the first relation stated wins


def test_title_names_the_issuer_of_the_one_numbered_document() -> None:
    result = merge(
        [
            (
                1,
                1,
                "Quy định số 212 thay thế Kết luận số 48 ngày 14/2/2019 của Bộ Chính trị về tiêu chuẩn.",
            )
        ],
        {1: _ctx(title="Quy định mới của Bộ Chính trị về tiêu chuẩn cán bộ")},
    )
    d = result.directives["QĐi|212|TW|"]
    assert (d.id, d.issuer, d.subject) == ("212-QĐ/TW", "Bộ Chính trị", "về tiêu chuẩn cán bộ")
    assert {(r.id, r.relation) for r in d.related} == {("48-KL/TW", "replaces")}


def test_same_place() -> None:
    assert same_place("hue", "thua thien hue") and same_place("nghe an", "nghe an")
    assert not same_place("thua thien", "thua thien hue") and not same_place("", "hue")
