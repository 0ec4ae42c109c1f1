"""Which source column feeds which initiative field: synonyms, the guess, and a saved mapping."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from cutline.models.errors import ColumnMappingError, Location
from cutline.models.importing.conversions import Conversion
from cutline.models.portfolio.portfolio import CANONICAL_FIELDS

#: Fields an import reads that the portfolio does not keep as such: `blocks` lists the ids that
#: wait on this initiative (a tracker's outward "blocks" link), and becomes their depends_on.
IMPORT_ONLY_FIELDS: tuple[str, ...] = ("blocks",)
#: Every field a column can feed.
IMPORT_FIELDS: tuple[str, ...] = CANONICAL_FIELDS + IMPORT_ONLY_FIELDS
#: List fields that several columns may feed together (their lists are merged).
MULTI_FIELDS: tuple[str, ...] = ("depends_on", "blocks")

#: Names each field is known by, besides its own; compared after `normalise_header`.
SYNONYMS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "id": ("key", "ref", "reference", "initiative id", "issue key"),
    "title": ("name", "initiative", "initiative name", "feature", "item", "summary"),
    "team": ("owner", "owning team"),
    "category": ("type", "theme", "bucket"),
    "layer": ("platform layer",),
    "reach": (),
    "impact": (),
    "confidence": (),
    "effort": ("estimate", "size", "person weeks", "t-shirt size", "tshirt size", "t-shirt", "story points"),
    "risk": (),
    "reliability": (),
    "security": (),
    "dx": ("developer experience", "devex"),
    "depends_on": ("dependencies", "depends on", "prerequisites", "blocked by", "predecessors", "waits on"),
    "unblocks": ("unblocks teams", "downstream teams"),
    "quarter": ("target quarter", "due", "due date", "must land by", "deadline"),
    "status": ("state",),
    "notes": ("description", "comments"),
})
#: Headers of the columns a Cutline export computes; an export read back drops them.
COMPUTED_HEADERS: tuple[str, ...] = (
    "Rank", "Tier", "Score", "Funded", "Planned quarter", "Finishes", "Due quarter", "Late",
    "Not funded because", "Pulled in by", "Reason", "Funded in draws", "Rank p5", "Rank p95",
)
POINTS_PREFIX = "Points: "
_PARENS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_SEPARATORS = re.compile(r"[\s_\-]+")
_MAPPING_VERSION = 2


def normalise_header(text: object) -> str:
    """A header reduced for matching: lower case, no text in parentheses, no trailing %,
    no spaces, underscores or hyphens. "Effort (person-weeks)" -> "effort"."""
    s = str(text or "").casefold()
    while True:  # nested parentheses: remove the innermost until none are left
        reduced = _PARENS.sub(" ", s)
        if reduced == s:
            break
        s = reduced
    s = s.strip().rstrip("%").strip()
    return _SEPARATORS.sub("", s)


def _lookup() -> dict[str, str]:
    table = {}
    for name in IMPORT_FIELDS:
        for alias in (name, *SYNONYMS.get(name, ())):
            table[normalise_header(alias)] = name
    return table


_FIELD_OF = _lookup()
_COMPUTED = {normalise_header(h) for h in COMPUTED_HEADERS}


def field_for_header(header: str) -> str | None:
    """The canonical field a header names, or None."""
    return _FIELD_OF.get(normalise_header(header))


def is_computed_header(header: str) -> bool:
    """True for a column a Cutline export computes (Rank, Score, Points: ..., and so on)."""
    return header.startswith(POINTS_PREFIX) or normalise_header(header) in _COMPUTED


def looks_like_export(headers: Sequence[str]) -> bool:
    """A Cutline export: a Points column, or at least two of its other computed columns."""
    if any(h.startswith(POINTS_PREFIX) for h in headers):
        return True
    return sum(normalise_header(h) in _COMPUTED for h in headers) >= 2


def headers_key(headers: Iterable[str]) -> str:
    """A stable key for a list of headers, so a saved mapping is found again for the same sheet layout."""
    joined = "\x1f".join(" ".join(str(h).split()) for h in headers)
    return "h1-" + hashlib.sha256(joined.encode("utf-8")).hexdigest()[:24]


@dataclass(frozen=True)
class ColumnMapping:
    """For each source header: a field, or None to keep it as an extra column.
    Headers in `ignored` are dropped (Cutline's own computed columns, or the user's choice).
    `conversions` say how a field's cells are read (value maps, effort units, text rules);
    `tracker` is the export recognised from the headers ("jira", ...; "" for any other sheet)."""

    fields: Mapping[str, str | None] = field(default_factory=dict)
    ignored: frozenset[str] = frozenset()
    conversions: Mapping[str, Conversion] = field(default_factory=dict)
    tracker: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "fields", MappingProxyType(dict(self.fields)))
        object.__setattr__(self, "ignored", frozenset(self.ignored))
        object.__setattr__(self, "conversions", MappingProxyType(
            {k: v for k, v in self.conversions.items() if not v.is_identity}))
        owner: dict[str, str] = {}
        for header, name in self.fields.items():
            if name is None or header in self.ignored:
                if header in CANONICAL_FIELDS and header not in self.ignored:
                    self._check_extra_name(header)
                continue
            if name not in IMPORT_FIELDS:
                raise ColumnMappingError(
                    f"{name!r} is not an initiative field.",
                    location=Location(column=header),
                    hint="Fields are: " + ", ".join(IMPORT_FIELDS) + ".",
                )
            if name in owner and name not in MULTI_FIELDS:
                raise ColumnMappingError(
                    f"Columns {owner[name]!r} and {header!r} are both mapped to {name}.",
                    location=Location(column=header),
                    hint="Map one of them to another field, or keep it as an extra column.",
                )
            owner.setdefault(name, header)

    def _check_extra_name(self, header: str) -> None:
        """An extra column may not be named like a field another column feeds (they would clash)."""
        taken = [h for h, f in self.fields.items() if f == header and h not in self.ignored]
        if taken:
            raise ColumnMappingError(
                f"Column {header!r} is kept as an extra column, but {taken[0]!r} is mapped to the field "
                f"{header}, which has the same name.",
                location=Location(column=header),
                hint=f"Map {header!r} to a field, drop it, or map {taken[0]!r} to another field.",
            )

    # -- reading ----------------------------------------------------------------------
    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(self.fields)

    def field_of(self, header: str) -> str | None:
        """The field a header feeds (None for an extra or dropped column)."""
        return None if header in self.ignored else self.fields.get(header)

    def header_of(self, name: str) -> str | None:
        """The header that feeds a field, or None when no column does."""
        return self.mapped().get(name)

    def mapped(self) -> dict[str, str]:
        """Field -> header, for the fields some column feeds, in source order (for a field
        several columns feed, the first of them; see headers_of)."""
        out: dict[str, str] = {}
        for h, f in self.fields.items():
            if f is not None and h not in self.ignored:
                out.setdefault(f, h)
        return out

    def headers_of(self, name: str) -> tuple[str, ...]:
        """Every header that feeds a field (several only for depends_on and blocks)."""
        return tuple(h for h, f in self.fields.items() if f == name and h not in self.ignored)

    def conversion(self, name: str) -> Conversion:
        """How a field's cells are read (an identity conversion when nothing is set)."""
        return self.conversions.get(name) or Conversion()

    def with_conversion(self, name: str, conversion: Conversion | None) -> ColumnMapping:
        """This mapping with a field read through `conversion` (None: as written)."""
        conversions = dict(self.conversions)
        if conversion is None:
            conversions.pop(name, None)
        else:
            conversions[name] = conversion
        return replace(self, conversions=conversions)

    def extras(self) -> tuple[str, ...]:
        """Headers kept as extra columns, in source order."""
        return tuple(h for h, f in self.fields.items() if f is None and h not in self.ignored)

    def unmapped_fields(self) -> tuple[str, ...]:
        """Canonical fields no column feeds."""
        taken = self.mapped()
        return tuple(f for f in IMPORT_FIELDS if f not in taken)

    # -- changing (a new mapping each time) ----------------------------------------------
    def with_field(self, header: str, name: str | None, *, replace: bool = False) -> ColumnMapping:
        """This mapping with `header` feeding `name` (None: keep as extra). With `replace`, a
        column that fed `name` before becomes an extra column; without it, that is an error."""
        fields = dict(self.fields)
        if replace and name is not None and name not in MULTI_FIELDS:
            fields = {h: (None if f == name and h != header else f) for h, f in fields.items()}
        fields[header] = name
        return ColumnMapping(fields, self.ignored - {header}, self.conversions, self.tracker)

    def with_ignored(self, header: str, ignored: bool = True) -> ColumnMapping:
        """This mapping with `header` dropped from the import, or brought back as it was."""
        fields = dict(self.fields)
        fields.setdefault(header, None)
        if ignored:
            fields[header] = None
        return ColumnMapping(fields, (self.ignored | {header}) if ignored else (self.ignored - {header}),
                             self.conversions, self.tracker)

    # -- saving -------------------------------------------------------------------------
    def key(self) -> str:
        """The headers_key of the headers this mapping covers."""
        return headers_key(self.fields)

    def to_dict(self) -> dict[str, object]:
        """Plain, JSON-ready data; from_dict reads it back."""
        out: dict[str, object] = {
            "version": _MAPPING_VERSION,
            "headers_key": self.key(),
            "columns": [
                {"header": h, "field": f, "ignored": h in self.ignored} for h, f in self.fields.items()
            ],
        }
        if self.conversions:
            out["conversions"] = {name: c.to_dict() for name, c in self.conversions.items()}
        if self.tracker:
            out["tracker"] = self.tracker
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> ColumnMapping:
        """A mapping from to_dict's data; ColumnMappingError if it is not one."""
        try:
            version = int(data.get("version", 0))  # type: ignore[arg-type]
            columns = list(data["columns"])  # type: ignore[call-overload]
            fields = {str(c["header"]): (None if c.get("field") is None else str(c["field"])) for c in columns}
            ignored = frozenset(str(c["header"]) for c in columns if c.get("ignored"))
            conversions = {str(k): Conversion.from_dict(v)
                           for k, v in dict(data.get("conversions") or {}).items()}  # type: ignore[call-overload]
            tracker = str(data.get("tracker") or "")
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise ColumnMappingError("The saved column mapping cannot be read.",
                                     hint="Map the columns again and save the mapping.") from exc
        if version > _MAPPING_VERSION:
            raise ColumnMappingError(
                f"The saved column mapping is from a newer Cutline (version {version}).",
                hint="Update Cutline, or map the columns again.",
            )
        return cls(fields, ignored, conversions, tracker)

    headers_key = staticmethod(headers_key)


