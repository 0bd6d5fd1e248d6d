"""Safe fetching and web loading against a real HTTP server on 127.0.0.1.

No mocks of httpx: an aiohttp server on a random port plays every site.
Because it lives on a loopback address, tests that must reach it pass
`allow_private=True` (or a policy allowing loopback only), and the SSRF
tests check that refusals happen before any request reaches it.
"""

from __future__ import annotations

import asyncio
import gzip
import ipaddress
import shutil
import socket
import ssl
import subprocess
import time
import tracemalloc
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from aiohttp import web

from index.errors import FetchError, UnsafeURLError
from index.sources.fetch import (
    USER_AGENT,
    FetchLimits,
    check_url,
    fetch,
    is_public_address,
)
from index.sources.web import load_url

FIXTURES = Path(__file__).parent / "fixtures" / "web"
ARTICLE = (FIXTURES / "article.html").read_bytes()
FAST = FetchLimits(connect_timeout=1, read_timeout=0.5, deadline=1.5)


def loopback_only(addr: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Policy for redirect tests: the test server yes, anything else private no."""
    return addr.is_loopback or is_public_address(addr)


# --- the address table ------------------------------------------------------------

ADDRESSES = [
    ("8.8.8.8", True),
    ("1.1.1.1", True),
    ("203.162.4.191", True),  # a Vietnamese public address
    ("2001:4860:4860::8888", True),
    ("64:ff9b::808:808", True),  # NAT64 of 8.8.8.8
    ("2002:0808:0808::1", True),  # 6to4 of 8.8.8.8
    ("127.0.0.1", False),
    ("127.8.9.10", False),
    ("0.0.0.0", False),
    ("10.0.0.1", False),
    ("172.16.5.4", False),
    ("192.168.1.1", False),
    ("169.254.169.254", False),  # cloud metadata
    ("100.64.1.1", False),  # carrier-grade NAT
    ("192.0.2.1", False),  # documentation
    ("198.18.0.1", False),  # benchmarking
    ("224.0.0.1", False),  # multicast
    ("239.255.255.250", False),
    ("240.0.0.1", False),  # reserved
    ("255.255.255.255", False),
    ("::1", False),
    ("::", False),
    ("fe80::1", False),
    ("fc00::1", False),
    ("fd12:3456:789a::1", False),
    ("fec0::1", False),  # deprecated site-local
    ("ff02::1", False),
    ("::ffff:127.0.0.1", False),  # IPv4-mapped
    ("::ffff:169.254.169.254", False),
    ("::127.0.0.1", False),  # IPv4-compatible
    ("64:ff9b::a00:1", False),  # NAT64 of 10.0.0.1
    ("64:ff9b:1::808:808", False),  # local-use NAT64
    ("2002:0a00:0001::", False),  # 6to4 of 10.0.0.1
    ("2002:7f00:0001::1", False),  # 6to4 of 127.0.0.1
    ("2001:0:4136:e378:8000:63bf:3fff:fdd2", False),  # Teredo
    ("2001:db8::1", False),  # documentation
]


@pytest.mark.parametrize(("ip", "public"), ADDRESSES)
def test_is_public_address(ip: str, public: bool) -> None:
    assert is_public_address(ip) is public
    assert is_public_address(ipaddress.ip_address(ip)) is public


# --- the test server ------------------------------------------------------------------


@dataclass
class Site:
    base: str
    port: int
    hits: list[str] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0

    def url(self, path: str) -> str:
        return self.base + path


def item_page(n: int) -> bytes:
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Bài số {n} - Báo Mẫu</title>
<link rel="canonical" href="https://baomau.example/bai/{n}.html">
<meta property="og:title" content="Bài số {n} về Nghị quyết 18-NQ/TW">
</head><body><nav><a href="/">Trang chủ</a> <a href="/thoi-su">Thời sự</a></nav>
<article><h1>Bài số {n} về Nghị quyết 18-NQ/TW</h1>
<p>Đoạn mở đầu của bài số {n}: Nghị quyết số 18-NQ/TW ngày 25-10-2017 của Ban Chấp hành
Trung ương về một số vấn đề tiếp tục đổi mới, sắp xếp tổ chức bộ máy của hệ thống chính trị.</p>
<p>Đoạn thứ hai của bài số {n}: các cấp ủy, tổ chức đảng cần quán triệt sâu sắc, tổ chức thực
hiện nghiêm túc, tạo chuyển biến rõ nét về nhận thức và hành động trong toàn hệ thống.</p>
</article><footer>Bản quyền Báo Mẫu</footer></body></html>""".encode()


def rss(site: Site, count: int, extra: str = "") -> bytes:
    items = "".join(
        f"<item><title>Bài số {n}</title><link>{site.url(f'/items/{n}')}</link>"
        f"<pubDate>Tue, 11 Jan 2022 08:{n:02d}:00 +0700</pubDate></item>"
        for n in range(count)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Báo Mẫu</title><link>{site.base}</link>{items}{extra}</channel></rss>"
    ).encode()


def atom(site: Site) -> bytes:
    entries = "".join(
        f"<entry><title>Bài {n}</title><id>tag:mau,{n}</id>"
        f'<link rel="alternate" href="/items/{n}"/><updated>2022-01-1{n}T00:00:00+07:00</updated>'
        "</entry>"
        for n in (1, 2, 3)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Báo Mẫu</title><id>tag:mau</id>{entries}</feed>"
    ).encode()


async def _stream(request: web.Request, headers: dict[str, str]) -> web.StreamResponse:
    response = web.StreamResponse(headers=headers)
    await response.prepare(request)
    return response


def make_app(site: Site) -> web.Application:
    routes = web.RouteTableDef()

    @web.middleware
    async def record(request: web.Request, handler):  # type: ignore[no-untyped-def]
        site.hits.append(request.path)
        site.headers.append(dict(request.headers))
        return await handler(request)

    @routes.get("/article")
    async def article(request: web.Request) -> web.Response:
        return web.Response(body=ARTICLE, content_type="text/html", charset="utf-8")

    @routes.get("/echo")
    async def echo(request: web.Request) -> web.Response:
        page = f"<html><body><p>{request.host}</p></body></html>"
        return web.Response(text=page, content_type="text/html")

    @routes.get("/items/{n}")
    async def item(request: web.Request) -> web.Response:
        site.in_flight += 1
        site.max_in_flight = max(site.max_in_flight, site.in_flight)
        try:
            await asyncio.sleep(0.02)
            return web.Response(
                body=item_page(int(request.match_info["n"])), content_type="text/html"
            )
        finally:
            site.in_flight -= 1

    @routes.get("/feed.rss")
    async def feed_rss(request: web.Request) -> web.Response:
        return web.Response(body=rss(site, 30), content_type="application/rss+xml")

    @routes.get("/feed-as-html")
    async def feed_as_html(request: web.Request) -> web.Response:
        return web.Response(body=rss(site, 3), content_type="text/html")

    @routes.get("/feed-broken.rss")
    async def feed_broken(request: web.Request) -> web.Response:
        extra = (
            f"<item><title>Mất</title><link>{site.url('/status/404')}</link></item>"
            "<item><title>Nội bộ</title><link>http://10.0.0.1/secret</link></item>"
            f"<item><title>Trống</title><link>{site.url('/empty-page')}</link></item>"
        )
        return web.Response(body=rss(site, 3, extra), content_type="application/rss+xml")

    @routes.get("/atom.xml")
    async def atom_feed(request: web.Request) -> web.Response:
        return web.Response(body=atom(site), content_type="application/atom+xml")

    @routes.get("/empty-page")
    async def empty_page(request: web.Request) -> web.Response:
        return web.Response(
            text="<html><body><nav>Trang chủ</nav></body></html>", content_type="text/html"
        )

    @routes.get("/status/{code}")
    async def status(request: web.Request) -> web.Response:
        return web.Response(status=int(request.match_info["code"]), text="lỗi")

    @routes.get("/redirect")
    async def redirect(request: web.Request) -> web.Response:
        raise web.HTTPFound(request.query["to"])

    @routes.get("/loop/{n}")
    async def loop(request: web.Request) -> web.Response:
        raise web.HTTPFound(f"/loop/{int(request.match_info['n']) + 1}")

    @routes.get("/sleep")
    async def sleep(request: web.Request) -> web.Response:
        await asyncio.sleep(5)
        return web.Response(body=ARTICLE, content_type="text/html")

    @routes.get("/drip")
    async def drip(request: web.Request) -> web.StreamResponse:
        response = await _stream(request, {"Content-Type": "text/html"})
        for _ in range(100):  # 20 s in all, far beyond the deadline
            await response.write(b"a")
            await asyncio.sleep(0.2)
        return response

    @routes.get("/huge")
    async def huge(request: web.Request) -> web.StreamResponse:
        headers = {"Content-Type": "text/html"}
        if "declared" in request.query:
            headers["Content-Length"] = str(50 * 1024 * 1024)
        response = await _stream(request, headers)
        chunk = b"<p>" + b"a" * (64 * 1024 - 3)
        for _ in range(50 * 16):  # 50 MB, one 64 KB chunk at a time
            await response.write(chunk)
            await asyncio.sleep(0)
        return response

    @routes.get("/bomb")
    async def bomb(request: web.Request) -> web.StreamResponse:
        # 1 GB of zeros, gzip-compressed while streaming: about 1 MB on the wire.
        response = await _stream(request, {"Content-Type": "text/html", "Content-Encoding": "gzip"})
        compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
        zeros = bytes(1024 * 1024)
        for _ in range(1024):
            await response.write(compressor.compress(zeros))
            await asyncio.sleep(0)  # the server shares the test's event loop
        await response.write(compressor.flush())
        return response

    @routes.get("/gzip")
    async def gzipped(request: web.Request) -> web.Response:
        headers = {"Content-Encoding": "gzip"}
        return web.Response(body=gzip.compress(ARTICLE), content_type="text/html", headers=headers)

    @routes.get("/deflate/{kind}")
    async def deflated(request: web.Request) -> web.Response:
        wbits = 15 if request.match_info["kind"] == "zlib" else -15
        compressor = zlib.compressobj(6, zlib.DEFLATED, wbits)
        body = compressor.compress(ARTICLE) + compressor.flush()
        headers = {"Content-Encoding": "deflate"}
        return web.Response(body=body, content_type="text/html", headers=headers)

    @routes.get("/image")
    async def image(request: web.Request) -> web.Response:
        return web.Response(body=b"\x89PNG\r\n\x1a\n", content_type="image/png")

    @routes.get("/octet/{kind}")
    async def octet(request: web.Request) -> web.Response:
        body = ARTICLE if request.match_info["kind"] == "html" else b"\x00\x01binary"
        return web.Response(body=body, content_type="application/octet-stream")

    @routes.get("/conditional")
    async def conditional(request: web.Request) -> web.Response:
        stamp = "Tue, 11 Jan 2022 01:30:00 GMT"
        if request.headers.get("If-None-Match") == '"v1"' or (
            request.headers.get("If-Modified-Since") == stamp
        ):
            return web.Response(status=304, headers={"ETag": '"v1"'})
        headers = {"ETag": '"v1"', "Last-Modified": stamp}
        return web.Response(body=ARTICLE, content_type="text/html", headers=headers)

    app = web.Application(middlewares=[record])
    app.add_routes(routes)
    return app


@pytest.fixture
async def site():
    holder = Site(base="", port=0)
    runner = web.AppRunner(make_app(holder), handler_cancellation=True, shutdown_timeout=0.1)
    await runner.setup()
    tcp = web.TCPSite(runner, "127.0.0.1", 0)
    await tcp.start()
    holder.port = runner.addresses[0][1]
    holder.base = f"http://127.0.0.1:{holder.port}"
    yield holder
    await runner.cleanup()


@pytest.fixture
async def raw_site():
    """A bare server whose response has no Content-Type header at all."""
    body = ARTICLE

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(
            b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % len(body)
        )
        writer.write(body)
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    yield f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/"
    server.close()
    await server.wait_closed()


# --- SSRF ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.com/x",
        "gopher://127.0.0.1:70/",
        "javascript:alert(1)",
        "/relative",
    ],
)
async def test_only_http_and_https(url: str) -> None:
    with pytest.raises(UnsafeURLError, match="http:// và https://"):
        await fetch(url, allow_private=True)


