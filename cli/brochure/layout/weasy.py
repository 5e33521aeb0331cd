"""HTML -> WeasyPrint's laid-out Document, shared by the PDF writer and the facing-pages layout.

WeasyPrint is imported here only, on first use: `brochure --help` must stay fast.

WeasyPrint fetches what the HTML and CSS name (images, stylesheets, fonts, SVG references,
attachments). A project's layouts are untrusted input, so every fetch goes through one URL
fetcher that serves `data:` URLs and the files inside the allowed folders (the package's layouts
and the project: see `allowed_files`) and refuses everything else: no network at all, nothing
outside the project, symbolic links followed before the check. A refusal stops the build with one
line. A file attached to the PDF (`<a rel="attachment">`, `<link rel="attachment">` in a layout)
must be one that brochure.toml declares (`attachments`, checked to lie inside the project at
load); any other is refused. The declared ones are embedded by layout.pdf.
"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from brochure.core.errors import LayoutError
from brochure.core.paths import allowed

# The folders whose files WeasyPrint may read while a PDF is made (set by allowed_files).
_ROOTS: ContextVar[tuple[Path, ...]] = ContextVar("weasyprint_roots", default=())
# The files brochure.toml declares as attachments (real paths): the only ones a layout may attach.
_ATTACHMENTS: ContextVar[frozenset[Path]] = ContextVar("pdf_attachments", default=frozenset())
# Set while a build lays out its editions (see `collect_between_documents`).
_BETWEEN: ContextVar[bool] = ContextVar("collect_between_documents", default=False)
# The one FontConfiguration of the documents laid out inside `shared_fonts` (made on first use).
_FONTS: ContextVar[list[Any] | None] = ContextVar("shared_font_configuration", default=None)
# Set while the documents rendered live on together (see `documents_kept`).
_KEPT: ContextVar[bool] = ContextVar("documents_kept", default=False)
# Every FontConfiguration our documents used (see `collect_between_documents(exiting=True)`).
_FONT_CONFIGS: weakref.WeakSet[Any] = weakref.WeakSet()
REFUSED = "a layout may use only the files of the project and of brochure (no network, nothing outside the project)"


@contextmanager
def allowed_files(roots: tuple[Path, ...], attachments: tuple[Path, ...] = ()) -> Iterator[None]:
    """While inside, WeasyPrint may read the files under `roots` and the declared `attachments`
    (and data: URLs), nothing else; a layout may attach the `attachments` only."""
    token = _ROOTS.set((*roots, *attachments))
    declared = _ATTACHMENTS.set(frozenset(Path(p).resolve() for p in attachments))
    try:
        yield
    finally:
        _ATTACHMENTS.reset(declared)
        _ROOTS.reset(token)


def collect_between_documents(exiting: bool = False) -> Callable[[], None]:
    """From now on the garbage collector makes no full pass of its own: `render_document` makes
    one before each document instead, and what is loaded already is frozen (never scanned again).
    Returns the function that puts the collector back as it was.

    A WeasyPrint document is a web of cycles (every computed style points at its parent's), so
    a measuring pass's document is freed by a full collection only, and each automatic full
    collection while WeasyPrint lays out or writes a document scans every box made so far: the
    bench edition's first build made 13 of them (1.6 s of a 19 s build), 5 while the first
    measuring pass grew. Here: one per document, freeing the ones before it.

    `exiting`: the process ends right after (the `build` command). The last edition's documents
    are then frozen, not collected: the interpreter's own collection at exit would scan them all
    to free memory the system takes back anyway (0.2-0.4 s of CPU on the bench edition's 104
    pages; a WeasyPrint script pays that collection at its exit, for its one document). The one
    thing their collection did beyond freeing memory, WeasyPrint's FontConfiguration deleting its
    temporary font folder, is done here (`_remove_font_folders`)."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(threshold[0], threshold[1], 1 << 30)  # no automatic full collection
    token = _BETWEEN.set(True)

    def resume() -> None:
        _BETWEEN.reset(token)
        if exiting:
            _remove_font_folders()
            gc.freeze()  # (never unfrozen: the process ends)
            gc.set_threshold(*threshold)
            return
        gc.collect()  # the last documents, while what was frozen is not scanned with them
        gc.set_threshold(*threshold)
        gc.unfreeze()

    return resume


def _remove_font_folders() -> None:
    """Delete the temporary folders of the FontConfigurations still alive, as their `__del__`
    would when collected (WeasyPrint 70 keeps the folder in the private `_folder`, and deletes
    nothing when it is None). Only once every PDF they were used for is written."""
    import shutil

    for config in list(_FONT_CONFIGS):
        folder = getattr(config, "_folder", None)
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
            config._folder = None


@contextmanager
def shared_fonts() -> Iterator[None]:
    """While inside, every document laid out uses one WeasyPrint FontConfiguration: an edition's
    measuring passes, its hyphen-ladder passes and its final render.

    WeasyPrint makes a new one per document unless given one: Fontconfig's set-up, every
    @font-face font read and written to a temporary file, Pango's fonts loaded again: a third
    of a small measuring pass (the one paragraph an edited rebuild measures, 0.05-0.07 s of CPU
    with its own, 0.03-0.05 s with the edition's), and the final render after it loads none.
    A FontConfiguration is made to be shared (WeasyPrint's add_font_face skips a face it holds
    already, keyed by its descriptors and source URLs); it is kept to one edition's layout, so
    that one layout's families never meet another's. Every measurement and page of the seed
    editions is the same with it, to the last bit and pixel."""
    token = _FONTS.set([])
    try:
        yield
    finally:
        _FONTS.reset(token)


@contextmanager
def documents_kept() -> Iterator[None]:
    """While inside, the documents rendered are kept until the end (the columns' measuring
    passes: layout/graft.py prints their lines in the final render): `render_document` makes no
    full collection before each of them, only one on entering (see `collect_between_documents`).

    A collection there would scan the documents kept so far, and free only what their layout
    left behind: on the bench edition's first build the three collections before the second and
    third measuring passes and the final render took 0.4-0.5 s of CPU and freed 125,000 objects
    (about 35 MB, held until the build ends instead: its peak 195 -> 228 MB)."""
    if _BETWEEN.get() and not _KEPT.get():
        gc.collect()
    token = _KEPT.set(True)
    try:
        yield
    finally:
        _KEPT.reset(token)


def render_document(html: str, base: Path, before_pages: Any = None) -> Any:
    """WeasyPrint's laid-out Document of an HTML string (call inside pdf's log redirection).
    `before_pages`: run on the laid-out page boxes before the Document is made (layout/graft.py)."""
    from weasyprint import HTML

    from brochure.layout.graft import hooked

    if _BETWEEN.get() and not _KEPT.get():
        gc.collect()  # the documents laid out before, released (see collect_between_documents)

    fetcher = _fetcher(_ROOTS.get() or (base, _package_layouts()))
    fetcher.where = base
    page = HTML(string=html, base_url=base.as_uri() + "/", url_fetcher=fetcher)
    from weasyprint.text.fonts import FontConfiguration

    shared = _FONTS.get()
    if shared == []:
        shared.append(FontConfiguration())
    # (WeasyPrint would make one itself; made here to be known to _remove_font_folders)
    fonts = shared[0] if shared else FontConfiguration()
    _FONT_CONFIGS.add(fonts)
    try:
        with hooked(before_pages):
            document = page.render(font_config=fonts)
    except _Refused as refused:
        raise LayoutError(f"{base}: refused to load {refused.url}: {REFUSED}") from None
    check_fetches(document)
    _refuse_attachments(page, document, base)
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


def _refuse_attachments(html: Any, document: Any, base: Path) -> None:
    """A layout's <a rel="attachment"> or <link rel="attachment"> must name a declared file."""
    from urllib.parse import unquote, urlsplit

    from weasyprint.html import element_has_link_type, parse_url

    urls = [  # what WeasyPrint made metadata.attachments of (their URLs are not kept there)
        parse_url(link.get("href"), html.base_url) or ""
        for link in html.etree_element.iter("link")
        if element_has_link_type(link, "attachment")
    ]
    for page in document.pages:
        urls += [target for kind, target, *_ in page.links if kind == "attachment"]
    declared = _ATTACHMENTS.get()
    for url in urls:
        parts = urlsplit(str(url))
        if parts.scheme == "file" and parts.netloc in ("", "localhost"):
            try:
                if Path(unquote(parts.path)).resolve() in declared:
                    continue
            except (OSError, RuntimeError, ValueError):
                pass
        raise LayoutError(
            f"{base}: refused to attach {url} to the PDF: a layout may attach only the files "
            "that brochure.toml lists under attachments"
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
