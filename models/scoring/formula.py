"""Safe formulas and conditions over whole columns: a small tokenizer and recursive-descent parser.

Formulas never reach `eval`, pandas' or numexpr's string evaluation: the text is parsed into a
tree of whitelisted nodes (numbers, quoted text, column names, + - * / **, parentheses, min, max,
log, sqrt; conditions add comparisons, and, or, not and `in (...)`), and the tree is evaluated
with numpy over whole columns.

Limits (docs/model-file.md#limits): a formula is at most MAX_FORMULA_LENGTH characters, and nests
at most MAX_NESTING levels (parentheses, function calls, signs, `not` and `**` inside one
another), so parsing never runs out of stack; evaluation walks the tree without recursion, so a
long flat chain such as `a or b or c ...` cannot either.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from cutline.models.errors import FormulaError
from cutline.models.scoring.formula_nodes import (
    FUNCTIONS,
    Binary,
    BoolOp,
    Call,
    Column,
    Compare,
    Context,
    InList,
    Literal,
    Node,
    Not,
    Unary,
)

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<name>[^\W\d]\w*)  # letters (any script), digits and _, not starting with a digit
  | (?P<quoted>`[^`]*`)
  | (?P<text>'[^']*'|"[^"]*")
  | (?P<op>\*\*|==|!=|<=|>=|[-+*/(),<>=])
    """,
    re.VERBOSE,
)
_KEYWORDS = frozenset({"and", "or", "not", "in"})
#: The longest formula or condition, in characters (about 5,000 terms at the most).
MAX_FORMULA_LENGTH = 10_000
#: The deepest nesting: each '(' or function call, sign (+ or -), `not` and `**` is one level.
MAX_NESTING = 50
_COMPARISONS = frozenset({"==", "!=", "<", "<=", ">", ">=", "="})


@dataclass(frozen=True)
class Token:
    """One token: its kind (number, name, text, op, keyword, end), value and position."""

    kind: str
    value: str
    pos: int
    end: int


def tokenize(text: str) -> list[Token]:
    """Split formula text into tokens, ending with an `end` token."""
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            if text[pos] in "'\"`":
                raise FormulaError(
                    f"The text starting with {text[pos]} is never closed.", text=text, position=pos
                )
            raise FormulaError(f"Unexpected character {text[pos]!r}.", text=text, position=pos)
        kind = match.lastgroup or ""
        value = match.group()
        end = match.end()
        if kind == "name" and value.lower() in _KEYWORDS:
            tokens.append(Token("keyword", value.lower(), pos, end))
        elif kind in ("quoted", "text"):
            tokens.append(Token("name" if kind == "quoted" else "text", value[1:-1], pos, end))
        elif kind != "space":
            tokens.append(Token(kind, value, pos, end))
        pos = end
    tokens.append(Token("end", "", len(text), len(text)))
    return tokens


def _describe(token: Token) -> str:
    if token.kind == "end":
        return "the end of the formula"
    if token.kind == "text":
        return f"the text '{token.value}'"
    return repr(token.value)


