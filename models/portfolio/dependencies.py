"""Dependencies between initiatives: who waits on whom, in what order, and which teams each unblocks.

The graph is held as CSR arrays (row i's prerequisites are indices[indptr[i]:indptr[i+1]]) so
that ordering and propagation run over whole levels with numpy instead of per row in Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
from cutline.models.errors import DependencyCycleError, Location
from cutline.models.portfolio.portfolio import Portfolio

#: Below this many rows a level is cheaper to walk in Python than with numpy calls.
_SMALL_LEVEL = 32
#: Most bytes of team masks (one bit per row and team) held at once by `teams_unblocked`;
#: the walk's temporary copies add a few times this at its peak.
_BLOCK_BYTES = 16 << 20
_SEPARATOR = "\x1f"  # joins cells for one big split
#: Whitespace other than a plain space; when present, items are stripped one by one.
_OTHER_SPACE = re.compile(r"[^\S ]")


def _has_other_space(text: str) -> bool:
    """Whether text holds whitespace other than a plain space (tabs, line breaks, ...)."""
    if text.isascii():  # a flag lookup; then a few fast single-character scans
        return any(ch in text for ch in "\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f")
    return _OTHER_SPACE.search(text) is not None


def split_cells(texts: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Split every list cell ("I-1, I-2; I-3") at once: the row of each item, and the items.

    Items are stripped; blank cells give no items, and a blank item inside a cell ("A,,B")
    is kept as "". One join and one split in C instead of a split per cell; the items per
    cell are counted with numpy over the text's code points.
    """
    texts = np.asarray(texts, dtype=object)
    filled = np.flatnonzero((texts != "") & (texts != None))  # noqa: E711 - elementwise
    cells = texts[filled].tolist()
    if not cells:
        return np.zeros(0, dtype=np.int64), []
    try:
        joined = _SEPARATOR.join(cells)
    except TypeError:  # a cell that is not text (an edited value); read it as text
        cells = [str(c) for c in cells]
        joined = _SEPARATOR.join(cells)
    points = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    is_separator = points == ord(_SEPARATOR)
    if int(is_separator.sum()) != len(cells) - 1:  # a cell holds the separator itself
        items = [[part.strip() for part in cell.replace(";", ",").split(",")] for cell in cells]
        counts = np.array([len(i) for i in items], dtype=np.int64)
        return np.repeat(filled, counts), [p for row in items for p in row]
    # One trailing pad so that every cell's slice (up to its separator) is non-empty.
    is_comma = np.zeros(points.size + 1, dtype=np.int64)
    is_comma[:-1] = (points == ord(",")) | (points == ord(";"))
    cell_starts = np.r_[0, np.flatnonzero(is_separator) + 1]
    counts = np.add.reduceat(is_comma, cell_starts) + 1
    # Joined with commas, every cell boundary is one more separator; squeeze the spaces
    # around separators in a few C passes instead of stripping every item in Python.
    flat = ",".join(cells)
    if ";" in flat:
        flat = flat.replace(";", ",")
    for spaced in (", ", " ,"):
        while spaced in flat:
            flat = flat.replace(spaced, ",")
    items = flat.strip().split(",")
    if _has_other_space(flat):
        items = list(map(str.strip, items))
    return np.repeat(filled, counts), items


def _rows_of(ids: np.ndarray, items: list[str]) -> np.ndarray:
    """Row of each listed id (the first row holding it), -1 if none, -2 for a blank item."""
    n = len(ids)
    everything = np.empty(n + len(items), dtype=object)
    everything[:n] = ids
    everything[n:] = items
    codes, uniques = pd.factorize(everything)  # one hashing pass for ids and items alike
    first_row = np.full(len(uniques) + 1, -1, dtype=np.int64)
    first_row[codes[:n][::-1]] = np.arange(n - 1, -1, -1)  # written last, the first row wins
    first_row[np.flatnonzero(uniques == "")] = -2
    return first_row[codes[n:]]


