"""Parsing the XML people bring (XLIFF, TMX, TBX) in one safe way, with errors naming file and line.

External entities are never resolved, no DTD is loaded and nothing is fetched from the network, so
a hostile or broken file cannot read local files or reach out.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lxml import etree

    from brochure.core.errors import BrochureError


# A declaration that says UTF-16 written in one-byte characters: a Trados file (UTF-16) that an
# editor saved again as UTF-8 (Notepad++'s "Convert to UTF-8" keeps the declaration). lxml then
# reads the bytes as UTF-16 and fails with "Blank needed here"; the bytes can only be UTF-8.
_MISLABELLED_UTF16 = re.compile(rb"(?:\xef\xbb\xbf)?<\?xml[^>]*encoding\s*=\s*[\"']utf-16", re.I)


def parse_xml(
    path: Path, error: type[BrochureError], kind: str, *, huge: bool = False,
    data: bytes | None = None,
) -> etree._ElementTree:  # fmt: skip
    """Parse `path` (or `data` read from it); raise `error("FILE:LINE: malformed KIND: ...")`
    for anything malformed."""
    import io

    from lxml import etree

    try:
        if data is None:  # read it ourselves: lxml's own errors name no reason a user can act on
            data = Path(path).read_bytes()
        parser = etree.XMLParser(
            resolve_entities=False, no_network=True, load_dtd=False, huge_tree=huge,
            encoding="utf-8" if _MISLABELLED_UTF16.match(data) else None,
        )  # fmt: skip
        return etree.parse(io.BytesIO(data), parser, base_url=str(path))
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or (exc.position[0] if exc.position else 0)
        msg = (exc.msg or "malformed XML").split(", line")[0]
        raise error(f"{path}:{line}: malformed {kind}: {msg}") from None
    except OSError as exc:
        from brochure.core.errors import os_error_message

        raise error(os_error_message(exc)) from None


def parse_xml_bytes(
    data: bytes, name: str, error: type[BrochureError], kind: str
) -> etree._Element:
    """Parse XML held in memory (a part of a DOCX or ODT package) as safely as `parse_xml`."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or (exc.position[0] if exc.position else 0)
        msg = (exc.msg or "malformed XML").split(", line")[0]
        raise error(f"{name}:{line}: malformed {kind}: {msg}") from None
