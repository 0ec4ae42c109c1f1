"""The parts of the build pyproject.toml cannot say: the packages under one import name, and the
one compiled part of Cutline, the allocation walk (models/capacity/_walk.c).

The repository keeps app/, models/, views/ and resources/ at its top; installed, each is a
subpackage of `cutline` (`cutline.models.scoring`, ...), so the distribution has a single top-level
name. The extension is optional: without a C compiler the install still succeeds and Cutline uses
the same walk in Python, only slower (see docs/performance.md). The build records the SHA-256 of
its source, so that Cutline never uses a build older than the source beside it.
"""

import hashlib
from pathlib import Path

from setuptools import Extension, find_namespace_packages, find_packages, setup

FOLDERS = ("app", "models", "views", "resources")
SOURCE = "models/capacity/_walk.c"
digest = hashlib.sha256(Path(__file__).parent.joinpath(SOURCE).read_bytes()).hexdigest()

# resources/ holds data folders too (icons/, models/, room/): namespace discovery lists them.
found = find_packages(include=[f"{f}*" for f in FOLDERS[:-1]]) + find_namespace_packages(
    include=["resources", "resources.*"], exclude=["*__pycache__*"])
packages = [f"cutline.{name}" for name in found]
setup(packages=packages,
      package_dir={f"cutline.{folder}": folder for folder in FOLDERS},
      ext_modules=[Extension("cutline.models.capacity._walk", [SOURCE], optional=True,
                             extra_compile_args=["-O2", "-ffp-contract=off"],
                             define_macros=[("SOURCE_HASH", f'"{digest}"')])])
