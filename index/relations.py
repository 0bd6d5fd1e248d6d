"""How the documents named in one text relate: which implements, replaces, amends,
reviews, follows or builds on which.

Works on the references `index.refs.find_refs` found, in order, with their
clause spans; adds (relation, index of the other reference) to `Ref.relations`,
or sets `Ref.lead` where the sentence's subject is a document it does not name.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from index.doctypes import TYPE_WORDS_PATTERN, WORD_TO_CODE

if TYPE_CHECKING:
    from index.refs import Ref

_TYPE_WORDS = TYPE_WORDS_PATTERN

_RELATION_VERBS = [
    (
        re.compile(
            r"(?:nham |de )?(?:ve )?(?:viec )?(?:tiep tuc )?(?:day manh )?(?:quan triet,? (?:va )?)?"
            r"(?:trien khai |huong dan )?(?:ban hanh )?(?:(?:chuong trinh hanh dong|ke hoach) (?:de )?)?"
            # "thể chế hóa": a state document putting a Party one into law
            r"(?:thuc hien|cu the hoa|the che hoa|trien khai)"
            r"(?: mot so (?:dieu|noi dung) (?:trong|cua))? $"
        ),
        "implements",
    ),
    (re.compile(r"huong dan(?: mot so (?:dieu|noi dung) (?:trong|cua))? $"), "implements"),
    (
        re.compile(
            r"(?:ve )?(?:viec )?(?:sua doi(?:,? bo sung)?|bo sung)(?: mot so dieu (?:cua|trong))? $"
        ),
        "amends",
    ),
    (re.compile(r"(?:,\s*)?(?:va )?thay (?:the(?: cho)?|cho) $"), "replaces"),
    (re.compile(r"(?:so|tong) ket(?: viec)?(?: \d+ nam)?(?: thuc hien| trien khai)? $"), "reviews"),
    # the passive: "Quy định 105 … được thay thế bằng Quy định 80"
    (re.compile(r"(?:da )?(?:duoc|bi) thay the (?:bang|boi) $"), "replaced_by"),
    (re.compile(r"(?:da )?duoc sua doi(?:,? bo sung)? (?:bang|boi|tai|theo) $"), "amended_by"),
    # "Nghị quyết 57 đã được tỉnh cụ thể hóa bằng Kế hoạch số 288 …"
    (
        re.compile(
            r"(?:da )?duoc (?:[a-z]+ ){0,3}?(?:cu the hoa|the che hoa|trien khai(?: thuc hien)?)"
            r" (?:bang|qua|tai|theo) $"
        ),
        "implemented_by",
    ),
    # "kế thừa (và phát triển | và bổ sung) … Quy định …" (up to 40 characters between)
    (re.compile(r"ke thua(?: va (?:phat trien|bo sung))?[^.;,]{0,40}? $"), "follows"),
    # "Kết luận số 12-KL/TW nêu kết quả sau 5 năm thực hiện Nghị quyết số 3-NQ/TW"
    (
        re.compile(r"(?:sau|qua) (?:\d+|[a-z]+) nam (?:trien khai |thi hanh )?thuc hien $"),
        "reviews",
    ),
    (re.compile(r"(?:sau|qua) (?:\d+|[a-z]+) nam (?:trien khai|thi hanh) $"), "reviews"),
]
# relations whose verb may stand anywhere in the sentence, not only opening the clause
_FREE_RELATIONS = {
    "replaces", "reviews", "amends", "follows", "replaced_by", "amended_by", "implemented_by",
}  # fmt: skip
INVERSE = {
    "implements": "implemented_by", "implemented_by": "implements",
    "amends": "amended_by", "amended_by": "amends",
    "replaces": "replaced_by", "replaced_by": "replaces",
    "reviews": "reviewed_by", "reviewed_by": "reviews",
    "follows": "followed_by", "followed_by": "follows",
    "based_on": "basis_of", "basis_of": "based_on",
}  # fmt: skip
# a second object of the same verb: "thay thế Quy định số 07 … và Quy định số 102 …"
# (a comma alone does not join: news lists of documents are comma-separated)
_ALSO_RE = re.compile(r",?\s*va\s+")


def link(refs: list[Ref], folded: str) -> None:
    """Every relation the text states between its references."""
    _link_relations(refs, folded)
    _link_anaphora(refs, folded)
    _link_after(refs, folded)
    _link_back(refs, folded)


def _link_relations(refs: list[Ref], folded: str) -> None:
    """'Kế hoạch 03 … thực hiện Kết luận 21' -> refs[0] implements refs[1].

    The object is the next reference, and those of the same type joined to it
    by "và" ("thay thế Quy định số 07 … và Quy định số 102 …"). "thực hiện" and
    "sửa đổi" must open the clause after the reference's date and issuer;
    "thay thế", "sửa đổi" and "tổng kết" may stand anywhere in the same sentence.
    """
    for index, (ref, target) in enumerate(zip(refs, refs[1:], strict=False)):
        gap = folded[ref.subject_start : target.start]
        in_clause = target.start < ref.clause_end
        after_clause = folded[ref.clause_end : target.start]
        same_sentence = len(after_clause) <= 200 and not re.search(r"[.;!?](?:\s|$)", gap)
        for pattern, relation in _RELATION_VERBS:
            m = pattern.search(gap)
            if not m:
                continue
            # the verb comes first in the subject, or right after a reference with none
            opens_clause = (in_clause or ref.subject is None) and gap[: m.start()].strip(" ,") == ""
            if opens_clause or (relation in _FREE_RELATIONS and (in_clause or same_sentence)):
                ref.relations.append((relation, index + 1))
                for k in range(index + 2, len(refs)):
                    joined = folded[refs[k - 1].clause_end : refs[k].start]
                    if not _ALSO_RE.fullmatch(joined) or refs[k].code != target.code:
                        break
                    ref.relations.append((relation, k))
                break


_ANAPHORA_RE = re.compile(
    r"\W*(?P<type>" + _TYPE_WORDS + r"|van ban)(?: (?:nay|moi|tren))?(?![a-z])[^;]{0,160}?"
    r"(?P<verb>thay the|thay cho|thuc hien|sua doi,? bo sung)(?: cho)? $"
)
_ANAPHORA_RELATIONS = {"thay the": "replaces", "thay cho": "replaces", "thuc hien": "implements"}


# sentences that relate the document under discussion, unnamed, to the one they name
_LEAD_RES = [
    (
        re.compile(r"\W*(?:sau|qua) (?:\d+|[a-z]+) nam (?:thuc hien|trien khai(?: thuc hien)?) $"),
        "reviews",
    ),
    (re.compile(r"\W*so voi $"), "follows"),
    # "Ngay sau khi Ban Thường vụ ban hành Chỉ thị số 19-CT/TU …, tỉnh đã …"
    (re.compile(r"\W*(?:ngay )?sau khi [a-z ]{0,60}ban hanh $"), "follows"),
    # "… phải đảm bảo tinh thần Chỉ thị số 7-CT/TW": the document builds on it
    (
        re.compile(
            r"[^.;]{0,240}(?:bao dam|dam bao) (?:cac |dung )?(?:yeu cau|tinh than) (?:cua )?$"
        ),
        "based_on",
    ),
]
# "Ngay sau khi Nghị quyết A được ban hành, Chính phủ ban hành Nghị quyết B để thực hiện",
# "Thực hiện Chỉ thị A …, Ban Thường vụ Tỉnh ủy ban hành Kế hoạch B …"
_OPENS = r"(?:^|[.;!?\n]\s*)\W*"
_AFTER_RE = re.compile(_OPENS + r"(?:ngay )?sau khi\s*$")
_CARRYING_OUT_RE = re.compile(_OPENS + r"(?:de )?(?:thuc hien|trien khai(?: thuc hien)?)\s*$")
_TO_IMPLEMENT_RE = re.compile(
    r"\s*,?\s*(?:de|nham) (?:trien khai )?(?:thuc hien|cu the hoa)(?![a-z])"
)
_ISSUES_RE = re.compile(r"(?:ban hanh|ky)\s*$")


def _link_after(refs: list[Ref], folded: str) -> None:
    """B implements A, named first in the sentence: "sau khi A …, … B để thực hiện",
    "Thực hiện A, … ban hành B"."""
    for i, (a, b) in enumerate(zip(refs, refs[1:], strict=False)):
        if b.relations or re.search(r"[.;!?](?:\s|$)", folded[a.end : b.start]):
            continue
        after = _AFTER_RE.search(folded, 0, a.start) and _TO_IMPLEMENT_RE.match(
            folded, b.clause_end
        )
        carrying_out = _CARRYING_OUT_RE.search(folded, 0, a.start) and _ISSUES_RE.search(
            folded, a.clause_end, b.start
        )
        if after or carrying_out:
            b.relations.append(("implements", i))


# "… quán triệt Nghị quyết số 57 … và ban hành Kế hoạch số 112 thực hiện Nghị quyết trong
# toàn Đảng bộ": the type word alone names the document of that type just mentioned
_BACK_RE = re.compile(
    r"\s*,?\s*(?:de |nham )?(?:tiep tuc )?(?:trien khai )?(?:thuc hien|cu the hoa|trien khai)"
    r" (?P<type>" + _TYPE_WORDS + r")(?: (?:nay|tren|noi tren))?(?![a-z])(?!\s*(?:so\s*)?\d)"
    # not another document named by its meeting or body: "thực hiện Nghị quyết Đại hội …"
    r"(?!\s+(?:dai hoi|hoi nghi|trung uong|cua|ve|lan|khoa)(?![a-z]))"
)


def _link_back(refs: list[Ref], folded: str) -> None:
    for i, ref in enumerate(refs):
        if ref.relations or not (m := _BACK_RE.match(folded, ref.subject_start)):
            continue
        code = WORD_TO_CODE[m.group("type")]
        earlier = [k for k in range(i) if refs[k].code == code and refs[k].is_full]
        if earlier:
            ref.relations.append(("implements", earlier[-1]))


def _link_anaphora(refs: list[Ref], folded: str) -> None:
    """'… Quy định số 37-QĐi/TW … . Quy định này thay thế Quy định số 47-QĐ/TW'.

    Without an antecedent in the text, the reference keeps the relation as its
    `lead` for the article's main document ("Sau 15 năm thực hiện Nghị quyết số
    27-NQ/TW, …", "So với Quy định số 232-QĐ/TW, …").
    """
    for j, target in enumerate(refs):
        sentence_start = (
            max(folded.rfind(". ", 0, target.start), folded.rfind("\n", 0, target.start)) + 1
        )
        if any(sentence_start <= r.start < target.start for r in refs[:j]):
            continue
        m = _ANAPHORA_RE.match(folded, sentence_start, target.start)
        if not m:
            target.lead = next(
                (
                    rel
                    for rx, rel in _LEAD_RES
                    if rx.fullmatch(folded, sentence_start, target.start)
                ),
                None,
            )
            continue
        code = WORD_TO_CODE.get(m.group("type"))
        relation = _ANAPHORA_RELATIONS.get(m.group("verb"), "amends")
        # the document being discussed, not one it was just related to
        targets = {k for r in refs for _, k in r.relations}
        antecedents = [
            r for i, r in enumerate(refs[:j])
            if r.is_full and i not in targets and (code is None or r.code == code)
        ]  # fmt: skip
        if antecedents:
            antecedents[-1].relations.append((relation, j))
        else:
            target.lead, target.lead_code = relation, code
