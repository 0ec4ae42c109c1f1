"""The nodes of a parsed formula and how each evaluates over whole columns with numpy.

A tree is evaluated without recursion (`evaluate`): children first, from an explicit stack, then
each node's `apply` combines its children's values. A chain of 5,000 `or`s is as safe as one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np
import pandas as pd
from cutline.models.errors import FormulaError

#: Whitelisted functions and how many values each takes (fewest, most).
FUNCTIONS: dict[str, tuple[int, int]] = {
    "min": (2, 64),
    "max": (2, 64),
    "log": (1, 1),
    "sqrt": (1, 1),
}

Value = object  # a float, a str, or an ndarray of float64, bool or casefolded text (object)


class Context:
    """What a formula is evaluated against: the columns, the row count and the formula text."""

    def __init__(self, columns: Mapping[str, np.ndarray], n: int, text: str):
        self.columns = columns
        self.n = n
        self.text = text
        self._text_cache: dict[str, np.ndarray] = {}

    def fail(self, message: str, node: Node) -> FormulaError:
        return FormulaError(message, text=self.text, position=node.pos)

    def column(self, node: Column) -> np.ndarray:
        """A column as float64, or as casefolded text when it holds text."""
        if node.name in self._text_cache:
            return self._text_cache[node.name]
        try:
            values = self.columns[node.name]
        except KeyError:
            raise self.fail(f"There is no column called {node.name!r}.", node) from None
        values = np.asarray(values)
        if values.dtype.kind in "OUST":
            folded = casefold_text(values)
            self._text_cache[node.name] = folded
            return folded
        return values.astype(np.float64, copy=False)

    def numbers(self, value: Value, node: Node, *, copy: bool = True) -> np.ndarray:
        """A value as a float64 array of n rows; text is refused with a pointer at the node.

        With copy=False an array that already is one is returned as it is (maybe read-only)."""
        if is_text(value):
            what = f"{node.name!r} holds text" if isinstance(node, Column) else "This is text"
            raise self.fail(f"{what}, so it cannot be used in arithmetic.", node)
        if not copy and isinstance(value, np.ndarray) and value.dtype == np.float64 and value.shape == (self.n,):
            return value
        out = np.broadcast_to(np.asarray(value, dtype=np.float64), (self.n,))
        return np.array(out, dtype=np.float64)


def casefold_text(values: np.ndarray) -> np.ndarray:
    """Text values casefolded, "" for blanks; folds each distinct value once."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    folded = np.array([str(u).strip().casefold() for u in uniques] + [""], dtype=object)
    return folded[codes]  # code -1 (blank) picks the trailing ""


def is_text(value: Value) -> bool:
    return isinstance(value, str) or (isinstance(value, np.ndarray) and value.dtype == object)


def _blank_non_finite(value: Value) -> Value:
    """Infinities from a division by zero or an overflow become blank (NaN)."""
    if isinstance(value, np.ndarray):
        finite = np.isfinite(value)
        if not finite.all():
            value[~finite] = np.nan
        return value
    return value if np.isfinite(value) else float("nan")


class Node:
    """A parsed piece of a formula. `pos` is where errors about it point; start..end its text."""

    kind = "num"  # num, text, column (number or text, known on evaluation) or bool

    def __init__(self, pos: int, start: int, end: int):
        self.pos = pos
        self.start = start
        self.end = end

    def children(self) -> tuple[Node, ...]:
        return ()

    def evaluate(self, ctx: Context) -> Value:
        """The node's value over whole columns (the whole subtree, evaluated without recursion)."""
        return evaluate(self, ctx)

    def apply(self, ctx: Context, values: list[Value]) -> Value:
        """The node's value from its children's values, in the order of `children()`."""
        raise TypeError(type(self).__name__)


def evaluate(root: Node, ctx: Context) -> Value:
    """Evaluate a tree in post-order from an explicit stack: no recursion, whatever its depth."""
    results: list[Value] = []
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, ready = stack.pop()
        children = node.children()
        if not children:
            results.append(node.apply(ctx, []))
        elif ready:
            values = results[-len(children):]
            del results[-len(children):]
            results.append(node.apply(ctx, values))
        else:
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(children))
    return results[0]


class Literal(Node):
    def __init__(self, value: float | str, pos: int, end: int):
        super().__init__(pos, pos, end)
        self.value = value
        self.kind = "text" if isinstance(value, str) else "num"

    def apply(self, ctx: Context, values: list[Value]) -> Value:
        return self.value.casefold() if isinstance(self.value, str) else self.value


class Column(Node):
    kind = "column"

    def __init__(self, name: str, pos: int, end: int):
        super().__init__(pos, pos, end)
        self.name = name

    def apply(self, ctx: Context, values: list[Value]) -> Value:
        return ctx.column(self)


class Unary(Node):
    def __init__(self, op: str, operand: Node, pos: int):
        super().__init__(pos, pos, operand.end)
        self.op = op
        self.operand = operand

    def children(self) -> tuple[Node, ...]:
        return (self.operand,)

    def apply(self, ctx: Context, values: list[Value]) -> Value:
        value = ctx.numbers(values[0], self.operand, copy=False)
        return -value if self.op == "-" else value


_ARITHMETIC = {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.divide, "**": np.power}


class Pair(Node):
    """An operator between two operands: arithmetic, a comparison, `and`/`or`."""

    def __init__(self, op: str, left: Node, right: Node, pos: int):
        super().__init__(pos, left.start, right.end)
        self.op = op
        self.left = left
        self.right = right

    def children(self) -> tuple[Node, ...]:
        return (self.left, self.right)


