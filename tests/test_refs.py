"""index/refs.py: finding Party document references in article text and questions.

The table below is the specification: each row is a text, whether it is read
as a question, and the references expected in order of appearance. Every
row checks type code, number, issuer code and date; a row can also pin the
issuing body, term, subject prefix, relations or display id.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from index.normalize import clean_line, clean_text
from index.refs import Ref, find_refs, same_type, title_body, title_subject

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


@dataclass(frozen=True)
class E:
    """Expected reference: the four identity fields plus optional extras."""

    code: str
    number: str
    issuer: str | None = None
    day: date | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def e(
    code: str, number: str, issuer: str | None = None, day: date | None = None, **extra: Any
) -> E:
    return E(code, number, issuer, day, extra)


def _check(ref: Ref, want: E, text: str) -> None:
    got = (ref.code, ref.number, ref.issuer_code, ref.date)
    assert got == (want.code, want.number, want.issuer, want.day), text
    for name, value in want.extra.items():
        if name == "subject_prefix":
            assert ref.subject is not None and ref.subject.startswith(value), (text, ref.subject)
        else:
            assert getattr(ref, name) == value, (name, text, getattr(ref, name))


D_21 = date(2021, 10, 25)
Q = True  # question mode
A = False  # article text

# (text, question mode, expected references)
CASES: list[tuple[str, bool, list[E]]] = [
    # -- full identifiers, every spelling seen in news text ------------------------
    ("Kết luận số 21-KL/TW", A, [e("KL", "21", "TW", display_id="21-KL/TW")]),
    ("Theo 21-KL/TW, toàn Đảng phải kiên quyết", A, [e("KL", "21", "TW")]),
    ("Kết luận số 13 KL/TW ngày 16-8-2021", A, [e("KL", "13", "TW", date(2021, 8, 16))]),
    ("Quy định số 08- QĐi/TW", A, [e("QĐi", "8", "TW", raw_code="QĐi", display_id="08-QĐi/TW")]),
    ("Quy định số31-QĐ/TW", A, [e("QĐi", "31", "TW", raw_code="QĐ", display_id="31-QĐ/TW")]),
    ("văn bản số31-QĐ/TW", A, [e("QĐ", "31", "TW")]),  # bare QĐ: Quyết định
    ("Kết luận 21 - KL / TW", A, [e("KL", "21", "TW")]),
    ("văn bản 21 - KL / TW đã nêu", A, [e("KL", "21", "TW")]),
    ("Số 21-KL/TW", A, [e("KL", "21", "TW")]),
    ("Kết luận số\u00a021-KL/TW", A, [e("KL", "21", "TW")]),  # no-break space
    ("“Kết luận số 21-KL/TW”", A, [e("KL", "21", "TW")]),
    ("Kế hoạch số 03-KH/TW", A, [e("KH", "3", "TW", display_id="03-KH/TW")]),
    ("Kế hoạch số 3-KH/TW", A, [e("KH", "3", "TW", display_id="03-KH/TW")]),
    (
        "Hướng dẫn số 02-HD/TW, Thông báo số 5-TB/TW, Quy chế 10-QC/TW, Chương trình 07-CTr/TU,"
        " Đề án 03-ĐA/TU, Thông tri 1-TT/TW",
        A,
        [
            e("HD", "2", "TW"),
            e("TB", "5", "TW"),
            e("QC", "10", "TW"),
            e("CTr", "7", "TU"),
            e("ĐA", "3", "TU"),
            e("TT", "1", "TW"),
        ],
    ),
    (
        "Quyết định số 99-QĐ/TW ngày 30-5-2012 của Ban Bí thư",
        A,
        [e("QĐ", "99", "TW", date(2012, 5, 30), body="Ban Bí thư")],
    ),
    # -- dates ----------------------------------------------------------------------
    ("Kết luận 21-KL/TW ngày 25-10-2021", A, [e("KL", "21", "TW", D_21)]),
    ("Kết luận 21-KL/TW ngày 25/10/2021", A, [e("KL", "21", "TW", D_21)]),
    ("Kết luận 21-KL/TW ngày 25 tháng 10 năm 2021", A, [e("KL", "21", "TW", D_21)]),
    ("Kết luận 21-KL/TW ngày 25.10.2021", A, [e("KL", "21", "TW", D_21)]),
    ("Kết luận số 14-KL/TW ngày 22-9-2021", A, [e("KL", "14", "TW", date(2021, 9, 22))]),
    ("Kết luận số 21-KL/TW, ngày 25/10/2021", A, [e("KL", "21", "TW", D_21)]),
    ("Kết luận số 21-KL/TW (ngày 25-10-2021)", A, [e("KL", "21", "TW", D_21)]),
    (
        "Nghị quyết 01-NQ/ĐU ngày 5-1-2022 của Đảng ủy Công an tỉnh về công tác",
        A,
        [e("NQ", "1", "ĐU", date(2022, 1, 5), body_issuer="ĐU")],
    ),
    # an impossible date is dropped, the reference kept
    ("Kết luận số 21-KL/TW ngày 31-02-2021", A, [e("KL", "21", "TW", None)]),
    # a date before the reference is the document's when the verb issues it ...
    (
        "Ngày 25-10-2021, Trung ương ban hành Kết luận số 21-KL/TW",
        A,
        [e("KL", "21", "TW", D_21, body="Ban Chấp hành Trung ương")],
    ),
    # ... and the date of something else when it does not
    ("Ngày 25-10-2021, tỉnh quán triệt Kết luận số 21-KL/TW", A, [e("KL", "21", "TW", None)]),
    # -- short back references ------------------------------------------------------
    ("Theo Kết luận số 21, toàn Đảng phải kiên quyết", A, [e("KL", "21", is_full=False)]),
    ("Ban Thường vụ sẽ kiểm tra việc thực hiện Kết luận 21 tại", A, [e("KL", "21")]),
    ("Trong đó có KL 21 của Trung ương", A, [e("KL", "21", body_issuer="TW")]),
    ("theo kl 21 thì", A, []),  # lowercase abbreviations only count in questions
    (
        "Nghị quyết 58 của Bộ Chính trị",
        A,
        [e("NQ", "58", None, body="Bộ Chính trị", body_issuer="TW", display_id="58-NQ/?")],
    ),
    ("Chỉ thị 10 của Ban Bí thư về khí tượng", A, [e("CT", "10", body_issuer="TW")]),
    ("Nghị quyết 58 của Tỉnh ủy Thanh Hóa", A, [e("NQ", "58", body_issuer="TU")]),
    (
        "Nghị quyết 21 của Hội nghị Trung ương 4",
        A,
        [e("NQ", "21", body="Ban Chấp hành Trung ương", body_issuer="TW")],
    ),
    ("Mỗi đảng viên phải gương mẫu thực hiện Quy định 37 và", A, [e("QĐi", "37")]),
    ("Theo Đề án 21 của tỉnh", A, [e("ĐA", "21")]),
    ("Kết luận số 12345 không có", A, []),  # five digits is not a document number
    # -- the type word wins over a mistyped code -----------------------------------
    (
        "Kết luận số 14-NQ/TW ngày 22-9-2021 của Bộ Chính trị",
        A,
        [
            e(
                "KL",
                "14",
                "TW",
                date(2021, 9, 22),
                raw_code="",
                display_id="14-KL/TW",
                type_name="Kết luận",
            )
        ],
    ),
    (
        "Quy định số 41-QĐ/TW ngày 03-11-2021",
        A,
        [e("QĐi", "41", "TW", date(2021, 11, 3), type_name="Quy định", display_id="41-QĐ/TW")],
    ),
    # -- state documents are never Party references ---------------------------------
    ("Nghị quyết 169/NQ-CP của Chính phủ", A, []),
    ("Nghị định 30/2020/NĐ-CP về công tác văn thư", A, []),
    ("Quyết định 497/QĐ-TTg", A, []),
    ("Nghị quyết số 128/NQ-CP ngày 11-10-2021", A, []),
    ("Thông tư số 01/2021/TT-BNV", A, []),
    ("Kết luận số 21-KL/TW và Nghị quyết số 128/NQ-CP", A, [e("KL", "21", "TW")]),
    # -- same number, different issuer or type: different documents -----------------
    (
        "Kết luận số 21-KL/TW và Kết luận số 21-KL/TU",
        A,
        [e("KL", "21", "TW"), e("KL", "21", "TU")],
    ),
    (
        "Nghị quyết 21 và Chỉ thị 21 và Kết luận 21",
        A,
        [e("NQ", "21"), e("CT", "21"), e("KL", "21")],
    ),
    # -- issuing bodies ---------------------------------------------------------------
    (
        "Kết luận số 21-KL/TW ngày 25-10-2021 của Ban Chấp hành Trung ương về đẩy mạnh",
        A,
        [e("KL", "21", "TW", D_21, body="Ban Chấp hành Trung ương", body_issuer="TW")],
    ),
    (
        "Kết luận số 12-KL/TW ngày 12-8-2021 của Bộ Chính trị về công tác",
        A,
        [e("KL", "12", "TW", date(2021, 8, 12), body="Bộ Chính trị", body_issuer="TW")],
    ),
    (
        "Kết luận số 15-KL/TW ngày 30-9-2021 của Ban Bí thư Trung ương Đảng về tiếp tục",
        A,
        [e("KL", "15", "TW", date(2021, 9, 30), body="Ban Bí thư", body_issuer="TW")],
    ),
    (
        "Kết luận số 21-KL/TU ngày 10-1-2022 của Ban Thường vụ Tỉnh ủy Thanh Hóa",
        A,
        [
            e(
                "KL",
                "21",
                "TU",
                date(2022, 1, 10),
                body="Ban Thường vụ Tỉnh ủy Thanh Hóa",
                body_issuer="TU",
            )
        ],
    ),
    (
        "Chỉ thị 15-CT/HU của Ban Thường vụ Huyện ủy Nga Sơn về",
        A,
        [e("CT", "15", "HU", body="Ban Thường vụ Huyện ủy Nga Sơn", body_issuer="HU")],
    ),
    ("Kết luận 21-KL/ĐUK về công tác", A, [e("KL", "21", "ĐUK")]),
    (
        "NQ số 26-NQ/TW ngày 14/3/2013 của BCH TW khóa XI về thủy lợi nội đồng",
        A,
        [e("NQ", "26", "TW", date(2013, 3, 14), body="Ban Chấp hành Trung ương", term="XI")],
    ),
    ("Nghị quyết 33-NQ/TW của Ban Chấp hành TƯ Đảng", A, [e("NQ", "33", "TW", body_issuer="TW")]),
    # -- terms ------------------------------------------------------------------------
    (
        "Chỉ thị số 48-CT/TW ngày 22-10-2010 của Bộ Chính trị (khóa X) về tăng cường sự lãnh đạo",
        A,
        [e("CT", "48", "TW", date(2010, 10, 22), body="Bộ Chính trị", term="X")],
    ),
    (
        "Nghị quyết số 04-NQ/TW ngày 30-10-2016 của Ban Chấp hành Trung ương khóa XII về tăng cường"
        " xây dựng, chỉnh đốn Đảng",
        A,
        [
            e(
                "NQ",
                "4",
                "TW",
                date(2016, 10, 30),
                term="XII",
                subject="về tăng cường xây dựng, chỉnh đốn Đảng",
            )
        ],
    ),
    ("Chỉ thị số 48-CT/TW, khóa X, về tăng cường", A, [e("CT", "48", "TW", term="X")]),
    (
        "Kết luận số 21-KL/TW của Ban Chấp hành Trung ương Đảng (khóa XIII) về đẩy mạnh xây dựng",
        A,
        [
            e(
                "KL",
                "21",
                "TW",
                body="Ban Chấp hành Trung ương",
                term="XIII",
                subject="về đẩy mạnh xây dựng",
            )
        ],
    ),
    # -- subjects ---------------------------------------------------------------------
    (
        "Kết luận số 21-KL/TW ngày 25-10-2021 về đẩy mạnh xây dựng Đảng. Đây là văn bản quan trọng.",
        A,
        [e("KL", "21", "TW", D_21, subject="về đẩy mạnh xây dựng Đảng")],
    ),
    (
        "Kết luận số 21-KL/TW ngày 25-10-2021 về đẩy mạnh xây dựng Đảng: nội dung gồm",
        A,
        [e("KL", "21", "TW", D_21, subject="về đẩy mạnh xây dựng Đảng")],
    ),
    (
        "Kết luận số 21-KL/TW về đẩy mạnh xây dựng Đảng, Kết luận số 14-KL/TW về khuyến khích cán bộ",
        A,
        [
            e("KL", "21", "TW", subject="về đẩy mạnh xây dựng Đảng", relations=[]),
            e("KL", "14", "TW", subject="về khuyến khích cán bộ"),
        ],
    ),
    (
        "Kết luận số 21-KL/TW về đẩy mạnh xây dựng Đảng và Kết luận số 14-KL/TW về khuyến khích cán bộ",
        A,
        [
            e("KL", "21", "TW", subject="về đẩy mạnh xây dựng Đảng", relations=[]),
            e("KL", "14", "TW", subject="về khuyến khích cán bộ"),
        ],
    ),
    (
        "Kết luận số 21-KL/TW về đẩy mạnh xây dựng Đảng; Kết luận số 14-KL/TW về khuyến khích cán bộ",
        A,
        [
            e("KL", "21", "TW", subject="về đẩy mạnh xây dựng Đảng", relations=[]),
            e("KL", "14", "TW", subject="về khuyến khích cán bộ"),
        ],
    ),
    # a semicolon inside a subject stays when no new document follows it
    (
        "Chỉ thị số 05-CT/TW của Bộ Chính trị về đẩy mạnh học tập; làm theo tư tưởng, đạo đức,"
        " phong cách Hồ Chí Minh. Hội nghị cũng",
        A,
        [
            e(
                "CT",
                "5",
                "TW",
                body="Bộ Chính trị",
                subject="về đẩy mạnh học tập; làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
            )
        ],
    ),
    (
        "Nghị quyết số 35-NQ/TW của Bộ Chính trị về tăng cường bảo vệ nền tảng tư tưởng của Đảng;"
        " Kết luận số 01-KL/TW về tiếp tục thực hiện Chỉ thị 05-CT/TW",
        A,
        [
            e(
                "NQ",
                "35",
                "TW",
                subject="về tăng cường bảo vệ nền tảng tư tưởng của Đảng",
                relations=[],
            ),
            e("KL", "1", "TW", relations=[("implements", 2)]),
            e("CT", "5", "TW"),
        ],
    ),
    # -- relations --------------------------------------------------------------------
    (
        "Kế hoạch số 03-KH/TW ngày 01-12-2021 của Bộ Chính trị thực hiện Kết luận số 21-KL/TW",
        A,
        [
            e(
                "KH",
                "3",
                "TW",
                date(2021, 12, 1),
                relations=[("implements", 1)],
                subject_prefix="thực hiện Kết luận số 21-KL/TW",
            ),
            e("KL", "21", "TW", relations=[]),
        ],
    ),
    (
        "Kết luận số 13 KL/TW ngày 16-8-2021 của Bộ Chính trị về tiếp tục thực hiện Chỉ thị số"
        " 48-CT/TW ngày 22-10-2010 của Bộ Chính trị (khóa X) về tăng cường",
        A,
        [
            e("KL", "13", "TW", date(2021, 8, 16), relations=[("implements", 1)]),
            e("CT", "48", "TW", date(2010, 10, 22), term="X"),
        ],
    ),
    (
        "Kết luận số 15-KL/TW về tiếp tục đẩy mạnh thực hiện Chỉ thị số 46-CT/TW về công tác",
        A,
        [e("KL", "15", "TW", relations=[("implements", 1)]), e("CT", "46", "TW")],
    ),
    (
        "Quy định số 37-QĐi/TW ngày 25-10-2021 của Ban Chấp hành Trung ương về những điều đảng viên"
        " không được làm, thay thế Quy định số 47-QĐ/TW ngày 01-11-2011",
        A,
        [
            e("QĐi", "37", "TW", D_21, relations=[("replaces", 1)]),
            e("QĐi", "47", "TW", date(2011, 11, 1)),
        ],
    ),
    (
        "Ban hành Quy định số 22-QĐ/TW ngày 28-7-2021 về công tác kiểm tra. Quy định này thay thế"
        " Quy định số 260-QĐ/TW ngày 02-10-2009.",
        A,
        [
            e("QĐi", "22", "TW", date(2021, 7, 28), relations=[("replaces", 1)]),
            e("QĐi", "260", "TW", date(2009, 10, 2)),
        ],
    ),
    (
        "Quy định số 69-QĐ/TW ngày 6-7-2022 của Bộ Chính trị sửa đổi, bổ sung Quy định số 102-QĐ/TW",
        A,
        [e("QĐi", "69", "TW", date(2022, 7, 6), relations=[("amends", 1)]), e("QĐi", "102", "TW")],
    ),
    (
        "Kế hoạch số 03-KH/TW của Bộ Chính trị về thực hiện Kết luận 21",
        A,
        [e("KH", "3", "TW", relations=[("implements", 1)]), e("KL", "21")],
    ),
    # -- reference forms of real reporting -------------------------------------------
    # "TƯ" is Trung ương: the central document, unless its body is a local committee
    ("Quy định số 41-QĐ/TƯ về cán bộ", A, [e("QĐi", "41", "TW", written_tu=True)]),
    ("Nghị quyết 17-NQ/TƯ của Tỉnh ủy (khóa XV) về nuôi trồng thủy sản", A, [e("NQ", "17", "TU")]),
    ("Quyết định số 99-QÐ/TW", A, [e("QĐ", "99", "TW")]),  # U+00D0 for Đ
    ("Nghị quyết số 45 – NQ/TW về trí thức", A, [e("NQ", "45", "TW")]),  # spaced en dash
    ("Quy định số 37QĐ/TW về đảng viên", A, [e("QĐi", "37", "TW")]),  # no hyphen
    ("thực hiện Nghị quyết 27-NQ-TW về pháp quyền", A, [e("NQ", "27", "TW")]),
    ("Nghị quyết 27-NQ-UBND", A, []),  # a hyphen before an unknown issuer is no reference
    ("kết luận số 21-kl/tw của bộ chính trị", A, [e("KL", "21", "TW", body="Bộ Chính trị")]),
    ("Kết luận số 21-\nKL/TW", A, [e("KL", "21", "TW")]),  # split across a line break
    (
        "Căn cứ Thông báo số 12-TB/TWngày 03 tháng 4 năm 2015 của Ban Bí thư",
        A,
        [e("TB", "12", "TW", date(2015, 4, 3), body="Ban Bí thư")],
    ),
    ("Căn cứ Chỉ thị số 15-CT/TWngày20/7/2011", A, [e("CT", "15", "TW", date(2011, 7, 20))]),
    ("Quy định số 30-QĐ/TW ngày 1.11. 2011", A, [e("QĐi", "30", "TW", date(2011, 11, 1))]),
    ("Quy định số 30-QĐ/TW ngày 22.12.2024", A, [e("QĐi", "30", "TW", date(2024, 12, 22))]),
    (
        "Số: 12-QĐ/TW | Hà Nội, ngày 9 tháng 3 năm 2020",
        A,
        [e("QĐ", "12", "TW", date(2020, 3, 9), header=True)],
    ),
    # -- facts the sentence gives before the reference ---------------------------------
    (
        "Ngày 12/3/2024, thay mặt Bộ Chính trị, Tổng Bí thư Nguyễn Văn An đã ký ban hành"
        " Chỉ thị số 30-CT/TW về công tác dân vận.",
        A,
        [
            e(
                "CT",
                "30",
                "TW",
                date(2024, 3, 12),
                body="Bộ Chính trị",
                body_issuer="TW",
                signer="Nguyễn Văn An",
                subject="về công tác dân vận",
            )
        ],
    ),
    (
        "Ngày 2/9/2023, Tổng Bí thư, Chủ tịch nước Trần Văn Bình vừa thay mặt Ban Chấp hành"
        " Trung ương ký ban hành Quy định số 20-QĐ/TW",
        A,
        [
            e(
                "QĐi",
                "20",
                "TW",
                date(2023, 9, 2),
                body="Ban Chấp hành Trung ương",
                signer="Trần Văn Bình",
            )
        ],
    ),
    # titles are not issuers: "Ủy viên Bộ Chính trị khóa XIII, Thường trực Ban Bí thư …"
    (
        "Ủy viên Bộ Chính trị khóa XIII, Thường trực Ban Bí thư Phạm Quốc Hưng đã ký ban hành Kết"
        " luận số 54-KL/TW",
        A,
        [e("KL", "54", "TW", body=None, signer="Phạm Quốc Hưng")],
    ),
    (
        "Ngày 12/7/2020, Tỉnh ủy Gia Lai đã ban hành Nghị quyết số 05-NQ/TU về cây cà phê.",
        A,
        [e("NQ", "5", "TU", date(2020, 7, 12), body="Tỉnh ủy Gia Lai", body_issuer="TU")],
    ),
    (
        "Ngày 14-9-2022, đồng chí Hoàng Minh Tuấn, Thường trực Ban Bí thư, Ủy viên Bộ Chính trị"
        " đã ký ban hành Chỉ thị số 11-CT/TW.",
        A,
        [e("CT", "11", "TW", date(2022, 9, 14), body=None, signer="Hoàng Minh Tuấn")],
    ),
    (
        "Thay mặt Bộ Chính trị, đồng chí Phó Chủ tịch nước ký ban hành Chỉ thị số 04-CT/TW.",
        A,
        [e("CT", "4", "TW", body="Bộ Chính trị", signer=None)],
    ),
    # a year-less date is kept aside for the article's publication year
    (
        "Ngày 5/4, Bộ Chính trị đã ban hành Quy định số 77-QĐ/TW về công tác cán bộ.",
        A,
        [e("QĐi", "77", "TW", None, day_month=(5, 4), body="Bộ Chính trị")],
    ),
    (
        "Kết luận số 70-KL/TW ngày 17/10 của Bộ Chính trị về đại hội",
        A,
        [e("KL", "70", "TW", None, day_month=(17, 10), body="Bộ Chính trị")],
    ),
    # the last date before the verb is the issuing date
    (
        "Ngày 1/3/2025, Bộ Chính trị làm việc với Ban Tổ chức và đến ngày 20/6/2025,"
        " Bộ Chính trị đã ban hành Nghị quyết 70-NQ/TW về y tế",
        A,
        [e("NQ", "70", "TW", date(2025, 6, 20), body="Bộ Chính trị")],
    ),
    # ... and after the reference and its subject
    (
        "Quyết định số 15-QĐ/TW về số lượng đại biểu (ngày 4-6-2023).",
        A,
        [e("QĐ", "15", "TW", date(2023, 6, 4), subject="về số lượng đại biểu")],
    ),
    (
        "Nghị quyết số 20-NQ/TW về phát triển văn hóa được Bộ Chính trị ban hành ngày 8/9/2022.",
        A,
        [
            e(
                "NQ",
                "20",
                "TW",
                date(2022, 9, 8),
                body="Bộ Chính trị",
                subject="về phát triển văn hóa",
            )
        ],
    ),
    (
        "Quy định 60-QĐ/TW năm 2022 về kỷ luật đảng viên do Ban Chấp hành Trung ương ban hành"
        " ngày 06/7/2022.",
        A,
        [
            e(
                "QĐi",
                "60",
                "TW",
                date(2022, 7, 6),
                body="Ban Chấp hành Trung ương",
                subject="về kỷ luật đảng viên",
            )
        ],
    ),
    (
        "Nghị quyết số 52 – NQ/TW Hội nghị lần thứ Năm, Ban Chấp hành Trung ương Đảng khóa XII"
        " về cảng biển",
        A,
        [e("NQ", "52", "TW", body="Ban Chấp hành Trung ương", term="XII", subject="về cảng biển")],
    ),
    (
        "Nghị quyết số 18-NQ/TW Hội nghị lần thứ sáu Ban Chấp hành Trung ương khóa XII “Một số"
        " vấn đề về tổ chức bộ máy, hoạt động hiệu quả” đã đạt kết quả.",
        A,
        [
            e(
                "NQ",
                "18",
                "TW",
                term="XII",
                subject="“Một số vấn đề về tổ chức bộ máy, hoạt động hiệu quả”",
            )
        ],
    ),
    # -- where a subject ends ------------------------------------------------------------
    (
        "Nghị quyết số 33-NQ/TW về phát triển du lịch; theo đó, tỉnh sẽ đầu tư",
        A,
        [e("NQ", "33", "TW", subject="về phát triển du lịch")],
    ),
    (
        "Nghị quyết số 33-NQ/TU về chuyển đổi số; Ban Tuyên giáo xin giới thiệu toàn văn",
        A,
        [e("NQ", "33", "TU", subject="về chuyển đổi số")],
    ),
    (
        "Hội nghị “Quán triệt Nghị quyết số 33-NQ/TW về hội nhập quốc tế” diễn ra sáng nay",
        A,
        [e("NQ", "33", "TW", subject="về hội nhập quốc tế")],
    ),
    (
        "“Nghị quyết số 62-NQ/TW về kinh tế biển và Chương trình hành động triển khai Nghị quyết"
        " số 62-NQ/TW”",
        A,
        [e("NQ", "62", "TW", subject="về kinh tế biển"), e("NQ", "62", "TW")],
    ),
    (
        "Nghị quyết 41-NQ/TW về đội ngũ doanh nhân đã có nhiều điểm mới",
        A,
        [e("NQ", "41", "TW", subject="về đội ngũ doanh nhân")],
    ),
    (
        "đến Quy định 83 về kiểm tra đảng viên này, Ban Chấp hành Trung ương đã bổ sung",
        A,
        [e("QĐi", "83", subject="về kiểm tra đảng viên này")],
    ),
    (
        "Kế hoạch nhằm cụ thể hóa định hướng của Nghị quyết số 19-NQ/TW về nông nghiệp",
        A,
        [e("NQ", "19", "TW", passing=True, subject="về nông nghiệp")],
    ),
    (
        "Nghị quyết số 64-NQ/TW về bảo tồn di sản và làng nghề (Nghị quyết 64) của Bộ Chính trị",
        A,
        [e("NQ", "64", "TW", subject="về bảo tồn di sản và làng nghề"), e("NQ", "64")],
    ),
    (
        "Nghị quyết số 08-NQ/TU về du lịch tỉnh Cà Mau (sau đây viết tắt là Nghị quyết 08) được",
        A,
        [e("NQ", "8", "TU", subject="về du lịch tỉnh Cà Mau"), e("NQ", "8")],
    ),
    # -- relations of real reporting -----------------------------------------------------
    (
        "Ngày 1/2/2024, Bộ Chính trị ban hành Quy định số 50-QĐ/TW về công tác kiểm tra thay thế"
        " Quy định số 11 ngày 2/3/2015 về công tác A và Quy định số 12 ngày 4/5/2016 về công tác B.",
        A,
        [
            e(
                "QĐi",
                "50",
                "TW",
                date(2024, 2, 1),
                subject="về công tác kiểm tra",
                relations=[("replaces", 1), ("replaces", 2)],
            ),
            e("QĐi", "11", day=date(2015, 3, 2)),
            e("QĐi", "12", day=date(2016, 5, 4)),
        ],
    ),
    (
        "Ngày 17/8/2023, Ban Chấp hành Trung ương ban hành Quy định 88-QĐ/TW sửa đổi Quy định"
        " 87-QĐ/TW về khen thưởng",
        A,
        [e("QĐi", "88", "TW", date(2023, 8, 17), relations=[("amends", 1)]), e("QĐi", "87", "TW")],
    ),
    (
        "Ủy ban Kiểm tra Trung ương đã ban hành Hướng dẫn 07-HD/UBKTTW thực hiện một số điều trong"
        " Quy định 87-QĐ/TW",
        A,
        [
            e(
                "HD",
                "7",
                "UBKTTW",
                body="Ủy ban Kiểm tra Trung ương",
                relations=[("implements", 1)],
            ),
            e("QĐi", "87", "TW"),
        ],
    ),
    (
        "Kết luận số 80-KL/TW nêu rõ kết quả đạt được sau 5 năm thực hiện Nghị quyết số 10-NQ/TW",
        A,
        [e("KL", "80", "TW", relations=[("reviews", 1)]), e("NQ", "10", "TW")],
    ),
    (
        "Ban hành Kết luận số 81-KL/TW về tăng trưởng kinh tế trong giai đoạn tới và tổng kết"
        " Nghị quyết số 11-NQ/TW, ngày 2/11/2016 của Ban Chấp hành Trung ương",
        A,
        [
            e(
                "KL",
                "81",
                "TW",
                subject="về tăng trưởng kinh tế trong giai đoạn tới",
                relations=[("reviews", 1)],
            ),
            e("NQ", "11", "TW", date(2016, 11, 2)),
        ],
    ),
    (
        "Nghị quyết số 66-NQ/TW được ký năm 2022. Nghị quyết này thay cho Nghị quyết 24-NQ/TW",
        A,
        [e("NQ", "66", "TW", relations=[("replaces", 1)]), e("NQ", "24", "TW")],
    ),
    (
        "Quy định 105-QĐ/TW của Bộ Chính trị được thay thế bằng Quy định 80-QĐ/TW.",
        A,
        [e("QĐi", "105", "TW", relations=[("replaced_by", 1)]), e("QĐi", "80", "TW")],
    ),
    (
        "Ngay sau khi Nghị quyết số 68-NQ/TW được ban hành ngày 15.11.2023, Chính phủ đã ban"
        " hành Nghị quyết 12-NQ/CP ngày 6.2.2024 để thực hiện các nhiệm vụ trọng tâm.",
        Q,  # question mode keeps the state document
        [
            e("NQ", "68", "TW", date(2023, 11, 15), relations=[]),
            e(
                "NQ",
                "12/CP",
                "CP",
                date(2024, 2, 6),
                body="Chính phủ",
                relations=[("implements", 0)],
            ),
        ],
    ),
    (
        "Ngay sau khi Thành ủy ban hành Chỉ thị số 27-CT/TU ngày 3/8/2023, các phường đồng loạt ra quân.",
        A,
        [e("CT", "27", "TU", date(2023, 8, 3), lead="follows")],
    ),
    (
        "Chi bộ đã tổ chức hội nghị bảo đảm các yêu cầu của Chỉ thị số 23-CT/TW của Ban Bí thư.",
        A,
        [e("CT", "23", "TW", lead="based_on")],
    ),
    (
        "Kết luận 137-KL/TW ngày 5/9/2024 của Bộ Chính trị, Ban Bí thư về phòng chống thiên tai",
        A,
        [
            e(
                "KL",
                "137",
                "TW",
                date(2024, 9, 5),
                body="Bộ Chính trị",
                subject="về phòng chống thiên tai",
            )
        ],
    ),
    (
        "Thực hiện Chỉ thị số 35-CT/TW ngày 14/6/2024 của Bộ Chính trị, Ban Thường vụ Tỉnh ủy ban"
        " hành Kế hoạch số 250-KH/TU ngày 20/7/2024.",
        A,
        [
            e("CT", "35", "TW", date(2024, 6, 14), body="Bộ Chính trị", relations=[]),
            e(
                "KH",
                "250",
                "TU",
                date(2024, 7, 20),
                body="Ban Thường vụ Tỉnh ủy",
                relations=[("implements", 0)],
            ),
        ],
    ),
    (
        "Thực hiện Chỉ thị số 35-CT/TW, tỉnh quán triệt Kết luận số 21-KL/TW.",
        A,
        [e("CT", "35", "TW"), e("KL", "21", "TW", relations=[])],
    ),
    (
        "Tỉnh ủy ban hành Kế hoạch số 05-KH/TU nhằm cụ thể hóa Nghị quyết số 57-NQ/TW",
        A,
        [e("KH", "5", "TU", relations=[("implements", 1)]), e("NQ", "57", "TW")],
    ),
    (
        "Quy định số 10-QĐ/TW bổ sung một số điều của Quy định số 5-QĐ/TW",
        A,
        [e("QĐi", "10", "TW", relations=[("amends", 1)]), e("QĐi", "5", "TW")],
    ),
    # a comma-separated list is not a second object
    (
        "Kết luận số 15-KL/TW về tiếp tục thực hiện Chỉ thị số 46-CT/TW về an ninh, Chỉ thị số"
        " 10-CT/TW về khí tượng",
        A,
        [
            e("KL", "15", "TW", relations=[("implements", 1)]),
            e("CT", "46", "TW"),
            e("CT", "10", "TW"),
        ],
    ),
    (
        "Về cơ bản, Quy định số 44QĐ/TW kế thừa các điểm chính của Quy định số 15-QĐ/TW",
        A,
        [e("QĐi", "44", "TW", relations=[("follows", 1)]), e("QĐi", "15", "TW")],
    ),
    # a sentence whose subject is the document under discussion, unnamed
    (
        "Sau 10 năm thực hiện Nghị quyết số 13-NQ/TW, hạ tầng phát triển nhanh.",
        A,
        [e("NQ", "13", "TW", lead="reviews")],
    ),
    (
        "So với Quy định số 20-QĐ/TW, quy định mới bỏ cấp huyện.",
        A,
        [e("QĐi", "20", "TW", lead="follows")],
    ),
    (
        "Nghị quyết này thay cho Nghị quyết 31-NQ/TW của Ban Bí thư",
        A,
        [e("NQ", "31", "TW", lead="replaces", lead_code="NQ")],
    ),
    # the number in parentheses names the document the sentence just described
    (
        "Ngày 11/3/2019, Tổng Bí thư Trịnh Quốc Bảo ký ban hành Quy định việc kiểm soát quyền lực"
        " trong tuyển dụng (Quy định số 14-QĐi/TW) nhất là ở cấp cơ sở.",
        A,
        [
            e(
                "QĐi",
                "14",
                "TW",
                date(2019, 3, 11),
                signer="Trịnh Quốc Bảo",
                subject="việc kiểm soát quyền lực trong tuyển dụng",
            )
        ],
    ),
    (
        "Ngày 17/10/2025, Thường trực Ban Bí thư Lê Văn Bình ký ban hành Kết luận của Bộ Chính trị,"
        " Ban Bí thư về công tác đại hội (Kết luận số Kết luận số 200-KL/TW).",
        A,
        [
            e(
                "KL",
                "200",
                "TW",
                date(2025, 10, 17),
                body="Bộ Chính trị",
                signer="Lê Văn Bình",
                subject="về công tác đại hội",
            )
        ],
    ),
    ("Quy định 08-QĐi về nêu gương", A, [e("QĐi", "8", None, raw_code="QĐi")]),  # no issuer
    ("giai đoạn 2021-2025", A, []),
    # damaged diacritics (OCR): "sô'" for "số", tone marks on other letters
    (
        "Nghị quyết sô' 36-NQ-TW về bảo vệ môi trường sinh thái đã đê ra lộ trình cụ thể",
        A,
        [e("NQ", "36", "TW", subject="về bảo vệ môi trường sinh thái")],
    ),
    ("Kêt luận sô' 21-KL/TW ngày 25/10/2021", A, [e("KL", "21", "TW", D_21)]),
    ("Kết luậ̀n số 21-KL/TW ngày 25/10/2021", A, [e("KL", "21", "TW", D_21)]),
    # -- questions ----------------------------------------------------------------------
    ("KL21", Q, [e("KL", "21")]),
    ("kl 21", Q, [e("KL", "21")]),
    ("ket luan so 21", Q, [e("KL", "21")]),
    ("kết luận 21 nói gì", Q, [e("KL", "21")]),
    ("QĐ 41", Q, [e("QĐi", "41", type_name="Quy định")]),
    ("qd41", Q, [e("QĐi", "41")]),
    ("qdi 37", Q, [e("QĐi", "37")]),
    ("nghi quyet 58", Q, [e("NQ", "58")]),
    ("CT 10-CT/TW", Q, [e("CT", "10", "TW")]),
    ("ct10", Q, [e("CT", "10")]),
    ("ket luan 21-kl/tw", Q, [e("KL", "21", "TW")]),
    ("nq18 khoa xii", Q, [e("NQ", "18", term="XII")]),
    ("chi thi 05 cua bo chinh tri", Q, [e("CT", "5", body_issuer="TW")]),
    ("Chỉ thị 10 và Kết luận 21 khác nhau thế nào", Q, [e("CT", "10"), e("KL", "21")]),
    ("ct 10", A, []),  # the same words in article text are not a reference
    ("QĐ 08-QĐi: ủy viên phải làm gì", Q, [e("QĐi", "8")]),
    # a state document named in a question is itself a document; its number carries
    # the issuer so that it is never "Nghị quyết 71" of the Party
    (
        "Nghị quyết 71/NQ-CP thực hiện nghị quyết nào",
        Q,
        [e("NQ", "71/CP", "CP", state=True, display_id="71/NQ-CP")],
    ),
    (
        "Nghị định 135/2023/NĐ-CP có nội dung gì",
        Q,
        [e("NĐ", "135/CP", "CP", display_id="135/2023/NĐ-CP", type_name="Nghị định")],
    ),
    # -- unaccented and upper-case text --------------------------------------------------
    (
        "Ket luan so 21-KL/TW ngay 25-10-2021 cua Bo Chinh tri ve day manh xay dung Dang",
        A,
        [e("KL", "21", "TW", D_21, body="Bộ Chính trị", subject="ve day manh xay dung Dang")],
    ),
    ("KẾT LUẬN SỐ 21-KL/TW", A, [e("KL", "21", "TW")]),
    (
        "KẾT LUẬN SỐ 21-KL/TW NGÀY 25-10-2021 CỦA BỘ CHÍNH TRỊ VỀ ĐẨY MẠNH XÂY DỰNG ĐẢNG",
        A,
        [e("KL", "21", "TW", D_21, body="Bộ Chính trị", subject="VỀ ĐẨY MẠNH XÂY DỰNG ĐẢNG")],
    ),
    # -- ways of stating the facts that held-out text showed (issue 9) ---------------
    # a topic in straight quotation marks after a year-less date and the issuer
    (
        'Chi bộ học tập Quy định số 37-QĐ/TW, ngày 12/3 của Ban Bí thư "về việc đảng viên'
        ' dùng mạng xã hội" trong buổi sinh hoạt tháng.',
        A,
        [
            e(
                "QĐi",
                "37",
                "TW",
                None,
                day_month=(12, 3),
                body="Ban Bí thư",
                subject="về việc đảng viên dùng mạng xã hội",
            )
        ],
    ),
    # the date in parentheses with "ban hành", dotted, after a spaced-dash code
    (
        "Đảng ủy phổ biến Quy định 77 - QĐ/TW của Ban Bí thư (ban hành ngày 15.03.2023) về"
        " công tác bảo vệ chính trị nội bộ.",
        A,
        [
            e(
                "QĐi",
                "77",
                "TW",
                date(2023, 3, 15),
                body="Ban Bí thư",
                subject="về công tác bảo vệ chính trị nội bộ",
            )
        ],
    ),
    (
        "Nghị quyết số 12-NQ/TW ký ngày 2/2/2022 đã đi vào cuộc sống",
        A,
        [e("NQ", "12", "TW", date(2022, 2, 2))],
    ),
    (
        "Nghị quyết 12 ra ngày 2/2/2022 đã đi vào cuộc sống",
        A,
        [e("NQ", "12", None, date(2022, 2, 2))],
    ),
    # a subject stops before the auxiliary that opens the next predicate
    (
        "Quy định số 40-QĐ/TW ngày 3-3-2022 về công tác cán bộ, đã thay thế Quy định số 11-QĐ/TW.",
        A,
        [
            e(
                "QĐi",
                "40",
                "TW",
                date(2022, 3, 3),
                subject="về công tác cán bộ",
                relations=[("replaces", 1)],
            ),
            e("QĐi", "11", "TW"),
        ],
    ),
    # … but inside a noun phrase the auxiliary is part of the subject
    (
        "Quy định số 7-QĐ/TW về chế độ đối với cán bộ đã nghỉ hưu ở khu dân cư đã được sửa đổi.",
        A,
        [e("QĐi", "7", "TW", subject="về chế độ đối với cán bộ đã nghỉ hưu ở khu dân cư")],
    ),
    (
        "Quy định số 8-QĐ/TW về việc đảng viên đang học tập ở nước ngoài sinh hoạt đảng.",
        A,
        [e("QĐi", "8", "TW", subject="về việc đảng viên đang học tập ở nước ngoài sinh hoạt đảng")],
    ),
    (
        "Nghị quyết số 9-NQ/TW về hỗ trợ doanh nghiệp vừa và nhỏ.",
        A,
        [e("NQ", "9", "TW", subject="về hỗ trợ doanh nghiệp vừa và nhỏ")],
    ),
    (
        "Chỉ thị số 6-CT/TW về thanh niên tình nguyện vừa được Ban Bí thư ban hành.",
        A,
        [e("CT", "6", "TW", subject="về thanh niên tình nguyện")],
    ),
    (
        "Nghị quyết số 5-NQ/TW về nông thôn mới, đang đi vào cuộc sống.",
        A,
        [e("NQ", "5", "TW", subject="về nông thôn mới")],
    ),
    # a circumstance after a comma, a relative clause: neither is the subject
    (
        "Chỉ thị số 4-CT/TW về đại hội, trong bối cảnh cả nước sắp xếp lại bộ máy.",
        A,
        [e("CT", "4", "TW", subject="về đại hội")],
    ),
    (
        "Nghị quyết số 3-NQ/TW về rừng phòng hộ mà huyện đang triển khai.",
        A,
        [e("NQ", "3", "TW", subject="về rừng phòng hộ")],
    ),
    (
        "Chỉ thị số 2-CT/TW về việc không chỉ phòng ngừa mà còn xử lý nghiêm ma túy.",
        A,
        [e("CT", "2", "TW", subject="về việc không chỉ phòng ngừa mà còn xử lý nghiêm ma túy")],
    ),
    # what is said of the document after a comma: its force, its parts, what is new in it
    (
        "Quy định số 6-QĐ/TW về tiếp công dân, có hiệu lực từ ngày ký, gồm 4 chương.",
        A,
        [e("QĐi", "6", "TW", subject="về tiếp công dân")],
    ),
    (
        "Hướng dẫn số 5-HD/TW về sinh hoạt chi bộ, gồm 3 phần.",
        A,
        [e("HD", "5", "TW", subject="về sinh hoạt chi bộ")],
    ),
    (
        "Huyện làm theo Kế hoạch số 3-KH/HU về phòng cháy, coi đây là việc thường xuyên.",
        A,
        [e("KH", "3", "HU", subject="về phòng cháy")],
    ),
    (
        "Chỉ thị số 3-CT/TW về giữ gìn, coi trọng truyền thống gia đình.",
        A,
        [e("CT", "3", "TW", subject="về giữ gìn, coi trọng truyền thống gia đình")],
    ),
    # issuer codes keep their Đ for display ("BCSD" is how it folds, not how it is written)
    (
        "Kế hoạch số 9-KH/BCSĐ của Ban cán sự đảng",
        A,
        [e("KH", "9", "BCSĐ", display_id="09-KH/BCSĐ")],
    ),
    ("Hướng dẫn 4-HD/BTGĐVTU", A, [e("HD", "4", "BTGĐVTU", display_id="04-HD/BTGĐVTU")]),
    ("ke hoach 9-kh/bcsd", Q, [e("KH", "9", "BCSĐ")]),
    # the signer named after the document: "… do <title> <name> (thay mặt <body>) ký"
    (
        "Kết luận 30 do Tổng Bí thư Lê Minh An thay mặt Ban Bí thư ký ban hành, có hiệu lực ngay.",
        A,
        [e("KL", "30", None, signer="Lê Minh An", body="Ban Bí thư")],
    ),
    (
        "Quy định số 5-QĐ/TW về công tác dân vận do đồng chí Trần Văn Bình, Thường trực Ban"
        " Bí thư, thay mặt Ban Bí thư ký ngày 3/4/2023.",
        A,
        [
            e(
                "QĐi",
                "5",
                "TW",
                date(2023, 4, 3),
                signer="Trần Văn Bình",
                body="Ban Bí thư",
                subject="về công tác dân vận",
            )
        ],
    ),
    # "ký" must follow a person: "do Đại hội nhiệm kỳ …" names no signer
    ("Nghị quyết 12 do Đại hội nhiệm kỳ 2020 - 2025 thông qua.", A, [e("NQ", "12", signer=None)]),
    # other ways reports date and attribute an issue
    (
        "Hôm 3/11, Ban Bí thư đã ban hành Quy định số 60-QĐ/TW về công tác văn thư.",
        A,
        [e("QĐi", "60", "TW", None, day_month=(3, 11), body="Ban Bí thư")],
    ),
    (
        "Chiều 7/9, Bộ Chính trị khóa XIII vừa có Kết luận số 140-KL/TW về quản lý đất đai.",
        A,
        [e("KL", "140", "TW", None, day_month=(7, 9), body="Bộ Chính trị", term="XIII")],
    ),
    (
        "Bộ Chính trị đã ra Nghị quyết số 61-NQ/TW về hội nhập.",
        A,
        [e("NQ", "61", "TW", body="Bộ Chính trị")],
    ),
    # "trong đó có" is no issuing verb: the date is the meeting's
    (
        "Ngày 5/3/2024, Huyện ủy quán triệt các văn bản, trong đó có Kết luận 21-KL/TW.",
        A,
        [e("KL", "21", "TW", None, body=None)],
    ),
    # the document's name before its number gives body and term; its topic follows
    (
        "Nghị quyết Trung ương 7 khóa XII số 26-NQ/TW về công tác cán bộ các cấp.",
        A,
        [
            e(
                "NQ",
                "26",
                "TW",
                body="Ban Chấp hành Trung ương",
                term="XII",
                subject="về công tác cán bộ các cấp",
            )
        ],
    ),
    (
        "Quán triệt Nghị quyết Hội nghị Trung ương 5 khóa XIII (Nghị quyết số 19-NQ/TW) về"
        " nông nghiệp, nông dân.",
        A,
        [
            e(
                "NQ",
                "19",
                "TW",
                body="Ban Chấp hành Trung ương",
                term="XIII",
                subject="về nông nghiệp, nông dân",
            )
        ],
    ),
    # an alias in parentheses does not end the clause
    (
        "Ban Bí thư ban hành Chỉ thị số 9-CT/TW (gọi tắt là Chỉ thị 9) về công tác dân số.",
        A,
        [e("CT", "9", "TW", subject="về công tác dân số"), e("CT", "9", None)],
    ),
    # a code before the number with the issuer after a slash, as people type it
    ("KH 45/HU thực hiện văn bản nào", Q, [e("KH", "45", "HU")]),
    ("ct 5/tư nói gì", Q, [e("CT", "5", "TW")]),
    ("Theo KH 12/TU của tỉnh", A, [e("KH", "12", "TU")]),
    # a qualified type word: "Chương trình hành động số …" is issued and implements
    (
        "Để thực hiện Nghị quyết 19, Huyện ủy đã ban hành Chương trình hành động số 7-CTr/HU"
        " ngày 2-3-2022.",
        A,
        [
            e("NQ", "19"),
            e("CTr", "7", "HU", date(2022, 3, 2), body="Huyện ủy", relations=[("implements", 0)]),
        ],
    ),
    # relation verbs in their other common wordings
    (
        "Huyện ủy ban hành Kế hoạch số 31-KH/HU triển khai Chỉ thị số 24-CT/TW của Ban Bí thư.",
        A,
        [e("KH", "31", "HU", relations=[("implements", 1)]), e("CT", "24", "TW")],
    ),
    (
        "Kết luận số 99-KL/TW đánh giá những việc làm được qua 10 năm triển khai Nghị quyết số"
        " 33-NQ/TW về văn hóa.",
        A,
        [e("KL", "99", "TW", relations=[("reviews", 1)]), e("NQ", "33", "TW")],
    ),
    (
        "Quy định số 70-QĐ/TW kế thừa và phát triển Quy định số 12-QĐ/TW.",
        A,
        [e("QĐi", "70", "TW", relations=[("follows", 1)]), e("QĐi", "12", "TW")],
    ),
    # "thực hiện Nghị quyết" with no number: the Nghị quyết just named
    (
        "Chi bộ học tập Nghị quyết số 41-NQ/TW và ban hành Kế hoạch số 3-KH/CB ngày 2/3/2024"
        " thực hiện Nghị quyết trong năm học.",
        A,
        [e("NQ", "41", "TW"), e("KH", "3", "CB", date(2024, 3, 2), relations=[("implements", 0)])],
    ),
    # a title given "với chủ đề “…”" is the subject
    (
        'Chỉ thị số 8-CT/TU với chủ đề "Năm dân vận khéo" được triển khai rộng rãi.',
        A,
        [e("CT", "8", "TU", subject='"Năm dân vận khéo"')],
    ),
    # a committee's department issues under its own code; a party group too
    (
        "Ban Tổ chức Tỉnh ủy Gia Lai vừa ban hành Hướng dẫn số 12-HD/BTCTU về quy hoạch cán bộ.",
        A,
        [e("HD", "12", "BTCTU", body="Ban Tổ chức Tỉnh ủy Gia Lai", body_issuer="BTCTU")],
    ),
    (
        "Ban cán sự đảng UBND tỉnh Phú Yên đã ban hành Kế hoạch số 8-KH/BCSĐ về cải cách.",
        A,
        [e("KH", "8", "BCSĐ", body="Ban cán sự đảng UBND tỉnh Phú Yên", body_issuer="BCSĐ")],
    ),
    ("huong dan 12 cua ban to chuc tinh uy gia lai", Q, [e("HD", "12", body_issuer="BTCTU")]),
    # a place name is capitalised: the lowercase word after it is the sentence's
    (
        "Ngày 5/3/2025, Tỉnh ủy Lào Cai tổ chức hội nghị và ban hành Kế hoạch số 5-KH/TU.",
        A,
        [e("KH", "5", "TU", date(2025, 3, 5), body="Tỉnh ủy Lào Cai")],
    ),
    # a date or year alone in parentheses, a month and year
    (
        "Nghị quyết số 29-NQ/TW (17/11/2022) của Ban Chấp hành Trung ương về công nghiệp hóa.",
        A,
        [e("NQ", "29", "TW", date(2022, 11, 17), body="Ban Chấp hành Trung ương")],
    ),
    ("Chỉ thị số 8-CT/TW (2021) về công tác dân số.", A, [e("CT", "8", "TW", year=2021)]),
    (
        "Quy định số 65-QĐ/TW ban hành tháng 4/2022 về luân chuyển cán bộ.",
        A,
        [e("QĐi", "65", "TW", year=2022, subject="về luân chuyển cán bộ")],
    ),
    # the type restated after a bare number, as a document's own heading does
    (
        "Số 33-NQ/TW, ngày 9/6/2014, Nghị quyết của Ban Chấp hành Trung ương về văn hóa.",
        A,
        [
            e(
                "NQ",
                "33",
                "TW",
                date(2014, 6, 9),
                body="Ban Chấp hành Trung ương",
                subject="về văn hóa",
            )
        ],
    ),
    (
        "Chỉ thị số 7-CT/TW ký tại Hà Nội ngày 4/4/2022 về dân số.",
        A,
        [e("CT", "7", "TW", date(2022, 4, 4), subject="về dân số")],
    ),
    # a central body after a comma opens the next clause
    (
        "Sau khi nghe Báo cáo số 10-BC/VPTW về chương trình công tác năm, Bộ Chính trị,"
        " Ban Bí thư kết luận như sau.",
        A,
        [e("BC", "10", "VPTW", subject="về chương trình công tác năm")],
    ),
    # so does a local committee, whose document the next reference is
    (
        "Thực hiện Nghị quyết số 30-NQ/TW về phát triển vùng, Huyện ủy Tân Yên đã ban hành Kế"
        " hoạch số 4-KH/HU.",
        A,
        [
            e("NQ", "30", "TW", subject="về phát triển vùng"),
            e("KH", "4", "HU", body="Huyện ủy Tân Yên"),
        ],
    ),
    # verbs that only introduce the topic; a semicolon before the next document ends it
    (
        "Báo cáo viên nêu, Quy định 80 bàn về phân cấp quản lý cán bộ; còn Kết luận 14 là kết"
        " luận về bảo vệ cán bộ dám nghĩ, dám làm.",
        A,
        [
            e("QĐi", "80", subject="về phân cấp quản lý cán bộ"),
            e("KL", "14", subject="về bảo vệ cán bộ dám nghĩ, dám làm"),
        ],
    ),
    (
        "Chỉ thị 25 quy định về công tác đối ngoại đảng.",
        A,
        [e("CT", "25", subject="về công tác đối ngoại đảng")],
    ),
    # the passive of implementing
    (
        "Chỉ thị số 24-CT/TW đã được Huyện ủy cụ thể hóa bằng Kế hoạch số 31-KH/HU.",
        A,
        [e("CT", "24", "TW", relations=[("implemented_by", 1)]), e("KH", "31", "HU")],
    ),
    # a purpose ("nhằm …") is a subject when nothing better is said
    (
        "Nghị quyết số 43-NQ/TW được Bộ Chính trị ban hành ngày 24/11/2023 nhằm phát huy sức"
        " mạnh đại đoàn kết.",
        A,
        [
            e(
                "NQ",
                "43",
                "TW",
                date(2023, 11, 24),
                body="Bộ Chính trị",
                subject="nhằm phát huy sức mạnh đại đoàn kết",
            )
        ],
    ),
    # "thực hiện Nghị quyết Đại hội …" names another document, not the one just named
    (
        "Chi bộ học tập Nghị quyết số 41-NQ/TW và ban hành Kế hoạch số 4-KH/CB thực hiện"
        " Nghị quyết Đại hội Đảng bộ tỉnh.",
        A,
        [e("NQ", "41", "TW"), e("KH", "4", "CB", relations=[])],
    ),
    (
        "Tỉnh triển khai các nhiệm vụ, giải pháp của Nghị quyết số 19-NQ/TW về nông nghiệp.",
        A,
        [e("NQ", "19", "TW", passing=True)],
    ),
    # a short name in parentheses does not end the clause; a title after a comma does
    (
        "Về triển khai Nghị quyết số 20-NQ/TW (Nghị quyết 20) của Bộ Chính trị khóa XI về"
        " phát triển khoa học, Thứ trưởng Lê Văn Ba cho biết nhiều việc đã xong.",
        A,
        [
            e("NQ", "20", "TW", body="Bộ Chính trị", term="XI", subject="về phát triển khoa học"),
            e("NQ", "20"),
        ],
    ),
    # a subject ends where the sentence goes on to what the document asks or does
    (
        "Kết luận số 70-KL/TW về phát triển thể thao, trong đó yêu cầu mỗi xã có sân chơi.",
        A,
        [e("KL", "70", "TW", subject="về phát triển thể thao")],
    ),
    (
        "Ban hành Kế hoạch số 6-KH/TU về chuyển đổi số; đồng thời giao các sở rà soát.",
        A,
        [e("KH", "6", "TU", subject="về chuyển đổi số")],
    ),
    (
        "Quy định số 9-QĐ/TW về bảo vệ cán bộ dám nghĩ, bởi đây là đòi hỏi của thực tiễn.",
        A,
        [e("QĐi", "9", "TW", subject="về bảo vệ cán bộ dám nghĩ")],
    ),
    (
        'Nghị quyết số 29-NQ/TW về "Đổi mới căn bản, toàn diện giáo dục"; phổ biến một số'
        " nội dung khác.",
        A,
        [e("NQ", "29", "TW", subject='về "Đổi mới căn bản, toàn diện giáo dục"')],
    ),
    # the date after the subject: ", ban hành ngày …", "ký ngày …"
    (
        "Quy định số 11-QĐ/TW về tiếp công dân, ban hành ngày 18/2/2019, là căn cứ quan trọng.",
        A,
        [e("QĐi", "11", "TW", date(2019, 2, 18), subject="về tiếp công dân")],
    ),
    # a document's own heading: number, dateline, then its type and topic on their lines
    (
        "Số: 65-QĐ/TW Hà Nội, ngày 28 tháng 4 năm 2022\nQUY ĐỊNH\nVỀ LUÂN CHUYỂN CÁN BỘ\n",
        A,
        [e("QĐi", "65", "TW", date(2022, 4, 28), subject="VỀ LUÂN CHUYỂN CÁN BỘ", header=True)],
    ),
    # -- things that look like references but are not -------------------------------
    ("Phát biểu kết luận hội nghị, đồng chí Bí thư Tỉnh ủy nhấn mạnh", A, []),
    ("kết luận hội nghị", Q, []),
    ("thực hiện Nghị quyết Đại hội XIII của Đảng", A, []),
    ("Nghị quyết Trung ương 4 khóa XII", A, []),
    ("đã 21 năm", A, []),
    ("đã 21 năm", Q, []),
    ("Đã 21 năm qua, tỉnh luôn đi đầu", A, []),  # sentence-initial "Đã" is not "ĐA"
    ("ĐÃ 21 NĂM XÂY DỰNG", A, []),
    ("ĐA 21", A, [e("ĐA", "21")]),  # ...while the abbreviation itself still counts
    ("trong năm 2021 và năm 2022", A, []),
    ("năm 2021", Q, []),
    ("xây dựng Chương trình hành động thực hiện", A, []),
    ("Đường dây nóng: 0912-345-678 hoặc 024 3825 1234", A, []),
    ("Tổng đài 1900 1234", A, []),
    ("sống thích ứng với dịch COVID-19 và COVID -19", A, []),
    ("xem tại https://baochinhphu.vn/ket-luan-so-21-kl-tw-102.htm", A, []),
    ("https://example.vn/van-ban/21-kl/tw/index.html", A, []),
    ("Ngày 21-10-2021, Tỉnh ủy họp", A, []),
]


@pytest.mark.parametrize(
    ("text", "question", "expected"), CASES, ids=[f"{i:03d}" for i in range(len(CASES))]
)
def test_reference_table(text: str, question: bool, expected: list[E]) -> None:
    refs = find_refs(text, question=question)
    assert len(refs) == len(expected), [(r.code, r.number, r.issuer_code) for r in refs]
    for ref, want in zip(refs, expected, strict=True):
        _check(ref, want, text)


def test_state_documents_are_records_only_when_asked_for() -> None:
    text = (
        "Nghị quyết số 58/NQ-CP ngày 21/4/2023 của Chính phủ ban hành Kế hoạch thực hiện"
        " Nghị quyết số 36-NQ/TW; Nghị quyết 07-NQ/CP ngày 5.6.2023"
    )
    state, party, odd = find_refs(text, with_state=True)
    assert (state.code, state.number, state.issuer_code, state.date) == (
        "NQ",
        "58/CP",
        "CP",
        date(2023, 4, 21),
    )
    assert (state.body, state.relations, state.display_id) == (
        "Chính phủ",
        [("implements", 1)],
        "58/NQ-CP",
    )
    assert (party.code, party.number, party.issuer_code) == ("NQ", "36", "TW")
    assert (odd.display_id, odd.state, odd.date) == ("07/NQ-CP", True, date(2023, 6, 5))
    # article text read for anything but records keeps only the Party reference
    (only,) = find_refs(text)
    assert (only.code, only.number, only.relations) == ("NQ", "36", [])


def test_a_state_document_putting_a_party_one_into_law_implements_it() -> None:
    text = "Chính phủ ban hành Nghị quyết số 40/NQ-CP để thể chế hóa Nghị quyết số 12-NQ/TW."
    state, party = find_refs(text, with_state=True)
    assert (state.display_id, state.relations) == ("40/NQ-CP", [("implements", 1)])
    assert party.display_id == "12-NQ/TW"


def test_title_body() -> None:
    assert title_body("Quy định mới của Bộ Chính trị về cán bộ", "QĐi") == ("Bộ Chính trị", "TW")
    assert title_body("Quy định mới của Bộ Chính trị về cán bộ", "KL") is None


def test_title_subject() -> None:
    title = "Kết luận Hội nghị lần thứ hai Ban Chấp hành Đảng bộ tỉnh (khóa XX) về giao thông (Tỉnh ủy A)"
    assert title_subject(title, "KL") == "về giao thông"
    assert title_subject(title, "NQ") is None
    assert title_subject("Tin tức hôm nay", "KL") is None


def test_table_is_large_enough() -> None:
    assert len(CASES) >= 70


# -- spans, ordering and the NFC contract ----------------------------------------------


def test_spans_point_at_the_reference_in_the_original_text() -> None:
    text = "Theo Kết luận số 21-KL/TW và Kế hoạch số 03-KH/TW, còn KL 21 thì"
    refs = find_refs(text)
    assert [text[r.start : r.end] for r in refs] == [
        "Kết luận số 21-KL/TW",
        "Kế hoạch số 03-KH/TW",
        "KL 21",
    ]
    assert [r.start for r in refs] == sorted(r.start for r in refs)


def test_subject_span_matches_subject() -> None:
    text = "Kết luận số 21-KL/TW ngày 25-10-2021 về đẩy mạnh xây dựng Đảng. Câu sau."
    (ref,) = find_refs(text)
    assert text[ref.subject_start : ref.clause_end] == "về đẩy mạnh xây dựng Đảng"


def _summary(refs: list[Ref]) -> list[tuple[Any, ...]]:
    return [
        (
            r.code,
            r.number,
            r.issuer_code,
            r.date,
            r.body,
            r.body_issuer,
            r.term,
            r.subject and unicodedata.normalize("NFC", r.subject),
            r.relations,
        )
        for r in refs
    ]


NFD_SAMPLES = [
    "Kết luận số 21-KL/TW ngày 25-10-2021 của Bộ Chính trị về đẩy mạnh xây dựng Đảng",
    "Kế hoạch số 03-KH/TW ngày 01-12-2021 của Bộ Chính trị thực hiện Kết luận số 21-KL/TW",
    "Quy định số 37-QĐi/TW ngày 25 tháng 10 năm 2021 của Ban Chấp hành Trung ương (khóa XIII)",
]


@pytest.mark.parametrize("text", NFD_SAMPLES, ids=["kl21", "kh03", "qdi37"])
def test_nfd_input_reads_like_nfc(text: str) -> None:
    nfd = unicodedata.normalize("NFD", text)
    assert nfd != text
    expected = _summary(find_refs(text))
    assert expected and expected[0][3] is not None  # a date was read from the NFC text
    # directly (spans then index the NFC form) and through clean_line, as callers do
    assert _summary(find_refs(nfd)) == expected
    assert _summary(find_refs(clean_line(nfd))) == expected


def test_old_tone_placement_does_not_matter() -> None:
    new = "Kết luận số 21-KL/TW về biểu hiện tự chuyển hóa của Bộ Chính trị"
    old = "Kết luận số 21-KL/TW về biểu hiện tự chuyển hoá của Bộ Chính trị"
    assert [(r.code, r.number, r.issuer_code) for r in find_refs(old)] == [("KL", "21", "TW")]
    assert find_refs(old)[0].subject == old[old.index("về") :]
    assert find_refs(new)[0].subject == new[new.index("về") :]


# -- the seed article ------------------------------------------------------------------


def _seed_text() -> str:
    if not SEEDS.is_dir():
        pytest.skip(f"seed articles not found at {SEEDS}")
    files = sorted(SEEDS.glob("*.txt"))
    if not files:
        pytest.skip(f"no seed article in {SEEDS}")
    return files[0].read_text(encoding="utf-8")


SEED_FULL = {
    "KL|21|TW",
    "KH|3|TW",
    "KL|14|TW",
    "QĐi|41|TW",
    "KL|12|TW",
    "KL|13|TW",
    "CT|48|TW",
    "KL|15|TW",
    "CT|46|TW",
    "CT|10|TW",
}
SEED_DISPLAY = {
    "21-KL/TW",
    "03-KH/TW",
    "14-KL/TW",
    "41-QĐ/TW",
    "12-KL/TW",
    "13-KL/TW",
    "48-CT/TW",
    "15-KL/TW",
    "46-CT/TW",
    "10-CT/TW",
}


@pytest.mark.parametrize("clean", [False, True], ids=["raw", "clean_text"])
def test_seed_article(clean: bool) -> None:
    text = _seed_text()
    if clean:
        text = clean_text(text)
    refs = find_refs(text)
    full = [r for r in refs if r.is_full]
    assert {f"{r.code}|{r.number}|{r.issuer_code}" for r in full} == SEED_FULL
    assert {r.display_id for r in full} == SEED_DISPLAY
    # "Kết luận số 14-NQ/TW": a Kết luận, never a Nghị quyết 14
    (kl14,) = [r for r in full if r.number == "14"]
    assert text[kl14.start : kl14.end] == "Kết luận số 14-NQ/TW"
    assert (kl14.code, kl14.date, kl14.body) == ("KL", date(2021, 9, 22), "Bộ Chính trị")
    # "13 KL/TW" without the hyphen
    (kl13,) = [r for r in full if r.number == "13"]
    assert text[kl13.start : kl13.end] == "Kết luận số 13 KL/TW"
    assert kl13.date == date(2021, 8, 16)
    # dates, bodies and terms as written
    by_id = {}
    for r in full:
        by_id.setdefault(r.display_id, r)
    assert by_id["21-KL/TW"].date == D_21
    assert by_id["21-KL/TW"].body == "Ban Chấp hành Trung ương"
    assert by_id["03-KH/TW"].date == date(2021, 12, 1)
    assert by_id["41-QĐ/TW"].date == date(2021, 11, 3)
    assert by_id["48-CT/TW"].term == "X"
    assert by_id["46-CT/TW"].term == "XI"
    assert by_id["15-KL/TW"].body == "Ban Bí thư"
    assert by_id["10-CT/TW"].body == "Ban Bí thư"
    # the second mention of 21-KL/TW is the one with "(khóa XIII)"
    assert [r.term for r in full if r.display_id == "21-KL/TW"] == [None, "XIII"]
    # the subject stops before the next document of the list
    subject = by_id["21-KL/TW"].subject or ""
    assert subject.startswith(
        "về đẩy mạnh xây dựng, chỉnh đốn Đảng và hệ thống chính trị; kiên quyết"
    )
    assert subject.endswith("“tự chuyển hóa”")
    assert "Kế hoạch" not in subject
    # the repeated subject in the seed is written "hoá"; clean_text moves the tone
    second = [r for r in full if r.display_id == "21-KL/TW"][1].subject or ""
    assert second.endswith("“tự chuyển hóa”" if clean else "“tự chuyển hoá”")
    # relations: plan 03 implements 21; 13 and 15 carry on directives 48 and 46
    pairs = {
        (r.display_id, relation, refs[target].display_id)
        for r in refs
        for relation, target in r.relations
    }
    assert pairs == {
        ("03-KH/TW", "implements", "21-KL/TW"),
        ("13-KL/TW", "implements", "48-CT/TW"),
        ("15-KL/TW", "implements", "46-CT/TW"),
    }
    # short back references, and nothing from "kết luận hội nghị" or "COVID -19"
    short = [(r.code, r.number, r.body_issuer) for r in refs if not r.is_full]
    assert short == [("KL", "21", None), ("KL", "14", None), ("NQ", "58", "TW")]


def test_same_type() -> None:
    assert same_type("QĐi", "QĐ") and same_type("QĐ", "QĐi") and same_type("KL", "KL")
    assert not same_type("KL", "NQ")
