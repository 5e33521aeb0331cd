"""The built-in termbase of Kazakh/Russian political terms, shipped as package data."""
