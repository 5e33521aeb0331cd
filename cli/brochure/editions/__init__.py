"""Editions: segments and their translations paired up for one language combination."""