class _Parser:
    """Recursive descent over the token list; one method per precedence level."""

    def __init__(self, text: str):
        if len(text) > MAX_FORMULA_LENGTH:
            raise FormulaError(
                f"The formula is {len(text):,} characters long; the limit is {MAX_FORMULA_LENGTH:,}."
            )
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0
        self.depth = 0

    # -- nesting -----------------------------------------------------------------------
    def descend(self, token: Token) -> None:
        """One level deeper (a parenthesis, call, sign, `not` or `**`); refused past MAX_NESTING."""
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise self.fail(_too_deep(self.tokens), token)

    # -- token helpers -----------------------------------------------------------------
    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def advance(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def at(self, kind: str, *values: str) -> bool:
        return self.tok.kind == kind and (not values or self.tok.value in values)

    def fail(self, message: str, token: Token | None = None) -> FormulaError:
        token = token or self.tok
        return FormulaError(message, text=self.text, position=token.pos)

    def expect(self, value: str, why: str) -> Token:
        if not self.at("op", value):
            raise self.fail(f"Expected {value!r} {why}, but found {_describe(self.tok)}.")
        return self.advance()

    def need(self, node: Node, kind: str, token: Token) -> Node:
        """Check what a node gives against what the operator needs, pointing at the operator."""
        if kind == "bool" and node.kind != "bool":
            raise self.fail(
                f"{token.value!r} needs a condition on each side, such as reliability >= 8.", token
            )
        if kind != "bool" and node.kind == "bool":
            raise self.fail(
                f"{token.value!r} cannot be used on a condition; it needs numbers or columns.", token
            )
        if kind == "number" and node.kind == "text":
            raise self.fail(f"{token.value!r} needs numbers, not text in quotes.", token)
        return node

    # -- grammar -----------------------------------------------------------------------
    def parse(self) -> Node:
        if self.tok.kind == "end":
            raise self.fail("The formula is empty.")
        node = self.or_expr()
        if self.tok.kind != "end":
            raise self.fail(f"Unexpected {_describe(self.tok)} after a complete formula.")
        return node

    def or_expr(self) -> Node:
        node = self.and_expr()
        while self.at("keyword", "or"):
            op = self.advance()
            self.need(node, "bool", op)
            node = BoolOp("or", node, self.need(self.and_expr(), "bool", op))
        return node

    def and_expr(self) -> Node:
        node = self.not_expr()
        while self.at("keyword", "and"):
            op = self.advance()
            self.need(node, "bool", op)
            node = BoolOp("and", node, self.need(self.not_expr(), "bool", op))
        return node

    def not_expr(self) -> Node:
        if self.at("keyword", "not"):
            op = self.advance()
            self.descend(op)
            node = Not(self.need(self.not_expr(), "bool", op), op.pos)
            self.depth -= 1
            return node
        return self.comparison()

    def comparison(self) -> Node:
        left = self.sum()
        if self.tok.kind == "op" and self.tok.value in _COMPARISONS:
            op = self.advance()
            self.need(left, "value", op)
            right = self.need(self.sum(), "value", op)
            return Compare("==" if op.value == "=" else op.value, left, right, op.pos)
        negate = self.at("keyword", "not") and self.tokens[self.i + 1].value == "in"
        if negate:
            self.advance()
        if self.at("keyword", "in"):
            op = self.advance()
            self.need(left, "value", op)
            values, end = self.literal_list()
            node: Node = InList(left, values, op.pos, end)
            if negate:
                node = Not(node, op.pos)
                node.start = left.start
            return node
        return left

    def literal_list(self) -> tuple[tuple[object, ...], int]:
        """The `(value, value, ...)` after `in`, and where it ends."""
        self.expect("(", "to start the list of values after 'in'")
        values: list[object] = []
        while True:
            tok = self.tok
            sign = -1.0 if self.at("op", "-") else 1.0
            if sign < 0:
                self.advance()
            if self.tok.kind == "text" and sign > 0:
                values.append(self.advance().value)
            elif self.tok.kind == "number":
                values.append(sign * float(self.advance().value))
            else:
                raise self.fail(
                    f"Expected a value in quotes or a number in the list, but found {_describe(tok)}.",
                    tok,
                )
            if not self.at("op", ","):
                break
            self.advance()
        return tuple(values), self.expect(")", "to close the list of values").end

    def sum(self) -> Node:
        node = self.product()
        while self.at("op", "+", "-"):
            op = self.advance()
            self.need(node, "number", op)
            node = Binary(op.value, node, self.need(self.product(), "number", op), op.pos)
        return node

    def product(self) -> Node:
        node = self.unary()
        while self.at("op", "*", "/"):
            op = self.advance()
            self.need(node, "number", op)
            node = Binary(op.value, node, self.need(self.unary(), "number", op), op.pos)
        return node

    def unary(self) -> Node:
        if self.at("op", "-", "+"):
            op = self.advance()
            self.descend(op)
            node = Unary(op.value, self.need(self.unary(), "number", op), op.pos)
            self.depth -= 1
            return node
        return self.power()

    def power(self) -> Node:
        base = self.atom()
        if self.at("op", "**"):
            op = self.advance()
            self.need(base, "number", op)
            # Right-associative and tighter than unary minus, as in Python: -2 ** 2 == -4.
            self.descend(op)
            node = Binary("**", base, self.need(self.unary(), "number", op), op.pos)
            self.depth -= 1
            return node
        return base

    def atom(self) -> Node:
        tok = self.tok
        if tok.kind in ("number", "text"):
            self.advance()
            return Literal(float(tok.value) if tok.kind == "number" else tok.value, tok.pos, tok.end)
        if tok.kind == "name":
            self.advance()
            if self.at("op", "("):
                return self.call(tok)
            return Column(tok.value, tok.pos, tok.end)
        if self.at("op", "("):
            self.advance()
            self.descend(tok)
            node = self.or_expr()
            node.start = tok.pos
            node.end = self.expect(")", f"to close the '(' at position {tok.pos}").end
            self.depth -= 1
            return node
        raise self.fail(f"Expected a number, a column name or '(' but found {_describe(tok)}.")

    def call(self, name: Token) -> Node:
        func = name.value.lower()
        if func not in FUNCTIONS:
            raise self.fail(
                f"Unknown function {name.value!r}; the functions are min, max, log and sqrt.", name
            )
        self.advance()  # the "("
        self.descend(name)
        args: list[Node] = []
        if not self.at("op", ")"):
            while True:
                args.append(self.need(self.or_expr(), "number", name))
                if not self.at("op", ","):
                    break
                self.advance()
        end = self.expect(")", f"to close the call of {func}").end
        self.depth -= 1
        low, high = FUNCTIONS[func]
        if not low <= len(args) <= high:
            wanted = "1 value" if low == high == 1 else f"at least {low} values"
            raise self.fail(f"{func} takes {wanted}, not {len(args)}.", name)
        return Call(func, tuple(args), name.pos, end)


def _too_deep(tokens: list[Token]) -> str:
    """Why a formula nests too deep, naming the longest run of what nests it and the limit."""
    parens = signs = nots = powers = 0
    depth = sign_run = not_run = 0
    chains = [0]  # `**` so far in the current chain, one counter per open parenthesis
    previous: Token | None = None
    for tok in tokens:
        value_before = previous is not None and (
            previous.kind in ("number", "name", "text") or (previous.kind == "op" and previous.value == ")")
        )
        unary_sign = tok.kind == "op" and tok.value in "+-" and not value_before
        sign_run = sign_run + 1 if unary_sign else 0
        not_run = not_run + 1 if tok.kind == "keyword" and tok.value == "not" else 0
        if tok.kind == "op" and tok.value == "(":
            depth += 1
            chains.append(0)
        elif tok.kind == "op" and tok.value == ")":
            depth = max(0, depth - 1)
            if len(chains) > 1:
                chains.pop()
        elif tok.kind == "op" and tok.value == "**":
            chains[-1] += 1
        elif not unary_sign and tok.kind in ("op", "keyword"):
            chains[-1] = 0  # a lower operator, a comparison, and/or or a comma ends a chain
        parens, signs = max(parens, depth), max(signs, sign_run)
        nots, powers = max(nots, not_run), max(powers, chains[-1])
        previous = tok
    limit = MAX_NESTING
    if parens > limit:
        return f"The formula nests {parens:,} parentheses deep; the limit is {limit}."
    if signs > limit:
        return f"The formula has {signs:,} signs (+ or -) in a row; the limit is {limit}."
    if nots > limit:
        return f"The formula has {nots:,} 'not's in a row; the limit is {limit}."
    if powers > limit:
        return f"The formula chains {powers:,} powers (**); the limit is {limit}."
    return (
        f"The formula nests more than {limit} levels deep (parentheses, function calls, signs, "
        f"'not' and '**' inside one another); the limit is {limit}."
    )


def _columns_of(node: Node) -> frozenset[str]:
    found: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, Column):
            found.add(item.name)
        stack.extend(item.children())
    return frozenset(found)


