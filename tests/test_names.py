"""The names a paper coins count for every page of it in the claim check (names only, never numbers)."""

from __future__ import annotations

import pytest

from rag_service.app import build_services
from rag_service.index.store import HybridIndex
from rag_service.text.names import author_names, coined_names


@pytest.fixture(scope="module")
def pipeline(full_index: HybridIndex):  # type: ignore[no-untyped-def]
    settings = full_index.settings.model_copy(update={"llm": "extractive"})
    return build_services(settings, index=full_index).pipeline


def test_coined_names_come_from_the_coining_phrase_only() -> None:
    assert coined_names("We call the resulting models InstructGPT. In human evaluations, GPT-3 ...") == ("InstructGPT",)
    assert coined_names("We propose Low-Rank Adaptation, or LoRA, which freezes the weights.") == (
        "Low-Rank Adaptation",
        "LoRA",
    )
    # a name with a digit would bring a number the page does not state; a name far after the phrase is not coined
    assert coined_names("We introduce GPT-4.") == ()
    assert coined_names("In this paper we introduce a new parameterization of the reward model in RLHF.") == ()


def test_a_paper_card_byline_gives_its_authors() -> None:
    card = "Ashish Vaswani, Noam Shazeer, Łukasz Kaiser and Illia Polosukhin\nThe dominant sequence models ..."
    assert author_names(card) == ("Vaswani", "Shazeer", "Kaiser", "Polosukhin")
    # a card with no byline opens with its abstract: no sentence of it is read as a list of people
    assert author_names("While Large Language Models, and Transformers in general, are good\nAt") == ()
    assert author_names("Attention Is All You Need") == ()


def test_a_paper_page_is_by_its_authors(pipeline) -> None:  # type: ignore[no-untyped-def]
    from rag_service.answer.pipeline import AnswerPipeline
    from tests.fakes import scripted

    question = "What value of label smoothing did the Vaswani et al. paper use?"
    model = AnswerPipeline(pipeline.retriever, pipeline.settings, scripted(lambda prompt: ""))
    prep = model.prepare(question, [])
    n, hit = next((i, h) for i, h in enumerate(prep.hits, start=1) if "label smoothing of value" in h.chunk.text)
    assert "Vaswani" not in hit.chunk.index_text  # the page never names its authors
    sentence = f"The Vaswani et al. paper used label smoothing of value 0.1. [{n}]"
    bare = AnswerPipeline(pipeline.retriever, pipeline.settings, scripted(lambda prompt: ""))
    bare.verifier.paper_cards = None  # the fault: no card, no authors, and the right value is refused
    assert bare.finish(prep, sentence, {}).refused
    answer = model.finish(prep, sentence, {})
    assert not answer.refused and "0.1" in answer.answer
    # the authors bring no number
    assert model.finish(prep, f"The Vaswani et al. paper used label smoothing of value 0.3. [{n}]", {}).refused


def test_every_shipped_paper_card_coins_the_name_its_pages_go_by(full_index: HybridIndex) -> None:
    cards = full_index.paper_cards
    assert len(cards) == 7
    names = {paper: coined_names(card) for paper, card in cards.items()}
    assert "InstructGPT" in names["2203.02155"] and "ReAct" in names["2210.03629"] and "DPO" in names["2305.18290"]
    assert all(names.values()), names


def test_a_paper_page_answers_for_the_name_its_paper_coins(pipeline) -> None:  # type: ignore[no-untyped-def]
    from rag_service.answer.pipeline import AnswerPipeline
    from tests.fakes import scripted

    question = "For how many epochs was the InstructGPT SFT model trained?"
    with_model = AnswerPipeline(pipeline.retriever, pipeline.settings, scripted(lambda prompt: ""))
    prep = with_model.prepare(question, [])
    n, hit = next((i, h) for i, h in enumerate(prep.hits, start=1) if "16 epochs" in h.chunk.text)
    assert "InstructGPT" not in hit.chunk.index_text  # the page itself never names the model
    sentence = "The InstructGPT SFT model was trained for 16 epochs, using a cosine learning rate decay."
    # the fault: without the paper's names the page "does not name InstructGPT", and a right answer is refused
    bare = AnswerPipeline(pipeline.retriever, pipeline.settings, scripted(lambda prompt: ""))
    bare.verifier.paper_cards = None
    assert bare.finish(prep, f"{sentence} [{n}]", {}).refused
    answer = with_model.finish(prep, f"{sentence} [{n}]", {})
    assert not answer.refused and "16 epochs" in answer.answer
    # the names bring no number: a count the page does not state is still caught
    wrong = with_model.finish(prep, f"The InstructGPT SFT model was trained for 12 epochs. [{n}]", {})
    assert wrong.refused


def test_a_key_and_a_label_alone_fall_back_to_quoting_the_contexts(pipeline) -> None:  # type: ignore[no-untyped-def]
    from rag_service.answer.pipeline import AnswerPipeline
    from tests.fakes import scripted

    question = "Which early paper first used cross entropy and perplexity to measure language models?"
    with_model = AnswerPipeline(pipeline.retriever, pipeline.settings, scripted(lambda prompt: ""))
    prep = with_model.prepare(question, [])
    assert not prep.refused
    timings: dict[str, float] = {}
    # the recorded model text: the key of the right context and that context's label, nothing else
    answer = with_model.finish(prep, f"[1] ({prep.hits[0].chunk.source.label()})", timings)
    assert "extractive_fallback_ms" in timings
    assert not answer.refused and "Shannon" in answer.answer
