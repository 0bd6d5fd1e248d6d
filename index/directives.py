"""Merge every mention of a document, across articles, into one record.

Identity is (type code, number, issuer code, year): numbers restart each
term, so Nghị quyết 18-NQ/TW of 2017 and of 2022 stay two documents. Fields
are voted per article (one article, one vote); where articles disagree the
winner is kept and the disagreement noted. Short references ("Kết luận 21")
are resolved to a full one in the same article, else to the only matching
record (a central one when the rest are local), else left out.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from copy import copy
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from index.doctypes import TYPE_NAMES
from index.models import Directive, Relation, format_date
from index.normalize import fold, nfc
from index.places import ArticleContext
from index.refs import (
    Ref,
    find_refs,
    format_state_id,
    title_body,
    title_subject,
)
from index.relations import INVERSE
from index.sentence import date_in_year
from index.unnamed import Unnamed, unnamed_mentions

# Start of each term of the Party Central Committee (day after each congress).
_TERMS = [
    (date(2026, 1, 24), "XIV"),
    (date(2021, 2, 1), "XIII"),
    (date(2016, 1, 28), "XII"),
    (date(2011, 1, 19), "XI"),
    (date(2006, 4, 25), "X"),
    (date(2001, 4, 22), "IX"),
]

RELATION_PHRASES = {
    "implements": "thực hiện",
    "implemented_by": "được thực hiện bởi",
    "amends": "sửa đổi, bổ sung",
    "amended_by": "được sửa đổi, bổ sung bởi",
    "replaces": "thay thế",
    "replaced_by": "được thay thế bởi",
    "reviews": "được ban hành trên cơ sở tổng kết",
    "reviewed_by": "được tổng kết trong",
    "follows": "kế thừa và đổi mới so với",
    "followed_by": "được kế thừa và đổi mới trong",
    "based_on": "căn cứ",
    "basis_of": "là căn cứ của",
}


def term_for(day: date | None) -> str | None:
    if day is None:
        return None
    return next((term for start, term in _TERMS if day >= start), None)


def make_key(code: str, number: str, issuer: str, year: int | str, place: str = "") -> str:
    key = f"{code}|{number}|{issuer}|{year}"
    return f"{key}|{place}" if place else key


_PLACE_RE = re.compile(r"(?:tinh|thanh|huyen|quan|thi|dang) uy (?P<place>[a-z ]+)$")


def place_of(ref: Ref) -> str:
    """Folded place of a local committee ("thanh hoa" for "Tỉnh ủy Thanh Hóa"):
    every province numbers its own documents, so 21-KL/TU of two provinces differ."""
    if not ref.body or ref.body_issuer in (None, "TW"):
        return ""
    m = _PLACE_RE.search(fold(ref.body))
    return m.group("place").strip() if m else ""


def same_place(asked: str, known: str) -> bool:
    """Whether a place named in a question ("hue") is a record's place ("thua thien hue"):
    people drop the leading words of a province's name, never the last ones."""
    asked_words, known_words = asked.split(), known.split()
    return bool(asked_words) and known_words[-len(asked_words) :] == asked_words


_NO_REFS: tuple[Ref, ...] = ()  # shared by the many passages that name no document


@dataclass
class _Mention:
    ref: Ref
    article_id: int
    passage_id: int
    key: str = ""
    place: str = ""


def _mention(ref: Ref, article_id: int, passage_id: int, context: ArticleContext) -> _Mention:
    """A reference read in its article: a "/TƯ" in a local document is its "/TU", a
    year-less date takes the publication year, a local reference the article's place."""
    if ref.written_tu and context.local:
        ref.issuer_code = "TU"
    if ref.header and ref.subject is None and not find_refs(context.title):
        ref.subject = title_subject(context.title, ref.code)  # the page is the document
    if ref.date is None and ref.day_month:
        ref.date = date_in_year(ref.day_month, context.published)
    place = place_of(ref)
    if not place and not ref.state and (ref.issuer_code or ref.body_issuer or "TW") != "TW":
        place = context.place
    return _Mention(ref, article_id, passage_id, place=place)


@dataclass
class _Record:
    code: str
    number: str
    issuer: str
    year: str
    mentions: list[_Mention] = field(default_factory=list)
    place: str = ""
    state: bool = False

    @property
    def key(self) -> str:
        return make_key(self.code, self.number, self.issuer, self.year, self.place)


@dataclass
class MergeResult:
    directives: dict[str, Directive]
    mentions: list[tuple[int, str, bool]]  # (passage id, directive key, full reference)