def _repeats(rows: np.ndarray, found: np.ndarray, n: int) -> np.ndarray:
    """True for each (row, prerequisite) pair already listed earlier in the same row."""
    if rows.size == 0:
        return np.zeros(0, dtype=bool)
    longest = int(np.bincount(rows).max())
    if longest > 8:  # a very long list somewhere: one hash pass over all pairs
        return pd.Series(rows * n + found).duplicated().to_numpy()
    # Pairs of one row are adjacent, so compare each with the few before it.
    repeat = np.zeros(rows.size, dtype=bool)
    for back in range(1, longest):
        repeat[back:] |= (rows[back:] == rows[:-back]) & (found[back:] == found[:-back])
    return repeat


def _ranges(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Concatenated ranges starts[j] .. starts[j] + counts[j], without a Python loop."""
    offsets = np.cumsum(counts) - counts
    return np.repeat(starts - offsets, counts) + np.arange(int(counts.sum()), dtype=np.int64)


@dataclass(frozen=True, eq=False)
class DependencyGraph:
    """Which initiatives each initiative depends on, by row index."""

    ids: np.ndarray
    indptr: np.ndarray    # (n + 1,) int64
    indices: np.ndarray   # prerequisites, in the order written
    #: (row, id) of every listed id that matches no other initiative (self-references included).
    unknown: tuple[tuple[int, str], ...] = ()
    source_rows: np.ndarray | None = None
    sheet: str | None = None

    @classmethod
    def from_portfolio(cls, portfolio: Portfolio) -> DependencyGraph:
        """Read every `depends_on` cell; ids are matched exactly, the first row of an id wins,
        and an id listed twice in one cell counts once."""
        ids = portfolio.ids
        n = len(ids)
        rows, items = split_cells(portfolio.text("depends_on"))
        found = _rows_of(ids, items)
        unknown_at = np.flatnonzero((found == -1) | (found == rows))
        keep = np.flatnonzero((found >= 0) & (found != rows))
        keep = keep[~_repeats(rows[keep], found[keep], n)]  # a prerequisite named twice counts once
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows[keep], minlength=n), out=indptr[1:])
        return cls(
            ids=ids,
            indptr=indptr,
            indices=found[keep],
            unknown=tuple((int(rows[j]), items[j]) for j in unknown_at),
            source_rows=portfolio.source_rows,
            sheet=portfolio.sheet,
        )

    def __len__(self) -> int:
        return len(self.indptr) - 1

    def prerequisites_of(self, row: int) -> np.ndarray:
        """Rows that `row` depends on, in the order written."""
        return self.indices[self.indptr[row]:self.indptr[row + 1]]

    # -- the reverse direction ------------------------------------------------------------
    @cached_property
    def dependents(self) -> tuple[np.ndarray, np.ndarray]:
        """(indptr, indices) CSR of the rows that depend on each row, in row order."""
        n = len(self)
        by_prerequisite = np.argsort(self.indices, kind="stable")
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(self.indices, minlength=n), out=indptr[1:])
        return indptr, self.edge_rows[by_prerequisite]

    @property
    def dependents_indptr(self) -> np.ndarray:
        return self.dependents[0]

    @property
    def dependents_indices(self) -> np.ndarray:
        return self.dependents[1]

    def dependents_of(self, row: int) -> np.ndarray:
        """Rows that depend on `row` directly."""
        indptr, indices = self.dependents
        return indices[indptr[row]:indptr[row + 1]]

    # -- order and cycles ----------------------------------------------------------------
    @cached_property
    def _peeled(self) -> np.ndarray:
        """Rows dependents-first; shorter than the graph when there is a cycle."""
        return _peel(self.indptr, self.indices)

    def _remember(self, peeled: np.ndarray) -> None:
        # teams_unblocked peels with team masks; keep its order so the walk happens once.
        self.__dict__.setdefault("_peeled", peeled)

    def cycle(self) -> list[str] | None:
        """Ids forming one cycle, each depending on the next, the first repeated at the end."""
        rows = self.cycle_rows()
        return None if rows is None else [str(self.ids[r]) for r in rows]

    def cycle_rows(self) -> list[int] | None:
        """Like `cycle`, as row indices."""
        if len(self._peeled) == len(self):
            return None
        pending = np.ones(len(self), dtype=bool)
        pending[self._peeled] = False
        # Every row left over still has a dependent left over: walking those must loop.
        indptr, indices = self.dependents
        step: dict[int, int] = {}
        path: list[int] = []
        row = int(np.flatnonzero(pending)[0])
        while row not in step:
            step[row] = len(path)
            path.append(row)
            nxt = indices[indptr[row]:indptr[row + 1]]
            row = int(nxt[pending[nxt]][0])
        loop = path[step[row]:][::-1]  # now each row depends on the next
        first = loop.index(min(loop))
        loop = loop[first:] + loop[:first]
        return loop + [loop[0]]

    def check_acyclic(self) -> None:
        """Raise DependencyCycleError, located at the cycle's first initiative, if there is one."""
        rows = self.cycle_rows()
        if rows is None:
            return
        where = None
        if self.source_rows is not None and len(self.source_rows) == len(self):
            where = int(self.source_rows[rows[0]])
        raise DependencyCycleError(
            [str(self.ids[r]) for r in rows],
            location=Location(sheet=self.sheet, row=where, column="depends_on"),
        )

    def topological_order(self) -> np.ndarray:
        """Row indices with every prerequisite before the rows that depend on it."""
        self.check_acyclic()
        return self._peeled[::-1].copy()

    @cached_property
    def edge_rows(self) -> np.ndarray:
        """The dependent row of each entry of `indices`."""
        return np.repeat(np.arange(len(self), dtype=np.int64), np.diff(self.indptr))

    def waits_on_lower(self, rank: np.ndarray) -> np.ndarray:
        """True where a row depends on a prerequisite ranked below it (a larger rank number)."""
        late = rank[self.indices] > rank[self.edge_rows]
        return np.bincount(self.edge_rows[late], minlength=len(self)) > 0


def _peel(
    indptr: np.ndarray,
    indices: np.ndarray,
    masks: np.ndarray | None = None,
    own: np.ndarray | None = None,
) -> np.ndarray:
    """Kahn's algorithm from the rows nobody depends on, one whole level at a time.

    With `masks`, each peeled row ORs its own team bit and its mask into its prerequisites'
    masks, so a row's mask ends as the teams of everything that depends on it. Deep, narrow
    graphs (long chains) finish in plain Python once levels get small.
    """
    n = len(indptr) - 1
    waiting = np.bincount(indices, minlength=n)  # dependents not peeled yet
    frontier = np.flatnonzero(waiting == 0)
    chunks: list[np.ndarray] = []
    while frontier.size >= _SMALL_LEVEL:
        chunks.append(frontier)
        frontier = _peel_level(frontier, indptr, indices, waiting, masks, own)
    if frontier.size:
        chunks.append(_peel_rest(frontier, indptr, indices, waiting, masks, own))
    return np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int64)


