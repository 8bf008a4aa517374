"""The llama-index retriever over the real index: NodeWithScore with our metadata, usable in a llama-index engine."""

from __future__ import annotations

from llama_index.core.llms import MockLLM
from llama_index.core.query_engine import RetrieverQueryEngine
from llama_index.core.response_synthesizers.no_text import NoText

from rag_service import NotesRetriever
from rag_service.index.store import HybridIndex
from rag_service.retrieval.hybrid import build_retriever


def test_retriever_returns_nodes_with_source_metadata(full_index: HybridIndex) -> None:
    settings = full_index.settings
    retriever = NotesRetriever(build_retriever(full_index, settings.retrieval), settings, k=4)
    hits = retriever.retrieve("DPO training tips learning rate")
    assert len(hits) == 4 and hits[0].score is not None
    top = hits[0].node
    assert "5e-7" in top.get_content() and top.metadata["type"] == "note"
    assert top.metadata["url"].endswith("#dpo-training") and "DPO training" in top.metadata["heading_path"]
    assert "url" not in top.get_content(metadata_mode="llm")  # deep links are for readers, not the prompt
    papers = NotesRetriever(build_retriever(full_index, settings.retrieval), settings, k=3, filters={"type": "paper"})
    assert all(
        h.node.metadata["type"] == "paper" and h.node.metadata["page"] >= 1 for h in papers.retrieve("LoRA rank")
    )


def test_retriever_plugs_into_a_llama_index_query_engine(full_index: HybridIndex) -> None:
    settings = full_index.settings
    retriever = NotesRetriever(build_retriever(full_index, settings.retrieval), settings, k=3)
    # "no_text" synthesis returns the retrieved nodes without calling an LLM (MockLLM: llama-index's named stand-in,
    # so it does not reach for an OpenAI default)
    # (llama-index's NO_TEXT factory path drops the llm argument and reaches for Settings.llm, hence NoText directly)
    engine = RetrieverQueryEngine(retriever, response_synthesizer=NoText(llm=MockLLM()))
    response = engine.query("Which weight matrices is LoRA applied to?")
    assert len(response.source_nodes) == 3
    assert any("LoRA" in n.node.get_content() for n in response.source_nodes)


def test_the_readme_example_opens_the_index_from_settings(full_index: HybridIndex) -> None:
    retriever = NotesRetriever.from_settings(full_index.settings, k=2)
    hits = retriever.retrieve("noisy top-k gating")
    assert len(hits) == 2 and all(h.node.metadata["url"] for h in hits)
    assert any(h.node.metadata.get("paper_id") == "1701.06538" for h in hits)
