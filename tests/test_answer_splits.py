"""The evaluation splits: what the decision is fitted on never overlaps what is reported, and every question has a
corpus and a kind the reports group by."""

from __future__ import annotations

from collections import Counter

from eval import answers


def test_dev_and_report_are_disjoint_and_twins_follow_their_original() -> None:
    dev, report = answers.split("dev"), answers.split("report")
    dev_ids, report_ids = {i.id for i in dev}, {i.id for i in report}
    assert dev_ids and report_ids and not dev_ids & report_ids
    for item in dev + report:
        twin_of = next((t.split(":", 1)[1] for t in item.tags if t.startswith("twin-of:")), None)
        if twin_of:  # a paraphrase sits in the split of the question it rewords
            assert twin_of in (dev_ids if item.id in dev_ids else report_ids), item.id
    # the sets written by other hands are report-only; the second corpus has a dev part to fit on
    assert any(i.id.startswith("nr") for i in report) and not any(i.id.startswith("nr") for i in dev)
    assert {answers.corpus_of(i) for i in dev} == {answers.corpus_of(i) for i in report} == {"notes", "jalammar"}


def test_every_question_has_a_kind_and_the_kinds_are_balanced() -> None:
    items = answers.split("dev") + answers.split("report")
    kinds = Counter(answers.kind_of(i) for i in items)
    assert {"direct", "paraphrased", *answers.UNANSWERABLE_KINDS} <= set(kinds)
    jal = [i for i in items if answers.corpus_of(i) == "jalammar"]
    answerable = [i for i in jal if i.answerable]
    assert len(answerable) >= 35 and len(jal) - len(answerable) >= 35
    assert sum(answers.kind_of(i) == "paraphrased" for i in answerable) * 2 >= len(answerable)
    unanswerable = Counter(answers.kind_of(i) for i in jal if not i.answerable)
    assert max(unanswerable.values()) * 3 <= sum(unanswerable.values())  # no kind above a third


def test_a_summary_counts_per_corpus_and_kind() -> None:
    from types import SimpleNamespace

    from rag_service.index.bm25 import Tokenizer

    item = next(i for i in answers.split("dev") if i.answerable and answers.corpus_of(i) == "jalammar")
    said = SimpleNamespace(
        answer=item.reference_answer,
        refused=False,
        refusal_reason=None,
        citations=[],
        findings=[],
        dropped=[],
        timings={},
    )
    refused = SimpleNamespace(
        answer="The sources don't say.",
        refused=True,
        refusal_reason="x",
        citations=[],
        findings=[],
        dropped=[],
        timings={"first_token_ms": 5.0},
    )
    rows = [answers.score(item, said, Tokenizer()), answers.score(item, refused, Tokenizer())]
    assert rows[0].right and not rows[1].right and rows[1].refused
    line = next(s for s in answers.summary(rows) if s["kind"] == answers.kind_of(item))
    assert (line["n"], line["refused"], line["right"]) == (2, 1, 1)
    # the speed medians count only answers a model generated (a first token)
    assert rows[1].speed == {"first_token_ms": 5.0} and answers.speed(rows)["generated"] == 1
