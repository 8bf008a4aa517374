"""Environment for running with no network: no hub downloads, no telemetry, tiktoken from llama-index's cache.

Called once at process entry (CLI, app factory, tests) before the libraries that read these variables are imported.
Values already set by the user win, so a user with network can turn the hub back on.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path


def tiktoken_cache_dir() -> str | None:
    """The tiktoken encodings shipped inside llama-index-core (cl100k_base, o200k_base)."""
    spec = importlib.util.find_spec("llama_index.core")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "_static" / "tiktoken_cache"
    return str(path) if path.is_dir() else None


def ensure_offline_env() -> None:
    """Set the variables that stop hidden downloads and telemetry (idempotent)."""
    defaults = {
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "HF_HUB_DISABLE_TELEMETRY": "1",
        "ANONYMIZED_TELEMETRY": "False",  # chromadb
        "RAGAS_DO_NOT_TRACK": "true",
        "TOKENIZERS_PARALLELISM": "false",
    }
    for key, value in defaults.items():
        os.environ.setdefault(key, value)
    cache = tiktoken_cache_dir()
    if cache:
        # Anywhere else makes llama-index try to download the encodings.
        os.environ.setdefault("TIKTOKEN_CACHE_DIR", cache)
