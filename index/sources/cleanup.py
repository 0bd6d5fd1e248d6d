"""Remove the noise news pages carry around an article's text.

Captions, bylines ("Tác giả: …"), "Tin liên quan" blocks and poll widgets
("Thăm dò ý kiến") are not part of what the article reports; the author is
kept as metadata.
"""

from __future__ import annotations

import re

from index.normalize import clean_text, fold
from index.refs import TYPE_WORDS, find_refs

_AUTHOR_RE = re.compile(r"^(?:tac gia|theo|bai,? anh|nguon)\s*:\s*(?P<name>.{2,80})$")
_NOISE_RE = re.compile(
    r"^(?:tham do y kien|binh chon|chia se|in bai|ban in|tro ve|xem them|doc them|tu khoa"
    r"|bai lien quan|tin lien quan|tin cung chuyen muc|tin moi|tin khac)\b.{0,60}$"
)
_RELATED_RE = re.compile(
    r"^(?:tin lien quan|bai lien quan|tin cung chuyen muc|xem them|doc them)\s*:?$"
)
_CAPTION_MAX_WORDS = 22
# "Toàn cảnh hội nghị (Ảnh: Minh Hà)": a photo credit marks a caption
_PHOTO_CREDIT_RE = re.compile(r"[(\[]\s*(?:anh|anh minh hoa|nguon anh)\s*:[^()\[\]]{0,60}[)\]]$")


# "Thừa Thiên Huế, ngày 13 tháng 5 năm 2022": the place and date a document was signed
_DATELINE_RE = re.compile(
    r"^[a-z ]{2,40},\s*ngay\s*\d{1,2}(?:\s*[-/.]\s*\d{1,2}\s*[-/.]\s*|\s+thang\s+\d{1,2}\s+nam\s+)\d{4}\.?$"
)
# a paragraph ending inside a reference: "… Kết luận số" | "21-KL/TW …", "… số 21-" | "KL/TW"
_CUT_REFERENCE_RE = re.compile(r"(?:(?<![a-z])(?:" + "|".join(TYPE_WORDS) + r")\s+so|\d{1,4}\s*-)$")
# "Số 445-KL/TU": a document's own number heading its text
_OWN_NUMBER_RE = re.compile(r"^so\s*:?\s*\d{1,4}\S*$")


def is_caption(line: str) -> bool:
    """A short line that does not end a sentence (or ends with a photo credit),
    names no document (not even one cut at its end) and is no dateline."""
    words = line.split()
    return (
        0 < len(words) <= _CAPTION_MAX_WORDS
        and (line[-1] not in '.!?…:;"”)' or _PHOTO_CREDIT_RE.search(fold(line)) is not None)
        and not _DATELINE_RE.match(fold(line))
        and not _CUT_REFERENCE_RE.search(fold(line))
        and not find_refs(line)
    )


def is_headline(line: str) -> bool:
    """A related-article title: short, not a finished sentence; it may name documents."""
    words = line.split()
    return 0 < len(words) <= _CAPTION_MAX_WORDS and line[-1] not in ".;:"


def clean_article_text(text: str) -> tuple[str, str | None]:
    """(cleaned text with paragraphs separated by blank lines, author or None)."""
    author = None
    paragraphs: list[str] = []
    skipping_related = False
    for line in clean_text(text).split("\n"):
        folded = fold(line)
        if not line:  # titles under "Tin liên quan" may be separate paragraphs
            continue
        if m := _AUTHOR_RE.match(folded):
            author = line[m.start("name") :].strip() or author
            continue
        if _RELATED_RE.match(folded):
            skipping_related = True
            continue
        if skipping_related and is_headline(line):
            continue
        skipping_related = False
        if _NOISE_RE.match(folded) or is_caption(line):
            continue
        if paragraphs and (
            (_DATELINE_RE.match(folded) and _OWN_NUMBER_RE.match(fold(paragraphs[-1])))
            or _CUT_REFERENCE_RE.search(fold(paragraphs[-1]))
        ):
            # number and date of one header, or a reference cut by a line break, belong together
            paragraphs[-1] += " " + line
            continue
        paragraphs.append(line)
    return "\n\n".join(paragraphs), author
