"""Compose answers from the live index: plain data, no Telegram, no HTML."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable

import numpy as np

from index.directives import RELATION_PHRASES, place_of, same_place
from index.doctypes import CODE_VARIANTS, TYPE_NAMES, same_type
from index.evidence import (
    RANKED_LIMIT,
    document_passages,
    first_per_article,
    folded_sentence,
    rank_within,
    related_in_passages,
    sentence_refs,
)
from index.live import LiveIndex
from index.models import Answer, AnswerKind, Directive, Quote, format_date
from index.normalize import fold
from index.passages import best_sentences, is_list_item, sentences, trim_quote
from index.query import (
    BODY_WORDS_RE,
    TYPE_WORD_RE,
    TYPE_WORDS,
    Question,
    at_level,
    content_words,
    follow_up,
    understand,
)
from index.refs import Ref
from index.tokenize import STOP_SYLLABLES, content_query_tokens, syllable_tokens, syllables_of
from index.topic import FOUND_COVERAGE, coverage, topic_document

NOTICE = (
    "Lưu ý: nội dung được trích từ tin bài đưa tin về việc học tập, quán triệt, "
    "không phải nguyên văn văn bản chính thức."
)
# Choosing the sentence to quote from a passage: the question's words give at
# most 1; a sentence of the answer's shape, or naming the document, wins over them.
SHAPE_SENTENCE = 2.0
NAMING_SENTENCE = 3.0


def answer_question(
    live: LiveIndex, question: str, *, offset: int = 0, limit: int = 3, about: str | None = None
) -> Answer:
    """`about` is the id of the document the previous answer named: a follow-up
    without a number ("ai ký?", "nó thay thế văn bản nào?") asks about it."""
    if about and (asked := follow_up(question, about)):
        question = asked
    q = understand(question)
    if not q.text:
        return Answer(
            question,
            False,
            AnswerKind.SEARCH,
            "Bạn hãy gõ câu hỏi, ví dụ: “Kết luận 21 nói về gì?”",
        )
    if q.refs:
        return _answer_reference(live, q, offset, limit)
    return _answer_search(live, q, offset, limit)


def answer_directive(live: LiveIndex, key: str, *, offset: int = 0, limit: int = 3) -> Answer:
    directive = live.directives.get(key)
    if directive is None:
        return Answer(
            key, False, AnswerKind.SUBJECT, "Văn bản này không còn trong dữ liệu; hãy hỏi lại."
        )
    return _directive_answer(
        live, understand(directive.id), directive, AnswerKind.SUBJECT, offset, limit
    )


def find_directives(live: LiveIndex, text: str, limit: int = 50) -> list[Directive]:
    """Documents a (partial) question points to, best first: for inline mode."""
    q = understand(text)
    if q.refs:
        keys = _matching_keys(live, q.refs[0], q)
        return [live.directives[k] for k in keys][:limit]
    tokens = q.rest_tokens
    hits = live.subjects.search(tokens, top_k=limit) if tokens else []
    return [live.directives[live.subject_keys[h.doc]] for h in hits]


# -- questions naming a document --------------------------------------------------
def _matching_keys(live: LiveIndex, ref: Ref, q: Question) -> list[str]:
    if not ref.code:  # "văn bản số 21": any type
        keys = [k for (_, number), ks in live.by_number.items() if number == ref.number for k in ks]
    else:
        keys = list(live.by_number.get((ref.code, ref.number), []))
    if not keys:
        for code in CODE_VARIANTS.get(ref.code, ()):
            keys = list(live.by_number.get((code, ref.number), []))
            if keys:
                break
    if ref.issuer_code:
        keys = [k for k in keys if live.directives[k].issuer_code == ref.issuer_code]
    elif q.level:  # "của tỉnh ủy": the committee or one of its boards ("-HD/BTGTU")
        keys = [k for k in keys if at_level(live.directives[k].issuer_code, q.level)]
    if place := place_of(ref):  # "Kết luận 21 của Tỉnh ủy Nghệ An"
        keys = [k for k in keys if same_place(place, _place_of_key(k))]
    else:  # "Tiền Giang ban hành Nghị quyết 08 …": a record's place named anywhere
        named = [k for k in keys if _place_named(q.folded, _place_of_key(k))]
        keys = named or keys
    if q.year:
        same_year = [k for k in keys if _year(live.directives[k]) == q.year]
        if same_year or not q.year_is_document:
            keys = same_year or keys
        else:  # the question dates the document: only an undated record may be it
            keys = [k for k in keys if _year(live.directives[k]) is None]
    return sorted(keys, key=lambda k: _candidate_order(live.directives[k]))


def _year(d: Directive) -> int | None:
    return d.date.year if d.date else d.year


def _place_of_key(key: str) -> str:
    """The folded place a local record's key ends with ("tien giang"), or ""."""
    parts = key.split("|")
    return parts[4] if len(parts) > 4 else ""


