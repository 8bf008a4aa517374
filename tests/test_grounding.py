"""Honest answers: the answerability gate, claim checks that catch fabricated numbers, clean answer text.
Unit tests on the text rules, then the real pipeline (extractive backend) over the real index."""

from __future__ import annotations

import re

import pytest

from rag_service.answer.cite import clean_answer
from rag_service.answer.grounding import GroundingChecker
from rag_service.app import build_services
from rag_service.index.store import HybridIndex
from rag_service.text.names import specific_terms
from rag_service.text.numbers import numbers, unit_symbols


def test_numbers_are_normalised() -> None:
    # "A100" is a name (checked as a term), not the number 100
    assert numbers("168GB ~ 2xA100 (80GB)") == numbers("168 GB, 2 x A100, 80 GB") == {"168", "2", "80"}
    assert numbers("lower the learning rate (5e-7)") == numbers("a rate of 5E-7") == {"5e-07"}
    assert numbers("a 1.2x speed-up over 10,000 steps") == {"1.2", "10000"}
    assert numbers("2.0 and 2") == {"2"}
    # a scale multiplies: "50k words" are 50,000 words, "$2m" two million, "70b" seventy billion ("30m" is left alone)
    assert numbers("50k words") == numbers("50,000 words") == numbers("50 thousand words") == {"50000"}
    assert numbers("cost $2m") == numbers("cost 2 million") == {"2000000"} and numbers("30m") == {"30"}
    assert numbers("llma 2 70b") == numbers("Llama 2 70B") == {"2", "70000000000"}
    assert numbers("the 175-billion-parameter model") == numbers("the 175B model") == {"175000000000"}
    assert numbers("GPT-3-b") == {"3"}  # a hyphen joins a scale word only
    # a power of ten: a PDF flattens the superscript of 10^-2 to "10−2" (Unicode minus); an ASCII "10-20" is a range
    assert numbers("α = 10−2") == numbers("alpha = 10^-2") == numbers("10^{-2}") == numbers("1e-2") == {"0.01"}
    assert numbers("5 x 10^-3") == {"0.005"} and numbers("10^9") == numbers("1,000,000,000") == {"1000000000"}
    assert numbers("10-20 steps") == {"10", "20"} and numbers("a −0.5 drop") == {"-0.5"}


def test_specific_terms() -> None:
    terms = specific_terms("What was my final validation accuracy when fine-tuning Mistral-7B with QLoRA?")
    assert terms == ["Mistral-7B", "QLoRA"]
    assert specific_terms("What is LangGraph's architecture based on?") == ["LangGraph"]
    assert specific_terms("Why did the Inner-Monologue-style variant fail?") == ["Inner-Monologue"]
    assert specific_terms("How does ROUGE-L compare with BLEU in GPT-3 evals?") == ["ROUGE-L", "BLEU", "GPT-3"]


def test_claim_problems_catch_numbers_names_and_own_work_cited_to_a_paper() -> None:
    g = GroundingChecker()
    ctx = "Lower the learning rate (5e-7) and increase beta. Llama-3-70B in bfloat16 needs ~168GB."
    assert g.claim_problems("Use a learning rate of 5e-7.", ctx, context_is_paper=False) == []
    assert g.claim_problems("It needs 168 GB in bfloat16.", ctx, context_is_paper=False) == []
    assert g.claim_problems("Use a learning rate of 3e-5.", ctx, False) == ["number 3e-05 not in the source"]
    assert "'Mistral-7B' not in the source" in g.claim_problems("Mistral-7B needs 168 GB.", ctx, False)
    paper = "We use a learning rate of 5e-7 for all runs."
    assert g.claim_problems("I used a learning rate of 5e-7.", paper, context_is_paper=True) == [
        "a claim about your own work cites a paper"
    ]


def test_a_count_is_read_against_its_table_column_and_the_question() -> None:
    """count_unit: a cell's number counts what its column header says; a count of two words is held by either word;
    a count of something else is still caught, a false premise's too."""
    g = GroundingChecker()
    table = (
        "| format | sign / exponent / mantissa bits | range |\n|---|---|---|\n"
        "| fp16 | 1 / 5 / 10 | max about 65,504 |\n| bf16 | 1 / 8 / 7 | same exponent range as fp32 |"
    )
    assert g.claim_problems("bf16 has 8 exponent bits and 7 mantissa bits.", table, False) == []
    assert g.claim_problems("bf16 has 7 layers.", table, False) == ["'7 layers' not in the source"]
    prose = "ALiBi gives each of the 8 heads a fixed slope: 1/2, 1/4, ..., 1/256. GPT uses 8 GPUs."
    question = "What slopes does ALiBi use for a model with 8 attention heads?"
    assert g.claim_problems("With 8 attention heads the slopes run from 1/2 to 1/256.", prose, False, question) == []
    assert g.claim_problems("It trains on 8 layers.", prose, False) == ["'8 layers' not in the source"]
    # a false premise restated is still caught: the source counts 96 as heads, the question and answer as layers
    heads, premise = "GPT-3 175B has 96 attention heads.", "Does GPT-3 175B have 96 layers?"
    assert g.claim_problems("GPT-3 175B has 96 layers.", heads, False, premise) == ["'96 layers' not in the source"]


def test_clean_answer_drops_copied_labels_and_links() -> None:
    labels = ["llm-study-notes.md › Applications › Flow Engineering", "RMSNorm paper (arXiv 1910.07467, p. 2)"]
    raw = "[1] [Flow Engineering] decompose tasks [1] [1]. RMSNorm (from [2]) rescales. See [the docs](https://x.y/z)."
    assert clean_answer(raw, labels) == "decompose tasks [1]. RMSNorm [2] rescales. See the docs."  # no leading keys
    nested = "2. Huggingface collection of [Model merging]([https://hf.co/c?x=1](https://hf.co/c)) [2]"
    assert clean_answer(nested, labels) == "2. Huggingface collection of Model merging [2]"
    # where a claim comes from, said in words at its end, is its key; a source named mid-sentence is prose
    said = "It was released in 2025, which is listed in source [2]. LoRA freezes weights, as stated in [1]."
    assert clean_answer(said, labels) == "It was released in 2025 [2]. LoRA freezes weights [1]."
    assert clean_answer("The idea from [1] is good.", labels) == "The idea from [1] is good."


@pytest.fixture(scope="module")
def pipeline(full_index: HybridIndex):  # type: ignore[no-untyped-def]
    settings = full_index.settings.model_copy(update={"llm": "extractive"})
    return build_services(settings, index=full_index).pipeline


