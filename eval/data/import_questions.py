"""Import a question set written by other hands (a helper given only the corpus) into the golden schema.

    python eval/data/import_questions.py IN.jsonl OUT.jsonl

Each input line: {id, question, answerable, kind, reference_answer, contexts: [{type, file, heading, text}], tags}.
The kind becomes a tag (answer reports group by it); a heading written as markdown keeps its link text only.
"""

from __future__ import annotations

import json
import re
import sys


def convert(row: dict) -> dict:
    contexts = [
        {**c, "heading": re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", c.get("heading", "")).strip()}
        for c in row.get("contexts", [])
    ]
    tags = list(
        dict.fromkeys([*row.get("tags", []), row["kind"], "answerable" if row["answerable"] else "unanswerable"])
    )
    return {
        "id": row["id"],
        "question": row["question"],
        "history": [],
        "answerable": row["answerable"],
        "reference_answer": row["reference_answer"],
        "contexts": contexts,
        "tags": tags,
    }


if __name__ == "__main__":
    src, dst = sys.argv[1:3]
    with open(src) as fh, open(dst, "w") as out:
        for line in fh:
            if line.strip():
                out.write(json.dumps(convert(json.loads(line)), ensure_ascii=False) + "\n")
