"""A count with its noun: "1 initiative", "2,000 initiatives"."""

from __future__ import annotations


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """`n` with thousands separators and the noun, singular for exactly one."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"