def _place_named(folded_question: str, place: str) -> bool:
    """Whether the question names the place: all of it, or its last two words, or
    the last word of a name of three or more ("Huế" for Thừa Thiên Huế)."""
    words = place.split()
    if not words:
        return False
    shortest = 1 if len(words) >= 3 else len(words)
    return any(
        re.search(r"(?<![a-z])" + " ".join(words[-n:]) + r"(?![a-z])", folded_question)
        for n in range(shortest, len(words) + 1)
    )


def _candidate_order(d: Directive) -> tuple[int, int, int]:
    return (0 if d.is_central else 1, -(d.date.toordinal() if d.date else 0), -d.mention_count)


def _answer_reference(live: LiveIndex, q: Question, offset: int, limit: int) -> Answer:
    ref = q.refs[0]
    keys = _matching_keys(live, ref, q)
    if not keys:
        return _not_found_reference(live, q, ref)
    narrowed = _narrow(q, [live.directives[k] for k in keys])
    directives = _current(narrowed)
    central = [d for d in directives if d.is_central]
    if len(directives) == 1 or (len(central) == 1 and not q.level):
        chosen = central[0] if central else directives[0]
        others = tuple(d for d in directives if d is not chosen and not _same_text(d, chosen))
        answer = _directive_answer(live, q, chosen, q.kind, offset, limit, others)
        replaced = [d for d in narrowed if d not in directives]
        if q.kind == AnswerKind.ISSUER and replaced and chosen.issuer:
            answer = _issuer_of_replaced(answer, chosen, replaced)
        return _with_second_document(live, q, chosen, answer)
    return _ambiguous(live, q, directives, limit)


def _current(directives: list[Directive]) -> list[Directive]:
    """Documents sharing a number without those another of them replaces (a 2021
    Hướng dẫn 01 replacing the 2016 one): the answer is about the one in force, and
    its "Liên quan" line names the replaced one."""
    keys = {d.key for d in directives}
    current = [
        d
        for d in directives
        if not any(r.relation == "replaced_by" and r.key in keys for r in d.related)
    ]
    return current or directives


def _issuer_of_replaced(answer: Answer, chosen: Directive, replaced: list[Directive]) -> Answer:
    """One issuer for the current document and the same-number ones it replaces is
    said once for all of them in the first line."""
    if any(d.issuer != chosen.issuer for d in replaced):
        return answer
    names = " và ".join(_dated_name(d) for d in replaced)
    line = f"{answer.headline} {names} mà văn bản này thay thế cũng do {chosen.issuer} ban hành."
    return dataclasses.replace(answer, headline=line)


def _dated_name(d: Directive) -> str:
    """'Hướng dẫn số 01-HD/TW ngày 20-09-2016': the name and date, no issuer."""
    when = f" ngày {format_date(d.date)}" if d.date else f" năm {d.year}" if d.year else ""
    return f"{d.type} số {d.id}{when}"


# Kinds whose answer about a second document fits in one line ("NQ 57 và NQ 66 nói gì")
_ONE_LINE_KINDS = (AnswerKind.SUBJECT, AnswerKind.DATE, AnswerKind.ISSUER)


def _with_second_document(live: LiveIndex, q: Question, first: Directive, answer: Answer) -> Answer:
    """A question naming two documents asks the same of both: the second one's
    answer is the first detail line."""
    if q.kind not in _ONE_LINE_KINDS or len(q.refs) < 2:
        return answer
    keys = _matching_keys(live, q.refs[1], dataclasses.replace(q, year=None))
    central = [k for k in keys if live.directives[k].is_central]
    if len(keys) != 1 and len(central) != 1:
        return answer
    second = live.directives[(central or keys)[0]]
    if second.key == first.key:
        return answer
    if q.kind == AnswerKind.DATE:
        line = f"{second.type} số {second.id} được ban hành ngày {format_date(second.date)}."
        if not second.date:
            line = f"Các bài viết đã thu thập không nêu ngày ban hành {second.type} số {second.id}."
    elif q.kind == AnswerKind.ISSUER:
        line = _issuer_headline(second)
    else:
        line = second.full_name()
    return dataclasses.replace(answer, details=(line, *answer.details))


