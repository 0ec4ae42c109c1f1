"""A tier condition or a criterion formula read aloud: `security >= 8` becomes "security is 8 or more"."""

from __future__ import annotations

from cutline.models.errors import FormulaError
from cutline.models.scoring.formula import parse_condition
from cutline.models.scoring.formula_nodes import (
    Binary,
    BoolOp,
    Call,
    Column,
    Compare,
    InList,
    Literal,
    Node,
    Not,
    Unary,
    is_quarter_text,
)

_COMPARE_WORDS = {
    "==": "is {b}",
    "!=": "is not {b}",
    "<": "is below {b}",
    "<=": "is {b} or less",
    ">": "is above {b}",
    ">=": "is {b} or more",
}

#: A column ordered against a quarter in quotes ("quarter <= '2027-Q2'"), read as time.
_QUARTER_WORDS = {
    "<": "{a} is before {b}",
    "<=": "{a} is {b} or earlier",
    ">": "{a} is after {b}",
    ">=": "{a} is {b} or later",
}
#: The due quarter itself reads as a date: "due by 2027-Q2".
_DUE_WORDS = {
    "<": "due before {b}",
    "<=": "due by {b}",
    ">": "due after {b}",
    ">=": "due in {b} or later",
}
_FLIPPED = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}


def condition_in_words(text: str) -> str:
    """The condition as a sentence a PM reads at a glance; the text itself when it does not parse."""
    try:
        root = parse_condition(text).root
    except FormulaError:
        return text
    return _words(root)


def _value(node: Node) -> str:
    if isinstance(node, Literal):
        return f"{node.value:g}" if isinstance(node.value, float) else str(node.value)
    if isinstance(node, Column):
        return node.name
    if isinstance(node, Unary):
        return f"{node.op}{_value(node.operand)}"
    if isinstance(node, Binary):
        # A left-leaning chain (a + b - c ...) is walked in a loop, so its length costs no stack.
        tail = []
        while isinstance(node, Binary):
            tail.append(f" {node.op} {_value(node.right)}")
            node = node.left
        return _value(node) + "".join(reversed(tail))
    if isinstance(node, Call):
        return f"{node.func}({', '.join(_value(a) for a in node.args)})"
    return _words(node)


def _listed(values: tuple[object, ...]) -> str:
    shown = [f"{v:g}" if isinstance(v, float) else str(v) for v in values]
    if len(shown) < 2:
        return "".join(shown)
    return ", ".join(shown[:-1]) + " or " + shown[-1]


def _is_quarter(node: Node) -> bool:
    return isinstance(node, Literal) and isinstance(node.value, str) and is_quarter_text(node.value)


def _quarter_words(node: Compare) -> str:
    """`quarter <= '2027-Q2'` as "due by 2027-Q2"; "" when the comparison does not order quarters."""
    if node.op not in _FLIPPED or not node.orders_quarters():
        return ""
    op, other, quarter = node.op, node.left, node.right
    if _is_quarter(other) and not _is_quarter(quarter):  # '2027-Q2' >= quarter
        op, other, quarter = _FLIPPED[op], quarter, other
    b = str(quarter.value).upper() if isinstance(quarter, Literal) else _value(quarter)
    if isinstance(other, Column) and other.name.casefold() in ("quarter", "due", "due_quarter"):
        return _DUE_WORDS[op].format(b=b)
    a = str(other.value).upper() if _is_quarter(other) else _value(other)
    return _QUARTER_WORDS[op].format(a=a, b=b)


def _words(node: Node) -> str:
    if isinstance(node, Compare):
        quarter = _quarter_words(node)
        if quarter:
            return quarter
        return f"{_value(node.left)} " + _COMPARE_WORDS[node.op].format(b=_value(node.right))
    if isinstance(node, InList):
        return f"{_value(node.operand)} is {_listed(node.values)}"
    if isinstance(node, Not):
        inner = node.operand
        if isinstance(inner, InList):
            values = inner.values
            if len(values) == 1:
                return f"{_value(inner.operand)} is not {_listed(values)}"
            return f"{_value(inner.operand)} is neither {_listed(values).replace(' or ', ' nor ')}"
        return f"not ({_words(inner)})"
    if isinstance(node, BoolOp):
        # `a or b or c ...` leans left: gather the chain in a loop, so its length costs no stack.
        op, parts = node.op, []
        while isinstance(node, BoolOp) and node.op == op:
            parts.append(node.right)
            node = node.left
        parts.append(node)
        joiner = ", or " if op == "or" else " and "
        return joiner.join(
            f"({_words(part)})" if isinstance(part, BoolOp) and part.op != op else _words(part)
            for part in reversed(parts)
        )
    return _value(node)