def _peel_level(frontier, indptr, indices, waiting, masks, own) -> np.ndarray:
    """Peel one level with numpy; return the next level."""
    starts = indptr[frontier]
    counts = indptr[frontier + 1] - starts
    prerequisite = indices[_ranges(starts, counts)]
    if masks is not None:
        dependent = np.repeat(frontier, counts)
        for word, own_word in zip(masks, own):  # one 1-D pass per 64 teams beats 2-D indexing
            np.bitwise_or.at(word, prerequisite, word[dependent] | own_word[dependent])
    np.subtract.at(waiting, prerequisite, 1)
    return np.unique(prerequisite[waiting[prerequisite] == 0])


def _peel_rest(frontier, indptr, indices, waiting, masks, own) -> np.ndarray:
    """Finish the peel row by row in Python, with team masks as Python ints."""
    ip = indptr.tolist()
    prereq = indices.tolist()
    left = waiting.tolist()
    stack = frontier.tolist()
    order: list[int] = []
    if masks is None:
        while stack:
            row = stack.pop()
            order.append(row)
            for p in prereq[ip[row]:ip[row + 1]]:
                left[p] -= 1
                if left[p] == 0:
                    stack.append(p)
        return np.array(order, dtype=np.int64)
    width = masks.shape[0] * 8
    todo = np.union1d(frontier, np.flatnonzero(waiting > 0))
    held = dict(zip(todo.tolist(), _to_ints(masks[:, todo], width)))
    bits = dict(zip(todo.tolist(), _to_ints(own[:, todo], width)))
    while stack:
        row = stack.pop()
        order.append(row)
        carried = held[row] | bits[row]
        for p in prereq[ip[row]:ip[row + 1]]:
            held[p] |= carried
            left[p] -= 1
            if left[p] == 0:
                stack.append(p)
    # Write back every row touched, peeled or not: rows left in a cycle keep what they got.
    touched = todo.tolist()
    blob = b"".join(held[r].to_bytes(width, "little") for r in touched)
    masks[:, todo] = np.frombuffer(blob, dtype="<u8").reshape(len(touched), -1).T
    return np.array(order, dtype=np.int64)


