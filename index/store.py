"""SQLite storage: the only module with SQL.

One aiosqlite connection in WAL mode; every write runs in `BEGIN IMMEDIATE`
so two writers never interleave. Migrations are ordered functions keyed by
`PRAGMA user_version`.

Indexing works in generations. A passage belongs to every generation from
the one that added it (`generation`) until the one that replaced it
(`retired`), so an update writes only the passages it adds; mentions,
directives and article metadata are per generation. An update writes a new
generation beside the active one and `finish_generation()` switches over in
one transaction, then drops what only older generations used. A rebuild killed half-way leaves the active generation
untouched; its leftovers are removed by `discard_unfinished()`, which only
the holder of the writer lock may call (see writelock.py): a generation
another live process is building is never discarded.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import resource
import shutil
import sqlite3
from collections.abc import AsyncIterator, Iterable, Iterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal, NamedTuple

import aiosqlite

from index.errors import DamagedStoreError, StoreError
from index.models import ArticleInfo, SourceInfo

MIGRATIONS: list[str] = [
    # 1: the initial schema
    """
    CREATE TABLE sources (
        id INTEGER PRIMARY KEY,
        location TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        added_at TEXT NOT NULL,
        last_ok_at TEXT,
        last_error TEXT,
        etag TEXT,
        last_modified TEXT
    );
    CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        source_id INTEGER REFERENCES sources(id) ON DELETE CASCADE,
        url TEXT NOT NULL UNIQUE,
        other_urls TEXT NOT NULL DEFAULT '[]',
        title TEXT NOT NULL,
        published TEXT,
        author TEXT,
        site TEXT,
        content_hash TEXT NOT NULL,
        text TEXT NOT NULL,
        needs_review TEXT,
        added_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX articles_hash ON articles(content_hash);
    CREATE INDEX articles_source ON articles(source_id);
    CREATE TABLE generations (
        id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: a generation number is a marker
        state TEXT NOT NULL CHECK (state IN ('building', 'active', 'retired')),
        started_at TEXT NOT NULL,
        finished_at TEXT,
        passages INTEGER NOT NULL DEFAULT 0,
        bm25 BLOB
    );
    CREATE TABLE passages (
        id INTEGER PRIMARY KEY,
        generation INTEGER NOT NULL,
        article_id INTEGER NOT NULL,
        position INTEGER NOT NULL,
        content_hash TEXT NOT NULL,
        text TEXT NOT NULL,
        tokens TEXT NOT NULL
    );
    CREATE INDEX passages_generation ON passages(generation, id);
    CREATE INDEX passages_article ON passages(article_id, content_hash);
    CREATE TABLE directives (
        generation INTEGER NOT NULL,
        key TEXT NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (generation, key)
    );
    CREATE TABLE mentions (
        generation INTEGER NOT NULL,
        passage_id INTEGER NOT NULL,
        directive_key TEXT NOT NULL,
        is_full INTEGER NOT NULL
    );
    CREATE INDEX mentions_generation ON mentions(generation, directive_key);
    """,
    # 2: article metadata as each generation saw it, so a crash after articles
    # were updated but before the rebuild finished cannot mix old quotes with
    # new titles
    """
    CREATE TABLE generation_articles (
        generation INTEGER NOT NULL,
        article_id INTEGER NOT NULL,
        title TEXT NOT NULL,
        url TEXT NOT NULL,
        published TEXT,
        site TEXT,
        PRIMARY KEY (generation, article_id)
    );
    """,
    # 3: other URLs of an article in an indexed table: looking them up in the
    # JSON column scanned every article for every new one (quadratic ingest)
    """
    CREATE TABLE article_urls (
        url TEXT PRIMARY KEY,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE
    );
    INSERT OR IGNORE INTO article_urls(url, article_id)
        SELECT json_each.value, articles.id FROM articles, json_each(articles.other_urls);
    """,
    # 4: study groups. Questions asked (normalised text only, no user ids) and
    # votes on their answers, kept VANKIEN_FEEDBACK_DAYS; a vote's voter is a
    # keyed hash of (question, user), enough to let one user change their vote
    # and useless for finding who voted. Subscriptions of chats to new articles.
    """
    CREATE TABLE study_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    INSERT INTO study_meta(key, value) VALUES ('vote_salt', lower(hex(randomblob(16))));
    CREATE TABLE asked (
        id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: old 👍/👎 buttons carry it
        asked_at TEXT NOT NULL,
        question TEXT NOT NULL,
        topic TEXT NOT NULL,
        found INTEGER NOT NULL
    );
    CREATE INDEX asked_time ON asked(asked_at);
    CREATE TABLE votes (
        asked_id INTEGER NOT NULL REFERENCES asked(id) ON DELETE CASCADE,
        voter TEXT NOT NULL,
        vote INTEGER NOT NULL CHECK (vote IN (-1, 1)),
        PRIMARY KEY (asked_id, voter)
    );
    CREATE TABLE subscriptions (
        chat_id INTEGER NOT NULL,
        directive_key TEXT NOT NULL,
        label TEXT NOT NULL,
        created_at TEXT NOT NULL,
        seen_article_id INTEGER NOT NULL,
        PRIMARY KEY (chat_id, directive_key)
    );
    """,
    # 5: incremental updates. A passage lives from the generation that added it
    # until the one that retired it; BM25 arrays are segments shared between
    # generations; each generation records which text of each article it indexed
    # (filled from the passages of existing generations, so nothing is redone)
    """
    ALTER TABLE passages ADD COLUMN retired INTEGER;
    ALTER TABLE passages ADD COLUMN refs TEXT;
    CREATE INDEX passages_retired ON passages(retired) WHERE retired IS NOT NULL;
    ALTER TABLE generations ADD COLUMN segments TEXT;
    ALTER TABLE generation_articles ADD COLUMN content_hash TEXT;
    UPDATE generation_articles SET content_hash = (
        SELECT p.content_hash FROM passages p
        WHERE p.article_id = generation_articles.article_id
          AND p.generation = generation_articles.generation LIMIT 1);
    CREATE TABLE index_segments (
        id INTEGER PRIMARY KEY,
        generation INTEGER NOT NULL,  -- the generation that wrote it
        data BLOB NOT NULL
    );
    """,
]

# passages of generation ? (bound twice): added by it or before, not yet retired by it
_LIVE_IN = "generation <= ? AND (retired IS NULL OR retired > ?)"
_CHUNK = 500  # ids per IN (...) list, well below SQLite's limit on parameters


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


@dataclass(frozen=True)
class StoredArticle:
    id: int
    source_id: int | None
    url: str
    title: str
    published: date | None
    author: str | None
    site: str | None
    content_hash: str
    text: str
    needs_review: str | None


class StoredPassage(NamedTuple):  # a tuple: 100k of them are made at start-up
    id: int
    article_id: int
    position: int
    text: str
    tokens: str  # space-separated, as stored


GenerationState = Literal["building", "active", "retired"]


@dataclass(frozen=True)
class Generation:
    id: int
    state: GenerationState
    started_at: str
    finished_at: str | None
    passages: int
    bm25: bytes | None  # generations stored before segments: one BM25 blob
    segments: list[int] | None  # ids in index_segments, in order


class Store:
    def __init__(self, conn: aiosqlite.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path
        # one connection, one transaction at a time: concurrent answers each record
        # their question, and a second BEGIN on the connection would fail
        self._transaction_lock = asyncio.Lock()

    # -- lifecycle ----------------------------------------------------------------
    @classmethod
    async def open(cls, path: str | Path, *, readonly: bool = False) -> Store:
        """Open (creating and migrating) the database; `readonly` only looks.

        A read-only store needs an existing file, never writes (no migration,
        no journal change) and is meant for checks and backups.
        """
        path = Path(path)
        if path.is_dir():
            raise StoreError(
                f"{path} là một thư mục, không phải tệp cơ sở dữ liệu: hãy đặt VANKIEN_DB là"
                f" đường dẫn tới tệp, ví dụ {path / 'vankien.db'}."
            )
        if path.is_file() and path.stat().st_size == 0:  # SQLite would silently start afresh
            raise StoreError(
                f"Tệp cơ sở dữ liệu {path} rỗng (0 byte), có thể do sao chép dở dang. Hãy khôi"
                " phục bản sao lưu gần nhất, hoặc xóa tệp này để tạo cơ sở dữ liệu mới."
            )
        try:
            if readonly:
                if not path.is_file():
                    raise StoreError(f"Không có tệp cơ sở dữ liệu {path}.")
                uri = path.resolve().as_uri() + "?mode=ro"
                conn = await aiosqlite.connect(uri, uri=True, isolation_level=None)
            else:
                if str(path) != ":memory:":
                    path.parent.mkdir(parents=True, exist_ok=True)
                conn = await aiosqlite.connect(path, isolation_level=None)
        except OSError as exc:
            raise StoreError(f"Không mở được cơ sở dữ liệu {path}: {exc.strerror or exc}") from exc
        except sqlite3.Error as exc:
            raise failure(exc, path) from exc
        store = cls(conn, path)
        try:
            if readonly:
                await conn.execute("PRAGMA busy_timeout=10000")
                await store._scalar("SELECT COUNT(*) FROM sqlite_master")
            else:
                await store._setup()
        except (sqlite3.Error, StoreError) as exc:
            await conn.close()
            if isinstance(exc, StoreError):
                raise
            raise failure(exc, path) from exc
        return store

    @classmethod
    async def open_for_reading(cls, path: Path) -> Store:
        """A store for commands that only look: it never writes the database.

        A missing database reads as empty (nothing is created). A schema
        older than this program is migrated first: the one write a reader
        makes, since the queries need the current tables.
        """
        if not path.exists():
            return await cls.open(":memory:")
        store = await cls.open(path, readonly=True)
        if await store._scalar("PRAGMA user_version") < len(MIGRATIONS):
            await store.close()
            await (await cls.open(path)).close()
            store = await cls.open(path, readonly=True)
        return store

    async def _setup(self) -> None:
        await self._conn.execute("PRAGMA journal_mode=WAL")
        await self._conn.execute("PRAGMA foreign_keys=ON")
        await self._conn.execute("PRAGMA busy_timeout=10000")
        await self._conn.execute("PRAGMA synchronous=NORMAL")
        await self.migrate()

    async def migrate(self) -> int:
        """Apply the migrations this database has not seen; return its version."""
        version = await self._scalar("PRAGMA user_version")
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            async with self.transaction():
                if await self._scalar("PRAGMA user_version") >= number:
                    continue  # another process applied it meanwhile
                for statement in filter(str.strip, script.split(";")):
                    await self._conn.execute(statement)
                await self._conn.execute(f"PRAGMA user_version = {number}")
        return len(MIGRATIONS)

    async def close(self) -> None:
        await self._conn.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        """BEGIN IMMEDIATE … COMMIT; SQLite failures inside come out as StoreError."""
        async with self._transaction_lock:
            try:
                await self._conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise failure(exc, self.path) from exc
            try:
                yield
                await self._conn.execute("COMMIT")
            except BaseException as exc:
                if self._conn.in_transaction:  # SQLite may have rolled back already (disk full)
                    with contextlib.suppress(sqlite3.Error):
                        await self._conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise failure(exc, self.path) from exc
                raise

    async def _scalar(self, sql: str, params: Iterable[Any] = ()) -> Any:
        rows = await self._rows(sql, params)
        return rows[0][0] if rows else None

    async def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        try:
            async with self._conn.execute(sql, tuple(params)) as cursor:
                return list(await cursor.fetchall())
        except sqlite3.Error as exc:
            raise failure(exc, self.path) from exc

    # -- sources ------------------------------------------------------------------
    async def add_source(self, location: str, kind: str) -> tuple[int, bool]:
        """Register a source; returns (id, created)."""
        existing = await self._scalar("SELECT id FROM sources WHERE location = ?", (location,))
        if existing is not None:
            return int(existing), False
        async with self.transaction():
            cursor = await self._conn.execute(
                "INSERT INTO sources(location, kind, added_at) VALUES (?, ?, ?)",
                (location, kind, _now()),
            )
        return int(cursor.lastrowid or 0), True

    async def record_source_result(
        self,
        source_id: int,
        *,
        error: str | None,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> None:
        async with self.transaction():
            if error is None:
                await self._conn.execute(
                    "UPDATE sources SET last_ok_at = ?, last_error = NULL,"
                    " etag = COALESCE(?, etag), last_modified = COALESCE(?, last_modified)"
                    " WHERE id = ?",
                    (_now(), etag, last_modified, source_id),
                )
            else:
                await self._conn.execute(
                    "UPDATE sources SET last_error = ? WHERE id = ?", (error, source_id)
                )

    async def source_validators(self, source_id: int) -> tuple[str | None, str | None]:
        rows = await self._rows(
            "SELECT etag, last_modified FROM sources WHERE id = ?", (source_id,)
        )
        return (rows[0][0], rows[0][1]) if rows else (None, None)

    async def sources(self) -> list[SourceInfo]:
        rows = await self._rows(
            "SELECT s.id, s.location, s.kind, s.added_at, s.last_ok_at, s.last_error,"
            " (SELECT COUNT(*) FROM articles a WHERE a.source_id = s.id)"
            " FROM sources s ORDER BY s.id"
        )
        return [SourceInfo(*row) for row in rows]

    async def remove_source(self, source_id: int) -> bool:
        async with self.transaction():
            await self._conn.execute("DELETE FROM articles WHERE source_id = ?", (source_id,))
            cursor = await self._conn.execute("DELETE FROM sources WHERE id = ?", (source_id,))
        return cursor.rowcount > 0

    # -- articles -----------------------------------------------------------------
    async def article_by_url(self, url: str) -> StoredArticle | None:
        rows = await self._rows(_ARTICLE_SELECT + " WHERE url = ?", (url,))
        if not rows:  # a syndicated copy remembered under its first URL
            rows = await self._rows(
                _ARTICLE_SELECT + " WHERE id = (SELECT article_id FROM article_urls WHERE url = ?)",
                (url,),
            )
        return _article(rows[0]) if rows else None

    async def article_by_hash(self, content_hash: str) -> StoredArticle | None:
        rows = await self._rows(_ARTICLE_SELECT + " WHERE content_hash = ?", (content_hash,))
        return _article(rows[0]) if rows else None

    async def insert_article(
        self,
        *,
        source_id: int | None,
        url: str,
        title: str,
        published: date | None,
        author: str | None,
        site: str | None,
        content_hash: str,
        text: str,
        needs_review: str | None,
    ) -> int:
        now = _now()
        async with self.transaction():
            cursor = await self._conn.execute(
                "INSERT INTO articles(source_id, url, title, published, author, site,"
                " content_hash, text, needs_review, added_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (source_id, url, title, published.isoformat() if published else None, author,
                 site, content_hash, text, needs_review, now, now),
            )  # fmt: skip
        return int(cursor.lastrowid or 0)

    async def update_article(
        self,
        article_id: int,
        *,
        title: str,
        published: date | None,
        author: str | None,
        site: str | None,
        content_hash: str,
        text: str,
        needs_review: str | None,
    ) -> None:
        async with self.transaction():
            await self._conn.execute(
                "UPDATE articles SET title = ?, published = ?, author = ?, site = ?,"
                " content_hash = ?, text = ?, needs_review = ?, updated_at = ? WHERE id = ?",
                (title, published.isoformat() if published else None, author, site,
                 content_hash, text, needs_review, _now(), article_id),
            )  # fmt: skip

    async def add_other_url(self, article_id: int, url: str) -> None:
        async with self.transaction():
            cursor = await self._conn.execute(
                "INSERT OR IGNORE INTO article_urls(url, article_id)"
                " SELECT ?, id FROM articles WHERE id = ? AND url != ?",
                (url, article_id, url),
            )
            if cursor.rowcount:  # also kept in the article row, for display and export
                await self._conn.execute(
                    "UPDATE articles SET other_urls = json_insert(other_urls, '$[#]', ?)"
                    " WHERE id = ?",
                    (url, article_id),
                )

    async def articles(self) -> list[StoredArticle]:
        """Every indexable article (those flagged for review are left out)."""
        rows = await self._rows(_ARTICLE_SELECT + " WHERE needs_review IS NULL ORDER BY id")
        return [_article(row) for row in rows]

    async def latest_articles(self, limit: int) -> list[ArticleInfo]:
        rows = await self._rows(
            "SELECT id, title, url, published, site FROM articles WHERE needs_review IS NULL"
            " ORDER BY COALESCE(published, substr(added_at, 1, 10)) DESC, id DESC LIMIT ?",
            (limit,),
        )
        return [ArticleInfo(r[0], r[1], r[2], _date(r[3]), r[4]) for r in rows]

    # -- generations --------------------------------------------------------------
    async def active_generation(self) -> Generation | None:
        rows = await self._rows(_GENERATION_SELECT + " WHERE state = 'active'")
        return _generation(rows[0]) if rows else None

    async def discard_unfinished(self) -> int:
        """Remove what a killed rebuild left behind; returns how many generations."""
        ids = [
            r[0] for r in await self._rows("SELECT id FROM generations WHERE state = 'building'")
        ]
        if ids:
            async with self.transaction():
                for gid in ids:
                    await self._drop_generation_rows(gid)
                    await self._conn.execute("DELETE FROM passages WHERE generation = ?", (gid,))
                    # what it replaced is live again
                    await self._conn.execute(
                        "UPDATE passages SET retired = NULL WHERE retired = ?", (gid,)
                    )
                    await self._conn.execute(
                        "DELETE FROM index_segments WHERE generation = ?", (gid,)
                    )
                    await self._conn.execute("DELETE FROM generations WHERE id = ?", (gid,))
        return len(ids)

    async def start_generation(self) -> int:
        async with self.transaction():
            cursor = await self._conn.execute(
                "INSERT INTO generations(state, started_at) VALUES ('building', ?)", (_now(),)
            )
        return int(cursor.lastrowid or 0)

    async def article_heads(self) -> list[tuple[ArticleInfo, str]]:
        """Every indexable article's metadata and content hash, by id (no text)."""
        rows = await self._rows(
            "SELECT id, title, url, published, site, content_hash FROM articles"
            " WHERE needs_review IS NULL ORDER BY id"
        )
        return [(ArticleInfo(r[0], r[1], r[2], _date(r[3]), r[4]), r[5]) for r in rows]

    async def indexed_articles(self, generation: int) -> dict[int, tuple[ArticleInfo, str | None]]:
        """What `generation` indexed of each article: metadata and the hash it recorded."""
        rows = await self._rows(
            "SELECT article_id, title, url, published, site, content_hash FROM generation_articles"
            " WHERE generation = ?",
            (generation,),
        )
        return {r[0]: (ArticleInfo(r[0], r[1], r[2], _date(r[3]), r[4]), r[5]) for r in rows}

    async def article_texts(self, ids: Sequence[int]) -> dict[int, str]:
        out: dict[int, str] = {}
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            rows = await self._rows(f"SELECT id, text FROM articles WHERE id IN ({marks})", chunk)
            out.update((r[0], r[1]) for r in rows)
        return out

    async def live_passage_ids(self, generation: int, article_ids: Sequence[int]) -> list[int]:
        """Passages of these articles that `generation` holds."""
        out: list[int] = []
        for chunk in _chunks(article_ids):
            marks = ",".join("?" * len(chunk))
            rows = await self._rows(
                f"SELECT id FROM passages WHERE article_id IN ({marks}) AND {_LIVE_IN}",
                [*chunk, generation, generation],
            )
            out.extend(r[0] for r in rows)
        return sorted(out)

    async def retire_passages(self, generation: int, passage_ids: Sequence[int]) -> None:
        """From `generation` on, these passages are gone (until then they still serve)."""
        async with self.transaction():
            for chunk in _chunks(passage_ids):
                marks = ",".join("?" * len(chunk))
                await self._conn.execute(
                    f"UPDATE passages SET retired = ? WHERE id IN ({marks})", [generation, *chunk]
                )

    async def save_segment(self, generation: int, data: bytes) -> int:
        async with self.transaction():
            cursor = await self._conn.execute(
                "INSERT INTO index_segments(generation, data) VALUES (?, ?)", (generation, data)
            )
        return int(cursor.lastrowid or 0)

    async def load_segments(self, ids: Sequence[int]) -> list[bytes]:
        """The stored bytes of each segment, in the order asked."""
        found: dict[int, bytes] = {}
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            rows = await self._rows(
                f"SELECT id, data FROM index_segments WHERE id IN ({marks})", chunk
            )
            found.update((r[0], r[1]) for r in rows)
        missing = [i for i in ids if i not in found]
        if missing:
            raise StoreError(
                f"Thiếu phân đoạn chỉ mục {missing}; hãy chạy `vankien reindex --full`."
            )
        return [found[i] for i in ids]

    async def passage_refs(self, generation: int) -> dict[int, str]:
        """References stored with the live passages (those stored before
        references were kept are left out)."""
        rows = await self._rows(
            f"SELECT id, refs FROM passages WHERE {_LIVE_IN} AND refs IS NOT NULL",
            (generation, generation),
        )
        return {r[0]: r[1] for r in rows}

    async def set_passage_refs(self, rows: Sequence[tuple[str, int]]) -> None:
        """(references as JSON, passage id) for passages stored without them."""
        if rows:
            async with self.transaction():
                await self._conn.executemany("UPDATE passages SET refs = ? WHERE id = ?", rows)

    async def generation_tokens(self, generation: int) -> list[tuple[int, int, int, str]]:
        """(id, article id, position, tokens) of the live passages, by article and position."""
        rows = await self._rows(
            f"SELECT id, article_id, position, tokens FROM passages WHERE {_LIVE_IN}"
            " ORDER BY article_id, position",
            (generation, generation),
        )
        return [(r[0], r[1], r[2], r[3]) for r in rows]

    async def add_passages(
        self,
        generation: int,
        rows: Sequence[tuple[int, int, str, str, str | list[str]]],
        refs: Sequence[str | None] | None = None,
    ) -> list[int]:
        """Insert (article_id, position, content_hash, text, tokens); returns ids in order.

        Tokens are a space-separated string (or a list, joined here); `refs`,
        aligned with `rows`, the references found in each (see refcodec.py).
        """
        found = refs if refs is not None else [None] * len(rows)
        async with self.transaction():
            first = await self._scalar("SELECT COALESCE(MAX(id), 0) FROM passages")
            await self._conn.executemany(
                "INSERT INTO passages(generation, article_id, position, content_hash, text,"
                " tokens, refs) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    (generation, a, pos, h, text, tok if isinstance(tok, str) else " ".join(tok), r)
                    for (a, pos, h, text, tok), r in zip(rows, found, strict=True)
                ),
            )
            # one writer inside one transaction: new rows take ascending ids
            ids = [
                r[0]
                for r in await self._rows(
                    "SELECT id FROM passages WHERE generation = ? AND id > ? ORDER BY id",
                    (generation, first),
                )
            ]
        return ids

    async def finish_generation(
        self,
        generation: int,
        *,
        segments: list[int],
        directives: dict[str, dict[str, Any]],
        mentions: list[tuple[int, str, bool]],
        articles: list[tuple[ArticleInfo, str]],
    ) -> None:
        """Store the derived data and make `generation` the active one, atomically.

        `articles`: each indexed article with the content hash it was indexed at.
        Passages it retired, segments it no longer uses and what older
        generations alone used are dropped in the same transaction.
        """
        async with self.transaction():
            await self._conn.executemany(
                "INSERT INTO generation_articles(generation, article_id, title, url, published,"
                " site, content_hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(generation, a.id, a.title, a.url, a.published.isoformat() if a.published else None,
                  a.source, h) for a, h in articles],
            )  # fmt: skip
            await self._conn.executemany(
                "INSERT INTO directives(generation, key, data) VALUES (?, ?, ?)",
                [(generation, key, json.dumps(data, ensure_ascii=False)) for key, data in directives.items()],
            )  # fmt: skip
            await self._conn.executemany(
                "INSERT INTO mentions(generation, passage_id, directive_key, is_full)"
                " VALUES (?, ?, ?, ?)",
                [(generation, pid, key, int(full)) for pid, key, full in mentions],
            )
            await self._conn.execute("DELETE FROM passages WHERE retired = ?", (generation,))
            # passages of a generation that no longer exists (removed mid-build, or
            # left by older versions) serve nothing
            await self._conn.execute(
                "DELETE FROM passages WHERE generation NOT IN (SELECT id FROM generations)"
            )
            count = await self._scalar(
                f"SELECT COUNT(*) FROM passages WHERE {_LIVE_IN}", (generation, generation)
            )
            cursor = await self._conn.execute(
                "UPDATE generations SET state = 'active', finished_at = ?, passages = ?,"
                " segments = ?, bm25 = NULL WHERE id = ? AND state = 'building'",
                (_now(), count, json.dumps(segments), generation),
            )
            if cursor.rowcount != 1:  # rolled back: the active generation stays as it is
                raise StoreError(
                    f"Thế hệ chỉ mục {generation} đã bị xóa trong khi đang dựng; chỉ mục cũ vẫn"
                    " được dùng. Hãy chạy lại `vankien reindex`."
                )
            # older generations' own rows go (and rows of none, left by older versions);
            # a generation whose passages still serve stays as 'retired', for their sake
            for table in _GENERATION_TABLES:
                await self._conn.execute(
                    f"DELETE FROM {table} WHERE generation != ?", (generation,)
                )
            await self._conn.execute(
                "DELETE FROM generations WHERE id != ? AND NOT EXISTS"
                " (SELECT 1 FROM passages WHERE passages.generation = generations.id)",
                (generation,),
            )
            await self._conn.execute(
                "UPDATE generations SET state = 'retired', bm25 = NULL"
                " WHERE id != ? AND state = 'active'",
                (generation,),
            )
            kept = ",".join(str(int(i)) for i in segments) or "NULL"
            await self._conn.execute(f"DELETE FROM index_segments WHERE id NOT IN ({kept})")

    async def _drop_generation_rows(self, generation: int) -> None:
        for table in _GENERATION_TABLES:
            await self._conn.execute(f"DELETE FROM {table} WHERE generation = ?", (generation,))

    async def generation_passages(self, generation: int) -> list[StoredPassage]:
        rows = await self._rows(
            # tokens are not read: the stored BM25 arrays already hold what they gave
            f"SELECT id, article_id, position, text FROM passages WHERE {_LIVE_IN} ORDER BY id",
            (generation, generation),
        )
        return [StoredPassage(r[0], r[1], r[2], r[3], "") for r in rows]

    async def generation_directives(self, generation: int) -> dict[str, dict[str, Any]]:
        rows = await self._rows(
            "SELECT key, data FROM directives WHERE generation = ?", (generation,)
        )
        return {r[0]: json.loads(r[1]) for r in rows}

    async def generation_mentions(self, generation: int) -> list[tuple[int, str, bool]]:
        rows = await self._rows(
            "SELECT passage_id, directive_key, is_full FROM mentions WHERE generation = ?",
            (generation,),
        )
        return [(r[0], r[1], bool(r[2])) for r in rows]

    async def generation_articles(self, generation: int) -> dict[int, ArticleInfo]:
        rows = await self._rows(
            "SELECT article_id, title, url, published, site FROM generation_articles"
            " WHERE generation = ?",
            (generation,),
        )
        return {r[0]: ArticleInfo(r[0], r[1], r[2], _date(r[3]), r[4]) for r in rows}

    # -- statistics and checks ----------------------------------------------------
    async def counts(self) -> dict[str, Any]:
        gen = await self.active_generation()
        gid = gen.id if gen else -1
        return {
            "articles": await self._scalar("SELECT COUNT(*) FROM articles WHERE needs_review IS NULL"),
            "passages": await self._scalar(f"SELECT COUNT(*) FROM passages WHERE {_LIVE_IN}", (gid, gid)),
            "directives": await self._scalar("SELECT COUNT(*) FROM directives WHERE generation = ?", (gid,)),
            "sources": await self._scalar("SELECT COUNT(*) FROM sources"),
            "generation": gen.id if gen else 0,
            "last_reindex": gen.finished_at if gen else None,
            "index_bytes": await self._index_bytes(gen),
        }  # fmt: skip

    async def _index_bytes(self, gen: Generation | None) -> int:
        if gen is None or not gen.segments:
            return len(gen.bm25 or b"") if gen else 0
        marks = ",".join(str(int(i)) for i in gen.segments)
        return int(await self._scalar(
            f"SELECT COALESCE(SUM(length(data)), 0) FROM index_segments WHERE id IN ({marks})"
        ))  # fmt: skip

    async def integrity_problems(self) -> list[str]:
        """PRAGMA integrity_check plus this schema's own invariants (Vietnamese lines)."""
        snapshot = not self._conn.in_transaction  # one read snapshot for every query
        try:
            if snapshot:
                await self._conn.execute("BEGIN")
            try:
                return await self._integrity_problems()
            finally:
                if snapshot:
                    await self._conn.execute("COMMIT")
        except DamagedStoreError as exc:  # damage bad enough to stop a query
            return [f"không đọc được cơ sở dữ liệu: {exc.reason}"]
        except sqlite3.DatabaseError as exc:
            return [f"không đọc được cơ sở dữ liệu: {exc}"]

    async def _integrity_problems(self) -> list[str]:
        problems = [
            f"SQLite: {r[0]}" for r in await self._rows("PRAGMA integrity_check") if r[0] != "ok"
        ]
        version = await self._scalar("PRAGMA user_version")
        if version > len(MIGRATIONS):
            problems.append(
                f"cơ sở dữ liệu ở phiên bản {version}, mới hơn chương trình này"
                f" (phiên bản {len(MIGRATIONS)}): hãy cập nhật vankien"
            )
            return problems
        if version < len(MIGRATIONS):
            return problems  # an older schema: migrated the next time the bot starts
        active = await self._scalar("SELECT COUNT(*) FROM generations WHERE state = 'active'")
        if active > 1:
            problems.append(f"{active} thế hệ chỉ mục cùng đang hoạt động (chỉ được có một)")
        articles = await self._scalar("SELECT COUNT(*) FROM articles WHERE needs_review IS NULL")
        if active == 0 and articles:
            problems.append(
                f"có {articles} bài viết nhưng không có thế hệ chỉ mục nào đang hoạt động"
            )
        gen = await self.active_generation()
        if gen is not None:
            count = await self._scalar(
                f"SELECT COUNT(*) FROM passages WHERE {_LIVE_IN}", (gen.id, gen.id)
            )
            if count != gen.passages:
                problems.append(f"thế hệ {gen.id}: ghi {gen.passages} đoạn nhưng có {count} đoạn")
            if gen.segments:
                marks = ",".join(str(int(i)) for i in gen.segments)
                stored = await self._scalar(
                    f"SELECT COUNT(*) FROM index_segments WHERE id IN ({marks})"
                )
                if stored != len(gen.segments):
                    problems.append(
                        f"thế hệ {gen.id}: thiếu {len(gen.segments) - stored} phân đoạn chỉ mục"
                    )
        for table, label in (
            ("passages", "đoạn văn"),
            ("directives", "văn bản"),
            ("mentions", "lần nhắc"),
            ("generation_articles", "bài viết của chỉ mục"),
        ):
            orphans = await self._scalar(
                f"SELECT COUNT(*) FROM {table} WHERE generation NOT IN (SELECT id FROM generations)"
            )
            if orphans:
                problems.append(f"{orphans} {label} thuộc thế hệ chỉ mục không còn tồn tại")
        return problems

    async def unindexed_articles(self) -> int:
        """Stored articles the active index does not hold (an ingest that failed half-way)."""
        gen = await self.active_generation()
        return int(
            await self._scalar(
                "SELECT COUNT(*) FROM articles WHERE needs_review IS NULL AND id NOT IN"
                " (SELECT article_id FROM generation_articles WHERE generation = ?)",
                (gen.id if gen else -1,),
            )
        )

    async def backup(self, target: str | Path) -> None:
        """SQLite's online backup API: consistent while others read and write."""
        try:
            dest = await aiosqlite.connect(target, isolation_level=None)
            try:
                await self._conn.backup(dest)
                # a backup is one self-contained file: no -wal beside it
                await dest.execute("PRAGMA journal_mode=DELETE")
            finally:
                await dest.close()
        except sqlite3.DatabaseError as exc:
            if _is_damage(exc):  # the source: the target is a new file
                raise failure(exc, self.path) from exc
            raise StoreError(f"Sao lưu vào {target} không thành công: {exc}") from exc
        except OSError as exc:
            raise StoreError(f"Sao lưu vào {target} không thành công: {exc}") from exc

    # -- study groups: feedback -----------------------------------------------------
    async def vote_salt(self) -> str:
        return str(await self._scalar("SELECT value FROM study_meta WHERE key = 'vote_salt'"))

    async def record_question(
        self, question: str, topic: str, found: bool, *, keep_after: datetime
    ) -> int:
        """Store one asked question and drop those older than `keep_after`; returns its id."""
        async with self.transaction():
            await self._conn.execute(
                "DELETE FROM asked WHERE asked_at < ?", (keep_after.isoformat(timespec="seconds"),)
            )
            cursor = await self._conn.execute(
                "INSERT INTO asked(asked_at, question, topic, found) VALUES (?, ?, ?, ?)",
                (_now(), question, topic, int(found)),
            )
        return int(cursor.lastrowid or 0)

    async def record_vote(self, asked_id: int, voter: str, vote: int) -> int | None:
        """Set a voter's vote; returns their previous vote (0 if none), None if no such question."""
        async with self.transaction():
            if not await self._scalar("SELECT 1 FROM asked WHERE id = ?", (asked_id,)):
                return None
            before = await self._scalar(
                "SELECT vote FROM votes WHERE asked_id = ? AND voter = ?", (asked_id, voter)
            )
            await self._conn.execute(
                "INSERT INTO votes(asked_id, voter, vote) VALUES (?, ?, ?)"
                " ON CONFLICT(asked_id, voter) DO UPDATE SET vote = excluded.vote",
                (asked_id, voter, vote),
            )
        return int(before or 0)

    async def unanswered(self, since: datetime) -> list[tuple[str, str, bool, int, str]]:
        """(topic, question, found, 👎 count, asked_at) asked since `since` that found
        nothing or got a 👎, newest first."""
        rows = await self._rows(
            "SELECT a.topic, a.question, a.found,"
            " (SELECT COUNT(*) FROM votes v WHERE v.asked_id = a.id AND v.vote < 0) AS down,"
            " a.asked_at FROM asked a WHERE a.asked_at >= ? AND (a.found = 0 OR down > 0)"
            " ORDER BY a.asked_at DESC, a.id DESC",
            (since.isoformat(timespec="seconds"),),
        )
        return [(r[0], r[1], bool(r[2]), int(r[3]), r[4]) for r in rows]

    async def purge_questions(self, before: datetime) -> int:
        async with self.transaction():
            cursor = await self._conn.execute(
                "DELETE FROM asked WHERE asked_at < ?", (before.isoformat(timespec="seconds"),)
            )
        return cursor.rowcount

    # -- study groups: subscriptions ------------------------------------------------
    async def subscribe(self, chat_id: int, key: str, label: str, seen_article_id: int) -> bool:
        """Follow `key` ('' = everything new) in a chat; False when it already did."""
        async with self.transaction():
            cursor = await self._conn.execute(
                "INSERT OR IGNORE INTO subscriptions(chat_id, directive_key, label, created_at,"
                " seen_article_id) VALUES (?, ?, ?, ?,"
                " COALESCE((SELECT MAX(seen_article_id) FROM subscriptions WHERE chat_id = ?), ?))",
                (chat_id, key, label, _now(), chat_id, seen_article_id),
            )
        return cursor.rowcount > 0

    async def unsubscribe(self, chat_id: int, key: str | None = None) -> int:
        """Stop following `key`, or everything when None; returns how many were removed."""
        async with self.transaction():
            if key is None:
                cursor = await self._conn.execute(
                    "DELETE FROM subscriptions WHERE chat_id = ?", (chat_id,)
                )
            else:
                cursor = await self._conn.execute(
                    "DELETE FROM subscriptions WHERE chat_id = ? AND directive_key = ?",
                    (chat_id, key),
                )
        return cursor.rowcount

    async def subscriptions(self, chat_id: int | None = None) -> list[tuple[int, str, str, int]]:
        """(chat id, directive key, label, last article id reported), by chat then age."""
        where, params = ("WHERE chat_id = ?", (chat_id,)) if chat_id is not None else ("", ())
        rows = await self._rows(
            "SELECT chat_id, directive_key, label, seen_article_id FROM subscriptions "
            + where
            + " ORDER BY chat_id, created_at, directive_key",
            params,
        )
        return [(r[0], r[1], r[2], r[3]) for r in rows]

    async def mark_reported(self, chat_id: int, article_id: int) -> None:
        async with self.transaction():
            await self._conn.execute(
                "UPDATE subscriptions SET seen_article_id = MAX(seen_article_id, ?)"
                " WHERE chat_id = ?",
                (article_id, chat_id),
            )

    async def move_subscriptions(self, old_chat_id: int, new_chat_id: int) -> int:
        """A group became a supergroup: its subscriptions follow the new id."""
        async with self.transaction():
            cursor = await self._conn.execute(
                "UPDATE OR IGNORE subscriptions SET chat_id = ? WHERE chat_id = ?",
                (new_chat_id, old_chat_id),
            )
            await self._conn.execute("DELETE FROM subscriptions WHERE chat_id = ?", (old_chat_id,))
        return cursor.rowcount