def test_fabricated_number_with_a_real_cited_chunk_is_unsupported(pipeline) -> None:  # type: ignore[no-untyped-def]
    prep = pipeline.prepare("What learning rate do the DPO training tips recommend?", [])
    assert not prep.refused
    n = next(i for i, h in enumerate(prep.hits, start=1) if "5e-7" in h.chunk.text)
    honest = pipeline.finish(prep, f"Lower the learning rate to 5e-7 for DPO [{n}].", {})
    assert not honest.refused and honest.citations[0].supported and not honest.dropped
    # the same cited chunk, a number it does not contain: the main claim fails, the answer is refused
    made_up = pipeline.finish(prep, f"Lower the learning rate to 3e-5 for DPO [{n}].", {})
    assert made_up.refused and made_up.refusal_reason == "unsupported_claim"
    assert made_up.dropped == ["Lower the learning rate to 3e-5 for DPO."]
    # an answer of citation keys alone (the 0.5B model's failure) says nothing and is refused
    keys_only = pipeline.finish(prep, "[1] [2] [3] [4]", {})
    assert keys_only.refused and keys_only.refusal_reason == "no_support"
    # a supported main claim keeps the answer; the fabricated second sentence is dropped
    mixed = pipeline.finish(prep, f"Lower the learning rate to 5e-7 [{n}]. I reached 91.7 accuracy [{n}].", {})
    assert not mixed.refused and "91.7" not in mixed.answer and mixed.dropped == ["I reached 91.7 accuracy."]


@pytest.mark.parametrize(
    "question",
    [
        "What batch size did I use when fine-tuning Llama with QLoRA?",
        "What Elo rating did my chatbot get on the LMSYS arena?",
    ],
)
def test_near_miss_question_is_refused_with_reason_and_related(pipeline, question: str) -> None:  # type: ignore[no-untyped-def]
    answer = pipeline.answer(question)
    assert answer.refused and answer.refusal_reason in ("not_in_sources", "weak_evidence")
    assert answer.related and answer.answer.startswith("The sources don't say.")
    assert answer.refusal_reason == "not_in_sources" and "say nothing about" in answer.answer
    # what it names is written as the question wrote it, never as a stem ("learn, rate")
    found, missing = re.match(
        r"The sources don't say\. They mention (.*?) \(.* but say nothing about (.*)\.$", answer.answer
    ).groups()
    for word in re.split(r",\s*", f"{found}, {missing}"):
        assert re.search(rf"\b{re.escape(word)}\b", question) or word == "what you did", word


def test_a_near_miss_the_gate_lets_by_is_refused_for_want_of_the_asked_value(pipeline) -> None:  # type: ignore[no-untyped-def]
    # the sources' nearest sentences are a table caption ("Table 5: Validation accuracy ... LoRA") and LoRA's results
    # on other benchmarks; the caption's 5 is a label, so no sentence gives an accuracy of what is asked
    answer = pipeline.answer("What top-1 accuracy does LoRA reach on ImageNet?")
    assert answer.refused and answer.refusal_reason in ("not_in_sources", "no_value"), answer.answer


def test_answerable_questions_pass_the_gate(pipeline) -> None:  # type: ignore[no-untyped-def]
    for q in (
        "What are my DPO training tips?",
        "How many experts does Switch-C have?",
        "What does the beta parameter control in DPO?",
    ):
        prep = pipeline.prepare(q, [])
        assert not prep.refused, (q, prep.decision)


def test_list_markers_abbreviations_and_arithmetic_are_not_claims() -> None:
    g = GroundingChecker()
    ctx = "* prefill: process input tokens in parallel\n* M = (P x (Q/8)) x 1.2, ReAct-IM lacked goal decomposition"
    # "1." numbers a list item, it states no number
    assert g.claim_problems("1. prefill: process input tokens in parallel", ctx, False) == []
    assert g.claim_problems("Step 2: process input tokens in parallel", ctx, False) == []
    # "IM" (ReAct-IM) and "i.e." are not the user speaking, so a paper may back them
    assert g.claim_problems("ReAct-IM lacked goal decomposition, i.e. planning.", ctx, True) == []
    # "Q/8" is arithmetic: its numbers are checked, it is not a name
    assert g.claim_problems("The formula is M = (P x (Q/8)) x 1.2.", ctx, False) == []
    assert g.claim_problems("The formula is M = (P x (Q/4)) x 1.2.", ctx, False) == ["number 4 not in the source"]
    # the same rules still catch what they exist for
    assert g.claim_problems("I reached 1.3 accuracy.", ctx, True) == [
        "a claim about your own work cites a paper",
        "number 1.3 not in the source",
    ]


def test_a_sentence_is_checked_against_everything_it_cites_together(pipeline) -> None:  # type: ignore[no-untyped-def]
    prep = pipeline.prepare("What are my DPO training tips?", [])
    n = next(i for i, h in enumerate(prep.hits, 1) if "5e-7" in h.chunk.text)
    other = next(i for i, h in enumerate(prep.hits, 1) if "5e-7" not in h.chunk.text)
    # the number is in one of the two cited sources: the pair supports the sentence (ALCE's joint support)
    both = pipeline.finish(prep, f"Lower the learning rate to 5e-7 for DPO [{other}][{n}].", {})
    assert not both.refused and not both.dropped
    # cited only to a source without it: re-cited to the one that holds it (see the repair test below)
    wrong = pipeline.finish(prep, f"Lower the learning rate to 5e-7 for DPO [{other}].", {})
    assert not wrong.refused and [c.n for c in wrong.citations] == [n] and wrong.citations[0].inferred


def test_answer_text_is_cleaned_of_leading_keys_and_repeats() -> None:
    from rag_service.answer.cite import drop_repeats

    assert clean_answer("[1] [2] [3] Act-only lacks thoughts [2].", []) == "Act-only lacks thoughts [2]."
    looped = "Collect demonstration data [3]. Train a reward model [3]. Collect demonstration data [3]."
    assert drop_repeats(looped) == "Collect demonstration data [3]. Train a reward model [3]."
    listed = "1. Establish eval [1]\n2. Try prompting [1]"
    assert drop_repeats(listed) == listed
    # a list item that names its source first (with the copied label) cites it at its end
    labels = ["large-language-models.md › Groq › Speedup the inference of LLMs"]
    keyed = f"1. [2] ({labels[0]}) * MEDUSA from TogetherAI\n- [3] EAGLE"
    assert clean_answer(keyed, labels) == "1. MEDUSA from TogetherAI [2]\n- EAGLE [3]"


def test_a_true_sentence_cited_to_the_wrong_source_is_re_cited(pipeline) -> None:  # type: ignore[no-untyped-def]
    prep = pipeline.prepare("What are my DPO training tips?", [])
    n = next(i for i, h in enumerate(prep.hits, 1) if "5e-7" in h.chunk.text)
    wrong = next(i for i, h in enumerate(prep.hits, 1) if "5e-7" not in h.chunk.text)
    answer = pipeline.finish(prep, f"Lower the learning rate to 5e-7 for DPO training [{wrong}].", {})
    assert not answer.refused and re.search(rf"\[{n}\]\.?$", answer.answer), answer.answer
    assert [(c.n, c.inferred, c.supported) for c in answer.citations] == [(n, True, True)]
    # a fabricated number no context holds is not "repaired" onto anything: it is dropped and the answer refused
    made_up = pipeline.finish(prep, f"Lower the learning rate to 7e-3 for DPO training [{wrong}].", {})
    assert made_up.refused and made_up.refusal_reason == "unsupported_claim"


