"""The golden set, written by hand from the notes and the 7 papers (no LLM-made answers).

Run to regenerate golden.jsonl; tests/test_eval.py checks every reference snippet is verbatim in its source."""

import json
from pathlib import Path

S = "llm-study-notes.md"
C = "contents.md"
L = "large-language-models.md"
R = "reading-list.md"
G = "llm-reading-guide.md"


def note(f, h, t):
    return {"type": "note", "file": f, "heading": h, "text": t}


def paper(p, pg, t):
    return {"type": "paper", "paper_id": p, "page": pg, "text": t}


Q: list[dict] = []


def q(question, answer, contexts, tags=(), history=None, answerable=True):
    Q.append(
        {
            "id": f"q{len(Q) + 1:02d}",
            "question": question,
            "history": history or [],
            "answerable": answerable,
            "reference_answer": answer,
            "contexts": contexts,
            "tags": list(tags),
        }
    )


def unanswerable(texts: list[str], tags: list[str]) -> None:
    for text in texts:
        q(text, "The sources don't say.", [], tags=["unanswerable", *tags], answerable=False)


def answerable(rows: list[tuple[str, str, dict]], tags: list[str]) -> None:
    for question, answer, ctx in rows:
        q(question, answer, [ctx], tags=tags)


# ---- notes
q(
    "How much did it cost to train Llama 2 70B according to Karpathy's intro to LLMs?",
    "About $2m, and training can take around 12 days on GPUs.",
    [note(S, "Intro to Large Language Models, Andrej Karpathy", "train llma 2 70b cost $2m, can take around 12 days")],
)
q(
    "What two files does an LLM consist of in practice?",
    "A parameters file and a run file.",
    [
        note(
            S,
            "Intro to Large Language Models, Andrej Karpathy",
            "LLM in practice consists of two files, parameters file and run file",
        )
    ],
)
q(
    "What are the LLM security problems Karpathy mentions?",
    "Jailbreaks, prompt injection and data poisoning.",
    [
        note(
            S,
            "Intro to Large Language Models, Andrej Karpathy",
            "data poisoning (malicious data used in training model can poison LLM)",
        )
    ],
)
q(
    "What is a chain of thought according to Wei et al.?",
    "A series of intermediate reasoning steps that lead to the final answer.",
    [
        note(
            S,
            "Wei et al. Chain-of-Thought Prompting Elicits Reasoning in Large Language Models (2022-3)",
            "a chain of thought is a series of intermediate reasoning steps that lead to the final answer",
        )
    ],
)
q(
    "Which earlier approaches do my ReAct notes compare it with, and what did each lack?",
    "Act-only (actions, no thoughts), CoT (thoughts, no actions, which leads to hallucination) and Inner Monologue (both, but limited to task decomposition thoughts and no observations).",
    [note(S, "Yao et al. ReAct (2023)", "CoT: only thoughts, no actions (leads to hallucination)")],
)
q(
    "What are the three steps of the InstructGPT training method?",
    "Collect demonstration data and train a supervised policy; collect comparison data and train a reward model; optimize a policy against the reward model with PPO.",
    [
        note(
            S,
            "Training language models to follow instructions with human feedback (openai, 2022)",
            "collection comparison data (between model outputs), and train a reward model",
        )
    ],
)
q(
    "How much memory does inference need for a 13B model with 2-byte parameters?",
    "About 31.2 GB: 13 x 2 x 1.2.",
    [note(S, "memory management", "13 * 2 * 1.2 = 31.2GB")],
)
q(
    "What are the two steps of inference for transformer-based models?",
    "Prefill, which processes the input tokens in parallel and builds key/value states, and decode, which generates one output token at a time.",
    [note(S, "modeling", "prefill: process input tokens in parallel")],
)
q(
    "How much memory is needed to run a 7B model if each parameter takes 2 bytes?",
    "7 x 2 = 14 GB.",
    [note(S, "modeling", "a 7B model requires 7 * 2 = 14B bytes (14GB)")],
)
q(
    "When should I choose RAG over finetuning?",
    "For information-based problems (outputs factually wrong or dated) use RAG; for behavior-based problems (format, irrelevant answers) finetune.",
    [note(S, "RAG & Finetuning", "information based problems: outputs are factually wrong or dated --> RAG")],
)
q(
    "What workflow do my notes give for diagnosing and improving model performance?",
    "Establish eval, try prompting with more examples, RAG with term-based search, RAG with embedding-based search, finetuning, then combine them.",
    [note(S, "RAG & Finetuning", "RAG with embedding-based search")],
)
q(
    "What share of GPT-3's parameters does LoRA train according to my notes?",
    "Only 0.0027% of the parameters, while matching or beating full finetuning.",
    [note(S, "Finetuning techniques", "0.0027% of trainable parameters for GPT3")],
)
q(
    "Which weight matrices is LoRA usually applied to?",
    "Most commonly the query, key, value and output projection matrices.",
    [note(S, "Finetuning techniques", "query, key, value and output projection matrices")],
)
q(
    "What is the difference between sparse and dense retrieval?",
    "Sparse (term-based) retrieval uses vocabulary-length vectors and keywords (TF, IDF, BM25); dense retrieval uses embeddings where most elements are non-zero.",
    [
        note(
            S,
            "Chapter 6, RAG and Agents › RAG",
            "dense retrieval uses embeddings, where most elements of a vector aren't 0",
        )
    ],
    tags=["paraphrase"],
)
q(
    "What is hybrid search in RAG?",
    "It combines term-based and embedding-based retrieval: search for keywords first, then rank the results with embeddings.",
    [note(S, "Chapter 6, RAG and Agents › RAG", "hybrid search combine term based and embedding based model")],
)
q(
    "What are the three parts of the RAG triad?",
    "Answer relevance, context relevance and groundedness.",
    [note(S, "RAG evals", "Groundedness: is the response supported by the context")],
)
q(
    "What kind of task does GraphRAG target where ordinary RAG fails?",
    "Query-focused summarization: summarizing the whole corpus rather than retrieving specific pieces.",
    [note(S, "GraphRAG paper", "query-focused summarization (QFS)")],
)
q(
    "How does GraphRAG build and use its graph to answer a query?",
    "An LLM extracts entities and relationships per chunk into a knowledge graph, generates community summaries at several levels, and answers with map-reduce: each community gives a partial answer combined into a global one.",
    [note(S, "GraphRAG paper", "use map reduce where each community generates a partial answers")],
)
q(
    "What are the DPO training tips from my experiments?",
    "With the HuggingFace Trainer: gradient accumulation of 4 for large prompts, a lower learning rate (5e-7), a higher beta, and not training on too much data.",
    [
        note(C, "DPO training", "lower the learning rate (5e-7)"),
        note(L, "DPO training", "lower the learning rate (5e-7)"),
    ],
)
q(
    "Which paper describes Groq's hardware?",
    "The ISCA paper on the tensor streaming processor (TSP), with a YouTube video.",
    [note(L, "Groq", "tensor streaming processor"), note(C, "Groq", "tensor streaming processor")],
)
q(
    "Which papers do I list for speeding up LLM inference?",
    "MEDUSA (multiple decoding heads), DeepSpeed-FastGen and EAGLE (speculative sampling).",
    [
        note(L, "Speedup the inference of LLMs", "EAGLE: Speculative Sampling"),
        note(C, "Speedup the inference of LLMs", "EAGLE: Speculative Sampling"),
    ],
)
q(
    "How do my reading notes define KL divergence?",
    "The average number of extra bits needed to encode the data because distribution q was used instead of the true distribution p; it is zero when they are the same.",
    [note(R, "Machine Learning & Mathematics", "the average number of extra bits needed to encode the data")],
)
q(
    "Why is mixture of experts attractive according to my reading list?",
    "It scales the parameter count without proportionally scaling inference compute, since only selected experts run.",
    [
        note(
            R,
            "AI",
            "allows for scaling model parameter count without needing to proportionally scale inference compute",
        )
    ],
)
q(
    "What are reasoning LLMs not needed for?",
    "Summarization, translation and knowledge-based question answering.",
    [
        note(
            S,
            "Understand Reasoning LLMs",
            "not necessary for summarization, translation, or knowledge-based question answering",
        )
    ],
)
q(
    "What formula estimates the GPU memory for LLM inference?",
    "M = (P x (Q/8)) x 1.2, with P parameters and Q bits per parameter.",
    [note(S, "Memory requirement for LLM inference:", "M = (P x (Q/8)) x 1.2")],
)
q(
    "What are the two kinds of parameter-efficient finetuning?",
    "Adapter-based and soft prompt-based (e.g. prefix-tuning, prompt tuning).",
    [note(S, "Finetuning techniques", "two kinds of PEFT, adapter-based and soft prompt-based")],
)
q(
    "How long does a demonstration pair take to write and what does it cost?",
    "Up to 30 minutes and around $20 per prompt/response pair.",
    [note(S, "Post-Training", "a pair of prompt and response takes up to 30min to generate, can cost around $20")],
)
q(
    "Why do agents need stronger models than single calls?",
    "Errors compound over steps: 95% accuracy per step over 10 steps gives about 60%.",
    [note(S, "Agent", "an agent with 95% accuracy that performs 10 steps will have an accuracy of 60%")],
)
q(
    "What is LangGraph's architecture based on?",
    "Google's Pregel graph architecture.",
    [note(S, "Architecture", "based on graph architecture of Google's Pregel")],
)
q(
    "In the VAR paper club notes, what replaces the VAE?",
    "A VQ-VAE.",
    [note(S, "Visual Autoregressive (VAR) Modeling NeurIPS 2024 paper club", "VAE is replaced by VQ-VAE")],
)
q(
    "Which references does my reading guide give for rotary positional embeddings?",
    "The Eleuther blog 'Rotary Embeddings: A Relative Revolution', chapter 1.3 of Cyril Zakka's LLM Playbook, and labml's annotated RoPE implementation.",
    [note(G, "Ch 1 Attention and Transformer", "Rotary Embeddings: A Relative Revolution")],
)
q(
    "Which two MoE papers are mentioned right after the Phixtral MoE note?",
    "arXiv 1701.06538 (sparsely-gated MoE) and 1312.4314.",
    [note(L, "", "Two MoE papers: https://arxiv.org/pdf/1701.06538.pdf and https://arxiv.org/pdf/1312.4314.pdf")],
)
# ---- papers
A = "1706.03762"
M = "1701.06538"
W = "2101.03961"
LO = "2106.09685"
I = "2203.02155"
RE = "2210.03629"
D = "2305.18290"
q(
    "What BLEU score does the Transformer reach on WMT 2014 English-to-German?",
    "28.4 BLEU, over 2 BLEU better than the previous best results including ensembles.",
    [paper(A, 1, "Our model achieves 28.4 BLEU on the WMT 2014")],
    tags=["paper"],
)
q(
    "How many attention heads does the Transformer use, and what is the dimension of each?",
    "h = 8 heads, with d_k = d_v = d_model/h = 64.",
    [paper(A, 5, "we employ h = 8 parallel attention layers, or heads")],
    tags=["paper"],
)
q(
    "Why did the Transformer authors choose sinusoidal positional encodings over learned ones?",
    "Both gave nearly identical results; sinusoids may let the model extrapolate to sequences longer than those seen in training.",
    [paper(A, 6, "We chose the sinusoidal version because it may allow the model to extrapolate")],
    tags=["paper"],
)
q(
    "How many warmup steps did the Transformer's learning rate schedule use?",
    "4000 warmup steps, then decay with the inverse square root of the step number.",
    [paper(A, 7, "We used warmup_steps = 4000")],
    tags=["paper"],
)
q(
    "What label smoothing did Attention Is All You Need use and what did it do?",
    "ε_ls = 0.1; it hurts perplexity but improves accuracy and BLEU.",
    [paper(A, 8, "we employed label smoothing of value ε_ls = 0.1")],
    tags=["paper"],
)
q(
    "How does the sparsely-gated mixture-of-experts paper keep the experts balanced?",
    "An importance loss: importance is the batchwise sum of gate values per expert, and L_importance = w_importance * CV(Importance(X))^2 is added to the loss.",
    [paper(M, 5, "We define the importance of an expert relative to a batch of training examples")],
    tags=["paper"],
)
q(
    "What is noisy top-k gating?",
    "Tunable Gaussian noise is added to the gating logits, only the top k values are kept (others set to -inf) before the softmax, giving sparse gates.",
    [paper(M, 4, "Noisy Top-K Gating: We add two components to the Softmax gating network: sparsity and noise")],
    tags=["paper"],
)
q(
    "What is the shrinking batch problem in mixture-of-experts models?",
    "With many experts each expert receives only about kb/n examples of a batch, so a naive MoE becomes very inefficient as experts increase.",
    [paper(M, 4, "The solution to this shrinking batch problem")],
    tags=["paper"],
)
q(
    "How large were the MoE models in the sparsely-gated MoE paper?",
    "Up to 137 billion parameters, applied convolutionally between stacked LSTM layers.",
    [
        paper(M, 1, "a MoE with up to 137 billion parameters"),
        paper(M, 8, "This corresponds to up to 137 billion parameters in the MoE layer"),
    ],
    tags=["paper"],
)
q(
    "What routing strategy defines a Switch layer?",
    "Routing each token to a single expert (k = 1).",
    [paper(W, 6, "This k = 1 routing strategy is later referred to as a Switch layer")],
    tags=["paper"],
)
q(
    "What is expert dropout in Switch Transformers?",
    "During fine-tuning, a much higher dropout rate applied only at the interim feed-forward computation inside each expert.",
    [paper(W, 11, "increase the dropout inside the experts, which we name as expert dropout")],
    tags=["paper"],
)
q(
    "What pre-training speedup do Switch Transformers report?",
    "Up to 7x faster pre-training with the same computational resources, based on T5-Base and T5-Large.",
    [
        paper(W, 1, "to obtain up to 7x increases in pre-training speed"),
        paper(W, 4, "where we measure 7x+ pre-training speedups"),
    ],
    tags=["paper"],
)
q(
    "By how much does LoRA cut trainable parameters and GPU memory compared with fine-tuning GPT-3 175B?",
    "Trainable parameters by 10,000 times and GPU memory by 3 times.",
    [
        paper(
            LO,
            1,
            "LoRA can reduce the number of trainable parameters by 10,000 times and the GPU memory requirement by 3 times",
        )
    ],
    tags=["paper"],
)
q(
    "How much smaller is a LoRA checkpoint for GPT-3 175B?",
    "About 10,000x smaller: from 350GB to 35MB with r = 4 adapting only the query and value projections.",
    [paper(LO, 5, "from 350GB to 35MB")],
    tags=["paper"],
)
q(
    "Does LoRA add inference latency?",
    "No: unlike adapters, LoRA adds no inference latency.",
    [
        paper(LO, 1, "unlike adapters, no additional inference latency"),
        paper(LO, 5, "to eliminate additional inference latency"),
    ],
    tags=["paper"],
)
q(
    "How did the 1.3B InstructGPT model compare with 175B GPT-3 in human evaluations?",
    "Its outputs were preferred, despite having 100x fewer parameters.",
    [paper(I, 1, "outputs from the 1.3B parameter InstructGPT model are preferred to outputs from the 175B GPT-3")],
    tags=["paper"],
)
q(
    "How many labelers did OpenAI hire for the InstructGPT data?",
    "A team of 40 contractors, chosen with a screening test.",
    [paper(I, 2, "We first hire a team of 40 contractors to label our data")],
    tags=["paper"],
)
q(
    "What actions does ReAct's Wikipedia API offer?",
    "search[entity], lookup[string] and finish[answer].",
    [paper(RE, 4, "search[entity], which returns the first 5 sentences")],
    tags=["paper"],
)
q(
    "How much does ReAct improve success rates on ALFWorld and WebShop?",
    "By an absolute 34% and 10% over imitation and reinforcement learning methods, with one or two in-context examples.",
    [
        paper(RE, 1, "absolute success rate of 34% and 10% respectively"),
        paper(RE, 3, "with an absolute improvement of 34% and 10% in success rates"),
    ],
    tags=["paper"],
)
q(
    "What does DPO use instead of reinforcement learning to optimize preferences?",
    "A simple classification (binary cross-entropy) loss on preference pairs that yields the optimal policy in closed form.",
    [paper(D, 1, "with only a simple classification loss")],
    tags=["paper"],
)
q(
    "Which preference model does DPO build on?",
    "The Bradley-Terry model.",
    [paper(D, 2, "such as the Bradley-Terry model")],
    tags=["paper"],
)
# ---- paraphrased (keyword search alone misses them)
q(
    "Is there a way to fine-tune a huge model cheaply by learning only small matrices next to the frozen weights?",
    "Yes, LoRA: it trains low-rank decomposition matrices in parallel to frozen weights.",
    [
        paper(LO, 1, "LoRA can reduce the number of trainable parameters"),
        note(S, "Finetuning techniques", "LORA is the most popular PEFT technique"),
    ],
    tags=["paraphrase", "paper"],
)
q(
    "Which rule of thumb relates training data size to model size when compute is fixed?",
    "The Chinchilla scaling law: about 20 training tokens per parameter.",
    [note(S, "modeling", "approximately 20 times the model size")],
    tags=["paraphrase"],
)
q(
    "How can one tell if a model's response is actually backed by what was retrieved?",
    "Groundedness, one of the RAG triad metrics: is the response supported by the context.",
    [note(S, "RAG evals", "Groundedness: is the response supported by the context")],
    tags=["paraphrase"],
)
q(
    "Why would a small distilled model imitate a bigger one?",
    "Finetuning a small model on data generated by a larger model makes it behave like the larger model: distillation.",
    [note(S, "RAG & Finetuning", "This is called *distillation*")],
    tags=["paraphrase"],
)
# ---- follow-ups
q(
    "and how much memory does that need?",
    "LoRA cuts GPU memory by 3x versus full fine-tuning of GPT-3 175B (VRAM from 1.2TB to 350GB).",
    [paper(LO, 1, "the GPU memory requirement by 3 times"), paper(LO, 5, "from 1.2TB to 350GB")],
    tags=["follow-up", "paper"],
    history=[
        {"role": "user", "content": "What is LoRA?"},
        {
            "role": "assistant",
            "content": "LoRA is a parameter-efficient finetuning method that trains low-rank matrices.",
        },
    ],
)
q(
    "what benchmarks did they evaluate it on?",
    "HotpotQA and Fever for question answering and fact verification, ALFWorld and WebShop for interactive decision making.",
    [
        paper(RE, 1, "ALFWorld and WebShop"),
        paper(RE, 7, "ALFWorld and WebShop, both of which feature complex environments"),
        paper(RE, 8, "ReAct outperforms Act on both ALFWorld"),
    ],
    tags=["follow-up", "paper"],
    history=[
        {"role": "user", "content": "Tell me about the ReAct paper."},
        {"role": "assistant", "content": "ReAct interleaves reasoning traces and actions."},
    ],
)
q(
    "and how does it keep the experts evenly loaded?",
    "It adds a differentiable auxiliary load-balancing loss.",
    [paper(W, 7, "A Differentiable Load Balancing Loss")],
    tags=["follow-up", "paper"],
    history=[
        {"role": "user", "content": "What do Switch Transformers propose?"},
        {"role": "assistant", "content": "Routing each token to a single expert."},
    ],
)
q(
    "how many tokens per parameter does it recommend?",
    "About 20 training tokens per parameter.",
    [note(S, "modeling", "approximately 20 times the model size")],
    tags=["follow-up"],
    history=[
        {"role": "user", "content": "What is the Chinchilla scaling law?"},
        {"role": "assistant", "content": "A rule for the compute-optimal model and dataset size."},
    ],
)
# ---- unanswerable
unanswerable(
    [
        "What is the capital of Peru?",
        "Who won the 2022 FIFA World Cup?",
        "How many parameters does GPT-5 have?",
        "What is the time complexity of Dijkstra's algorithm with a binary heap?",
        "What does Kubernetes use etcd for?",
        "What is a good recipe for a sourdough starter?",
        "What inference speedup over Transformers does the Mamba paper report?",
        "Which GPU did I use for my DPO experiments?",
        "What learning rate did I use for PPO in my experiments?",
        "What is the DDIM sampling schedule for diffusion models?",
    ],
    [],
)
# ---- near misses: the topic is in the notes (or the paper), the asked fact is not
unanswerable(
    [
        "What reward accuracy did my DPO run reach after training?",
        "What throughput in tokens per second did I measure with vLLM?",
        "How many H100 GPUs did I use for my Llama-3-70B deployment?",
        "What latency in milliseconds did my Mixtral 8x7b TensorRT setup achieve?",
        "What perplexity did my own GPT model reach on the validation set?",
        "What MMLU score did my fine-tuned model get?",
        "How much did my Chinchilla-optimal training run cost?",
        "What chunk size did I choose for my RAG pipeline?",
        "Which embedding model did I deploy in my RAG project, and what recall did it get?",
        "What Elo rating did my chatbot get on the LMSYS arena?",
        "What LoRA rank did I use in my fine-tuning experiments?",
        "How much did I spend on GPUs to quantize models to GGUF?",
        "What speedup did I get from speculative decoding on my laptop?",
        "How many agents did I run in my multi-agent experiment?",
        "What sampling temperature did I settle on for my chain-of-thought experiments?",
        "What accuracy did my ReAct agent get on HotpotQA?",
        "How large was the KV cache in GB on my Llama 2 server?",
        "How long did it take me to train my mixture-of-experts model?",
        "What batch size did I use when fine-tuning Llama with QLoRA?",
        "What BLEU did my Transformer reimplementation get on WMT14?",
        "How many TPU chips did the ReAct experiments use?",
        "What top-1 accuracy does LoRA reach on ImageNet?",
    ],
    ["near-miss"],
)
# ---- fresh: written in session 15 before any run on them, from sections the tuning questions above do not use.
# They check that changes made for the questions above carry over; tagged so reports can show them apart.
FRESH = ["fresh"]
q(
    "What does the 3Blue1Brown series call the number a neuron holds?",
    "The value of a neuron is called its activation.",
    [
        note(
            S,
            "Chapter 1. neural network (multilayer perceptron)",
            "the values (normalized between 0 to 1) of neurons are called *activation*",
        )
    ],
    tags=FRESH,
)
q(
    "How many dimensions does a GPT-3 word embedding have?",
    "12,288 dimensions, with 50k words.",
    [note(S, "Chapter 5. How LLM work", "word embedding (word vector) in gpt-3 has 12,288 dimensions, with 50k words")],
    tags=FRESH,
)
q(
    "Why was the spam dataset balanced in the classification fine-tuning chapter?",
    "With 99% non-spam, a model gets 99% accuracy regardless of how it does on spam.",
    [note(S, "Discussion", "if the dataset has 99% of non-spams, the model automatically get 99% accuracy")],
    tags=FRESH,
)
q(
    "What are the three categories of transformer models in the Hugging Face course?",
    "GPT autoregressive, BERT auto-encoding and BART/T5 sequence-to-sequence transformers.",
    [note(S, "Transformer models", "BERT: auto-encoding transformers")],
    tags=FRESH,
)
q(
    "How does Tree of Thought deal with a branch that doesn't work?",
    "It backtracks to the parent branch to explore alternatives.",
    [note(S, "Yao et al. Tree of Thought (2023)", "it backtracks to the parent branch to explore alternatives")],
    tags=FRESH,
)
q(
    "What phrase does zero-shot chain-of-thought add to the prompt?",
    "Let's think step by step.",
    [note(S, "Prompt Engineering Overview", 'add "let\'s think step by step" to the original prompt')],
    tags=FRESH,
)
q(
    "What sampling temperature is recommended for creative use?",
    "0.7 is recommended for creative use.",
    [note(S, "sampling", "0.7 is recommended for creative use")],
    tags=FRESH,
)
q(
    "What biases does AI as a judge suffer from?",
    "Self-bias, favouring its own responses, and verbosity bias, favouring verbose responses.",
    [note(S, "subjective evaluation", "verbosity bias: favors verbose responses")],
    tags=FRESH,
)
q(
    "What are the three categories of tools an agent can use?",
    "Knowledge augmentation, capability extension and acting upon their environment.",
    [
        note(
            S,
            "Agent",
            "tools can fall into 3 categories: knowledge augmentation, capability extension and to act upon their environment",
        )
    ],
    tags=FRESH,
)
q(
    "What are the three components of a model's memory?",
    "Internal memory, short-term memory and long-term memory.",
    [note(S, "Memory", "long-term memory: RAG, persisted across tasks")],
    tags=FRESH,
)
q(
    "When does the agent loop of the OpenAI Agents SDK stop?",
    "When final_output is present, that is, the output has no tool calls or handoffs.",
    [
        note(
            S,
            "Openai agents sdk (production version of swarm)",
            "final_output is when the output does not have tool calls or handoffs",
        )
    ],
    tags=FRESH,
)
q(
    "What is infilling finetuning used for?",
    "Finetuning for masked tasks, used in editing and code debugging.",
    [note(S, "RAG & Finetuning", "the latter is called *infilling finetuning*, used in editing and code debugging")],
    tags=FRESH,
)
q(
    "When should response_format be used rather than function calling for structured output?",
    "response_format for the end user, function calling for tool use.",
    [note(S, "structured output (openai doc)", "use response_format for end user, function calling for tool use")],
    tags=FRESH,
)
q(
    "What share of global electricity do data centers consume?",
    "An estimated 1-2%, reaching between 4% and 20% by 2030.",
    [note(S, "modeling", "data centers are estimated to consume 1–2% of global electricity")],
    tags=FRESH,
)
q(
    "Which is generally better, AWQ or GPTQ?",
    "GPTQ: AWQ < GPTQ generally.",
    [note(L, "Speedup the inference of LLMs", "AWQ < GPTQ generally")],
    tags=FRESH,
)
q(
    "What does SGLang's RadixAttention reuse?",
    "The KV cache: prompts with identical prefixes share intermediate KV cache.",
    [note(L, "Speedup the inference of LLMs", "prompts with identical prefixes to share intermediate KV cache")],
    tags=FRESH,
)
unanswerable(
    [
        "What validation accuracy did I get on the spam classification dataset?",
        "What embedding dimension does GPT-4 use according to 3Blue1Brown?",
        "How much did it cost to train Llama 2 7B?",
        "What accuracy did Tree of Thought reach on the Game of 24?",
        "What ROUGE-L score did GraphRAG reach on query-focused summarization?",
        "What was the final loss of my micrograd training run?",
        "Which vector database did I pick for my bookmark organizer project?",
        "How many tokens per second did Groq's LPU reach in my benchmark?",
        "What top-p value did I use for my chatbot?",
        "How many hours did my DPO training run take?",
        "How many parameters did my distilled student model have?",
        "What recall@5 did my hybrid search reach?",
    ],
    ["near-miss", *FRESH],
)
# ---- fresh2: written in session 15 before the changes of that session, and not run until they were done: the
# untouched check of whether those changes carry over.
FRESH2 = ["fresh2"]
answerable(
    [
        (
            "Who wrote 'ChatGPT is a blurry JPEG of the web'?",
            "Ted Chiang.",
            note(G, "Ch 2 Training LLM and Text Generation", "ChatGPT is a blurry JPEG of the web, by Ted Chiang."),
        ),
        (
            "What are the two camps on the true nature of LLMs?",
            "Those who believe LLMs merely model surface statistics without true reasoning, and those who believe they are more.",
            note(
                G,
                "Ch 2 Training LLM and Text Generation",
                'there are two "camps" - those who believe they are merely modelling surface statistics',
            ),
        ),
        (
            "Which article in my reading guide talks about Othello-GPT?",
            "Do Large Language Models learn world models or just surface statistics? By Kenneth Li.",
            note(
                G,
                "Ch 2 Training LLM and Text Generation",
                "Do Large Language Models learn world models or just surface statistics? By Kenneth Li.",
            ),
        ),
        (
            "What does the attention pattern measure?",
            "The relevance of embeddings: the dot product of key and query vectors, bigger means more relevant.",
            note(
                S,
                "Chapter 6. Attention in transformers",
                "*attention pattern* is the dot product of key vectors and query vectors to assess the relevance of embeddings",
            ),
        ),
        (
            "What does weight decay do?",
            "It nudges weights towards 0 by a small amount.",
            note(S, "Discussion", "weight decay: nudge weights towards 0 by a small amount"),
        ),
        (
            "Which two files can a Hugging Face model be reconstructed from?",
            "A config file and a state dictionary, which contains the weights.",
            note(
                S,
                "inference process",
                "model can be reconstructed with two files, a config file a a *state dictionary*, which contains weights",
            ),
        ),
        (
            "Why are attention masks needed when batching sequences of different lengths?",
            "The padding tokens would also be analyzed by the attention layer; attention masks avoid that.",
            note(S, "inference process", "the padding tokens also gets analyzed, use *attention masks* to avoid that"),
        ),
        (
            "How does top-p sampling pick tokens?",
            "It sums the probabilities of the most likely tokens in descending order and stops when the sum reaches p (.9 to .95).",
            note(
                S,
                "sampling",
                "the model sums the probabilities of the most likely tokens in descending order and stops when the sum reaches p (.9 to .95)",
            ),
        ),
        (
            "What does a perplexity of 3 mean?",
            "With equally likely tokens, the model has a 1 in 3 chance of predicting the next token correctly.",
            note(
                S,
                "model eval metrics",
                "a perplexity of 3 means that this model has a 1 in 3 chance of predicting the next token correctly",
            ),
        ),
        (
            "What are the four main language model metrics?",
            "Cross entropy, perplexity, bits-per-character (BPC) and bits-per-byte (BPB).",
            note(
                S,
                "model eval metrics",
                "four main metrics: cross entropy, perplexity, bits-per-character (BPC), bits-per-byte (BPB)",
            ),
        ),
        (
            "What are guardrails for in the OpenAI Agents SDK?",
            "To moderate content; they raise exceptions that halt agent runs.",
            note(
                S,
                "Openai agents sdk (production version of swarm)",
                "use guardrails to moderate content; exceptions are raised that will halt agent runs",
            ),
        ),
        (
            "What limitations of LLMs does the Flow Engineering talk list?",
            "LLMs are stateless, don't complain about errors and don't make good judgement off the shelf.",
            note(S, "Flow Engineering", "LLMs are stateless; they don't remember chat history"),
        ),
        (
            "What is a sparse auto-encoder used for in the tracing-thoughts paper club notes?",
            "Sparse auto-encoders (SAE) are used for interpretation studies.",
            note(S, "Tracing the thoughts of LLMs paper club", "Sparse auto-encoder (SAE) for interpretation studies"),
        ),
    ],
    FRESH2,
)
unanswerable(
    [
        "How many layers does GPT-3 have according to 3Blue1Brown?",
        "What accuracy did the spam classifier reach in the Raschka book?",
        "How many GPUs did the GraphRAG authors use?",
        "What perplexity does GPT-3 reach in Chip Huyen's book?",
    ],
    ["near-miss", *FRESH2],
)
# written as a near miss in session 15; the notes' model table does give GPT4's context window (found in session 16)
answerable(
    [
        (
            "What is the context length of GPT-4 according to my notes?",
            "8,192 and 32,768 tokens.",
            note(C, "Interesting Language to vision models", "| GPT4 | 2023-03 | 1,760B | 8,192 and 32,768 | blabla |"),
        )
    ],
    FRESH2,
)
unanswerable(
    [
        "How much VRAM did my Llama 2 70B inference need?",
        "What reward score did my RLHF reward model reach?",
        "How many demonstrations did I write for my SFT dataset?",
        "In which year did I finish reading the AI Engineering book?",
        "What batch size did I use in my PyTorch quick start training?",
    ],
    ["near-miss", *FRESH2],
)
# ---- fresh3: written after fresh2 had been used to find bugs (so fresh2 is no longer untouched), before the final
# runs, and not run until then.
FRESH3 = ["fresh3"]
answerable(
    [
        (
            "What is stochastic gradient descent in the backpropagation notes?",
            "Batching the training set and performing backpropagation on a batch, which is faster.",
            note(
                S,
                "Chapter 3. Backpropagation",
                "we batch training set and perform the backpropagation on a batch; this is faster; this is called *stochastic gradient descent*",
            ),
        ),
        (
            "How many tokens does GPT-4's vocabulary have?",
            "100,000 tokens.",
            note(S, "Language Models", "vocabulary (100, 000 for GPT-4)"),
        ),
        (
            "What are the three common techniques to adapt a model to specific tasks?",
            "Prompt engineering, RAG and finetuning.",
            note(
                S,
                "Foundation Models",
                "3 common techniques to adapt a model to specific tasks: prompt engineering, RAG and finetuning",
            ),
        ),
        (
            "What is the most common kind of quantization?",
            "Post-training quantization (PTQ).",
            note(S, "memory management", "post-training quantization (PTQ) is the most common"),
        ),
        (
            "How does model merging differ from ensembling?",
            "Merging mixes the parameters of the models; ensembling combines only their outputs and keeps each model intact.",
            note(
                S,
                "Finetuning techniques",
                "ensembling typically combines only model outputs while keeping each constituent model intact",
            ),
        ),
        (
            "What is query rewriting in RAG?",
            "Supplementing the query with the necessary context information.",
            note(S, "RAG", "query rewrite: supplement query with necessary context information"),
        ),
        (
            "What is the trade-off of chunk size in retrieval?",
            "Smaller chunks give more diverse information but more chunks to process and store; larger ones preserve context.",
            note(S, "RAG", "smaller chunks -> more diverse info, but more chunks to process and store"),
        ),
        (
            "What is prompt extraction?",
            "Getting the prompts used by the system.",
            note(S, "Chapter 5, Prompt Engineering", "prompt extraction: get prompts used by the system"),
        ),
        (
            "What mechanisms do reasoning LLMs use?",
            "Inference-time scaling, reinforcement learning, and supervised fine-tuning before RL.",
            note(
                S,
                "Understand Reasoning LLMs",
                "inference-time scaling: use more resources for inference to get better answers",
            ),
        ),
        (
            "What is a masked language model?",
            "A model that predicts a token based on the tokens before and after it.",
            note(S, "Language Models", "masked language model (predict based on before and after the targeted token)"),
        ),
        (
            "What does functional correctness measure?",
            "Whether the model performs the tasks it is assigned.",
            note(S, "Exact evaluation", "measures whether the model performs the tasks it is assigned"),
        ),
    ],
    FRESH3,
)
unanswerable(
    [
        "How many hidden layers did the 3Blue1Brown digit network have?",
        "What chunk overlap did I use in my RAG pipeline?",
        "Which reranker model does Chip Huyen recommend?",
        "What learning rate did DeepSeek use for its RL training?",
        "How much faster is term-based retrieval than embedding-based retrieval?",
        "How many model merges did I try?",
        "What was the price per million tokens of GPT-4?",
        "How many people attended the VAR paper club?",
    ],
    ["near-miss", *FRESH3],
)
# ---- fresh4: written at the end of session 15, after the last code change, and run once on the final code: the one
# batch no change was made from.
FRESH4 = ["fresh4"]
answerable(
    [
        (
            "How do ML engineers and AI engineers differ in focus?",
            "ML engineers focus more on modeling and training, AI engineers more on adaptation.",
            note(
                S,
                "ML Engineer vs AI Engineer",
                "ML engineers focus more on modeling and training and AI engineers focus more on adaptation",
            ),
        ),
        (
            "Why are some languages more expensive to train on?",
            "They require more tokens to represent.",
            note(
                S,
                "Training Data",
                "some languages requires more token to represent, thus training them are more expensive",
            ),
        ),
        (
            "Why is post-training needed after pre-training?",
            "A model pre-trained with self-supervision is optimized for text completion, not conversation.",
            note(
                S,
                "Post-Training",
                "foundation models that pre-trained with self-supervision is optimized for text completion, not conversation",
            ),
        ),
        (
            "Why does tokenization use subwords?",
            "Subwords keep the vocabulary small, with few unknown words.",
            note(
                S,
                "inference process",
                "tokenization uses subwords, which keeps the vocabulary small, and little unknown words",
            ),
        ),
        (
            "What do the dataset and dataloader do in PyTorch?",
            "The dataset preloads the data; the dataloader wraps an iterable around the dataset.",
            note(S, "Components (quick start tutorial)", "dataloader (wraps an iterable around a dset)"),
        ),
        (
            "What is the problem with FIFO memory management in conversations?",
            "First in, first out drops the beginning of a conversation, which might be important.",
            note(S, "Memory", "FIFO, first in first out, but beginning of a conversation might be important"),
        ),
        (
            "What does turn-based evaluation assess?",
            "The quality of each output.",
            note(S, "Chapter 4, Evaluate AI System", "turn-based: evaluate the qualify of each output"),
        ),
        (
            "Why does AI as a judge increase costs?",
            "It adds inference cost, which increases costs and latency.",
            note(S, "subjective evaluation", "increased costs and latency due to additional inference cost"),
        ),
        (
            "What does the decoder do in a transformer?",
            "It uses the features to generate output.",
            note(S, "Transformer models", "decoder: use features to generate output"),
        ),
        (
            "What are the scaling bottlenecks of AI models?",
            "Training data and electricity.",
            note(S, "modeling", "scaling bottlenecks: training data and electricity"),
        ),
    ],
    FRESH4,
)
unanswerable(
    [
        "How many tokens did I use to fine-tune my classifier?",
        "What ROUGE score did the Hugging Face summarization pipeline get?",
        "How many attention heads does BERT have according to my notes?",
        "What temperature does Chip Huyen recommend for code generation?",
        "How much did my GPU cost for the PyTorch tutorial?",
        "How many layers did my micrograd network have?",
        "What accuracy does functional correctness give on HumanEval in my notes?",
        "How many tools did my swarm agent call?",
    ],
    ["near-miss", *FRESH4],
)
# ---- fresh5: written at the start of session 16 from note sections no earlier question used, before any code change
# of that session, and measured on the code as it stood.
FRESH5 = ["fresh5"]
answerable(
    [
        (
            "What learning rate does the AdamW optimizer get in my fine-tuning code?",
            "3e-5 (lr=3e-5).",
            note(S, "Finetuning", "optimizer = AdamW(model.parameters(), lr=3e-5)"),
        ),
        (
            "For how many epochs does the fine-tuning training loop run?",
            "3 epochs (num_epochs = 3).",
            note(S, "Finetuning", "num_epochs = 3"),
        ),
        (
            "What does the tokenizer output when preparing a fine-tuning dataset?",
            "input_id and attention_mask.",
            note(S, "Finetuning", "output of tokenizer: input_id, attention_mask"),
        ),
        (
            "What does the cost measure in neural network training, and when is it small?",
            "It measures the performance of the parameters; it is small when the prediction is correct.",
            note(
                S,
                "Chapter 2. Gradient descent, NN training",
                "the cost is small when the prediction is correct and large when wrong",
            ),
        ),
        (
            "What are the three parts of model development?",
            "Modeling and training, dataset engineering, and inference optimization.",
            note(
                S,
                "Model development",
                "three parts modeling and training, dataset engineering and inference optimization",
            ),
        ),
        (
            "What does dataset engineering involve for AI engineers?",
            "Deduplication, tokenization, context retrieval, and quality control.",
            note(
                S,
                "Model development",
                "for AI engineers, this means deduplication, tokenization, context retrieval, and quality control",
            ),
        ),
        (
            "Which tools can be used to build an AI interface?",
            "Streamlit, Gradio and Plotly Dispatch.",
            note(S, "Application development", "Streamlit, Gradio, Plotly Dispatch"),
        ),
        (
            "What three changes did LLaMA make to the original transformer architecture?",
            "RMSNorm for pre-normalization, rotary embeddings, and the SwiGLU activation function.",
            note(
                C,
                "Interesting Language to vision models",
                "RMSNorm for pre-normalization; rotary embeddings; SwiGLU activation function",
            ),
        ),
        (
            "What does flash attention do to the computation time of attention?",
            "It brings it down from quadratic to linear.",
            note(
                C,
                "Transformers aspects to improve:",
                "Flash attention brings down the computation time of attention from quadratic to linear",
            ),
        ),
        (
            "How is precision defined in my notes?",
            "Precision = TP / (TP + FP): true predictions compared to the predicted positive.",
            note(C, "Random ML stuff", "Precision = TP / (TP + FP)"),
        ),
        (
            "What parts does a prompt consist of?",
            "Instruction, context, input and output.",
            note(S, "Prompt Engineering Overview", "prompt consists of"),
        ),
        (
            "What is program-aided language model prompting?",
            "PAL uses programs to read and generate intermediate steps that lead to an answer requiring reasoning.",
            note(
                S,
                "Prompt Engineering Overview",
                "program-aided language model (PAL): use programs to read and generate intermediate steps",
            ),
        ),
        (
            "What tasks are not suited for flow engineering?",
            "Tasks that require high flexibility (end-to-end RL models are better) or a deep synthesis of information.",
            note(S, "Flow Engineering", "require high degrees of flexibility (end to end RL models are better)"),
        ),
        (
            "Do agents in OpenAI Swarm keep their own message array?",
            "No; messages are shared among agents.",
            note(
                S,
                "orchestrating agents (openai swarm): https://cookbook.openai.com/examples/orchestratingagents",
                "notice agent does not have its own message array. Messages are shared among agents",
            ),
        ),
        (
            "What did I wonder about how VOYAGER retrieves knowledge?",
            "Whether the knowledge is retrieved simply by cosine similarity.",
            note(C, "LLM", "how the knowledge is retrieved? simply cosine similarity?"),
        ),
    ],
    FRESH5,
)
unanswerable(
    [
        "What validation accuracy did my MRPC fine-tune reach?",
        "What F1 score did my fine-tuned sequence classifier get?",
        "How many GPUs did I use to train my causal language model from scratch?",
        "What is the context window of GPT4-V?",
        "How much faster is flash-decoding than flash attention for long contexts?",
        "Which vector database did I choose to store my original documents?",
        "What latency did my Streamlit AI interface have?",
        "How many routines did I split my swarm agent's tasks into?",
        "How many training tokens did I use for my Chinchilla-optimal model?",
        "What score did CogVLM get on VQA benchmarks?",
        "What success rate did the VOYAGER agent reach in Minecraft?",
        "What temperature did I use for my few-shot prompts?",
        "How many examples did I put in my few-shot prompts?",
        "What MMLU score does LlaMa 2 get according to my notes?",
        "How long did each epoch of my Hugging Face fine-tuning take?",
    ],
    ["near-miss", *FRESH5],
)
# ---- fresh6: written in session 16 after the first changes of that session, from note bullets no earlier question
# used, and run once, on the session's final code: the batch no change was made from.
FRESH6 = ["fresh6"]
answerable(
    [
        (
            "Into which categories are GPT-3's weights organized?",
            "Eight: embedding, key, query, value, output, up-projection, down-projection and unembedding.",
            note(S, "Chapter 5. How LLM work", "embedding, key, query, value, output, up-projection, down-projection"),
        ),
        (
            "How many words does GPT-3's embedding matrix cover?",
            "50k words, each with a 12,288-dimensional vector.",
            note(
                S,
                "Chapter 5. How LLM work",
                "word embedding (word vector) in gpt-3 has 12,288 dimensions, with 50k words",
            ),
        ),
        (
            "What share of the total parameters does the attention layer account for?",
            "About 1/3 of the total parameters.",
            note(S, "Chapter 6. Attention in transformers", "The attention layer accounts for 1/3 of total parameters"),
        ),
        (
            "What turns the unembedding output into a probability distribution?",
            "A normalization function called softmax.",
            note(
                S,
                "Chapter 5. How LLM work",
                "turn this vector into a probability distribution with a normalization function called softmax",
            ),
        ),
        (
            "What is Parkinson's Law?",
            "Work expands so as to fill the time available for its completion.",
            note(S, "RAG", "work expands so as to fill the time available for its completion"),
        ),
        (
            "What does inverse document frequency capture?",
            "That a term's importance is inversely linked to its frequency.",
            note(S, "RAG", "the importance of a term is inversely linked to its frequency"),
        ),
        (
            "Why can tokenization hurt term-based retrieval?",
            "Breaking a phrase into tokens can lose its meaning (hot dog); n-grams can be used instead.",
            note(
                S, "RAG", "breaking down phrase into tokens might lose their meaning (hot dog), instead can use n-gram"
            ),
        ),
        (
            "Which metrics are used to evaluate retrievers?",
            "Precision and recall.",
            note(S, "RAG", "evaluate retrievers: precision and recall"),
        ),
        (
            "What three components decouple planning from execution for agents?",
            "One to generate the plan, one to validate it, one to execute it.",
            note(S, "Agent", "three components: one to generate plan, one to validate plan, one to execute plan"),
        ),
        (
            "Which prompt engineering tools are listed?",
            "Open Prompt, DSPy and TextGrad.",
            note(S, "Chapter 5, Prompt Engineering", "prompt engineer tools: Open Prompt, DSPy, TextGrad"),
        ),
        (
            "Why keep prompts in a codebase separate from the code?",
            "Prompts might not update with the code at the same pace.",
            note(S, "Chapter 5, Prompt Engineering", "prompts might not update with the code at the same pace"),
        ),
        (
            "What is data contamination in model evaluation?",
            "A model is tested on the data it was trained on.",
            note(
                S, "Chapter 4, Evaluate AI System", "data contamination: models is tested on the data it is trained on"
            ),
        ),
        (
            "What are examples of hard attributes in model selection?",
            "Model size and privacy.",
            note(S, "Chapter 4, Evaluate AI System", "hard attributes: model size, privacy, etc"),
        ),
        (
            "How can RAG work with tabular data?",
            "By generating SQL to help find answers.",
            note(S, "RAG", "tabular data: generate SQL to help find answers"),
        ),
        (
            "What does self-critique ask a model to do?",
            "To evaluate its own response.",
            note(S, "Chapter 5, Prompt Engineering", "self-critique asks a model to evaluate its own response"),
        ),
    ],
    FRESH6,
)
unanswerable(
    [
        "What precision did my retriever reach?",
        "How many attention heads did I use in my own transformer?",
        "What recall did my BM25 retriever get?",
        "What n-gram size did I use for tokenization in my search engine?",
        "How many plans did my agent generate in parallel?",
        "How many customer support requests did my bot automate?",
        "Which DSPy optimizer did I use for my prompts?",
        "What accuracy did my agent reach over 10 steps?",
        "What chunk size does Chip Huyen recommend for RAG?",
        "What is the context length of Llama 3?",
        "How much does a vector database cost per month?",
        "Which BM25 parameters did I tune?",
        "How many safety categories did my evaluation cover?",
        "How much latency does hybrid search add?",
        "How many few-shot examples did I use for my intent classifier?",
    ],
    ["near-miss", *FRESH6],
)
# ---- fresh7: written in session 16 after seeing fresh6's results and before the fixes they led to (scaled numbers,
# short list items attributed by their words, keys-only list lines); run once, on the final code.
FRESH7 = ["fresh7"]
answerable(
    [
        (
            "What share of the parameters does partial finetuning train?",
            "About 25%: it is parameter inefficient.",
            note(S, "Finetuning techniques", "requires many parameters to train, ~25%"),
        ),
        (
            "What share of the trainable parameters do PEFT adapters train?",
            "Only 3% of the trainable parameters.",
            note(S, "Finetuning techniques", "only train 3% of trainable parameters"),
        ),
        (
            "How is finetuning an instance of transfer learning?",
            "A base model trained on tasks with abundant data transfers that knowledge to a target task.",
            note(
                S,
                "RAG & Finetuning",
                "by training a base model on tasks with abundant data, you can then transfer that knowledge",
            ),
        ),
        (
            "What data does preference finetuning require?",
            "Comparative data: an instruction, a winning response and a losing response.",
            note(S, "RAG & Finetuning", "instruction, winning response, losing response"),
        ),
        (
            "What does long-context finetuning do?",
            "It makes a model's context window longer.",
            note(S, "RAG & Finetuning", "long-context finetuning makes a model's context window/length longer"),
        ),
        (
            "What does the learning rate determine in finetuning?",
            "How fast the model's parameters change with each learning step.",
            note(S, "Finetuning techniques", "determines how fast the model’s parameters should change"),
        ),
        (
            "What makes an embedding algorithm good?",
            "More-similar texts have closer embeddings.",
            note(S, "Exact evaluation", "an embedding algorithm is good if more-similar texts have closer embeddings"),
        ),
        (
            "Which metrics compare a response's similarity to reference data?",
            "Exact match, lexical similarity and semantic similarity.",
            note(S, "Exact evaluation", "exact match (0 0r 1), lexical similarity (sliding scale)"),
        ),
        (
            "What are the reasons not to finetune?",
            "It might degrade performance, and it is expensive and outdated once a better model comes out.",
            note(S, "RAG & Finetuning", "finetuning might degrade models' performance"),
        ),
        (
            "How can models be combined in model merging?",
            "By adding, layer stacking and concatenation.",
            note(S, "Finetuning techniques", "adding, layer stacking and concatenation"),
        ),
    ],
    FRESH7,
)
unanswerable(
    [
        "What learning rate did I use when finetuning with LoRA?",
        "How many epochs did I train my distillation model for?",
        "What lexical similarity score did my summarizer get?",
        "Which embedding model did I use for my semantic similarity metric?",
        "What batch size does Chip Huyen recommend for finetuning?",
        "How much did finetuning degrade my model's performance?",
        "How many unit tests did I write for functional correctness?",
        "How many trainable parameters did my PEFT adapters have?",
    ],
    ["near-miss", *FRESH7],
)
# ---- fresh8: written at the start of session 17, before any change, from the reading list's AI section, Karpathy's
# intro and the backpropagation chapter (sections the earlier batches barely use); run first on the start code.
FRESH8 = ["fresh8"]
answerable(
    [
        (
            "How is the routing to experts decided in a mixture of experts?",
            "By learned parameters, as simple as a single weight matrix.",
            note(R, "AI", "The routing is determined by learned parameters, as simple as a single weight matrix"),
        ),
        (
            "What idea about routing does the Switch Transformers paper explore?",
            "That it is unnecessary to route to more than one expert at a time.",
            note(R, "AI", "it is unnecessary to route to more than one expert at a time"),
        ),
        (
            "What two kinds of verifier models does Let's Verify Step by Step describe?",
            "One predicts the probability that each step is correct, the other that the whole solution is correct.",
            note(R, "AI", "one that predicts the probability that each"),
        ),
        (
            "What paradigm shift does the Let's Verify Step by Step paper represent?",
            "Test-time compute can matter just as much as train-time compute.",
            note(R, "AI", "test-time compute (the amount of compute used for inference) can matter just as much"),
        ),
        (
            "What are the two main categories of distributed model training?",
            "Data parallelism and model parallelism.",
            note(R, "AI", "**data parallelism** and **model parallelism**"),
        ),
        (
            "How does vertical model parallelism differ from horizontal model parallelism?",
            "Vertical splits the model layer by layer; horizontal splits it within layers.",
            note(R, "AI", "Vertical model parallelism means splitting the model layer-by-layer"),
        ),
        (
            "What is contrastive pre-training for text embeddings?",
            "The model produces a single vector per text segment, and cross-entropy loss raises the cosine similarity "
            "of similar segments.",
            note(R, "AI", "the model is tasked to produce a single vector for a segment of text"),
        ),
        (
            "Which training trick gives the contrastive embedding model its negative pairs?",
            "Each segment of a batch is embedded once, and the embeddings not related to the positive pair serve as "
            "negatives.",
            note(R, "AI", "use all the embeddings not related to the original positive text pair"),
        ),
        (
            "What did I not fully understand in the sparsely-gated mixture-of-experts paper?",
            "How they made the routing differentiable using random noise.",
            note(R, "AI", "how they made the routing differentiable using random noise"),
        ),
        (
            "Which model is MoE rumored to be used in?",
            "GPT-4.",
            note(R, "AI", "MoE is rumored to be used in GPT-4"),
        ),
        (
            "How long does finetuning a base model into an assistant typically take?",
            "Typically 1 day.",
            note(S, "Intro to Large Language Models, Andrej Karpathy", "typically takes 1 day"),
        ),
        (
            "What is LLM performance a smooth function of, according to Karpathy?",
            "N, the number of parameters, and D, the amount of training text.",
            note(S, "Intro to Large Language Models, Andrej Karpathy", "N, the number of parameters"),
        ),
        (
            "Why can't an LLM self-improve the way AlphaGo does?",
            "It lacks a reward function that tells whether an answer is good or bad.",
            note(
                S,
                "Intro to Large Language Models, Andrej Karpathy",
                "lack of reward function to tell LLM if an answer is good or bad",
            ),
        ),
        (
            "How is the chain rule used in backpropagation?",
            "To backpropagate how each weight and bias affects the cost function, for gradient descent.",
            note(S, "Chapter 4. Backpropagation calculus", "use chain rule to backpropagate"),
        ),
        (
            "Why was the spam dataset under-sampled to the same number of spam and non-spam messages?",
            "With 99% non-spam, a model would get 99% accuracy however badly it does on spam.",
            note(S, "Discussion", "the model automatically get 99% accuracy regardless how good it does on spams"),
        ),
    ],
    FRESH8,
)
unanswerable(
    [
        "How many experts did the Switch Transformer I trained use?",
        "What speedup did I get from data parallelism on my cluster?",
        "According to my reading list, what accuracy does the process-supervised verifier reach on MATH?",
        "What cosine similarity threshold did I use for my contrastive embedding model?",
        "How many negative pairs per batch does the contrastive pre-training paper use?",
        "How much did the finetuning stage of Llama 2 70B cost according to Karpathy?",
        "How many human labelers does Karpathy say are hired to write the finetuning data?",
        "How many parameters does the Mixture-of-Depths model have?",
        "What recall did my spam classifier get?",
        "How many GPUs did Karpathy say the Llama 2 70B training run used?",
        "What batch size did I use for stochastic gradient descent in my 3Blue1Brown exercise?",
        "How many parameters does the Megablocks model have?",
    ],
    ["near-miss", *FRESH8],
)
# ---- fresh9: written in session 17 after the passage scores, the notes-only retrieval of questions about the user
# and the "how long" fix, before running anything on them; run once, on the final code.
FRESH9 = ["fresh9"]
answerable(
    [
        (
            "What are transform and target_transform used for in PyTorch?",
            "transform modifies the features and target_transform modifies the labels.",
            note(S, "Components (quick start tutorial)", "use `transform` to modify features"),
        ),
        (
            "What does autograd do when backward() is called?",
            "It computes the gradients from each grad_fn, accumulates them in .grad and propagates them with the chain "
            "rule to the leaf tensors.",
            note(S, "Components (quick start tutorial)", "computes the gradients from each .grad_fn"),
        ),
        (
            "How is the state updated in LangGraph?",
            "Through reducers defined in the schema, field by field.",
            note(S, "Architecture", "update state through reducers, which is defined in schema, field by field"),
        ),
        (
            "When should SEND be used in a LangGraph graph?",
            "When the graph structure isn't clear at run time, such as map reduce patterns.",
            note(S, "Architecture", "use `SEND` when graph structure isn't clear at run time"),
        ),
        (
            "What does learning mean for a neural network?",
            "Finding the right weights and biases.",
            note(
                S,
                "Chapter 1. neural network (multilayer perceptron)",
                "refers to the process of finding the right weights and biases",
            ),
        ),
        (
            "Why is backpropagation performed on batches of the training set?",
            "Backpropagation on every example is costly; batches are faster, which is stochastic gradient descent.",
            note(S, "Chapter 3. Backpropagation", "we batch training set and perform the backpropagation on a batch"),
        ),
        (
            "When is entropy the highest?",
            "When the probability distribution is completely uniform.",
            note(R, "Machine Learning & Mathematics", "Entropy is the highest when a probability distribution is"),
        ),
        (
            "How is cross entropy related to KL divergence?",
            "Cross entropy is kl_divergence + q_entropy.",
            note(R, "Machine Learning & Mathematics", "is just `kl_divergence + q_entropy`"),
        ),
        (
            "What does an LLM do in the inference stage, according to Karpathy?",
            "It dreams internet documents, a mix of facts and made-up things called hallucination.",
            note(S, "Intro to Large Language Models, Andrej Karpathy", 'the networks "dreams" internet documents'),
        ),
        (
            "How big is the parameters file of a 70b model?",
            "140g in size.",
            note(S, "Intro to Large Language Models, Andrej Karpathy", "70b parameters (140g in size)"),
        ),
    ],
    FRESH9,
)
unanswerable(
    [
        "How many epochs did I train my PyTorch quick start model for?",
        "What learning rate did I use with ADAM in the PyTorch tutorial?",
        "How many nodes did my LangGraph agent have?",
        "What batch size does 3Blue1Brown use for stochastic gradient descent?",
        "What accuracy does the 3Blue1Brown digit recognition network reach?",
        "What entropy in bits did I compute for my dataset?",
        "How many tokens per second does Llama 2 70B generate on a laptop according to Karpathy?",
        "How many conversations are in the finetuning dataset Karpathy describes?",
        "What KL divergence did my DPO run reach?",
        "How many hidden layers did my digit recognizer use?",
    ],
    ["near-miss", *FRESH9],
)
# ---- fresh10: written at the start of session 18 from sections the set had not used, before running anything on
# them; run once, untouched, on the session-17 code.
FRESH10 = ["fresh10"]
answerable(
    [
        (
            "What context length does GPT-3 have according to the 3Blue1Brown notes?",
            "2048 words.",
            note(S, "Chapter 5. How LLM work", "in gpt-3 the context length is 2048 words"),
        ),
        (
            "How many attention heads does GPT have?",
            "96 attention heads.",
            note(S, "Chapter 6. Attention in transformers", "GPT has 96 attention heads"),
        ),
        (
            "What role do query vectors play in self-attention?",
            "They act as questions that solicit more context for each token; key vectors answer them.",
            note(
                S,
                "Chapter 6. Attention in transformers",
                "produce query vector as questions to solicite more context for each token",
            ),
        ),
        (
            "What is data-augmented generation in the prompt engineering overview?",
            "Incorporating external data (DAG, not RAG).",
            note(S, "Prompt Engineering Overview", "Data-augmented generation (DAG not RAG)"),
        ),
        (
            "What is generate knowledge prompting?",
            "Making the model generate some knowledge first.",
            note(S, "Prompt Engineering Overview", "generate knowledge prompting: make the model to generate some"),
        ),
        (
            "What replacement model is built to interpret an LLM in the tracing thoughts paper club?",
            "Cross-layer transcoders (CLT) that reproduce the LLM's behaviour on a specific dataset.",
            note(
                S,
                "Tracing the thoughts of LLMs paper club",
                "construct a replacement model (cross-layer transcoders, CLT)",
            ),
        ),
        (
            "What does the Ford example in the Flow Engineering talk illustrate?",
            "Designing the environment: the craftsmanship is in the workbench itself.",
            note(S, "Flow Engineering", "eg. at Ford, the craftsmanship is in the workbench itself"),
        ),
        (
            "Do bigger models learn better with small amounts of data?",
            "Yes, bigger models learn better with a small amount of data.",
            note(S, "Discussion", "bigger model learn better with small amount of data"),
        ),
        (
            "Why use a smaller context window when training a causal language model from scratch?",
            "It is faster to train and requires less memory.",
            note(
                S,
                "Causal Language Model from scratch",
                "smaller context window is faster to train and require less memory",
            ),
        ),
        (
            "What does an artificial neuron compute in the micrograd lecture?",
            "An activation function applied to the weighted inputs plus a bias, f(sum w_i x_i + b).",
            note(
                S,
                "The spelled-out intro to neural networks and backpropagation: building micrograd",
                "a mathematical model of neuron, artificial neuron",
            ),
        ),
        (
            "In DPO's controlled sentiment generation task, what must the policy generate?",
            "Given a prefix of an IMDb movie review, a continuation y with positive sentiment.",
            paper(D, 7, "x is a prefix of a movie review from the IMDb dataset"),
        ),
        (
            "Which RoBERTa models does the LoRA paper evaluate on GLUE?",
            "RoBERTa base (125M) and RoBERTa large (355M).",
            paper(LO, 7, "We take the pre-trained RoBERTa base (125M) and RoBERTa large (355M)"),
        ),
    ],
    FRESH10,
)
unanswerable(
    [
        "How many training steps did my micrograd network take to converge?",
        "What perplexity did my causal language model from scratch reach?",
        "What accuracy did my spam classifier reach after finetuning?",
        "How many attention heads does GPT-2 small have according to my notes?",
        "What temperature did I set for my structured output calls?",
        "How many agents did I build with the OpenAI agents SDK?",
        "What embedding dimension does GPT-2 use in the 3Blue1Brown video?",
        "How many GPUs were used to train Chinchilla?",
        "What top-k value does Chip Huyen recommend for sampling?",
        "How many parameters does the VAR model have?",
        "What was the latency of my GraphRAG pipeline?",
        "In which year was the Flow Engineering talk given?",
        "How many tokens was Llama 2 pretrained on according to Karpathy?",
        "What weight decay value did I use when finetuning for classification?",
        "How many features did the cross-layer transcoder in the tracing thoughts paper club have?",
    ],
    ["near-miss", *FRESH10],
)
# ---- fresh11: written in session 18 while the note-passage dense list was measured, before running anything on
# them; run once, untouched, on the session's final code.
FRESH11 = ["fresh11"]
answerable(
    [
        (
            "What did the Bahdanau et al. translation paper improve?",
            "The RNN architecture, to translate longer sequences (a context parameter).",
            note(
                C, "Deprecated papers (but still interesting to read)", "Improvement on RNN architecture to translate"
            ),
        ),
        (
            "Where does the ViT architecture add positional encoding?",
            "On the image patches.",
            note(C, "LLM", "ViT architecture (positional encoding added on patches)"),
        ),
        (
            "Who developed Orca 2 and how was it obtained?",
            "Microsoft, by fine-tuning Llama 2 base models on tailored, high quality synthetic data from GPT4.",
            note(C, "Interesting Language to vision models", "Descendant of LLaMA 2 developed by Microsoft"),
        ),
        (
            "What does LightLLM introduce for KV cache management?",
            "A fine-grained KV cache management algorithm called TokenAttention, with an Efficient Router scheduler.",
            note(C, "Speedup the inference of LLMs", "LightLLM introduces a more fine-grained KV cache management"),
        ),
        (
            "What is CSSOM in GPT4-V Act?",
            "The CSS version of the DOM, used for vision.",
            note(C, "Interesting Language to vision models", "GPT4-V Act: vision with CSSOM (CSS version of DOM)"),
        ),
        (
            "Which distributed systems papers are on the reading list?",
            "Spanner, MapReduce and ZooKeeper.",
            note(R, "Distributed Systems", "MapReduce: Simplified Data Processing on Large Clusters"),
        ),
        (
            "Where can I try the different LLMs?",
            "At OpenRouter.",
            note(C, "Vision-language: CogVLM", "Try the different LLM at"),
        ),
        (
            "What are Llama 2-Chat models optimized for?",
            "Dialogue use cases.",
            note(
                C, "Interesting Language to vision models", "called Llama 2-Chat, are optimized for dialogue use cases"
            ),
        ),
        (
            "What three modifications does LLaMA make to the original transformer architecture?",
            "RMSNorm for pre-normalization, rotary embeddings and the SwiGLU activation function.",
            note(C, "Interesting Language to vision models", "RMSNorm for pre-normalization; rotary embeddings"),
        ),
        (
            "What is the Minecraft agent VOYAGER about in my notes?",
            "An open-ended embodied agent that stocks knowledge; the note asks whether it is retrieved by cosine similarity.",
            note(C, "LLM", "Minecraft agent stocking knowledge"),
        ),
        (
            "What residual dropout rate does the base Transformer use?",
            "P_drop = 0.1, applied to sub-layer outputs and to the embedding and positional encoding sums.",
            paper(A, 8, "For the base model, we use a rate of P_drop = 0.1"),
        ),
        (
            "What dropout did the big Transformer use for English-to-French?",
            "P_drop = 0.1 instead of 0.3.",
            paper(A, 8, "used dropout rate P_drop = 0.1, instead of 0.3"),
        ),
    ],
    FRESH11,
)
unanswerable(
    [
        "What BLEU score did the Bahdanau et al. model reach according to my notes?",
        "What context window does CogVLM have?",
        "How much faster did LightLLM run in my experiments?",
        "How many tokens per second does Groq serve according to my notes?",
        "How many of the distributed systems papers did I finish reading?",
        "What success rate does Mind2Web report for GPT-4?",
        "What price per token did I note for OpenRouter?",
        "How many patches does ViT split an image into?",
        "How many GPUs did the Llama 2-Chat RLHF training use?",
        "What LoRA rank did I choose in my DPO experiments?",
        "How long does ZooKeeper take to elect a leader?",
        "What score did VOYAGER reach in Minecraft?",
        "How many attention heads does the ViT model use?",
        "What gradient accumulation did I use in my QLoRA run?",
        "How many layers does Orca 2 have?",
    ],
    ["near-miss", *FRESH11],
)
# ---- fresh12: written at the start of session 19, before any change; run once, untouched, on the session-18 code.
FRESH12 = ["fresh12"]
answerable(
    [
        (
            "Which early paper first used cross entropy and perplexity to measure language models?",
            "Claude Shannon's 1951 paper, Prediction and Entropy of Printed English.",
            note(S, "model eval metrics", "Claude Shannon's 1951 paper"),
        ),
        (
            "How much memory do the gradients and optimizer states need when all parameters of a 13B model are updated with Adam?",
            "78 GB: 13 billion x 3 values x 2 bytes (activations not counted).",
            note(S, "memory management", "13 billion × 3 × 2 bytes = 78 GB"),
        ),
        (
            "How does constrained sampling give structured outputs?",
            "It filters out logits that do not meet the constraints, such as grammar rules; establishing such rules is expensive.",
            note(S, "sampling", "constrained sampling: filter logits that do not meet the constraints"),
        ),
        (
            "How do vocabulary size and context length affect perplexity?",
            "The bigger the vocabulary, the higher the perplexity; the longer the context length, the lower the perplexity.",
            note(S, "model eval metrics", "The longer the context length, the lower the perplexity"),
        ),
        (
            "How much memory does Llama-3-70B need in bfloat16?",
            "About 168GB (1.2 * 70B * 16/8), roughly 2xA100 80GB.",
            note(C, "Interesting blogs:", "168GB"),
        ),
        (
            "Can Mixtral be exported to ONNX for optimization?",
            "Not yet: ONNX export (converting the model to a graph) is not yet available for Mixtral.",
            note(L, "Speedup the inference of LLMs", "not yet available with Mixtral"),
        ),
        (
            "How does speculative decoding accelerate an LLM?",
            "A small draft model predicts the large target model's output.",
            note(
                L,
                "Speedup the inference of LLMs",
                "using a small “draft” model to predict large “target” model’s output",
            ),
        ),
        (
            "What does Shannon information represent?",
            "The amount of information gained from an event: a common event gives little information, a rare one is more informative.",
            note(R, "Machine Learning & Mathematics", "represents the amount of information gained from an event"),
        ),
        (
            "What is world modelling in an LLM, according to my reading guide?",
            "The LLM maintains an internal representation of the world as a state variable, sequentially updated as it reads the text input.",
            note(G, "Ch 2 Training LLM and Text Generation", "LLM maintain an internal representation of the world"),
        ),
        (
            "In what order were the transformer models released, from the Transformer to GPT-3?",
            "Transformers (2017), GPT (June 2018), BERT (Oct 2018), GPT-2 (Feb 2019), BART/T5 (Oct 2019), GPT-3 (May 2020).",
            note(S, "Transformer models", "transformers (2017) -> GPT (June, 2018) -> BERT (Oct, 2018)"),
        ),
        (
            "For how many epochs was the InstructGPT SFT model trained?",
            "16 epochs, with a cosine learning rate decay and residual dropout of 0.2.",
            paper(I, 8, "We trained for 16 epochs, using a cosine learning rate decay"),
        ),
        (
            "How often do InstructGPT's training labelers agree with each other?",
            "72.6 ± 1.5% of the time; held-out labelers 77.3 ± 1.3%.",
            paper(I, 8, "training labelers agree with each-other 72.6"),
        ),
    ],
    FRESH12,
)
unanswerable(
    [
        "What bits-per-byte did my GPT model reach on its validation set?",
        "What perplexity did Shannon's 1951 paper report for printed English?",
        "How much GPU memory did my 13B finetuning with Adam use?",
        "Which library do my notes recommend for constrained sampling?",
        "What hourly price do my notes give for renting an A100?",
        "When is ONNX export for Mixtral expected to be released?",
        "What acceptance rate does speculative decoding reach according to my notes?",
        "How many bits of information does a sunrise carry according to my reading list?",
        "What accuracy did the Othello-GPT probe reach?",
        "How many parameters does BART have according to my notes?",
        "How many epochs did the grokking experiments train for?",
        "What residual dropout did I use in my own SFT run?",
        "How many nodes did my LangGraph agent have?",
        "What LoRA rank did I use for my structured-output finetune?",
        "How many GPUs did DeepSeek Zero's RL training use?",
    ],
    ["near-miss", *FRESH12],
)
# ---- fresh13: written at the start of session 20, before it ran anything; run once, untouched, on the final code.
FRESH13 = ["fresh13"]
answerable(
    [
        (
            "What is the bits-per-byte if the bits-per-character is 3 and each character is 7 bits?",
            "3.43: BPB = 3 / (7/8).",
            note(S, "model eval metrics", "then the BPB is 3 / (7/8) = 3.43"),
        ),
        (
            "Why doesn't greedy sampling work well for text generation?",
            "It always picks the candidate with the highest probability; that works for classification but not for generation.",
            note(
                S,
                "sampling",
                "greedy sampling is a strategy that always picks the candidate with the highest probabilities",
            ),
        ),
        (
            "In what unit is the compute needed to pre-train a model measured?",
            "In FLOP (floating point operations).",
            note(S, "modeling", "model pre-training compute requirement is measured in FLOP"),
        ),
        (
            "What does reranking do in a RAG pipeline?",
            "It narrows down the documents returned by the retriever; for in-context reranking exact ranks matter less than in traditional ranking.",
            note(S, "RAG", "reranking: narrow down documents returned by the retriever"),
        ),
        (
            "How should I choose between finetuning and RAG?",
            "It depends on whether the problem is information-based (factually wrong or dated outputs: RAG) or behavior-based (finetuning).",
            note(S, "RAG & Finetuning", "depends on whether the problem is information-based or behavior-based"),
        ),
        (
            "Which part of a model is usually quantized?",
            "Usually the weights, as opposed to the activations: what can be quantized without hurting performance too much.",
            note(S, "memory management", "often weights (as opposed to activations)"),
        ),
        (
            "How does soft prompt-based finetuning work?",
            "It modifies how the model processes the input by introducing special trainable tokens (vectors).",
            note(S, "Finetuning techniques", "introducing special trainable tokens (vectors)"),
        ),
        (
            "Why do models perform worse in some languages?",
            "Many languages are absent from the training data.",
            note(S, "Training Data", "many languages are absent in training data"),
        ),
        (
            "How should post-training be thought of?",
            "As unlocking capabilities the pre-trained model already has but that are hard for users to access via prompting alone.",
            note(S, "Post-Training", "unlocking the capabilities that the pre-trained model already has"),
        ),
        (
            "On which GPU is SGLang's RadixAttention available according to my notes?",
            "Only on the A10G.",
            note(L, "Speedup the inference of LLMs", "only available with A10G"),
        ),
        (
            "Which prompting baselines does the DPO paper compare against?",
            "Zero-shot prompting with GPT-J for summarization and 2-shot prompting with Pythia-2.8B for dialogue.",
            paper("2305.18290", 8, "2-shot prompting"),
        ),
        (
            "What coefficient does the Switch Transformer use for its auxiliary load-balancing loss?",
            "alpha = 10^-2, chosen after sweeping 10^-1 to 10^-5 in powers of 10.",
            paper("2101.03961", 8, "in powers of 10"),
        ),
    ],
    FRESH13,
)
unanswerable(
    [
        "What bits-per-character did my character-level model reach?",
        "How many FLOP did it take to pre-train GPT-3 according to my notes?",
        "How much did reranking improve the precision of my RAG pipeline?",
        "Which languages performed worst in my own multilingual evaluation?",
        "How many preference pairs did I use in my DPO training?",
        "How much faster than vLLM is SGLang's RadixAttention according to my notes?",
        "How many trainable soft-prompt tokens did I use in my prompt tuning run?",
        "Which models did I merge with mergekit?",
        "What accuracy does Quiet-STaR reach on GSM8K?",
        "How many tokens was BloombergGPT trained on?",
        "How much faster is Mamba's inference than a Transformer's according to my reading list?",
        "To what bit-width did I quantize my model's activations?",
        "What chunk overlap, in tokens, did I choose for my RAG chunks?",
        "How many unit tests did my code generation eval run?",
        "How many pairwise comparisons did I collect to rank my models?",
    ],
    ["near-miss", *FRESH13],
)
# ---- fresh14: written at the start of session 21, before it ran anything; run once, untouched, on the final code.
FRESH14 = ["fresh14"]
answerable(
    [
        (
            "Why does the attention value matrix use a low rank transformation?",
            "To reduce the parameter size.",
            note(
                S, "Chapter 6. Attention in transformers", "value matrix formation contains a low rank transformation"
            ),
        ),
        (
            "What are the hypotheses for why models hallucinate?",
            "A model can't differentiate between the data it's given and the data it generates; or a mismatch between the model's internal knowledge and the labeler's.",
            note(S, "sampling", "hallucination is caused by the mismatch between the model"),
        ),
        (
            "How do my notes say to pick the best of several generated responses?",
            "Sum up the logprobs of all tokens in the text, divide by its length, and pick the highest.",
            note(S, "sampling", "sum up logprobs of all tokens in the text"),
        ),
        (
            "Can embeddings be converted back into their original text?",
            "No: embeddings are a compressed representation of the data.",
            note(S, "RAG", "embeddings are compressed representation of data"),
        ),
        (
            "When is pretraining with LoRA effective?",
            "Only when the model is small; LoRA works well for finetuning.",
            note(S, "Finetuning techniques", "pretraining with LORA only effective when model is small"),
        ),
        (
            "Why might transitivity fail when comparing models?",
            "A being better than B and B better than C does not mean A is better than C.",
            note(S, "subjective evaluation", "transitivity in model matches might not work in model comparison"),
        ),
        (
            "What does data parallelism split?",
            "The training data, across multiple replicas of the same model.",
            note(R, "AI", "Data parallelism splits the training data across multiple replicas of the same model"),
        ),
        (
            "In which mode can LLMs currently think, according to Karpathy?",
            "Only in fast mode (think fast and slow).",
            note(S, "Intro to Large Language Models, Andrej Karpathy", "currently, LLM can only think in fast mode"),
        ),
        (
            "Which tasks are multiple-choice questions not ideal for evaluating?",
            "Summarization, translation and writing.",
            note(
                S,
                "Chapter 4, Evaluate AI System",
                "MCQs are not ideal for evaluating summarization, translation and writing",
            ),
        ),
        (
            "What are the steps of a support bot built with prompt decomposition?",
            "1. intent classification, 2. generate a response based on the intent.",
            note(
                S,
                "Chapter 5, Prompt Engineering",
                "support bot: 1. intent classification 2. generate response based on intent",
            ),
        ),
        (
            "How many chain-of-thought trajectories does ReAct's self-consistency baseline sample?",
            "21 CoT trajectories, with decoding temperature 0.7, adopting the majority answer.",
            paper("2210.03629", 5, "sampling 21 CoT trajectories"),
        ),
        (
            "How does LoRA initialise its low-rank matrices A and B?",
            "A random Gaussian initialization for A and zero for B, so that BA is zero at the beginning of training.",
            paper("2106.09685", 4, "We use a random Gaussian initialization for A"),
        ),
    ],
    FRESH14,
)
unanswerable(
    [
        "What beam width did I use for beam search?",
        "What hallucination rate did my RAG application have?",
        "Which intent classes did my support bot classify?",
        "What MMLU score did my finetuned model reach?",
        "How many dimensions do the embeddings in my vector database have?",
        "How many minutes of thinking does Karpathy suggest for slow mode?",
        "What cosine similarity threshold did I use for embedding-based evaluation?",
        "Which reranker model did I use in my RAG pipeline?",
        "What throughput did I get running Mixtral with TensorRT-LLM?",
        "How many past messages did I keep as short-term memory in my chatbot?",
        "Below what parameter count is pretraining with LoRA effective according to my notes?",
        "How many communities did my GraphRAG index have?",
        "How much faster is term-based retrieval than embedding-based retrieval according to my notes?",
        "How much memory did a smaller context window save in my training run?",
        "How much faster was my training with mini-batch stochastic gradient descent?",
    ],
    ["near-miss", *FRESH14],
)
# ---- fresh15: written at the start of session 22, before it ran anything; run once, untouched, on the final code.
FRESH15 = ["fresh15"]
answerable(
    [
        (
            "What happens when K is made smaller in top-k sampling?",
            "The model gets a smaller set of choices, which makes it less creative.",
            note(S, "sampling", "a smaller K means a smaller set of choices, thus making the model less creative"),
        ),
        (
            "If a model needs 6 bits per token and tokens average 2 characters, what is its bits-per-character?",
            "3: BPC = 6 / 2.",
            note(S, "model eval metrics", "each token consists of 2 characters, the BPC is 6/2 = 3"),
        ),
        (
            "Which float formats are more common than FP64 for model training, and why?",
            "FP16 and FP32, because FP64 (64 bits per float) is memory consuming.",
            note(S, "memory management", "the more common format for model trainings are FP16 and FP32"),
        ),
        (
            "What is the drawback of k-nearest neighbors search in a vector database?",
            "It is computationally intense; search in a vector database is hard.",
            note(S, "RAG", "can use k-nearest neighbors, but computational intense"),
        ),
        (
            "How should prompts be organised in an application's code?",
            "Put them in a separate file and wrap them in a class object that stores metadata.",
            note(
                S,
                "Chapter 5, Prompt Engineering",
                "put prompts in a separate file, wrap them in a class object to store metadata",
            ),
        ),
        (
            "What can become a bottleneck in model parallelism?",
            "Passing messages about model state between machines: the communication can become a bottleneck.",
            note(R, "AI", "this communication can become a bottleneck"),
        ),
        (
            "What three relationships between two statements does textual entailment measure?",
            "Entailment, contradiction and neutral.",
            note(S, "Chapter 4, Evaluate AI System", "entailment, contradiction and neutral"),
        ),
        (
            "What kinds of data does cross-attention involve?",
            "Two types of data, such as audio-text or translation; one language is self-attention.",
            note(
                S,
                "Chapter 6. Attention in transformers",
                "cross-attention involve two types of data, such as audio-text or translation",
            ),
        ),
        (
            "What do the three parts of an LLM roughly do?",
            "A third semantic representation, a third knowledge acquisition, and a third undoing something.",
            note(S, "Discussion", "1/3: semantic representation; 2/3: knowledge acquisition"),
        ),
        (
            "How does the encoder's use of the sentence differ from the decoder's?",
            "The encoder uses the whole sentence while the decoder works sequentially.",
            note(S, "Transformer models", "the encoder uses the whole sentence while the decoder works sequentially"),
        ),
        (
            "How many prompts per user ID does the InstructGPT prompt dataset allow?",
            "At most 200 prompts per user ID; prompts sharing a long common prefix are deduplicated.",
            paper(I, 6, "we limit the number of prompts to 200 per user ID"),
        ),
        (
            "According to the DPO paper, why could the policy gradient of the RLHF objective have high variance?",
            "Without the normalization term (the soft value function of the reference policy) the policy gradient could have high variance, making learning unstable.",
            paper("2305.18290", 6, "without it, the policy gradient of the objective could have high variance"),
        ),
    ],
    FRESH15,
)
unanswerable(
    [
        "Which float format did I train my model in?",
        "How long did k-nearest neighbor search take in my vector database?",
        "How many prompt templates does my prompts file hold?",
        "Across how many GPUs did I split my model with model parallelism?",
        "What entailment accuracy did my NLI evaluation reach?",
        "How many handoffs did my triage agent make in the OpenAI Agents SDK?",
        "How many documents did I keep after reranking in my RAG pipeline?",
        "How many spam messages were left in my undersampled dataset?",
        "Which activation function replaced sigmoid in my digit-recognition network?",
        "How large was the unembedding matrix in my own GPT implementation?",
        "Which audio-text model did I train with cross-attention?",
        "What KL divergence did I measure between my model and the training data?",
        "How many bits per token did my own language model need?",
        "How many gigabytes did my model need in FP32?",
        "What MMLU score did FLAN reach according to my notes?",
    ],
    ["near-miss", *FRESH15],
)
# ---- fresh16: written at the start of session 23, before it ran anything; run once, untouched, on the final code.
FRESH16 = ["fresh16"]
answerable(
    [
        (
            "What kind of data gives a lower expected perplexity?",
            "More structured data.",
            note(S, "model eval metrics", "More structured data gives lower expected perplexity"),
        ),
        (
            "What is the KL divergence of a model that learns perfectly?",
            "0.",
            note(S, "model eval metrics", "if a model learns perfectionly, the KL divergence is 0"),
        ),
        (
            "Why is finetuning called sample efficient?",
            "Because fewer training data can achieve good results.",
            note(S, "RAG & Finetuning", "fewer training data can achieve good results"),
        ),
        (
            "Which passes run during inference, and which during training?",
            "Only the forward pass during inference; both forward and backward passes during training.",
            note(S, "memory management", "during inference only forward pass; during training, both passes"),
        ),
        (
            "Why is comparing models resource intensive?",
            "Comparing models requires many rounds of comparisons.",
            note(S, "subjective evaluation", "resource intensive comparing models require many rounds of comparisons"),
        ),
        (
            "What is contextual retrieval in RAG?",
            "Augmenting chunks with relevant context info such as metadata: tags, keywords, the relationship with the original longer documents.",
            note(S, "RAG", "contextual retrieval: augment chunks with relevant context info such as metadata"),
        ),
        (
            "Which architectures came before the transformer, and when?",
            "AlexNet (2012), seq2seq (2014-18) and GANs (2014-19); the transformer from 2017.",
            note(S, "modeling", "AlexNet (2012), seq2seq (2014-18), GANs (2014-19)"),
        ),
        (
            "What is finetuning mostly used for?",
            "To improve a model's instruction-following ability, e.g. style and format.",
            note(S, "RAG & Finetuning", "improve its instruction-following ability (eg. style and format)"),
        ),
        (
            "What does query rewriting do in a RAG system?",
            "It supplements the query with the necessary context information.",
            note(S, "RAG", "query rewrite: supplement query with necessary context information"),
        ),
        (
            "Which model in my list of papers was pretrained according to the Chinchilla law?",
            "BloombergGPT.",
            note(C, "arxiv-sanity  )", "(pretrained model according to Chinchilla law)"),
        ),
        (
            "What share of the floating point operations do the experts account for in the sparsely-gated MoE models?",
            "Between 37% and 46% of the total.",
            paper("1701.06538", 7, "represent between 37% and 46% of the total"),
        ),
        (
            "Where does the Switch Transformer use float32 precision to keep training stable?",
            "Only within the router: the router input is cast to float32, and the dispatch and combine tensors are recast to bfloat16 at the end of the router function.",
            paper("2101.03961", 9, "To achieve this, we cast the router input to"),
        ),
    ],
    FRESH16,
)
unanswerable(
    [
        "How many keywords per chunk did I add for contextual retrieval?",
        "How much GPU memory did my backward pass take during training?",
        "How many training examples did my sample-efficient finetune use?",
        "How many parameters does BloombergGPT have according to my notes?",
        "Which LLM did I use to rewrite queries in my RAG pipeline?",
        "What IFEval score did my finetuned model reach for instruction following?",
        "What top-5 error rate did AlexNet reach according to my notes?",
        "How much lower was perplexity on seen data than on unseen data in my experiment?",
        "What vocabulary size did my own tokenizer have?",
        "How many instruction-response pairs were in my supervised finetuning dataset?",
        "How much did I pay human labelers per demonstration pair?",
        "Which execution sequence did my agent use: sequence, parallel or loops?",
        "How much less memory did my sparse model need than the dense one?",
        "Which layer did I freeze in my feature-based transfer learning for computer vision?",
        "How many nats was my model's cross entropy on the validation set?",
    ],
    ["near-miss", *FRESH16],
)
with open(Path(__file__).parent / "golden.jsonl", "w") as f:
    for row in Q:
        f.write(json.dumps(row, ensure_ascii=False) + "\n")
print(
    len(Q),
    sum(not r["answerable"] for r in Q),
    sum(any(c["type"] == "paper" for c in r["contexts"]) for r in Q),
    sum("follow-up" in r["tags"] for r in Q),
    sum("paraphrase" in r["tags"] for r in Q),
)
