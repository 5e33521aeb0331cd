"""Stage 1: reading source files (Markdown, plain text) into a Document."""
