"""The hybrid index shared by ingest and the service: Chroma (dense) + BM25 (lexical) + a SQLite chunk store."""
