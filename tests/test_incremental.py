"""Incremental updates answer exactly as a full rebuild of the same articles.

A real database and real folders: articles are added, rewritten and removed
(with their source) through the service, then `reindex(full=True)` rebuilds
everything from the stored articles. Every answer, every BM25 hit (same
passages, same order, bit-equal scores) and the index statistics must be
the same before and after. The property test in test_segments.py covers
random sequences at the array level; this one covers the whole pipeline.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from pathlib import Path

import numpy as np

from index.directives import directive_to_data
from index.refcodec import refs_from_json, refs_to_json
from index.refs import Ref, find_refs
from index.service import SearchService
from index.tokenize import query_tokens

QUESTIONS = [
    "Kết luận 21 nói về gì?",
    "Quy định 37 ban hành ngày nào?",
    "nghị quyết về khoa học công nghệ",
    "xây dựng chỉnh đốn Đảng",
    "cán bộ suy thoái tư tưởng chính trị",
]
TOPICS = [
    "Kết luận số 21-KL/TW ngày 25-10-2021 của Ban Chấp hành Trung ương về đẩy mạnh xây dựng,"
    " chỉnh đốn Đảng và hệ thống chính trị.",
    "Quy định số 37-QĐ/TW ngày 25-10-2021 về những điều đảng viên không được làm.",
    "Nghị quyết số 23-NQ/TW ngày 5-7-2022 của Bộ Chính trị về đưa khoa học,"
    " công nghệ vào sản xuất nông nghiệp ở vùng cao.",
    "Cán bộ suy thoái về tư tưởng chính trị, đạo đức, lối sống bị xử lý nghiêm.",
]


def _write(folder: Path, numbers: range | list[int], version: str, body_of: int = -1) -> None:
    """Short articles of our own, each mixing the topics differently; with
    `body_of`, the body of that article (equal passages: equal scores, so
    the order of ties is checked too)."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in numbers:
        v = n if body_of < 0 else body_of
        body = "\n\n".join(
            f"{TOPICS[(v + i) % len(TOPICS)]} Lần thứ {i}." for i in range(1 + v % 3)
        )
        front = f"---\ntitle: Bài {n} {version}\nurl: https://tin.example/{n}\n---\n"
        (folder / f"{n:03}.md").write_text(front + body + "\n", encoding="utf-8")


async def _snapshot(service: SearchService) -> dict[str, object]:
    live = service.live
    answers = []
    for question in QUESTIONS:
        answers.append(await service.ask(question, limit=10))  # card, quotes, scores
    hits = []
    for question in QUESTIONS:
        for h in live.bm25.search(query_tokens(question, []), top_k=30):
            passage = live.passages[h.doc]
            hits.append((question, passage.article_id, passage.text, h.score, sorted(h.matched)))
    terms = ["ket", "luan", "dang", "#kl21", "khoa", "không_có"]
    live_scores = [
        np.sort(live.bm25.scores(query_tokens(q, []))).tolist() for q in QUESTIONS
    ]  # per-position arrays differ in length (replaced passages stay masked): compare sorted
    return {
        "answers": answers,
        "hits": hits,
        "n_docs": live.bm25.n_docs,
        "idf": [live.bm25.term_idf(t) for t in terms],
        "scores": [[s for s in scores if s] for scores in live_scores],
        "directives": {k: directive_to_data(d) for k, d in sorted(live.directives.items())},
    }


async def _same_after_full_rebuild(service: SearchService) -> None:
    incremental = await _snapshot(service)
    await service.reindex(full=True)
    assert len(service.live.bm25.segments) == 1  # type: ignore[attr-defined]
    assert await _snapshot(service) == incremental
    assert await service.store.integrity_problems() == []


