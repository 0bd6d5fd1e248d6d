"""Find references to Party documents in Vietnamese text.

Works on the folded text (see `normalize.fold`, which keeps positions), so
"Kết luận", "Ket luan" and "KẾT LUẬN" are one pattern, and maps spans back
to the original for display. The type word wins over the code: "Kết luận
số 14-NQ/TW" is Kết luận 14. State documents ("169/NQ-CP", "30/2020/NĐ-CP")
are recognised and never taken for Party ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from index.normalize import fold, nfc

# canonical code -> (Vietnamese type name, folded type words, accepted raw codes)
TYPES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "NQ": ("Nghị quyết", ("nghi quyet",), ("NQ",)),
    "CT": ("Chỉ thị", ("chi thi",), ("CT",)),
    "KL": ("Kết luận", ("ket luan",), ("KL",)),
    "QĐi": ("Quy định", ("quy dinh",), ("QĐi", "QĐ")),
    "QĐ": ("Quyết định", ("quyet dinh",), ("QĐ",)),
    "KH": ("Kế hoạch", ("ke hoach",), ("KH",)),
    "HD": ("Hướng dẫn", ("huong dan",), ("HD",)),
    "TB": ("Thông báo", ("thong bao",), ("TB",)),
    "TT": ("Thông tri", ("thong tri",), ("TT",)),
    "QC": ("Quy chế", ("quy che",), ("QC",)),
    "CTr": ("Chương trình", ("chuong trinh",), ("CTr",)),
    "ĐA": ("Đề án", ("de an",), ("ĐA",)),
    "BC": ("Báo cáo", ("bao cao",), ("BC",)),
}
TYPE_NAMES = {code: spec[0] for code, spec in TYPES.items()}
_WORD_TO_CODE = {word: code for code, spec in TYPES.items() for word in spec[1]}
# folded raw code as written after the number -> canonical code
_RAW_CODES = {
    "nq": "NQ", "ct": "CT", "kl": "KL", "qdi": "QĐi", "qd": "QĐ", "kh": "KH", "hd": "HD",
    "tb": "TB", "tt": "TT", "qc": "QC", "ctr": "CTr", "da": "ĐA", "bc": "BC",
}  # fmt: skip
# Abbreviations people type in questions ("KL21", "qd 41"). "QĐ" alone is
# ambiguous (Quy định or Quyết định); Quy định is far more often studied.
_ABBREV_CODES = dict(_RAW_CODES, qd="QĐi", qdi="QĐi")

ISSUER_CODES = {
    "tw": "TW", "tu": "TU", "hu": "HU", "qu": "QU", "du": "ĐU", "duk": "ĐUK", "vptw": "VPTW",
    "ubkttw": "UBKTTW", "btctw": "BTCTW", "btgtw": "BTGTW", "btgdvtw": "BTGDVTW",
    "bdvtw": "BDVTW", "bnctw": "BNCTW", "bktw": "BKTW", "qutw": "QUTW", "ducatw": "ĐUCATW",
    "tu.": "TU",
}  # fmt: skip

# Bodies named after "của": folded pattern -> display name (central bodies are /TW)
_CENTRAL_BODIES = [
    (r"ban chap hanh trung uong(?: dang)?(?: cong san viet nam)?", "Ban Chấp hành Trung ương"),
    (r"hoi nghi (?:lan thu \w+ )?(?:ban chap hanh )?trung uong(?: \d+| [a-z]+)?", "Ban Chấp hành Trung ương"),
    (r"bo chinh tri", "Bộ Chính trị"),
    (r"ban bi thu(?: trung uong dang)?", "Ban Bí thư"),
    (r"uy ban kiem tra trung uong", "Ủy ban Kiểm tra Trung ương"),
    (r"ban to chuc trung uong", "Ban Tổ chức Trung ương"),
    (r"ban tuyen giao(?: va dan van)? trung uong", "Ban Tuyên giáo Trung ương"),
    (r"van phong trung uong dang", "Văn phòng Trung ương Đảng"),
    (r"quan uy trung uong", "Quân ủy Trung ương"),
    (r"trung uong(?: dang)?", "Ban Chấp hành Trung ương"),
]  # fmt: skip
_BODY_ISSUER = {
    "Ban Chấp hành Trung ương": "TW", "Bộ Chính trị": "TW", "Ban Bí thư": "TW",
    "Ủy ban Kiểm tra Trung ương": "UBKTTW", "Ban Tổ chức Trung ương": "BTCTW",
    "Ban Tuyên giáo Trung ương": "BTGTW", "Văn phòng Trung ương Đảng": "VPTW",
    "Quân ủy Trung ương": "QUTW",
}  # fmt: skip
_LOCAL_BODY = r"(?:ban thuong vu |ban chap hanh dang bo )?(?:tinh uy|thanh uy|huyen uy|quan uy|thi uy|dang uy)"
_LOCAL_ISSUER = {
    "tinh uy": "TU",
    "thanh uy": "TU",
    "huyen uy": "HU",
    "quan uy": "QU",
    "thi uy": "TU",
    "dang uy": "ĐU",
}

_TYPE_WORDS = "|".join(sorted(_WORD_TO_CODE, key=len, reverse=True))
_NUM = r"(?P<num>\d{1,4})(?!\d)"
# "số 21-KL/TW", "21-KL/TW", "13 KL/TW", "08- QĐi/TW", "21 - KL / TW"
_FULL_ID = _NUM + r"\s*(?:-\s*|\s)\s*(?P<code>[a-z]{1,4})\s*/\s*(?P<issuer>[a-z]{2,8})(?![a-z])"
_TYPE = r"(?<![a-z])(?P<type>" + _TYPE_WORDS + r")"
_SO = r"(?:\s+so\s*|\s*)"

FULL_RE = re.compile(_TYPE + _SO + _FULL_ID)
BARE_ID_RE = re.compile(r"(?:(?<=so)|(?<![\w/-]))" + _FULL_ID)
SHORT_RE = re.compile(_TYPE + _SO + _NUM + r"(?!\s*[-/.,]?\s*\d)(?!\s*/)(?!\s*-\s*[a-z])")
ABBREV_RE = re.compile(
    r"(?<![a-z0-9])(?P<abbr>qdi|qd|nq|ct|kl|kh|hd|tb|ctr|da)" + _SO + _NUM + r"(?![\d/-])"
)
STATE_RE = re.compile(r"(?<![\w/])\d{1,5}(?:/\d{4})?/[a-z]{1,6}(?:-[a-z]{1,8})+(?![a-z])")

_DATE_NUMERIC = r"(?P<d>\d{1,2})\s*[-/.]\s*(?P<m>\d{1,2})\s*[-/.]\s*(?P<y>\d{4})"
_DATE_WORDS = r"(?P<d2>\d{1,2})\s+thang\s+(?P<m2>\d{1,2})\s+nam\s+(?P<y2>\d{4})"
DATE_AFTER_RE = re.compile(
    r"\s*,?\s*(?:\(\s*)?ngay\s*(?:" + _DATE_NUMERIC + "|" + _DATE_WORDS + r")\)?"
)
YEAR_AFTER_RE = re.compile(r"\s*,?\s*\(?(?:ban hanh )?nam (?P<year>(?:19|20)\d\d)(?!\d)\)?")
TERM_RE = re.compile(r"\s*,?\s*\(?\s*khoa\s+(?P<term>[xvil]{1,6})(?![a-z])\s*\)?")
# words that end a local body's place name ("Tỉnh ủy Nghệ An | nói về gì")
_NOT_PLACE = (
    r"(?:ve|thuc|ngay|khoa|va|nam|tai|noi|la|co|ban|duoc|da|de|yeu|gi|nao|the|khi|quy|so|"
    r"ky|ra|tu|trien|hoc|quan|nay|do|cua|voi|cho|khong|hay)\b"
)
BODY_RE = re.compile(
    r"\s*,?\s*cua\s+(?P<body>"
    + "|".join(p for p, _ in _CENTRAL_BODIES)
    + "|"
    + _LOCAL_BODY
    + r"(?: (?!"
    + _NOT_PLACE
    + r")[a-z]+){0,3})(?=$|[\s,;.()?!])"
)
_SUBJECT_START_RE = re.compile(
    r"\s*,?\s*(?P<lead>ve |thuc hien |tiep tuc thuc hien |trien khai thuc hien |sua doi, bo sung |sua doi |thay the |tong ket )"
)
_RELATION_VERBS = [
    (
        re.compile(r"(?:ve )?(?:viec )?(?:tiep tuc )?(?:day manh )?(?:trien khai )?thuc hien $"),
        "implements",
    ),
    (re.compile(r"(?:ve )?(?:viec )?sua doi,? bo sung(?: mot so dieu cua)? $"), "amends"),
    (re.compile(r"(?:,\s*)?(?:va )?thay the(?: cho)? $"), "replaces"),
    (re.compile(r"(?:so|tong) ket(?: viec)?(?: \d+ nam)?(?: thuc hien| trien khai)? $"), "reviews"),
]
# relations whose verb may stand anywhere in the sentence, not only opening the clause
_FREE_RELATIONS = {"replaces", "reviews"}
INVERSE = {
    "implements": "implemented_by", "implemented_by": "implements",
    "amends": "amended_by", "amended_by": "amends",
    "replaces": "replaced_by", "replaced_by": "replaces",
    "reviews": "reviewed_by", "reviewed_by": "reviews",
}  # fmt: skip

_LOCAL_WORD_LIMIT = 4


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

    @property
    def type_name(self) -> str:
        return TYPE_NAMES[self.code]

    @property
    def is_full(self) -> bool:
        return self.issuer_code is not None

    @property
    def display_number(self) -> str:
        return self.number.zfill(2)

    @property
    def display_id(self) -> str:
        code = self.raw_code or self.code
        return f"{self.display_number}-{code}/{self.issuer_code or '?'}"


def _number(raw: str) -> str:
    return raw.lstrip("0") or "0"


def _raw_code_for(code: str, folded_raw: str) -> str:
    """The written code when it fits the type word (QĐ for a Quy định), else ''."""
    written = _RAW_CODES.get(folded_raw)
    return written if written in TYPES[code][2] else ""


def _issuer(folded: str) -> str:
    return ISSUER_CODES.get(folded, folded.upper())


def parse_date(match: re.Match[str]) -> date | None:
    d, m, y = (match.group("d") or match.group("d2"), match.group("m") or match.group("m2"),
               match.group("y") or match.group("y2"))  # fmt: skip
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        return None


def _body_name(folded_body: str, original: str) -> tuple[str, str | None]:
    """Display name and issuer code for the body named after 'của'."""
    for pattern, name in _CENTRAL_BODIES:
        if re.fullmatch(pattern, folded_body):
            return name, _BODY_ISSUER[name]
    for word, code in _LOCAL_ISSUER.items():
        if word in folded_body:
            return original, code
    return original, None


def _scan_metadata(ref: Ref, text: str, folded: str) -> None:
    """Read date, issuing body, term and subject that follow a reference."""
    pos = ref.end
    for _ in range(4):  # the parts come in any order, each at most once
        if ref.date is None and (m := DATE_AFTER_RE.match(folded, pos)):
            ref.date = parse_date(m)
            pos = m.end()
            continue
        if ref.date is None and ref.year is None and (m := YEAR_AFTER_RE.match(folded, pos)):
            ref.year = int(m.group("year"))
            pos = m.end()
            continue
        if ref.body is None and (m := BODY_RE.match(folded, pos)):
            ref.body, ref.body_issuer = _body_name(
                m.group("body"), text[m.start("body") : m.end("body")]
            )
            pos = m.end()
            continue
        if ref.term is None and (m := TERM_RE.match(folded, pos)):
            ref.term = m.group("term").upper()
            pos = m.end()
            continue
        break
    ref.clause_end = ref.subject_start = pos
    if m := _SUBJECT_START_RE.match(folded, pos):
        start = m.start("lead")
        end = _clause_end(folded, start)
        subject = text[start:end].strip(" ,;:")
        if len(subject) > 8:
            ref.subject = _trim(subject, 320)
            ref.subject_start, ref.clause_end = start, end


_TERMINATORS = re.compile(
    r"\s(?=va cac (?:"
    + _TYPE_WORDS
    + r")(?![a-z]))|;(?=\s*(?:"
    + _TYPE_WORDS
    + r")\s)|\.(?=\s|$)|\n|:\s|,\s*(?=(?:"
    + _TYPE_WORDS
    + r")\s+(?:so\s*)?\d)|\s(?=(?:va|cung|gom|cac) (?:"
    + _TYPE_WORDS
    + r")\s+so\s*\d)"
)


def _clause_end(folded: str, start: int) -> int:
    m = _TERMINATORS.search(folded, start)
    return m.start() if m else len(folded)


def _trim(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > 0 else limit].rstrip(" ,;") + " …"


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def find_refs(text: str, *, question: bool = False) -> list[Ref]:
    """Every document reference in `text`, in order of appearance.

    Spans index `text` when it is NFC (as cleaned text is); other input is
    read, and its spans given, in NFC form.

    With `question=True`, lowercase abbreviations ("kl21", "qd 41") count too;
    in article text only capitalised ones do ("KL 21"), since "đã 21 năm"
    folds to the same letters as "ĐA 21".
    """
    # fold() keeps positions only for NFC text; spans of other input index its NFC form
    text = nfc(text)
    folded = fold(text)
    refs: list[Ref] = []
    taken: list[tuple[int, int]] = [(m.start(), m.end()) for m in STATE_RE.finditer(folded)]

    for m in FULL_RE.finditer(folded):
        if _overlaps(taken, m.start(), m.end()) or m.group("code") not in _RAW_CODES:
            continue
        code = _WORD_TO_CODE[m.group("type")]
        refs.append(Ref(code, _number(m.group("num")), m.start(), m.end(),
                        raw_code=_raw_code_for(code, m.group("code")),
                        issuer_code=_issuer(m.group("issuer"))))  # fmt: skip
        taken.append((m.start(), m.end()))
    for m in BARE_ID_RE.finditer(folded):
        bare_code = _RAW_CODES.get(m.group("code"))
        if bare_code is None or _overlaps(taken, m.start(), m.end()):
            continue
        code = bare_code
        refs.append(Ref(code, _number(m.group("num")), m.start(), m.end(),
                        raw_code=_raw_code_for(code, m.group("code")),
                        issuer_code=_issuer(m.group("issuer"))))  # fmt: skip
        taken.append((m.start(), m.end()))
    for m in SHORT_RE.finditer(folded):
        if _overlaps(taken, m.start(), m.end()):
            continue
        refs.append(
            Ref(_WORD_TO_CODE[m.group("type")], _number(m.group("num")), m.start(), m.end())
        )
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
        refs.append(
            Ref(_ABBREV_CODES[m.group("abbr")], _number(m.group("num")), m.start(), m.end())
        )
        taken.append((m.start(), m.end()))

    refs.sort(key=lambda r: r.start)
    for ref in refs:
        _scan_metadata(ref, text, folded)
    _link_relations(refs, folded)
    _link_anaphora(refs, folded)
    return refs


def _link_relations(refs: list[Ref], folded: str) -> None:
    """'Kế hoạch 03 … thực hiện Kết luận 21' -> refs[0] implements refs[1].

    Only the next reference can be the object. "thực hiện" and "sửa đổi" must
    open the clause after the reference's date and issuer; "thay thế" and
    "tổng kết việc thực hiện" may stand anywhere in the same sentence.
    """
    for index, (ref, target) in enumerate(zip(refs, refs[1:], strict=False)):
        gap = folded[ref.subject_start : target.start]
        in_clause = target.start < ref.clause_end
        same_sentence = len(gap) <= 200 and not re.search(r"[.;!?](?:\s|$)", gap)
        for pattern, relation in _RELATION_VERBS:
            m = pattern.search(gap)
            if not m:
                continue
            opens_clause = in_clause and gap[: m.start()].strip(" ,") == ""
            if opens_clause or (relation in _FREE_RELATIONS and (in_clause or same_sentence)):
                ref.relations.append((relation, index + 1))
                break


_ANAPHORA_RE = re.compile(
    r"\W*(?P<type>" + _TYPE_WORDS + r"|van ban)(?: (?:nay|moi|tren))?(?![a-z])[^;]{0,160}?"
    r"(?P<verb>thay the|thuc hien|sua doi,? bo sung)(?: cho)? $"
)
_ANAPHORA_RELATIONS = {"thay the": "replaces", "thuc hien": "implements"}


def _link_anaphora(refs: list[Ref], folded: str) -> None:
    """'… Quy định số 37-QĐi/TW … . Quy định này thay thế Quy định số 47-QĐ/TW'."""
    for j, target in enumerate(refs):
        sentence_start = (
            max(folded.rfind(". ", 0, target.start), folded.rfind("\n", 0, target.start)) + 1
        )
        if any(sentence_start <= r.start < target.start for r in refs[:j]):
            continue
        m = _ANAPHORA_RE.match(folded, sentence_start, target.start)
        if not m:
            continue
        code = _WORD_TO_CODE.get(m.group("type"))
        # the document being discussed, not one it was just related to
        targets = {k for r in refs for _, k in r.relations}
        antecedents = [
            r for i, r in enumerate(refs[:j])
            if r.is_full and i not in targets and (code is None or r.code == code)
        ]  # fmt: skip
        if antecedents:
            relation = _ANAPHORA_RELATIONS.get(m.group("verb"), "amends")
            antecedents[-1].relations.append((relation, j))


def issuer_from_body(body: str | None) -> str | None:
    return _BODY_ISSUER.get(body or "")


def code_for_word(folded_word: str) -> str | None:
    return _WORD_TO_CODE.get(folded_word)
