"""The house rules that code review alone would let slip: the core imports neither ingest nor eval, and the CLI's
import loads no model, index or web framework until a command runs."""

from __future__ import annotations

import subprocess
import sys

CORE = ["rag_service.app", "rag_service.api.main", "rag_service.cli", "rag_service.mcp_server", "rag_service.llama"]


def _loaded_after(imports: list[str]) -> set[str]:
    code = "import sys\n" + "".join(f"import {m}\n" for m in imports) + "print('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return {m.split(".")[0] for m in out.split()}


def test_the_core_imports_neither_ingest_nor_eval() -> None:
    loaded = _loaded_after(CORE)
    assert "rag_service" in loaded and "fastapi" in loaded  # the imports really ran
    assert not loaded & {"ingest", "eval"}, loaded & {"ingest", "eval"}


def test_the_cli_starts_without_heavy_imports() -> None:
    loaded = _loaded_after(["notes_rag.cli"])
    assert {"ingest", "eval", "rag_service", "typer"} <= loaded  # every package's commands are mounted
    heavy = {"torch", "sentence_transformers", "chromadb", "llama_index", "fastapi", "xllamacpp", "ragas", "numpy"}
    assert not loaded & heavy, loaded & heavy


def test_no_rule_in_the_core_names_an_evaluation_question() -> None:
    """A rule states a general principle: no golden question id or batch name in the service's code or docs."""
    import re
    from pathlib import Path

    core = Path(__file__).resolve().parents[1] / "rag_service"
    found = [
        f"{path.name}:{n}"
        for path in core.rglob("*.py")
        for n, line in enumerate(path.read_text().splitlines(), start=1)
        if re.search(r"\bq\d{2,3}p?\b|\bfresh\d+\b|\b[jn][dr]\d{3}\b", line)
    ]
    assert not found, found


def test_data_flows_one_way_retrieval_and_index_never_import_answer() -> None:
    """files -> index -> retrieval -> answer: the lower layers (and the shared text analysis) import no answer code."""
    import ast
    from pathlib import Path

    core = Path(__file__).resolve().parents[1] / "rag_service"
    lower = [p for d in ("index", "retrieval", "text") for p in (core / d).rglob("*.py")]
    assert len(lower) >= 8  # the packages are there
    wrong = [
        f"{path.relative_to(core)} imports {node.module}"
        for path in lower
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("rag_service.answer")
    ]
    assert not wrong, wrong
