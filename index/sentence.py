"""What the words around a document reference say about it: dates, issuing bodies,
the signer.

News reports give these before the reference as often as after it ("Ngày
3/4/2019, đồng chí Nguyễn Văn An thay mặt Bộ Chính trị ký Kết luận số …").
Everything here works on folded text (see `normalize.fold`, one character per
character) and reads names from the original at the same spans.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from index.normalize import fold

# -- dates ------------------------------------------------------------------------------
_DATE_NUMERIC = r"(?P<d>\d{1,2})\s*[-/.]\s*(?P<m>\d{1,2})\s*[-/.]\s*(?P<y>\d{4})"
_DATE_WORDS = r"(?P<d2>\d{1,2})\s+thang\s+(?P<m2>\d{1,2})\s+nam\s+(?P<y2>\d{4})"
# "ngày 3/11" without a year: read only where the year can come from the article
_DAY_MONTH = r"(?P<d3>\d{1,2})\s*[/.-]\s*(?P<m3>\d{1,2})(?![\d/.-]|\s*[/.-]\s*\d)"
# "(ngày 14/6/2024)", "(ban hành ngày 08.10.2024)", ", ký ngày 14/4/2025", "ra ngày 4/5/2025"
_ISSUED_ON = r"(?:(?:duoc |da )?(?:ky ban hanh|ban hanh|ky|ra(?: doi)?)(?: tai [a-z]+(?: [a-z]+){0,2})?,? (?:vao )?)?"
DATE_AFTER_RE = re.compile(
    r"\s*,?\s*(?:(?:\(\s*)?"
    + _ISSUED_ON
    + r"ngay\s*(?:"
    + _DATE_NUMERIC
    + "|"
    + _DATE_WORDS
    + "|"
    + _DAY_MONTH
    + r")\)?"
    # a full date alone in parentheses: "Nghị quyết số 57-NQ/TW (22/12/2024)"
    + r"|\(\s*"
    + _DATE_NUMERIC.replace("?P<", "?P<p")
    + r"\s*\))"
)
# "ngày 3/11", also "hôm 3/11", "sáng 21-11", "chiều thứ Năm (22/5)"
_ANY_DATE_RE = re.compile(
    r"(?<![a-z])(?:ngay|hom|(?:sang|chieu|toi|trua)(?: (?:ngay|hom nay|thu \w+))?\s*\(?)\s*(?:"
    + _DATE_NUMERIC
    + "|"
    + _DATE_WORDS
    + "|"
    + _DAY_MONTH
    + ")"
)


def parse_date(match: re.Match[str]) -> date | None:
    groups = match.groupdict()
    parts = [groups[k] or groups[k + "2"] or groups.get("p" + k) for k in ("d", "m", "y")]
    numbers = [int(p) for p in parts if p is not None]
    if len(numbers) < 3:
        return None
    day, month, year = numbers
    try:
        return date(year, month, day)
    except ValueError:
        return None


def day_month(match: re.Match[str]) -> tuple[int, int] | None:
    if match.group("d3") is None:
        return None
    day, month = int(match.group("d3")), int(match.group("m3"))
    return (day, month) if 1 <= day <= 31 and 1 <= month <= 12 else None


def date_in_year(day_month: tuple[int, int], published: date | None) -> date | None:
    """'Ngày 3/11' in an article of 5-11-2021 is 3-11-2021: the latest such day on or
    before publication, if it lies within half a year of it (else the year is unclear)."""
    if published is None:
        return None
    day, month = day_month
    for year in (published.year, published.year - 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate <= published:
            return candidate if (published - candidate).days <= 183 else None
    return None


# -- issuing bodies -----------------------------------------------------------------------
# folded pattern -> display name; central Party bodies issue …/TW documents
CENTRAL_BODIES = [
    (r"ban chap hanh trung uong(?: dang)?(?: cong san viet nam)?", "Ban Chấp hành Trung ương"),
    # "BCH TW", "BCH Trung ương", "Ban Chấp hành TƯ" (TƯ folds like "tu")
    (r"(?:bch|ban chap hanh) ?(?:tw|tu|trung uong)(?: dang)?", "Ban Chấp hành Trung ương"),
    (r"hoi nghi (?:lan thu \w+,? )?(?:ban chap hanh )?trung uong(?: dang)?(?: \d+| (?:mot|hai|ba|bon|tu|nam|sau|bay|tam|chin|muoi)(?![a-z]))?", "Ban Chấp hành Trung ương"),
    (r"bo chinh tri", "Bộ Chính trị"),
    (r"ban bi thu(?: trung uong dang)?", "Ban Bí thư"),
    (r"uy ban kiem tra trung uong", "Ủy ban Kiểm tra Trung ương"),
    (r"ban to chuc trung uong", "Ban Tổ chức Trung ương"),
    (r"ban tuyen giao(?: va dan van)? trung uong", "Ban Tuyên giáo Trung ương"),
    (r"van phong trung uong dang", "Văn phòng Trung ương Đảng"),
    (r"quan uy trung uong", "Quân ủy Trung ương"),
    (r"thu tuong chinh phu", "Thủ tướng Chính phủ"),
    (r"chinh phu", "Chính phủ"),
    (r"trung uong(?: dang)?(?: \d{1,2}(?!\d))?", "Ban Chấp hành Trung ương"),  # "Trung ương 4"
]  # fmt: skip
BODY_ISSUER = {
    "Ban Chấp hành Trung ương": "TW", "Bộ Chính trị": "TW", "Ban Bí thư": "TW",
    "Ủy ban Kiểm tra Trung ương": "UBKTTW", "Ban Tổ chức Trung ương": "BTCTW",
    "Ban Tuyên giáo Trung ương": "BTGTW", "Văn phòng Trung ương Đảng": "VPTW",
    "Quân ủy Trung ương": "QUTW", "Chính phủ": "CP", "Thủ tướng Chính phủ": "TTg",
}  # fmt: skip
# a committee's own departments issue under their own codes ("61-HD/BTGTU")
_DEPARTMENTS = {
    "ban tuyen giao va dan van": "BTGDV", "ban tuyen giao": "BTG", "ban to chuc": "BTC",
    "ban dan van": "BDV", "ban noi chinh": "BNC", "ban kinh te": "BKT",
    "uy ban kiem tra": "UBKT", "van phong": "VP",
}  # fmt: skip
LOCAL_BODY = (
    r"(?:(?:ban thuong vu |ban chap hanh dang bo |"
    + "|".join(f"{d} " for d in _DEPARTMENTS)
    + r")?(?:tinh uy|thanh uy|huyen uy|quan uy|thi uy|dang uy(?: khoi)?))"
)
# a party group inside a state body: "Ban cán sự đảng UBND tỉnh Quảng Ninh"
_PARTY_GROUP = r"ban can su dang"
LOCAL_ISSUER = {
    "tinh uy": "TU",
    "thanh uy": "TU",
    "huyen uy": "HU",
    "quan uy": "QU",
    "thi uy": "TU",
    "dang uy khoi": "ĐUK",
    "dang uy": "ĐU",
    "ban can su dang": "BCSĐ",
}
# words that end a local body's place name ("Tỉnh ủy Nghệ An | nói về gì")
NOT_PLACE = (
    r"(?:ve|thuc|ngay|khoa|va|nam|tai|noi|la|co|ban|duoc|da|de|yeu|gi|nao|the|khi|quy|so|"
    r"ky|ra|tu|trien|hoc|quan|nay|do|cua|voi|cho|khong|hay|vua|thay|tong|chu|pho|dong)\b"
)
CENTRAL_PATTERN = "|".join(p for p, _ in CENTRAL_BODIES)
_PLACE_WORD = r"(?: (?!" + NOT_PLACE + r")[a-z]+)"
BODY_PATTERN = (
    r"(?:" + CENTRAL_PATTERN + "|" + LOCAL_BODY + _PLACE_WORD + "{0,3}"
    r"|" + _PARTY_GROUP + _PLACE_WORD + "{0,5})"
)


def body_name(folded_body: str, original: str) -> tuple[str, str | None]:
    """Display name and issuer code of a body ("Bộ Chính trị" -> TW)."""
    for pattern, name in CENTRAL_BODIES:
        if re.fullmatch(pattern, folded_body):
            return name, BODY_ISSUER[name]
    original = _without_trailing_lowercase(original)
    folded_body = folded_body[: len(original)]
    for word, code in LOCAL_ISSUER.items():
        if word in folded_body:
            department = next((c for d, c in _DEPARTMENTS.items() if folded_body.startswith(d)), "")
            return original, department + code
    return original, None


def _without_trailing_lowercase(name: str) -> str:
    """'Tỉnh ủy Nghệ An tổ' -> 'Tỉnh ủy Nghệ An': a place name is capitalised, so a
    lowercase word after the committee belongs to the sentence."""
    if name.islower():  # typed in lower case (a question): case tells nothing
        return name
    words = name.split(" ")
    while (
        len(words) > 2
        and words[-1][:1].islower()
        and not _IS_COMMITTEE_WORD.fullmatch(fold(words[-1]))
    ):
        words.pop()
    return " ".join(words)


# -- facts stated before a reference ------------------------------------------------------
# the reference must be the object of an issuing verb: "… (đã) (ký) ban hành Quy định số …"
# (also "đã ra", "vừa có", "thông qua": "Bộ Chính trị vừa có Kết luận số …")
_ISSUED_RE = re.compile(
    r"(?:ky ban hanh|ban hanh|ky|thong qua|(?:da|vua|moi) (?:ra|co))(?: moi)?\s*$"
)
# a body in a person's title is not the issuer ("đồng chí X, Ủy viên Bộ Chính trị")
_BODY_BEFORE_RE = re.compile(
    r"(?<![a-z])(?<!uy vien )(?<!thuong truc )(?<!truong )(?<!pho )(?P<body>" + BODY_PATTERN + r")"
    r"(?=$|[\s,;.()])"
)
_ON_BEHALF_RE = re.compile(r"thay mat (?P<body>" + BODY_PATTERN + r")(?=$|[\s,;.()])")
_SIGNER_TITLE_RE = re.compile(
    r"(?<![a-z])(?:tong bi thu|chu tich nuoc|thu tuong(?: chinh phu)?|pho thu tuong"
    r"|thuong truc ban bi thu|bi thu (?:tinh|thanh|huyen) uy|chu tich)"
    r"(?:\s*,\s*(?:chu tich nuoc|chu tich quoc hoi|truong ban [a-z ]{3,30}?))?"
    r"\s+(?:dong chi\s+)?"
)
# first words of titles; compared as written ("Trưởng" is a title, "Trương" a surname)
_TITLE_WORDS = {"Tổng", "Phó", "Chủ", "Ủy", "Uỷ", "Trưởng", "Bí", "Thường", "Giám", "Chánh"}
_COMRADE_RE = re.compile(r"(?<![a-z])dong chi\s+")
_IS_COMMITTEE_WORD = re.compile(r"uy|khoi|dang|doan|vu")
_NAME_WORD_RE = re.compile(r"[^\W\d_]+")


@dataclass
class Before:
    """What the sentence says before a reference."""

    date: date | None = None
    day_month: tuple[int, int] | None = None  # a date without its year
    body: str | None = None
    body_issuer: str | None = None
    signer: str | None = None
    term: str | None = None  # "Bộ Chính trị khóa XIII đã ban hành …"


# the term right after a body: "Ban Chấp hành Trung ương Đảng khóa XIII"
_TERM_AFTER_BODY_RE = re.compile(r"\s*,?\s*\(?khoa (?P<term>[xvil]{1,6})(?![a-z])")


def facts_before(text: str, folded: str, start: int, end: int) -> Before:
    """Facts in text[start:end], the words of one sentence before a reference at `end`."""
    facts = Before()
    segment = folded[start:end]
    if not _ISSUED_RE.search(segment.rstrip(" ,")):
        return facts
    dates = list(_ANY_DATE_RE.finditer(segment))
    if dates:
        facts.date = parse_date(dates[-1])
        facts.day_month = None if facts.date else day_month(dates[-1])
    bodies = list(_ON_BEHALF_RE.finditer(segment)) or list(_BODY_BEFORE_RE.finditer(segment))
    if bodies:
        m = bodies[-1]
        original = text[start + m.start("body") : start + m.end("body")]
        facts.body, facts.body_issuer = body_name(m.group("body"), original)
        if term := _TERM_AFTER_BODY_RE.match(segment, m.end()):
            facts.term = term.group("term").upper()
    if "ky" in segment.split():
        facts.signer = _signer(text, segment, start)
    return facts


def _signer(text: str, segment: str, start: int) -> str | None:
    """'Tổng Bí thư Tô Lâm' -> 'Tô Lâm': two to four capitalised words after a title,
    or after "đồng chí" ("đồng chí Lê Văn A, Ủy viên Bộ Chính trị, … ký")."""
    for m in (*_SIGNER_TITLE_RE.finditer(segment), *_COMRADE_RE.finditer(segment)):
        words = []
        for word in text[start + m.end() :].split()[:4]:
            if not (_NAME_WORD_RE.fullmatch(word.rstrip(",")) and word[0].isupper()):
                break
            words.append(word.rstrip(","))
            if word.endswith(","):
                break
        # after "đồng chí" a title may come first ("đồng chí Phó Chủ tịch …"): not a name
        if 2 <= len(words) <= 4 and words[0] not in _TITLE_WORDS:
            return " ".join(words)
    return None


# -- who signed, said after the document ------------------------------------------------
# "… Quy định 144 do Tổng Bí thư Tô Lâm thay mặt Bộ Chính trị ký (ban hành) …",
# "… do đồng chí Nguyễn Văn A, Tổng Bí thư, thay mặt Bộ Chính trị ký."
_SIGNED_BY_RE = re.compile(
    r"\s*,?\s*(?:da\s+)?(?:duoc\s+)?do\s+(?P<who>[^.;!?\n]{3,160}?)\s+(?:da\s+)?ky(?![a-z])"
)
# where such a clause starts, ending a subject before it ("… về X do Tổng Bí thư … ký")
SIGNED_BY_START = (
    r"(?:da |duoc )?do (?:dong chi|tong bi thu|chu tich|thu tuong|pho thu tuong"
    r"|thuong truc ban bi thu)(?![a-z])"
)


def signed_after(text: str, folded: str, pos: int) -> tuple[Before, int] | None:
    """Signer and the body signed for, in a "do … ký" clause at `pos`; and where it ends."""
    m = _SIGNED_BY_RE.match(folded, pos)
    if not m:
        return None
    who = folded[m.start("who") : m.end("who")]
    signer = _signer(text, who, m.start("who"))
    if signer is None:
        return None
    facts = Before(signer=signer)
    if body := _ON_BEHALF_RE.search(who):
        original = text[m.start("who") + body.start("body") : m.start("who") + body.end("body")]
        facts.body, facts.body_issuer = body_name(body.group("body"), original)
    return facts, m.end()
