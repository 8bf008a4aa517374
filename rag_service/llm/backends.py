"""LLM backends behind llama-index's LLM interface.

- ``local``: a GGUF model run in-process by xllamacpp (prebuilt llama.cpp wheel). xllamacpp also serves an
  OpenAI-compatible API on a loopback port, so the local and ``openai`` backends share one client, llama-index's
  ``OpenAILike``, streaming included.
- ``openai``: any OpenAI-compatible server (Ollama, vLLM, llama.cpp server, OpenAI) by base URL, model and key.
- ``extractive``: no LLM at all (``build_llm`` returns None; the pipeline answers with cited source sentences).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rag_service.llm.models import assemble
from rag_service.settings import Settings


class LLMUnavailableError(RuntimeError):
    """The configured backend cannot be used (missing model file, bad settings)."""


@dataclass
class LocalServer:
    """An xllamacpp server kept alive for the app's lifetime."""

    server: Any
    address: str
    model_path: Path

    @classmethod
    def start(cls, settings: Settings) -> LocalServer:
        """Load the GGUF (assembling the packaged default on first use) and start serving on loopback."""
        import xllamacpp as xlc

        opts = settings.llm_opts
        path = Path(opts.model_path) if opts.model_path else assemble(opts.packaged_model, settings.data_dir / "models")
        if not path.is_file():
            raise LLMUnavailableError(f"llm_opts.model_path: {path} is not a file")
        params = xlc.CommonParams()
        params.model.path = str(path)
        params.n_ctx = opts.n_ctx
        params.cpuparams.n_threads = opts.threads
        params.cpuparams_batch.n_threads = opts.threads
        params.verbosity = -1  # llama.cpp logs every request at info level otherwise
        params.no_extra_bufts = not opts.weight_repack
        flash = {"auto": "AUTO", "on": "ENABLED", "off": "DISABLED"}[opts.flash_attn]
        params.flash_attn_type = getattr(xlc.llama_flash_attn_type, f"LLAMA_FLASH_ATTN_TYPE_{flash}")
        if opts.speculative != "none":
            kind = "COMMON_SPECULATIVE_TYPE_" + opts.speculative.upper().replace("-", "_")
            params.speculative.types = [getattr(xlc.common_speculative_type, kind)]
        server = xlc.Server(params)
        address = server.listening_address
        if not address.startswith("http"):
            address = f"http://{address}"
        return cls(server=server, address=address.rstrip("/"), model_path=path)


@dataclass
class LLMHandle:
    """The llama-index LLM plus what keeps it running (the local server) and a name for reports."""

    llm: Any
    name: str
    local: LocalServer | None = None


def build_llm(settings: Settings) -> LLMHandle | None:
    """The configured backend, or None for ``extractive``."""
    from llama_index.llms.openai_like import OpenAILike

    opts = settings.llm_opts
    common: dict[str, Any] = dict(
        is_chat_model=True,
        context_window=opts.n_ctx,
        max_tokens=opts.max_tokens,
        temperature=opts.temperature,
        timeout=600.0,
        max_retries=0,
    )
    if settings.llm == "extractive":
        return None
    if settings.llm == "openai":
        if not opts.base_url:
            raise LLMUnavailableError("llm_opts.base_url must be set for llm=openai (NOTES_RAG_LLM_OPTS__BASE_URL)")
        llm = OpenAILike(model=opts.api_model, api_base=opts.base_url, api_key=opts.api_key, **common)
        return LLMHandle(llm=llm, name=f"openai:{opts.api_model}")
    local = LocalServer.start(settings)
    llm = OpenAILike(model="local", api_base=f"{local.address}/v1", api_key="none", **common)
    return LLMHandle(llm=llm, name=f"local:{local.model_path.name}", local=local)
