"""The `notes-rag` command: the core's commands plus those of the ingest and eval packages."""
