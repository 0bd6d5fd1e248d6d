"""Who may write the index: one build at a time, across processes.

A build (ingest, reindex, source removal) holds an exclusive `flock` on a
file beside the database, `<db>.lock`, for as long as it writes. The
operating system drops the lock when its holder dies, however it dies, so:

- the holder knows every generation still marked 'building' was left by a
  dead process and may discard it;
- a process that cannot get the lock knows a live build is under way: it
  waits briefly, then gives up with ReindexBusyError and touches nothing.

`flock` locks belong to an open file description, so two services in one
process exclude each other as two processes do.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
from pathlib import Path

from index.errors import ReindexBusyError, StoreError

BUSY_MESSAGE = "Đang lập chỉ mục, thử lại sau."
_POLL_SECONDS = 0.1


class WriterLock:
    def __init__(self, db_path: Path) -> None:
        self.path = Path(f"{db_path}.lock")
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def try_acquire(self) -> bool:
        """Take the lock if no live process holds it; never waits."""
        if self._fd is not None:
            raise RuntimeError("writer lock taken twice by one owner")
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StoreError(
                f"Không tạo được tệp khóa {self.path} ({exc.strerror}): thư mục chứa cơ sở dữ"
                " liệu phải ghi được bởi người dùng chạy vankien."
            ) from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    async def acquire(self, wait: float) -> None:
        """Take the lock, waiting up to `wait` seconds for another build to end."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait
        while not self.try_acquire():
            if loop.time() >= deadline:
                raise ReindexBusyError(BUSY_MESSAGE)
            await asyncio.sleep(_POLL_SECONDS)

    def release(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)  # closing the descriptor drops the lock
