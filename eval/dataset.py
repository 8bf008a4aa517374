"""The golden question set: schema, loading with errors that name the line, reference checks."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from rag_service.types import Message, Source

DEFAULT_GOLDEN = Path(__file__).parent / "data" / "golden.jsonl"
PAPERS_QA = Path(__file__).parent / "data" / "papers_qa.jsonl"
DEFAULT_SETS = (DEFAULT_GOLDEN, PAPERS_QA)  # notes golden set + paper QA set: eval reports them apart


class RefContext(BaseModel):
    """Where the answer is: a note section (file + heading path suffix) or a paper page, with supporting text."""

    model_config = ConfigDict(extra="forbid")
    type: Literal["note", "paper"]
    file: str | None = Field(default=None, description="Note file (relative to the notes folder).")
    heading: str | None = Field(
        default=None, description="Heading path suffix ('A › B'); '' for text before any heading."
    )
    paper_id: str | None = None
    page: int | None = Field(default=None, ge=1)
    text: str = Field(min_length=5, description="Supporting text, verbatim from the source.")

    @model_validator(mode="after")
    def _complete(self) -> RefContext:
        if self.type == "note" and (self.file is None or self.heading is None):
            raise ValueError("a note context needs file and heading")
        if self.type == "paper" and (self.paper_id is None or self.page is None):
            raise ValueError("a paper context needs paper_id and page")
        return self

    def matches(self, source: Source) -> bool:
        """Whether a retrieved chunk's source is this reference (note: same file and heading path ending with the
        reference heading; paper: same id and page)."""
        if self.type == "paper":
            last = source.page_end or source.page
            return (
                source.paper_id == self.paper_id and source.page is not None and source.page <= self.page <= last  # type: ignore[operator]
            )
        if source.type != "note" or source.file != self.file:
            return False
        path = " › ".join(source.heading_path or [])
        return path == self.heading if self.heading == "" else path.endswith(str(self.heading))


class GoldenItem(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    question: str = Field(min_length=3)
    history: list[Message] = Field(default_factory=list)
    answerable: bool
    reference_answer: str
    contexts: list[RefContext]
    tags: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _contexts_iff_answerable(self) -> GoldenItem:
        if self.answerable != bool(self.contexts):
            raise ValueError("answerable questions need reference contexts; unanswerable ones have none")
        return self

    @property
    def group(self) -> str:
        """'papers' when every reference is a paper page, else 'notes' (how eval reports split the questions)."""
        return "papers" if self.contexts and all(c.type == "paper" for c in self.contexts) else "notes"

    def covered_by(self, source: Source, text: str) -> bool:
        """Whether a result's text covers a reference's evidence span: same note/paper and at least 80% of the span's
        words in the text (a passage that holds the answer, wherever the chunk boundaries fall)."""
        for ref in self.contexts:
            same = source.paper_id == ref.paper_id if ref.type == "paper" else source.file == ref.file
            words = re.findall(r"\w+", ref.text.lower())
            have = set(re.findall(r"\w+", text.lower()))
            if same and words and sum(w in have for w in words) >= 0.8 * len(words):
                return True
        return False


def load_sets(paths: list[Path] | None = None) -> list[GoldenItem]:
    """Several golden files as one list (ids must be distinct across them); the bundled sets by default."""
    items: list[GoldenItem] = []
    for path in paths or DEFAULT_SETS:
        items += load_golden(path)
    ids = [i.id for i in items]
    if len(set(ids)) != len(ids):
        raise DatasetError(f"question ids repeat across {', '.join(map(str, paths or DEFAULT_SETS))}")
    return items


class DatasetError(ValueError):
    """A golden file that does not validate; the message names the file, line and field."""


def load_golden(path: Path = DEFAULT_GOLDEN) -> list[GoldenItem]:
    """Parse and validate a golden JSONL file."""
    items: list[GoldenItem] = []
    seen: set[str] = set()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = GoldenItem.model_validate(json.loads(line))
        except json.JSONDecodeError as e:
            raise DatasetError(f"{path}:{n}: not JSON ({e.msg})") from e
        except ValidationError as e:
            first = e.errors()[0]
            field = ".".join(str(x) for x in first["loc"])
            raise DatasetError(f"{path}:{n}: {field}: {first['msg']}") from e
        if item.id in seen:
            raise DatasetError(f"{path}:{n}: id {item.id} repeated")
        seen.add(item.id)
        items.append(item)
    return items


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def verify_references(items: list[GoldenItem], notes_dir: Path, papers_dir: Path | None) -> list[str]:
    """Problems with reference contexts: a snippet not found verbatim in its note section or paper page."""
    from ingest.notes import read_note
    from ingest.paper_structure import read_pdf
    from ingest.papers import scan_papers_dir

    notes: dict[str, dict[str, str]] = {}
    papers: dict[str, list[str]] = {}
    local = scan_papers_dir(papers_dir) if papers_dir else {}
    problems = []
    for item in items:
        for ref in item.contexts:
            if ref.type == "note":
                if ref.file not in notes:
                    note = read_note(notes_dir / str(ref.file), notes_dir)
                    notes[str(ref.file)] = {" › ".join(s.heading_path): "\n".join(s.lines) for s in note.sections}
                sections = notes[str(ref.file)]
                bodies = [
                    b
                    for path, b in sections.items()
                    if (path == "" if ref.heading == "" else path.endswith(str(ref.heading)))
                ]
                if not bodies:
                    problems.append(f"{item.id}: no section '{ref.heading}' in {ref.file}")
                elif not any(_norm(ref.text) in _norm(b) for b in bodies):
                    problems.append(f"{item.id}: text not in {ref.file} › {ref.heading}: {ref.text[:60]}")
            else:
                pid = str(ref.paper_id)
                if pid not in local:
                    continue
                if pid not in papers:  # (setdefault would parse the PDF again for every reference)
                    papers[pid] = read_pdf(local[pid]).pages
                pages = papers[pid]
                if not (ref.page and ref.page <= len(pages) and _norm(ref.text) in _norm(pages[ref.page - 1])):
                    problems.append(f"{item.id}: text not on {pid} p.{ref.page}: {ref.text[:60]}")
    return problems
