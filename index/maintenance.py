"""Backup and health check of the database, for the command line.

Both only read the live database: `check` opens it read-only, and `backup`
copies it with SQLite's online backup API from a read-only connection (safe
while the bot runs), then checks the copy before it takes the target's name.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from index.errors import DamagedStoreError, StoreError
from index.store import Store, recovery_advice
from index.writelock import WriterLock


@dataclass(frozen=True)
class Summary:
    articles: int
    passages: int
    generation: int
    size_bytes: int


@dataclass(frozen=True)
class CheckReport:
    path: Path
    problems: list[str]
    advice: str  # what to do about the problems
    summary: Summary | None  # None when there are problems


async def _summary(store: Store, path: Path) -> Summary:
    counts = await store.counts()
    return Summary(
        counts["articles"], counts["passages"], counts["generation"], path.stat().st_size
    )


async def check(path: Path) -> CheckReport:
    """PRAGMA integrity_check, the schema's invariants and unindexed articles; read-only."""
    store = await Store.open(path, readonly=True)
    try:
        problems = await store.integrity_problems()
        advice = recovery_advice(path)
        # while a build runs, articles it has stored are not indexed yet: not a fault
        if not problems and not WriterLock(path).build_running():
            unindexed = await store.unindexed_articles()
            if unindexed:
                problems.append(
                    f"{unindexed} bài viết đã lưu nhưng chưa có trong chỉ mục (một lần nạp"
                    " bị dừng giữa chừng)"
                )
                advice = "Cách xử lý: chạy `vankien reindex` để đưa chúng vào chỉ mục."
        summary = None if problems else await _summary(store, path)
    finally:
        await store.close()
    return CheckReport(path, problems, advice, summary)


async def backup(db: Path, target: Path) -> Summary:
    """Copy `db` to `target` (replaced if present) through a checked temporary file."""
    if not db.is_file():
        raise StoreError(f"Không có cơ sở dữ liệu {db} để sao lưu (xem VANKIEN_DB).")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"Không tạo được thư mục {target.parent}: {exc.strerror or exc}") from None
    partial = target.with_name(f".{target.name}.partial")
    try:
        partial.unlink(missing_ok=True)
        source = await Store.open(db, readonly=True)
        try:
            await source.backup(partial)
        finally:
            await source.close()
        copy = await Store.open(partial, readonly=True)
        try:
            problems = await copy.integrity_problems()
            summary = None if problems else await _summary(copy, partial)
        finally:
            await copy.close()
        if summary is None:
            reason = "; ".join(problems)
            raise DamagedStoreError(
                f"Bản sao lưu không đạt kiểm tra nên đã bị bỏ: {reason}. Cơ sở dữ liệu {db}"
                f" có thể đã hỏng. {recovery_advice(db)}",
                reason,
            )
        partial.replace(target)
    except OSError as exc:
        raise StoreError(f"Không ghi được bản sao lưu {target}: {exc.strerror or exc}") from None
    finally:
        partial.unlink(missing_ok=True)
    return summary
