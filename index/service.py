"""SearchService: the one async facade the front ends use.

(Skeleton: signatures are final; bodies are being written.)
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from index.models import (
    Answer,
    ArticleInfo,
    Directive,
    IngestReport,
    ReindexProgress,
    SourceInfo,
    Stats,
)

ProgressCallback = Callable[[ReindexProgress], None]


class SearchService:
    @classmethod
    async def open(cls, db_path: str | Path, *, allow_private_urls: bool = False) -> SearchService:
        """Open (creating and migrating) the database and load the live index."""
        raise NotImplementedError

    async def close(self) -> None:
        raise NotImplementedError

    async def ask(self, question: str, *, offset: int = 0, limit: int = 3) -> Answer:
        """Answer a question; `offset`/`limit` page through the quotes."""
        raise NotImplementedError

    async def directive_answer(self, key: str, *, offset: int = 0, limit: int = 3) -> Answer:
        """The card and quotes for one directive by its internal key (buttons)."""
        raise NotImplementedError

    async def find_directives(self, text: str, *, limit: int = 50) -> list[Directive]:
        """Directives matching a reference or topic text, best first (inline mode)."""
        raise NotImplementedError

    async def latest_articles(self, limit: int = 5) -> list[ArticleInfo]:
        raise NotImplementedError

    async def sources(self) -> list[SourceInfo]:
        raise NotImplementedError

    async def remove_source(self, source_id: int) -> bool:
        raise NotImplementedError

    async def ingest(
        self, targets: list[str], progress: ProgressCallback | None = None
    ) -> IngestReport:
        """Register and read files, folders, pages or feeds; swap in the new index."""
        raise NotImplementedError

    async def reindex(self, progress: ProgressCallback | None = None) -> ReindexProgress:
        """Re-read every source and rebuild; concurrent calls share one run."""
        raise NotImplementedError

    @property
    def reindex_running(self) -> bool:
        raise NotImplementedError

    async def stats(self) -> Stats:
        raise NotImplementedError
