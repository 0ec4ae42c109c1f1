"""Builds the one compiled part of Cutline, the allocation walk (models/_walk.c).

Everything else is in pyproject.toml. The extension is optional: without a C compiler the
install still succeeds and Cutline uses the same walk in Python, only slower
(see docs/performance.md).
"""

from setuptools import Extension, setup

setup(ext_modules=[Extension("models._walk", ["models/_walk.c"], optional=True,
                             extra_compile_args=["-O2"])])