def test_a_closing_source_line_cites_the_sentences_before_it() -> None:
    from rag_service.answer.cite import move_source_lines

    listed = (
        "1. Inference for a 13B model needs 31.2GB.\n2. It is 13 x 2 x 1.2.\n3. The source for this information is [1]."
    )
    assert move_source_lines(listed) == "1. Inference for a 13B model needs 31.2GB. [1]\n2. It is 13 x 2 x 1.2. [1]"
    # a sentence that merely mentions sources is content, not a source line
    prose = "Use DPO [1]. Sources say many things about it in general, see [2]."
    assert move_source_lines(prose) == prose


def test_how_many_x_is_answered_from_a_source_that_counts_x() -> None:
    g = GroundingChecker()
    ctx = "GPT has 96 attention heads. Takes up to 30min. BLEU 28.4 41.8"
    # the source has 96, but counts heads, never layers: "96 layers" answers nothing it says
    assert g.claim_problems("GPT has 96 layers.", ctx, False, "How many layers does GPT have?") == [
        "'96 layers' not in the source",
        "the source counts no layer",
    ]
    assert g.claim_problems("GPT has 96 attention heads.", ctx, False, "How many heads does GPT have?") == []
    # a source that counts layers too, but counts these 96 as heads: "96 layers" is a different claim
    layered = "GPT has 96 attention heads, which makes attention layer 96 times the size."
    assert g.claim_problems("GPT has 96 layers.", layered, False, "How many layers does GPT have?") == [
        "'96 layers' not in the source"
    ]
    # an abbreviation of the counted word counts it ("dims" for dimensions)
    assert g.claim_problems("GPT has 96 heads.", ctx, False, "How many attention heads, how many dims?") == []
    # units split off ("30min"), and a number given bare (a table cell) is still the source's number
    assert g.claim_problems("A pair takes up to 30 minutes.", ctx, False) == []
    assert g.claim_problems("The model reaches 28.4 BLEU.", ctx, False) == []


def test_a_unit_is_one_unit_however_written() -> None:
    g = GroundingChecker()
    ctx = "* parameters file: 140g in size (70b model, 2 bytes per parameter)"
    asked = "How many GB is the weights file for a 70 billion parameter model?"
    assert (
        unit_symbols("140g in size; 3 gigabytes; 5G networks; t4g; 100 g")
        == "140 GB in size; 3 GB; 5G networks; t4g; 100 g"
    )
    assert g.claim_problems("The weights file is 140 GB.", ctx, False, asked) == []
    assert g.claim_problems("It is 140 gigabytes.", ctx, False, "How many gigabytes is the 70b file?") == []
    # another unit, written either way, or another amount is no answer
    assert g.claim_problems("The weights file is 140 TB.", ctx, False, asked) == ["'TB' not in the source"]
    assert g.claim_problems("It is 140 terabytes.", ctx, False, asked) == ["'TB' not in the source"]
    assert g.claim_problems("The weights file is 160 GB.", ctx, False, asked) == ["number 160 not in the source"]
    # the unit still binds a count: a number counted in something else is no answer
    assert g.claim_problems("It has 140 layers.", ctx, False, "How many layers does the 70b model have?") == [
        "the source counts no layer"
    ]


def test_a_leading_decimal_is_a_number_and_alternatives_are_names() -> None:
    g = GroundingChecker()
    ctx = "temperatures are between 0 and 2; 0.7 is recommended for creative use. GPT, BERT and BART/T5 models"
    # "0.7 is ..." opens with a number, not the list marker "0."
    assert g.claim_problems("0.7 is recommended for creative use.", ctx, False) == []
    assert g.claim_problems("0.9 is recommended for creative use.", ctx, False) == ["number 0.9 not in the source"]
    assert specific_terms("GPT, BERT, BART/T5") == ["GPT", "BERT", "BART", "T5"]
    assert g.claim_problems("The three are GPT, BERT and BART/T5.", ctx, False) == []


def test_an_answer_to_a_question_about_my_work_cannot_come_from_a_paper() -> None:
    g = GroundingChecker()
    table = "Model GPT-2 M (LoRA) accuracy 71.3 on the validation split"
    sentence = "The validation accuracy was 71.3."  # no "I" or "my" in the sentence: the question makes it personal
    assert g.claim_problems(sentence, table, True, "What validation accuracy did I get?") == [
        "a claim about your own work cites a paper"
    ]
    assert g.claim_problems(sentence, table, True, "What validation accuracy does LoRA reach?") == []


def test_a_personal_value_needs_a_place_that_records_the_users_own_work(pipeline) -> None:  # type: ignore[no-untyped-def]
    # a textbook's "99% accuracy" is no record of the user's run; a dated experiment that states a number is
    from rag_service.answer.decide import probability
    from rag_service.answer.frame import parse

    question = "What validation accuracy did I get on the spam classification dataset?"
    frame = parse(question, pipeline.grounding.tokenizer)
    assert frame.personal and frame.value
    textbook = _note("* a spam classifier with 99% validation accuracy on a spam classification dataset", ["metrics"])
    record = _note(
        "Experiments of 09/04/2024:\n* spam classification dataset: validation accuracy 0.71 after 3 epochs",
        ["Experiments"],
    )
    bait = pipeline.meter.measure(frame, [textbook], 0.6, 0.6).signals
    own = pipeline.meter.measure(frame, [record], 0.6, 0.6).signals
    # the textbook line matches the asked words as well as the record does; only the record is of the user's doing
    assert bait["slot"] > 0.8 and own["slot"] > 0.8
    assert bait["own_slot"] == 0 and own["own_slot"] > 0.8
    decision = pipeline.settings.answer.decision
    assert probability(bait, decision) < decision.threshold <= probability(own, decision)
    # asking about the notes ("my model table") or for advice ("should I") is not asking about the user's own work
    assert not parse(
        "What is the context window of GPT-4 according to my model table?", pipeline.grounding.tokenizer
    ).personal
    assert not parse("When should I choose RAG over finetuning?", pipeline.grounding.tokenizer).personal


def test_a_filler_sentence_does_not_sink_a_supported_answer(pipeline) -> None:  # type: ignore[no-untyped-def]
    prep = pipeline.prepare("What learning rate do the DPO training tips recommend?", [])
    n = next(i for i, h in enumerate(prep.hits, start=1) if "5e-7" in h.chunk.text)
    filler = "This is the condition that determines whether the agent should continue executing or terminate."
    answer = pipeline.finish(prep, f"Lower the learning rate to 5e-7 for DPO [{n}]. {filler[:-1]} [{n}].", {})
    assert not answer.refused and answer.dropped == [filler] and filler not in answer.answer
    assert [c.supported for c in answer.citations] == [True]
    # nothing supported at all: refused, not emptied
    alone = pipeline.finish(prep, f"{filler[:-1]} [{n}].", {})
    assert alone.refused and alone.refusal_reason == "no_support"