def _same_text(a: Directive, b: Directive) -> bool:
    """Two records with one number and one subject are one document printed two
    ways (e.g. "TƯ" read as a province's "TU"): no "cùng số còn có" for them."""
    return bool(a.subject) and fold(a.subject or "") == fold(b.subject or "")


_TERM_RE = re.compile(r"(?<![a-z])khoa ([xvi]{1,6})(?![a-z])")


def _narrow(q: Question, directives: list[Directive]) -> list[Directive]:
    """Pick among documents sharing a number by the term or topic the question names."""
    if len(directives) < 2:
        return directives
    if m := _TERM_RE.search(q.folded):
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
    if q.year_is_document and (other_years := _other_years(live, q, ref)):
        headline = (
            f"Chưa có {name} năm {q.year} trong các bài viết đã thu thập; "
            f"các bài viết có {other_years}."
        )
    return Answer(
        q.original, False, q.kind, headline, candidates=tuple(_closest(live, ref)),
        notice="Bạn có thể kiểm tra lại số hiệu, hoặc nhờ quản trị viên bổ sung nguồn tin.",
    )  # fmt: skip


def _other_years(live: LiveIndex, q: Question, ref: Ref) -> str:
    """The documents with the asked type and number but another year than the
    question gives ("Nghị quyết số 29-NQ/TW năm 2022"), joined for one line."""
    keys = _matching_keys(live, ref, dataclasses.replace(q, year=None))
    dated = sorted(
        ((y, d) for k in keys if (y := _year(d := live.directives[k]))), key=lambda yd: yd[0]
    )
    return " và ".join(dict.fromkeys(f"{d.type} số {d.id} năm {y}" for y, d in dated))


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
    # each one with its date and subject in the first lines, short enough for all to fit
    details = tuple(f"• {trim_quote(d.full_name(), CANDIDATE_LINE)}" for d in directives)
    return Answer(
        q.original, True, q.kind, headline, details=details, candidates=tuple(directives),
        ambiguous=True, passages=tuple(quotes), total_passages=len(quotes), notice=NOTICE,
    )  # fmt: skip


CANDIDATE_LINE = 160  # characters of each document line of an ambiguous answer


def _directive_answer(
    live: LiveIndex,
    q: Question,
    d: Directive,
    kind: AnswerKind,
    offset: int,
    limit: int,
    others: tuple[Directive, ...] = (),
    ranked: list[tuple[int, float]] | None = None,
) -> Answer:
    """The answer about `d`; `ranked` (passages already ranked for the question)
    replaces the ranking of its own passages."""
    details: list[str] = []
    related_keys: list[str] = []
    first_positions: list[int] = []
    content = _rank_content(live, q, d) if kind == AnswerKind.CONTENT else []
    if kind == AnswerKind.DATE:
        dated = None if d.date else _fact_sentence(live, d, _has_issue_date)
        if d.date:
            headline = f"{d.type} số {d.id} được ban hành ngày {format_date(d.date)}."
        elif dated:
            headline = f"{d.type} số {d.id}: theo tin bài, “{dated}”"
        elif d.year:
            headline = (
                f"{d.type} số {d.id} được ban hành năm {d.year} "
                "(các bài viết đã thu thập không nêu ngày cụ thể)."
            )
        else:
            headline = f"Các bài viết đã thu thập không nêu ngày ban hành {d.type} số {d.id}."
        details.append(d.full_name())
    elif kind == AnswerKind.ISSUER:
        headline = _issuer_headline(d)
        asks_signer = not d.signer and _ASKS_SIGNER_RE.search(q.folded)
        if asks_signer and (sentence := _fact_sentence(live, d, _has_signing)):
            details.append(f"Theo tin bài: “{sentence}”")
        details.append(d.full_name())
    elif kind == AnswerKind.RELATION:
        headline, related_keys, first_positions = _relation_headline(live, q, d)
        details.append(d.full_name())
    elif content:
        headline = _content_headline(live, q, content[0][0])
        details.append(d.full_name())
    else:
        headline = d.full_name()
        if not d.subject:
            details.append(
                "Các bài viết đã thu thập chưa nêu rõ nội dung chính; xem trích dẫn dưới đây."
            )
    if kind != AnswerKind.RELATION:
        for r in d.related:
            other = live.directives.get(r.key)
            label = other.full_name(with_subject=False) if other else r.id
            details.append(f"Liên quan: {RELATION_PHRASES[r.relation]} {label}.")
    details.extend(d.disagreements)
    for other in others:
        details.append(f"Lưu ý: cùng số còn có {other.full_name(with_subject=False)}.")

    tokens = q.rest_tokens if kind in (AnswerKind.CONTENT, AnswerKind.SEARCH) else []
    ranked = (
        ranked
        or content
        or _rank_mentions(live, d, tokens, boost=related_keys, first=first_positions)
    )
    page = ranked[offset : offset + limit]
    quotes = tuple(_quote(live, pos, score, d, tokens) for pos, score in page)
    return Answer(
        q.original, True, kind, headline, directive=d, details=tuple(details), passages=quotes,
        offset=offset, total_passages=len(ranked), notice=NOTICE,
    )  # fmt: skip


