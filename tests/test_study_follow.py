"""Follow-ups: /theodoi, /botheodoi, /dangtheodoi; one digest per chat after an update."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.texts import ALREADY_FOLLOWING as ALREADY
from bot.texts import FOLLOWING_ALL, GROUP_ADMINS_ONLY, NOTHING_FOLLOWED
from index.store import Store
from tests.support.harness import ADMIN_ID, Running, running_bot
from tests.support.study import ask

GROUP = -100777
MIGRATING = -100888
SUPERGROUP = -100999
CHAIR, MEMBER, BLOCKER = 7, 8, 55


@pytest.fixture
async def h(tmp_path: Path) -> AsyncIterator[Running]:
    async with running_bot(tmp_path) as running:
        running.api.chat_admins = {GROUP: {CHAIR}, MIGRATING: {CHAIR}}
        yield running


async def in_group(h: Running, text: str, user_id: int = CHAIR, chat: int = GROUP) -> str:
    h.api.push_update(h.api.group_message(text, chat, user_id=user_id))
    return str((await h.api.wait_for("sendMessage", lambda p: p["chat_id"] == chat))["text"])


def write_articles(folder: Path) -> Path:
    folder.mkdir()
    (folder / "a.md").write_text(
        "---\ntitle: Xã Yên Phú học tập Kết luận 21\nurl: https://tin.example/yen-phu\n"
        "published: 2022-03-01\n---\nĐảng ủy xã Yên Phú học tập Kết luận số 21-KL/TW "
        "ngày 25-10-2021 của Ban Chấp hành Trung ương.\n",
        encoding="utf-8",
    )
    (folder / "b.md").write_text(
        "---\ntitle: Triển khai Chỉ thị 35 về đại hội\nurl: https://tin.example/chi-thi-35\n"
        "published: 2024-07-01\n---\nChỉ thị số 35-CT/TW ngày 14-6-2024 của Bộ Chính trị về "
        "đại hội đảng bộ các cấp được triển khai tới chi bộ.\n",
        encoding="utf-8",
    )
    return folder


async def test_group_admins_follow_and_get_one_digest_after_addsource(
    h: Running, tmp_path: Path
) -> None:
    assert await in_group(h, "/theodoi", user_id=MEMBER) == GROUP_ADMINS_ONLY
    assert await in_group(h, "/theodoi@vankien_test_bot") == FOLLOWING_ALL
    assert "Kết luận số 21-KL/TW" in await in_group(h, "/theodoi KL21")
    assert await in_group(h, "/theodoi ket luan 21") == ALREADY
    assert "Chưa có văn bản “CT 99”" in await in_group(h, "/theodoi CT 99")
    listing = await in_group(h, "/dangtheodoi", user_id=MEMBER)  # anyone may look
    assert "mọi văn bản và tin bài mới" in listing and "tin bài mới về 21-KL/TW" in listing

    assert await in_group(h, "/theodoi", chat=MIGRATING) == FOLLOWING_ALL
    assert (await ask(h, "/theodoi", user_id=BLOCKER))["text"] == FOLLOWING_ALL
    await asyncio.sleep(1.5)  # the first check finds nothing new: no message
    assert [m for m in h.api.sent(GROUP) if "🔔" in m["text"]] == []

    h.api.blocked.add(BLOCKER)
    h.api.migrated[MIGRATING] = SUPERGROUP
    h.api.push_update(
        h.api.private_message(f"/addsource {write_articles(tmp_path / 'new')}", ADMIN_ID)
    )
    digest = await h.api.wait_for(
        "sendMessage", lambda p: p["chat_id"] == GROUP and "🔔" in p["text"], timeout=15
    )
    text = digest["text"]
    assert "Văn bản mới được nhắc tới:</b>\n• Chỉ thị số 35-CT/TW" in text
    assert "Kết luận số 21" not in text.split("Tin bài mới:")[0]  # not new: known before
    news = text.split("<b>Tin bài mới:</b>")[1].split("<b>Về")[0]
    assert "Triển khai Chỉ thị 35" in news and "Xã Yên Phú" in news
    about = text.split("<b>Về 21-KL/TW:</b>")[1]
    assert "Xã Yên Phú" in about and "Chỉ thị 35" not in about
    moved = await h.api.wait_for("sendMessage", lambda p: p["chat_id"] == SUPERGROUP, timeout=10)
    assert "🔔" in moved["text"]
    await asyncio.sleep(6)  # another check: nothing new, nothing sent again
    assert len([m for m in h.api.sent(GROUP) if "🔔" in m["text"]]) == 1
    assert await h.service.following(BLOCKER) == []
    assert await h.service.following(MIGRATING) == []
    assert len(await h.service.following(SUPERGROUP)) == 1

    # subscriptions are rows in the database file: they survive restarts and backups
    store = await Store.open(h.settings.db)
    try:
        assert {row[0] for row in await store.subscriptions()} == {GROUP, SUPERGROUP}
    finally:
        await store.close()


async def test_unfollow_and_migration_message(h: Running) -> None:
    await in_group(h, "/theodoi")
    await in_group(h, "/theodoi 21-KL/TW")
    assert await in_group(h, "/botheodoi", user_id=MEMBER) == GROUP_ADMINS_ONLY
    assert await in_group(h, "/botheodoi KL21") == "Đã bỏ 1 mục theo dõi."
    assert await in_group(h, "/botheodoi KL21") == NOTHING_FOLLOWED
    update = h.api.group_message("", GROUP, entities=[])
    update["message"].pop("text")
    update["message"]["migrate_to_chat_id"] = SUPERGROUP
    h.api.push_update(update)
    for _ in range(50):
        if await h.service.following(SUPERGROUP):
            break
        await asyncio.sleep(0.1)
    assert [f.key for f in await h.service.following(SUPERGROUP)] == [""]
    assert "chưa theo dõi gì" in await in_group(h, "/dangtheodoi")
    private = await ask(h, "/botheodoi")
    assert private["text"] == NOTHING_FOLLOWED
