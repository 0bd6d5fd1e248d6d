"""Understand a question: which documents it names, what it asks, its terms."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from index.doctypes import DOCUMENT_TYPES
from index.models import AnswerKind
from index.normalize import clean_line, fold
from index.refs import TYPE_NAMES, Ref, find_refs
from index.tokenize import STOP_SYLLABLES, content_query_tokens

# Folded words and abbreviations naming a document type -> code ("nq" -> "NQ")
TYPE_WORDS = {
    **{fold(name).lower(): code for code, name in TYPE_NAMES.items()},  # "nghi quyet"
    **{fold(code).lower(): code for code in TYPE_NAMES},  # "nq", "qdi"
    "van ban": "",
}


# a document type written out ("nghị quyết"), wherever it stands
TYPE_WORD_RE = re.compile(
    r"(?<![a-z])(?:"
    + "|".join(sorted((fold(n).lower() for n in TYPE_NAMES.values()), key=len, reverse=True))
    + r")(?![a-z])"
)
# "nghị quyết nào", "NQ gì", "văn bản nào": the question asks for a document.
# ("quy định gì" is not among them: there "quy định" is the verb.)
_ASKED_DOCUMENT = (
    r"(?:" + "|".join(sorted(TYPE_WORDS, key=len, reverse=True)) + r") nao"
    r"|(?<!la )(?:" + "|".join(sorted((w for w in TYPE_WORDS if w not in ("quy dinh", "qdi", "qd")),
                              key=len, reverse=True)) + r") gi"
)  # fmt: skip
_ASKED_DOCUMENT_RE = re.compile(r"(?<![a-z])(?:" + _ASKED_DOCUMENT + r")(?![a-z])")

# Relation verbs of this genre, folded; each family's key is what the question says.
RELATION_VERBS: dict[str, tuple[str, ...]] = {
    "replaces": ("thay the", "thay cho", "ke thua", "tiep noi", "so voi"),
    "amends": ("sua doi", "bo sung"),
    "implements": (
        "thuc hien", "trien khai", "huong dan", "cu the hoa", "chuong trinh hanh dong",
        "quan triet", "bao dam",
    ),
    "reviews": ("tong ket", "so ket", "danh gia"),
}  # fmt: skip
# The record relation each family names, seen from the document that acts and
# from the one acted on ("X thay thế Y": X replaces Y, Y is replaced_by X)
_RELATION_SIDES = {
    "replaces": ("replaces", "replaced_by"),
    "amends": ("amends", "amended_by"),
    "implements": ("implements", "implemented_by"),
    "reviews": ("reviews", "reviewed_by"),
}
VERB_RES = {
    family: re.compile(r"(?<![a-z])(?:" + "|".join(verbs) + r")(?![a-z])")
    for family, verbs in RELATION_VERBS.items()
}


# What the question asks, tried in this order on the folded question.
_KIND_PATTERNS = [
    ("date", r"ngay nao|ngay bao nhieu|khi nao|bao gio|ngay thang nao|nam nao|luc nao|thoi gian nao"
             r"|ngay ban hanh|ban hanh ngay|ky ngay|ra doi (?:khi|nam|ngay|luc|hoi|tu)|hoi nao"
             r"|(?:ngay|thang|nam) (?:may|bao nhieu)"),
    ("issuer", r"co quan nao|ai ban hanh|ai ky|do ai|cua ai|cap nao|ai (?:da )?thay mat [a-z ]{3,40} ky"
               r"|cua (?:bo chinh tri|ban bi thu|trung uong|ban chap hanh)[a-z ]{0,30} hay|ban hanh boi|co quan ban hanh"
               r"|don vi nao ban hanh|ai ra|noi nao ban hanh"),
    ("relation", r"(?:thuc hien|trien khai|thay the|sua doi|tiep tuc|tong ket|so ket)"
                 r"(?: cho)?(?: nhung| cac)?(?: van ban)? nao"
                 r"|\bnao\b.*\b(?:thuc hien|trien khai|thay the|sua doi|tong ket)\b|lien quan|di kem"
                 r"|" + _ASKED_DOCUMENT),
    ("subject", r"noi ve|ve gi|ve van de|ve viec gi|la gi|noi dung chinh|noi dung|de cap|tom tat"
                r"|y chinh|chu de|quy dinh gi|gom nhung gi|co gi|ra sao|noi (?:cai )?gi"),
]  # fmt: skip
_KIND_RES = [
    (AnswerKind(kind), re.compile(r"(?<![a-z])(?:" + p + r")(?![a-z])"))
    for kind, p in _KIND_PATTERNS
]

# Question frames and filler removed before retrieval (folded forms).
_FRAME_RE = re.compile(
    r"(?<![a-z])(?:"
    r"noi ve (?:dieu |van de |viec )?gi|ve (?:van de |viec )?gi|la gi|ban hanh ngay nao|ban hanh khi nao"
    r"|ngay nao|khi nao|bao gio|co quan nao ban hanh|co quan nao|ai ban hanh|do ai ban hanh|ban hanh"
    r"|cho (?:toi|minh|em|e|chau|anh|chi) (?:biet|hoi)|hay cho biet|xin hoi|cho hoi|(?:toi |em )?muon (?:biet|hoi)"
    r"|(?:ad|admin|bot|ban) oi|tom tat|moi nhat|gan day nhat|gan nhat|moi ban hanh|con hieu luc|hien nay"
    r"|noi dung chinh|noi dung|nhu the nao|the nao|ra sao|van ban nao|nhung van ban|cac van ban|van ban"
    r"|tai lieu nao|quy dinh nao|nghi quyet nao|ket luan nao|chi thi nao|ke hoach nao"
    r"|so may|so bao nhieu|so hieu (?:la )?(?:gi|bao nhieu)|so hieu|k|ko|hien hanh"
    r")(?![a-z])"
)
# "trung ương", "tỉnh ủy"… name the level a question means
_LEVELS = [
    (re.compile(r"(?<![a-z])(?:trung uong|bo chinh tri|ban bi thu)(?![a-z])"), "TW"),
    (re.compile(r"(?<![a-z])(?:tinh uy|thanh uy|cap tinh)(?![a-z])"), "TU"),
    (re.compile(r"(?<![a-z])(?:huyen uy|cap huyen)(?![a-z])"), "HU"),
]


# What may stand between a reference and the level word that qualifies it ("Quy định
# 08 cấp huyện", "… của Ban Thường vụ Tỉnh ủy", "… do huyện ủy ban hành"); after any
# other word the level is part of the content asked ("bí thư cấp huyện tiếp dân")
_LEVEL_LEAD_RE = re.compile(
    r"[\s,]*(?:(?:cua|do|ma|duoc|da|ban thuong vu|ban chap hanh|thuong truc)\s+)*"
)


def _level_named(folded: str, refs: list[Ref]) -> str | None:
    """The issuer level the question names: for a reference, a level word that
    qualifies it; without one, anywhere ("văn bản nào của tỉnh ủy về …")."""
    if not refs:
        return next((code for rx, code in _LEVELS if rx.search(folded)), None)
    tail = folded[refs[0].end : refs[0].end + _LEVEL_REACH]
    for rx, code in _LEVELS:
        if (m := rx.search(tail)) and _LEVEL_LEAD_RE.fullmatch(tail[: m.start()]):
            return code
    return None


def at_level(issuer_code: str | None, level: str) -> bool:
    """Whether a document's issuer is of the level a question names: a committee's
    boards carry its code at the end ("BTGTU" is the provincial Ban Tuyên giáo)."""
    return issuer_code is not None and issuer_code.endswith(level)


# Issuing bodies named in a topic question: they pick the level, they are not the topic
BODY_WORDS_RE = re.compile(
    r"(?<![a-z])(?:cua )?(?:trung uong(?: dang)?|bo chinh tri|ban bi thu|ban chap hanh"
    r"|tinh uy|thanh uy|huyen uy|dang)(?= |$)(?! vien| bo| uy| doan)"
)
_LEVEL_REACH = 30  # characters after a reference where "tỉnh ủy", "trung ương" name its level
_YEAR_RE = re.compile(r"(?<![\d/-])(19[5-9]\d|20[0-4]\d)(?![\d/-])")


@dataclass(frozen=True)
class Question:
    original: str
    text: str  # cleaned NFC
    refs: tuple[Ref, ...]
    kind: AnswerKind
    rest: str  # question text without references and frame words
    level: str | None  # issuer code the question names ("TW", "TU"), if any
    year: int | None
    # relation questions: the verb's family ("replaces"), whether the named document
    # stands before the verb ("X thay thế văn bản nào"), the document type asked for
    relation: str | None = None
    acts: bool = True
    asked_code: str | None = None  # "" for "văn bản nào"
    shape: re.Pattern[str] | None = None  # folded form of the answer ("5 chuan muc")
    # the type the relation verb implies for the document asked for ("văn bản nào
    # hướng dẫn X": a Hướng dẫn), when the question asks for the acting one
    verb_code: str | None = None
    newest: bool = False  # "mới nhất", "hiện hành": the newest document in force

    @cached_property
    def folded(self) -> str:
        """The cleaned question folded (no accents, lowercase, "đ" as "d")."""
        return fold(self.text)

    @cached_property
    def rest_tokens(self) -> list[str]:
        """Search tokens of `rest` (computed once; callers do not change them)."""
        return content_query_tokens(self.rest)

    @property
    def year_is_document(self) -> bool:
        """Whether the year is the named document's own ("Nghị quyết 29 năm 2017",
        "(2017)", "ban hành năm 2017"), not a date in another role ("sơ kết năm 2020")."""
        ref = self.refs[0] if self.refs else None
        return self.year is not None and ref is not None and bool(ref.date or ref.year)

    @property
    def wanted_relation(self) -> str | None:
        """The record relation of the named document the question asks for."""
        if self.relation is None:
            return None
        acting, acted_on = _RELATION_SIDES[self.relation]
        return acting if self.acts else acted_on


# "văn bản số 21": a number without a document type
_ANY_TYPE_RE = re.compile(r"(?<![a-z])van ban (?:so )?(?P<num>\d{1,4})(?![\d/-])")


# Abbreviations of central bodies typed in questions ("văn bản của BCT về …")
_BODY_ABBREVIATIONS = [
    (re.compile(r"(?<!\w)(?i:bct)(?!\w)"), "Bộ Chính trị"),
    (re.compile(r"(?<!\w)(?i:bbt)(?!\w)"), "Ban Bí thư"),
    (re.compile(r"(?<!\w)BCH(?!\w)"), "Ban Chấp hành"),
    (re.compile(r"(?<![\w/-])T[WƯ](?![\w/-])"), "Trung ương"),
]


def _expand(text: str) -> str:
    for rx, name in _BODY_ABBREVIATIONS:
        text = rx.sub(name, text)
    return text


# Chat shorthand cadres type ("j" for gì, "ko" for không), whole words only
_SHORTHAND = [
    (re.compile(r"(?<!\w)(?i:j|gj)(?!\w)"), "gì"),
    (re.compile(r"(?<!\w)(?i:bn|bnh)(?!\w)"), "bao nhiêu"),
    (re.compile(r"(?<!\w)(?i:ntn)(?!\w)"), "như thế nào"),
    (re.compile(r"(?<!\w)(?i:k|ko|kg|hok|khg|hông)(?!\w)"), "không"),
    (re.compile(r"(?<!\w)(?i:dc|đc|dk|đk)(?!\w)"), "được"),
    (re.compile(r"(?<!\w)(?i:vb|vbản)(?!\w)"), "văn bản"),
    (re.compile(r"(?<!\w)(?i:e)(?= (?i:hỏi|hoi|muốn|muon|cần|can)(?!\w))"), "em"),
    (re.compile(r"(?<!\w)(?i:ah|ak|à)(?=\W*$)"), "ạ"),
]
_CODES = "|".join(
    sorted(
        {fold(c).lower() for spec in DOCUMENT_TYPES.values() for c in spec[2]},
        key=len,
        reverse=True,
    )
)
# "KH 187/HU", "NQ 05-TU": the issuer written right after the number, no type
# code there; rewritten in the usual form "187-KH/HU"
_CODE_BEFORE_RE = re.compile(
    r"(?<![a-z0-9])(?P<code>" + _CODES + r")\s*(?:so\s*)?(?P<num>\d{1,4})\s*[/-]\s*"
    r"(?!(?:" + _CODES + r")(?![a-z]))(?P<issuer>[a-z]{2,8})(?![a-z0-9/-])"
)
# "NQ-57", "NQ.57": a code joined to its number -> "NQ 57"
_CODE_JOINED_RE = re.compile(
    r"(?<![a-z0-9])(?P<code>" + _CODES + r")[-._](?P<num>\d{1,4})(?![\d/-])"
)
# "nghiquyet 57", "chithi 35": a type name typed without its space
_GLUED_TYPE_RE = re.compile(
    r"(?<![a-z])(?P<glued>"
    + "|".join(fold(n).lower().replace(" ", "") for n in TYPE_NAMES.values())
    + r")(?![a-z])"
)
_GLUED_NAMES = {fold(n).lower().replace(" ", ""): n for n in TYPE_NAMES.values()}


def _rewrite(text: str, rx: re.Pattern[str], make: Callable[[dict[str, str]], str]) -> str:
    """`text` with each match of `rx` on its folded form replaced by `make(groups)`,
    the groups as typed (not folded)."""
    folded = fold(text)  # same length as `text`
    out, pos = [], 0
    for m in rx.finditer(folded):
        groups = {name: text[m.start(name) : m.end(name)] for name in rx.groupindex}
        out.append(text[pos : m.start()] + make(groups))
        pos = m.end()
    return "".join(out) + text[pos:]


def _shorthand(text: str) -> str:
    for rx, full in _SHORTHAND:
        text = rx.sub(full, text)
    folded = fold(text)
    if not any(rx.search(folded) for rx in (_GLUED_TYPE_RE, _CODE_JOINED_RE, _CODE_BEFORE_RE)):
        return text
    text = _rewrite(text, _GLUED_TYPE_RE, lambda g: _GLUED_NAMES[fold(g["glued"]).lower()])
    text = _rewrite(text, _CODE_JOINED_RE, lambda g: f"{g['code']} {g['num']}")
    return _rewrite(
        text, _CODE_BEFORE_RE, lambda g: f"{g['num']}-{g['code'].upper()}/{g['issuer'].upper()}"
    )


def understand(question: str) -> Question:
    text = _expand(_shorthand(clean_line(question)))
    refs = find_refs(text, question=True)
    folded = fold(text)
    if not refs and (m := _ANY_TYPE_RE.search(folded)):
        ref = Ref("", m.group("num").lstrip("0") or "0", m.start(), m.end())
        ref.clause_end = ref.subject_start = m.end()
        refs = [ref]
    kind = AnswerKind.SEARCH
    if refs:
        kind = next((k for k, rx in _KIND_RES if rx.search(folded)), AnswerKind.SUBJECT)
        if kind == AnswerKind.SUBJECT and _asks_more(text, refs):
            kind = AnswerKind.CONTENT
        if kind == AnswerKind.DATE and _EFFECT_RE.search(folded):
            kind = AnswerKind.CONTENT  # when it takes effect is in its text, not its record
    rest = _strip(text, refs)
    level = refs[0].issuer_code or refs[0].body_issuer if refs else None
    if level is None:
        level = _level_named(folded, refs)
    year_match = _YEAR_RE.search(folded)
    year = int(year_match.group(1)) if year_match else None
    if refs and (refs[0].date or refs[0].year):
        year = refs[0].date.year if refs[0].date else refs[0].year
    relation, acts = _relation_verb(folded, refs)
    asked = _ASKED_DOCUMENT_RE.search(_blank(folded, refs))
    asked_code = TYPE_WORDS[asked.group().rsplit(" ", 1)[0]] if asked else None
    verb_code = None
    if relation and not acts:
        verb_code = next(
            (code for rx, code in _VERB_TYPES if rx.search(_blank(folded, refs))), None
        )
    return Question(
        question, text, tuple(refs), kind, rest, level, year, relation, acts, asked_code,
        _answer_shape(_blank(folded, refs)), verb_code, bool(_NEWEST_RE.search(folded)),
    )  # fmt: skip


# Relation verbs that name the acting document's type ("văn bản nào hướng dẫn …")
_VERB_TYPES = [
    (re.compile(r"(?<![a-z])huong dan(?![a-z])"), "HD"),
    (re.compile(r"(?<![a-z])chuong trinh hanh dong(?![a-z])"), "CTr"),
]
# "mới nhất", "hiện hành": the newest document not replaced
_NEWEST_RE = re.compile(
    r"(?<![a-z])(?:moi nhat|hien hanh|gan day nhat|gan nhat|moi ban hanh|con hieu luc)(?![a-z])"
)


# "mấy chuẩn mực", "bao nhiêu hành vi": the answer is a number before those words;
# "miễn nhiệm là gì": a sentence defining the term
_COUNT_WORDS = frozenset({"bao", "nhieu", "may"})
_COUNT_RE = re.compile(r"(?<![a-z])(?:may|bao nhieu) ([a-z]+(?: [a-z]+)?)")
_DEFINITION_RE = re.compile(r"([a-z]+(?: [a-z]+){0,3}) la gi(?![a-z])")


_EFFECT_RE = re.compile(r"(?<![a-z])hieu luc(?![a-z])")


def _answer_shape(folded: str) -> re.Pattern[str] | None:
    # "từ chức theo Quy định 41 là gì": the reference is blanked, its preposition goes too
    folded = re.sub(r"(?<![a-z])(?:theo|trong|tai|cua) (?=la gi)", "", " ".join(folded.split()))
    if _EFFECT_RE.search(folded):
        return _EFFECT_RE
    if m := _COUNT_RE.search(folded):
        words = [w for w in m.group(1).split() if w not in STOP_SYLLABLES | _COUNT_WORDS]
        if words:
            return re.compile(r"(?<![\d.,])\d{1,3} " + " ".join(words) + r"(?![a-z])")
    if m := _DEFINITION_RE.search(folded):
        words = [w for w in m.group(1).split() if w not in STOP_SYLLABLES]
        if words:
            return re.compile(r"(?<![a-z])" + " ".join(words) + r" (?:la|duoc hieu la)(?![a-z])")
    return None


def _blank(folded: str, refs: list[Ref]) -> str:
    """The folded question with its references blanked out ("Hướng dẫn 06" is no verb)."""
    for ref in refs:
        folded = folded[: ref.start] + " " * (ref.end - ref.start) + folded[ref.end :]
    return folded


# Prepositions of means before the document asked for ("bằng kế hoạch nào"); not
# "theo", which names what the document follows ("thực hiện theo nghị quyết nào")
_INSTRUMENT_RE = re.compile(r"(?<![a-z])(?:bang|qua|thong qua)\s*$")


def _relation_verb(folded: str, refs: list[Ref]) -> tuple[str | None, bool]:
    """The relation verb's family, and whether the named document acts: the
    document asked for ("văn bản nào") stands on the verb's other side; without
    one, the named document's own side says it."""
    blanked = _blank(folded, refs)
    found = [(m.start(), family) for family, rx in VERB_RES.items() if (m := rx.search(blanked))]
    if not found:
        return None, True
    position, family = min(found)
    if asked := _ASKED_DOCUMENT_RE.search(blanked):
        acts = asked.start() > position
    else:
        acts = not refs or refs[0].start < position
    # "Quy định 200 được thay thế bởi văn bản nào": the passive turns it round
    if blanked[:position].rstrip().endswith((" duoc", " bi")):
        acts = not acts
    # "Thanh Hóa thực hiện Chỉ thị 04 bằng kế hoạch nào": the document asked for is
    # the instrument, so it is the one acting on the named document
    elif asked and _INSTRUMENT_RE.search(blanked[: asked.start()]):
        acts = False
    return family, acts


