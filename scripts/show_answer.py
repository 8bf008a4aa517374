"""Print a /v1/chat JSON answer (read from stdin) with its numbered, clickable sources."""

import json
import sys


def label(source: dict) -> str:
    if source["type"] == "note":
        return " › ".join([source.get("file", ""), *source.get("heading_path", [])])
    return f"{source.get('title')} p.{source.get('page')}"


answer = json.load(sys.stdin)
print("A:", answer["answer"])
for c in answer.get("citations", []):
    mark = "" if c["supported"] else "  (not supported by this source)"
    print(f"  [{c['n']}] {label(c['source'])}  {c['source'].get('url')}{mark}")
if answer["refused"]:
    print(f"(refused: {answer.get('refusal_reason')}) closest sources:")
    for r in answer.get("related", []):
        print(f"  - {label(r['source'])}  {r['source'].get('url')}")
