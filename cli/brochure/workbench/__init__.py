"""`brochure serve`: the translators' workbench, a local web page over the store (no rule of its own)."""
