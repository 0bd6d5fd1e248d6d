"""Turn targets (files, folders, pages, feeds) into stored articles.

Each article is classified against what is stored: added, updated (same
canonical URL, new content), unchanged, duplicate (same content under
another URL: kept once, the URL remembered) or refused (with the reason).
A broken file or feed is reported and skipped; nothing else is lost.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from index.errors import SourceError
from index.models import IngestItem, RawArticle
from index.normalize import clean_line
from index.sources.cleanup import clean_article_text
from index.sources.files import SUPPORTED, list_files, read_article_file
from index.store import Store

_URL_RE = re.compile(r"^https?://", re.I)
# Longer than any news article (the longest seen are ~60,000 characters): a
# 19 MB text dump became 86,000 passages and took the server's memory.
MAX_ARTICLE_CHARS = 300_000


def is_url(target: str) -> bool:
    return bool(_URL_RE.match(target.strip()))


@dataclass
class SourceRead:
    """What reading one source gave."""

    kind: str  # file | folder | page | feed
    articles: list[tuple[str, RawArticle]] = field(default_factory=list)  # (target, article)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (target, reason)
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False


async def read_source(
    location: str,
    *,
    allow_private: bool,
    etag: str | None = None,
    last_modified: str | None = None,
) -> SourceRead:
    """Read a path or URL; raises SourceError when nothing at all can be read."""
    if is_url(location):
        from index.sources.web import load_url

        load = await load_url(
            location, allow_private=allow_private, etag=etag, last_modified=last_modified
        )
        return SourceRead(
            load.kind,
            [(a.found_via or a.url or location, a) for a in load.articles],
            list(load.failures),
            load.etag,
            load.last_modified,
            load.not_modified,
        )
    # listing and reading thousands of files is blocking work: off the event loop
    return await asyncio.to_thread(_read_path, location, etag)


def _read_path(location: str, etag: str | None) -> SourceRead:
    path = Path(location).expanduser()
    if path.is_dir():
        files = list_files(path)
        read = SourceRead("folder", etag=_fingerprint(path, files))
        if read.etag is not None and read.etag == etag:  # as a web server's 304: nothing to re-read
            read.not_modified = True
            return read
        for file in files:
            _read_file_into(read, file)
        if not read.articles and not read.failures:
            raise SourceError(f"Thư mục {path} không có tệp .txt, .md hoặc .html nào")
        return read
    if path.is_file() or path.is_symlink():  # a broken link is read to say why
        if path.suffix.lower() not in SUPPORTED:
            raise SourceError(f"{path.name}: chỉ nhận tệp .txt, .md hoặc .html")
        read = SourceRead("file", etag=_fingerprint(path.parent, [path]))
        if read.etag is not None and read.etag == etag:
            read.not_modified = True
            return read
        _read_file_into(read, path)
        return read
    raise SourceError(f"Không tìm thấy tệp hoặc thư mục {location}")


def _fingerprint(folder: Path, files: list[Path]) -> str | None:
    """Names, sizes and modification times: a file source's ETag. A refresh
    of an unchanged folder then costs one listing, not reading every file.
    None (read everything) when a file cannot be looked at, e.g. a broken link:
    reading it says why, and its target may come back."""
    digest = hashlib.sha256()
    for file in files:
        try:
            stat = file.stat()
        except OSError:
            return None
        digest.update(f"{file.relative_to(folder)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return "files:" + digest.hexdigest()


def _read_file_into(read: SourceRead, file: Path) -> None:
    try:
        read.articles.append((str(file), read_article_file(file)))
    except SourceError as exc:
        read.failures.append((str(file), str(exc)))


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


async def store_article(store: Store, source_id: int, target: str, raw: RawArticle) -> IngestItem:
    """Save one article and say what happened to it."""
    title = clean_line(raw.title)
    if raw.needs_review:
        return IngestItem(target, "refused", title, raw.needs_review)
    raw_text, cut = _capped(raw.text)
    text, byline = clean_article_text(raw_text)
    if len(text) < 40:
        return IngestItem(target, "refused", title, "không có nội dung bài viết")
    if not raw.url:
        return IngestItem(target, "refused", title, "không xác định được địa chỉ bài viết")
    digest = content_hash(title + "\n" + text)
    fields = dict(
        title=title or "(không có tiêu đề)",
        published=raw.published,
        author=raw.author or byline,
        site=raw.source,
        content_hash=digest,
        text=text,
        needs_review=None,
    )
    existing = await store.article_by_url(raw.url)
    if existing is not None:
        if existing.content_hash == digest:
            return IngestItem(target, "unchanged", title)
        if _claims_other_host(raw):
            # a page may name any canonical URL; it must not overwrite another site's article
            await store.add_other_url(existing.id, raw.found_via or target)
            return IngestItem(target, "duplicate", title, f"bản đăng lại của bài đã có ({raw.url})")
        await store.update_article(existing.id, **fields)  # type: ignore[arg-type]
        return IngestItem(target, "updated", title, cut)
    twin = await store.article_by_hash(digest)
    if twin is not None:
        await store.add_other_url(twin.id, raw.url)
        return IngestItem(target, "duplicate", title, f"trùng nội dung với bài đã có ({twin.url})")
    await store.insert_article(source_id=source_id, url=raw.url, **fields)  # type: ignore[arg-type]
    return IngestItem(target, "added", title, cut)


def _capped(text: str) -> tuple[str, str]:
    """At most MAX_ARTICLE_CHARS, cut at a paragraph end, and the note saying so."""
    if len(text) <= MAX_ARTICLE_CHARS:
        return text, ""
    end = text.rfind("\n\n", 0, MAX_ARTICLE_CHARS)
    text = text[: end if end > MAX_ARTICLE_CHARS // 2 else MAX_ARTICLE_CHARS]
    return text, f"bài quá dài: chỉ lấy {MAX_ARTICLE_CHARS:,} ký tự đầu".replace(",", ".")


def _claims_other_host(raw: RawArticle) -> bool:
    if not raw.found_via or not raw.url:
        return False
    return urlsplit(raw.found_via).hostname != urlsplit(raw.url).hostname
