"""The post-generation checks by name: findings carry their check, a check can be turned off, firings are counted,
and eval's ablation arithmetic (unit tests; the end-to-end checks are in test_grounding.py)."""

from __future__ import annotations

import pytest

from eval.answers import Row
from eval.checks import Fired, counts, effect
from eval.dataset import GoldenItem
from rag_service.answer.checks import CHECKS, Checks
from rag_service.answer.grounding import GroundingChecker


def test_a_finding_names_its_check_and_reads_as_its_message() -> None:
    g = GroundingChecker()
    found = g.claim_problems("Use a learning rate of 3e-5 with QLoRA.", "Lower the learning rate (5e-7).", False)
    assert found == ["number 3e-05 not in the source", "'QLoRA' not in the source"]
    assert [f.check for f in found] == ["number_absent", "name_absent"]
    assert g.checks.fired == {"number_absent": 1, "name_absent": 1}


def test_a_check_turned_off_finds_nothing_and_the_others_still_do() -> None:
    g = GroundingChecker(checks=Checks(off=["number_absent"]))
    found = g.claim_problems("Use a learning rate of 3e-5 with QLoRA.", "Lower the learning rate (5e-7).", False)
    assert [f.check for f in found] == ["name_absent"] and "number_absent" not in g.checks.fired
    with pytest.raises(ValueError, match="unknown check"):
        Checks(off=["no_such_check"])


def test_every_check_states_one_principle() -> None:
    assert all(len(p) < 120 and "\n" not in p for p in CHECKS.values())


def _row(answerable: bool, refused: bool, right: bool = False, fabricated: bool = False) -> Row:
    from eval.dataset import RefContext

    contexts = [RefContext(type="note", file="notes.md", heading="", text="the answer")] if answerable else []
    item = GoldenItem(id="t", question="What is asked?", reference_answer="a", answerable=answerable, contexts=contexts)
    return Row(item, refused, None, right, False, fabricated, "")


def test_the_ablation_counts_what_turning_a_check_off_changed() -> None:
    full = [_row(True, True), _row(False, True), _row(True, False, right=True)]
    off = [_row(True, False, right=True), _row(False, False, fabricated=True), _row(True, False, right=True)]
    assert effect(full, off) == {"answerable_refused": -1, "right": 1, "unanswerable_refused": -1, "fabricated": 1}
    runs = [Fired(full[0], {"support"}, []), Fired(full[1], {"support", "number_absent"}, ["number_absent"])]
    c = counts(runs)
    assert c["support"] == (2, 0) and c["number_absent"] == (1, 1) and c["no_value"] == (0, 0)
