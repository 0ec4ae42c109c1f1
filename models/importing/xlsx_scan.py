"""Reading what calamine does not report from an xlsx sheet's XML: uncalculated formulas and error
cells. (The sheet's extent is measured before it is loaded, by `xml_guard`.)"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from html import unescape

from cutline.models.importing.grid import CellFlag, column_index
from defusedxml import ElementTree

_ROOT_PREFIX = re.compile(rb"<(\w+:)?worksheet\b")
_REF = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
_TYPE = re.compile(rb'\bt="(\w+)"')
_TEXT_TYPES = (b"str", b"s", b"inlineStr")


@dataclass(frozen=True)
class SheetScan:
    """What the sheet XML shows: flagged cells by (row 1-based, column 0-based)."""

    flagged: Mapping[tuple[int, int], CellFlag] = field(default_factory=dict)


def sheet_members(parts: Mapping[str, bytes]) -> dict[str, str]:
    """Each sheet's name and the zip member holding its XML, from the workbook and its relations."""
    workbook = _workbook_member(parts)
    folder = posixpath.dirname(workbook)
    rels_name = posixpath.join(folder, "_rels", posixpath.basename(workbook) + ".rels")
    targets = {}
    for el in _elements(parts.get(rels_name, b""), "Relationship"):
        target = el.get("Target", "")
        member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        targets[el.get("Id", "")] = member
    out = {}
    for el in _elements(parts.get(workbook, b""), "sheet"):
        rel = next((v for k, v in el.attrib.items() if k.endswith("}id")), "")
        if rel in targets:
            out[el.get("name", "")] = targets[rel]
    return out


def is_strict(parts: Mapping[str, bytes]) -> bool:
    """True for a workbook saved as Strict Open XML."""
    return b"purl.oclc.org/ooxml/spreadsheetml" in parts.get(_workbook_member(parts), b"")


def _workbook_member(parts: Mapping[str, bytes]) -> str:
    for el in _elements(parts.get("_rels/.rels", b""), "Relationship"):
        if el.get("Type", "").endswith("/officeDocument"):
            return el.get("Target", "").lstrip("/")
    return "xl/workbook.xml"


def _elements(xml: bytes, local: str):
    """Elements with this local name, whatever their namespace (transitional or strict)."""
    if not xml:
        return []
    root = ElementTree.fromstring(xml)
    return [el for el in root.iter() if el.tag == local or el.tag.endswith("}" + local)]


def scan_sheet(xml: bytes) -> SheetScan:
    """Flag formulas without a cached value and error cells."""
    match = _ROOT_PREFIX.search(xml, 0, 4096)
    prefix = (match.group(1) or b"") if match else b""
    return SheetScan(_flags(xml, prefix))


def _flags(xml: bytes, prefix: bytes) -> dict[tuple[int, int], CellFlag]:
    cell_open, cell_close = b"<" + prefix + b"c ", b"</" + prefix + b"c>"
    # Two searches that each start with a literal run at C speed; one alternation would not.
    markers = (re.compile(rb"<" + re.escape(prefix) + rb"f[\s>/]"), re.compile(rb' t="e"'))
    value = re.compile(rb"<" + re.escape(prefix) + rb"v>(.*?)</" + re.escape(prefix) + rb"v>", re.S)
    formula = re.compile(rb"<" + re.escape(prefix) + rb"f\b[^>]*?(?:/>|>(.*?)</" + re.escape(prefix) + rb"f>)", re.S)
    flags: dict[tuple[int, int], CellFlag] = {}
    seen = -1
    hits = sorted(h.start() for m in markers for h in m.finditer(xml))
    for hit in hits:
        start = xml.rfind(cell_open, 0, hit + 1)
        if start <= seen or start < 0:
            continue
        seen = start
        end = xml.find(cell_close, hit)
        cell = xml[start: end if end > 0 else len(xml)]
        ref = _REF.search(cell)
        if ref is None:
            continue
        where = (int(ref.group(2)), column_index(ref.group(1).decode()))
        head = cell[: cell.find(b">") + 1]
        kind = _TYPE.search(head)
        cached = value.search(cell)
        if kind is not None and kind.group(1) == b"e":
            text = cached.group(1) if cached else b"#ERROR"
            flags[where] = CellFlag("error", unescape(text.decode("utf-8", "replace")))
        elif (cached is None or not cached.group(1)) and not (kind and kind.group(1) in _TEXT_TYPES and cached):
            f = formula.search(cell)
            text = f.group(1) if f and f.group(1) else b""
            flags[where] = CellFlag("formula", "=" + unescape(text.decode("utf-8", "replace")) if text else "a shared formula")
    return flags
