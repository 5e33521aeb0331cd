"""The translations store: one XLIFF 2.0 file per document and target language in translations/.

The XLIFF files are the truth and are edited by people and CAT tools, so the store edits the parsed
tree in place: notes, metadata, attributes and units it does not touch are written back as they
were. Unit id = segment id. States: initial, translated, reviewed, final (XLIFF 2.0's own).
A unit whose segment no longer exists (its source text changed) is moved into the group
`brochure-stale`, not deleted, so its translation can be reused.
Who made a target (a person, the memory, an engine and its model) is recorded with XLIFF 2's
Metadata module (mda:meta in the category "brochure").

Elements are placed in the schema's order by construction (_insert_in_order): in a <unit>,
module elements such as <mda:metadata> come first, then <notes>, <originalData>, the segments.

Several processes may write one file (`translate` drafting for minutes while an `xliff import`
saves). save() holds the project's translations lock, and if the file changed on disk since it
was read, re-reads it and replays this store's own edits on the fresh copy, unit by unit: a unit
someone else changed meanwhile keeps their version against a machine draft (a human edit always
wins over a machine draft). So no writer's save is ever written over.
"""

from __future__ import annotations

import copy
import hashlib
import html
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING

from lxml import etree

from brochure.core.atomic import file_lock, write_bytes_atomic
from brochure.core.datamodel import RichText, Segment, Span
from brochure.core.errors import TranslationStoreError
from brochure.core.text import search_form

if TYPE_CHECKING:
    from brochure.core.project import DocumentSpec, Project

XLF = "urn:oasis:names:tc:xliff:document:2.0"
MDA = "urn:oasis:names:tc:xliff:metadata:2.0"
NSMAP = {None: XLF, "mda": MDA}
STATES = ("initial", "translated", "reviewed", "final")
APPROVED = ("reviewed", "final")  # machine drafts never overwrite these
STALE_GROUP = "brochure-stale"
META_CATEGORY = "brochure"
log = logging.getLogger(__name__)
_OUR_ID = re.compile(r"^s[0-9a-f]{12}(-\d+)?$")
_SUBTYPE = {"em": "xlf:i", "strong": "xlf:b"}
_KIND = {v: k for k, v in _SUBTYPE.items()}
_NOTE_SPANS = ("note",)
MACHINE_ORIGINS = ("mt", "memory", "memory-fuzzy")  # drafts a person's edit always wins over
LOCK_FILE = "translations.lock"
# Unit metadata that names a file (where `brochure align` took a translation from): relative to the
# project, never absolute, since a shared XLIFF carries it to other machines
PATH_META = ("align-source",)
# Children of <file> and <unit> in the order XLIFF 2's schema requires; an element of another
# namespace (a module such as mda:metadata, or an extension) ranks with "module".
_FILE_ORDER = {"skeleton": 0, "module": 1, "notes": 2, "unit": 3, "group": 3}
_UNIT_ORDER = {"module": 0, "notes": 1, "originalData": 2, "segment": 3, "ignorable": 3}


# (which order, tag) -> rank: a save ranks every child of every unit, and etree.QName is slow
_RANK_MEMO: dict[tuple[int, str], int] = {}


def _rank(el: etree._Element, order: dict[str, int]) -> int | None:
    tag = el.tag
    if not isinstance(tag, str):
        return None  # comments and processing instructions stay where they are
    key = (id(order), tag)
    rank = _RANK_MEMO.get(key)
    if rank is None:
        qname = etree.QName(tag)
        rank = order["module"] if qname.namespace != XLF else order.get(qname.localname, 99)
        if (order is _FILE_ORDER or order is _UNIT_ORDER) and len(_RANK_MEMO) < 1000:
            _RANK_MEMO[key] = rank
    return rank


def _insert_in_order(parent: etree._Element, child: etree._Element, order: dict[str, int]) -> None:
    """Insert `child` after every child of `parent` that ranks before or with it."""
    rank = _rank(child, order)
    assert rank is not None
    pos = 0
    for i, other in enumerate(parent):
        other_rank = _rank(other, order)
        if other_rank is not None and other_rank <= rank:
            pos = i + 1
    parent.insert(pos, child)


def _reorder(parent: etree._Element, order: dict[str, int]) -> bool:
    """Put `parent`'s children in schema order (stable; a comment moves with the element after
    it). Repairs files written out of order by older versions or other tools. True if moved."""
    children = list(parent)
    ranks: list[int] = []
    pending = 100  # a comment after the last element stays last
    for child in reversed(children):
        rank = _rank(child, order)
        pending = rank if rank is not None else pending
        ranks.append(pending)
    ranks.reverse()
    if ranks == sorted(ranks):
        return False
    ordered = [c for _, c in sorted(zip(ranks, children), key=lambda pair: pair[0])]
    # the white space between children (no text in a <unit>): inner indentation, then closing
    inner, closing = children[0].tail, children[-1].tail
    for child in children:
        parent.remove(child)
    for child in ordered:
        child.tail = inner
        parent.append(child)
    ordered[-1].tail = closing
    return True