class Binary(Pair):
    def apply(self, ctx: Context, values: list[Value]) -> Value:
        left = ctx.numbers(values[0], self.left, copy=False)
        right = ctx.numbers(values[1], self.right, copy=False)
        return _blank_non_finite(_ARITHMETIC[self.op](left, right))


class Call(Node):
    def __init__(self, func: str, args: tuple[Node, ...], pos: int, end: int):
        super().__init__(pos, pos, end)
        self.func = func
        self.args = args

    def children(self) -> tuple[Node, ...]:
        return self.args

    def apply(self, ctx: Context, values: list[Value]) -> Value:
        values = [ctx.numbers(v, a, copy=False) for v, a in zip(values, self.args)]
        if self.func == "min":
            return np.minimum.reduce(values)  # a blank among the values gives blank
        if self.func == "max":
            return np.maximum.reduce(values)
        x = values[0]
        if self.func == "log":
            return _blank_non_finite(np.where(x > 0, np.log(x), np.nan))
        return np.where(x >= 0, np.sqrt(x), np.nan)


_COMPARE = {
    "==": np.equal, "!=": np.not_equal, "<": np.less,
    "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal,
}


class Compare(Pair):
    kind = "bool"

    def apply(self, ctx: Context, values: list[Value]) -> Value:
        left, right = values
        if is_text(left) or is_text(right):
            return self._text(ctx, left, right)
        left = ctx.numbers(left, self.left, copy=False)
        right = ctx.numbers(right, self.right, copy=False)
        out = _COMPARE[self.op](left, right)
        if self.op == "!=":  # a blank is never "different" either: any comparison with it is no
            out &= ~(np.isnan(left) | np.isnan(right))
        return out

    def _text(self, ctx: Context, left: Value, right: Value) -> Value:
        if not (is_text(left) and is_text(right)):
            raise ctx.fail(
                "This compares text with a number; put the value in quotes, "
                "such as category == 'security'.",
                self,
            )
        if self.op not in ("==", "!="):
            if not self.orders_quarters():
                raise ctx.fail(f"Text can be compared only with == or !=, not {self.op}.", self)
            return _order_quarters(self.op, left, right)
        equal = np.asarray(left == right, dtype=bool)
        return equal if self.op == "==" else ~equal

    def orders_quarters(self) -> bool:
        """True when one side is a quarter in quotes ('2027-Q2'): then < <= > >= order quarters."""
        return any(isinstance(side, Literal) and isinstance(side.value, str) and is_quarter_text(side.value)
                   for side in (self.left, self.right))


#: A quarter as the importer stores it, "2027-Q1" (compared casefolded, "2027-q1").
_QUARTER = re.compile(r"\d{4}-q[1-4]", re.IGNORECASE)


def is_quarter_text(text: str) -> bool:
    """True for text that names a quarter the canonical way: YYYY-Qn."""
    return _QUARTER.fullmatch(text) is not None


def _quarter_cells(value: Value) -> Value:
    """Which cells name a quarter (YYYY-Qn); each distinct value is checked once."""
    if isinstance(value, str):
        return is_quarter_text(value)
    codes, uniques = pd.factorize(value, use_na_sentinel=True)
    ok = np.array([is_quarter_text(str(u)) for u in uniques] + [False], dtype=bool)
    return ok[codes]


def _order_quarters(op: str, left: Value, right: Value) -> Value:
    """`quarter <= '2027-Q2'`: canonical quarters order as text ("2027-q1" < "2027-q2" < "2028-q1").
    A blank cell, or one that names no quarter, is never before or after anything: false."""
    out = np.asarray(_COMPARE[op](left, right), dtype=bool)
    return out & _quarter_cells(left) & _quarter_cells(right)


class InList(Node):
    kind = "bool"

    def __init__(self, operand: Node, values: tuple[object, ...], pos: int, end: int):
        super().__init__(pos, operand.start, end)
        self.operand = operand
        self.values = values

    def children(self) -> tuple[Node, ...]:
        return (self.operand,)

    def apply(self, ctx: Context, values: list[Value]) -> Value:
        value = values[0]
        text = is_text(value)
        if any(isinstance(v, str) != text for v in self.values):
            kind = "text" if text else "numbers"
            raise ctx.fail(f"The list after 'in' must hold only {kind} here.", self)
        if not text:
            value = ctx.numbers(value, self.operand, copy=False)
        wanted = [v.casefold() if isinstance(v, str) else v for v in self.values]
        out = np.zeros(np.shape(value), dtype=bool)
        for item in wanted:
            out |= np.asarray(value == item, dtype=bool)
        return out


class BoolOp(Pair):
    kind = "bool"

    def __init__(self, op: str, left: Node, right: Node):
        super().__init__(op, left, right, left.pos)

    def apply(self, ctx: Context, values: list[Value]) -> Value:
        combine = np.logical_and if self.op == "and" else np.logical_or
        return combine(values[0], values[1])


class Not(Node):
    kind = "bool"

    def __init__(self, operand: Node, pos: int):
        super().__init__(pos, pos, operand.end)
        self.operand = operand

    def children(self) -> tuple[Node, ...]:
        return (self.operand,)

    def apply(self, ctx: Context, values: list[Value]) -> Value:
        return np.logical_not(values[0])
