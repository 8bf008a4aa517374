"""The top-level `notes-rag` CLI: mounts each package's own commands. Importing it loads no model and no index;
every command imports what it needs when it runs."""

from __future__ import annotations

from eval.cli import app as eval_app
from ingest.cli import ingest
from rag_service.cli import app

app.command()(ingest)
app.add_typer(eval_app, name="eval")


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