def _condense(indptr: np.ndarray, indices: np.ndarray, peeled: np.ndarray):
    """Merge each cycle into one row: (component of each row, whether it is a cycle, and the
    CSR of the graph between components, which has no cycle left).

    The rows the peel left (in or behind a cycle) are split into strongly connected components
    with Tarjan's algorithm, iteratively, once; every peeled row is a component of its own.
    """
    n = len(indptr) - 1
    pending = np.ones(n, dtype=bool)
    pending[peeled] = False
    label = _strong_components(indptr, indices, np.flatnonzero(pending))
    comp = np.empty(n, dtype=np.int64)
    comp[peeled] = np.arange(len(peeled), dtype=np.int64)
    comp[pending] = len(peeled) + label
    count = len(peeled) + (int(label.max()) + 1 if label.size else 0)
    cyclic = np.bincount(comp, minlength=count) > 1
    edge_rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(indptr))
    source, target = comp[edge_rows], comp[indices]
    between = source != target
    source, target = source[between], target[between]
    order = np.argsort(source, kind="stable")
    c_indptr = np.zeros(count + 1, dtype=np.int64)
    np.cumsum(np.bincount(source, minlength=count), out=c_indptr[1:])
    return comp, cyclic, c_indptr, target[order]


def _strong_components(indptr: np.ndarray, indices: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Component number (0, 1, ...) of each of `rows`, whose prerequisites are all among them."""
    ip, prereq = indptr.tolist(), indices.tolist()
    n = len(ip) - 1
    index = [-1] * n
    low = [0] * n
    on_stack = [False] * n
    label = [-1] * n
    stack: list[int] = []
    counter = components = 0
    for root in rows.tolist():
        if index[root] >= 0:
            continue
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = True
        work = [(root, ip[root])]
        while work:
            row, at = work[-1]
            if at < ip[row + 1]:
                work[-1] = (row, at + 1)
                nxt = prereq[at]
                if index[nxt] < 0:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack[nxt] = True
                    work.append((nxt, ip[nxt]))
                elif on_stack[nxt] and index[nxt] < low[row]:
                    low[row] = index[nxt]
                continue
            work.pop()
            if work and low[row] < low[work[-1][0]]:
                low[work[-1][0]] = low[row]
            if low[row] == index[row]:
                while True:
                    member = stack.pop()
                    on_stack[member] = False
                    label[member] = components
                    if member == row:
                        break
                components += 1
    return np.array([label[r] for r in rows.tolist()], dtype=np.int64)


def _to_ints(words: np.ndarray, width: int) -> list[int]:
    """Columns of a (w, m) uint64 array as Python ints (word 0 holds the lowest bits)."""
    blob = np.ascontiguousarray(words.T).astype("<u8").tobytes()
    return [int.from_bytes(blob[i:i + width], "little") for i in range(0, len(blob), width)]


def _popcount(words: np.ndarray) -> np.ndarray:
    """Set bits per column of a (w, n) uint64 array."""
    if hasattr(np, "bitwise_count"):
        return np.bitwise_count(words).sum(axis=0, dtype=np.int64)
    table = np.array([bin(b).count("1") for b in range(256)], dtype=np.int64)
    bytes_per_row = table[np.ascontiguousarray(words.T).view(np.uint8)]
    return bytes_per_row.reshape(words.shape[1], -1).sum(axis=1)


def _team_bits(
    rows: np.ndarray, codes: np.ndarray, shape: tuple[int, int], low: int = 0, high: int | None = None
) -> np.ndarray:
    """A (w, n) uint64 mask with bit `codes[j] - low` set in column `rows[j]`, for the codes
    from `low` up to (not including) `high`; the others are left out."""
    out = np.zeros(shape, dtype=np.uint64)
    if low or high is not None:
        keep = (codes >= low) if high is None else ((codes >= low) & (codes < high))
        rows, codes = rows[keep], codes[keep] - low
    bit = np.left_shift(np.uint64(1), (codes % 64).astype(np.uint64))
    np.bitwise_or.at(out, (codes // 64, rows), bit)
    return out


def teams_unblocked(portfolio: Portfolio, graph: DependencyGraph) -> np.ndarray:
    """Distinct teams waiting on each initiative, directly or through others, or named in its
    `unblocks` cell; its own team and blank team names do not count.

    Works on a graph with cycles too (everything in a cycle waits on everything else in it),
    so a ranking can still be shown while the cycle is reported; `topological_order` refuses.

    The teams are taken a block at a time (64 per uint64 word, as many words per block as fit
    in `_BLOCK_BYTES` for all rows) and each block's counts are added up, so memory grows with
    rows x block, not rows x teams: a team of its own on each of 60,000 rows stays within a
    few tens of MB instead of gigabytes. With up to a few thousand teams there is one block.
    """
    n = len(portfolio)
    team_code, named_rows, named_code, n_teams = _team_codes(portfolio)
    words = max(1, -(-n_teams // 64))  # 64 teams per uint64 word
    per_block = max(1, min(words, _BLOCK_BYTES // (8 * max(n, 1))))
    has_team = team_code >= 0
    own_rows, own_codes = np.flatnonzero(has_team), team_code[has_team]
    has_name = named_code >= 0
    named_rows, named_code = named_rows[has_name], named_code[has_name]
    indptr, indices = graph.indptr, graph.indices
    condensed = None  # (component of each row, which components are cycles), once a cycle is found
    counts = np.zeros(n, dtype=np.int64)
    for first in range(0, words, per_block):
        width = min(per_block, words - first)
        low, high = first * 64, (first + width) * 64
        if condensed is None:
            own = _team_bits(own_rows, own_codes, (width, n), low, high)
            masks = np.zeros((width, n), dtype=np.uint64)
            peeled = _peel(indptr, indices, masks, own)
            if first == 0:
                graph._remember(peeled)
            if len(peeled) < n:  # merge each cycle into one row; every later block walks that graph
                comp, cyclic, indptr, indices = _condense(indptr, indices, peeled)
                condensed = comp, cyclic
        if condensed is not None:
            comp, cyclic = condensed
            own = _team_bits(comp[own_rows], own_codes, (width, len(cyclic)), low, high)
            masks = np.zeros_like(own)
            _peel(indptr, indices, masks, own)
            masks[:, cyclic] |= own[:, cyclic]  # a cycle's rows all wait on one another
            masks = masks[:, comp]
            own = _team_bits(own_rows, own_codes, (width, n), low, high)
        masks |= _team_bits(named_rows, named_code, (width, n), low, high)
        masks &= ~own
        del own
        counts += _popcount(masks)
        del masks
    return counts.astype(np.float64)


def _team_codes(portfolio: Portfolio) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Team number of each row and of each `unblocks` item (-1 for blank), and how many teams.

    Names are stripped and casefolded; the long team column is hashed once, then only its
    few distinct names are folded together with the named teams.
    """
    raw_codes, raw_names = pd.factorize(portfolio.text("team"))
    named_rows, named = split_cells(portfolio.text("unblocks"))
    names = [str(t).strip().casefold() for t in raw_names] + [t.casefold() for t in named]
    codes, uniques = pd.factorize(np.array(names, dtype=object))
    blank = np.flatnonzero(uniques == "")
    if blank.size:  # renumber so that blank is -1 and the teams are 0, 1, 2, ...
        codes = np.where(codes == blank[0], -1, codes - (codes > blank[0]))
    distinct = len(uniques) - blank.size
    codes = codes.astype(np.int64)
    team_code = np.where(raw_codes >= 0, codes[: len(raw_names)][raw_codes], -1)
    return team_code, named_rows, codes[len(raw_names):], distinct