def _digest(data: bytes | None) -> str | None:
    return hashlib.sha1(data).hexdigest() if data is not None else None


# Files parsed and validated in this process (the workbench opens the same file on every request),
# keyed by path, languages and the SHA-1 of the bytes read: a file changed on disk in any way has
# another key, so an entry is never trusted after a change. Each entry: the parsed tree (a copy is
# handed out: stores edit theirs in place), the bytes when the tree is not parsed yet (a file this
# process just wrote, so valid by construction), and the segments a sync of this tree was found
# to change nothing for.
_PARSED: OrderedDict[tuple[str, str, str, str], _Parsed] = OrderedDict()
_PARSED_SIZE = 8
_parsed_lock = threading.Lock()


@dataclass
class _Parsed:
    tree: etree._ElementTree | None
    data: bytes | None = None
    synced: tuple[Segment, ...] | None = None
    facts: dict[str, UnitFacts] | None = None  # TranslationFile.facts() of this very file


def _cached_facts(key: tuple[str, str, str, str]) -> dict[str, UnitFacts] | None:
    """A copy of the facts of file `key` found before (None: not yet)."""
    with _parsed_lock:
        entry = _PARSED.get(key)
        return dict(entry.facts) if entry is not None and entry.facts is not None else None


def _remember_facts(key: tuple[str, str, str, str] | None, facts: dict[str, UnitFacts]) -> None:
    with _parsed_lock:
        entry = _PARSED.get(key) if key is not None else None
        if entry is not None:
            entry.facts = dict(facts)


def _cached_tree(key: tuple[str, str, str, str], path: Path) -> etree._ElementTree | None:
    """A copy of the tree of file `key` parsed before (None: not parsed yet)."""
    with _parsed_lock:
        entry = _PARSED.get(key)
        if entry is None:
            return None
        _PARSED.move_to_end(key)
        if entry.tree is None and entry.data is not None:  # written here: parse, no validation
            from brochure.core.xmlsafe import parse_xml

            entry.tree = parse_xml(path, TranslationStoreError, "XLIFF", data=entry.data)
            entry.data = None
        return copy.deepcopy(entry.tree)


def _remember_parsed(key: tuple[str, str, str, str], entry: _Parsed) -> None:
    with _parsed_lock:
        _PARSED[key] = entry
        _PARSED.move_to_end(key)
        while len(_PARSED) > _PARSED_SIZE:
            _PARSED.popitem(last=False)


def _synced_already(key: tuple[str, str, str, str] | None, segments: list[Segment]) -> bool:
    """True if a sync of file `key` with these segments was found to change nothing."""
    with _parsed_lock:
        entry = _PARSED.get(key) if key is not None else None
        known = entry.synced if entry is not None else None
    return known is not None and len(known) == len(segments) and known == tuple(segments)


def _remember_synced(key: tuple[str, str, str, str] | None, segments: list[Segment]) -> None:
    with _parsed_lock:
        entry = _PARSED.get(key) if key is not None else None
        if entry is not None:
            entry.synced = tuple(segments)


def portable_path(value: str, root: Path | None = None) -> str:
    """A file named in a unit's metadata as any machine may read it: relative to the project
    `root` when inside it, else only its name (an absolute path leaks a local folder and means
    nothing elsewhere; files from before this rule carry one, and are read so)."""
    posix, windows = PurePosixPath(value), PureWindowsPath(value)
    if windows.drive or value.startswith("\\"):  # C:\Users\..., \\server\share\...
        return windows.name
    if not posix.is_absolute():
        return value if ".." not in posix.parts else posix.name
    if root is not None:
        try:
            return Path(value).relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return posix.name


def default_lock(path: Path) -> Path:
    """The translations lock for a file in <project>/translations/ (else one beside the file)."""
    folder = Path(path).resolve().parent
    if (folder.parent / "brochure.toml").exists():
        return folder.parent / ".brochure" / "locks" / LOCK_FILE
    return folder / f".{LOCK_FILE}"


def _q(tag: str) -> str:
    return f"{{{XLF}}}{tag}"


@dataclass
class Note:
    text: str
    category: str = ""


@dataclass
class Unit:
    """A view of one <unit>: source and target as RichText, state, notes and brochure metadata."""

    id: str
    source: RichText
    target: RichText | None
    state: str
    notes: list[Note]
    meta: dict[str, str]
    stale: bool = False
    line: int = 0

    @property
    def approved(self) -> bool:
        return self.state in APPROVED and self.target is not None

    @property
    def has_target(self) -> bool:
        return self.target is not None and bool(self.target.text.strip())


