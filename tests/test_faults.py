"""Faults of the disk, the database file and the input, as an admin meets them.

Real processes, real SQLite files, real faults: a file-size limit set on the
child process, an immutable (or read-only) database file, corrupted pages,
symlink loops. Each one ends in one Vietnamese line, no traceback, and
nothing already stored is lost.
"""

from __future__ import annotations

import asyncio
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from index.ingest import MAX_ARTICLE_CHARS
from index.service import SearchService
from index.sources.files import read_article_file

ROOT = Path(__file__).resolve().parents[1]
SENTENCE = "Chi bộ thôn học tập Kết luận số 21-KL/TW về xây dựng, chỉnh đốn Đảng. "


def article(folder: Path, name: str, code: str, repeat: int = 4) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.md"
    path.write_text(
        f"---\ntitle: Bài {name}\nurl: https://tin.example/{name}\n---\n"
        f"Mã riêng {code}.\n\n" + (SENTENCE * repeat + "\n\n") * 3,
        encoding="utf-8",
    )
    return path


def cli(
    db: Path, *args: str, file_size_limit: int | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VANKIEN_", "TELEGRAM_"))}

    def limit() -> None:
        if file_size_limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))

    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=db.parent if db.parent.is_dir() else ROOT,
        env={**env, "VANKIEN_DB": str(db), "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=180,
        preexec_fn=limit,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


async def indexed_db(tmp_path: Path) -> Path:
    db = tmp_path / "v.db"
    service = await SearchService.open(db)
    try:
        await service.ingest([str(article(tmp_path / "old", "cu", "masocux"))])
    finally:
        await service.close()
    return db


# -- item 4: faults mid-ingest --------------------------------------------------------


async def test_file_size_limit_mid_ingest_stops_cleanly_and_reindex_repairs(
    tmp_path: Path,
) -> None:
    db = await indexed_db(tmp_path)
    for i in range(40):
        article(tmp_path / "new", f"moi{i}", f"masomoi{i}x", repeat=12)
    limit = db.stat().st_size + 96 * 1024  # room for some articles, not for all
    failed = cli(db, "ingest", str(tmp_path / "new"), file_size_limit=limit)
    assert failed.returncode == 1
    assert failed.stderr.startswith("vankien: Không ghi được vào")
    assert "giới hạn kích thước tệp" in failed.stderr and len(failed.stderr.splitlines()) == 1

    old = cli(db, "ask", "masocux")  # the previous index keeps serving
    assert old.returncode == 0 and "Bài cu" in old.stdout
    check = cli(db, "check")
    assert check.returncode == 1
    assert "bài viết đã lưu nhưng chưa có trong chỉ mục" in check.stderr
    assert "vankien reindex" in check.stderr

    assert cli(db, "reindex").returncode == 0
    assert cli(db, "check").returncode == 0
    service = await SearchService.open(db, readonly=True)
    try:
        with sqlite3.connect(db) as conn:
            stored = {r[0] for r in conn.execute("SELECT id FROM articles")}
        assert len(stored) > 1 and set(service.live.passage_articles.tolist()) == stored
    finally:
        await service.close()


def test_an_empty_target_is_a_usage_error(tmp_path: Path) -> None:
    result = cli(tmp_path / "v.db", "ingest", "")
    assert result.returncode == 2 and "đường dẫn trống" in result.stderr
    assert not (tmp_path / "v.db").exists()  # not "the current folder"


def test_bad_links_in_a_folder_are_skipped_with_their_reason(tmp_path: Path) -> None:
    folder = tmp_path / "bai"
    article(folder, "tot", "masototx")
    (folder / "vong.md").symlink_to("vong.md")  # a link to itself
    (folder / "mat.md").symlink_to(tmp_path / "khong-co.md")
    db = tmp_path / "v.db"
    result = cli(db, "ingest", str(folder))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any(line.startswith("đã thêm") and "Bài tot" in line for line in lines)
    assert any(line.startswith("lỗi") and "vong.md" in line and "vòng" in line for line in lines)
    assert any(
        line.startswith("lỗi") and "mat.md" in line and "không còn" in line for line in lines
    )

    alone = cli(db, "ingest", str(folder / "vong.md"))
    assert alone.returncode == 1 and "vòng quanh chính nó" in alone.stdout


def test_failed_targets_are_not_registered_as_sources(tmp_path: Path) -> None:
    broken = tmp_path / "hong.md"
    broken.write_text("---\ntitle: x\npublished: 2021-13-45\n---\nNội dung.\n", "utf-8")
    db = tmp_path / "v.db"
    assert cli(db, "ingest", str(broken), str(tmp_path / "khong-co")).returncode == 1
    assert "Chưa có nguồn nào" in cli(db, "sources").stdout


# -- also: UTF-16 text and a huge article ----------------------------------------------


def test_utf16_text_files_are_read(tmp_path: Path) -> None:
    for encoding in ("utf-16", "utf-16-be"):  # Notepad's "Unicode" (with its byte order mark)
        path = tmp_path / f"{encoding}.txt"
        text = "Hội nghị quán triệt Kết luận 21\n\nĐảng bộ xã học tập nghị quyết.\n"
        data = text.encode(encoding)
        path.write_bytes(data if encoding == "utf-16" else b"\xfe\xff" + data)
        read = read_article_file(path)
        assert read.title == "Hội nghị quán triệt Kết luận 21"
        assert "Đảng bộ xã học tập" in read.text


async def test_a_huge_article_is_capped(tmp_path: Path) -> None:
    folder = tmp_path / "lon"
    folder.mkdir()
    paragraph = "Đảng bộ tỉnh quán triệt Kết luận số 21-KL/TW đến từng chi bộ trong tỉnh. " * 5
    count = MAX_ARTICLE_CHARS // len(paragraph) + 200
    (folder / "dai.txt").write_text(
        "Bài rất dài\n\n" + "\n\n".join(paragraph for _ in range(count)), "utf-8"
    )
    service = await SearchService.open(tmp_path / "v.db")
    try:
        report = await service.ingest([str(folder)])
        item = report.items[0]
        assert item.status == "added" and "bài quá dài" in item.reason
        assert service.live.size <= MAX_ARTICLE_CHARS // len(paragraph) + 1
    finally:
        await service.close()


# -- item 5: permission, corruption, odd database paths ---------------------------------


@contextmanager
def unwritable(path: Path) -> Iterator[Path]:
    """`path` made unwritable for this user: immutable for root, mode 0444 for others."""
    if os.geteuid() == 0:
        if shutil.which("chattr") is None:
            pytest.skip("root without chattr cannot make a read-only file")
        if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode:
            pytest.skip("this file system does not support chattr +i")
    else:
        path.chmod(0o444)
    try:
        yield path
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(path)], check=False)
        path.chmod(0o644)