def guess_mapping(headers: Sequence[str]) -> ColumnMapping:
    """The automatic mapping: each header to the field its name or a synonym says; a header that
    is exactly a field's name wins, then a field's own name written otherwise ("Effort (days)"),
    then a synonym, and within each the leftmost column; a Cutline export's computed columns are
    dropped; everything else stays an extra column."""
    export = looks_like_export(headers)
    ignored = frozenset(h for h in headers if export and is_computed_header(h))
    fields: dict[str, str | None] = {h: None for h in headers}
    taken: set[str] = set()
    own_names = {normalise_header(f): f for f in CANONICAL_FIELDS}
    passes = (lambda h: h if h in CANONICAL_FIELDS else None,
              lambda h: own_names.get(normalise_header(h)), field_for_header)
    for named in passes:
        for header in headers:
            if header in ignored or fields[header] is not None:
                continue
            name = named(header)
            if name is not None and name not in taken:
                taken.add(name)
                fields[header] = name
    return ColumnMapping(without_clashes(fields), ignored)


def without_clashes(fields: dict[str, str | None]) -> dict[str, str | None]:
    """`fields` less the extra columns named exactly like a field another column feeds (the
    portfolio cannot hold both): the import leaves such a column out with a warning naming it."""
    fed = {f for f in fields.values() if f is not None}
    return {h: f for h, f in fields.items() if not (f is None and h in CANONICAL_FIELDS and h in fed)}
