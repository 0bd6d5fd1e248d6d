"""What an article tells about the references in it: when it was published and
which province or district it reports on.

A provincial document is usually cited as "Nghị quyết số 13-NQ/TU" with no
province: the province comes from the article ("Tỉnh ủy Quảng Ngãi" in the
text, "Đảng bộ tỉnh Quảng Ngãi" as the publishing site). A year-less date
("Ngày 3/11, Bộ Chính trị đã ban hành …") takes its year from the publication
date. Scanned local documents print their own "…/TU" as "…/TƯ": an article
headed by a local committee ("TỈNH ỦY THỪA THIÊN HUẾ") is such a document.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from index.normalize import fold

# a word of a place name ("Quảng", "HUẾ"); it must also start with a capital
_NAME_RE = re.compile(r"[^\W\d_]+")
_COMMITTEE_RE = re.compile(
    r"(?<![^\W\d_])(?i:tỉnh|thành|huyện) (?i:ủy|uỷ)[ ]+(?=(?P<name>[^\n,.;:()]{2,40}))"
)
_PROVINCE_RE = re.compile(r"(?<![^\W\d_])(?i:tỉnh|thành phố)[ ]+(?=(?P<name>[^\n,.;:()]{2,40}))")
_LOCAL_HEADER_RE = re.compile(r"(?:tinh|thanh|huyen|quan|thi) uy\b")
_LOCAL_NAME_RE = re.compile(r"(?:tinh|thanh|huyen) uy\b|dang bo (?:tinh|thanh pho|huyen)\b")
_OWN_NUMBER_RE = re.compile(r"so\s*:?\s*\d")
_HEADER_LINES = 3


@dataclass(frozen=True)
class ArticleContext:
    title: str = ""
    published: date | None = None
    place: str = ""  # folded place name ("quang ngai"), or "" when unclear
    local: bool = False  # the article is a local committee's own document


def _names(pattern: re.Pattern[str], text: str) -> Counter[str]:
    """Place names after the pattern's keyword: its leading capitalised words (1–4)."""
    found: Counter[str] = Counter()
    for m in pattern.finditer(text):
        words = []
        for word in m.group("name").split()[:4]:
            if not (_NAME_RE.fullmatch(word) and word[0].isupper()):
                break
            words.append(word)
        if words:
            found[" ".join(fold(w) for w in words)] += 1
    return found


def article_context(
    title: str, text: str, source: str | None = None, published: date | None = None
) -> ArticleContext:
    """Publication date, the place the article reports on, and whether it is local."""
    everything = "\n".join((title, source or "", text))
    place = ""
    for pattern in (_COMMITTEE_RE, _PROVINCE_RE):
        names = _names(pattern, everything).most_common(2)
        # a clear majority, else the article is about several places
        if names and (len(names) == 1 or names[0][1] > names[1][1]):
            place = names[0][0]
            break
    head = [line for line in text.split("\n") if line.strip()][:_HEADER_LINES]
    # headed "TỈNH ỦY …", or opening with its own number under a local committee's title
    local = any(_LOCAL_HEADER_RE.match(fold(line.strip())) and line.isupper() for line in head)
    if head and _OWN_NUMBER_RE.match(fold(head[0].strip())) and _LOCAL_NAME_RE.search(fold(title)):
        local = True
    return ArticleContext(title, published, place, local)
