"""A real local web server with one news article, optionally slow."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp import web

ARTICLE_HTML = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8">
<title>Triển khai Nghị quyết số 57-NQ/TW về khoa học, công nghệ</title>
<link rel="canonical" href="{base}/nghi-quyet-57">
<meta property="og:title" content="Triển khai Nghị quyết số 57-NQ/TW về khoa học, công nghệ">
<meta property="article:published_time" content="2025-01-15T08:00:00+07:00">
</head><body><nav>Trang chủ | Thời sự</nav><article>
<h1>Triển khai Nghị quyết số 57-NQ/TW về khoa học, công nghệ</h1>
<p>Nghị quyết số 57-NQ/TW ngày 22-12-2024 của Bộ Chính trị về đột phá phát triển khoa học,
công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia được quán triệt tới toàn thể cán bộ,
đảng viên trong đảng bộ khối.</p>
<p>Theo Nghị quyết số 57-NQ/TW, phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi
số là đột phá quan trọng hàng đầu, là động lực chính để phát triển nhanh lực lượng sản xuất
hiện đại, hoàn thiện quan hệ sản xuất.</p>
<p>Đảng ủy khối yêu cầu các chi bộ xây dựng chương trình hành động thực hiện Nghị quyết
57-NQ/TW, gắn với nhiệm vụ chuyển đổi số của từng cơ quan, đơn vị trong năm 2025.</p>
</article><footer>Bản quyền thuộc về tòa soạn</footer></body></html>
"""


class SlowSite:
    """A real local web server whose page can be made slow (to catch a reindex mid-run)."""

    def __init__(self) -> None:
        self.delay = 0.0
        self.hits = 0
        self.base = ""

    async def page(self, request: web.Request) -> web.Response:
        self.hits += 1
        await asyncio.sleep(self.delay)
        return web.Response(
            text=ARTICLE_HTML.format(base=self.base), content_type="text/html", charset="utf-8"
        )


@asynccontextmanager
async def slow_site() -> AsyncIterator[SlowSite]:
    """Serve ARTICLE_HTML at /nghi-quyet-57 on 127.0.0.1 (random port)."""
    slow = SlowSite()
    app = web.Application()
    app.router.add_get("/nghi-quyet-57", slow.page)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    tcp = web.TCPSite(runner, "127.0.0.1", 0)
    await tcp.start()
    port = tcp._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    slow.base = f"http://127.0.0.1:{port}"
    try:
        yield slow
    finally:
        await runner.cleanup()
