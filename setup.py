"""Builds the one compiled part of Cutline, the allocation walk (models/capacity/_walk.c).

Everything else is in pyproject.toml. The extension is optional: without a C compiler the
install still succeeds and Cutline uses the same walk in Python, only slower
(see docs/performance.md). The build records the SHA-256 of its source, so that Cutline never
uses a build older than the source beside it.
"""

import hashlib
from pathlib import Path

from setuptools import Extension, setup

SOURCE = "models/capacity/_walk.c"
digest = hashlib.sha256(Path(__file__).with_name("models").joinpath("_walk.c").read_bytes()).hexdigest()

setup(ext_modules=[Extension("cutline.models.capacity._walk", [SOURCE], optional=True, extra_compile_args=["-O2", "-ffp-contract=off"],
                             define_macros=[("SOURCE_HASH", f'"{digest}"')])])
