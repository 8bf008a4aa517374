"""notes-rag: question answering over study notes and the papers they link."""

__version__ = "0.1.0"
