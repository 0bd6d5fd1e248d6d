"""Sentences about a document that do not give its number.

"Chỉ thị do đồng chí … ký." or "Chỉ thị được Bộ Chính trị ban hành ngày …" speaks of
the Chỉ thị the article has just named;
"Ngày 14/4/2025, Bộ Chính trị ban hành Chỉ thị về …" of the one Chỉ thị the
article numbers somewhere. What such a sentence says (date, issuer, signer,
subject) is one more mention of that document; `index.directives` decides
which document it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.doctypes import TYPE_WORDS_PATTERN, WORD_TO_CODE
from index.refs import BODY_RE, JOINT_BODY_RE, PASSIVE_RE, Ref, subject_at
from index.sentence import (
    DATE_AFTER_RE,
    Before,
    body_name,
    day_month,
    facts_before,
    parse_date,
    signed_after,
)

# "Chỉ thị …", "Nghị quyết này …", "Văn bản …" opening a sentence: what follows is said of
# the document last named ("… do đồng chí … ký", "… được Bộ Chính trị ban hành ngày …");
# a qualified name ("Nghị quyết chuyên đề được …") is some other document
_OPENING_RE = re.compile(
    r"(?:^|(?<=[.!?]\s)|(?<=\n))\W*(?P<type>"
    + TYPE_WORDS_PATTERN
    + r"|van ban)(?:\s+(?:nay|tren|noi tren))?(?![\w-])"
)
# "… (đã) (ký) ban hành Chỉ thị (mới) của Bộ Chính trị về …" with no number after the type
# (a qualifier such as "Nghị quyết chuyên đề" names some other, local document)
_ISSUED_RE = re.compile(
    r"(?:ky ban hanh|ban hanh)\s+(?P<type>"
    + TYPE_WORDS_PATTERN
    + r")(?: moi)?(?=\s*(?:[,.;(]|$|cua |ve ))"
)
_SENTENCE_END_RE = re.compile(r"[.!?;](?=\s|$)|\n")


@dataclass(frozen=True)
class Unnamed:
    start: int
    code: str | None  # None for "văn bản": a document of any type
    facts: Before
    subject: str | None = None
    back: bool = True  # the document of that type named last before it; else the only one


def unnamed_mentions(text: str, folded: str, refs: list[Ref]) -> list[Unnamed]:
    """Every sentence of `text` (NFC; `folded` its fold) that speaks of a document by its
    type alone; `refs` are the references found in it."""
    found = []
    for m in _OPENING_RE.finditer(folded):
        signed = signed_after(text, folded, m.end())
        if facts := signed[0] if signed else _issued_after(text, folded, m.end()):
            found.append(Unnamed(m.start("type"), WORD_TO_CODE.get(m.group("type")), facts))
    for m in _ISSUED_RE.finditer(folded):
        code = WORD_TO_CODE[m.group("type")]
        ends = [e.end() for e in _SENTENCE_END_RE.finditer(folded, 0, m.start())]
        start = ends[-1] if ends else 0
        end_match = _SENTENCE_END_RE.search(folded, m.end())
        end = end_match.start() if end_match else len(folded)
        if any(r.code == code and start <= r.start < end for r in refs):
            continue  # the sentence numbers it after all ("… (Chỉ thị số 45-CT/TW)")
        facts = facts_before(text, folded, start, m.start("type"))
        pos = m.end()
        if body := BODY_RE.match(folded, pos):
            if facts.body is None:
                name = text[body.start("body") : body.end("body")]
                facts.body, facts.body_issuer = body_name(body.group("body"), name)
            pos = body.end()
            if joint := JOINT_BODY_RE.match(folded, pos):
                pos = joint.end()
        about = subject_at(text, folded, pos)
        # what it is about, not what it does to another ("ban hành Kế hoạch thực hiện …")
        subject = about[0] if about and folded.startswith("ve ", about[1]) else None
        if subject or facts.date or facts.signer:
            found.append(Unnamed(m.start("type"), code, facts, subject, back=False))
    return sorted(found, key=lambda u: u.start)


def _issued_after(text: str, folded: str, pos: int) -> Before | None:
    """Issuer and date right after the type word: "(này) được Bộ Chính trị ban hành ngày
    …", "ban hành ngày … của Ban Bí thư", "do Ban Bí thư ban hành"; None if neither."""
    facts = Before()
    if passive := PASSIVE_RE.match(folded, pos):
        if passive.group("pbody"):
            name = text[passive.start("pbody") : passive.end("pbody")]
            facts.body, facts.body_issuer = body_name(passive.group("pbody"), name)
        pos = passive.end()
    if issued := DATE_AFTER_RE.match(folded, pos):
        facts.date = parse_date(issued)
        facts.day_month = None if facts.date else day_month(issued)
        if facts.body is None and (body := BODY_RE.match(folded, issued.end())):
            name = text[body.start("body") : body.end("body")]
            facts.body, facts.body_issuer = body_name(body.group("body"), name)
    return facts if facts.date or facts.day_month or facts.body else None
