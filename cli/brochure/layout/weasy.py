"""HTML -> WeasyPrint's laid-out Document, shared by the PDF writer and the facing-pages layout.

WeasyPrint is imported here only, on first use: `brochure --help` must stay fast.

WeasyPrint fetches what the HTML and CSS name (images, stylesheets, fonts, SVG references,
attachments). A project's layouts are untrusted input, so every fetch goes through one URL
fetcher that serves `data:` URLs and the files inside the allowed folders (the package's layouts
and the project: see `allowed_files`) and refuses everything else: no network at all, nothing
outside the project, symbolic links followed before the check. A refusal stops the build with one
line. Files attached to the PDF (`<a rel="attachment">`, `<link rel="attachment">`) are refused
too: a project has no way to declare attachments, so none is wanted.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from brochure.core.errors import LayoutError
from brochure.core.paths import allowed

# The folders whose files WeasyPrint may read while a PDF is made (set by allowed_files).
_ROOTS: ContextVar[tuple[Path, ...]] = ContextVar("weasyprint_roots", default=())
REFUSED = "a layout may use only the files of the project and of brochure (no network, nothing outside the project)"


@contextmanager
def allowed_files(roots: tuple[Path, ...]) -> Iterator[None]:
    """While inside, WeasyPrint may read the files under `roots` (and data: URLs), nothing else."""
    token = _ROOTS.set(tuple(roots))
    try:
        yield
    finally:
        _ROOTS.reset(token)


def render_document(html: str, base: Path) -> Any:
    """WeasyPrint's laid-out Document of an HTML string (call inside pdf's log redirection)."""
    from weasyprint import HTML

    fetcher = _fetcher(_ROOTS.get() or (base, _package_layouts()))
    fetcher.where = base
    try:
        document = HTML(string=html, base_url=base.as_uri() + "/", url_fetcher=fetcher).render()
    except _Refused as refused:
        raise LayoutError(f"{base}: refused to load {refused.url}: {REFUSED}") from None
    check_fetches(document)
    _refuse_attachments(document, base)
    return document


def _package_layouts() -> Path:
    """The built-in layouts and fonts: always readable."""
    from importlib import resources

    return Path(str(resources.files("brochure.builtin.layouts")))


def check_fetches(document: Any) -> None:
    """Fail if the fetcher refused something that WeasyPrint then swallowed (it catches every error
    while drawing an SVG image, which fetches its images only when the PDF is written): call after
    render() and after write_pdf()."""
    fetcher: Any = getattr(document, "url_fetcher", None)
    refused = getattr(fetcher, "refused", None)
    if refused:
        raise LayoutError(f"{fetcher.where}: refused to load {refused[0]}: {REFUSED}")


def _refuse_attachments(document: Any, base: Path) -> None:
    urls = [
        getattr(a, "source", None) or getattr(a, "url", "") for a in document.metadata.attachments
    ]
    for page in document.pages:
        urls += [target for kind, target, *_ in page.links if kind == "attachment"]
    if urls:
        raise LayoutError(
            f"{base}: refused to attach {urls[0]} to the PDF: a layout may not attach files "
            '(<a rel="attachment"> or <link rel="attachment">)'
        )


class _Refused(BaseException):
    """Raised by the fetcher; WeasyPrint lets BaseExceptions through (FatalURLFetchingError)."""

    def __init__(self, url: str):
        super().__init__(url)
        self.url = url


def _fetcher(roots: tuple[Path, ...]) -> Any:
    from urllib.parse import unquote, urlsplit

    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    class Refused(_Refused, FatalURLFetchingError):
        pass

    class ProjectFetcher(URLFetcher):
        """Serves data: URLs and the allowed folders' files; refuses the rest before any I/O."""

        def __init__(self, *args: Any, **kwargs: Any):
            super().__init__(*args, **kwargs)
            self.refused: list[str] = []
            self.where: Path | None = None

        def fetch(self, url: str, headers: Any = None) -> Any:
            parts = urlsplit(url)
            scheme = parts.scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file" and parts.netloc in ("", "localhost"):
                if allowed(Path(unquote(parts.path)), roots):
                    return super().fetch(url, headers)
            self.refused.append(url)
            raise Refused(url)

    return ProjectFetcher(allowed_protocols=("data", "file"), allow_redirects=False)
