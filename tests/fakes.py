"""Deterministic stand-ins for fast unit tests (named as such): a scripted LLM behind llama-index's interface."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from llama_index.core.llms import CompletionResponse, CompletionResponseGen, CustomLLM, LLMMetadata
from llama_index.core.llms.callbacks import llm_completion_callback

from rag_service.llm.backends import LLMHandle


class ScriptedLLM(CustomLLM):
    """Returns ``script(prompt)``; streams it word by word. Records every prompt it was given."""

    script: Callable[[str], str]
    prompts: list[str] = []

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(model_name="scripted-fake", is_chat_model=False)

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        self.prompts.append(prompt)
        return CompletionResponse(text=self.script(prompt))

    @llm_completion_callback()
    def stream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponseGen:
        self.prompts.append(prompt)
        text, sofar = self.script(prompt), ""
        for word in text.split(" "):
            delta = word if not sofar else " " + word
            sofar += delta
            yield CompletionResponse(text=sofar, delta=delta)


def scripted(script: Callable[[str], str]) -> LLMHandle:
    return LLMHandle(llm=ScriptedLLM(script=script, prompts=[]), name="scripted-fake")