def test_a_rare_word_the_notes_hold_passes_the_cosine_floor(pipeline) -> None:  # type: ignore[no-untyped-def]
    question = "What is infilling finetuning used for?"
    best = pipeline.retriever.retrieve(question).best_similarity
    assert best < pipeline.settings.answer.min_evidence  # the embedder alone would refuse it
    prep = pipeline.prepare(question, [])
    assert not prep.refused and "infilling finetuning" in prep.hits[0].chunk.text
    # an off-topic question is still refused below the floor
    assert pipeline.prepare("What is a good recipe for a sourdough starter?", []).refused


def test_my_notes_means_the_notes_and_a_summarising_note_gets_a_slot(pipeline) -> None:  # type: ignore[no-untyped-def]
    prep = pipeline.prepare("According to my notes, which weight matrices is LoRA applied to?", [])
    assert prep.hits and all(h.chunk.source.type == "note" for h in prep.hits)
    # four InstructGPT paper chunks outrank the note that lists the method's three steps in the fused list; the note
    # found by a notes-only search comes first. (With note passages in the dense list, a Chip Huyen note on "three
    # parts" of model development now takes a top-4 place itself, so this is shown without them.)
    from rag_service.answer.pipeline import AnswerPipeline
    from rag_service.retrieval.hybrid import HybridRetriever

    retrieval = pipeline.settings.retrieval.model_copy(update={"note_passage_k": 0})
    plain = AnswerPipeline(HybridRetriever(pipeline.retriever.index, retrieval), pipeline.settings, None)
    question = "What are the three steps of the InstructGPT training method?"
    fused = plain.retriever.retrieve(question, k=12).hits
    assert all(h.chunk.source.type == "paper" for h in fused[:4])
    contexts = plain.prepare(question, []).hits
    assert contexts[0].chunk.source.type == "note" and "comparison data" in contexts[0].chunk.text
    assert [h.chunk.id for h in contexts[1:]] == [h.chunk.id for h in fused[:3]]


def test_a_question_name_does_not_travel_to_a_source_without_it() -> None:
    g = GroundingChecker()
    question = "How many GPUs did the GraphRAG authors use?"
    transformer = "Attention Is All You Need › 5.2 Hardware\nWe trained our models on one machine with 8 P100 GPUs."
    # the name is the question's, the number another paper's: not GraphRAG's GPUs
    assert "'GraphRAG' not in the source" in g.claim_problems(
        "The GraphRAG authors used 8 P100 GPUs.", transformer, True, question
    )
    # a name the heading path carries counts (claims are checked against the context with its headings)
    agents = "notes.md › Agents › Openai agents sdk\n* agent loop: the llm runs until `final_output` is present"
    assert g.claim_problems("The OpenAI Agents SDK loop runs until final_output is present.", agents, False) == []


def test_names_written_another_way_still_match_but_other_names_do_not() -> None:
    from rag_service.text.names import written_as as _written_as

    assert _written_as("GPT-3", "only 0.0027% of trainable parameters for GPT3")
    assert _written_as("LLMs", "The true nature of LLM is a hotly debated topic")
    assert _written_as("Llama", "train llma 2 70b cost $2m")  # the note-taker's typo
    assert not _written_as("Mistral", "TensorRT on Mixtral 8x7b")  # a different model, one letter apart
    assert not _written_as("GPT-5", "GPT-3 has 5 of them")
    assert _written_as("3b1b", "### Neural Network, 3Blue1Brown")  # a name by its parts' initials
    # a proper name written out in capitalised words goes by its initials; separate everyday words never do
    assert _written_as("HF", "Models › Series › Hugging Face LLM Course")
    assert _written_as("RL", "trained with Reinforcement Learning from human feedback")
    assert not _written_as("BNN", "a blue neural network")
    assert not _written_as("HF", "the hidden features")
    assert not _written_as("3b2b", "### Neural Network, 3Blue1Brown")  # digits are kept whole


def test_a_value_must_be_about_what_the_question_asks() -> None:
    g = GroundingChecker()
    dpo = "GPT-4 agrees with humans: 69.6 ± 0.9% accuracy on predicting the preferences of held-out labelers"
    sentence = "The spam classifier reached an accuracy of 69.6% on predicting the preferences of labelers."
    problems = g.claim_problems(sentence, dpo, True, "What accuracy did the spam classifier reach in the Raschka book?")
    assert problems == ["the source does not name Raschka"]
    # the same restating of a why-question's words is framing, not a value's subject
    why = "Agents need stronger models than single calls because an agent with 95% accuracy over 10 steps has 60%."
    ctx = "agents require more powerful models: an agent with 95% accuracy that performs 10 steps will have 60%"
    assert g.claim_problems(why, ctx, False, "Why do agents need stronger models than single calls?") == []


def test_a_keys_only_model_answer_falls_back_to_quoting(pipeline) -> None:  # type: ignore[no-untyped-def]
    from rag_service.answer.pipeline import AnswerPipeline
    from tests.fakes import scripted

    with_model = AnswerPipeline(pipeline.retriever, pipeline.settings, scripted(lambda prompt: "[2]"))
    prep = with_model.prepare("Who wrote 'ChatGPT is a blurry JPEG of the web'?", [])
    assert not prep.refused
    answer = with_model.finish(prep, "[2]", {})
    assert not answer.refused and "Ted Chiang" in answer.answer and "extractive_fallback_ms" in answer.timings
    assert any(c.supported for c in answer.citations)
    # a question about the user's own work never gets a quoted number in place of theirs
    own = with_model.prepare("What are my DPO training tips?", [])
    assert not own.refused and own.frame.personal
    keys_only = with_model.finish(own, "[1]", {})
    assert keys_only.refused and "extractive_fallback_ms" not in keys_only.timings


def _note(text: str, heading: list[str]):  # type: ignore[no-untyped-def]
    from rag_service.types import Chunk, ScoredChunk, Source

    source = Source(type="note", title="notes", file="notes.md", heading_path=heading)
    return ScoredChunk(chunk=Chunk(id=text[:8], source_key="notes.md", position=0, text=text, source=source), score=1)


