"""Text normalisation shared by indexing and questions.

- `clean_text`: NFC, one tone-placement convention, tidy whitespace.
- `fold`: lowercase without diacritics ("Đảng" -> "dang"), one character per
  input character, so spans found in folded text map back to the original.
"""

from __future__ import annotations

import re
import unicodedata

_TONES = {"\u0300", "\u0301", "\u0309", "\u0303", "\u0323"}  # huyền sắc hỏi ngã nặng
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
# Characters that stand in for others in pasted text: control characters (C0 but
# tab, C1) are dropped; full-width ASCII ("ＫＬ２１") and the Icelandic eth "Ð",
# which some sites type for "Đ", become what they stand for.
_STAND_INS = {
    **dict.fromkeys([*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F, *range(0x80, 0xA0)], None),
    **dict.fromkeys([0x0B, 0x0C, 0x85], " "),  # vertical tab, form feed, next line
    **{code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)},
    ord("Ð"): "Đ",
    ord("ð"): "đ",
}
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def _build_tone_moves() -> dict[str, str]:
    """Old-style tone placement: 'hoá' -> 'hóa', 'thuỷ' -> 'thủy', 'khoẻ' -> 'khỏe'.

    Only open syllables ending in oa/oe/uy differ between the two
    conventions; the move is applied at the end of a word (see TONE_RE).
    """
    moves = {}
    for first, second in (("o", "a"), ("o", "e"), ("u", "y")):
        for tone in _TONES:
            for upper in (False, True):
                a, b = (first.upper(), second.upper()) if upper else (first, second)
                new_style = unicodedata.normalize("NFC", a + b + tone)
                old_style = unicodedata.normalize("NFC", a + tone + b)
                moves[new_style] = old_style
                # mixed case such as "Hoá" is covered because only the vowel pair moves
                moves[unicodedata.normalize("NFC", a + b.lower() + tone)] = unicodedata.normalize(
                    "NFC", a + tone + b.lower()
                )
    return moves


_TONE_MOVES = _build_tone_moves()
# not after "q" ("quý" keeps its tone on y) and only at the end of a syllable
_TONE_RE = re.compile(
    "(?<![qQ])(" + "|".join(sorted(map(re.escape, _TONE_MOVES), key=len, reverse=True)) + r")(?!\w)"
)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def normalize_tones(text: str) -> str:
    return _TONE_RE.sub(lambda m: _TONE_MOVES[m.group(1)], text)


def clean_line(text: str) -> str:
    """NFC, old-style tones, no invisible or control characters, ASCII for full-width
    forms, single spaces."""
    # invisible characters go before composing ("a\u200b\u0301" -> "á"), and the
    # result is composed again in case a moved tone mark meets a stray combining one
    text = nfc(text.translate(_INVISIBLE).translate(_STAND_INS))
    return _SPACES.sub(" ", nfc(normalize_tones(text))).strip()


def clean_text(text: str) -> str:
    """Clean every line; keep paragraph breaks (blank lines) as single blank lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [clean_line(line) for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def _fold_char(ch: str) -> str:
    if ch in "đĐðÐ":
        return "d"
    if ch.isascii():
        return ch.lower()
    base = unicodedata.normalize("NFD", ch)[0].lower()
    return base if len(base) == 1 else ch


class _FoldTable(dict[int, str]):
    """`str.translate` table for any character: extended lazily (and kept) for
    characters beyond the common range."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code))
        return folded


# ASCII, Latin-1, Latin Extended (every Vietnamese letter) and general punctuation
# (curly quotes, dashes)
_COMMON_END = "\u2100"
# A plain dict is what `str.translate` looks up fastest; the lazy table is only
# needed for the rare text with characters past the common range.
_FOLD_COMMON = {code: _fold_char(chr(code)) for code in range(ord(_COMMON_END))}
_FOLD_ANY = _FoldTable(_FOLD_COMMON)
_PAST_COMMON = re.compile("[" + _COMMON_END + "-\U0010ffff]")


def fold(text: str) -> str:
    """Lowercase, strip diacritics and fold đ; same length as `text` (NFC input).

    Other input is composed first, so NFD text folds like its NFC form.
    """
    if text.isascii():
        return text.lower()
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text.translate(_FOLD_ANY if _PAST_COMMON.search(text) else _FOLD_COMMON)


def has_diacritics(text: str) -> bool:
    return any(not ch.isascii() and ch.isalpha() for ch in text)
