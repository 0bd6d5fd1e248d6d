"""`vankien` end to end, as a user runs it: a real process in a temp folder."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "articles"


def vankien(cwd: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VANKIEN_", "TELEGRAM_"))}
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=cwd,
        env={**env, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    articles = tmp_path / "articles"
    shutil.copytree(FIXTURES, articles)
    (articles / "broken.md").write_bytes(b"---\ntitle: x\npublished: 2021-13-45\n---\nnoi dung")
    (articles / "empty.txt").write_text("", encoding="utf-8")
    return tmp_path


def test_new_database_starts_empty_and_says_not_found(workdir: Path) -> None:
    result = vankien(workdir, "ask", "--json", "Kết luận 21 nói về gì?")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["found"] is False and data["passages"] == []
    assert "Chưa có Kết luận số 21" in data["text"]
    assert not (workdir / "data").exists()  # a question writes nothing, not even a new file
    assert vankien(workdir, "ingest", "articles").returncode == 0
    assert (workdir / "data" / "vankien.db").exists()  # the default VANKIEN_DB


def test_ingest_reports_each_file_and_skips_broken_ones(workdir: Path) -> None:
    result = vankien(workdir, "ingest", "articles")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert sum(line.startswith("đã thêm") for line in lines) == 2
    assert any(line.startswith("lỗi") and "YYYY-MM-DD" in line for line in lines)
    assert any(line.startswith("lỗi") and "empty.txt" in line for line in lines)
    again = vankien(workdir, "ingest", "articles")
    assert sum(line.startswith("không đổi") for line in again.stdout.splitlines()) == 2


def test_ask_plain_json_and_stdin_batch(workdir: Path) -> None:
    vankien(workdir, "ingest", "articles")
    plain = vankien(workdir, "ask", "Kết luận 21 nói về gì?")
    assert plain.stdout.splitlines()[0].startswith("Kết luận số 21-KL/TW ngày 25-10-2021")
    assert "Lưu ý" in plain.stdout

    as_json = vankien(workdir, "ask", "--json", "QĐ 41 ban hành ngày nào?")
    data = json.loads(as_json.stdout)
    assert data["kind"] == "date" and data["directive"]["id"] == "41-QĐ/TW"
    assert data["text"].splitlines()[0] == "Quy định số 41-QĐ/TW được ban hành ngày 03-11-2021."

    batch = vankien(workdir, "ask", "--json", stdin="ket luan 21 noi ve gi\n\nKL 99\n")
    answers = [json.loads(line) for line in batch.stdout.splitlines()]
    assert [a["found"] for a in answers] == [True, False]


def test_stats_sources_and_reindex(workdir: Path) -> None:
    vankien(workdir, "ingest", "articles")
    stats = vankien(workdir, "stats").stdout
    assert "Bài viết: 2" in stats
    sources = vankien(workdir, "sources").stdout
    assert "articles" in sources and "2 bài" in sources
    reindex = vankien(workdir, "reindex")  # nothing changed: nothing is rebuilt
    assert reindex.returncode == 0 and "giữ nguyên (thế hệ 1)" in reindex.stdout
    reindex = vankien(workdir, "reindex", "--full")
    assert reindex.returncode == 0 and "toàn bộ chỉ mục (thế hệ 2)" in reindex.stdout
    assert json.loads(vankien(workdir, "ask", "--json", "KL21").stdout)["found"] is True


def test_exit_codes(workdir: Path) -> None:
    missing = vankien(workdir, "ingest", "no-such-folder")
    assert missing.returncode == 1 and "Không tìm thấy" in missing.stdout
    assert "Traceback" not in missing.stderr
    assert vankien(workdir, "frobnicate").returncode == 2
    bad_setting = subprocess.run(
        [sys.executable, "-m", "bot.cli", "stats"],
        cwd=workdir,
        env={**os.environ, "VANKIEN_REFRESH_MINUTES": "soon",
             "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert bad_setting.returncode == 1 and "VANKIEN_REFRESH_MINUTES" in bad_setting.stderr


def test_chat_answers_like_the_bot(workdir: Path) -> None:
    vankien(workdir, "ingest", "articles")
    chat = vankien(workdir, "chat", stdin="Kết luận 21 nói về gì?\n/them\n/thoat\n")
    assert chat.returncode == 0
    assert "Kết luận số 21-KL/TW ngày 25-10-2021" in chat.stdout
    ask = vankien(workdir, "ask", "Kết luận 21 nói về gì?").stdout.strip()
    assert ask in chat.stdout
