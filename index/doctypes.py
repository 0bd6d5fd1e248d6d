"""The kinds of Party (and state) documents: names, the words that introduce them,
the codes written after their numbers. The one list of them; other modules import
it from here (or from `index.refs`, which re-exports it)."""

from __future__ import annotations

# The one list of document types: canonical code -> (Vietnamese type name, folded
# type words, accepted raw codes).
DOCUMENT_TYPES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
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
    "NĐ": ("Nghị định", ("nghi dinh",), ("NĐ",)),  # state documents only (30/2020/NĐ-CP)
}
TYPE_NAMES = {code: spec[0] for code, spec in DOCUMENT_TYPES.items()}
WORD_TO_CODE = {word: code for code, spec in DOCUMENT_TYPES.items() for word in spec[1]}
# folded type words, longest first (for regular expressions)
TYPE_WORDS = tuple(sorted(WORD_TO_CODE, key=len, reverse=True))
# "QĐ" is written for both Quy định (QĐi) and Quyết định (QĐ): one number, either code.
# The one place this equivalence lives; see same_type().
CODE_VARIANTS = {"QĐi": ("QĐ",), "QĐ": ("QĐi",)}
# the type words as one regular-expression alternation
TYPE_WORDS_PATTERN = "|".join(TYPE_WORDS)


def same_type(code: str, other: str) -> bool:
    """Whether a document of type `other` can be the one asked for as `code`."""
    return code == other or other in CODE_VARIANTS.get(code, ())


def code_for_word(folded_word: str) -> str | None:
    return WORD_TO_CODE.get(folded_word)
