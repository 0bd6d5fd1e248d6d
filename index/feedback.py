"""What went unanswered: questions kept in normalised form, 👍/👎 votes, and the gaps report.

Privacy: the question text is stored normalised (NFC, lower case, single
spaces, no user ids); a vote's voter is a keyed hash of (question id, user
id) with a salt kept in the database, so one user can change their vote on
one answer while nothing links votes to people or to each other. Rows older
than the retention period are purged whenever a question is recorded.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from index.normalize import clean_line
from index.query import content_words, understand

MAX_WORDS_IN_TOPIC = 4
EXAMPLES_PER_GAP = 3


def normalise(question: str) -> str:
    return clean_line(question).lower().strip(" ?!.…")


def topic_of(question: str) -> str:
    """What a question is about, for grouping: the document it names, else its main words."""
    q = understand(question)
    if q.refs:
        ref = q.refs[0]
        number = ref.display_id if ref.is_full else ref.display_number
        return f"{ref.type_name} {number}"
    words = list(dict.fromkeys(content_words(q.rest)))[:MAX_WORDS_IN_TOPIC]
    return " ".join(sorted(words)) or normalise(question)


def voter_token(salt: str, asked_id: int, user_id: int) -> str:
    key = hashlib.sha256(salt.encode()).digest()
    message = f"{asked_id}:{user_id}".encode()
    return hashlib.blake2s(message, key=key, digest_size=16).hexdigest()


@dataclass(frozen=True)
class Gap:
    """Questions about one topic that found nothing or got a 👎."""

    topic: str
    count: int  # questions
    not_found: int
    downvoted: int
    last_asked: date
    examples: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "topic": self.topic,
            "count": self.count,
            "not_found": self.not_found,
            "downvoted": self.downvoted,
            "last_asked": self.last_asked.isoformat(),
            "examples": list(self.examples),
        }


def group_gaps(rows: list[tuple[str, str, bool, int, str]]) -> list[Gap]:
    """Rows from Store.unanswered (newest first) grouped by topic, most asked first."""
    groups: dict[str, list[tuple[str, str, bool, int, str]]] = defaultdict(list)
    for row in rows:
        groups[row[0]].append(row)
    gaps = [
        Gap(
            topic=topic,
            count=len(members),
            not_found=sum(1 for m in members if not m[2]),
            downvoted=sum(1 for m in members if m[3]),
            last_asked=datetime.fromisoformat(members[0][4]).date(),
            examples=tuple(dict.fromkeys(m[1] for m in members))[:EXAMPLES_PER_GAP],
        )
        for topic, members in groups.items()
    ]
    return sorted(gaps, key=lambda g: (-g.count, -g.last_asked.toordinal(), g.topic))
