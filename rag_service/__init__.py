"""notes-rag core: hybrid retrieval and cited answers over study notes and the papers they link.

``from rag_service import NotesRetriever`` gives a llama-index retriever over the index (imported on first use, so
``import rag_service`` stays light)."""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["NotesRetriever", "__version__"]


def __getattr__(name: str) -> Any:
    if name == "NotesRetriever":
        from rag_service.llama import NotesRetriever

        return NotesRetriever
    raise AttributeError(f"module 'rag_service' has no attribute {name!r}")
