"""Scheduled refresh (VANKIEN_REFRESH_MINUTES): feeds are re-read by PTB's
JobQueue and new articles become answerable without a restart."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from tests.support.harness import running_bot
from tests.test_web_ingest import Site, site  # noqa: F401  (the fixture)


async def test_refresh_job_reads_new_feed_items(site: Site, tmp_path: Path) -> None:  # noqa: F811
    async with running_bot(tmp_path, ingest=False, VANKIEN_REFRESH_MINUTES=5) as h:
        assert h.app.job_queue is not None
        (job,) = h.app.job_queue.get_jobs_by_name("vankien-refresh")
        assert job.job.trigger.interval == timedelta(minutes=5)

        await h.service.ingest([f"{site.base}/rss"])
        site.bodies["kl15"] = (
            "Kết luận số 15-KL/TW ngày 30-9-2021 của Ban Bí thư về tiếp tục đẩy mạnh thực hiện "
            "Chỉ thị số 46-CT/TW về công tác bảo đảm an ninh, trật tự trong tình hình mới."
        )
        assert not (await h.service.ask("Kết luận 15 nói về gì?")).found

        await job.run(h.app)  # what the scheduler does every five minutes

        h.api.push_update(h.api.private_message("Kết luận 15 nói về gì?"))
        reply = await h.api.wait_for("sendMessage")
        assert "Kết luận số 15-KL/TW ngày 30-09-2021 của Ban Bí thư" in reply["text"]


async def test_no_refresh_job_when_the_setting_is_off(tmp_path: Path) -> None:
    async with running_bot(tmp_path, ingest=False, VANKIEN_REFRESH_MINUTES=0) as h:
        assert h.app.job_queue is not None
        assert h.app.job_queue.get_jobs_by_name("vankien-refresh") == ()