def _issuer_headline(d: Directive) -> str:
    """Who issued `d` and, when an article says so, who signed it for the issuer."""
    when = f" ngày {format_date(d.date)}" if d.date else ""
    signed = f"; {d.signer} ký" + (f" thay mặt {d.issuer}" if d.issuer else "") if d.signer else ""
    if d.issuer:
        return f"{d.type} số {d.id} do {d.issuer} ban hành{when}{signed}."
    if d.signer:
        return f"{d.type} số {d.id} do {d.signer} ký ban hành{when}."
    return f"Các bài viết đã thu thập không nêu cơ quan ban hành {d.type} số {d.id}."


_ASKS_SIGNER_RE = re.compile(r"(?<![a-z])(?:ai|nguoi|dong chi nao)(?: [a-z]+){0,6} ky(?![a-z])")
# "ký" keeps its accent: folded, it would also be the "kỷ" of "kỷ luật"
_SIGNING_RE = re.compile(r"(?<!\w)ký(?!\w)")
_ISSUING_RE = re.compile(r"(?<![a-z])(?:ban hanh|ky)(?![a-z])")
_FULL_DATE_RE = re.compile(
    r"(?<!\d)\d{1,2}\s*([-/.])\s*\d{1,2}\s*\1\s*(?:19|20)\d\d(?!\d)"
    r"|ngay \d{1,2} thang \d{1,2} nam (?:19|20)\d\d"
)
FACT_LINE = 240  # characters of a sentence quoted for a fact the records lack
FACT_PASSAGES = 30  # … looked for in the document's best passages only (bounded cost)
FOLLOWING_PASSAGES = 10  # … and in the paragraphs after the best few of them


def _has_signing(sentence: str) -> bool:
    return bool(_SIGNING_RE.search(sentence.lower()))


def _has_issue_date(sentence: str) -> bool:
    """A full date and "ban hành"/"ký", the date not the one it takes effect."""
    folded = fold(sentence)
    return bool(_ISSUING_RE.search(folded)) and any(
        "hieu luc" not in folded[max(0, m.start() - EFFECT_REACH) : m.start()]
        for m in _FULL_DATE_RE.finditer(folded)
    )


EFFECT_REACH = 30  # characters before a date where "hiệu lực" makes it the effective date


def _fact_sentence(live: LiveIndex, d: Directive, test: Callable[[str], bool]) -> str | None:
    """A sentence of `d`'s passages that names it and passes `test` (says who
    signed it, or when it was issued), for a fact the records lack."""
    ranked = _rank_mentions(live, d, [])[:FACT_PASSAGES]
    for pos, _ in ranked:
        for sentence in sentences(live.passages[pos].text):
            if test(sentence) and _names(sentence, d):
                return trim_quote(sentence, FACT_LINE)
    # "Chỉ thị do đồng chí … ký": the next paragraph names it by its type alone
    for pos, _ in ranked[:FOLLOWING_PASSAGES]:
        following = pos + 1
        if following >= len(live.passages):
            continue
        if live.passages[following].article_id != live.passages[pos].article_id:
            continue
        for sentence in sentences(live.passages[following].text):
            if test(sentence) and _refers_back(sentence, d):
                return trim_quote(sentence, FACT_LINE)
    return None


