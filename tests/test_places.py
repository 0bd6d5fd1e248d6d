"""index/places.py: the province an article reports on, and whether it is a local
document's own page."""

from __future__ import annotations

from datetime import date

from index.places import article_context


def test_place_from_the_committee_named_in_the_article() -> None:
    ctx = article_context(
        "Hội nghị quán triệt nghị quyết",
        "Ngày 6/10/2021, Tỉnh ủy Hà Giang ban hành Nghị quyết số 08-NQ/TU. Thường trực Tỉnh ủy"
        " Hà Giang chỉ đạo. Đoàn công tác của tỉnh Cao Bằng đến thăm.",
        published=date(2021, 10, 9),
    )
    assert (ctx.place, ctx.published, ctx.local) == ("ha giang", date(2021, 10, 9), False)


def test_place_from_the_province_when_no_committee_is_named() -> None:
    ctx = article_context(
        "Nghị quyết về chuyển đổi số tỉnh Cà Mau",
        "Tháng 4/2022, Ban Thường vụ Tỉnh ủy vừa có Nghị quyết số 31-NQ/TU về số hóa.",
        source="Đảng bộ tỉnh Cà Mau",
    )
    assert ctx.place == "ca mau"


def test_no_place_when_provinces_are_named_equally() -> None:
    ctx = article_context("", "Tỉnh ủy Hà Giang và Tỉnh ủy Cao Bằng ký kết hợp tác.")
    assert ctx.place == ""


def test_a_local_document_page() -> None:
    assert article_context("", "TỈNH ỦY HÀ GIANG\n\nSố 12-KL/TƯ\n\nNội dung.").local
    assert article_context(
        "Kết luận của Tỉnh ủy Hà Giang", "Số 12-KL/TƯ Hà Giang, ngày 1/2/2022"
    ).local
    assert not article_context("Kết luận của Bộ Chính trị", "Số 12-KL/TƯ").local
