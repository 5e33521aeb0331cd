"""Small helpers shared by the command modules."""

from __future__ import annotations


def shown(path) -> str:
    """A path as the user should see it: relative to the current folder when it is below it."""
    from pathlib import Path

    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