@dataclass(frozen=True)
class UnitFacts:
    """A unit as a filter sees it, without reading the unit again (TranslationFile.facts)."""

    id: str
    state: str
    origin: str  # the brochure:origin of its target; "" without a target
    source: str  # the source text in its search form (core.text.search_form)
    target: str  # the target text in its search form; "" without a target
    content: tuple  # unit_content(): equal for two readings of an unchanged unit


def unit_content(unit: Unit) -> tuple:
    """Everything a unit's check problems depend on: state, source, target and notes."""
    return (unit.state, unit.source, unit.target, tuple((n.text, n.category) for n in unit.notes))


def _facts_of(unit: Unit) -> UnitFacts:
    target = unit.target.text if unit.target is not None else ""
    origin = unit.meta.get("origin", "") if unit.has_target else ""
    return UnitFacts(unit.id, unit.state, origin, search_form(unit.source.text),
                     search_form(target), unit_content(unit))  # fmt: skip


# A link is a <pc type="link"> whose native codes, `<a href="...">` and `</a>`, are in the unit's
# <originalData> (dataRefStart/dataRefEnd), as XLIFF 2 keeps any original markup; CAT tools show
# it as a tag pair and keep the codes. Our <data> ids start with "link"; unused ones are removed.
LINK_END = "</a>"
_HREF = re.compile(r'^\s*<a\s+href="([^"]*)"\s*>\s*$', re.IGNORECASE)


def link_code(target: str) -> str:
    """The native code that opens a link to `target`."""
    return f'<a href="{html.escape(target, quote=True)}">'


def link_of_code(code: str) -> str | None:
    """The target of a link opened by `code` (`<a href="...">`), else None."""
    m = _HREF.match(code)
    return html.unescape(m.group(1)) if m else None


def _unit_of(el: etree._Element) -> etree._Element | None:
    node: etree._Element | None = el
    while node is not None and not (isinstance(node.tag, str) and node.tag == _q("unit")):
        node = node.getparent()
    return node


def unit_codes(el: etree._Element) -> dict[str, str]:
    """The native codes of the unit holding `el`: <originalData> <data> id -> text."""
    unit = _unit_of(el)
    data = unit.find(_q("originalData")) if unit is not None else None
    if data is None:
        return {}
    return {d.get("id", ""): "".join(d.itertext()) for d in data.findall(_q("data"))}


def read_rich(el: etree._Element, codes: dict[str, str] | None = None) -> RichText:
    """<source>/<target> content -> RichText; <pc> with xlf:i / xlf:b become spans, and
    <pc type="link"> whose codes (`codes`, default the unit's <originalData>) hold an http(s) or
    mailto target a link span (any other target: the text only, with a warning)."""
    parts: list[str] = []
    spans: list[Span] = []
    if codes is None:
        codes = unit_codes(el)

    def walk(node: etree._Element) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            if not isinstance(child.tag, str):  # comment or processing instruction
                if child.tail:
                    parts.append(child.tail)
                continue
            start = sum(map(len, parts))
            local = etree.QName(child).localname
            if local == "ph":  # its text is `equiv`; `disp` shows the code to a translator
                # ("<br/>", "{1}") and came into translations as literal tag text
                parts.append(child.get("equiv", ""))
            else:
                walk(child)
            kind = _KIND.get(child.get("subType", "")) if local == "pc" else None
            end = sum(map(len, parts))
            if local == "pc" and child.get("type") == "link" and end > start:
                link = _link(child, codes)
                if link:
                    spans.append(Span(start, end, "link", link))
            elif kind and end > start:
                spans.append(Span(start, end, kind))  # type: ignore[arg-type]
            if child.tail:
                parts.append(child.tail)

    walk(el)
    from brochure.sources.text import _with_notes

    return _with_notes(
        RichText("".join(parts), tuple(sorted(spans, key=lambda s: (s.start, -s.end))))
    )


def _link(pc: etree._Element, codes: dict[str, str]) -> str | None:
    """The target of a <pc type="link">, if its opening code names one a brochure may keep."""
    from brochure.core.paths import LINK_REFUSED, link_target

    url = link_of_code(codes.get(pc.get("dataRefStart", ""), ""))
    if url is None:
        return None
    safe = link_target(url)
    if safe is None:
        log.warning("line %s: a link to %r is %s", pc.sourceline, url, LINK_REFUSED)
    return safe