def test_a_read_only_database_says_permission_not_corruption(tmp_path: Path) -> None:
    db = tmp_path / "ro.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE t(x)")
    with unwritable(db):
        result = cli(db, "ingest", str(article(tmp_path / "a", "x", "masox")))
    assert result.returncode == 1
    assert "Không ghi được cơ sở dữ liệu" in result.stderr and "chown" in result.stderr
    assert "hỏng" not in result.stderr


async def test_read_only_commands_never_write(tmp_path: Path) -> None:
    db = await indexed_db(tmp_path)
    before = db.read_bytes()
    with unwritable(db):
        for args in (("ask", "masocux"), ("stats",), ("sources",), ("check",)):
            result = cli(db, *args)
            assert result.returncode == 0, (args, result.stderr)
        assert "Bài cu" in cli(db, "ask", "masocux").stdout
    assert db.read_bytes() == before


async def test_corrupted_pages_give_the_same_advice_in_check_stats_and_backup(
    tmp_path: Path,
) -> None:
    db = await indexed_db(tmp_path)
    with sqlite3.connect(db) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'passages'")
        root_page = root.fetchone()[0]
    with db.open("r+b") as f:  # scribble over the passages table's root page
        f.seek((root_page - 1) * page_size)
        f.write(b"\xde\xad\xbe\xef" * (page_size // 4))
    for args in (("check",), ("stats",), ("backup", str(tmp_path / "copy.db"))):
        result = cli(db, *args)
        assert result.returncode == 1, args
        assert "hỏng" in result.stderr or "có vấn đề" in result.stderr, args
        assert ".recover" in result.stderr and "bản sao lưu gần nhất" in result.stderr, args
    assert not (tmp_path / "copy.db").exists()


def test_database_path_that_is_a_folder(tmp_path: Path) -> None:
    for args in (("stats",), ("ask", "Kết luận 21"), ("check",), ("ingest", "x.md")):
        result = cli(tmp_path, *args)
        assert result.returncode == 1, args
        assert "là một thư mục" in result.stderr, (args, result.stderr)


def test_an_empty_database_file_is_not_silently_replaced(tmp_path: Path) -> None:
    db = tmp_path / "v.db"
    db.touch()
    for args in (("stats",), ("ask", "Kết luận 21"), ("ingest", "x.md"), ("reindex",)):
        result = cli(db, *args)
        assert result.returncode == 1, args
        assert "rỗng (0 byte)" in result.stderr, (args, result.stderr)
    assert db.stat().st_size == 0


@pytest.mark.parametrize("kind", ["folder", "empty file"])
async def test_the_bot_refuses_a_database_path_that_is_not_a_database(
    tmp_path: Path, kind: str
) -> None:
    from tests.support.botapi import BotAPI

    db = tmp_path / "v.db"
    if kind == "folder":
        db.mkdir()
    else:
        db.touch()
    async with BotAPI() as api:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("VANKIEN_", "TELEGRAM_"))}
        env |= {"TELEGRAM_BOT_TOKEN": api.token, "TELEGRAM_BASE_URL": api.base_url,
                "VANKIEN_DB": str(db), "PYTHONPATH": str(ROOT)}  # fmt: skip
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "run", cwd=tmp_path, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        try:
            _out, err = await asyncio.wait_for(proc.communicate(), 60)
        finally:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()
    text = err.decode()
    assert proc.returncode == 1, text
    assert "Traceback" not in text and "Event loop is closed" not in text
    assert ("là một thư mục" if kind == "folder" else "rỗng (0 byte)") in text
