"""Compose answers from the live index: plain data, no Telegram, no HTML."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable

import numpy as np

from index.directives import RELATION_PHRASES, place_of
from index.live import LiveIndex
from index.models import Answer, Directive, Quote, format_date
from index.normalize import fold
from index.passages import best_sentences
from index.query import Question, content_words, understand
from index.refs import TYPE_NAMES, Ref, code_for_word, find_refs
from index.tokenize import STOP_SYLLABLES, query_tokens, syllable_tokens

NOTICE = (
    "Lưu ý: nội dung được trích từ tin bài đưa tin về việc học tập, quán triệt, "
    "không phải nguyên văn văn bản chính thức."
)
FOUND_COVERAGE = 0.6  # share of the question's weighted terms a passage must contain
SUBJECT_COVERAGE = 0.8  # … that a directive's subject must contain to be "clearly meant"
_ALTERNATE_CODES = {"QĐi": ("QĐ",), "QĐ": ("QĐi",)}
_RELATION_FAMILIES = {
    "thay the": ("replaces", "replaced_by"),
    "sua doi": ("amends", "amended_by"),
    "bo sung": ("amends", "amended_by"),
    "thuc hien": ("implements", "implemented_by"),
    "trien khai": ("implements", "implemented_by"),
    "tiep tuc": ("implements", "implemented_by"),
    "tong ket": ("reviews", "reviewed_by"),
    "so ket": ("reviews", "reviewed_by"),
}
_TYPE_WORDS = ("nghi quyet", "chi thi", "ket luan", "quy dinh", "quyet dinh", "ke hoach",
               "huong dan", "thong bao", "chuong trinh", "de an")  # fmt: skip
_ASKED_TYPE_RE = re.compile(r"(?<![a-z])(" + "|".join(_TYPE_WORDS) + r") nao(?![a-z])")
_ANY_TYPE_RE = re.compile(r"(?<![a-z])(" + "|".join(_TYPE_WORDS) + r")(?![a-z])")


def answer_question(live: LiveIndex, question: str, *, offset: int = 0, limit: int = 3) -> Answer:
    q = understand(question)
    if not q.text:
        return Answer(
            question, False, "search", "Bạn hãy gõ câu hỏi, ví dụ: “Kết luận 21 nói về gì?”"
        )
    if q.refs:
        return _answer_reference(live, q, offset, limit)
    return _answer_search(live, q, offset, limit)


def answer_directive(live: LiveIndex, key: str, *, offset: int = 0, limit: int = 3) -> Answer:
    directive = live.directives.get(key)
    if directive is None:
        return Answer(key, False, "subject", "Văn bản này không còn trong dữ liệu; hãy hỏi lại.")
    return _directive_answer(live, understand(directive.id), directive, "subject", offset, limit)


def find_directives(live: LiveIndex, text: str, limit: int = 50) -> list[Directive]:
    """Documents a (partial) question points to, best first: for inline mode."""
    q = understand(text)
    if q.refs:
        keys = _matching_keys(live, q.refs[0], q)
        return [live.directives[k] for k in keys][:limit]
    tokens = _content_tokens(q.rest)
    hits = live.subjects.search(tokens, top_k=limit) if tokens else []
    return [live.directives[live.subject_keys[h.doc]] for h in hits]


# -- questions naming a document --------------------------------------------------
def _matching_keys(live: LiveIndex, ref: Ref, q: Question) -> list[str]:
    if not ref.code:  # "văn bản số 21": any type
        keys = [k for (_, number), ks in live.by_number.items() if number == ref.number for k in ks]
    else:
        keys = list(live.by_number.get((ref.code, ref.number), []))
    if not keys:
        for code in _ALTERNATE_CODES.get(ref.code, ()):
            keys = list(live.by_number.get((code, ref.number), []))
            if keys:
                break
    issuer = ref.issuer_code or q.level
    if issuer:
        keys = [k for k in keys if live.directives[k].issuer_code == issuer]
    if place := place_of(ref):  # "Kết luận 21 của Tỉnh ủy Nghệ An"
        keys = [k for k in keys if k.split("|")[4:] == [place]]
    if q.year:
        same_year = [k for k in keys if (d := live.directives[k].date) and d.year == q.year]
        keys = same_year or keys
    return sorted(keys, key=lambda k: _candidate_order(live.directives[k]))


def _candidate_order(d: Directive) -> tuple[int, int, int]:
    return (0 if d.is_central else 1, -(d.date.toordinal() if d.date else 0), -d.mention_count)


def _answer_reference(live: LiveIndex, q: Question, offset: int, limit: int) -> Answer:
    ref = q.refs[0]
    keys = _matching_keys(live, ref, q)
    if not keys:
        return _not_found_reference(live, q, ref)
    directives = _narrow(q, [live.directives[k] for k in keys])
    central = [d for d in directives if d.is_central]
    if len(directives) == 1 or (len(central) == 1 and not q.level):
        chosen = central[0] if central else directives[0]
        others = tuple(d for d in directives if d is not chosen)
        return _directive_answer(live, q, chosen, q.kind, offset, limit, others)
    return _ambiguous(live, q, directives, limit)


_TERM_RE = re.compile(r"(?<![a-z])khoa ([xvi]{1,6})(?![a-z])")


def _narrow(q: Question, directives: list[Directive]) -> list[Directive]:
    """Pick among documents sharing a number by the term or topic the question names."""
    if len(directives) < 2:
        return directives
    if m := _TERM_RE.search(fold(q.text)):
        same_term = [d for d in directives if d.term == m.group(1).upper()]
        if same_term:
            directives = same_term
    words = set(content_words(q.rest))
    if len(directives) > 1 and words:
        overlaps = sorted(
            (
                (len(words & set(content_words(d.subject or ""))), i)
                for i, d in enumerate(directives)
            ),
            reverse=True,
        )
        if overlaps[0][0] > 0 and overlaps[0][0] > overlaps[1][0]:
            return [directives[overlaps[0][1]]]
    return directives


def _not_found_reference(live: LiveIndex, q: Question, ref: Ref) -> Answer:
    type_name = TYPE_NAMES.get(ref.code, "văn bản")
    name = f"{type_name} số {ref.display_number}"
    if ref.issuer_code:
        name = f"{type_name} số {ref.display_id}"
    elif q.level and q.level != "TW":
        name += " của cấp ủy địa phương"
    headline = (
        f"Chưa có {name} trong các bài viết đã thu thập, nên tôi không trả lời về văn bản này."
    )
    return Answer(
        q.original, False, q.kind, headline, candidates=tuple(_closest(live, ref)),
        notice="Bạn có thể kiểm tra lại số hiệu, hoặc nhờ quản trị viên bổ sung nguồn tin.",
    )  # fmt: skip


def _closest(live: LiveIndex, ref: Ref, limit: int = 3) -> list[Directive]:
    """Same number under other types, then the same type with nearby numbers."""
    same_number = [d for d in live.directives.values() if d.number == ref.number]
    nearby = [
        d
        for d in live.directives.values()
        if d.code == ref.code and d.number.isdigit() and ref.number.isdigit()
        and 0 < abs(int(d.number) - int(ref.number)) <= 5
    ]  # fmt: skip
    nearby.sort(key=lambda d: abs(int(d.number) - int(ref.number)))
    seen: dict[str, Directive] = {}
    for d in same_number + nearby:
        seen.setdefault(d.key, d)
    return (
        sorted(seen.values(), key=_candidate_order)[:limit]
        if same_number
        else list(seen.values())[:limit]
    )


def _ambiguous(live: LiveIndex, q: Question, directives: list[Directive], limit: int) -> Answer:
    first = directives[0]
    ids = list(dict.fromkeys(d.id for d in directives))
    name = f"{first.type} số {' / '.join(ids)}"
    headline = (
        f"Có {len(directives)} văn bản cùng là {name} trong các bài viết đã thu thập; "
        "bạn muốn hỏi văn bản nào?"
    )
    quotes = []
    for d in directives[:limit]:
        ranked = _rank_mentions(live, d, [])
        if ranked:
            quotes.append(_quote(live, *ranked[0], d, []))
    return Answer(
        q.original, True, q.kind, headline, candidates=tuple(directives), ambiguous=True,
        passages=tuple(quotes), total_passages=len(quotes), notice=NOTICE,
    )  # fmt: skip


def _directive_answer(
    live: LiveIndex,
    q: Question,
    d: Directive,
    kind: str,
    offset: int,
    limit: int,
    others: tuple[Directive, ...] = (),
) -> Answer:
    details: list[str] = []
    related_keys: list[str] = []
    if kind == "date":
        if d.date:
            headline = f"{d.type} số {d.id} được ban hành ngày {format_date(d.date)}."
        elif d.year:
            headline = (
                f"{d.type} số {d.id} được ban hành năm {d.year} "
                "(các bài viết đã thu thập không nêu ngày cụ thể)."
            )
        else:
            headline = f"Các bài viết đã thu thập không nêu ngày ban hành {d.type} số {d.id}."
        details.append(d.full_name())
    elif kind == "issuer":
        when = f" ngày {format_date(d.date)}" if d.date else ""
        headline = (
            f"{d.type} số {d.id} do {d.issuer} ban hành{when}."
            if d.issuer
            else f"Các bài viết đã thu thập không nêu cơ quan ban hành {d.type} số {d.id}."
        )
        details.append(d.full_name())
    elif kind == "relation":
        headline, related_keys = _relation_headline(live, q, d)
        details.append(d.full_name())
    else:
        headline = d.full_name()
        if not d.subject:
            details.append(
                "Các bài viết đã thu thập chưa nêu rõ nội dung chính; xem trích dẫn dưới đây."
            )
    if kind != "relation":
        for r in d.related:
            other = live.directives.get(r.key)
            label = other.full_name(with_subject=False) if other else r.id
            details.append(f"Liên quan: {RELATION_PHRASES[r.relation]} {label}.")
    details.extend(d.disagreements)
    for other in others:
        details.append(f"Lưu ý: cùng số còn có {other.full_name(with_subject=False)}.")

    tokens = _content_tokens(q.rest) if kind in ("content", "search") else []
    ranked = _rank_mentions(live, d, tokens, boost=related_keys)
    page = ranked[offset : offset + limit]
    quotes = tuple(_quote(live, pos, score, d, tokens) for pos, score in page)
    return Answer(
        q.original, True, kind, headline, directive=d, details=tuple(details), passages=quotes,
        offset=offset, total_passages=len(ranked), notice=NOTICE,
    )  # fmt: skip


def _relation_headline(live: LiveIndex, q: Question, d: Directive) -> tuple[str, list[str]]:
    folded = fold(q.text)
    families = [rels for verb, rels in _RELATION_FAMILIES.items() if verb in folded]
    wanted = {r for rels in families for r in rels} or set(RELATION_PHRASES)
    asked = _ASKED_TYPE_RE.search(folded)
    asked_code = code_for_word(asked.group(1)) if asked else None
    picks = []
    for r in d.related:
        other = live.directives.get(r.key)
        if r.relation not in wanted or other is None:
            continue
        if (
            asked_code
            and other.code != asked_code
            and not (asked_code in ("QĐi", "QĐ") and other.code in ("QĐi", "QĐ"))
        ):
            continue
        picks.append((r.relation, other))
    if not picks:
        verb = next(
            (v for v in ("thay thế", "sửa đổi", "thực hiện") if fold(v) in folded), "liên quan đến"
        )
        return (
            f"Các bài viết đã thu thập chưa nêu văn bản nào {verb} {d.type} số {d.id} (hoặc được nó {verb}).",
            [],
        )
    parts = [
        f"{RELATION_PHRASES[rel]} {other.full_name(with_subject=False)}" for rel, other in picks
    ]
    return f"{d.type} số {d.id} " + "; ".join(parts) + ".", [o.key for _, o in picks]


def _rank_mentions(
    live: LiveIndex, d: Directive, tokens: list[str], boost: Iterable[str] = ()
) -> list[tuple[int, float]]:
    """(position, BM25 score) of passages mentioning `d`, best first, one per
    article before any second one. Full references ("số 21-KL/TW ngày …") and
    passages that also name a related document asked about rank higher."""
    boost = tuple(boost)
    if not tokens and not boost and (cached := live.ranking_cache.get(d.key)) is not None:
        return cached
    positions = live.mentions.get(d.key)
    if positions is None or not len(positions):
        return []
    query = tokens or syllable_tokens(fold(d.subject or ""))
    scores = live.bm25.scores_within(query, positions) if query else np.zeros(len(positions))
    bonus = 5.0 * np.isin(positions, live.full_mentions.get(d.key, _NONE))
    for key in boost:
        bonus += 3.0 * np.isin(positions, live.mentions.get(key, _NONE))
    order = np.lexsort((live.bm25.tiebreak(positions), -(scores + bonus)))
    articles = live.passage_articles[positions[order]]
    _, first_seen = np.unique(articles, return_index=True)
    is_first = np.zeros(len(order), dtype=bool)
    is_first[first_seen] = True
    order = np.concatenate([order[is_first], order[~is_first]])
    ranked = list(zip(positions[order].tolist(), scores[order].tolist(), strict=True))
    if not tokens and not boost:
        live.ranking_cache[d.key] = ranked
    return ranked


_NONE = np.zeros(0, dtype=np.int32)


def _quote(
    live: LiveIndex, pos: int, score: float, d: Directive | None, tokens: list[str]
) -> Quote:
    passage = live.passages[pos]
    article = live.articles.get(passage.article_id)
    words = {t for t in tokens if "_" not in t and not t.startswith(("#", "w:"))}
    text = best_sentences(passage.text, _sentence_scorer(d, words), focus=_focus(d))
    url = article.url if article else None
    return Quote(
        text=text,
        title=article.title if article else "",
        url=url if url and url.startswith(("http://", "https://")) else None,  # no local paths
        published=article.published if article else None,
        score=score,
        article_id=passage.article_id,
    )


def _focus(d: Directive | None) -> Callable[[str], int | None] | None:
    """Where `d` is named in a sentence, so a long list is quoted from its item."""
    if d is None:
        return None

    def position(sentence: str) -> int | None:
        return next(
            (r.start for r in find_refs(sentence) if r.code == d.code and r.number == d.number),
            None,
        )

    return position


def _sentence_scorer(d: Directive | None, words: set[str]) -> Callable[[str], float]:
    def score(sentence: str) -> float:
        value = 0.0
        # a sentence naming d contains its number: skip parsing the others
        if (
            d is not None
            and d.number in sentence
            and any(r.code == d.code and r.number == d.number for r in find_refs(sentence))
        ):
            value += 3.0
        if words:
            value += len(words & set(re.findall(r"[a-z0-9]+", fold(sentence)))) / len(words)
        return value

    return score


# -- questions without a document number --------------------------------------------
def _content_tokens(rest: str) -> list[str]:
    tokens = query_tokens(rest, [])
    out = []
    for t in tokens:
        parts = t[2:].split("_") if t.startswith("w:") else t.split("_")
        if all(fold(p) in STOP_SYLLABLES for p in parts):
            continue
        out.append(t)
    return out


def _coverage(live: LiveIndex, tokens: list[str], matched: frozenset[str]) -> float:
    """Share of the question's weight that a passage or subject contains.

    Weights are IDF in the passage index: content syllables count fully, a
    known pair of content syllables counts half (phrase evidence), and a pair
    the corpus has never seen counts only when both syllables are rare, as
    in a place name ("nghe an") the collected articles do not have.
    """
    unknown = math.log(max(live.bm25.n_docs, 1) + 1.0) + 1.0

    def idf(term: str) -> float:
        value = live.bm25.term_idf(term)
        return unknown if value is None else value

    weights: dict[str, float] = {}
    for term in dict.fromkeys(tokens):
        parts = term.split("_")
        if term.startswith(("#", "w:")) or any(p in STOP_SYLLABLES for p in parts):
            continue
        if len(parts) == 1:
            weights[term] = max(idf(term), 0.05)
        elif live.bm25.term_idf(term) is not None:
            weights[term] = max(0.5 * idf(term), 0.05)
        elif all(idf(p) >= 0.5 * unknown for p in parts):
            weights[term] = unknown
    total = sum(weights.values())
    return sum(w for t, w in weights.items() if t in matched) / total if total else 0.0


def _asked_type(q: Question) -> tuple[bool, str | None]:
    """Whether the question looks for a document ("nghị quyết nào", "văn bản về …"),
    and which type if it names one."""
    folded = fold(q.text)
    # without a number, a type word means the user looks for such a document
    if m := _ASKED_TYPE_RE.search(folded) or _ANY_TYPE_RE.search(folded):
        return True, code_for_word(m.group(1))
    return bool(re.search(r"(?<![a-z])van ban(?![a-z])", folded)), None


def _answer_search(live: LiveIndex, q: Question, offset: int, limit: int) -> Answer:
    tokens = _content_tokens(q.rest)
    if not content_words(q.rest) or not tokens:
        return Answer(
            q.original, False, "search",
            "Bạn hỏi về văn bản hay nội dung nào? Ví dụ: “Kết luận 21 nói về gì?”",
        )  # fmt: skip
    seeking, asked_code = _asked_type(q)
    subject_hits = [
        h for h in live.subjects.search(tokens, top_k=20)
        if asked_code is None or _same_family(live.directives[live.subject_keys[h.doc]].code, asked_code)
    ]  # fmt: skip
    closest = tuple(live.directives[live.subject_keys[h.doc]] for h in subject_hits[:3])
    covered = [(_coverage(live, tokens, h.matched), -i, h) for i, h in enumerate(subject_hits[:5])]
    best_coverage, _, best = max(covered, key=lambda c: c[:2], default=(0.0, 0, None))
    if best is not None and best_coverage >= SUBJECT_COVERAGE:
        directive = live.directives[live.subject_keys[best.doc]]
        return _directive_answer(live, q, directive, "search", offset, limit)

    hits = [] if seeking else live.bm25.search(tokens, top_k=50)
    good = [h for h in hits if _coverage(live, tokens, h.matched) >= FOUND_COVERAGE]
    if not good:
        what = (
            TYPE_NAMES[asked_code].lower() if asked_code else ("văn bản" if seeking else "nội dung")
        )
        return Answer(
            q.original, False, "search",
            f"Không tìm thấy {what} nào về “{q.rest}” trong các bài viết đã thu thập.",
            candidates=closest,
            notice="Bạn có thể hỏi theo số hiệu văn bản, ví dụ: “Quy định 41 ban hành ngày nào?”",
        )  # fmt: skip
    ordered, seen = [], set()
    for h in good:
        article = live.passages[h.doc].article_id
        if article not in seen:
            ordered.append((h.doc, h.score))
            seen.add(article)
    page = ordered[offset : offset + limit]
    return Answer(
        q.original, True, "search", f"Các bài viết có nội dung {_topic(q.rest)}:",
        passages=tuple(_quote(live, pos, score, None, tokens) for pos, score in page),
        offset=offset, total_passages=len(ordered), notice=NOTICE,
    )  # fmt: skip


_TRAILING_FILLER = STOP_SYLLABLES | {"khong", "a", "nhe", "vay", "the", "oi", "nhi", "ha"}


def _topic(rest: str) -> str:
    """'Đảng có về công tác … không ạ' -> 'về “công tác …”' for display."""
    words = rest.split()
    folded = [fold(w).strip(",.?!") for w in words]
    start = folded.index("ve") + 1 if "ve" in folded else 0
    while start < len(words) and folded[start] in STOP_SYLLABLES:
        start += 1
    end = len(words)
    while end > start and folded[end - 1] in _TRAILING_FILLER:
        end -= 1
    topic = " ".join(words[start:end]).strip(" ,.?!") or rest
    return f"về “{topic}”"


def _same_family(code: str, asked: str) -> bool:
    return code == asked or {code, asked} <= {"QĐ", "QĐi"}
