"""Quiz: questions only from backed facts, real wrong options, /kiemtra polls and rounds."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.study import QUIZ_JOB, QUIZ_PACE_SECONDS
from bot.texts import NO_QUIZ_ABOUT, QUIZ_BUSY
from index.citation import slash_date
from index.live import LiveIndex
from index.models import Directive
from index.quiz import make_question, quiz_round
from index.service import SearchService
from tests.support.harness import Running, running_bot

GROUP = -100321

# (file, title, published, text): three Nghị quyết of 2020-2023, one date disputed
ARTICLES = (
    ("a", "Quán triệt Nghị quyết 11", "2021-03-01",
     "Nghị quyết số 11-NQ/TW ngày 10-1-2021 của Bộ Chính trị về phát triển vùng biên giới "
     "được quán triệt tới chi bộ."),
    ("b", "Thực hiện Nghị quyết 11", "2021-04-01",
     "Tỉnh ủy học tập Nghị quyết số 11-NQ/TW ngày 10-1-2021 của Bộ Chính trị về phát triển "
     "vùng biên giới."),
    ("c", "Nghị quyết 12 về chuyển đổi số", "2022-05-01",
     "Nghị quyết số 12-NQ/TW ngày 5-3-2022 của Ban Bí thư về chuyển đổi số trong cơ quan đảng."),
    ("d", "Bài khác về Nghị quyết 12", "2022-06-01",
     "Nghị quyết số 12-NQ/TW ngày 6-3-2022 của Ban Bí thư về chuyển đổi số trong cơ quan đảng."),
    ("e", "Nghị quyết 13 về nông nghiệp", "2023-02-01",
     "Nghị quyết số 13-NQ/TW ngày 20-1-2023 của Ban Chấp hành Trung ương về nông nghiệp xanh."),
    ("f", "Nghị quyết 40 năm 2005", "2005-02-01",
     "Nghị quyết số 40-NQ/TW ngày 2-1-2005 của Bộ Chính trị về văn hóa cơ sở."),
)  # fmt: skip


def write_corpus(folder: Path) -> Path:
    folder.mkdir()
    for slug, title, published, text in ARTICLES:
        (folder / f"{slug}.md").write_text(
            f"---\ntitle: {title}\nurl: https://tin.example/{slug}\npublished: {published}\n"
            f"---\n{text}\n",
            encoding="utf-8",
        )
    return folder


@pytest.fixture
async def live(tmp_path: Path) -> AsyncIterator[LiveIndex]:
    service = await SearchService.open(tmp_path / "q.db")
    try:
        await service.ingest([str(write_corpus(tmp_path / "corpus"))])
        yield service.live
    finally:
        await service.close()


def _doc(live: LiveIndex, number: str) -> Directive:
    [d] = [d for d in live.directives.values() if d.number == number]
    return d


def test_backed_facts_only_and_real_wrong_options(live: LiveIndex) -> None:
    rng = random.Random(0)
    nq11, nq12 = _doc(live, "11"), _doc(live, "12")
    q = make_question(live, nq11, "date", rng)
    assert q is not None and q.options[q.correct] == "10/01/2021" == slash_date(nq11.date)
    # wrong dates are those of real Nghị quyết of a similar period (not the 2005 one)
    # wrong dates are those of real Nghị quyết of a similar period (not the 2005 one)
    assert set(q.options) - {"10/01/2021"} <= {"05/03/2022", "06/03/2022", "20/01/2023"}
    assert q.explanation in ("Nguồn: “Quán triệt Nghị quyết 11”, 01/03/2021",
                             "Nguồn: “Thực hiện Nghị quyết 11”, 01/04/2021")  # fmt: skip
    # one article against one on the date of Nghị quyết 12: not asked
    assert make_question(live, nq12, "date", rng) is None
    issuer = make_question(live, nq11, "issuer", rng)
    assert issuer is not None and issuer.options[issuer.correct] == "Bộ Chính trị"
    assert set(issuer.options) == {"Bộ Chính trị", "Ban Bí thư", "Ban Chấp hành Trung ương"}
    subject = make_question(live, nq11, "subject", rng)
    assert subject is not None and "phát triển vùng biên giới" in subject.question
    assert subject.options[subject.correct].startswith("Nghị quyết số 11-NQ/TW")
    assert all(o.startswith("Nghị quyết số 1") for o in subject.options)


def test_round_has_no_repeats(live: LiveIndex) -> None:
    questions = quiz_round(live, 10, seed=3)
    assert len(questions) >= 4
    assert len({q.question for q in questions}) == len(questions)
    for q in questions:
        assert 3 <= len(q.options) <= 4 and len(set(q.options)) == len(q.options)


# --------------------------------------------------------------------------- bot


@pytest.fixture
async def h(tmp_path: Path) -> AsyncIterator[Running]:
    async with running_bot(tmp_path) as running:
        yield running


def _correct_for(record: Directive, poll: dict[str, Any]) -> None:
    """The option marked correct is what the record says."""
    answer = poll["options"][poll["correct_option_ids"][0]]
    answer = answer["text"] if isinstance(answer, dict) else answer
    question = poll["question"]
    if "ngày nào" in question:
        assert answer == slash_date(record.date)
    elif question.startswith("Cơ quan nào"):
        assert answer == record.issuer
    else:
        assert answer.startswith(f"{record.type} số {record.id}")


async def test_kiemtra_about_a_document_matches_the_record(h: Running) -> None:
    record = h.service.live.directives["KL|21|TW|2021"]
    for _ in range(3):
        h.api.push_update(h.api.private_message("/kiemtra KL21"))
        poll = await h.api.wait_for("sendPoll")
        assert poll["type"] == "quiz" and poll["explanation"].startswith("Nguồn: “")
        _correct_for(record, poll)
    h.api.push_update(h.api.private_message("/kiemtra Chỉ thị 05"))  # no other Chỉ thị
    text = (await h.api.wait_for("sendMessage"))["text"]
    assert text == NO_QUIZ_ABOUT.format(
        name="Chỉ thị số 05-CT/TW ngày 15-05-2016 của Bộ Chính trị (khóa XII)"
    )
    h.api.push_update(h.api.private_message("/kiemtra CT 99"))
    assert "Chưa có văn bản" in (await h.api.wait_for("sendMessage"))["text"]
    h.api.push_update(h.api.private_message("/kiemtra 50"))
    assert "tối đa 10" in (await h.api.wait_for("sendMessage"))["text"]


async def test_round_in_a_group_at_a_humane_pace(h: Running) -> None:
    h.api.push_update(h.api.group_message("/kiemtra@vankien_test_bot 3", GROUP))
    intro = await h.api.wait_for("sendMessage", lambda p: p["chat_id"] == GROUP)
    assert "3 câu" in intro["text"] and f"{QUIZ_PACE_SECONDS} giây" in intro["text"]
    first = await h.api.wait_for("sendPoll")
    assert h.app.job_queue is not None
    jobs = h.app.job_queue.get_jobs_by_name(QUIZ_JOB.format(chat_id=GROUP))
    assert len(jobs) == 2
    gaps = sorted(j.next_t.timestamp() for j in jobs if j.next_t)
    assert gaps[1] - gaps[0] == pytest.approx(QUIZ_PACE_SECONDS, abs=1)

    h.api.push_update(h.api.group_message("/kiemtra@vankien_test_bot", GROUP))
    busy = await h.api.wait_for("sendMessage", lambda p: p["chat_id"] == GROUP)
    assert busy["text"] == QUIZ_BUSY

    for job in jobs:  # what the job queue does when their time comes
        await job.run(h.app)
        job.schedule_removal()
    polls = [first, await h.api.wait_for("sendPoll"), await h.api.wait_for("sendPoll")]
    assert all(p["chat_id"] == GROUP for p in polls)
    assert len({p["question"] for p in polls}) == 3  # no repeats within a round
    for poll in polls:  # each correct option is what its record says
        _correct_for(_record_asked(h.service.live, poll["question"]), poll)


def _record_asked(live: LiveIndex, question: str) -> Directive:
    named = [d for d in live.directives.values()
             if f"{d.type} số {d.id}" in question or (d.subject and d.subject in question)]  # fmt: skip
    if len(named) > 1:  # documents sharing a number are told apart by their subject
        named = [d for d in named if d.subject and d.subject[:60] in question]
    [record] = named
    return record
