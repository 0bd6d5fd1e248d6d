"""Adding web sources through the service, against a real server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web

from index.service import SearchService

PAGE = """<!doctype html><html><head><meta charset="utf-8">
<title>{title} | Báo Mẫu</title>
<link rel="canonical" href="{canonical}">
<meta property="article:published_time" content="2022-01-12T08:00:00+07:00">
</head><body><nav><a href="/">Trang chủ</a> <a href="/thoi-su">Thời sự</a></nav>
<article><h1>{title}</h1>
<p>{body}</p>
<p>Các đại biểu thảo luận sôi nổi về giải pháp đưa văn bản vào cuộc sống, gắn với nhiệm vụ chính trị của từng cơ quan, đơn vị trong năm 2022.</p>
</article><footer>Bản quyền thuộc Báo Mẫu. Liên hệ quảng cáo.</footer></body></html>"""

BODIES = {
    "kl21": "Hội nghị quán triệt Kết luận số 21-KL/TW ngày 25-10-2021 của Ban Chấp hành Trung ương về đẩy mạnh xây dựng, chỉnh đốn Đảng và hệ thống chính trị.",
    "qd41": "Hội nghị nghiên cứu Quy định số 41-QĐ/TW ngày 03-11-2021 của Bộ Chính trị về việc miễn nhiệm, từ chức đối với cán bộ.",
    "ct10": "Tỉnh triển khai Chỉ thị số 10-CT/TW ngày 25-9-2021 của Ban Bí thư về tăng cường sự lãnh đạo của Đảng đối với công tác khí tượng thủy văn.",
}


class Site:
    def __init__(self) -> None:
        self.bodies = dict(BODIES)
        self.feed_hits = 0
        self.base = ""

    async def page(self, request: web.Request) -> web.Response:
        slug = request.match_info["slug"]
        if slug not in self.bodies:
            raise web.HTTPNotFound()
        html = PAGE.format(
            title=f"Bài {slug}", canonical=f"{self.base}/bai/{slug}", body=self.bodies[slug]
        )
        return web.Response(text=html, content_type="text/html")

    async def feed(self, request: web.Request) -> web.Response:
        self.feed_hits += 1
        etag = f'"v{len(self.bodies)}-{hash(tuple(self.bodies.values())) & 0xFFFF}"'
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        items = "".join(
            f"<item><title>Bài {s}</title><link>{self.base}/bai/{s}</link></item>"
            for s in self.bodies
        )
        items += f"<item><title>Mất</title><link>{self.base}/bai/khong-co</link></item>"
        xml = f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Báo Mẫu</title>{items}</channel></rss>'
        return web.Response(text=xml, content_type="application/rss+xml", headers={"ETag": etag})


@pytest.fixture
async def site() -> AsyncIterator[Site]:
    state = Site()
    app = web.Application()
    app.router.add_get("/rss", state.feed)
    app.router.add_get("/bai/{slug}", state.page)
    runner = web.AppRunner(app)
    await runner.setup()
    server = web.TCPSite(runner, "127.0.0.1", 0)
    await server.start()
    port = server._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    state.base = f"http://127.0.0.1:{port}"
    yield state
    await runner.cleanup()


async def test_feed_is_ingested_and_reindex_uses_conditional_requests(
    site: Site, tmp_path: Path
) -> None:
    service = await SearchService.open(tmp_path / "w.db", allow_private_urls=True)
    try:
        report = await service.ingest([f"{site.base}/rss"])
        assert report.count("added") == 3
        failed = [i for i in report.items if i.status == "failed"]
        assert len(failed) == 1 and "khong-co" in failed[0].target and "404" in failed[0].reason
        answer = await service.ask("Chỉ thị 10 nói về gì?")
        assert answer.found and answer.passages[0].url == f"{site.base}/bai/ct10"
        assert (
            "Trang chủ" not in answer.passages[0].text
            and "Bản quyền" not in answer.passages[0].text
        )

        generation = service.live.generation
        state = await service.reindex()  # feed unchanged: 304, nothing rebuilt from the web
        assert site.feed_hits == 2 and state.new == 0 and state.updated == 0

        site.bodies["qd41"] += " Quy định này thay thế Quy định số 260-QĐ/TW năm 2014."
        site.bodies["kl15"] = (
            "Kết luận số 15-KL/TW ngày 30-9-2021 của Ban Bí thư về công tác bảo đảm an ninh, trật tự."
        )
        state = await service.reindex()
        assert (state.new, state.updated) == (1, 1)
        assert service.live.generation > generation
        assert (await service.ask("Kết luận 15 nói về gì?")).found  # answerable without restart
    finally:
        await service.close()


async def test_private_address_refused_and_nothing_written(site: Site, tmp_path: Path) -> None:
    service = await SearchService.open(tmp_path / "w.db", allow_private_urls=False)
    try:
        report = await service.ingest([f"{site.base}/rss"])
        assert [i.status for i in report.items] == ["refused"]
        assert "127.0.0.1" in report.items[0].reason
        assert await service.sources() == []
        assert site.feed_hits == 0
    finally:
        await service.close()
