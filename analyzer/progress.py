"""A one-line progress display for long scans, on standard error only.

    mcpleaks: scanning 340/1,320 files, 85 files/s

The line appears once a scan has run for ``DELAY`` seconds (a quick scan prints nothing),
is redrawn in place with a carriage return a few times a second by a small daemon thread,
and is erased before anything else is written to standard error. By default it is shown
only when standard error is a terminal and the run is not in CI (``CI`` set to anything but
``0``/``false``/``no``) nor on a ``TERM=dumb`` terminal; ``--progress`` forces it on,
``--no-progress`` off. It never touches standard output, where reports go.

A plain ``\\r`` line is all this needs; no progress-bar library is used.
"""
from __future__ import annotations

import os
import shutil
import threading
import time
from typing import Callable, Mapping, TextIO

DELAY = 1.0  # seconds before the line first appears
INTERVAL = 0.2  # seconds between redraws


def wanted(flag: bool | None, stream: TextIO, env: Mapping[str, str] = os.environ) -> bool:
    """``flag``: True for --progress, False for --no-progress, None for the default."""
    if flag is not None:
        return flag
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        return False
    ci = env.get("CI", "").strip().lower() not in ("", "0", "false", "no")
    return tty and not ci and env.get("TERM") != "dumb"


class Progress:
    """Counts files through the phases of a scan and draws one line about them.

    The scanner calls :meth:`phase` and :meth:`advance`; they only update counters (cheap, no
    I/O), the drawing thread reads them. A disabled ``Progress`` does nothing at all."""

    def __init__(self, stream: TextIO, enabled: bool = True, *, delay: float | None = None, interval: float | None = None,
                 clock: Callable[[], float] = time.monotonic, width: Callable[[], int] | None = None) -> None:
        self.stream = stream
        self.enabled = enabled
        self.delay = DELAY if delay is None else delay
        self.interval = INTERVAL if interval is None else interval
        self.clock = clock
        self.width = width or (lambda: shutil.get_terminal_size((80, 24)).columns)
        self.started = clock()
        self._phase = "starting"
        self._done = 0
        self._total: int | None = None
        self._phase_started = self.started
        self._drawn = 0  # length of the line on screen
        self._last = ""
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # -- what the scanner reports ------------------------------------------------------------
    def phase(self, name: str, total: int | None = None) -> None:
        self._phase, self._total, self._done, self._phase_started = name, total, 0, self.clock()

    def advance(self, n: int = 1) -> None:
        self._done += n

    # -- drawing ---------------------------------------------------------------------------------
    def line(self) -> str:
        """The text of the line as it stands now."""
        elapsed = self.clock() - self._phase_started
        if self._total is None:
            return f"mcpleaks: {self._phase} ({elapsed:.0f} s)"
        rate = self._done / elapsed if elapsed > 0 else 0.0
        return f"mcpleaks: {self._phase} {self._done:,}/{self._total:,} files, {rate:,.0f} files/s"

    def draw(self) -> None:
        """Redraw the line if the scan has lasted past the delay (the thread calls this)."""
        if not self.enabled or self.clock() - self.started < self.delay:
            return
        text = self.line()[: max(10, self.width() - 1)]
        with self._lock:
            if self._stop.is_set() or text == self._last:
                return
            self._last = text
            pad = " " * max(0, self._drawn - len(text))
            self._write("\r" + text + pad)
            self._drawn = len(text)

    def clear(self) -> None:
        """Erase the line (before other output on the stream, and at the end)."""
        with self._lock:
            if self._drawn:
                self._write("\r" + " " * self._drawn + "\r")
                self._drawn = 0
                self._last = ""

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):
            self.enabled = False

    # -- lifetime --------------------------------------------------------------------------------
    def __enter__(self) -> "Progress":
        if self.enabled:
            self._thread = threading.Thread(target=self._run, name="mcpleaks-progress", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._thread is not None:
            self._stop.set()
            self._thread.join()
            self._thread = None
        self._stop.set()
        self.clear()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.draw()


class NoProgress(Progress):
    """The do-nothing default for callers that do not show progress (library use, the LSP)."""

    def __init__(self) -> None:
        super().__init__(stream=None, enabled=False)  # type: ignore[arg-type]