def write_rich(el: etree._Element, rich: RichText, codes: dict[str, str] | None = None) -> None:
    """RichText -> element content, with nested <pc> for emphasis, strong and links.

    A link's codes go into `codes` (id -> native code) when given, else into the <originalData>
    of the unit holding `el` (a link is not written without one or the other)."""
    for child in list(el):
        el.remove(child)
    el.text = None
    unit = _unit_of(el) if codes is None else None
    carried = (*_SUBTYPE, "link") if codes is not None or unit is not None else tuple(_SUBTYPE)
    spans = sorted((s for s in rich.spans if s.kind in carried), key=lambda s: (s.start, -s.end))
    counter = iter(range(1, 10_000))

    def ref(code: str) -> str:
        if codes is not None:
            found = next((k for k, v in codes.items() if v == code), None)
            if found is None:
                found = f"link{len(codes) + 1}" if code != LINK_END else "link-end"
                codes[found] = code
            return found
        assert unit is not None
        return _unit_code(unit, code)

    def fill(parent: etree._Element, start: int, end: int, inner: list[Span]) -> None:
        pos = start
        last: etree._Element | None = None
        i = 0
        while i < len(inner):
            span = inner[i]
            nested = []
            j = i + 1
            while j < len(inner) and inner[j].start < span.end:
                nested.append(inner[j])
                j += 1
            _append_text(parent, last, rich.text[pos : span.start])
            if span.kind == "link":
                pc = etree.SubElement(
                    parent, _q("pc"), id=str(next(counter)), type="link",
                    dataRefStart=ref(link_code(span.target)), dataRefEnd=ref(LINK_END),
                )  # fmt: skip
            else:
                pc = etree.SubElement(
                    parent, _q("pc"), id=str(next(counter)), type="fmt", subType=_SUBTYPE[span.kind]
                )
            fill(pc, span.start, min(span.end, end), nested)
            last = pc
            pos = min(span.end, end)
            i = j
        _append_text(parent, last, rich.text[pos:end])

    fill(el, 0, len(rich.text), spans)
    if unit is not None:
        _prune_codes(unit)


def _unit_code(unit: etree._Element, code: str) -> str:
    """The id of `code` in the unit's <originalData>, added (with the element) when missing."""
    data = unit.find(_q("originalData"))
    if data is None:
        data = etree.Element(_q("originalData"))
        data.tail = "\n    "
        _insert_in_order(unit, data, _UNIT_ORDER)
    ids = set()
    for d in data.findall(_q("data")):
        if "".join(d.itertext()) == code:
            return d.get("id", "")
        ids.add(d.get("id", ""))
    new = "link-end" if code == LINK_END else "link1"
    n = 1
    while new in ids:
        n += 1
        new = f"link{n}"
    item = etree.SubElement(data, _q("data"), id=new)
    item.text = code
    return new


def _prune_codes(unit: etree._Element) -> None:
    """Remove our link codes no <pc> of the unit points at (and an <originalData> left empty)."""
    data = unit.find(_q("originalData"))
    if data is None:
        return
    used = {
        ref
        for node in unit.iter(_q("pc"), _q("ph"), _q("sc"), _q("ec"))
        for attr in ("dataRefStart", "dataRefEnd", "dataRef")
        if (ref := node.get(attr))
    }
    for d in data.findall(_q("data")):
        if d.get("id", "").startswith("link") and d.get("id") not in used:
            data.remove(d)
    if len(data) == 0:
        unit.remove(data)


def _append_text(parent: etree._Element, last: etree._Element | None, text: str) -> None:
    if not text:
        return
    if last is None:
        parent.text = (parent.text or "") + text
    else:
        last.tail = (last.tail or "") + text


