"""index/store.py against a fresh real SQLite file per test.

Raw `sqlite3` connections are used only to look at (or damage) the file from
outside, the way another process would.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import pytest

import index.store as store_module
from index.errors import StoreError
from index.models import ArticleInfo
from index.store import MIGRATIONS, Store


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "vankien.db"  # the parent folder is created on open


@pytest.fixture
async def store(db_path: Path) -> AsyncIterator[Store]:
    s = await Store.open(db_path)
    try:
        yield s
    finally:
        await s.close()


def _raw(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path)


def _tables(path: Path) -> set[str]:
    with _raw(path) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


async def _article(
    store: Store,
    url: str = "https://a.example/1",
    *,
    source_id: int | None = None,
    content_hash: str = "h1",
    text: str = "Kết luận số 21-KL/TW.",
    needs_review: str | None = None,
    published: date | None = date(2021, 12, 20),
) -> int:
    return await store.insert_article(
        source_id=source_id,
        url=url,
        title=f"Bài {url}",
        published=published,
        author="Minh An",
        site="Báo Mẫu",
        content_hash=content_hash,
        text=text,
        needs_review=needs_review,
    )


# -- opening and migrations -----------------------------------------------------------------


async def test_migrations_set_user_version(store: Store, db_path: Path) -> None:
    with _raw(db_path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert {"sources", "articles", "generations", "passages", "directives", "mentions"} <= _tables(
        db_path
    )
    assert await store.migrate() == len(MIGRATIONS)  # nothing left to apply


async def test_reopening_keeps_data_and_version(db_path: Path) -> None:
    first = await Store.open(db_path)
    await _article(first)
    await first.close()
    second = await Store.open(db_path)
    try:
        assert await second.migrate() == len(MIGRATIONS)
        assert (await second.article_by_url("https://a.example/1")) is not None
    finally:
        await second.close()
    with _raw(db_path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


async def test_wal_mode_is_on(store: Store, db_path: Path) -> None:
    with _raw(db_path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


async def test_an_older_database_is_brought_up_to_date(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as m:
        m.setattr(store_module, "MIGRATIONS", MIGRATIONS[:1])
        old = await Store.open(db_path)
        await _article(old)
        await old.close()
    with _raw(db_path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    s = await Store.open(db_path)
    try:
        assert (await s.article_by_url("https://a.example/1")) is not None
    finally:
        await s.close()
    with _raw(db_path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert "generation_articles" in _tables(db_path)


async def test_a_new_migration_runs_once_in_order(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await (await Store.open(db_path)).close()
    extra = "ALTER TABLE sources ADD COLUMN note TEXT; CREATE TABLE extra (x INTEGER)"
    monkeypatch.setattr(store_module, "MIGRATIONS", [*MIGRATIONS, extra])
    for _ in range(2):  # the second open must not run it again (it would fail)
        s = await Store.open(db_path)
        await s.close()
    with _raw(db_path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS) + 1
        columns = [r[1] for r in conn.execute("PRAGMA table_info(sources)")]
    assert "note" in columns and "extra" in _tables(db_path)


async def test_a_failing_migration_is_rolled_back(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await (await Store.open(db_path)).close()
    broken = "CREATE TABLE half_done (x INTEGER); CREATE TABLE broken ("
    monkeypatch.setattr(store_module, "MIGRATIONS", [*MIGRATIONS, broken])
    with pytest.raises(StoreError):
        await Store.open(db_path)
    assert "half_done" not in _tables(db_path)
    with _raw(db_path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


async def test_opening_a_file_that_is_not_sqlite_raises_store_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"This is a text file, not a database.\n" * 200)
    with pytest.raises(StoreError) as info:
        await Store.open(path)
    message = str(info.value)
    assert str(path) in message
    assert "không phải SQLite" in message
    assert path.read_bytes().startswith(b"This is a text file")  # left untouched


async def test_opening_a_folder_raises_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as info:
        await Store.open(tmp_path)
    assert str(tmp_path) in str(info.value)
    # aiosqlite stops its worker thread without awaiting it when connect() fails; let it
    # finish while this test's event loop is still running
    for _ in range(200):
        if not any("_connection_worker_thread" in t.name for t in threading.enumerate()):
            break
        await asyncio.sleep(0.01)


# -- sources ----------------------------------------------------------------------------------


async def test_sources_add_list_remove(store: Store) -> None:
    feed, created = await store.add_source("https://bao.example/rss", "feed")
    assert created
    assert await store.add_source("https://bao.example/rss", "feed") == (feed, False)
    folder, _ = await store.add_source("/srv/bai-viet", "folder")
    await _article(store, "https://bao.example/a", source_id=feed)
    await _article(store, "https://bao.example/b", source_id=feed, content_hash="h2")
    listed = await store.sources()
    assert [(s.id, s.location, s.kind, s.article_count) for s in listed] == [
        (feed, "https://bao.example/rss", "feed", 2),
        (folder, "/srv/bai-viet", "folder", 0),
    ]
    assert await store.remove_source(feed) is True
    assert [s.id for s in await store.sources()] == [folder]
    assert await store.article_by_url("https://bao.example/a") is None  # cascade
    assert await store.articles() == []
    assert await store.remove_source(feed) is False


async def test_source_results_and_validators(store: Store) -> None:
    sid, _ = await store.add_source("https://bao.example/rss", "feed")
    assert await store.source_validators(sid) == (None, None)
    await store.record_source_result(sid, error=None, etag='"abc"', last_modified="Mon")
    await store.record_source_result(sid, error="HTTP 503")
    (info,) = await store.sources()
    assert info.last_error == "HTTP 503" and info.last_ok_at is not None
    await store.record_source_result(sid, error=None)  # keeps validators it was not given
    (info,) = await store.sources()
    assert info.last_error is None
    assert await store.source_validators(sid) == ('"abc"', "Mon")
    assert await store.source_validators(9999) == (None, None)


# -- articles -----------------------------------------------------------------------------


async def test_article_insert_and_lookup(store: Store) -> None:
    aid = await _article(store)
    by_url = await store.article_by_url("https://a.example/1")
    by_hash = await store.article_by_hash("h1")
    assert by_url is not None and by_url == by_hash
    assert (by_url.id, by_url.title, by_url.published, by_url.author, by_url.site) == (
        aid,
        "Bài https://a.example/1",
        date(2021, 12, 20),
        "Minh An",
        "Báo Mẫu",
    )
    assert by_url.text == "Kết luận số 21-KL/TW."
    assert await store.article_by_url("https://a.example/2") is None
    assert await store.article_by_hash("nope") is None


async def test_article_url_is_unique(store: Store) -> None:
    await _article(store)
    with pytest.raises((sqlite3.IntegrityError, StoreError)):
        await _article(store, content_hash="other")
    assert len(await store.articles()) == 1  # the failed insert left nothing behind


async def test_article_update(store: Store) -> None:
    aid = await _article(store)
    await store.update_article(
        aid,
        title="Tiêu đề mới",
        published=None,
        author=None,
        site="Báo Khác",
        content_hash="h9",
        text="Nội dung mới.",
        needs_review=None,
    )
    article = await store.article_by_url("https://a.example/1")
    assert article is not None
    assert (article.title, article.published, article.author, article.content_hash) == (
        "Tiêu đề mới",
        None,
        None,
        "h9",
    )
    assert await store.article_by_hash("h1") is None
    assert (await store.article_by_hash("h9")) == article


async def test_other_urls_are_remembered(store: Store, db_path: Path) -> None:
    aid = await _article(store)
    await store.add_other_url(aid, "https://copy.example/x")
    await store.add_other_url(aid, "https://copy.example/x")  # no duplicate
    await store.add_other_url(aid, "https://a.example/1")  # its own URL is not an "other"
    await store.add_other_url(aid, "https://copy.example/y")
    found = await store.article_by_url("https://copy.example/y")
    assert found is not None and found.id == aid and found.url == "https://a.example/1"
    with _raw(db_path) as conn:
        stored = json.loads(conn.execute("SELECT other_urls FROM articles").fetchone()[0])
    assert stored == ["https://copy.example/x", "https://copy.example/y"]
    assert await store.article_by_url("https://copy.example/z") is None


async def test_articles_leave_out_those_needing_review(store: Store) -> None:
    ok = await _article(store, "https://a.example/ok", published=date(2021, 1, 1))
    await _article(store, "https://a.example/vni", content_hash="h2", needs_review="phông VNI")
    newer = await _article(
        store, "https://a.example/new", content_hash="h3", published=date(2022, 5, 1)
    )
    assert [a.id for a in await store.articles()] == [ok, newer]
    assert [a.id for a in await store.latest_articles(5)] == [newer, ok]
    assert [a.id for a in await store.latest_articles(1)] == [newer]
    assert (await store.counts())["articles"] == 2


# -- generations ----------------------------------------------------------------------------

PASSAGES = [
    (1, 0, "h1", "Kết luận số 21-KL/TW ngày 25-10-2021.", ["ket", "luan", "#kl21"]),
    (1, 1, "h1", "Theo Kết luận 21, toàn Đảng.", ["theo", "ket", "#kl21"]),
]


def _info(article_id: int, title: str = "Bài mẫu") -> ArticleInfo:
    return ArticleInfo(
        article_id, title, f"https://a.example/{article_id}", date(2021, 12, 20), "Báo Mẫu"
    )


async def _build(
    store: Store, article_id: int, key: str = "KL|21|TW|2021", title: str = "Bài mẫu"
) -> int:
    """A generation that re-indexes one article (its previous passages retired)."""
    gen = await store.start_generation()
    active = await store.active_generation()
    if active is not None:
        await store.retire_passages(gen, await store.live_passage_ids(active.id, [article_id]))
    rows = [(article_id, pos, h, text, tokens) for _, pos, h, text, tokens in PASSAGES]
    ids = await store.add_passages(gen, rows)
    segment = await store.save_segment(gen, b"segment-" + str(gen).encode())
    await store.finish_generation(
        gen,
        segments=[segment],
        directives={key: {"id": "21-KL/TW", "subject": "về đẩy mạnh xây dựng Đảng"}},
        mentions=[(ids[0], key, True), (ids[1], key, False)],
        articles=[(_info(article_id, title), "h1|3")],
    )
    return gen


def _rows(path: Path, table: str) -> list[tuple[object, ...]]:
    with _raw(path) as conn:
        return conn.execute(f"SELECT * FROM {table}").fetchall()


async def test_generation_lifecycle(store: Store, db_path: Path) -> None:
    aid = await _article(store)
    assert await store.active_generation() is None
    gen = await store.start_generation()
    building = _rows(db_path, "generations")
    assert [(r[0], r[1]) for r in building] == [(gen, "building")]
    assert await store.active_generation() is None  # not visible until finished

    rows = [(aid, pos, h, text, tokens) for _, pos, h, text, tokens in PASSAGES]
    ids = await store.add_passages(gen, rows)
    assert len(ids) == 2 and ids[0] < ids[1]
    segment = await store.save_segment(gen, b"\x00segment")
    await store.finish_generation(
        gen,
        segments=[segment],
        directives={"KL|21|TW|2021": {"id": "21-KL/TW", "n": 2}},
        mentions=[(ids[0], "KL|21|TW|2021", True), (ids[1], "KL|21|TW|2021", False)],
        articles=[(_info(aid), "h1|3")],
    )
    active = await store.active_generation()
    assert active is not None
    assert (active.id, active.state, active.passages, active.segments) == (
        gen,
        "active",
        2,
        [segment],
    )
    assert await store.load_segments([segment]) == [b"\x00segment"]
    assert active.finished_at is not None
    passages = await store.generation_passages(gen)
    assert [(p.id, p.article_id, p.position, p.text) for p in passages] == [
        (ids[0], aid, 0, PASSAGES[0][3]),
        (ids[1], aid, 1, PASSAGES[1][3]),
    ]
    assert await store.generation_directives(gen) == {"KL|21|TW|2021": {"id": "21-KL/TW", "n": 2}}
    assert await store.generation_mentions(gen) == [
        (ids[0], "KL|21|TW|2021", True),
        (ids[1], "KL|21|TW|2021", False),
    ]
    assert await store.generation_articles(gen) == {aid: _info(aid)}
    # the generation keeps the metadata it was built with, whatever happens to the article
    await store.update_article(
        aid,
        title="Đã sửa",
        published=None,
        author=None,
        site=None,
        content_hash="h2",
        text="Khác.",
        needs_review=None,
    )
    assert (await store.generation_articles(gen))[aid].title == "Bài mẫu"
    assert await store.indexed_articles(gen) == {aid: (_info(aid), "h1|3")}
    # tokens come back as stored: one space-separated string
    assert await store.generation_tokens(gen) == [
        (ids[0], aid, 0, " ".join(PASSAGES[0][4])),
        (ids[1], aid, 1, " ".join(PASSAGES[1][4])),
    ]
    counts = await store.counts()
    assert (counts["passages"], counts["directives"], counts["generation"]) == (2, 1, gen)
    assert counts["index_bytes"] == len(b"\x00segment")


async def test_finishing_a_new_generation_drops_the_old_one(store: Store, db_path: Path) -> None:
    aid = await _article(store)
    first = await _build(store, aid, title="Tiêu đề cũ")
    second = await _build(store, aid, key="KL|21|TW|2022", title="Tiêu đề mới")
    assert second > first
    assert await store.generation_articles(first) == {}
    assert (await store.generation_articles(second))[aid].title == "Tiêu đề mới"
    generations = _rows(db_path, "generations")
    assert [(r[0], r[1]) for r in generations] == [(second, "active")]
    for table in ("passages", "mentions", "directives", "generation_articles"):
        with _raw(db_path) as conn:
            gens = {r[0] for r in conn.execute(f"SELECT generation FROM {table}")}
        assert gens == {second}, table
    assert await store.generation_passages(first) == []
    assert list(await store.generation_directives(second)) == ["KL|21|TW|2022"]
    assert await store.integrity_problems() == []


async def test_unchanged_passages_live_on_in_the_next_generation(
    store: Store, db_path: Path
) -> None:
    kept, changed = await _article(store), await _article(store, url="https://a.example/2")
    first = await _build(store, kept)
    second = await _build(store, changed)
    # the first generation still owns passages the second serves: it stays, retired
    assert [(r[0], r[1]) for r in _rows(db_path, "generations")] == [
        (first, "retired"), (second, "active"),
    ]  # fmt: skip
    assert [p.article_id for p in await store.generation_passages(second)] == [kept] * 2 + [
        changed
    ] * 2
    assert await store.indexed_articles(first) == {}  # its own rows are gone
    third = await _build(store, kept)  # the first generation's passages are replaced
    assert [(r[0], r[1]) for r in _rows(db_path, "generations")] == [
        (second, "retired"), (third, "active"),
    ]  # fmt: skip
    assert len(await store.generation_passages(third)) == 4
    segments = [r[0] for r in _rows(db_path, "index_segments")]
    assert segments == (await store.active_generation()).segments  # type: ignore[union-attr]
    assert await store.integrity_problems() == []


async def test_discarding_a_build_brings_back_what_it_retired(store: Store) -> None:
    aid = await _article(store)
    active = await _build(store, aid)
    live = await store.live_passage_ids(active, [aid])
    building = await store.start_generation()
    await store.retire_passages(building, live)
    await store.save_segment(building, b"half")
    assert await store.live_passage_ids(active, [aid]) == live  # still serving
    assert await store.live_passage_ids(building, [aid]) == []
    assert await store.discard_unfinished() == 1
    assert await store.live_passage_ids(active, [aid]) == live
    assert await store.integrity_problems() == []
    fresh = await store.start_generation()
    assert await store.live_passage_ids(fresh, [aid]) == live


async def test_discard_unfinished_keeps_the_active_generation(store: Store) -> None:
    aid = await _article(store)
    active = await _build(store, aid)
    before = await store.counts()
    building = await store.start_generation()
    await store.add_passages(building, [(aid, 0, "h1", "Đoạn dở dang.", ["doan"])])
    # the active generation keeps serving while the rebuild is under way
    assert (await store.active_generation()).id == active  # type: ignore[union-attr]
    # the build sees the passages it keeps and the one it added
    assert [p.text for p in await store.generation_passages(building)][2:] == ["Đoạn dở dang."]
    assert await store.discard_unfinished() == 1
    assert "Đoạn dở dang." not in [p.text for p in await store.generation_passages(building)]
    assert (await store.active_generation()).id == active  # type: ignore[union-attr]
    assert len(await store.generation_passages(active)) == 2
    assert await store.counts() == before
    assert await store.discard_unfinished() == 0
    assert await store.integrity_problems() == []
    assert await store.start_generation() > building  # ids are never reused


async def test_a_killed_rebuild_is_discarded_on_next_start(db_path: Path) -> None:
    s = await Store.open(db_path)
    aid = await _article(s)
    active = await _build(s, aid)
    gen = await s.start_generation()
    await s.add_passages(gen, [(aid, 0, "h1", "Đoạn dở dang.", ["doan"])])
    await s.close()  # the process dies before finish_generation
    s = await Store.open(db_path)
    try:
        assert await s.discard_unfinished() == 1
        assert (await s.active_generation()).id == active  # type: ignore[union-attr]
        with _raw(db_path) as conn:
            assert conn.execute("SELECT COUNT(*) FROM passages").fetchone()[0] == 2
    finally:
        await s.close()


async def test_a_generation_discarded_mid_build_is_never_activated(
    store: Store, db_path: Path
) -> None:
    """Another process removed the rows being built: activating nothing would leave no index."""
    aid = await _article(store)
    active = await _build(store, aid)
    gen = await store.start_generation()
    await store.add_passages(gen, [(aid, 0, "h1", "Đoạn mới.", ["doan"])])
    with _raw(db_path) as conn:
        conn.execute("DELETE FROM generations WHERE id = ?", (gen,))
    with pytest.raises(StoreError, match="đã bị xóa trong khi đang dựng"):
        await store.finish_generation(gen, segments=[], directives={}, mentions=[], articles=[])
    assert (await store.active_generation()).id == active  # type: ignore[union-attr]
    assert len(await store.generation_passages(active)) == 2


async def test_a_new_generation_removes_rows_of_vanished_generations(
    store: Store, db_path: Path
) -> None:
    """Orphans left by older versions are cleared by the next rebuild, not kept forever."""
    aid = await _article(store)
    await _build(store, aid)
    with _raw(db_path) as conn:
        conn.execute("DELETE FROM generations")
    assert any("không còn tồn tại" in p for p in await store.integrity_problems())
    await _build(store, aid)
    assert await store.integrity_problems() == []


# -- integrity and backup ---------------------------------------------------------------------


async def test_integrity_problems_empty_when_healthy(store: Store) -> None:
    assert await store.integrity_problems() == []  # empty database
    await _build(store, await _article(store))
    assert await store.integrity_problems() == []


async def test_integrity_problems_report_damage(store: Store, db_path: Path) -> None:
    gen = await _build(store, await _article(store))
    with _raw(db_path) as conn:
        conn.execute("UPDATE generations SET passages = 5 WHERE id = ?", (gen,))
    problems = await store.integrity_problems()
    assert len(problems) == 1 and "5" in problems[0] and "2" in problems[0]
    with _raw(db_path) as conn:
        conn.execute("INSERT INTO generations(state, started_at) VALUES ('active', 'x')")
    problems = await store.integrity_problems()
    assert any("2 thế hệ" in p for p in problems)


async def test_backup_is_a_working_copy(store: Store, tmp_path: Path) -> None:
    sid, _ = await store.add_source("https://bao.example/rss", "feed")
    aid = await _article(store, source_id=sid)
    await store.add_other_url(aid, "https://copy.example/x")
    await _build(store, aid)
    target = tmp_path / "backup.db"
    await store.backup(target)
    copy = await Store.open(target)
    try:
        assert await copy.counts() == await store.counts()
        assert await copy.integrity_problems() == []
        assert await copy.article_by_url("https://copy.example/x") == await store.article_by_url(
            "https://copy.example/x"
        )
        assert [s.location for s in await copy.sources()] == ["https://bao.example/rss"]
        gen = (await copy.active_generation()).segments  # type: ignore[union-attr]
        assert gen == (await store.active_generation()).segments  # type: ignore[union-attr]
        assert await copy.load_segments(gen) == await store.load_segments(gen)  # type: ignore[arg-type]
    finally:
        await copy.close()
