"""HTML -> WeasyPrint's laid-out Document, shared by the PDF writer and the facing-pages layout.

WeasyPrint is imported here only, on first use: `brochure --help` must stay fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def render_document(html: str, base: Path) -> Any:
    """WeasyPrint's laid-out Document of an HTML string (call inside pdf's log redirection)."""
    from weasyprint import HTML

    return HTML(string=html, base_url=base.as_uri() + "/").render()