@pytest.mark.parametrize(
    "url",
    ["http://10.0.0.1/", "http://169.254.169.254/latest/meta-data/", "http://[::1]/",
     "http://[::ffff:127.0.0.1]/", "http://0.0.0.0/", "http://2130706433/", "https://100.64.1.1/"],
)  # fmt: skip
async def test_private_literals_refused_without_connecting(url: str) -> None:
    with pytest.raises(UnsafeURLError, match="địa chỉ nội bộ"):
        await check_url(url)


async def test_loopback_server_refused_before_any_request(site: Site) -> None:
    for url in (site.url("/article"), f"http://localhost:{site.port}/article"):
        with pytest.raises(UnsafeURLError) as caught:
            await fetch(url)
        assert url in str(caught.value)
    assert site.hits == []


@pytest.mark.parametrize(
    "target",
    ["http://10.0.0.1/admin", "http://169.254.169.254/latest/meta-data/",
     "http://[::ffff:10.0.0.1]/", "http://[64:ff9b::a00:1]/", "file:///etc/passwd"],
)  # fmt: skip
async def test_every_redirect_hop_is_checked(site: Site, target: str) -> None:
    url = site.url("/redirect?to=" + target)
    with pytest.raises(UnsafeURLError) as caught:
        await fetch(url, allow_private=loopback_only)
    assert "chuyển hướng từ" in str(caught.value)
    assert site.hits == ["/redirect"]


