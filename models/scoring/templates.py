"""The model templates Cutline ships in resources/models/: each a normal model file.

    from cutline.models.scoring.templates import TEMPLATES, load_template
    for t in TEMPLATES:
        print(t.key, t.title, t.description)
    model = load_template("wsjf")
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import NamedTuple

from cutline.models.scoring.model import ScoringModel
from cutline.models.scoring.model_file import load_model


class Template(NamedTuple):
    """A shipped model: its key, a title and one line for a menu or dialog, and its file."""

    key: str
    title: str
    description: str
    path: Path


def _file(name: str) -> Path:
    """A file of the resources package's models folder (found as app/lifecycle/loading.py finds the default)."""
    return Path(str(resources.files("cutline.resources").joinpath("models", name)))


#: The key of the template that wins ties and is the fallback: the platform default.
DEFAULT_TEMPLATE = "platform_default"

TEMPLATES: list[Template] = [
    Template("platform_default", "Platform default",
             "Reliability and security first, then unblocking other teams, developer experience, "
             "RICE, effort and risk.", _file("platform_default.toml")),
    Template("rice", "RICE",
             "Reach x impact x confidence / effort, nothing else.", _file("rice.toml")),
    Template("wsjf", "WSJF",
             "Weighted shortest job first: cost of delay (Business Value + Time Criticality + Risk) "
             "/ effort; Time Criticality from due quarters when there is no such column.",
             _file("wsjf.toml")),
    Template("priority_effort", "Priority and effort",
             "The tracker's Priority (Jira, Linear, P0-P4, MoSCoW or 1-4) first, then less effort.",
             _file("priority_effort.toml")),
    Template("weighted_scoring", "Weighted scoring",
             "Impact and strategic alignment, less effort and risk (expects a Strategic alignment "
             "column).", _file("weighted_scoring.toml")),
]


def template(key: str) -> Template:
    """The template with this key; KeyError naming the keys when there is none."""
    for t in TEMPLATES:
        if t.key == key:
            return t
    raise KeyError(f"There is no model template {key!r}; the templates are "
                   f"{', '.join(t.key for t in TEMPLATES)}.")


def load_template(key: str) -> ScoringModel:
    """The model of a shipped template, read from its file."""
    return load_model(template(key).path)


@cache
def shipped_template(key: str) -> ScoringModel:
    """`load_template(key)`, read once per process (the shipped files do not change)."""
    return load_template(key)


def model_or_template(path_or_key: str | Path) -> ScoringModel:
    """A model file, or a shipped template named by its key (as `cutline rank --model wsjf`);
    a file of that name wins over the template."""
    keys = {t.key for t in TEMPLATES}
    if not Path(path_or_key).exists() and str(path_or_key) in keys:
        return load_template(str(path_or_key))
    return load_model(path_or_key)
