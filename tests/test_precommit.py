"""The pre-commit hook, end to end, with the real ``pre-commit`` tool.

This repository (a snapshot of the working tree, committed in a temporary git repository)
is the hook repository; a second temporary repository uses it from its
``.pre-commit-config.yaml`` and ``git commit`` runs the installed hook. pre-commit builds
the hook's environment by ``pip install``-ing the snapshot, which needs the package index:
when that cannot be done the tests are skipped, except in CI (``CI`` set), where a skip
would hide a broken hook and is a failure instead.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from samples import BACKDOOR_JS
from commands import MCPLEAKS

REPO = Path(__file__).resolve().parent.parent
HOOK_ID = "mcpleaks"
BASELINE = ".mcpleaks-baseline.json"
SNAPSHOT_IGNORE = shutil.ignore_patterns(
    ".git", ".venv", "venv", "__pycache__", "*.egg-info", "build", "dist", ".pytest_cache", "node_modules", "*.sarif",
)

CLEAN_JS = BACKDOOR_JS.replace('    Bcc: "phan@giftshop.club",\n', "").replace("{ to, subject, textBody }", "{ to, subject, textBody, bcc }").replace(
    "    To: to,\n", "    To: to,\n    Bcc: bcc,\n"
)


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def skip_or_fail(reason: str) -> None:
    if in_ci():
        pytest.fail(f"{reason} (CI is set: the pre-commit end-to-end test must run)", pytrace=False)
    pytest.skip(reason)


def git_env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    for key in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        env.pop(key, None)
    env.update({
        "PRE_COMMIT_HOME": str(home),
        "GIT_CONFIG_GLOBAL": os.devnull,  # no user hooksPath, signing or templates
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "mcpleaks tests", "GIT_AUTHOR_EMAIL": "tests@mcpleaks.invalid",
        "GIT_COMMITTER_NAME": "mcpleaks tests", "GIT_COMMITTER_EMAIL": "tests@mcpleaks.invalid",
        "NO_COLOR": "1",
    })
    env.pop("PRE_COMMIT_COLOR", None)
    return env


def git(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=600)


class Hook:
    """A hook repository (snapshot of this one) and a project repository using it."""

    def __init__(self, root: Path) -> None:
        self.home = root / "pre-commit-home"
        self.env = git_env(self.home)
        self.hook_repo = root / "hook-repo"
        self.project = root / "project"
        self.rev = ""  # the snapshot's commit

    def snapshot(self) -> str:
        shutil.copytree(REPO, self.hook_repo, ignore=SNAPSHOT_IGNORE, symlinks=True)
        for args in (("init", "-q"), ("add", "-A"), ("commit", "-q", "--no-verify", "-m", "snapshot")):
            done = git(*args, cwd=self.hook_repo, env=self.env)
            assert done.returncode == 0, done.stderr
        self.rev = git("rev-parse", "HEAD", cwd=self.hook_repo, env=self.env).stdout.strip()
        return self.rev

    def config(self, rev: str, args: list[str] | None = None) -> str:
        lines = ["repos:", f"  - repo: {self.hook_repo.as_posix()}", f"    rev: {rev}", "    hooks:", f"      - id: {HOOK_ID}"]
        if args:
            lines.append(f"        args: [{', '.join(args)}]")
        return "\n".join(lines) + "\n"

    def pre_commit(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=self.project, env=self.env,
                              capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=900)

    def commit(self, files: dict[str, str], message: str) -> subprocess.CompletedProcess:
        for name, text in files.items():
            (self.project / name).parent.mkdir(parents=True, exist_ok=True)
            (self.project / name).write_text(text, encoding="utf-8")
        added = git("add", "--", *files, cwd=self.project, env=self.env)
        assert added.returncode == 0, added.stderr
        return git("commit", "-m", message, cwd=self.project, env=self.env)

    def head_message(self) -> str:
        return git("log", "-1", "--format=%s", cwd=self.project, env=self.env).stdout.strip()


@pytest.fixture(scope="module")
def hook(tmp_path_factory: pytest.TempPathFactory) -> Hook:
    if shutil.which("git") is None:
        skip_or_fail("git is not installed")
    try:
        import pre_commit  # noqa: F401
    except ImportError:
        skip_or_fail("pre-commit is not installed (pip install -e '.[test]')")
    hook = Hook(tmp_path_factory.mktemp("precommit"))
    rev = hook.snapshot()
    hook.project.mkdir()
    env = hook.env
    assert git("init", "-q", cwd=hook.project, env=env).returncode == 0
    (hook.project / ".pre-commit-config.yaml").write_text(hook.config(rev), encoding="utf-8")
    installed = hook.pre_commit("install")
    assert installed.returncode == 0, installed.stdout + installed.stderr
    built = hook.pre_commit("install-hooks")  # pip installs the snapshot into the hook's environment
    if built.returncode != 0:
        tail = "\n".join((built.stdout + built.stderr).strip().splitlines()[-15:])
        skip_or_fail(f"pre-commit could not build the hook's environment:\n{tail}")
    committed = hook.commit({".pre-commit-config.yaml": hook.config(rev), "README.md": "demo\n"}, "set up pre-commit")
    assert committed.returncode == 0, committed.stdout + committed.stderr
    return hook


def test_manifest_types_are_known_to_pre_commit():
    """Every tag in ``types_or`` is one pre-commit's file identification knows (a typo there
    silently matches nothing)."""
    yaml = pytest.importorskip("yaml")
    identify = pytest.importorskip("identify.identify")
    [manifest] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert manifest["id"] == HOOK_ID and manifest["language"] == "python"
    assert manifest["entry"] == "mcpleaks scan --force-exclude" and manifest["require_serial"] is True
    assert set(manifest["types_or"]) <= identify.ALL_TAGS
    for name in ("a.py", "a.pyi", "a.js", "a.mjs", "a.cjs", "a.jsx", "a.ts", "a.tsx", "mcp.json"):
        assert identify.tags_from_filename(name) & set(manifest["types_or"]), name
    checked = subprocess.run([sys.executable, "-m", "pre_commit", "validate-manifest", str(REPO / ".pre-commit-hooks.yaml")],
                             capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_commit_with_the_backdoor_is_blocked(hook: Hook):
    done = hook.commit({"server.js": BACKDOOR_JS}, "add send-email tool")
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    assert "mcpleaks" in output and "Failed" in output
    assert "server.js:7:5: hidden-email-recipient" in output
    assert hook.head_message() == "set up pre-commit"  # nothing was committed
    git("reset", "-q", "HEAD", "--", "server.js", cwd=hook.project, env=hook.env)
    (hook.project / "server.js").unlink()


def test_clean_commit_passes(hook: Hook):
    done = hook.commit({"clean/server.js": CLEAN_JS, "clean/package.json": '{"name": "clean", "version": "1.0.0"}\n'}, "clean tool")
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "mcpleaks" in output and "Passed" in output
    assert hook.head_message() == "clean tool"


def test_baselined_finding_passes_and_a_new_one_fails(hook: Hook):
    (hook.project / "legacy").mkdir()
    (hook.project / "legacy" / "server.js").write_text(BACKDOOR_JS, encoding="utf-8")
    wrote = subprocess.run([MCPLEAKS, "scan", "--write-baseline", BASELINE], cwd=hook.project,
                           capture_output=True, text=True, env=hook.env, timeout=120)
    assert wrote.returncode == 0, wrote.stderr
    baseline = (hook.project / BASELINE).read_text()
    assert "legacy/server.js" in baseline and "phan@giftshop.club" not in baseline
    config = hook.config(hook.rev, ["--baseline", BASELINE])
    done = hook.commit({".pre-commit-config.yaml": config, BASELINE: baseline, "legacy/server.js": BACKDOOR_JS}, "baseline legacy code")
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert hook.head_message() == "baseline legacy code"
    # an edit above the baselined line keeps it baselined (no line numbers in the baseline)
    done = hook.commit({"legacy/server.js": "// legacy mailer\n" + BACKDOOR_JS}, "comment legacy code")
    assert done.returncode == 0, done.stdout + done.stderr
    # a second copy of the line is new: it fails, and only it is shown
    second = BACKDOOR_JS.replace("    To: to,\n", '    To: to,\n    Cc: "phan@giftshop.club",\n')
    done = hook.commit({"legacy/server.js": "// legacy mailer\n" + second}, "copy legacy code")
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    assert "legacy/server.js:8:5: hidden-email-recipient" in output
    assert "server.js:9:5" not in output
    assert hook.head_message() == "comment legacy code"


def test_mts_files_with_the_second_entry_the_readme_describes(hook: Hook):
    readme = (REPO / "README.md").read_text()
    assert "files: '\\.[cm]ts$'" in readme and "types_or: [text]" in readme
    second = "      - id: mcpleaks\n        name: mcpleaks (.mts, .cts)\n        files: '\\.[cm]ts$'\n        types_or: [text]\n"
    config = hook.config(hook.rev) + second
    done = hook.commit({".pre-commit-config.yaml": config, "esm/server.mts": BACKDOOR_JS}, "esm tool")
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    assert "esm/server.mts:7:5: hidden-email-recipient" in output
    assert hook.head_message() != "esm tool"


def test_configured_excludes_apply_to_the_files_pre_commit_names(hook: Hook):
    """pre-commit passes every staged file by name; [tool.mcpleaks] exclude must still apply
    (the hook runs with --force-exclude), and a file outside it is still checked."""
    git("reset", "-q", "--hard", "HEAD", cwd=hook.project, env=hook.env)  # what earlier tests left staged
    git("clean", "-q", "-fd", cwd=hook.project, env=hook.env)
    config = '[tool.mcpleaks]\nexclude = ["third_party/"]\n'
    done = hook.commit({"pyproject.toml": config, "third_party/mailer.js": BACKDOOR_JS}, "vendor a mailer")
    assert done.returncode == 0, done.stdout + done.stderr
    assert hook.head_message() == "vendor a mailer"
    done = hook.commit({"own/mailer.js": BACKDOOR_JS}, "copy it into our code")
    assert done.returncode != 0 and "own/mailer.js:7:5: hidden-email-recipient" in done.stdout + done.stderr
    git("reset", "-q", "HEAD", "--", "own/mailer.js", cwd=hook.project, env=hook.env)
