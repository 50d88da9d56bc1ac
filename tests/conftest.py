"""Test-wide settings.

Property tests (hypothesis) run derandomized in the default suite: the same examples on every
run and every machine, so CI is reproducible. Random exploration is the job of the longer
runs under ``benchmarks/`` (``benchmarks/fuzz.py``), or of ``HYPOTHESIS_PROFILE=explore``.
"""
from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("default", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
