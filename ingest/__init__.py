"""Ingestion: notes and linked papers -> chunks -> the hybrid index."""
