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


def test_a_name_is_matched_as_the_notes_write_it_and_words_are_not_names() -> None:
    g = GroundingChecker()
    karpathy = "* llma 2 70b: training cost $2m and took 12 days on 6,000 GPUs"
    # "llama2" is the notes' "llma 2" (two tokens, one letter dropped); a digit never changes: GPT-3 is no GPT-5
    assert g.says("LLaMA2", karpathy) and not g.says("LLaMA3", karpathy) and not g.says("GPT-5", "GPT-3 has 96 layers")
    question = "what did karpathy say training llama2 70b cost?"
    assert g.claim_problems("Training LLaMA2 70B cost $2m.", karpathy, False, question) == []
    # the name's own stem ("gpt" of GPT-4) is the name check's business, not a word the table must repeat
    table = "| Model | Context window (tokens) |\n| --- | --- |\n| GPT4 | 8,192 |"
    assert (
        g.claim_problems(
            "The context window of GPT-4 is 8,192 tokens.", table, False, "What context window does GPT-4 have?"
        )
        == []
    )


def test_a_question_of_what_the_notes_record_is_not_about_the_users_own_work() -> None:
    from rag_service.types import Chunk, ScoredChunk, Source

    source = Source(type="note", title="notes", file="notes.md", heading_path=["Models"])
    table = ScoredChunk(
        chunk=Chunk(id="t", source_key="notes.md", position=0, text="* GPT4 context window: 8,192", source=source),
        score=1,
    )
    g = GroundingChecker()
    sentence = "The GPT-4 context window is 8,192 tokens."
    assert g.unowned_numbers(sentence, [table], "What context window did I record for GPT-4?") == []
    assert g.unowned_numbers(sentence, [table], "What context window did I get in my GPT-4 run?") == [
        "number 8192 is no record of your own work"
    ]


def test_a_value_is_bound_to_the_name_the_question_asks_it_of() -> None:
    from rag_service.types import Chunk, ScoredChunk, Source

    text = "* GPT-2 uses byte-pair encoding\n* in GPT-3 the context size is 2048 tokens"
    source = Source(type="note", title="notes", file="notes.md", heading_path=["GPT"])
    note = ScoredChunk(chunk=Chunk(id="n", source_key="notes.md", position=0, text=text, source=source), score=1)
    g = GroundingChecker()
    quoted = "in GPT-3 the context size is 2048 tokens"
    # the note names GPT-2, but not where it states 2048: no context length of GPT-2
    assert [f.check for f in g.unbound_numbers(quoted, [note], "What context length does GPT-2 have?")] == [
        "number_place"
    ]
    assert g.unbound_numbers(quoted, [note], "What context length does GPT-3 have?") == []


def test_a_number_the_source_spells_out_supports_the_digits_and_a_name_is_no_amount() -> None:
    from rag_service.text.numbers import numbers, spelled_numbers

    assert spelled_numbers("twelve for the Base version, and twenty four (or Twenty-four) for the Large") == {
        "12",
        "24",
    }
    assert numbers("my 3b1b notes") == {"3"} and numbers("a 7b model") == {"7000000000"}
    g = GroundingChecker()
    source = "BERT has a number of encoder layers: twelve for the Base version, and twenty four for the Large version."
    assert g.claim_problems("BERT Large has 24 encoder layers.", source, False) == []
    assert [f.check for f in g.claim_problems("BERT Large has 36 encoder layers.", source, False)] == ["number_absent"]