def _strip(text: str, refs: list[Ref]) -> str:
    """Cut references (with their date/issuer/term) and question frames out."""
    pieces, pos = [], 0
    for ref in refs:
        pieces.append(text[pos : ref.start])
        pos = max(pos, ref.subject_start if ref.subject else ref.clause_end)
    pieces.append(text[pos:])
    kept = " ".join(pieces)
    folded = fold(kept)
    out, pos = [], 0
    for m in _FRAME_RE.finditer(folded):
        out.append(kept[pos : m.start()])
        pos = m.end()
    out.append(kept[pos:])
    return " ".join(" ".join(out).split()).strip(" ?.,!:;")


# Words of a question about a document as a whole ("Quy định 69 quy định về gì?")
_SUBJECT_FRAME = frozenset(
    [
        "quy",
        "dinh",
        "noi",
        "de",
        "cap",
        "chu",
        "yeu",
        "chinh",
        "tap",
        "trung",
        "the",
        "hien",
        "van",
        "ban",
        "ban",
        "hanh",
        "muc",
        "dich",
        "cai",
        "vay",
        "vd",
        "viec",
        "dung",
        "huong",
        "dan",
    ]
)


def _asks_more(text: str, refs: list[Ref]) -> bool:
    """Whether the question asks about something in the document ("miễn nhiệm
    là gì", "gồm mấy điều"), beyond what the document is about."""
    pieces, pos = [], 0
    for ref in refs:
        pieces.append(text[pos : ref.start])
        pos = max(pos, ref.clause_end)
    pieces.append(text[pos:])
    folded = _without_body(fold(_strip(" ".join(pieces), [])))
    words = content_words(TYPE_WORD_RE.sub(" ", folded))
    return any(w not in _SUBJECT_FRAME and w not in TYPE_WORDS for w in words)


