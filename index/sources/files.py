"""Read article files: .txt/.md with optional front matter, and .html."""

from __future__ import annotations

import codecs
import errno
import re
import stat
from datetime import date
from pathlib import Path

from charset_normalizer import from_bytes

from index.errors import ExtractionError
from index.models import RawArticle
from index.normalize import clean_line

SUPPORTED = (".txt", ".md", ".markdown", ".html", ".htm")
MAX_FILE_BYTES = 20 * 1024 * 1024
_FRONT_KEYS = {"title", "url", "published", "source", "author"}


_OS_REASONS = {
    errno.ELOOP: "liên kết tượng trưng vòng quanh chính nó",
    errno.ENOENT: "liên kết trỏ tới tệp không còn tồn tại",
    errno.EACCES: "không có quyền đọc",
    errno.EPERM: "không có quyền đọc",
}


def list_files(folder: Path) -> list[Path]:
    """Supported files below `folder`, in a stable order, hidden ones skipped.

    Broken symbolic links are listed too, so that reading them says why.
    """
    return sorted(
        p
        for p in folder.rglob("*")
        if (p.is_file() or (p.is_symlink() and not p.is_dir()))
        and p.suffix.lower() in SUPPORTED
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def read_article_file(path: Path) -> RawArticle:
    """One article from a file; raises ExtractionError with a readable reason."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a pipe or device would block or never end
            raise ExtractionError(f"{path.name}: không phải tệp thông thường")
        if info.st_size > MAX_FILE_BYTES:
            raise ExtractionError(f"{path.name}: tệp lớn hơn 20 MB")
        data = path.read_bytes()
    except OSError as exc:
        reason = _OS_REASONS.get(exc.errno or 0, exc.strerror)
        raise ExtractionError(f"{path.name}: không đọc được tệp ({reason})") from exc
    if path.suffix.lower() in (".html", ".htm"):
        from index.sources.html import extract_article

        article = extract_article(data)
        return article if article.url else _with_file_url(article, path)
    return _text_article(_decode(data, path), path)


def _decode(data: bytes, path: Path) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Notepad's "Unicode"
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ExtractionError(f"{path.name}: tệp UTF-16 bị hỏng") from None
    if b"\x00" in data[:4096]:
        raise ExtractionError(f"{path.name}: không phải tệp văn bản")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        best = from_bytes(data).best()
        if best is None:
            raise ExtractionError(f"{path.name}: không nhận ra bảng mã ký tự") from None
        return str(best)


def _text_article(text: str, path: Path) -> RawArticle:
    meta, body = split_front_matter(text)
    title = meta.get("title", "")
    if not title:  # the first line is the headline when it reads like one
        first, _, rest = body.strip().partition("\n")
        if first and len(first) <= 250 and not first.rstrip().endswith("."):
            title, body = first, rest
    title = clean_line(title) or path.stem
    if not body.strip():
        raise ExtractionError(f"{path.name}: tệp không có nội dung bài viết")
    published = None
    if meta.get("published"):
        try:
            published = date.fromisoformat(meta["published"][:10])
        except ValueError:
            raise ExtractionError(
                f"{path.name}: ngày “{meta['published']}” không đúng dạng YYYY-MM-DD"
            ) from None
    url = meta.get("url") or path.resolve().as_uri()
    return RawArticle(title, body, url, published, meta.get("author"), meta.get("source"))


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """`---` / key: value lines / `---` at the very top, then the body."""
    m = re.match(r"\A\s*---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", text, flags=re.S)
    if not m:
        return {}, text
    meta = {}
    for line in m.group(1).splitlines():
        key, sep, value = line.partition(":")
        key = key.strip().lower()
        if sep and key in _FRONT_KEYS:
            meta[key] = value.strip().strip("\"'")
    return meta, text[m.end() :]


def _with_file_url(article: RawArticle, path: Path) -> RawArticle:
    from dataclasses import replace

    return replace(article, url=path.resolve().as_uri())
