"""The instruction detector (rag_service/text/injection.py) fitted and measured on labelled units.

Units are labelled from the red-team set (eval/data/redteam.jsonl: a planted instruction in a note, with its place):
a unit of a planted note that overlaps the planted text is an instruction; every other unit of that note, every
benign span (eval/data/redteam_benign.jsonl: text about injection, prompt templates, second-person prose) and every
unit of a corpus of real notes is not. Splits: **dev** = red-team cases rt001-rt024, the odd benign spans and the
notes folder given as dev; **report** = rt025-rt048, the even benign spans and the other corpora (never fitted on).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

import yaml

from ingest.notes import split_front_matter
from rag_service.settings import InjectionSettings
from rag_service.text.injection import (
    _LINK,
    FEATURES,
    Unit,
    features,
    front_matter_units,
    mark,
    units,
)

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Labelled:
    unit: Unit
    planted: bool
    case: str  # red-team case id, benign id, or the corpus file


def note_units(text: str) -> list[Unit]:
    """A note's units as ingest sees them: its front matter's free text, then its body."""
    yaml_text, body, first_line = split_front_matter(text)
    if yaml_text is None:
        return units(text)
    front = yaml.safe_load(yaml_text) or {}
    body = "\n" * (first_line - 1) + body  # line numbers as in the file
    return (front_matter_units(front) if isinstance(front, dict) else []) + units(body)


def overlaps(unit: str, planted: str) -> bool:
    """The unit is part of the planted text, or holds it."""
    a, b = (_words(_LINK.sub(lambda m: "" if m.group(1) else m.group(2), t)) for t in (unit, planted))
    return len(a) >= 8 and (a in b or b in a)


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def redteam(split: str) -> list[Labelled]:
    """The red-team cases of a split, unit by unit."""
    out = []
    for line in (DATA / "redteam.jsonl").read_text().splitlines():
        case = json.loads(line)
        if (int(case["id"][2:]) <= 24) != (split == "dev"):
            continue
        for u in note_units(case["note"]):
            out.append(Labelled(u, overlaps(u.text, case["planted"]), case["id"]))
    return out


def benign(split: str) -> list[Labelled]:
    """The benign spans of a split (odd ids dev, even report)."""
    out = []
    for line in (DATA / "redteam_benign.jsonl").read_text().splitlines():
        row = json.loads(line)
        if (int(row["id"][2:]) % 2 == 1) == (split == "dev"):
            out += [Labelled(u, False, row["id"]) for u in units(row["text"])]
    return out


def corpus(folder: Path) -> list[Labelled]:
    """Every unit of the markdown files under ``folder`` (real notes: no planted instruction)."""
    out = []
    for path in sorted(folder.rglob("*.md")):
        text = path.read_text(errors="replace")
        out += [Labelled(u, False, path.relative_to(folder).as_posix()) for u in note_units(text)]
    return out


def dataset(split: str, corpora: list[Path]) -> list[Labelled]:
    """The labelled units of a split: red-team and benign halves, and the given corpora."""
    return redteam(split) + benign(split) + [x for folder in corpora for x in corpus(folder)]


def fit(rows: list[Labelled]) -> dict[str, object]:
    """A balanced logistic regression over the features, and the threshold with the fewest planted cases missed plus
    units of real text flagged on the same rows."""
    from sklearn.linear_model import LogisticRegression

    x = [[features(r.unit.text)[f] for f in FEATURES] for r in rows]
    y = [int(r.planted) for r in rows]
    model = LogisticRegression(C=1.0, max_iter=1000).fit(x, y)
    weights = {f: round(float(w), 3) for f, w in zip(FEATURES, model.coef_[0], strict=True)}
    bias = round(float(model.intercept_[0]), 3)

    def cost(t: float) -> int:  # planted cases missed + units of real text flagged, as the detector runs in place
        m = measure(rows, InjectionSettings(weights=weights, bias=bias, threshold=t))
        return m.planted_cases - m.cases_caught + len(m.false_flags)

    # the least costly threshold on this split; of equals, the highest (a false flag hides real text from the model)
    threshold = min((round(0.5 + i / 100, 2) for i in range(50)), key=lambda t: (cost(t), -t))
    return {"weights": weights, "bias": bias, "threshold": threshold}


@dataclass
class Figures:
    planted_cases: int
    cases_caught: int  # a case is caught when one of its planted units is flagged
    planted_units: int
    units_caught: int
    negatives: int
    false_flags: list[Labelled]

    @property
    def precision(self) -> float:
        caught = self.units_caught
        return caught / (caught + len(self.false_flags)) if caught + len(self.false_flags) else 1.0


def _flagged(rows: list[Labelled], settings: InjectionSettings) -> list[bool]:
    """Each row flagged as the detector flags it in place (``mark`` over each case's units, in order)."""
    out: list[bool] = []
    for _, group in groupby(rows, key=lambda r: r.case):
        out += [p is not None for p in mark([r.unit for r in group], settings)]
    return out


def measure(rows: list[Labelled], settings: InjectionSettings) -> Figures:
    """Cases and units caught, and the units of real text flagged."""
    flagged = _flagged(rows, settings)
    cases = {r.case for r in rows if r.planted}
    caught = {r.case for r, f in zip(rows, flagged, strict=True) if r.planted and f}
    return Figures(
        planted_cases=len(cases),
        cases_caught=len(caught),
        planted_units=sum(r.planted for r in rows),
        units_caught=sum(r.planted and f for r, f in zip(rows, flagged, strict=True)),
        negatives=sum(not r.planted for r in rows),
        false_flags=[r for r, f in zip(rows, flagged, strict=True) if f and not r.planted],
    )


def missed(rows: list[Labelled], settings: InjectionSettings) -> list[Labelled]:
    """The planted units the detector lets through."""
    return [r for r, f in zip(rows, _flagged(rows, settings), strict=True) if r.planted and not f]