class TranslationFile:
    """One translations/<document>.<lang>.xlf, parsed; edits happen in the tree; save() is atomic."""

    def __init__(
        self, path: Path, tree: etree._ElementTree, src_lang: str, tgt_lang: str, doc: str,
        *, digest: str | None = None, lock: Path | None = None,
    ):  # fmt: skip
        self.path = path
        self.tree = tree
        self.src_lang = src_lang
        self.tgt_lang = tgt_lang
        self.doc = doc
        self.changed = False
        self.merged = False  # the last save() merged edits another process had saved
        self.lock = lock or default_lock(path)
        self._digest = digest  # of the bytes read (None: the file did not exist)
        # What this store did since it was read, to replay it on a fresh copy (see save()).
        self._ops: list[tuple[str, str, tuple, dict]] = []
        self._base: dict[str, tuple | None] = {}  # unit id -> its content before our first edit
        self._segments: list[Segment] | None = None
        # facts(): kept with the parsed-file cache, updated by this store's own edits
        self._facts: dict[str, UnitFacts] | None = None
        self._index(tree)

    def _index(self, tree: etree._ElementTree) -> None:
        self.tree = tree
        self._facts = None
        self.file_el = tree.getroot().findall(_q("file"))[0]
        self._units: dict[str, etree._Element] = {}
        for unit in self.file_el.iter(_q("unit")):
            uid = unit.get("id")
            if uid in self._units:
                raise TranslationStoreError(
                    f"{self.path}:{unit.sourceline}: duplicate unit id {uid!r}"
                )
            self._units[uid] = unit  # type: ignore[index]

    # -- reading -------------------------------------------------------------------------------
    @classmethod
    def open(
        cls, path: Path, src_lang: str, tgt_lang: str, doc: str, original: str = "",
        lock: Path | None = None,
    ) -> TranslationFile:  # fmt: skip
        """Parse `path`, or start an empty file in memory if it does not exist yet."""
        try:
            data: bytes | None = Path(path).read_bytes()
        except FileNotFoundError:
            data = None
        except OSError as exc:
            raise TranslationStoreError(f"{path}: cannot read: {exc.strerror or exc}") from None
        if data is None:
            root = etree.Element(
                _q("xliff"), nsmap=NSMAP, version="2.0", srcLang=src_lang, trgLang=tgt_lang
            )
            root.text = "\n  "
            file_el = etree.SubElement(root, _q("file"), id=doc)
            if original:
                file_el.set("original", original)
            file_el.text = "\n  "
            file_el.tail = "\n"
            return cls(path, etree.ElementTree(root), src_lang, tgt_lang, doc, lock=lock)
        from brochure.core.xmlsafe import parse_xml

        digest = _digest(data)
        assert digest is not None
        key = (str(Path(path).resolve()), src_lang, tgt_lang, digest)
        tree = _cached_tree(key, path)
        if tree is None:
            tree = parse_xml(path, TranslationStoreError, "XLIFF", data=data)
            _validate(path, tree, src_lang, tgt_lang)
            _remember_parsed(key, _Parsed(copy.deepcopy(tree)))
        store = cls(path, tree, src_lang, tgt_lang, doc, digest=digest, lock=lock)
        store._facts = _cached_facts(key)
        return store

    def _cache_key(self) -> tuple[str, str, str, str] | None:
        """This store's file in the parsed-file cache, while its tree is as read or written."""
        if self._digest is None or self.changed or self._ops:
            return None
        return (str(Path(self.path).resolve()), self.src_lang, self.tgt_lang, self._digest)

    def ids(self, include_stale: bool = True) -> list[str]:
        """The file's unit ids in order (the order of units()); the stale group's unless told."""
        if include_stale:
            return list(self._units)
        return [uid for uid, el in self._units.items() if not self._is_stale(el)]

    def get(self, uid: str) -> Unit | None:
        """The unit `uid`, or None when the file has none."""
        el = self._units.get(uid)
        return self._view(el) if el is not None else None

    def units(self, include_stale: bool = False) -> Iterator[Unit]:
        """The file's units in order; the stale group's only when asked."""
        for el in self._units.values():
            unit = self._view(el)
            if include_stale or not unit.stale:
                yield unit

    def facts(self) -> list[UnitFacts]:
        """Every unit but the stale ones as a filter sees it, in order: read once per version of
        the file in this process (kept with the parsed-file cache, and carried over this store's
        own edits and saves), so filtering 2,000 units does not read them all on every request."""
        if self._facts is None:
            self._facts = {u.id: _facts_of(u) for u in self.units()}
            _remember_facts(self._cache_key(), self._facts)
        return list(self._facts.values())

    def _fact_changed(self, uid: str) -> None:
        """Unit `uid` was edited: its facts are read again (the others stay)."""
        if self._facts is not None and uid in self._facts:
            self._facts[uid] = _facts_of(self._view(self._units[uid]))

    def _view(self, el: etree._Element) -> Unit:
        seg = el.find(_q("segment"))
        source_el = seg.find(_q("source")) if seg is not None else None
        target_el = seg.find(_q("target")) if seg is not None else None
        state = seg.get("state", "initial") if seg is not None else "initial"
        notes = [
            Note(n.text or "", n.get("category", ""))
            for n in el.findall(f"{_q('notes')}/{_q('note')}")
        ]
        meta = {}
        for m in el.iterfind(
            f"{{{MDA}}}metadata/{{{MDA}}}metaGroup[@category='{META_CATEGORY}']/{{{MDA}}}meta"
        ):
            kind = m.get("type", "")
            meta[kind] = portable_path(m.text or "") if kind in PATH_META else m.text or ""
        stale = self._is_stale(el)
        codes = unit_codes(el) if seg is not None else {}  # once for source and target
        return Unit(
            id=el.get("id", ""),
            source=read_rich(source_el, codes) if source_el is not None else RichText(""),
            target=read_rich(target_el, codes) if target_el is not None else None,
            state=state, notes=notes, meta=meta, stale=stale, line=el.sourceline or 0,
        )  # fmt: skip

    def _content(self, uid: str) -> tuple | None:
        """A unit's state and target (text and spans): what decides whether someone changed it."""
        el = self._units.get(uid)
        if el is None:
            return None
        unit = self._view(el)
        target = unit.target
        return (unit.state, target.text, target.spans) if target is not None else (unit.state,)

    def _remember(self, uid: str) -> None:
        if uid not in self._base:
            self._base[uid] = self._content(uid)

    @staticmethod
    def _is_stale(el: etree._Element) -> bool:
        parent = el.getparent()
        return parent is not None and parent.tag == _q("group") and parent.get("id") == STALE_GROUP

    # -- editing -------------------------------------------------------------------------------
    def sync(self, segments: Iterable[Segment]) -> None:
        """Give every segment a unit (in document order); move units of vanished segments aside.

        A unit whose stored source differs from its segment's text (edited outside) is kept aside
        too, under a suffixed id, and the segment gets a fresh unit.
        """
        wanted = list(segments)
        self._segments = wanted
        key = self._cache_key()
        if _synced_already(key, wanted):
            return  # this very file was synced with these very segments: nothing would change
        changed, self.changed = self.changed, False
        self._sync(wanted)
        if self.changed:
            self._facts = None  # units added, moved aside or re-marked: read them again
        elif key is not None:
            _remember_synced(key, wanted)
        self.changed = self.changed or changed

    def _sync(self, wanted: list[Segment]) -> None:
        # 1. units that no longer match a segment go into the stale group
        by_id = {s.id: s for s in wanted}
        for uid, el in list(self._units.items()):
            seg = by_id.get(uid)
            if seg is not None:
                if _same_text(_source_text(el), seg.text):
                    self._refresh_markup(el, seg)
                    continue
                self._rename_stale(uid, el)
            elif _OUR_ID.match(uid) and not self._is_stale(el):
                self._move_to_stale(el)
        # 2. every segment gets its unit, in document order, before the stale group (and after
        # whatever the schema puts before units: a skeleton, module elements, notes)
        anchor_index = 0
        for child in self.file_el:
            rank = _rank(child, _FILE_ORDER)
            if rank is not None and rank >= _FILE_ORDER["unit"]:
                break
            anchor_index += 1
        # A unit is in place when it follows the one placed before it: comparing neighbours, not
        # indexes (lxml's index() walks the children: quadratic in a 2,000-unit file).
        before = self.file_el[anchor_index - 1] if anchor_index else None
        for seg in wanted:
            el = self._units.get(seg.id)
            if el is None:
                el = self._new_unit(seg)
                self._units[seg.id] = el
            elif self._is_stale(el):
                self._detach(el)
            if el.getparent() is not self.file_el or el.getprevious() is not before:
                self._place(el, anchor_index, before)  # units before it stay where they are
            before = el
            anchor_index += 1

    def _refresh_markup(self, el: etree._Element, seg: Segment) -> None:
        """The stored source gets the segment's inline markup when only that changed (a link
        added to the source, or a file written before links were kept)."""
        source = el.find(f"{_q('segment')}/{_q('source')}")
        if source is None or not seg.content.spans and len(source) == 0:
            return
        if read_rich(source).spans != seg.content.spans:
            write_rich(source, seg.content)
            self.changed = True

    def set_target(
        self, uid: str, target: RichText, state: str, *, meta: dict[str, str] | None = None,
        note: str | None = None, note_category: str = "brochure",
    ) -> None:  # fmt: skip
        """Set a unit's target and state; record who made it (meta) and why (note)."""
        if state not in STATES:
            raise ValueError(state)
        self._remember(uid)
        self._ops.append(("target", uid, (target, state), {"meta": meta}))
        self._set_target(uid, target, state, meta)
        if note:
            self.add_note(uid, note, note_category)

    def _set_target(
        self, uid: str, target: RichText, state: str, meta: dict[str, str] | None
    ) -> None:
        el = self._units[uid]
        seg = el.find(_q("segment"))
        target_el = seg.find(_q("target"))
        if target_el is None:
            target_el = etree.SubElement(seg, _q("target"))
            source_el = seg.find(_q("source"))
            source_el.tail = "\n      "
            target_el.tail = "\n    "
        write_rich(target_el, target)
        seg.set("state", state)
        if meta is not None:
            self._set_meta(el, meta)
        self.changed = True
        self._fact_changed(uid)

    def add_note(self, uid: str, text: str, category: str = "brochure") -> None:
        """Add a note to unit `uid` (kept through later syncs and merges)."""
        self._ops.append(("note", uid, (text, category), {}))
        self._add_note(uid, text, category)

    def drop_notes(self, uid: str, prefix: str) -> None:
        """Remove unit `uid`'s notes whose text starts with `prefix` (what a tool said of an
        earlier version, e.g. `align: unsure`, once it no longer holds); a person's notes say
        other things and stay."""
        self._ops.append(("unnote", uid, (prefix,), {}))
        self._drop_notes(uid, prefix)

    def _drop_notes(self, uid: str, prefix: str) -> None:
        notes = self._units[uid].find(_q("notes"))
        if notes is None:
            return
        gone = [note for note in notes if (note.text or "").startswith(prefix)]
        for note in gone:
            notes.remove(note)
        if gone:
            if len(notes) == 0:
                notes.getparent().remove(notes)
            else:
                notes[-1].tail = "\n    "
            self.changed = True
            self._fact_changed(uid)

    def _add_note(self, uid: str, text: str, category: str) -> None:
        el = self._units[uid]
        notes = el.find(_q("notes"))
        if notes is None:
            notes = etree.Element(_q("notes"))
            notes.text = "\n      "
            notes.tail = "\n    "
            _insert_in_order(el, notes, _UNIT_ORDER)
        note = etree.SubElement(notes, _q("note"), category=category)
        note.text = text
        note.tail = "\n    "
        if len(notes) > 1:
            notes[-2].tail = "\n      "
        self.changed = True
        self._fact_changed(uid)

    def _set_meta(self, el: etree._Element, meta: dict[str, str]) -> None:
        md = el.find(f"{{{MDA}}}metadata")
        if md is None:
            md = etree.Element(f"{{{MDA}}}metadata")
            md.tail = "\n    "
            _insert_in_order(el, md, _UNIT_ORDER)
        group = md.find(f"{{{MDA}}}metaGroup[@category='{META_CATEGORY}']")
        if group is not None:
            md.remove(group)
        group = etree.SubElement(md, f"{{{MDA}}}metaGroup", category=META_CATEGORY)
        for key, value in meta.items():
            m = etree.SubElement(group, f"{{{MDA}}}meta", type=key)
            m.text = value

    def _new_unit(self, seg: Segment) -> etree._Element:
        unit = etree.Element(_q("unit"), id=seg.id)
        unit.text = "\n    "
        segment = etree.SubElement(unit, _q("segment"), state="initial")
        segment.text = "\n      "
        segment.tail = "\n  "
        source = etree.SubElement(segment, _q("source"))
        write_rich(source, seg.content)
        source.tail = "\n    "
        self.changed = True
        return unit

    def _place(self, el: etree._Element, index: int, before: etree._Element | None) -> None:
        """Put unit `el` at child `index` of the file, right after `before` (the element there
        now, if any): next to it in constant time; insert(index) walks the children, which made
        the first sync of a new 10,000-unit file take 2.9 s."""
        self._detach(el)
        if before is not None and before.getparent() is self.file_el:
            before.addnext(el)
        else:
            self.file_el.insert(index, el)
        el.tail = "\n  "
        self.changed = True

    def _detach(self, el: etree._Element) -> None:
        parent = el.getparent()
        if parent is not None:
            parent.remove(el)
            self.changed = True

    def _stale_group(self) -> etree._Element:
        group = self.file_el.find(f"{_q('group')}[@id='{STALE_GROUP}']")
        if group is None:
            group = etree.SubElement(self.file_el, _q("group"), id=STALE_GROUP)
            group.set(
                "name", "units whose source text changed; kept so their translations can be reused"
            )
            group.text = "\n  "
            group.tail = "\n"
        return group

    def _move_to_stale(self, el: etree._Element) -> None:
        self._detach(el)
        group = self._stale_group()
        group.append(el)
        el.tail = "\n  "
        self.changed = True

    def _rename_stale(self, uid: str, el: etree._Element) -> None:
        n = 1
        while f"{uid}.old{n}" in self._units:
            n += 1
        new_id = f"{uid}.old{n}"
        el.set("id", new_id)
        del self._units[uid]
        self._units[new_id] = el
        self._move_to_stale(el)

    def save(self) -> bool:
        """Write the file atomically if anything changed; True if written.

        Under the translations lock: if another process saved the file since this store read
        it, the store re-reads it and replays its own edits on that copy (see _replay), so the
        other save is kept.
        """
        if not self.changed and self.path.exists():
            return False
        with file_lock(self.lock, self.path):
            try:
                current: bytes | None = self.path.read_bytes()
            except FileNotFoundError:
                current = None
            if current is not None and _digest(current) != self._digest:
                self._merge_into(current)
            _reorder(self.file_el, _FILE_ORDER)
            for meta in self.file_el.iter(f"{{{MDA}}}meta"):
                if meta.get("type") in PATH_META and meta.text:
                    meta.text = portable_path(meta.text)  # an old file's absolute path
            for unit in self._units.values():
                _reorder(unit, _UNIT_ORDER)
            data = etree.tostring(self.tree, xml_declaration=True, encoding="UTF-8") + b"\n"
            write_bytes_atomic(self.path, data)
            self._digest = _digest(data)
        self.changed = False
        self._ops.clear()
        self._base.clear()
        # What this process wrote needs no validation when read again. A store that was synced
        # (and re-synced on a merge) changed no source since; if its units also stand in place,
        # a sync of what it wrote with the same segments would change nothing.
        key = self._cache_key()
        if key is not None:
            wanted = self._segments
            synced = tuple(wanted) if wanted is not None and self._in_place(wanted) else None
            facts = dict(self._facts) if self._facts is not None else None
            _remember_parsed(key, _Parsed(None, data, synced, facts))
        return True

    def _in_place(self, wanted: list[Segment]) -> bool:
        """True if the segments' units follow each other, in order, where sync puts them."""
        children = list(self.file_el)
        anchor = 0
        for child in children:
            rank = _rank(child, _FILE_ORDER)
            if rank is not None and rank >= _FILE_ORDER["unit"]:
                break
            anchor += 1
        placed = children[anchor : anchor + len(wanted)]
        return len(placed) == len(wanted) and all(
            el is self._units.get(seg.id) for el, seg in zip(placed, wanted, strict=True)
        )

    def unchanged_on_disk(self) -> bool:
        """True if the file on disk is still what this store last read or wrote."""
        try:
            return _digest(self.path.read_bytes()) == self._digest
        except OSError:
            return self._digest is None

    def _merge_into(self, current: bytes) -> None:
        """Adopt the file as saved by someone else, with this store's own edits replayed on it."""
        from brochure.core.xmlsafe import parse_xml

        tree = parse_xml(self.path, TranslationStoreError, "XLIFF", data=current)
        _validate(self.path, tree, self.src_lang, self.tgt_lang)
        fresh = TranslationFile(self.path, tree, self.src_lang, self.tgt_lang, self.doc,
                                digest=_digest(current), lock=self.lock)  # fmt: skip
        if self._segments is not None:
            fresh.sync(self._segments)
        yielded = self._replay(fresh)
        self._index(fresh.tree)
        self.merged = True
        log.info(
            "%s was saved by another process meanwhile: merged%s", self.path.name,
            f"; {len(yielded)} machine draft(s) left out where their edit wins" if yielded else "",
        )  # fmt: skip

    def _replay(self, fresh: TranslationFile) -> set[str]:
        """Apply this store's edits to `fresh`, unit by unit.

        A unit that `fresh` holds in another state or with another target than this store first
        read was changed by someone else: a machine draft (origin mt or memory) for it is dropped,
        with its notes, so their edit wins; a person's edit from this store is applied (the later
        save wins, as it would in an editor). A machine draft never replaces an approved unit.
        """
        theirs = {uid for uid, base in self._base.items() if fresh._content(uid) != base}
        dropped: set[str] = set()
        for kind, uid, args, kwargs in self._ops:
            unit = fresh.get(uid)
            if unit is None or uid in dropped:
                continue
            if kind == "target":
                meta = kwargs["meta"]
                origin = (meta or unit.meta).get("origin", "")
                if origin in MACHINE_ORIGINS and (uid in theirs or unit.approved):
                    dropped.add(uid)
                    continue
                fresh._set_target(uid, args[0], args[1], meta)
            elif kind == "note":
                if not any(n.text == args[0] for n in unit.notes):
                    fresh._add_note(uid, *args)
            elif kind == "unnote":
                fresh._drop_notes(uid, *args)
        return dropped