def test_a_number_is_checked_where_the_notes_state_it() -> None:
    g = GroundingChecker()
    table = _note(
        "GPT4-V Act: vision with CSSOM\nPretrained models:\n"
        "| Model | Date | Context window (tokens) |\n| --- | --- | --- |\n"
        "| LlaMa2 | 2023-07 | 4096 |\n| GPT4 | 2023-03 | 8,192 and 32,768 |",
        ["Interesting Language to vision models"],
    )
    # the row states 8,192 of GPT4; "GPT4-V" stands elsewhere in the same chunk
    q = "What is the context window of GPT4-V?"
    assert g.unbound_numbers("The context window of GPT4-V is 8,192 tokens.", [table], q) == [
        "number 8192 is stated of something else"
    ]
    assert g.unbound_numbers("GPT4 has a context window of 8,192 tokens.", [table], q) == []
    assert g.unbound_numbers("LlaMa2 has a context window of 8,192 tokens.", [table], q) != []
    # a nested bullet means what its parents say: the temperature is 0.7 for creative use, not for classification
    sampling = _note(
        "* sample with a temperature: higher temperature makes responses more creative\n"
        "    * temperatures are between 0 and 2\n    * 0.7 is recommended for creative use\n"
        "* greedy sampling works fine in classification",
        ["Chip Huyen", "sampling"],
    )
    asked = "What temperature is recommended for classification?"
    assert g.unbound_numbers("A temperature of 0.7 is recommended for classification.", [sampling], asked) != []
    asked = "What temperature is recommended for creative use?"
    assert g.unbound_numbers("A temperature of 0.7 is recommended for creative use.", [sampling], asked) == []
    # an amount the question gave binds the value too: 26 GB is stated of a 13B model, not of the 70B one asked
    memory = _note(
        "* the weights file of a 13 billion parameter model takes 26 GB\n"
        "* a model is two files, its weights and the code that runs them\n    * 70b parameters (140g in size)",
        ["memory management"],
    )
    asked = "How many GB is the weights file for a 70 billion parameter model?"
    assert g.unbound_numbers("The weights file for a 70 billion parameter model is 26 GB.", [memory], asked) != []
    assert g.unbound_numbers("The weights file for a 70 billion parameter model is 140 GB.", [memory], asked) == []
    # a name's digits are no amount the question gave: GPT-3's 3 need not stand beside its value
    row = _note("| Model | Context window (tokens) |\n| --- | --- |\n| GPT3 | 2048 |", ["Models"])
    asked = "What is the context window of GPT-3?"
    assert g.unbound_numbers("GPT-3 has a context window of 2048 tokens.", [row], asked) == []
    # a line's clauses and sentences read on from each other: "HuggingFace" frames the 5e-7 after the ";"
    dpo = _note(
        "Experiments of 09/04/2024:\nDPO with HuggingFace Trainer: use gradient accumulating = 4; lower the learning"
        " rate (5e-7). Don't train over too many data.",
        ["DPO training"],
    )
    line = "DPO with HuggingFace Trainer: use gradient accumulating = 4; lower the learning rate (5e-7)."
    assert g.unbound_numbers(line, [dpo], "What are the DPO training tips?") == []
    # words the notes never use are the answer's wording, judged by the other checks, not a misplaced fact
    asked = "What formula estimates the GPU memory for LLM inference?"
    formula = _note("* `M = (P x (Q/8)) x 1.2` where P is parameters", ["Memory requirement for LLM inference:"])
    assert g.unbound_numbers("The formula estimating GPU memory is M = (P x (Q/8)) x 1.2.", [formula], asked) == []


def test_a_value_of_the_notes_must_be_stated_of_what_is_asked(pipeline) -> None:  # type: ignore[no-untyped-def]
    # the notes give 0.7 "for creative use" and name no temperature for code generation
    prep = pipeline.prepare("What temperature does Chip Huyen recommend for code generation?", [])
    assert prep.refused and prep.reason == "not_in_sources"
    assert any("0.7 is recommended" in h.chunk.text for h in prep.hits)
    assert not pipeline.prepare("What is the context window of GPT4?", []).refused
    creative = pipeline.prepare("What sampling temperature is recommended for creative use?", [])
    assert not creative.refused, creative.decision
    # the place that answers keeps its leading number: "* 0.7 is recommended ..." is no bare "is recommended ..."
    assert any(s.text.startswith("0.7 is recommended") for s in creative.decision.evidence.sentences)


def test_a_value_question_answered_without_an_amount_is_refused(pipeline) -> None:  # type: ignore[no-untyped-def]
    prep = pipeline.prepare("How many dimensions does a GPT-3 word embedding have?", [])
    assert not prep.refused
    n = next(i for i, h in enumerate(prep.hits, start=1) if "12,288" in h.chunk.text)
    vague = pipeline.finish(prep, f"A GPT-3 word embedding has a very large number of dimensions [{n}].", {})
    assert vague.refused and vague.refusal_reason == "no_value"
    given = pipeline.finish(prep, f"A GPT-3 word embedding has 12,288 dimensions [{n}].", {})
    assert not given.refused and "12,288" in given.answer


def test_a_terse_value_answer_borrows_its_subject_from_the_question(pipeline) -> None:  # type: ignore[no-untyped-def]
    from rag_service.answer.cite import split_sentences
    from rag_service.text.numbers import stated_numbers

    question = "How many dimensions does a GPT-3 word embedding have?"
    prep = pipeline.prepare(question, [])
    n = next(i for i, h in enumerate(prep.hits, start=1) if "12,288" in h.chunk.text)
    # the value alone answers: the context states it in a sentence about what is asked
    terse = pipeline.finish(prep, f"It is 12,288 [{n}].", {})
    assert not terse.refused and "12,288" in terse.answer
    # a value the cited context states of something else is no answer, terse or not
    g = pipeline.grounding
    other = next(
        (k, num)
        for k, h in enumerate(prep.hits, start=1)
        for line in split_sentences(h.chunk.text)
        if not g.about_question(line, question)
        for num in stated_numbers(line)
        if not any(num in stated_numbers(x) and g.about_question(x, question) for x in split_sentences(h.chunk.text))
    )
    wrong = pipeline.finish(prep, f"It is {other[1]} [{other[0]}].", {})
    assert wrong.refused, (other, wrong.answer)


def test_a_power_of_ten_in_a_papers_pdf_text_is_the_value_an_answer_writes(pipeline) -> None:  # type: ignore[no-untyped-def]
    question = "What coefficient does the Switch Transformer use for its auxiliary load-balancing loss?"
    prep = pipeline.prepare(question, [])
    n = next(i for i, h in enumerate(prep.hits, start=1) if "in powers of 10" in h.chunk.text)
    assert "10^{−2}" in prep.hits[n - 1].chunk.text  # the page's text: a superscript after a Unicode minus
    right = pipeline.finish(prep, f"The coefficient is α = 10^-2 [{n}].", {})
    assert not right.refused and "10^-2" in right.answer
    # a power the page does not state is still a fabricated number
    wrong = pipeline.finish(prep, f"The coefficient is α = 10^-3 [{n}].", {})
    assert wrong.refused or not wrong.citations or not wrong.citations[0].supported, wrong


def test_an_uncited_sentence_is_cited_to_a_context_that_holds_its_number(pipeline) -> None:  # type: ignore[no-untyped-def]
    question = "What coefficient does the Switch Transformer use for its auxiliary load-balancing loss?"
    prep = pipeline.prepare(question, [])
    sentence = "The Switch Transformer uses an α = 10^-2 coefficient for its auxiliary load-balancing loss."
    n = next(i for i, h in enumerate(prep.hits, start=1) if "10^{−2}" in h.chunk.text)
    scores = [pipeline.checker.support(sentence, h.chunk.text).score for h in prep.hits]
    # the fault: another page of the paper reads closer but lacks the number
    assert max(scores) > scores[n - 1] >= pipeline.settings.answer.support_threshold
    answer = pipeline.finish(prep, f"{sentence} This coefficient keeps the load balanced. [{n}]", {})
    assert not answer.refused and "10^-2" in answer.answer and n in [c.n for c in answer.citations]


