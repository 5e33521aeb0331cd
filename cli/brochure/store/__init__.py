"""Stage 3: the translation store (one XLIFF 2 file per document and target language)."""