def _refers_back(sentence: str, d: Directive) -> bool:
    """Whether a sentence opens with `d`'s type and names no document ("Chỉ thị
    do …", "Quy định này …"): it speaks of the one just named."""
    folded = fold(sentence).lstrip(" \"'“(")
    opening = fold(d.type) + " "
    return folded.startswith(opening) and not sentence_refs(sentence)


def _relation_headline(
    live: LiveIndex, q: Question, d: Directive
) -> tuple[str, list[str], list[int]]:
    """The documents related to `d` as the question asks, from the records or,
    where they lack it, from the sentences of `d`'s articles. Returns the
    headline, the keys and the passage positions to quote first."""
    wanted = {q.wanted_relation} if q.wanted_relation else set(RELATION_PHRASES)
    code = q.asked_code or q.verb_code  # "văn bản nào hướng dẫn …" asks for a Hướng dẫn
    picks: list[tuple[str, str, str]] = []  # (phrase, shown name, key)
    for r in d.related:
        other = live.directives.get(r.key)
        if r.relation in wanted and other is not None and (not code or same_type(code, other.code)):
            picks.append(
                (RELATION_PHRASES[r.relation], other.full_name(with_subject=False), other.key)
            )
    positions: list[int] = []
    # records first; a sentence showing the asked relation both ways round adds
    # a document the records lack ("Kế hoạch 55 … triển khai Nghị quyết 18"):
    # such a sentence names `d`, so `d`'s own best passages are searched for it
    evidence = [] if picks and not q.wanted_relation else related_in_passages(
        live, d, q.rest_tokens + _type_tokens(q), family=q.relation, acts=q.acts,
        wanted_code=code, ranked=_rank_mentions(live, d, []) if picks else None,
    )  # fmt: skip
    evidence = [rel for rel in evidence if rel.on_side is not False]  # not the other side
    if picks and q.wanted_relation:
        for rel in evidence:
            key, name = _resolve(live, rel.ref, d)
            new = key not in {k for _, _, k in picks}
            if rel.has_verb and rel.on_side and new and len(picks) < MAX_RELATED:
                picks.append((RELATION_PHRASES[q.wanted_relation], name, key))
    elif evidence:
        best = evidence[0]
        # the asked verb holds only where the sentence shows both documents around it
        phrase = (
            RELATION_PHRASES[q.wanted_relation]
            if q.wanted_relation and best.has_verb and best.on_side
            else "liên quan đến"
        )
        for rel in evidence:
            if rel.sentence != best.sentence or rel.position != best.position:
                continue
            key, name = _resolve(live, rel.ref, d)
            if key not in {k for _, _, k in picks} and len(picks) < MAX_RELATED:
                picks.append((phrase, name, key))
        positions.append(best.position)
    if not picks:
        verb = next(
            (v for v in ("thay thế", "sửa đổi", "thực hiện") if fold(v) in q.folded),
            "liên quan đến",
        )
        return (
            f"Các bài viết đã thu thập chưa nêu văn bản nào {verb} {d.type} số {d.id} "
            f"(hoặc được nó {verb}).",
            [], [],
        )  # fmt: skip
    grouped: dict[str, list[str]] = {}
    for phrase, name, _ in picks:
        grouped.setdefault(phrase, []).append(name)
    parts = [f"{phrase} {_enumerate(names)}" for phrase, names in grouped.items()]
    keys = [k for _, _, k in picks if k in live.directives]
    return f"{d.type} số {d.id} " + "; ".join(parts) + ".", keys, positions


MAX_RELATED = 4  # documents named in one relation answer


def _enumerate(names: list[str]) -> str:
    """ "A, B và C" """
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} và {names[-1]}"


def _type_tokens(q: Question) -> list[str]:
    """Words of the type asked for: "nghị quyết nào" ranks passages naming resolutions."""
    if not q.asked_code:
        return []
    return content_query_tokens(TYPE_NAMES[q.asked_code])