def test_short_list_items_are_cited_to_the_context_that_holds_them(pipeline) -> None:  # type: ignore[no-untyped-def]
    prep = pipeline.prepare("Which prompt engineering tools are listed?", [])
    n = next(i for i, h in enumerate(prep.hits, start=1) if "DSPy" in h.chunk.text)
    other = next(i for i in range(1, len(prep.hits) + 1) if i != n)
    # one- and two-word items are too short to score; a last line of keys alone states nothing
    answer = pipeline.finish(prep, f"1. Open Prompt\n2. DSPy\n3. TextGrad\n4. [{other}]", {})
    assert not answer.refused and [c.n for c in answer.citations] == [n] and answer.citations[0].inferred
    assert answer.answer == f"1. Open Prompt [{n}]\n2. DSPy [{n}]\n3. TextGrad [{n}]"


def test_a_how_long_question_needs_a_place_that_states_a_duration(pipeline) -> None:  # type: ignore[no-untyped-def]
    from rag_service.answer.frame import parse

    frame = parse(
        "How long does finetuning a base model into an assistant typically take?", pipeline.grounding.tokenizer
    )
    assert frame.value
    stated = _note(
        "* Stage 2: finetuning -> assistant model\n    * finetune base model based on this data, typically takes 1 day",
        ["Intro to Large Language Models"],
    )
    unstated = _note(
        "* Stage 2: finetuning -> assistant model\n    * finetune base model on conversations", ["Intro to LLMs"]
    )
    with_value = pipeline.meter.measure(frame, [stated], 0.6, 0.6).signals
    without = pipeline.meter.measure(frame, [unstated], 0.6, 0.6).signals
    # for an amount only a place stating a number can answer: the one without "1 day" answers less of the question
    assert with_value["value_gap"] == 0 and with_value["slot"] > 0.85
    assert without["slot"] < with_value["slot"] - 0.2 and without["slot_min"] < with_value["slot_min"]


def test_a_question_about_the_user_retrieves_from_the_notes(pipeline) -> None:  # type: ignore[no-untyped-def]
    # four chunks of the MoE paper outrank the reading list's "Something I didn't fully understand ..." for this
    # question; as the gate reads only notes for a question about the user, the paper chunks left it no evidence
    from rag_service.retrieval.hybrid import HybridRetriever

    question = "What did I not fully understand in the sparsely-gated mixture-of-experts paper?"
    settings = pipeline.retriever.settings.model_copy(update={"passage_weight": 0.0})  # as before passage scores
    fused = HybridRetriever(pipeline.retriever.index, settings).retrieve(question, k=4).hits
    assert all(h.chunk.source.type == "paper" for h in fused)
    prep = pipeline.prepare(question, [])
    assert prep.hits and all(h.chunk.source.type == "note" for h in prep.hits)
    assert not prep.refused and any("didn't fully understand" in h.chunk.text for h in prep.hits)


def test_a_technical_word_of_the_question_must_be_in_the_source_of_its_value(pipeline) -> None:  # type: ignore[no-untyped-def]
    # the notes give $2m for pretraining (stage 1); the question asks what the finetuning stage cost
    question = "How much did the finetuning stage of Llama 2 70B cost according to Karpathy?"
    karpathy = _note(
        "* model training (pretraining stage, stage 1):\n"
        "    * train with GPU, expensive: train llma 2 70b cost $2m, can take around 12 days",
        ["Intro to Large Language Models, Andrej Karpathy"],
    )
    table = _note(
        "| Model | Date | Number of parameters |\n| --- | --- | --- |\n| LlaMa2 | 2023-07 | Up to 70B |", ["LLM"]
    )
    sentence = "The finetuning stage of Llama 2 70B cost $2m, which took around 12 days."
    everyday_only = GroundingChecker()  # without the vocabulary test no word of the question binds a value
    assert everyday_only.unbound_numbers(sentence, [karpathy], question) == []
    assert pipeline.grounding.unbound_numbers(sentence, [karpathy], question)
    # and re-citing does not move the sentence from the table (which lacks $2m) onto the pretraining note
    text, repaired = pipeline.verifier.recite([table, karpathy], question, f"{sentence} [1]")
    assert not repaired and text.endswith("[1]")
    # everyday framing words the source lacks ("formula", "estimating") still pass
    asked = "What formula estimates the GPU memory for LLM inference?"
    heading = ["Memory requirement for LLM inference:"]  # the question's name "LLM" is in the heading path
    formula = _note("* GPU memory: `M = (P x (Q/8)) x 1.2` where P is parameters", heading)
    claim = "The formula estimating GPU memory is M = (P x (Q/8)) x 1.2."
    assert pipeline.grounding.claim_problems(claim, formula.chunk.index_text, False, asked) == []


def test_everyday_words_a_value_answer_repeats_from_the_question_do_not_bind_it(pipeline) -> None:  # type: ignore[no-untyped-def]
    # the user's paraphrase ("rule of thumb", "fixed budget") is not the note's wording; the value stands where the
    # note states it, so the answer is not dropped for words only the question used
    note = _note(
        "* a rule of thumb list, kept fixed:\n    * start small\n"
        "* for a given compute budget:\n    * train on about 20 tokens for each parameter",
        ["Scaling"],
    )
    question = "What is the rule of thumb for tokens per parameter under a fixed compute budget?"
    claim = "The rule of thumb under a fixed compute budget is about 20 tokens per parameter."
    assert pipeline.grounding.unbound_numbers(claim, [note], question) == []
    # a technical word the answer takes from the question still binds it: the note's 20 is not a finetuning figure
    finetuning = "How many tokens per parameter does finetuning use under a fixed compute budget?"
    said = _note(  # finetuning is said, apart from the 20
        "* for a given compute budget:\n    * train on about 20 tokens for each parameter\n* finetuning", ["S"]
    )
    wrong = "Finetuning uses about 20 tokens per parameter under a fixed compute budget."
    assert pipeline.grounding.unbound_numbers(wrong, [said], finetuning)


def test_the_measure_asked_for_says_nothing_about_whose_value_it_is(pipeline) -> None:  # type: ignore[no-untyped-def]
    # the measure ("latency") stands beside any latency figure; what it is of must be where the number stands
    g = pipeline.grounding
    question = "How much latency does hybrid search add?"
    sentence = "Hybrid search adds 30% latency in an online, short-sequence-length scenario."
    notes = _note("* hybrid search: BM25 first, then rerank with embeddings; adds 30% latency", ["Search"])
    assert g.unbound_numbers(sentence, [notes], question) == []
    adapters = _note(
        "* hybrid search: BM25 first, then rerank\n* adapter layers add latency: a 30% increase, online", ["Serving"]
    )
    assert g.unbound_numbers(sentence, [adapters], question) == ["number 30 is stated of something else"]


