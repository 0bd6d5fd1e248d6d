"""Safe HTTP fetching for web sources.

One job: turn a URL into bytes without letting a source reach places it
should not (SSRF), stall forever or fill memory.

- Only http/https. Every hop (the first request and each redirect, followed
  here by hand) is resolved with `getaddrinfo` and refused when ANY address
  is not public (`is_public_address`), unless the caller allows it.
- We connect to the address we checked, never to a second DNS answer (DNS
  rebinding): the request URL is rewritten to the checked IP, the original
  name goes in the `Host` header, and for https in httpcore's
  `sni_hostname` extension, which sets both the TLS SNI and the name the
  certificate is verified against. This keeps the stock httpx transport and
  its connection pool; a custom network backend would need httpx internals.
- Time: connect/read timeouts per socket operation and one overall deadline
  (`asyncio.timeout`) around the whole fetch, so a slow drip is cut.
- Size: raw bytes are counted as they arrive (`aiter_raw`) and we decode
  gzip/deflate (br when a brotli >= 1.2 binding is installed) ourselves with
  decompressors whose output is capped too, so a gzip bomb stops at the cap.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network

import httpx

try:  # optional: only brotli >= 1.2 can cap its output, older ones are not used
    import brotli

    _HAS_BROTLI = hasattr(brotli.Decompressor(), "can_accept_more_data")
except ImportError:  # pragma: no cover - depends on the environment
    _HAS_BROTLI = False

from index.errors import FetchError, UnsafeURLError

USER_AGENT = "vankien/0.1 (+https://github.com/vankien/vankien)"
ACCEPTED_TYPES = frozenset(
    {
        "text/html",
        "application/xhtml+xml",
        "application/rss+xml",
        "application/atom+xml",
        "application/xml",
        "text/xml",
    }
)
_ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/xml;q=0.9,text/xml;q=0.9"
)
_ACCEPT_ENCODING = "gzip, deflate, br" if _HAS_BROTLI else "gzip, deflate"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024

IPAddress = IPv4Address | IPv6Address
AddressPolicy = Callable[[IPAddress], bool]  # True: this address may be fetched


@dataclass(frozen=True)
class FetchLimits:
    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    deadline: float = 30.0  # whole fetch, redirects included
    max_bytes: int = 10 * 1024 * 1024  # raw and decompressed, each
    max_redirects: int = 5
    accepted_types: frozenset[str] = ACCEPTED_TYPES


DEFAULT_LIMITS = FetchLimits()


@dataclass(frozen=True)
class FetchResult:
    url: str  # as requested
    final_url: str  # after redirects
    status: int
    content_type: str | None  # media type without parameters (sniffed if missing)
    charset: str | None  # from the Content-Type header
    body: bytes
    etag: str | None
    last_modified: str | None
    not_modified: bool = False


# --- addresses ---------------------------------------------------------------

_NAT64 = IPv6Network("64:ff9b::/96")
_NAT64_LOCAL = IPv6Network("64:ff9b:1::/48")  # RFC 8215: local-use translation
_IPV4_COMPAT = IPv6Network("::/96")  # deprecated ::a.b.c.d
_TEREDO = IPv6Network("2001::/32")
_SHARED = IPv4Network("100.64.0.0/10")  # carrier-grade NAT


def is_public_address(ip: str | IPAddress) -> bool:
    """True when `ip` is a global unicast address, also through IPv6 wrappers."""
    addr = ipaddress.ip_address(ip) if isinstance(ip, str) else ip
    if isinstance(addr, IPv6Address):
        if addr in _TEREDO or addr in _NAT64_LOCAL:
            # Teredo tunnels end at an arbitrary relay and hide the client's
            # IPv4 address; no news site is served from one.
            return False
        embedded = addr.ipv4_mapped or addr.sixtofour
        if embedded is None and (addr in _NAT64 or addr in _IPV4_COMPAT):
            embedded = IPv4Address(int(addr) & 0xFFFFFFFF)
        if embedded is not None:
            return is_public_address(embedded)
        if addr.is_site_local:
            return False
    if isinstance(addr, IPv4Address) and addr in _SHARED:
        return False
    return addr.is_global and not (
        addr.is_private
        or addr.is_loopback
        or addr.is_link_local
        or addr.is_multicast
        or addr.is_reserved
        or addr.is_unspecified
    )


def _policy(allow_private: bool | AddressPolicy) -> AddressPolicy:
    if callable(allow_private):
        return allow_private
    return (lambda _addr: True) if allow_private else is_public_address


async def check_url(
    url: str | httpx.URL, *, allow_private: bool | AddressPolicy = False
) -> list[str]:
    """Check one hop: scheme, then every address the host resolves to.

    Returns the checked addresses in resolver order, to connect to one of
    them. `allow_private=True` lifts the address check (not the scheme
    check); a callable decides per address.
    """
    try:
        parsed = httpx.URL(url) if isinstance(url, str) else url
    except httpx.InvalidURL:
        raise UnsafeURLError(f"Từ chối {url}: địa chỉ không hợp lệ.") from None
    if parsed.scheme not in ("http", "https"):
        raise UnsafeURLError(f"Từ chối {url}: chỉ hỗ trợ địa chỉ http:// và https://.")
    host = parsed.raw_host.decode("ascii")
    if not host:
        raise UnsafeURLError(f"Từ chối {url}: địa chỉ không có tên máy chủ.")
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise FetchError(f"Không tải được {url}: không tìm thấy máy chủ {host}.") from None
    addresses = [ipaddress.ip_address(info[4][0]) for info in infos]
    if not addresses:
        raise FetchError(f"Không tải được {url}: không tìm thấy máy chủ {host}.")
    allowed = _policy(allow_private)
    for addr in addresses:
        if not allowed(addr):
            raise UnsafeURLError(
                f"Từ chối {url}: máy chủ {host} trỏ tới địa chỉ nội bộ {addr}, không được phép tải "
                "(chỉ bật VANKIEN_ALLOW_PRIVATE_URLS=1 cho nguồn nội bộ tin cậy)."
            )
    return list(dict.fromkeys(str(addr) for addr in addresses))


# --- bounded decoding ----------------------------------------------------------


class _OverLimit(Exception):
    """Raised by a decoder whose output passed the cap."""


class _Inflate:
    """gzip (multi-member) or deflate (zlib or raw), never more than `limit` bytes out."""

    def __init__(self, encoding: str, limit: int) -> None:
        self._gzip = encoding in ("gzip", "x-gzip")
        self._limit = limit
        self._total = 0
        self._first = True
        self._d = self._new()

    def _new(self, wbits: int | None = None) -> zlib._Decompress:
        return zlib.decompressobj(wbits if wbits is not None else (31 if self._gzip else 15))

    def _take(self, piece: bytes) -> bytes:
        self._total += len(piece)
        if self._total > self._limit:
            raise _OverLimit
        return piece

    def feed(self, data: bytes) -> bytes:
        out = bytearray()
        while data:
            if self._d.eof:  # a further gzip member, or trailing junk we ignore
                if not (self._gzip and data.startswith(b"\x1f\x8b")):
                    break
                self._d = self._new()
            try:
                out += self._take(self._d.decompress(data, self._limit - self._total + 1))
            except zlib.error:
                if self._gzip or not self._first:
                    raise
                self._d = self._new(-15)  # servers that send raw deflate
                self._first = False
                continue
            self._first = False
            data = self._d.unconsumed_tail or (self._d.unused_data if self._d.eof else b"")
        return bytes(out)

    def flush(self) -> bytes:
        return self._take(self._d.flush(self._limit - self._total + 1))


class _Brotli:  # pragma: no cover - needs the optional brotli >= 1.2 binding
    def __init__(self, limit: int) -> None:
        self._d = brotli.Decompressor()
        self._limit = limit
        self._total = 0

    def _take(self, data: bytes) -> bytes:
        piece: bytes = self._d.process(data, output_buffer_limit=_CHUNK)
        self._total += len(piece)
        if self._total > self._limit:
            raise _OverLimit
        return piece

    def feed(self, data: bytes) -> bytes:
        out = bytearray(self._take(data))
        while not self._d.is_finished() and not self._d.can_accept_more_data():
            out += self._take(b"")
        return bytes(out)

    def flush(self) -> bytes:
        return b""


class _Chain:
    """Content-Encoding lists codings in the order applied; undo them in reverse."""

    def __init__(self, header: str | None, limit: int) -> None:
        self.steps: list[_Inflate | _Brotli] = []
        codings = [c.strip().lower() for c in (header or "").split(",") if c.strip()]
        for coding in reversed(codings):
            if coding in ("gzip", "x-gzip", "deflate"):
                self.steps.append(_Inflate(coding, limit))
            elif coding == "br" and _HAS_BROTLI:
                self.steps.append(_Brotli(limit))
            elif coding != "identity":
                raise ValueError(coding)

    def feed(self, data: bytes) -> bytes:
        for step in self.steps:
            data = step.feed(data)
        return data

    def flush(self) -> bytes:
        data = b""
        for step in self.steps:
            data = step.feed(data) + step.flush()
        return data


# --- fetching ----------------------------------------------------------------


def make_client(limits: FetchLimits = DEFAULT_LIMITS) -> httpx.AsyncClient:
    """A client for `fetch`: no redirects, no proxies from the environment."""
    return httpx.AsyncClient(
        follow_redirects=False,
        trust_env=False,
        timeout=_timeout(limits),
        headers={"User-Agent": USER_AGENT},
    )


def _timeout(limits: FetchLimits) -> httpx.Timeout:
    return httpx.Timeout(
        connect=limits.connect_timeout,
        read=limits.read_timeout,
        write=limits.read_timeout,
        pool=limits.connect_timeout,
    )


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f}".rstrip("0").rstrip(".").replace(".", ",") + " MB"
    return f"{max(1, n // 1024)} KB"


def _media_type(header: str | None) -> tuple[str | None, str | None]:
    if not header:
        return None, None
    kind, *params = header.split(";")
    charset = None
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
    return kind.strip().lower() or None, charset


def _sniff(body: bytes) -> str | None:
    """Media type of a response that did not declare one (markup only)."""
    head = body[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<?xml", b"<rss", b"<feed", b"<rdf")):
        return "application/xml"
    if head.startswith(b"<"):
        return "text/html"
    return None


async def fetch(
    url: str,
    *,
    allow_private: bool | AddressPolicy = False,
    etag: str | None = None,
    last_modified: str | None = None,
    limits: FetchLimits = DEFAULT_LIMITS,
    client: httpx.AsyncClient | None = None,
) -> FetchResult:
    """GET `url` within `limits`; raise `UnsafeURLError` or `FetchError`."""
    try:
        async with asyncio.timeout(limits.deadline):
            if client is not None:
                return await _follow(client, url, allow_private, etag, last_modified, limits)
            async with make_client(limits) as own:
                return await _follow(own, url, allow_private, etag, last_modified, limits)
    except TimeoutError:
        raise FetchError(
            f"Không tải được {url}: quá thời gian chờ ({limits.deadline:g} giây)."
        ) from None


async def _follow(
    client: httpx.AsyncClient,
    url: str,
    allow_private: bool | AddressPolicy,
    etag: str | None,
    last_modified: str | None,
    limits: FetchLimits,
) -> FetchResult:
    current = url
    for hop in range(limits.max_redirects + 1):
        try:
            addresses = await check_url(current, allow_private=allow_private)
        except UnsafeURLError as exc:
            if hop:
                raise UnsafeURLError(f"{exc} (chuyển hướng từ {url})") from None
            raise
        try:
            response = await _send(
                client, httpx.URL(current), addresses, etag, last_modified, limits
            )
            try:
                if response.status_code in _REDIRECTS:
                    location = response.headers.get("location")
                    if not location:
                        raise FetchError(f"Không tải được {current}: HTTP {response.status_code}.")
                    current = str(httpx.URL(current).join(location))
                    continue
                return await _read(response, url, current, etag, last_modified, limits)
            finally:
                await response.aclose()
        except httpx.TimeoutException:
            raise FetchError(f"Không tải được {current}: quá thời gian chờ.") from None
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise FetchError(f"Không tải được {current}: lỗi kết nối ({exc}).") from None
    raise FetchError(
        f"Không tải được {url}: quá nhiều lần chuyển hướng (hơn {limits.max_redirects})."
    )


async def _send(
    client: httpx.AsyncClient,
    url: httpx.URL,
    addresses: list[str],
    etag: str | None,
    last_modified: str | None,
    limits: FetchLimits,
) -> httpx.Response:
    """Send to the first checked address that accepts a connection."""
    for address in addresses[:-1]:
        request = _request(client, url, address, etag, last_modified, limits)
        try:
            return await client.send(request, stream=True, follow_redirects=False)
        except httpx.ConnectError:
            continue
    request = _request(client, url, addresses[-1], etag, last_modified, limits)
    return await client.send(request, stream=True, follow_redirects=False)


def _request(
    client: httpx.AsyncClient,
    url: httpx.URL,
    address: str,
    etag: str | None,
    last_modified: str | None,
    limits: FetchLimits,
) -> httpx.Request:
    """A request to the checked `address` that still names the original host."""
    headers = {
        "Host": url.netloc.decode("ascii"),
        "User-Agent": USER_AGENT,
        "Accept": _ACCEPT,
        "Accept-Encoding": _ACCEPT_ENCODING,
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    host = url.raw_host.decode("ascii")
    extensions: dict[str, str] = {}
    if url.scheme == "https" and host != address:
        extensions["sni_hostname"] = host
        # The pool keys connections by (scheme, IP, port), not by SNI: never
        # hand this TLS connection, verified for `host`, to another name.
        headers["Connection"] = "close"
    return client.build_request(
        "GET",
        url.copy_with(host=address),
        headers=headers,
        timeout=_timeout(limits),
        extensions=extensions,
    )


async def _read(
    response: httpx.Response,
    url: str,
    final_url: str,
    etag: str | None,
    last_modified: str | None,
    limits: FetchLimits,
) -> FetchResult:
    status = response.status_code
    new_etag = response.headers.get("etag") or etag
    new_modified = response.headers.get("last-modified") or last_modified
    media, charset = _media_type(response.headers.get("content-type"))
    if status == 304:
        return FetchResult(
            url, final_url, status, media, charset, b"", new_etag, new_modified, True
        )
    if not 200 <= status < 300:
        raise FetchError(f"Không tải được {final_url}: HTTP {status}.")
    if media == "application/octet-stream":  # a common server default: look instead
        media = None
    if media and media not in limits.accepted_types:
        raise FetchError(f"Không tải được {final_url}: kiểu nội dung không hỗ trợ ({media}).")
    too_big = FetchError(f"Không tải được {final_url}: vượt giới hạn {_size(limits.max_bytes)}.")
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        raise too_big
    try:
        decoder = _Chain(response.headers.get("content-encoding"), limits.max_bytes)
    except ValueError as exc:
        raise FetchError(f"Không tải được {final_url}: kiểu nén không hỗ trợ ({exc}).") from None
    body = bytearray()
    received = 0
    try:
        async for chunk in response.aiter_raw(_CHUNK):
            received += len(chunk)
            if received > limits.max_bytes:
                raise too_big
            body += decoder.feed(chunk)
        body += decoder.flush()
    except _OverLimit:
        raise too_big from None
    except zlib.error:
        raise FetchError(f"Không tải được {final_url}: dữ liệu nén bị hỏng.") from None
    media = media or _sniff(bytes(body[:1024]))
    if media is None:
        raise FetchError(f"Không tải được {final_url}: kiểu nội dung không hỗ trợ (không rõ).")
    return FetchResult(
        url, final_url, status, media, charset, bytes(body), new_etag, new_modified, False
    )
