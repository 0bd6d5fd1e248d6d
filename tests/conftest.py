"""Fixtures shared by several test modules."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from index.service import SearchService
from tests.support.harness import Running, running_bot


@pytest.fixture
async def h(tmp_path: Path) -> AsyncIterator[Running]:
    """A started bot on the Bot API emulator, the fixture articles loaded."""
    async with running_bot(tmp_path) as running:
        yield running


async def service_over(tmp_path: Path, articles: dict[str, str]) -> SearchService:
    """A service over `articles` (file name -> text) written to a fresh folder."""
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, text in articles.items():
        (folder / name).write_text(text, encoding="utf-8")
    service = await SearchService.open(tmp_path / "articles.db")
    await service.ingest([str(folder)])
    return service