def test_a_copied_sentence_is_cited_to_the_context_it_was_copied_from(pipeline) -> None:  # type: ignore[no-untyped-def]
    notes = _note(
        "* Model parallelism splits the model across multiple processes / machines.\n"
        "    * Vertical model parallelism means splitting the model layer-by-layer.",
        ["AI"],
    )
    paper = _note("Model parallelism places the layers of one model on different cores, layer by layer.", ["5.2"])
    question = "How does vertical model parallelism differ from horizontal model parallelism?"
    text = "Vertical model parallelism means splitting the model layer-by-layer. [2]"
    # the paper supports it well enough to pass the support check: it moves because [1] holds all its words
    assert pipeline.checker.support(text[:-4], paper.chunk.text).score >= pipeline.settings.answer.support_threshold
    fixed, moved = pipeline.verifier.recite([notes, paper], question, text)
    assert fixed == "Vertical model parallelism means splitting the model layer-by-layer. [1]" and moved == {1}
    # a sentence in the model's own words keeps its key
    own = "The layers of the model are placed on different machines. [2]"
    assert pipeline.verifier.recite([notes, paper], question, own) == (own, set())


def test_an_inflected_copy_is_cited_where_it_is_said(pipeline) -> None:  # type: ignore[no-untyped-def]
    """The model wrote its note's line with "requires" for "require" (no 4-gram match) and cited a section that says
    only "resource-intensive"; the support check passed that key, so its link opened elsewhere."""
    said = _note(
        "* ranking models with comparative evaluation\n"
        "    * resource intensive comparing models require many rounds of comparisons",
        ["subjective evaluation"],
    )
    other = _note(
        "* three parts modeling and training, dataset engineering and inference optimization\n"
        "* training\n"
        "    * pre-training involves training a model for text-completion, this is often the most resource-intensive "
        "step in training\n"
        "* dataset engineering\n"
        "    * foundation models have open-ended outputs and take in unstructured data, which requires higher quality "
        "datasets",
        ["Model development"],
    )
    question = "Why is comparing models resource intensive?"
    text = "Comparing models requires many rounds of comparisons, which is resource-intensive. [2]"
    hits = [said, other]
    assert pipeline.checker.support(text[:-4], other.chunk.text).score >= pipeline.settings.answer.support_threshold
    fixed, moved = pipeline.verifier.recite(hits, question, text)
    assert fixed == text.replace("[2]", "[1]") and moved == {1}
    # a sentence the cited context words too keeps its key, though the other holds all its words
    kept = "Pre-training a model for text-completion is resource-intensive. [2]"
    assert pipeline.verifier.recite(hits, question, kept) == (kept, set())


def test_a_number_about_the_users_work_must_come_from_a_record_of_it() -> None:
    g = GroundingChecker()
    question = "What entropy in bits did I compute for my dataset?"
    textbook = _note(
        "* if a model's cross entropy is 6 bits, it needs 6 bits to represent token", ["model eval metrics"]
    )
    sentence = "The entropy in bits for your dataset is 6 bits."
    assert g.claim_problems(sentence, textbook.chunk.index_text, False, question) == []  # the number is there
    assert g.unowned_numbers(sentence, [textbook], question) == ["number 6 is no record of your own work"]
    record = _note("Experiments of 09/04/2024:\nentropy of the dataset: 6 bits", ["DPO training"])
    assert g.unowned_numbers(sentence, [record], question) == []
    # "we" is how textbooks and papers write, not a record of the user's
    authors = _note("* i.e. we needed 6 extra bits", ["Machine Learning & Mathematics"])
    assert g.unowned_numbers(sentence, [authors], question) == ["number 6 is no record of your own work"]


def test_a_value_answer_needs_an_amount_said_of_what_is_asked(pipeline) -> None:  # type: ignore[no-untyped-def]
    from rag_service.text.numbers import gives_a_value

    assert not gives_a_value("3Blue1Brown uses a large batch size.")  # the digits of a name are no amount
    question = "What batch size does 3Blue1Brown use for stochastic gradient descent?"
    assert not pipeline.grounding.about_question("We keep only one shared copy of each expert.", question)
    assert pipeline.grounding.about_question(
        "3Blue1Brown uses batches of 16 for stochastic gradient descent.", question
    )


def test_a_count_must_be_of_what_is_asked_and_of_the_named_subject(pipeline) -> None:  # type: ignore[no-untyped-def]
    from rag_service.answer.pipeline import AnswerPipeline
    from tests.fakes import scripted

    g = GroundingChecker()
    question = "How many GPUs were used to train Chinchilla?"
    transformer = (
        "Attention Is All You Need › 5.2 Hardware\nWe trained our models on one machine with 8 NVIDIA P100 GPUs."
    )
    copied = "We trained our models on one machine with 8 NVIDIA P100 GPUs."
    # the sentence repeats no name, so only the question's name shows whose GPUs these are not
    assert g.claim_problems(copied, transformer, True, question) == ["the source does not name Chinchilla"]
    assert g.claim_problems(copied, "notes › Chinchilla\n* " + copied, False, question) == []
    # a count answers "how many GPUs" only if it counts GPUs (one GPU, 8 GPUs), not the "~20x" of the Chinchilla law
    law = "Chinchilla law: number of tokens during training should be ~20x the number of parameters of the model."
    assert not g.about_question(law, question)
    assert g.about_question("Chinchilla was trained on one GPU.", question)
    # end to end: the notes count no GPUs of Chinchilla; refused before or after the model's "[1]", never "P100"
    with_model = AnswerPipeline(pipeline.retriever, pipeline.settings, scripted(lambda prompt: "[1]"))
    prep = with_model.prepare(question, [])
    answer = with_model.finish(prep, "[1]", {}) if not prep.refused else None
    assert prep.refused or (answer is not None and answer.refused and "P100" not in answer.answer)


def test_a_four_digit_count_is_a_value_not_a_year(pipeline) -> None:  # type: ignore[no-untyped-def]
    from rag_service.answer.pipeline import AnswerPipeline
    from rag_service.text.numbers import gives_a_value
    from tests.fakes import scripted

    assert gives_a_value("The context length in GPT-3 is 2048 words.")
    assert not gives_a_value("The Transformer was published in 2017.")
    assert not gives_a_value("The Transformer was published in 2017 with attention only.")  # "with" counts nothing
    question = "What context length does GPT-3 have according to the 3Blue1Brown notes?"
    with_model = AnswerPipeline(pipeline.retriever, pipeline.settings, scripted(lambda prompt: ""))
    prep = with_model.prepare(question, [])
    n = next(i for i, h in enumerate(prep.hits, start=1) if "2048 words" in h.chunk.text)
    # the recorded model answer the value check refused when it read 2048 as a year
    answer = with_model.finish(
        prep, f"The context length in GPT-3 is 2048 words, as stated in the 3Blue1Brown notes. [{n}]", {}
    )
    assert not answer.refused and "2048" in answer.answer


