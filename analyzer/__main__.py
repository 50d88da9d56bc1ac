"""``python -m analyzer``: the same as the ``mcpleaks`` command.

``python -m`` puts the current directory first on ``sys.path`` (as ``''`` or its path),
and the current directory is often the tree being scanned: a ``tomllib.py`` or ``libcst.py``
there would be imported, and run, in place of the real module. So it is taken off the path
before anything else is imported (with ``-P`` or ``PYTHONSAFEPATH`` it was never put there,
and the first entry is then the standard library's, which must stay).
"""
import sys


def _drop_current_directory() -> None:
    import os

    if sys.flags.safe_path if hasattr(sys.flags, "safe_path") else False:
        return
    cwd = os.getcwd()
    if sys.path and (sys.path[0] == "" or os.path.abspath(sys.path[0]) == cwd):
        del sys.path[0]


_drop_current_directory()

from analyzer.cli import main  # noqa: E402  (after the path is made safe)

sys.exit(main())
