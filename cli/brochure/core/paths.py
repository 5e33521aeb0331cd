"""The project-path guard: the project folder is the boundary of what a build may read and write.

People send each other project folders, so a project is untrusted input: its brochure.toml, its
translations, glossary and layouts must not be able to pull a private file into a PDF, DOCX or
XLIFF. Every path a project names, and every file found in its folders, goes through `inside`:
`../`, absolute paths and symbolic links that lead out of the project are refused with one line.
Symbolic links that stay inside the project are fine, and so is a project reached through a link
(real paths are compared).
"""

from __future__ import annotations

from pathlib import Path

from brochure.core.errors import ProjectError

OUTSIDE = "is outside the project (a project may only use files inside its folder)"


def shown(path: Path | str) -> str:
    """A path as the user should see it: relative to the current folder when it is below it."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def real_inside(root: Path, path: Path | str) -> Path | None:
    """The real path of `path` (relative to `root`, or absolute) when it lies inside the real
    `root`, else None. Symbolic links are followed all the way."""
    real_root = Path(root).resolve()
    try:
        real = (real_root / path).resolve()
    except (OSError, RuntimeError, ValueError):  # a loop of links, a NUL byte
        return None
    return real if real == real_root or real.is_relative_to(real_root) else None


def inside(root: Path, path: Path | str, what: str | None = None) -> Path:
    """`path`'s real path if it lies inside the project folder `root`; else ProjectError naming
    `what` (a file or a key of brochure.toml; default: the path itself)."""
    real = real_inside(root, path)
    if real is None:
        name = what or str(path)
        target = ""
        candidate = Path(root) / path
        if candidate.is_symlink():
            target = f" (a symbolic link to {candidate.resolve()})"
        raise ProjectError(f"{name}: {path}{target} {OUTSIDE}")
    return real


def allowed(path: Path | str, roots: tuple[Path, ...]) -> bool:
    """Whether `path`'s real path lies inside one of `roots` (real paths compared)."""
    try:
        real = Path(path).resolve()
    except (OSError, RuntimeError, ValueError):
        return False
    for root in roots:
        real_root = Path(root).resolve()
        if real == real_root or real.is_relative_to(real_root):
            return True
    return False


# Links in a text lead a reader's PDF viewer or word processor somewhere: only to the web and to
# mail. A file: link (or a relative one, read against the PDF's own folder), javascript: or any
# other scheme could open a private file or run code, so it is kept as text (issue 11's rule for
# what a build may fetch, applied to what it may point at).
LINK_SCHEMES = ("http", "https", "mailto")
LINK_REFUSED = "kept as text: only http(s) and mailto links are kept"


def link_target(url: str) -> str | None:
    """`url` (stripped) if a brochure may link to it: http(s) with a host, or mailto with an
    address; else None."""
    from urllib.parse import urlsplit

    url = url.strip()
    if not url or any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme in ("http", "https") and parts.hostname:
        return url
    if scheme == "mailto" and parts.path.strip("/"):
        return url
    return None
