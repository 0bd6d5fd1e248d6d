"""Find the one document an id typed by a user means ("21-KL/TW", "KL21", "ket luan 21").

Shared by the study features (citation, timeline, subscriptions, quiz): each
takes a document id, never a free question, so only references count here.
"""

from __future__ import annotations

from dataclasses import dataclass

from index.answer import find_directives
from index.live import LiveIndex
from index.models import Directive
from index.query import understand


@dataclass(frozen=True)
class Lookup:
    """`directive` when the text names exactly one document; else `candidates` (maybe none)."""

    text: str
    directive: Directive | None = None
    candidates: tuple[Directive, ...] = ()
    named: bool = False  # the text holds a document reference at all


def lookup(live: LiveIndex, text: str) -> Lookup:
    if not understand(text).refs:
        return Lookup(text)
    found = find_directives(live, text, limit=10)
    central = [d for d in found if d.is_central]
    if len(found) == 1 or len(central) == 1:
        return Lookup(text, directive=(central or found)[0], named=True)
    return Lookup(text, candidates=tuple(found), named=True)