def merge(
    passages: Iterable[tuple[int, int, str]],
    articles: Mapping[int, ArticleContext] | None = None,
    refs_cache: dict[int, tuple[Ref, ...]] | None = None,
) -> MergeResult:
    """passages: (passage id, article id, text) in reading order; articles: what each
    article tells about its references (publication date, place, title).

    Finding references is most of the work and depends on the text alone:
    `refs_cache` (by passage id; a title under its negative id) keeps them from
    one generation to the next.
    """
    full: list[_Mention] = []
    short: list[_Mention] = []
    by_passage: dict[int, list[_Mention]] = {}
    unnamed: dict[int, tuple[int, list[Unnamed]]] = {}
    articles = articles or {}
    for passage_id, article_id, text in _with_titles(passages, articles):
        context = articles.get(article_id) or ArticleContext()
        refs = refs_cache.get(passage_id) if refs_cache is not None else None
        if refs is None:
            refs = tuple(find_refs(text, with_state=True)) or _NO_REFS
            if refs_cache is not None:
                refs_cache[passage_id] = refs
        # merging edits its references (issuer, date, type from other articles):
        # the cached ones stay as found, so the next generation starts afresh
        found = [_mention(copy(ref), article_id, passage_id, context) for ref in refs]
        by_passage[passage_id] = found
        text = nfc(text)
        unnamed[passage_id] = (
            article_id,
            unnamed_mentions(text, fold(text), [m.ref for m in found]),
        )
        for mention in found:
            (full if mention.ref.is_full else short).append(mention)

    _join_bare_codes(full)
    _issuers_from_titles(short, full, articles)
    records = _cluster(full)
    index: dict[tuple[str, str], list[_Record]] = defaultdict(list)
    for record in records.values():
        index[(record.code, record.number)].append(record)
    article_keys: dict[tuple[int, str, str], str] = {}
    for m in full:
        article_keys.setdefault((m.article_id, m.ref.code, m.ref.number), m.key)
    for m in short:
        candidates = index.get((m.ref.code, m.ref.number), [])
        m.key = article_keys.get((m.article_id, m.ref.code, m.ref.number)) or resolve(
            candidates, m.ref.body_issuer, m.place
        )
        if not m.key and not candidates and m.ref.body_issuer:
            # "Nghị quyết 58 của Bộ Chính trị": issuer known, no full reference anywhere
            record = _Record(m.ref.code, m.ref.number, m.ref.body_issuer, "", place=m.place)
            m.key = record.key
            records[m.key] = record
            index[(record.code, record.number)].append(record)
        if m.key:
            records[m.key].mentions.append(m)

    _attach_unnamed(by_passage, unnamed, records, articles)
    relations = _relations(by_passage, index)
    directives = {
        key: _vote(record, relations.get(key, {}), records) for key, record in records.items()
    }
    mention_rows = [
        (m.passage_id, m.key, m.ref.is_full)
        for found in by_passage.values()
        for m in found
        if m.key and m.passage_id >= 0  # titles vote but are not passages
    ]
    return MergeResult(directives, mention_rows)


def _attach_unnamed(
    by_passage: dict[int, list[_Mention]],
    unnamed: dict[int, tuple[int, list[Unnamed]]],
    records: dict[str, _Record],
    articles: Mapping[int, ArticleContext],
) -> None:
    """A sentence naming a document by its type alone is a mention of the document of
    that type the article named last ("Chỉ thị do đồng chí … ký"; any type for "Văn
    bản …"), or of the only one the article names ("Bộ Chính trị ban hành Chỉ thị về …")."""
    only: dict[tuple[int, str], set[str]] = defaultdict(set)
    for found in by_passage.values():
        for m in found:
            if m.key:
                only[(m.article_id, m.ref.code)].add(m.key)
    last: dict[tuple[int, str | None], str] = {}
    for passage_id, found in by_passage.items():
        article_id, sentences = unnamed[passage_id]
        events: list[tuple[int, _Mention | Unnamed]] = [(m.ref.start, m) for m in found]
        events += [(u.start, u) for u in sentences]
        for _, event in sorted(events, key=lambda e: e[0]):
            if isinstance(event, _Mention):
                if event.key:
                    last[(article_id, event.ref.code)] = last[(article_id, None)] = event.key
                continue
            if event.back:
                key = last.get((article_id, event.code))
            else:
                keys = only.get((article_id, event.code or ""), set())
                key = next(iter(keys)) if len(keys) == 1 else None
            if key and key in records:
                context = articles.get(article_id) or ArticleContext()
                _add_unnamed(records[key], event, article_id, passage_id, context)


