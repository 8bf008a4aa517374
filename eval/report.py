"""Report folder: results.jsonl, summary.json, report.md, report.html and matplotlib PNGs."""

from __future__ import annotations

import html
import json
import math
from pathlib import Path
from typing import Any

SHOWN = (
    "hit@1",
    "hit@5",
    "hit@10",
    "mrr",
    "ndcg@10",
    "recall@4",
    "covered@5",
    "refusal_accuracy_unanswerable",
    "false_refusal_rate",
    "citation_supported_share",
    "citation_recall",
    "citation_precision",
    "raw_citation_recall",
    "raw_citation_precision",
    "context_relevance",
    "faithfulness",
    "answer_relevancy",
    "non_llm_context_recall",
    "semantic_similarity",
    "rouge_l",
)
PER_QUESTION = (
    "hit@10",
    "mrr",
    "ndcg@10",
    "recall@4",
    "supported_share",
    "citation_recall",
    "citation_precision",
    "faithfulness",
    "semantic_similarity",
)


def _plots(out: Path, summaries: list[dict[str, Any]], rows: list[dict[str, Any]]) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    files = []
    keys = [k for k in SHOWN if any(s.get(k) is not None for s in summaries)]
    fig, ax = plt.subplots(figsize=(max(8, len(keys) * 0.9), 4.5))
    width = 0.8 / max(1, len(summaries))
    for i, s in enumerate(summaries):
        ax.bar(np.arange(len(keys)) + i * width, [s.get(k) or 0 for k in keys], width, label=s["config"])
    ax.set_xticks(np.arange(len(keys)) + width * (len(summaries) - 1) / 2, keys, rotation=35, ha="right")
    ax.set_ylim(0, 1.05)
    ax.set_title(f"metrics per config (judge: {summaries[0]['judge']})")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out / "metrics.png", dpi=110)
    files.append("metrics.png")
    plt.close(fig)

    ans = [r for r in rows if r["answerable"]]
    cols = [k for k in PER_QUESTION if any(r.get(k) is not None for r in ans)]
    if ans and cols:
        grid = np.array([[np.nan if r.get(k) is None else float(r[k]) for k in cols] for r in ans])
        fig, ax = plt.subplots(figsize=(1.2 * len(cols) + 2, max(4, 0.18 * len(ans))))
        im = ax.imshow(grid, aspect="auto", vmin=0, vmax=1, cmap="viridis")
        ax.set_xticks(range(len(cols)), cols, rotation=35, ha="right")
        ax.set_yticks(range(len(ans)), [r["id"] for r in ans], fontsize=6)
        fig.colorbar(im, ax=ax)
        ax.set_title("per question (answerable)")
        fig.tight_layout()
        fig.savefig(out / "heatmap.png", dpi=110)
        files.append("heatmap.png")
        plt.close(fig)

    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.hist([r["latency_ms"] / 1000 for r in rows], bins=20)
    ax.set_xlabel("seconds per question (answer + checks)")
    ax.set_title("latency")
    fig.tight_layout()
    fig.savefig(out / "latency.png", dpi=110)
    files.append("latency.png")
    plt.close(fig)
    return files


def _fmt(v: Any) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    return f"{v:.3f}" if isinstance(v, float) else str(v)


GROUNDEDNESS_NOTE = (
    "Groundedness (offline, every run): citation_recall / citation_precision are ALCE's citation metrics with the "
    "claim checker as the entailment judge, on the answers shown; raw_* on the model's text before the claim check "
    "dropped sentences. ALCE's published points (ASQA, NLI judge): ChatGPT 73.6 / 72.5, Vicuna-13B 51.1 / 50.1. "
    "ragas faithfulness appears only with a capable judge configured."
)


def write_report(out: Path, summaries: list[dict[str, Any]], rows: list[dict[str, Any]]) -> Path:
    """Write the report folder and return it."""
    out.mkdir(parents=True, exist_ok=True)
    with (out / "results.jsonl").open("w") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    (out / "summary.json").write_text(json.dumps(summaries if len(summaries) > 1 else summaries[0], indent=2))
    images = _plots(out, summaries, rows)
    keys = [k for k in SHOWN if any(s.get(k) is not None for s in summaries)]
    lines = [
        f"# notes-rag eval — {', '.join(s['config'] for s in summaries)}",
        "",
        f"Judge: **{summaries[0]['judge']}**. Backend: {summaries[0]['backend']}. Questions: "
        f"{summaries[0]['questions']} ({summaries[0]['answerable']} answerable, "
        f"{summaries[0]['unanswerable']} unanswerable).",
        "",
        "| metric | " + " | ".join(s["config"] for s in summaries) + " |",
        "|---|" + "---|" * len(summaries),
    ]
    for k in [*keys, "latency_p50_ms", "latency_p95_ms"]:
        lines.append(f"| {k} | " + " | ".join(_fmt(s.get(k)) for s in summaries) + " |")
    nan_notes = [
        f"{k}: {s[k]} NaN of {s.get(k[:-4] + '_n')}" for s in summaries for k in s if k.endswith("_nan") and s[k]
    ]
    lines += [
        "",
        "NaN scores (judge failed or abstained; kept, not dropped): " + ("; ".join(nan_notes) or "none"),
        "",
        GROUNDEDNESS_NOTE,
        "",
        f"Refusal calibration (best threshold on this run): {summaries[0].get('refusal_calibration')}",
        "",
    ]
    lines += [f"![{img}]({img})" for img in images]
    (out / "report.md").write_text("\n".join(lines) + "\n")
    rows_html = "".join(
        f"<tr><td>{html.escape(k)}</td>" + "".join(f"<td>{_fmt(s.get(k))}</td>" for s in summaries) + "</tr>"
        for k in [*keys, "latency_p50_ms", "latency_p95_ms"]
    )
    head = "".join(f"<th>{html.escape(s['config'])}</th>" for s in summaries)
    (out / "report.html").write_text(
        "<!doctype html><meta charset=utf-8><title>notes-rag eval</title>"
        "<style>body{font:15px system-ui;max-width:1000px;margin:2rem auto}td,th{padding:3px 10px;"
        "border-bottom:1px solid #ddd}img{max-width:100%}</style>"
        f"<h1>notes-rag eval</h1><p>Judge: <b>{html.escape(summaries[0]['judge'])}</b>; backend "
        f"{html.escape(str(summaries[0]['backend']))}</p><table><tr><th>metric</th>{head}</tr>{rows_html}</table>"
        f"<p>{html.escape('NaN: ' + ('; '.join(nan_notes) or 'none'))}</p><p>{html.escape(GROUNDEDNESS_NOTE)}</p>"
        + "".join(f'<p><img src="{img}"></p>' for img in images)
    )
    return out
