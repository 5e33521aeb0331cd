"""A termbase in XML, whichever of the forms other tools write: TBX (v2 `<martif>`, v3 `<tbx>`) or
SDL MultiTerm's own `<mtf>`, both often saved as .xml: told apart by the root element."""

from __future__ import annotations

from pathlib import Path

from brochure.glossary.concepts import Concept
from brochure.glossary.multiterm import read_mtf
from brochure.glossary.tbx import _local, parse_xml, read_tbx_root


def read_termbase_xml(path: Path) -> list[Concept]:
    """Concepts of a TBX or MultiTerm XML file (GlossaryError for anything else)."""
    root = parse_xml(path).getroot()
    if _local(root) == "mtf":
        return read_mtf(path, root)
    return read_tbx_root(path, root)
