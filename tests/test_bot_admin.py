"""Admin commands: only VANKIEN_ADMIN_IDS; add sources, reindex in the background."""

from __future__ import annotations

import asyncio
import resource
import sqlite3
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.support.harness import ADMIN_ID, USER_ID, Running
from tests.support.websites import SlowSite, slow_site


@pytest.fixture
async def site() -> AsyncIterator[SlowSite]:
    async with slow_site() as running:
        yield running


def from_admin(h: Running, text: str) -> None:
    h.api.push_update(h.api.private_message(text, user_id=ADMIN_ID))


async def test_non_admin_is_refused_and_nothing_is_written(
    h: Running, site: SlowSite, tmp_path: Path
) -> None:
    before = await h.service.sources()
    stats_before = await h.service.stats()
    extra = tmp_path / "extra.md"
    extra.write_text("---\ntitle: Thêm\n---\nChỉ thị số 35-CT/TW về đại hội.\n", encoding="utf-8")
    commands = [
        f"/addsource {site.base}/nghi-quyet-57",
        f"/addsource {extra}",
        f"/removesource {before[0].id}",
        "/reindex",
        "/sources",
        "/stats",
    ]
    for text in commands:
        h.api.push_update(h.api.private_message(text, user_id=USER_ID))
        reply = await h.api.wait_for("sendMessage")
        assert reply["text"] == "Xin lỗi, lệnh này chỉ dành cho quản trị viên của bot."
    # a group message from a group admin is no different
    h.api.push_update(
        h.api.group_message("/addsource@vankien_test_bot x", -100555, user_id=USER_ID)
    )
    assert "quản trị viên" in (await h.api.wait_for("sendMessage"))["text"]
    await asyncio.sleep(0.2)
    assert await h.service.sources() == before
    after = await h.service.stats()
    assert (after.articles, after.generation, after.sources) == (
        stats_before.articles,
        stats_before.generation,
        stats_before.sources,
    )
    assert site.hits == 0 and not h.service.reindex_running


async def test_admin_adds_lists_and_removes_sources(h: Running, site: SlowSite) -> None:
    from_admin(h, f"/addsource {site.base}/nghi-quyet-57")
    status = await h.api.wait_for("sendMessage")
    assert "Đang đọc 1 nguồn" in status["text"]
    report = await h.api.wait_for("editMessageText")
    assert "đã thêm: 1" in report["text"]
    h.api.push_update(h.api.private_message("Nghị quyết 57 nói về gì?"))
    answer = await h.api.wait_for("sendMessage", lambda p: p["chat_id"] == USER_ID)
    assert "Nghị quyết số 57-NQ/TW" in answer["text"]

    from_admin(h, "/addsource http://169.254.169.254/latest ftp://x.example/a")
    await h.api.wait_for("sendMessage")
    refused = await h.api.wait_for("editMessageText")
    assert "từ chối: 2" in refused["text"] or "lỗi: 2" in refused["text"]

    from_admin(h, "/sources")
    listing = await h.api.wait_for("sendMessage")
    assert "#1" in listing["text"] and "nghi-quyet-57" in listing["text"]
    sources = await h.service.sources()
    url_source = next(s for s in sources if s.location.endswith("/nghi-quyet-57"))
    from_admin(h, f"/removesource {url_source.id}")
    assert f"Đã gỡ nguồn #{url_source.id}" in (await h.api.wait_for("sendMessage"))["text"]
    from_admin(h, "/removesource 999")
    assert "Không có nguồn #999" in (await h.api.wait_for("sendMessage"))["text"]
    for odd in ("abc", "²", "١٢", "9" * 40):  # superscript and Arabic-Indic digits, too big
        from_admin(h, f"/removesource {odd}")
        assert "Cách dùng" in (await h.api.wait_for("sendMessage"))["text"]
    from_admin(h, "/addsource")
    assert "Cách dùng" in (await h.api.wait_for("sendMessage"))["text"]

    from_admin(h, "/stats")
    stats = await h.api.wait_for("sendMessage")
    assert "Bài viết: 5" in stats["text"] and "Thống kê" in stats["text"]


