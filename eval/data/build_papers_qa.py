"""The paper QA set: questions over the 7 shared PDFs, each with its page and a verbatim evidence span.

Questions are written by hand (paraphrased, not copied from the span); each carries a short key phrase that is
verbatim in the paper. The builder finds the first page holding the key in the extracted text and stores the sentence
around it as the evidence span, so every span is checked against the extractor's output; the test suite re-checks
them. Run: python eval/data/build_papers_qa.py [papers dir]
"""

import json
import re
import sys
from pathlib import Path

from ingest.paper_structure import read_pdf
from ingest.papers import scan_papers_dir

M = "1701.06538"
A = "1706.03762"
S = "2101.03961"
L = "2106.09685"
I = "2203.02155"
R = "2210.03629"
D = "2305.18290"
Q = [
    (M, "What was the parameter count of the largest mixture-of-experts language model?", "137 billion parameters"),
    (M, "What kind of gating does the MoE layer use to pick experts?", "Noisy Top-K Gating"),
    (
        M,
        "Why does conditional computation hurt GPU efficiency through batch size?",
        "Conditional computation reduces the batch sizes",
    ),
    (M, "How does the MoE paper keep all experts equally used?", "importance of an expert"),
    (
        M,
        "Which language modeling benchmark with about a billion words was used for the MoE experiments?",
        "829 million words",
    ),
    (M, "What BLEU score did the MoE reach on WMT'14 English to French?", "Our approach achieved BLEU scores of 40.56"),
    (M, "How is a hierarchical mixture of experts organised?", "hierarchical MoE"),
    (M, "What is the shrinking batch problem in mixtures of experts?", "shrinking batch problem"),
    (M, "Where in the network is the MoE layer inserted?", "between stacked LSTM layers"),
    (M, "What computational efficiency per GPU did the MoE models reach?", "TFLOPS/GPU"),
    (
        M,
        "How much more model capacity did conditional computation deliver in the MoE work?",
        "greater than 1000x improvements",
    ),
    (M, "What do the experts in the MoE layer consist of?", "each a simple feed-forward neural network"),
    (A, "What hardware was the Transformer trained on?", "8 NVIDIA P100 GPUs"),
    (A, "What BLEU did the Transformer get on English-to-German translation?", "28.4 BLEU"),
    (A, "Why are dot products divided by the square root of the key dimension?", "grow large in magnitude"),
    (A, "How many attention heads does the base Transformer use?", "h = 8 parallel attention layers"),
    (A, "How does the Transformer encode token positions?", "sine and cosine functions of different frequencies"),
    (A, "Which optimizer trained the Transformer?", "We used the Adam optimizer"),
    (A, "How much label smoothing was used for the Transformer?", "label smoothing of value"),
    (A, "How many layers does the Transformer encoder stack have?", "N = 6 identical layers"),
    (A, "What is the inner dimension of the position-wise feed-forward network?", "inner-layer has dimensionality"),
    (
        A,
        "Why does self-attention help with learning long-range dependencies?",
        "path length between long-range dependencies",
    ),
    (
        A,
        "On which treebank did they test the Transformer for constituency parsing?",
        "Wall Street Journal (WSJ) portion of the Penn Treebank",
    ),
    (A, "What dropout rate did the base Transformer use?", "P_drop = 0.1"),
    (
        S,
        "How much faster than T5 does a Switch model pre-train with the same compute?",
        "7x increases in pre-training speed",
    ),
    (S, "To how many experts does the Switch layer send each token?", "route to only a single expert"),
    (S, "What does the expert capacity of a Switch layer mean?", "the number of tokens each expert computes"),
    (S, "Which numeric precision trick keeps Switch training stable?", "selectively casting to float32 precision"),
    (S, "What change to weight initialization helped Switch Transformer stability?", "by a factor of 10"),
    (S, "How large were the biggest Switch models?", "trillion parameter"),
    (S, "What regularisation do they use inside experts when fine-tuning Switch models?", "expert dropout"),
    (S, "Across how many languages did multilingual Switch pre-training improve over mT5?", "101 languages"),
    (S, "How much of the sparse model's quality gain survives distillation into a dense model?", "30%"),
    (S, "What auxiliary loss does Switch add to balance load across experts?", "auxiliary load balancing loss"),
    (S, "How many experts does Switch-C have?", "2048"),
    (S, "Why did the Switch authors route to one expert rather than k>1?", "conjectured that routing to k > 1 experts"),
    (
        L,
        "By how much does LoRA cut the number of trainable parameters relative to full fine-tuning of GPT-3?",
        "10,000 times",
    ),
    (L, "Does LoRA slow down inference?", "no additional inference latency"),
    (L, "Which attention weight matrices did the LoRA experiments adapt?", "W_q and W_v"),
    (L, "How are the LoRA matrices A and B initialised?", "zero for B"),
    (L, "How is the low-rank update scaled in LoRA?", "We then scale"),
    (L, "How small can the LoRA rank be and still work?", "very low rank"),
    (L, "How much VRAM does LoRA save when training GPT-3 175B?", "1.2TB to 350GB"),
    (L, "How big is a LoRA checkpoint for GPT-3 compared with a full one?", "35MB"),
    (L, "What hypothesis about weight updates motivates LoRA?", "intrinsic rank"),
    (L, "What is wrong with adapter layers according to the LoRA paper?", "Adapter Layers Introduce Inference Latency"),
    (L, "What problem does prefix tuning have?", "prefix tuning is difficult to optimize"),
    (L, "How much faster is training with LoRA on GPT-3?", "25% speedup"),
    (
        I,
        "How did a 1.3B InstructGPT compare with the 175B GPT-3 in human evaluations?",
        "1.3B parameter InstructGPT model are preferred",
    ),
    (I, "How many labelers did OpenAI hire for InstructGPT data?", "team of about 40 contractors"),
    (I, "What does PPO-ptx add to PPO?", "mixing the pretraining gradients into the PPO gradients"),
    (I, "How often did InstructGPT make up facts on closed-domain tasks compared with GPT-3?", "hallucination rate"),
    (I, "How did InstructGPT do on TruthfulQA?", "twice as often"),
    (I, "What is the alignment tax?", "alignment tax"),
    (I, "What size reward model was used for InstructGPT?", "6B RM"),
    (I, "By how much did InstructGPT reduce toxic outputs?", "25% fewer toxic outputs"),
    (I, "How many prompts are in the SFT dataset?", "13k training prompts"),
    (I, "How many outputs were labelers asked to rank per prompt?", "between K = 4 and K = 9"),
    (I, "Whose preferences is InstructGPT aligned to?", "aligned to a set of labelers"),
    (I, "What are the three steps of the InstructGPT method?", "Step 1"),
    (R, "What does ReAct interleave when prompting a language model?", "in an interleaved manner"),
    (
        R,
        "By how much did ReAct beat imitation and RL methods on ALFWorld and WebShop?",
        "absolute success rate of 34% and 10%",
    ),
    (R, "What external tool does ReAct use for question answering and fact checking?", "simple Wikipedia API"),
    (R, "Which actions can the ReAct agent take in the Wikipedia environment?", "search[entity]"),
    (R, "Which language model was prompted in the ReAct experiments?", "PaLM-540B"),
    (R, "How does ReAct decide when to fall back to chain-of-thought self-consistency?", "back off to"),
    (
        R,
        "Why did the Inner-Monologue-style ReAct variant do worse on ALFWorld?",
        "lack of high-level goal decomposition",
    ),
    (R, "What share of chain-of-thought failures on HotpotQA came from hallucination?", "major failure mode"),
    (R, "What happens when ReAct is fine-tuned instead of prompted?", "when finetuned with just 3,000 examples"),
    (R, "Which prior work is closest to ReAct?", "Perhaps the closest prior work is Inner Monologue"),
    (R, "How many in-context examples does ReAct need on the decision-making tasks?", "one or two in-context examples"),
    (D, "Which parts of the usual RLHF pipeline does DPO remove?", "without explicit reward modeling"),
    (D, "What kind of loss does DPO optimise?", "binary cross entropy"),
    (D, "What does the beta parameter control in DPO?", "controlling the deviation"),
    (D, "Which model of human preferences does DPO build on?", "Bradley-Terry"),
    (D, "On which tasks was DPO evaluated?", "sentiment modulation"),
    (D, "How were DPO's summaries and dialogue responses judged?", "as a proxy for human evaluation"),
    (D, "What win rate did DPO get on TL;DR summarization?", "61%"),
    (D, "Which dataset was used for the single-turn dialogue experiments?", "Anthropic Helpful and Harmless"),
    (D, "Why is DPO easier to run than PPO-based RLHF?", "computationally lightweight"),
    (
        D,
        "How does the DPO update avoid the degeneration of a naive probability-ratio objective?",
        "per-example importance weight",
    ),
    (D, "What is the implicit reward in DPO?", "implicit reward"),
    (
        D,
        "What reference policy does DPO use when no SFT model is available?",
        "maximizing likelihood of preferred completions",
    ),
]

