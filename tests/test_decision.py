"""The answerability decision: the question's frame, the evidence signals (real embedder), the fitted logistic model
and its fit (eval/fit.py). The end-to-end behaviour is in test_grounding.py."""

from __future__ import annotations

import pytest

from rag_service.answer.cite import SupportChecker
from rag_service.answer.decide import decide, probability
from rag_service.answer.evidence import SIGNALS, EvidenceMeter, date_words
from rag_service.answer.frame import parse
from rag_service.answer.grounding import GroundingChecker
from rag_service.index.bm25 import Tokenizer
from rag_service.index.embedder import Embedder
from rag_service.settings import DecisionSettings, Settings
from rag_service.types import Chunk, ScoredChunk, Source

TOK = Tokenizer()


def _note(text: str, heading: list[str]) -> ScoredChunk:
    source = Source(type="note", title="notes", file="notes.md", heading_path=heading)
    return ScoredChunk(chunk=Chunk(id=text[:8], source_key="notes.md", position=0, text=text, source=source), score=1)


@pytest.fixture(scope="module")
def meter(embedder: Embedder) -> EvidenceMeter:
    grounding = GroundingChecker(common=embedder.is_common_word)
    return EvidenceMeter(
        SupportChecker(embedder),
        TOK,
        0.5,
        320,
        knows=lambda s: True,
        common=embedder.is_common_word,
        says=grounding.says,
    )


def test_the_frame_reads_names_numbers_and_whose_question_it_is() -> None:
    f = parse("What LR did I set for AdamW when fine-tuning Mistral-7B on 2 GPUs?", TOK)
    assert f.names == ("LR", "AdamW", "Mistral-7B", "GPUs") and f.numbers == {"2"} and f.personal
    assert not parse("Which papers do I list for speeding up inference?", TOK).personal  # what the notes hold
    assert not parse("How can I speed up inference?", TOK).personal  # advice
    assert not parse("What does my model table say about GPT-4?", TOK).personal  # the notes themselves
    assert parse("How many experts does Switch-C have?", TOK).value
    assert not parse("Why does DPO not need a reward model?", TOK).value
    assert "what" not in parse("What did the post say about attention?", TOK).content


def test_a_date_in_digits_holds_its_month_name() -> None:
    assert {"april", "september"} <= date_words("Experiments of 09/04/2024: DPO")
    assert date_words("released 2023-07") == {"july"} and date_words("no date here 12 36") == set()


def test_paraphrases_and_abbreviations_earn_credit_an_absent_attribute_does_not(meter: EvidenceMeter) -> None:
    note = _note("* lower the learning rate to 5e-7 for DPO, batch size 64", ["DPO training tips"])
    abbreviated = meter.measure(parse("What LR do the DPO tips give?", TOK), [note], 0.6, 0.6)
    assert abbreviated.signals["coverage"] < 1 and abbreviated.signals["soft_min"] == 1.0
    absent = meter.measure(parse("What warmup schedule do the DPO tips give?", TOK), [note], 0.6, 0.6)
    assert absent.signals["soft_min"] < 0.6 and "warmup" in absent.weakest
    dated = _note("Experiments of 09/04/2024: DPO with the HuggingFace Trainer", ["DPO"])
    month = meter.measure(parse("Which trainer did I use for DPO in April?", TOK), [dated], 0.6, 0.6)
    assert month.signals["coverage"] == 1.0