def _add_unnamed(
    record: _Record, sentence: Unnamed, article_id: int, passage_id: int, context: ArticleContext
) -> None:
    facts = sentence.facts
    day = facts.date or (facts.day_month and date_in_year(facts.day_month, context.published))
    if day and record.year.isdigit() and day.year != int(record.year):
        return  # another document of that type, issued another year
    if facts.body_issuer not in (None, record.issuer):
        return  # issued by another body ("Tỉnh ủy ban hành Nghị quyết …" of a /TW one)
    ref = Ref(record.code, record.number, 0, 0, issuer_code=record.issuer, date=day or None,
              body=facts.body, body_issuer=facts.body_issuer, signer=facts.signer,
              term=facts.term, subject=sentence.subject)  # fmt: skip
    record.mentions.append(_Mention(ref, article_id, passage_id, record.key))


def _issuers_from_titles(
    short: list[_Mention], full: list[_Mention], articles: Mapping[int, ArticleContext]
) -> None:
    """ "Quy định mới của Bộ Chính trị về …" over a text citing only "Quy định số 368":
    the title names the issuer and subject of the one Quy định the article numbers."""
    numbers: dict[tuple[int, str], set[str]] = defaultdict(set)
    for m in (*short, *full):
        numbers[(m.article_id, m.ref.code)].add(m.ref.number)
    for m in short:
        context = articles.get(m.article_id)
        if m.ref.body_issuer or not context or len(numbers[(m.article_id, m.ref.code)]) > 1:
            continue
        if (body := title_body(context.title, m.ref.code)) and not find_refs(context.title):
            m.ref.body, m.ref.body_issuer = body
            m.ref.subject = title_subject(context.title, m.ref.code) or m.ref.subject


def _join_bare_codes(full: list[_Mention]) -> None:
    """ "Số: 50-QĐ/TW" with no type word is read as a Quyết định; where a Quy định
    50-QĐ/TW is named it is that one."""
    rules = {(m.ref.number, m.ref.issuer_code) for m in full if m.ref.code == "QĐi"}
    for m in full:
        if m.ref.bare and m.ref.code == "QĐ" and (m.ref.number, m.ref.issuer_code) in rules:
            m.ref.code = "QĐi"


def _with_titles(
    passages: Iterable[tuple[int, int, str]], articles: Mapping[int, ArticleContext]
) -> Iterable[tuple[int, int, str]]:
    """Each article's title before its first passage, under a negative passage id:
    a title often names the document with its year and subject in one line."""
    seen: set[int] = set()
    for passage_id, article_id, text in passages:
        if article_id not in seen:
            seen.add(article_id)
            title = articles[article_id].title if article_id in articles else ""
            if title:
                yield -1 - article_id, article_id, title
        yield passage_id, article_id, text


def resolve(candidates: list[_Record], issuer: str | None, place: str = "") -> str:
    """The one record a short reference can mean, or ''."""
    if issuer:
        candidates = [r for r in candidates if r.issuer == issuer]
    if place:
        candidates = [r for r in candidates if r.place in (place, "")]
    central = [r for r in candidates if r.issuer == "TW"]
    if len(candidates) > 1 and len(central) == 1:
        candidates = central
    return candidates[0].key if len(candidates) == 1 else ""


def _cluster(full: list[_Mention]) -> dict[str, _Record]:
    """Group full references by document; undated ones join a dated year."""
    groups: dict[tuple[str, str, str, str], list[_Mention]] = defaultdict(list)
    for m in full:
        groups[(m.ref.code, m.ref.number, m.ref.issuer_code or "", m.place)].append(m)
    for code, number, issuer, place in list(groups):
        if place:
            continue
        # a mention that names no place joins the only place known for that number,
        # or the one whose mentions carry the same date
        places = [p for (c, n, i, p) in groups if (c, n, i) == (code, number, issuer) and p]
        for m in groups.pop((code, number, issuer, "")):
            same_date = [p for p in places if m.ref.date and any(
                x.ref.date == m.ref.date for x in groups[(code, number, issuer, p)])]  # fmt: skip
            target = (
                places[0] if len(places) == 1 else (same_date[0] if len(same_date) == 1 else "")
            )
            groups[(code, number, issuer, target)].append(m)
    records: dict[str, _Record] = {}
    for (code, number, issuer, place), mentions in groups.items():
        by_year: dict[str, list[_Mention]] = defaultdict(list)
        for m in mentions:
            if known := _mention_year(m):
                by_year[str(known)].append(m)
        for m in mentions:
            if not _mention_year(m):
                by_year[_year_for_undated(m, by_year)].append(m)
        for year, members in by_year.items():
            state = any(m.ref.state for m in members)
            record = _Record(code, number, issuer, year, members, place, state)
            for m in members:
                m.key = record.key
            records[record.key] = record
    return records


