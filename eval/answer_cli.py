"""`notes-rag eval answers | fit | checks`: the answer figures per corpus and kind, the answerability decision's fit,
and the post-generation checks' firing counts and ablation, on a named split (eval/answers.py)."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from rag_service.cli_common import DataDir, bar, make_settings


def register(app: typer.Typer) -> None:
    """Mount these commands on the `eval` app."""
    app.command("answers")(eval_answers)
    app.command("fit")(eval_fit)
    app.command("checks")(eval_checks)


def _run_settings(folder: Path, llm: str) -> Any:
    """A corpus's settings for an eval run: the prompt's fence key pinned unless the environment sets one, so the
    same question and sources give the model the same prompt and a run repeats (the model samples at temperature 0)."""
    settings = make_settings(folder, llm=llm)
    if settings.answer.fence_key:
        return settings
    return settings.model_copy(update={"answer": settings.answer.model_copy(update={"fence_key": "eval-run"})})


def _corpora(corpus: list[str] | None, data_dir: Path | None) -> dict[str, Path]:
    """corpus name -> data dir, from `--corpus name=DIR` (default: notes = the data dir)."""
    out = {"notes": make_settings(data_dir).data_dir}
    for spec in corpus or []:
        name, _, path = spec.partition("=")
        if not path:
            raise typer.BadParameter(f"--corpus {spec!r}: expected NAME=DIR")
        out[name] = Path(path)
    return out


Corpus = Annotated[
    list[str] | None, typer.Option(help="NAME=DIR: the data dir a corpus was ingested into (notes, jalammar).")
]


def eval_answers(
    split: Annotated[str, typer.Option(help="dev (fitted on) or report (never fitted on).")] = "dev",
    corpus: Corpus = None,
    llm: Annotated[str, typer.Option(help="Answer backend: extractive | local | openai.")] = "extractive",
    ids: Annotated[str | None, typer.Option(help="Only these question ids, comma-separated.")] = None,
    dump: Annotated[Path | None, typer.Option(help="Write one JSON line per question here.")] = None,
    data_dir: DataDir = None,
) -> None:
    """Refused, right facts, gold cited and fabricated-and-supported per corpus and kind, on a named split."""
    from eval import answers as ans
    from rag_service.app import build_services

    items = ans.split(split)
    if ids:
        wanted = set(ids.split(","))
        items = [i for i in items if i.id in wanted]
    rows: list[Any] = []
    for name, folder in _corpora(corpus, data_dir).items():
        part = [i for i in items if ans.corpus_of(i) == name]
        if not part:
            continue
        services = build_services(_run_settings(folder, llm))
        services.warm_up()
        with bar() as progress:
            task = progress.add_task(f"{name} ({split}, {llm})", total=len(part))
            rows += ans.run(services.pipeline, part, partial(progress.advance, task))
        services.close()
    table = Table(title=f"answers: split {split}, backend {llm}")
    for col in ("corpus", "kind", "n", "refused", "right facts", "gold cited", "fabricated+supported"):
        table.add_column(col)
    for s in ans.summary(rows):
        table.add_row(
            *(
                str(x)
                for x in (s["corpus"], s["kind"], s["n"], s["refused"], s["right"], s["gold_cited"], s["fabricated"])
            )
        )
    Console(width=140).print(table)
    fast = ans.speed(rows)
    if fast.get("generated"):
        typer.echo("speed (generated answers): " + ", ".join(f"{k} {v:,.0f}" for k, v in fast.items()))
    d = make_settings(data_dir).answer.decision
    typer.echo(
        f"decision (fitted on the dev split, `eval fit`): weights {d.weights}, bias {d.bias}, threshold {d.threshold}"
    )
    if dump:
        ans.dump(rows, dump)


def eval_fit(
    split: Annotated[str, typer.Option(help="The split to fit on (dev); `--check report` reports on another.")] = "dev",
    check: Annotated[str | None, typer.Option(help="Also report the fitted decision on this split.")] = None,
    corpus: Corpus = None,
    dump: Annotated[Path | None, typer.Option(help="Write each question's signals here (JSON lines).")] = None,
    write: Annotated[
        bool, typer.Option(help="Write the fit to rag_service/decision.json (the Settings default).")
    ] = False,
    data_dir: DataDir = None,
) -> None:
    """Fit the answerability decision's weights and threshold; print them, the cross-validated balanced accuracy
    with each signal left out, and the pass rates per corpus and kind."""
    from eval import answers as ans
    from eval.fit import ablation, best_threshold, fit, per_kind, signals
    from rag_service.answer.decide import probability
    from rag_service.app import build_services
    from rag_service.settings import DECISION_FILE, DecisionSettings

    corpora = _corpora(corpus, data_dir)
    wanted = [split] + ([check] if check else [])
    data: dict[str, tuple[list[Any], list[dict[str, float]]]] = {s: ([], []) for s in wanted}
    for name, folder in corpora.items():
        services = build_services(make_settings(folder, llm="extractive"))
        for s in wanted:
            part = [i for i in ans.split(s) if ans.corpus_of(i) == name]
            with bar() as progress:
                task = progress.add_task(f"signals {name} ({s})", total=len(part))
                data[s][0].extend(part)
                data[s][1].extend(signals(services.pipeline, part, partial(progress.advance, task)))
        services.close()
    if dump:
        with dump.open("w") as fh:
            for s, (its, sig) in data.items():
                for item, x in zip(its, sig, strict=True):
                    head = {"split": s, "id": item.id, "corpus": ans.corpus_of(item), "kind": ans.kind_of(item)}
                    fh.write(json.dumps({**head, "answerable": item.answerable, "signals": x}) + "\n")
    items, xs = data[split]
    ys = [i.answerable for i in items]
    weights, bias = fit(xs, ys)
    fitted = DecisionSettings(weights=weights, bias=bias, threshold=0.5)
    threshold = best_threshold([probability(x, fitted) for x in xs], ys)
    fitted = DecisionSettings(weights=weights, bias=bias, threshold=threshold)
    left_out = ablation(xs, ys)
    fitted_on = {"split": split, "n": len(items), "weights": weights, "bias": bias, "threshold": threshold}
    typer.echo(json.dumps(fitted_on))
    typer.echo(
        f"balanced accuracy, 5-fold cross-validated on {split}, each signal left out in turn: {json.dumps(left_out)}"
    )
    if write:
        DECISION_FILE.write_text(json.dumps({**fitted_on, "cross_validated": left_out["none"]}, indent=2) + "\n")
        typer.echo(f"written: {DECISION_FILE}")
    for s in wanted:
        its, sig = data[s]
        passed = [probability(x, fitted) >= threshold for x in sig]
        table = Table(title=f"decision fitted on {split}, evaluated on {s}: answered / n")
        for col in ("corpus", "kind", "answered", "n"):
            table.add_column(col)
        for row in per_kind(its, passed):
            table.add_row(*(str(x) for x in row))
        Console(width=120).print(table)


def eval_checks(
    split: Annotated[str, typer.Option(help="dev (fitted on) or report (never fitted on).")] = "dev",
    corpus: Corpus = None,
    llm: Annotated[str, typer.Option(help="Answer backend: extractive | local | openai.")] = "extractive",
    ids: Annotated[str | None, typer.Option(help="Only these question ids, comma-separated.")] = None,
    dump: Annotated[Path | None, typer.Option(help="Write each answer a check's ablation changed here.")] = None,
    data_dir: DataDir = None,
) -> None:
    """Per-check firing counts of the post-generation checks, and an ablation: each check off in turn, the questions
    it fired for answered again."""
    from eval import answers as ans
    from eval import checks as chk
    from rag_service.answer.pipeline import AnswerPipeline
    from rag_service.app import build_services

    runs: list[Any] = []
    changed: list[dict[str, Any]] = []
    effects: dict[str, dict[str, int]] = {name: {} for name in chk.CHECKS}
    for name, folder in _corpora(corpus, data_dir).items():
        part = [i for i in ans.split(split) if ans.corpus_of(i) == name and (not ids or i.id in ids.split(","))]
        if not part:
            continue
        services = build_services(_run_settings(folder, llm))
        services.warm_up()
        base = services.pipeline
        with bar() as progress:
            task = progress.add_task(f"{name} ({split}, {llm}), all checks on", total=len(part))
            full = chk.run(base, part, partial(progress.advance, task))
            for check in chk.CHECKS:
                hit = [i for i, r in enumerate(full) if check in r.fired]
                if not hit:
                    continue
                settings = base.settings.model_copy(deep=True)
                settings.answer.checks_off = [check]
                off = AnswerPipeline(base.retriever, settings, base.llm)
                again = chk.replay(off, [part[i] for i in hit], [full[i] for i in hit])
                delta = chk.effect([full[i].row for i in hit], [r.row for r in again])
                for k, v in delta.items():
                    effects[check][k] = effects[check].get(k, 0) + v
                changed += [
                    {"check": check, "id": part[i].id, "on": full[i].row.text, "off": r.row.text}
                    for i, r in zip(hit, again, strict=True)
                    if r.row.text != full[i].row.text
                ]
        runs += full
        services.close()
    table = Table(title=f"post-generation checks: split {split}, backend {llm}; with the check off (change)")
    for col in (
        "check",
        "principle",
        "fired",
        "changed answer",
        "answerable refused",
        "right",
        "unanswerable refused",
        "fabricated",
    ):
        table.add_column(col)
    for check, (fired, shown) in chk.counts(runs).items():
        e = effects[check]
        table.add_row(
            check,
            chk.CHECKS[check],
            str(fired),
            str(shown),
            *(f"{e.get(k, 0):+d}" for k in ("answerable_refused", "right", "unanswerable_refused", "fabricated")),
        )
    Console(width=200).print(table)
    typer.echo(f"{len(runs)} questions")
    if dump:
        dump.write_text("".join(json.dumps(c) + "\n" for c in changed))