def test_a_sentence_that_only_says_where_it_comes_from_goes() -> None:
    from rag_service.answer.cite import move_source_lines

    text = "Yes, bigger models learn better with small amounts of data. This is stated in [3] and [4]."
    assert move_source_lines(text) == "Yes, bigger models learn better with small amounts of data. [3][4]"
    assert move_source_lines("GPT-3 embeds words in 12,288 dimensions. This is mentioned in [1].").endswith(
        "dimensions. [1]"
    )
    kept = "It is stated in the notes that weight decay nudges weights towards 0. [1]"
    assert move_source_lines(kept) == kept
    # "This is from source [3]." (clean_answer leaves "This is [3].") says only where: its key goes to the sentence
    text = clean_answer("The BPB is 3 / (7/8) = 3.43 bits. This is from source [3].", [])
    assert move_source_lines(text) == "The BPB is 3 / (7/8) = 3.43 bits. [3]"
    assert move_source_lines("The BPB is 3.43. This comes from [2].") == "The BPB is 3.43. [2]"
    assert move_source_lines("This is important for compression. [2]") == "This is important for compression. [2]"


def test_asking_what_the_notes_list_is_not_asking_about_own_work() -> None:
    from rag_service.answer.grounding import asks_own_work, is_personal

    question = "Which papers do I list for speeding up LLM inference?"
    assert is_personal(question) and not asks_own_work(question)
    assert asks_own_work("What did I recommend for my RAG pipeline?")
    assert asks_own_work("Which vector database did I pick?")


def test_a_keys_only_answer_to_what_the_notes_list_falls_back_to_quoting(pipeline) -> None:  # type: ignore[no-untyped-def]
    from rag_service.answer.pipeline import AnswerPipeline
    from tests.fakes import scripted

    with_model = AnswerPipeline(pipeline.retriever, pipeline.settings, scripted(lambda prompt: ""))
    prep = with_model.prepare("Which papers do I list for speeding up LLM inference?", [])
    assert not prep.refused
    timings: dict[str, float] = {}
    # a recorded answer of the local model: keys alone
    answer = with_model.finish(prep, "[1], [2], [3], [4]", timings)
    assert "extractive_fallback_ms" in timings and not answer.refused, answer


def test_an_everyday_word_of_the_question_may_come_from_a_sibling_bullet(pipeline) -> None:  # type: ignore[no-untyped-def]
    karpathy = _note(
        "* LLM in practice consists of two files, parameters file and run file\n"
        "* model training (pretraining stage, stage 1):\n"
        "    * train with GPU, expensive: train llma 2 70b cost $2m, can take around 12 days\n"
        "    * 70b parameters (140g in size) is rudimentary level model (chatGPT would x10)\n"
        "* Stage 2: finetuning -> assistant model\n"
        "    * finetune base model based on this data, typically takes 1 day",
        ["Intro to Large Language Models, Andrej Karpathy"],
    )
    g = pipeline.grounding
    size = "How big is the parameters file of a 70b model?"
    # "file" is said of the two-files bullet, the 140g of the 70b one: an everyday word, so the join stands
    assert g.unbound_numbers("The parameters file of a 70b model is 140g in size.", [karpathy], size) == []
    # a technical word is never excused: the $2m is the pretraining stage's, not finetuning's
    cost = "How much did the finetuning stage of Llama 2 70B cost according to Karpathy?"
    claim = "The finetuning stage of Llama 2 70B cost $2m, which took around 12 days."
    assert "number 2000000 is stated of something else" in g.unbound_numbers(claim, [karpathy], cost)


def test_a_how_many_answer_needs_a_source_that_counts_it() -> None:
    g = GroundingChecker()
    question = "How many layers does Orca 2 have?"
    table = (
        "Pretrained models:\n| Model | Date | Number of parameters | Context window (tokens) |\n"
        "| --- | --- | --- | --- |\n| Orca 2 | 2023 | 7/13B | 4,096 |"
    )
    sentence = "Orca 2 has 7/13B layers, which is the number of parameters it has."
    assert g.claim_problems(sentence, table, False, question) == ["the source counts no layer"]
    assert g.claim_problems("Orca 2 has 7/13B parameters.", table, False, "How many parameters does Orca 2 have?") == []


def test_a_reference_the_model_added_is_removed_not_the_sentence(pipeline) -> None:  # type: ignore[no-untyped-def]
    verifier = pipeline.verifier
    notes = _note("* transitivity in model matches might not work in model comparison", ["subjective evaluation"])
    history = _note("* transformers (2017) -> GPT (June, 2018) -> BERT (Oct, 2018)", ["Transformer models"])
    added = "Transitivity might not work in model comparison (Aghajanyan et al., 2020) [1]."
    assert verifier.strip_unheld_references([notes], added) == "Transitivity might not work in model comparison [1]."
    assert verifier.strip_unheld_references([notes], "It fails (2023). [1]") == "It fails. [1]"
    # a reference its source holds stays
    held = "Transformers (2017) came before GPT. [1]"
    assert verifier.strip_unheld_references([history], held) == held
    # with the real index: the sentence stays cited to the note it copies; before, the
    # made-up author sent it to the LoRA paper, which names Aghajanyan
    prep = pipeline.prepare("Why might transitivity fail when comparing models?", [])
    n = next(i for i, h in enumerate(prep.hits, start=1) if "transitivity in model matches" in h.chunk.text)
    raw = f"Transitivity in model matches might not work in model comparison (Aghajanyan et al., 2020) [{n}]."
    answer = pipeline.finish(prep, raw, {})
    assert not answer.refused and "Aghajanyan" not in answer.answer and [c.n for c in answer.citations] == [n]


def test_a_value_question_may_open_with_a_preposition() -> None:
    from rag_service.answer.frame import parse
    from rag_service.index.bm25 import Tokenizer

    tok = Tokenizer()
    assert parse("Below what parameter count is pretraining with LoRA effective according to my notes?", tok).value
    assert parse("At what learning rate does training diverge?", tok).value
    assert not parse("In what order were the transformer models released?", tok).value


def test_the_number_of_a_table_or_section_is_a_label_not_a_value() -> None:
    from rag_service.text.numbers import gives_a_value, stated_numbers

    assert not gives_a_value("Table 5: Validation accuracy on WikiSQL and MultiNLI after applying LoRA.")
    assert not gives_a_value("Chapter 5, Prompt Engineering")
    assert stated_numbers("As Fig. 2 and Section 3.1 show, the accuracy is 73.2%.") == {"73.2"}
    assert gives_a_value("Table 5 shows a validation accuracy of 70.4.")
    assert gives_a_value("a table of 3 rows")  # a count of tables is an amount
    assert gives_a_value("we use a table 10 times larger")  # lower case: an everyday word, no label
