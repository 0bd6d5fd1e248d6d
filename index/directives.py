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
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from index.models import Directive, Relation, format_date
from index.normalize import fold
from index.refs import INVERSE, TYPE_NAMES, Ref, find_refs

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


_NO_REFS: tuple[Ref, ...] = ()  # shared by the many passages that name no document


@dataclass
class _Mention:
    ref: Ref
    article_id: int
    passage_id: int
    key: str = ""


@dataclass
class _Record:
    code: str
    number: str
    issuer: str
    year: str
    mentions: list[_Mention] = field(default_factory=list)
    place: str = ""

    @property
    def key(self) -> str:
        return make_key(self.code, self.number, self.issuer, self.year, self.place)


@dataclass
class MergeResult:
    directives: dict[str, Directive]
    mentions: list[tuple[int, str, bool]]  # (passage id, directive key, full reference)


def merge(
    passages: Iterable[tuple[int, int, str]], refs_cache: dict[int, tuple[Ref, ...]] | None = None
) -> MergeResult:
    """passages: (passage id, article id, text) in reading order.

    Finding references is most of the work and depends on the text alone:
    `refs_cache` (by passage id) keeps them from one generation to the next.
    """
    full: list[_Mention] = []
    short: list[_Mention] = []
    by_passage: dict[int, list[_Mention]] = {}
    for passage_id, article_id, text in passages:
        refs = refs_cache.get(passage_id) if refs_cache is not None else None
        if refs is None:
            refs = tuple(find_refs(text)) or _NO_REFS
            if refs_cache is not None:
                refs_cache[passage_id] = refs
        found = [_Mention(ref, article_id, passage_id) for ref in refs]
        by_passage[passage_id] = found
        for mention in found:
            (full if mention.ref.is_full else short).append(mention)

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
            candidates, m.ref.body_issuer, place_of(m.ref)
        )
        if not m.key and not candidates and m.ref.body_issuer:
            # "Nghị quyết 58 của Bộ Chính trị": issuer known, no full reference anywhere
            record = _Record(m.ref.code, m.ref.number, m.ref.body_issuer, "", place=place_of(m.ref))
            m.key = record.key
            records[m.key] = record
            index[(record.code, record.number)].append(record)
        if m.key:
            records[m.key].mentions.append(m)

    relations = _relations(by_passage, index)
    directives = {
        key: _vote(record, relations.get(key, {}), records) for key, record in records.items()
    }
    mention_rows = [
        (m.passage_id, m.key, m.ref.is_full)
        for found in by_passage.values()
        for m in found
        if m.key
    ]
    return MergeResult(directives, mention_rows)


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
        groups[(m.ref.code, m.ref.number, m.ref.issuer_code or "", place_of(m.ref))].append(m)
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
            record = _Record(code, number, issuer, year, members, place)
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
    if len(dated) == 1:
        return next(iter(dated))
    same_article = [y for y, ms in dated.items() if any(x.article_id == m.article_id for x in ms)]
    if len(same_article) == 1:
        return same_article[0]
    if m.ref.term:
        same_term = [
            y for y, ms in dated.items() if any(term_for(x.ref.date) == m.ref.term for x in ms)
        ]
        if len(same_term) == 1:
            return same_term[0]
    return max(dated, key=lambda y: len(dated[y]))


def _relations(
    by_passage: dict[int, list[_Mention]], index: dict[tuple[str, str], list[_Record]]
) -> dict[str, dict[str, str]]:
    """key -> {other key: relation}, both directions."""
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for found in by_passage.values():
        for m in found:
            for relation, target_pos in m.ref.relations:
                target = found[target_pos]
                target_key = target.key or resolve(
                    index.get((target.ref.code, target.ref.number), []),
                    target.ref.body_issuer,
                    place_of(target.ref),
                )
                if m.key and target_key and target_key != m.key:
                    out[m.key].setdefault(target_key, relation)
                    out[target_key].setdefault(m.key, INVERSE[relation])
    return out


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
    subjects = _per_article(ms, lambda r: r.subject if r.is_full or r.subject else None)
    codes = Counter(m.ref.raw_code for m in ms if m.ref.raw_code)
    day = _winner(dates)
    display_code = _winner(codes) or record.code
    number = record.number.zfill(2)
    disagreements = []
    if len(dates) > 1:
        others = ", ".join(f"{format_date(d)} ({n} bài)" for d, n in dates.most_common()[1:])
        disagreements.append(
            f"Ngày ban hành theo đa số bài là {format_date(day)}; có bài ghi {others}."
        )
    if len(bodies) > 1:
        others = ", ".join(f"{b} ({n} bài)" for b, n in bodies.most_common()[1:])
        disagreements.append(
            f"Cơ quan ban hành theo đa số bài là {_winner(bodies)}; có bài ghi {others}."
        )
    return Directive(
        key=key,
        id=f"{number}-{display_code}/{record.issuer}",
        type=TYPE_NAMES[record.code],
        code=record.code,
        number=record.number,
        issuer_code=record.issuer,
        issuer=_winner(bodies),
        date=day,
        term=_winner(terms) or (term_for(day) if record.issuer == "TW" else None),
        subject=_best_subject(subjects),
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


def _display_id(record: _Record) -> str:
    codes = Counter(m.ref.raw_code for m in record.mentions if m.ref.raw_code)
    return f"{record.number.zfill(2)}-{_winner(codes) or record.code}/{record.issuer}"


def _best_subject(subjects: Counter[str]) -> str | None:
    """Most articles agree on it; among equals the fuller wording wins."""
    if not subjects:
        return None
    best = max(subjects.items(), key=lambda item: (item[1], len(item[0])))
    return best[0]


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
        year=data.get("year"),
        related=tuple(
            Relation(r["id"], r["relation"], r.get("key", "")) for r in data.get("related", [])
        ),
        disagreements=tuple(data.get("disagreements", [])),
        mention_count=data.get("mention_count", 0),
        article_count=data.get("article_count", 0),
    )
