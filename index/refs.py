"""Find references to Party documents in Vietnamese text.

Works on the folded text (see `normalize.fold`, which keeps positions), so
"Kết luận", "Ket luan" and "KẾT LUẬN" are one pattern, and maps spans back
to the original for display. The type word wins over the code: "Kết luận
số 14-NQ/TW" is Kết luận 14. State documents ("169/NQ-CP", "30/2020/NĐ-CP")
are recognised and never taken for Party ones. What the sentence around a
reference says is read by `index.sentence`, how the references relate by
`index.relations`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from index.doctypes import CODE_VARIANTS as CODE_VARIANTS  # re-exported
from index.doctypes import DOCUMENT_TYPES as DOCUMENT_TYPES  # re-exported
from index.doctypes import TYPE_NAMES as TYPE_NAMES  # re-exported
from index.doctypes import TYPE_WORDS as TYPE_WORDS  # re-exported
from index.doctypes import TYPE_WORDS_PATTERN, WORD_TO_CODE
from index.doctypes import code_for_word as code_for_word  # re-exported
from index.doctypes import same_type as same_type  # re-exported
from index.normalize import fold, nfc
from index.relations import link as link_relations
from index.sentence import (
    BODY_PATTERN,
    CENTRAL_PATTERN,
    DATE_AFTER_RE,
    SIGNED_BY_START,
    Before,
    body_name,
    day_month,
    facts_before,
    parse_date,
    signed_after,
)

# folded raw code as written after the number -> canonical code
_RAW_CODES = {
    "nq": "NQ", "ct": "CT", "kl": "KL", "qdi": "QĐi", "qd": "QĐ", "kh": "KH", "hd": "HD",
    "tb": "TB", "tt": "TT", "qc": "QC", "ctr": "CTr", "da": "ĐA", "bc": "BC",
}  # fmt: skip
# type codes of state documents kept as records ("71/NQ-CP", "178/2024/NĐ-CP")
_STATE_CODES = {"nq": "NQ", "nd": "NĐ", "qd": "QĐ", "ct": "CT"}
# issuers that make a Party-looking code a state one ("03-NQ/CP")
_STATE_ISSUERS = {"cp": "CP", "ttg": "TTg", "ubnd": "UBND", "qh": "QH", "ubtvqh": "UBTVQH"}
# Abbreviations people type in questions ("KL21", "qd 41"). "QĐ" alone is
# ambiguous (Quy định or Quyết định); Quy định is far more often studied.
_ABBREV_CODES = dict(_RAW_CODES, qd="QĐi", qdi="QĐi")

ISSUER_CODES = {
    "tw": "TW", "tu": "TU", "hu": "HU", "qu": "QU", "du": "ĐU", "duk": "ĐUK", "vptw": "VPTW",
    "ubkttw": "UBKTTW", "btctw": "BTCTW", "btgtw": "BTGTW", "btgdvtw": "BTGDVTW",
    "bdvtw": "BDVTW", "bnctw": "BNCTW", "bktw": "BKTW", "qutw": "QUTW", "ducatw": "ĐUCATW",
    "bcsd": "BCSĐ", "dd": "ĐĐ",  # ban cán sự đảng, đảng đoàn
}  # fmt: skip

_TYPE_WORDS = TYPE_WORDS_PATTERN
_NUM = r"(?P<num>\d{1,4})(?!\d)"
_KNOWN_ISSUERS = "|".join(sorted(ISSUER_CODES, key=len, reverse=True))
# "số 21-KL/TW", "21-KL/TW", "13 KL/TW", "08- QĐi/TW", "21 - KL / TW", "45 – NQ/TW",
# "37QĐ/TW", "27-NQ-TW" (a known issuer only), "70-TB/TWngày" (glued to the next word)
_FULL_ID = (
    _NUM
    + r"(?:\s*[-–—]\s*|\s+|(?=[a-z]))(?P<code>[a-z]{1,4})"
    + r"(?:\s*/\s*(?P<issuer>(?:"
    + _KNOWN_ISSUERS
    + r")(?=ngay)|[a-z]{2,8}(?![a-z]))|\s*-\s*(?P<issuer2>"
    + _KNOWN_ISSUERS
    + r")(?![a-z]))"
)
_TYPE = r"(?<![a-z])(?P<type>" + _TYPE_WORDS + r")"
# "số", also as OCR leaves it on damaged pages ("sô'")
_SO = r"(?:\s+so['’`]?\s*|\s*)"

# "Chương trình hành động số 46-CTr/TU", "Kế hoạch liên tịch số 3-KH/…": a qualified type
_QUALIFIER = r"(?:\s+(?:hanh dong|lien tich|lien nganh)(?=\s+so))?"
FULL_RE = re.compile(_TYPE + _QUALIFIER + _SO + _FULL_ID)
BARE_ID_RE = re.compile(r"(?:(?<=so)|(?<![\w/-]))" + _FULL_ID)
SHORT_RE = re.compile(_TYPE + _SO + _NUM + r"(?!\s*[-/.,]?\s*\d)(?!\s*/)(?!\s*-\s*[a-z])")
# "KL 21", "qd41", also with the issuer after a slash as people type it ("KH 187/HU")
ABBREV_RE = re.compile(
    r"(?<![a-z0-9])(?P<abbr>qdi|qd|nq|ct|kl|kh|hd|tb|ctr|da)"
    + _SO
    + _NUM
    + r"(?:\s*/\s*(?P<issuer>[a-z]{2,8})(?![a-z-]))?(?![\d/-])"
)
# "169/NQ-CP", "30/2020/NĐ-CP", "1814/BNV-TCBC"
# "08-QĐi" with no issuer: a document of that type and number
CODE_ONLY_RE = re.compile(r"(?<![\w/-])" + _NUM + r"\s*-\s*(?P<code>[a-z]{1,4})(?![a-z/]|\s*[/-])")
STATE_RE = re.compile(
    r"(?<![\w/])(?P<num>\d{1,5})(?:/(?P<year>\d{4}))?/(?P<code>[a-z]{1,6})"
    r"(?P<issuer>(?:-[a-z]{1,8})+)(?![a-z])"
)
# "… năm 2014", "(ban hành năm 2014)", "ban hành tháng 12/2024", "(2017)"
YEAR_AFTER_RE = re.compile(
    r"\s*,?\s*(?:\(?(?:ban hanh )?(?:vao )?(?:nam |thang \d{1,2}\s*[/.-]\s*|thang \d{1,2} nam )"
    r"|\((?=\d{4}\)))(?P<year>(?:19|20)\d\d)(?!\d)\)?"
)
TERM_RE = re.compile(r"\s*,?\s*\(?\s*khoa\s+(?P<term>[xvil]{1,6})(?![a-z])\s*\)?")
# "… của Bộ Chính trị", also without "của" ("… 7-NQ/TW Hội nghị lần thứ Ba, Ban Chấp hành …")
BODY_RE = re.compile(r"(?:\s*,?\s*cua\s+|\s+)(?P<body>" + BODY_PATTERN + r")(?=$|[\s,;.()?!])")
# a second central body ("của Bộ Chính trị, Ban Bí thư"), not the subject of a new clause
JOINT_BODY_RE = re.compile(
    r"\s*(?:,|va)\s*(?:" + CENTRAL_PATTERN + r")(?=$|[\s,;.()?!])"
    r"(?!\s+(?:da |vua |se )?(?:ky|ban hanh|yeu cau|chi dao)(?![a-z]))"
)
# "… được Bộ Chính trị ban hành ngày 24/01/2025", "… do Ban Chấp hành Trung ương ban hành"
_PASSIVE = r"(?:duoc|do)\s+(?:(?P<pbody>" + BODY_PATTERN + r")\s+)?(?:ky\s+)?ban hanh(?![a-z])"
PASSIVE_RE = re.compile(r"\s*,?\s*" + _PASSIVE + r"(?:\s+(?:vao\s+)?(?=ngay))?")
# a document's own header: "Số: 14-QĐ/TW | Hà Nội, ngày 9 tháng 3 năm 2018"
_HEADER_RE = re.compile(r"(?:^|\n)\s*so\s*:?\s*$")
_DATELINE_RE = re.compile(r"\s*[|,]?\s*(?:[a-z]+ ){0,3}[a-z]+\s*,\s*(?=ngay)")
# what a clause about the document opens with; a title "với chủ đề “…”" is its quoted part
# "Nghị quyết 66 bàn về …", "Kết luận 21 là kết luận về …": a verb that only introduces it
_TOPIC_VERB = (
    r"(?:(?:quy dinh|noi|ban|de cap|huong dan|xac dinh|tap trung) (?=ve )"
    r"|la (?:mot )?(?:van ban|" + _TYPE_WORDS + r") (?=ve ))"
)
_SUBJECT_START_RE = re.compile(
    r"\s*,?\s*(?:(?:co |voi )(?:chu de|ten goi|tieu de|ten)(?: la)?\s*:?\s*(?=[“\"])|"
    + _TOPIC_VERB
    + r")?"
    r"(?P<lead>ve |thuc hien |tiep tuc thuc hien |trien khai thuc hien |trien khai |nham "
    r"|sua doi, bo sung |sua doi |thay the |tong ket |huong dan thuc hien |huong dan "
    r"|[“\"])"
)


@dataclass
class Ref:
    """One mention of a document in a text."""

    code: str  # canonical type code ("KL")
    number: str  # without leading zeros ("3" for "03")
    start: int
    end: int  # end of the reference itself (before date/issuer/subject)
    raw_code: str = ""  # code as written and accepted for this type ("QĐi"), or ""
    issuer_code: str | None = None  # "TW"; None for short references
    date: date | None = None
    year: int | None = None  # "… năm 2014" when no full date is given
    body: str | None = None  # "Bộ Chính trị"
    term: str | None = None  # "XIII"
    subject: str | None = None  # "về …"
    body_issuer: str | None = None  # issuer code implied by the body ("TW" for Bộ Chính trị)
    subject_start: int = 0  # where the "về …" clause starts (= clause_end when none)
    clause_end: int = 0  # end of the whole clause (subject included)
    relations: list[tuple[str, int]] = field(
        default_factory=list
    )  # (relation, index of target ref)
    state: bool = False  # a state document ("71/NQ-CP"), not a Party one
    written_tu: bool = False  # issuer written "TƯ": central unless the article is local
    day_month: tuple[int, int] | None = None  # "ngày 3/11" with no year (see merge)
    signer: str | None = None  # "Tô Lâm" in "Tổng Bí thư Tô Lâm ký ban hành …"
    passing: bool = False  # named in passing ("định hướng của Nghị quyết …")
    number_year: int | None = None  # the year inside a state number ("178/2024/NĐ-CP")
    bare: bool = False  # a code with no type word before it ("Số: 50-QĐ/TW")
    header: bool = False  # the number heading the document's own text ("Số 445-KL/TU")
    # relation from a document the sentence does not name ("Nghị quyết này thay cho …")
    lead: str | None = None
    lead_code: str | None = None  # type of that document, when the sentence gives it

    @property
    def type_name(self) -> str:
        return TYPE_NAMES[self.code]

    @property
    def is_full(self) -> bool:
        return self.issuer_code is not None

    @property
    def display_number(self) -> str:
        return self.number.partition("/")[0].zfill(2)

    @property
    def display_id(self) -> str:
        code = self.raw_code or self.code
        if self.state:
            return format_state_id(
                self.display_number, code, self.issuer_code or "?", self.number_year
            )
        return f"{self.display_number}-{code}/{self.issuer_code or '?'}"


def format_state_id(number: str, code: str, issuer: str, year: int | None) -> str:
    """'71/NQ-CP', '178/2024/NĐ-CP'."""
    return f"{number}/{year}/{code}-{issuer}" if year else f"{number}/{code}-{issuer}"


def _number(raw: str) -> str:
    return raw.lstrip("0") or "0"


def _raw_code_for(code: str, folded_raw: str) -> str:
    """The written code when it fits the type word (QĐ for a Quy định), else ''."""
    written = _RAW_CODES.get(folded_raw)
    return written if written in DOCUMENT_TYPES[code][2] else ""


def _issuer(folded: str, written: str) -> str:
    """Canonical code of a known issuer, else the code as written: folding is for
    matching, a displayed "BTGĐVTU" keeps its Đ."""
    return ISSUER_CODES.get(folded) or nfc(written.replace("Ð", "Đ").replace("ð", "đ")).upper()


def _scan_metadata(ref: Ref, text: str, folded: str) -> None:
    """Read date, issuing body, term and subject that follow a reference."""
    pos = ref.end
    ref.header = _HEADER_RE.search(folded, 0, ref.start) is not None
    if ref.header and (m := _DATELINE_RE.match(folded, pos)):
        pos = m.end()  # the place before the date in a header
    pos = _scan_parts(ref, text, folded, pos)
    # "… khóa XII (Nghị quyết số 18-NQ/TW) về …": the topic follows the parenthesis
    if _ALIAS_OPEN_RE.search(folded, max(0, ref.start - 40), ref.start) and (
        close := _ALIAS_CLOSE_RE.match(folded, pos)
    ):
        pos = close.end()
    if aside := _ALIAS_AFTER_RE.match(folded, pos):  # "(gọi tắt là Nghị quyết 57)"
        pos = _scan_parts(ref, text, folded, aside.end())
    ref.clause_end = ref.subject_start = pos
    if found := subject_at(text, folded, pos):
        ref.subject, ref.subject_start, end = found
        # "… về X (ngày 23-7-2025)", "… về X do Bộ Chính trị ban hành ngày …"
        ref.clause_end = _scan_parts(ref, text, folded, end)


def subject_at(text: str, folded: str, pos: int) -> tuple[str, int, int] | None:
    """The subject clause opening at `pos` ("về …", "thực hiện …", a quoted title):
    (subject, start, end), or None."""
    if not (m := _SUBJECT_START_RE.match(folded, pos)):
        return None
    start = m.start("lead")
    end = _clause_end(folded, start, text)
    subject = _unquoted(text[start:end].strip(" ,;:"))
    return (_trim(subject, 320), start, end) if len(subject) > 8 else None


def _scan_parts(ref: Ref, text: str, folded: str, pos: int) -> int:
    """Date, body, term and 'được … ban hành' parts from `pos`, in any order, each once."""
    for _ in range(5):
        if ref.date is None and ref.day_month is None and (m := DATE_AFTER_RE.match(folded, pos)):
            ref.date = parse_date(m)
            ref.day_month = None if ref.date else day_month(m)  # "ngày 17/10", no year
            pos = m.end()
            continue
        if ref.date is None and ref.year is None and (m := YEAR_AFTER_RE.match(folded, pos)):
            ref.year = int(m.group("year"))
            pos = m.end()
            continue
        if ref.body is None and (m := BODY_RE.match(folded, pos)):
            ref.body, ref.body_issuer = body_name(
                m.group("body"), text[m.start("body") : m.end("body")]
            )
            pos = m.end()
            continue
        if ref.body is not None and (m := JOINT_BODY_RE.match(folded, pos)):
            pos = m.end()  # "của Bộ Chính trị, Ban Bí thư": the first body stands
            continue
        if ref.term is None and (m := TERM_RE.match(folded, pos)):
            ref.term = m.group("term").upper()
            pos = m.end()
            continue
        m = _RESTATED_TYPE_RE.match(folded, pos) if ref.bare else None
        if m and same_type(ref.code, WORD_TO_CODE[m.group("type")]):
            ref.code = WORD_TO_CODE[m.group("type")]  # the type word wins: "QUY ĐỊNH" is QĐi
            pos = m.end()
            continue
        if m := PASSIVE_RE.match(folded, pos):
            if m.group("pbody") and ref.body is None:
                ref.body, ref.body_issuer = body_name(
                    m.group("pbody"), text[m.start("pbody") : m.end("pbody")]
                )
            pos = m.end()
            continue
        break
    return pos


_TERMINATORS = re.compile(
    r"\s(?=va cac (?:"
    + _TYPE_WORDS
    + r")(?![a-z]))|;(?=\s*(?:[a-z]+ ){0,2}(?:"
    + _TYPE_WORDS
    + r")\s)|[;,]\s*(?=(?:theo do|trong do|qua do|dong thoi|nham|de|boi|do do|vi vay|trong boi canh|co nhieu|co hieu luc|gom \d|coi(?! trong))(?![a-z]))|\.(?=\s|$)|\n|:\s|,\s*(?=(?:"
    + _TYPE_WORDS
    + r")\s+(?:so\s*)?\d)|\s(?=(?:va|cung|gom|cac) (?:"
    + _TYPE_WORDS
    + r")\s+so\s*\d)|\s(?="
    + _PASSIVE
    + r")|\s*\((?=\s*ngay\s*\d)|,?\s(?=(?:da |duoc )?(?:ky ban hanh|ban hanh|ky) (?:vao )?ngay\s*\d)|,?\s(?=thay the )|,?\s(?="
    + SIGNED_BY_START
    + r")"
    # "(sau đây viết tắt là …)", "(gọi tắt là Quy định 22)", "(Nghị quyết 71)": an alias
    + r"|\s*\((?=\s*(?:sau day|duoi day|goi tat|viet tat|(?:"
    + _TYPE_WORDS
    + r")\s+(?:so\s*)?\d))"
)
# "… định hướng của Nghị quyết N về …": the subject there is the other document's aside
_PASSING_RE = re.compile(
    r"(?:dinh huong|tinh than|quan diem|muc tieu|noi dung|yeu cau|chu truong|nhiem vu|giai phap"
    r"|chi tieu|ket qua)\s+cua\s+$"
)


# ends that need the original letters: "; Cổng …" (a capital after a semicolon), "… này, Ban …"
# "…, Bộ Chính trị (, Ban Bí thư) kết luận …": a body named after a comma opens a new clause
_CASED_TERMINATORS = re.compile(
    r";\s*(?=[A-ZĐ])|(?<=\snày)(?=,)"
    # "… về đất đai mà tỉnh đang triển khai": a relative clause about the document
    r"|\s(?=mà (?!còn ))"
    r"|,\s*(?=(?:Bộ Chính trị|Ban Bí thư|Ban Chấp hành Trung ương|Chính phủ|Thủ tướng)[\s,])"
    # "…, Đảng ủy Bộ Tư pháp đã ban hành …": so does a local committee or council
    r"|,\s*(?=(?:Ban Thường vụ |Ban Chấp hành Đảng bộ |Ban cán sự đảng )?"
    r"(?:Tỉnh ủy|Thành ủy|Huyện ủy|Quận ủy|Thị ủy|Đảng ủy|UBND|HĐND|Ủy ban nhân dân)\s)"
    # "…, Thứ trưởng … cho biết": a person's title after a comma opens the main clause
    r"|,\s*(?=(?:Tổng Bí thư|Bí thư|Thứ trưởng|Bộ trưởng|Chủ tịch|Phó Chủ tịch|Phó Thủ tướng"
    r"|Giám đốc|Trưởng ban|Thường trực|[Đđ]ồng chí)\s)"
)


def _unquoted(subject: str) -> str:
    """'"về X"' -> 'về X': quotation marks around a topic only mark where it ends (a
    quoted title such as “Một số vấn đề …” keeps them)."""
    if len(subject) > 2 and subject[0] in '"“' and subject[-1] in '"”':
        inner = subject[1:-1].strip()
        if fold(inner).startswith("ve ") and not any(q in inner for q in '"“”'):
            return inner
    return subject


# "đã/đang/sẽ/vừa" (compared as written: "đa" folds alike) open a predicate about the
# document after a comma ("…, đã tạo …") or before what is said of documents ("… đã thay
# thế/được/đề ra …"); elsewhere they belong to the subject: "đảng viên đang công tác",
# "cán bộ đã nghỉ hưu", "doanh nghiệp vừa và nhỏ"
_AUX_RE = re.compile(r"(?P<comma>,?)\s(?=(?P<aux>đã|đang|sẽ|vừa) )")
_DOCUMENT_PREDICATE_RE = re.compile(
    r"(?:(?:thuc su|that su|chinh thuc|tiep tuc|luon|dan) )?"
    r"(?:duoc|thay the|ban hanh|ky|sua doi|bo sung|cu the hoa|the che hoa|co|tao|mo ra|di vao"
    r"|de ra|neu|chi ra|chi ro|xac dinh|khang dinh|nhan manh|dat ra|yeu cau|chi dao|danh gia"
    r"|mang|dem lai|gop phan|phat huy|tro thanh|the hien|dat|het hieu luc|nhan duoc|tac dong"
    r"|khoi day|vao cuoc)(?![a-z])"
)
# people the auxiliary describes ("đảng viên đã có …"), never the document
_PERSON_BEFORE_RE = re.compile(
    r"(?:dang vien|can bo|cong chuc|vien chuc|nguoi|doanh nghiep|hoc sinh|sinh vien"
    r"|quan nhan|dong chi)$"
)


def _predicate_start(text: str, folded: str, start: int, end: int) -> int | None:
    """Where "đã/đang/sẽ/vừa" in text[start:end] opens a predicate about the document."""
    for m in _AUX_RE.finditer(text, start, end):
        verb = m.end() + len(m.group("aux")) + 1
        if m.group("comma") or (
            _DOCUMENT_PREDICATE_RE.match(folded, verb)
            and not _PERSON_BEFORE_RE.search(folded, start, m.start())
        ):
            return m.start()
    return None


# words that open a predicate and so end a subject before them ("…, đã thay thế …")
_TRAILING_AUX_RE = re.compile(r"[\s,]+(?:đã|đang|sẽ|vừa|cũng|thì|là)$", re.I)


def _clause_end(folded: str, start: int, text: str) -> int:
    # a quoted title: "… khóa XII “Một số vấn đề …”", a quoted topic: '… "về X" tới …',
    # a title quoted after "về": 'về "Xây dựng …"; phổ biến …'
    quote = start + 3 if folded.startswith(("ve “", 've "'), start) else start
    if folded.startswith(("“", '"'), quote):
        close = folded.find("”" if folded[quote] == "“" else '"', quote + 1, quote + 400)
        if close > 0:
            return close + 1
    m = _TERMINATORS.search(folded, start)
    end = m.start() if m else len(folded)
    if m := _CASED_TERMINATORS.search(text, start, end):
        end = m.start()
    if (predicate := _predicate_start(text, folded, start, end)) is not None:
        end = predicate
    while m := _TRAILING_AUX_RE.search(text, start, end):
        end = m.start()
    # a subject inside a quoted title ends at the title's closing quotation mark
    depth = 0
    for i in range(start, end):
        if folded[i] == "“":
            depth += 1
        elif folded[i] == "”":
            if depth == 0:
                return i
            depth -= 1
    return end


def _trim(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > 0 else limit].rstrip(" ,;") + " …"


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def find_refs(text: str, *, question: bool = False, with_state: bool = False) -> list[Ref]:
    """Every document reference in `text`, in order of appearance.

    Spans index `text` when it is NFC (as cleaned text is); other input is
    read, and its spans given, in NFC form.

    With `question=True`, lowercase abbreviations ("kl21", "qd 41") count too;
    in article text only capitalised ones do ("KL 21"), since "đã 21 năm"
    folds to the same letters as "ĐA 21". State documents ("71/NQ-CP") are
    returned in questions and with `with_state=True`; otherwise they only keep
    their numbers from being read as Party references.
    """
    # fold() keeps positions only for NFC text; spans of other input index its NFC form
    text = nfc(text)
    folded = fold(text)
    refs: list[Ref] = []
    taken: list[tuple[int, int]] = []
    for m in STATE_RE.finditer(folded):
        taken.append((m.start(), m.end()))
        code = _STATE_CODES.get(m.group("code"))
        if code:
            folded_issuer = m.group("issuer")[1:]
            issuer = (
                _STATE_ISSUERS.get(folded_issuer)
                or text[m.start("issuer") + 1 : m.end("issuer")].upper()
            )
            year = int(m.group("year")) if m.group("year") else None
            refs.append(_state_ref(code, m.group("num"), issuer, _type_start(folded, m.start()),
                                   m.end(), year))  # fmt: skip

    for rx in (FULL_RE, BARE_ID_RE):
        for m in rx.finditer(folded):
            raw = m.group("code")
            if raw not in _RAW_CODES or _overlaps(taken, m.start(), m.end()):
                continue
            code = WORD_TO_CODE[m.group("type")] if rx is FULL_RE else _RAW_CODES[raw]
            refs.append(_full_ref(code, raw, m, text))
            refs[-1].bare = rx is BARE_ID_RE
            taken.append((m.start(), m.end()))
    for m in SHORT_RE.finditer(folded):
        if _overlaps(taken, m.start(), m.end()):
            continue
        refs.append(Ref(WORD_TO_CODE[m.group("type")], _number(m.group("num")), m.start(), m.end()))
        taken.append((m.start(), m.end()))
    for m in CODE_ONLY_RE.finditer(folded):
        written = text[m.start("code") : m.end("code")]
        code = _RAW_CODES.get(m.group("code"))
        if code and written[:1].isupper() and not _overlaps(taken, m.start(), m.end()):
            refs.append(Ref(code, _number(m.group("num")), m.start(), m.end(),
                            raw_code=_raw_code_for(code, m.group("code"))))  # fmt: skip
            taken.append((m.start(), m.end()))
    for m in ABBREV_RE.finditer(folded):
        if _overlaps(taken, m.start(), m.end()):
            continue
        written = text[m.start("abbr") : m.end("abbr")]
        # "đã 21 năm" folds like "ĐA 21": the Đề án abbreviation must be written
        # "ĐA" exactly (a capital alone would let a sentence-initial "Đã 21 năm" in)
        if m.group("abbr") == "da":
            if written not in ("ĐA", "DA"):
                continue
        elif not question and not written[:1].isupper():
            continue
        ref = Ref(_ABBREV_CODES[m.group("abbr")], _number(m.group("num")), m.start(), m.end())
        if m.group("issuer"):
            issuer = text[m.start("issuer") : m.end("issuer")]
            central = issuer.lower() == "tư"  # Trung ương
            ref.issuer_code = "TW" if central else _issuer(m.group("issuer"), issuer)
        refs.append(ref)
        taken.append((m.start(), m.end()))

    refs.sort(key=lambda r: r.start)
    for ref in refs:
        _scan_metadata(ref, text, folded)
        if ref.written_tu and ref.body_issuer not in (None, "TW"):
            ref.issuer_code = ref.body_issuer  # "13-NQ/TƯ của Tỉnh ủy": TƯ mistyped for TU
    for i, ref in enumerate(refs):
        if i + 1 < len(refs):
            _end_before_next(ref, refs[i + 1], text, folded)
        _read_before(ref, refs[i - 1] if i else None, text, folded)
        _read_signer_after(ref, text, folded)
    link_relations(refs, folded)
    if question or with_state:
        return refs
    return _without_state(refs)


def _end_before_next(ref: Ref, following: Ref, text: str, folded: str) -> None:
    """'về X và kế hoạch triển khai Nghị quyết số …': a topic ("về …")
    ends at the "và" that leads to the next document."""
    if not ref.subject or not ref.subject_start < following.start < ref.clause_end:
        return
    if not folded.startswith("ve ", ref.subject_start):
        return
    cut = folded.rfind(" va ", ref.subject_start, following.start)
    if cut > ref.subject_start + 8 and "(" not in folded[cut : following.start]:
        ref.subject = text[ref.subject_start : cut].strip(" ,;:")
        ref.clause_end = cut


def _type_start(folded: str, start: int) -> int:
    """A state reference starts at its type word when one precedes it ("Nghị quyết số 71/…")."""
    m = re.search(r"(?:" + _TYPE_WORDS + r")(?:\s+so)?\s*$", folded[max(0, start - 20) : start])
    return start - (len(folded[max(0, start - 20) : start]) - m.start()) if m else start


def _full_ref(code: str, raw: str, m: re.Match[str], text: str) -> Ref:
    group = "issuer" if m.group("issuer") else "issuer2"
    folded_issuer = m.group(group)
    written = text[m.start(group) : m.end(group)]
    ref = Ref(code, _number(m.group("num")), m.start(), m.end(group),
              raw_code=_raw_code_for(code, raw), issuer_code=_issuer(folded_issuer, written))  # fmt: skip
    if folded_issuer == "tu" and written.lower() == "tư":  # Trung ương: a central document
        ref.issuer_code, ref.written_tu = "TW", True
    elif folded_issuer in _STATE_ISSUERS:  # "03-NQ/CP": a state document, written oddly
        return _state_ref(code, m.group("num"), _STATE_ISSUERS[folded_issuer], m.start(), ref.end)
    return ref


def _state_ref(
    code: str, num: str, issuer: str, start: int, end: int, year: int | None = None
) -> Ref:
    """A state document. Its number carries the issuer ("71/CP"): the Government's
    Nghị quyết 71 is never what a question about "Nghị quyết 71" means."""
    return Ref(code, f"{_number(num)}/{issuer}", start, end, raw_code=code, issuer_code=issuer,
               state=True, year=year, number_year=year)  # fmt: skip


_SENTENCE_START_RE = re.compile(r".*(?:[.!?;](?=\s)|\n)", re.S)


def _read_before(ref: Ref, previous: Ref | None, text: str, folded: str) -> None:
    """Date, issuer and signer the sentence gives before the reference."""
    head = _SENTENCE_START_RE.match(folded, 0, ref.start)
    start = head.end() if head else 0
    if previous is not None:
        start = max(start, previous.clause_end)
    if _PASSING_RE.search(folded, max(start, ref.start - 40), ref.start):
        ref.passing = True
    if start >= ref.start:
        return
    end = ref.start
    named = _NAMED_BEFORE_RE.search(folded, start, ref.start)
    if named and WORD_TO_CODE[named.group("type")] == ref.code:
        _read_name(ref, text, named)
    if alias := _ALIAS_OPEN_RE.search(folded, max(start, ref.start - 40), ref.start):
        end = _read_alias(ref, text, folded, start, alias.start())
    before: Before = facts_before(text, folded, start, end)
    if ref.date is None and before.date:
        ref.date = before.date
    if ref.date is None and ref.year is None and before.day_month:
        ref.day_month = before.day_month
    if ref.body is None and before.body:
        ref.body, ref.body_issuer = before.body, before.body_issuer
    ref.term = ref.term or before.term
    ref.signer = before.signer


def _read_signer_after(ref: Ref, text: str, folded: str) -> None:
    """ "… Nghị quyết 57 do Tổng Bí thư Tô Lâm thay mặt Bộ Chính trị ký ban hành ngày …"."""
    if ref.signer is not None or not (signed := signed_after(text, folded, ref.clause_end)):
        return
    facts, end = signed
    ref.signer = facts.signer
    if ref.body is None and facts.body:
        ref.body, ref.body_issuer = facts.body, facts.body_issuer
    ref.clause_end = _scan_parts(ref, text, folded, end)


# "… ký ban hành Quy định trách nhiệm nêu gương … (Quy định số 08-QĐi/TW)": the number
# in parentheses names the document the sentence has just described
_ALIAS_OPEN_RE = re.compile(r"\(\s*(?:(?:" + _TYPE_WORDS + r")\s+(?:so\s*)?)*$")
_ALIAS_AFTER_RE = re.compile(
    r"\s*,?\s*\(\s*(?:(?:sau day |duoi day )?(?:goi tat|viet tat|goi chung|goi|viet)(?: la)?"
    r"[^()]{1,60}|(?:"
    + _TYPE_WORDS
    + r"|nq|ct|kl|qdi|qd|kh|hd|tb|ctr|da)\s*(?:so\s*)?\d{1,4})\s*\)"
)
_ALIAS_CLOSE_RE = re.compile(r"\s*\)(?=\s*,?\s*(?:ve|nham) )")
_ISSUED_TYPE_RE = re.compile(r"ban hanh\s+(?P<type>" + _TYPE_WORDS + r")(?![a-z])")


# the type restated after a bare number: "Số 57-NQ/TW, ngày …, Nghị quyết của Bộ Chính trị về …"
_RESTATED_TYPE_RE = re.compile(r"\s*[,:–—-]?\s*(?P<type>" + _TYPE_WORDS + r")(?=\s+(?:cua|ve)\s)")
# the document's name before its number: "Nghị quyết Trung ương 4 khóa XII số 04-NQ/TW",
# "Nghị quyết Hội nghị Trung ương 6 khóa XII (Nghị quyết số 18-NQ/TW)"
_NAMED_BEFORE_RE = re.compile(
    r"(?<![a-z])(?P<type>"
    + _TYPE_WORDS
    + r")\s+(?:cua\s+)?(?P<body>"
    + CENTRAL_PATTERN
    + r")(?:\s*,?\s*\(?khoa (?P<term>[xvil]{1,6})\)?)?\s*(?:\(\s*)?(?:(?:"
    + _TYPE_WORDS
    + r")\s+)?(?:so\s*:?\s*)?$"
)


def _read_name(ref: Ref, text: str, named: re.Match[str]) -> None:
    if ref.body is None:
        ref.body, ref.body_issuer = body_name(
            named.group("body"), text[named.start("body") : named.end("body")]
        )
    if ref.term is None and named.group("term"):
        ref.term = named.group("term").upper()


def _read_alias(ref: Ref, text: str, folded: str, start: int, paren: int) -> int:
    """Body and subject from the description before a parenthesised reference; returns
    where the facts before the description end (its type word), or the reference start."""
    issued = [m for m in _ISSUED_TYPE_RE.finditer(folded, start, paren)
              if WORD_TO_CODE[m.group("type")] == ref.code]  # fmt: skip
    if not issued:
        return ref.start
    m = issued[-1]
    pos = m.end()
    if ref.body is None and (body := BODY_RE.match(folded, pos)):
        ref.body, ref.body_issuer = body_name(
            body.group("body"), text[body.start("body") : body.end("body")]
        )
        pos = body.end()
    about = folded.find(" ve ", pos, paren)
    subject = text[about + 1 if about >= 0 else pos : paren].strip(" ,;:")
    if ref.subject is None and len(subject) > 8:
        ref.subject = _trim(subject, 320)
    return m.start("type")


def _without_state(refs: list[Ref]) -> list[Ref]:
    """Drop state references, renumbering the relation targets of the rest."""
    new_index: dict[int, int] = {}
    for i, ref in enumerate(refs):
        if not ref.state:
            new_index[i] = len(new_index)
    kept = [refs[i] for i in new_index]
    for ref in kept:
        ref.relations = [(rel, new_index[t]) for rel, t in ref.relations if t in new_index]
    return kept


_TITLE_SUBJECT_RE = re.compile(
    r"(?P<type>" + _TYPE_WORDS + r")(?![a-z]).*?\s(?P<subject>ve\s[^()]{8,})"
)


_TITLE_BODY_RE = re.compile(
    r"(?P<type>"
    + _TYPE_WORDS
    + r")(?: moi)?\s+(?:cua|do)\s+(?P<body>"
    + BODY_PATTERN
    + r")(?![a-z])"
)


def title_body(title: str, code: str) -> tuple[str, str | None] | None:
    """'Quy định mới của Bộ Chính trị về …' -> ('Bộ Chính trị', 'TW') for a Quy định."""
    title = nfc(title)
    m = _TITLE_BODY_RE.search(fold(title))
    if not m or WORD_TO_CODE[m.group("type")] != code:
        return None
    return body_name(m.group("body"), title[m.start("body") : m.end("body")])


def title_subject(title: str, code: str) -> str | None:
    """'Kết luận Hội nghị … về xây dựng … (Tỉnh ủy …)' -> 'về xây dựng …', when the
    title names a document of type `code` without its number."""
    title = nfc(title)
    folded = fold(title)
    m = _TITLE_SUBJECT_RE.match(folded.strip())
    offset = len(folded) - len(folded.lstrip())
    if not m or WORD_TO_CODE[m.group("type")] != code:
        return None
    return title[offset + m.start("subject") : offset + m.end("subject")].strip(" ,.;:")