def _source_text(unit: etree._Element) -> str:
    source = unit.find(f"{_q('segment')}/{_q('source')}")
    return "".join(source.itertext()) if source is not None else ""


def _same_text(a: str, b: str) -> bool:
    from brochure.core.text import normalise

    return normalise(a) == normalise(b)


def _validate(path: Path, tree: etree._ElementTree, src: str, tgt: str) -> None:
    root = tree.getroot()
    if root.tag != _q("xliff"):
        raise TranslationStoreError(
            f"{path}:{root.sourceline}: not an XLIFF 2.0 file (root <{etree.QName(root).localname}>)"
        )
    if not str(root.get("version", "")).startswith("2."):
        raise TranslationStoreError(
            f"{path}:{root.sourceline}: XLIFF version {root.get('version')!r}, expected 2.x"
        )
    if root.get("srcLang") != src:
        raise TranslationStoreError(
            f"{path}:{root.sourceline}: srcLang is {root.get('srcLang')!r}, the project's source language is {src!r}"
        )
    if root.get("trgLang") not in (None, tgt):
        raise TranslationStoreError(
            f"{path}:{root.sourceline}: trgLang is {root.get('trgLang')!r}, expected {tgt!r}"
        )
    files = root.findall(_q("file"))
    if len(files) != 1:
        raise TranslationStoreError(
            f"{path}:{root.sourceline}: expected one <file>, found {len(files)}"
        )
    for unit in root.iter(_q("unit")):
        if not unit.get("id"):
            raise TranslationStoreError(f"{path}:{unit.sourceline}: <unit> without id")
        seg = unit.find(_q("segment"))
        if seg is None or seg.find(_q("source")) is None:
            raise TranslationStoreError(
                f"{path}:{unit.sourceline}: unit {unit.get('id')!r} has no <segment><source>"
            )
        state = seg.get("state", "initial")
        if state not in STATES:
            raise TranslationStoreError(
                f"{path}:{seg.sourceline}: unknown state {state!r} (one of: {', '.join(STATES)})"
            )


def open_store(project: Project, document: DocumentSpec, lang: str) -> TranslationFile:
    """The translation file of one document and target language (created when first saved)."""
    path = project.translations_path(document, lang)
    try:
        original = str(document.path.relative_to(project.root))
    except ValueError:
        original = str(document.path)
    return TranslationFile.open(path, project.source_language, lang, document.name, original,
                                lock=project.cache_dir / "locks" / LOCK_FILE)  # fmt: skip