@dataclass(frozen=True, eq=False)
class _Formula:
    text: str
    root: Node
    columns: frozenset[str]

    def _run(self, columns: Mapping[str, np.ndarray], n: int) -> object:
        with np.errstate(all="ignore"):
            return self.root.evaluate(Context(columns, n, self.text))


@dataclass(frozen=True, eq=False)
class Expression(_Formula):
    """A parsed formula that gives a number per initiative, blank (NaN) where it cannot."""

    def evaluate(self, columns: Mapping[str, np.ndarray], n: int) -> np.ndarray:
        """The formula over whole columns: float64, NaN where an input is blank or a division by 0."""
        value = self._run(columns, n)
        ctx = Context(columns, n, self.text)
        return ctx.numbers(value, self.root)


@dataclass(frozen=True, eq=False)
class Condition(_Formula):
    """A parsed condition that says yes or no per initiative; a comparison with a blank is no."""

    def evaluate(self, columns: Mapping[str, np.ndarray], n: int) -> np.ndarray:
        """The condition over whole columns as a bool array."""
        value = self._run(columns, n)
        return np.broadcast_to(np.asarray(value, dtype=bool), (n,)).copy()

    def disjuncts(self) -> tuple[Condition, ...]:
        """The alternatives joined by a top-level `or`, each as its own condition."""
        parts: list[Node] = []
        stack = [self.root]
        while stack:
            node = stack.pop()
            if isinstance(node, BoolOp) and node.op == "or":
                stack.extend((node.right, node.left))
            else:
                parts.append(node)
        return tuple(
            Condition(self.text[p.start:p.end].strip(), p, _columns_of(p)) for p in parts
        )


def parse_expression(text: str) -> Expression:
    """Parse a criterion formula such as `reach * impact / effort`; raises FormulaError."""
    root = _Parser(text).parse()
    if root.kind == "bool":
        raise FormulaError(
            "This is a condition (a yes/no test); a criterion formula must give a number.",
            text=text,
            position=root.pos,
        )
    return Expression(text, root, _columns_of(root))


def parse_condition(text: str) -> Condition:
    """Parse a tier condition such as `category in ('security') or security >= 8`."""
    root = _Parser(text).parse()
    if root.kind != "bool":
        raise FormulaError(
            "A condition needs a comparison, such as security >= 8 or category == 'security'.",
            text=text,
            position=root.pos,
        )
    return Condition(text, root, _columns_of(root))
