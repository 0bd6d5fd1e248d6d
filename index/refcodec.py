"""The references found in a passage, stored with it as JSON.

Finding references is most of the cost of merging directives (a regex pass
over every passage). Like tokens, they are found once, when the passage is
added, and kept: an update then reads them instead of scanning a 100k-passage
corpus again. "" means the passage names no document; NULL (None) that it
was stored before references were kept (found again when needed).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import MISSING, fields
from datetime import date
from typing import Any

from index.refs import Ref

_DEFAULTS = {
    f.name: f.default
    if f.default is not MISSING
    else (None if f.default_factory is MISSING else [])
    for f in fields(Ref)
}


def refs_to_json(refs: Sequence[Ref]) -> str:
    """Only the fields that differ from their defaults are written."""
    if not refs:
        return ""
    out = []
    for ref in refs:
        item: dict[str, Any] = {}
        for name, default in _DEFAULTS.items():
            value = getattr(ref, name)
            if value != default:
                item[name] = value.isoformat() if isinstance(value, date) else value
        out.append(item)
    return json.dumps(out, ensure_ascii=False, separators=(",", ":"))


def refs_from_json(text: str) -> tuple[Ref, ...]:
    if not text:
        return ()
    refs = []
    for item in json.loads(text):
        if item.get("date"):
            item["date"] = date.fromisoformat(item["date"])
        if "day_month" in item:  # JSON has no tuples
            item["day_month"] = tuple(item["day_month"])
        if "relations" in item:
            item["relations"] = [(relation, target) for relation, target in item["relations"]]
        refs.append(Ref(**item))
    return tuple(refs)
