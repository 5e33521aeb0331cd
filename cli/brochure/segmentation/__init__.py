"""Stage 2: a Document cut into sentences with stable ids (SegmentedDocument)."""
