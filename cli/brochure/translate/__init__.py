"""Filling the store: approved translation, else memory match, else an MT draft chosen by the glossary."""