def _mention_year(m: _Mention) -> int | None:
    return m.ref.date.year if m.ref.date else m.ref.year


def _year_for_undated(m: _Mention, by_year: dict[str, list[_Mention]]) -> str:
    dated = {y: ms for y, ms in by_year.items() if y}
    if not dated:
        return ""
    if m.ref.term:
        # "27-NQ/TW … khóa X" is not the 27-NQ/TW of 2022 (khóa XIII)
        terms = {y: {term_for(x.ref.date) for x in ms} for y, ms in dated.items()}
        same_term = [y for y, t in terms.items() if m.ref.term in t]
        if len(same_term) == 1:
            return same_term[0]
        if not same_term:
            return ""
    if len(dated) == 1:
        return next(iter(dated))
    same_article = [y for y, ms in dated.items() if any(x.article_id == m.article_id for x in ms)]
    if len(same_article) == 1:
        return same_article[0]
    return max(dated, key=lambda y: len(dated[y]))


def _relations(
    by_passage: dict[int, list[_Mention]], index: dict[tuple[str, str], list[_Record]]
) -> dict[str, dict[str, str]]:
    """key -> {other key: relation}, both directions."""
    out: dict[str, dict[str, str]] = defaultdict(dict)
    main = _main_documents(by_passage)
    for found in by_passage.values():
        for m in found:
            if m.ref.lead and m.key:
                subject = main.get((m.article_id, m.ref.lead_code)) or ""
                if subject and subject != m.key:
                    out[subject].setdefault(m.key, m.ref.lead)
                    out[m.key].setdefault(subject, INVERSE[m.ref.lead])
            for relation, target_pos in m.ref.relations:
                target = found[target_pos]
                target_key = target.key or resolve(
                    index.get((target.ref.code, target.ref.number), []),
                    target.ref.body_issuer,
                    target.place,
                )
                if m.key and target_key and target_key != m.key:
                    out[m.key].setdefault(target_key, relation)
                    out[target_key].setdefault(m.key, INVERSE[relation])
    return out


def _main_documents(by_passage: dict[int, list[_Mention]]) -> dict[tuple[int, str | None], str]:
    """(article, type code or None) -> the document the article names most (first on a
    tie): what an unnamed "Nghị quyết này" or a sentence with no subject is about."""
    counts: dict[tuple[int, str | None], Counter[str]] = defaultdict(Counter)
    for found in by_passage.values():
        for m in found:
            if m.key and m.passage_id >= 0:
                counts[(m.article_id, None)][m.key] += 1
                counts[(m.article_id, m.ref.code)][m.key] += 1
    return {where: keys.most_common(1)[0][0] for where, keys in counts.items()}


def _winner(votes: Counter[Any]) -> Any:
    """Most supported value; ties go to the value seen first."""
    return votes.most_common(1)[0][0] if votes else None


def _per_article(mentions: list[_Mention], value) -> Counter[Any]:  # type: ignore[no-untyped-def]
    seen: dict[tuple[int, Any], None] = {}
    for m in mentions:
        v = value(m.ref)
        if v:
            seen[(m.article_id, v)] = None
    return Counter(v for _, v in seen)


