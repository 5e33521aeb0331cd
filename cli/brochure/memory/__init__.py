"""Translation memory: a rebuildable SQLite index over the stores and TMX files; TMX in and out."""
