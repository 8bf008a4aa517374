"""The post-generation checks by name, each with its one-line principle, and their findings.

A check that finds a problem returns a ``Finding``; the verifier drops the sentence it is about (the first sentence
failing refuses the answer). ``Checks`` counts what fires, so `notes-rag eval checks` can print firing counts and an
ablation (each check off in turn, Settings.answer.checks_off) on a named split.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

CHECKS: dict[str, str] = {
    "number_absent": "every number a sentence states is in what it cites",
    "name_absent": "every name a sentence states is in what it cites",
    "count_unit": "a count counts what the source counts (8 GPUs is not 8 layers)",
    "own_work": "a claim about the user's own work comes from a note that records their own doing, never a paper",
    "question_name": "a value answering a question about a name comes from a source that names it",
    "count_asked": "'how many X' is answered from a source that counts X",
    "number_place": "a number is stated, in the note, of what the sentence ties it to (its bullet, row or heading)",
    "number_dump": "a string of a table's numbers answers nothing",
    "support": "what a sentence cites supports it (embedding support at the threshold)",
    "restates_question": "a sentence that only restates the question says nothing",
    "no_value": "a question asking for an amount is answered with an amount of what it asks",
    "language": "an answer is written in the language of the question",
}


class Finding(str):
    """A check's finding: a ``str`` (its message, as tests and logs read it) that also carries the check's name."""

    check: str

    def __new__(cls, check: str, detail: str) -> Finding:
        out = super().__new__(cls, detail)
        out.check = check
        return out


class Checks:
    """Which checks run, and how often each fired (a diagnostic counter for eval runs, one question at a time)."""

    def __init__(self, off: Iterable[str] = ()) -> None:
        unknown = sorted(set(off) - set(CHECKS))
        if unknown:
            raise ValueError(f"answer.checks_off: unknown check(s) {unknown}; known: {sorted(CHECKS)}")
        self.off = frozenset(off)
        self.fired: Counter[str] = Counter()

    def on(self, check: str) -> bool:
        """The check runs."""
        return check not in self.off

    def find(self, check: str, detail: str) -> list[Finding]:
        """The finding as a list (empty when the check is off), counted when it fires."""
        if check in self.off:
            return []
        self.fired[check] += 1
        return [Finding(check, detail)]
