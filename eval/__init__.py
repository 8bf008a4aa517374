"""Offline evaluation: golden set, retrieval metrics, the RAG triad with ragas, judge calibration, BEIR SciFact."""
