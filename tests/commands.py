"""How the tests run mcpleaks: the installed console script next to the interpreter, never
``python -m analyzer`` (which puts the current directory, often a scanned tree, on the
import path; ``analyzer/__main__.py`` removes it, and one test checks that it does)."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

_beside = Path(sys.executable).parent / ("mcpleaks.exe" if sys.platform == "win32" else "mcpleaks")
MCPLEAKS = str(_beside) if _beside.exists() else (shutil.which("mcpleaks") or str(_beside))
