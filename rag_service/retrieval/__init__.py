"""Retrieval over the hybrid index."""
