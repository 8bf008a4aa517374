# The notes-rag API. Build context: this repository. The index lives in /data (a volume); Chroma runs as its own
# service (see docker-compose.yml).
FROM python:3.11-slim
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml README.md ./
COPY rag_service rag_service
COPY ingest ingest
COPY eval eval
COPY notes_rag notes_rag
COPY scripts scripts
COPY samples samples
RUN pip install --no-cache-dir torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu \
    && pip install --no-cache-dir -e ".[eval]"
ENV NOTES_RAG_DATA_DIR=/data
EXPOSE 8000
CMD ["notes-rag", "serve", "--host", "0.0.0.0", "--port", "8000"]