def test_a_line_is_quoted_with_what_it_introduces(meter: EvidenceMeter) -> None:
    note = _note(
        "* RAG triad introduced by TruEra:\n"
        "    * Answer relevance: is the answer relevant to the query?\n"
        "    * Groundedness: is the response supported by the context\n"
        "* a helpful resource for an eval pipeline from the ground up:\n\n"
        "The triad has no other part here.",
        ["evals"],
    )
    by_text = {s.text: s for s in meter.sentences(parse("What are the parts of the RAG triad?", TOK), [note])}
    intro = by_text["RAG triad introduced by TruEra:"]
    # its nested bullets with their places (the first ends with "?" and is no sentence of its own), nothing after
    assert intro.introduces == (
        (1, "Answer relevance: is the answer relevant to the query?"),
        (2, "Groundedness: is the response supported by the context"),
    )
    assert intro.quoted == (
        "RAG triad introduced by TruEra: Answer relevance: is the answer relevant to the query? "
        "Groundedness: is the response supported by the context"
    )
    assert by_text["a helpful resource for an eval pipeline from the ground up:"].items == ()  # the block ends
    # a paper's sentence ending with a colon introduces the sentences after it, up to answer.list_chars
    text = "The model uses attention in three ways:\n• In encoder-decoder layers queries come from the decoder.\n"
    text += "• The encoder holds self-attention layers.\n" + "Unrelated text goes on at length here. " * 20
    source = Source(type="paper", title="A paper", file="p.pdf", paper_id="1706.03762", page=5)
    paper = ScoredChunk(chunk=Chunk(id="p1", source_key="p.pdf", position=0, text=text, source=source), score=1)
    got = {s.text: s for s in meter.sentences(parse("How is attention used?", TOK), [paper])}
    items = got["The model uses attention in three ways:"].items
    assert items[:2] == (
        "In encoder-decoder layers queries come from the decoder.",
        "The encoder holds self-attention layers.",
    )
    assert sum(map(len, items)) <= 320 < sum(map(len, items)) + len("Unrelated text goes on at length here.")


def test_the_decision_is_one_logistic_model_over_every_signal(meter: EvidenceMeter) -> None:
    weights = Settings().answer.decision
    assert set(weights.weights) <= set(SIGNALS)
    note = _note("* Switch-C has 2048 experts and 1.6T parameters", ["Switch Transformers"])
    ev = meter.measure(parse("How many experts does Switch-C have?", TOK), [note], 0.7, 0.7)
    assert set(ev.signals) == set(SIGNALS)
    d = decide(ev, weights, min_topic=0.35)
    assert d.answerable == (d.probability >= weights.threshold) and d.reason is None
    # the same evidence with a threshold above it refuses, and says whether the topic is there at all
    strict = DecisionSettings(weights=weights.weights, bias=weights.bias, threshold=0.999)
    assert decide(ev, strict, 0.35).reason == "not_in_sources"
    far = {**ev.signals, "chunk_cos": 0.1, "passage_cos": 0.1, "sent_cos": 0.1}
    assert decide(type(ev)(ev.sentences, far), strict, 0.35).reason == "weak_evidence"
    # a weight moves the probability the way its sign says
    up = DecisionSettings(weights={"slot": 3.0}, bias=-1.0, threshold=0.5)
    assert probability({**ev.signals, "slot": 1.0}, up) > probability({**ev.signals, "slot": 0.0}, up)


def test_the_fit_finds_the_signal_that_separates_and_a_threshold_between() -> None:
    from eval.fit import best_threshold, fit

    xs = [{name: 0.5 for name in SIGNALS} | {"slot": s} for s in (0.9, 0.85, 0.8, 0.95, 0.2, 0.3, 0.25, 0.1)]
    ys = [True] * 4 + [False] * 4
    weights, bias = fit(xs, ys, c=10.0)
    assert weights["slot"] > 0 and max(abs(w) for n, w in weights.items() if n != "slot") < weights["slot"]
    settings = DecisionSettings(weights=weights, bias=bias, threshold=0.5)
    probs = [probability(x, settings) for x in xs]
    t = best_threshold(probs, ys)
    assert all((p >= t) == y for p, y in zip(probs, ys, strict=True))


def test_the_decision_defaults_are_the_fit_written_by_eval_fit() -> None:
    import json

    from rag_service.settings import DECISION_FILE

    fitted = json.loads(DECISION_FILE.read_text())
    decision = Settings().answer.decision
    assert fitted["split"] == "dev" and set(fitted["weights"]) == set(SIGNALS)
    assert decision.weights == fitted["weights"] and decision.bias == fitted["bias"]
    assert decision.threshold == fitted["threshold"]
