"""Where and when a document was studied: dissemination events read from articles.

A pipeline of small rules over one article about one document:

1. the event sentence: the first sentence naming the document together with
   an event word (học tập, quán triệt, tọa đàm, sơ kết, tổng kết, kế hoạch,
   triển khai); the document's own clause (date, issuer, "về …" subject) is
   blanked first, so a subject such as "về thực hiện …" is not an event;
2. the kind, from the event word ("triển khai", "thực hiện" only with an
   organiser or a date in the same sentence: alone they mostly look back);
3. the organiser: a Party body ("Ban Thường vụ Tỉnh ủy Thanh Hóa", "Đảng ủy
   Khối …", "Huyện ủy Đông Sơn") followed by its proper name;
4. the province: a province named in the organiser, the sentence, the title
   or the article, in that order;
5. the day: a date in the event sentence or the opening sentence (the
   dateline: "Ngày 10-1-2022", "sáng 17/12"), a day without a year taking
   the article's; else the article's publication date;
6. the documents covered: every reference in the event sentence.

Each event keeps its evidence (the sentence) and its article; a part no
sentence supports stays empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from index.normalize import fold
from index.passages import sentences
from index.refs import Ref, find_refs

# (folded words, kind shown to users); the first that matches names the event
_KINDS = (
    (r"toa dam", "tọa đàm"),
    (r"so ket", "sơ kết"),
    (r"tong ket", "tổng kết"),
    (r"hoc tap|quan triet|nghien cuu", "học tập, quán triệt"),
    (r"(?:ban hanh|xay dung) (?:ke hoach|chuong trinh hanh dong)", "ban hành kế hoạch"),
    (r"trien khai|thuc hien", "triển khai thực hiện"),
)
IMPLEMENTED = _KINDS[-1][1]  # so common a word that it needs a body or a date beside it
_KIND_RES = [(re.compile(rf"(?<![a-z])(?:{words})(?![a-z])"), kind) for words, kind in _KINDS]

# Party bodies that organise study sessions, longest first (folded)
_BODIES = (
    "ban thuong vu tinh uy", "ban thuong vu thanh uy", "ban thuong vu huyen uy",
    "ban thuong vu quan uy", "ban thuong vu thi uy", "ban thuong vu thanh pho uy",
    "ban thuong vu dang uy", "ban chap hanh dang bo", "dang uy khoi", "dang uy",
    "tinh uy", "thanh uy", "huyen uy", "quan uy", "thi uy", "dang bo", "chi bo",
    "ban tuyen giao", "ban dan van",
)  # fmt: skip
_BODY_RE = re.compile(r"(?<![a-z])(?:" + "|".join(_BODIES) + r")(?![a-z])")
# lowercase words that may stand between a body and its proper name ("Đảng ủy xã Yên Phú")
_CONNECTORS = {"xa", "phuong", "thi", "tran", "huyen", "tinh", "thanh", "pho", "quan", "khoi",
               "cac", "co", "doanh", "nghiep", "tp", "tp."}  # fmt: skip

PROVINCES = (
    "Hà Nội", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Hà Giang", "Cao Bằng", "Bắc Kạn",
    "Tuyên Quang", "Lào Cai", "Điện Biên", "Lai Châu", "Sơn La", "Yên Bái", "Hòa Bình",
    "Thái Nguyên", "Lạng Sơn", "Quảng Ninh", "Bắc Giang", "Phú Thọ", "Vĩnh Phúc",
    "Bắc Ninh", "Hải Dương", "Hưng Yên", "Thái Bình", "Hà Nam", "Nam Định", "Ninh Bình",
    "Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Quảng Bình", "Quảng Trị", "Thừa Thiên Huế",
    "Quảng Nam", "Quảng Ngãi", "Bình Định", "Phú Yên", "Khánh Hòa", "Ninh Thuận",
    "Bình Thuận", "Kon Tum", "Gia Lai", "Đắk Lắk", "Đắk Nông", "Lâm Đồng", "Bình Phước",
    "Tây Ninh", "Bình Dương", "Đồng Nai", "Bà Rịa - Vũng Tàu", "Long An", "Tiền Giang",
    "Bến Tre", "Trà Vinh", "Vĩnh Long", "Đồng Tháp", "An Giang", "Kiên Giang", "Hậu Giang",
    "Sóc Trăng", "Bạc Liêu", "Cà Mau",
)  # fmt: skip
# "Hồ Chí Minh" alone is usually the President, not the city: only with its city words
_CITY_HCM = "Thành phố Hồ Chí Minh"
_PROVINCE_RE = re.compile(
    r"(?<![a-z])(?:(?P<hcm>(?:thanh pho|tp\.?) ho chi minh)|(?P<name>"
    + "|".join(re.escape(fold(p)) for p in sorted(PROVINCES, key=len, reverse=True))
    + r"))(?![a-z])"
)
_BY_FOLDED = {fold(p): p for p in PROVINCES}

_DAY = r"(?P<d>\d{1,2})\s*[-/]\s*(?P<m>\d{1,2})(?:\s*[-/]\s*(?P<y>\d{4}))?"
_DAY_WORDS = r"(?P<d2>\d{1,2}) thang (?P<m2>\d{1,2})(?: nam (?P<y2>\d{4}))?"
_DATE_RE = re.compile(
    r"(?<![a-z0-9])(?:ngay|sang|chieu|toi|trua|dem)\s+(?:"
    + _DAY
    + "|"
    + _DAY_WORDS
    + r")(?![\d/-])"
)


@dataclass(frozen=True)
class StudyEvent:
    kind: str  # "học tập, quán triệt", "tọa đàm", …
    organiser: str | None
    province: str | None
    day: date | None
    day_from_article: bool  # the article's date stands in for the event's
    documents: tuple[str, ...]  # display ids the event covered
    evidence: str  # the sentence it was read from


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with the spans replaced by spaces (positions kept)."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _clauses(refs: list[Ref]) -> list[tuple[int, int]]:
    """Each reference with its own date, issuer and subject: not about the event."""
    return [(r.start, max(r.end, r.clause_end)) for r in refs]


def _display(ref: Ref) -> str:
    return ref.display_id if ref.is_full else f"{ref.type_name} {ref.display_number}"


def _organiser(sentence: str, folded: str) -> str | None:
    m = _BODY_RE.search(folded)
    if m is None:
        return None
    words = sentence[m.end() :].split()
    taken: list[str] = []
    for word in words:
        bare = word.strip(',.;:()“”"')
        if not bare or word[0] in '(“"':  # "Thành ủy Vinh (Nghệ An)": an aside
            break
        if bare[0].isupper() or fold(bare) in _CONNECTORS:
            taken.append(bare)
            if bare != word:  # punctuation ends the name
                break
        else:
            break
    while taken and not taken[-1][0].isupper():  # "Đảng ủy khối tổ chức …"
        taken.pop()
    head = sentence[m.start() : m.end()]
    if not taken and not head.lower().startswith("ban "):
        return None  # "các Tỉnh ủy, Thành ủy": no particular body
    return " ".join([head[0].upper() + head[1:], *taken])


def find_province(text: str) -> str | None:
    folded = fold(text)
    for m in _PROVINCE_RE.finditer(folded):
        if not text[m.start()].isupper():
            continue
        return _CITY_HCM if m.group("hcm") else _BY_FOLDED[m.group("name")]
    return None


def _event_day(folded: str, published: date | None) -> date | None:
    for m in _DATE_RE.finditer(folded):
        d, month = m.group("d") or m.group("d2"), m.group("m") or m.group("m2")
        year = m.group("y") or m.group("y2")
        if year is None and published is None:
            continue
        try:
            day = date(int(year or published.year), int(month), int(d))  # type: ignore[union-attr]
        except ValueError:
            continue
        if year is None and published is not None and day > published:
            day = day.replace(year=day.year - 1)  # "17/12" in an article of January
        return day
    return None


def extract_event(
    title: str, paragraphs: list[str], published: date | None, wanted: tuple[str, str]
) -> StudyEvent | None:
    """The event an article reports about the document (`wanted` = (code, number))."""
    body = [s for p in paragraphs for s in sentences(p)]
    candidates = [*body, title]  # the title, short of names, only when no sentence says more
    opening = body[0] if body else ""
    for sentence in candidates:
        refs = find_refs(sentence)
        if not any((r.code, r.number) == wanted for r in refs):
            continue
        folded = _blank(fold(sentence), _clauses(refs))
        kind = next((k for pattern, k in _KIND_RES if pattern.search(folded)), None)
        if kind is None:
            continue
        plain = _blank(sentence, _clauses(refs))
        organiser = _organiser(plain, folded)
        day = _event_day(folded, published)
        if kind == IMPLEMENTED and organiser is None and day is None:
            continue  # "sau 10 năm thực hiện …": a look back, not an event
        if day is None and sentence is not opening:  # the dateline opens the article
            day = _event_day(_blank(fold(opening), _clauses(find_refs(opening))), published)
        province = next(
            (p for p in map(find_province, (organiser or "", plain, title, *paragraphs)) if p),
            None,
        )
        return StudyEvent(
            kind=kind,
            organiser=organiser,
            province=province,
            day=day or published,
            day_from_article=day is None and published is not None,
            documents=tuple(dict.fromkeys(_display(r) for r in refs)),
            evidence=sentence,
        )
    return None
