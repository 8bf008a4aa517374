"""LLM backends (local GGUF via xllamacpp, any OpenAI-compatible server) and the packaged model files."""