def recovery_advice(path: Path) -> str:
    """What to do about a damaged database (shared by check, stats and backup)."""
    return (
        "Cách xử lý: dừng bot, khôi phục bản sao lưu gần nhất (README, mục “Sao lưu và khôi"
        f" phục”), hoặc cứu phần còn đọc được: `sqlite3 {path} .recover | sqlite3 cuu.db`;"
        " nếu chỉ chỉ mục hỏng, chạy `vankien reindex`."
    )


def _is_damage(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return "malformed" in text or "not a database" in text or "corrupt" in text


def failure(exc: sqlite3.Error, path: Path) -> StoreError:
    """SQLite's failure on `path` as the Vietnamese reason and what to do.

    Only real corruption is called corruption: a read-only file or folder,
    a full disk and a file-size limit each say so, with the fix.
    """
    text = str(exc).lower()
    if "not a database" in text:  # the header itself: another kind of file, or wrecked
        return DamagedStoreError(
            f"Tệp {path} bị hỏng hoặc không phải SQLite ({exc}): kiểm tra VANKIEN_DB."
            f" {recovery_advice(path)}",
            str(exc),
        )
    if _is_damage(exc):
        return DamagedStoreError(
            f"Cơ sở dữ liệu {path} bị hỏng ({exc}). {recovery_advice(path)}", str(exc)
        )
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return StoreError(_permission_problem(path))
    if "disk is full" in text or "disk i/o error" in text:
        return StoreError(_disk_problem(path, exc))
    return StoreError(f"Lỗi cơ sở dữ liệu {path}: {exc}")


def _permission_problem(path: Path) -> str:
    candidates = [path, Path(f"{path}-wal"), Path(f"{path}-shm"), path.parent]
    blocked = next((p for p in candidates if p.exists() and not os.access(p, os.W_OK)), path.parent)
    try:
        owner = blocked.owner()
    except (OSError, KeyError):
        owner = "?"
    return (
        f"Không ghi được cơ sở dữ liệu {path}: {blocked} chỉ đọc được hoặc thuộc người dùng"
        f" khác (chủ sở hữu: {owner}). Hãy trả quyền cho người dùng chạy vankien, ví dụ"
        f" `sudo chown -R $(id -un) {path.parent}` (hay gặp sau khi lỡ chạy vankien bằng"
        " root), hoặc chạy vankien bằng người dùng sở hữu tệp."
    )


def _disk_problem(path: Path, exc: sqlite3.Error) -> str:
    head = f"Không ghi được vào {path} ({exc})"
    try:
        free_mb = shutil.disk_usage(path.parent).free / 1e6
        size = sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())
    except OSError:
        return f"{head}: ổ đĩa đầy hoặc lỗi đĩa. Chỉ mục cũ vẫn được dùng."
    limit, _ = resource.getrlimit(resource.RLIMIT_FSIZE)
    if limit != resource.RLIM_INFINITY and limit <= size * 2:
        return (
            f"{head}: tệp chạm giới hạn kích thước tệp của tiến trình ({limit / 1e6:.1f} MB,"
            " `ulimit -f` hoặc LimitFSIZE của systemd). Hãy nâng giới hạn rồi chạy lại; chỉ"
            " mục cũ vẫn được dùng."
        )
    # a rebuild writes the new generation beside the old one: about the database again
    return (
        f"{head}: ổ đĩa đầy: còn {free_mb:.0f} MB, cần khoảng {max(size / 1e6, 1):.0f} MB."
        " Hãy giải phóng chỗ trống rồi chạy lại; chỉ mục cũ vẫn được dùng."
    )


# rows that belong to one generation only (passages live across generations)
_GENERATION_TABLES = ("mentions", "directives", "generation_articles")
_ARTICLE_SELECT = (
    "SELECT id, source_id, url, title, published, author, site, content_hash, text,"
    " needs_review FROM articles"
)
_GENERATION_SELECT = (
    "SELECT id, state, started_at, finished_at, passages, bm25, segments FROM generations"
)


def _article(row: sqlite3.Row) -> StoredArticle:
    return StoredArticle(
        row[0], row[1], row[2], row[3], _date(row[4]), row[5], row[6], row[7], row[8], row[9]
    )


def _generation(row: sqlite3.Row) -> Generation:
    segments = json.loads(row[6]) if row[6] is not None else None
    return Generation(row[0], row[1], row[2], row[3], row[4], row[5], segments)


def _chunks(ids: Sequence[int]) -> Iterator[list[int]]:
    for i in range(0, len(ids), _CHUNK):
        yield list(ids[i : i + _CHUNK])
