"""Answers: prompts, LLM backends, citation mapping and support checks, the answer pipeline."""
