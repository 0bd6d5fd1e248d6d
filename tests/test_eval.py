"""The labelled evaluation set must meet the issue's targets.

Runs the same code as `make eval` (tests/eval/evaluate.py) on the bundled
sample corpus plus the seed article when ../shared/seeds is present, and on
the real-article development set when ../shared/realdev is present.
"""

from __future__ import annotations

import pytest

from tests.eval import realdev
from tests.eval.evaluate import evaluate


@pytest.mark.slow
async def test_evaluation_meets_targets() -> None:
    result = await evaluate()
    figures = result.figures()
    # Without ../shared/seeds the questions about the seed article cannot be asked.
    assert result.questions >= (80 if result.seed_used else 60)
    assert figures["directive_accuracy"] >= 0.97, result.failures
    assert figures["recall_at_3"] >= 0.95, result.failures
    assert figures["not_found_accuracy"] == 1.0, result.failures
    assert figures["keys_in_first_lines"] >= 0.95, result.failures
    accented = figures["accented_directive_accuracy"]
    assert figures["unaccented_directive_accuracy"] >= accented - 0.03
    assert figures["unaccented_recall_at_3"] >= figures["accented_recall_at_3"] - 0.03


@pytest.mark.slow
async def test_held_out_set_stays_above_targets() -> None:
    """A second set written without sight of the code (tests/eval/heldout.jsonl)."""
    from tests.eval.evaluate import HERE

    result = await evaluate(HERE / "heldout.jsonl")
    figures = result.figures()
    assert figures["directive_accuracy"] >= 0.95, result.failures
    assert figures["not_found_accuracy"] == 1.0, result.failures
    assert figures["recall_at_3"] >= 0.95, result.failures


def test_question_set_has_the_required_mix() -> None:
    import json

    from tests.eval.evaluate import QUESTIONS

    cases = [
        json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line
    ]
    share = {
        s: sum(c["style"] == s for c in cases) / len(cases)
        for s in ("accented", "unaccented", "abbrev")
    }
    assert len(cases) >= 80
    assert share["accented"] >= 0.40 and share["unaccented"] >= 0.25 and share["abbrev"] >= 0.15
    assert sum(not c["found"] for c in cases) >= 8
    kinds = {c["kind"] for c in cases}
    assert kinds >= {"subject", "date", "issuer", "relation", "content", "search"}


# Strict-pass targets on real articles (issue 9). Raised as the answers improve;
# never lowered to make a change pass.
REALDEV_OVERALL = 0.67
REALDEV_PER_KIND = 0.25
REALDEV_UNACCENTED_GAP = 0.03


@pytest.mark.slow
@pytest.mark.skipif(not realdev.available(), reason="../shared/realdev is not beside the checkout")
async def test_real_articles_meet_targets() -> None:
    cases = await realdev.evaluate()
    failures = "\n".join(realdev.report(cases, verbose=False))
    assert realdev.overall(cases) >= REALDEV_OVERALL, failures
    for kind, rate in realdev.rates(cases, "kind").items():
        assert rate >= REALDEV_PER_KIND, (kind, failures)
    styles = realdev.rates(cases, "style")
    assert styles["no_diacritics"] >= styles["diacritics"] - REALDEV_UNACCENTED_GAP, failures