async def test_incremental_updates_answer_exactly_as_a_full_rebuild(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    _write(one, range(10), "bản một")
    _write(two, range(10, 14), "bản một")
    service = await SearchService.open(tmp_path / "v.db")
    try:
        await service.ingest([str(one), str(two)])
        first = service.live.generation
        _write(one, [2], "bản hai", body_of=6)  # rewritten: now ties with article 6
        _write(one, [7], "bản hai", body_of=12)
        _write(one, [30, 31, 32], "bài mới")  # added
        state = await service.reindex()
        assert (state.new, state.updated) == (3, 2) and service.live.generation > first
        _write(one, [31], "bản ba", body_of=1)
        await service.reindex()
        assert len(service.live.bm25.segments) == 3  # type: ignore[attr-defined]
        await _same_after_full_rebuild(service)

        _write(one, [4], "bản bốn", body_of=0)
        (second,) = [s for s in await service.sources() if s.location.endswith("two")]
        assert await service.remove_source(second.id)  # its four articles drop out
        await service.reindex()
        live = [1 + v % 3 for v in [0, 1, 6, 3, 0, 5, 6, 12, 8, 9, 30, 1, 32]]
        assert service.live.bm25.n_docs == service.status().passages == sum(live)
        await _same_after_full_rebuild(service)
    finally:
        await service.close()


def _write_local(folder: Path, title: str, published: str) -> None:
    """A provincial article: its place and publication year complete its references."""
    body = (
        "Ngày 3/11, Tỉnh ủy Quảng Ngãi ban hành Kế hoạch số 12-KH/TU về thực hiện Kết luận"
        " số 21-KL/TW ngày 25-10-2021 của Ban Chấp hành Trung ương.\n\nCác chi bộ học tập"
        " Kế hoạch 12 trong tháng."
    )
    front = f"---\ntitle: {title}\nurl: https://tin.example/qn\npublished: {published}\n---\n"
    (folder / "100.md").write_text(front + body + "\n", encoding="utf-8")


async def test_article_context_and_titles_follow_updates_as_a_full_rebuild(
    tmp_path: Path,
) -> None:
    one = tmp_path / "one"
    _write(one, range(3), "bản một")
    _write_local(one, "Quảng Ngãi học tập nghị quyết", "2022-12-10")
    service = await SearchService.open(tmp_path / "v.db")
    try:
        await service.ingest([str(one)])
        (plan,) = [d for d in service.live.directives.values() if d.code == "KH"]
        assert plan.date is not None and plan.date.year == 2022
        _write_local(one, "Kế hoạch 12-KH/TU của Tỉnh ủy Quảng Ngãi", "2023-12-10")
        await service.reindex()  # same text: only the title and date changed
        (plan,) = [d for d in service.live.directives.values() if d.code == "KH"]
        assert plan.date is not None and plan.date.year == 2023
        await _same_after_full_rebuild(service)
        _write_local(one, "Quảng Ngãi học tập nghị quyết", "2023-12-10")
        _write(one, [5], "bài mới")
        await service.reindex()
        await _same_after_full_rebuild(service)
    finally:
        await service.close()


def test_references_survive_storage() -> None:
    for topic in TOPICS:
        text = (
            topic
            + " Thực hiện Kết luận 21, thay thế Quy định số 08-QĐi/TW, Nghị định 178/2024/NĐ-CP."
        )
        refs = find_refs(text, with_state=True)
        assert refs and list(refs_from_json(refs_to_json(refs))) == refs
    assert refs_to_json([]) == "" and refs_from_json("") == ()


def test_every_reference_field_survives_storage() -> None:
    values: dict[str, object] = {
        "code": "KH", "number": "12", "start": 3, "end": 9, "raw_code": "KH",
        "issuer_code": "TU", "date": date(2023, 11, 3), "year": 2023, "body": "Tỉnh ủy",
        "term": "XX", "subject": "về học tập", "body_issuer": "TU", "subject_start": 10,
        "clause_end": 20, "relations": [("implements", 1)], "state": True, "written_tu": True,
        "day_month": (3, 11), "signer": "Nguyễn Văn A", "passing": True, "number_year": 2024,
        "bare": True, "header": True, "lead": "replaces", "lead_code": "NQ",
    }  # fmt: skip
    assert set(values) == {f.name for f in fields(Ref)}  # a new field must be added here
    ref = Ref(**values)  # type: ignore[arg-type]
    (back,) = refs_from_json(refs_to_json([ref]))
    assert back == ref


async def test_first_update_after_a_restart_reads_stored_references(tmp_path: Path) -> None:
    folder, db = tmp_path / "one", tmp_path / "v.db"
    _write(folder, range(6), "bản một")
    service = await SearchService.open(db)
    try:
        await service.ingest([str(folder)])
        before = service.live.directives
    finally:
        await service.close()
    service = await SearchService.open(db)  # nothing cached in this process
    try:
        assert service.live.refs_cache == {}
        _write(folder, [9], "bài mới")
        await service.reindex()
        passages = [pid for pid in service.live.refs_cache if pid >= 0]  # titles' are < 0
        assert len(passages) == service.live.bm25.n_docs
        assert set(before) <= set(service.live.directives)
    finally:
        await service.close()