def _vote(record: _Record, related: dict[str, str], records: dict[str, _Record]) -> Directive:
    ms = record.mentions
    key = record.key
    dates = _per_article(ms, lambda r: r.date)
    bodies = _per_article(
        ms, lambda r: r.body if r.body_issuer == record.issuer or r.body_issuer is None else None
    )
    terms = _per_article(ms, lambda r: r.term)
    signers = _per_article(ms, lambda r: r.signer)
    # what the document is about ("về …", a quoted title) beats what it does to another
    # ("thay thế Chỉ thị 35 …"); a subject read where the document is named in passing
    # counts only when no other is
    subjects = (
        _per_article(ms, lambda r: None if r.passing or not _own_subject(r) else r.subject)
        or _per_article(ms, lambda r: None if r.passing else r.subject)
        or _per_article(ms, lambda r: r.subject)
    )
    day = _winner(dates)
    disagreements = []
    if len(dates) > 1:
        others = ", ".join(f"{format_date(d)} ({n} bài)" for d, n in dates.most_common()[1:])
        disagreements.append(
            f"Ngày ban hành theo đa số bài là {format_date(day)}; có bài ghi {others}."
        )
    body = _best_body(bodies)
    if len(bodies) > 1:
        others = ", ".join(f"{b} ({n} bài)" for b, n in bodies.most_common() if b != body)
        disagreements.append(f"Cơ quan ban hành theo đa số bài là {body}; có bài ghi {others}.")
    return Directive(
        key=key,
        id=_display_id(record),
        type=TYPE_NAMES[record.code],
        code=record.code,
        number=record.number,
        issuer_code=record.issuer,
        issuer=body,
        date=day,
        term=_winner(terms) or (term_for(day) if record.issuer == "TW" else None),
        subject=_best_subject(subjects),
        signer=_winner(signers),
        year=int(record.year) if record.year.isdigit() else None,
        related=tuple(
            Relation(id=_display_id(records[other]), relation=relation, key=other)
            for other, relation in related.items()
            if other in records
        ),
        disagreements=tuple(disagreements),
        mention_count=len(ms),
        article_count=len({m.article_id for m in ms}),
    )


def _own_subject(ref: Ref) -> bool:
    """A subject that says what the document is about, not how it relates to another."""
    return ref.subject is not None and fold(ref.subject).startswith(("ve ", "“", '"'))


_WHOLE_COMMITTEE = "Ban Chấp hành Trung ương"


def _best_body(bodies: Counter[str]) -> str | None:
    """Most articles' issuer; on a tie the narrower body wins: reports often say
    "Trung ương ban hành" loosely of a Bộ Chính trị document, never the reverse."""
    if not bodies:
        return None
    order = list(bodies)
    return max(order, key=lambda b: (bodies[b], b != _WHOLE_COMMITTEE, -order.index(b)))


def _display_id(record: _Record) -> str:
    codes = Counter(m.ref.raw_code for m in record.mentions if m.ref.raw_code)
    # a Quy định never seen with its code is shown as Quy định are numbered today
    code = _winner(codes) or ("QĐ" if record.code == "QĐi" else record.code)
    if record.state:
        in_number = next((m.ref.number_year for m in record.mentions if m.ref.number_year), None)
        number = record.number.partition("/")[0].zfill(2)
        return format_state_id(number, code, record.issuer, in_number)
    return f"{record.number.zfill(2)}-{code}/{record.issuer}"


def _best_subject(subjects: Counter[str]) -> str | None:
    """Most articles agree on it (letter case aside); among equals the fuller wording
    wins, and the spelling most articles use is shown."""
    if not subjects:
        return None
    votes: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for subject, n in subjects.items():
        same = " ".join(subject.casefold().strip('“”"').split())
        votes[same] += n
        spellings[same][subject] += n
    best = max(votes.items(), key=lambda item: (item[1], len(item[0])))[0]
    # a spelling from a capitalised header ("VỀ XỬ LÝ …", "Về …") or in quotation marks
    # only when there is no other
    order = list(spellings[best])
    return max(
        order,
        key=lambda v: (
            not v.isupper(),
            v[:1] not in '“"',
            not v[:1].isupper(),  # a capital opens a heading or a title, not running text
            spellings[best][v],
            -order.index(v),
        ),
    )


def directive_to_data(d: Directive) -> dict[str, Any]:
    data = d.to_json()
    data.update(
        key=d.key, code=d.code, mention_count=d.mention_count, article_count=d.article_count
    )
    data["related"] = [{"id": r.id, "relation": r.relation, "key": r.key} for r in d.related]
    return data


def directive_from_data(data: dict[str, Any]) -> Directive:
    return Directive(
        key=data["key"],
        id=data["id"],
        type=data["type"],
        code=data["code"],
        number=data["number"],
        issuer_code=data["issuer_code"],
        issuer=data.get("issuer"),
        date=date.fromisoformat(data["date"]) if data.get("date") else None,
        term=data.get("term"),
        subject=data.get("subject"),
        signer=data.get("signer"),
        year=data.get("year"),
        related=tuple(
            Relation(r["id"], r["relation"], r.get("key", "")) for r in data.get("related", [])
        ),
        disagreements=tuple(data.get("disagreements", [])),
        mention_count=data.get("mention_count", 0),
        article_count=data.get("article_count", 0),
    )