def _resolve(live: LiveIndex, ref: Ref, near: Directive) -> tuple[str, str]:
    """(key, display name) of a document named in a sentence: its record when one
    fits, else the reference as written."""
    issuer = ref.issuer_code or ref.body_issuer
    codes = (ref.code, *CODE_VARIANTS.get(ref.code, ()))
    keys = [k for code in codes for k in live.by_number.get((code, ref.number), [])]
    records = [live.directives[k] for k in keys]
    if issuer:
        records = [r for r in records if r.issuer_code == issuer]
    year = ref.date.year if ref.date else ref.year
    if year:
        records = [r for r in records if r.date is None or r.date.year == year] or records
    if ref.term:
        records = [r for r in records if r.term in (None, ref.term)] or records
    records.sort(key=lambda r: (r.issuer_code != (issuer or near.issuer_code), _candidate_order(r)))
    if records:
        return records[0].key, records[0].full_name(with_subject=False)
    name = TYPE_NAMES[ref.code]
    shown = (
        f"{ref.display_number}-{ref.raw_code or ref.code}/{issuer}"
        if issuer
        else ref.display_number
    )
    when = f" ngày {format_date(ref.date)}" if ref.date else ""
    return f"{ref.code}|{ref.number}|{issuer or ''}", f"{name} số {shown}{when}"


def _rank_mentions(
    live: LiveIndex,
    d: Directive,
    tokens: list[str],
    boost: Iterable[str] = (),
    first: Iterable[int] = (),
) -> list[tuple[int, float]]:
    """(position, BM25 score) of passages mentioning `d`, best first, one per
    article before any second one. Full references ("số 21-KL/TW ngày …") and
    passages that also name a related document asked about rank higher;
    `first` (evidence found for the question) comes before all."""
    boost, first = tuple(boost), tuple(first)
    plain = not tokens and not boost and not first
    if plain and (cached := live.ranking_cache.get(d.key)) is not None:
        return cached
    positions = live.mentions.get(d.key)
    if positions is None or not len(positions):
        return []
    own_scores, full_bonus = _mention_scores(live, d, positions)
    scores = live.bm25.scores_within(tokens, positions) if tokens else own_scores
    bonus = full_bonus.copy()
    for key in boost:
        bonus += RELATED_BONUS * np.isin(positions, live.mentions.get(key, _NONE))
    if first:  # evidence passages lead (and are not listed twice)
        extra = np.setdiff1d(np.array(first, dtype=positions.dtype), positions)
        positions = np.concatenate([positions, extra])
        scores = np.concatenate([scores, np.zeros(len(extra))])
        bonus = np.concatenate([bonus, np.zeros(len(extra))])
        bonus = np.where(np.isin(positions, first), np.inf, bonus)
    order = np.lexsort((live.bm25.tiebreak(positions), -(scores + bonus)))
    ordered, ordered_scores = first_per_article(live, positions[order], scores[order])
    ranked = list(zip(ordered.tolist(), ordered_scores.tolist(), strict=True))
    if plain:
        live.ranking_cache[d.key] = ranked
    return ranked


