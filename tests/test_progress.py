"""The progress line: on a terminal's stderr for scans over a second, never on stdout, never
on a pipe or in CI unless --progress, never with --no-progress."""
from __future__ import annotations

import io
import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

from analyzer import progress as progress_mod
from analyzer.progress import Progress, wanted
from commands import MCPLEAKS

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus" / "servers"  # 70-odd files: a scan of a second or two


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(("flag", "stream", "env", "expected"), [
    (None, Tty(), {}, True),
    (None, Tty(), {"CI": "true"}, False),
    (None, Tty(), {"CI": "1"}, False),
    (None, Tty(), {"CI": "false"}, True),
    (None, Tty(), {"TERM": "dumb"}, False),
    (None, io.StringIO(), {}, False),  # a pipe or a file
    (True, io.StringIO(), {"CI": "true"}, True),  # --progress
    (False, Tty(), {}, False),  # --no-progress
])
def test_when_it_is_shown(flag, stream, env, expected):
    assert wanted(flag, stream, env) is expected


def test_nothing_before_a_second_then_one_line_redrawn_in_place_then_erased():
    out, clock = Tty(), Clock()
    p = Progress(out, clock=clock, width=lambda: 200)
    p.phase("scanning", total=1320)
    p.advance(10)
    clock.now += 0.5
    p.draw()
    assert out.getvalue() == "", "a scan shorter than the delay prints nothing"
    clock.now += 0.5
    p.advance(30)
    p.draw()
    assert out.getvalue() == "\rmcpleaks: scanning 40/1,320 files, 40 files/s"
    clock.now += 1.0
    p.phase("running Semgrep")
    clock.now += 3.0
    p.draw()
    first = "mcpleaks: scanning 40/1,320 files, 40 files/s"
    second = "mcpleaks: running Semgrep (3 s)"
    assert out.getvalue() == "\r" + first + "\r" + second + " " * (len(first) - len(second))
    p.close()
    assert out.getvalue().endswith("\r" + " " * len(second) + "\r"), "close() erases the line"
    assert "\n" not in out.getvalue()


def test_the_line_fits_the_terminal():
    out, clock = Tty(), Clock()
    p = Progress(out, clock=clock, width=lambda: 20, delay=0)
    p.phase("scanning", total=123456)
    p.draw()
    assert len(out.getvalue()) == 1 + 19


def test_a_disabled_progress_writes_nothing():
    out, clock = Tty(), Clock()
    with Progress(out, enabled=False, clock=clock) as p:
        p.phase("scanning", total=5)
        clock.now += 10
        p.draw()
    assert out.getvalue() == ""


# -- the CLI, under a pseudo-terminal and on a pipe ------------------------------------------------

# The real delay is a second; the corpus scans in about that long, so under the pty the CLI runs
# with the delay at zero (the same code path, only the constant patched) to see the line for sure.
PATCHED_CLI = ("import sys, analyzer.progress as p; p.DELAY = 0.0; from analyzer.cli import main; "
               "sys.exit(main(sys.argv[1:]))")


def run_with_stderr_on_a_pty(args: list[str], env: dict[str, str]) -> tuple[int, bytes, bytes]:
    """Run ``args`` with stderr on a pseudo-terminal and stdout on a pipe; both outputs."""
    master, slave = pty.openpty()
    try:
        proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave,
                                env=env, cwd=REPO)
    finally:
        os.close(slave)
    out = err = b""
    streams = {master: "err", proc.stdout.fileno(): "out"}
    try:
        while streams:  # read both, or a big report on stdout would block the child
            ready, _, _ = select.select(list(streams), [], [], 60)
            if not ready:
                proc.kill()
                raise AssertionError("no output from the CLI for 60 s")
            for fd in ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:  # EIO: the child closed the terminal
                    chunk = b""
                if not chunk:
                    del streams[fd]
                elif streams[fd] == "err":
                    err += chunk
                else:
                    out += chunk
        proc.wait(timeout=120)
    finally:
        os.close(master)
        proc.stdout.close()
    return proc.returncode, out, err


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "TERM", "NO_COLOR")}
    return {**env, "TERM": "xterm", **extra}


def test_on_a_terminal_stderr_shows_progress_and_stdout_does_not():
    code, out, err = run_with_stderr_on_a_pty(
        [sys.executable, "-I", "-c", PATCHED_CLI, "scan", str(CORPUS), "--format", "json", "-j", "1"], clean_env())
    assert code == 1, err.decode(errors="replace")
    assert b"\rmcpleaks: scanning " in err and b" files/s" in err
    assert err.rstrip(b" ").endswith(b"\r"), "the line is erased at the end"
    assert b"scanning" not in out and b"\r" not in out
    assert out.lstrip().startswith(b"{"), "stdout holds only the report"


@pytest.mark.parametrize(("extra_args", "env"), [([], {"CI": "true"}), (["--no-progress"], {})])
def test_on_a_terminal_in_ci_or_with_no_progress_there_is_none(extra_args, env):
    code, _out, err = run_with_stderr_on_a_pty(
        [sys.executable, "-I", "-c", PATCHED_CLI, "scan", str(CORPUS), "--format", "json", "-j", "1", *extra_args],
        clean_env(**env))
    assert code == 1
    assert b"scanning" not in err and b"\r" not in err


def test_on_a_pipe_there_is_none():
    done = subprocess.run([MCPLEAKS, "scan", str(CORPUS), "--format", "json"], capture_output=True, cwd=REPO,
                          env=clean_env(), stdin=subprocess.DEVNULL, timeout=300)
    assert done.returncode == 1
    assert b"scanning" not in done.stderr and b"\r" not in done.stderr and b"scanning" not in done.stdout


def test_progress_forced_on_a_pipe_goes_to_stderr_only():
    done = subprocess.run([sys.executable, "-I", "-c", PATCHED_CLI, "scan", str(CORPUS), "--format", "json", "-j", "1",
                           "--progress"], capture_output=True, cwd=REPO, env=clean_env(CI="true"),
                          stdin=subprocess.DEVNULL, timeout=300)
    assert done.returncode == 1
    assert b"\rmcpleaks: scanning " in done.stderr
    assert b"\r" not in done.stdout and done.stdout.lstrip().startswith(b"{")


def test_the_module_default_delay_is_one_second():
    assert progress_mod.DELAY == 1.0
