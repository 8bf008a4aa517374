"""Text analysis shared by retrieval, answers and eval: where a sentence sits in a note, and numbers as written."""
