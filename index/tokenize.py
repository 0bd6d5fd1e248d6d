"""Tokens for BM25: the only module that imports pyvi.

Each passage yields three streams, all lowercase:
- folded syllables and folded syllable bigrams ("xay", "xay_dung"), so
  questions typed without diacritics match accented text;
- pyvi compound words, accented ("w:xây_dựng"), for precision when the
  question has diacritics;
- one canonical token per document reference ("#kl21", "#kl21tw"), so
  "Chỉ thị 10" matches the document and not the "10" of a date.
"""

from __future__ import annotations

import re
from functools import lru_cache

from index.normalize import clean_line, fold, has_diacritics
from index.refs import Ref, find_refs

# Function words (folded). A pair of syllables with one of them says nothing a
# single syllable does not ("ve_xay"), so such pairs are not indexed.
STOP_SYLLABLES = frozenset(
    [
        "gi",
        "nao",
        "la",
        "co",
        "khong",
        "duoc",
        "cho",
        "cua",
        "cac",
        "nhung",
        "ve",
        "va",
        "voi",
        "thi",
        "ma",
        "o",
        "trong",
        "tren",
        "toi",
        "minh",
        "em",
        "a",
        "nhe",
        "vay",
        "oi",
        "hoi",
        "biet",
        "nay",
        "kia",
        "do",
        "de",
        "khi",
        "ra",
        "vao",
        "den",
        "tu",
        "nhu",
        "bi",
        "boi",
        "so",
    ]
)
_SEGMENTS = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*|[.,;:!?()\"“”]")
_WORD = re.compile(r"[^\W_]+")
_BREAKS = frozenset('.,;:!?()"“”')


@lru_cache(maxsize=1)
def _pyvi():  # type: ignore[no-untyped-def]
    """Import pyvi once (it takes about a second)."""
    from pyvi import ViTokenizer

    return ViTokenizer


def warm_up() -> None:
    """Load pyvi now rather than on the first question."""
    _pyvi().tokenize("khởi động")


def ref_tokens(ref: Ref) -> list[str]:
    """'#kl21' for every reference, plus '#kl21tw' when the issuer is known."""
    base = "#" + fold(ref.code) + ref.number
    issuer = ref.issuer_code or ref.body_issuer
    return [base, base + fold(issuer)] if issuer else [base]


def syllable_tokens(folded: str) -> list[str]:
    """Folded syllables, and pairs of neighbouring content syllables not split
    by punctuation."""
    tokens: list[str] = []
    previous: str | None = None
    for m in _SEGMENTS.finditer(folded):
        piece = m.group()
        if piece in _BREAKS:
            previous = None
            continue
        for syllable in re.split(r"[-']", piece):
            tokens.append(syllable)
            if previous is not None and syllable not in STOP_SYLLABLES:
                tokens.append(previous + "_" + syllable)
            previous = None if syllable in STOP_SYLLABLES else syllable
    return tokens


def word_tokens(text: str) -> list[str]:
    """pyvi compound words of accented text ("w:chỉnh_đốn"); single syllables are
    already covered by the folded stream."""
    if not has_diacritics(text):
        return []
    segmented = _pyvi().tokenize(text)
    return ["w:" + w.lower() for w in segmented.split() if "_" in w and _WORD.match(w)]


def passage_tokens(text: str, *, use_words: bool = True) -> list[str]:
    """All index tokens of one passage (cleaned NFC text)."""
    tokens = syllable_tokens(fold(text))
    if use_words:
        tokens += word_tokens(text)
    for ref in find_refs(text):
        tokens += ref_tokens(ref)
    return tokens


def syllables_of(token: str) -> tuple[str, ...] | None:
    """The folded syllables of a syllable or syllable-pair token ("xay_dung" ->
    ("xay", "dung")); None for compound-word and reference tokens."""
    if token.startswith(("#", "w:")):
        return None
    return tuple(token.split("_"))


def content_query_tokens(text: str) -> list[str]:
    """Tokens of question words, without those made only of function words."""
    out = []
    for token in query_tokens(text, []):
        parts = token[2:].split("_") if token.startswith("w:") else token.split("_")
        if not all(fold(p) in STOP_SYLLABLES for p in parts):
            out.append(token)
    return out


def query_tokens(text: str, refs: list[Ref], *, use_words: bool = True) -> list[str]:
    """Tokens of a question whose reference spans were already cut out.

    `text` is the question without its references; `refs` adds their
    canonical tokens.
    """
    text = clean_line(text)
    tokens = syllable_tokens(fold(text))
    if use_words:
        tokens += word_tokens(text)
    for ref in refs:
        tokens += ref_tokens(ref)
    return tokens