# "của Ban Tuyên giáo Tỉnh ủy Bắc Giang": the issuing body and its place, up to the
# first word that asks something ("nói", "về", "gồm")
_LOCAL_BODY_RE = re.compile(
    r"(?<![a-z])(?:cua )?(?:[a-z]+ ){0,4}?(?:(?:tinh|thanh|huyen|quan|thi|dang) uy"
    r"|ban can su dang|uy ban nhan dan|ubnd)(?: (?:tinh|thanh pho|huyen|quan|thi xa))?"
    r"(?P<place>(?: [a-z]+){0,3})"
)
_ASKING_WORDS = _SUBJECT_FRAME | STOP_SYLLABLES | {"gom", "bao", "nhieu", "may", "thuc", "trien"}


def _without_body(folded: str) -> str:
    def cut(m: re.Match[str]) -> str:
        kept = m.group("place").split()
        while kept and kept[0] not in _ASKING_WORDS:
            kept.pop(0)
        return " " + " ".join(kept) + " "

    return _LOCAL_BODY_RE.sub(cut, folded)


def content_words(rest: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9]+", fold(rest)) if w not in STOP_SYLLABLES]


# "nó", "văn bản này", "nghị quyết đó": the document of the previous answer
_IT_RE = re.compile(
    r"(?<![a-z])(?:no|(?:van ban|" + "|".join(sorted((fold(n).lower() for n in TYPE_NAMES.values()),
                                                  key=len, reverse=True))
    + r"|cai) (?:nay|do|tren|vua roi|kia))(?![a-z])"
)  # fmt: skip
# a follow-up asks only one of these about it, in the words that ask them
_FOLLOW_UP_KINDS = (AnswerKind.DATE, AnswerKind.ISSUER, AnswerKind.RELATION)
_ASKING_VOCABULARY = frozenset(
    [
        "ngay",
        "thang",
        "nam",
        "khi",
        "bao",
        "gio",
        "luc",
        "hoi",
        "may",
        "nhieu",
        "thoi",
        "gian",
        "ban",
        "hanh",
        "ky",
        "ai",
        "co",
        "quan",
        "cap",
        "don",
        "vi",
        "ra",
        "doi",
        "thay",
        "the",
        "sua",
        "bo",
        "sung",
        "thuc",
        "hien",
        "trien",
        "khai",
        "huong",
        "dan",
        "cu",
        "hoa",
        "tong",
        "ket",
        "so",
        "danh",
        "gia",
        "tiep",
        "tuc",
        "lien",
        "van",
        "con",
        "vay",
        "nhe",
        "ha",
        "nhi",
        "hieu",
        "luc",
        "ke",
        "hoach",
        "chuong",
        "trinh",
    ]
)


def follow_up(question: str, previous_id: str) -> str | None:
    """`question` about the previous answer's document (`previous_id`), when it
    names no document but points at one ("nó thay thế văn bản nào?") or asks
    nothing else ("ban hành ngày nào?", "ai ký?"); None for a new question."""
    text = clean_line(question)
    alone = understand(text)
    if alone.refs:
        return None
    if m := _IT_RE.search(fold(text)):
        return f"{text[: m.start()]}{previous_id}{text[m.end() :]}"
    other = set(content_words(TYPE_WORD_RE.sub(" ", fold(alone.rest)))) - _ASKING_VOCABULARY
    if not other and understand(f"{previous_id} {text}").kind in _FOLLOW_UP_KINDS:
        return f"{previous_id} {text}"
    return None