async def test_reindex_runs_in_background_while_questions_are_answered(
    h: Running, site: SlowSite
) -> None:
    from_admin(h, f"/addsource {site.base}/nghi-quyet-57")
    await h.api.wait_for("sendMessage")
    await h.api.wait_for("editMessageText")
    generation = (await h.service.stats()).generation
    site.delay = 1.5

    from_admin(h, "/reindex")
    status = await h.api.wait_for("sendMessage", lambda p: p["chat_id"] == ADMIN_ID)
    assert "Bắt đầu đọc lại" in status["text"]
    await asyncio.sleep(0.2)
    assert h.service.reindex_running
    from_admin(h, "/reindex")
    busy = await h.api.wait_for("sendMessage", lambda p: p["chat_id"] == ADMIN_ID)
    assert "đang chạy" in busy["text"]

    h.api.push_update(h.api.private_message("Kết luận 21 nói về gì?"))
    answer = await h.api.wait_for("sendMessage", lambda p: p["chat_id"] == USER_ID)
    assert answer["text"].startswith("<b>Kết luận số 21-KL/TW")
    assert h.service.reindex_running  # answered from the old index, mid-rebuild

    done = await h.api.wait_for(
        "editMessageText", lambda p: "Đã lập lại chỉ mục xong" in p["text"], timeout=10
    )
    assert "Nguồn: 2/2" in done["text"]
    # the sources brought nothing new: the index was neither rebuilt nor rewritten
    assert (await h.service.stats()).generation == generation
    edits = [
        t
        for (m, _p, _r), t in zip(h.api.ok_calls, h.api.ok_times, strict=True)
        if m == "editMessageText"
    ]
    status_sent = next(
        t for (m, p, _r), t in zip(h.api.ok_calls, h.api.ok_times, strict=True)
        if m == "sendMessage" and "Bắt đầu đọc lại" in p["text"]
    )  # fmt: skip
    reindex_edits = [t for t in edits if t > status_sent]
    times = [status_sent, *reindex_edits]
    assert all(b - a >= 1.9 for a, b in zip(times, times[1:], strict=False))
    assert not h.service.reindex_running

    from_admin(h, "/reindex")  # allowed again once finished
    again = await h.api.wait_for("sendMessage", lambda p: p["chat_id"] == ADMIN_ID)
    assert "Bắt đầu đọc lại" in again["text"]
    site.delay = 0
    await h.api.wait_for("editMessageText", lambda p: "xong" in p["text"], timeout=10)


async def test_admin_commands_while_another_process_builds(h: Running, tmp_path: Path) -> None:
    """The CLI is reindexing beside the bot: each write says so, nothing waits forever."""
    holder = await asyncio.create_subprocess_exec(
        sys.executable, "-c",
        "import fcntl, os, sys, time\n"
        "fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)\n"
        "fcntl.flock(fd, fcntl.LOCK_EX)\nprint('held', flush=True)\ntime.sleep(120)",
        f"{h.settings.db}.lock", stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        assert holder.stdout is not None
        assert await holder.stdout.readline() == b"held\n"
        sources = await h.service.sources()

        from_admin(h, "/reindex")
        assert "Bắt đầu" in (await h.api.wait_for("sendMessage"))["text"]
        busy = await h.api.wait_for("editMessageText", timeout=15)
        assert "đang chạy" in busy["text"]
        assert not h.service.reindex_running

        extra = tmp_path / "them.md"
        extra.write_text("---\ntitle: Thêm\n---\nChỉ thị số 35-CT/TW về đại hội.\n", "utf-8")
        from_admin(h, f"/addsource {extra}")
        await h.api.wait_for("sendMessage")
        assert "đang chạy" in (await h.api.wait_for("editMessageText", timeout=15))["text"]

        from_admin(h, f"/removesource {sources[0].id}")
        assert "đang chạy" in (await h.api.wait_for("sendMessage", timeout=15))["text"]
        assert await h.service.sources() == sources
    finally:
        holder.kill()
        await holder.wait()


async def test_a_disk_fault_during_addsource_ends_the_progress_message(
    h: Running, tmp_path: Path
) -> None:
    folder = tmp_path / "moi"
    folder.mkdir()
    for i in range(30):
        (folder / f"{i}.md").write_text(
            f"---\ntitle: Bài mới {i}\nurl: https://tin.example/moi/{i}\n---\n"
            + "Chi bộ học tập Chỉ thị số 35-CT/TW về đại hội đảng bộ các cấp. " * 40,
            encoding="utf-8",
        )
    with sqlite3.connect(h.settings.db) as conn:  # an empty WAL: growing it hits the limit
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (h.settings.db.stat().st_size + 64 * 1024, hard))
    try:
        from_admin(h, f"/addsource {folder}")
        assert "Đang đọc" in (await h.api.wait_for("sendMessage"))["text"]
        final = await h.api.wait_for("editMessageText", timeout=30)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
    assert final["text"].startswith("❌ Không thêm được nguồn: Không ghi được vào")
    h.api.push_update(h.api.private_message("Kết luận 21 nói về gì?"))
    answer = await h.api.wait_for("sendMessage", lambda p: p["chat_id"] == USER_ID)
    assert answer["text"].startswith("<b>Kết luận số 21-KL/TW")  # the old index still answers
