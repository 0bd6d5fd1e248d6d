"""Fixtures shared by several test modules."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.support.harness import Running, running_bot


@pytest.fixture
async def h(tmp_path: Path) -> AsyncIterator[Running]:
    """A started bot on the Bot API emulator, the fixture articles loaded."""
    async with running_bot(tmp_path) as running:
        yield running