def _mention_scores(
    live: LiveIndex, d: Directive, positions: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """BM25 scores of `d`'s passages for its own subject, and the bonus of those
    citing it in full: the same for every question, so kept per snapshot."""
    cached = live.mention_scores.get(d.key)
    if cached is None:
        query = syllable_tokens(fold(d.subject or ""))
        scores = live.bm25.scores_within(query, positions) if query else np.zeros(len(positions))
        full = FULL_REFERENCE_BONUS * np.isin(positions, live.full_mentions.get(d.key, _NONE))
        cached = live.mention_scores[d.key] = (scores, full)
    return cached


# Ranking bonuses for a document's own passages, in BM25 units; measured on the
# bundled sample and held-out sets (a full reference carries the date and
# issuer users ask for; a passage naming the related document shows the relation).
FULL_REFERENCE_BONUS = 5.0
RELATED_BONUS = 3.0
CONTENT_HEADLINE = 300  # characters of the best sentence shown first for a content question


def _spread(live: LiveIndex, ranked: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """`ranked` without repeats, each article's first passage before any second one."""
    seen: dict[int, float] = {}
    for pos, score in ranked:
        seen.setdefault(pos, score)
    positions = np.fromiter(seen, dtype=np.int64, count=len(seen))
    ordered, scores = first_per_article(live, positions, np.fromiter(seen.values(), float))
    return list(zip(ordered.tolist(), scores.tolist(), strict=True))


def _rank_content(live: LiveIndex, q: Question, d: Directive) -> list[tuple[int, float]]:
    """Passages of `d`'s articles ranked by the question's own words."""
    tokens = q.rest_tokens
    return rank_within(live, d, tokens, document_passages(live, d, tokens), q.shape)


def _content_headline(live: LiveIndex, q: Question, pos: int) -> str:
    """The best sentence of the best passage; when it opens a list ("… gồm:"),
    the list items of the following passages too, while they fit."""
    text = best_sentences(
        live.passages[pos].text,
        _sentence_scorer(None, _words(q.rest), q.shape),
        limit=CONTENT_HEADLINE,
    )
    if not text.rstrip().endswith(":"):
        return text
    article = live.passages[pos].article_id
    for item in live.passages[pos + 1 :]:
        fits = len(text) + len(item.text) <= 2 * CONTENT_HEADLINE
        if item.article_id != article or not is_list_item(item.text) or not fits:
            break
        text = f"{text} {item.text}"
    return text


def _words(text: str) -> set[str]:
    return set(content_words(text))


_NONE = np.zeros(0, dtype=np.int32)


def _quote(
    live: LiveIndex, pos: int, score: float, d: Directive | None, tokens: list[str]
) -> Quote:
    passage = live.passages[pos]
    article = live.articles.get(passage.article_id)
    words = {p[0] for t in tokens if (p := syllables_of(t)) is not None and len(p) == 1}
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
            (r.start for r in sentence_refs(sentence) if r.code == d.code and r.number == d.number),
            None,
        )

    return position


def _names(sentence: str, d: Directive) -> bool:
    """Whether the sentence names `d` (one naming it holds its number: the others
    are not parsed)."""
    return d.number in sentence and any(
        same_type(d.code, r.code) and r.number == d.number for r in sentence_refs(sentence)
    )


def _sentence_scorer(
    d: Directive | None, words: set[str], shape: re.Pattern[str] | None = None
) -> Callable[[str], float]:
    def score(sentence: str) -> float:
        value = 0.0
        if shape is not None and shape.search(folded_sentence(sentence)):
            value += SHAPE_SENTENCE
        if d is not None and _names(sentence, d):
            value += NAMING_SENTENCE
        if words:
            found = re.findall(r"[a-z0-9]+", folded_sentence(sentence))
            value += len(words & set(found)) / len(words)
        return value

    return score


# -- questions without a document number --------------------------------------------
def _asked_type(q: Question) -> tuple[bool, str | None]:
    """Whether the question looks for a document ("nghị quyết nào", "văn bản về …"),
    and which type if it names one."""
    if q.asked_code is not None:
        return True, q.asked_code or None
    # without a number, a type word means the user looks for such a document
    if m := TYPE_WORD_RE.search(q.folded):
        return True, TYPE_WORDS[m.group()]
    return bool(re.search(r"(?<![a-z])van ban(?![a-z])", q.folded)), None


def _answer_search(live: LiveIndex, q: Question, offset: int, limit: int) -> Answer:
    tokens = q.rest_tokens
    if not content_words(q.rest) or not tokens:
        return Answer(
            q.original, False, AnswerKind.SEARCH,
            "Bạn hỏi về văn bản hay nội dung nào? Ví dụ: “Kết luận 21 nói về gì?”",
        )  # fmt: skip
    seeking, asked_code = _asked_type(q)
    topic = BODY_WORDS_RE.sub(" ", TYPE_WORD_RE.sub(" ", fold(q.rest)))
    topic_tokens = content_query_tokens(topic) or tokens
    subject_hits = [
        h for h in live.subjects.search(topic_tokens, top_k=20)
        if asked_code is None or same_type(asked_code, live.directives[live.subject_keys[h.doc]].code)
    ]  # fmt: skip
    closest = tuple(live.directives[live.subject_keys[h.doc]] for h in subject_hits[:3])
    chosen, evidence = topic_document(live, q, topic_tokens, subject_hits, asked_code, seeking)
    if chosen is not None:
        ranked = None
        if evidence:  # the passages that decided lead, the document's own follow
            own = _rank_mentions(live, chosen, [])[:RANKED_LIMIT]
            ranked = _spread(live, [(p, 0.0) for p in evidence] + own)
        return _directive_answer(live, q, chosen, AnswerKind.SEARCH, offset, limit, ranked=ranked)

    share = coverage(live, tokens)
    within = share.candidates(live, FOUND_COVERAGE)
    hits = [] if seeking else live.bm25.search(tokens, top_k=50, within=within)
    good = [h for h in hits if share(h.matched) >= FOUND_COVERAGE]
    if not good:
        what = (
            TYPE_NAMES[asked_code].lower() if asked_code else ("văn bản" if seeking else "nội dung")
        )
        return Answer(
            q.original, False, AnswerKind.SEARCH,
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
        q.original, True, AnswerKind.SEARCH, f"Các bài viết có nội dung {_topic(q.rest)}:",
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