async def test_allowed_redirect_is_followed(site: Site) -> None:
    result = await fetch(site.url("/redirect?to=/article"), allow_private=loopback_only)
    assert result.final_url == site.url("/article")
    assert result.url == site.url("/redirect?to=/article")
    assert result.body == ARTICLE
    assert site.hits == ["/redirect", "/article"]


@pytest.fixture
def fake_dns(monkeypatch: pytest.MonkeyPatch) -> None:
    """`news.invalid` and `other.invalid` (which never resolve for real) → 127.0.0.1."""
    real = socket.getaddrinfo

    def fake(host, *args, **kwargs):  # type: ignore[no-untyped-def]
        return real(
            "127.0.0.1" if host in ("news.invalid", "other.invalid") else host, *args, **kwargs
        )

    monkeypatch.setattr(socket, "getaddrinfo", fake)


@pytest.mark.usefixtures("fake_dns")
async def test_connects_to_the_checked_address_and_keeps_the_host(site: Site) -> None:
    # The fetch only works if the connection goes to the address our own
    # check resolved, with the original name kept in the Host header.
    assert await check_url(f"http://news.invalid:{site.port}/", allow_private=True) == ["127.0.0.1"]
    result = await fetch(f"http://news.invalid:{site.port}/echo", allow_private=True)
    assert f"news.invalid:{site.port}" in result.body.decode()
    assert result.final_url == f"http://news.invalid:{site.port}/echo"