_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z(])")


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def evidence(page: str, key: str) -> str:
    """The sentence of ``page`` holding ``key``; a 300-character window around it for table soup."""
    flat = " ".join(page.split())
    sent = next(s for s in _SENT.split(flat) if _norm(key) in _norm(s))
    if len(sent) <= 400:
        return sent
    at = _norm(sent).index(_norm(key))
    return sent[max(0, at - 150) : at + len(key) + 150].strip()


def main() -> None:
    papers = scan_papers_dir(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/papers"))
    pages = {pid: read_pdf(path).pages for pid, path in papers.items()}
    out = []
    for n, (pid, question, key) in enumerate(Q, start=1):
        page_no = next(i for i, p in enumerate(pages[pid], start=1) if _norm(key) in _norm(p))
        span = evidence(pages[pid][page_no - 1], key)
        ctx = {"type": "paper", "paper_id": pid, "page": page_no, "text": span}
        out.append(
            {
                "id": f"p{n:02d}",
                "question": question,
                "history": [],
                "answerable": True,
                "reference_answer": span,
                "contexts": [ctx],
                "tags": ["paper-qa", pid],
            }
        )
    path = Path(__file__).parent / "papers_qa.jsonl"
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in out), encoding="utf-8")
    print(f"{len(out)} questions -> {path}")


if __name__ == "__main__":
    main()
