"""The window's views by name (`--view NAME`, View menu targets): only declared names register."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping

ShowView = Callable[[], None]


class ViewNotDeclared(KeyError):
    """A feature registered a view whose name no feature class declares in its VIEWS."""


class ViewRegistry(Mapping[str, ShowView]):
    """Declared view names, each with the function that brings it to the front once registered."""

    def __init__(self, declared: Iterable[str]):
        self.declared: tuple[str, ...] = tuple(declared)
        self._shows: dict[str, ShowView] = {}

    def register(self, name: str, show: ShowView) -> None:
        """Give `name` the function that shows it; a feature may wrap an earlier one this way."""
        if name not in self.declared:
            raise ViewNotDeclared(f"view {name!r} is not declared in any feature's VIEWS")
        self._shows[name] = show

    def missing(self) -> list[str]:
        """Declared names that no feature registered (a test checks there are none)."""
        return [name for name in self.declared if name not in self._shows]

    def __getitem__(self, name: str) -> ShowView:
        return self._shows[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._shows)

    def __len__(self) -> int:
        return len(self._shows)