@pytest.fixture
async def tls_site(tmp_path: Path):
    """The test app over TLS with a self-signed certificate for news.invalid only."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "1",
         "-subj", "/CN=news.invalid", "-addext", "subjectAltName=DNS:news.invalid"],
        check=True, capture_output=True,
    )  # fmt: skip
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(cert, key)
    runner = web.AppRunner(make_app(Site(base="", port=0)), shutdown_timeout=0.1)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0, ssl_context=server_context).start()
    yield runner.addresses[0][1], ssl.create_default_context(cafile=str(cert))
    await runner.cleanup()


@pytest.mark.usefixtures("fake_dns")
async def test_https_verifies_the_name_not_the_address(tls_site) -> None:  # type: ignore[no-untyped-def]
    port, trust = tls_site
    async with httpx.AsyncClient(verify=trust) as client:
        result = await fetch(f"https://news.invalid:{port}/echo", allow_private=True, client=client)
        assert f"news.invalid:{port}" in result.body.decode()
        # Same IP and port, another name: a fresh handshake must fail (no reuse
        # of the connection verified for news.invalid).
        with pytest.raises(FetchError, match="lỗi kết nối"):
            await fetch(f"https://other.invalid:{port}/echo", allow_private=True, client=client)


# --- success paths ---------------------------------------------------------------------


async def test_fetch_page(site: Site) -> None:
    result = await fetch(site.url("/article"), allow_private=True)
    assert (result.status, result.content_type, result.charset) == (200, "text/html", "utf-8")
    assert result.body == ARTICLE
    assert not result.not_modified
    assert site.headers[0]["User-Agent"] == USER_AGENT
    assert "gzip" in site.headers[0]["Accept-Encoding"]


@pytest.mark.parametrize("path", ["/gzip", "/deflate/zlib", "/deflate/raw"])
async def test_compressed_bodies_are_decoded(site: Site, path: str) -> None:
    result = await fetch(site.url(path), allow_private=True)
    assert result.body == ARTICLE


async def test_octet_stream_and_missing_type_are_sniffed(site: Site, raw_site: str) -> None:
    result = await fetch(site.url("/octet/html"), allow_private=True)
    assert result.content_type == "text/html"
    result = await fetch(raw_site, allow_private=True)
    assert (result.content_type, result.body) == ("text/html", ARTICLE)
    with pytest.raises(FetchError, match="kiểu nội dung không hỗ trợ"):
        await fetch(site.url("/octet/binary"), allow_private=True)


async def test_conditional_request_gives_not_modified(site: Site) -> None:
    first = await fetch(site.url("/conditional"), allow_private=True)
    assert first.etag == '"v1"' and first.last_modified
    again = await fetch(site.url("/conditional"), allow_private=True, etag=first.etag)
    assert again.not_modified and again.status == 304 and again.body == b""
    assert again.etag == '"v1"'
    assert site.headers[1]["If-None-Match"] == '"v1"'
    by_date = await fetch(
        site.url("/conditional"), allow_private=True, last_modified=first.last_modified
    )
    assert by_date.not_modified
    assert site.headers[2]["If-Modified-Since"] == first.last_modified


# --- failures --------------------------------------------------------------------------


@pytest.mark.parametrize("code", [404, 500])
async def test_http_errors(site: Site, code: int) -> None:
    url = site.url(f"/status/{code}")
    with pytest.raises(FetchError, match=f"HTTP {code}") as caught:
        await fetch(url, allow_private=True)
    assert url in str(caught.value)


async def test_unsupported_type(site: Site) -> None:
    with pytest.raises(FetchError, match=r"kiểu nội dung không hỗ trợ \(image/png\)"):
        await fetch(site.url("/image"), allow_private=True)


async def test_too_many_redirects(site: Site) -> None:
    with pytest.raises(FetchError, match="quá nhiều lần chuyển hướng"):
        await fetch(site.url("/loop/0"), allow_private=True)
    assert len(site.hits) == 6  # the first request and 5 redirects


async def test_read_timeout(site: Site) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError, match="quá thời gian chờ"):
        await fetch(site.url("/sleep"), allow_private=True, limits=FetchLimits(read_timeout=0.3))
    assert time.monotonic() - started < 1.5


async def test_slow_drip_is_cut_by_the_deadline(site: Site) -> None:
    # One byte every 0.2 s never trips the 0.5 s read timeout; the deadline does.
    started = time.monotonic()
    with pytest.raises(FetchError, match="quá thời gian chờ"):
        await fetch(site.url("/drip"), allow_private=True, limits=FAST)
    assert time.monotonic() - started < 2.5


async def _peak_memory_of(coro) -> int:  # type: ignore[no-untyped-def]
    tracemalloc.start()
    try:
        with pytest.raises(FetchError, match="vượt giới hạn 10 MB"):
            await coro
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("query", ["", "?declared"])
async def test_huge_body_refused_with_bounded_memory(site: Site, query: str) -> None:
    peak = await _peak_memory_of(fetch(site.url("/huge" + query), allow_private=True))
    assert peak < 60 * 1024 * 1024


async def test_gzip_bomb_refused_with_bounded_memory(site: Site) -> None:
    peak = await _peak_memory_of(fetch(site.url("/bomb"), allow_private=True))
    assert peak < 60 * 1024 * 1024


async def test_dns_failure_is_a_fetch_error() -> None:
    with pytest.raises(FetchError, match="không tìm thấy máy chủ"):
        await fetch("http://nothing.invalid/", allow_private=True)


async def test_caller_client_is_reused(site: Site) -> None:
    async with httpx.AsyncClient() as client:
        first = await fetch(site.url("/article"), allow_private=True, client=client)
        second = await fetch(site.url("/redirect?to=/article"), allow_private=True, client=client)
        assert first.body == second.body == ARTICLE
        assert not client.is_closed


# --- load_url: pages and feeds -----------------------------------------------------------


async def test_load_page(site: Site) -> None:
    load = await load_url(site.url("/article"), allow_private=True)
    assert load.kind == "page" and load.failures == []
    [article] = load.articles
    assert article.url == "https://baomau.example/chinh-tri/trien-khai-ket-luan-21.html"
    assert article.found_via == site.url("/article")


async def test_load_rss_feed_of_30_items(site: Site) -> None:
    feed_url = site.url("/feed.rss")
    load = await load_url(feed_url, allow_private=True, concurrency=4)
    assert load.kind == "feed" and load.failures == []
    assert len(load.articles) == 30
    assert [a.url for a in load.articles] == [
        f"https://baomau.example/bai/{n}.html" for n in range(30)
    ]
    assert all(a.found_via == feed_url for a in load.articles)
    assert all("Đoạn thứ hai" in a.text and "Trang chủ" not in a.text for a in load.articles)
    assert 1 < site.max_in_flight <= 4


async def test_load_atom_feed(site: Site) -> None:
    load = await load_url(site.url("/atom.xml"), allow_private=True)
    assert load.kind == "feed" and load.failures == []
    assert [a.title for a in load.articles] == [
        f"Bài số {n} về Nghị quyết 18-NQ/TW" for n in (1, 2, 3)
    ]


async def test_feed_is_recognised_by_content(site: Site) -> None:
    load = await load_url(site.url("/feed-as-html"), allow_private=True)
    assert load.kind == "feed" and len(load.articles) == 3


async def test_feed_item_failures_are_recorded_and_the_rest_kept(site: Site) -> None:
    load = await load_url(site.url("/feed-broken.rss"), allow_private=loopback_only)
    assert len(load.articles) == 3
    reasons = dict(load.failures)
    assert "HTTP 404" in reasons[site.url("/status/404")]
    assert "địa chỉ nội bộ" in reasons["http://10.0.0.1/secret"]
    assert "không có nội dung bài viết" in reasons[site.url("/empty-page")]
    assert "/secret" not in site.hits


async def test_load_not_modified(site: Site) -> None:
    load = await load_url(site.url("/conditional"), allow_private=True, etag='"v1"')
    assert load.not_modified and load.articles == [] and load.etag == '"v1"'


async def test_load_url_raises_for_the_source_itself(site: Site) -> None:
    with pytest.raises(FetchError, match="HTTP 404"):
        await load_url(site.url("/status/404"), allow_private=True)
    with pytest.raises(UnsafeURLError):
        await load_url(site.url("/feed.rss"))
