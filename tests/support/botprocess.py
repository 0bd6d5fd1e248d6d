"""`vankien run` as a real subprocess, with its output read as it comes.

async with bot_process(tmp_path, token=api.token, base_url=api.base_url) as bot:
    await bot.wait_for_line("ready")
    bot.proc.send_signal(signal.SIGTERM)
    assert await bot.wait_exit(20) == 0
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.harness import ADMIN_ID

VANKIEN = Path(sys.executable).parent / "vankien"


@dataclass
class BotProcess:
    proc: asyncio.subprocess.Process
    stdout: bytearray = field(default_factory=bytearray)
    stderr: bytearray = field(default_factory=bytearray)
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    pumps: list[asyncio.Task[None]] = field(default_factory=list)

    @property
    def output(self) -> str:
        """Everything written so far, stdout then stderr."""
        return (self.stdout + self.stderr).decode("utf-8", "replace")

    async def wait_for_line(self, text: str, timeout: float = 20) -> None:
        async def waiter() -> None:
            while text not in self.output:
                if self.proc.returncode is not None:
                    raise AssertionError(f"exited before {text!r}: {self.output[-3000:]}")
                self.changed.clear()
                await self.changed.wait()

        try:
            await asyncio.wait_for(waiter(), timeout)
        except TimeoutError:
            raise AssertionError(f"no {text!r} within {timeout}s: {self.output[-3000:]}") from None

    async def wait_exit(self, timeout: float) -> int:
        """The exit status, once the process has ended and all its output is read."""
        code = await asyncio.wait_for(self.proc.wait(), timeout)
        await asyncio.gather(*self.pumps)
        return code


async def _pump(
    stream: asyncio.StreamReader | None, into: bytearray, changed: asyncio.Event
) -> None:
    assert stream is not None
    while chunk := await stream.read(4096):
        into.extend(chunk)
        changed.set()
    changed.set()


@asynccontextmanager
async def bot_process(
    tmp_path: Path, *, token: str, base_url: str, **env: str
) -> AsyncIterator[BotProcess]:
    """`vankien run` in `tmp_path` (its own database); killed if still running at the end."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("VANKIEN_", "TELEGRAM_"))}
    environ.update(
        TELEGRAM_BOT_TOKEN=token,
        TELEGRAM_BASE_URL=base_url,
        VANKIEN_DB=str(tmp_path / "bot.db"),
        VANKIEN_ADMIN_IDS=str(ADMIN_ID),
        VANKIEN_ALLOW_PRIVATE_URLS="1",
        **env,
    )
    proc = await asyncio.create_subprocess_exec(
        str(VANKIEN), "run", cwd=tmp_path, env=environ,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    bot = BotProcess(proc)
    bot.pumps = [
        asyncio.create_task(_pump(proc.stdout, bot.stdout, bot.changed)),
        asyncio.create_task(_pump(proc.stderr, bot.stderr, bot.changed)),
    ]
    try:
        yield bot
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
        await asyncio.gather(*bot.pumps)
